"""The extractive writer: every sentence of the body comes from a stored source.

Each source is read as the brief may quote it: the story its event is about (one item of a
round-up page that was not cut into stories), relative days anchored to the source's own date
(今天 → 4月9日), reporting boilerplate dropped, and only whole sentences kept — no headline line,
no video narration (这是…, 画面中…, 记者来到…), no question, no "as follows:" lead-in. A
sentence belongs to the event when it names one of the event's key terms (words of its
headlines that are rare in the archive, and the profile keywords it matched).

Per section (``write_section``):

- heading — the lead's headline as the event clause; the implication clause from the same
  section's sources only (the headline's own second half, or a stated aim or significance of
  the lead: 旨在…, 标志着…, 助力…); within ``profile.length.heading``, shortened at a clause
  boundary, never mid-word;
- fact paragraph — who, when (an absolute date), what and the figures, from the lead, plus a
  figure another outlet adds and the outlets that reported it, within ``length.fact``;
- analysis paragraph — what the sources themselves say it means (attributed: …表示 / 指出 /
  强调, or named as the outlet's), then context from the archive: the most related earlier
  document (此前 3 月 18 日，…) and how often the outlet covered the line in the last month,
  each with its own reference; nothing when nothing is grounded.

The summary and the closing judgment are assembled in ``synthesis``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from rapidfuzz import fuzz

from zhibao.analyze import Analysis
from zhibao.core.entities import organisations, persons
from zhibao.core.figures import compact, find_figures
from zhibao.core.model import Brief, Document, Event, Paragraph, Section
from zhibao.core.time import local_date
from zhibao.write.base import EmptyWindowError, SectionDraft, WriteContext, Writer, WrittenSection
from zhibao.write.references import ReferenceBook, renumber
from zhibao.write.synthesis import assemble
from zhibao.write.text import (
    ANALYSIS_CUES,
    EVENT_CUES,
    anchored,
    attributed,
    clauses,
    cn_ordinal,
    event_day,
    head,
    is_analysis,
    is_headline,
    is_media,
    is_multipart,
    prose_date,
    quantities,
    quotable,
    strip_tags,
    subjectless,
    title_parts,
)

__all__ = ["ExtractiveWriter"]

_FACT_SENTENCES = 4
_MAX_CORROBORATION = 2
_EVENT_CLAUSE_MIN = 6
_IMPLICATION = (4, 22)
_MENTION_DAYS = 30  # "近一个月来…第三次报道…"
# Key-term weight a fact sentence needs: a place the story names twice is not enough.
_ON_TOPIC = 2.0
_BACKGROUND_SENTENCE = 110  # an earlier document's sentence longer than this is not quoted
# Significance cues that carry most weight (a stated aim, a turn, a named view).
_STRONG_CUES = (
    "标志着",
    "意味着",
    "旨在",
    "强调",
    "指出",
    "表示",
    "认为",
    "专家",
    "目的是",
    "首次",
)
_DEMONSTRATIVE = ("这", "此", "该", "其", "这些", "上述", "对此", "为此", "同时", "此外", "其中")
# Present-tense openers the absolute date replaces (近日 / 日前 stay: the event came before).
_NOW = re.compile(r"^(?:目前|眼下|如今|当前|现在)，")


class ExtractiveWriter(Writer):
    """Offline writer: selects, compresses and arranges source sentences; invents nothing."""

    name = "extractive"
    _brief: _BriefState | None = None  # while ``write_brief`` runs

    def write_brief(self, analysis: Analysis, context: WriteContext) -> Brief:
        if analysis.empty:
            raise EmptyWindowError(
                f"{analysis.brief_date} 之前的时间窗口内没有与主题相关的新动态，不生成简报"
                "（no relevant documents in the window）；请先采集或导入文档（zhibao collect / zhibao import）"
            )
        book = context.reference_book()
        # Shared by this brief's sections (phrases used, background taken); through ``draft``
        # so that a subclass overriding it still writes every section.
        self._brief = _BriefState(analysis.selected)
        try:
            drafts = [self.draft(e, context, book) for e in analysis.selected]
        finally:
            self._brief = None
        sections, references = renumber([d.section for d in drafts], book.references())
        return assemble(drafts, sections, references, context, analysis)

    def write_section(self, event: Event, context: WriteContext) -> WrittenSection:
        book = context.reference_book()
        section = self.draft(event, context, book).section
        return WrittenSection(section, book.references())

    def draft(self, event: Event, context: WriteContext, book: ReferenceBook) -> SectionDraft:
        """One event → one section, citing into ``book`` (the llm writer's fallback too)."""
        brief = self._brief or _BriefState([event])
        return _SectionWriter(context, book, self.name, brief).draft(event)


@dataclass
class _BriefState:
    """What the sections of one brief share: phrases already used (so that no connecting
    phrase repeats as filler) and documents already used as background."""

    events: Sequence[Event]
    used: Counter[str] = field(default_factory=Counter)
    background: set[str] = field(default_factory=set)

    @property
    def today(self) -> set[str]:
        return {d.canonical_url for e in self.events for d in e.documents}

    def phrase(self, options: Sequence[str], **values: str) -> str:
        """The least used of ``options`` so far in this brief (the first on ties), filled in."""
        chosen = min(options, key=lambda o: (self.used[o], options.index(o)))
        self.used[chosen] += 1
        return chosen.format(**values)


@dataclass
class _Source:
    """One document as the brief may quote it."""

    document: Document
    org: str
    day: date
    title: str  # the headline without site tags, relative days anchored
    sentences: list[str]


def _read(document: Document, org: str, focus: str | None = None) -> _Source:
    day = local_date(document)
    title = anchored(strip_tags(focus or document.title), day)
    return _Source(document, org, day, title, quotable(document, focus))


class _SectionWriter:
    """The extractive section of one event, for one brief's context and reference book."""

    def __init__(self, context: WriteContext, book: ReferenceBook, writer: str, brief: _BriefState):
        self.context = context
        self.book = book
        self.writer = writer
        self.brief = brief
        self.length = context.profile.length

    def draft(self, event: Event) -> SectionDraft:
        context = self.context
        self.event = event
        lead_document = event.lead_document
        self.lead = _read(lead_document, context.org(lead_document), event.focus)
        self.others = self._others(event)
        # The topic's own name (新质生产力) ties every story to every other: not a key term.
        topic = context.profile.name
        extra = [t for terms in event.reasons.values() for t in terms if t != topic]
        self.history = context.history
        self.terms = self.history.terms(event, extra)
        self.keywords = extra
        self.heading_source: _Source | None = None
        clause, implication = self.heading()
        self.implication = implication
        heading = f"{clause}，{implication}" if implication else clause
        facts, used = self.facts(clause)
        paragraphs = [facts]
        analysis = self.analysis(clause, used)
        if analysis is not None:
            paragraphs.append(analysis)
        section = Section(
            heading=heading, paragraphs=paragraphs, event_id=event.id, writer=self.writer
        )
        return SectionDraft(
            event, section, self.lead.org, event_day(lead_document, facts.text), clause
        )

    # ------------------------------------------------------------------ relevance

    def _news(self, sentence: str) -> float:
        """How much hard news ``sentence`` carries: the event's terms, figures, acts; a quote
        of a bystander or the reporter's scene-setting carries little."""
        value = min(self.score(sentence), 6.0) / 2
        value += 1.5 * min(len(_numbers(sentence)), 3) + sum(c in sentence for c in EVENT_CUES)
        if _has_date(sentence):
            value += 1
        if "告诉记者" in sentence or sentence.startswith(("乘客", "市民", "村民", "游客")):
            value -= 3
        return value

    def score(self, sentence: str) -> float:
        """How much ``sentence`` is about this event: the weight of the key terms it names."""
        return sum(w for t, w in self.terms.items() if t in sentence)

    def _others(self, event: Event) -> list[_Source]:
        """Other dated documents of the event, strongest first (the lead's own outlet included:
        a later 专家解读 of the same agency adds a view)."""
        out = []
        for document in event.documents:
            if document is event.lead_document or not self.book.citable(document):
                continue
            out.append(_read(document, self.context.org(document)))
        return out

    # ------------------------------------------------------------------ heading

    def heading(self) -> tuple[str, str | None]:
        """(event clause, implication or None) within the heading budget."""
        limit = self.length.heading.max
        parts = _heading_parts(self.lead.title, self.lead.org)
        clause = parts[0] if parts else self.lead.title
        events = list(dict.fromkeys([clause, *_compressions(clause)]))
        if all(len(e) > limit for e in events):
            shorter = [p[0] for s in self.others if (p := _heading_parts(s.title, s.org)) and p[0]]
            events.append(
                next(
                    (c for c in shorter if _EVENT_CLAUSE_MIN <= len(c) <= limit),
                    head(clause, limit) or clause,
                )
            )
        # The implication comes from this section's own sources: the lead's headline and
        # text first, then another outlet's headline (that outlet is then cited).
        candidates = [(c, None) for c in [*parts[1:], *self._implications()]]
        for other in self.others:
            candidates += [(p, other) for p in _heading_parts(other.title, other.org)[1:]]
        low, high = _IMPLICATION
        for event in events:
            room = limit - len(event) - 1
            for candidate, source in candidates:
                candidate = candidate.strip("“”，。 ")
                if candidate.endswith("等") or _PROTOCOL.match(candidate) or persons(candidate):
                    continue  # the tail of a list, or another act of protocol: not a point
                if not low <= len(candidate) <= min(high, room) or candidate in event:
                    continue
                if fuzz.partial_ratio(compact(candidate), compact(event)) >= 70:
                    continue
                self.heading_source = source
                return event, candidate
        return next((e for e in events if len(e) <= limit), events[-1]), None

    def _implications(self) -> list[str]:
        """Clauses of the lead that state an aim or a turn (旨在…, 标志着…, 助力…, 为…提供…支撑),
        or that name the brief's topic; the topic's own first. Only whole clauses, none that
        points back (这, 此, 其)."""
        topic = self.context.profile.name
        found: list[tuple[int, str]] = []
        for sentence in self.lead.sentences[:8]:
            for clause in clauses(sentence):
                for cue in ("旨在", "目的是", "标志着"):
                    if cue in clause:
                        found.append((1, clause.split(cue, 1)[1]))
                for cue in ("助力", "赋能", "为"):
                    if clause.startswith(cue) and (cue != "为" or "提供" in clause):
                        found.append((2, clause))
                if topic in clause:
                    found.append((0, clause))
        found.sort(key=lambda item: item[0])
        return [c for _, c in found if not any(w in c for w in ("这", "此", "其"))]

    # ------------------------------------------------------------------ facts

    def facts(self, clause: str) -> tuple[Paragraph, set[str]]:
        lead = self.lead
        span = self.length.fact
        target = (span.min + span.max) // 2 + 20
        pool = lead.sentences
        chosen = self._fact_sentences(pool, span.max, target)
        used = set(chosen)
        text = "".join(chosen) or f"{lead.title}。"
        if not chosen or not _has_date(chosen[0]):
            options = (
                ("{org} {day}报道，", "据{org} {day}消息，", "{day}，据{org}报道，")
                if is_media(lead.org)
                else ("据{org} {day}消息，", "{org} {day}发布消息，", "{day}，{org}披露，")
            )
            prefix = self.brief.phrase(options, org=lead.org, day=prose_date(lead.day))
            text = prefix + _NOW.sub("", text, count=1)
        subject = _subject(clause)
        citations = [self.book.cite(lead.document, "lead", _verifies(subject, chosen))]

        # One sentence of another outlet that adds a figure the lead does not have.
        lead_text = compact(f"{lead.document.title}\n{lead.document.text}")
        outlets = [s for s in self.others if s.org != lead.org]
        added = None
        for other in outlets:
            extra = next(
                (
                    s
                    for s in other.sentences
                    if self.score(s) > 0
                    and not is_analysis(s)
                    and any(f.key not in lead_text and f.text not in lead_text for f in _numbers(s))
                ),
                None,
            )
            if extra and len(text) + len(extra) + 12 <= span.max:
                day = "" if other.day == lead.day else f" {prose_date(other.day)}"
                text += self.brief.phrase(
                    ("{org}{day}的报道补充，", "{org}{day}报道还提到，"), org=other.org, day=day
                )
                text += extra
                used.add(extra)
                new = [f.text for f in quantities(extra) if f.key not in lead_text]
                figures = "、".join(dict.fromkeys(new[:2])) or "、".join(_key_figures(extra)[:2])
                citations.append(
                    self.book.cite(
                        other.document, "corroboration", f"{subject}的{figures}等补充数据"
                    )
                )
                added = other
                break
        named = [s for s in outlets[: _MAX_CORROBORATION + 1] if s is not added]
        source = self.heading_source
        if source is not None and source.org != lead.org and source not in (*named, added):
            named.insert(0, source)  # the heading quotes it: it is named and cited
        names = list(dict.fromkeys(s.org for s in named))
        if names:
            line = "、".join(names[:_MAX_CORROBORATION]) + ("等" if len(names) > 2 else "")
            sentence = self.brief.phrase(
                ("{names}亦有报道。", "{names}也作了报道。", "{names}同步作了报道。"), names=line
            )
            if len(text) + len(sentence) <= span.max or source in named:
                text += sentence
                for other in named:
                    if other.org in names[:_MAX_CORROBORATION]:
                        citations.append(
                            self.book.cite(
                                other.document,
                                "corroboration",
                                f"{other.org}对{subject}的同题报道",
                            )
                        )
        if source is not None:  # cited whatever else happened: the heading's implication is its
            what = f"标题中“{self.implication}”一语的出处"
            citations.append(self.book.cite(source.document, "corroboration", what))
        return Paragraph(kind="fact", text=text, citations=list(dict.fromkeys(citations))), used

    def _fact_sentences(self, pool: list[str], limit: int, target: int) -> list[str]:
        """The lead's most newsworthy sentences within ``limit`` characters, in their order.

        A sentence must name the event's key terms, unless the document is one story (then a
        neighbour of such a sentence may come too); one that points back (这些…) only comes
        with the sentence before it; stated significance is left to the analysis paragraph."""
        single = not self.event.focus and not is_multipart(self.lead.document)
        on_topic = [self.score(s) >= _ON_TOPIC for s in pool]
        chosen: set[int] = set()
        size = 0
        # First the sentences on the event's terms; in a one-story text, their neighbours only
        # when the paragraph is still short.
        for neighbours in (False, True):
            if neighbours and (not single or size >= self.length.fact.min):
                break
            values = []
            for i, sentence in enumerate(pool):
                near = any(on_topic[max(i - 1, 0) : i + 2])
                if i in chosen or not (on_topic[i] or (neighbours and near)):
                    continue
                if is_analysis(sentence) and not _has_number(sentence):
                    continue
                values.append((self._news(sentence) - 0.25 * i, i))
            for _, i in sorted(values, key=lambda item: (-item[0], item[1])):
                if size >= target or len(chosen) >= _FACT_SENTENCES:
                    break
                if size + len(pool[i]) > limit:
                    continue
                chosen.add(i)
                size += len(pool[i])
        kept = [
            i for i in sorted(chosen) if not pool[i].startswith(_DEMONSTRATIVE) or i - 1 in chosen
        ]
        if not kept and pool:
            kept = [0]
        return [pool[i] for i in kept]

    # ------------------------------------------------------------------ analysis

    def analysis(self, clause: str, used: set[str]) -> Paragraph | None:
        span = self.length.analysis
        subject = _subject(clause)
        self.viewed: set[str] = set()
        parts: list[tuple[str, list[int]]] = []
        views = self._views(used)
        for source, sentence in views[:1]:
            parts.append(self._view(source, sentence, subject))
        context = self._continuation() if self.event.continuing else []
        context += self._background(subject)
        # A second view only where the archive leaves room; views first, then the context.
        first = attributed(views[0][1]) if views else ""
        for source, sentence in [v for v in views[1:] if attributed(v[1]) != first][:1]:
            size = sum(len(t) for t, _ in [*parts, *context])
            if size + len(sentence) <= span.max - 20:
                parts.append(self._view(source, sentence, subject))
        parts += context
        kept: list[tuple[str, list[int]]] = []
        for text, refs in parts:
            if sum(len(t) for t, _ in kept) + len(text) <= span.max or not kept:
                kept.append((text, refs))
        if not kept:
            return None
        citations = list(dict.fromkeys(r for _, refs in kept for r in refs))
        return Paragraph(kind="analysis", text="".join(t for t, _ in kept), citations=citations)

    def _views(self, used: set[str]) -> list[tuple[_Source, str]]:
        """Sentences of the event's sources that say what it means, best first: a named view
        or a stated aim, on the event's topic, not already in the fact paragraph."""
        taken = {compact(s) for s in used}
        # Another outlet's sentence that only repeats the fact paragraph's figures in other
        # words ("已累计发布典型案例417个…") tells the reader nothing new.
        known = {f.key for s in used for f in find_figures(s) if f.kind == "number"}
        scored = []
        for rank, source in enumerate([self.lead, *self.others]):
            for position, sentence in enumerate(source.sentences):
                if compact(sentence) in taken or self.score(sentence) == 0:
                    continue
                if not (is_analysis(sentence) or attributed(sentence)):
                    continue
                if sentence.startswith(_DEMONSTRATIVE) or subjectless(sentence):
                    continue
                if len(sentence) > 150:
                    continue
                figures = {f.key for f in find_figures(sentence) if f.kind == "number"}
                if figures and figures <= known:
                    continue
                strength = sum(c in sentence for c in _STRONG_CUES) + 2 * bool(attributed(sentence))
                strength += sum(c in sentence for c in ANALYSIS_CUES) * 0.5
                scored.append((-strength, -self.score(sentence), rank, position, source, sentence))
        scored.sort(key=lambda item: item[:4])
        return [(source, sentence) for *_, source, sentence in scored]

    def _view(self, source: _Source, sentence: str, subject: str) -> tuple[str, list[int]]:
        speaker = attributed(sentence)
        if not speaker and source.org in sentence[:20]:
            speaker = source.org  # "下一步，国家数据局将…" names its speaker itself
        if not speaker:
            options = (
                ("{org}报道指出，", "{org}在报道中提到，", "按{org}的报道，")
                if is_media(source.org)
                else ("{org}指出，", "{org}表示，", "据{org}介绍，")
            )
            sentence = self.brief.phrase(options, org=source.org) + sentence
            speaker = source.org
        who = speaker if len(speaker) <= 12 else source.org
        # The lead, cited already for the facts, adds this use to its purpose (once).
        what = "" if source.document.canonical_url in self.viewed else f"{who}对{subject}意义的表述"
        self.viewed.add(source.document.canonical_url)
        return sentence, [self.book.cite(source.document, "corroboration", what)]

    def _continuation(self) -> list[tuple[str, list[int]]]:
        """A continuing event: what was covered before, and what is new now."""
        earlier = [d for d in self.event.background if self.book.citable(d)]
        if not earlier:
            return []
        document = max(earlier, key=lambda d: d.published_at)
        org = self.context.org(document)
        number = self.book.cite(
            document, "background", f"此前 {prose_date(local_date(document))}{org}的首次报道"
        )
        new = "、".join(_developments(self.event))
        text = (
            f"此事此前已有报道（{org} {prose_date(local_date(document))}），"
            f"本刊亦曾述及；此次的新进展是{new}。"
        )
        self.brief.background.add(document.canonical_url)
        return [(text, [number])]

    def _background(self, subject: str) -> list[tuple[str, list[int]]]:
        """How often the lead's outlet covered the event's line in the last month, and the most
        related earlier document from the archive; each with its own reference."""
        out: list[tuple[str, list[int]]] = []
        brief_date = self.context.brief_date
        related = self._related()
        count = self._count()
        if count is not None:
            nth, term, previous = count
            day = _day(local_date(previous), brief_date)
            org = self.context.org(previous)
            lead_org, nth_word = self.lead.org, cn_ordinal(nth)
            text = (
                f"这是近一个月来{lead_org}第{nth_word}次报道{term}相关进展"
                if is_media(lead_org)
                else f"这是近一个月来{lead_org}第{nth_word}次就{term}发布消息"
            )
            if related is not None and related[0] is previous:
                text += f"，上一次在 {day}，当时的报道提到：{related[1]}"
                what = _earlier_what(previous, org, day, related[2]) + "（前情与计数依据）"
                related = None
            else:
                text += f"，上一次在 {day}。"
                what = _earlier_what(previous, org, day) + "（计数依据）"
            self.brief.background.add(previous.canonical_url)
            out.append((text, [self.book.cite(previous, "background", what)]))
        if related is not None:
            document, sentence, part = related
            org = self.context.org(document)
            day = _day(local_date(document), brief_date)
            if part and "“" not in part:  # which story of a several-story text it is from
                text = f"此前 {day}，{org}在“{part}”的报道中提到，"
            else:
                options = (
                    (
                        "此前 {day}，{org}曾报道，",
                        "早在 {day}，{org}就报道，",
                        "{org} {day}的报道显示，",
                    )
                    if is_media(org)
                    else (
                        "此前 {day}，{org}曾发布消息，",
                        "早在 {day}，{org}就发布消息，",
                        "{org} {day}发布的消息显示，",
                    )
                )
                text = self.brief.phrase(options, day=day, org=org)
            text += sentence
            if self._covered(document):
                text = text[:-1] + "（本刊当时已作介绍）。"
            what = _earlier_what(document, org, day, part)
            self.brief.background.add(document.canonical_url)
            out.append((text, [self.book.cite(document, "background", what)]))
        return out

    def _related(self) -> tuple[Document, str, str | None] | None:
        """The most related earlier document with a sentence that is itself about the event,
        and the headline of that sentence's story when the document holds several: the event's
        own older documents first (analysis put them in ``Event.background``), then the
        archive's."""
        taken = self.brief.today | self.brief.background
        usable = lambda d: d.canonical_url not in taken and self.book.citable(d)  # noqa: E731
        related: list[tuple[Document, list[str]]] = []
        if not self.event.continuing:  # a continuing event's background is what was covered
            for document in sorted(self.event.background, key=lambda d: d.published_at)[::-1]:
                text = f"{document.title}\n{document.text}"
                if usable(document):
                    related.append((document, [t for t in self.terms if t in text]))
        related += self.history.related(
            self.event,
            self.terms,
            exclude=lambda d: not usable(d),
            keywords=self.keywords,
            limit=4,  # the best one may have no sentence worth quoting alone
        )
        for document, shared in related:
            # A text of several stories: each sentence with the headline of its own story.
            parts = [(None, quotable(document))]
            if is_multipart(document):
                heads = [line for line in document.paragraphs if is_headline(line)]
                parts = [(h.strip(), quotable(document, h)) for h in heads]
            found = [
                (sum(t in s for t in shared), self.score(s), part, s)
                for part, sentences in parts
                for s in sentences
                if len(s) <= _BACKGROUND_SENTENCE and not subjectless(s)
            ]
            if not found:
                continue
            hits, _, part, sentence = max(found, key=lambda item: item[:2])
            if hits >= 2:
                return document, sentence, part
        return None

    def _count(self) -> tuple[int, str, Document] | None:
        """(n, term, the previous one): the lead is its outlet's n-th report in the last month
        naming the profile keyword of its headline; None when it is the first, when n is ten or
        more, or when the archive does not reach back a month."""
        lead = self.lead
        history = self.history
        since = lead.day - timedelta(days=_MENTION_DAYS)
        if not len(history) or local_date(history.documents[0]) > since + timedelta(days=2):
            return None
        term = next((k for k in self.keywords if k in lead.title and len(k) >= 2), None)
        if term is None:
            return None
        org = lead.org
        found = history.mentions(term, since, lead.day, where=lambda d: self.context.org(d) == org)
        own = {d.canonical_url for d in self.event.documents}
        earlier = [d for d in found if d.canonical_url not in own and local_date(d) < lead.day]
        if not earlier or not self.book.citable(earlier[-1]) or len(earlier) + 1 > 9:
            return None
        return len(earlier) + 1, term, earlier[-1]

    def _covered(self, document: Document) -> bool:
        """Whether an earlier brief of the trend window cited ``document``."""
        urls = {document.canonical_url, document.link}
        return any(r.url in urls for b in self.context.earlier for r in b.references)


def _heading_parts(title: str, org: str) -> list[str]:
    """A headline's clauses without a leading organisation; "山东：陆海并进" → "山东陆海并进"."""
    parts = [p for p in title_parts(title) if p != org and not _is_org(p)]
    if len(parts) >= 2 and len(parts[0]) <= 4:  # "山东：陆海并进", "算力之城：打造…"
        parts = [f"{parts[0]}：{parts[1]}", *parts[2:]]
    return parts


# "刘烈宏出席数据安全发展大会开幕式并启动…大赛" → "刘烈宏启动…大赛": the act that is news.
_ATTENDED = re.compile(
    r"^(?P<who>[^，：]{2,12}?)(?:出席|参加|主持|会见|调研|考察)[^，：并]{2,30}并(?P<act>.{4,})$"
)


_PROTOCOL = re.compile(r"^(?:宣读|出席|会见|会晤|主持|参加|发表|听取|考察|调研|致信|致贺信)")


def _compressions(clause: str) -> list[str]:
    """Shorter forms of a headline's event clause that keep its news and its words."""
    match = _ATTENDED.match(clause)
    return [match.group("who") + match.group("act")] if match else []


def _is_org(part: str) -> bool:
    return len(part) <= 8 and part.endswith(("局", "办", "委", "部", "院", "署"))


def _numbers(sentence: str):
    return [f for f in find_figures(sentence) if f.kind == "number"]


def _has_number(sentence: str) -> bool:
    return bool(_numbers(sentence))


def _has_date(sentence: str) -> bool:
    """A date near the start (5 月 23 日, 23日; not "国信1号", a ship)."""
    return any(
        f.kind == "date" or (f.kind == "day" and f.text.endswith("日"))
        for f in find_figures(sentence[:40])
    )


def _day(day: date, brief_date: date) -> str:
    """``3 月 18 日``; with the year when it is not the brief's."""
    text = prose_date(day)
    return text if day.year == brief_date.year else f"{day.year} 年 {text}"


def _about(document: Document) -> str:
    """A document named by its headline, up to a clause boundary."""
    return head("，".join(title_parts(strip_tags(document.title))), 20) or strip_tags(
        document.title
    )


_DOCUMENT_TITLE = re.compile(
    r"(?:通知|方案|意见|办法|规划|要点|指引|规则|报告|条例|规定|纲要|指南)$"
)


def _earlier_what(document: Document, org: str, day: str, part: str | None = None) -> str:
    """An earlier document as its purpose names it: 国家数据局 4 月 27 日《关于举办…的通知》,
    央视网 3 月 18 日关于内蒙古推进绿色算力…的报道."""
    about = part or _about(document)
    if not part and _DOCUMENT_TITLE.search(about):
        return f"{org} {day}发布的《{about.strip('《》')}》"
    return f"{org} {day}关于{about.removeprefix('关于')}的报道"


def _subject(clause: str) -> str:
    """What a purpose names the event by: the heading's event clause up to its first pause."""
    first = re.split(r"[：:，]", clause, maxsplit=1)[0]
    return first if len(first) <= 26 else clause


def _key_figures(text: str) -> list[str]:
    """Figures worth naming in a purpose: amounts, shares, counts of ten and more."""
    out = []
    for figure in quantities(text):
        value = figure.key.rstrip("%")
        if figure.key.endswith("%") or "." in value or (value.isdigit() and int(value) >= 10):
            out.append(figure.text)
    return list(dict.fromkeys(out))


def _verifies(subject: str, sentences: Sequence[str]) -> str:
    """What the lead source verifies, from what the fact paragraph takes from it."""
    text = "".join(sentences)
    aspects = []
    if _has_date(text) or not text:
        aspects.append("时间")
    speakers = [p for p in persons(text) if p in text[:60]]
    bodies = [o for o in organisations(text) if o in text[:60]]
    if bodies:
        aspects.append("主体")
    elif speakers:
        aspects.append(f"{speakers[0]}的表述")
    figures = _key_figures(text)[:2]
    if figures:
        aspects.append(f"{'、'.join(figures)}等数据")
    else:
        aspects.append("具体内容")
    what = aspects[0] if len(aspects) == 1 else "、".join(aspects[:-1]) + "与" + aspects[-1]
    return f"{subject}的{what}"


def _developments(event: Event) -> list[str]:
    out = []
    for development in event.developments:
        label, _, detail = development.partition("：")
        # Figures are named by the fact paragraph in the source's own words, not listed here.
        out.append(f"刊发了{detail}" if label.startswith("新的文档类型") else "披露了新的数据")
    return out or ["出现了新的报道"]
