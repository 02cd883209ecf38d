"""One event, one section: group the relevant documents that report the same happening.

Documents are first merged with their near-duplicates (``dedup``), then compared only when
they share a *blocking key* — a 《title》, a significant figure, an organisation or a rare title
word — and were published within ``max_gap_days`` of each other; so the work grows with the
number of real candidate pairs, not with the square of the window. A pair is merged when

- their titles are very similar (rapidfuzz, character and word level), or
- titles are fairly similar and they share a 《title》, an organisation or two figures, or
- they share a 《title》 named in one of their titles plus a figure or an organisation, or
- their openings share enough distinctive words (IDF-weighted Jaccard over the window), which
  catches an outlet's rewrite of an agency's release under a different headline.

An organisation counts as shared context only when it is rare in the window: on a day when
国家数据局 issues five releases, naming it says nothing about which event a report is about.
A title that names a province the other does not (福建分赛 vs the national contest) is a
different, local event unless the texts also share a 《title》, a rare organisation or a figure.

The lead of an event is its most authoritative document (tier weight), then the earliest,
then the longest.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from zhibao.analyze.text import tokenize
from zhibao.core.entities import organisations, principal_persons
from zhibao.core.figures import compact, find_figures, find_titles
from zhibao.core.model import Document
from zhibao.core.time import local_date

__all__ = ["Cluster", "cluster_documents", "event_id", "organisations", "significant_figures"]

MAX_GAP_DAYS = 3
CONTENT_SIMILARITY = 0.17  # same event; different releases of one agency stay below ~0.12
_RARE_ORG_SHARE = 0.1  # an organisation in more than this share of the units is common
_HEAD_CHARS = 600
_PLACES = re.compile(
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|"
    "广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
# A key shared by more documents than this says nothing (e.g. 《政府工作报告》 in March).
_MAX_KEY_MEMBERS = 60
_TITLE_NOISE = re.compile(r"^\s*[\[【(（][^\]】)）]{1,12}[\]】)）]\s*")
_STOP_WORDS = {
    "发布",
    "召开",
    "举行",
    "印发",
    "关于",
    "我国",
    "中国",
    "全国",
    "国家",
    "新闻",
    "快讯",
    "国内",
    "国际",
    "联播",
}


def event_id(document: Document) -> str:
    """A stable id for the event led by ``document`` (the same lead gives the same id every day)."""
    digest = hashlib.sha1(document.canonical_url.encode("utf-8")).hexdigest()[:12]
    return f"ev-{digest}"


def significant_figures(text: str) -> set[str]:
    """Figures that identify a fact: percentages, decimals and counts ≥ 10 that are not years."""
    keys = set()
    for figure in find_figures(text):
        if figure.kind != "number":
            continue
        key = figure.key
        if (
            key.endswith("%")
            or "." in key
            or key.isdigit()
            and int(key) >= 10
            and not 1900 <= int(key) <= 2100
        ):
            keys.add(key)
    return keys


@dataclass
class Cluster:
    """Documents of one event (indices into the analysed list) and why they were merged."""

    members: list[int]
    # One line per merge: which two headlines, and what tied them (shown to the editor).
    merged_by: list[str] = field(default_factory=list)


@dataclass
class _Unit:
    members: list[int]
    day: date | None
    source: str
    title: str
    words: str
    titles: set[str]
    title_books: set[str]
    figures: set[str]
    orgs: set[str]
    terms: set[str]
    places: set[str]
    principals: set[str]  # the people the headline is about (李强在浙江调研… → 李强)


def _clean_title(title: str) -> str:
    return _TITLE_NOISE.sub("", title).strip()


def _unit(
    members: list[int],
    documents: Sequence[Document],
    chinese: Callable[[Document], bool],
    focus: Callable[[Document], str | None],
) -> _Unit:
    lead = documents[members[0]]
    # In a round-up the relevant item's headline stands for the page (not "国内联播快讯").
    title = _clean_title(focus(lead) or lead.title)
    head = f"{lead.title}\n{lead.text[:_HEAD_CHARS]}"
    is_chinese = chinese(lead)
    days = [d for d in (local_date(documents[i]) for i in members) if d]
    return _Unit(
        members=members,
        day=min(days) if days else None,
        source=lead.source_id or lead.source_org,
        title=compact(title),
        words=" ".join(tokenize(title, chinese=is_chinese)),
        titles={f.key for f in find_titles(head) if len(f.key) >= 4},
        title_books={f.key for f in find_titles(lead.title) if len(f.key) >= 4},
        figures=significant_figures(head),
        orgs=organisations(f"{lead.title}\n{lead.text[:300]}"),
        terms={
            t for t in tokenize(head, chinese=is_chinese) if len(t) >= 2 and not t.isdigit()
        },
        places=set(_PLACES.findall(title)),
        principals=principal_persons(title),
    )


def _title_similarity(a: _Unit, b: _Unit) -> float:
    return max(fuzz.ratio(a.title, b.title), fuzz.token_set_ratio(a.words, b.words)) / 100


class _Weights:
    """Document frequencies over the window's units: rare words and organisations weigh more."""

    def __init__(self, units: Sequence[_Unit]):
        self.units = len(units)
        self.terms = Counter(t for u in units for t in u.terms)
        self.orgs = Counter(o for u in units for o in u.orgs)
        self.common_org = max(2, int(_RARE_ORG_SHARE * self.units))

    def idf(self, term: str) -> float:
        return math.log((self.units + 1) / (self.terms.get(term, 0) + 0.5))

    def content_similarity(self, a: _Unit, b: _Unit) -> float:
        union = sum(self.idf(t) for t in a.terms | b.terms)
        return sum(self.idf(t) for t in a.terms & b.terms) / union if union else 0.0

    def rare_orgs(self, orgs: set[str]) -> set[str]:
        return {o for o in orgs if self.orgs[o] <= self.common_org}


def _short(unit: _Unit, limit: int = 24) -> str:
    return unit.title if len(unit.title) <= limit else unit.title[:limit] + "…"


def _listed(label: str, items: set[str], limit: int = 3) -> str:
    return f"{label}：{'、'.join(sorted(items)[:limit])}"


def _merge_reason(a: _Unit, b: _Unit, weights: _Weights) -> str | None:
    """Why ``a`` and ``b`` report one event, in words an editor can check; None if they don't."""
    if a.day and b.day and abs((a.day - b.day).days) > MAX_GAP_DAYS:
        return None
    if a.source and a.source == b.source and a.title == b.title:
        return None  # a recurring column of one outlet (国内联播快讯, 每日动态), not one event
    # Two headlines about different people (two leaders' inspections the same evening) are two
    # events, however alike their wording and boilerplate (中共中央政治局, 调研, 强调).
    if a.principals and b.principals and not a.principals & b.principals:
        return None
    similarity = _title_similarity(a, b)
    content = weights.content_similarity(a, b)
    shared_titles = a.titles & b.titles
    shared_orgs = weights.rare_orgs(a.orgs & b.orgs)
    shared_figures = a.figures & b.figures
    ties = [
        _listed(label, items)
        for label, items in (
            ("共同人物", a.principals & b.principals),
            ("共同文件", shared_titles),
            ("共同机构", shared_orgs),
            ("共同数字", shared_figures),
        )
        if items
    ]
    detail = f"（{'；'.join(ties)}）" if ties else ""
    if content >= CONTENT_SIMILARITY:
        return f"正文开头用词高度重合 {content:.2f}{detail}"
    # A province's own edition of a national event (福建分赛) is its own event unless the texts
    # also share a fact; a similar headline alone is not enough.
    if similarity >= 0.75 and (
        a.places == b.places or shared_titles or shared_orgs or shared_figures
    ):
        return f"标题相近 {similarity:.2f}{detail}"
    if similarity >= 0.45 and (shared_titles or shared_orgs or len(shared_figures) >= 2):
        return f"标题较近 {similarity:.2f}{detail}"
    named = (a.title_books | b.title_books) & shared_titles
    if named and (shared_figures or shared_orgs):
        return f"标题所列文件相同{detail}"
    if len(shared_figures) >= 3 and similarity >= 0.3:
        return f"多个数字相同{detail}"
    return None


def cluster_documents(
    documents: Sequence[Document],
    candidates: Sequence[int],
    duplicate_groups: Sequence[Sequence[int]],
    *,
    chinese: Callable[[Document], bool],
    focus: Callable[[Document], str | None] = lambda document: None,
) -> list[Cluster]:
    """Cluster ``candidates`` (indices of relevant documents); duplicates stay together.

    ``chinese(document)`` says how to tokenise it; ``focus(document)`` may give the headline of
    the relevant item of a round-up page.
    """
    wanted = set(candidates)
    seen: set[int] = set()
    groups: list[list[int]] = []
    for group in duplicate_groups:
        members = [i for i in group if i in wanted]
        if members:
            groups.append(members)
            seen.update(members)
    groups += [[i] for i in candidates if i not in seen]
    units = [_unit(g, documents, chinese, focus) for g in groups]
    weights = _Weights(units)

    # Blocking: only units sharing a key are compared.
    keys: dict[str, list[int]] = defaultdict(list)
    for u, unit in enumerate(units):
        unit_keys = {f"t:{k}" for k in unit.titles} | {f"n:{k}" for k in unit.figures}
        unit_keys |= {f"o:{k}" for k in unit.orgs}
        unit_keys |= {f"w:{w}" for w in unit.words.split() if len(w) >= 2 and w not in _STOP_WORDS}
        for key in unit_keys:
            keys[key].append(u)
    parent = list(range(len(units)))
    reasons: dict[int, list[str]] = defaultdict(list)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    compared: set[tuple[int, int]] = set()
    for members in keys.values():
        if len(members) < 2 or len(members) > _MAX_KEY_MEMBERS:
            continue
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                if (a, b) in compared or find(a) == find(b):
                    continue
                compared.add((a, b))
                reason = _merge_reason(units[a], units[b], weights)
                if reason:
                    ra, rb = find(a), find(b)
                    parent[rb] = ra
                    pair = f"「{_short(units[a])}」与「{_short(units[b])}」：{reason}"
                    reasons[ra] += [*reasons.pop(rb, []), pair]
    clusters: dict[int, Cluster] = {}
    for u, unit in enumerate(units):
        root = find(u)
        cluster = clusters.setdefault(root, Cluster(members=[], merged_by=reasons.get(root, [])))
        cluster.members += unit.members
        if len(unit.members) > 1:
            cluster.merged_by.append(f"「{_short(unit)}」：{len(unit.members)} 篇转载或重复稿")
    return list(clusters.values())
