"""Text helpers every layer shares."""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["content_hash"]

_CJK_SPACE = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")


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
