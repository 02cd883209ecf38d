"""The daily run: collect → brief → publish (auto-publish on) or notify the editors.

``zhibao schedule`` keeps a process alive and starts :func:`daily_run` at the cron time of
``publish.yaml`` (APScheduler); ``zhibao schedule --once`` runs it now, which is also what a
system cron job or systemd timer calls (see docs/schedule.md).

    >>> with Store.open() as store:
    ...     result = daily_run(date(2026, 5, 25), load_publish(), store=store,
    ...                        sources=load_sources().enabled, data_dir=Path("~/.zhibao/data"))
    >>> result.action
    'notified'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from zhibao.config.publish import PublishConfig
from zhibao.core.errors import ConfigError
from zhibao.core.model import Brief, Source
from zhibao.publish import ChannelOutcome, PublishReport, notify_editors

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

    from zhibao.config import Brand
    from zhibao.crawl import FetchSettings
    from zhibao.store import Store

__all__ = ["DailyResult", "build_scheduler", "cron_trigger", "crontab_weekdays", "daily_run", "next_run"]


@dataclass
class DailyResult:
    day: date
    action: Literal["published", "notified", "empty"]
    lines: list[str] = field(default_factory=list)
    report: PublishReport | None = None
    brief_paths: list[Path] = field(default_factory=list)


def daily_run(
    day: date,
    settings: PublishConfig,
    *,
    store: Store,
    sources: Sequence[Source],
    data_dir: Path,
    config_dir: str | Path | None = None,
    collect: bool = True,
    fetch_settings: FetchSettings | None = None,
    site_dir: str | Path | None = None,
    echo: Callable[[str], None] = print,
    topic: str | None = None,
) -> DailyResult:
    """Collect the window ending with ``day``, write the brief of ``day`` and publish it when
    ``schedule.auto_publish`` is on and it passed the checker; otherwise notify the editors.

    ``topic``: a topic of the home (``<home>/topics/<name>/``); default the home's own profile.
    ``settings`` is that topic's publish configuration."""
    from zhibao.config import archive_dir, load_brand, load_profile
    from zhibao.runs.briefing import make_brief
    from zhibao.runs.collection import collect_run, describe
    from zhibao.runs.queue import queue_url
    from zhibao.write import EmptyWindowError

    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        echo(line)

    profile = load_profile(config_dir, topic=topic)
    brand = load_brand(config_dir, topic=topic)
    if collect and (fleet := queue_url()):
        # A fleet is configured: the workers collect, one job per source; the brief waits.
        from zhibao.runs.queue import enqueue_run, wait_run

        queued = enqueue_run(
            list(sources),
            store,
            url=fleet,
            database_url=os.environ.get("ZHIBAO_DATABASE_URL"),
            date=day,
            days=settings.schedule.collect_days,
            settings=fetch_settings,
            archive_dir=archive_dir(data_dir),
            roundup_titles=profile.roundup_titles,
            search_keywords=profile.search_keywords(),
        )
        say(f"运行 #{queued.run_id}：{len(queued.jobs)} 个采集任务已放入任务队列")
        describe(wait_run(queued, store, url=fleet, timeout=QUEUED_COLLECTION_TIMEOUT_S), say)
    elif collect:
        report = collect_run(
            list(sources),
            store,
            date=day,
            days=settings.schedule.collect_days,
            settings=fetch_settings,
            archive_dir=archive_dir(data_dir),
            roundup_titles=profile.roundup_titles,
            search_keywords=profile.search_keywords(),
        )
        describe(report, say)
    try:
        run = make_brief(
            day,
            store=store,
            out_dir=data_dir / "briefs",
            config_dir=config_dir,
            profile=profile,
            brand=brand,
            sources=sources,
            archive_base=str(archive_dir(data_dir)),
        )
    except EmptyWindowError as exc:
        say(str(exc))
        return DailyResult(day, "empty", lines)
    for line in run.lines():
        say(line)
    brief = run.brief
    if settings.schedule.auto_publish and run.check.ok and not brief.publish_problems():
        outcome = _auto_publish(brief, settings, store, profile.name, brand, site_dir)
        action: Literal["published", "notified"] = "published"
    else:
        if settings.schedule.auto_publish:
            say("简报未通过核验，未自动发布；已通知编辑审核。")
        outcome = notify_editors(brief, settings, topic=profile.name)
        action = "notified"
    for line in outcome.lines():
        say(line)
    return DailyResult(day, action, lines, outcome, run.paths)


AUTO_ACTOR = "zhibao（自动发布）"
QUEUED_COLLECTION_TIMEOUT_S = 3 * 3600  # past it the daily run stops with QueueError, jobs go on


def _auto_publish(
    brief: Brief,
    settings: PublishConfig,
    store: Store,
    topic: str,
    brand: Brand,
    site_dir: str | Path | None,
) -> PublishReport:
    """Publish a brief the checker passed, through the same path as an editor's approval.

    The brief becomes a version approved by ``AUTO_ACTOR`` (so the desk and the audit log show
    who released it), and a channel that already delivered any version of the day is not sent
    again by a re-run: a correction goes out only by hand (``zhibao publish --resend``).
    """
    from zhibao.runs.publishing import publish_approved
    from zhibao.store import BriefVersions, Publications

    day = brief.date
    versions = BriefVersions(store, topic=topic)
    latest = versions.latest(day)
    if latest is None or latest.brief != brief:
        latest = versions.save(brief, note="自动生成（核验通过）", author="zhibao")
    versions.approve(day, latest.number, user=AUTO_ACTOR)
    delivered = {
        o["channel"]
        for publication in Publications(store, topic=topic).history(day)
        for o in publication.outcomes
        if o["ok"]
    }
    due = [c for c in settings.channels if c not in delivered]
    report = PublishReport()
    if due:
        report, _ = publish_approved(
            day,
            store=store,
            config=settings,
            brand=brand,
            topic=topic,
            user=AUTO_ACTOR,
            channels=due,
            site_dir=site_dir,
        )
    report.skipped.extend(
        ChannelOutcome(c, True, f"{day} 已发布过，自动发布不重复发送（如需重发：--resend {c}）")
        for c in settings.channels
        if c in delivered
    )
    return report


_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def crontab_weekdays(field: str) -> str:
    """A crontab weekday field (0 or 7 = Sunday) in APScheduler's terms, where 0 is Monday:
    ``"1-5"`` → ``"mon,tue,wed,thu,fri"``. Names (``mon-fri``) and ``*`` pass unchanged."""
    out: list[str] = []
    for item in field.lower().split(","):
        spec, _, step_text = item.partition("/")
        if spec == "*" and not step_text:
            out.append("*")
            continue
        if spec != "*" and not spec.replace("-", "").isdigit():
            out.append(item)  # named days mean the same in both
            continue
        first, _, last = spec.partition("-")
        low, high = (0, 6) if spec == "*" else (int(first), int(last or first))
        if not (0 <= low <= 7 and 0 <= high <= 7 and low <= high):
            raise ValueError(f"星期字段 {item!r} 超出 0–7")
        if step_text and not last and spec != "*":
            high = 6  # "1/2": from Monday on, every second day
        step = int(step_text) if step_text else 1
        out += [_WEEKDAYS[n] for n in range(low, high + 1, step)]
    return ",".join(dict.fromkeys(out))


def cron_trigger(settings: PublishConfig):  # noqa: ANN201 - apscheduler's CronTrigger
    """The ``schedule.cron`` expression (minute hour day month weekday) as a trigger."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from apscheduler.triggers.cron import CronTrigger

    schedule = settings.schedule
    try:
        zone = ZoneInfo(schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"publish.yaml: schedule.timezone 无效：{schedule.timezone!r}（如 Asia/Shanghai）") from None
    try:
        fields = schedule.cron.split()
        if len(fields) != 5:
            raise ValueError(f"应有 5 个字段，收到 {len(fields)} 个")
        minute, hour, day, month, weekday = fields
        return CronTrigger(
            minute=minute, hour=hour, day=day, month=month,
            day_of_week=crontab_weekdays(weekday), timezone=zone,
        )
    except ValueError as exc:
        raise ConfigError(
            f"publish.yaml: schedule.cron 无效：{schedule.cron!r}（{exc}）；"
            "格式为“分 时 日 月 周”，如 \"30 7 * * *\" 表示每天 7:30"
        ) from None


def build_scheduler(
    settings: PublishConfig, job: Callable[[], object], *, blocking: bool = True
) -> BaseScheduler:
    """A scheduler that runs ``job`` at ``schedule.cron``; a missed run (machine asleep) is
    run once when the process is back within an hour, never twice."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    trigger = cron_trigger(settings)
    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone=trigger.timezone)
    scheduler.add_job(
        job, trigger, id="daily", coalesce=True, max_instances=1, misfire_grace_time=3600
    )
    return scheduler


def next_run(settings: PublishConfig, after: datetime) -> datetime | None:
    """When the daily run next starts after ``after`` (shown by ``zhibao schedule``)."""
    trigger = cron_trigger(settings)
    return trigger.get_next_fire_time(None, after.astimezone(trigger.timezone))
