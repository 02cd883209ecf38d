"""The archive of briefs by date and full-text search (public read-only when configured)."""

from __future__ import annotations

import time

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from zhibao.store.accounts import User
from zhibao.web.app import DeskApp, parse_day
from zhibao.web.routes_output import brief_html_response
from zhibao.web.security import Reader, desk_app

router = APIRouter()

SYNC_EVERY_S = 30.0  # newly collected documents become searchable within this many seconds


def _visible(app: DeskApp, day_text: str, user: User | None):
    """Editors see the newest version; the public sees only approved versions."""
    day = parse_day(day_text)
    version = app.desk.current(day) if user else app.desk.versions.approved(day)
    if version is None:
        raise HTTPException(404, f"{day} 没有{'' if user else '已批准的'}简报")
    return version


@router.get("/archive")
def archive(request: Request, user: Reader) -> Response:
    app = desk_app(request)
    rows = []
    for day, status, versions in app.desk.versions.dates():
        approved = app.desk.versions.approved(day)
        if user or approved:
            rows.append({"day": day, "status": status, "versions": versions, "approved": approved})
    return app.page(request, "archive.html", rows=rows)


@router.get("/archive/{day}")
def archived_brief(request: Request, user: Reader, day: str) -> Response:
    app = desk_app(request)
    version = _visible(app, day, user)
    return app.page(request, "brief_page.html", version=version, day=version.brief.date)


@router.get("/archive/{day}/brief.html")
def archived_brief_document(request: Request, user: Reader, day: str) -> Response:
    app = desk_app(request)
    version = _visible(app, day, user)
    return brief_html_response(app, version.brief, version.number)


@router.get("/search")
def search(request: Request, user: Reader, q: str = "", kind: str = "") -> Response:
    app = desk_app(request)
    hits = []
    if q.strip():
        if time.monotonic() - app.cache.get("search_synced", -SYNC_EVERY_S) >= SYNC_EVERY_S:
            app.desk.search.sync()
            app.cache["search_synced"] = time.monotonic()
        only = kind if kind in ("brief", "document") else None
        if user is None:
            only = "brief"  # the public archive searches briefs only
        hits = app.desk.search.search(q, kind=only)
        if user is None:
            approved = {
                d for d, _s, _n in app.desk.versions.dates() if app.desk.versions.approved(d)
            }
            hits = [h for h in hits if h.day in approved]
    return app.page(request, "search.html", q=q, kind=kind, hits=hits)
