"""Local accounts of the web desk: roles, argon2 passwords, sessions and login throttling.

>>> accounts = Accounts(store)
>>> accounts.add_user("wang", "a long passphrase", role="chief")
>>> session = accounts.login("wang", "a long passphrase", address="127.0.0.1")
>>> accounts.session_user(session.token).user.can("approve")
True

Roles: ``editor`` edits, regenerates and proposes; ``chief`` also approves and publishes;
``admin`` also manages users (an admin could make themselves chief anyway, so keeping approval
from admins would only look safer).

Throttling, per account and per address, with backoff:

- An account is locked after ``ACCOUNT_FREE_FAILURES`` wrong passwords (counted since its last
  good login, forgotten after a day): first for one minute, doubling with each further wrong
  password up to an hour. The lock covers that name only, from every address, until it runs
  out or ``zhibao user unlock NAME``. Unknown names lock the same way, so locks reveal nothing.
- An address with more than ``ADDRESS_FREE_FAILURES`` wrong passwords in 15 minutes must wait
  between tries: 1 s, 2 s, 4 s … at most ``ADDRESS_MAX_DELAY`` after its last wrong password.
  That slows guessing across many accounts to two tries a minute, while a colleague behind the
  same NAT address logs in with the right password after at most that short wait — an address
  never locks anyone out, and a locked account never blocks another account.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from zhibao.core.errors import ZhibaoError
from zhibao.core.time import SHANGHAI, now_utc
from zhibao.store.audit import CLI_ACTOR, ROLE_NAMES, add_audit
from zhibao.store.desk_tables import LoginFailureRow, UserRow, UserTopicRow, WebSessionRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from zhibao.store._store import Store

__all__ = [
    "PERMISSIONS",
    "ROLES",
    "AccountError",
    "Accounts",
    "LoginRefused",
    "RateLimited",
    "User",
    "WebSession",
    "can",
]

ROLES = ("editor", "chief", "admin")
PERMISSIONS: dict[str, frozenset[str]] = {
    "editor": frozenset({"edit"}),
    "chief": frozenset({"edit", "approve", "publish"}),
    "admin": frozenset({"edit", "approve", "publish", "manage"}),
}
ACCOUNT_FREE_FAILURES = 5
ACCOUNT_FIRST_LOCK = timedelta(minutes=1)
ACCOUNT_MAX_LOCK = timedelta(hours=1)
FAILURE_MEMORY = timedelta(days=1)
ADDRESS_FREE_FAILURES = 10
ADDRESS_WINDOW = timedelta(minutes=15)
ADDRESS_MAX_DELAY = timedelta(seconds=30)
SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD = 8

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ZhibaoError):
    """An account cannot be created or changed (bad role, short password, no such user…)."""


class LoginRefused(ZhibaoError):
    """Wrong name or password (deliberately not saying which), or a disabled account."""


class RateLimited(ZhibaoError):
    """Too many wrong passwords recently; ``retry_after`` seconds until the next try."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def can(role: str, permission: str) -> bool:
    """Whether ``role`` grants ``permission`` (edit, approve, publish, manage)."""
    return permission in PERMISSIONS.get(role, frozenset())


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    disabled: bool = False
    locked_until: datetime | None = None

    def can(self, permission: str) -> bool:
        return not self.disabled and can(self.role, permission)

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)


@dataclass(frozen=True)
class WebSession:
    token: str  # goes into the cookie; only its hash is stored
    csrf_token: str
    user: User
    expires_at: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def _user(row: UserRow, now: datetime | None = None) -> User:
    locked = row.locked_until
    if locked is not None and now is not None and locked <= now:
        locked = None
    return User(row.id, row.name, row.role, bool(row.disabled), locked)


def _minutes(delta: timedelta) -> str:
    seconds = max(int(delta.total_seconds()), 1)
    return f"{seconds} 秒" if seconds < 60 else f"{-(-seconds // 60)} 分钟"


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 个字符 (password too short)")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"未知角色 {role!r}；可选：{', '.join(ROLES)}（编辑、主编、管理员）")


class Accounts:
    """Users, sessions, failed logins and the account entries of the audit log of one store.

    ``clock`` is the time source (a test passes a later time instead of sleeping)."""

    def __init__(self, store: Store, *, clock: Callable[[], datetime] = now_utc):
        self._sessions = store._sessions
        self._clock = clock

    # ------------------------------------------------------------------ users

    def add_user(
        self, name: str, password: str, *, role: str = "editor", actor: str = CLI_ACTOR
    ) -> User:
        name = name.strip()
        if not name or len(name) > 100:
            raise AccountError("用户名不能为空，且不超过 100 个字符")
        _check_role(role)
        _check_password(password)
        row = UserRow(
            name=name,
            role=role,
            password_hash=_hasher.hash(password),
            created_at=self._clock(),
            disabled=False,
        )
        try:
            with self._sessions() as session, session.begin():
                session.add(row)
                session.flush()
                add_audit(session, actor, "user.add", name, ROLE_NAMES[role])
                return _user(row)
        except IntegrityError:
            raise AccountError(f"用户 {name!r} 已存在 (user exists)") from None

    def users(self) -> list[User]:
        now = self._clock()
        with self._sessions() as session:
            rows = session.scalars(select(UserRow).order_by(UserRow.name)).all()
            return [_user(r, now) for r in rows]

    def user(self, name: str) -> User | None:
        with self._sessions() as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            return _user(row, self._clock()) if row else None

    def set_password(self, name: str, password: str, *, actor: str = CLI_ACTOR) -> User:
        """A new password; the user's open sessions end."""
        _check_password(password)
        with self._sessions() as session, session.begin():
            row = self._row(session, name)
            row.password_hash = _hasher.hash(password)
            session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))
            add_audit(session, actor, "user.passwd", name)
            return _user(row)

    def set_role(self, name: str, role: str, *, actor: str = CLI_ACTOR) -> User:
        _check_role(role)
        with self._sessions() as session, session.begin():
            row = self._row(session, name)
            row.role = role
            add_audit(session, actor, "user.role", name, ROLE_NAMES[role])
            return _user(row)

    def set_disabled(self, name: str, disabled: bool, *, actor: str = CLI_ACTOR) -> User:
        """Disable (their sessions end at once) or enable an account."""
        with self._sessions() as session, session.begin():
            row = self._row(session, name)
            row.disabled = disabled
            if disabled:
                session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))
            add_audit(session, actor, "user.disable" if disabled else "user.enable", name)
            return _user(row)

    def unlock(self, name: str, *, actor: str = CLI_ACTOR) -> User:
        """Lift a lock from wrong passwords: the name's failures are forgotten."""
        with self._sessions() as session, session.begin():
            row = self._row(session, name)
            row.locked_until = None
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.name == name))
            add_audit(session, actor, "user.unlock", name)
            return _user(row)

    def remove(self, name: str, *, actor: str = CLI_ACTOR) -> None:
        """Delete the account and its sessions (versions keep the name as their author)."""
        with self._sessions() as session, session.begin():
            row = self._row(session, name)
            session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))
            session.execute(delete(UserTopicRow).where(UserTopicRow.user_id == row.id))
            session.delete(row)
            add_audit(session, actor, "user.remove", name)

    # ------------------------------------------------------------------ topics

    def topics(self, name: str) -> list[str]:
        """The topics ``name`` works on, by name; empty: every topic of the home."""
        with self._sessions() as session:
            row = self._row(session, name)
            return self._topics(session, row.id)

    def works_on(self, user: User, topic: str) -> bool:
        """Whether ``user`` may open and edit the briefs of ``topic``."""
        with self._sessions() as session:
            mine = self._topics(session, user.id)
        return not mine or topic in mine

    def set_topics(
        self,
        name: str,
        *,
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
        actor: str = CLI_ACTOR,
    ) -> list[str]:
        """Add and remove topics of ``name``; the topics they work on afterwards (empty:
        every topic). Whether a topic exists is the caller's to check (the config knows)."""
        with self._sessions() as session, session.begin():
            row = self._row(session, name)
            before = self._topics(session, row.id)
            for topic in dict.fromkeys(t.strip() for t in add):
                if topic and topic not in before:
                    session.add(UserTopicRow(user_id=row.id, topic=topic[:200]))
            if remove:
                session.execute(
                    delete(UserTopicRow).where(
                        UserTopicRow.user_id == row.id, UserTopicRow.topic.in_(list(remove))
                    )
                )
            session.flush()
            after = self._topics(session, row.id)
            if after != before:
                add_audit(session, actor, "user.topics", name, "、".join(after) or "全部主题")
            return after

    @staticmethod
    def _topics(session: Session, user_id: int) -> list[str]:
        rows = session.scalars(
            select(UserTopicRow.topic)
            .where(UserTopicRow.user_id == user_id)
            .order_by(UserTopicRow.topic)
        )
        return list(rows)

    def _row(self, session: Session, name: str) -> UserRow:
        row = session.scalar(select(UserRow).where(UserRow.name == name))
        if row is None:
            raise AccountError(f"没有用户 {name!r}（zhibao user list 列出全部用户）(no such user)")
        return row

    # ------------------------------------------------------------------ logging in

    def verify(self, name: str, password: str, *, address: str) -> User:
        """The user of a right name and password, under the same throttling as ``login``
        (``zhibao approve --as NAME`` asks for the password this way)."""
        return self._authenticate(name, password, address, self._clock())

    def login(self, name: str, password: str, *, address: str) -> WebSession:
        """A new session for ``name``; raises ``RateLimited`` (checked before the password,
        so guessing stays slowed) or ``LoginRefused``."""
        now = self._clock()
        user = self._authenticate(name, password, address, now)
        with self._sessions() as session, session.begin():
            session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            expires = now + SESSION_LIFETIME
            session.add(
                WebSessionRow(
                    token_hash=_digest(token),
                    user_id=user.id,
                    csrf_token=csrf,
                    created_at=now,
                    expires_at=expires,
                )
            )
            add_audit(session, name, "login", name, f"来自 {address}")
        return WebSession(token, csrf, user, expires)

    def _authenticate(self, name: str, password: str, address: str, now: datetime) -> User:
        name, address = name[:100], address[:64]
        self._refuse_if_throttled(name, address, now)
        with self._sessions() as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            stored = row.password_hash if row else _DUMMY_HASH
            try:
                ok = _hasher.verify(stored, password) and row is not None
            except (VerificationError, InvalidHashError):
                ok = False
        if not ok:
            self._record_failure(name, address, now)
            raise LoginRefused("用户名或密码错误")
        assert row is not None
        if row.disabled:
            with self._sessions() as session, session.begin():
                add_audit(session, name, "login.disabled", name, f"来自 {address}")
            raise LoginRefused("该账号已停用，请联系管理员（zhibao user enable）")
        with self._sessions() as session, session.begin():
            fresh = session.get(UserRow, row.id)
            if _hasher.check_needs_rehash(fresh.password_hash):
                fresh.password_hash = _hasher.hash(password)
            fresh.locked_until = None
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.name == name))
            return _user(fresh)

    def _record_failure(self, name: str, address: str, now: datetime) -> None:
        with self._sessions() as session, session.begin():
            session.add(LoginFailureRow(name=name, address=address, at=now))
            session.flush()
            lock = self._account_lock(session, name)
            if lock is not None:
                row = session.scalar(select(UserRow).where(UserRow.name == name))
                if row is not None:
                    row.locked_until = lock
                    local = lock.astimezone(SHANGHAI).strftime("%H:%M:%S")
                    add_audit(session, name, "login.locked", name, f"{local}，来自 {address}")
            count, _last = self._address_failures(session, address, now)
            if count == ADDRESS_FREE_FAILURES + 1:  # logged once, when the slowing starts
                add_audit(session, name, "login.throttled", address, f"15 分钟内 {count} 次错误")

    def _account_lock(self, session: Session, name: str) -> datetime | None:
        """Until when ``name`` is locked by its own wrong passwords (None: not locked)."""
        count, last = session.execute(
            select(func.count(LoginFailureRow.id), func.max(LoginFailureRow.at)).where(
                LoginFailureRow.name == name, LoginFailureRow.at >= self._clock() - FAILURE_MEMORY
            )
        ).one()
        if count < ACCOUNT_FREE_FAILURES:
            return None
        extra = min(count - ACCOUNT_FREE_FAILURES, 12)  # 2**12 minutes is past the cap anyway
        return last + min(ACCOUNT_FIRST_LOCK * 2**extra, ACCOUNT_MAX_LOCK)

    def _address_failures(
        self, session: Session, address: str, now: datetime
    ) -> tuple[int, datetime | None]:
        return session.execute(
            select(func.count(LoginFailureRow.id), func.max(LoginFailureRow.at)).where(
                LoginFailureRow.address == address, LoginFailureRow.at >= now - ADDRESS_WINDOW
            )
        ).one()

    def _refuse_if_throttled(self, name: str, address: str, now: datetime) -> None:
        with self._sessions() as session:
            count, last = self._address_failures(session, address, now)
            if count > ADDRESS_FREE_FAILURES and last is not None:
                extra = min(count - ADDRESS_FREE_FAILURES - 1, 10)
                delay = min(timedelta(seconds=2**extra), ADDRESS_MAX_DELAY)
                if now < last + delay:
                    wait = last + delay - now
                    raise RateLimited(
                        f"此地址登录失败过多，请 {_minutes(wait)}后再试",
                        max(int(wait.total_seconds()) + 1, 1),
                    )
            lock = self._account_lock(session, name)
            if lock is not None and now < lock:
                raise RateLimited(
                    f"账号 {name} 因多次输错密码已暂时锁定，请 {_minutes(lock - now)}后再试，"
                    f"或请管理员运行 zhibao user unlock {name}",
                    max(int((lock - now).total_seconds()) + 1, 1),
                )

    # ------------------------------------------------------------------ sessions

    def session_user(self, token: str | None) -> WebSession | None:
        """The live session of a cookie token, or None (unknown, expired, account disabled)."""
        if not token:
            return None
        with self._sessions() as session:
            found = session.execute(
                select(WebSessionRow, UserRow)
                .join(UserRow, UserRow.id == WebSessionRow.user_id)
                .where(WebSessionRow.token_hash == _digest(token))
            ).first()
            if found is None or found[0].expires_at <= self._clock() or found[1].disabled:
                return None
            row, user = found
            return WebSession(token, row.csrf_token, _user(user), row.expires_at)

    def logout(self, token: str) -> None:
        with self._sessions() as session, session.begin():
            name = session.scalar(
                select(UserRow.name)
                .join(WebSessionRow, UserRow.id == WebSessionRow.user_id)
                .where(WebSessionRow.token_hash == _digest(token))
            )
            session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == _digest(token)))
            if name:
                add_audit(session, name, "logout", name)
