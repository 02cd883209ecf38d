"""Check a brief against the documents its references point to in the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhibao.check import CheckReport, check_brief
from zhibao.core.model import Brief

if TYPE_CHECKING:
    from zhibao.store import Store

__all__ = ["check_stored"]


def check_stored(brief: Brief, store: Store) -> CheckReport:
    """Every figure, date, 《title》 and quotation of ``brief`` against its cited stored documents
    (a reference whose URL is not in the store counts as unreadable)."""
    return check_brief(brief, {ref.id: store.document(ref.url) for ref in brief.references})
