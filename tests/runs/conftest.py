from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pipeline_helpers import FAST

from zhibao.runs.collection import RunReport, collect_run
from zhibao.runs.demo_server import serve_demo_sites
from zhibao.runs.demo_sites import DEMO_DAYS, Manifest, demo_sources, load_manifest
from zhibao.store import Store


@pytest.fixture(scope="session")
def demo_base() -> str:
    with serve_demo_sites() as base_url:
        yield base_url


@pytest.fixture(scope="session")
def manifest() -> Manifest:
    return load_manifest()


@dataclass
class Crawl:
    base: str
    store: Store
    report: RunReport
    data_dir: Path


@pytest.fixture(scope="module")
def crawl(demo_base, tmp_path_factory) -> Crawl:
    """One crawl of all demo sites for 2026-05-22..24 into a fresh store."""
    data_dir = tmp_path_factory.mktemp("pipeline-data")
    store = Store.open(data_dir=data_dir)
    report = collect_run(
        demo_sources(demo_base),
        store,
        date=DEMO_DAYS[-1],
        days=3,
        settings=FAST,
        archive_dir=data_dir / "archive",
    )
    yield Crawl(demo_base, store, report, data_dir)
    store.close()
