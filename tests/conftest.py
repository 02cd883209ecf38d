"""Shared fixtures: ``database_url`` runs a test on SQLite and, when a PostgreSQL server is
given in ``ZHIBAO_TEST_DATABASE_URL`` (``scripts/test.sh`` starts a throwaway one), on
PostgreSQL too.

    def test_something(database_url: str) -> None:
        with Store.open(database_url) as store: ...

On PostgreSQL each test gets its own empty schema (dropped afterwards), named in the URL's
``options=-csearch_path=…``, so tests never see each other's rows and need no new database.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from zhibao.config.publish import PublishConfig

TEST_DATABASE_URL_ENV = "ZHIBAO_TEST_DATABASE_URL"
POSTGRES_URL = os.environ.get(TEST_DATABASE_URL_ENV, "")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


def _psycopg_conninfo(url: str) -> str:
    """libpq conninfo of a SQLAlchemy ``postgresql+psycopg://`` URL."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database as a SQLAlchemy URL: a SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'zhibao.db'}"
        return
    import psycopg
    from sqlalchemy.engine import make_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    conninfo = _psycopg_conninfo(POSTGRES_URL)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        # A connection a test leaked inside a transaction must fail the drop, not hang it.
        conn.execute("SET lock_timeout = '10s'")
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


# --------------------------------------------------------------------------- publishing
# Shared by tests/publish and tests/runs (the daily run notifies and publishes).


@pytest.fixture
def settings() -> Callable[..., PublishConfig]:
    def build(**data: Any) -> PublishConfig:
        return PublishConfig.model_validate(data)

    return build


# --------------------------------------------------------------------------- webhooks


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    reply: dict[str, Any] = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    status: int = 200


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """An HTTP server on 127.0.0.1 that records every POST and answers ``receiver.reply``."""
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests.append(Received(self.path, dict(self.headers), body))
            data = json.dumps(state.reply).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
