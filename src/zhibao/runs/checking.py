"""Check a brief against the documents its references point to in the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhibao.check import CheckReport, check_brief
from zhibao.core.model import Brief, Document

if TYPE_CHECKING:
    from zhibao.store import Store

__all__ = ["check_stored", "cited_documents"]


def cited_documents(brief: Brief, store: Store) -> dict[int, Document | None]:
    """Reference id → the stored document at its URL (None when it is not in the store)."""
    return {ref.id: store.document(ref.url) for ref in brief.references}


def check_stored(brief: Brief, store: Store) -> CheckReport:
    """Every figure, date, 《title》 and quotation of ``brief`` against its cited stored documents
    (a reference whose URL is not in the store counts as unreadable)."""
    return check_brief(brief, cited_documents(brief, store))
