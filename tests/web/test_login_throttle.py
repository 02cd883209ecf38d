"""Login throttling: an account locks itself with backoff, an address only slows down, and
neither ever keeps another account's right password out for long."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_world import PASSWORD

from zhibao.cli import app as cli
from zhibao.core.time import now_utc
from zhibao.store import Accounts, AuditLog, LoginRefused, RateLimited, Store


class Clock:
    """A time source the test moves forward instead of sleeping."""

    def __init__(self) -> None:
        self.now = now_utc()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _try(accounts: Accounts, name: str, password: str, address: str = "10.0.0.1") -> str:
    try:
        accounts.login(name, password, address=address)
    except RateLimited as exc:
        return f"limited {exc.retry_after}"
    except LoginRefused:
        return "refused"
    return "ok"


def _form_login(c: TestClient, name: str, password: str):
    page = c.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return c.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def test_a_locked_account_never_blocks_a_colleague_at_the_same_address(client: TestClient) -> None:
    for _ in range(5):
        assert _form_login(client, "editor", "wrong-guess").status_code == 401
    locked = _form_login(client, "editor", PASSWORD)
    assert locked.status_code == 429 and "zhibao user unlock editor" in locked.text
    assert int(locked.headers["retry-after"]) > 0
    # Same address (the test client), another account, right password: straight in.
    colleague = _form_login(client, "chief", PASSWORD)
    assert colleague.status_code == 303 and "zhibao_session" in colleague.cookies


def test_the_account_lock_backs_off_and_unlock_lifts_it(world) -> None:
    clock = Clock()
    with Store.open(world.database_url) as store:
        accounts = Accounts(store, clock=clock)
        assert [_try(accounts, "editor", "wrong") for _ in range(5)] == ["refused"] * 5
        assert _try(accounts, "editor", PASSWORD).startswith("limited")
        assert accounts.user("editor").locked_until is not None
        waits = []
        for _ in range(3):  # each wrong password after a lock doubles the next lock
            retry = int(_try(accounts, "editor", PASSWORD).split()[1])
            waits.append(retry)
            clock.advance(retry)
            assert _try(accounts, "editor", "wrong again") == "refused"
        assert waits == [61, 121, 241]
        assert _try(accounts, "editor", PASSWORD, address="10.9.9.9").startswith("limited")
        lines = [e.line() for e in AuditLog(store).recent(action="login.locked")]
    assert lines and lines[-1].startswith("账号 editor 连续输错密码，已锁定至")

    result = CliRunner().invoke(
        cli, ["user", "unlock", "editor", "--database-url", world.database_url]
    )
    assert result.exit_code == 0, result.output
    with Store.open(world.database_url) as store:
        accounts = Accounts(store, clock=clock)
        assert _try(accounts, "editor", PASSWORD) == "ok"
        assert "命令行 解锁了账号 editor" in [e.line() for e in AuditLog(store).recent()]


def test_an_address_guessing_many_accounts_is_slowed_but_locks_nobody_out(world) -> None:
    clock = Clock()
    with Store.open(world.database_url) as store:
        accounts = Accounts(store, clock=clock)
        # Spraying one password over many names from one address.
        for i in range(10):
            assert _try(accounts, f"user{i}", "Summer2026!") == "refused"
        assert _try(accounts, "user10", "Summer2026!") == "refused"  # 11th: slowing starts
        waits = []
        for i in range(8):
            result = _try(accounts, f"spray{i}", "Summer2026!")
            assert result.startswith("limited"), result
            waits.append(int(result.split()[1]))
            clock.advance(waits[-1])
            assert _try(accounts, f"spray{i}", "Summer2026!") == "refused"
        assert waits[0] <= 2 and waits[-1] <= 31 and waits == sorted(waits)
        # A colleague behind the same address: at most a short wait, never a lockout.
        first = _try(accounts, "chief", PASSWORD)
        assert first.startswith("limited") and int(first.split()[1]) <= 31
        clock.advance(int(first.split()[1]))
        assert _try(accounts, "chief", PASSWORD) == "ok"
        # Elsewhere nobody waits at all.
        assert _try(accounts, "editor", PASSWORD, address="10.0.0.2") == "ok"
        assert [e.target for e in AuditLog(store).recent(action="login.throttled")] == ["10.0.0.1"]


def test_a_disabled_user_cannot_log_in_and_their_session_ends(world) -> None:
    with Store.open(world.database_url) as store:
        accounts = Accounts(store)
        session = accounts.login("editor", PASSWORD, address="10.0.0.1")
        assert accounts.session_user(session.token) is not None
        accounts.set_disabled("editor", True)
        assert accounts.session_user(session.token) is None
        assert _try(accounts, "editor", PASSWORD) == "refused"
        accounts.set_disabled("editor", False)
        assert _try(accounts, "editor", PASSWORD) == "ok"
