"""Local accounts of the web desk: argon2 passwords, sessions, and the login rate limit.

>>> accounts = Accounts(store)
>>> accounts.add_user("wang", "a long passphrase", role="editor")
>>> session = accounts.login("wang", "a long passphrase", address="127.0.0.1")
>>> accounts.session_user(session.token).name
'wang'
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from zhibao.core.errors import ZhibaoError
from zhibao.core.time import now_utc
from zhibao.store.desk_tables import LoginFailureRow, UserRow, WebSessionRow

if TYPE_CHECKING:
    from zhibao.store._store import Store

__all__ = ["ROLES", "Accounts", "AccountError", "LoginRefused", "RateLimited", "User", "WebSession"]

ROLES = ("editor", "admin")
MAX_FAILURES = 5  # wrong passwords per name (or per address) within FAILURE_WINDOW
FAILURE_WINDOW = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD = 8

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ZhibaoError):
    """An account cannot be created or changed (bad role, short password, name taken)."""


class LoginRefused(ZhibaoError):
    """Wrong name or password (deliberately not saying which)."""


class RateLimited(ZhibaoError):
    """Too many wrong passwords recently; ``retry_after`` seconds until the next try."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str


@dataclass(frozen=True)
class WebSession:
    token: str  # goes into the cookie; only its hash is stored
    csrf_token: str
    user: User
    expires_at: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


class Accounts:
    """Users, sessions and failed logins of one store."""

    def __init__(self, store: Store):
        self._sessions = store._sessions

    # ------------------------------------------------------------------ users

    def add_user(self, name: str, password: str, *, role: str = "editor") -> User:
        name = name.strip()
        if not name or len(name) > 100:
            raise AccountError("用户名不能为空，且不超过 100 个字符")
        if role not in ROLES:
            raise AccountError(f"未知角色 {role!r}；可选：{', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"密码至少 {MIN_PASSWORD} 个字符 (password too short)")
        row = UserRow(
            name=name, role=role, password_hash=_hasher.hash(password), created_at=now_utc()
        )
        try:
            with self._sessions() as session, session.begin():
                session.add(row)
                session.flush()
                return User(row.id, row.name, row.role)
        except IntegrityError:
            raise AccountError(f"用户 {name!r} 已存在 (user exists)") from None

    def users(self) -> list[User]:
        with self._sessions() as session:
            rows = session.scalars(select(UserRow).order_by(UserRow.name)).all()
            return [User(r.id, r.name, r.role) for r in rows]

    # ------------------------------------------------------------------ logging in

    def login(self, name: str, password: str, *, address: str) -> WebSession:
        """A new session for ``name``; raises ``RateLimited`` after too many recent failures
        (checked before the password, so guessing stays blocked) or ``LoginRefused``."""
        now = now_utc()
        self._refuse_if_limited(name, address, now)
        with self._sessions() as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            stored = row.password_hash if row else _DUMMY_HASH
            try:
                ok = _hasher.verify(stored, password) and row is not None
            except (VerificationError, InvalidHashError):
                ok = False
        if not ok:
            with self._sessions() as session, session.begin():
                session.add(LoginFailureRow(name=name[:100], address=address[:64], at=now))
            raise LoginRefused("用户名或密码错误")
        with self._sessions() as session, session.begin():
            if _hasher.check_needs_rehash(row.password_hash):
                session.get(UserRow, row.id).password_hash = _hasher.hash(password)
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.name == name))
            session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            expires = now + SESSION_LIFETIME
            session.add(
                WebSessionRow(
                    token_hash=_digest(token),
                    user_id=row.id,
                    csrf_token=csrf,
                    created_at=now,
                    expires_at=expires,
                )
            )
        return WebSession(token, csrf, User(row.id, row.name, row.role), expires)

    def _refuse_if_limited(self, name: str, address: str, now: datetime) -> None:
        since = now - FAILURE_WINDOW
        with self._sessions() as session:
            for column, value in ((LoginFailureRow.name, name), (LoginFailureRow.address, address)):
                count, oldest = session.execute(
                    select(func.count(LoginFailureRow.id), func.min(LoginFailureRow.at)).where(
                        column == value, LoginFailureRow.at >= since
                    )
                ).one()
                if count >= MAX_FAILURES:
                    wait = int((oldest + FAILURE_WINDOW - now).total_seconds()) + 1
                    raise RateLimited(
                        f"密码错误次数过多，请 {max(wait, 1) // 60 + 1} 分钟后再试", max(wait, 1)
                    )

    def session_user(self, token: str | None) -> WebSession | None:
        """The live session of a cookie token, or None (unknown or expired)."""
        if not token:
            return None
        with self._sessions() as session:
            found = session.execute(
                select(WebSessionRow, UserRow)
                .join(UserRow, UserRow.id == WebSessionRow.user_id)
                .where(WebSessionRow.token_hash == _digest(token))
            ).first()
            if found is None or found[0].expires_at <= now_utc():
                return None
            row, user = found
            return WebSession(
                token, row.csrf_token, User(user.id, user.name, user.role), row.expires_at
            )

    def logout(self, token: str) -> None:
        with self._sessions() as session, session.begin():
            session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == _digest(token)))

    def forget_failures(self, name: str | None = None, address: str | None = None) -> None:
        """Clear recorded failures (an admin unlocking an account)."""
        with self._sessions() as session, session.begin():
            session.execute(
                delete(LoginFailureRow).where(
                    or_(LoginFailureRow.name == name, LoginFailureRow.address == address)
                )
            )
