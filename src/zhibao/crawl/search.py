"""扩搜: search sources — queries go to a search backend, its results become article links.

Two backends behind one small interface (``SearchBackend``: build the request, read the
answer):

- ``searxng`` (the default): a self-hosted SearXNG's JSON API,
  ``GET {url}/search?q=…&format=json&time_range=day&language=zh-CN`` → ``results[]`` with
  ``url``, ``title``, ``content``, ``publishedDate``, ``engine``;
- ``bing``: the Bing Web Search v7 response shape (``webPages.value[]`` with ``url``, ``name``,
  ``snippet``, ``datePublished``), which several Chinese web-search APIs follow; ``url`` is the
  full endpoint and the key is read from the environment variable the source names.

A backend is an API, not a site being read: it is asked with its own short-lived client (a
SearXNG's robots.txt forbids ``/search``), and each answer is kept per engine, query and day
(``SearchCache``, the store) so that a rerun asks nothing again. The result pages themselves go
through the run's polite ``Fetcher`` like any article (robots.txt, per-host delay, WARC).

    >>> async with Searcher(source, cache=store) as searcher:                # doctest: +SKIP
    ...     results = await searcher.results("数据要素", day=date(2026, 5, 25))
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, Protocol
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from zhibao.config import domain_matches
from zhibao.core.model import Document, Source, SourceKind
from zhibao.core.time import SHANGHAI
from zhibao.core.urls import canonical_url
from zhibao.crawl.fetch import DEFAULT_USER_AGENT
from zhibao.crawl.kinds import ListedItem, Listing, ListingError

__all__ = [
    "BingBackend",
    "QueryProbe",
    "SearchProbe",
    "SearchBackend",
    "SearchCache",
    "SearchError",
    "SearchKind",
    "SearchResult",
    "Searcher",
    "SearxngBackend",
    "backend_for",
    "probe_search",
    "search_context",
    "searched_document",
    "source_allows",
]

_FRESHNESS = {"day": "Day", "week": "Week", "month": "Month"}  # Bing's names for time_range


class SearchError(Exception):
    """A backend could not be asked or gave no usable answer; the message names it."""


@dataclass(frozen=True)
class SearchResult:
    """One hit: where it is, what the engine showed, and when it says the page was published."""

    url: str
    title: str = ""
    snippet: str = ""
    published: str = ""  # ISO 8601 as the engine gave it ("" when it gave none)
    engine: str = ""  # the engine behind the hit (SearXNG aggregates bing, baidu, sogou…)

    @property
    def published_date(self) -> date | None:
        """The day the engine says the page was published (Asia/Shanghai)."""
        if not self.published:
            return None
        try:
            moment = datetime.fromisoformat(self.published.replace("Z", "+00:00"))
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=SHANGHAI)
        return moment.astimezone(SHANGHAI).date()

    def to_json(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SearchResult:
        return cls(
            **{
                k: str(data.get(k) or "")
                for k in ("url", "title", "snippet", "published", "engine")
            }
        )


class SearchCache(Protocol):
    """Answers kept per engine, query and day (the store implements it)."""

    def search_results(self, engine: str, query: str, day: date) -> list[dict[str, Any]] | None: ...

    def put_search_results(
        self, engine: str, query: str, day: date, results: list[dict[str, Any]]
    ) -> None: ...


class SearchBackend(Protocol):
    """Turns a query into one HTTP request, and the JSON answer into results."""

    name: str  # searxng, bing

    def request(
        self, query: str, *, time_range: str, language: str, count: int
    ) -> tuple[str, dict[str, str]]:
        """The URL to GET and the headers to send (the key, when the API needs one)."""
        ...

    def parse(self, payload: Any) -> list[SearchResult]: ...


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


class SearxngBackend:
    name = "searxng"

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")

    def request(self, query, *, time_range, language, count):
        params = {"q": query, "format": "json", "time_range": time_range, "language": language}
        return f"{self.base_url}/search?{urlencode(params)}", {"Accept": "application/json"}

    def parse(self, payload):
        if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
            raise SearchError("SearXNG 的回答中没有 results 列表 (not a SearXNG JSON answer)")
        return [
            SearchResult(
                url=_text(item.get("url")),
                title=_text(item.get("title")),
                snippet=_text(item.get("content")),
                published=_text(item.get("publishedDate")),
                engine=_text(item.get("engine")) or self.name,
            )
            for item in payload["results"]
            if isinstance(item, dict) and _text(item.get("url"))
        ]


class BingBackend:
    name = "bing"

    def __init__(self, endpoint: str, key_env: str):
        self.endpoint = endpoint
        self.key_env = key_env

    def request(self, query, *, time_range, language, count):
        key = os.environ.get(self.key_env, "").strip()
        if not key:
            raise SearchError(
                f"环境变量 {self.key_env} 未设置：Bing 形式的搜索 API 需要密钥，"
                f"请 export {self.key_env}=… 后重试 (API key missing)"
            )
        params = {
            "q": query,
            "count": str(count),
            "freshness": _FRESHNESS[time_range],
            "mkt": language,
            "responseFilter": "Webpages",
        }
        sep = "&" if "?" in self.endpoint else "?"
        return f"{self.endpoint}{sep}{urlencode(params)}", {"Ocp-Apim-Subscription-Key": key}

    def parse(self, payload):
        if not isinstance(payload, dict):
            raise SearchError("搜索 API 的回答不是 JSON 对象 (not a Bing v7 answer)")
        pages = payload.get("webPages") or {}
        values = pages.get("value") if isinstance(pages, dict) else None
        if values is None:
            if "_type" in payload or "queryContext" in payload:
                return []  # a valid answer without web pages: nothing found
            raise SearchError("搜索 API 的回答中没有 webPages.value (not a Bing v7 answer)")
        return [
            SearchResult(
                url=_text(item.get("url")),
                title=_text(item.get("name")),
                snippet=_text(item.get("snippet")),
                published=_text(item.get("datePublished")),
                engine=self.name,
            )
            for item in values
            if isinstance(item, dict) and _text(item.get("url"))
        ]


def backend_for(source: Source) -> SearchBackend:
    if source.engine == "bing":
        return BingBackend(source.url, source.api_key_env or "")
    return SearxngBackend(source.url)


def source_allows(source: Source, url: str) -> bool:
    """Whether a result at ``url`` may be fetched: http(s), inside ``allow_domains`` (when
    set) and outside ``deny_domains``."""
    if urlsplit(url).scheme not in ("http", "https"):
        return False
    if any(domain_matches(url, d) for d in source.deny_domains):
        return False
    return not source.allow_domains or any(domain_matches(url, d) for d in source.allow_domains)


class Searcher:
    """Asks one search source's backend, answers kept in ``cache``; ``async with`` it."""

    def __init__(
        self,
        source: Source,
        *,
        cache: SearchCache | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float = 20.0,
    ):
        self.source = source
        self.backend = backend_for(source)
        self.cache = cache
        self.user_agent = user_agent
        self.timeout = timeout
        self.asked = 0  # requests actually sent to the backend (cached answers not counted)
        self._client: httpx.AsyncClient | None = None
        host = urlsplit(source.url).netloc
        language = source.language if "-" in source.language else "zh-CN"
        self.language = language
        self._engine_key = f"{self.backend.name}@{host}"[:100]

    async def __aenter__(self) -> Searcher:
        self._client = httpx.AsyncClient(
            headers={"User-Agent": self.user_agent},
            timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
            follow_redirects=True,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def request_url(self, query: str, time_range: str | None = None) -> str:
        """The URL the query is asked at (never holds a key): a document's provenance."""
        try:
            url, _ = self.backend.request(
                query,
                time_range=time_range or self.source.time_range,
                language=self.language,
                count=self.source.max_results,
            )
        except SearchError:  # no key: the URL without it is the same
            params = {"q": query, "time_range": time_range or self.source.time_range}
            url = f"{self.source.url}?{urlencode(params)}"
        return url

    async def results(
        self, query: str, *, day: date, time_range: str | None = None
    ) -> list[SearchResult]:
        """The backend's results for ``query`` as of ``day`` (cached), unfiltered."""
        time_range = time_range or self.source.time_range
        key = f"{query}\t{time_range}\t{self.language}"
        if self.cache is not None:
            kept = self.cache.search_results(self._engine_key, key, day)
            if kept is not None:
                return [SearchResult.from_json(r) for r in kept]
        found = await self._ask(query, time_range)
        if self.cache is not None:
            self.cache.put_search_results(self._engine_key, key, day, [r.to_json() for r in found])
        return found

    async def _ask(self, query: str, time_range: str) -> list[SearchResult]:
        assert self._client is not None, "Searcher 需在 async with 中使用"
        url, headers = self.backend.request(
            query, time_range=time_range, language=self.language, count=self.source.max_results
        )
        where = f"搜索后端 {self.source.id}（{self.backend.name}，{self.source.url}）"
        self.asked += 1
        try:
            response = await self._client.get(url, headers=headers)
        except httpx.TimeoutException:
            raise SearchError(f"{where} 超时（{self.timeout:g}s）(backend timed out)") from None
        except httpx.HTTPError as exc:
            raise SearchError(
                f"{where} 无法连接（{exc or type(exc).__name__}），请确认服务已启动 (backend down)"
            ) from None
        if response.status_code in (401, 403):
            raise SearchError(
                f"{where} 拒绝访问（HTTP {response.status_code}）：密钥无效，或 SearXNG 未在 "
                "settings.yml 的 search.formats 中启用 json (forbidden)"
            )
        if response.status_code != 200:
            raise SearchError(f"{where} 返回 HTTP {response.status_code} (backend error)")
        try:
            payload = response.json()
        except ValueError:
            raise SearchError(
                f"{where} 的回答不是 JSON；SearXNG 需在 settings.yml 中设置 "
                "search: formats: [html, json] (answer is not JSON)"
            ) from None
        try:
            return self.backend.parse(payload)
        except SearchError as exc:
            raise SearchError(f"{where}：{exc}") from None


# --------------------------------------------------------------------------- the source kind

# Run-scoped: where search answers are kept, and the profile's keywords for
# ``queries: from_profile``. Set by the run that collects (``search_context``, with the
# profile's keywords); without keywords the home's profile is read.
_CACHE: ContextVar[SearchCache | None] = ContextVar("zhibao_search_cache", default=None)
_KEYWORDS: ContextVar[list[str] | None] = ContextVar("zhibao_search_keywords", default=None)


@contextmanager
def search_context(
    *, cache: SearchCache | None = None, keywords: list[str] | None = None
) -> Iterator[None]:
    """Search sources collected inside use ``cache`` and, for ``from_profile``, ``keywords``."""
    tokens = (_CACHE.set(cache), _KEYWORDS.set(keywords))
    try:
        yield
    finally:
        _CACHE.reset(tokens[0])
        _KEYWORDS.reset(tokens[1])


def source_queries(source: Source) -> list[str]:
    """The queries of a search source, ``from_profile`` resolved."""
    if source.queries != "from_profile":
        return list(source.queries)
    keywords = _KEYWORDS.get()
    if keywords is None:
        from zhibao.config import load_profile

        keywords = load_profile().search_keywords()
    return keywords


class SearchKind:
    """``kind: search``: one listing per query, its items the allowed, new result URLs."""

    async def listings(self, source, fetcher, dates, stats):
        day = max(dates) if dates else datetime.now(SHANGHAI).date()
        listed: set[str] = set()
        async with Searcher(
            source, cache=_CACHE.get(), user_agent=fetcher.settings.user_agent
        ) as searcher:
            for query in source_queries(source):
                url = searcher.request_url(query)
                try:
                    results = await searcher.results(query, day=day)
                except SearchError as exc:
                    yield ListingError(url, f"「{query}」：{exc}")
                    continue
                stats.lists_fetched += 1
                items = []
                for result in results:
                    if not source_allows(source, result.url):
                        stats.items_excluded += 1
                        continue
                    key = canonical_url(result.url)
                    if key in listed:
                        continue  # the same page found by an earlier query of this run
                    listed.add(key)
                    items.append(ListedItem(result.url, result.title, result.published_date))
                if not items:
                    stats.lists_empty += 1
                yield Listing(url, items)


def query_of(request_url: str) -> str:
    """The query a search request URL asked (``q=``)."""
    values = parse_qs(urlsplit(request_url).query).get("q")
    return values[0] if values else ""


def searched_document(document: Document, source: Source, request_url: str) -> Document:
    """Record on ``document`` which query and engine found it (search sources only); a page
    that names no issuing body is credited to its site rather than to the search source."""
    if source.kind is not SourceKind.search:
        return document
    updates: dict[str, Any] = {
        "search_query": query_of(request_url),
        "search_engine": source.engine or "",
    }
    if not document.source_org:
        updates["source_org"] = urlsplit(document.link).hostname or document.link
    return document.model_copy(update=updates)


# --------------------------------------------------------------------------- sources check


@dataclass
class QueryProbe:
    query: str
    results: int = 0  # what the backend answered
    allowed: int = 0  # inside allow_domains, outside deny_domains
    stored: int = 0  # of those, pages the store has (fetched and stored by a run)
    error: str | None = None


@dataclass
class SearchProbe:
    """``zhibao sources check`` for one search source: is the backend there, what it finds."""

    source_id: str
    queries: list[QueryProbe]

    @property
    def reachable(self) -> bool:
        return any(q.error is None for q in self.queries)

    @property
    def stored_share(self) -> float | None:
        allowed = sum(q.allowed for q in self.queries)
        return sum(q.stored for q in self.queries) / allowed if allowed else None


def probe_search(
    source: Source,
    *,
    has_document: Callable[[str], bool],
    keywords: list[str] | None = None,
    limit: int = 5,
    timeout: float = 15.0,
) -> SearchProbe:
    """Ask the backend of ``source`` its first ``limit`` queries now (never from the cache)."""
    from zhibao.core.loops import run_sync

    async def run() -> SearchProbe:
        probe = SearchProbe(source.id, [])
        with search_context(keywords=keywords):
            queries = source_queries(source)[:limit]
        async with Searcher(source, timeout=timeout) as searcher:
            for query in queries:
                line = QueryProbe(query)
                probe.queries.append(line)
                try:
                    results = await searcher.results(query, day=datetime.now(SHANGHAI).date())
                except SearchError as exc:
                    line.error = str(exc)
                    continue
                allowed = [r for r in results if source_allows(source, r.url)]
                line.results, line.allowed = len(results), len(allowed)
                line.stored = sum(has_document(canonical_url(r.url)) for r in allowed)
        return probe

    return run_sync(run)
