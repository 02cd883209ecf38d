"""What the collection fleet is doing, read from Redis (``zhibao status``).

>>> status = fleet_status("redis://127.0.0.1:6379/0")                      # doctest: +SKIP
>>> status.queued, len(status.workers), [p.error for p in status.parked]    # doctest: +SKIP
(12, 2, [])
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from zhibao.crawl.politeness import rate_key
from zhibao.runs.queue import (
    BEATS_KEY,
    NAMESPACE,
    PARKED_KEY,
    QUEUE_NAME,
    RUNS_KEY,
    WORKER_BEAT_S,
    WORKERS_KEY,
    redis_client,
    run_key,
)

__all__ = ["FleetStatus", "HostRate", "ParkedJob", "RunProgress", "WorkerInfo", "fleet_status"]

ALIVE_S = 5 * WORKER_BEAT_S  # a worker silent longer than this is not counted alive
FORGET_S = 3600  # a worker silent for an hour is dropped from the list


@dataclass
class WorkerInfo:
    worker_id: str
    host: str
    pid: int
    threads: int
    started_at: str
    silent_s: float


@dataclass
class ParkedJob:
    message_id: str
    run_id: int | None
    job: str
    error: str
    retries: int
    parked_at: str


@dataclass
class HostRate:
    host: str
    requests: int  # started in the window
    per_minute: float


@dataclass
class RunProgress:
    run_id: int
    done: int
    total: int
    finished: bool
    started_at: str


@dataclass
class FleetStatus:
    queued: int  # waiting for a worker
    delayed: int  # failed once, waiting out their backoff before the next try
    running: int  # taken by a worker, not yet acknowledged
    parked_count: int  # out of retries, in the dead-letter set
    workers: list[WorkerInfo] = field(default_factory=list)  # alive ones
    parked: list[ParkedJob] = field(default_factory=list)
    host_rates: list[HostRate] = field(default_factory=list)
    runs: list[RunProgress] = field(default_factory=list)
    window_minutes: int = 5


def fleet_status(url: str, *, window_minutes: int = 5, runs: int = 5) -> FleetStatus:
    """Queue depth, live workers, parked jobs with their errors, per-host request rates over
    the last ``window_minutes`` minutes, and the latest ``runs`` queued runs."""
    client = redis_client(url)
    now = time.time()
    queue = f"{NAMESPACE}:{QUEUE_NAME}"
    running = sum(
        client.scard(key) for key in client.scan_iter(f"{NAMESPACE}:__acks__.*.{QUEUE_NAME}")
    )
    status = FleetStatus(
        queued=client.llen(queue),
        delayed=client.hlen(f"{queue}.DQ.msgs"),
        running=running,
        parked_count=client.zcard(f"{queue}.XQ"),
        window_minutes=window_minutes,
    )
    # Workers: drop the long gone, list those that beat lately.
    gone = client.zrangebyscore(BEATS_KEY, 0, now - FORGET_S)
    if gone:
        client.zrem(BEATS_KEY, *gone)
        client.hdel(WORKERS_KEY, *gone)
    for worker_id, beat in client.zrangebyscore(BEATS_KEY, now - ALIVE_S, "+inf", withscores=True):
        about = json.loads(client.hget(WORKERS_KEY, worker_id) or "{}")
        status.workers.append(
            WorkerInfo(
                worker_id,
                about.get("host", "?"),
                int(about.get("pid", 0)),
                int(about.get("threads", 0)),
                about.get("started_at", ""),
                round(now - beat, 1),
            )
        )
    for message_id, raw in client.hgetall(PARKED_KEY).items():
        entry = json.loads(raw)
        status.parked.append(
            ParkedJob(
                message_id,
                entry.get("run_id"),
                entry.get("job") or "?",
                entry.get("error", ""),
                int(entry.get("retries", 0)),
                entry.get("parked_at", ""),
            )
        )
    status.parked.sort(key=lambda p: p.parked_at, reverse=True)
    minute = int(now // 60)
    counts: dict[str, int] = {}
    for m in range(minute - window_minutes + 1, minute + 1):
        for host, n in client.hgetall(rate_key(m)).items():
            counts[host] = counts.get(host, 0) + int(n)
    status.host_rates = [
        HostRate(host, n, round(n / window_minutes, 1))
        for host, n in sorted(counts.items(), key=lambda kv: -kv[1])
    ]
    for run_id in client.zrevrange(RUNS_KEY, 0, runs - 1):
        meta = client.hgetall(run_key(int(run_id), "meta"))
        if not meta:
            client.zrem(RUNS_KEY, run_id)  # expired
            continue
        status.runs.append(
            RunProgress(
                int(run_id),
                client.hlen(run_key(int(run_id), "reports")),
                int(meta.get("total", 0)),
                meta.get("finished") == "1",
                meta.get("started_at", ""),
            )
        )
    return status
