"""The desk's candidates: an editor adds a page by its URL (``runs.manual_url``)."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from zhibao.runs.desk import EditError
from zhibao.web.security import Editor
from zhibao.web.state import desk_app, parse_day
from zhibao.web.view import desk_view

router = APIRouter(prefix="/desk")

MESSAGE_SLOT = "#manual-url-message"  # where the desk shows why a URL was not added


@router.post("/{day}/candidates/url")
def add_url(request: Request, user: Editor, day: str, url: str = Form("")) -> Response:
    """Fetch, extract and store the page at ``url`` and show it among the candidates.

    htmx gets the refreshed desk, or — when the URL cannot be added — a 409 whose message
    goes beside the form (the typed URL stays in its box); a plain form post is redirected
    to the desk."""
    app = desk_app(request)
    when = parse_day(day)
    htmx = "hx-request" in request.headers
    try:
        version, added = app.desk.add_url(when, url, user=user.name, archive_dir=app.archive_dir)
    except EditError as exc:
        if not htmx:
            raise HTTPException(409, str(exc)) from None
        return HTMLResponse(
            f'<p class="manual-error" role="alert">{escape(str(exc))}</p>',
            status_code=409,
            headers={"HX-Retarget": MESSAGE_SLOT, "HX-Reswap": "innerHTML"},
        )
    if not htmx:
        return RedirectResponse(f"/desk/{when}#candidates", status_code=303)
    return app.page(
        request,
        "_desk.html",
        view=desk_view(app.desk, version),
        publications=app.desk.published(when),
        manual_added=added,
    )
