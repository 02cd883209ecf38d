"""Trends: an SVG chart of themes over the last 30 days."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from zhibao.runs.trends import theme_trends
from zhibao.web.app import parse_day
from zhibao.web.security import Editor, desk_app

router = APIRouter()


@router.get("/trends")
def trends(request: Request, _user: Editor, until: str = "") -> Response:
    app = desk_app(request)
    if until:
        end = parse_day(until)
    else:
        latest = app.latest_date()
        end = date.fromisoformat(latest) if latest else date.today()
    key = (end, app.store.documents_fingerprint())
    # One chart is kept; it is rebuilt when documents changed or another end date is asked.
    cached = app.cache.get("trends")
    if cached is None or cached[0] != key:
        cached = app.cache["trends"] = (key, theme_trends(app.store, app.profile, until=end))
    return app.page(request, "trends.html", chart=cached[1], until=end)
