"""Health of every configured source."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from zhibao.web.security import Editor
from zhibao.web.state import desk_app

router = APIRouter()

VERDICT_NAMES = {
    "ok": "正常",
    "quiet": "沉寂",
    "failing": "出错",
    "empty-list": "列表页无文章",
    "never-run": "从未运行",
}


@router.get("/sources")
def sources(request: Request, _user: Editor, runs: int = 5) -> Response:
    app = desk_app(request)
    runs = min(max(runs, 1), 50)
    configured = {s.id: s for s in app.desk.sources}
    rows = [
        {"health": h, "source": configured.get(h.source_id), "verdict": str(h.verdict)}
        for h in app.desk.source_health(runs)
    ]
    rows.sort(key=lambda r: (not r["health"].problem, r["health"].source_id))
    return app.page(request, "sources.html", rows=rows, runs=runs, verdict_names=VERDICT_NAMES)
