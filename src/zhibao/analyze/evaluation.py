"""Relevance evaluation against editor labels (``zhibao eval relevance``).

Labels are JSON lines ``{"url": …, "label": 0|1|2}`` (0 not relevant, 1 related, 2 core). A
URL is a page (``…/VIDEabc.shtml``) or one story cut from a round-up page
(``…/VIDEabc.shtml#story-3``); both kinds may be mixed, and several files may be given.

The daily briefs are replayed over the labelled days (each day's analysis sees the previous
days' selections, as in production), and two questions are answered at two grains:

- **per page**: a page is found when any document cut from it was analysed, reached when any
  of them — or, when its stories are labelled, its best story — reached a selected event or
  the candidate list; a selected section counts for the page it was cut from (its label is the
  page's: the best of its stories);
- **per story**: the unit is the story itself; a selected section's label is its own story's.
  A story of a page that was not split is found (and reached) through its page, and counted.

For each: precision / recall of the relevance stage against label ≥ 1; the selection
precision (share of selected sections labelled related or core; target ≥ 90 %) and the core
recall (share of core units in a selected or candidate event on some day; target ≥ 85 %).

    >>> result = evaluate_relevance(documents, load_labels("labels.jsonl"), load_profile())
    >>> result.story.selection_precision, result.story.core_candidate_recall
    (0.93, 0.87)
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from zhibao.analyze import analyze, covered_event
from zhibao.analyze.features import document_features
from zhibao.config import Profile
from zhibao.core.errors import InputError
from zhibao.core.model import CoveredEvent, Document, Tier
from zhibao.core.time import local_date

__all__ = [
    "Grain",
    "RelevanceEvaluation",
    "evaluate_relevance",
    "load_document_file",
    "load_labels",
    "page_of",
]

STORY_MARK = "#story-"


def page_of(url: str) -> str:
    """The page a (story) URL belongs to: ``…/a.shtml#story-3`` → ``…/a.shtml``."""
    return url.split(STORY_MARK, 1)[0]


@dataclass
class Grain:
    """The figures at one grain (pages or stories)."""

    labelled: int = 0  # labels read
    found: int = 0  # labelled units among the analysed documents
    positives: int = 0  # labelled related or core (found)
    core: int = 0  # labelled core (found)
    via_page: int = 0  # stories found only through their unsplit page
    relevant_tp: int = 0
    relevant_fp: int = 0
    relevant_fn: int = 0
    core_relevant: int = 0  # core units the relevance stage kept
    selected: int = 0  # selected sections whose unit is labelled
    selected_unlabelled: int = 0
    selected_positive: int = 0
    core_reached: int = 0  # core units in a selected or candidate event on some day
    missed_core: list[str] = field(default_factory=list)
    off_topic: list[str] = field(default_factory=list)  # selected sections labelled 0

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
        for name in RATIOS:
            data[name] = getattr(self, name)
        return data


RATIOS = (
    "relevance_precision",
    "relevance_recall",
    "relevance_core_recall",
    "selection_precision",
    "core_candidate_recall",
)


@dataclass
class RelevanceEvaluation:
    page: Grain
    story: Grain | None  # None without story labels
    days: list[str] = field(default_factory=list)
    sections_per_day: dict[str, int] = field(default_factory=dict)
    selected_titles: list[tuple[str, str, int | None]] = field(default_factory=list)
    minimum: int = 0  # the profile's sections.min

    @property
    def short_days(self) -> list[str]:
        """Days whose brief has fewer sections than the profile's minimum."""
        return [d for d, n in self.sections_per_day.items() if n < self.minimum]

    def to_dict(self) -> dict:
        return {
            "page": self.page.to_dict(),
            "story": self.story.to_dict() if self.story else None,
            "days": self.days,
            "sections_per_day": self.sections_per_day,
            "short_days": self.short_days,
            "selected_titles": self.selected_titles,
        }


def load_labels(*paths: str | Path) -> dict[str, int]:
    """``{url: label}`` from JSON-lines files (later files win); errors name file and line."""
    labels: dict[str, int] = {}
    for path in map(Path, paths):
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


@dataclass
class _Replay:
    """What the replayed briefs did with each document (by canonical URL)."""

    relevant: dict[str, bool] = field(default_factory=dict)
    reached: set[str] = field(default_factory=set)
    selected: list[tuple[str, Document]] = field(default_factory=list)  # (brief day, lead)


def _replay(
    documents: Sequence[Document],
    profile: Profile,
    days: Sequence[date],
    tiers: Mapping[str, Tier] | None,
    usual_times: Mapping[str, str] | None,
    result: RelevanceEvaluation,
) -> _Replay:
    replay = _Replay()
    earlier: list[CoveredEvent] = []
    brief_date = days[0] + timedelta(days=1)
    span = timedelta(days=profile.window_days + 7)
    # Scored once, as the store keeps them: the replayed windows overlap by days. A URL given
    # twice is left to each day's analysis, which takes the first copy inside its window.
    urls = Counter(d.canonical_url for d in documents)
    single = [d for d in documents if urls[d.canonical_url] == 1]
    features = dict(
        zip((d.canonical_url for d in single), document_features(single, profile), strict=True)
    )
    while brief_date <= days[-1] + timedelta(days=1):
        window = [
            d
            for d in documents
            if (day := local_date(d)) is None or brief_date - span <= day <= brief_date
        ]
        analysis = analyze(
            window,
            profile,
            brief_date=brief_date,
            tiers=tiers,
            usual_times=usual_times,
            earlier=earlier,
            features=features,
        )
        for url, relevance in analysis.relevance.items():
            replay.relevant.setdefault(url, relevance.relevant)
        for event in analysis.selected:
            replay.selected.append((brief_date.isoformat(), event.lead_document))
        for event in [*analysis.selected, *analysis.candidates]:
            replay.reached.update(d.canonical_url for d in event.documents)
        earlier += [covered_event(e, brief_date) for e in analysis.selected]
        result.days.append(brief_date.isoformat())
        result.sections_per_day[brief_date.isoformat()] = len(analysis.selected)
        brief_date += timedelta(days=1)
    return replay


def _score(
    grain: Grain,
    units: Mapping[str, int],
    members: Mapping[str, list[Document]],
    best: Mapping[str, list[Document]],
    replay: _Replay,
) -> None:
    """Relevance and recall over ``units`` (unit → label), ``members`` (unit → its documents)."""
    grain.labelled = len(units)
    for unit, label in units.items():
        docs = members.get(unit, [])
        if not docs:
            continue
        grain.found += 1
        grain.positives += label >= 1
        grain.core += label == 2
        relevant = any(replay.relevant.get(d.canonical_url, False) for d in docs)
        if label >= 1 and relevant:
            grain.relevant_tp += 1
        elif label >= 1:
            grain.relevant_fn += 1
        elif relevant:
            grain.relevant_fp += 1
        if label == 2:
            grain.core_relevant += relevant
            needed = best.get(unit) or docs
            if any(d.canonical_url in replay.reached for d in needed):
                grain.core_reached += 1
            else:
                grain.missed_core.append(needed[0].title)


def evaluate_relevance(
    documents: Sequence[Document],
    labels: Mapping[str, int],
    profile: Profile,
    *,
    tiers: Mapping[str, Tier] | None = None,
    usual_times: Mapping[str, str] | None = None,
) -> RelevanceEvaluation:
    """Replay the daily briefs over the labelled days and score them per page and per story."""
    page_labels = {u: v for u, v in labels.items() if STORY_MARK not in u}
    story_labels = {u: v for u, v in labels.items() if STORY_MARK in u}
    for url, label in story_labels.items():  # a page is as relevant as its best story
        page = page_of(url)
        page_labels[page] = max(page_labels.get(page, 0), label)

    by_page: dict[str, list[Document]] = defaultdict(list)
    by_url: dict[str, Document] = {}
    for document in documents:
        for url in {document.url, document.canonical_url}:
            by_url.setdefault(url, document)
            by_page[page_of(document.page_url or url)].append(document)
    for page, docs in by_page.items():  # one document listed under both its URLs
        by_page[page] = list({d.canonical_url: d for d in docs}.values())

    result = RelevanceEvaluation(page=Grain(), story=Grain() if story_labels else None)
    result.minimum = profile.sections.min
    labelled_docs = [d for page in page_labels for d in by_page.get(page, [])]
    days = sorted({d for doc in labelled_docs if (d := local_date(doc))})
    if not days:
        result.page.labelled = len(page_labels)
        return result
    replay = _replay(documents, profile, days, tiers, usual_times, result)

    # Per page: a page's best stories (when labelled per story) must be reached.
    best: dict[str, list[Document]] = {}
    stories_of: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for url, label in story_labels.items():
        stories_of[page_of(url)].append((url, label))
    for page, stories in stories_of.items():
        top = max(label for _, label in stories)
        best[page] = [by_url[u] for u, label in stories if label == top and u in by_url]
    _score(result.page, page_labels, by_page, best, replay)

    if result.story is not None:
        units = dict(story_labels)
        units.update({u: v for u, v in page_labels.items() if u not in stories_of and u in labels})
        members: dict[str, list[Document]] = {}
        for unit in units:
            if unit in by_url:
                members[unit] = [by_url[unit]]
            elif page_of(unit) in by_url and STORY_MARK in unit:  # the page was not split
                members[unit] = [by_url[page_of(unit)]]
                result.story.via_page += 1
        _score(result.story, units, members, {}, replay)

    for day, lead in replay.selected:
        page = page_of(lead.page_url or lead.url)
        page_label = page_labels.get(page)
        _count_selected(result.page, page_label, lead, day)
        if result.story is not None:
            story_label = labels.get(lead.url)
            if story_label is None and lead.page_url is None:
                # An unsplit page: its label is the page's (stories labelled: the best one's).
                story_label = page_label
            _count_selected(result.story, story_label, lead, day)
        shown = page_label if result.story is None else labels.get(lead.url, page_label)
        result.selected_titles.append((day, lead.title, shown))
    return result


def _count_selected(grain: Grain, label: int | None, lead: Document, day: str) -> None:
    if label is None:
        grain.selected_unlabelled += 1
        return
    grain.selected += 1
    grain.selected_positive += label >= 1
    if label == 0:
        grain.off_topic.append(f"{day} {lead.title}")


def compare_rows(
    old: Mapping[str, object], new: Mapping[str, object]
) -> Iterable[tuple[str, str, object, object]]:
    """(grain, figure, old, new) for every ratio in two ``--json`` outputs."""
    if "page" not in old:  # a file written before stories were split: page figures only
        old = {"page": old}
    for grain in ("page", "story"):
        before, after = old.get(grain) or {}, new.get(grain) or {}
        if not isinstance(before, dict) or not isinstance(after, dict):
            continue
        for name in RATIOS:
            yield grain, name, before.get(name), after.get(name)
