"""Round-up pages cut into one document per story; index pages told apart from articles.

**Round-ups** (国内联播快讯, 简讯, 要闻速览…) put several unrelated short stories under one
title. Stored whole, relevance scores them low and a selected one gets its heading from one
story and its body from another, so ``split_stories`` cuts them. It reads ``Document.text``
(paragraphs joined by ``\\n``), where a story starts at

- a *sub-headline*: a line of 4–40 characters not ending like a sentence (。！？；…) or a
  label (：，), not a byline, caption or dateline, and followed by a body line; consecutive
  such lines are one (two-line) headline; or
- a *numbered lead*: a paragraph opening an unbroken 1, 2, 3… sequence (``1.``, ``2、``,
  ``（1）``, ``（一）``, ``一、``).

A page is a round-up when

1. its title matches one of the round-up patterns (the profile's ``roundup_titles`` and its
   source's), the title names no single subject (what is left of it once the pattern, dates
   and words like 国内/每日 are taken out is short and holds no 《…》), and its text holds at
   least two stories; or
2. by structure alone: at least three stories, a generic title (round-up vocabulary such as
   快讯/速览/要闻/汇总/动态 and little else) and short stories (median ≤ 600 characters).

3. its title is its sub-headlines side by side (``山东：… 贵州：…``: two regions' reports
   under one series); a shared intro before them belongs to no story.

Either way sub-headlines must read like news headlines (median ≥ 8 characters): ``一、总体要求
二、主要任务`` are the sections of one piece. So a policy interpretation with 一、二、三 under
its own title stays one document, and a 新闻联播 item whose lead story is followed by two
related sub-stories keeps them together.

Each story becomes a ``Document``: its sub-headline (or lead sentence, shortened at a
punctuation mark) as title, its own paragraphs as text, ``url``/``canonical_url`` the page's
plus ``#story-N`` (N counts the stories in page order from 1, as a day's running order lists
them: （1）（2）…), ``page_url`` the page. The page's lead-in (``央视网消息（新闻联播）：``) belongs to
no story.

**Index pages** (a day's list page, a channel page, a whole-episode page) are never analysis
documents: ``is_index_page`` recognises them by title (``《新闻联播》 20260518``, ``…频道``) or by
their text being mostly link text with little running prose.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from zhibao.config import DEFAULT_ROUNDUP_TITLES
from zhibao.core.model import Document, Source
from zhibao.core.text import content_hash
from zhibao.extract.titles import clean_title

__all__ = [
    "INDEX_TITLES",
    "Story",
    "find_stories",
    "is_index_page",
    "is_index_title",
    "is_roundup",
    "roundup_patterns",
    "split_stories",
    "story_url",
]

MAX_HEADING = 40  # characters a sub-headline has at most
MIN_HEADING = 4
NEWS_HEADLINE = 8  # median sub-headline length below which they are section labels
SHORT_STORY = 600  # median story length (characters) of a round-up found by structure
LEAD_TITLE = 40  # a title made from a lead sentence is cut at punctuation before this

_SENTENCE_END = re.compile(r"[。！？!?；;…][”’」』）)\"'\s]*$")
_LABEL_END = re.compile(r"[：:，,、]$")
_NOT_HEADING = re.compile(
    r"^(?:图|图片|资料图|来源|编辑|责任编辑|记者|作者|原标题|通讯员|摄影|附件|点击|扫码)[：:\s]"
    r"|摄$|^[▲△●◆■□▼※★☆]|^[（(][^（）()]*[)）]$|^图为|^[\d\s:：/.\-年月日]+$"
)
# "1." "2、" "（3）" "(四)" "五、" at the start of a paragraph.
_NUMBER = re.compile(
    r"^\s*(?:(?P<arabic>\d{1,2})\s*[.、．](?!\d)|[（(]\s*(?P<paren>\d{1,2})\s*[）)]"
    r"|[（(]\s*(?P<cparen>[一二三四五六七八九十]{1,3})\s*[）)]|(?P<chinese>[一二三四五六七八九十]{1,3})、)\s*"
)
_CN_DIGITS = {c: n for n, c in enumerate("一二三四五六七八九", start=1)}
# "央视网消息（新闻联播）：", "新华社北京5月18日电": the page's byline, no story's.
_LEAD_IN = re.compile(
    r"^[^，。！？]{0,20}(?:消息|电|讯|报道)(?:[（(][^）)]{0,12}[）)])?\s*[：:]?\s*$"
    r"|^[^，。！？]{1,30}[：:]$"
)
_LEAD_IN_PREFIX = re.compile(r"^[^，。！？：:]{0,12}消息(?:[（(][^）)]{0,12}[）)])?\s*[：:]\s*")
_CLAUSE_BREAK = re.compile(r"[，,、：:；;\s]")

# Round-up vocabulary: what a generic title is made of (structure-only rule).
_ROUNDUP_WORDS = re.compile(
    r"快讯|简讯|速览|速递|要闻|一览|汇总|集锦|综述|早报|晚报|晨报|周报|早班车|早知道|盘点|播报|"
    r"动态|资讯|新闻摘要"
)
# Words that say when or where, not what: left out when judging what a title is about.
_FRAME_WORDS = re.compile(
    r"国内|国际|海外|全国|本地|每日|今日|今天|昨日|本周|一周|上周|本月|热点|最新|重要|联播|"
    r"第[\d一二三四五六七八九十]+期|[\d]+年|[\d]+月|[\d]+日|[\d]+号"
)
_SUBJECT_CHARS = re.compile(r"[\u3400-\u9fffA-Za-z]")
SPECIFIC_SUBJECT = 6  # CJK/Latin characters of subject beyond the frame that make a title specific

# Titles of index pages: a programme and a date (a whole episode, a day's list), a channel.
INDEX_TITLES: tuple[str, ...] = (
    r"^《[^》]{1,30}》\s*(?:\d{8}|\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?)(?:\s*\d{1,2}[:：]\d{2})?$",
    r"^[^，。：:！？《》“”]{0,10}(?:频道|首页|栏目|专栏|列表)$",
)
_INDEX_TITLES = tuple(re.compile(p) for p in INDEX_TITLES)
LINKED_SHARE = 0.5  # share of a page's text that is link text, above which it is a list
MIN_LIST_ITEMS = 5
MAX_RUNNING_TEXT = 300  # characters of prose (outside links, anywhere) a list page may have


@dataclass
class Story:
    """One story of a page: its headline (may be "") and its own paragraphs."""

    heading: str
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


# ---------------------------------------------------------------------------- lines


def _is_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def _heading_like(line: str) -> bool:
    return (
        MIN_HEADING <= len(line) <= MAX_HEADING
        and not _is_sentence(line)
        and not _LABEL_END.search(line)
        and not _NOT_HEADING.search(line)
    )


def _body_like(line: str) -> bool:
    return _is_sentence(line) or len(line) > MAX_HEADING


def _unnumbered(line: str) -> str:
    return _NUMBER.sub("", line, count=1).strip()


def _number(line: str) -> tuple[str, int] | None:
    match = _NUMBER.match(line)
    if not match:
        return None
    for style in ("arabic", "paren", "cparen", "chinese"):
        value = match[style]
        if value is None:
            continue
        if value.isdigit():
            return style, int(value)
        return style, _chinese_number(value)
    return None


def _chinese_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS.get(text[1:], 0)
    if "十" in text:
        tens, _, units = text.partition("十")
        return _CN_DIGITS.get(tens, 0) * 10 + _CN_DIGITS.get(units, 0)
    return _CN_DIGITS.get(text, 0)


# ---------------------------------------------------------------------------- stories


def _by_headings(lines: list[str]) -> tuple[list[str], list[Story]]:
    """(preamble, stories) with a story starting at each sub-headline (group)."""
    starts: list[tuple[int, int]] = []  # (first line, first body line) of each headline group
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and _heading_like(lines[end]):
            end += 1
        if end > index and end < len(lines) and _body_like(lines[end]):
            starts.append((index, end))
            index = end + 1
        else:
            index = max(end, index + 1)
    if not starts:
        return lines, []
    stories = []
    for number, (first, body) in enumerate(starts):
        stop = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        heading = " ".join(_unnumbered(line) for line in lines[first:body])
        stories.append(Story(heading, lines[body:stop]))
    return lines[: starts[0][0]], stories


def _by_numbers(lines: list[str]) -> tuple[list[str], list[Story]]:
    """(preamble, stories) with a story starting at each paragraph of the longest 1, 2, 3…
    sequence of one numbering style."""
    best: list[int] = []
    for style in ("arabic", "paren", "cparen", "chinese"):
        run: list[int] = []
        for index, line in enumerate(lines):
            found = _number(line)
            if found and found[0] == style and found[1] == len(run) + 1:
                run.append(index)
        if len(run) > len(best):
            best = run
    if len(best) < 2:
        return lines, []
    stories = []
    for number, start in enumerate(best):
        stop = best[number + 1] if number + 1 < len(best) else len(lines)
        own = [_unnumbered(lines[start]), *lines[start + 1 : stop]]
        if _heading_like(own[0]) and len(own) > 1 and _body_like(own[1]):
            stories.append(Story(own[0], own[1:]))
        else:
            stories.append(Story("", [line for line in own if line]))
    return lines[: best[0]], stories


def _news_headlines(stories: Sequence[Story]) -> bool:
    headings = [len(s.heading) for s in stories if s.heading]
    return not headings or statistics.median(headings) >= NEWS_HEADLINE


def _preamble_story(preamble: list[str]) -> Story | None:
    """The text before the first story: a lead-in is dropped, an intro of substance kept."""
    body = [line for line in preamble if not _LEAD_IN.match(line)]
    if sum(len(line) for line in body) < 80:
        return None
    return Story("", body)


def find_stories(text: str) -> list[Story]:
    """The stories ``text`` is made of by its structure (sub-headlines or a numbered
    sequence), in page order; ``[]`` when it shows no such structure."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if line]
    for cut in (_by_headings, _by_numbers):
        preamble, stories = cut(lines)
        if len(stories) >= 2 and _news_headlines(stories):
            intro = _preamble_story(preamble)
            return [intro, *stories] if intro else stories
    return []


# ---------------------------------------------------------------------------- deciding


def _subject(title: str, matched: Iterable[re.Pattern[str]] = ()) -> str:
    """What a title is about once round-up words, frame words and patterns are taken out."""
    rest = title
    for pattern in matched:
        rest = pattern.sub("", rest)
    rest = _FRAME_WORDS.sub("", _ROUNDUP_WORDS.sub("", rest))
    return "".join(_SUBJECT_CHARS.findall(rest))


def _compile(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error:
            compiled.append(re.compile(re.escape(pattern)))  # a plain word, not a regex
    return compiled


LISTED_SHARE = 0.8  # the headlines cover this much of a title that lists them


def _roundup_stories(document: Document, patterns: Sequence[str]) -> list[Story]:
    if document.page_url:  # already a story cut from its page
        return []
    title = document.title
    listed = _listed_in_title(title, document.text)
    if listed:
        return listed
    compiled = _compile(patterns)
    matched = [p for p in compiled if p.search(title)]
    if matched:
        if "《" in title or len(_subject(title, matched)) > SPECIFIC_SUBJECT:
            return []  # "一图读懂《…意见》": one subject, its sections are not stories
        stories = find_stories(document.text)
        return stories if len(stories) >= 2 else []
    if not _ROUNDUP_WORDS.search(title) or len(_subject(title)) > SPECIFIC_SUBJECT:
        return []
    stories = find_stories(document.text)
    if len(stories) < 3:
        return []
    if statistics.median(len(s.text) for s in stories) > SHORT_STORY:
        return []
    return stories


def _listed_in_title(title: str, text: str) -> list[Story]:
    """Stories of a page whose title is its sub-headlines side by side ("山东：… 贵州：…", two
    provinces' reports under one series): every story has a headline, and together the
    headlines make up the title."""
    # The series' shared intro (headless) speaks of every story at once: it belongs to none.
    stories = [s for s in find_stories(text) if s.heading]
    if len(stories) < 2:
        return []
    whole = _compact(title)
    heads = [_compact(s.heading) for s in stories]
    if not all(h in whole for h in heads):
        return []
    return stories if sum(map(len, heads)) >= LISTED_SHARE * len(whole) else []


def is_roundup(document: Document, patterns: Sequence[str] = ()) -> bool:
    """True when ``document`` is a round-up page ``split_stories`` cuts (see the module doc)."""
    return bool(_roundup_stories(document, patterns))


# ---------------------------------------------------------------------------- splitting


def story_url(url: str, number: int) -> str:
    """``https://…/VIDE….shtml#story-3``: the page URL with the story's 1-based ordinal."""
    return f"{url.split('#', 1)[0]}#story-{number}"


def _lead_title(text: str) -> str:
    """A title from a story's first sentence, cut at a punctuation mark (never mid-word)."""
    first = _LEAD_IN_PREFIX.sub("", _unnumbered(text.split("\n", 1)[0]))
    sentence = re.split(r"[。！？!?；;]", first, maxsplit=1)[0].strip()
    if len(sentence) <= LEAD_TITLE:
        return sentence or first
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(sentence) if m.start() >= 8]
    before = [b for b in breaks if b <= LEAD_TITLE]
    if before:
        return sentence[: before[-1]].rstrip()
    return sentence[: breaks[0]].rstrip() if breaks else sentence


def roundup_patterns(titles: Sequence[str] | None, source: Source | None) -> list[str]:
    """The round-up title patterns for ``source``'s pages: the profile's ``titles`` (None: the
    built-in ones) and the source's own."""
    titles = DEFAULT_ROUNDUP_TITLES if titles is None else titles
    return [*titles, *(source.roundup_titles if source else [])]


def split_stories(document: Document, patterns: Sequence[str] = ()) -> list[Document]:
    """The stories of a round-up page as documents; ``[document]`` for any other page.

    ``patterns``: regular expressions of round-up titles (``Profile.roundup_titles`` and the
    source's ``roundup_titles``).
    """
    stories = _roundup_stories(document, patterns)
    if not stories:
        return [document]
    page = document.url
    documents = []
    for number, story in enumerate(stories, start=1):
        lines = list(story.lines)
        if number == 1 and lines:
            lines[0] = _LEAD_IN_PREFIX.sub("", lines[0]) or lines[0]
        text = "\n".join(lines)
        title, column = clean_title(story.heading) if story.heading else ("", "")
        title = title or _lead_title(text) or f"{document.title}（{number}）"
        documents.append(
            document.model_copy(
                update={
                    "url": story_url(page, number),
                    "canonical_url": story_url(document.canonical_url, number),
                    "page_url": page,
                    "title": title,
                    "column": column or document.column,
                    "text": text,
                    "content_hash": content_hash(text),
                    "attachments": [a for a in document.attachments if a.title and a.title in text],
                }
            )
        )
    return documents


# ---------------------------------------------------------------------------- index pages


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _linked_chars(tree: HtmlElement, lines: list[str]) -> int:
    anchors = {_compact(a.text_content()) for a in tree.iter("a")}
    anchors = {a for a in anchors if len(a) >= 2}
    long_anchors = [a for a in anchors if len(a) >= 4]
    linked = 0
    for line in lines:
        if line in anchors:
            linked += len(line)
        else:  # "标题 2026-05-18": a link and its date in one line
            linked += min(len(line), max((len(a) for a in long_anchors if a in line), default=0))
    return linked


def is_index_title(title: str) -> bool:
    """``《新闻联播》 20260518 19:00``, ``新闻频道``: a title only index pages have."""
    title = " ".join((title or "").split())
    return bool(title) and any(p.search(title) for p in _INDEX_TITLES)


def is_index_page(
    page: HtmlElement | Document | str, *, title: str | None = None, text: str | None = None
) -> bool:
    """True for a day's list page, a channel page or a whole-episode page.

    ``page``: the parsed page (or its HTML), or a ``Document`` (then only its title can tell).
    ``title``/``text``: the page's title and article text when already known.
    """
    if isinstance(page, Document):
        title = page.title if title is None else title
        tree = None
    elif isinstance(page, str):
        from lxml.html import HTMLParser, document_fromstring

        parser = HTMLParser(encoding="utf-8")
        tree = document_fromstring(page.encode("utf-8"), parser=parser) if page.strip() else None
    else:
        tree = page
    if title is None and tree is not None:
        title = tree.findtext(".//title") or ""
    if is_index_title(title or ""):
        return True
    if tree is None:
        return False
    if text is None:
        from zhibao.extract.body import article_text

        text = article_text(tree)
    lines = [_compact(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    total = sum(len(line) for line in lines)
    if len(lines) < MIN_LIST_ITEMS or not total:
        return False
    if _linked_chars(tree, lines) / total < LINKED_SHARE:
        return False
    # Prose anywhere on the page means an article the text missed, not a list.
    from zhibao.extract.body import visible_lines

    anchors = {_compact(a.text_content()) for a in tree.iter("a")}
    prose = (_compact(line) for line in visible_lines(tree))
    running = sum(
        len(line)
        for line in prose
        if line not in anchors and _is_sentence(line) and len(line) >= 20
    )
    return running < MAX_RUNNING_TEXT
