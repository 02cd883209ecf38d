"""Relevance evaluation against editor labels (``zhibao eval relevance``).

Labels are JSON lines ``{"url": …, "label": 0|1|2}`` (0 not relevant, 1 related, 2 core).
Two questions are answered:

- the relevance stage: precision / recall of ``relevant`` against label ≥ 1 (and recall of
  the core items);
- the final selection: the daily briefs are replayed over the labelled days (each day's
  analysis sees the previous days' selections, as in production); the precision is the share
  of selected leads labelled related or core, and core recall the share of core items that
  reached a selected event or the candidate list on some day.

    >>> result = evaluate_relevance(documents, load_labels("labels.jsonl"), load_profile())
    >>> result.selection_precision, result.core_candidate_recall
    (0.93, 0.87)
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

from zhibao.analyze import analyze, covered_event
from zhibao.config import Profile
from zhibao.core.errors import InputError
from zhibao.core.model import CoveredEvent, Document, Tier
from zhibao.core.time import local_date

__all__ = ["RelevanceEvaluation", "evaluate_relevance", "load_document_file", "load_labels"]


@dataclass
class RelevanceEvaluation:
    labelled: int  # labels read
    found: int  # labelled URLs among the documents
    positives: int  # labelled related or core (found)
    core: int  # labelled core (found)
    relevant_tp: int = 0
    relevant_fp: int = 0
    relevant_fn: int = 0
    core_relevant: int = 0  # core items the relevance stage kept
    days: list[str] = field(default_factory=list)
    selected: int = 0  # selected leads that are labelled
    selected_unlabelled: int = 0
    selected_positive: int = 0
    core_reached: int = 0  # core items in a selected or candidate event on some day
    selected_titles: list[tuple[str, str, int | None]] = field(default_factory=list)
    missed_core: list[str] = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, b: int) -> float | None:
        return round(a / b, 3) if b else None

    @property
    def relevance_precision(self) -> float | None:
        return self._ratio(self.relevant_tp, self.relevant_tp + self.relevant_fp)

    @property
    def relevance_recall(self) -> float | None:
        return self._ratio(self.relevant_tp, self.relevant_tp + self.relevant_fn)

    @property
    def relevance_core_recall(self) -> float | None:
        return self._ratio(self.core_relevant, self.core)

    @property
    def selection_precision(self) -> float | None:
        return self._ratio(self.selected_positive, self.selected)

    @property
    def core_candidate_recall(self) -> float | None:
        return self._ratio(self.core_reached, self.core)

    def to_dict(self) -> dict:
        data = asdict(self)
        for name in (
            "relevance_precision",
            "relevance_recall",
            "relevance_core_recall",
            "selection_precision",
            "core_candidate_recall",
        ):
            data[name] = getattr(self, name)
        return data


def load_labels(path: str | Path) -> dict[str, int]:
    """``{url: label}`` from a JSON-lines file; errors name the file and line."""
    path = Path(path)
    labels: dict[str, int] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: 标注文件不存在 (labels file not found)") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            url, label = row["url"], int(row["label"])
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            raise InputError(
                f'{path}:{number}: 每行应为 {{"url": "…", "label": 0|1|2}}（收到 {line[:60]!r}）'
            ) from None
        if label not in (0, 1, 2):
            raise InputError(f"{path}:{number}: label 应为 0、1 或 2（收到 {label}）")
        labels[url] = label
    return labels


def load_document_file(path: str | Path) -> list[Document]:
    """Documents from a JSON-lines file as written by ``zhibao export documents``."""
    path = Path(path)
    documents = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    documents.append(Document.model_validate_json(line))
                except ValueError as exc:
                    raise InputError(f"{path}:{number}: 不是有效的文档 JSON：{exc}") from None
    return documents


def evaluate_relevance(
    documents: Sequence[Document],
    labels: Mapping[str, int],
    profile: Profile,
    *,
    tiers: Mapping[str, Tier] | None = None,
) -> RelevanceEvaluation:
    """Score the relevance stage and replay the daily selection over the labelled days."""
    by_url: dict[str, Document] = {}
    for document in documents:
        by_url.setdefault(document.url, document)
        by_url.setdefault(document.canonical_url, document)
    found = {url: by_url[url] for url in labels if url in by_url}
    label_of = {doc.canonical_url: labels[url] for url, doc in found.items()}
    result = RelevanceEvaluation(
        labelled=len(labels),
        found=len(found),
        positives=sum(1 for v in label_of.values() if v >= 1),
        core=sum(1 for v in label_of.values() if v == 2),
    )
    days = sorted({d for doc in found.values() if (d := local_date(doc))})
    if not days:
        return result
    reached: set[str] = set()
    earlier: list[CoveredEvent] = []
    scored: dict[str, bool] = {}
    brief_date = days[0] + timedelta(days=1)
    while brief_date <= days[-1] + timedelta(days=1):
        window = [
            d
            for d in documents
            if (day := local_date(d)) is None
            or brief_date - timedelta(days=profile.window_days + 7) <= day <= brief_date
        ]
        analysis = analyze(window, profile, brief_date=brief_date, tiers=tiers, earlier=earlier)
        for url, relevance in analysis.relevance.items():
            scored.setdefault(url, relevance.relevant)
        for event in analysis.selected:
            lead = event.lead_document.canonical_url
            label = label_of.get(lead)
            result.selected_titles.append(
                (brief_date.isoformat(), event.focus or event.lead_document.title, label)
            )
            if label is None:
                result.selected_unlabelled += 1
            else:
                result.selected += 1
                result.selected_positive += label >= 1
        for event in [*analysis.selected, *analysis.candidates]:
            reached.update(d.canonical_url for d in event.documents)
        earlier += [covered_event(e, brief_date) for e in analysis.selected]
        result.days.append(brief_date.isoformat())
        brief_date += timedelta(days=1)

    for url, label in label_of.items():
        relevant = scored.get(url, False)
        if label >= 1 and relevant:
            result.relevant_tp += 1
        elif label >= 1:
            result.relevant_fn += 1
        elif relevant:
            result.relevant_fp += 1
        if label == 2:
            result.core_relevant += relevant
            if url in reached:
                result.core_reached += 1
            else:
                result.missed_core.append(by_url[url].title)
    return result
