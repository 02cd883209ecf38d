"""Sessions, CSRF and security headers of the web desk.

- The session cookie is HttpOnly, SameSite=Lax, and Secure on HTTPS; it carries a random token
  whose hash is looked up in the store.
- Every request that is not GET/HEAD/OPTIONS must carry the session's CSRF token, in the
  ``X-CSRF-Token`` header (htmx) or the ``csrf_token`` form field; the login form, which has
  no session yet, uses a double-submit cookie.
- Roles: ``Editor`` is any logged-in user (all roles edit), ``Chief`` may approve and publish,
  ``Admin`` manages accounts; a missing role is a 403 with the reason.
- Topics: an account with topics of its own (``zhibao user topics``) opens only those; the
  request's topic comes from the ``X-Zhibao-Topic`` header (htmx), a ``topic`` query or form
  field, else the topic cookie (``topic_guard``).
- Pages forbid inline scripts and foreign origins through Content-Security-Policy.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated
from urllib.parse import unquote

from fastapi import Depends, HTTPException, Request, Response

from zhibao.store import User
from zhibao.web.state import TOPIC_COOKIE, TOPIC_HEADER, current_session, desk_app

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
    "topic_guard",
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


async def topic_guard(request: Request) -> None:
    """App-wide dependency: choose the request's topic and refuse one the user does not work on.

    A topic named by the request itself (header, query, form) must exist (else 404) and be
    the user's (else 403); the cookie's is only a preference, replaced by the user's first
    topic when it no longer fits."""
    app = request.app.state.desk
    named = request.headers.get(TOPIC_HEADER)
    named = unquote(named) if named else request.query_params.get("topic")
    if not named and request.method not in SAFE_METHODS:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get("topic")
            named = value if isinstance(value, str) else None
    session = current_session(request)
    allowed = app.user_topics(session.user if session else None)
    if named:
        if named not in app.desks:
            known = "、".join(app.desks)
            raise HTTPException(404, f"没有主题「{named}」；本编辑台的主题：{known} (unknown topic)")
        if named not in allowed:
            raise HTTPException(
                403,
                f"权限不足：你不负责主题「{named}」（你负责：{'、'.join(allowed) or '无'}）；"
                "请管理员运行 zhibao user topics 调整 (forbidden topic)",
            )
        request.scope["zhibao_topic"] = named
        return
    if not allowed:
        raise HTTPException(403, "权限不足：你负责的主题都不在本编辑台 (no topic of yours here)")
    preferred = unquote(request.cookies.get(TOPIC_COOKIE, ""))
    request.scope["zhibao_topic"] = preferred if preferred in allowed else allowed[0]


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
