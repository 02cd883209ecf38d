"""The audit log: who logged in, approved, published or changed an account, and when.

Rows are only ever added. Each entry reads as one Chinese line on the desk's audit page::

    >>> log = AuditLog(store)
    >>> log.record("张三", "approve", "2026-05-25 v3")
    >>> log.recent()[0].line()
    '张三 批准了 2026-05-25 第 3 版'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from zhibao.core.time import now_utc
from zhibao.store.desk_tables import AuditRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from zhibao.store._store import Store

__all__ = ["CLI_ACTOR", "AuditEntry", "AuditLog", "add_audit"]

CLI_ACTOR = "cli"  # the actor of account commands run by hand on the server

ROLE_NAMES = {"editor": "编辑", "chief": "主编", "admin": "管理员"}

# action → sentence; {actor}, {target} (a brief "2026-05-25 v3" reads "2026-05-25 第 3 版")
# and {detail} are filled in.
_SENTENCES = {
    "login": "{actor} 登录了编辑台（{detail}）",
    "logout": "{actor} 退出了编辑台",
    "login.locked": "账号 {target} 连续输错密码，已锁定至 {detail}",
    "login.throttled": "地址 {target} 登录失败过多，已放慢该地址的登录（{detail}）",
    "login.disabled": "已停用的账号 {target} 尝试登录（{detail}）",
    "approve": "{actor} 批准了 {target}",
    "publish": "{actor} 发布了 {target}：{detail}",
    "user.add": "{actor} 添加了用户 {target}（{detail}）",
    "user.passwd": "{actor} 重设了 {target} 的密码",
    "user.role": "{actor} 把 {target} 的角色改为{detail}",
    "user.disable": "{actor} 停用了账号 {target}",
    "user.enable": "{actor} 恢复了账号 {target}",
    "user.unlock": "{actor} 解锁了账号 {target}",
    "user.remove": "{actor} 删除了用户 {target}",
    "user.topics": "{actor} 把 {target} 负责的主题改为{detail}",
}
_VERSION = re.compile(r"^(\d{4}-\d{2}-\d{2}) v(\d+)$")


def brief_target(day: object, number: int) -> str:
    """How a brief version is named in ``target``: ``"2026-05-25 v3"``."""
    return f"{day} v{number}"


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    target: str
    detail: str

    def line(self) -> str:
        """The entry as a sentence: ``张三 批准了 2026-05-25 第 3 版``."""
        actor = "命令行" if self.actor == CLI_ACTOR else self.actor
        target = _VERSION.sub(r"\1 第 \2 版", self.target)
        template = _SENTENCES.get(self.action)
        if template is None:
            return f"{actor} {self.action} {target} {self.detail}".strip()
        return template.format(actor=actor, target=target, detail=self.detail).replace("（）", "")


def add_audit(
    session: Session, actor: str, action: str, target: str = "", detail: str = ""
) -> None:
    """Add one entry inside the caller's transaction (so the action and its record commit
    together)."""
    session.add(
        AuditRow(
            at=now_utc(),
            actor=actor[:100],
            action=action[:50],
            target=target[:200],
            detail=detail,
        )
    )


class AuditLog:
    """The audit log of one store."""

    def __init__(self, store: Store):
        self._sessions = store._sessions

    def record(self, actor: str, action: str, target: str = "", detail: str = "") -> None:
        with self._sessions() as session, session.begin():
            add_audit(session, actor, action, target, detail)

    def recent(self, limit: int = 200, *, action: str | None = None) -> list[AuditEntry]:
        """The newest ``limit`` entries, newest first; ``action``: only that action, or a
        family such as ``"user."``."""
        with self._sessions() as session:
            query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
            if action:
                if action.endswith("."):
                    query = query.where(AuditRow.action.startswith(action))
                else:
                    query = query.where(AuditRow.action == action)
            return [
                AuditEntry(r.at, r.actor, r.action, r.target, r.detail)
                for r in session.scalars(query).all()
            ]
