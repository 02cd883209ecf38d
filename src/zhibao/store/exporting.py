"""``zhibao export documents``: the store's documents as JSONL, one ``Document`` per line.

    >>> export_documents(store, sys.stdout, since=date(2026, 5, 23))
    42

Timestamps are ISO 8601 with their offset (``2026-05-23T19:23:52+08:00``); text stays UTF-8.
"""

from __future__ import annotations

from datetime import date
from typing import TextIO

from zhibao.store._store import Store

__all__ = ["export_documents"]


def export_documents(
    store: Store, out: TextIO, *, since: date | None = None, until: date | None = None
) -> int:
    """Write the documents of ``since..until`` (Asia/Shanghai days) to ``out``; returns the count."""
    written = 0
    for doc in store.documents(since, until):
        out.write(doc.model_dump_json() + "\n")
        written += 1
    return written
