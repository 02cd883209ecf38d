"""The archive of briefs by date and full-text search (public read-only when configured)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from zhibao.store import BriefVersion, User
from zhibao.web.routes_output import brief_html_response
from zhibao.web.security import Reader
from zhibao.web.state import DeskApp, desk_app, parse_day

router = APIRouter()


def _visible(app: DeskApp, day_text: str, user: User | None) -> BriefVersion:
    """Editors see the newest version; the public sees only approved versions."""
    day = parse_day(day_text)
    version = app.desk.current(day) if user else app.desk.approved(day)
    if version is None:
        raise HTTPException(404, f"{day} 没有{'' if user else '已批准的'}简报")
    return version


@router.get("/archive")
def archive(request: Request, user: Reader) -> Response:
    app = desk_app(request)
    rows = app.desk.archive(approved_only=user is None)
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
    return brief_html_response(app, version)


@router.get("/search")
def search(request: Request, user: Reader, q: str = "", kind: str = "") -> Response:
    app = desk_app(request)
    only = kind if kind in ("brief", "document") else None
    # The public archive searches approved briefs only.
    hits = app.desk.search(q, kind=only, approved_only=user is None)
    # Briefs are indexed as "<topic>/<date>": only this topic's briefs are shown here.
    mine = f"{app.topic_name}/"
    hits = [h for h in hits if h.kind != "brief" or h.ref.startswith(mine)]
    return app.page(request, "search.html", q=q, kind=kind, hits=hits)
