"""Shared fixtures: ``database_url`` runs a test on SQLite and, when a PostgreSQL server is
given in ``ZHIBAO_TEST_DATABASE_URL`` (``scripts/test.sh`` starts a throwaway one), on
PostgreSQL too.

    def test_something(database_url: str) -> None:
        with Store.open(database_url) as store: ...

On PostgreSQL each test gets its own empty schema (dropped afterwards), named in the URL's
``options=-csearch_path=…``, so tests never see each other's rows and need no new database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

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
