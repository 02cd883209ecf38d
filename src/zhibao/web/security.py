"""Sessions, CSRF and security headers of the web desk.

- The session cookie is HttpOnly, SameSite=Lax, and Secure on HTTPS; it carries a random token
  whose hash is looked up in the store.
- Every request that is not GET/HEAD/OPTIONS must carry the session's CSRF token, in the
  ``X-CSRF-Token`` header (htmx) or the ``csrf_token`` form field; the login form, which has
  no session yet, uses a double-submit cookie.
- Roles: ``Editor`` is any logged-in user (all roles edit), ``Chief`` may approve and publish,
  ``Admin`` manages accounts; a missing role is a 403 with the reason.
- Pages forbid inline scripts and foreign origins through Content-Security-Policy.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Response

from zhibao.store import User
from zhibao.web.state import current_session, desk_app

__all__ = [
    "Admin",
    "Chief",
    "Editor",
    "LOGIN_CSRF_COOKIE",
    "NotLoggedIn",
    "Reader",
    "csrf_guard",
    "editor",
    "login_csrf_token",
    "requires",
    "reader",
    "security_headers",
    "set_cookie",
]

LOGIN_CSRF_COOKIE = "zhibao_login_csrf"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'"
)


class NotLoggedIn(Exception):
    """Raised by the ``editor`` dependency; pages redirect to the login form, the rest get 401."""


def editor(request: Request) -> User:
    """Dependency: the logged-in user, or ``NotLoggedIn``."""
    session = current_session(request)
    if session is None:
        raise NotLoggedIn()
    return session.user


Editor = Annotated[User, Depends(editor)]

PERMISSION_NAMES = {
    "approve": "主编（chief）才能批准和发布",
    "publish": "主编（chief）才能批准和发布",
    "manage": "管理员（admin）才能管理账号",
}


def requires(permission: str):  # noqa: ANN201 - a FastAPI dependency
    """Dependency factory: the logged-in user if their role grants ``permission``
    (``edit``, ``approve``, ``publish``, ``manage``), else 403."""

    def dependency(request: Request) -> User:
        user = editor(request)
        if not user.can(permission):
            why = PERMISSION_NAMES.get(permission, permission)
            raise HTTPException(403, f"权限不足：{why}，你的角色是{user.role_name} (forbidden)")
        return user

    return dependency


Chief = Annotated[User, Depends(requires("approve"))]  # approve and publish
Admin = Annotated[User, Depends(requires("manage"))]  # users and the audit log


def reader(request: Request) -> User | None:
    """Dependency of archive pages: anyone when the archive is public, else an editor."""
    session = current_session(request)
    if session is None and not desk_app(request).settings.public_archive:
        raise NotLoggedIn()
    return session.user if session else None


Reader = Annotated[User | None, Depends(reader)]


async def csrf_guard(request: Request) -> None:
    """App-wide dependency: refuse a state-changing request without the right CSRF token."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get("x-csrf-token")
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get("csrf_token")
            sent = value if isinstance(value, str) else None
    session = current_session(request)
    if session is None or request.url.path == "/login":
        expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    else:
        expected = session.csrf_token
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "CSRF 校验失败：请刷新页面后重试 (missing or wrong CSRF token)")


def login_csrf_token(request: Request) -> str:
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)


def set_cookie(
    request: Request, response: Response, name: str, value: str, *, max_age: int | None = None
) -> None:
    secure = desk_app(request).settings.secure_cookies
    if secure is None:
        secure = request.url.scheme == "https"
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="lax", secure=secure, path="/"
    )


def security_headers(response: Response, *, csp: str = PAGE_CSP) -> None:
    response.headers.setdefault("Content-Security-Policy", csp)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Cache-Control", "no-store")
