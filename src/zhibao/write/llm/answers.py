"""What the model must answer, as pydantic models; anything else is a finding to send back.

A section answer names, for every paragraph, the snippet ids it rests on (``S1`` …) and, for
every cited snippet, what it was used for. Ids are checked against the snippets actually shown;
with ``length`` (the profile's ``LengthBudget``) the heading and paragraphs are held to its
upper bounds. What they say is the checker's business (``sections``).

    >>> parse_answer(SectionAnswer, '{"heading": …}', ids={"S1", "S2"}, length=profile.length)
    SectionAnswer(heading='…', fact=…, analysis=[…], sources=[…])

A synthesis answer is the summary's main line, one clause per section and the judgment; which
of its parts are kept is decided in ``synthesis`` (each part can fall back on its own).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Annotated, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from zhibao.core.errors import format_validation_error
from zhibao.core.figures import find_figures

if TYPE_CHECKING:
    from zhibao.config import LengthBudget

__all__ = [
    "AnswerError",
    "ParagraphAnswer",
    "SectionAnswer",
    "SourceUse",
    "SummaryLine",
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


def _within(value: str, part: str, name: str, info: ValidationInfo) -> str:
    """``value`` unless it is longer than the budget's ``part`` allows (no budget: unchecked)."""
    length = (info.context or {}).get("length")
    if length is not None and len(value) > (high := getattr(length, part).max):
        raise ValueError(
            f"{name}共 {len(value)} 字，超过上限 {high} 字；请删去次要内容，不要换种说法凑回来"
        )
    return value


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
    def _event_and_implication(cls, value: str, info: ValidationInfo) -> str:
        value = value.strip().rstrip("。")
        if any(mark in value for mark in "？！?!\n"):
            raise ValueError("标题是陈述句：事件句，含义句；不用问号、感叹号，不换行")
        if value.count("，") > 1:
            raise ValueError("标题只有事件句和含义句两部分，中间一个中文逗号“，”")
        return _within(value, "heading", "标题", info)

    @field_validator("fact")
    @classmethod
    def _lead_first(cls, value: ParagraphAnswer, info: ValidationInfo) -> ParagraphAnswer:
        if (info.context or {}).get("ids") and "S1" not in value.snippets:
            raise ValueError("事实段必须引用 S1（主要来源）")
        _within(value.text.strip(), "fact", "事实段", info)
        return value

    @field_validator("analysis")
    @classmethod
    def _analysis_budget(
        cls, values: list[ParagraphAnswer], info: ValidationInfo
    ) -> list[ParagraphAnswer]:
        for value in values:
            _within(value.text.strip(), "analysis", "分析段", info)
        return values

    @model_validator(mode="after")
    def _section_budget(self, info: ValidationInfo) -> SectionAnswer:
        _within(self.text(), "section", "全节（事实段与分析段合计）", info)
        return self

    def text(self) -> str:
        return "".join(p.text.strip() for p in [self.fact, *self.analysis])

    def cited(self) -> list[str]:
        ids = list(self.fact.snippets)
        for paragraph in self.analysis:
            ids += paragraph.snippets
        return sorted(dict.fromkeys(ids), key=_order)

    def purposes(self) -> dict[str, str]:
        return {use.snippet: use.purpose.strip() for use in self.sources}


class SummaryLine(_Answer):
    """The summary's clause for one section (``section`` counts from 1)."""

    section: Annotated[int, Field(ge=1, le=30)]
    text: Annotated[str, Field(min_length=4, max_length=200)]


class SynthesisAnswer(_Answer):
    """摘要 (a main line, then one clause per section) and 今日判断 (本周判断 …), written from
    the accepted sections and the trend data."""

    main_line: Annotated[str, Field(min_length=6, max_length=200)]
    lines: list[SummaryLine] = Field(min_length=1, max_length=30)
    judgment_title: Annotated[str, Field(min_length=4, max_length=40)]
    judgment: list[Annotated[str, Field(min_length=20, max_length=900)]] = Field(
        min_length=1, max_length=3
    )

    @property
    def summary(self) -> str:
        """The main line as a sentence, then the sections' clauses joined by ；."""
        head = self.main_line.strip().rstrip("。；;，,") + "。"
        clauses = [line.text.strip().rstrip("。；;，,") for line in self.lines]
        return head + "；".join(c for c in clauses if c) + "。"

    @property
    def judgment_text(self) -> str:
        return "\n\n".join(p.strip() for p in self.judgment)

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
    model: type[M],
    text: str,
    *,
    ids: set[str] | None = None,
    judgment_title: str | None = None,
    length: LengthBudget | None = None,
) -> M:
    """Parse the model's JSON text into ``model``; raise ``AnswerError`` with Chinese findings.

    ``ids``: the snippet ids shown to the model; ``judgment_title``: the cadence's name of the
    judgment (今日判断), which the title phrase must not repeat; ``length``: the budget whose
    upper bounds a section's heading and paragraphs must keep."""
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
        answer = model.model_validate(
            data, context={"ids": ids, "judgment_title": judgment_title, "length": length}
        )
    except ValidationError as exc:
        raise AnswerError(format_validation_error(exc, origin="回答").splitlines()) from None
    if isinstance(answer, SectionAnswer):
        missing = [s for s in answer.cited() if s not in answer.purposes()]
        if missing:
            raise AnswerError([f"sources 中缺少这些被引用片段的用途说明：{', '.join(missing)}"])
    return answer
