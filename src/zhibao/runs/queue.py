"""Collection as jobs on a task queue: Dramatiq on Redis, one job per source per run.

``ZHIBAO_QUEUE_URL=redis://host:6379/0`` turns it on. ``enqueue_run`` starts a run in the
store and sends one job per source (a search source with several queries: one per query);
``zhibao worker`` processes, on any machine that reaches the same Redis and the same store,
collect them with ``collect_into_run``; ``wait_run`` follows the run until every job is done.

    >>> queued = enqueue_run(sources, store, url="redis://127.0.0.1:6379/0",
    ...                      database_url="postgresql://zhibao@db/zhibao", date=date(2026, 5, 24))
    >>> report = wait_run(queued, store, url="redis://127.0.0.1:6379/0")   # doctest: +SKIP

Why Dramatiq on Redis: a job is acknowledged only when it is done (the Redis broker keeps a
fetched job in the worker's "acks" set until then; a worker that stops heartbeating has its
jobs put back for another worker), failed jobs are retried with exponential backoff by its
``Retries`` middleware and then parked in a dead-letter set: exactly what collection needs,
with less machinery than Celery (no result backend, no beat, no pickle).

A job is idempotent: the store keeps one document per canonical URL, an article already
stored is not fetched again, and a job whose report is already in Redis (a redelivery after
its acknowledgement was lost) does nothing. Politeness holds for the whole fleet: every job
fetches through ``RedisHostGates``. What each job gave is kept in Redis
(``zhibao:fleet:run:<id>:reports``); the job that completes the run writes the per-source
figures to the store and finishes the run, so ``zhibao collect --queue --no-wait`` needs no
one to wait.

Tuning (environment of the workers): ``ZHIBAO_QUEUE_MAX_RETRIES`` (default 3),
``ZHIBAO_QUEUE_MIN_BACKOFF_MS`` (15 000), ``ZHIBAO_QUEUE_MAX_BACKOFF_MS`` (600 000),
``ZHIBAO_QUEUE_HEARTBEAT_MS`` (15 000: a worker silent that long is dead, its jobs go back).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhibao.core.errors import ZhibaoError
from zhibao.core.loops import run_sync
from zhibao.core.model import Source, SourceKind
from zhibao.crawl import FetchSettings, WarcArchive
from zhibao.crawl.politeness import FLEET_PREFIX, RedisHostGates, host_of
from zhibao.runs.collection import (
    Outcome,
    RunObserver,
    RunReport,
    SourceReport,
    collect_into_run,
    collection_window,
    record_source_report,
)

if TYPE_CHECKING:
    from dramatiq.brokers.redis import RedisBroker

    from zhibao.store import Store

__all__ = [
    "QUEUE_NAME",
    "QUEUE_URL_ENV",
    "Job",
    "QueueError",
    "QueuedRun",
    "enqueue_run",
    "get_broker",
    "plan_jobs",
    "queue_url",
    "redis_client",
    "required_queue_url",
    "wait_run",
]

QUEUE_URL_ENV = "ZHIBAO_QUEUE_URL"
NAMESPACE = "zhibao"  # Dramatiq's keys: zhibao:collect, zhibao:collect.DQ (delayed), .XQ (parked)
QUEUE_NAME = "collect"
ACTOR_NAME = "collect_source"
RUN_TTL_S = 7 * 86400  # a run's job reports stay in Redis a week
WORKER_BEAT_S = 1.0  # how often a worker says it is alive (zhibao status)
JOB_TIME_LIMIT_MS = 3 * 3600 * 1000  # one source, 200 articles at 1 s each, with room to spare


class QueueError(ZhibaoError):
    """The task queue is missing, unreachable or misconfigured."""


def queue_url(url: str | None = None) -> str | None:
    """The queue's Redis URL: ``url``, else ``$ZHIBAO_QUEUE_URL``; None runs in-process."""
    return url or os.environ.get(QUEUE_URL_ENV) or None


def required_queue_url(url: str | None = None) -> str:
    """``queue_url(url)``, reachable, or ``QueueError`` saying how to configure one."""
    found = queue_url(url)
    if not found:
        raise QueueError(f"未配置任务队列：请设置 {QUEUE_URL_ENV}=redis://主机:6379/0")
    check_reachable(found)
    return found


def _env_int(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise QueueError(f"环境变量 {name} 应为非负整数（收到 {text!r}）")
    return int(text)


def mask(url: str) -> str:
    """``url`` with its password hidden, for messages and ``zhibao status``."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


# --------------------------------------------------------------------------- Redis keys


def run_key(run_id: int, part: str) -> str:
    return f"{FLEET_PREFIX}run:{run_id}:{part}"


RUNS_KEY = f"{FLEET_PREFIX}runs"  # sorted set: run id by start time
WORKERS_KEY = f"{FLEET_PREFIX}workers"  # hash: worker id → what it is
BEATS_KEY = f"{FLEET_PREFIX}workers:beats"  # sorted set: worker id by last heartbeat
PARKED_KEY = f"{FLEET_PREFIX}parked"  # hash: message id → the parked job and its error

_CLIENTS: dict[str, Any] = {}
_BROKERS: dict[str, RedisBroker] = {}
_SETUP = threading.Lock()


def redis_client(url: str) -> Any:
    """One synchronous Redis client per URL in this process (it pools its connections)."""
    with _SETUP:
        if url not in _CLIENTS:
            try:
                import redis
            except ImportError:
                raise QueueError(
                    "未安装任务队列依赖：请运行 pip install 'zhibao[queue]' (dramatiq, redis)"
                ) from None
            _CLIENTS[url] = redis.Redis.from_url(url, decode_responses=True)
        return _CLIENTS[url]


def check_reachable(url: str) -> None:
    """Raise ``QueueError`` naming ``url`` when its Redis does not answer."""
    import redis

    try:
        redis_client(url).ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        raise QueueError(
            f"无法连接任务队列 {mask(url)}（{exc}）；请检查 Redis 是否运行、"
            f"{QUEUE_URL_ENV} 是否正确 (queue unreachable)"
        ) from None


# --------------------------------------------------------------------------- jobs


@dataclass
class Job:
    """One source (or one query of a search source) to collect into run ``run_id``."""

    run_id: int
    key: str  # unique within the run: the source id, "<id>#q2" for a search query
    source: dict[str, Any]
    window: list[str]
    settings: dict[str, Any]
    database_url: str
    archive_dir: str | None = None
    roundup_titles: list[str] | None = None
    search_keywords: list[str] | None = None
    use_backlog: bool = True

    @property
    def source_id(self) -> str:
        return str(self.source["id"])

    @property
    def name(self) -> str:
        return str(self.source.get("name", self.source_id))


def plan_jobs(
    sources: Sequence[Source], keywords: Sequence[str] | None
) -> list[tuple[str, Source, bool]]:
    """``(key, source, use_backlog)`` per job: one per source, a search source one per query
    (only its first job takes the source's backlog of queued links)."""
    planned: list[tuple[str, Source, bool]] = []
    for source in sources:
        queries: list[str] | None = None
        if source.kind == SourceKind.search:
            queries = (
                list(keywords or []) if source.queries == "from_profile" else list(source.queries)
            )
        if not queries or len(queries) < 2:
            planned.append((source.id, source, True))
            continue
        for n, query in enumerate(queries, 1):
            one = source.model_copy(update={"queries": [query]})
            planned.append((f"{source.id}#q{n}", one, n == 1))
    return planned


def interleaved_by_host(jobs: Sequence[Job]) -> list[Job]:
    """``jobs`` taking their sites in turn: sources listed site by site would otherwise put
    every worker thread in line at one site (its per-host delay) while the others sit idle."""
    by_host: dict[str, list[Job]] = {}
    for job in jobs:
        urls = job.source.get("urls") or [""]
        by_host.setdefault(host_of(urls[0]), []).append(job)
    lines = list(by_host.values())
    return [
        line[n] for n in range(max(map(len, lines), default=0)) for line in lines if n < len(line)
    ]


@dataclass
class QueuedRun:
    """A run whose jobs are on the queue."""

    run_id: int
    jobs: list[Job]
    window: list[date]
    started: float = field(default_factory=time.monotonic)


def enqueue_run(
    sources: Sequence[Source],
    store: Store,
    *,
    url: str,
    database_url: str | None = None,
    date: date,
    days: int = 1,
    settings: FetchSettings | None = None,
    archive_dir: Path | None = None,
    roundup_titles: Sequence[str] | None = None,
    search_keywords: Sequence[str] | None = None,
) -> QueuedRun:
    """Start a run in ``store`` and put one job per source on the queue at ``url``.

    ``database_url``: where the workers store what they collect: the same database as
    ``store`` (PostgreSQL, or a SQLite file every worker reaches at the same path); default
    ``store``'s own URL. ``archive_dir``: where each job writes its WARC file (a shared path).
    """
    actor = get_broker(url).get_actor(ACTOR_NAME)
    window = collection_window(date, days)
    fetch = dataclasses.asdict(settings or FetchSettings())
    db = database_url or store.url
    if "***" in db:
        raise QueueError(
            "数据库地址的密码被隐藏了：请用 --database-url 给出完整地址，供工作进程使用"
        )
    if db.startswith("sqlite") and ":memory:" in db:
        raise QueueError("内存数据库无法与工作进程共享：请用 SQLite 文件或 PostgreSQL")
    run_id = store.start_run()
    jobs = [
        Job(
            run_id=run_id,
            key=key,
            source=source.model_dump(mode="json"),
            window=[d.isoformat() for d in window],
            settings=fetch,
            database_url=db,
            archive_dir=str(archive_dir.resolve()) if archive_dir is not None else None,
            roundup_titles=list(roundup_titles) if roundup_titles is not None else None,
            search_keywords=list(search_keywords) if search_keywords is not None else None,
            use_backlog=use_backlog,
        )
        for key, source, use_backlog in plan_jobs(sources, search_keywords)
    ]
    client = redis_client(url)
    meta = {
        "jobs": json.dumps([[j.key, j.source_id, j.name] for j in jobs], ensure_ascii=False),
        "window": json.dumps([d.isoformat() for d in window]),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "total": len(jobs),
    }
    with client.pipeline() as pipe:
        pipe.hset(run_key(run_id, "meta"), mapping=meta)
        pipe.expire(run_key(run_id, "meta"), RUN_TTL_S)
        pipe.zadd(RUNS_KEY, {str(run_id): time.time()})
        pipe.execute()
    for job in interleaved_by_host(jobs):
        actor.send(dataclasses.asdict(job))
    if not jobs:
        _finish(client, store, run_id)
    return QueuedRun(run_id, jobs, window)


def wait_run(
    queued: QueuedRun,
    store: Store,
    *,
    url: str,
    progress: Callable[[int, int, int], None] | None = None,
    timeout: float | None = None,
    poll_s: float = 0.25,
) -> RunReport:
    """Wait until every job of ``queued`` has reported (done, or parked after its retries),
    calling ``progress(jobs_done, jobs_total, pages_handled)`` as they come in; the run's
    report, one ``SourceReport`` per source in the order given.

    ``timeout``: give up after that many seconds with ``QueueError`` (the jobs go on)."""
    client = redis_client(url)
    total = len(queued.jobs)
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        done = client.hlen(run_key(queued.run_id, "reports"))
        if progress is not None:
            progress(done, total, int(client.get(run_key(queued.run_id, "pages")) or 0))
        if done >= total:
            break
        if deadline is not None and time.monotonic() > deadline:
            raise QueueError(
                f"等待运行 #{queued.run_id} 超时：{done}/{total} 个任务已完成；任务仍在队列中，"
                "可用 zhibao status 查看 (timed out waiting for the run)"
            )
        time.sleep(poll_s)
    # Written here too, not left to the last job: its worker may still be writing them.
    sources = _finish(client, store, queued.run_id, always=True)
    return RunReport(
        run_id=queued.run_id,
        sources=sources,
        archive=None,
        window=queued.window,
        duration_s=time.monotonic() - queued.started,
    )


# --------------------------------------------------------------------------- reports


def _report_json(report: SourceReport) -> str:
    return json.dumps(dataclasses.asdict(report), ensure_ascii=False)


def merged_reports(reports: Sequence[SourceReport]) -> SourceReport:
    """One source's report from those of its jobs (a search source: one per query)."""
    first = reports[0]
    merged = SourceReport(first.source_id, first.name)
    for report in reports:
        for f in dataclasses.fields(SourceReport):
            value = getattr(report, f.name)
            if f.name == "errors":
                merged.errors.extend(value)
            elif f.name == "duration_s":
                merged.duration_s = max(merged.duration_s, value)
            elif isinstance(value, int) and f.name != "queued":
                setattr(merged, f.name, getattr(merged, f.name) + value)
    merged.queued = max(r.queued for r in reports)  # the source's queue, seen by each job
    return merged


def _finish(client: Any, store: Store, run_id: int, *, always: bool = False) -> list[SourceReport]:
    """The run's per-source reports; the first caller once every job reported (and, with
    ``always``, this one too) writes them to the store and finishes the run (safe to do
    twice: both replace)."""
    meta = client.hgetall(run_key(run_id, "meta"))
    raw = client.hgetall(run_key(run_id, "reports"))
    jobs = json.loads(meta.get("jobs", "[]"))
    by_source: dict[str, list[SourceReport]] = {}
    names: dict[str, str] = {}
    for key, source_id, name in jobs:
        names[source_id] = name
        if key in raw:
            by_source.setdefault(source_id, []).append(SourceReport(**json.loads(raw[key])))
    sources = [
        merged_reports(by_source[sid]) if sid in by_source else SourceReport(sid, names[sid])
        for sid in names
    ]
    first = len(raw) >= len(jobs) and client.hsetnx(run_key(run_id, "meta"), "finished", "1")
    if first or (always and len(raw) >= len(jobs)):
        for report in sources:
            record_source_report(store, run_id, report)
        failed = bool(sources) and all(s.failed for s in sources)
        store.finish_run(run_id, status="failed" if failed else "finished")
    return sources


def _put_report(client: Any, store: Store | None, job: Job, report: SourceReport) -> None:
    reports = run_key(job.run_id, "reports")
    with client.pipeline() as pipe:
        pipe.hset(reports, job.key, _report_json(report))
        pipe.expire(reports, RUN_TTL_S)
        pipe.hlen(reports)
        done = pipe.execute()[-1]
    total = int(client.hget(run_key(job.run_id, "meta"), "total") or 0)
    if store is not None and done >= total:
        _finish(client, store, job.run_id)


# --------------------------------------------------------------------------- the worker side

_STORES: dict[str, Store] = {}


def _store_at(database_url: str) -> Store:
    """One open store per database in a worker process, shared by its threads."""
    from zhibao.store import Store

    with _SETUP:
        if database_url not in _STORES:
            _STORES[database_url] = Store.open(database_url)
        return _STORES[database_url]


class _PageCounter(RunObserver):
    """Counts the run's pages in Redis, for the progress bar of whoever waits."""

    def __init__(self, client: Any, run_id: int):
        self.client = client
        self.key = run_key(run_id, "pages")

    def page_done(self, source: Source, outcome: Outcome, url: str) -> None:
        self.client.incr(self.key)
        self.client.expire(self.key, RUN_TTL_S)


def run_job(url: str, payload: dict[str, Any]) -> SourceReport | None:
    """What a worker does with one job: collect its source into its run, report to Redis.
    None when the job had already reported (a redelivery)."""
    job = Job(**payload)
    client = redis_client(url)
    if client.hexists(run_key(job.run_id, "reports"), job.key):
        return None
    store = _store_at(job.database_url)
    source = Source.model_validate(job.source)
    settings = FetchSettings(**job.settings)
    archive = None
    if job.archive_dir is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        slug = re.sub(r"[^a-z0-9_-]+", "-", job.key.lower())
        name = f"run-{job.run_id:05d}-{slug}-{stamp}-{os.getpid()}.warc.gz"
        Path(job.archive_dir).mkdir(parents=True, exist_ok=True)
        archive = WarcArchive(Path(job.archive_dir) / name)
    gates = RedisHostGates(url, settings.per_host_concurrency)
    try:
        report = run_sync(
            lambda: collect_into_run(
                source,
                store,
                job.run_id,
                window=[date.fromisoformat(d) for d in job.window],
                settings=settings,
                archive=archive,
                observer=_PageCounter(client, job.run_id),
                roundup_titles=job.roundup_titles,
                search_keywords=job.search_keywords,
                gates=gates,
                use_backlog=job.use_backlog,
            )
        )
    finally:
        if archive is not None:
            archive.close()
    _put_report(client, store, job, report)
    return report


def _parked(url: str, message: Any, exception: BaseException) -> None:
    """A job out of retries: note it for ``zhibao status`` and report its source as failed,
    so the run completes instead of waiting forever."""
    payload = message.args[0] if message.args else {}
    error = f"{type(exception).__name__}: {exception}"
    retries = int(message.options.get("retries", 0)) - 1
    client = redis_client(url)
    entry = {
        "run_id": payload.get("run_id"),
        "job": payload.get("key"),
        "error": error,
        "retries": max(retries, 0),
        "parked_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    client.hset(PARKED_KEY, message.message_id, json.dumps(entry, ensure_ascii=False))
    try:
        job = Job(**payload)
    except TypeError:
        return
    report = SourceReport(job.source_id, job.name)
    report.errors.append(f"任务重试 {entry['retries']} 次后仍失败，已搁置（{error}）")
    store = None
    try:
        store = _store_at(job.database_url)
    except Exception:  # the store itself may be why the job failed
        store = None
    _put_report(client, store, job, report)


def get_broker(url: str) -> RedisBroker:
    """The Dramatiq broker on the Redis at ``url``, with the collection actor declared
    (once per process and URL); it is also made Dramatiq's global broker."""
    with _SETUP:
        if url in _BROKERS:
            return _BROKERS[url]
    try:
        import dramatiq
        from dramatiq.brokers.redis import RedisBroker
        from dramatiq.middleware import Middleware, Retries
    except ImportError:
        raise QueueError(
            "未安装任务队列依赖：请运行 pip install 'zhibao[queue]' (dramatiq, redis)"
        ) from None

    class ParkedJobs(Middleware):
        def after_process_message(self, broker, message, *, result=None, exception=None):  # noqa: ANN001
            if exception is not None and message.failed:
                _parked(url, message, exception)

    class Heartbeat(Middleware):
        """Each worker process says it is alive every second (``zhibao status``)."""

        def after_worker_boot(self, broker, worker):  # noqa: ANN001
            self.stop = threading.Event()
            self.worker_id = f"{socket.gethostname()}:{os.getpid()}"
            about = {
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "threads": len(worker.workers),
                "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            client = redis_client(url)
            client.hset(WORKERS_KEY, self.worker_id, json.dumps(about))

            def beat() -> None:
                while not self.stop.is_set():
                    # Redis away for a moment: the next beat tries again.
                    with contextlib.suppress(Exception):
                        client.zadd(BEATS_KEY, {self.worker_id: time.time()})
                    self.stop.wait(WORKER_BEAT_S)

            threading.Thread(target=beat, name="zhibao-heartbeat", daemon=True).start()

        def before_worker_shutdown(self, broker, worker):  # noqa: ANN001
            self.stop.set()
            client = redis_client(url)
            client.zrem(BEATS_KEY, self.worker_id)
            client.hdel(WORKERS_KEY, self.worker_id)

    broker = RedisBroker(
        url=url,
        namespace=NAMESPACE,
        heartbeat_timeout=_env_int("ZHIBAO_QUEUE_HEARTBEAT_MS", 15_000),
        # Maintenance (jobs of dead workers put back) on 2% of broker calls by default: a
        # dead worker's jobs return soon after its heartbeat timeout.
        maintenance_chance=_env_int("ZHIBAO_QUEUE_MAINTENANCE_PER_MILLION", 20_000),
    )
    for middleware in broker.middleware:
        if isinstance(middleware, Retries):
            middleware.max_retries = _env_int("ZHIBAO_QUEUE_MAX_RETRIES", 3)
            middleware.min_backoff = _env_int("ZHIBAO_QUEUE_MIN_BACKOFF_MS", 15_000) or 1
            middleware.max_backoff = _env_int("ZHIBAO_QUEUE_MAX_BACKOFF_MS", 600_000) or 1
    # After-hooks run in reverse order: placed before Retries, it sees the job Retries failed.
    broker.add_middleware(ParkedJobs(), before=Retries)
    broker.add_middleware(Heartbeat())
    dramatiq.set_broker(broker)

    def collect_source(payload: dict[str, Any]) -> None:
        run_job(url, payload)

    dramatiq.actor(
        collect_source,
        actor_name=ACTOR_NAME,
        queue_name=QUEUE_NAME,
        broker=broker,
        time_limit=JOB_TIME_LIMIT_MS,
    )
    with _SETUP:
        _BROKERS[url] = broker
    return broker
