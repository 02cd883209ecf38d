"""Turn fetched bytes into text: the declared charset when it is true, else what the bytes say.

Chinese sites often declare one charset and send another (a GBK channel page whose header says
UTF-8), and GB2312 labels hide characters only GBK/GB18030 know. So a declaration is trusted
only when the bytes decode cleanly under it, and every GB label is read as GB18030, the superset.

    >>> decode_html("新质生产力".encode("gbk"), "text/html; charset=utf-8")
    '新质生产力'
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

__all__ = ["declared_charsets", "decode_html", "normalise_charset"]

_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "gb_2312-80", "cp936", "euc-cn", "hz-gb-2312"}
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Non-ASCII UTF-8 sequences; real GBK text almost never forms a run of these by chance.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def normalise_charset(label: str) -> str | None:
    """A Python codec name for a charset label, GB labels widened to GB18030; None if unknown."""
    label = label.strip().strip("\"'").lower()
    if label in _GB_FAMILY:
        return "gb18030"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "gb18030" if name in _GB_FAMILY else name


def declared_charsets(content: bytes, content_type: str | None = None) -> list[str]:
    """Charsets the response claims, in order: HTTP header, then ``<meta>`` in the first 4 KB."""
    labels: list[str] = []
    if content_type and (m := _HEADER_CHARSET.search(content_type)):
        labels.append(m.group(1))
    head = content[:4096]
    labels += [m.group(1).decode("ascii", "ignore") for m in _META_CHARSET.finditer(head)]
    out: list[str] = []
    for label in labels:
        name = normalise_charset(label)
        if name and name not in out:
            out.append(name)
    return out


def _strict(content: bytes, encoding: str) -> str | None:
    try:
        return content.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _nearly(content: bytes, encoding: str) -> str | None:
    """Decode with replacement when only a sliver is broken (a multi-byte character cut by a
    forum's "..." truncation), so that two bad bytes do not hand the page to a Cyrillic guess."""
    try:
        text = content.decode(encoding, errors="replace")
    except LookupError:
        return None
    broken = text.count("\ufffd")
    return text if broken <= max(2, len(content) // 1000) else None


def _looks_utf8(content: bytes) -> bool:
    return _UTF8_MULTIBYTE.search(content) is not None and _strict(content, "utf-8") is not None


def decode_html(content: bytes, content_type: str | None = None) -> str:
    """Decode an HTML (or feed) body; see the module docstring for the rules.

    Order: BOM; each declared charset that decodes without error (a GB declaration loses to
    bytes that are valid multi-byte UTF-8); UTF-8; the declared charsets, UTF-8 and GB18030 again
    allowing a sliver (≤ 0.1 %) of broken bytes; charset-normalizer's guess when it is UTF-8 or GB;
    GB18030; charset-normalizer's guess of any kind; finally replacement decoding.
    """
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return content.decode(encoding, errors="replace")
    declared = declared_charsets(content, content_type)
    for encoding in declared:
        text = _strict(content, encoding)
        if text is None:
            continue
        if encoding != "utf-8" and _looks_utf8(content):
            return content.decode("utf-8")
        return text
    text = _strict(content, "utf-8")
    if text is not None:
        return text
    for encoding in [*declared, "utf-8", "gb18030"]:
        if (text := _nearly(content, encoding)) is not None:
            return text
    guess = from_bytes(content[:65536]).best()
    guessed = normalise_charset(guess.encoding) if guess else None
    candidates = [guessed] if guessed in ("utf-8", "gb18030") else []
    candidates += ["gb18030", guessed] if guessed else ["gb18030"]
    for encoding in candidates:
        if encoding and (text := _strict(content, encoding)) is not None:
            return text
    # A page with a few broken bytes: keep the declared (or guessed) reading, mark the damage.
    fallback = declared[0] if declared else (guessed or "utf-8")
    return content.decode(fallback, errors="replace")
