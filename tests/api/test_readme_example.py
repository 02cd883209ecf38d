"""The public API: its names, and the README's notebook example run as written, inside a
running event loop (where a Jupyter cell runs)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

import zhibao

README = Path(__file__).parents[2] / "README.md"
API = [
    "collect",
    "make_brief",
    "check_brief",
    "render_brief",
    "publish_brief",
    "open_store",
    "load_settings",
]


def notebook_example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## 在 Python 中使用 Python API") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_public_api_is_in_all_and_documented() -> None:
    for name in API:
        assert name in zhibao.__all__
        assert callable(getattr(zhibao, name))
        assert getattr(zhibao, name).__doc__
        assert f"`{name}(" in README.read_text(encoding="utf-8")
    assert asyncio.iscoroutinefunction(zhibao.collect_async)


def test_import_zhibao_loads_no_heavy_part() -> None:
    import subprocess
    import sys

    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, zhibao; print(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for heavy in ("sqlalchemy", "trafilatura", "typst", "httpx", "jieba"):
        assert heavy not in loaded


def test_readme_notebook_example_runs_inside_a_running_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("ZHIBAO_HOME", "ZHIBAO_DATA_DIR", "ZHIBAO_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    code = compile(notebook_example(), str(README), "exec")
    namespace: dict = {}

    async def cell() -> None:
        asyncio.get_running_loop()  # a loop is running here, as in Jupyter
        exec(code, namespace)

    asyncio.run(cell())

    run = namespace["run"]
    assert run.brief.status == "final"
    assert 4 <= len(run.brief.sections) <= 6
    assert namespace["report"].totals["new"] > 40
    assert (tmp_path / "zhibao-out" / "brief-2026-05-25.pdf").stat().st_size > 10_000
    assert namespace["published"].ok
    assert (tmp_path / "zhibao-home" / "data" / "zhibao.db").exists()
    printed = capsys.readouterr().out
    assert "final" in printed and "brief-2026-05-25.md" in printed


def test_collect_async_awaits_on_the_callers_loop(tmp_path: Path) -> None:
    from zhibao.crawl import FetchSettings
    from zhibao.runs.demo_server import serve_demo_sites
    from zhibao.runs.demo_sites import demo_sources

    settings = zhibao.load_settings(tmp_path / "home")

    async def main() -> int:
        with serve_demo_sites() as base_url, zhibao.open_store(settings=settings) as store:
            report = await zhibao.collect_async(
                store=store,
                settings=settings,
                sources=demo_sources(base_url)[:1],
                day=asyncio_day(),
                days=3,
                fetch=FetchSettings(delay_seconds=0),
            )
            return report.totals["new"]

    assert asyncio.run(main()) > 0


def asyncio_day():
    from zhibao.runs.demo_sites import DEMO_DAYS

    return DEMO_DAYS[-1]
