"""Warnings, never failures: parts past the length budget, filler repeated across sections."""

from __future__ import annotations

import re

from zhibao.check.report import JUDGMENT, SUMMARY, CheckReport, Failure, section_part
from zhibao.config import LengthBudget, Span
from zhibao.core.entities import organisations, persons
from zhibao.core.figures import find_figures, find_quotes, find_titles
from zhibao.core.model import Brief

__all__ = ["FILLER_MIN", "FILLER_SECTIONS", "check_filler", "check_length", "length"]

FILLER_MIN = 6  # characters of a repeated phrase
FILLER_SECTIONS = 3  # sections it must recur in
# Sentence frames whose middle changes (对新质生产力而言, 对地方政府而言).
_FRAMES = {
    "对…而言": re.compile(r"对[^，。；、]{1,12}而言"),
    "从…来看": re.compile(r"从[^，。；、]{1,12}来看"),
}
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_END = re.compile(r"[。；！？]")


def length(text: str) -> int:
    """Characters as the budget counts them: everything but whitespace."""
    return len(re.sub(r"\s", "", text))


def _span(report: CheckReport, where: str, what: str, text: str, span: Span, **place) -> None:
    n = length(text)
    if n > span.max:
        why = f"{what}共 {n} 字，超出篇幅上限 {span.max} 字"
    elif n < span.min:
        why = f"{what}共 {n} 字，短于篇幅下限 {span.min} 字"
    else:
        return
    report.warnings.append(Failure(where, "", why, **place))


def check_length(report: CheckReport, brief: Brief, budget: LengthBudget) -> None:
    _span(report, SUMMARY, "摘要", brief.summary, budget.summary)
    _span(report, JUDGMENT, "判断正文", brief.judgment.text, budget.judgment)
    body = length(brief.summary) + length(brief.judgment.text)
    kinds = {"fact": ("事实段", budget.fact), "analysis": ("分析段", budget.analysis)}
    for number, section in enumerate(brief.sections, start=1):
        where = section_part(number)
        _span(report, where, "标题", section.heading, budget.heading, section=number, paragraph=0)
        for index, paragraph in enumerate(section.paragraphs, start=1):
            what, span = kinds[paragraph.kind]
            _span(report, where, what, paragraph.text, span, section=number, paragraph=index)
        text = "".join(p.text for p in section.paragraphs)
        _span(report, where, "本节正文", text, budget.section, section=number)
        body += length(text)
    brief_span = budget.brief
    if body > brief_span.max or body < brief_span.min:
        limit = (
            f"超出篇幅上限 {brief_span.max}"
            if body > brief_span.max
            else f"短于下限 {brief_span.min}"
        )
        report.warnings.append(Failure("全文", "", f"摘要、各节与判断共 {body} 字，{limit} 字"))


def _content(phrase: str) -> str:
    """What is left of a phrase without its names, figures, titles and quotations."""
    cut = [f.text for f in find_figures(phrase) + find_titles(phrase) + find_quotes(phrase)]
    cut += sorted(persons(phrase) | organisations(phrase), key=len, reverse=True)
    for piece in cut:
        phrase = phrase.replace(piece, "")
    return "".join(_HAN.findall(phrase))


def repeated_phrases(texts: list[str]) -> list[tuple[str, int]]:
    """Longest phrases (≥ ``FILLER_MIN`` characters) found in ≥ ``FILLER_SECTIONS`` of ``texts``."""

    def spread(phrase: str) -> int:
        return sum(phrase in t for t in texts)

    found: dict[str, int] = {}
    for text in texts:
        for start in range(len(text) - FILLER_MIN + 1):
            end = start + FILLER_MIN
            if spread(text[start:end]) < FILLER_SECTIONS:
                continue
            while end < len(text) and spread(text[start : end + 1]) >= FILLER_SECTIONS:
                end += 1
            phrase = text[start:end]
            found.setdefault(phrase, spread(phrase))
    # A phrase is reported sentence by sentence (not "也作了报道。刘烈宏").
    parts: dict[str, int] = {}
    for phrase in found:
        for part in _SENTENCE_END.split(phrase):
            part = part.strip("，、：")
            if len(part) >= FILLER_MIN and (n := spread(part)) >= FILLER_SECTIONS:
                parts[part] = n
    longest = [p for p in parts if not any(p != q and p in q for q in parts)]
    return [(p, parts[p]) for p in longest]


def check_filler(report: CheckReport, brief: Brief) -> None:
    by_section = ["".join("".join(p.text.split()) for p in s.paragraphs) for s in brief.sections]
    for phrase, sections in repeated_phrases(by_section):
        # A post and a name (局长刘烈宏) is how a person is named, not filler.
        if not persons(phrase) and len(_content(phrase)) >= 5:
            report.warnings.append(
                Failure(
                    "全文", phrase, f"在 {sections} 节中重复出现，像是套话，请换成这一节自己的说法"
                )
            )
    for name, frame in _FRAMES.items():
        sections = sum(1 for t in by_section if frame.search(t))
        if sections >= FILLER_SECTIONS:
            report.warnings.append(
                Failure("全文", name, f"这一句式在 {sections} 节中反复使用，像是套话")
            )
