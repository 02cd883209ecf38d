"""Preview, downloads, version history with diffs, and archived copies of source pages."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from zhibao.core.errors import RenderError, ZhibaoError
from zhibao.runs.desk import NoArchivedCopy, archived_copy
from zhibao.runs.editing import compare_briefs
from zhibao.store import BriefVersion
from zhibao.web.security import Editor
from zhibao.web.state import DeskApp, desk_app, parse_day

router = APIRouter()

# The brief's own HTML carries inline styles and data: images, never scripts.
BRIEF_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
# An archived page is somebody else's HTML: no scripts, no requests, a unique origin.
ARCHIVED_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
DOWNLOADS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "wechat": "text/html; charset=utf-8",
}


def _version(app: DeskApp, day_text: str, number: int | None = None) -> BriefVersion:
    day = parse_day(day_text)
    version = app.desk.version(day, number)
    if version is None:
        raise HTTPException(404, f"{day} 没有这份简报")
    return version


def rendered(app: DeskApp, version: BriefVersion, fmt: str) -> tuple[bytes, str]:
    """The file of ``version`` in ``fmt`` and its file name (rendered once per version)."""
    if fmt not in DOWNLOADS:
        raise HTTPException(404, f"未知格式：{fmt}（可选：{', '.join(DOWNLOADS)}）")
    try:
        return app.desk.rendition(version, fmt)
    except RenderError as exc:
        raise HTTPException(503, f"{fmt} 渲染失败：{exc}") from None


@router.get("/desk/{day}/preview")
def preview(request: Request, _user: Editor, day: str) -> Response:
    app = desk_app(request)
    version = _version(app, day)
    return app.page(request, "preview.html", version=version, day=version.brief.date)


def brief_html_response(app: DeskApp, version: BriefVersion) -> Response:
    """The brief's HTML file as served in a frame: the rendered bytes under a strict CSP."""
    data, _name = rendered(app, version, "html")
    return Response(
        data, media_type=DOWNLOADS["html"], headers={"Content-Security-Policy": BRIEF_CSP}
    )


@router.get("/desk/{day}/brief.html")
def preview_document(
    request: Request, _user: Editor, day: str, version: int | None = None
) -> Response:
    """Exactly the bytes of the HTML rendering (the preview's frame shows this)."""
    app = desk_app(request)
    found = _version(app, day, version)
    return brief_html_response(app, found)


@router.get("/desk/{day}/download/{fmt}")
def download(request: Request, _user: Editor, day: str, fmt: str, inline: bool = False) -> Response:
    app = desk_app(request)
    version = _version(app, day)
    data, name = rendered(app, version, fmt)
    headers = {"Content-Security-Policy": BRIEF_CSP}
    if not (inline and fmt in ("html", "wechat")):
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(data, media_type=DOWNLOADS[fmt], headers=headers)


@router.get("/desk/{day}/wechat")
def wechat(request: Request, _user: Editor, day: str) -> Response:
    app = desk_app(request)
    version = _version(app, day)
    data, _name = rendered(app, version, "wechat")
    return app.page(
        request,
        "wechat.html",
        version=version,
        day=version.brief.date,
        wechat_html=data.decode("utf-8"),
    )


@router.get("/desk/{day}/history")
def history(request: Request, _user: Editor, day: str) -> Response:
    app = desk_app(request)
    when = parse_day(day)
    versions = app.desk.history(when)
    if not versions:
        raise HTTPException(404, f"{when} 没有简报")
    return app.page(
        request,
        "history.html",
        day=when,
        versions=versions,
        notes={v.number: app.desk.readable_note(when, v.note) for v in versions},
        publications=app.desk.published(when),
    )


@router.get("/desk/{day}/history/{number}")
def version_diff(request: Request, _user: Editor, day: str, number: int) -> Response:
    """What version ``number`` changed against the one before it."""
    app = desk_app(request)
    version = _version(app, day, number)
    before = app.desk.version(version.brief.date, number - 1) if number > 1 else None
    return _compared(request, app, before, version)


@router.get("/desk/{day}/compare")
def compare(request: Request, _user: Editor, day: str, a: int, b: int) -> Response:
    """Any two versions side by side, words that differ marked."""
    app = desk_app(request)
    older, newer = sorted((a, b))
    return _compared(request, app, _version(app, day, older), _version(app, day, newer))


def _compared(
    request: Request, app: DeskApp, before: BriefVersion | None, version: BriefVersion
) -> Response:
    day = version.brief.date
    return app.page(
        request,
        "diff.html",
        day=day,
        version=version,
        before=before,
        note=app.desk.readable_note(day, version.note),
        versions=app.desk.history(day),
        rows=compare_briefs(before.brief if before else None, version.brief),
    )


@router.get("/archived")
def archived(request: Request, _user: Editor, ref: str) -> Response:
    """The page as collect fetched it, read from its WARC file under the archive dir."""
    try:
        page = archived_copy(desk_app(request).archive_dir, ref)
    except NoArchivedCopy as exc:
        raise HTTPException(404, str(exc)) from None
    except ZhibaoError as exc:  # ArchiveStoreError: the shared object store does not answer
        raise HTTPException(503, str(exc)) from None
    media_type = page.content_type or "application/octet-stream"
    return Response(
        page.content,
        media_type=media_type,
        headers={"Content-Security-Policy": ARCHIVED_CSP},
    )
