"""``zhibao demo``: the whole product in one command, on bundled material.

Until the collection and writing stages exist this renders the bundled sample brief; the
contract (``DIR/brief-YYYY-MM-DD.json`` plus every format beside it) stays the same when the
real pipeline replaces the sample.
"""

from __future__ import annotations

from pathlib import Path

from zhibao import SAMPLE_BRIEF
from zhibao.model import load_brief
from zhibao.render import render_brief

__all__ = ["run_demo"]


def run_demo(out: str | Path, formats: list[str] | None = None) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    brief = load_brief(SAMPLE_BRIEF)
    json_path = brief.save(out / f"{brief.stem}.json")
    return [json_path, *render_brief(brief, out, formats)]
