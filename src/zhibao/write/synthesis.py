"""摘要 and 今日判断: the period's main line, and which lines of the topic moved.

Both are assembled from the written sections (whoever wrote them), the profile's themes, the
stored briefs of the trend window (``WriteContext.earlier``) and the archive
(``WriteContext.history`` with the analysis' relevance of every document it read):

- 摘要 opens with the main line — the theme most sections belong to, the strongest section's
  first — then gives one clause per section (its day and the gist of its fact paragraph) and
  closes with what moved;
- 今日判断 says, per theme, whether it is new in the trend window, continuing or accelerating
  (more sections than the earlier briefs averaged, or more relevant reports in the archive than
  the span before), naming the sections; then what to watch, quoted only from next-step
  sentences (下一步 / 计划 / 预计 / 将…) of the sections' own sources.

Every count is computed here and written in words below ten (两条, not 二条 or 2), so that no
figure appears that a source does not contain. The period's words (今日判断 / 本周判断, 今天 /
本周, 过去一周 / 过去四周) come from the profile's cadence (``WriteContext.wording``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from zhibao.analyze import RelevanceScorer
from zhibao.config import theme_short
from zhibao.core.figures import find_figures
from zhibao.core.model import Brief, Document, Judgment, Reference, Section
from zhibao.core.text import char_bigrams
from zhibao.core.time import local_date
from zhibao.write.text import (
    EVENT_CUES,
    NEXT_STEP_CUES,
    around,
    attributed,
    cn_count,
    cn_ordinal,
    head,
    is_media,
    quantities,
    quotable,
    split_sentences,
)

if TYPE_CHECKING:
    from zhibao.analyze import Analysis
    from zhibao.write.base import SectionDraft, WriteContext

__all__ = ["Movement", "assemble", "judgment", "movements", "summary"]

_GIST = 60  # characters of a section's clause in the summary (fewer when they do not all fit)
_OUTLOOK = 100  # a next-step sentence longer than this is quoted up to a clause boundary
_RECALL = 60  # a next step the section already gives is recalled in this many characters
_STRONG_NEXT = ("下一步", "计划", "预计", "力争", "即将", "接下来")
NEW, RISING, STEADY = "新出现", "升温", "延续"


def _theme_names(context: WriteContext) -> dict[str, str]:
    return {t.id: t.name for t in context.profile.themes}


def _numbers(numbers: Sequence[int]) -> str:
    """``[1, 2]`` → ``第一节、第二节`` (not 第一、二节: "二节" would read as a count)."""
    return "、".join(f"第{w}节" for n in numbers if (w := cn_ordinal(n)))


# --------------------------------------------------------------------------- the trend data


def _brief_themes(brief: Brief, scorer: RelevanceScorer) -> list[str]:
    themes = []
    for section in brief.sections:
        body = "\n".join(p.text for p in section.paragraphs)
        document = Document(
            url=f"brief:{brief.date}",
            canonical_url=f"brief:{brief.date}",
            title=section.heading,
            text=body,
        )
        theme = scorer.score(document).theme
        if theme:
            themes.append(theme)
    return themes


def _earlier(context: WriteContext) -> list[Brief]:
    since = context.brief_date - timedelta(days=context.profile.cadence.trend_days)
    return [b for b in context.earlier if since <= b.date < context.brief_date]


def earlier_themes(context: WriteContext) -> tuple[int, Counter[str]]:
    """How many briefs of the trend window there are, and how often each theme led a section."""
    earlier = _earlier(context)
    if not earlier:
        return 0, Counter()
    scorer = RelevanceScorer(context.profile)
    counts: Counter[str] = Counter()
    for brief in earlier:
        counts.update(_brief_themes(brief, scorer))
    return len(earlier), counts


@dataclass
class Movement:
    """One theme of the period against the trend window: what the judgment may say of it."""

    theme: str
    name: str
    sections: list[int]  # numbers of this brief's sections on it
    briefs: int = 0  # earlier briefs of the trend window
    earlier_briefs: int = 0  # of those, how many had a section on it
    earlier_sections: int = 0
    recent: int | None = None  # relevant archived reports of the last trend span (None: no archive)
    before: int | None = None  # … of the span before it
    status: str | None = None  # 新出现 / 升温 / 延续; None when there is nothing to compare with
    by_archive: bool = False  # 升温 measured on the archive's reports, not on the briefs
    continuing: list[int] = field(default_factory=list)  # its sections that continue a story

    @property
    def short(self) -> str:
        return theme_short(self.name)


def movements(
    drafts: Sequence[SectionDraft], context: WriteContext, analysis: Analysis | None
) -> list[Movement]:
    """The period's themes in order of their first section, each measured against the trend
    window's briefs and the archive."""
    names = _theme_names(context)
    out: dict[str, Movement] = {}
    for number, draft in enumerate(drafts, start=1):
        theme = draft.event.theme
        if theme not in names:
            continue
        move = out.setdefault(theme, Movement(theme, names[theme], []))
        move.sections.append(number)
        if draft.event.continuing:
            move.continuing.append(number)
    earlier = _earlier(context)
    if earlier:
        scorer = RelevanceScorer(context.profile)
        per_brief = [Counter(_brief_themes(b, scorer)) for b in earlier]
        for move in out.values():
            move.briefs = len(earlier)
            move.earlier_briefs = sum(1 for c in per_brief if c[move.theme])
            move.earlier_sections = sum(c[move.theme] for c in per_brief)
    _archive_counts(out.values(), context, analysis)
    for move in out.values():
        move.status = _status(move)
        today = len(move.sections)
        by_briefs = move.briefs and today >= 2 and today * move.briefs > move.earlier_sections
        move.by_archive = move.status == RISING and not by_briefs
    return list(out.values())


def _archive_counts(
    moves: Sequence[Movement], context: WriteContext, analysis: Analysis | None
) -> None:
    """Relevant reports per theme in the last trend span and the span before, from the archive
    and the analysis' relevance of each document (only when the archive reaches back)."""
    history = context.history
    if analysis is None or not len(history):
        return
    span = timedelta(days=context.profile.cadence.trend_days)
    end = context.brief_date - timedelta(days=1)
    start = context.brief_date - 2 * span
    if local_date(history.documents[0]) > start + timedelta(days=1):
        return
    recent: Counter[str] = Counter()
    before: Counter[str] = Counter()
    documents = history.between(start, end)
    newer = sum(1 for d in documents if local_date(d) > end - span)
    if len(documents) - newer < max(3, 0.3 * newer):
        return  # the archive holds too little of the earlier span to compare with
    for document in documents:
        relevance = analysis.relevance.get(document.canonical_url)
        if relevance is None or not relevance.relevant or relevance.theme is None:
            continue
        bucket = recent if local_date(document) > end - span else before
        bucket[relevance.theme] += 1
    for move in moves:
        move.recent, move.before = recent[move.theme], before[move.theme]


def _status(move: Movement) -> str | None:
    today = len(move.sections)
    archive = move.recent is not None and move.before is not None
    rising_archive = archive and move.recent >= move.before + 2 and move.recent > 1.5 * move.before
    if move.briefs:
        if move.earlier_sections == 0:
            return NEW
        if (today >= 2 and today > move.earlier_sections / move.briefs) or rising_archive:
            return RISING
        return STEADY
    if archive:
        if move.before == 0 and move.recent <= today:
            return NEW
        return RISING if rising_archive else STEADY
    return None


# --------------------------------------------------------------------------- 摘要


def _gist(draft: SectionDraft, limit: int = _GIST) -> str:
    """The section's fact in a clause: its most factual opening sentence (figures, an act),
    without the attribution and date the summary gives itself."""
    text = draft.section.paragraphs[0].text
    sentences = split_sentences(text)[:3]
    if not sentences:
        return draft.clause

    heading = char_bigrams(draft.clause)

    def weight(sentence: str) -> float:
        numbers = len(quantities(sentence))
        acts = sum(c in sentence for c in EVENT_CUES)
        first = 2 * (sentence == sentences[0])  # the lead sentence says what happened
        quoted = 2 * bool(attributed(sentence) and "“" in sentence)
        # The sentence that tells the heading's event (启动…大赛), not the setting (大会开幕).
        told = 4 * len(heading & char_bigrams(sentence)) / len(heading) if heading else 0
        # "1月初，公司的…" / "负责人说，…": a clause that needs the sentences before it.
        dependent = 3 * bool(_OWN_TIME.match(sentence) or re.match(r"^[^，]{0,8}说，", sentence))
        return 2 * min(numbers, 2) + acts + first + told - quoted - dependent

    best = max(sentences, key=lambda s: (weight(s), -sentences.index(s)))
    clauses = best.split("，")
    # "国务院新闻办公室 3 月 24 日召开新闻发布会": the summary gives the day; the act stays.
    dates = [f.text for f in find_figures(clauses[0]) if f.kind == "date"]
    if dates and len(clauses) > 1:
        rest = clauses[0]
        for written in dates:
            rest = rest.replace(written, "")
        if len(re.sub(r"[\s于在]", "", rest)) > 4:
            clauses[0] = re.sub(r"\s+", "", rest).removesuffix("于")
    # "据央视网 4 月 18 日消息，…" / "4 月 18 日，…": the summary says when and who itself.
    while len(clauses) > 1 and (
        any(
            f.kind == "date" or (f.kind == "day" and f.text.endswith("日"))
            for f in find_figures(clauses[0])
        )
        or clauses[0].endswith(("消息", "报道", "披露", "获悉"))
        or clauses[0].startswith("据")
        or clauses[0] in ("目前", "眼下", "如今", "当前", "现在", "截至目前")
        or (clauses[0].endswith("方面") and len(clauses[0]) <= 10)
        # "在…论坛上": where, not what
        or (clauses[0].startswith("在") and clauses[0].endswith(("上", "中", "期间", "之际", "时")))
        or clauses[0].endswith(("说", "表示", "介绍", "指出", "称"))
    ):
        clauses = clauses[1:]
    return head("，".join(clauses), limit) or draft.clause


# A clause that opens with its own time: the report's day must not be put in front of it.
_VAGUE_TIME = re.compile(r"^(近日|日前|近期|不久前|前不久)，")
_OWN_TIME = re.compile(r"^(\d{1,2}月(初|中旬|下旬|上旬|底|末)?|年初以来|今年以来|\d{4}年)[^，]{0,4}，")


def _dated(day: str | None, gist: str) -> str:
    """``4 月 17 日，…`` for the section's clause; "近日，…" becomes "据 4 月 17 日报道，…" (the
    report's day is not the event's), and a clause with its own time keeps it alone."""
    if not day:
        return gist
    if _VAGUE_TIME.match(gist):
        return f"据 {day}报道，{_VAGUE_TIME.sub('', gist)}" if day != "同日" else gist
    if _OWN_TIME.match(gist):
        return gist
    return f"{day}，{gist}"


def _lines(drafts: Sequence[SectionDraft], limit: int = _GIST) -> list[str]:
    out, previous = [], None
    for draft in drafts:
        day = "同日" if draft.day and draft.day == previous else draft.day
        out.append(_dated(day, _gist(draft, limit)))
        previous = draft.day
    return out


def summary(
    drafts: Sequence[SectionDraft],
    context: WriteContext,
    moves: Sequence[Movement] | None = None,
) -> str:
    """One paragraph within ``profile.length.summary``: the main line, a clause per section,
    what moved."""
    moves = list(moves) if moves is not None else movements(drafts, context, None)
    words = context.wording
    span = context.profile.length.summary
    topic = context.profile.name
    lines = _lines(drafts)
    if len(drafts) == 1:
        theme = f"，属于{moves[0].name}方向" if moves else ""
        text = f"{words.period}与{topic}直接相关的新动态只有一条{theme}。{lines[0]}。"
        for sentence in split_sentences(drafts[0].section.paragraphs[0].text)[1:]:
            if len(text) >= span.min or len(text) + len(sentence) > span.max - 30:
                break
            text += sentence
        return text + "其余采集到的内容与本刊主题关联不大，本期从简。"
    ranked = sorted(moves, key=lambda m: (-len(m.sections), m.sections[0]))
    if ranked:
        main = ranked[0]
        others = [m.short for m in ranked[1:4]]
        opening = f"{words.period}的{topic}动态以{main.short}为主线"
        opening += f"，兼及{'、'.join(others)}。" if others else "。"
    else:
        opening = ""
    closing = _moved(moves, words.trend_span)
    # Every section keeps its clause: shorter clauses first, fewer sections only past that.
    for limit in (_GIST, 44, 36, 28):
        lines = _lines(drafts, limit)
        text = opening + "；".join(lines) + "。" + closing
        if len(text) <= span.max:
            return text
    while len(text) > span.max and len(lines) > 2:
        lines = lines[:-1]
        lines[-1] += "等"
        text = opening + "；".join(lines) + "。" + closing
    return text


def _moved(moves: Sequence[Movement], span: str) -> str:
    rising = [m.short for m in moves if m.status == RISING]
    new = [m.short for m in moves if m.status == NEW]
    parts = []
    if rising:
        parts.append(f"{'、'.join(rising[:2])}升温")
    if new:
        parts.append(f"{'、'.join(new[:2])}是新出现的方向")
    if not parts:
        return ""
    return f"与{span}相比，{'，'.join(parts)}。"


# --------------------------------------------------------------------------- 今日判断


def _title(moves: Sequence[Movement], context: WriteContext) -> str:
    words = context.wording
    rising = [m.short for m in moves if m.status == RISING]
    new = [m.short for m in moves if m.status == NEW]
    steady = [m.short for m in moves if m.status == STEADY]
    if rising and new:
        phrase = f"{rising[0]}升温，{new[0]}进入视野"
    elif rising:
        phrase = f"{rising[0]}升温" + (f"，{steady[0]}延续" if steady else "")
    elif new:
        phrase = f"{new[0]}进入视野" + (f"，{steady[0]}延续" if steady else "")
    elif steady:
        phrase = f"{'、'.join(steady[:2])}持续推进"
    else:
        shorts = [m.short for m in moves]
        if len(shorts) >= 3:
            phrase = f"{'、'.join(shorts[:2])}与{shorts[2]}多线并进"
        elif len(shorts) == 2:
            phrase = f"{shorts[0]}与{shorts[1]}双线并进"
        elif shorts:
            phrase = f"{shorts[0]}是{words.period}的主线"
        else:
            phrase = f"{context.profile.cadence.period}动态概览"
    return f"{words.judgment_title}：{phrase}"


def _line(move: Movement, span: str) -> str:
    # Synthesis, not news: no act (报道, 发布…), no 此前/同日 and no "N节" that is not the whole
    # brief, so that the checker reads these as the brief's own judgment.
    where = _numbers(move.sections)
    if move.status == NEW:
        text = f"{move.name}是新出现的方向（{where}）"
        if move.briefs:
            text += f"，{span}的简报未曾涉及"
        return text
    if move.status == RISING:
        if not move.by_archive:
            times = cn_count(move.earlier_sections)
            return (
                f"{move.name}升温，{where}均属这一方向，"
                f"{span}的{cn_count(move.briefs)}期简报中只出现过{times}次"
            )
        return (
            f"{move.name}升温（{where}），存档中{span}的相关稿件有{cn_count(move.recent or 0)}篇，"
            f"再往前同样长的时间内为{cn_count(move.before or 0)}篇"
        )
    if move.status == STEADY:
        if move.briefs:
            return (
                f"{move.name}延续前几期的关注（{where}），{span}的{cn_count(move.briefs)}期简报中"
                f"有{cn_count(move.earlier_briefs)}期涉及"
            )
        return f"{move.name}延续前几期的关注（{where}）"
    return f"{move.name}（{where}）"


def _thread(drafts: Sequence[SectionDraft], context: WriteContext) -> str:
    """The profile keyword that runs through most sections (two at least), as a sentence."""
    if len(drafts) < 2:
        return ""
    bodies = ["".join(p.text for p in d.section.paragraphs) + d.section.heading for d in drafts]
    # A weighty keyword only: 数据局 (weight 1) in four sections says nothing.
    keywords = {
        k
        for theme in context.profile.themes
        for k, weight in theme.keywords.items()
        if len(k) >= 2 and weight >= 2 and k != context.profile.name
    }
    spread = {
        k: [n for n, body in enumerate(bodies, start=1) if k in body] for k in sorted(keywords)
    }
    ranked = sorted(
        ((k, ns) for k, ns in spread.items() if len(ns) >= 2),
        key=lambda item: (-len(item[1]), -len(item[0]), item[0]),
    )
    if not ranked:
        return ""
    keyword, numbers = ranked[0]
    # Only the longest of nested keywords (人工智能+ over 人工智能) names the thread.
    return f"从关键词看，{keyword}同时出现在{_numbers(numbers)}，是各节之间的共同线索。"


def _cited(
    draft: SectionDraft, section: Section, references: Sequence[Reference]
) -> list[Document]:
    """The event's documents this section cites (what its outlook may quote)."""
    urls = {r.url for r in references if r.id in section.citations}
    return [d for d in draft.event.documents if d.canonical_url in urls or d.link in urls]


def _outlook(
    drafts: Sequence[SectionDraft], references: Sequence[Reference], context: WriteContext
) -> list[tuple[int, str]]:
    """(section number, sentence) of at most two next steps stated in the sections' sources:
    下一步 / 计划 / 预计 / 将… sentences on the event's topic, strongest cue first."""
    found = []
    history = context.history
    for number, draft in enumerate(drafts, start=1):
        event = draft.event
        terms = history.terms(event, [t for ts in event.reasons.values() for t in ts])
        body = "".join(p.text for p in draft.section.paragraphs)
        best = None
        for document in _cited(draft, draft.section, references):
            focus = event.focus if document is event.lead_document else None
            for sentence in quotable(document, focus):
                if not NEXT_STEP_CUES.search(sentence) or not any(t in sentence for t in terms):
                    continue
                # A stated plan (下一步, 计划…) or a date or figure to hold it to; "将进一步…"
                # alone promises nothing to watch.
                strength = 2 * sum(c in sentence for c in _STRONG_NEXT)
                strength += any(f.kind in ("date", "number") for f in find_figures(sentence))
                if strength == 0:
                    continue
                if sentence in body:  # the section gives it already: recalled, in brief
                    strength -= 0.5
                    sentence = _part(sentence, _RECALL)
                if best is None or strength > best[0]:
                    best = (strength, sentence)
        if best is not None:
            found.append((best[0], number, best[1], draft.org))
    found.sort(key=lambda item: (-item[0], item[1]))
    out = []
    for _, number, sentence, org in found[:2]:
        if len(sentence) > _OUTLOOK:
            sentence = _part(sentence, _OUTLOOK - 10)
        opening = sentence[:15]
        if sentence.startswith(("将", "下一步", "计划", "预计", "力争")) and org not in opening:
            # "下一步将…" cut from its speaker: say whose plan it is.
            sentence = f"据{org}{'报道' if is_media(org) else '消息'}，{sentence}"
        out.append((number, sentence))
    return sorted(out)


def _part(sentence: str, limit: int) -> str:
    """The clauses of a next-step sentence that carry its cue (力争到年底…), within ``limit``."""
    if len(sentence) <= limit:
        return sentence
    cue = NEXT_STEP_CUES.search(sentence)
    return around(sentence, cue.start() if cue else 0, limit) + "。"


def judgment(
    drafts: Sequence[SectionDraft],
    context: WriteContext,
    analysis: Analysis | None,
    references: Sequence[Reference] = (),
    moves: Sequence[Movement] | None = None,
) -> tuple[str, str]:
    """(title, text) of 今日判断 (本周判断 …): which lines moved, and what to watch."""
    moves = list(moves) if moves is not None else movements(drafts, context, analysis)
    words = context.wording
    span = words.trend_span
    paragraphs = []
    lines = [_line(m, span) for m in moves]
    if any(m.status for m in moves):
        briefs = max((m.briefs for m in moves), default=0)
        lead = (
            f"与{span}的{cn_count(briefs)}期简报相比："
            if briefs
            else f"{span}没有已存档的简报，按存档中的稿件量比较："
        )
        paragraphs.append(lead + "；".join(lines) + "。")
    elif moves:
        paragraphs.append(
            f"{words.period}入选的{cn_count(len(drafts))}条动态分属"
            + "、".join(lines)
            + f"。{span}没有已存档的简报，方向的升降从下一期起对比。"
        )
    thread = _thread(drafts, context)
    if thread and paragraphs:
        paragraphs[-1] += thread
    continuing = [n for m in moves for n in m.continuing]
    if continuing and paragraphs:
        paragraphs[-1] += (
            f"{_numbers(sorted(continuing))}所述事件在前几期已有涉及，本期是其新进展。"
        )
    outlook = _outlook(drafts, references, context)
    if outlook:
        where = _numbers(sorted({n for n, _ in outlook}))
        said = "；".join(s.rstrip("。") for _, s in outlook)
        paragraphs.append(f"后续看点来自{where}的来源。{said}。")
    if not paragraphs:
        paragraphs.append(f"{words.period}入选{cn_count(len(drafts))}条动态。")
    return _title(moves, context), "\n\n".join(paragraphs)


def assemble(
    drafts: Sequence[SectionDraft],
    sections: Sequence[Section],
    references: Sequence[Reference],
    context: WriteContext,
    analysis: Analysis,
) -> Brief:
    """The draft brief around written sections: summary and judgment from the section drafts,
    masthead and contact from the brand. Every writer ends here, so briefs agree in shape."""
    for draft, section in zip(drafts, sections, strict=True):
        draft.section = section
    moves = movements(drafts, context, analysis)
    title, text = judgment(drafts, context, analysis, references, moves)
    return Brief(
        date=context.brief_date,
        masthead=context.brand.masthead,
        summary=summary(drafts, context, moves),
        sections=list(sections),
        judgment=Judgment(title=title, text=text),
        references=list(references),
        contact=context.brand.contact,
        status="draft",
    )
