"""``zhibao demo``: the whole product in one command, on bundled material.

It starts a loopback HTTP server for the bundled demo sites (``zhibao.runs.demo_sites``), crawls
them for 2026-05-22..24 with the real collector into ``DIR/data`` (database and WARC archive),
then runs the real pipeline for the brief of 2026-05-25 — analyze, the extractive writer, the
checker, the store — and writes ``DIR/brief-2026-05-25.json`` with every available format
beside it. Standard output carries only the written paths; the reports go to standard error.
With ``collect=False`` nothing is crawled and the bundled sample brief is rendered instead.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from zhibao.core.model import load_brief
from zhibao.core.samples import SAMPLE_BRIEF
from zhibao.render import render_brief

if TYPE_CHECKING:
    from zhibao.runs.briefing import BriefRun
    from zhibao.runs.collection import RunReport
    from zhibao.store import Store
    from zhibao.write import Writer

__all__ = ["DEMO_BRIEF_DATE", "brief_demo", "collect_demo_sites", "run_demo"]

DEMO_BRIEF_DATE = date(2026, 5, 25)  # the day after the last demo day


def run_demo(
    out: str | Path,
    formats: list[str] | None = None,
    *,
    collect: bool = True,
    echo: Callable[[str], None] | None = None,
    writer: str | Writer = "extractive",
    queue_url: str | None = None,
) -> list[Path]:
    """Crawl the demo sites into a fresh ``out/data`` and write, check and render the brief of
    2026-05-25 (``collect=False``: render the bundled sample brief only).

    ``queue_url``: collect through the task queue there, one job per demo source, by
    ``zhibao worker`` processes started separately on this machine (they write into
    ``out/data``, a SQLite file they share).

    The collection and brief reports go to ``echo`` (default: standard error, so that standard
    output carries only the written paths).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    echo = echo or _to_stderr
    if not collect:
        brief = load_brief(SAMPLE_BRIEF)
        json_path = brief.save(out / f"{brief.stem}.json")
        return [json_path, *render_brief(brief, out, formats)]
    # The sites are served on a new port each time, so a second run into the same folder would
    # store every article again under other URLs: each demo starts from its own empty store.
    shutil.rmtree(out / "data", ignore_errors=True)
    from zhibao.runs.demo_server import serve_demo_sites

    # The sites stay up for the brief: 扩搜 searches around its events over the same server.
    with serve_demo_sites() as base_url:
        collect_demo_sites(out / "data", echo=echo, base_url=base_url, queue_url=queue_url)
        run = brief_demo(out, formats, writer=writer, search_base=base_url)
    for line in run.lines():
        echo(line)
    return run.paths


def brief_demo(
    out: Path,
    formats: list[str] | None = None,
    *,
    writer: str | Writer = "extractive",
    search_base: str | None = None,
) -> BriefRun:
    """The brief of ``DEMO_BRIEF_DATE`` from the demo store in ``out/data``, with the built-in
    profile and brand (never the user's config) and the demo sources' organisations.

    ``search_base``: the running demo server; its SearXNG-shaped endpoint is then the brief's
    search source (扩搜 around the events), with the demo sites' tiers as ``domain_tiers``."""
    from zhibao.config import DEFAULTS_DIR, Profile, load_profile
    from zhibao.crawl import FetchSettings
    from zhibao.runs.briefing import make_brief
    from zhibao.runs.demo_sites import DEMO_DOMAIN_TIERS, demo_search_source, demo_sources
    from zhibao.store import Store

    profile = load_profile(DEFAULTS_DIR)
    sources = demo_sources("http://127.0.0.1")
    if search_base is not None:
        profile = Profile.model_validate(
            profile.model_dump() | {"domain_tiers": profile.domain_tiers | DEMO_DOMAIN_TIERS}
        )
        sources.append(demo_search_source(search_base))
    data_dir = out / "data"
    with Store.open(data_dir=data_dir) as store:
        return make_brief(
            DEMO_BRIEF_DATE,
            store=store,
            writer=writer,
            out_dir=out,
            formats=formats,
            config_dir=DEFAULTS_DIR,
            profile=profile,
            sources=sources,
            archive_base="data/archive",
            # Loopback only: no politeness delay (robots.txt is still read).
            search_settings=FetchSettings(delay_seconds=0.0, per_host_concurrency=8, retries=0),
        )


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


def crawl_demo_sites(
    base_url: str,
    store: Store,
    archive_dir: Path,
    *,
    concurrency: int = 8,
    queue_url: str | None = None,
) -> RunReport:
    """Collect the demo sites served at ``base_url`` for 2026-05-22..24 into ``store``
    (through the task queue at ``queue_url``, when given)."""
    from zhibao.crawl import FetchSettings
    from zhibao.runs.collection import collect_run
    from zhibao.runs.demo_sites import DEMO_DAYS, demo_sources

    # Loopback only: politeness delays would only slow the demo down; robots.txt is still read.
    settings = FetchSettings(delay_seconds=0.0, per_host_concurrency=concurrency, retries=0)
    if queue_url is not None:
        from zhibao.runs.queue import enqueue_run, wait_run

        queued = enqueue_run(
            demo_sources(base_url),
            store,
            url=queue_url,
            date=DEMO_DAYS[-1],
            days=len(DEMO_DAYS),
            settings=settings,
            archive_dir=archive_dir,
        )
        return wait_run(queued, store, url=queue_url, timeout=600)
    return collect_run(
        demo_sources(base_url),
        store,
        date=DEMO_DAYS[-1],
        days=len(DEMO_DAYS),
        settings=settings,
        archive_dir=archive_dir,
    )


def collect_demo_sites(
    data_dir: Path,
    *,
    echo: Callable[[str], None] = _to_stderr,
    base_url: str | None = None,
    queue_url: str | None = None,
) -> RunReport:
    """Collect the demo sites for 2026-05-22..24 into ``data_dir``: those served at
    ``base_url``, else on a loopback server started for the collection."""
    from contextlib import nullcontext

    from zhibao.config import archive_dir
    from zhibao.runs.collection import describe
    from zhibao.runs.demo_server import serve_demo_sites
    from zhibao.store import Store

    server = serve_demo_sites() if base_url is None else nullcontext(base_url)
    with server as base, Store.open(data_dir=data_dir) as store:
        echo(f"演示站点已在 {base} 启动，开始采集……")
        if queue_url is not None:
            echo("采集任务已放入任务队列，等待 zhibao worker 完成……")
        report = crawl_demo_sites(base, store, archive_dir(data_dir), queue_url=queue_url)
        describe(report, echo)
        echo(f"数据库：{data_dir / 'zhibao.db'}（共 {store.count_documents()} 篇文档）")
    return report
