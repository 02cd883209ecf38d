"""Text helpers every layer shares."""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["char_bigrams", "content_hash"]

_CJK_SPACE = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")


def char_bigrams(text: str) -> set[str]:
    """Pairs of neighbouring content characters (Chinese, letters, digits; punctuation and
    spaces skipped): how much of one short text another covers, without a tokeniser."""
    text = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff" or ch.isalnum())
    return {text[i : i + 2] for i in range(len(text) - 1)}


def content_hash(text: str) -> str:
    """sha256 of a body with Unicode (NFKC) and whitespace normalised, so re-fetches compare.

    Spaces next to Chinese characters carry no meaning and are dropped; other runs of
    whitespace count as one space; empty lines are ignored. The one hash of a document's
    text: extraction computes it, the store falls back to it for imported documents.
    """
    normal = unicodedata.normalize("NFKC", text)
    lines = (_CJK_SPACE.sub("", " ".join(line.split())) for line in normal.split("\n"))
    normal = "\n".join(line for line in lines if line)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()
