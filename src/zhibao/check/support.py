"""How well a text supports a clause: the share of the clause's information found in it.

The clause is cut into words (jieba's own dictionary, never the profile-extended one, so the
measure is the same in every process); runs of single characters jieba does not know are joined
(刘烈宏, 词元), figures are left out (they are checked on their own). Each word weighs its
information, −log of its frequency in the dictionary: 召开, 发展, 进入 weigh little, 词元, 伦理,
a person's name weigh much. Support is the weight share of the words a text contains, the best
over the texts offered (a document's title with one stretch of its text, …).

    >>> support("刘烈宏主持召开词元经济座谈会", ["刘烈宏主持召开数据领域民营企业座谈会"])
    Support(score=0.67, missing=('词元', '经济'))
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from zhibao.core.figures import compact, find_figures

__all__ = ["Support", "information", "support", "terms", "word_frequency"]

# Function characters, and the units figures leave behind (2026年 → 年), say nothing on their own.
_STOP = set("的了和与及在是对为将把被由从以等并而也这其该之于中上下或年月日个")
_RUN = re.compile(r"[\u3400-\u9fffa-z0-9+×]+")
_HAN = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[\u3400-\u9fffa-z]")
# Unknown words (names, coinages) all weigh this much: past it a word is simply rare.
_CAP = 15.0

_lock = threading.Lock()
_ready = False


def _dictionary():
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.dt.check_initialized()
                _ready = True
    return jieba.dt


def word_frequency(word: str) -> int:
    """How often jieba's dictionary counts ``word`` (0 when it is not a word there)."""
    return _dictionary().FREQ.get(word, 0) if word else 0


def information(word: str) -> float:
    tokenizer = _dictionary()
    return min(-math.log((tokenizer.FREQ.get(word, 0) + 1) / tokenizer.total), _CAP)


def _blank_figures(text: str) -> str:
    for figure in find_figures(text):
        end = figure.start + len(figure.text)
        text = text[: figure.start] + " " * (end - figure.start) + text[end:]
    return text


@lru_cache(maxsize=4096)
def terms(text: str) -> tuple[str, ...]:
    """The words of ``text`` that carry its content, in order."""
    out: list[str] = []
    tokenizer = _dictionary()
    for run in _RUN.findall(compact(_blank_figures(text))):
        joined = ""
        for word in tokenizer.lcut(run, HMM=False):
            if len(word) == 1 and _HAN.match(word) and word not in _STOP:
                joined += word
                continue
            if joined:
                out.append(joined)
                joined = ""
            if word not in _STOP and _WORD.search(word) and not word.isdigit():
                out.append(word)
        if joined:
            out.append(joined)
    return tuple(out)


def _contains(text: str, term: str) -> bool:
    if term.isascii():
        return re.search(rf"(?<![a-z]){re.escape(term)}(?![a-z])", text) is not None
    return term in text


@dataclass(frozen=True)
class Support:
    score: float  # 0..1: the share of the clause's information the best text holds
    missing: tuple[str, ...] = ()  # the clause's words that best text lacks


def support(clause: str, texts: Iterable[str]) -> Support:
    """The best support any of ``texts`` (compacted) gives ``clause``."""
    words = terms(clause)
    weights = [information(w) for w in words]
    total = sum(weights)
    if not total:
        return Support(1.0)
    best = Support(0.0, words)
    for text in texts:
        held = [_contains(text, w) for w in words]
        score = sum(wt for wt, h in zip(weights, held, strict=True) if h) / total
        if score > best.score:
            best = Support(score, tuple(w for w, h in zip(words, held, strict=True) if not h))
            if score >= 1.0:
                break
    return best
