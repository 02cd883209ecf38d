"""A collection that survives ``kill -9``, refuses a second run on the same home, and works
through a huge list over several runs (issue 12, items 7 and 9).

A small loopback server with slow article pages gives the time to act mid-run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from zhibao.core.model import Document, Source
from zhibao.crawl import FetchSettings
from zhibao.runs.collection import LOCK_NAME, collect_run
from zhibao.store import Store

DAY = date(2026, 5, 23)
ARTICLES = 20


def article(n: int) -> bytes:
    paragraphs = "".join(
        f"<p>第{n}篇：工业和信息化部推进制造业数字化转型，第{k}项举措面向中小企业。</p>"
        for k in range(1, 4)
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>数字化转型第{n}篇</title>"
        '<meta name="PubDate" content="2026-05-23 09:00:00"></head>'
        f"<body><div class='article'><h1>数字化转型第{n}篇</h1>{paragraphs}</div></body></html>"
    ).encode()


def path_of(n: int) -> str:
    return f"/art/t20260523_{n}.html"


class SlowSite:
    """One list of ``ARTICLES`` links; every article takes ``delay`` seconds to answer, and
    those from ``hold_from`` on wait for ``gate`` (at most 30 s): a run stays mid-way until the
    test has done what it wants to."""

    def __init__(self, delay: float, hold_from: int | None = None):
        self.delay = delay
        self.hold_from = hold_from
        self.gate = threading.Event()
        self.hits: Counter[str] = Counter()
        self.order: list[str] = []
        self.lock = threading.Lock()
        self.url = ""

    def body(self, path: str) -> bytes | None:
        if path == "/list.html":
            items = "".join(
                f'<li><a href="{path_of(n)}">关于数字化转型的文章第{n}篇</a><span>2026-05-23</span></li>'
                for n in range(1, ARTICLES + 1)
            )
            return f'<html><meta charset="utf-8"><body><ul class="u-list">{items}</ul>'.encode()
        for n in range(1, ARTICLES + 1):
            if path == path_of(n):
                time.sleep(self.delay)
                if self.hold_from is not None and n >= self.hold_from:
                    self.gate.wait(30)
                return article(n)
        return None


@contextlib.contextmanager
def serve(delay: float, hold_from: int | None = None):
    site = SlowSite(delay, hold_from)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            with site.lock:
                site.hits[self.path] += 1
                site.order.append(self.path)
            body = site.body(self.path)
            with contextlib.suppress(OSError):
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def source_for(site: SlowSite, **fields) -> dict:
    return {
        "id": "slow",
        "name": "慢站点",
        "org": "测试机构",
        "tier": "central",
        "kind": "html",
        "urls": [site.url + "/list.html"],
        "link_selector": "ul.u-list a",
        **fields,
    }


# ---------------------------------------------------------------- kill -9, second run


def _home(tmp_path: Path, site: SlowSite) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    data = {"sources": [source_for(site)]}
    (home / "sources.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return home


def _collect_argv(home: Path) -> list[str]:
    return [
        *(sys.executable, "-m", "zhibao", "--home", str(home), "collect"),
        *("--date", DAY.isoformat(), "--delay", "0"),
    ]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIBAO_")}
    env["COLUMNS"] = "160"
    return env


def _query(home: Path, sql: str) -> list[tuple]:
    database = home / "data" / "zhibao.db"
    # No file or no schema yet: nothing to see.
    with (
        contextlib.suppress(sqlite3.OperationalError),
        sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db,
    ):
        return db.execute(sql).fetchall()
    return []


def _wait(what, timeout: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        assert process.poll() is None, "the run ended before the test could act"
        assert time.monotonic() < deadline, "timed out waiting for the run"
        time.sleep(0.05)


def test_kill_9_then_rerun_marks_the_run_interrupted_and_loses_nothing(tmp_path):
    with serve(delay=0.5, hold_from=11) as site:
        home = _home(tmp_path, site)
        first = subprocess.Popen(
            _collect_argv(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env()
        )
        try:
            _wait(lambda: _query(home, "SELECT id FROM documents"), 30, first)
            # A second run on the same home stops at once, naming the lock and its holder.
            second = subprocess.run(
                _collect_argv(home), capture_output=True, text=True, env=_env(), timeout=60
            )
            assert second.returncode == 3, second.stderr
            message = " ".join(second.stderr.split())
            assert f"PID {first.pid}" in message and LOCK_NAME in message
            # Kill once the running source has written its figures so far.
            _wait(lambda: _query(home, "SELECT new_documents FROM run_sources"), 30, first)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        finally:
            if first.poll() is None:
                first.kill()
            site.gate.set()
            site.delay = 0  # the rerun need not be slow
        assert _query(home, "SELECT id, status FROM runs") == [(1, "running")]
        partial = {url for (url,) in _query(home, "SELECT canonical_url FROM documents")}
        assert 1 <= len(partial) < ARTICLES
        [(recorded,)] = _query(home, "SELECT new_documents FROM run_sources WHERE run_id = 1")
        assert recorded >= 1  # `sources check` still sees what the killed run brought

        rerun = subprocess.run(
            _collect_argv(home), capture_output=True, text=True, env=_env(), timeout=60
        )
        assert rerun.returncode == 0, rerun.stderr
        assert "#1 已标记为“中断”" in " ".join(rerun.stdout.split())
        assert _query(home, "SELECT id, status FROM runs ORDER BY id") == [
            (1, "interrupted"),
            (2, "finished"),
        ]
        urls = [url for (url,) in _query(home, "SELECT canonical_url FROM documents")]
        assert len(urls) == len(set(urls)) == ARTICLES
        assert partial <= set(urls)
        # Articles stored before the kill were not fetched again.
        assert all(site.hits[path_of(n)] <= 2 for n in range(1, ARTICLES + 1))
        assert sum(site.hits[path_of(n)] for n in range(1, ARTICLES + 1)) < ARTICLES + 3


# ---------------------------------------------------------------- stale runs, in process


@pytest.fixture
def store(tmp_path):
    store = Store.open(data_dir=tmp_path / "data")
    yield store
    store.close()


FAST = FetchSettings(delay_seconds=0, retries=0, per_host_concurrency=8)


def test_stale_runs_are_marked_only_when_the_lock_proves_no_run_is_alive(tmp_path, store):
    dead = store.start_run()  # as a killed process leaves it
    store.record_source(dead, "slow", new_documents=3)
    with serve(delay=0) as site:
        source = Source.model_validate(source_for(site))
        # No lock (no data dir given): nothing proves the other run dead, so it is left alone.
        unlocked = collect_run([source], store, date=DAY, settings=FAST)
        assert unlocked.interrupted_runs == []
        assert store.runs()[-1][3] == "running"
        locked = collect_run(
            [source], store, date=DAY, settings=FAST, archive_dir=tmp_path / "data" / "archive"
        )
    assert (tmp_path / "data" / LOCK_NAME).exists()
    assert locked.interrupted_runs == [dead]
    statuses = {run_id: status for run_id, _, _, status in store.runs()}
    assert statuses == {dead: "interrupted", unlocked.run_id: "finished", locked.run_id: "finished"}
    health = store.source_health(source_ids=["slow"])[0]
    assert health.new_documents == 3 + ARTICLES  # the interrupted run's figures still count


# ---------------------------------------------------------------- the queue


def test_queued_links_go_first_oldest_first_within_half_the_budget(tmp_path, store):
    archive = tmp_path / "data" / "archive"
    settings = FetchSettings(delay_seconds=0, retries=0, per_host_concurrency=1)
    settings.max_per_source = 5
    with serve(delay=0) as site:
        source = Source.model_validate(source_for(site))
        first = collect_run([source], store, date=DAY, settings=settings, archive_dir=archive)
        assert first.sources[0].new == 5 and first.sources[0].queued == ARTICLES - 5
        queued = [link.url for link in store.queued_links("slow")]
        assert queued == [site.url + path_of(n) for n in range(6, ARTICLES + 1)]
        # Queuing them again keeps each link once, in its place.
        assert store.queue_links("slow", store.queued_links("slow")) == 0
        # Article 6, the oldest in the queue, reaches the store some other way meanwhile.
        url6 = site.url + path_of(6)
        store.upsert_document(Document(url=url6, canonical_url=url6, title="第6篇", text="正文"))
        site.order.clear()
        second = collect_run([source], store, date=DAY, settings=settings, archive_dir=archive)
    pages = [p for p in site.order if p != "/robots.txt"]
    # The queue first, with at most half the budget (2 of 5: 6 was stored meanwhile, so it is
    # dropped, not fetched), then the list and its links up to the cap.
    assert pages == [path_of(7), "/list.html"] + [path_of(n) for n in (8, 9, 10, 11)]
    report = second.sources[0]
    assert (report.dequeued, report.new, report.queued) == (1, 5, ARTICLES - 11)
    assert [link.url for link in store.queued_links("slow")][0] == site.url + path_of(12)
