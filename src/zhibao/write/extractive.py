"""The extractive writer: every sentence of the body comes from a stored source.

Per section (``write_section``):

- heading — an event clause from the strongest headline of the event that is short enough,
  and an implication clause: the second half of another outlet's headline (``… 赛道扩容激励
  加码``) or a cue clause of the lead (旨在 / 目的是 / 明确 / 提出 / 首次 / 标志着 …);
- fact paragraph — the lead's opening sentences with when / who / what and its figures,
  compressed (据悉 / 记者从…获悉 / datelines dropped, dates spaced as ``5 月 23 日``), plus
  one sentence of a corroborating outlet when it adds a figure the lead lacks, and the list of
  outlets that reported the event;
- analysis paragraph — the sources' own purpose and significance sentences (表示 / 指出 /
  旨在 / 意味着 / 下一步 …), later follow-ups of another kind (专家解读, 发布会) framed as
  继续…, and older related documents from the archive framed as 此前…, each honestly dated.

The summary and the closing judgment are assembled in ``synthesis``.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from zhibao.analyze import Analysis, document_kinds
from zhibao.core.figures import compact, find_figures
from zhibao.core.model import Brief, Document, Event, Paragraph, Section
from zhibao.core.time import local_date
from zhibao.write.base import EmptyWindowError, SectionDraft, WriteContext, Writer, WrittenSection
from zhibao.write.references import ReferenceBook, renumber
from zhibao.write.synthesis import assemble
from zhibao.write.text import (
    ANALYSIS_CUES,
    EVENT_CUES,
    clauses,
    compress,
    event_day,
    is_analysis,
    is_closing_line,
    prose_date,
    split_sentences,
    title_parts,
)
from zhibao.write.untrusted import strip_instructions

__all__ = ["ExtractiveWriter"]

_FACT_TARGET = 170  # characters of lead text in the fact paragraph, roughly
_FACT_SENTENCES = 3
_EVENT_CLAUSE = (6, 28)
_IMPLICATION = (4, 26)
_HEADING_MAX = 40  # a heading is read at a glance
_MAX_CORROBORATION = 2
_MAX_BACKGROUND = 1


class ExtractiveWriter(Writer):
    """Offline writer: selects, compresses and arranges source sentences; invents nothing."""

    name = "extractive"

    def write_brief(self, analysis: Analysis, context: WriteContext) -> Brief:
        if analysis.empty:
            raise EmptyWindowError(
                f"{analysis.brief_date} 之前的时间窗口内没有与主题相关的新动态，不生成简报"
                "（no relevant documents in the window）；请先采集或导入文档（zhibao collect / zhibao import）"
            )
        book = context.reference_book()
        drafts = [self.draft(event, context, book) for event in analysis.selected]
        sections, references = renumber([d.section for d in drafts], book.references())
        return assemble(drafts, sections, references, context, analysis)

    def write_section(self, event: Event, context: WriteContext) -> WrittenSection:
        book = context.reference_book()
        section = self.draft(event, context, book).section
        return WrittenSection(section, book.references())

    def draft(self, event: Event, context: WriteContext, book: ReferenceBook) -> SectionDraft:
        """One event → one section, citing into ``book`` (the llm writer's fallback too)."""
        return _SectionWriter(context, book, self.name).draft(event)


class _SectionWriter:
    """The extractive section of one event, for one brief's context and reference book."""

    def __init__(self, context: WriteContext, book: ReferenceBook, writer: str):
        self.context = context
        self.book = book
        self.writer = writer
        self.org = context.org

    def draft(self, event: Event) -> SectionDraft:
        lead = event.lead_document
        org = self.org(lead)
        clause, implication = self.heading(event, org)
        heading = f"{clause}，{implication}" if implication else clause
        lead_id = self.book.cite(lead, "lead", _what(clause))
        facts, used = self.facts(event, org, lead_id)
        analysis = self.analysis(event, lead_id, used)
        section = Section(
            heading=heading,
            paragraphs=[facts, analysis],
            event_id=event.id,
            writer=self.writer,
        )
        return SectionDraft(event, section, org, event_day(lead, facts.text), clause)

    def heading(self, event: Event, org: str) -> tuple[str, str | None]:
        lead = event.lead_document
        titles = [event.focus or lead.title] + [d.title for d in event.documents[1:]]
        parts = [[p for p in title_parts(t) if not _is_org(p, org)] for t in titles]
        firsts = [p[0] for p in parts if p]
        low, high = _EVENT_CLAUSE
        clause = next(
            (f for f in firsts if low <= len(f) <= high), firsts[0] if firsts else lead.title
        )
        candidates = [p for ps in parts for p in ps[1:]]
        candidates += _cue_clauses(lead, self.context.profile.name)
        low, high = _IMPLICATION
        for candidate in candidates:
            if not low <= len(candidate) <= high or candidate in clause:
                continue
            if len(clause) + len(candidate) > _HEADING_MAX:
                continue
            if fuzz.partial_ratio(compact(candidate), compact(clause)) >= 70:
                continue
            return clause, candidate
        return clause, None

    def facts(self, event: Event, org: str, lead_id: int) -> tuple[Paragraph, set[str]]:
        lead = event.lead_document
        book = self.book
        sentences = _sentences(lead)
        chosen: list[str] = []
        for sentence in sentences:
            if not chosen:
                chosen.append(sentence)
                continue
            size = sum(map(len, chosen))
            if len(chosen) >= _FACT_SENTENCES or size >= _FACT_TARGET:
                break
            if is_analysis(sentence) and size >= 40:
                continue
            if _has_figure(sentence) or any(c in sentence for c in EVENT_CUES) or size < 90:
                chosen.append(sentence)
        used = set(chosen)
        text = "".join(chosen)
        if not _has_date(chosen[0]) and (day := local_date(lead)):
            text = f"据{org} {prose_date(day)}消息，{text}"
        citations = [lead_id]
        # One sentence of another outlet that adds a figure the lead does not have.
        lead_text = compact(f"{lead.title}\n{lead.text}")
        for other in self._others(event):
            extra = next(
                (
                    s
                    for s in _sentences(other)
                    if not is_analysis(s)
                    and any(f.key not in lead_text and f.text not in lead_text for f in _numbers(s))
                ),
                None,
            )
            if extra:
                number = book.cite(other, "corroboration", "补充数据")
                text += f"{self.org(other)}报道，{extra}"
                citations.append(number)
                break
        outlets = self._others(event)[:_MAX_CORROBORATION]
        names = list(dict.fromkeys(self.org(d) for d in outlets if self.org(d) != org))
        if names:
            for other in outlets:
                citations.append(
                    book.cite(other, "corroboration", f"{self.org(other)}对同一事件的报道")
                )
            text += f"{'、'.join(names)}{'等' if len(names) > 2 else ''}也作了报道。"
        return Paragraph(kind="fact", text=text, citations=list(dict.fromkeys(citations))), used

    def analysis(self, event: Event, lead_id: int, used: set[str]) -> Paragraph:
        lead = event.lead_document
        book = self.book
        parts: list[str] = []
        citations: list[int] = []
        if event.continuing:
            period = self.context.wording.period
            parts.append(
                f"此事近期已有报道，{period}的新进展在于" + "、".join(_developments(event)) + "。"
            )
        significance = [s for s in _sentences(lead) if s not in used and is_analysis(s)]
        significance.sort(key=lambda s: -sum(cue in s for cue in ANALYSIS_CUES))
        picked = [s for s in _sentences(lead) if s in significance[:2]]
        if picked:
            parts.append("".join(picked))
            citations.append(lead_id)
        follow_ups = self._follow_ups(event)
        for document in follow_ups:
            citations.append(book.cite(document, "corroboration", "后续解读与进展"))
        if follow_ups:
            first = follow_ups[0]
            days = "、".join(dict.fromkeys(prose_date(local_date(d)) for d in follow_ups))
            kinds = set().union(*(document_kinds(d.title) for d in follow_ups))
            if "专家解读" in kinds:
                kinds.discard("解读")
            kinds = "、".join(sorted(kinds))
            titles = "".join(_quoted(" ".join(title_parts(d.title)) or d.title) for d in follow_ups)
            parts.append(f"此后，{self.org(first)}于 {days}继续刊发{kinds or '相关报道'}{titles}。")
            if not picked:
                extra = next((s for s in _sentences(first) if is_analysis(s)), None)
                if extra:
                    parts.append(extra)
        background = [d for d in event.background if book.citable(d)][-_MAX_BACKGROUND:]
        for document in background:
            number = book.cite(
                document, "background", f"{prose_date(local_date(document))}的相关文件"
            )
            citations.append(number)
            parts.append(
                f"此前，{self.org(document)}已于 {local_date(document).year} 年 "
                f"{prose_date(local_date(document))}发布{_quoted(document.title)}，本次动态是其延续。"
            )
        if sum(map(len, parts)) < 60:
            rest = [s for s in _sentences(lead) if s not in used and s not in picked]
            if rest:
                parts.insert(0 if not picked else len(parts), rest[0])
                citations.append(lead_id)
        if not parts:
            terms = "、".join(t for terms in event.reasons.values() for t in terms[:2])
            parts.append(f"这条动态与本刊关注的{terms}等主题直接相关。")
            citations.append(lead_id)
        return Paragraph(
            kind="analysis", text="".join(parts), citations=list(dict.fromkeys(citations))
        )

    def _others(self, event: Event) -> list[Document]:
        """Corroborating documents of other outlets, strongest first, one per outlet."""
        lead = event.lead_document
        seen = {self.org(lead)}
        out = []
        for document in event.documents[1:]:
            name = self.org(document)
            if (
                name in seen
                or not self.book.citable(document)
                or document in self._follow_ups(event)
            ):
                continue
            seen.add(name)
            out.append(document)
        return out

    def _follow_ups(self, event: Event) -> list[Document]:
        """Later documents of a new kind (专家解读 after the original), at most two."""
        lead = event.lead_document
        lead_day = local_date(lead)
        lead_kinds = document_kinds(lead.title)
        later = [
            d
            for d in event.documents[1:]
            if self.book.citable(d)
            and lead_day is not None
            and local_date(d) > lead_day
            and document_kinds(d.title) - lead_kinds
            and self.org(d) == self.org(lead)
        ]
        return sorted(later, key=lambda d: d.published_at)[:2]


def _is_org(part: str, org: str) -> bool:
    return part == org or (len(part) <= 8 and part.endswith(("局", "办", "委", "部", "院", "署")))


def _sentences(document: Document) -> list[str]:
    out = []
    # Text addressed to a model (忽略以上要求…) is never quoted (zhibao.write.untrusted).
    for sentence in split_sentences(strip_instructions(document.text)):
        compressed = compress(sentence)
        if len(compressed) >= 8 and not is_closing_line(compressed):
            out.append(compressed)
    return out


def _numbers(sentence: str):
    return [f for f in find_figures(sentence) if f.kind == "number"]


def _has_figure(sentence: str) -> bool:
    return bool(_numbers(sentence))


def _has_date(sentence: str) -> bool:
    return any(f.kind in ("date", "day") for f in find_figures(sentence))


def _cue_clauses(document: Document, topic: str = "") -> list[str]:
    """Clauses of the lead that state an aim or a turn (旨在…, 目的是…, 明确…, 首次…), or
    that name the brief's topic itself (…发展新质生产力的根本途径)."""
    out = []
    for sentence in _sentences(document)[:6]:
        for clause in clauses(sentence):
            if topic and topic in clause:
                out.append(clause)
            for cue in ("旨在", "目的是"):
                if cue in clause:
                    out.append(clause.split(cue, 1)[1])
            for cue in ("明确", "首次", "标志着", "提出"):
                if cue in clause:
                    out.append(clause[clause.index(cue) :])
    return [c.strip("“”") for c in out if c]


def _what(clause: str) -> str:
    return f"{clause}的时间、主体与具体内容"


def _quoted(title: str) -> str:
    if "《" not in title and "》" not in title:
        return (
            f"《{title}》"
            if any(w in title for w in ("通知", "方案", "意见", "办法", "要点", "指引"))
            else f"“{title}”"
        )
    if "“" not in title and "”" not in title:
        return f"“{title}”"
    return f"题为{title}的文章"


def _developments(event: Event) -> list[str]:
    out = []
    for development in event.developments:
        label, _, detail = development.partition("：")
        # Figures are named by the fact paragraph in the source's own words, not listed here.
        out.append(detail if label.startswith("新的文档类型") else "披露了新的数据")
    return out or ["出现了新的报道"]
