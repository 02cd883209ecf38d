"""Accounts and the audit log: ``/users`` for admins, ``/audit`` for chiefs and admins.

Every change made here is written to the audit log with the admin's name, as the CLI's
``zhibao user …`` commands are with ``cli``.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from zhibao.store import ROLES, AccountError, AuditLog
from zhibao.web.security import Admin, Chief
from zhibao.web.state import desk_app

router = APIRouter()

AUDIT_KINDS = {
    "": "全部",
    "approve": "批准",
    "publish": "发布",
    "login": "登录",
    "user.": "账号变更",
}


@router.get("/audit")
def audit(request: Request, _user: Chief, kind: str = "") -> Response:
    app = desk_app(request)
    kind = kind if kind in AUDIT_KINDS else ""
    entries = AuditLog(app.desk.store).recent(300, action=kind or None)
    return app.page(request, "audit.html", entries=entries, kind=kind, kinds=AUDIT_KINDS)


def _users_page(request: Request, *, message: str = "", error: str = "", status: int = 200):
    app = desk_app(request)
    return app.page(
        request,
        "users.html",
        status_code=status,
        users=app.accounts.users(),
        roles=ROLES,
        message=message,
        error=error,
    )


@router.get("/users")
def users(request: Request, _user: Admin, done: str = "") -> Response:
    return _users_page(request, message=done[:200])


def _change(request: Request, admin_name: str, target: str, change, done: str) -> Response:
    """Apply one account change; back to the list with what happened (or why not)."""
    if target == admin_name:
        # An admin who disables or demotes themselves locks the desk out of user management.
        return _users_page(
            request, error="不能在网页上更改自己的账号；请用 zhibao user 命令", status=400
        )
    try:
        change()
    except AccountError as exc:
        return _users_page(request, error=str(exc), status=400)
    return RedirectResponse(f"/users?done={quote(done)}", status_code=303)


@router.post("/users")
def add_user(
    request: Request,
    user: Admin,
    name: str = Form(...),
    role: str = Form("editor"),
    password: str = Form(...),
) -> Response:
    accounts = desk_app(request).accounts
    try:
        added = accounts.add_user(name, password, role=role, actor=user.name)
    except AccountError as exc:
        return _users_page(request, error=str(exc), status=400)
    return RedirectResponse(f"/users?done={quote('已添加 ' + added.name)}", status_code=303)


@router.post("/users/disable")
def disable(request: Request, user: Admin, name: str = Form(...)) -> Response:
    accounts = desk_app(request).accounts
    return _change(
        request,
        user.name,
        name,
        lambda: accounts.set_disabled(name, True, actor=user.name),
        f"已停用 {name}",
    )


@router.post("/users/enable")
def enable(request: Request, user: Admin, name: str = Form(...)) -> Response:
    accounts = desk_app(request).accounts
    return _change(
        request,
        user.name,
        name,
        lambda: accounts.set_disabled(name, False, actor=user.name),
        f"已恢复 {name}",
    )


@router.post("/users/unlock")
def unlock(request: Request, user: Admin, name: str = Form(...)) -> Response:
    accounts = desk_app(request).accounts
    return _change(
        request, user.name, name, lambda: accounts.unlock(name, actor=user.name), f"已解锁 {name}"
    )


@router.post("/users/role")
def set_role(
    request: Request, user: Admin, name: str = Form(...), role: str = Form(...)
) -> Response:
    accounts = desk_app(request).accounts
    return _change(
        request,
        user.name,
        name,
        lambda: accounts.set_role(name, role, actor=user.name),
        f"已修改 {name} 的角色",
    )


@router.post("/users/password")
def set_password(
    request: Request, user: Admin, name: str = Form(...), password: str = Form(...)
) -> Response:
    accounts = desk_app(request).accounts
    return _change(
        request,
        user.name,
        name,
        lambda: accounts.set_password(name, password, actor=user.name),
        f"已重设 {name} 的密码",
    )
