"""The domain model: every stage of zhibao speaks these types and nothing else.

A ``Source`` is read by *collect*, which yields ``Document``s; *analyze* groups documents
into ``Event``s; *write* turns events into a ``Brief``; renderers only draw a ``Brief``.
Everything here is a plain, JSON-serialisable value (pydantic models), so a brief can be
saved, edited by hand or by the web desk, checked and rendered again.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from zhibao.core.errors import InputError, format_validation_error
from zhibao.core.inputs import parse_json_text, read_text_file

__all__ = [
    "Attachment",
    "Brief",
    "Contact",
    "Document",
    "CoveredEvent",
    "Event",
    "FetchedPage",
    "Judgment",
    "Masthead",
    "Organisation",
    "Paragraph",
    "QRCode",
    "Reference",
    "Section",
    "Source",
    "SourceKind",
    "Tier",
    "load_brief",
    "parse_brief",
]

NonEmpty = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    # Unknown keys are refused so that a typo in a hand-edited brief is reported, not ignored.
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


# --------------------------------------------------------------------------- sources


class Tier(StrEnum):
    """How much an issuing body weighs; the editors read central agencies first."""

    central = "central"  # 中央机构（国家数据局、中央网信办、国家发展改革委…）
    ministry = "ministry"  # 部委（工业和信息化部、国家统计局…）
    local = "local"  # 地方政府
    official_media = "official_media"  # 官方媒体（新华社、人民日报、光明网、求是）
    financial_media = "financial_media"  # 财经媒体（证券时报…）
    foreign_media = "foreign_media"  # 境外媒体（Reuters、Axios…）


class SourceKind(StrEnum):
    html = "html"  # list pages with article links
    feed = "feed"  # RSS / Atom / JSON Feed
    dated = "dated"  # list URLs built from a date template
    search = "search"  # queries to a search backend; its results are fetched as articles


SearchEngine = Literal["searxng", "bing"]


class Source(_Model):
    """One place zhibao reads from, as configured in ``sources.yaml``."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    name: NonEmpty
    # A search source has neither: each result is its own site (``Profile.domain_tiers``).
    org: str = ""
    kind: SourceKind = SourceKind.html
    tier: Tier | None = None
    urls: list[NonEmpty] = Field(min_length=1)
    region: str = "全国"
    language: str = "zh"
    enabled: bool = True
    link_selector: str | None = None
    date_selector: str | None = None
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    pages: Annotated[int, Field(ge=1, le=50)] = 1
    follow_links: bool = True
    warmup: bool = False  # visit the site's home page first (sites that set a session cookie there)
    max_items: Annotated[int, Field(ge=1)] | None = None  # articles fetched per run at most
    # extract: CSS selectors for this source's article pages. ``body_selector`` (one or a list)
    # names the article container, tried in order before the generic scorer; the elements
    # ``remove_selectors`` match (share widgets, 【上一篇】 blocks, reprint notices) are cut first.
    body_selector: list[str] = Field(default_factory=list)
    remove_selectors: list[str] = Field(default_factory=list)
    # extract: titles (regular expressions) of this source's round-up pages, each cut into one
    # document per story, on top of the profile's ``roundup_titles`` (国内联播快讯, 简讯…).
    roundup_titles: list[str] = Field(default_factory=list)
    # analyze: when a page that gives only its day was published (新闻联播: "19:00"); the brief's
    # cut-off compares against it. Unset: such a page counts at the end of its day.
    usual_time: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = None
    # extract: a publication date before this day is a misreading (default 1990-01-01); an
    # archive of older documents sets an earlier one.
    earliest_published: Date | None = None
    # search (扩搜): ``url`` is the backend — a SearXNG base URL, or the full endpoint of a Bing
    # v7-shaped web-search API whose key is read from the environment variable ``api_key_env``.
    # ``queries`` is a list, or ``from_profile`` (the themes' strongest keywords); results
    # outside ``allow_domains`` (when set) or inside ``deny_domains`` are dropped, and at most
    # ``max_results`` new pages are fetched per run.
    engine: SearchEngine | None = None
    api_key_env: str | None = None
    queries: Literal["from_profile"] | list[NonEmpty] = "from_profile"
    time_range: Literal["day", "week", "month"] = "day"
    allow_domains: list[NonEmpty] = Field(default_factory=list)
    deny_domains: list[NonEmpty] = Field(default_factory=list)
    max_results: Annotated[int, Field(ge=1, le=500)] = 30

    @model_validator(mode="before")
    @classmethod
    def _one_url(cls, data: Any) -> Any:
        # sources.yaml writes a search backend as ``url:``; every other kind lists ``urls:``.
        if isinstance(data, dict) and "url" in data and "urls" not in data:
            data = {**data, "urls": [data["url"]]}
            del data["url"]
        return data

    @model_validator(mode="after")
    def _kind_fields(self) -> Source:
        from pydantic_core import PydanticCustomError

        if self.kind is SourceKind.search:
            if self.engine is None:
                raise PydanticCustomError(
                    "search_engine",
                    "信息源 {source} 是 search 类型，但没有 engine；请写 engine: searxng "
                    "（自建 SearXNG）或 engine: bing（Bing v7 形式的搜索 API）(search needs an engine)",
                    {"source": self.id},
                )
            if len(self.urls) != 1:
                raise PydanticCustomError(
                    "search_url",
                    "信息源 {source} 是 search 类型，只能有一个后端地址 url（收到 {count} 个）"
                    "(one backend URL per search source)",
                    {"source": self.id, "count": len(self.urls)},
                )
            if self.engine == "bing" and not self.api_key_env:
                raise PydanticCustomError(
                    "search_key",
                    "信息源 {source} 使用 engine: bing，需要 api_key_env（存放密钥的环境变量名，"
                    "如 BING_SEARCH_KEY）(the API key comes from an environment variable)",
                    {"source": self.id},
                )
            if self.max_items is None:
                # The collector applies the cap after skipping pages it already has.
                self.max_items = self.max_results
            return self
        missing = [name for name in ("org", "tier") if not getattr(self, name)]
        if missing:
            raise PydanticCustomError(
                "source_field",
                "信息源 {source} 缺少 {fields}（只有 search 类型可以不写）(missing field)",
                {"source": self.id, "fields": "、".join(missing)},
            )
        return self

    @property
    def url(self) -> str:
        """The first URL: a search source's backend."""
        return self.urls[0]

    @field_validator("body_selector", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("urls")
    @classmethod
    def _http_urls(cls, urls: list[str], info: ValidationInfo) -> list[str]:
        # Only http(s) can be fetched; an ftp: or a bare host name would fail on every run.
        from pydantic_core import PydanticCustomError

        for url in urls:
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme not in ("http", "https"):
                raise PydanticCustomError(
                    "source_url",
                    "信息源 {source} 的网址 {url} 不是 http(s) 网址；请写成 "
                    '"https://www.example.gov.cn/list.html" 的形式 (only http and https are fetched)',
                    {"source": info.data.get("id", "?"), "url": repr(url)},
                )
        return urls

    @field_validator("include", "exclude", "roundup_titles")
    @classmethod
    def _regexes(cls, patterns: list[str], info: ValidationInfo) -> list[str]:
        import re

        from pydantic_core import PydanticCustomError

        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise PydanticCustomError(
                    "regex",
                    "信息源 {source} 的 {field} 不是有效的正则表达式：{pattern}（{problem}）；"
                    '特殊字符请转义，如 "\\.html$" (invalid regular expression)',
                    {
                        "source": info.data.get("id", "?"),
                        "field": info.field_name,
                        "pattern": repr(pattern),
                        "problem": str(exc),
                    },
                ) from None
        return patterns

    @model_validator(mode="after")
    def _date_templates(self) -> Source:
        # A ``dated`` source's URLs are str.format templates over one ``date``; try each on a
        # real day now, so a typo ({data:%Y}, {date:%Q}) fails at load, not on every run.
        if self.kind is not SourceKind.dated:
            return self
        from pydantic_core import PydanticCustomError

        probe = Date(2026, 1, 2)
        for template in self.urls:
            try:
                expanded = template.format(date=probe)
            except (KeyError, IndexError, ValueError, AttributeError) as exc:
                raise PydanticCustomError(
                    "date_template",
                    "信息源 {source} 的日期模板 {template} 无法展开（{problem}）；请写成 "
                    "{example} 的形式 (bad date template)",
                    {
                        "source": self.id,
                        "template": repr(template),
                        "problem": repr(exc),
                        "example": '"https://…/{date:%Y%m%d}.shtml"',
                    },
                ) from None
            if expanded == template:
                raise PydanticCustomError(
                    "date_template",
                    "信息源 {source} 是 dated 类型，但网址 {template} 不含 {placeholder}；"
                    "请加入日期，或把 kind 改为 html (a dated URL needs a date placeholder)",
                    {"source": self.id, "template": repr(template), "placeholder": "{date:…}"},
                )
        return self

    @field_validator("body_selector", "remove_selectors")
    @classmethod
    def _css(cls, selectors: list[str], info: ValidationInfo) -> list[str]:
        # Checked here, at load, with the engine extraction matches them with (soupsieve, as
        # BeautifulSoup's select), so a typo is reported with its file and line, not per page.
        import soupsieve
        from pydantic_core import PydanticCustomError

        for selector in selectors:
            try:
                soupsieve.compile(selector)
            except soupsieve.SelectorSyntaxError as exc:
                problem = str(exc).splitlines()[0]
                raise PydanticCustomError(
                    "css_selector",
                    "信息源 {source} 的 {field} 不是有效的 CSS 选择器：{selector}（{problem}）；"
                    '请改为如 "div.article"、"#content"、".share" 的写法 (invalid CSS selector)',
                    {
                        "source": info.data.get("id", "?"),
                        "field": info.field_name,
                        "selector": repr(selector),
                        "problem": problem,
                    },
                ) from None
        return selectors


# --------------------------------------------------------------------------- fetched pages


class FetchedPage(_Model):
    """One HTTP response as collect got it, before extraction (also rebuilt from a WARC record)."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    url: NonEmpty  # the URL asked for
    final_url: NonEmpty  # after redirects
    status: int
    headers: dict[str, str] = Field(default_factory=dict)  # lower-cased names
    content: bytes = b""
    fetched_at: datetime
    source_id: str | None = None
    archive: str | None = None  # "<warc file name>#<WARC-Record-ID>"

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


# --------------------------------------------------------------------------- documents


class Attachment(_Model):
    url: NonEmpty
    title: str = ""


class Document(_Model):
    """One article as extracted from a fetched page."""

    url: NonEmpty
    canonical_url: NonEmpty
    title: NonEmpty
    text: str
    published_at: datetime | None = None  # timezone-aware; None when the page gives no date
    source_id: str | None = None
    source_org: str = ""
    language: str = "zh"
    attachments: list[Attachment] = Field(default_factory=list)
    content_hash: str = ""
    fetched_at: datetime | None = None
    archive: str | None = None  # where the raw response is kept, e.g. "runs/12.warc.gz#<record-id>"
    # A story cut out of a round-up page (国内联播快讯): ``url`` is the page URL plus a stable
    # fragment, ``page_url`` the page itself (what a reader opens, where the archive points).
    page_url: str | None = None
    column: str = ""  # the column tag stripped from the title: 新思想引领新征程, 一线调研
    # 政府信息公开 documents: the information table above the body (索引号, 主题分类, 发文机关,
    # 成文日期, 发文字号); empty for other pages. ``published_at`` is the table's 发布日期.
    doc_number: str = ""  # 发文字号: 国办发〔2026〕12号
    issuer: str = ""  # 发文机关: 国务院办公厅
    written_at: Date | None = None  # 成文日期
    index_no: str = ""  # 索引号
    subject: str = ""  # 主题分类
    # 扩搜: the query and engine a search source found this document with; empty otherwise.
    search_query: str = ""
    search_engine: str = ""

    @field_validator("published_at", "fetched_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("时间必须带时区 (timezone-aware), e.g. 2026-05-23T19:23:52+08:00")
        return value

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n") if p.strip()]

    @property
    def link(self) -> str:
        """The URL a reader opens: the page a story was cut from, else the document's own."""
        return self.page_url or self.url


class CoveredEvent(_Model):
    """What an earlier brief said about one event, enough to recognise the event again.

    Made per section when a brief is written (``zhibao.analyze.covered_event``) or rebuilt from a
    stored brief (``zhibao.analyze.covered_from_brief``); the store keeps them so that the next
    days' analysis skips what was covered unless something new happened.
    """

    brief_date: Date
    event_id: str = ""
    urls: list[str] = Field(default_factory=list)  # canonical URLs of the documents it used
    titles: list[str] = Field(default_factory=list)  # their titles (and the section heading)
    kinds: list[str] = Field(default_factory=list)  # document kinds seen: 解读, 发布会, …
    figures: list[str] = Field(default_factory=list)  # normalised figures already reported


class Event(_Model):
    """Documents about one happening, across outlets and days; the lead is the strongest source."""

    id: NonEmpty
    documents: list[Document] = Field(min_length=1)
    lead: int = 0  # index into documents
    theme: str | None = None
    focus: str | None = None  # headline of the relevant item when the lead is a round-up page
    score: float = 0.0  # relevance × authority × corroboration × freshness (set by analyze)
    reasons: dict[str, list[str]] = Field(default_factory=dict)  # theme id → matched terms
    relevance: float = 0.0  # best topic score among the event's documents
    authority: float = 0.0  # weight of the lead's tier (profile.authority)
    corroboration: int = 0  # independent outlets reporting it
    freshness: float = 0.0  # 1.0 = within the last day of the window; 0 = outside / undated
    continuing: bool = False  # covered in an earlier brief and back with a new development
    developments: list[str] = Field(default_factory=list)  # what is new since it was covered
    background: list[Document] = Field(default_factory=list)  # earlier related documents
    merged_by: list[str] = Field(default_factory=list)  # why its documents are one event

    @model_validator(mode="after")
    def _lead_in_range(self) -> Event:
        if not 0 <= self.lead < len(self.documents):
            raise ValueError(f"lead={self.lead} 超出 documents 的范围 (0..{len(self.documents) - 1})")
        return self

    @property
    def lead_document(self) -> Document:
        return self.documents[self.lead]


# --------------------------------------------------------------------------- the brief

# Limits of a brief, far above any real issue (the reference issues: a 150–400 character summary,
# 4–6 sections of 2–3 paragraphs under 400 characters, 3,000–5,500 characters in all) and low
# enough that the PDF of the largest allowed brief renders in seconds, not minutes.
MAX_SUMMARY_CHARS = 5_000
MAX_PARAGRAPH_CHARS = 10_000  # a section paragraph, the closing judgment (renderers test 10k)
MAX_HEADING_CHARS = 300  # section headings, titles
MAX_LINE_CHARS = 1_000  # names, captions, descriptions, purposes
MAX_URL_CHARS = 2_048
MAX_SECTIONS = 20  # the profile allows up to 20 (profile.sections.max)
MAX_PARAGRAPHS_PER_SECTION = 12
MAX_REFERENCES = 200
MAX_CHECK_FAILURES = 200
MAX_BRIEF_CHARS = 100_000  # all text of the brief together
MAX_BRIEF_FILE_BYTES = 2_000_000  # a brief JSON file (escaped Chinese takes 6 bytes a character)

Heading = Annotated[str, Field(min_length=1, max_length=MAX_HEADING_CHARS)]
Line = Annotated[str, Field(max_length=MAX_LINE_CHARS)]
NonEmptyLine = Annotated[str, Field(min_length=1, max_length=MAX_LINE_CHARS)]
Url = Annotated[str, Field(min_length=1, max_length=MAX_URL_CHARS)]


class Masthead(_Model):
    title: Heading  # 新质生产力每日动态
    publisher: Line = ""  # 中国高技术产业发展促进会新质生产力工作委员会
    producer: Line = ""  # 博雅云创 & 中科创新驱动


class Paragraph(_Model):
    kind: Literal["fact", "analysis"]
    text: Annotated[str, Field(min_length=1, max_length=MAX_PARAGRAPH_CHARS)]
    citations: list[Annotated[int, Field(ge=1)]] = Field(
        default_factory=list, max_length=MAX_REFERENCES
    )


class Section(_Model):
    heading: Heading  # event clause，implication clause
    paragraphs: list[Paragraph] = Field(min_length=1, max_length=MAX_PARAGRAPHS_PER_SECTION)
    event_id: Line | None = None
    writer: Line | None = None  # which writer produced the section (extractive, llm, editor)
    needs_review: bool = False

    @property
    def citations(self) -> list[int]:
        seen: dict[int, None] = {}
        for paragraph in self.paragraphs:
            seen.update(dict.fromkeys(paragraph.citations))
        return list(seen)


class Judgment(_Model):
    title: Heading  # 今日判断：…
    # Paragraphs separated by blank lines.
    text: Annotated[str, Field(min_length=1, max_length=MAX_PARAGRAPH_CHARS)]

    @property
    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.text)


class Reference(_Model):
    id: Annotated[int, Field(ge=1)]
    org: NonEmptyLine
    title: NonEmptyLine
    date: Date
    url: Url
    purpose: Line = ""  # 用于核实… / 用于补充… / 用于背景…
    archived: Annotated[str, Field(max_length=MAX_URL_CHARS)] | None = None  # archived copy


class QRCode(_Model):
    url: Url
    caption: NonEmptyLine


class Organisation(_Model):
    name: NonEmptyLine
    description: NonEmptyLine


class Contact(_Model):
    heading: Line = "联系我们，请扫描二维码"
    qr_codes: list[QRCode] = Field(default_factory=list, max_length=4)
    organisations: list[Organisation] = Field(default_factory=list, max_length=10)
    website: Annotated[str, Field(max_length=MAX_URL_CHARS)] = ""
    disclaimer: Line = ""


class Brief(_Model):
    """The day's brief: what writers produce, editors edit, the checker judges, renderers draw."""

    date: Date
    masthead: Masthead
    summary: Annotated[str, Field(min_length=1, max_length=MAX_SUMMARY_CHARS)]
    sections: list[Section] = Field(min_length=1, max_length=MAX_SECTIONS)
    judgment: Judgment
    references: list[Reference] = Field(default_factory=list, max_length=MAX_REFERENCES)
    contact: Contact = Field(default_factory=Contact)
    status: Literal["draft", "final"] = "draft"
    # What the checker found when the brief was written (one line per failing claim); a brief
    # with failures stays a draft and shows them until an editor fixes the text.
    check_failures: list[Annotated[str, Field(max_length=MAX_PARAGRAPH_CHARS)]] = Field(
        default_factory=list, max_length=MAX_CHECK_FAILURES
    )

    @model_validator(mode="after")
    def _unique_reference_ids(self) -> Brief:
        require_unique_ids("references", [r.id for r in self.references])
        return self

    @model_validator(mode="after")
    def _total_size(self) -> Brief:
        # Each field is within its own limit; together they must still make a readable issue.
        total = self.text_chars()
        if total > MAX_BRIEF_CHARS:
            raise ValueError(
                f"简报正文共 {total:,} 字，超过上限 {MAX_BRIEF_CHARS:,} 字；一期简报通常 3,000–6,000 字，"
                "请删减段落或拆成多期 (brief text too long)"
            )
        return self

    def text_chars(self) -> int:
        """Characters of the brief's text: summary, sections, judgment and references."""
        sections = sum(
            len(s.heading) + sum(len(p.text) for p in s.paragraphs) for s in self.sections
        )
        references = sum(len(r.title) + len(r.org) + len(r.purpose) for r in self.references)
        judgment = len(self.judgment.title) + len(self.judgment.text)
        return len(self.summary) + sections + judgment + references

    @property
    def summary_paragraphs(self) -> list[str]:
        return split_paragraphs(self.summary)

    def reference(self, ref_id: int) -> Reference | None:
        return next((r for r in self.references if r.id == ref_id), None)

    def publish_problems(self) -> list[str]:
        """What stops this brief from being published; a draft renders with these shown."""
        problems: list[str] = [f"核验未通过：{line}" for line in self.check_failures]
        if not self.references:
            problems.append("参考文献为空：正式发布前每条事实都需要可核实的来源 (references is empty)")
        known = {r.id for r in self.references}
        cited: set[int] = set()
        for number, section in enumerate(self.sections, start=1):
            if not section.citations:
                problems.append(f"第 {number} 节「{section.heading}」没有引用任何参考文献")
            for ref_id in section.citations:
                cited.add(ref_id)
                if ref_id not in known:
                    problems.append(f"第 {number} 节引用了不存在的参考文献 [{ref_id}]")
            if section.needs_review:
                problems.append(f"第 {number} 节「{section.heading}」待编辑复核 (needs_review)")
        for ref in self.references:
            if ref.id not in cited:
                problems.append(f"参考文献 [{ref.id}]「{ref.title}」未被正文引用")
        return problems

    # -- JSON round trip -------------------------------------------------------------

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, exclude_none=True) + "\n"

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.to_json(), encoding="utf-8")
        return path

    @property
    def stem(self) -> str:
        """File name stem shared by every rendering: ``brief-2026-05-23``."""
        return f"brief-{self.date.isoformat()}"


def require_unique_ids(field: str, ids: list) -> None:
    """Raise the validation error a user sees when two entries of ``field`` share an id."""
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"{field} 中的 id 重复: {duplicates}")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a multi-paragraph field: blank-line separated, single newlines kept."""
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def parse_brief(data: str | bytes | dict[str, Any], *, origin: str = "brief") -> Brief:
    """Validate brief data; errors name ``origin`` and the field path (``sections[1].heading``).

    JSON text larger than ``MAX_BRIEF_FILE_BYTES`` or nested deeper than any brief is refused
    before it is parsed.
    """
    if not isinstance(data, dict):
        data = parse_json_text(data, origin=origin, max_chars=MAX_BRIEF_FILE_BYTES)
        if not isinstance(data, dict):
            raise InputError(
                f"{origin}: 简报 JSON 的顶层应是对象 {{…}}，收到 {type(data).__name__}"
            )
    try:
        return Brief.model_validate(data)
    except ValidationError as exc:
        raise InputError(format_validation_error(exc, origin=origin)) from None


def load_brief(path: str | Path) -> Brief:
    """The brief in the JSON file ``path``; a missing, unreadable or malformed file (a directory,
    a non-UTF-8 or oversized file, deep nesting, a wrong field) is an ``InputError`` naming it."""
    raw = read_text_file(
        path,
        what="简报 JSON 文件",
        max_bytes=MAX_BRIEF_FILE_BYTES,
        example="应为 zhibao brief 写出的 brief-YYYY-MM-DD.json",
    )
    return parse_brief(raw, origin=str(path))
