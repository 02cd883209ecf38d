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

from zhibao.config import list_topics, resolve_paths
from zhibao.config.settings import load_settings
from zhibao.runs.desk import Desk
from zhibao.store import Store
from zhibao.web import (
    routes_admin,
    routes_archive,
    routes_auth,
    routes_candidates,
    routes_desk,
    routes_output,
    routes_sources,
    routes_topics,
    routes_trends,
)
from zhibao.web.security import (
    NotLoggedIn,
    csrf_guard,
    security_headers,
    set_cookie,
    topic_guard,
)
from zhibao.web.settings import WebSettings
from zhibao.web.state import (
    HERE,
    TOPIC_COOKIE,
    DeskApp,
    current_session,
    desk_app,
    make_templates,
)

__all__ = ["create_app"]

ROUTES = (
    routes_auth,
    routes_desk,
    routes_candidates,
    routes_output,
    routes_archive,
    routes_sources,
    routes_trends,
    routes_topics,
    routes_admin,
)


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """Build the desk app: opens (and migrates) the store and loads brand, profile and sources
    of the home and of each of its topics (``<home>/topics/<name>``), one desk per topic."""
    settings = settings or WebSettings()
    paths = resolve_paths(settings.config_dir)
    data_dir = Path(settings.data_dir or paths.data_dir)
    store = Store.open(settings.database_url, data_dir=data_dir)
    try:
        desks, config_topics = _topic_desks(store, paths.config_dir, settings.writer)
    except BaseException:
        store.close()
        raise
    state = DeskApp(
        settings=settings,
        desks=desks,
        data_dir=data_dir,
        templates=make_templates(),
        config_topics=config_topics,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()  # the desks share it

    app = FastAPI(
        title="智报编辑台",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_guard), Depends(topic_guard)],
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
            latest = desk_app(request).latest_date()
            target = f"/desk/{latest}" if latest else "/archive"
        return RedirectResponse(target, status_code=303)

    @app.middleware("http")
    async def headers(request: Request, call_next):  # noqa: ANN001, ANN202 - Starlette signature
        response = await call_next(request)
        chosen = request.scope.get("zhibao_topic")
        if request.method == "GET" and request.query_params.get("topic") == chosen and chosen:
            # ?topic=NAME on a page switches the editor's desk to that topic.
            set_cookie(request, response, TOPIC_COOKIE, quote(chosen, safe=""))
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
        return desk_app(request).page(
            request, "error.html", status_code=exc.status_code, message=exc.detail
        )

    return app


def _topic_desks(
    store: Store, home: Path, writer: str
) -> tuple[dict[str, Desk], dict[str, str | None]]:
    """One desk per topic over one store: the home's own profile first, then ``topics/*``."""
    desks: dict[str, Desk] = {}
    config_topics: dict[str, str | None] = {}
    for topic in [None, *list_topics(home)]:
        settings = load_settings(home, topic=topic)
        name = settings.profile.name  # a topic directory named like the home's own wins
        desks[name] = Desk(
            store,
            profile=settings.profile,
            brand=settings.brand,
            sources=settings.sources,
            writer=writer,
        )
        config_topics[name] = topic
    return desks, config_topics
