from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from zhibao.core.model import load_brief
from zhibao.runs.demo import run_demo
from zhibao.runs.demo_sites import load_manifest
from zhibao.store import Store


@dataclass
class DemoRun:
    out: Path
    paths: list[Path]
    lines: list[str]
    brief: object
    store: Store
    role: dict[str, str]  # canonical URL path → manifest role
    event: dict[str, str]  # canonical URL path → manifest event id


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> DemoRun:
    """One full demo run (serve, collect, analyze, write, check, store, render md)."""
    out = tmp_path_factory.mktemp("demo")
    lines: list[str] = []
    paths = run_demo(out, ["md"], echo=lines.append)
    manifest = load_manifest()
    store = Store.open(data_dir=out / "data")
    yield DemoRun(
        out=out,
        paths=paths,
        lines=lines,
        brief=load_brief(paths[0]),
        store=store,
        role={a["path"]: a["role"] for a in [*manifest.articles, *manifest.search_only]},
        event={a["path"]: a["event"] for a in [*manifest.articles, *manifest.search_only]},
    )
    store.close()
