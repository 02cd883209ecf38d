"""The FastAPI application of the web desk.

>>> from zhibao.web import WebSettings, create_app
>>> app = create_app(WebSettings(database_url="sqlite:///zhibao.db"))
>>> # uvicorn.run(app, host="127.0.0.1", port=8000)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from zhibao.config import (
    Brand,
    Profile,
    archive_dir,
    load_brand,
    load_profile,
    load_sources,
    resolve_paths,
)
from zhibao.core.model import Source
from zhibao.core.time import SHANGHAI
from zhibao.runs.desk import Desk
from zhibao.store import Store
from zhibao.store.accounts import Accounts
from zhibao.web.security import NotLoggedIn, csrf_guard, current_session, security_headers
from zhibao.web.settings import WebSettings

__all__ = ["DeskApp", "create_app"]

HERE = Path(__file__).parent


@dataclass
class DeskApp:
    """Everything the routes share, kept on ``app.state.desk``."""

    settings: WebSettings
    store: Store
    accounts: Accounts
    desk: Desk
    profile: Profile
    brand: Brand
    sources: list[Source]
    data_dir: Path
    templates: Jinja2Templates
    rendered: dict[tuple, bytes] = field(default_factory=dict)  # (date, version, format) → file
    cache: dict[str, Any] = field(default_factory=dict)  # trend chart, last search sync

    @property
    def archive_dir(self) -> Path:
        return archive_dir(self.data_dir)

    def latest_date(self) -> str | None:
        """The newest date with a stored brief (where ``/`` sends an editor)."""
        dates = self.desk.versions.dates()
        return dates[0][0].isoformat() if dates else None

    def page(
        self, request: Request, name: str, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        session = current_session(request)
        context.update(
            request=request,
            user=session.user if session else None,
            csrf_token=session.csrf_token if session else "",
            brand=self.brand,
            public_archive=self.settings.public_archive,
        )
        return self.templates.TemplateResponse(request, name, context, status_code=status_code)


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.trim_blocks = env.lstrip_blocks = True
    env.filters["zh_date"] = lambda d: f"{d.year} 年 {d.month} 月 {d.day} 日"
    # Shown in Beijing time whatever the database handed back (SQLite: UTC until reloaded).
    env.filters["local_time"] = lambda t: (
        t.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if t else "—"
    )
    env.filters["urlquote"] = lambda s: quote(str(s), safe="")
    from zhibao.render.common import section_label
    from zhibao.render.html import safe_href

    env.filters["section_label"] = section_label

    env.filters["safe_href"] = safe_href
    return templates


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """Build the desk app: opens (and migrates) the store and loads brand, profile and sources."""
    settings = settings or WebSettings()
    paths = resolve_paths(settings.config_dir)
    data_dir = Path(settings.data_dir or paths.data_dir)
    store = Store.open(settings.database_url, data_dir=data_dir)
    profile = load_profile(paths.config_dir)
    brand = load_brand(paths.config_dir)
    sources = load_sources(paths.config_dir).sources
    desk = Desk(store, profile=profile, brand=brand, sources=sources, writer=settings.writer)
    state = DeskApp(
        settings=settings,
        store=store,
        accounts=Accounts(store),
        desk=desk,
        profile=profile,
        brand=brand,
        sources=sources,
        data_dir=data_dir,
        templates=_templates(),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

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

    from zhibao.web import (
        routes_archive,
        routes_auth,
        routes_desk,
        routes_output,
        routes_sources,
        routes_trends,
    )

    for module in (
        routes_auth,
        routes_desk,
        routes_output,
        routes_archive,
        routes_sources,
        routes_trends,
    ):
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


def parse_day(value: str) -> date:
    """A date from a URL path segment; anything else (``..``, ``%2e``) is a 404."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(404, f"不是有效日期：{value}（应为 YYYY-MM-DD）") from None
