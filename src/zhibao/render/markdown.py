"""Markdown: for wikis, git archives and editors that prefer plain text.

Every piece of text is escaped so that ``#``, ``*``, ``_``, ``[``, ``<script>`` and friends
stay literal characters in any CommonMark viewer.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from zhibao.core.model import Brief, Paragraph
from zhibao.render.common import date_zh, section_label

# ASCII punctuation that CommonMark (or common extensions: tables, math, strikethrough) may read.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$&!])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])", re.MULTILINE)


def escape(text: str) -> str:
    text = _SPECIAL.sub(r"\\\1", text)
    # A paragraph that happens to start like a list item or a setext underline stays text.
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def link_target(url: str) -> str:
    """A URL safe inside ``(…)``: spaces, brackets and angle brackets percent-encoded."""
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


def _citations(paragraph: Paragraph) -> str:
    if not paragraph.citations:
        return ""
    return " " + "".join(f"[\\[{i}\\]](#ref-{i})" for i in paragraph.citations)


class MarkdownRenderer:
    name = "md"
    suffix = ".md"

    def render(self, brief: Brief) -> bytes:
        out: list[str] = []
        head = brief.masthead
        out.append(f"# {escape(head.title)}\n")
        byline = [escape(x) for x in (head.publisher, head.producer) if x] + [date_zh(brief.date)]
        out.append("  \n".join(byline) + "\n")
        problems = brief.publish_problems()
        if problems:
            out.append("> **草稿，未经核验，不可发布：**\n>")
            out.extend(f"> - {escape(p)}" for p in problems)
            out.append("")
        out.append("## 摘要\n")
        out.extend(escape(p) + "\n" for p in brief.summary_paragraphs)

        n = len(brief.sections)
        out.append("## 目录\n")
        for i, section in enumerate(brief.sections, start=1):
            out.append(f"- {section_label(i)}{escape(section.heading)}")
        out.append(f"- {section_label(n + 1)}{escape(brief.judgment.title)}")
        out.append("- 参考文献\n")

        for i, section in enumerate(brief.sections, start=1):
            out.append(f"## {section_label(i)}{escape(section.heading)}\n")
            for paragraph in section.paragraphs:
                out.append(escape(paragraph.text) + _citations(paragraph) + "\n")
        out.append(f"## {section_label(n + 1)}{escape(brief.judgment.title)}\n")
        out.extend(escape(p) + "\n" for p in brief.judgment.paragraphs)

        out.append("## 参考文献\n")
        if not brief.references:
            out.append("（无参考文献）\n")
        for ref in brief.references:
            line = (
                f'{ref.id}\\. <a id="ref-{ref.id}"></a>{escape(ref.org)}，**{escape(ref.title)}**，'
                f"{ref.date.isoformat()}"
            )
            if ref.purpose:
                line += f"，{escape(ref.purpose)}"
            line += f"。[{escape(ref.url)}]({link_target(ref.url)})"
            if ref.archived:
                line += f" （[存档]({link_target(ref.archived)})）"
            out.append(line + "\n")

        contact = brief.contact
        if contact.qr_codes or contact.organisations or contact.website:
            out.append(f"## {escape(contact.heading)}\n")
            for qr in contact.qr_codes:
                out.append(f"- {escape(qr.caption)}：[{escape(qr.url)}]({link_target(qr.url)})")
            out.append("")
            for org in contact.organisations:
                out.append(f"**{escape(org.name)}**：{escape(org.description)}\n")
            if contact.website:
                out.append(f"网站地址：[{escape(contact.website)}]({link_target(contact.website)})\n")
        if contact.disclaimer:
            out.append(f"*{escape(contact.disclaimer)}*\n")
        return ("\n".join(out).rstrip() + "\n").encode("utf-8")
