"""References built only from stored document metadata, numbered by first citation.

A reference's purpose says what the brief takes from that source, in the words of its role:
the lead source is cited 用于核实… (the facts it verifies), a corroborating or commenting
source 用于补充…, an older document 用于背景：…. A document cited again for something else
adds that use to its purpose; its number stays the first one. Purposes that would read the
same in one brief are told apart by the document's own headline.

A story cut from a round-up page is linked by the page (``Document.link``): that is what a
reader can open.

A 政府信息公开 document is cited as official documents are: its issuing body (发文机关), the
title in 《》 with the 文号, the publication date — ``国务院办公厅，《…的意见》（国办发〔2026〕12号），
2026-05-20``.

    >>> book = ReferenceBook(org_of=lambda d: d.source_org)
    >>> book.cite(lead, "lead", "大赛启动时间与新增赛道")
    1
    >>> [r.purpose for r in book.references()]
    ['用于核实大赛启动时间与新增赛道']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from zhibao.core.model import Document, Reference, Section
from zhibao.core.time import local_date
from zhibao.write.text import strip_tags

__all__ = ["ReferenceBook", "Role", "cited_title", "renumber"]

Role = Literal["lead", "corroboration", "background"]
_VERB = {"lead": "用于核实", "corroboration": "用于补充", "background": "用于背景："}


@dataclass
class _Entry:
    id: int
    document: Document
    role: Role
    what: str
    more: list[tuple[Role, str]] = field(default_factory=list)  # later uses, in order

    def purpose(self) -> str:
        uses = [(self.role, self.what), *self.more]
        return "；".join(f"{_VERB[role]}{what}" for role, what in uses if what)


def cited_title(document: Document) -> str:
    """The title as a reference prints it: ``《title》（文号）`` for a document with a 文号."""
    title = " ".join(strip_tags(document.title).split())
    number = " ".join(document.doc_number.split())
    if not number:
        return title
    return f"《{title.strip('《》')}》（{number}）"


class ReferenceBook:
    """Collects the documents a brief cites; ``cite`` returns the reference number."""

    def __init__(
        self,
        *,
        org_of: Callable[[Document], str],
        archived_of: Callable[[Document], str | None] = lambda document: None,
    ):
        self._org_of = org_of
        self._archived_of = archived_of
        self._entries: dict[str, _Entry] = {}

    def citable(self, document: Document) -> bool:
        """Only dated documents: a reference must carry an honest date."""
        return local_date(document) is not None

    def cite(self, document: Document, role: Role, what: str) -> int:
        key = document.canonical_url
        entry = self._entries.get(key)
        if entry is None:
            if not self.citable(document):
                raise ValueError(f"不能引用没有日期的文档：{document.canonical_url}")
            entry = self._entries[key] = _Entry(len(self._entries) + 1, document, role, what)
        elif what and what != entry.what and (role, what) not in entry.more:
            entry.more.append((role, what))
        return entry.id

    def number(self, document: Document) -> int | None:
        entry = self._entries.get(document.canonical_url)
        return entry.id if entry else None

    def documents(self) -> dict[int, Document]:
        """Reference number → the cited document (what the checker grounds claims in)."""
        return {e.id: e.document for e in self._entries.values()}

    def merge(self, other: ReferenceBook) -> dict[int, int]:
        """Cite ``other``'s documents here, in its order; returns its numbers → these numbers.

        Sections written in parallel each fill a book of their own; the brief merges them in
        section order so that numbering does not depend on which section finished first.
        """
        mapping = {}
        for entry in sorted(other._entries.values(), key=lambda e: e.id):
            mapping[entry.id] = self.cite(entry.document, entry.role, entry.what)
            for role, what in entry.more:
                self.cite(entry.document, role, what)
        return mapping

    def references(self) -> list[Reference]:
        out = []
        seen: set[str] = set()
        for entry in sorted(self._entries.values(), key=lambda e: e.id):
            document = entry.document
            purpose = entry.purpose()
            if purpose in seen:  # two sources verifying "the same": say which one this is
                purpose += f"（{document.title}）"
            seen.add(purpose)
            org = self._org_of(document) or document.source_org or "（未注明来源）"
            out.append(
                Reference(
                    id=entry.id,
                    org=document.issuer.strip() or org,
                    title=cited_title(document),
                    date=local_date(document),
                    url=document.link if document.page_url else document.canonical_url,
                    purpose=purpose,
                    archived=self._archived_of(document),
                )
            )
        return out


def renumber(
    sections: Iterable[Section], references: list[Reference]
) -> tuple[list[Section], list[Reference]]:
    """Renumber so that references appear in order of first citation in the body."""
    order: dict[int, int] = {}
    sections = list(sections)
    for section in sections:
        for paragraph in section.paragraphs:
            for ref_id in paragraph.citations:
                order.setdefault(ref_id, len(order) + 1)
    new_sections = [
        section.model_copy(
            update={
                "paragraphs": [
                    p.model_copy(update={"citations": [order[c] for c in p.citations]})
                    for p in section.paragraphs
                ]
            }
        )
        for section in sections
    ]
    kept = [r.model_copy(update={"id": order[r.id]}) for r in references if r.id in order]
    return new_sections, sorted(kept, key=lambda r: r.id)
