"""``zhibao import``: offline material into the store — WARC files, saved HTML pages, JSONL.

    >>> report = import_paths(store, [Path("run-12.warc.gz"), Path("saved-pages/")])
    >>> report.new, report.failed
    (57, 1)

One bad file, record or line is reported with where it is and what to do; it never stops the
import of the rest. Round-up pages (and round-up documents in JSONL) are stored as one document
per story, index pages (a day's list, a channel page) are skipped, titles lose their column tags
and site names (``zhibao.extract``) — the same as ``zhibao collect``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml.etree import ParserError
from pydantic import ValidationError

from zhibao.core.errors import ZhibaoError, format_validation_error
from zhibao.core.model import Document, Source
from zhibao.core.time import SHANGHAI
from zhibao.store._store import Store, UpsertResult

__all__ = ["ImportFailure", "ImportReport", "import_paths", "page_url"]

WARC_SUFFIXES = (".warc", ".warc.gz")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
MAX_JSONL_LINE_CHARS = 5_000_000  # one document; the longest real articles are ~100k
HTML_SUFFIXES = (".html", ".htm")
NO_URL_FIX = (
    '未找到网址：页面没有 <link rel="canonical"> 或 og:url。'
    '请在旁边放一个同名 JSON 文件（如 {sidecar}，内容 {{"url": "https://…"}}），'
    "或用 --url-prefix 指定网址前缀 (no URL for this page)"
)


@dataclass(frozen=True)
class ImportFailure:
    where: str  # file, file:line or file + URL
    reason: str


@dataclass
class ImportReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # WARC records that are not article pages, index pages, files of other types
    failures: list[ImportFailure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def count(self, result: UpsertResult) -> None:
        setattr(self, result, getattr(self, result) + 1)

    def fail(self, where: str | Path, reason: str) -> None:
        self.failures.append(ImportFailure(str(where), reason))


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    for kind, suffixes in (
        ("warc", WARC_SUFFIXES),
        ("jsonl", JSONL_SUFFIXES),
        ("html", HTML_SUFFIXES),
    ):
        if name.endswith(suffixes):
            return kind
    return None


def _describe(exc: Exception) -> str:
    # Our own errors are written for users; anything else is a bug or a broken file: name it.
    return str(exc) if isinstance(exc, ZhibaoError) else f"{type(exc).__name__}: {exc}"


def import_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    url_prefix: str | None = None,
    source: Source | None = None,
    roundup_titles: Sequence[str] | None = None,
) -> ImportReport:
    """Import every WARC / WARC.gz, ``.html``/``.htm`` page and JSONL file under ``paths``.

    ``url_prefix`` gives saved pages without a canonical URL or sidecar the URL
    ``<url_prefix>/<path relative to the directory given>``; ``source`` attributes the
    documents to a configured source (its org is the fallback issuing organisation).
    ``roundup_titles``: the profile's round-up title patterns (default the built-in ones),
    with ``source``'s own added.
    """
    from zhibao.extract.stories import roundup_patterns

    patterns = roundup_patterns(roundup_titles, source)
    report = ImportReport()
    for root in paths:
        root = Path(root)
        if root.is_dir():
            files = sorted(p for p in root.rglob("*") if p.is_file())
            for path in files:
                kind = _kind(path)
                if kind is None:
                    # Sidecars belong to their page; other files are not ours to judge.
                    if path.suffix.lower() != ".json":
                        report.skipped += 1
                    continue
                _import_file(
                    store,
                    path,
                    kind,
                    report,
                    root=root,
                    url_prefix=url_prefix,
                    source=source,
                    patterns=patterns,
                )
        elif root.is_file():
            kind = _kind(root)
            if kind is None:
                report.fail(
                    root,
                    "不支持的文件类型；支持 .warc、.warc.gz、.html、.htm、.jsonl (unsupported file type)",
                )
                continue
            _import_file(
                store,
                root,
                kind,
                report,
                root=root.parent,
                url_prefix=url_prefix,
                source=source,
                patterns=patterns,
            )
        else:
            report.fail(root, "文件或目录不存在 (no such file or directory)")
    return report


def _import_file(
    store: Store,
    path: Path,
    kind: str,
    report: ImportReport,
    *,
    root: Path,
    url_prefix: str | None,
    source: Source | None,
    patterns: Sequence[str] = (),
) -> None:
    try:
        if kind == "warc":
            _import_warc(store, path, report, source, patterns)
        elif kind == "jsonl":
            _import_jsonl(store, path, report, source, patterns)
        else:
            _import_page(
                store,
                path,
                report,
                root=root,
                url_prefix=url_prefix,
                source=source,
                patterns=patterns,
            )
    except Exception as exc:  # one bad file never stops the import
        report.fail(path, _describe(exc))


# --------------------------------------------------------------------------- WARC


def _store_stories(
    store: Store, doc: Document, report: ImportReport, patterns: Sequence[str]
) -> None:
    """Store ``doc``, or each story of it when it is a round-up page."""
    from zhibao.extract import split_stories

    for story in split_stories(doc, patterns):
        report.count(store.upsert_document(story))


def _import_warc(
    store: Store,
    path: Path,
    report: ImportReport,
    source: Source | None,
    patterns: Sequence[str] = (),
) -> None:
    from zhibao.crawl import decode_html, iter_warc
    from zhibao.extract import IndexPageError, extract_document

    pages = 0
    for page in iter_warc(path):
        pages += 1
        content_type = page.content_type.lower()
        if not 200 <= page.status < 300 or not ("html" in content_type or not content_type):
            report.skipped += 1  # redirects, 304s, PDFs, images: not articles
            continue
        where = f"{path} {page.final_url}"
        try:
            html = decode_html(page.content, page.content_type or None)
            doc = extract_document(html, page.final_url, source=source, fetched_at=page.fetched_at)
            doc = _attribute(doc, source_id=page.source_id, archive=page.archive, source=source)
            _store_stories(store, doc, report, patterns)
        except IndexPageError:
            report.skipped += 1  # a list of articles, not an article
        except Exception as exc:
            report.fail(where, _describe(exc))
    if pages == 0:
        raise ZhibaoError("没有读到任何网页记录：文件为空或不是 WARC 格式 (no response records)")


def _attribute(
    doc: Document, *, source_id: str | None, archive: str | None, source: Source | None
) -> Document:
    update: dict[str, Any] = {}
    if source is not None and not doc.source_id:
        update["source_id"] = source.id
    elif source_id and not doc.source_id:
        update["source_id"] = source_id
    if archive and not doc.archive:
        update["archive"] = archive
    if source is not None and not doc.source_org:
        update["source_org"] = source.org
    return doc.model_copy(update=update) if update else doc


# --------------------------------------------------------------------------- saved pages


def page_url(html: str, base: str | None = None) -> str | None:
    """The page's own URL: ``<link rel="canonical">``, else ``og:url`` (absolute http(s) only;
    a relative one is resolved against ``base`` when there is one)."""
    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return None
    candidates = [
        link.get("href")
        for link in tree.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    candidates += [
        meta.get("content")
        for meta in tree.iter("meta")
        if (meta.get("property") or meta.get("name") or "").lower() == "og:url"
    ]
    for href in candidates:
        href = (href or "").strip()
        if not href:
            continue
        if base and not urlsplit(href).scheme:
            href = urljoin(base, href)
        if urlsplit(href).scheme in ("http", "https") and urlsplit(href).netloc:
            return href
    return None


def _sidecar(path: Path) -> Path | None:
    for candidate in (path.with_suffix(".json"), path.with_name(path.name + ".json")):
        if candidate.is_file():
            return candidate
    return None


def _read_sidecar(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ZhibaoError(
            f'{path}: 旁注 JSON 无法读取：{exc}；应为 UTF-8 的 {{"url": "https://…"}}'
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("url"), str) or not data["url"]:
        raise ZhibaoError(f'{path}: 旁注 JSON 应包含 "url" 字段，如 {{"url": "https://…"}}')
    return data


def _import_page(
    store: Store,
    path: Path,
    report: ImportReport,
    *,
    root: Path,
    url_prefix: str | None,
    source: Source | None,
    patterns: Sequence[str] = (),
) -> None:
    from zhibao.crawl import decode_html
    from zhibao.extract import IndexPageError, extract_document

    html = decode_html(path.read_bytes(), None)
    sidecar = _sidecar(path)
    meta = _read_sidecar(sidecar) if sidecar else {}
    prefixed = None
    if url_prefix:
        relative = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
        prefixed = url_prefix.rstrip("/") + "/" + relative
    url = meta.get("url") or page_url(html, base=prefixed) or prefixed
    if not url:
        report.fail(path, NO_URL_FIX.format(sidecar=path.with_suffix(".json").name))
        return
    fetched_at = _sidecar_time(meta, sidecar) or datetime.fromtimestamp(path.stat().st_mtime, UTC)
    try:
        doc = extract_document(html, url, source=source, fetched_at=fetched_at)
    except IndexPageError:
        report.skipped += 1  # a list of articles, not an article
        return
    doc = _attribute(doc, source_id=meta.get("source_id"), archive=None, source=source)
    _store_stories(store, doc, report, patterns)


def _sidecar_time(meta: dict[str, Any], sidecar: Path | None) -> datetime | None:
    value = meta.get("fetched_at")
    if not value:
        return None
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        raise ZhibaoError(
            f"{sidecar}: fetched_at 应为 ISO 8601 时间，如 2026-05-23T19:23:52+08:00（收到 {value!r}）"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=SHANGHAI)


# --------------------------------------------------------------------------- JSONL


def _jsonl_lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                yield number, line


def _document_from_json(line: str, origin: str) -> Document:
    from zhibao.core.inputs import parse_json_text

    # Too big or too deep is this line's error (the parser would recurse until it crashed).
    data = parse_json_text(line, origin=origin, max_chars=MAX_JSONL_LINE_CHARS)
    if not isinstance(data, dict):
        raise ZhibaoError(f"{origin}: 每行应是一个文档对象 {{…}}，收到 {type(data).__name__}")
    if data.get("url") and not data.get("canonical_url"):
        data["canonical_url"] = data["url"]
    for name in ("published_at", "fetched_at"):
        # A bare local time in Chinese material means Beijing time.
        if isinstance(data.get(name), str):
            try:
                when = datetime.fromisoformat(data[name])
            except ValueError:
                continue  # let validation report it
            if when.tzinfo is None:
                data[name] = when.replace(tzinfo=SHANGHAI).isoformat()
    try:
        doc = Document.model_validate(data)
    except ValidationError as exc:
        raise ZhibaoError(format_validation_error(exc, origin=origin)) from None
    if not doc.column:
        # Documents extracted elsewhere keep their raw titles: clean them as extraction does.
        from zhibao.extract import clean_title

        title, column = clean_title(doc.title)
        if title and (title, column) != (doc.title, ""):
            doc = doc.model_copy(update={"title": title, "column": column})
    return doc


def _import_jsonl(
    store: Store,
    path: Path,
    report: ImportReport,
    source: Source | None,
    patterns: Sequence[str] = (),
) -> None:
    from zhibao.extract.stories import is_index_title

    try:
        for number, line in _jsonl_lines(path):
            origin = f"{path}:{number}"
            try:
                doc = _attribute(
                    _document_from_json(line, origin), source_id=None, archive=None, source=source
                )
                if is_index_title(doc.title):
                    report.skipped += 1  # a whole episode or a channel page, not an article
                    continue
                _store_stories(store, doc, report, patterns)
            except Exception as exc:  # one bad line never stops the file
                lines = _describe(exc).splitlines()
                report.fail(origin, "\n".join(line.removeprefix(f"{origin}: ") for line in lines))
    except UnicodeDecodeError:
        raise ZhibaoError(f"{path}: 不是 UTF-8 编码的 JSONL 文件") from None
