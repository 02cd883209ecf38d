"""``zhibao publish``, ``zhibao approve`` and ``zhibao schedule`` (thin shells over
``runs.publishing``, ``runs.desk`` and ``runs.daily``)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from zhibao.cli.base import app, console, err
from zhibao.cli.brief import TopicOption
from zhibao.core.errors import InputError

__all__ = ["approve_command", "publish_command", "schedule_command"]

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
    resend: Annotated[
        list[str] | None,
        typer.Option("--resend", help="这一版已发送过的渠道也再发一次（可重复，如 --resend email）。"),
    ] = None,
    database_url: DatabaseOption = None,
    topic: TopicOption = None,
) -> None:
    """发布某日已批准的版本：静态站（含 RSS/Atom）、邮件、企业微信/飞书/钉钉机器人。

    只发布已批准且是最新的版本（批准后再修改须重新批准：zhibao approve）。同一版本已发送
    成功的渠道不会重复发送，除非用 --resend 指明。不指定渠道时，使用 publish.yaml 中
    channels 的设置；发送前先检查所有渠道的配置与密钥。
    """
    from zhibao.config.settings import load_settings
    from zhibao.runs.publishing import publish_approved
    from zhibao.store import CLI_ACTOR, Store

    brief_date = _date(day)
    settings = load_settings(topic=topic)  # the topic's channels, site and brand
    channels = (["site"] if site else []) + (["email"] if email else []) + list(webhooks or [])
    with Store.open(database_url, data_dir=settings.data_dir) as store:
        report, record = publish_approved(
            brief_date,
            store=store,
            config=settings.publish,
            brand=settings.brand,
            topic=settings.profile.name,
            user=CLI_ACTOR,
            channels=channels or None,
            resend=resend or (),
            site_dir=site,
        )
    for line in report.lines():
        console.print(line, markup=False, soft_wrap=True)
    if record is None:
        console.print("没有需要发送的渠道：这一版已发送到以上全部渠道。", markup=False)
    if report.link:
        console.print(f"在线地址：{report.link}", markup=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


@app.command("approve")
def approve_command(
    day: Annotated[str, typer.Option("--date", "-d", help="要批准的简报日期 YYYY-MM-DD。")],
    name: Annotated[str, typer.Option("--as", help="批准人：一位主编（chief）或管理员的用户名。")],
    version: Annotated[
        int | None, typer.Option("--version", help="只在最新版本正是这一版时批准（防止批准没看过的修改）。")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="从标准输入读取密码（标准输入不是终端时也会这样读）。")
    ] = False,
    database_url: DatabaseOption = None,
    topic: TopicOption = None,
) -> None:
    """以主编身份批准某日的最新版本（不用编辑台的团队用它；之后运行 zhibao publish）。

    密码从标准输入或终端读取；与网页登录一样受错误次数限制，批准记入操作记录。
    """
    from zhibao.cli.serve import read_password
    from zhibao.config.settings import load_settings
    from zhibao.runs.desk import Desk
    from zhibao.store import Store
    from zhibao.store.accounts import AccountError

    brief_date = _date(day)
    settings = load_settings(topic=topic)
    four_eyes = settings.publish.approval.four_eyes
    password = read_password(password_stdin, confirm=False, prompt=f"{name} 的密码")
    store = Store.open(database_url, data_dir=settings.data_dir)
    desk = Desk(
        store, profile=settings.profile, brand=settings.brand, sources=settings.sources
    )
    try:
        user = desk.accounts.verify(name, password, address="cli")
        if not desk.accounts.works_on(user, settings.profile.name):
            raise AccountError(
                f"{name} 不负责主题「{settings.profile.name}」，不能批准它的简报"
                f"（zhibao user topics {name} --add {settings.profile.name}）(not an editor of this topic)"
            )
        approved = desk.approve(brief_date, user=name, four_eyes=four_eyes, number=version)
    finally:
        desk.close()
    console.print(
        f"{name} 批准了 {brief_date} 第 {approved.number} 版（{approved.note}，最后修改：{approved.author}）",
        markup=False,
        soft_wrap=True,
    )
    again = f" --topic {topic}" if topic else ""
    console.print(f"发布：zhibao publish --date {brief_date}{again}", markup=False)


@app.command("schedule")
def schedule_command(
    once: Annotated[bool, typer.Option("--once", help="立即运行一次后退出（供 cron / systemd 定时器调用）。")] = False,
    day: Annotated[str | None, typer.Option("--date", help="与 --once 一起：简报日期（默认今天）。")] = None,
    no_collect: Annotated[bool, typer.Option("--no-collect", help="跳过采集，只用库中已有文档。")] = False,
    database_url: DatabaseOption = None,
    topic: TopicOption = None,
) -> None:
    """按 publish.yaml 的 schedule.cron 每天运行：采集 → 生成简报 → 通知编辑或自动发布。"""
    from zhibao.config import load_publish, load_sources, resolve_paths
    from zhibao.runs.daily import build_scheduler, daily_run, next_run
    from zhibao.store import Store

    settings = load_publish(topic=topic)
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
                topic=topic,
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
