"""摘要 and 今日判断 by the model, each part kept only if it passes; else the extractive part.

The model gets the accepted sections and the trend data (``archive.Trends``: sections per
theme today and in the earlier briefs, continuing stories, the reserve) and answers with a
main line, one clause per section and the judgment. Each part is held to:

- the checker (``check_brief``: every figure, date, title, quote and name in a referenced
  document; every event it tells told by a section; counts of sections and themes as they are);
- the length budget's upper bound (``profile.length.summary`` / ``.judgment``);
- counts: a count of lines, sections, briefs or themes (``六条``, ``两期``, ``三个方向``) must be
  one the trend data states, or stand as written in the sections' own text;
- the summary: exactly one clause per section, in order.

A failing answer is sent back once with the findings; after that, the summary and the judgment
fall back to the extractive ones independently (a good judgment is kept beside a refused summary).

    >>> brief = write_synthesis(brief, evidence, trends, context, client, report)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import cn2an

from zhibao.check import JUDGMENT, SUMMARY, check_brief
from zhibao.core.figures import compact
from zhibao.core.model import Brief, Document, Judgment
from zhibao.write.llm.answers import AnswerError, SynthesisAnswer, parse_answer
from zhibao.write.llm.client import LLMError
from zhibao.write.llm.prompts import retry_message, synthesis_messages

if TYPE_CHECKING:
    from collections.abc import Mapping

    from zhibao.write.base import WriteContext
    from zhibao.write.llm.archive import Trends
    from zhibao.write.llm.client import ChatClient

__all__ = ["SynthesisOutcome", "count_claims", "write_synthesis"]

_SCHEMA = SynthesisAnswer.model_json_schema()
# A count of the brief's own material: 四条 / 两期 / 三节 / 三个方向 (not 第三节, not 一体化).
_COUNT = re.compile(
    r"(?<![第\d零〇一二两三四五六七八九十百])([零〇一二两三四五六七八九十百]+|\d+)\s*"
    r"(?=条|节|期|项|个(?:方向|主题|领域|事件|板块|线索))"
)


@dataclass
class SynthesisOutcome:
    """Who wrote each part, and why the model's part was refused."""

    summary: str = "extractive"
    judgment: str = "extractive"
    findings: list[str] = field(default_factory=list)


def count_claims(text: str) -> list[tuple[str, int]]:
    """Counts in ``text`` as (as written, value): ``[('六', 6)]`` for ``今天的六条动态``."""
    out = []
    for match in _COUNT.finditer(text):
        written = match.group(1)
        try:
            value = int(written) if written.isdigit() else int(cn2an.cn2an(written, "smart"))
        except (ValueError, KeyError):
            continue
        out.append((written, value))
    return out


def _counts(where: str, text: str, trends: Trends, body: str, reported: list[str]) -> list[str]:
    """Counts of ``text`` that the trend data does not state (``reported``: the checker's
    findings, whose count of sections is not repeated here)."""
    allowed = trends.allowed_counts()
    findings = []
    for written, value in count_claims(text):
        if value < 2 or value in allowed:
            continue
        # A figure of the sections' own facts (六项专项行动) is not a count of the brief's lines.
        at = text.find(written)
        phrase = text[at : at + len(written) + 1]
        if compact(phrase) in body or any(f"「{phrase}" in line for line in reported):
            continue
        findings.append(
            f"{where}：「{phrase}」与数据不符：本期共 {trends.sections} 节；"
            "条数、节数、期数只能用给出的数据"
        )
    return findings


def _summary_findings(answer: SynthesisAnswer, brief: Brief, context: WriteContext) -> list[str]:
    findings = []
    numbers = [line.section for line in answer.lines]
    expected = list(range(1, len(brief.sections) + 1))
    if numbers != expected:
        findings.append(
            f"{SUMMARY}：lines 应按顺序为每一节各写一个分句（section 依次为 "
            f"{', '.join(map(str, expected))}），回答给的是 {', '.join(map(str, numbers)) or '空'}"
        )
    high = context.profile.length.summary.max
    if len(answer.summary) > high:
        findings.append(f"{SUMMARY}：共 {len(answer.summary)} 字，超过上限 {high} 字")
    return findings


def _judgment_findings(answer: SynthesisAnswer, context: WriteContext) -> list[str]:
    high = context.profile.length.judgment.max
    text = answer.judgment_text
    if len(text) > high:
        return [f"{JUDGMENT}：正文共 {len(text)} 字，超过上限 {high} 字"]
    return []


def write_synthesis(
    brief: Brief,
    evidence: Mapping[int, Document | None],
    trends: Trends,
    context: WriteContext,
    client: ChatClient,
) -> tuple[Brief, SynthesisOutcome]:
    """``brief`` with the model's summary and judgment where they pass, its own otherwise."""
    outcome = SynthesisOutcome()
    judgment_title = context.profile.cadence.judgment_title
    messages = synthesis_messages(brief.sections, trends, context)
    body = compact("\n".join(p.text for s in brief.sections for p in s.paragraphs))
    summary: str | None = None
    judgment: Judgment | None = None
    for attempt in (1, 2):
        try:
            reply = client.complete(messages, schema=_SCHEMA, name="synthesis")
        except LLMError as exc:
            outcome.findings = [str(exc)]
            break
        try:
            answer = parse_answer(SynthesisAnswer, reply.content, judgment_title=judgment_title)
        except AnswerError as exc:
            findings = exc.findings
        else:
            client.keep(reply)
            candidate = Judgment(
                title=f"{judgment_title}：{answer.judgment_title}", text=answer.judgment_text
            )
            checked = check_brief(
                brief.model_copy(update={"summary": answer.summary, "judgment": candidate}),
                evidence,
                profile=context.profile,
            )
            failures = {
                part: [f.line() for f in checked.failures if f.where == part]
                for part in (SUMMARY, JUDGMENT)
            }
            summary_findings = failures[SUMMARY] + _summary_findings(answer, brief, context)
            summary_findings += _counts(SUMMARY, answer.summary, trends, body, failures[SUMMARY])
            judgment_findings = failures[JUDGMENT] + _judgment_findings(answer, context)
            judgment_findings += _counts(
                JUDGMENT, answer.judgment_text, trends, body, failures[JUDGMENT]
            )
            if summary is None and not summary_findings:
                summary = answer.summary
            if judgment is None and not judgment_findings:
                judgment = candidate
            # Only the parts still missing are sent back (and reported).
            findings = (summary_findings if summary is None else []) + (
                judgment_findings if judgment is None else []
            )
        outcome.findings = findings
        if summary is not None and judgment is not None:
            outcome.findings = []
            break
        if attempt == 1:
            messages = [
                *messages,
                {"role": "assistant", "content": reply.content},
                retry_message(findings, []),
            ]
    update: dict = {}
    if summary is not None:
        update["summary"] = summary
        outcome.summary = "llm"
    if judgment is not None:
        update["judgment"] = judgment
        outcome.judgment = "llm"
    return brief.model_copy(update=update), outcome
