"""``zhibao collect`` as a user runs it: a subprocess against the demo sites."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import yaml
from pipeline_helpers import broken_urls, expected_urls

from zhibao.runs.demo_sites import SITES_DIR


def _home(tmp_path: Path, base: str, *, break_ids: tuple[str, ...] = ()) -> Path:
    """A ZHIBAO_HOME whose sources.yaml reads the demo sites; ``break_ids`` point at a 404."""
    data = yaml.safe_load((SITES_DIR / "sources.yaml").read_text(encoding="utf-8"))
    for source in data["sources"]:
        if source["id"] in break_ids:
            source["urls"] = [f"{{base}}/{source['id']}/gone/index.html"]
        source["urls"] = [u.replace("{base}", base) for u in source["urls"]]
    home = tmp_path / "home"
    home.mkdir(parents=True)
    (home / "sources.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return home


def _zhibao(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "zhibao", "--home", str(home), *args]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIBAO_")}
    env["COLUMNS"] = "160"
    return env


def _collect(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    argv = _zhibao(home, "collect", "--date", "2026-05-24", "--days", "3", "--delay", "0", *args)
    return subprocess.run(argv, capture_output=True, text=True, env=_env(), timeout=120)


def _stored(home: Path) -> list[str]:
    with sqlite3.connect(home / "data" / "zhibao.db", timeout=5) as db:
        return [row[0] for row in db.execute("SELECT canonical_url FROM documents")]


def test_exit_status_is_nonzero_only_when_every_source_failed(demo_base, tmp_path):
    some = _home(tmp_path / "some", demo_base, break_ids=("cac", "gov"))
    result = _collect(some, "--source", "nda", "--source", "cac", "--source", "gov")
    assert result.returncode == 0, result.stderr
    assert "采集汇总" in result.stdout and "gone/index.html" in result.stderr
    every = _home(tmp_path / "every", demo_base, break_ids=("cac", "gov"))
    result = _collect(every, "--source", "cac", "--source", "gov")
    assert result.returncode == 1
    assert "所有信息源均采集失败" in result.stderr


def test_unknown_source_is_a_clear_error(demo_base, tmp_path):
    result = _collect(_home(tmp_path, demo_base), "--source", "nope")
    assert result.returncode == 2
    assert "nope" in result.stderr and "nda" in result.stderr


def test_killed_mid_run_then_rerun_loses_nothing_and_duplicates_nothing(
    demo_base, manifest, tmp_path
):
    home = _home(tmp_path, demo_base)
    argv = _zhibao(home, "collect", "--date", "2026-05-24", "--days", "3", "--delay", "0.1")
    process = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env()
    )
    try:
        deadline = time.monotonic() + 60
        stored: list[str] = []
        while len(stored) < 8 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
            if (home / "data" / "zhibao.db").exists():
                with contextlib.suppress(sqlite3.OperationalError):  # no schema yet
                    stored = _stored(home)
        assert process.poll() is None, "the run finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    partial = set(_stored(home))
    expected = expected_urls(manifest, demo_base)
    assert 8 <= len(partial) < len(expected)

    result = _collect(home)
    assert result.returncode == 0, result.stderr
    after = _stored(home)
    assert len(after) == len(set(after))
    assert partial <= set(after)
    assert expected <= set(after), sorted(expected - set(after))
    assert set(after) <= expected | broken_urls(manifest, demo_base)
