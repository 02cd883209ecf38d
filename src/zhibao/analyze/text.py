"""Tokens and dates shared by the analyze stages.

jieba is initialised once, lazily and quietly (its dictionary ships in the package; no
network). Profile phrases are added to its dictionary so that 数据要素 or 高质量数据集 stay
whole tokens. English (and other Latin-script) documents are tokenised on word boundaries
instead, so foreign wires never go through a Chinese segmenter.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

__all__ = ["add_phrases", "is_chinese", "tokenize"]

_lock = threading.Lock()
_tokenizer = None
_added: set[str] = set()
_HAN = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
# Tokens kept besides words: the operators of 人工智能+ and 数据要素× are part of those names.
_KEEP = re.compile(r"[\w+＋×]")


def _jieba():
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict…" on stderr
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                _tokenizer = tokenizer
    return _tokenizer


def add_phrases(phrases: Iterable[str]) -> None:
    """Make each Chinese phrase one token (idempotent; cheap after the first call)."""
    new = [p for p in phrases if p not in _added and _HAN.search(p)]
    if not new:
        return
    tokenizer = _jieba()
    with _lock:
        for phrase in new:
            for part in re.findall(r"[\u3400-\u9fffA-Za-z0-9]+", phrase):
                if len(part) > 1 and _HAN.search(part):
                    tokenizer.add_word(part, freq=max(tokenizer.suggest_freq(part, False), 2_000))
            _added.add(phrase)


def is_chinese(text: str, language: str = "zh") -> bool:
    """Chinese segmentation is used for zh documents with actual Han characters in them."""
    if language and not language.lower().startswith("zh"):
        return False
    sample = text[:2000]
    return len(_HAN.findall(sample)) >= max(1, len(sample) // 20)


def tokenize(text: str, *, chinese: bool = True) -> list[str]:
    """Lower-cased tokens without whitespace or punctuation-only tokens."""
    if not chinese:
        return _WORD.findall(text.lower())
    return [
        t for t in (w.strip().lower() for w in _jieba().lcut(text, HMM=False)) if _KEEP.search(t)
    ]
