"""Today's desk: candidates, sections, edits, regenerate, approve, publish."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from zhibao.config import load_publish, resolve_paths
from zhibao.core.errors import ZhibaoError
from zhibao.runs.desk import EditError
from zhibao.store import BriefVersion
from zhibao.web.security import Editor
from zhibao.web.state import desk_app, parse_day
from zhibao.web.view import desk_view

router = APIRouter(prefix="/desk")


def _render(request: Request, day_text: str, template: str, **extra) -> Response:
    app = desk_app(request)
    day = parse_day(day_text)
    version = app.desk.current(day)
    if version is None:
        return app.page(request, "no_brief.html", status_code=404, day=day)
    view = desk_view(app.desk, version)
    return app.page(request, template, view=view, publications=app.desk.published(day), **extra)


@router.get("")
def desk_home(request: Request, _user: Editor) -> Response:
    latest = desk_app(request).latest_date()
    if latest is None:
        raise HTTPException(404, "还没有任何简报；请先运行 zhibao brief 生成初稿")
    return RedirectResponse(f"/desk/{latest}", status_code=303)


@router.get("/{day}")
def desk_page(request: Request, _user: Editor, day: str) -> Response:
    return _render(request, day, "desk.html")


def _act(request: Request, day: str, action: Callable[..., BriefVersion]) -> Response:
    """Run an edit; answer with the refreshed desk (htmx swaps it in)."""
    try:
        action(parse_day(day))
    except EditError as exc:
        raise HTTPException(409, str(exc)) from None
    return _render(request, day, "_desk.html")


@router.post("/{day}/events/{event_id}/exclude")
def exclude(request: Request, user: Editor, day: str, event_id: str) -> Response:
    return _act(request, day, lambda d: desk_app(request).desk.exclude(d, event_id, user=user.name))


@router.post("/{day}/events/{event_id}/include")
def include(request: Request, user: Editor, day: str, event_id: str) -> Response:
    return _act(request, day, lambda d: desk_app(request).desk.include(d, event_id, user=user.name))


@router.post("/{day}/sections/{number}/move")
def move(request: Request, user: Editor, day: str, number: int, delta: int = Form(...)) -> Response:
    delta = -1 if delta < 0 else 1
    return _act(
        request, day, lambda d: desk_app(request).desk.move(d, number, delta, user=user.name)
    )


@router.post("/{day}/sections/{number}/regenerate")
def regenerate(request: Request, user: Editor, day: str, number: int) -> Response:
    return _act(
        request, day, lambda d: desk_app(request).desk.regenerate(d, number, user=user.name)
    )


@router.post("/{day}/approve")
def approve(request: Request, user: Editor, day: str) -> Response:
    return _act(request, day, lambda d: desk_app(request).desk.approve(d, user=user.name))


@router.post("/{day}/publish")
def publish(request: Request, user: Editor, day: str) -> Response:
    """Publish the approved newest version to publish.yaml's ``channels``, as ``zhibao
    publish --date D`` does. Any logged-in editor may: approving and publishing are the same
    editorial decision, and only an approved version goes out. publish.yaml is read at the
    click, so a changed channel list needs no restart."""
    app = desk_app(request)
    when = parse_day(day)
    try:
        settings = load_publish(resolve_paths(app.settings.config_dir).config_dir)
        # Like the CLI's default, but under the desk's own data directory.
        site_dir = settings.site.dir.expanduser() if settings.site.dir else app.data_dir / "site"
        report, _record = app.desk.publish(
            when, settings.channels, settings, user=user.name, site_dir=site_dir
        )
    except ZhibaoError as exc:  # not approved, a draft, publish.yaml broken or without channels
        raise HTTPException(409, str(exc)) from None
    return _render(request, day, "_desk.html", published=report)


# ---------------------------------------------------------------------- saved as you go


def _saved(request: Request, day: str, save: Callable[..., BriefVersion], claims_key) -> Response:
    """Save one field; answer with a small "saved" note and the field's claim verdicts (the
    text box keeps its focus), plus the status bar out of band."""
    app = desk_app(request)
    try:
        version = save(parse_day(day))
    except EditError as exc:
        raise HTTPException(409, str(exc)) from None
    view = desk_view(app.desk, version)
    return app.page(
        request,
        "_saved.html",
        view=view,
        claims=view.claims.get(claims_key, []),
        publications=app.desk.published(version.brief.date),
    )


@router.post("/{day}/sections/{number}/heading")
def save_heading(
    request: Request, user: Editor, day: str, number: int, heading: str = Form("")
) -> Response:
    return _saved(
        request,
        day,
        lambda d: desk_app(request).desk.edit_heading(d, number, heading, user=user.name),
        None,
    )


@router.post("/{day}/sections/{number}/paragraphs/{index}")
def save_paragraph(
    request: Request,
    user: Editor,
    day: str,
    number: int,
    index: int,
    text: str = Form(""),
) -> Response:
    return _saved(
        request,
        day,
        lambda d: desk_app(request).desk.edit_paragraph(d, number, index, text, user=user.name),
        (f"s{number}", index),
    )


@router.post("/{day}/summary")
def save_summary(request: Request, user: Editor, day: str, text: str = Form("")) -> Response:
    return _saved(
        request,
        day,
        lambda d: desk_app(request).desk.edit_summary(d, text, user=user.name),
        ("summary", 1),
    )


@router.post("/{day}/judgment")
def save_judgment(
    request: Request,
    user: Editor,
    day: str,
    title: str = Form(""),
    text: str = Form(""),
) -> Response:
    return _saved(
        request,
        day,
        lambda d: desk_app(request).desk.edit_judgment(d, title, text, user=user.name),
        ("judgment", 1),
    )
