"""The 摘要 and 今日判断 speak of the brief as it is now: its sections, their count, their themes.

After an editor excludes, includes or reorders events, or rewrites the text, four things can go
stale; each is a failure of the summary or the judgment:

- **counts** — "六条动态", "4 个事件", "三节" must equal the number of sections; a part of them
  ("其中…方向有三条（A、B、C）") must not exceed it and must match the items it lists;
- **events** — a sentence that tells an event (it has a date, 同日, a 《title》 or an act such as
  召开/发布/启动) must be supported by one section's heading, text, references' agencies and
  cited documents (``support`` ≥ ``UNIT``, and what each act is about — 召开**词元经济座谈会** —
  ≥ ``CLAUSE``), or else each of its event clauses by some section (≥ ``CLAUSE``). A relative
  time word in its event clause must mean the same as in that section's documents. A sentence
  that only names an agency or a person (下一步，国家数据局将…) needs ``LOOSE`` from some section;
- **section numbers** — "X（第二节、第五节）": the sections exist and are about X (carry theme
  X, name X, or support event X);
- **themes** — a theme of the profile named in a synthesising sentence (数据要素, 人工智能治理…)
  must be carried by some section (its keywords score at least half of that section's best).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import cn2an

from zhibao.check.entities import named, org_found
from zhibao.check.evidence import Sources
from zhibao.check.headings import event_clause
from zhibao.check.report import CheckReport, Failure
from zhibao.check.support import support
from zhibao.check.timing import misdated_words
from zhibao.config import Profile, theme_short
from zhibao.core.figures import compact, find_figures, find_titles
from zhibao.core.model import Brief, Document, split_paragraphs

__all__ = [
    "CLAUSE",
    "LOOSE",
    "UNIT",
    "Mentions",
    "SectionView",
    "carried_themes",
    "check_counts",
    "check_themes",
]

UNIT = 0.6
CLAUSE = 0.7
LOOSE = 0.4  # a sentence that only names an agency or a person

_NUM = r"(?P<n>\d+|[一二两三四五六七八九十]+)"
_NOT_AFTER = r"(?<![第\d一二两三四五六七八九十百])"
_NOUN = r"(?:动态|事件|新闻|消息|线索|要闻|看点|进展)"
# Words that may stand between a count and its noun: 六条重要动态, 五条与主题直接相关的动态.
_MODIFIER = r"[新重要点主相关的值得关注与题直接入选]{0,8}"
_TOTALS = (
    re.compile(rf"{_NOT_AFTER}{_NUM}\s*(?:条|个|项|件|则)\s*{_MODIFIER}{_NOUN}"),
    re.compile(rf"{_NOT_AFTER}{_NUM}\s*(?:节|部分)(?![课假日气点能奏约目])"),
    re.compile(rf"{_NOUN}(?:只有|仅有|共有|共计|共){_NUM}\s*(?:条|个|项|件|则)"),
)
# A part of the brief, not all of it (其中…有三条, 另有十条未入选).
_PART_BEFORE = re.compile(r"其中|另有|另外|还有|此外|其余|之外|以外|除")
_PART_AFTER = re.compile(r"^\s*(?:未入选|之一|以外|之外|中的|未列入)")
_SUBSET = re.compile(
    rf"其中[^。；，]*?{_NUM}\s*(?:条|个|项|件)[^（(。；]{{0,6}}[（(](?P<list>[^）)]+)[）)]"
)

_UNIT_SPLIT = re.compile(r"[。；;！？!?\n]+")
# "第二节、第五节" / "第一和第三节": the brief pointing at its own sections.
_SECTION_REF = re.compile(
    r"第[一二三四五六七八九十\d]+节(?:[、和及与]第?[一二三四五六七八九十\d]+节)*"
)
_REF_NUMBER = re.compile(r"[一二三四五六七八九十\d]+")
_ITEM_SPLIT = re.compile(r"[，,。；：:、（()）]")
_CLAUSE_SPLIT = re.compile(r"[，,：:（）()、]+")
# Acts that make a sentence tell an event (部署, 推进 also describe trends: not listed).
_ACTS = re.compile(
    r"召开|举行|举办|发布|印发|出台|公布|启动|开幕|闭幕|出席|主持|调研|考察|视察|签署|宣布|"
    r"揭牌|会见|颁布|座谈会"
)
_SAME_DAY = re.compile(r"同日|当日|当天")
# What an act is about: 召开(词元经济座谈会), 启动(2026年“数据要素×”大赛), 发布(《指引》).
_OBJECT = re.compile(
    r"(?:主持召开|召开|举行|举办|发布|印发|出台|公布|启动|出席|签署|颁布|会见)了?"
    r"([^，,。；;、：:（）()]{2,24})"
)


@dataclass
class SectionView:
    """What the summary may rely on for one section: its own text and its sources."""

    number: int
    heading: str
    texts: list[str]  # compacted: the section's text (with its references' orgs), each document
    sources: Sources


def section_views(brief: Brief, sources: Sequence[Sources]) -> list[SectionView]:
    views = []
    for number, (section, own) in enumerate(zip(brief.sections, sources, strict=True), start=1):
        orgs = [r.org for r in brief.references if r.id in own.refs]
        body = "\n".join([section.heading, *(p.text for p in section.paragraphs), *orgs])
        views.append(
            SectionView(
                number, section.heading, [compact(body)] + [d.text for d in own.documents], own
            )
        )
    return views


def _count(written: str) -> int | None:
    try:
        return int(written) if written.isdigit() else int(cn2an.cn2an(written, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def _clause_before(text: str, at: int) -> str:
    return re.split(r"[，。；,;]", text[:at])[-1]


def check_counts(
    report: CheckReport, where: str, text: str, brief: Brief, paragraph: int | None
) -> None:
    """Counts of the brief's items in ``text`` against its sections."""
    total = len(brief.sections)
    seen: set[int] = set()
    for pattern in _TOTALS:
        for m in pattern.finditer(text):
            if m.start() in seen:
                continue
            seen.add(m.start())
            value = _count(m.group("n"))
            if value is None or value == total:
                continue
            if _PART_BEFORE.search(_clause_before(text, m.start())) or _PART_AFTER.match(
                text[m.end() :]
            ):
                continue
            report.failures.append(
                Failure(
                    where,
                    m.group(0).strip(),
                    f"说有 {value} 条，本期实际共 {total} 节",
                    paragraph=paragraph,
                )
            )
    headings = [compact(event_clause(s.heading)) for s in brief.sections]
    for m in _SUBSET.finditer(text):
        value = _count(m.group("n"))
        if value is None:
            continue
        listed = compact(m.group("list"))
        items = [i for i in re.split(r"、", m.group("list")) if i.strip()]
        matched = sum(1 for h in headings if h and h in listed)
        if value > total or (value != len(items) and value != matched):
            report.failures.append(
                Failure(
                    where,
                    m.group(0)[:40],
                    f"说其中有 {value} 条，但括号里列了 {len(items)} 项、本期共 {total} 节",
                    paragraph=paragraph,
                )
            )


def _tells_event(text: str) -> bool:
    """A date, a 《title》 or an act (召开, 发布…) makes a sentence tell an event; a name alone
    does not (这说明国家数据局… is synthesis; the name itself is checked on its own)."""
    dated = any(f.kind in ("date", "day") for f in find_figures(text))
    return bool(dated or _SAME_DAY.search(text) or find_titles(text) or _ACTS.search(text))


def _objects(text: str) -> list[str]:
    return [m.group(1) for m in _OBJECT.finditer(text)]


def _clauses(unit: str) -> list[str]:
    """The event clauses of ``unit``; a clause that is only a date goes with the next one."""
    out, carry = [], ""
    for part in _CLAUSE_SPLIT.split(unit):
        part = part.strip()
        if not part:
            continue
        bare = re.sub(r"[\s\d年月日号同当天此前]", "", part)
        if not bare:
            carry += part
            continue
        out.append(carry + part)
        carry = ""
    return [c for c in out if named(c) or find_titles(c) or _ACTS.search(c)]


def _short(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Mentions:
    """The summary's and the judgment's sentences against the sections the brief has now."""

    def __init__(
        self,
        report: CheckReport,
        views: Sequence[SectionView],
        brief_date: date,
        profile: Profile | None = None,
        carried: Sequence[set[str]] = (),
    ):
        self.report = report
        self.views = list(views)
        self.brief_date = brief_date
        self.profile = profile
        self.carried = list(carried)

    def check(self, where: str, text: str) -> list[tuple[int, str]]:
        """Fail each event sentence of ``text`` no current section tells, and each "第N节" that
        does not say what that section is; return (paragraph, sentence) of the sentences that
        tell no event (the synthesis, where themes are named)."""
        synthesis: list[tuple[int, str]] = []
        for number, paragraph in enumerate(split_paragraphs(text), start=1):
            for unit in _UNIT_SPLIT.split(paragraph):
                if not unit.strip():
                    continue
                if _SECTION_REF.search(unit):
                    self._references(where, number, unit)
                    synthesis.append((number, unit))  # its themes must exist at all, too
                elif _tells_event(unit):
                    self._event(where, number, unit)
                else:
                    if named(unit):
                        self._named(where, number, unit)
                    synthesis.append((number, unit))
        return synthesis

    def _fail(self, where: str, claim: str, why: str, paragraph: int, refs=()) -> None:
        self.report.failures.append(Failure(where, claim, why, list(refs), paragraph=paragraph))

    def _tells(self, text: str, view: SectionView, at_least: float) -> bool:
        """``view`` supports ``text``, and the object of each of its acts (召开词元经济座谈会 →
        词元经济座谈会: the one meeting, not another one chaired by the same man)."""
        return support(text, view.texts).score >= at_least and all(
            support(thing, view.texts).score >= CLAUSE for thing in _objects(text)
        )

    def _event(self, where: str, paragraph: int, unit: str) -> None:
        if not self.views:
            return
        scores = sorted(
            ((support(unit, v.texts).score, v) for v in self.views),
            key=lambda s: s[0],
            reverse=True,
        )
        best, closest = scores[0]
        view = next((v for s, v in scores if s >= UNIT and self._tells(unit, v, UNIT)), None)
        if view is not None:
            # Only a time word inside the event's own clause dates it (not 是今天最集中的).
            told = "，".join(_clauses(unit))
            for word, why in misdated_words(told, self.brief_date, view.sources.dates):
                self._fail(
                    where, word, f"（第 {view.number} 节的事件）{why}", paragraph, view.sources.refs
                )
            return
        clauses = _clauses(unit)
        if clauses and all(any(self._tells(c, v, CLAUSE) for v in self.views) for c in clauses):
            return
        other = [t for t in _objects(unit) if support(t, closest.texts).score < CLAUSE]
        near = (
            f"与第 {closest.number} 节相近，但「{other[0]}」不在其中"
            if best >= UNIT and other
            else f"最接近的是第 {closest.number} 节，支持度 {best:.0%}"
        )
        self._fail(where, _short(unit), f"提到的事件不在当前任何一节中（{near}）", paragraph)

    def _named(self, where: str, paragraph: int, unit: str) -> None:
        """A sentence about an agency or a person without an event in it (下一步，国家数据局将…;
        这说明国家数据局…): some section must hold at least ``LOOSE`` of it."""
        scores = [(support(unit, v.texts).score, v) for v in self.views]
        best, closest = max(scores, key=lambda s: s[0], default=(1.0, None))
        if closest is not None and best < LOOSE:
            self._fail(
                where,
                _short(unit),
                f"说的事不在当前任何一节中（最接近的是第 {closest.number} 节，支持度 {best:.0%}）",
                paragraph,
            )

    def _references(self, where: str, paragraph: int, unit: str) -> None:
        """ "X（第二节、第五节）": each section named must exist and be about X."""
        total = len(self.views)
        for m in _SECTION_REF.finditer(unit):
            start = m.start() - (1 if m.start() and unit[m.start() - 1] in "（(" else 0)
            item = _ITEM_SPLIT.split(unit[:start])[-1]
            numbers = [_count(n) for n in _REF_NUMBER.findall(m.group(0))]
            valid = [n for n in numbers if n is not None and 1 <= n <= total]
            if len(valid) < len(numbers):
                self._fail(where, m.group(0), f"本期只有 {total} 节", paragraph)
            themes = named_themes([item], self.profile) if self.profile else []
            names = named(item)
            for n in valid:
                view = self.views[n - 1]
                if themes and self.carried:
                    for theme_id, written in themes:
                        if theme_id not in self.carried[n - 1]:
                            self._fail(where, written, f"不是第 {n} 节的方向", paragraph)
                elif names:
                    text = "\n".join(view.texts)
                    for name in sorted(names):
                        if not org_found(compact(name), text):
                            self._fail(
                                where, name, f"第 {n} 节没有提到", paragraph, view.sources.refs
                            )
                elif _tells_event(item) and support(item, view.texts).score < CLAUSE:
                    self._fail(where, _short(item), f"第 {n} 节讲的不是这件事", paragraph)


# ---------------------------------------------------------------------------------- themes


# A short theme name counts as named only as an item (数据要素、实体经济等方向; …与人工智能治理多线).
_ITEM_BEFORE = "、，,：:在属与和及是以"
_ITEM_AFTER = (
    *"、，,。；与和及等是的（(",
    *("方向", "领域", "主线", "为主线", "多线", "双线", "升温", "降温", "延续", "继续"),
)


def named_themes(texts: Sequence[str], profile: Profile) -> list[tuple[str, str]]:
    """(theme id, as written) for each profile theme named in ``texts``."""
    names = []
    for theme in profile.themes:
        # A compound name (数据要素与数据基础设施) is a theme wherever it stands; a plain one
        # (高质量数据集) and a short form only as an item of a list of directions.
        short = theme_short(theme.name)
        names.append((theme.name, theme.id, short == theme.name))
        if short != theme.name:
            names.append((short, theme.id, True))
    names.sort(key=lambda n: -len(n[0]))
    found: dict[str, str] = {}
    for text in texts:
        taken = [False] * len(text)
        for name, theme_id, as_item in names:
            for m in re.finditer(re.escape(name), text):
                if any(taken[m.start() : m.end()]):
                    continue
                if as_item:
                    before = text[m.start() - 1] if m.start() else "，"
                    after = text[m.end() :]
                    if before not in _ITEM_BEFORE or not after.startswith(_ITEM_AFTER):
                        continue
                for i in range(m.start(), m.end()):
                    taken[i] = True
                found.setdefault(theme_id, name)
    return list(found.items())


def carried_themes(brief: Brief, sources: Sequence[Sources], profile: Profile) -> list[set[str]]:
    """Per section, the theme ids it carries: its text, or its lead document, scores the theme at
    least half as high as its best theme."""
    from zhibao.analyze import RelevanceScorer

    scorer = RelevanceScorer(profile)
    out: list[set[str]] = []
    for section, own in zip(brief.sections, sources, strict=True):
        carried: set[str] = set()
        texts = [
            Document(
                url="brief:section",
                canonical_url="brief:section",
                title=section.heading,
                text="\n".join(p.text for p in section.paragraphs),
            )
        ]
        texts += [d.document for d in own.documents[:1]]
        for document in texts:
            themes = scorer.score(document).themes
            top = max(themes.values(), default=0.0)
            if top > 0:
                carried |= {t for t, s in themes.items() if s >= top / 2}
        out.append(carried)
    return out


def check_themes(
    report: CheckReport,
    parts: Sequence[tuple[str, int | None, str]],
    carried: set[str],
    profile: Profile,
) -> None:
    """``parts``: (where, paragraph, text) of the synthesising sentences; ``carried``: the theme
    ids the sections carry."""
    reported: set[tuple[str, str]] = set()
    for where, paragraph, text in parts:
        for theme_id, written in named_themes([text], profile):
            if theme_id in carried or (where, theme_id) in reported:
                continue
            reported.add((where, theme_id))
            report.failures.append(
                Failure(where, written, "提到的方向在当前各节中没有对应内容", paragraph=paragraph)
            )
