"""Publish a stored brief: the call behind ``zhibao publish``, the desk's 发布 button and
``zhibao.publish_brief``.

A date publishes exactly its approved version, and only when that is also the newest version
(an edit after approval needs a new approval). Each channel gets each version once: a channel
that already delivered it is skipped (and said so) unless named in ``resend``.

    >>> from zhibao.config.settings import load_settings
    >>> with open_store() as store:                                    # doctest: +SKIP
    ...     report, _ = publish_approved(date(2026, 5, 25), store=store,
    ...                                  settings=load_settings(), user="wang")
    >>> report.lines()                                                 # doctest: +SKIP
    ['✓ site：/srv/site/briefs/brief-2026-05-25.html']
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from zhibao.core.errors import InputError, ZhibaoError
from zhibao.core.model import Brief
from zhibao.core.time import SHANGHAI
from zhibao.publish import ChannelOutcome, PublishReport, publish
from zhibao.store import (
    CLI_ACTOR,
    AuditLog,
    BriefVersion,
    BriefVersions,
    Publication,
    Publications,
)

if TYPE_CHECKING:
    from zhibao.config import Brand
    from zhibao.config.publish import PublishConfig
    from zhibao.config.settings import Settings
    from zhibao.store import Store

__all__ = ["NotApproved", "approved_version", "publish_approved", "publish_brief", "stored_brief"]

# One publish of a date at a time in this process: a double click must not send twice.
_LOCKS: dict[tuple[str, date], threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


class NotApproved(ZhibaoError):
    """The date has no approved version, the newest version is not the approved one, or it
    is a draft."""


def stored_brief(day: date, *, store: Store, topic: str) -> Brief:
    """The current brief of ``day`` in the store, or an InputError that says what to run."""
    brief = store.brief(day, topic=topic)
    if brief is None:
        raise InputError(
            f"库中没有 {day} 的简报（主题「{topic}」）；请先运行 zhibao brief --date {day}"
        )
    return brief


def approved_version(versions: BriefVersions, day: date) -> BriefVersion:
    """The version of ``day`` that may be published: the newest, approved and not a draft."""
    latest = versions.latest(day)
    if latest is None:
        raise InputError(
            f"库中没有 {day} 的简报（主题「{versions.topic}」）；请先运行 zhibao brief --date {day}"
        )
    problems = latest.brief.publish_problems()
    if latest.brief.status == "draft" or problems:
        listed = "；".join(problems[:3]) or "简报仍是草稿"
        raise NotApproved(f"草稿不能发布：{listed}")
    approved = versions.approved(day)
    how = f"请在编辑台批准，或运行 zhibao approve --date {day} --as 主编名"
    if approved is None:
        raise NotApproved(f"{day} 第 {latest.number} 版尚未批准：{how}")
    if approved.number != latest.number:
        raise NotApproved(
            f"{day} 第 {latest.number} 版尚未批准：第 {approved.number} 版批准后又有修改，"
            f"修改后的版本须重新批准（{how}）"
        )
    return approved


def publish_approved(
    day: date,
    *,
    store: Store,
    config: PublishConfig,
    brand: Brand,
    topic: str,
    user: str,
    channels: Iterable[str] | None = None,
    resend: Iterable[str] = (),
    site_dir: str | Path | None = None,
) -> tuple[PublishReport, Publication | None]:
    """Send the approved version of ``day`` to ``channels`` (default: publish.yaml's) that
    have not delivered it yet, plus every channel in ``resend``; log the attempt (publications
    and audit log). Returns the report and the logged publication (None: nothing to send).

    Raises ``NotApproved`` or ``PublishError`` (unknown channel, a secret or recipient
    missing) before anything is sent."""
    versions = BriefVersions(store, topic=topic)
    publications = Publications(store, topic=topic)
    resend = list(dict.fromkeys(resend))
    wanted = list(dict.fromkeys([*(channels or config.channels), *resend]))
    with _lock(topic, day):
        version = approved_version(versions, day)
        delivered = publications.delivered(day, version.number)
        sending = [c for c in wanted if c not in delivered or c in resend]
        skipped = [
            ChannelOutcome(c, True, _already(version.number, delivered[c], c))
            for c in wanted
            if c not in sending
        ]
        if not sending:
            return PublishReport(skipped=skipped), None
        report = publish(
            version.brief, sending, config, brand=brand, site_dir=site_dir, topic=topic
        )
        report.skipped = skipped
        record = publications.record(
            day,
            version=version.number,
            user=user,
            outcomes=[(o.channel, o.ok, o.detail) for o in report.outcomes],
        )
    summary = "、".join(f"{o.channel}{'成功' if o.ok else '失败'}" for o in report.outcomes)
    resent = f"（重发 {'、'.join(resend)}）" if resend else ""
    AuditLog(store).record(user, "publish", f"{day} v{version.number}", summary + resent)
    return report, record


def _already(number: int, publication: Publication, channel: str) -> str:
    when = publication.published_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    who = "命令行" if publication.published_by == CLI_ACTOR else publication.published_by
    return (
        f"第 {number} 版已于 {when} 由 {who} 发送，未重复发送"
        f"（如需重发：--resend {channel}）"
    )


def _lock(topic: str, day: date) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault((topic, day), threading.Lock())


def publish_brief(
    brief: Brief | date,
    *,
    settings: Settings,
    store: Store | None = None,
    channels: Iterable[str] | None = None,
    site_dir: str | Path | None = None,
    allow_draft: bool = False,
    user: str = "api",
) -> PublishReport:
    """Send ``brief`` to ``channels`` (default: publish.yaml's ``channels``).

    A date publishes its approved version through ``publish_approved`` (once per channel); a
    ``Brief`` object is sent as given, a draft only with ``allow_draft``. Each channel's
    outcome is in the report, one failure never hides another.
    """
    if isinstance(brief, date):
        if store is None:
            raise InputError("按日期发布需要数据库：传入 store=open_store()")
        if allow_draft:
            raise InputError("按日期发布只发布已批准的版本；要发布草稿，请传入 Brief 对象")
        report, _ = publish_approved(
            brief,
            store=store,
            config=settings.publish,
            brand=settings.brand,
            topic=settings.profile.name,
            user=user,
            channels=channels,
            site_dir=site_dir,
        )
        return report
    return publish(
        brief,
        list(channels) if channels else settings.publish.channels,
        settings.publish,
        brand=settings.brand,
        site_dir=site_dir,
        topic=settings.profile.name,
        allow_draft=allow_draft,
    )
