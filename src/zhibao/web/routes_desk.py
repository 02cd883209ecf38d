"""Today's desk: candidates, sections, edits, regenerate, approve, publish."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from zhibao.config import load_publish, resolve_paths
from zhibao.core.errors import ZhibaoError
from zhibao.runs.desk import EditConflict, EditError
from zhibao.store import BriefVersion
from zhibao.web.security import Chief, Editor
from zhibao.web.state import desk_app, parse_day
from zhibao.web.view import chosen_units, conflict_payload, desk_view

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


def _act(
    request: Request,
    day: str,
    action: Callable[..., BriefVersion],
    redo: dict[str, str] | None = None,
) -> Response:
    """Run an edit; answer with the refreshed desk (htmx swaps it in), or the conflict view
    when the edit was made on a version another editor has changed since."""
    try:
        action(parse_day(day))
    except EditConflict as exc:
        return _conflict(request, day, exc, redo or {})
    except EditError as exc:
        raise HTTPException(409, str(exc)) from None
    return _render(request, day, "_desk.html")


def _conflict(request: Request, day: str, conflict: EditConflict, redo: dict[str, str]) -> Response:
    """409 with the conflict view (htmx puts it in ``#conflict``): theirs and yours side by
    side per paragraph with a choice each, or — for a change of shape — redo it on theirs."""
    app = desk_app(request)
    return app.page(
        request,
        "_conflict.html",
        status_code=409,
        day=parse_day(day),
        conflict=conflict,
        payload=conflict_payload(conflict),
        redo_url=request.url.path,
        redo_vals={**redo, "base_version": str(conflict.theirs.number)},
        judgment_title=app.desk.profile.cadence.judgment_title,
        headers={"HX-Retarget": "#conflict", "HX-Reswap": "innerHTML"},
    )


Base = Form(None, alias="base_version")  # the version the editor edited from
# Fields that may repeat; one Form object per parameter (FastAPI keeps the name on it).
Cited = Form([], alias="cite")
Picks = Form([], alias="picks")


@router.post("/{day}/events/{event_id}/exclude")
def exclude(
    request: Request, user: Editor, day: str, event_id: str, base: int | None = Base
) -> Response:
    desk = desk_app(request).desk
    return _act(request, day, lambda d: desk.exclude(d, event_id, user=user.name, base=base))


@router.post("/{day}/events/{event_id}/include")
def include(
    request: Request, user: Editor, day: str, event_id: str, base: int | None = Base
) -> Response:
    desk = desk_app(request).desk
    return _act(request, day, lambda d: desk.include(d, event_id, user=user.name, base=base))


@router.post("/{day}/sections/{number}/move")
def move(
    request: Request,
    user: Editor,
    day: str,
    number: int,
    delta: int = Form(...),
    base: int | None = Base,
) -> Response:
    delta = -1 if delta < 0 else 1
    desk = desk_app(request).desk
    return _act(
        request,
        day,
        lambda d: desk.move(d, number, delta, user=user.name, base=base),
        {"delta": str(delta)},
    )


@router.post("/{day}/sections/{number}/regenerate")
def regenerate(
    request: Request, user: Editor, day: str, number: int, base: int | None = Base
) -> Response:
    desk = desk_app(request).desk
    return _act(request, day, lambda d: desk.regenerate(d, number, user=user.name, base=base))


@router.post("/{day}/regenerate/{part}")
def regenerate_synthesis(
    request: Request, user: Editor, day: str, part: str, base: int | None = Base
) -> Response:
    """摘要 (``summary``) or 今日判断 (``judgment``) written again from the current sections."""
    desk = desk_app(request).desk
    return _act(
        request, day, lambda d: desk.regenerate_synthesis(d, part, user=user.name, base=base)
    )


@router.post("/{day}/sections/{number}/paragraphs")
def add_paragraph(
    request: Request,
    user: Editor,
    day: str,
    number: int,
    after: int = Form(...),
    kind: str = Form("fact"),
    text: str = Form(""),
    base: int | None = Base,
) -> Response:
    desk = desk_app(request).desk
    return _act(
        request,
        day,
        lambda d: desk.add_paragraph(d, number, after, kind, text, user=user.name, base=base),
        {"after": str(after), "kind": kind, "text": text},
    )


@router.post("/{day}/sections/{number}/paragraphs/{index}/delete")
def delete_paragraph(
    request: Request, user: Editor, day: str, number: int, index: int, base: int | None = Base
) -> Response:
    desk = desk_app(request).desk
    return _act(
        request, day, lambda d: desk.delete_paragraph(d, number, index, user=user.name, base=base)
    )


@router.post("/{day}/sections/{number}/paragraphs/{index}/move")
def move_paragraph(
    request: Request,
    user: Editor,
    day: str,
    number: int,
    index: int,
    delta: int = Form(...),
    base: int | None = Base,
) -> Response:
    delta = -1 if delta < 0 else 1
    desk = desk_app(request).desk
    return _act(
        request,
        day,
        lambda d: desk.move_paragraph(d, number, index, delta, user=user.name, base=base),
        {"delta": str(delta)},
    )


@router.post("/{day}/sections/{number}/paragraphs/{index}/citations")
def edit_citations(
    request: Request,
    user: Editor,
    day: str,
    number: int,
    index: int,
    cite: list[str] = Cited,
    base: int | None = Base,
) -> Response:
    """The paragraph cites the checked sources (URLs from the section's list), in order."""
    desk = desk_app(request).desk
    return _act(
        request,
        day,
        lambda d: desk.edit_citations(d, number, index, cite, user=user.name, base=base),
    )


@router.post("/{day}/resolve")
def resolve(
    request: Request,
    user: Editor,
    day: str,
    payload: str = Form(...),
    picks: list[str] = Picks,
    base: int | None = Base,
) -> Response:
    """Save the conflict view's choices: theirs, with each of yours the editor kept."""
    values, references = chosen_units(payload, picks)
    desk = desk_app(request).desk
    return _act(
        request,
        day,
        lambda d: desk.resolve(d, values, references, user=user.name, base=base),
    )


@router.post("/{day}/history/{number}/restore")
def restore(
    request: Request, user: Editor, day: str, number: int, base: int | None = Base
) -> Response:
    """Make an old version current again (as a new version); then show the desk."""
    desk = desk_app(request).desk
    try:
        desk.restore(parse_day(day), number, user=user.name, base=base)
    except EditConflict as exc:
        raise HTTPException(
            409,
            f"未恢复：你打开历史页之后，{exc.theirs.author} 又保存了第 {exc.theirs.number} 版"
            f"（{'、'.join(exc.others[:4]) or '内容有变'}）；请刷新历史页，确认后再恢复",
        ) from None
    except EditError as exc:
        raise HTTPException(409, str(exc)) from None
    return RedirectResponse(f"/desk/{parse_day(day)}", status_code=303)


@router.post("/{day}/approve")
def approve(
    request: Request, user: Chief, day: str, version: int | None = Form(None)
) -> Response:
    """Approve, as a chief, the version the button was shown with (``version``; a newer one is
    refused). publish.yaml's ``approval.four_eyes`` is read at the click."""
    app = desk_app(request)
    try:
        config_dir = resolve_paths(app.settings.config_dir).config_dir
        four_eyes = load_publish(config_dir, topic=app.config_topic).approval.four_eyes
    except ZhibaoError as exc:  # publish.yaml broken
        raise HTTPException(409, str(exc)) from None
    return _act(
        request,
        day,
        lambda d: app.desk.approve(d, user=user.name, four_eyes=four_eyes, number=version),
    )


@router.post("/{day}/publish")
def publish(
    request: Request, user: Chief, day: str, resend: Annotated[list[str] | None, Form()] = None
) -> Response:
    """Publish, as a chief, the approved newest version to publish.yaml's ``channels``, as
    ``zhibao publish --date D`` does: a channel that already delivered this version is skipped
    unless named in ``resend``. publish.yaml is read at the click, so a changed channel list
    needs no restart."""
    app = desk_app(request)
    when = parse_day(day)
    try:
        config_dir = resolve_paths(app.settings.config_dir).config_dir
        settings = load_publish(config_dir, topic=app.config_topic)  # the topic's channels
        # Like the CLI's default, but under the desk's own data directory.
        site_dir = settings.site.dir.expanduser() if settings.site.dir else app.data_dir / "site"
        report, _record = app.desk.publish(
            when, settings.channels, settings, user=user.name, site_dir=site_dir, resend=resend or ()
        )
    except ZhibaoError as exc:  # not approved, a draft, a channel's settings or secret missing
        raise HTTPException(409, str(exc)) from None
    return _render(request, day, "_desk.html", published=report)


# ---------------------------------------------------------------------- saved as you go


def _saved(
    request: Request,
    day: str,
    save: Callable[..., BriefVersion],
    claims_key,
    field: str,
    redo: dict[str, str],
) -> Response:
    """Save one field; answer with a small "saved" note and the field's claim verdicts (the
    text box keeps its focus), the field's new base version and the status bar out of band."""
    app = desk_app(request)
    try:
        version = save(parse_day(day))
    except EditConflict as exc:
        return _conflict(request, day, exc, redo)
    except EditError as exc:
        raise HTTPException(409, str(exc)) from None
    view = desk_view(app.desk, version)
    return app.page(
        request,
        "_saved.html",
        view=view,
        field=field,
        claims=view.claims.get(claims_key, []) if claims_key else [],
        publications=app.desk.published(version.brief.date),
    )


@router.post("/{day}/sections/{number}/heading")
def save_heading(
    request: Request,
    user: Editor,
    day: str,
    number: int,
    heading: str = Form(""),
    base: int | None = Base,
) -> Response:
    desk = desk_app(request).desk
    return _saved(
        request,
        day,
        lambda d: desk.edit_heading(d, number, heading, user=user.name, base=base),
        None,
        f"s{number}-heading",
        {"heading": heading},
    )


@router.post("/{day}/sections/{number}/paragraphs/{index}")
def save_paragraph(
    request: Request,
    user: Editor,
    day: str,
    number: int,
    index: int,
    text: str = Form(""),
    base: int | None = Base,
) -> Response:
    desk = desk_app(request).desk
    return _saved(
        request,
        day,
        lambda d: desk.edit_paragraph(d, number, index, text, user=user.name, base=base),
        (f"s{number}", index),
        f"s{number}-p{index}",
        {"text": text},
    )


@router.post("/{day}/sections/{number}/note")
def save_note(
    request: Request,
    user: Editor,
    day: str,
    number: int,
    text: str = Form(""),
    base: int | None = Base,
) -> Response:
    desk = desk_app(request).desk
    return _saved(
        request,
        day,
        lambda d: desk.edit_note(d, number, text, user=user.name, base=base),
        None,
        f"s{number}-note",
        {"text": text},
    )


@router.post("/{day}/summary")
def save_summary(
    request: Request, user: Editor, day: str, text: str = Form(""), base: int | None = Base
) -> Response:
    desk = desk_app(request).desk
    return _saved(
        request,
        day,
        lambda d: desk.edit_summary(d, text, user=user.name, base=base),
        ("summary", 1),
        "summary",
        {"text": text},
    )


@router.post("/{day}/judgment")
def save_judgment(
    request: Request,
    user: Editor,
    day: str,
    title: str = Form(""),
    text: str = Form(""),
    base: int | None = Base,
) -> Response:
    desk = desk_app(request).desk
    return _saved(
        request,
        day,
        lambda d: desk.edit_judgment(d, title, text, user=user.name, base=base),
        ("judgment", 1),
        "judgment",
        {"title": title, "text": text},
    )
