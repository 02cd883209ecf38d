"""What the model must answer, as pydantic models; anything else is a finding to send back.

A section answer names, for every paragraph, the snippet ids it rests on (``S1`` …) and, for
every cited snippet, what it was used for. Ids are checked against the snippets actually shown.

    >>> parse_answer(SectionAnswer, '{"heading": …}', ids={"S1", "S2"})
    SectionAnswer(heading='…', fact=…, analysis=[…], sources=[…])
"""

from __future__ import annotations

import json
import re
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from zhibao.core.errors import format_validation_error
from zhibao.core.figures import find_figures

__all__ = [
    "AnswerError",
    "ParagraphAnswer",
    "SectionAnswer",
    "SourceUse",
    "SynthesisAnswer",
    "parse_answer",
]

SnippetId = Annotated[str, Field(pattern=r"^S\d{1,2}$")]
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


class AnswerError(ValueError):
    """The answer is not usable; ``findings`` are sent back to the model on the retry."""

    def __init__(self, findings: list[str]):
        super().__init__("; ".join(findings))
        self.findings = findings


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _known(value: str, info: ValidationInfo) -> str:
    ids = (info.context or {}).get("ids")
    if ids is not None and value not in ids:
        raise ValueError(f"片段编号 {value} 不存在；只能使用 {', '.join(sorted(ids, key=_order))}")
    return value


def _order(snippet_id: str) -> int:
    return int(snippet_id[1:])


class ParagraphAnswer(_Answer):
    text: Annotated[str, Field(min_length=20, max_length=900)]
    snippets: list[SnippetId] = Field(min_length=1, max_length=8)

    @field_validator("snippets")
    @classmethod
    def _ids(cls, values: list[str], info: ValidationInfo) -> list[str]:
        return [_known(v, info) for v in dict.fromkeys(values)]


class SourceUse(_Answer):
    snippet: SnippetId
    purpose: Annotated[str, Field(min_length=2, max_length=40)]

    @field_validator("snippet")
    @classmethod
    def _id(cls, value: str, info: ValidationInfo) -> str:
        return _known(value, info)


class SectionAnswer(_Answer):
    """One section: heading, a fact paragraph, one or two analysis paragraphs, sources used."""

    heading: Annotated[str, Field(min_length=8, max_length=60)]
    fact: ParagraphAnswer
    analysis: list[ParagraphAnswer] = Field(min_length=1, max_length=2)
    sources: list[SourceUse] = Field(min_length=1, max_length=8)

    @field_validator("heading")
    @classmethod
    def _two_clauses(cls, value: str) -> str:
        value = value.strip()
        if "，" not in value:
            raise ValueError("标题应由事件句和含义句组成，中间用中文逗号“，”连接")
        return value

    @field_validator("fact")
    @classmethod
    def _lead_first(cls, value: ParagraphAnswer, info: ValidationInfo) -> ParagraphAnswer:
        if (info.context or {}).get("ids") and "S1" not in value.snippets:
            raise ValueError("事实段必须引用 S1（主要来源）")
        return value

    def cited(self) -> list[str]:
        ids = list(self.fact.snippets)
        for paragraph in self.analysis:
            ids += paragraph.snippets
        return sorted(dict.fromkeys(ids), key=_order)

    def purposes(self) -> dict[str, str]:
        return {use.snippet: use.purpose.strip() for use in self.sources}


class SynthesisAnswer(_Answer):
    """摘要 and 今日判断 (本周判断 …), written from the accepted sections."""

    summary: Annotated[str, Field(min_length=120, max_length=450)]
    judgment_title: Annotated[str, Field(min_length=4, max_length=40)]
    judgment: list[Annotated[str, Field(min_length=20, max_length=600)]] = Field(
        min_length=1, max_length=3
    )

    @field_validator("judgment_title")
    @classmethod
    def _phrase(cls, value: str, info: ValidationInfo) -> str:
        title = (info.context or {}).get("judgment_title") or "今日判断"
        value = value.strip().removeprefix(f"{title}：").removeprefix(f"{title}:").strip()
        if find_figures(value):
            raise ValueError(f"{title}的标题只写一句概括，不要出现数字或日期")
        return value


M = TypeVar("M", bound=_Answer)


def parse_answer(
    model: type[M], text: str, *, ids: set[str] | None = None, judgment_title: str | None = None
) -> M:
    """Parse the model's JSON text into ``model``; raise ``AnswerError`` with Chinese findings.

    ``ids``: the snippet ids shown to the model; ``judgment_title``: the cadence's name of the
    judgment (今日判断), which the title phrase must not repeat."""
    raw = _FENCE.sub("", text.strip())
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise AnswerError(
            [f"回答不是合法的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）"]
        ) from None
    if not isinstance(data, dict):
        raise AnswerError(["回答的顶层应是 JSON 对象 {…}"])
    try:
        answer = model.model_validate(data, context={"ids": ids, "judgment_title": judgment_title})
    except ValidationError as exc:
        raise AnswerError(format_validation_error(exc, origin="回答").splitlines()) from None
    if isinstance(answer, SectionAnswer):
        missing = [s for s in answer.cited() if s not in answer.purposes()]
        if missing:
            raise AnswerError([f"sources 中缺少这些被引用片段的用途说明：{', '.join(missing)}"])
    return answer
