"""The archive a writer may draw on: stored documents before the brief, searched by the key
terms of an event, and counted by topic line over time.

Built once per brief from ``WriteContext.archive`` (``WriteContext.history``). Everything it
returns is a stored document, so a sentence taken from it can be cited with its own date.

    >>> history = context.history
    >>> terms = history.terms(event)                    # key terms of the event, rare ones weigh more
    >>> [(d.title, shared) for d, shared in history.related(event, terms)][:1]
    [('内蒙古推进绿色算力全产业链发展', ['算力', '绿色'])]
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date

from zhibao.core.model import Document, Event
from zhibao.core.time import local_date
from zhibao.write.text import story_text, strip_tags

__all__ = ["History"]

_HAN = re.compile(r"^[\u4e00-\u9fff]{2,}$")
_NOUNS = ("n", "vn", "eng")  # jieba's part-of-speech tags of nouns (n, nr, ns, nt, nz …)
# Words that head half of all news and identify no story.
_GENERIC = frozenset(
    word
    for line in (
        "发展 推进 推动 加快 加强 建设 打造 全面 不断 持续 实现 提升 我国 中国 全国 国家 工作 重要",
        "重点 高质量 新征程 新思想 引领 开局 良好 奋力 一线 调研 联播 快讯 国内 国际 新闻 目前",
        "举行 召开 发布 开展 启动 相关 有关 积极 扎实 深入 坚持 取得 成效 成果 记者 总书记",
        "习近平 时代 中国式 现代化 十五五 规划 纲要 优化 结构 步伐 力量 水平 能力 体系 领域",
        "方面 地区 城市 企业 项目 行业 产业 经济 社会 人民 群众 政策 措施 部门 全年 季度",
        "服务 管理 信息 活动 会议 大会 系统 中心 公司 技术 应用 工程 机制 主题 内容 情况",
    )
    for word in line.split()
)
_SMALL = 30  # archived documents below which word rarity cannot be measured
_NEUTRAL = 4.0  # the weight of every term then: each one rare enough to relate two stories
_COMMON_SHARE = 0.08  # a word in more of the archive's documents than this names no story
_MIN_WEIGHT = 1.25  # weight below which a term says nothing (idf of a word in ~30% of reports)
_ANCHOR = 4.0  # weight of a rare headline word (in about one archived report in fifty)
_MIN_RELATED = 8.0  # summed rarity of the shared terms for an earlier document to be related
_STORY = 1500  # characters of the lead's story whose repeated nouns also count as key terms
_tagger = None


def _tagger_instance():
    global _tagger
    if _tagger is None:
        import logging

        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        _tagger = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    return _tagger


_taught: set[str] = set()


def _teach(words: Iterable[str]) -> None:
    """Make each profile keyword one noun for the tagger (物联网, not 年物 + 联网)."""
    tagger = _tagger_instance()
    for word in words:
        if word not in _taught and _HAN.match(word):
            tagger.tokenizer.add_word(word, freq=2_000, tag="n")
            _taught.add(word)


def _nouns(text: str, *, names: bool = True) -> list[str]:
    """The nouns of ``text`` (jieba part of speech), in order, without generic ones; without
    the names of places and people when ``names`` is false."""
    return [
        w.word
        for w in _tagger_instance().lcut(text)
        if w.flag.startswith(_NOUNS)
        and (names or not w.flag.startswith(("ns", "nr")))
        and _HAN.match(w.word)
        and w.word not in _GENERIC
    ]


class History:
    """Stored documents of the background window, with each one's headline and opening."""

    def __init__(self, documents: Iterable[Document], brief_date: date):
        self.brief_date = brief_date
        self.documents = sorted(
            (d for d in documents if (day := local_date(d)) is not None and day <= brief_date),
            key=lambda d: d.published_at,
        )
        self._heads = [f"{strip_tags(d.title)}\n{d.text[:400]}" for d in self.documents]
        self._df: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.documents)

    def df(self, term: str) -> int:
        """In how many archived documents' headline or opening ``term`` occurs."""
        if term not in self._df:
            self._df[term] = sum(term in head for head in self._heads)
        return self._df[term]

    def idf(self, term: str) -> float:
        """How rare ``term`` is in the archive; an archive too small to tell gives every term
        the weight of a fairly rare one."""
        if len(self._heads) < _SMALL:
            return _NEUTRAL
        return math.log((len(self._heads) + 1) / (self.df(term) + 0.5))

    def common(self, term: str) -> bool:
        """A word too frequent in the archive to say what a story is about."""
        return len(self._heads) >= _SMALL and self.df(term) > _COMMON_SHARE * len(self._heads)

    def headline_terms(self, event: Event, extra: Iterable[str] = ()) -> dict[str, float]:
        """Nouns of the event's headlines (and ``extra``, the profile keywords it matched, which
        are also taught to the tagger so that 物联网 stays one word), not generic in the archive."""
        extra = [w for w in extra if w]
        _teach(extra)
        titles = [event.focus or ""] + [strip_tags(d.title) for d in event.documents]
        words = list(dict.fromkeys([*_nouns("\n".join(titles)), *extra]))
        terms = {w: self.idf(w) for w in words if not self.common(w)}
        return {w: weight for w, weight in terms.items() if weight >= _MIN_WEIGHT}

    def terms(self, event: Event, extra: Iterable[str] = ()) -> dict[str, float]:
        """The key terms of ``event`` with their weight: its headline terms, and at half weight
        the nouns its lead's story repeats."""
        terms = self.headline_terms(event, extra)
        # Nouns the lead's story repeats name what its headline leaves implicit (装备制造业,
        # 词元), at half weight: a headline of slogans ("稳中提速 结构不断优化") carries few terms.
        story = story_text(event.lead_document, event.focus)[:_STORY]
        # A place the story keeps naming (贵安) is its setting, not what it is about.
        repeated = Counter(_nouns(story, names=False))
        for word, n in repeated.items():
            if n >= 2 and word not in terms and not self.common(word):
                terms[word] = self.idf(word) / 2
        # A word in one archived report in ten or more is no clue to which story it is.
        return {w: weight for w, weight in terms.items() if weight >= _MIN_WEIGHT}

    def related(
        self,
        event: Event,
        terms: dict[str, float],
        *,
        exclude: Callable[[Document], bool] = lambda document: False,
        limit: int = 2,
        keywords: Collection[str] = (),
    ) -> list[tuple[Document, list[str]]]:
        """Earlier stored documents most related to ``event`` (before its first document's day),
        best first, with the key terms they share; only clearly related ones. Sharing only
        ``keywords`` (the profile's: 人工智能, AI) relates any two reports on the topic: one
        shared word must be the event's own, or a rare keyword of its headline (人形机器人)."""
        days = [local_date(d) for d in event.documents if local_date(d)]
        if not days or not terms:
            return []
        before = min(days)
        own = {d.canonical_url for d in [*event.documents, *event.background]}
        named = set(self.headline_terms(event)) & set(terms)
        scored = []
        for document, text in zip(self.documents, self._heads, strict=True):
            if local_date(document) >= before or document.canonical_url in own:
                continue
            if exclude(document):
                continue
            shared = [t for t in terms if t in text]
            # A rare word of the event's headline or keywords must be shared ("协同" and "能源"
            # together tie any two stories), and the earlier headline must name one of the
            # event's: a sentence deep in an unrelated report is not background.
            title = strip_tags(document.title)
            in_title = [t for t in shared if t in title]
            # Or two words of the event's own headline in the earlier headline (人工智能 …办法).
            both = len([t for t in in_title if t in named]) >= 2
            anchored = any(terms[t] >= _ANCHOR for t in shared) and any(
                t in named or terms[t] >= _ANCHOR for t in in_title
            )
            if not (anchored or both):
                continue
            score = sum(terms[t] for t in shared)
            rare = len(self._heads) >= _SMALL  # a small archive cannot tell a rare keyword
            own_word = any(
                t not in keywords or (rare and t in named and terms[t] >= _ANCHOR) for t in shared
            )
            if score >= _MIN_RELATED and len(shared) >= 2 and own_word:
                scored.append((score, document.published_at, document, shared))
        scored.sort(key=lambda item: (-item[0], -item[1].timestamp()))
        return [(document, shared) for _, _, document, shared in scored[:limit]]

    def mentions(
        self, term: str, since: date, until: date, *, where: Callable[[Document], bool]
    ) -> list[Document]:
        """Documents from ``since`` to ``until`` (inclusive) that ``where`` accepts and whose
        headline or opening names ``term``, oldest first."""
        found = []
        for document in self.documents:
            day = local_date(document)
            named = term in strip_tags(document.title) or term in document.text[:200]
            if since <= day <= until and named and where(document):
                found.append(document)
        return found

    def between(self, since: date, until: date) -> Sequence[Document]:
        """Documents published from ``since`` to ``until`` (inclusive)."""
        return [d for d in self.documents if since <= local_date(d) <= until]
