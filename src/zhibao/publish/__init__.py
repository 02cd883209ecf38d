"""Publish an approved brief: static archive site (+ RSS/Atom), email, chat-bot webhooks.

One library call behind ``zhibao publish`` and the web desk's approve button::

    from zhibao.config import load_brand, load_publish
    from zhibao.publish import publish
    report = publish(brief, ["site", "email", "editors-wecom"], load_publish(), brand=load_brand())
    print("\\n".join(report.lines()))

Every channel's configuration and secrets are checked before the first one sends anything;
then every channel is tried even when an earlier one fails (the report says which did). A
brief with publishing problems (failed checks, missing citations) is refused unless
``allow_draft=True``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from zhibao.core.errors import ZhibaoError
from zhibao.publish.errors import PublishError

if TYPE_CHECKING:
    from zhibao.config import Brand
    from zhibao.config.publish import PublishConfig
    from zhibao.core.model import Brief
    from zhibao.publish.renditions import Renditions
    from zhibao.publish.site import SiteResult

__all__ = [
    "ChannelOutcome",
    "PublishError",
    "PublishReport",
    "channel_problems",
    "notify_editors",
    "publish",
]


@dataclass
class ChannelOutcome:
    channel: str
    ok: bool
    detail: str


@dataclass
class PublishReport:
    outcomes: list[ChannelOutcome] = field(default_factory=list)
    site: SiteResult | None = None
    link: str | None = None  # the brief's page on the site, when base_url is set
    # Channels not sent because they already received this version (``ok`` is True).
    skipped: list[ChannelOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(o.ok for o in self.outcomes)

    def lines(self) -> list[str]:
        return [f"{'✓' if o.ok else '✗'} {o.channel}：{o.detail}" for o in self.outcomes] + [
            f"· {o.channel}：{o.detail}" for o in self.skipped
        ]


def default_site_dir(config: PublishConfig) -> Path:
    if config.site.dir is not None:
        return Path(config.site.dir).expanduser()
    from zhibao.config import resolve_paths

    return resolve_paths().data_dir / "site"


def _check_channels(channels: list[str], config: PublishConfig) -> None:
    known = {"site", "email", *config.webhooks}
    unknown = [c for c in channels if c not in known]
    if unknown:
        raise PublishError(
            f"未知的发布渠道 {', '.join(unknown)}；可选 site、email，或 publish.yaml 中 webhooks 下的名字"
            f"（{', '.join(sorted(config.webhooks)) or '尚未配置'}）"
        )


def channel_problems(
    channels: Iterable[str], config: PublishConfig, *, site_dir: str | Path | None = None
) -> list[str]:
    """Every configuration problem of ``channels`` — unset secrets and password variables,
    missing recipients, a site directory that cannot be written — so that publishing stops
    before the first channel sends anything."""
    import os

    problems = []
    for channel in channels:
        if channel == "site":
            target = Path(site_dir) if site_dir is not None else default_site_dir(config)
            existing = next((p for p in (target, *target.parents) if p.exists()), None)
            if target.exists() and not target.is_dir():
                problems.append(f"静态站目录 {target} 不是目录")
            elif existing is None or not os.access(existing, os.W_OK):
                problems.append(f"无法写入静态站目录 {target}（请检查 site.dir 与目录权限）")
        elif channel == "email":
            from zhibao.publish.mail import email_problems

            problems += email_problems(config.email)
        elif channel in config.webhooks:
            from zhibao.publish.webhooks import webhook_problems

            problems += webhook_problems(channel, config.webhooks[channel])
    return problems


def publish(
    brief: Brief,
    channels: Iterable[str],
    settings: PublishConfig,
    *,
    brand: Brand | None = None,
    site_dir: str | Path | None = None,
    topic: str = "",
    allow_draft: bool = False,
) -> PublishReport:
    """Send ``brief`` to each of ``channels`` (``site``, ``email`` or a webhook name)."""
    from zhibao.publish.renditions import Renditions

    channels = list(dict.fromkeys(channels))
    _check_channels(channels, settings)
    if not channels:
        raise PublishError("没有指定发布渠道：用 --site / --email / --webhook，或在 publish.yaml 的 channels 中配置")
    if (problems := brief.publish_problems()) and not allow_draft:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise PublishError(f"简报 {brief.date} 还不能发布：\n{listed}\n请在编辑台修改并批准后再发布。")
    if problems := channel_problems(channels, settings, site_dir=site_dir):
        listed = "\n".join(f"  - {p}" for p in problems)
        raise PublishError(f"发布配置有问题，未发送任何渠道：\n{listed}")
    if brand is None:
        from zhibao.config import load_brand

        brand = load_brand()
    renditions = Renditions(brief)
    report = PublishReport()
    base = settings.site.base
    if base:
        report.link = f"{base}briefs/{brief.stem}.html"
    # The site goes first: email and bots link to the page it creates.
    for channel in sorted(channels, key=lambda c: c != "site"):
        try:
            detail = _one(channel, brief, settings, brand, renditions, report, site_dir, topic)
        except ZhibaoError as exc:
            report.outcomes.append(ChannelOutcome(channel, False, str(exc)))
        else:
            report.outcomes.append(ChannelOutcome(channel, True, detail))
    return report


def _one(
    channel: str,
    brief: Brief,
    settings: PublishConfig,
    brand: Brand,
    renditions: Renditions,
    report: PublishReport,
    site_dir: str | Path | None,
    topic: str,
) -> str:
    if channel == "site":
        from zhibao.publish.site import publish_site

        target = Path(site_dir) if site_dir is not None else default_site_dir(settings)
        try:
            result = publish_site(brief, target, config=settings.site, brand=brand, renditions=renditions)
        except OSError as exc:
            raise PublishError(f"无法写入静态站目录 {target}：{exc}") from None
        report.site = result
        return str(result.page)
    if channel == "email":
        from zhibao.publish.mail import send_email

        sent = send_email(brief, settings.email, renditions=renditions, link=report.link)
        refused = f"；服务器拒收 {len(sent.refused)} 位：{'、'.join(sent.refused)}" if sent.refused else ""
        return f"已发送给 {len(sent.recipients)} 位收件人（每人一封）{refused}"
    from zhibao.publish.webhooks import send_brief

    result = send_brief(brief, channel, settings.webhooks[channel], link=report.link, topic=topic)
    return f"{result.kind} 机器人，{result.messages} 条消息"


def notify_editors(
    brief: Brief, settings: PublishConfig, *, names: Iterable[str] | None = None, topic: str = ""
) -> PublishReport:
    """Tell the editors (``schedule.notify`` bots) that the draft of ``brief`` waits for review."""
    from zhibao.publish.webhooks import send_notice

    report = PublishReport()
    for name in names if names is not None else settings.schedule.notify:
        if name not in settings.webhooks:
            report.outcomes.append(ChannelOutcome(name, False, "publish.yaml 的 webhooks 中没有这个名字"))
            continue
        try:
            result = send_notice(
                brief, name, settings.webhooks[name], desk_url=settings.schedule.desk_url, topic=topic
            )
        except ZhibaoError as exc:
            report.outcomes.append(ChannelOutcome(name, False, str(exc)))
        else:
            report.outcomes.append(ChannelOutcome(name, True, f"已通知（{result.messages} 条消息）"))
    return report
