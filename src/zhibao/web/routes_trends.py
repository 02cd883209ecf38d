"""Trends: an SVG chart of themes over the last 30 days."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from zhibao.web.security import Editor
from zhibao.web.state import desk_app, parse_day

router = APIRouter()


@router.get("/trends")
def trends(request: Request, _user: Editor, until: str = "") -> Response:
    app = desk_app(request)
    # Without a date: up to the newest brief (else today).
    chart = app.desk.trends(parse_day(until) if until else None)
    return app.page(request, "trends.html", chart=chart, until=chart.days[-1])
