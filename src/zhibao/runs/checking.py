"""Check a brief against the documents its references point to in the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhibao.check import CheckReport, check_brief
from zhibao.core.model import Brief, Document, Reference

if TYPE_CHECKING:
    from zhibao.config import Profile
    from zhibao.store import Store

__all__ = ["check_stored", "cited_documents"]


def cited_documents(brief: Brief, store: Store) -> dict[int, Document | None]:
    """Reference id → the stored document at its URL (None when it is not in the store)."""
    return {ref.id: _stored(ref, store) for ref in brief.references}


def _stored(reference: Reference, store: Store) -> Document | None:
    document = store.document(reference.url)
    if document is not None and document.title == reference.title:
        return document
    # A story cut from a round-up page is cited by the page's URL (what a reader opens): it is
    # that day's story of the page with the reference's headline.
    stories = [
        d for d in store.documents(reference.date, reference.date) if d.page_url == reference.url
    ]
    return next((d for d in stories if d.title == reference.title), document)


def check_stored(brief: Brief, store: Store, profile: Profile | None = None) -> CheckReport:
    """``check_brief`` against the cited stored documents (a reference whose URL is not in the
    store counts as unreadable); ``profile`` brings the length budget and the themes. The
    writer, the desk and ``zhibao check`` all check through here."""
    return check_brief(brief, cited_documents(brief, store), profile=profile)
