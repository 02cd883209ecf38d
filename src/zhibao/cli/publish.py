"""``zhibao publish`` and ``zhibao schedule`` (thin shells over ``zhibao.publish``)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from zhibao.cli.base import app, console, err
from zhibao.core.errors import InputError

__all__ = ["publish_command", "schedule_command"]

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="ZHIBAO_DATABASE_URL",
        help="数据库地址（SQLAlchemy URL，如 postgresql://user@host/zhibao）；默认是数据目录下的 zhibao.db。",
    ),
]


def _date(value: str | None) -> date:
    if value is None:
        from zhibao.core.time import today

        return today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--date 应为日期 YYYY-MM-DD，如 2026-05-25（收到 {value!r}）") from None


@app.command("publish")
def publish_command(
    day: Annotated[str, typer.Option("--date", "-d", help="要发布的简报日期 YYYY-MM-DD。")],
    site: Annotated[
        Path | None, typer.Option("--site", help="发布到此目录的静态站（默认 publish.yaml 的 site.dir）。")
    ] = None,
    email: Annotated[bool, typer.Option("--email", help="通过 SMTP 发给 publish.yaml 中的收件人。")] = False,
    webhooks: Annotated[
        list[str] | None, typer.Option("--webhook", "-w", help="发往 publish.yaml 中的机器人（可重复）。")
    ] = None,
    allow_draft: Annotated[
        bool, typer.Option("--allow-draft", help="有未解决问题的草稿也发布（一般不要用）。")
    ] = False,
    database_url: DatabaseOption = None,
) -> None:
    """发布库中某日的简报：静态站（含 RSS/Atom）、邮件、企业微信/飞书/钉钉机器人。

    不指定渠道时，使用 publish.yaml 中 channels 的设置。
    """
    from zhibao.config.settings import load_settings
    from zhibao.runs.publishing import publish_brief
    from zhibao.store import Store

    brief_date = _date(day)
    settings = load_settings()
    channels = (["site"] if site else []) + (["email"] if email else []) + list(webhooks or [])
    with Store.open(database_url, data_dir=settings.data_dir) as store:
        report = publish_brief(
            brief_date,
            settings=settings,
            store=store,
            channels=channels or None,
            site_dir=site,
            allow_draft=allow_draft,
        )
    for line in report.lines():
        console.print(line, markup=False, soft_wrap=True)
    if report.link:
        console.print(f"在线地址：{report.link}", markup=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


@app.command("schedule")
def schedule_command(
    once: Annotated[bool, typer.Option("--once", help="立即运行一次后退出（供 cron / systemd 定时器调用）。")] = False,
    day: Annotated[str | None, typer.Option("--date", help="与 --once 一起：简报日期（默认今天）。")] = None,
    no_collect: Annotated[bool, typer.Option("--no-collect", help="跳过采集，只用库中已有文档。")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """按 publish.yaml 的 schedule.cron 每天运行：采集 → 生成简报 → 通知编辑或自动发布。"""
    from zhibao.config import load_publish, load_sources, resolve_paths
    from zhibao.runs.daily import build_scheduler, daily_run, next_run
    from zhibao.store import Store

    settings = load_publish()
    data_dir = resolve_paths().data_dir

    def job(run_day: date | None = None) -> None:
        the_day = run_day or _date(None)
        with Store.open(database_url, data_dir=data_dir) as store:
            daily_run(
                the_day,
                settings,
                store=store,
                sources=load_sources().enabled,
                data_dir=data_dir,
                collect=not no_collect,
                echo=lambda line: err.print(line, markup=False, soft_wrap=True),
            )

    if once:
        job(_date(day))
        return
    scheduler = build_scheduler(settings, job)
    upcoming = next_run(settings, datetime.now().astimezone())
    console.print(
        f"定时任务已启动：{settings.schedule.cron}（{settings.schedule.timezone}），"
        f"下次运行 {upcoming:%Y-%m-%d %H:%M}；按 Ctrl-C 停止。",
        markup=False,
    )
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        console.print("已停止。")
