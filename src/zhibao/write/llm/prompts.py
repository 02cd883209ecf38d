"""The prompts: Chinese templates in ``zhibao/write/prompts/*.j2`` filled with numbered snippets.

A section's material becomes snippets ``S1`` … in a fixed order — the lead document, one report
per other outlet (corroboration), older related documents (``Event.background``), then the
sections of earlier briefs on the same story (``WriteContext.earlier``, see ``archive``) — each
between ``<<<片段 Sn｜role｜org｜date｜title>>>`` and ``<<<片段 Sn 结束>>>``. A citation of a
snippet becomes a reference to its stored document(s): an earlier brief's section cites the
documents that section cited. Source text cannot forge a delimiter: ``<<<`` / ``>>>`` inside it
are replaced by look-alike brackets. The house rules and the profile's length budget
(``profile.length``) are stated in the templates; the synthesis prompt adds the trend data
(``archive.Trends``) as one more delimited block. Prompts are deterministic (same material →
same text), which is what makes the response cache work.

    >>> snippets = section_snippets(event, context)
    >>> [(s.id, s.role) for s in snippets]
    [('S1', 'lead'), ('S2', 'corroboration'), ('S3', 'background'), ('S4', 'archive')]
    >>> messages = section_messages(event, snippets, context, settings)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from zhibao.core.model import Document, Event, Section
from zhibao.core.time import local_date
from zhibao.write.llm.archive import Earlier, Trends, cn_count, earlier_sections

if TYPE_CHECKING:
    from zhibao.config.llm import LLMSettings
    from zhibao.write import WriteContext

__all__ = [
    "PROMPTS_DIR",
    "Snippet",
    "retry_message",
    "section_messages",
    "section_snippets",
    "synthesis_messages",
]

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
MAX_CORROBORATION = 3
MAX_BACKGROUND = 2
SnippetRole = Literal["lead", "corroboration", "background", "archive"]
_ROLE_NAMES = {
    "lead": "主要来源",
    "corroboration": "佐证报道",
    "background": "背景文件",
    "archive": "往期简报",
}
_SECTION_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Snippet:
    """One numbered piece of material; citing it cites ``documents`` (lead first)."""

    id: str  # S1, S2, …
    role: SnippetRole
    documents: tuple[Document, ...]
    org: str
    day: date
    heading: str | None = None  # an earlier brief's section: its heading
    archived_text: str | None = None  # … and its paragraphs, shown instead of a document's text

    @property
    def document(self) -> Document:
        return self.documents[0]

    @property
    def role_name(self) -> str:
        return _ROLE_NAMES[self.role]

    @property
    def reference_role(self) -> Literal["lead", "corroboration", "background"]:
        """How a citation of this snippet is phrased in the references (用于核实/补充/背景)."""
        return "background" if self.role == "archive" else self.role

    @property
    def title(self) -> str:
        return _defuse(self.heading if self.heading is not None else self.document.title)

    def excerpt(self, limit: int) -> str:
        """The text, cut at a sentence end near ``limit`` characters."""
        raw = self.archived_text if self.archived_text is not None else self.document.text
        text = "\n".join(p.strip() for p in raw.split("\n") if p.strip())
        if len(text) > limit:
            cut = max(text.rfind(mark, 0, limit) for mark in "。！？\n")
            text = text[: cut + 1 if cut > limit // 2 else limit].rstrip() + "……（节选）"
        return _defuse(text)


def _defuse(text: str) -> str:
    return text.replace("<<<", "‹‹‹").replace(">>>", "›››")


def section_snippets(event: Event, context: WriteContext) -> list[Snippet]:
    """Snippets of one event: lead, one document per other outlet, background, earlier briefs."""
    org_of = context.org
    citable = context.reference_book().citable
    lead = event.lead_document
    chosen: list[tuple[SnippetRole, Document]] = [("lead", lead)]
    seen_urls = {lead.canonical_url}
    seen_orgs = {org_of(lead)}
    for document in event.documents:
        if len([r for r, _ in chosen if r == "corroboration"]) >= MAX_CORROBORATION:
            break
        org = org_of(document)
        if document.canonical_url in seen_urls or not citable(document):
            continue
        # Same outlet again: only a later follow-up (专家解读 after the original), not a twin.
        later = (
            document.published_at
            and lead.published_at
            and document.published_at > lead.published_at
        )
        if org in seen_orgs and not later:
            continue
        seen_urls.add(document.canonical_url)
        seen_orgs.add(org)
        chosen.append(("corroboration", document))
    background = [d for d in event.background if citable(d) and d.canonical_url not in seen_urls]
    background = background[-MAX_BACKGROUND:]
    if len(background) < MAX_BACKGROUND:
        # Older stored documents on the same story that analysis did not attach to the event:
        # the archive the extractive writer's 此前… sentences are drawn from (``context.history``).
        background += _related(event, context, {*seen_urls, *(d.canonical_url for d in background)})
    chosen += [("background", d) for d in background[:MAX_BACKGROUND]]
    snippets = [
        Snippet(f"S{i}", role, (document,), org_of(document), local_date(document))
        for i, (role, document) in enumerate(chosen, start=1)
    ]
    brand = context.brand.report_title
    for earlier in earlier_sections(event, context):
        documents = tuple(d for d in earlier.documents if citable(d))
        if documents:
            snippets.append(
                Snippet(
                    f"S{len(snippets) + 1}",
                    "archive",
                    documents,
                    brand,
                    earlier.brief_date,
                    heading=earlier.heading,
                    archived_text=earlier.text,
                )
            )
    return snippets


def _related(event: Event, context: WriteContext, shown: set[str]) -> list[Document]:
    history = context.history
    if not len(history):
        return []
    # As the extractive writer reads it: the topic's own name ties every story to every other.
    topic = context.profile.name
    extra = [t for terms in event.reasons.values() for t in terms if t != topic]
    terms = history.terms(event, extra)
    found = history.related(
        event,
        terms,
        exclude=lambda d: d.canonical_url in shown or not context.reference_book().citable(d),
        limit=MAX_BACKGROUND,
    )
    return sorted((d for d, _ in found), key=lambda d: d.published_at)


@cache
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(PROMPTS_DIR),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,  # plain text for a model, not HTML
    )


def _render(name: str, **values: object) -> str:
    return _env().get_template(name).render(**values).strip() + "\n"


def system_message(context: WriteContext) -> dict[str, str]:
    brand = context.brand
    text = _render(
        "system.md.j2",
        report_title=brand.report_title,
        publisher=brand.publisher,
        topic=context.profile.name,
        brief_name=context.wording.brief_name,
    )
    return {"role": "system", "content": text}


def _theme_trend(event: Event, context: WriteContext, earlier: Earlier | None) -> str:
    """Whether the section's theme appeared in the earlier briefs, in words (no counts)."""
    words = context.wording
    briefs, counts = earlier if earlier is not None else Trends.earlier_counts(context)
    if not briefs:
        return f"{words.trend_span}没有存档的往期简报。"
    if event.theme and counts.get(event.theme):
        return f"这个方向在{words.trend_span}的往期简报中出现过。"
    return f"这个方向在{words.trend_span}的往期简报中没有出现过。"


def section_messages(
    event: Event,
    snippets: Sequence[Snippet],
    context: WriteContext,
    settings: LLMSettings,
    earlier: Earlier | None = None,
) -> list[dict[str, str]]:
    """The system and user messages of one section; ``earlier``: ``Trends.earlier_counts``,
    computed once per brief by the writer (else here)."""
    themes = {t.id: t.name for t in context.profile.themes}
    views = [
        {
            "id": s.id,
            "role_name": s.role_name,
            "org": _defuse(s.org),
            "day": s.day.isoformat(),
            "title": s.title,
            "text": s.excerpt(settings.lead_chars if s.role == "lead" else settings.snippet_chars),
        }
        for s in snippets
    ]
    roles = list(dict.fromkeys(s.role_name for s in snippets[1:]))
    user = _render(
        "section.md.j2",
        brief_date=context.brief_date.isoformat(),
        lead_day=snippets[0].day.isoformat(),
        theme=themes.get(event.theme or "", context.profile.name),
        trend=_theme_trend(event, context, earlier),
        continuing=event.continuing,
        developments="；".join(_defuse(d) for d in event.developments),
        roles="、".join(roles),
        archive=any(s.role == "archive" for s in snippets),
        snippets=views,
        ids="、".join(s.id for s in snippets),
        length=context.profile.length,
        period=context.wording.prompt_period,
    )
    return [system_message(context), {"role": "user", "content": user}]


def retry_message(findings: Sequence[str], snippets: Sequence[Snippet]) -> dict[str, str]:
    text = _render("retry.md.j2", findings=list(findings), ids="、".join(s.id for s in snippets))
    return {"role": "user", "content": text}


def section_numeral(number: int) -> str:
    """``3`` → ``三``: the prompts name sections in words, so that no digit invites a figure."""
    return _SECTION_NUMERALS[number - 1] if 0 < number <= len(_SECTION_NUMERALS) else str(number)


def synthesis_messages(
    sections: Sequence[Section], trends: Trends, context: WriteContext
) -> list[dict[str, str]]:
    views = [
        {
            "number": number,
            "numeral": section_numeral(number),
            "heading": _defuse(section.heading),
            "paragraphs": [_defuse(p.text) for p in section.paragraphs],
        }
        for number, section in enumerate(sections, start=1)
    ]
    lines = [
        {
            "name": line.name,
            "sections": "、".join(f"第{section_numeral(n)}节" for n in line.sections),
            "today": cn_count(line.today),
            "earlier": cn_count(line.earlier),
            "status": line.status,
        }
        for line in trends.lines
    ]
    words = context.wording
    user = _render(
        "synthesis.md.j2",
        brief_date=context.brief_date.isoformat(),
        sections=views,
        count=cn_count(trends.sections),
        briefs=cn_count(trends.briefs) if trends.briefs else "",
        earlier_sections=cn_count(trends.earlier_sections),
        lines=lines,
        continuing="、".join(f"第{section_numeral(n)}节" for n in trends.continuing),
        reserve=cn_count(trends.reserve) if trends.reserve else "",
        trend_span=words.trend_span,
        judgment_title=words.judgment_title,
        title_chars=_chars(words.judgment_title),
        period=words.prompt_period,
        length=context.profile.length,
        used=sum(len("".join(p.text.split())) for s in sections for p in s.paragraphs),
    )
    return [system_message(context), {"role": "user", "content": user}]


def _chars(word: str) -> str:
    """``今日判断`` → ``四个字``: the prompt counts in words, so that it holds no figure."""
    return f"{'一二三四五六七八九'[len(word) - 1]}个字" if 0 < len(word) < 10 else "这几个字"
