"""``zhibao serve`` and ``zhibao user list|add|passwd|role|topics|disable|enable|unlock|remove``:
thin shells over ``create_app`` and ``Accounts`` (each account change is in the audit log)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from zhibao.cli.base import app, console

if TYPE_CHECKING:
    from zhibao.store import Accounts

user_app = typer.Typer(help="管理编辑台账号。", no_args_is_help=True)
app.add_typer(user_app, name="user")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址。")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="监听端口。")] = 8000,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar="ZHIBAO_DATABASE_URL",
            help="数据库地址（默认数据目录下的 SQLite）。",
        ),
    ] = None,
    public_archive: Annotated[
        bool, typer.Option("--public-archive", help="允许未登录的读者浏览已批准的简报档案。")
    ] = False,
    writer: Annotated[
        str, typer.Option("--writer", help="“重新生成”所用的写作器。")
    ] = "extractive",
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers",
            help="信任反向代理的 X-Forwarded-Proto（HTTPS 时 Cookie 带 Secure）。",
        ),
    ] = False,
) -> None:
    """启动编辑台网页（FastAPI + uvicorn），默认 http://127.0.0.1:8000 。"""
    import uvicorn

    from zhibao.web import WebSettings, create_app

    settings = WebSettings(database_url=database_url, public_archive=public_archive, writer=writer)
    web = create_app(settings)
    console.print(f"编辑台：http://{host}:{port}/   （Ctrl+C 停止）")
    uvicorn.run(web, host=host, port=port, proxy_headers=proxy_headers, log_level="warning")


DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", envvar="ZHIBAO_DATABASE_URL", help="数据库地址。"),
]
PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="从标准输入读取密码（供脚本使用；标准输入不是终端时也会这样读）。",
    ),
]
UserName = Annotated[str, typer.Argument(help="用户名。")]


def read_password(from_stdin: bool, *, confirm: bool = True, prompt: str = "密码") -> str:
    """The password from the first line of stdin (``--password-stdin``, or stdin is not a
    terminal), else from a hidden terminal prompt; never from the command line, where it
    would stay in the shell history and the process list."""
    if from_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise typer.BadParameter("标准输入中没有密码（第一行为空）")
        return password
    return typer.prompt(
        prompt, hide_input=True, confirmation_prompt="再输入一次" if confirm else False
    )


@contextmanager
def _accounts(database_url: str | None) -> Iterator[Accounts]:
    from zhibao.store import Accounts, Store

    with Store.open(database_url) as store:
        yield Accounts(store)


@user_app.command("list")
def user_list(database_url: DatabaseUrl = None) -> None:
    """列出账号：角色与状态（正常、停用、锁定至某时）。"""
    from zhibao.core.time import SHANGHAI

    with _accounts(database_url) as accounts:
        users = accounts.users()
    if not users:
        console.print("还没有账号；用 zhibao user add 用户名 --role chief 添加")
        return
    for user in users:
        if user.disabled:
            state = "已停用"
        elif user.locked_until:
            state = f"锁定至 {user.locked_until.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"
        else:
            state = "正常"
        console.print(f"{user.name}  {user.role}（{user.role_name}）  {state}", markup=False)


@user_app.command("add")
def user_add(
    name: UserName,
    role: Annotated[
        str,
        typer.Option(
            "--role", help="editor（编辑）、chief（主编：批准与发布）或 admin（管理员）。"
        ),
    ] = "editor",
    password_stdin: PasswordStdin = False,
    database_url: DatabaseUrl = None,
) -> None:
    """添加编辑台账号（密码以 argon2 哈希保存）。"""
    password = read_password(password_stdin)
    with _accounts(database_url) as accounts:
        user = accounts.add_user(name, password, role=role)
    console.print(f"已添加用户 {user.name}（{user.role_name}）", markup=False)


@user_app.command("passwd")
def user_passwd(
    name: UserName, password_stdin: PasswordStdin = False, database_url: DatabaseUrl = None
) -> None:
    """重设密码；该用户已登录的会话随即失效。"""
    password = read_password(password_stdin, prompt="新密码")
    with _accounts(database_url) as accounts:
        accounts.set_password(name, password)
    console.print(f"已重设 {name} 的密码，其登录会话已失效", markup=False)


@user_app.command("role")
def user_role(
    name: UserName,
    role: Annotated[str, typer.Argument(help="editor、chief 或 admin。")],
    database_url: DatabaseUrl = None,
) -> None:
    """修改角色。"""
    with _accounts(database_url) as accounts:
        user = accounts.set_role(name, role)
    console.print(f"{user.name} 现在是{user.role_name}", markup=False)


@user_app.command("topics")
def user_topics(
    name: UserName,
    add: Annotated[
        list[str] | None, typer.Option("--add", help="让此人负责这个主题（可重复）。")
    ] = None,
    remove: Annotated[
        list[str] | None, typer.Option("--remove", help="不再负责这个主题（可重复）。")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """查看或修改此人负责的主题；没有指定任何主题的账号可以处理全部主题。"""
    from zhibao.config.settings import topic_names
    from zhibao.core.errors import ConfigError

    known = topic_names()
    unknown = [t for t in add or [] if t not in known]
    if unknown:
        raise ConfigError(
            f"未知主题「{unknown[0]}」；已有的主题：{'、'.join(known)}"
            "（新建主题请写出 <home>/topics/<主题名>/profile.yaml）(unknown topic)"
        )
    with _accounts(database_url) as accounts:
        if add or remove:
            topics = accounts.set_topics(name, add=add or [], remove=remove or [])
        else:
            topics = accounts.topics(name)
    shown = "、".join(topics) if topics else f"全部主题（{'、'.join(known)}）"
    console.print(f"{name} 负责：{shown}", markup=False)


@user_app.command("disable")
def user_disable(name: UserName, database_url: DatabaseUrl = None) -> None:
    """停用账号：不能再登录，已登录的会话立即结束。"""
    with _accounts(database_url) as accounts:
        accounts.set_disabled(name, True)
    console.print(f"已停用 {name}，其登录会话已结束", markup=False)


@user_app.command("enable")
def user_enable(name: UserName, database_url: DatabaseUrl = None) -> None:
    """恢复已停用的账号。"""
    with _accounts(database_url) as accounts:
        accounts.set_disabled(name, False)
    console.print(f"已恢复 {name}", markup=False)


@user_app.command("unlock")
def user_unlock(name: UserName, database_url: DatabaseUrl = None) -> None:
    """解除因多次输错密码造成的锁定。"""
    with _accounts(database_url) as accounts:
        accounts.unlock(name)
    console.print(f"已解锁 {name}", markup=False)


@user_app.command("remove")
def user_remove(
    name: UserName,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="不再确认。")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """删除账号（历史版本仍保留作者名）。"""
    if not yes and not typer.confirm(f"删除用户 {name}？", default=False):
        raise typer.Exit(1)
    with _accounts(database_url) as accounts:
        accounts.remove(name)
    console.print(f"已删除 {name}", markup=False)
