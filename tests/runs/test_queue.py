"""Collection as jobs on a real Redis, by real ``zhibao worker`` processes (issue 15, items 1
and 5): the same documents as an in-process run, nothing lost or doubled when a worker is
``kill -9``-ed mid-run, each host's delay and concurrency kept by the fleet as a whole, and
a job that keeps failing retried, parked and shown by ``zhibao status``.

Needs ``ZHIBAO_TEST_REDIS_URL`` (``scripts/test.sh`` starts a throwaway redis-server);
without it the tests are skipped, except under CI, where they fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from zhibao.core.model import Source
from zhibao.crawl import FetchSettings
from zhibao.runs.collection import collect_run
from zhibao.store import Store

REDIS_URL = os.environ.get("ZHIBAO_TEST_REDIS_URL", "")
DAY = date(2026, 5, 23)
HOSTS = 5
SOURCES_PER_HOST = 10  # 50 sources
ARTICLES = 3
DELAY = 0.1  # per host, between request starts
PER_HOST = 2


@pytest.fixture
def redis_url() -> str:
    """The test Redis, emptied: a database of its own per test process (xdist-safe)."""
    if not REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail(
                "CI 必须运行任务队列测试：ZHIBAO_TEST_REDIS_URL 未设置（见 scripts/test.sh）"
            )
        pytest.skip("ZHIBAO_TEST_REDIS_URL 未设置：跳过任务队列测试")
    import redis

    base = REDIS_URL.rsplit("/", 1)[0] if REDIS_URL.count("/") > 2 else REDIS_URL
    url = f"{base}/{1 + os.getpid() % 15}"
    redis.Redis.from_url(url).flushdb()
    return url


# --------------------------------------------------------------------------- the sites


def article(host: int, source: int, n: int) -> bytes:
    title = f"站点{host}栏目{source}第{n}篇：推进新型工业化"
    paragraphs = "".join(
        f"<p>{title}。工业和信息化部部署第{k}项举措，支持制造业数字化转型与中小企业发展。</p>"
        for k in range(1, 4)
    )
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="PubDate" content="2026-05-23 09:00:00"></head>'
        f"<body><div class='article'><h1>{title}</h1>{paragraphs}</div></body></html>"
    ).encode()


class Host:
    """One site on its own port: every request's arrival time, and how many ran at once."""

    def __init__(self, number: int):
        self.number = number
        self.arrivals: list[float] = []
        self.active = 0
        self.most_active = 0
        self.lock = threading.Lock()
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                with host.lock:
                    host.arrivals.append(time.monotonic())
                    host.active += 1
                    host.most_active = max(host.most_active, host.active)
                try:
                    time.sleep(0.02)  # a little latency, so requests overlap if allowed to
                    body = host.body(self.path)
                    with contextlib.suppress(OSError):
                        self.send_response(200 if body is not None else 404)
                        self.send_header("Content-Type", "text/html; charset=utf-8")
                        self.send_header("Content-Length", str(len(body or b"")))
                        self.end_headers()
                        self.wfile.write(body or b"")
                finally:
                    with host.lock:
                        host.active -= 1

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}).start()

    def body(self, path: str) -> bytes | None:
        for s in range(SOURCES_PER_HOST):
            if path == f"/s{s}/list.html":
                items = "".join(
                    f'<li><a href="/s{s}/t20260523_{n}.html">站点{self.number}栏目{s}第{n}篇</a>'
                    "<span>2026-05-23</span></li>"
                    for n in range(1, ARTICLES + 1)
                )
                return f'<html><meta charset="utf-8"><body><ul class="u-list">{items}</ul>'.encode()
            for n in range(1, ARTICLES + 1):
                if path == f"/s{s}/t20260523_{n}.html":
                    return article(self.number, s, n)
        return None

    def reset(self) -> None:
        with self.lock:
            self.arrivals.clear()
            self.most_active = 0

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def hosts():
    sites = [Host(n) for n in range(HOSTS)]
    yield sites
    for site in sites:
        site.close()


def sources_of(hosts: list[Host]) -> list[Source]:
    return [
        Source(
            id=f"h{h.number}s{s}",
            name=f"站点{h.number}栏目{s}",
            org="测试机构",
            tier="central",
            urls=[f"{h.url}/s{s}/list.html"],
            link_selector="ul.u-list a",
        )
        for h in hosts
        for s in range(SOURCES_PER_HOST)
    ]


def stored(store: Store) -> dict[str, str]:
    """Canonical URL → hash of title and text, of every document stored."""
    return {
        d.canonical_url: hashlib.sha256(f"{d.title}\n{d.text}".encode()).hexdigest()
        for d in store.documents()
    }


# --------------------------------------------------------------------------- the workers


def worker_env(url: str, home: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "ZHIBAO_HOME": str(home),
        "ZHIBAO_QUEUE_URL": url,
        # A killed worker is noticed after 2 s, and its jobs put back on the next broker calls.
        "ZHIBAO_QUEUE_HEARTBEAT_MS": "2000",
        "ZHIBAO_QUEUE_MAINTENANCE_PER_MILLION": "500000",
        **extra,
    }


@contextlib.contextmanager
def workers(url: str, home: Path, count: int, threads: int = 4, **extra: str):
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "zhibao", "worker", "--threads", str(threads), "--grace", "1"],
            env=worker_env(url, home, **extra),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        for _ in range(count)
    ]
    try:
        yield procs
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


def wait_for_workers(url: str, count: int, timeout: float = 20.0) -> None:
    from zhibao.runs.queue_status import fleet_status

    deadline = time.monotonic() + timeout
    while len(fleet_status(url).workers) < count:
        assert time.monotonic() < deadline, f"{count} 个工作进程未在 {timeout} 秒内启动"
        time.sleep(0.1)


def queued_run(url: str, store: Store, sources: list[Source], settings: FetchSettings, tmp: Path):
    from zhibao.runs.queue import enqueue_run

    return enqueue_run(
        sources, store, url=url, date=DAY, settings=settings, archive_dir=tmp / "archive"
    )


FLEET = FetchSettings(delay_seconds=DELAY, per_host_concurrency=PER_HOST, retries=0)


def assert_polite(hosts: list[Host]) -> None:
    """At each host, measured where the requests arrive: any 10 requests in a row span at
    least 9 delays (less one delay of slack: a request sent late by a busy worker arrives
    close to the next one), and never more than ``PER_HOST`` run at once. Two workers
    pacing themselves alone would send 10 requests in half that time."""
    for host in hosts:
        times = sorted(host.arrivals)
        assert len(times) > 10, f"站点 {host.url} 只收到 {len(times)} 个请求"
        spans = [times[n + 9] - times[n] for n in range(len(times) - 9)]
        assert min(spans) >= 8 * DELAY, f"{host.url}: 10 个请求只用了 {min(spans):.3f}s"
        assert host.most_active <= PER_HOST, f"{host.url}: 同时 {host.most_active} 个请求"


# --------------------------------------------------------------------------- the tests


def test_two_workers_store_what_the_in_process_run_stores_and_keep_each_hosts_pace(
    redis_url, hosts, tmp_path
):
    from zhibao.runs.queue import wait_run

    sources = sources_of(hosts)
    with Store.open(f"sqlite:///{tmp_path / 'alone.db'}") as alone:
        fast = FetchSettings(delay_seconds=0.0, per_host_concurrency=8, retries=0)
        collect_run(sources, alone, date=DAY, settings=fast)
        expected = stored(alone)
    assert len(expected) == HOSTS * SOURCES_PER_HOST * ARTICLES

    for host in hosts:
        host.reset()
    with (
        workers(redis_url, tmp_path, 2),
        Store.open(f"sqlite:///{tmp_path / 'fleet.db'}") as store,
    ):
        wait_for_workers(redis_url, 2)
        queued = queued_run(redis_url, store, sources, FLEET, tmp_path)
        assert len(queued.jobs) == 50
        report = wait_run(queued, store, url=redis_url, timeout=40)
        assert stored(store) == expected
        assert report.totals["new"] == len(expected) and report.totals["errors"] == 0
        assert store.runs(1)[0][3] == "finished"
    # 50 lists, 150 articles and one robots.txt per host: several seconds at 0.1 s apart.
    assert_polite(hosts)
    assert list((tmp_path / "archive").glob(f"run-{queued.run_id:05d}-*.warc.gz"))


def test_a_worker_killed_mid_run_loses_nothing_and_stores_nothing_twice(redis_url, hosts, tmp_path):
    from zhibao.runs.queue import wait_run

    sources = sources_of(hosts)
    for host in hosts:
        host.reset()
    with (
        workers(redis_url, tmp_path, 2) as procs,
        Store.open(f"sqlite:///{tmp_path / 'fleet.db'}") as store,
    ):
        wait_for_workers(redis_url, 2)
        queued = queued_run(redis_url, store, sources, FLEET, tmp_path)
        # Mid-run: some articles stored, far from all.
        deadline = time.monotonic() + 20
        while store.count_documents() < 20:
            assert time.monotonic() < deadline, "采集没有开始"
            time.sleep(0.05)
        # The killed worker holds jobs: unless they come back, the wait below times out.
        assert store.count_documents() < HOSTS * SOURCES_PER_HOST * ARTICLES
        os.kill(procs[0].pid, signal.SIGKILL)
        procs[0].wait(5)
        report = wait_run(queued, store, url=redis_url, timeout=45)
        urls = [d.canonical_url for d in store.documents()]
        assert len(urls) == len(set(urls)) == HOSTS * SOURCES_PER_HOST * ARTICLES
        assert not [s.source_id for s in report.sources if s.failed]
    assert_polite(hosts)


def test_a_job_that_keeps_failing_is_retried_then_parked_and_shown_by_status(
    redis_url, hosts, tmp_path
):
    from zhibao.runs.queue import wait_run
    from zhibao.runs.queue_status import fleet_status

    sources = sources_of(hosts)[:2]
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the store's folder should be", encoding="utf-8")
    with (
        workers(
            redis_url,
            tmp_path,
            1,
            threads=2,
            ZHIBAO_QUEUE_MAX_RETRIES="2",
            ZHIBAO_QUEUE_MIN_BACKOFF_MS="200",
            ZHIBAO_QUEUE_MAX_BACKOFF_MS="400",
        ),
        Store.open(f"sqlite:///{tmp_path / 'client.db'}") as store,
    ):
        wait_for_workers(redis_url, 1)
        from zhibao.runs.queue import enqueue_run

        # The workers cannot open this database: every try fails the same way.
        queued = enqueue_run(
            sources,
            store,
            url=redis_url,
            database_url=f"sqlite:///{blocked}/zhibao.db",
            date=DAY,
            settings=FLEET,
        )
        report = wait_run(queued, store, url=redis_url, timeout=30)
        assert all(s.failed for s in report.sources)
        assert "已搁置" in report.sources[0].errors[0]
        status = fleet_status(redis_url)
        assert status.parked_count == 2 and len(status.parked) == 2
        assert {p.job for p in status.parked} == {s.id for s in sources}
        assert all(p.retries == 2 and "not-a-dir" in p.error for p in status.parked)
        assert status.queued == 0 and len(status.workers) == 1

        shown = subprocess.run(
            [sys.executable, "-m", "zhibao", "status"],
            env=worker_env(redis_url, tmp_path, COLUMNS="200"),
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert shown.returncode == 0, shown.stderr
        assert "已搁置 2" in shown.stdout and "在线工作进程 1" in shown.stdout
        assert sources[0].id in shown.stdout and "not-a-dir" in shown.stdout


def test_plan_gives_a_search_source_one_job_per_query():
    from zhibao.runs.queue import plan_jobs

    html = Source(id="a", name="甲", org="机构", tier="central", urls=["http://127.0.0.1/l"])
    search = Source(
        id="web", name="扩搜", kind="search", engine="searxng", url="http://127.0.0.1:9/"
    )
    planned = plan_jobs([html, search], ["低空经济", "数据要素", "人工智能"])
    assert [key for key, _, _ in planned] == ["a", "web#q1", "web#q2", "web#q3"]
    assert [s.queries for _, s, _ in planned[1:]] == [["低空经济"], ["数据要素"], ["人工智能"]]
    assert [backlog for _, _, backlog in planned] == [True, True, False, False]


def test_collect_queue_without_a_queue_says_how_to_configure_one(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "ZHIBAO_QUEUE_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "zhibao", "--home", str(tmp_path), "collect", "--queue"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert "ZHIBAO_QUEUE_URL" in done.stderr


def test_gates_of_two_workers_share_one_hosts_turns(redis_url):
    """Two ``RedisHostGates`` (as in two worker processes) booking turns at one host: the
    turns start ``delay`` apart and at most ``per_host`` are held at once."""
    import asyncio

    from zhibao.crawl.politeness import RedisHostGates

    starts: list[float] = []
    held = {"now": 0, "most": 0}

    async def request(gates: RedisHostGates) -> None:
        async with gates.slot("http://site.example:8080/a.html", 0.05):
            starts.append(time.monotonic())
            held["now"] += 1
            held["most"] = max(held["most"], held["now"])
            await asyncio.sleep(0.12)
            held["now"] -= 1

    async def main() -> None:
        fleet = [RedisHostGates(redis_url, 2), RedisHostGates(redis_url, 2)]
        await asyncio.gather(*(request(fleet[n % 2]) for n in range(12)))
        for gates in fleet:
            await gates.aclose()

    asyncio.run(main())
    starts.sort()
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.045, gaps
    assert held["most"] == 2
