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
    store: Store,
    out: TextIO,
    *,
    since: date | None = None,
    until: date | None = None,
    undated: bool = False,
) -> int:
    """Write the documents published in ``since..until`` (Asia/Shanghai days) to ``out``;
    returns the count. A document without a publication date belongs to no day: a window
    exports it only with ``undated=True`` (then by the day it was fetched)."""
    written = 0
    for doc in store.documents(since, until, undated=undated):
        out.write(doc.model_dump_json() + "\n")
        written += 1
    return written
