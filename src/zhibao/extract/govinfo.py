"""The information table of 政府信息公开 documents (索引号, 主题分类, 发文机关, 成文日期, 发文字号,
发布日期) read into fields, and cut from the page so that it never stands in for the body.

国务院 (gov.cn 政策文件库), ministries and provincial governments all print this table above the
document, as a ``<table>`` of label and value cells, a ``<ul>`` of ``<li>索引号：…</li>`` or
``<b>label</b>value`` runs. Labels are spaced to line up (``索　引　号``), so they are compared
without whitespace.

    >>> info = read_info_table(tree)         # cuts the table's rows out of ``tree``
    >>> info.fields["doc_number"], info.fields["written_at"]
    ('国办发〔2026〕12号', '2026年05月18日')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

__all__ = ["GovInfo", "read_info_table"]

# Label (without whitespace) → field. Sites word the same row differently.
_LABELS = {
    "索引号": "index_no",
    "主题分类": "subject",
    "信息分类": "subject",
    "组配分类": "subject",
    "分类": "subject",
    "发文机关": "issuer",
    "发文单位": "issuer",
    "发布机构": "issuer",
    "发布机关": "issuer",
    "成文日期": "written_at",
    "成文时间": "written_at",
    "发文字号": "doc_number",
    "文号": "doc_number",
    "发布日期": "published",
    "发布时间": "published",
    "标题": "title",
    "名称": "title",
}
# Fields only an information table has (发布日期 and 标题 also label ordinary news pages).
_TABLE_ONLY = {"index_no", "subject", "issuer", "written_at", "doc_number"}
# The label alone in its cell, or followed by a colon and the value ("分类推进…" is prose).
_LABEL = re.compile(
    "^(" + "|".join(sorted(_LABELS, key=len, reverse=True)) + r")(?:[:：](.*))?$", re.DOTALL
)
_ANY_LABEL = re.compile("(?:" + "|".join(sorted(_LABELS, key=len, reverse=True)) + ")[:：]")
_CELL_TAGS = {
    "td",
    "th",
    "span",
    "li",
    "div",
    "p",
    "dt",
    "dd",
    "b",
    "strong",
    "label",
    "em",
    "font",
}
# A row is the smallest element to cut with its label: the table row, the list item…
_ROW_TAGS = {"tr", "li", "dl", "p"}
_MAX_CELL = 120


@dataclass
class GovInfo:
    """What the table says (field → value as printed) and whether the page has one."""

    fields: dict[str, str] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        # Two table-only rows: one 发文字号 in a news article's text is not a table.
        return len(_TABLE_ONLY & self.fields.keys()) >= 2


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _value_after(cell: HtmlElement) -> str:
    """The value printed after a bare label cell: its tail, else the next cell's text."""
    tail = " ".join((cell.tail or "").split()).lstrip(":：")
    if tail:
        return tail
    following = cell.getnext()
    if following is not None and isinstance(following.tag, str):
        return " ".join(following.text_content().split())
    return ""


def _row(cell: HtmlElement) -> HtmlElement:
    node = cell
    while node is not None:
        if node.tag in _ROW_TAGS:
            return node
        node = node.getparent()
    return cell


def _label_cells(tree: HtmlElement) -> list[tuple[HtmlElement, str, str]]:
    """(cell, field, value) for every element that holds one label (and maybe its value)."""
    found = []
    for cell in tree.iter(*_CELL_TAGS):
        text = cell.text_content()
        if len(text) > _MAX_CELL:
            continue
        match = _LABEL.match(_squeeze(text))
        if not match:
            continue
        label, rest = match[1], match[2] or ""
        if len(_ANY_LABEL.findall(_squeeze(text))) >= 2:
            continue  # a container of several rows: its children are read instead
        if rest and not _squeeze(rest).startswith(tuple(_LABELS)):
            # "索引号：000014349/2026-00045" in one cell: keep the value's own spacing.
            value = re.split(r"[:：]", " ".join(text.split()), maxsplit=1)[-1].strip()
            if _squeeze(value) != rest:
                value = rest
        else:
            value = _value_after(cell)
        if value and not _LABEL.match(_squeeze(value)):
            found.append((cell, _LABELS[label], value))
    return found


def read_info_table(tree: HtmlElement) -> GovInfo:
    """The page's information table as fields; its rows are cut out of ``tree`` when found.

    ``tree`` is changed only when the page has a table (two or more table-only rows).
    """
    info = GovInfo()
    cells = _label_cells(tree)
    for _, name, value in cells:
        info.fields.setdefault(name, value)
    if not info.found:
        return GovInfo()
    for cell, _, _ in cells:
        row = _row(cell)
        if row.getparent() is not None:
            row.drop_tree()
    return info
