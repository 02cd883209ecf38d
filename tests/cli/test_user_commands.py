"""``zhibao user list | add | passwd | role | disable | enable | unlock | remove``: passwords
from stdin, readable errors, every change in the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhibao.cli import app
from zhibao.store import Accounts, AuditLog, LoginRefused, Store


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'zhibao.db'}"


def user(db: str, *args: str, password: str | None = None):
    result = CliRunner().invoke(
        app,
        ["user", *args, "--database-url", db],
        input=None if password is None else password + "\n",
    )
    return result


def _login(db: str, name: str, password: str):
    with Store.open(db) as store:
        return Accounts(store).login(name, password, address="127.0.0.1")


def test_add_list_passwd_role_and_remove(db: str) -> None:
    added = user(
        db, "add", "王芳", "--role", "chief", "--password-stdin", password="first passphrase"
    )
    assert added.exit_code == 0, added.output
    assert "已添加用户 王芳（主编）" in added.output
    # Without --password-stdin the password is read from stdin too: it is not a terminal.
    assert user(db, "add", "li", password="editor passphrase").exit_code == 0

    listing = user(db, "list")
    assert listing.exit_code == 0
    assert (
        "王芳  chief（主编）  正常" in listing.output
        and "li  editor（编辑）  正常" in listing.output
    )

    session = _login(db, "王芳", "first passphrase")
    changed = user(db, "passwd", "王芳", password="second passphrase")
    assert changed.exit_code == 0 and "会话已失效" in changed.output
    with Store.open(db) as store:
        assert Accounts(store).session_user(session.token) is None
    with pytest.raises(LoginRefused):
        _login(db, "王芳", "first passphrase")
    assert _login(db, "王芳", "second passphrase").user.role == "chief"

    assert user(db, "role", "li", "admin").exit_code == 0
    assert user(db, "remove", "li", "--yes").exit_code == 0
    assert "li  " not in user(db, "list").output

    with Store.open(db) as store:
        lines = [e.line() for e in AuditLog(store).recent()]
    assert lines[:4] == [
        "命令行 删除了用户 li",
        "命令行 把 li 的角色改为管理员",
        "王芳 登录了编辑台（来自 127.0.0.1）",
        "命令行 重设了 王芳 的密码",
    ]
    assert "命令行 添加了用户 王芳（主编）" in lines


def test_disable_enable_and_unlock(db: str) -> None:
    assert user(db, "add", "li", password="editor passphrase").exit_code == 0
    session = _login(db, "li", "editor passphrase")
    assert user(db, "disable", "li").exit_code == 0
    assert "已停用" in user(db, "list").output
    with Store.open(db) as store:
        assert Accounts(store).session_user(session.token) is None
    with pytest.raises(LoginRefused, match="已停用"):
        _login(db, "li", "editor passphrase")
    assert user(db, "enable", "li").exit_code == 0
    for _ in range(5):
        with pytest.raises(LoginRefused):
            _login(db, "li", "wrong")
    assert "锁定至" in user(db, "list").output
    assert user(db, "unlock", "li").exit_code == 0
    assert "li  editor（编辑）  正常" in user(db, "list").output
    assert _login(db, "li", "editor passphrase").user.name == "li"


def test_bad_input_is_named(db: str) -> None:
    short = user(db, "add", "li", password="short")
    assert short.exit_code != 0 and "至少 8 个字符" in str(short.exception)
    role = user(db, "add", "li", "--role", "boss", password="long enough pass")
    assert role.exit_code != 0 and "未知角色 'boss'" in str(role.exception)
    missing = user(db, "unlock", "nobody")
    assert missing.exit_code != 0 and "没有用户 'nobody'" in str(missing.exception)
    empty = user(db, "add", "li", password="")
    assert empty.exit_code != 0 and "标准输入中没有密码" in empty.output
    assert user(db, "remove", "nobody", password="n").exit_code != 0  # declined at the prompt
