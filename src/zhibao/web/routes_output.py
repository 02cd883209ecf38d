"""Preview, downloads, version history with diffs, and archived copies of source pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from zhibao.collect.archive import read_archived
from zhibao.core.errors import RenderError
from zhibao.core.model import Brief
from zhibao.runs.editing import diff_lines
from zhibao.web.app import DeskApp, parse_day
from zhibao.web.security import Editor, desk_app

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


def _version(app: DeskApp, day_text: str, number: int | None = None):
    day = parse_day(day_text)
    version = app.desk.current(day) if number is None else app.desk.versions.get(day, number)
    if version is None:
        raise HTTPException(404, f"{day} 没有这份简报")
    return version


def rendered(app: DeskApp, brief: Brief, number: int, fmt: str) -> tuple[bytes, str]:
    """The file of ``brief`` in ``fmt`` and its file name (cached per version)."""
    from zhibao.render import get_renderer

    if fmt not in DOWNLOADS:
        raise HTTPException(404, f"未知格式：{fmt}（可选：{', '.join(DOWNLOADS)}）")
    renderer = get_renderer(fmt)
    key = (brief.date, number, fmt)
    if key not in app.rendered:
        try:
            app.rendered[key] = renderer.render(brief)
        except RenderError as exc:
            raise HTTPException(503, f"{fmt} 渲染失败：{exc}") from None
    return app.rendered[key], f"{brief.stem}{renderer.suffix}"


@router.get("/desk/{day}/preview")
def preview(request: Request, _user: Editor, day: str) -> Response:
    app = desk_app(request)
    version = _version(app, day)
    return app.page(request, "preview.html", version=version, day=version.brief.date)


def brief_html_response(app: DeskApp, brief: Brief, number: int) -> Response:
    """The brief's HTML file as served in a frame: the rendered bytes under a strict CSP."""
    data, _name = rendered(app, brief, number, "html")
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
    return brief_html_response(app, found.brief, found.number)


@router.get("/desk/{day}/download/{fmt}")
def download(request: Request, _user: Editor, day: str, fmt: str, inline: bool = False) -> Response:
    app = desk_app(request)
    version = _version(app, day)
    data, name = rendered(app, version.brief, version.number, fmt)
    headers = {"Content-Security-Policy": BRIEF_CSP}
    if not (inline and fmt in ("html", "wechat")):
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(data, media_type=DOWNLOADS[fmt], headers=headers)


@router.get("/desk/{day}/wechat")
def wechat(request: Request, _user: Editor, day: str) -> Response:
    app = desk_app(request)
    version = _version(app, day)
    data, _name = rendered(app, version.brief, version.number, "wechat")
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
    versions = app.desk.versions.history(when)
    if not versions:
        raise HTTPException(404, f"{when} 没有简报")
    return app.page(
        request,
        "history.html",
        day=when,
        versions=versions,
        publications=app.desk.publications.history(when),
    )


@router.get("/desk/{day}/history/{number}")
def version_diff(request: Request, _user: Editor, day: str, number: int) -> Response:
    app = desk_app(request)
    version = _version(app, day, number)
    before = app.desk.versions.get(version.brief.date, number - 1) if number > 1 else None
    return app.page(
        request,
        "diff.html",
        day=version.brief.date,
        version=version,
        before=before,
        lines=diff_lines(before.brief if before else None, version.brief),
    )


@router.get("/archived")
def archived_copy(request: Request, _user: Editor, ref: str) -> Response:
    """The page as collect fetched it, read from its WARC file under the archive dir."""
    app = desk_app(request)
    file_part, _, record = ref.partition("#")
    root = app.archive_dir.resolve()
    path = (root / file_part).resolve()
    if (
        not record
        or not path.is_relative_to(root)
        or not path.name.endswith((".warc", ".warc.gz"))
        or not path.is_file()
    ):
        raise HTTPException(404, "没有这份存档 (no such archived copy)")
    page = read_archived(Path(path), ref)
    if page is None:
        raise HTTPException(404, "存档文件中没有这条记录")
    media_type = page.content_type or "application/octet-stream"
    return Response(
        page.content,
        media_type=media_type,
        headers={"Content-Security-Policy": ARCHIVED_CSP},
    )
