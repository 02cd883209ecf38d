"""Chinese sentence tools for the extractive writer: split, compress, date, classify.

Every function only *removes* or *re-spaces* text taken from a source; none adds a fact.

    >>> split_sentences("据悉，5月22日，国家数据局召开座谈会。10家企业参加。")
    ['据悉，5月22日，国家数据局召开座谈会。', '10家企业参加。']
    >>> compress("据悉，5月22日，国家数据局召开座谈会。")
    '5 月 22 日，国家数据局召开座谈会。'
"""

from __future__ import annotations

import re
from datetime import date

from zhibao.core.figures import find_figures
from zhibao.core.model import Document
from zhibao.core.time import local_date

__all__ = [
    "ANALYSIS_CUES",
    "EVENT_CUES",
    "clauses",
    "compress",
    "event_day",
    "is_analysis",
    "prose_date",
    "short_org",
    "space_dates",
    "split_sentences",
    "title_parts",
]

# A sentence ends at 。！？ (and a closing quote right after it), or at a line break; ；
# separates clauses of one fact and stays inside the sentence.
_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”’」』）)]*)?")
# Reporting boilerplate that carries no fact: dropped from the start of a sentence.
_LEADING = [
    re.compile(r"^(?:据悉|据了解|据介绍|记者了解到|记者获悉|另据报道|与此同时|此外)[，,]\s*"),
    re.compile(r"^记者(?:日前|近日|今天)?从[^，,。]{2,30}获悉[，,]\s*"),
    re.compile(
        r"^(?:本报|新华社|中新社|人民网|央视网)[^，,。\s]{0,12}\d{1,2}月\d{1,2}日电(?:[（(][^）)]*[）)])?\s*"
    ),
    re.compile(r"^(?:央视网|新华网|人民网|光明网)消息(?:[（(][^）)]*[）)])?[：:]\s*"),
]
# Asides inside a sentence: reporter credits and "(以下简称…)" definitions.
_ASIDES = re.compile(r"[（(](?:记者[^）)]*|以下简称[^）)]*|下称[^）)]*)[）)]")
_CN_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(?<![\d])(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CLAUSE = re.compile(r"[^，,：:；;。！？!?]+")
_TITLE_SPLIT = re.compile(r"\s+|[，,：:｜|]|——|—")
_TITLE_PREFIX = re.compile(r"^(?:专家解读|权威发布|快讯|独家|视频|图解|评论|时评)\s*[｜|:：]\s*")

# Sentences that say why something matters (the analysis paragraph draws on these).
ANALYSIS_CUES = (
    "旨在",
    "目的是",
    "意味着",
    "标志着",
    "有助于",
    "有利于",
    "为了",
    "意义",
    "重要力量",
    "前提",
    "关键",
    "基础性",
    "底座",
    "认为",
    "表示",
    "指出",
    "强调",
    "下一步",
    "将持续",
    "将从",
    "视为",
    "根本途径",
    "新形态",
    "新阶段",
)
# Clauses that say what happened (headings and the fact paragraph prefer these).
EVENT_CUES = (
    "明确",
    "提出",
    "首次",
    "标志着",
    "部署",
    "启动",
    "发布",
    "印发",
    "召开",
    "出台",
    "上线",
    "建成",
    "发布会",
    "新增",
    "累计",
    "设立",
)
_CLOSING = re.compile(r"(?:参加(?:座谈|会议|活动|调研)|出席(?:会议|活动)|陪同|主持会议)[。]?$")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` in order, whitespace-trimmed, empty ones dropped."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip(" \u3000")]


def space_dates(text: str) -> str:
    """``5月23日`` → ``5 月 23 日`` (house style in prose; the figures are unchanged)."""

    def spaced(m: re.Match[str]) -> str:
        year = f"{m.group(1)} 年 " if m.group(1) else ""
        return f"{year}{int(m.group(2))} 月 {int(m.group(3))} 日"

    return _CN_DATE.sub(spaced, text)


def prose_date(day: date) -> str:
    """``date(2026, 5, 23)`` → ``5 月 23 日``."""
    return f"{day.month} 月 {day.day} 日"


def event_day(lead: Document, fact_text: str) -> str:
    """The day a section's event happened, as the summary names it (``5 月 23 日``): the first
    date its fact paragraph states, else the lead document's own date ("" when it has none)."""
    dates = [f for f in find_figures(fact_text) if f.kind == "date"]
    if dates:
        month, day = dates[0].key[-5:].split("-")
        return f"{int(month)} 月 {int(day)} 日"
    published = local_date(lead)
    return prose_date(published) if published else ""


def compress(sentence: str) -> str:
    """Drop reporting boilerplate and asides; keep every figure, name and date."""
    out = sentence.strip()
    changed = True
    while changed:
        changed = False
        for pattern in _LEADING:
            new = pattern.sub("", out, count=1)
            if new != out:
                out, changed = new.strip(), True
    out = _ASIDES.sub("", out)
    return space_dates(out)


def is_analysis(sentence: str) -> bool:
    """A sentence about purpose or significance rather than a bare fact."""
    return any(cue in sentence for cue in ANALYSIS_CUES)


def is_closing_line(sentence: str) -> bool:
    """Protocol lines such as ``有关司局负责同志参加座谈。``: no news in them."""
    return bool(_CLOSING.search(sentence.strip()))


def clauses(sentence: str) -> list[str]:
    """Comma-separated clauses of a sentence."""
    return [c.strip() for c in _CLAUSE.findall(sentence) if c.strip()]


def title_parts(title: str) -> list[str]:
    """A headline's own clauses: ``专家解读｜A B`` → ``[A, B]``; ``国家统计局：A`` → ``[国家统计局, A]``."""
    cleaned = _TITLE_PREFIX.sub("", title.strip())
    return [p.strip() for p in _TITLE_SPLIT.split(cleaned) if p and p.strip()]


_ORG_END = re.compile(r"(?:局|办|委|部|院|署|社|报|台|会|司|厅|府|所|中心|银行|集团|公司)$")


def short_org(source_org: str, configured: str | None = None) -> str:
    """The issuing body as a reader names it: ``国家统计局网站`` → ``国家统计局``,
    ``人民网－人民日报`` → ``人民日报``; a bare site name (中国网信网) gives way to the
    configured organisation of its source (中央网信办)."""
    name = source_org.strip()
    for separator in ("－", "-", "—", "|", "｜"):
        if separator in name:
            name = name.rsplit(separator, 1)[-1].strip()
    name = re.sub(r"(?:官方)?网站$", "", name)
    if configured and (not name or not _ORG_END.search(name)):
        return configured
    return name or (configured or "")
