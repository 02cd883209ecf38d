"""The FastAPI application of the web desk.

>>> from zhibao.web import WebSettings, create_app
>>> app = create_app(WebSettings(database_url="sqlite:///zhibao.db"))
>>> # uvicorn.run(app, host="127.0.0.1", port=8000)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from zhibao.config import resolve_paths
from zhibao.runs.desk import Desk
from zhibao.web import (
    routes_admin,
    routes_archive,
    routes_auth,
    routes_candidates,
    routes_desk,
    routes_output,
    routes_sources,
    routes_trends,
)
from zhibao.web.security import NotLoggedIn, csrf_guard, security_headers
from zhibao.web.settings import WebSettings
from zhibao.web.state import HERE, DeskApp, current_session, make_templates

__all__ = ["create_app"]

ROUTES = (
    routes_auth,
    routes_desk,
    routes_candidates,
    routes_output,
    routes_archive,
    routes_sources,
    routes_trends,
    routes_admin,
)


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """Build the desk app: opens (and migrates) the store and loads brand, profile and sources."""
    settings = settings or WebSettings()
    paths = resolve_paths(settings.config_dir)
    data_dir = Path(settings.data_dir or paths.data_dir)
    desk = Desk.open(
        settings.database_url,
        config_dir=paths.config_dir,
        data_dir=data_dir,
        writer=settings.writer,
    )
    state = DeskApp(settings=settings, desk=desk, data_dir=data_dir, templates=make_templates())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        desk.close()

    app = FastAPI(
        title="智报编辑台",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_guard)],
    )
    app.state.desk = state
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    for module in ROUTES:
        app.include_router(module.router)

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        if current_session(request) is None:
            target = "/archive" if settings.public_archive else "/login"
        else:
            latest = state.latest_date()
            target = f"/desk/{latest}" if latest else "/archive"
        return RedirectResponse(target, status_code=303)

    @app.middleware("http")
    async def headers(request: Request, call_next):  # noqa: ANN001, ANN202 - Starlette signature
        response = await call_next(request)
        if request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "public, max-age=3600")
        security_headers(response)
        return response

    @app.exception_handler(NotLoggedIn)
    async def not_logged_in(request: Request, _exc: NotLoggedIn) -> Response:
        if request.method == "GET" and "hx-request" not in request.headers:
            return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
        return PlainTextResponse("请先登录 (login required)", status_code=401)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if "hx-request" in request.headers or request.method != "GET":
            return PlainTextResponse(
                str(exc.detail), status_code=exc.status_code, headers=exc.headers
            )
        return state.page(request, "error.html", status_code=exc.status_code, message=exc.detail)

    return app
