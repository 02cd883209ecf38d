"""摘要 and 今日判断: the period's lines with agency and date, and what changed in the trend window.

Both are assembled from the written sections (their event clauses, agencies and dates), the
profile's theme names and the stored briefs of the trend window; counts are written in
Chinese numerals below ten so that no figure appears that a source does not contain. The
period's words (今日判断 / 本周判断, 今天 / 本周, 过去一周 / 过去四周) come from the profile's
cadence (``WriteContext.wording``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from zhibao.analyze import RelevanceScorer
from zhibao.core.model import Brief, Document, Judgment, Reference, Section
from zhibao.write.text import split_sentences

if TYPE_CHECKING:
    from zhibao.analyze import Analysis
    from zhibao.write.base import SectionDraft, WriteContext

__all__ = ["judgment", "summary", "theme_short"]

SUMMARY_RANGE = (150, 400)
_CN = "零一二三四五六七八九"


def _count(n: int) -> str:
    return _CN[n] if 0 <= n < 10 else "多"


def theme_short(name: str) -> str:
    """``数据要素与数据基础设施`` → ``数据要素``: the first half of a theme's name."""
    return name.split("与", 1)[0].strip() or name


def _theme_names(context: WriteContext) -> dict[str, str]:
    return {t.id: t.name for t in context.profile.themes}


def _line(draft: SectionDraft, previous_day: str | None, *, with_implication: bool) -> str:
    day = "同日" if draft.day and draft.day == previous_day else draft.day
    clause = draft.clause
    text = f"{day}，{clause}" if day else clause
    if with_implication and draft.implication:
        text += f"，{draft.implication}"
    return text if clause.startswith(draft.org) else f"{text}（{draft.org}）"


def _lines(drafts: Sequence[SectionDraft], *, with_implication: bool) -> list[str]:
    out, previous = [], None
    for draft in drafts:
        out.append(_line(draft, previous, with_implication=with_implication))
        previous = draft.day
    return out


def _ordered_themes(drafts: Sequence[SectionDraft], names: dict[str, str]) -> list[str]:
    return list(dict.fromkeys(names[d.event.theme] for d in drafts if d.event.theme in names))


def summary(drafts: Sequence[SectionDraft], context: WriteContext) -> str:
    """One paragraph, 150–400 characters: each line with agency and date, then a synthesis."""
    names = _theme_names(context)
    themes = _ordered_themes(drafts, names)
    words = context.wording
    if len(drafts) == 1:
        line = _lines(drafts, with_implication=True)[0]
        theme = f"，属于{themes[0]}方向" if themes else ""
        text = f"{words.period}的时间窗口内，与{context.profile.name}主题相关的新动态只有一条：{line}{theme}。"
        # Too short for a summary on its own: add the section's opening facts, sentence by sentence.
        for sentence in split_sentences(drafts[0].section.paragraphs[0].text):
            if len(text) >= SUMMARY_RANGE[0] or len(text) + len(sentence) > SUMMARY_RANGE[1] - 40:
                break
            text += sentence
        return text + "其余采集到的内容与本刊主题关联不大，本期从简。"
    shorts = list(dict.fromkeys(theme_short(t) for t in themes))
    closing = (
        f"综合来看，{words.period}的动态集中在{'、'.join(shorts[:4])}等方向"
        if shorts
        else "综合来看"
    )
    rising = _rising(drafts, context)
    closing += (
        f"，其中{'、'.join(rising[:2])}的分量比{words.trend_span}明显加重。"
        if rising
        else "，多条线索同时推进。"
    )
    low, high = SUMMARY_RANGE
    for with_implication in (True, False):
        lines = _lines(drafts, with_implication=with_implication)
        text = "；".join(lines) + "。" + closing
        if len(text) <= high:
            return text
    while len(lines) > 2 and len(text) > high:
        lines = lines[:-1]
        text = "；".join(lines) + "等。" + closing
    return text


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


def _trend(context: WriteContext) -> tuple[int, Counter[str]]:
    """How many briefs of the trend window there are, and how often each theme led a section."""
    since = context.brief_date - timedelta(days=context.profile.cadence.trend_days)
    earlier = [b for b in context.earlier if since <= b.date < context.brief_date]
    if not earlier:
        return 0, Counter()
    scorer = RelevanceScorer(context.profile)
    counts: Counter[str] = Counter()
    for brief in earlier:
        counts.update(_brief_themes(brief, scorer))
    return len(earlier), counts


def _rising(drafts: Sequence[SectionDraft], context: WriteContext) -> list[str]:
    briefs, counts = _trend(context)
    if not briefs:
        return []
    names = _theme_names(context)
    today = Counter(d.event.theme for d in drafts if d.event.theme)
    rising = [t for t, n in today.most_common() if n > counts.get(t, 0) / briefs]
    return [theme_short(names[t]) for t in rising if t in names]


def judgment(
    drafts: Sequence[SectionDraft], context: WriteContext, analysis: Analysis
) -> tuple[str, str]:
    """(title, text) of 今日判断 (本周判断 …): the period's themes, the change against the trend
    window, the editor's reserve."""
    names = _theme_names(context)
    themes = _ordered_themes(drafts, names)
    shorts = list(dict.fromkeys(theme_short(t) for t in themes))
    words = context.wording
    period = words.period
    if len(shorts) >= 3:
        phrase = f"{'、'.join(shorts[:2])}与{shorts[2]}多线并进"
    elif len(shorts) == 2:
        phrase = f"{shorts[0]}与{shorts[1]}双线并进"
    elif shorts:
        phrase = f"{shorts[0]}是{period}的主线"
    else:
        phrase = f"{context.profile.cadence.period}动态概览"
    title = f"{words.judgment_title}：{phrase}"

    paragraphs = []
    today = Counter(d.event.theme for d in drafts if d.event.theme in names)
    first = (
        f"{period}入选的{_count(len(drafts))}条动态分属{'、'.join(themes) or '本刊关注的方向'}。"
    )
    if today and (top := today.most_common(1)[0])[1] >= 2:
        clauses = "、".join(d.clause for d in drafts if d.event.theme == top[0])
        first += (
            f"其中{names[top[0]]}方向有{_count(top[1])}条（{clauses}），是{period}最集中的一条线。"
        )
    elif len(drafts) == 1:
        first += f"{period}只有这一条与主题直接相关，其余内容未达到入选标准。"
    paragraphs.append(first)

    briefs, counts = _trend(context)
    if briefs:
        new = [names[t] for t in today if t not in counts]
        rising = _rising(drafts, context)
        steady = [names[t] for t in today if t in counts and theme_short(names[t]) not in rising]
        parts = [f"与{words.trend_span}的{_count(briefs)}期简报相比"]
        if new:
            parts.append(f"{'、'.join(new)}是新出现的方向")
        if rising:
            parts.append(f"{'、'.join(rising)}的条目多于此前的平均水平，热度上升")
        if steady:
            parts.append(f"{'、'.join(steady)}延续了此前的关注")
        if len(parts) == 1:
            parts.append("各方向的分布与此前大体一致")
        paragraphs.append("，".join(parts) + "。")
    else:
        paragraphs.append(f"{words.trend_span}没有已存档的简报，方向的升降从下一期起对比。")

    continuing = [d.clause for d in drafts if d.event.continuing]
    terms = list(
        dict.fromkeys(t for d in drafts for ts in d.event.reasons.values() for t in ts[:1])
    )
    closing = f"从命中的主题词看，{'、'.join(terms[:5])}出现得最集中" if terms else ""
    if continuing:
        closing += ("；" if closing else "") + f"{'、'.join(continuing)}是此前报道的延续"
    reserve = len(analysis.candidates)
    if reserve:
        closing += (
            "。" if closing else ""
        ) + f"另有{_count(reserve)}条相关动态未入选，留作编辑备选"
    if closing:
        paragraphs.append(closing + "。")
    return title, "\n\n".join(paragraphs)


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
    title, text = judgment(drafts, context, analysis)
    return Brief(
        date=context.brief_date,
        masthead=context.brand.masthead,
        summary=summary(drafts, context),
        sections=list(sections),
        judgment=Judgment(title=title, text=text),
        references=list(references),
        contact=context.brand.contact,
        status="draft",
    )
