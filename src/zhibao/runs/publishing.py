"""Publish a stored brief: the call behind ``zhibao publish`` and ``zhibao.publish_brief``.

    >>> from zhibao.config.settings import load_settings
    >>> with open_store() as store:                                    # doctest: +SKIP
    ...     report = publish_brief(date(2026, 5, 25), store=store, settings=load_settings(),
    ...                            channels=["site"])
    >>> report.ok, report.link                                         # doctest: +SKIP
    (True, 'https://example.org/briefs/2026-05-25.html')
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from zhibao.core.errors import InputError
from zhibao.core.model import Brief
from zhibao.publish import PublishReport, publish

if TYPE_CHECKING:
    from zhibao.config.settings import Settings
    from zhibao.store import Store

__all__ = ["publish_brief", "stored_brief"]


def stored_brief(day: date, *, store: Store, topic: str) -> Brief:
    """The current brief of ``day`` in the store, or an InputError that says what to run."""
    brief = store.brief(day, topic=topic)
    if brief is None:
        raise InputError(
            f"库中没有 {day} 的简报（主题「{topic}」）；请先运行 zhibao brief --date {day}"
        )
    return brief


def publish_brief(
    brief: Brief | date,
    *,
    settings: Settings,
    store: Store | None = None,
    channels: Iterable[str] | None = None,
    site_dir: str | Path | None = None,
    allow_draft: bool = False,
) -> PublishReport:
    """Send ``brief`` (or the stored brief of that date) to ``channels``.

    Without ``channels``, the ``channels`` of publish.yaml. A draft is refused unless
    ``allow_draft``; each channel's outcome is in the report, one failure never hides another.
    """
    if isinstance(brief, date):
        if store is None:
            raise InputError("按日期发布需要数据库：传入 store=open_store()")
        brief = stored_brief(brief, store=store, topic=settings.profile.name)
    config = settings.publish
    return publish(
        brief,
        list(channels) if channels else config.channels,
        config,
        brand=settings.brand,
        site_dir=site_dir,
        topic=settings.profile.name,
        allow_draft=allow_draft,
    )
