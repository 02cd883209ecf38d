"""The brief as short markdown blocks for chat bots, and splitting them to a size limit.

Chat apps render a small markdown subset and refuse messages over a size limit, so the brief
is cut at block boundaries (summary, one section, the judgment, references), a block too big
on its own at sentence ends, and each part is numbered ``（2/3）``.

    >>> parts = split_blocks(brief_blocks(brief, link="https://x.org/b.html"), 4096)
    >>> all(len(p.encode()) <= 4096 for p in parts)
    True
"""

from __future__ import annotations

import re

from zhibao.core.model import Brief
from zhibao.render.common import date_zh, section_label

__all__ = ["brief_blocks", "brief_text", "notice_blocks", "plain", "split_blocks"]

# Source text must not become markup in a chat app (a title with "[点我](…)" or "**"); the
# full-width twins read the same in Chinese text.
_MARKUP = str.maketrans({"*": "＊", "[": "［", "]": "］", "<": "＜", ">": "＞", "`": "｀", "#": "＃", "_": "＿"})
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")
_PART_ROOM = 24  # bytes kept free for "\n\n（12/12）"


def plain(text: str) -> str:
    return text.translate(_MARKUP)


def _link(label: str, url: str) -> str:
    # Parentheses and spaces would end the markdown link early.
    safe = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{plain(label)}]({safe})"


def brief_blocks(brief: Brief, *, link: str | None = None) -> list[str]:
    """Header, summary, one block per section, judgment, references (and a link to the page)."""
    blocks = [f"**{plain(brief.masthead.title)}**\n{date_zh(brief.date)}"]
    blocks += [plain(p) for p in brief.summary_paragraphs]
    for number, section in enumerate(brief.sections, start=1):
        body = "\n".join(
            plain(p.text) + "".join(f"[{c}]" for c in p.citations) for p in section.paragraphs
        )
        blocks.append(f"**{section_label(number)}{plain(section.heading)}**\n{body}")
    judgment = brief.judgment
    blocks.append(
        f"**{section_label(len(brief.sections) + 1)}{plain(judgment.title)}**\n"
        + "\n".join(plain(p) for p in judgment.paragraphs)
    )
    if brief.references:
        blocks.append(
            "**参考文献**\n"
            + "\n".join(f"{r.id}. {plain(r.org)}：{_link(r.title, r.url)}" for r in brief.references)
        )
    if link:
        blocks.append(_link("阅读全文与下载 PDF", link))
    return blocks


def brief_text(brief: Brief, *, link: str | None = None) -> str:
    """The brief as plain text for the text part of an email: no markup and no escapes, so
    "博雅云创 & 中科创新驱动" reads as written; citations stay as ``[1]``."""
    head = brief.masthead
    lines = [head.title, *(x for x in (head.publisher, head.producer) if x), date_zh(brief.date)]
    if link:
        lines += ["", f"在线阅读：{link}"]
    lines += ["", "摘要", *brief.summary_paragraphs]
    for number, section in enumerate(brief.sections, start=1):
        lines += ["", f"{section_label(number)}{section.heading}"]
        lines += [p.text + "".join(f"[{c}]" for c in p.citations) for p in section.paragraphs]
    judgment = brief.judgment
    lines += ["", f"{section_label(len(brief.sections) + 1)}{judgment.title}", *judgment.paragraphs]
    if brief.references:
        lines += ["", "参考文献"]
        lines += [f"[{r.id}] {r.org}：{r.title}（{r.date.isoformat()}） {r.url}" for r in brief.references]
    return "\n".join(lines) + "\n"


def notice_blocks(brief: Brief, *, desk_url: str = "") -> list[str]:
    """The editors' notice that a draft waits for review."""
    problems = brief.publish_problems()
    lines = [
        f"**【待审核】{plain(brief.masthead.title)}**\n{date_zh(brief.date)} 的简报草稿已生成："
        f"{len(brief.sections)} 节，待处理问题 {len(problems)} 个。"
    ]
    lines += [f"- {plain(p)}" for p in problems[:10]]
    lines.append("\n".join(f"{section_label(i)}{plain(s.heading)}" for i, s in enumerate(brief.sections, 1)))
    if desk_url:
        lines.append(_link("到编辑台审核", desk_url))
    return lines


def _nbytes(text: str) -> int:
    return len(text.encode("utf-8"))


def _hard_cut(text: str, budget: int) -> list[str]:
    pieces, current = [], ""
    for char in text:
        if _nbytes(current + char) > budget:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces


def _fit(block: str, budget: int) -> list[str]:
    """``block`` as pieces of at most ``budget`` bytes, cut at sentence ends where possible."""
    if _nbytes(block) <= budget:
        return [block]
    pieces, current = [], ""
    for sentence in filter(None, _SENTENCE_END.split(block)):
        for chunk in _hard_cut(sentence, budget) if _nbytes(sentence) > budget else [sentence]:
            if current and _nbytes(current + chunk) > budget:
                pieces.append(current)
                current = ""
            current += chunk
    if current:
        pieces.append(current)
    return [p.strip("\n") for p in pieces if p.strip()]


def split_blocks(blocks: list[str], max_bytes: int) -> list[str]:
    """Pack ``blocks`` into messages of at most ``max_bytes`` UTF-8 bytes each, in order."""
    budget = max_bytes - _PART_ROOM
    if budget < 64:
        raise ValueError(f"max_bytes {max_bytes} 太小")
    parts: list[str] = []
    current = ""
    for block in blocks:
        for piece in _fit(block, budget):
            candidate = f"{current}\n\n{piece}" if current else piece
            if _nbytes(candidate) <= budget:
                current = candidate
            else:
                parts.append(current)
                current = piece
    if current:
        parts.append(current)
    if len(parts) > 1:
        parts = [f"{p}\n\n（{i}/{len(parts)}）" for i, p in enumerate(parts, start=1)]
    return parts
