"""What the stored documents can ground: figures, names and wording, per document and per part."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from zhibao.core.figures import Figure, compact, find_figures
from zhibao.core.model import Document, Reference
from zhibao.core.time import local_date

__all__ = ["DocumentEvidence", "Sources", "evidence_of"]

# A heading's event is looked for in the title plus one stretch of the text at a time, so that a
# long document (a round-up, a speech) does not support any heading by its sheer size.
WINDOW = 500
STEP = 250


class DocumentEvidence:
    """One stored document: its figures, its compacted text, its date."""

    def __init__(self, document: Document, org: str = ""):
        self.document = document
        full = f"{document.title}\n{document.text}"
        # Who published it counts as named in it (国家数据局 on its own notice).
        self.text = compact(f"{full}\n{document.source_org}\n{org}")
        figures = find_figures(full)
        self.numbers = {f.key for f in figures if f.kind == "number"}
        self.plain_numbers = {k.rstrip("%") for k in self.numbers}
        self.dates = {f.key for f in figures if f.kind == "date"}
        self.months = {f.key for f in figures if f.kind == "month"} | {k[:7] for k in self.dates}
        self.days = {f.key for f in figures if f.kind == "day"}
        self.published: date | None = local_date(document)

    @cached_property
    def windows(self) -> list[str]:
        """The title with each stretch of the text, compacted."""
        text = self.document.text
        starts = range(0, max(len(text) - WINDOW, 0) + 1, STEP) if text else [0]
        return [compact(f"{self.document.title}\n{text[s : s + WINDOW]}") for s in starts]

    def grounds(self, claim: Figure) -> bool:
        if claim.kind in ("title", "quote"):
            return claim.key in self.text
        if claim.kind == "number":
            if claim.key.endswith("%"):
                return claim.key in self.numbers
            return claim.key in self.plain_numbers
        if claim.kind == "month":
            published = self.published.strftime("%Y-%m") if self.published else None
            return claim.key in self.months or claim.key == published
        if claim.kind == "day":
            return claim.key in self.days or any(
                k.endswith(f"-{int(claim.key):02d}") for k in self.dates
            )
        return self._grounds_date(claim.key)

    def _grounds_date(self, key: str) -> bool:
        year, month_day = (key[:4], key[5:]) if not key.startswith("--") else (None, key[2:])
        if key in self.dates or f"--{month_day}" in self.dates:
            return True
        if year is None and any(d.endswith(month_day) for d in self.dates):
            return True
        published = self.published
        if published is not None:
            if published.strftime("%m-%d") == month_day and (
                year is None or int(year) == published.year
            ):
                return True
            # "21日" in a document published in May 2026 is 21 May 2026.
            month, day = month_day.split("-")
            if (
                int(month) == published.month
                and str(int(day)) in self.days
                and (year is None or int(year) == published.year)
            ):
                return True
        return False


@dataclass
class Sources:
    """The documents one part of the brief may rely on (a section: the ones it cites)."""

    refs: list[int]  # reference ids, the ones known to the brief
    documents: list[DocumentEvidence]  # the stored ones among them

    @classmethod
    def of(
        cls,
        refs: Iterable[int],
        evidence: Mapping[int, DocumentEvidence],
        known: Iterable[int],
    ) -> Sources:
        known = set(known)
        ids = [r for r in dict.fromkeys(refs) if r in known]
        return cls(ids, [evidence[r] for r in ids if r in evidence])

    @cached_property
    def text(self) -> str:
        return "\n".join(d.text for d in self.documents)

    @cached_property
    def windows(self) -> list[str]:
        return [w for d in self.documents for w in d.windows]

    @property
    def dates(self) -> list[date]:
        return [d.published for d in self.documents if d.published is not None]


def evidence_of(
    documents: Mapping[int, Document | None], references: Iterable[Reference] = ()
) -> dict[int, DocumentEvidence]:
    """Reference id → evidence of its stored document (the reference's org counts as named)."""
    orgs = {r.id: r.org for r in references}
    return {i: DocumentEvidence(d, orgs.get(i, "")) for i, d in documents.items() if d is not None}
