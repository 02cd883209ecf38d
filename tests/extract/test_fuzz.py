"""Mutated pages through decoding and extraction: every page either gives a document whose text
is prose, or raises the documented ExtractError/IndexPageError; nothing else escapes.

The mutations are drawn with a seeded random from the fixture pages, so a failure reproduces.
The oracle is independent of ``extract.junk``: it counts lines carrying the injected script
marker and characters that only mis-decoding produces.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

from zhibao.crawl import decode_html
from zhibao.extract import ExtractError, extract_document

FIXTURES = Path(__file__).parent / "fixtures"
SEED = 20260523
PAGES_PER_KIND = 25
MARK = "fuzzpayload"

Mutation = Callable[[bytes, random.Random], tuple[bytes, str | None]]


def _sources() -> list[bytes]:
    return [p.read_bytes() for p in sorted(FIXTURES.glob("*.html"))]


def truncate(raw: bytes, rng: random.Random) -> tuple[bytes, str | None]:
    return raw[: rng.randint(0, len(raw))], None


def drop_html_head(raw: bytes, rng: random.Random) -> tuple[bytes, str | None]:
    for tag in rng.sample([b"html", b"head", b"body", b"!DOCTYPE html"], rng.randint(1, 4)):
        raw = re.sub(rb"</?" + re.escape(tag) + rb"[^>]*>", b"", raw, flags=re.I)
    return raw, None


def lone_fragment(raw: bytes, rng: random.Random) -> tuple[bytes, str | None]:
    # What is left when only the article survives a broken template: one element, no root.
    start, end = raw.find(b"<div"), raw.rfind(b"</div>")
    inner = raw[start : end + 6] if 0 <= start < end else raw
    tag = rng.choice([b"div", b"article", b"section", b"td"])
    return b"<" + tag + b"><div>" + inner + b"</div></" + tag + b">", None


def inject_nul(raw: bytes, rng: random.Random) -> tuple[bytes, str | None]:
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, min(len(raw), 2048))
        raw = raw[:at] + b"\x00" + raw[at:]
    return raw, None


def flip_bytes(raw: bytes, rng: random.Random) -> tuple[bytes, str | None]:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 60)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data), None


def huge_script(raw: bytes, rng: random.Random) -> tuple[bytes, str | None]:
    code = "".join(
        f"var {MARK}{i} = {{id: {i}, url: '/a/{i}.html'}}; if ({MARK}{i}) {{ go({i}); }}\n"
        for i in range(rng.randint(200, 2000))
    ).encode()
    closed = rng.random() < 0.5  # an unclosed <script> swallows the rest of the page
    block = b"<script>" + code + (b"</script>" if closed else b"")
    at = raw.find(b"<body")
    at = rng.randint(0, len(raw)) if at < 0 or rng.random() < 0.3 else at
    return raw[:at] + block + raw[at:], None


def script_as_text(raw: bytes, rng: random.Random) -> tuple[bytes, str | None]:
    # A template that prints its script or stylesheet as visible text.
    css = "".join(
        f".{MARK}{i} {{ color: #333; margin: 0 auto; }}\n" for i in range(rng.randint(50, 400))
    )
    return raw.replace(b"<body>", b"<body><div><pre>" + css.encode() + b"</pre></div>", 1), None


def swap_charset(raw: bytes, rng: random.Random) -> tuple[bytes, str | None]:
    text = raw.decode("utf-8")
    if rng.random() < 0.5:  # GBK bytes under a utf-8 label
        return text.encode("gb18030", "replace"), "text/html; charset=utf-8"
    return raw, "text/html; charset=" + rng.choice(["gbk", "iso-8859-1", "big5", "shift_jis"])


def nest_deeply(raw: bytes, rng: random.Random) -> tuple[bytes, str | None]:
    depth = rng.randint(300, 3000)
    tag = rng.choice([b"div", b"span", b"table", b"font"])
    opening = b"<" + tag + b">"
    at = raw.find(b"<body>")
    at = at + 6 if at >= 0 else 0
    return raw[:at] + opening * depth + raw[at:], None


MUTATIONS: list[Mutation] = [
    truncate,
    drop_html_head,
    lone_fragment,
    inject_nul,
    flip_bytes,
    huge_script,
    script_as_text,
    swap_charset,
    nest_deeply,
]
# Mutations that leave the article readable: a page they touch must still give a document.
KEEPS_ARTICLE = {"drop_html_head", "lone_fragment", "inject_nul"}
# Characters that appear when UTF-8 or GBK bytes are read under the wrong label.
_MISREAD = re.compile(r"[\ufffd\x00-\x08\x0e-\x1f\x80-\xff]")


def _prose_problem(text: str, misread_share: float = 0.1) -> str | None:
    total = sum(1 for c in text if not c.isspace()) or 1
    marked = sum(len(line) for line in text.split("\n") if MARK in line)
    if marked / total > 0.5:
        return "body is mostly the injected script/style"
    if len(_MISREAD.findall(text)) / total > misread_share:
        return "body is mostly undecodable text"
    return None


def test_mutated_pages_never_crash_nor_store_junk() -> None:
    rng = random.Random(SEED)
    sources = _sources()
    outcomes = {"document": 0, "rejected": 0}
    bad = []
    for mutate in MUTATIONS:
        for n in range(PAGES_PER_KIND):
            raw, content_type = mutate(rng.choice(sources), rng)
            url = f"https://fuzz.example.gov.cn/{mutate.__name__}/{n}.html"
            try:
                doc = extract_document(decode_html(raw, content_type), url)
            except ExtractError as exc:  # IndexPageError included
                assert url in str(exc), exc
                if mutate.__name__ in KEEPS_ARTICLE:
                    bad.append((url, "readable article rejected", str(exc)))
                outcomes["rejected"] += 1
                continue
            outcomes["document"] += 1
            problem = _prose_problem(doc.text) or (
                # A flipped byte spoils one character; a misread page spoils all of them.
                "title garbled" if _prose_problem(doc.title, 0.5) else None
            )
            if problem:
                bad.append((url, problem, doc.text[:80]))
    assert sum(outcomes.values()) == len(MUTATIONS) * PAGES_PER_KIND >= 200
    assert not bad, bad
    assert outcomes["document"] > outcomes["rejected"]  # most mutations leave an article
