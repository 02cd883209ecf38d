"""The raw archive: every fetched response kept in a WARC file, so a cited page can be shown
later exactly as zhibao read it.

One ``.warc.gz`` per run; each fetch adds a request record and a response record. Pages zhibao
built itself from a feed entry (no HTTP response of their own) are ``resource`` records.

    >>> archive = WarcArchive("runs/12.warc.gz")          # doctest: +SKIP
    >>> page.archive = archive.write(page)                 # doctest: +SKIP
    >>> [p.url for p in iter_warc("runs/12.warc.gz")]      # doctest: +SKIP

With an object store configured (``ZHIBAO_ARCHIVE_URL=s3://bucket/prefix``, see
``object_store``), a closed file is uploaded and its local copy removed; a failed upload keeps
the local copy (the references stay valid on this machine) and marks it for the next run to
upload. ``fetch_archived`` brings a file back from the store for reading.
"""

from __future__ import annotations

import gzip
import io
import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from zhibao.core.errors import InputError
from zhibao.core.model import FetchedPage
from zhibao.crawl.object_store import ArchiveStoreError, ObjectStore, archive_store_from_env

__all__ = ["FEED_ENTRY_HEADER", "WarcArchive", "fetch_archived", "iter_warc", "read_archived"]

log = logging.getLogger(__name__)
PENDING_SUFFIX = ".upload-pending"  # next to a WARC file whose upload failed

# Marks a page built from a feed entry rather than fetched; written as a WARC resource record.
FEED_ENTRY_HEADER = "x-zhibao-feed-entry"
_REQUESTED = "WARC-Zhibao-Requested-URI"  # the URL asked for, when redirects led elsewhere
_SOURCE = "WARC-Zhibao-Source"


def _warc_date(moment: datetime) -> str:
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_warc_date(value: str) -> datetime:
    value = value.rstrip("Z")
    fmt = "%Y-%m-%dT%H:%M:%S.%f" if "." in value else "%Y-%m-%dT%H:%M:%S"
    return datetime.strptime(value, fmt).replace(tzinfo=UTC)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class WarcArchive:
    """Appends records to one WARC file; opened on first write, flushed after every record
    so that a killed run keeps everything fetched so far. ``object_store`` (default: the one
    ``$ZHIBAO_ARCHIVE_URL`` names, if any) receives the file when it is closed."""

    def __init__(self, path: str | Path, *, object_store: ObjectStore | None = None):
        self.path = Path(path)
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self.records = 0
        self.object_store = object_store or archive_store_from_env()
        self.uploaded: str | None = None  # where the file went, once uploaded
        self.upload_error: str | None = None  # why it stayed local

    def _open(self) -> WARCWriter:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("ab")
            gzip = self.path.name.endswith(".gz")
            self._writer = WARCWriter(self._file, gzip=gzip, warc_version="WARC/1.1")
        return self._writer

    def write(self, page: FetchedPage, *, request_headers: Mapping[str, str] | None = None) -> str:
        """Archive ``page``; returns ``"<file name>#<record id>"`` for ``FetchedPage.archive``."""
        writer = self._open()
        extra = {"WARC-Date": _warc_date(page.fetched_at)}
        if page.url != page.final_url:
            extra[_REQUESTED] = page.url
        if page.source_id:
            extra[_SOURCE] = page.source_id
        if FEED_ENTRY_HEADER in page.headers:
            record = writer.create_warc_record(
                page.final_url,
                "resource",
                payload=io.BytesIO(page.content),
                length=len(page.content),
                warc_content_type=page.content_type or "text/html",
                warc_headers_dict={**extra, "WARC-Zhibao-Feed": page.headers[FEED_ENTRY_HEADER]},
            )
            writer.write_record(record)
        else:
            request = self._request_record(writer, page, request_headers or {}, extra)
            http_headers = StatusAndHeaders(
                f"{page.status} {_reason(page.status)}",
                list(page.headers.items()),
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                page.final_url,
                "response",
                payload=io.BytesIO(page.content),
                length=len(page.content),
                warc_headers_dict=extra,
                http_headers=http_headers,
            )
            request.rec_headers.add_header(
                "WARC-Concurrent-To", record.rec_headers.get_header("WARC-Record-ID")
            )
            writer.write_record(request)
            writer.write_record(record)
        assert self._file is not None
        self._file.flush()
        self.records += 1
        record_id = record.rec_headers.get_header("WARC-Record-ID").strip("<>")
        return f"{self.path.name}#{record_id}"

    @staticmethod
    def _request_record(writer: WARCWriter, page: FetchedPage, headers: Mapping[str, str], extra):
        from urllib.parse import urlsplit

        parts = urlsplit(page.final_url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        lines = [("Host", parts.netloc), *headers.items()]
        http_headers = StatusAndHeaders(f"GET {target} HTTP/1.1", lines, is_http_request=True)
        return writer.create_warc_record(
            page.final_url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            warc_headers_dict={"WARC-Date": extra["WARC-Date"]},
            http_headers=http_headers,
        )

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            self._writer = None
            if self.object_store is not None:
                self._upload(self.object_store)

    def _upload(self, store: ObjectStore) -> None:
        """Upload the closed file, then any earlier one whose upload had failed. A failure
        never loses a record: the local copy stays, marked for the next run, and the run's
        documents are stored as usual (their references resolve to the local copy)."""
        try:
            store.upload(self.path)
        except ArchiveStoreError as exc:
            self.upload_error = str(exc)
            self.path.with_name(self.path.name + PENDING_SUFFIX).write_text(store.url + "\n")
            log.warning("%s——本地副本保留在 %s，下次上传成功时补传", exc, self.path)
            return
        self.path.unlink()
        self.uploaded = store.where(self.path.name)
        for marker in sorted(self.path.parent.glob("*" + PENDING_SUFFIX)):
            earlier = marker.with_name(marker.name.removesuffix(PENDING_SUFFIX))
            try:
                if earlier.exists():
                    store.upload(earlier)
                    earlier.unlink()
            except ArchiveStoreError as exc:
                log.warning("%s", exc)
                return
            marker.unlink(missing_ok=True)

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def iter_warc(path: str | Path) -> Iterator[FetchedPage]:
    """Read the pages of a WARC or WARC.gz file (response and resource records), in order.

    Each page's ``archive`` is the same reference ``WarcArchive.write`` returned for it.
    """
    path = Path(path)
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: WARC 文件不存在 (file not found)") from None
    with stream:
        head = stream.read(2)
        stream.seek(0)
        if head == b"\x1f\x8b":
            try:
                head = gzip.GzipFile(fileobj=stream).read(5)
            except (OSError, EOFError):
                head = b""
            stream.seek(0)
        else:
            head = stream.read(5)
            stream.seek(0)
        if head != b"WARC/":
            raise InputError(f"{path}: 不是有效的 WARC 文件（开头应为 WARC/1.0 或 WARC/1.1）")
        try:
            for record in ArchiveIterator(stream):
                page = _page_of(record, path.name)
                if page is not None:
                    yield page
        except ArchiveLoadFailed as exc:
            raise InputError(f"{path}: 不是有效的 WARC 文件（{exc}）") from None


def _page_of(record, file_name: str) -> FetchedPage | None:
    if record.rec_type not in ("response", "resource"):
        return None
    warc = record.rec_headers
    url = warc.get_header("WARC-Target-URI")
    if not url:
        return None
    content = record.raw_stream.read()
    date = warc.get_header("WARC-Date")
    if record.rec_type == "response" and record.http_headers is not None:
        status = int(record.http_headers.get_statuscode() or 0)
        headers = {k.lower(): v for k, v in record.http_headers.headers}
    else:
        status = 200
        headers = {"content-type": warc.get_header("Content-Type") or "text/html"}
        if feed := warc.get_header("WARC-Zhibao-Feed"):
            headers[FEED_ENTRY_HEADER] = feed
    return FetchedPage(
        url=warc.get_header(_REQUESTED) or url,
        final_url=url,
        status=status,
        headers=headers,
        content=content,
        fetched_at=_parse_warc_date(date) if date else datetime.now(UTC),
        source_id=warc.get_header(_SOURCE),
        archive=f"{file_name}#{warc.get_header('WARC-Record-ID').strip('<>')}",
    )


def fetch_archived(path: str | Path, *, object_store: ObjectStore | None = None) -> bool:
    """Bring the WARC file that belongs at ``path`` from the object store (default: the
    configured one) into place; False when there is no store or it has no such file.
    ``ArchiveStoreError`` when the store does not answer."""
    store = object_store or archive_store_from_env()
    return store is not None and store.download(Path(path).name, Path(path))


def read_archived(path: str | Path, reference: str) -> FetchedPage | None:
    """The archived page for a ``"<file>#<record id>"`` reference in the WARC at ``path``."""
    record_id = reference.split("#", 1)[-1]
    return next((p for p in iter_warc(path) if p.archive and p.archive.endswith(record_id)), None)
