"""Polite HTTP fetching: one ``Fetcher`` per run, shared by every source.

Per host: at most ``per_host_concurrency`` requests at once and ``delay_seconds`` (or the
site's robots.txt ``Crawl-delay``, whichever is longer) between request starts. Every failure
comes back as a clear message in ``FetchOutcome.error`` instead of an exception, so one bad
page never stops a run: a redirect to ``javascript:``/``mailto:``/a port above 65535 is refused
by name, and each request has an overall deadline (``total_timeout``) so a server trickling one
byte a second cannot hold the run.

    >>> async with Fetcher(FetchSettings(), archive=WarcArchive("run.warc.gz")) as fetcher:
    ...     outcome = await fetcher.get("https://www.nda.gov.cn/", source_id="nda")  # doctest: +SKIP

Cookies: the client keeps a cookie jar for the whole run, so a cookie a site sets is sent back
on every later request to that host. Sites that refuse the first visit and set a cookie on the
refusal (403/412 + ``Set-Cookie``, a common anti-bot gate) get exactly one immediate retry;
sites that set the cookie only on their home page are handled by ``warm_up`` (``warmup: true``
in ``sources.yaml``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx

from zhibao.core.model import FetchedPage
from zhibao.crawl.archive import WarcArchive
from zhibao.crawl.politeness import HostGates, RedisHostGates
from zhibao.crawl.responses import human_size, not_html_reason, retry_after_seconds
from zhibao.crawl.robots import ROBOTS_MAX_BYTES, RobotsCache, origin_of

__all__ = [
    "DEFAULT_USER_AGENT",
    "FetchOutcome",
    "FetchSettings",
    "Fetcher",
    "ValidatorStore",
]

DEFAULT_USER_AGENT = "zhibao/0.1 (+https://gyznswn.cn)"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_COOKIE_GATES = frozenset({403, 412})
# Response headers that describe the transfer, not the content we keep (the body is stored decoded).
_TRANSFER_HEADERS = frozenset(
    {"content-encoding", "transfer-encoding", "content-length", "connection"}
)


class ValidatorStore(Protocol):
    """Remembers ETag / Last-Modified per URL between runs (the store implements it)."""

    def get(self, url: str) -> tuple[str | None, str | None] | None: ...

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None: ...


@dataclass
class FetchSettings:
    """How politely and how patiently to fetch; the defaults suit government sites."""

    user_agent: str = DEFAULT_USER_AGENT
    per_host_concurrency: int = 2
    delay_seconds: float = 1.0
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff_base: float = 1.0
    respect_robots: bool = True
    max_retry_after: float = 120.0  # cap on Retry-After / Crawl-delay waits, seconds
    # Whole request (connect, headers, body) at most this long: read_timeout only bounds the gap
    # between two bytes. Not retried: a server that slow would only hold the run again.
    total_timeout: float = 60.0
    # Articles fetched per source per run when the source sets no ``max_items``; links past it
    # are queued for the next run (200 at the default 1 s delay is ~3.5 minutes per source).
    max_per_source: int = 200


@dataclass
class FetchOutcome:
    """What came of one ``Fetcher.get``: a page, "not modified", or an error message.

    ``page`` is set only on success; a failed response that had a body is still archived and
    ``archive`` points at it.
    """

    url: str
    page: FetchedPage | None = None
    not_modified: bool = False
    error: str | None = None
    status: int | None = None
    archive: str | None = None
    retries: int = 0
    validators: tuple[str | None, str | None] | None = None

    @property
    def ok(self) -> bool:
        return self.page is not None and self.error is None


def unfetchable(url: str) -> str | None:
    """Why ``url`` cannot be fetched at all (not http(s), no host, port out of range), or None."""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError past 65535
    except ValueError as exc:
        return f"地址无效：{exc}"
    if parts.scheme not in ("http", "https"):
        return "不是 http(s) 地址，无法抓取"
    if not parts.hostname:
        return "地址缺少主机名，无法抓取"
    if port == 0:
        return "端口 0 无效"
    return None


class _Failure(Exception):
    def __init__(self, message: str, *, retryable: bool = False, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.status = status


@dataclass
class _Response:
    url: str
    status: int
    headers: list[tuple[str, str]]
    content: bytes
    fetched_at: datetime
    request_headers: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name), None)


class Fetcher:
    """Async HTTP client for collection; use as ``async with Fetcher(settings) as fetcher``."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        archive: WarcArchive | None = None,
        validators: ValidatorStore | None = None,
        gates: HostGates | RedisHostGates | None = None,
    ):
        self.settings = settings or FetchSettings()
        self.archive = archive
        self.validators = validators
        self._client: httpx.AsyncClient | None = None
        # ``RedisHostGates`` when a fleet of workers shares the hosts; the Fetcher owns them.
        self._gates = gates or HostGates(self.settings.per_host_concurrency)
        self._warmed: dict[str, asyncio.Task[None]] = {}
        self.robots = RobotsCache(self.settings.user_agent, self._load_robots)
        self.requests = 0  # every HTTP request sent, retries and robots.txt included

    async def __aenter__(self) -> Fetcher:
        s = self.settings
        self._client = httpx.AsyncClient(
            headers={
                "User-Agent": s.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.6",
            },
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            follow_redirects=False,  # followed by hand: robots.txt per hop, loops named
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        await self._gates.aclose()

    # ------------------------------------------------------------------ public

    async def get(
        self,
        url: str,
        *,
        source_id: str | None = None,
        referer: str | None = None,
        conditional: bool = True,
        remember: bool = True,
    ) -> FetchOutcome:
        """Fetch ``url`` following redirects; never raises for network or HTTP trouble.

        ``conditional`` sends the remembered ETag / Last-Modified (304 → ``not_modified``);
        ``remember=False`` leaves storing the new validators to the caller (``remember()``),
        e.g. only once every article of a list page has been kept.
        """
        outcome = FetchOutcome(url=url)
        try:
            await self._get(url, outcome, source_id, referer, conditional)
        except _Failure as failure:
            outcome.error = f"{url}: {failure.message}"
            outcome.status = failure.status if failure.status is not None else outcome.status
            outcome.page = None
        except Exception as exc:  # the promise above holds even for a bug or an httpx surprise
            outcome.error = f"{url}: 抓取出错（{type(exc).__name__}: {exc}）"
            outcome.page = None
        if remember:
            self.remember(outcome)
        return outcome

    def remember(self, outcome: FetchOutcome) -> None:
        """Store the validators of a successful fetch so the next run can ask "changed?"."""
        if self.validators is not None and outcome.ok and outcome.validators:
            self.validators.put(outcome.url, *outcome.validators)

    async def warm_up(self, url: str) -> None:
        """Visit the site's home page once per run so it can set its session cookie."""
        origin = origin_of(url)
        if origin not in self._warmed:
            self._warmed[origin] = asyncio.ensure_future(
                self.get(origin + "/", conditional=False, remember=False)
            )  # type: ignore[assignment]
        await self._warmed[origin]

    # ------------------------------------------------------------------ one URL, redirects

    async def _get(self, url, outcome, source_id, referer, conditional) -> None:
        if problem := unfetchable(url):
            raise _Failure(problem)
        headers: dict[str, str] = {}
        if referer:
            headers["Referer"] = referer
        if conditional and self.validators is not None and (known := self.validators.get(url)):
            etag, last_modified = known
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
        chain = [url]
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            if self.settings.respect_robots and (refusal := await self.robots.refusal(current)):
                raise _Failure(refusal)
            response, retries = await self._request(current, headers)
            outcome.retries += retries
            outcome.status = response.status
            location = response.header("location")
            if response.status in _REDIRECTS and location:
                target = urljoin(current, location.strip())
                if problem := unfetchable(target):
                    raise _Failure(
                        f"重定向到无法抓取的地址 {target[:200]}（{problem}）",
                        status=response.status,
                    )
                if target in chain:
                    raise _Failure(
                        "重定向循环：" + " → ".join([*chain, target]), status=response.status
                    )
                chain.append(target)
                current = target
                # Validators belong to the URL asked for, not to where it redirects.
                headers.pop("If-None-Match", None)
                headers.pop("If-Modified-Since", None)
                continue
            break
        else:
            raise _Failure(
                f"重定向次数超过上限 max_redirects={self.settings.max_redirects}："
                + " → ".join(chain)
            )
        if response.status == 304:
            outcome.not_modified = True
            return
        page = self._page(url, response, source_id)
        reference = self._archive(page, response)
        outcome.archive = reference
        if response.status >= 400:
            raise _Failure(f"HTTP {response.status}（{current}）", status=response.status)
        if not 200 <= response.status < 300:
            raise _Failure(
                f"意外的 HTTP 状态 {response.status}（{current}）", status=response.status
            )
        if reason := not_html_reason(page.content, page.content_type):
            raise _Failure(f"不是 HTML 页面（{reason}），已跳过", status=response.status)
        page.archive = reference
        outcome.page = page
        etag, last_modified = response.header("etag"), response.header("last-modified")
        if etag or last_modified:
            outcome.validators = (etag, last_modified)

    @staticmethod
    def _page(url: str, response: _Response, source_id: str | None) -> FetchedPage:
        headers: dict[str, str] = {}
        for name, value in response.headers:
            if name in _TRANSFER_HEADERS:
                continue
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        return FetchedPage(
            url=url,
            final_url=response.url,
            status=response.status,
            headers=headers,
            content=response.content,
            fetched_at=response.fetched_at,
            source_id=source_id,
        )

    def _archive(self, page: FetchedPage, response: _Response) -> str | None:
        if self.archive is None:
            return None
        return self.archive.write(page, request_headers=response.request_headers)

    # ------------------------------------------------------------------ one URL, retries

    async def _request(
        self, url: str, headers: dict[str, str], *, truncate_at: int | None = None
    ) -> tuple[_Response, int]:
        s = self.settings
        attempt = 0
        cookie_retry = False
        while True:
            try:
                response = await self._attempt(url, headers, truncate_at)
            except _Failure as failure:
                if failure.retryable and attempt < s.retries:
                    await asyncio.sleep(self._backoff(attempt))
                    attempt += 1
                    continue
                if attempt:
                    failure.message += f"（已重试 {attempt} 次）"
                raise
            if response.status in _RETRY_STATUSES and attempt < s.retries:
                self._archive(self._page(url, response, None), response)
                wait = retry_after_seconds(response.header("retry-after"))
                await asyncio.sleep(
                    min(max(wait or 0.0, self._backoff(attempt)), s.max_retry_after)
                )
                attempt += 1
                continue
            if (
                response.status in _COOKIE_GATES
                and response.header("set-cookie")
                and not cookie_retry
            ):
                # The jar now holds the cookie the gate handed out; show it once.
                self._archive(self._page(url, response, None), response)
                cookie_retry = True
                continue
            return response, attempt

    def _backoff(self, attempt: int) -> float:
        return self.settings.backoff_base * (2**attempt)

    async def _delay(self, url: str) -> float:
        delay = self.settings.delay_seconds
        if self.settings.respect_robots and not url.endswith("/robots.txt"):
            crawl_delay = await self.robots.crawl_delay(url)
            delay = max(delay, min(crawl_delay, self.settings.max_retry_after))
        return delay

    async def _attempt(
        self, url: str, headers: dict[str, str], truncate_at: int | None = None
    ) -> _Response:
        assert self._client is not None, "Fetcher 需在 async with 中使用"
        s = self.settings
        async with self._gates.slot(url, await self._delay(url)):
            self.requests += 1
            try:
                # The deadline starts once the host's turn has come: waiting politely is not slow.
                async with asyncio.timeout(s.total_timeout):
                    async with self._client.stream("GET", url, headers=headers) as response:
                        return await self._read(url, response, truncate_at)
            except TimeoutError:
                raise _Failure(
                    f"请求总时长超过上限 total_timeout={s.total_timeout:g}s"
                    "（服务器响应过慢，已中止；可在 FetchSettings.total_timeout 调整）"
                ) from None
            except httpx.ConnectTimeout:
                raise _Failure(
                    f"连接超时（connect_timeout={s.connect_timeout:g}s）", retryable=True
                ) from None
            except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout):
                raise _Failure(
                    f"读取超时（read_timeout={s.read_timeout:g}s）", retryable=True
                ) from None
            except httpx.ConnectError as exc:
                raise _Failure(f"无法连接（{exc or '连接被拒绝'}）", retryable=True) from None
            except httpx.RemoteProtocolError as exc:
                if "location header" in str(exc).lower():  # httpx: a Location it cannot parse
                    raise _Failure(f"重定向到无法抓取的地址（{exc}）") from None
                raise _Failure(
                    f"连接被重置或中断（{exc or type(exc).__name__}）", retryable=True
                ) from None
            except (httpx.ReadError, httpx.WriteError) as exc:
                raise _Failure(
                    f"连接被重置或中断（{exc or type(exc).__name__}）", retryable=True
                ) from None
            except httpx.InvalidURL as exc:
                # Our own URL passed ``unfetchable``; httpx parses a redirect's Location while
                # building the response, so this is the server pointing at ``javascript:…``.
                raise _Failure(f"重定向到无法抓取的地址（Location 无效：{exc}）") from None
            except httpx.HTTPError as exc:
                raise _Failure(f"请求失败（{type(exc).__name__}: {exc}）") from None
            except (ValueError, OSError, ExceptionGroup) as exc:
                # A URL httpx accepts but the socket layer cannot use (port 99999, bad IDNA…).
                raise _Failure(f"地址无法连接（{type(exc).__name__}: {exc}）") from None

    async def _read(
        self, url: str, response: httpx.Response, truncate_at: int | None = None
    ) -> _Response:
        """The body, at most ``max_bytes``; with ``truncate_at`` the first that many bytes
        are kept instead of failing (robots.txt: RFC 9309 asks to parse at least 500 KiB)."""
        limit = truncate_at or self.settings.max_bytes
        declared_text = response.headers.get("content-length", "")
        declared = int(declared_text) if declared_text.isdigit() else None
        if declared is not None and declared > limit and truncate_at is None:
            raise _Failure(
                f"响应体过大：声明 {human_size(declared)}，超过上限 max_bytes={human_size(limit)}"
            )
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > limit and truncate_at is not None:
                    chunks.append(chunk[: len(chunk) - (size - limit)])
                    break
                if size > limit:
                    raise _Failure(
                        f"响应体过大：已读到 {human_size(size)}，超过上限 max_bytes={human_size(limit)}，已中止"
                    )
                chunks.append(chunk)
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            received = response.num_bytes_downloaded
            if declared is not None and received < declared:
                raise _Failure(
                    f"响应体不完整：Content-Length 声明 {declared} 字节，只收到 {received} 字节",
                    retryable=True,
                ) from None
            raise _Failure(f"读取响应时连接中断（{exc}）", retryable=True) from None
        return _Response(
            url=url,
            status=response.status_code,
            headers=[(k.lower(), v) for k, v in response.headers.multi_items()],
            content=b"".join(chunks),
            fetched_at=datetime.now(UTC),
            request_headers=dict(response.request.headers),
        )

    async def _load_robots(self, robots_url: str) -> tuple[int, bytes] | None:
        try:
            response, _ = await self._request(robots_url, {}, truncate_at=ROBOTS_MAX_BYTES)
        except _Failure:
            return None
        if 200 <= response.status < 300 and self.archive is not None:
            self._archive(self._page(robots_url, response, None), response)
        return response.status, response.content
