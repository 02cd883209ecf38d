"""Web desk test world: a store with a few days of documents and a written brief, an editor,
a WARC holding one source page, and the app (TestClient) or a real uvicorn server.

One document title carries ``<script>`` and ``onerror=`` so that every page can be checked
for escaping.
"""

from __future__ import annotations

import io
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from zhibao.core.model import Document
from zhibao.crawl.archive import iter_warc
from zhibao.runs.briefing import make_brief
from zhibao.store import Accounts, Store

CHINA = timezone(timedelta(hours=8))
DAY = date(2026, 5, 25)
PASSWORD = "correct horse battery"
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'

TEXTS = [
    (
        "nda",
        "国家数据局",
        "国家数据局启动2026年“数据要素×”大赛",
        "5月24日，国家数据局在福州启动2026年“数据要素×”大赛，共设16个行业赛道。\n"
        "大赛聚焦数据要素市场化配置改革，推动公共数据资源开发利用和数据基础设施建设。\n"
        "国家数据局表示，将以大赛带动高质量数据集建设，促进数据流通交易。",
    ),
    (
        "cac",
        "中央网信办",
        f"中央网信办部署人工智能生成内容标识工作{EVIL}",
        "5月24日，中央网信办召开会议，部署人工智能生成内容标识工作，要求平台落实安全评估。\n"
        "会议指出，人工智能治理要统筹发展和安全，推动生成式人工智能服务规范发展。\n"
        "会议要求各地网信部门加强人工智能伦理审查和算法备案管理。",
    ),
    (
        "ndrc",
        "国家发展改革委",
        "国家发展改革委推进全国一体化算力网建设",
        "5月23日，国家发展改革委印发方案，推进全国一体化算力网建设，布局8个国家算力枢纽节点。\n"
        "方案提出提升算力网络与能源协同水平，推动数据中心绿色低碳发展，算力规模达到300EFLOPS。\n"
        "业内认为，算力基础设施是人工智能产业发展的关键支撑。",
    ),
    (
        "people",
        "人民日报",
        "工业和信息化部：推动人工智能赋能新型工业化",
        "5月24日，工业和信息化部召开座谈会，推动人工智能赋能新型工业化，建设智能工厂1200家。\n"
        "会议强调，加快制造业数字化转型，发展智能制造和工业互联网，培育新质生产力。\n"
        "与会企业代表介绍了大模型在工业质检和研发设计中的应用。",
    ),
]


def _doc(i: int, source_id: str, org: str, title: str, text: str, archive: str | None) -> Document:
    url = f"https://example.gov.cn/{source_id}/2026/05/{i:03d}.html"
    day = 23 + (i % 2)
    return Document(
        url=url,
        canonical_url=url,
        title=title,
        text=text,
        published_at=datetime(2026, 5, day, 10, i % 60, tzinfo=CHINA),
        source_id=source_id,
        source_org=org,
        fetched_at=datetime(2026, 5, 24, 12, 0, tzinfo=CHINA),
        archive=archive,
    )


def _write_warc(path: Path, url: str, body: bytes) -> str:
    """One archived response; returns its ``"<file>#<record id>"`` reference."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2026-05-24T04:00:00Z"},
        )
        writer.write_record(record)
    page = next(iter_warc(path))
    assert page.archive
    return page.archive


@dataclass
class DeskWorld:
    home: Path
    data_dir: Path
    database_url: str
    day: date
    archive_ref: str


def build_world(tmp_path: Path, database_url: str, *, extra_documents: int = 0) -> DeskWorld:
    home = tmp_path / "home"
    data_dir = home / "data"
    home.mkdir(parents=True, exist_ok=True)
    archive_ref = _write_warc(
        data_dir / "archive" / "run-00001.warc.gz",
        "https://example.gov.cn/nda/2026/05/000.html",
        "<html><body><h1>存档页</h1><script>document.title='pwned'</script></body></html>".encode(),
    )
    with Store.open(database_url) as store:
        for i, (sid, org, title, text) in enumerate(TEXTS):
            store.upsert_document(_doc(i, sid, org, title, text, archive_ref if i == 0 else None))
        for n in range(extra_documents):
            sid, org, title, text = TEXTS[n % len(TEXTS)]
            store.upsert_document(
                _doc(
                    100 + n,
                    f"{sid}{n}",
                    org,
                    f"{title}（{n}）",
                    text.replace("5月", f"{n % 28 + 1}日前5月"),
                    None,
                )
            )
        run = store.start_run()
        store.record_source(run, "nda", new_documents=1)
        store.record_source(run, "cac", errors=2, last_error=f"HTTP 500 {EVIL}")
        store.finish_run(run)
        make_brief(DAY, store=store, config_dir=home)
        accounts = Accounts(store)
        accounts.add_user("editor", PASSWORD, role="editor")
        accounts.add_user("chief", PASSWORD, role="chief")  # approves and publishes
        accounts.add_user("admin", PASSWORD, role="admin")  # manages accounts
    return DeskWorld(home, data_dir, database_url, DAY, archive_ref)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> DeskWorld:
    """The SQLite world built once; each test gets a copy (writing the brief takes ~0.7 s)."""
    base = tmp_path_factory.mktemp("web-template")
    return build_world(base, f"sqlite:///{base / 'template.db'}")


@pytest.fixture
def world(tmp_path: Path, database_url: str, sqlite_template: DeskWorld) -> DeskWorld:
    """``database_url`` is the suite's shared fixture: SQLite, and PostgreSQL when configured."""
    if not database_url.startswith("sqlite:///"):
        return build_world(tmp_path, database_url)
    shutil.copytree(sqlite_template.home, tmp_path / "home")
    target = Path(database_url.removeprefix("sqlite:///"))
    with (
        sqlite3.connect(sqlite_template.database_url.removeprefix("sqlite:///")) as source,
        sqlite3.connect(target) as copy,
    ):
        source.backup(copy)  # a consistent copy even with the WAL file beside it
    return DeskWorld(
        tmp_path / "home",
        tmp_path / "home" / "data",
        database_url,
        sqlite_template.day,
        sqlite_template.archive_ref,
    )


def make_app(world: DeskWorld, **settings):
    from zhibao.web import WebSettings, create_app

    return create_app(
        WebSettings(
            database_url=world.database_url,
            config_dir=world.home,
            data_dir=world.data_dir,
            **settings,
        )
    )


@pytest.fixture
def client(world: DeskWorld):
    from fastapi.testclient import TestClient

    with TestClient(make_app(world), base_url="http://127.0.0.1") as c:
        yield c


def login(client, name: str = "editor", password: str = PASSWORD):
    """Log in through the form (with its CSRF cookie) and return the desk's CSRF token."""
    import re

    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    desk = client.get(f"/desk/{DAY}")
    return re.search(r'"X-CSRF-Token": "([^"]+)"', desk.text).group(1)


@pytest.fixture
def editor_client(client):
    client.csrf = login(client)
    return client


@pytest.fixture
def chief_client(client):
    """Logged in as a chief: may approve and publish."""
    client.csrf = login(client, "chief")
    return client


# --------------------------------------------------------------------------- a real server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(world: DeskWorld) -> Iterator[str]:
    """The desk on a real uvicorn server on 127.0.0.1 (a thread of this process)."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(make_app(world), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not instance.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)
