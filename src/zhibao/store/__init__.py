"""The store: one database for documents, their versions, collection runs and HTTP validators.

SQLite under the data dir by default, any SQLAlchemy URL otherwise (``ZHIBAO_DATABASE_URL``);
the schema is created and migrated by the Alembic migrations shipped in ``migrations/``.

    >>> from zhibao.store import Store
    >>> store = Store.open("sqlite://")
    >>> store.source_health()
    []
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "DATABASE_URL_ENV",
    "SourceHealth",
    "Store",
    "StoreError",
    "UpsertResult",
    "ValidatorMemory",
    "Verdict",
]

# SQLAlchemy and Alembic take ~0.3 s to import; load them on first use, not on every
# `zhibao --help` (the CLI imports this package to register its commands).
_LAZY = {
    "DATABASE_URL_ENV": "zhibao.store.database",
    "Store": "zhibao.store._store",
    "UpsertResult": "zhibao.store._store",
    "ValidatorMemory": "zhibao.store._store",
    "StoreError": "zhibao.store.database",
    "SourceHealth": "zhibao.store.health",
    "Verdict": "zhibao.store.health",
}

if TYPE_CHECKING:
    from zhibao.store._store import Store, UpsertResult, ValidatorMemory
    from zhibao.store.database import DATABASE_URL_ENV, StoreError
    from zhibao.store.health import SourceHealth, Verdict


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'zhibao.store' has no attribute {name!r}")
