"""Fixtures of the LLM writer's tests: the scripted server, its settings, the demo store."""

from __future__ import annotations

import shutil
import threading
from datetime import timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from llm_helpers import ScriptedLLM, handler

from zhibao.analyze import analyze
from zhibao.config import DEFAULTS_DIR, load_brand, load_profile
from zhibao.runs.demo import DEMO_BRIEF_DATE, collect_demo_sites
from zhibao.runs.demo_sites import demo_sources
from zhibao.store import Store
from zhibao.write import WriteContext
from zhibao.write.llm import LLMSettings, Price


@pytest.fixture(scope="session")
def llm_server():
    llm = ScriptedLLM()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(llm))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    llm.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield llm
    server.shutdown()
    server.server_close()


@pytest.fixture
def llm(llm_server: ScriptedLLM) -> ScriptedLLM:
    llm_server.reset()
    return llm_server


@pytest.fixture
def settings(llm: ScriptedLLM) -> LLMSettings:
    return LLMSettings(
        base_url=llm.url,
        api_key="test-key",
        model="scripted-model",
        timeout=0.5,
        retries=1,
        backoff=0.01,
        concurrency=4,
        prices={"scripted": Price(input=2.0, output=8.0)},
    )


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory) -> Path:
    """The demo sites crawled once into a store (copied per test)."""
    data = tmp_path_factory.mktemp("llm-demo") / "data"
    collect_demo_sites(data, echo=lambda line: None)
    return data


@pytest.fixture
def store(demo_data: Path, tmp_path: Path):
    target = tmp_path / "data"
    shutil.copytree(demo_data, target, ignore=shutil.ignore_patterns("archive"))
    with Store.open(data_dir=target) as opened:
        yield opened


@pytest.fixture(scope="session")
def analysis(demo_data: Path):
    sources = demo_sources("http://127.0.0.1")
    profile = load_profile(DEFAULTS_DIR)
    with Store.open(data_dir=demo_data) as opened:
        documents = opened.documents(DEMO_BRIEF_DATE - timedelta(days=33), DEMO_BRIEF_DATE)
    return analyze(
        documents, profile, brief_date=DEMO_BRIEF_DATE, tiers={s.id: s.tier for s in sources}
    )


@pytest.fixture
def context(store: Store) -> WriteContext:
    return WriteContext(
        brief_date=DEMO_BRIEF_DATE,
        brand=load_brand(DEFAULTS_DIR),
        profile=load_profile(DEFAULTS_DIR),
        document=store.document,
        orgs={s.id: s.org for s in demo_sources("http://127.0.0.1")},
        store=store,
    )
