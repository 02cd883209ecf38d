"""The store: one database for documents, their versions, collection runs and HTTP validators,
briefs and their desk versions, publications, editors' accounts and the search index.

SQLite under the data dir by default, any SQLAlchemy URL otherwise (``ZHIBAO_DATABASE_URL``);
the schema is created and migrated by the Alembic migrations shipped in ``migrations/``.
The tables and the engine are private to this package: other layers use the names below.

    >>> from zhibao.store import Store
    >>> store = Store.open("sqlite://")
    >>> store.source_health()
    []
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "CLI_ACTOR",
    "DATABASE_URL_ENV",
    "ROLES",
    "AccountError",
    "Accounts",
    "AuditEntry",
    "AuditLog",
    "BriefVersion",
    "BriefVersions",
    "LoginRefused",
    "Publication",
    "Publications",
    "RateLimited",
    "SearchHit",
    "SearchIndex",
    "SourceHealth",
    "Store",
    "StoreError",
    "UpsertResult",
    "User",
    "ValidatorMemory",
    "Verdict",
    "WebSession",
    "export_documents",
]

# SQLAlchemy and Alembic take ~0.3 s to import; load them on first use, not on every
# `zhibao --help` (the CLI imports this package to register its commands).
_LAZY = {
    "CLI_ACTOR": "zhibao.store.audit",
    "DATABASE_URL_ENV": "zhibao.store.database",
    "ROLES": "zhibao.store.accounts",
    "AccountError": "zhibao.store.accounts",
    "Accounts": "zhibao.store.accounts",
    "AuditEntry": "zhibao.store.audit",
    "AuditLog": "zhibao.store.audit",
    "BriefVersion": "zhibao.store.versions",
    "BriefVersions": "zhibao.store.versions",
    "LoginRefused": "zhibao.store.accounts",
    "Publication": "zhibao.store.publications",
    "Publications": "zhibao.store.publications",
    "RateLimited": "zhibao.store.accounts",
    "SearchHit": "zhibao.store.search",
    "SearchIndex": "zhibao.store.search",
    "SourceHealth": "zhibao.store.health",
    "Store": "zhibao.store._store",
    "StoreError": "zhibao.store.database",
    "UpsertResult": "zhibao.store._store",
    "User": "zhibao.store.accounts",
    "ValidatorMemory": "zhibao.store._store",
    "Verdict": "zhibao.store.health",
    "WebSession": "zhibao.store.accounts",
    "export_documents": "zhibao.store.exporting",
}

if TYPE_CHECKING:
    from zhibao.store._store import Store, UpsertResult, ValidatorMemory
    from zhibao.store.accounts import (
        ROLES,
        AccountError,
        Accounts,
        LoginRefused,
        RateLimited,
        User,
        WebSession,
    )
    from zhibao.store.audit import CLI_ACTOR, AuditEntry, AuditLog
    from zhibao.store.database import DATABASE_URL_ENV, StoreError
    from zhibao.store.exporting import export_documents
    from zhibao.store.health import SourceHealth, Verdict
    from zhibao.store.publications import Publication, Publications
    from zhibao.store.search import SearchHit, SearchIndex
    from zhibao.store.versions import BriefVersion, BriefVersions


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'zhibao.store' has no attribute {name!r}")
