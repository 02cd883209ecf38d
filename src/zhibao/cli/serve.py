"""``zhibao serve`` and ``zhibao user add``: thin shells over ``create_app`` and ``Accounts``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from zhibao.cli.base import app, console

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


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="用户名。")],
    role: Annotated[str, typer.Option("--role", help="editor 或 admin。")] = "editor",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="从标准输入读取密码（供脚本使用）。")
    ] = False,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", envvar="ZHIBAO_DATABASE_URL", help="数据库地址。"),
    ] = None,
) -> None:
    """添加编辑台账号（密码以 argon2 哈希保存）。"""
    from zhibao.store import Accounts, Store

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("密码", hide_input=True, confirmation_prompt="再输入一次")
    with Store.open(database_url) as store:
        user = Accounts(store).add_user(name, password, role=role)
    console.print(f"已添加用户 {user.name}（{user.role}）")
