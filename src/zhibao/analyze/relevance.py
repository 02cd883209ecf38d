"""How much a document matters to the topic profile, and why.

A document is tokenised (jieba for Chinese, word boundaries for English) and every theme's
keywords are looked up as token sequences, longest first, so 数据要素× is not also counted as
数据要素. Scores:

- title: each distinct term × its weight × ``profile.title_weight``;
- lead: each distinct term of the opening sentence × its weight × ``LEAD_WEIGHT`` — a news
  item names its subject there, so a short story (one cut from a round-up) whose lead says
  人工智能 is about it, while a long report mentioning it once further down is not;
- round-ups (several short headline lines, as in 国内联播快讯): each item is also scored on its
  own, headline as title, and the best item counts if it beats the whole page;
- body: term weight × a saturating term frequency normalised by document length (BM25 style,
  so a long speech that mentions 人工智能 once does not outrank a short item about it);
- negatives: each negative term found subtracts its weight (per theme or for every theme);
- umbrella terms only: a document whose matches are all ``profile.broad_keywords`` (新质生产力,
  实体经济… named in passing by many unrelated reports) keeps ``profile.broad_factor`` of it.

The document's score is its best theme plus a quarter of the other themes' scores. Every score
carries its reasons: ``{theme_id: [matched terms]}``.

Most documents of a day name no term of the profile at all. Every token is a piece of the
lower-cased text, so a document whose title and text contain none of the terms' first tokens
cannot match anything; it gets the empty score without being tokenised (the same result, at a
fraction of the cost: segmentation is nearly all of the work).

    >>> scorer = RelevanceScorer(load_profile())
    >>> r = scorer.score(document)
    >>> r.score, r.theme, r.reasons
    (21.4, 'data-elements', {'data-elements': ['数据要素', '数据基础设施']})
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from zhibao.analyze.text import add_phrases, is_chinese, tokenize
from zhibao.config import Profile
from zhibao.core.model import Document

__all__ = ["Relevance", "RelevanceScorer"]

_K1 = 1.2  # term-frequency saturation
_B = 0.75  # strength of the length normalisation
_AVERAGE_TOKENS = 250  # a typical news item; longer texts need more mentions for the same score
_OTHER_THEMES = 0.25  # share of the non-best themes added to the document score
_HEADING_MAX_CHARS = 32
_SENTENCE_ENDS = ("。", "：", ":", ".", "！", "？", "；", "”", "）")
LEAD_WEIGHT = 1.0
_LEAD_CHARS = 120


@dataclass
class Relevance:
    """A document's topic score with the terms that produced it."""

    score: float
    themes: dict[str, float] = field(default_factory=dict)  # theme id → score
    reasons: dict[str, list[str]] = field(default_factory=dict)  # theme id → matched terms
    negatives: list[str] = field(default_factory=list)  # negative terms found
    relevant: bool = False  # score ≥ profile.min_relevance
    focus: str | None = None  # headline of the round-up item that carried the score, if any

    @property
    def theme(self) -> str | None:
        """The best-scoring theme (None when no theme matched)."""
        positive = {k: v for k, v in self.themes.items() if v > 0}
        return max(positive, key=positive.__getitem__) if positive else None


@dataclass(frozen=True)
class _Term:
    theme: str | None  # None: a negative that applies to every theme
    term: str
    weight: float
    negative: bool = False


class RelevanceScorer:
    """The profile compiled once: token-sequence index of every keyword and negative."""

    def __init__(self, profile: Profile):
        self.profile = profile
        entries: dict[tuple[tuple[str, ...], bool], list[_Term]] = defaultdict(list)
        terms: list[_Term] = []
        for theme in profile.themes:
            terms += [_Term(theme.id, k, w) for k, w in theme.keywords.items()]
            terms += [
                _Term(theme.id, k, w, True) for k, w in self._negatives(theme.negative_keywords)
            ]
        terms += [_Term(None, k, w, True) for k, w in self._negatives(profile.negative_keywords)]
        add_phrases(t.term for t in terms)
        self._broad = set(profile.broad_keywords)
        for term in terms:
            for chinese in (True, False):
                sequence = tuple(tokenize(term.term, chinese=chinese))
                if sequence and term not in entries[(sequence, chinese)]:
                    entries[(sequence, chinese)].append(term)
        # Separate indexes for jieba tokens and English word tokens; longest sequences first.
        self._indexes: dict[bool, dict[str, list[tuple[tuple[str, ...], list[_Term]]]]] = {
            True: defaultdict(list),
            False: defaultdict(list),
        }
        for (sequence, chinese), found in entries.items():
            self._indexes[chinese][sequence[0]].append((sequence, found))
        for index in self._indexes.values():
            for options in index.values():
                options.sort(key=lambda item: -len(item[0]))
        self._first_tokens = {chinese: list(index) for chinese, index in self._indexes.items()}

    def _negatives(self, negatives: list[str] | dict[str, float]) -> list[tuple[str, float]]:
        if isinstance(negatives, dict):
            return list(negatives.items())
        return [(term, self.profile.negative_weight) for term in negatives]

    def _matches(self, tokens: list[str], chinese: bool) -> list[_Term]:
        index = self._indexes[chinese]
        found: list[_Term] = []
        i, n = 0, len(tokens)
        while i < n:
            options = index.get(tokens[i])
            step = 1
            if options:
                for sequence, terms in options:
                    if tuple(tokens[i : i + len(sequence)]) == sequence:
                        found += terms
                        step = len(sequence)
                        break
            i += step
        return found

    def _may_match(self, document: Document, chinese: bool) -> bool:
        """False when no term can match: no term's first token is in the title or text."""
        text = f"{document.title}\n{document.text}".lower()
        return any(token in text for token in self._first_tokens[chinese])

    def score(self, document: Document) -> Relevance:
        """Score one document against every theme of the profile."""
        chinese = is_chinese(document.title + document.text[:1000], document.language)
        if not self._may_match(document, chinese):
            nothing = self._combine([], [], 0)
            nothing.relevant = nothing.score >= self.profile.min_relevance
            return nothing
        lines = document.paragraphs
        line_tokens = [tokenize(line, chinese=chinese) for line in lines]
        title_terms = self._matches(tokenize(document.title, chinese=chinese), chinese)
        body_tokens = [t for tokens in line_tokens for t in tokens]
        lead_terms = self._matches(tokenize(_lead(document.text), chinese=chinese), chinese)
        best = self._combine(
            title_terms, self._matches(body_tokens, chinese), len(body_tokens), lead_terms
        )
        # A round-up (several short headline lines, as in 国内联播快讯) is also scored item by
        # item — headline as title — so one relevant item is not drowned by the others.
        heads = [i for i, line in enumerate(lines) if _is_heading(line)]
        if len(heads) >= 2:
            for start, end in zip(heads, heads[1:] + [len(lines)], strict=True):
                item_body = [t for tokens in line_tokens[start + 1 : end] for t in tokens]
                item = self._combine(
                    title_terms + self._matches(line_tokens[start], chinese),
                    self._matches(item_body, chinese),
                    len(item_body),
                )
                if item.score > best.score:
                    best = item
                    best.focus = lines[start].strip()
        best.relevant = best.score >= self.profile.min_relevance
        return best

    def _combine(
        self,
        title_terms: list[_Term],
        body_terms: list[_Term],
        body_length: int,
        lead_terms: list[_Term] = (),
    ) -> Relevance:
        themes: dict[str, float] = defaultdict(float)
        reasons: dict[str | None, list[str]] = defaultdict(list)
        negatives: list[str] = []
        penalty: dict[str | None, float] = defaultdict(float)

        def note(term: _Term) -> None:
            if term.negative:
                if term.term not in negatives:
                    negatives.append(term.term)
                    penalty[term.theme] += term.weight
            elif term.term not in reasons[term.theme]:
                reasons[term.theme].append(term.term)

        for term in dict.fromkeys(title_terms):  # distinct, in order
            note(term)
            if not term.negative:
                themes[term.theme] += self.profile.title_weight * term.weight
        for term in dict.fromkeys(lead_terms):
            if not term.negative:
                themes[term.theme] += LEAD_WEIGHT * term.weight
        frequency: dict[_Term, int] = defaultdict(int)
        for term in body_terms:
            frequency[term] += 1
        length_factor = _K1 * (1 - _B + _B * max(body_length, 1) / _AVERAGE_TOKENS)
        for term, tf in frequency.items():
            note(term)
            if not term.negative:
                themes[term.theme] += term.weight * tf * (_K1 + 1) / (tf + length_factor)

        everywhere = penalty.pop(None, 0.0)
        scores = {
            theme: round(value - penalty.get(theme, 0.0) - everywhere, 3)
            for theme, value in themes.items()
        }
        for theme, value in penalty.items():  # a theme with only negatives still shows them
            scores.setdefault(theme, round(-value - everywhere, 3))
        ranked = sorted(scores.values(), reverse=True)
        if ranked:
            total = ranked[0] + _OTHER_THEMES * sum(v for v in ranked[1:] if v > 0)
        else:
            total = -everywhere
        matched = {t.term for t in [*title_terms, *lead_terms, *body_terms] if not t.negative}
        if matched and total > 0 and matched <= self._broad:
            total *= self.profile.broad_factor
        return Relevance(
            score=round(total, 3),
            themes=scores,
            reasons={k: v for k, v in reasons.items() if k is not None and v},
            negatives=negatives,
        )


def _lead(text: str) -> str:
    """The opening sentence of ``text`` (a dateline such as 央视网消息： is skipped)."""
    for line in text.split("\n"):
        line = line.strip()
        if len(line) > 20:
            return line[:_LEAD_CHARS].split("。", 1)[0]
    return ""


def _is_heading(line: str) -> bool:
    line = line.strip()
    return 4 <= len(line) <= _HEADING_MAX_CHARS and not line.endswith(_SENTENCE_ENDS)
