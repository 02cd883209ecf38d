"""People and organisations: each named in a part must be named in that part's sources.

Names come from ``zhibao.core.entities``; matching is tolerant of how a brief shortens them.
An organisation is found when its whole name is in a source (数据局 in 国家数据局), or a tail
of it at least two characters longer than its body word (记者从国家数据局 → 国家数据局;
but 湖北省数据局 is not 国家数据局: 数据局 alone is only the body word). Generic bodies
(上市公司, 有关部, 某研究院) and people's names that are ordinary words (解读, 华南) are not
names and are not checked.
"""

from __future__ import annotations

import re

from zhibao.check.evidence import Sources
from zhibao.check.report import CheckReport, Failure
from zhibao.check.support import word_frequency
from zhibao.core.entities import organisations, persons
from zhibao.core.figures import compact

__all__ = ["check_names", "named", "org_found", "ungrounded_names"]

_BODIES = (
    "数据局", "网信办", "发展改革委", "委员会", "管理局", "统计局", "能源局", "监管局", "联合会",
    "总台", "集团", "公司", "协会", "部", "局", "委", "办", "院", "署",
)  # fmt: skip
# A word this common in jieba's dictionary is a word, not a person's name (李强 is 159).
_WORD_FREQUENCY = 300
_GENERIC = re.compile(r"某|^(?:有关|相关|各|多家|一些|部分|该)")


def _body(name: str) -> str:
    return next((b for b in _BODIES if name.endswith(b)), name[-1:])


def _generic(name: str) -> bool:
    body = _body(name)
    if _GENERIC.search(name):
        return True
    # 上市公司, 科技集团: a common word before 公司/集团 is a kind of firm, not a firm.
    return body in ("公司", "集团") and word_frequency(name[: -len(body)]) >= _WORD_FREQUENCY


def org_found(name: str, text: str) -> bool:
    if name in text:
        return True
    shortest = len(_body(name)) + 2
    return any(name[i:] in text for i in range(0, len(name) - shortest + 1))


def ungrounded_names(text: str, sources: Sources) -> list[tuple[str, str]]:
    """(kind, name) of each person or organisation in ``text`` that ``sources`` never name."""
    found = sources.text
    out: list[tuple[str, str]] = []
    for name in sorted(persons(text), key=text.find):
        if word_frequency(name) < _WORD_FREQUENCY and compact(name) not in found:
            out.append(("人物", name))
    for name in sorted(organisations(text), key=text.find):
        if not _generic(name) and not org_found(compact(name), found):
            out.append(("机构", name))
    return out


def check_names(
    report: CheckReport,
    where: str,
    text: str,
    sources: Sources,
    *,
    section: int | None = None,
    paragraph: int | None = None,
) -> None:
    if not sources.documents:
        return  # nothing stored to read: reported as such by the claims check
    for kind, name in ungrounded_names(text, sources):
        report.failures.append(
            Failure(
                where,
                name,
                f"{kind}未出现在所引用的文档中",
                sources.refs,
                section,
                paragraph,
            )
        )


def named(text: str) -> set[str]:
    """The people and (non-generic) organisations ``text`` names."""
    people = {p for p in persons(text) if word_frequency(p) < _WORD_FREQUENCY}
    return people | {o for o in organisations(text) if not _generic(o)}
