"""Roles on the desk and the command line: editors edit, chiefs approve and publish, admins
manage accounts; the four-eyes rule; approving what was seen; the audit log."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_world import DAY, PASSWORD, login, make_app

from zhibao.cli import app as cli
from zhibao.store import Accounts, AuditLog, BriefVersions, Store

TOPIC = "新质生产力"


def _post(c: TestClient, path: str, **data):
    return c.post(path, data=data, headers={"X-CSRF-Token": c.csrf})


def _form(c: TestClient, path: str, **data):
    """A plain HTML form post (the accounts page), CSRF token in the form."""
    return c.post(path, data={"csrf_token": c.csrf, **data}, follow_redirects=False)


def _heading(world) -> str:
    with Store.open(world.database_url) as store:
        return store.brief(DAY, topic=TOPIC).sections[0].heading


def _audit(world) -> list[str]:
    with Store.open(world.database_url) as store:
        return [e.line() for e in AuditLog(store).recent()]


def test_an_editor_edits_but_neither_approves_nor_publishes(
    editor_client: TestClient, world
) -> None:
    c = editor_client
    page = c.get(f"/desk/{DAY}").text
    assert "/approve" not in page and "待主编批准" in page
    refused = _post(c, f"/desk/{DAY}/approve")
    assert refused.status_code == 403 and "主编" in refused.text
    assert _post(c, f"/desk/{DAY}/publish").status_code == 403
    assert c.get("/users").status_code == 403 and c.get("/audit").status_code == 403
    edited = _heading(world).split("，")[0] + "，编辑调整了说法"
    assert _post(c, f"/desk/{DAY}/sections/1/heading", heading=edited).status_code == 200
    with Store.open(world.database_url) as store:
        assert BriefVersions(store, topic=TOPIC).approved(DAY) is None


def test_four_eyes_the_last_editor_may_not_approve_their_own_version(world) -> None:
    with Store.open(world.database_url) as store:
        Accounts(store).add_user("chief2", PASSWORD, role="chief")
    web = make_app(world)
    with TestClient(web, base_url="http://127.0.0.1") as a:
        b = TestClient(web, base_url="http://127.0.0.1")
        a.csrf, b.csrf = login(a, "chief"), login(b, "chief2")
        edited = _heading(world).split("，")[0] + "，主编改写了说法"
        assert _post(a, f"/desk/{DAY}/sections/1/heading", heading=edited).status_code == 200
        own = _post(a, f"/desk/{DAY}/approve", version="2")
        assert own.status_code == 409 and "四眼原则" in own.text and "第 2 版" in own.text
        # The other chief approves exactly the version on their screen.
        stale = _post(b, f"/desk/{DAY}/approve", version="1")
        assert stale.status_code == 409 and "最新为第 2 版" in stale.text
        approved = _post(b, f"/desk/{DAY}/approve", version="2")
        assert approved.status_code == 200 and "已批准 · chief2" in approved.text
    assert "chief2 批准了 2026-05-25 第 2 版" in _audit(world)


def test_four_eyes_can_be_switched_off_in_publish_yaml(chief_client: TestClient, world) -> None:
    (world.home / "publish.yaml").write_text("approval:\n  four_eyes: false\n", encoding="utf-8")
    edited = _heading(world).split("，")[0] + "，主编改写了说法"
    assert _post(chief_client, f"/desk/{DAY}/sections/1/heading", heading=edited).status_code == 200
    assert _post(chief_client, f"/desk/{DAY}/approve").status_code == 200


def test_the_approve_button_carries_the_version_shown(chief_client: TestClient) -> None:
    page = chief_client.get(f"/desk/{DAY}").text
    assert re.search(r'hx-post="/desk/[^"]+/approve"[^>]*\n?\s*hx-vals=\'\{"version": 1\}\'', page)


def test_admin_manages_accounts_and_a_disabled_user_is_logged_out(world) -> None:
    web = make_app(world)
    with TestClient(web, base_url="http://127.0.0.1") as admin:
        editor = TestClient(web, base_url="http://127.0.0.1")
        admin.csrf, editor.csrf = login(admin, "admin"), login(editor, "editor")
        listing = admin.get("/users")
        assert listing.status_code == 200
        assert all(name in listing.text for name in ("editor", "chief", "admin"))

        done = _form(admin, "/users/disable", name="editor")
        assert done.status_code == 303
        assert "已停用" in admin.get(done.headers["location"]).text
        # The open session ended at once, and the right password no longer lets them in.
        assert editor.get(f"/desk/{DAY}", follow_redirects=False).status_code == 303
        page = editor.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        again = editor.post(
            "/login", data={"name": "editor", "password": PASSWORD, "csrf_token": token}
        )
        assert again.status_code == 401 and "已停用" in again.text

        assert _form(admin, "/users/enable", name="editor").status_code == 303
        assert (
            _form(admin, "/users", name="王五", role="chief", password="new passphrase").status_code
            == 303
        )
        assert _form(admin, "/users/role", name="王五", role="editor").status_code == 303
        short = _form(admin, "/users", name="赵六", role="editor", password="short")
        assert short.status_code == 400 and "至少 8 个字符" in short.text
        selfish = _form(admin, "/users/disable", name="admin")
        assert selfish.status_code == 400

        audit = admin.get("/audit").text
    for line in (
        "admin 停用了账号 editor",
        "admin 恢复了账号 editor",
        "admin 添加了用户 王五（主编）",
        "admin 把 王五 的角色改为编辑",
    ):
        assert line in audit, line
    assert "已停用的账号 editor 尝试登录" in audit
    assert re.search(r"admin 登录了编辑台（来自 testclient）", audit)


def test_the_audit_page_reads_as_sentences(chief_client: TestClient, world, tmp_path: Path) -> None:
    (world.home / "publish.yaml").write_text(
        f"channels: [site]\nsite:\n  dir: {tmp_path / 'site'}\n  downloads: [md]\n",
        encoding="utf-8",
    )
    assert _post(chief_client, f"/desk/{DAY}/approve").status_code == 200
    assert _post(chief_client, f"/desk/{DAY}/publish").status_code == 200
    again = _post(chief_client, f"/desk/{DAY}/publish")  # a second click sends nothing
    assert again.status_code == 200 and "未重复发送" in again.text
    page = chief_client.get("/audit").text
    assert "chief 批准了 2026-05-25 第 1 版" in page
    assert page.count("chief 发布了 2026-05-25 第 1 版：site成功") == 1
    only = chief_client.get("/audit?kind=approve").text
    assert "批准了" in only and "发布了" not in only


def _approve_cli(world, name: str, password: str, *extra: str):
    return CliRunner().invoke(
        cli,
        [
            "--home",
            str(world.home),
            "approve",
            "--date",
            str(DAY),
            "--as",
            name,
            "--database-url",
            world.database_url,
            *extra,
        ],
        input=password + "\n",
    )


def test_approve_from_the_command_line_needs_a_chief_and_their_password(world) -> None:
    wrong = _approve_cli(world, "chief", "not the password")
    assert wrong.exit_code != 0 and "用户名或密码错误" in str(wrong.exception)
    editor = _approve_cli(world, "editor", PASSWORD)
    assert editor.exit_code != 0 and "没有批准权限" in str(editor.exception)
    stale = _approve_cli(world, "chief", PASSWORD, "--version", "7")
    assert stale.exit_code != 0 and "最新为第 1 版" in str(stale.exception)
    done = _approve_cli(world, "chief", PASSWORD)
    assert done.exit_code == 0, done.output
    assert "chief 批准了 2026-05-25 第 1 版" in done.output
    with Store.open(world.database_url) as store:
        assert BriefVersions(store, topic=TOPIC).approved(DAY).approved_by == "chief"
    assert "chief 批准了 2026-05-25 第 1 版" in _audit(world)
