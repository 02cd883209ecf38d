"""The ``Store``: documents, their earlier versions, collection runs and HTTP validators."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from zhibao.core.model import Attachment, Document
from zhibao.core.text import content_hash
from zhibao.core.time import SHANGHAI, now_utc
from zhibao.core.urls import canonical_url as canonical_form
from zhibao.core.urls import same_site
from zhibao.store.briefs import BriefMemory
from zhibao.store.database import StoreError, create_store_engine, migrate, resolve_url
from zhibao.store.features import FeatureMemory
from zhibao.store.health import RunRecord, SourceHealth, judge_source, order_ids
from zhibao.store.queue import LinkQueue
from zhibao.store.search_cache import SearchCacheMemory
from zhibao.store.tables import (
    DocumentAliasRow,
    DocumentRow,
    DocumentVersionRow,
    RunRow,
    RunSourceRow,
    ValidatorRow,
)

if TYPE_CHECKING:
    from zhibao.store.responses import ResponseCache

__all__ = ["MIN_DISTINCT_TEXT", "Store", "UpsertResult", "ValidatorMemory"]

UpsertResult = Literal["new", "updated", "unchanged"]

# A text this long (characters) is distinctive: the same text again on the same site is the same
# article at another URL. Shorter bodies (a stub, "详见附件", a one-line notice) repeat honestly.
MIN_DISTINCT_TEXT = 200

# Metadata a later fetch may lack (an import without a source, a page without a date); an
# update never erases what an earlier fetch knew.
_KEEP_WHEN_MISSING = (
    "published_at",
    "source_id",
    "source_org",
    "fetched_at",
    "archive",
    "page_url",
    "column",
    "doc_number",
    "issuer",
    "written_at",
    "index_no",
    "subject",
    "search_query",
    "search_engine",
)
_VERSIONED = (
    "url",
    "title",
    "published_at",
    "source_org",
    "language",
    "text",
    "attachments",
    "content_hash",
    "fetched_at",
    "archive",
    "first_seen",
)


def document_hash(doc: Document) -> str:
    """The document's own hash, else the hash of its text (documents imported from JSONL)."""
    return doc.content_hash or content_hash(doc.text)


def _values(doc: Document) -> dict[str, Any]:
    return {
        "canonical_url": doc.canonical_url,
        "url": doc.url,
        "title": doc.title,
        "published_at": doc.published_at,
        "source_id": doc.source_id,
        "source_org": doc.source_org,
        "language": doc.language,
        "text": doc.text,
        "attachments": [a.model_dump() for a in doc.attachments],
        "content_hash": document_hash(doc),
        "fetched_at": doc.fetched_at,
        "archive": doc.archive,
        "page_url": doc.page_url,
        "column": doc.column,
        "doc_number": doc.doc_number,
        "issuer": doc.issuer,
        "written_at": doc.written_at,
        "index_no": doc.index_no,
        "subject": doc.subject,
        "search_query": doc.search_query,
        "search_engine": doc.search_engine,
    }


def _document(row: DocumentRow | DocumentVersionRow, canonical_url: str) -> Document:
    return Document(
        url=row.url,
        canonical_url=canonical_url,
        title=row.title,
        text=row.text,
        published_at=row.published_at,
        source_id=getattr(row, "source_id", None),
        source_org=row.source_org,
        language=row.language,
        attachments=[Attachment(**a) for a in row.attachments or []],
        content_hash=row.content_hash,
        fetched_at=row.fetched_at,
        archive=row.archive,
        page_url=getattr(row, "page_url", None),
        column=getattr(row, "column", ""),
        doc_number=getattr(row, "doc_number", ""),
        issuer=getattr(row, "issuer", ""),
        written_at=getattr(row, "written_at", None),
        index_no=getattr(row, "index_no", ""),
        subject=getattr(row, "subject", ""),
        search_query=getattr(row, "search_query", ""),
        search_engine=getattr(row, "search_engine", ""),
    )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def _fetched_url(doc: Document) -> str:
    """The canonical form of the URL ``doc`` was fetched at (a story keeps its ``#story-n``)."""
    base, _, fragment = doc.url.partition("#")
    fetched = canonical_form(base)
    return f"{fetched}#{fragment}" if doc.page_url and fragment else fetched


def _row_at(session: Session, url: str) -> DocumentRow | None:
    """The document stored under ``url``, or under another URL that ``url`` is an alias of."""
    row = session.scalar(select(DocumentRow).where(DocumentRow.canonical_url == url))
    if row is None:
        row = session.scalar(
            select(DocumentRow)
            .join(DocumentAliasRow, DocumentAliasRow.document_id == DocumentRow.id)
            .where(DocumentAliasRow.url == url)
        )
    return row


def _same_text(session: Session, doc: Document, digest: str) -> DocumentRow | None:
    """A stored document of ``doc``'s site with the same distinctive text, if any.

    Stories cut from round-up pages are left out on both sides: one story repeated in two
    bulletins is two appearances, and the page they came from must stay findable by its stories.
    """
    if doc.page_url or len(doc.text) < MIN_DISTINCT_TEXT:
        return None
    rows = session.scalars(
        select(DocumentRow)
        .where(DocumentRow.content_hash == digest, DocumentRow.page_url.is_(None))
        .order_by(DocumentRow.id)
    )
    return next((r for r in rows if _same_site(r.canonical_url, doc.canonical_url)), None)


def _same_site(a: str, b: str) -> bool:
    # The port too: sites served side by side from one host (127.0.0.1:8001, :8002) are not one.
    return same_site(a, b) and urlsplit(a).port == urlsplit(b).port


def _add_alias(session: Session, row: DocumentRow, url: str, now: datetime) -> None:
    """Remember ``url`` as another address of ``row``, unless it already names something."""
    if not url or url == row.canonical_url:
        return
    taken = session.scalar(
        select(DocumentRow.id).where(DocumentRow.canonical_url == url)
    ) or session.get(DocumentAliasRow, url)
    if taken is None:
        session.add(DocumentAliasRow(url=url, document_id=row.id, found_at=now))


class ValidatorMemory:
    """ETag / Last-Modified per URL: the ``ValidatorStore`` that collect's ``Fetcher`` takes."""

    def __init__(self, sessions: sessionmaker[Session]):
        self._sessions = sessions

    def get(self, url: str) -> tuple[str | None, str | None] | None:
        with self._sessions() as session:
            row = session.get(ValidatorRow, url)
            return (row.etag, row.last_modified) if row else None

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None:
        with self._sessions() as session, session.begin():
            row = session.get(ValidatorRow, url)
            if etag is None and last_modified is None:
                if row is not None:
                    session.delete(row)
                return
            if row is None:
                session.add(
                    ValidatorRow(
                        url=url, etag=etag, last_modified=last_modified, updated_at=now_utc()
                    )
                )
            else:
                row.etag, row.last_modified, row.updated_at = etag, last_modified, now_utc()


class Store(BriefMemory, FeatureMemory, LinkQueue, SearchCacheMemory):
    """One database for every stage. Each write is its own short transaction, so a run killed
    midway keeps everything stored before the kill and a rerun adds no duplicate.

        >>> store = Store.open("sqlite://")          # in memory; default: <data_dir>/zhibao.db
        >>> store.has_document("https://www.nda.gov.cn/sjj/a.html")
        False
    """

    def __init__(self, engine: Engine):
        # Private: the tables are the store's own business; other layers call its methods.
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.validators = ValidatorMemory(self._sessions)

    @classmethod
    def open(cls, url: str | None = None, *, data_dir: Path | None = None) -> Store:
        """Open (and create or migrate to the newest schema) the database at ``url``.

        ``url`` defaults to ``$ZHIBAO_DATABASE_URL``, else ``<data_dir>/zhibao.db``.
        """
        engine = create_store_engine(resolve_url(url, data_dir=data_dir))
        migrate(engine)
        return cls(engine)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        return self._engine.url.render_as_string()

    # ------------------------------------------------------------------ documents

    def upsert_document(self, doc: Document) -> UpsertResult:
        """Store ``doc`` by canonical URL: ``new``, ``updated`` (earlier version kept) or
        ``unchanged`` (same content hash; only ``last_seen`` and missing metadata change).

        One article is one document whatever URL it comes under: a page whose canonical link
        names another URL is stored under that URL, and a new URL whose text (at least
        ``MIN_DISTINCT_TEXT`` characters) is that of a document already stored from the same
        site is that document (``unchanged``). Either way the URL it was fetched at becomes an
        alias, so ``has_document`` knows it next time.
        """
        try:
            return self._upsert(doc)
        except IntegrityError:
            # Another writer inserted the same canonical URL between our read and our insert.
            return self._upsert(doc)

    def _upsert(self, doc: Document) -> UpsertResult:
        values, now = _values(doc), now_utc()
        fetched = _fetched_url(doc)
        with self._sessions() as session, session.begin():
            row = _row_at(session, doc.canonical_url)
            if row is None:
                row = _same_text(session, doc, values["content_hash"])
                if row is None:
                    row = DocumentRow(**values, first_seen=now, last_seen=now)
                    session.add(row)
                    session.flush()
                    _add_alias(session, row, fetched, now)
                    return "new"
                if doc.canonical_url != fetched:  # same text: its own canonical URL too
                    _add_alias(session, row, doc.canonical_url, now)
            _add_alias(session, row, fetched, now)
            # Reached through an alias: the document keeps its own address.
            values["canonical_url"], values["url"] = row.canonical_url, row.url
            row.last_seen = now
            for name in _KEEP_WHEN_MISSING:
                if not values[name]:
                    values[name] = getattr(row, name)
            if row.content_hash == values["content_hash"]:
                for name in _KEEP_WHEN_MISSING:
                    if not getattr(row, name):
                        setattr(row, name, values[name])
                return "unchanged"
            old = {name: getattr(row, name) for name in _VERSIONED}
            # A version's first_seen is when it became current: the previous replacement, if any.
            previous = session.scalar(
                select(func.max(DocumentVersionRow.replaced_at)).where(
                    DocumentVersionRow.document_id == row.id
                )
            )
            old["first_seen"] = previous or row.first_seen
            session.add(DocumentVersionRow(document_id=row.id, replaced_at=now, **old))
            for name, value in values.items():
                setattr(row, name, value)
            return "updated"

    def has_document(self, canonical_url: str) -> bool:
        """True when a document is stored under ``canonical_url`` or has it as an alias."""
        with self._sessions() as session:
            found = session.scalar(
                select(DocumentRow.id).where(DocumentRow.canonical_url == canonical_url)
            ) or session.get(DocumentAliasRow, canonical_url)
            return found is not None

    def aliases(self, canonical_url: str) -> list[str]:
        """The other URLs the document at ``canonical_url`` was found under, oldest first."""
        with self._sessions() as session:
            return list(
                session.scalars(
                    select(DocumentAliasRow.url)
                    .join(DocumentRow, DocumentRow.id == DocumentAliasRow.document_id)
                    .where(DocumentRow.canonical_url == canonical_url)
                    .order_by(DocumentAliasRow.found_at, DocumentAliasRow.url)
                )
            )

    def document(self, url: str) -> Document | None:
        """The current version of the document at ``url`` (canonical, an alias, or as fetched)."""
        with self._sessions() as session:
            row = _row_at(session, url)
            if row is None:
                row = session.scalars(
                    select(DocumentRow).where(DocumentRow.url == url).order_by(DocumentRow.id)
                ).first()
            return _document(row, row.canonical_url) if row else None

    def versions(self, canonical_url: str) -> list[Document]:
        """Earlier versions of a document, oldest first (the current one is ``document``)."""
        with self._sessions() as session:
            rows = session.scalars(
                select(DocumentVersionRow)
                .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
                .where(DocumentRow.canonical_url == canonical_url)
                .order_by(DocumentVersionRow.id)
            ).all()
            return [_document(r, canonical_url) for r in rows]

    def documents(
        self,
        since: date | None = None,
        until: date | None = None,
        *,
        source_ids: Iterable[str] | None = None,
        undated: bool = False,
    ) -> list[Document]:
        """Documents published from ``since`` to ``until`` (inclusive, Asia/Shanghai days),
        oldest first.

        A document without a publication date was published on no known day, so a window
        leaves it out; ``undated=True`` takes it in on the day it was fetched (for a caller
        that wants every candidate and judges dates itself). Without a window every document
        is listed, dated or not.
        """
        windowed = since is not None or until is not None
        if undated or not windowed:
            when = func.coalesce(
                DocumentRow.published_at, DocumentRow.fetched_at, DocumentRow.first_seen
            )
        else:
            when = DocumentRow.published_at
        query = select(DocumentRow)
        if windowed and not undated:
            query = query.where(DocumentRow.published_at.is_not(None))
        if since is not None:
            query = query.where(when >= _day_start(since))
        if until is not None:
            query = query.where(when < _day_start(until + timedelta(days=1)))
        if source_ids is not None:
            query = query.where(DocumentRow.source_id.in_(list(source_ids)))
        with self._sessions() as session:
            rows = session.scalars(query.order_by(when, DocumentRow.id)).all()
            return [_document(r, r.canonical_url) for r in rows]

    def documents_fingerprint(self) -> tuple[int, datetime | None]:
        """(count, newest ``last_seen``) of the stored documents: changes whenever they do,
        so a caller can keep an analysis until new documents arrive."""
        with self._engine.connect() as conn:
            count, newest = conn.execute(
                select(func.count(DocumentRow.id), func.max(DocumentRow.last_seen))
            ).one()
        return int(count), newest

    def response_cache(self) -> ResponseCache:
        """The LLM writer's response cache, kept in this database."""
        from zhibao.store.responses import ResponseCache

        return ResponseCache(self._engine)

    def count_documents(self) -> int:
        with self._sessions() as session:
            return session.scalar(select(func.count(DocumentRow.id))) or 0

    # ------------------------------------------------------------------ runs

    def start_run(self) -> int:
        with self._sessions() as session, session.begin():
            run = RunRow(started_at=now_utc(), status="running")
            session.add(run)
            session.flush()
            return run.id

    def record_source(
        self,
        run_id: int,
        source_id: str,
        *,
        lists_fetched: int = 0,
        lists_empty: int = 0,
        new_documents: int = 0,
        updated_documents: int = 0,
        errors: int = 0,
        last_error: str | None = None,
        duration_s: float = 0.0,
    ) -> None:
        """Record what ``source_id`` gave in run ``run_id`` (recording it again replaces it)."""
        counts = {
            "lists_fetched": lists_fetched,
            "lists_empty": lists_empty,
            "new_documents": new_documents,
            "updated_documents": updated_documents,
            "errors": errors,
            "last_error": last_error,
            "duration_s": float(duration_s),
            "recorded_at": now_utc(),
        }
        with self._sessions() as session, session.begin():
            if session.get(RunRow, run_id) is None:
                raise StoreError(f"运行 #{run_id} 不存在 (unknown run id)；请先调用 start_run()")
            row = session.scalar(
                select(RunSourceRow).where(
                    RunSourceRow.run_id == run_id, RunSourceRow.source_id == source_id
                )
            )
            if row is None:
                session.add(RunSourceRow(run_id=run_id, source_id=source_id, **counts))
            else:
                for name, value in counts.items():
                    setattr(row, name, value)

    def finish_run(self, run_id: int, *, status: str = "finished") -> None:
        with self._sessions() as session, session.begin():
            run = session.get(RunRow, run_id)
            if run is None:
                raise StoreError(f"运行 #{run_id} 不存在 (unknown run id)")
            run.finished_at, run.status = now_utc(), status

    def runs(self, limit: int = 20) -> list[tuple[int, datetime, datetime | None, str]]:
        """The latest runs, newest first: ``(id, started_at, finished_at, status)``."""
        with self._sessions() as session:
            rows = session.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(limit)).all()
            return [(r.id, r.started_at, r.finished_at, r.status) for r in rows]

    def source_health(
        self,
        last_runs: int = 5,
        *,
        source_ids: Iterable[str] | None = None,
        quiet_after: int | None = None,
    ) -> list[SourceHealth]:
        """Health of each source over its ``last_runs`` most recent runs (see ``health``).

        ``source_ids`` (the configured sources) are listed too, as ``never-run`` when they
        were in no run; a source is ``quiet`` after ``quiet_after`` (default ``last_runs``)
        runs in a row without a new document.
        """
        if last_runs < 1:
            raise StoreError(f"last_runs 至少为 1，收到 {last_runs}")
        rank = (
            func.row_number()
            .over(partition_by=RunSourceRow.source_id, order_by=RunSourceRow.run_id.desc())
            .label("rank")
        )
        ranked = (
            select(RunSourceRow, RunRow.started_at, rank)
            .join(RunRow, RunRow.id == RunSourceRow.run_id)
            .subquery()
        )
        last_new = (
            select(RunSourceRow.source_id, func.max(RunSourceRow.run_id).label("run_id"))
            .where(RunSourceRow.new_documents > 0)
            .group_by(RunSourceRow.source_id)
            .subquery()
        )
        since_new = (
            select(RunSourceRow.source_id, func.count(RunSourceRow.id))
            .outerjoin(last_new, last_new.c.source_id == RunSourceRow.source_id)
            .where(or_(last_new.c.run_id.is_(None), RunSourceRow.run_id > last_new.c.run_id))
            .group_by(RunSourceRow.source_id)
        )
        totals = select(RunSourceRow.source_id, func.count(RunSourceRow.id)).group_by(
            RunSourceRow.source_id
        )
        with self._sessions() as session:
            recent_rows = session.execute(
                select(ranked)
                .where(and_(ranked.c.rank <= last_runs))
                .order_by(ranked.c.source_id, ranked.c.run_id.desc())
            ).all()
            runs_since_new = dict(session.execute(since_new).all())
            total_runs = dict(session.execute(totals).all())
        recent: dict[str, list[RunRecord]] = {}
        for r in recent_rows:
            recent.setdefault(r.source_id, []).append(
                RunRecord(
                    run_id=r.run_id,
                    started_at=r.started_at,
                    lists_fetched=r.lists_fetched,
                    lists_empty=r.lists_empty,
                    new_documents=r.new_documents,
                    updated_documents=r.updated_documents,
                    errors=r.errors,
                    last_error=r.last_error,
                )
            )
        return [
            judge_source(
                source_id,
                recent.get(source_id, []),
                runs_since_new=runs_since_new.get(source_id, 0),
                total_runs=total_runs.get(source_id, 0),
                quiet_after=quiet_after or last_runs,
            )
            for source_id in order_ids(recent, source_ids)
        ]
