"""Logging in and out."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from zhibao.store import LoginRefused, RateLimited
from zhibao.web.security import LOGIN_CSRF_COOKIE, login_csrf_token, set_cookie
from zhibao.web.state import SESSION_COOKIE, current_session, desk_app

router = APIRouter()


def _next(target: str | None) -> str:
    # Only a path on this site: "//evil.example" or "https://…" would be an open redirect.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    token = login_csrf_token(request)
    response = desk_app(request).page(
        request, "login.html", login_csrf=token, next=_next(next), error=None
    )
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token)
    return response


@router.post("/login")
def login(
    request: Request,
    name: str = Form(...),
    password: str = Form(...),
    next: str = Form("/"),
) -> Response:
    app = desk_app(request)
    address = request.client.host if request.client else "unknown"
    token = login_csrf_token(request)
    try:
        session = app.accounts.login(name.strip(), password, address=address)
    except RateLimited as exc:
        response = app.page(
            request,
            "login.html",
            status_code=429,
            login_csrf=token,
            next=_next(next),
            error=str(exc),
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except LoginRefused as exc:
        return app.page(
            request,
            "login.html",
            status_code=401,
            login_csrf=token,
            next=_next(next),
            error=str(exc),
        )
    response = RedirectResponse(_next(next), status_code=303)
    set_cookie(request, response, SESSION_COOKIE, session.token)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    session = current_session(request)
    if session is not None:
        desk_app(request).accounts.logout(session.token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
