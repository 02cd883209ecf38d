"""智报 zhibao — writes, checks and publishes a daily Chinese policy-and-industry brief.

The public Python API: seven functions over the ``runs`` layer, the same calls the ``zhibao``
command and the web desk make. Each works in a script and inside a running event loop
(a Jupyter cell); ``collect_async`` is there for async code that wants to await.

    >>> import zhibao
    >>> settings = zhibao.load_settings("~/.zhibao")             # brand, profile, sources
    >>> with zhibao.open_store(settings=settings) as store:
    ...     zhibao.collect(store=store, settings=settings, days=3)
    ...     run = zhibao.make_brief(date(2026, 5, 25), store=store, settings=settings, out_dir="out")
    ...     zhibao.publish_brief(run.brief, settings=settings, channels=["site"])
    >>> zhibao.render_brief(zhibao.load_brief(zhibao.SAMPLE_BRIEF), "out/", formats=["pdf"])

Heavy parts (SQLAlchemy, trafilatura, Typst) load on first call, not on ``import zhibao``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from zhibao.core.errors import ConfigError, InputError, RenderError, ZhibaoError
from zhibao.core.model import (
    Brief,
    Document,
    Event,
    Reference,
    Section,
    Source,
    load_brief,
    parse_brief,
)
from zhibao.core.samples import SAMPLE_BRIEF

if TYPE_CHECKING:
    from zhibao.check import CheckReport
    from zhibao.config import Profile
    from zhibao.config.settings import Settings
    from zhibao.crawl import FetchSettings
    from zhibao.publish import PublishReport
    from zhibao.runs.briefing import BriefRun
    from zhibao.runs.collection import RunObserver, RunReport
    from zhibao.store import Store
    from zhibao.write import Writer

__version__ = "0.1.0"

__all__ = [
    "SAMPLE_BRIEF",
    "Brief",
    "ConfigError",
    "Document",
    "Event",
    "InputError",
    "Reference",
    "RenderError",
    "Section",
    "Source",
    "ZhibaoError",
    "check_brief",
    "collect",
    "collect_async",
    "load_brief",
    "load_settings",
    "make_brief",
    "open_store",
    "parse_brief",
    "publish_brief",
    "render_brief",
]


def load_settings(home: str | Path | None = None) -> Settings:
    """Brand, topic profile and sources of ``home`` (else ``$ZHIBAO_HOME``, else ``~/.zhibao``)
    over the built-in defaults; ``.publish`` and ``.llm`` load on first use."""
    from zhibao.config.settings import load_settings as _load_settings

    return _load_settings(home)


def open_store(url: str | None = None, *, settings: Settings | None = None) -> Store:
    """The database: ``url`` (any SQLAlchemy URL), else ``$ZHIBAO_DATABASE_URL``, else
    ``zhibao.db`` in the data dir. Use it as a context manager, or ``close()`` it."""
    from zhibao.store import Store

    settings = settings or load_settings()
    return Store.open(url, data_dir=settings.data_dir)


def collect(
    *,
    store: Store,
    settings: Settings | None = None,
    sources: Iterable[Source] | None = None,
    day: date | None = None,
    days: int = 1,
    fetch: FetchSettings | None = None,
    observer: RunObserver | None = None,
) -> RunReport:
    """Fetch, extract and store the articles of ``sources`` (default: the enabled ones) for the
    ``days`` days ending ``day`` (default: today in Beijing). One failed page or source never
    stops the others; the report says what each gave."""
    from zhibao.core.loops import run_sync

    return run_sync(
        lambda: collect_async(
            store=store,
            settings=settings,
            sources=sources,
            day=day,
            days=days,
            fetch=fetch,
            observer=observer,
        )
    )


async def collect_async(
    *,
    store: Store,
    settings: Settings | None = None,
    sources: Iterable[Source] | None = None,
    day: date | None = None,
    days: int = 1,
    fetch: FetchSettings | None = None,
    observer: RunObserver | None = None,
) -> RunReport:
    """``collect`` for async code: awaits the collection on the caller's own loop."""
    from zhibao.config import archive_dir
    from zhibao.core.time import today
    from zhibao.runs.collection import collect_run_async

    settings = settings or load_settings()
    chosen = list(sources) if sources is not None else settings.enabled_sources
    if not chosen:
        raise InputError("没有启用的信息源：请在 sources.yaml 中启用至少一个 (enabled: true)")
    return await collect_run_async(
        chosen,
        store,
        date=day or today(),
        days=days,
        settings=fetch,
        archive_dir=archive_dir(settings.data_dir),
        observer=observer,
        roundup_titles=settings.profile.roundup_titles,
    )


def make_brief(
    brief_date: date,
    *,
    store: Store,
    settings: Settings | None = None,
    writer: str | Writer = "extractive",
    out_dir: str | Path | None = None,
    formats: Sequence[str] | None = None,
) -> BriefRun:
    """Analyze, write, check and store the brief of ``brief_date``; render it into ``out_dir``
    when given. A brief the checker rejects is kept as a draft with its failures listed."""
    from zhibao.config import archive_dir
    from zhibao.runs.briefing import make_brief as _make_brief

    settings = settings or load_settings()
    return _make_brief(
        brief_date,
        store=store,
        writer=writer,
        out_dir=out_dir,
        formats=formats,
        profile=settings.profile,
        brand=settings.brand,
        sources=settings.sources,
        archive_base=str(archive_dir(settings.data_dir)),
    )


def check_brief(brief: Brief, *, store: Store, profile: Profile | None = None) -> CheckReport:
    """Check ``brief`` against its cited stored documents (``zhibao.check``); ``profile`` adds
    the length budget and the theme check."""
    from zhibao.runs.checking import check_stored

    return check_stored(brief, store, profile)


def render_brief(
    brief: Brief,
    out_dir: str | Path,
    formats: Iterable[str] | None = None,
    *,
    publish: bool = False,
) -> list[Path]:
    """Draw ``brief`` as PDF, HTML, WeChat HTML, DOCX and Markdown (or the named ``formats``)
    into ``out_dir``; returns the written paths."""
    from zhibao.render import render_brief as _render_brief

    return _render_brief(brief, out_dir, formats, publish=publish)


def publish_brief(
    brief: Brief | date,
    *,
    settings: Settings | None = None,
    store: Store | None = None,
    channels: Iterable[str] | None = None,
    allow_draft: bool = False,
) -> PublishReport:
    """Send ``brief`` (or the stored brief of that date, with ``store``) to ``channels``
    (default: publish.yaml's): the static site, email, 企业微信/飞书/钉钉 bots."""
    from zhibao.runs.publishing import publish_brief as _publish_brief

    return _publish_brief(
        brief,
        settings=settings or load_settings(),
        store=store,
        channels=channels,
        allow_draft=allow_draft,
    )
