"""The prompts: Chinese templates in ``zhibao/write/prompts/*.j2`` filled with numbered snippets.

A section's sources become snippets ``S1`` … in a fixed order — the lead document, then one
report per other outlet (corroboration), then older related documents (background) — each
between ``<<<片段 Sn …>>>`` and ``<<<片段 Sn 结束>>>``. Source text cannot forge a delimiter:
``<<<`` / ``>>>`` inside it are replaced by look-alike brackets. The prompt is deterministic
(same sources → same text), which is what makes the response cache work.

    >>> snippets = section_snippets(event, org_of=writer.org, settings=settings)
    >>> [s.id for s in snippets], snippets[0].role
    (['S1', 'S2', 'S3'], 'lead')
    >>> messages = section_messages(event, snippets, context)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from zhibao.core.model import Document, Event, Section
from zhibao.core.time import local_date
from zhibao.write.references import Role

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
_ROLE_NAMES = {"lead": "主要来源", "corroboration": "佐证报道", "background": "背景文件"}


@dataclass(frozen=True)
class Snippet:
    id: str  # S1, S2, …
    role: Role
    document: Document
    org: str
    day: date

    @property
    def role_name(self) -> str:
        return _ROLE_NAMES[self.role]

    @property
    def title(self) -> str:
        return _defuse(self.document.title)

    def excerpt(self, limit: int) -> str:
        """The document's text, cut at a sentence end near ``limit`` characters."""
        text = "\n".join(p.strip() for p in self.document.text.split("\n") if p.strip())
        if len(text) > limit:
            cut = max(text.rfind(mark, 0, limit) for mark in "。！？\n")
            text = text[: cut + 1 if cut > limit // 2 else limit].rstrip() + "……（节选）"
        return _defuse(text)


def _defuse(text: str) -> str:
    return text.replace("<<<", "‹‹‹").replace(">>>", "›››")


def section_snippets(
    event: Event,
    *,
    org_of: Callable[[Document], str],
    citable: Callable[[Document], bool] = lambda d: local_date(d) is not None,
) -> list[Snippet]:
    """Snippets of one event: lead first, then one document per other outlet, then background."""
    lead = event.lead_document
    chosen: list[tuple[Role, Document]] = [("lead", lead)]
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
    chosen += [("background", d) for d in background[-MAX_BACKGROUND:]]
    return [
        Snippet(f"S{i}", role, document, org_of(document), local_date(document))
        for i, (role, document) in enumerate(chosen, start=1)
    ]


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


def section_messages(
    event: Event, snippets: Sequence[Snippet], context: WriteContext, settings: LLMSettings
) -> list[dict[str, str]]:
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
    user = _render(
        "section.md.j2",
        brief_date=context.brief_date.isoformat(),
        themes=themes.get(event.theme or "", ""),
        topic=context.profile.name,
        continuing=event.continuing,
        developments="；".join(_defuse(d) for d in event.developments),
        snippets=views,
        ids="、".join(s.id for s in snippets),
    )
    return [system_message(context), {"role": "user", "content": user}]


def retry_message(findings: Sequence[str], snippets: Sequence[Snippet]) -> dict[str, str]:
    text = _render("retry.md.j2", findings=list(findings), ids="、".join(s.id for s in snippets))
    return {"role": "user", "content": text}


def synthesis_messages(sections: Sequence[Section], context: WriteContext) -> list[dict[str, str]]:
    views = [
        {
            "number": number,
            "heading": _defuse(section.heading),
            "paragraphs": [_defuse(p.text) for p in section.paragraphs],
        }
        for number, section in enumerate(sections, start=1)
    ]
    words = context.wording
    user = _render(
        "synthesis.md.j2",
        brief_date=context.brief_date.isoformat(),
        sections=views,
        judgment_title=words.judgment_title,
        title_chars=_chars(words.judgment_title),
        period=words.prompt_period,
    )
    return [system_message(context), {"role": "user", "content": user}]


def _chars(word: str) -> str:
    """``今日判断`` → ``四个字``: the prompt counts in words, so that it holds no figure."""
    return f"{'一二三四五六七八九'[len(word) - 1]}个字" if 0 < len(word) < 10 else "这几个字"
