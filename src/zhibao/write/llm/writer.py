"""The LLM writer: sections in parallel by the model, under the checker; a section that reuses
another's wording is asked again; summary and judgment from the accepted sections and the trend
data, each part under the checker; references from stored metadata; a usage report.

    >>> writer = LLMWriter()                            # settings from llm.yaml / ZHIBAO_LLM_* / OPENAI_*
    >>> brief = writer.write_brief(analysis, context)   # context.store enables the response cache
    >>> [s.writer for s in brief.sections], writer.report_lines()[0]
    (['llm', 'llm', 'extractive', …], 'LLM 写作器：模型 deepseek-chat，6 节中 5 节由模型撰写…')
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from copy import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from zhibao.check import check_brief
from zhibao.config.llm import LLMSettings, load_llm_settings
from zhibao.core.figures import compact
from zhibao.core.model import Brief, Document, Event
from zhibao.write.base import EmptyWindowError, WriteContext, Writer, WrittenSection
from zhibao.write.extractive import ExtractiveWriter
from zhibao.write.llm.archive import Earlier, Trends
from zhibao.write.llm.client import ChatClient, LLMError, Usage
from zhibao.write.llm.sections import SectionOutcome, fallback, shared_phrases, write_section
from zhibao.write.llm.synthesis import SynthesisOutcome, write_synthesis
from zhibao.write.references import renumber
from zhibao.write.synthesis import assemble
from zhibao.write.untrusted import without_instructions

if TYPE_CHECKING:
    from zhibao.analyze import Analysis

__all__ = ["LLMWriter", "WriteReport"]


@dataclass
class WriteReport:
    """What the LLM writer did: per section who wrote it and why not the model, and the usage."""

    settings: LLMSettings
    usage: Usage | None = None
    outcomes: list[SectionOutcome] = field(default_factory=list)
    synthesis: SynthesisOutcome = field(default_factory=SynthesisOutcome)
    problem: str | None = None  # why the model could not be used at all
    judgment_title: str = "今日判断"  # the cadence's name of the closing judgment
    whole_brief: bool = True  # False: one section for the desk, no summary or judgment

    @property
    def fallbacks(self) -> int:
        return sum(o.writer != "llm" for o in self.outcomes)

    def _synthesis_line(self) -> str:
        who = {"llm": "模型", "extractive": "抽取式规则"}
        s = self.synthesis
        if s.summary == s.judgment:
            line = f"摘要与{self.judgment_title}：由{who[s.summary]}撰写"
        else:
            line = f"摘要：由{who[s.summary]}撰写；{self.judgment_title}：由{who[s.judgment]}撰写"
        if "extractive" in (s.summary, s.judgment) and s.findings:
            line += f"（模型的文本未通过核验：{s.findings[-1]}）"
        return line

    def lines(self) -> list[str]:
        total = len(self.outcomes)
        by_model = total - self.fallbacks
        model = self.settings.model or "（未配置）"
        out = [f"LLM 写作器：模型 {model}，{total} 节中 {by_model} 节由模型撰写并通过核验"]
        all_down = bool(self.problem) or (total and all(o.unavailable for o in self.outcomes))
        if all_down:
            why = self.problem or next(o.findings[-1] for o in self.outcomes if o.findings)
            out.append(
                f"模型不可用（{why}）：全部 {total} 节已回退为抽取式文本并标记待编辑复核 (needs_review)"
            )
        for number, outcome in enumerate(self.outcomes, start=1):
            if all_down:
                break  # one line above says it for every section
            if outcome.writer == "llm":
                if outcome.attempts > 1:
                    out.append(f"  第 {number} 节：第二次回答通过核验（第一次未通过）")
                continue
            reason = outcome.findings[-1] if outcome.findings else "模型未给出可用回答"
            out.append(f"  第 {number} 节：回退为抽取式并标记待复核 (needs_review)：{reason}")
        if self.whole_brief:
            out.append(self._synthesis_line())
        if self.usage is not None:
            u = self.usage
            cost = u.cost(self.settings)
            money = (
                f"估算费用 {cost:.4f} {self.settings.currency}"
                if cost is not None
                else "未配置价格表，费用未估算（llm.yaml 的 prices）"
            )
            out.append(
                f"用量：调用 {u.calls} 次（缓存命中 {u.cached} 次，重试 {u.retries} 次，失败 {u.failures} 次），"
                f"输入 {u.tokens_in} tokens，输出 {u.tokens_out} tokens，预算 {u.budget}；{money}"
            )
        return out


class LLMWriter(Writer):
    """Writer ``llm``: any OpenAI-compatible model, checked section by section."""

    name = "llm"

    def __init__(self, settings: LLMSettings | None = None):
        self.settings = settings
        self.report: WriteReport | None = None  # what the last call did

    def report_lines(self) -> list[str]:
        return self.report.lines() if self.report is not None else []

    def write_brief(self, analysis: Analysis, context: WriteContext) -> Brief:
        if analysis.empty:
            raise EmptyWindowError(f"{analysis.brief_date} 之前的时间窗口内没有与主题相关的新动态")
        report, client = self._start(context)
        events = list(analysis.selected)
        earlier = Trends.earlier_counts(context)  # the trend window, read once
        extractive = ExtractiveWriter()
        if client is None:
            outcomes = [self._unavailable(e, context, extractive, report) for e in events]
        else:
            with ThreadPoolExecutor(max_workers=report.settings.concurrency) as pool:
                outcomes = list(
                    pool.map(
                        lambda e: write_section(e, context, client, extractive, earlier=earlier),
                        events,
                    )
                )
        if client is not None:
            outcomes = self._without_repeats(events, outcomes, context, client, extractive, earlier)
            outcomes = self._checked_together(events, outcomes, context, analysis, extractive)
        report.outcomes = outcomes
        brief, evidence = self._assemble(outcomes, context, analysis)
        if client is not None and any(o.writer == "llm" for o in outcomes):
            drafts = [o.draft for o in outcomes]
            trends = Trends.of(drafts, context, reserve=len(analysis.candidates), earlier=earlier)
            brief, report.synthesis = write_synthesis(brief, evidence, trends, context, client)
        return brief

    def write_section(self, event: Event, context: WriteContext) -> WrittenSection:
        """One section by the model (the desk's "regenerate"), or the flagged extractive one."""
        report, client = self._start(context)
        report.whole_brief = False
        extractive = ExtractiveWriter()
        if client is None:
            outcome = self._unavailable(event, context, extractive, report)
        else:
            outcome = write_section(event, context, client, extractive)
        report.outcomes = [outcome]
        return WrittenSection(outcome.section, outcome.book.references())

    # ------------------------------------------------------------------ parts

    def _start(self, context: WriteContext) -> tuple[WriteReport, ChatClient | None]:
        """A fresh report and the client of this call (None: the model cannot be used)."""
        settings = self.settings or load_llm_settings()
        report = self.report = WriteReport(
            settings, judgment_title=context.profile.cadence.judgment_title
        )
        cache = context.store.response_cache() if context.store is not None else None
        try:
            client = ChatClient(settings, cache=cache)
        except LLMError as exc:
            report.problem = str(exc)
            return report, None
        report.usage = client.usage
        return report, client

    def _unavailable(
        self, event: Event, context: WriteContext, extractive: ExtractiveWriter, report: WriteReport
    ) -> SectionOutcome:
        return fallback(event, context, extractive, [report.problem or ""], unavailable=True)

    def _assemble(
        self, outcomes: list[SectionOutcome], context: WriteContext, analysis: Analysis
    ) -> tuple[Brief, dict[int, Document]]:
        """The brief of these sections (extractive summary and judgment), and what each of its
        references grounds: the stored document without instruction passages."""
        # Merge the sections' reference books in section order, then number by first citation.
        book = context.reference_book()
        sections = []
        for outcome in outcomes:
            mapping = book.merge(outcome.book)
            sections.append(
                outcome.section.model_copy(
                    update={
                        "paragraphs": [
                            p.model_copy(update={"citations": [mapping[c] for c in p.citations]})
                            for p in outcome.section.paragraphs
                        ]
                    }
                )
            )
        documents = book.documents()
        # ``renumber`` numbers references by first citation; the same walk maps them back.
        first_cited = [c for s in sections for p in s.paragraphs for c in p.citations]
        old_ids = list(dict.fromkeys(first_cited))
        sections, references = renumber(sections, book.references())
        # ``assemble`` renumbers the drafts it is given: copies, so that outcomes keep their own.
        drafts = [copy(o.draft) for o in outcomes]
        brief = assemble(drafts, sections, references, context, analysis)
        evidence = {
            number: without_instructions(documents[old]) for number, old in enumerate(old_ids, 1)
        }
        return brief, evidence

    def _checked_together(
        self,
        events: list[Event],
        outcomes: list[SectionOutcome],
        context: WriteContext,
        analysis: Analysis,
        extractive: ExtractiveWriter,
    ) -> list[SectionOutcome]:
        """What only the whole brief shows (a heading that tells another section's event better
        than its own): each model-written section the brief check fails falls back."""
        brief, evidence = self._assemble(outcomes, context, analysis)
        report = check_brief(brief, evidence, profile=context.profile)
        out = []
        for number, (event, outcome) in enumerate(zip(events, outcomes, strict=True), start=1):
            findings = [f.line() for f in report.failures if f.section == number]
            if outcome.writer == "llm" and findings:
                outcome = fallback(event, context, extractive, findings, outcome.attempts)
            out.append(outcome)
        return out

    def _without_repeats(
        self,
        events: list[Event],
        outcomes: list[SectionOutcome],
        context: WriteContext,
        client: ChatClient,
        extractive: ExtractiveWriter,
        earlier: Earlier,
    ) -> list[SectionOutcome]:
        """Each model-written section that reuses wording of an earlier section (a phrase its own
        sources do not contain) is written once more with those phrases forbidden."""
        out: list[SectionOutcome] = []
        for event, outcome in zip(events, outcomes, strict=True):
            if outcome.writer == "llm":
                own = compact(
                    "\n".join(f"{d.title}\n{d.text}" for d in outcome.book.documents().values())
                )
                phrases = shared_phrases(outcome.section, [o.section for o in out], own)
                if phrases:
                    again = write_section(
                        event, context, client, extractive, avoid=phrases, earlier=earlier
                    )
                    again.attempts += outcome.attempts
                    outcome = again
            out.append(outcome)
        return out
