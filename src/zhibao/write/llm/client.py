"""One chat-completion call, done carefully: cache, budget, retries, structured output, usage.

- **Retries are ours, not the SDK's** (``max_retries=0``): on 429, 5xx, timeouts and refused
  connections we wait ``backoff · 2ⁿ`` seconds (or the server's ``Retry-After``, capped by
  ``backoff_max``) and try again, ``retries`` times. An endpoint that keeps refusing connections
  is marked down, so the other sections fall back at once instead of each waiting out retries.
- **Structured output**: JSON Schema (``response_format={"type": "json_schema"}``) where the
  endpoint supports it; an endpoint that rejects it with 400/422 is asked in JSON mode
  (``{"type": "json_object"}``) from then on. The prompt always describes the JSON shape too.
- **Cache**: an answer is looked up by sha256(model + messages) in the store; ``keep`` stores
  it once the caller found it well-formed, so a re-run of the same brief makes no call.
- **Budget and usage**: every call reserves its estimated tokens against the brief's budget
  and records the tokens the endpoint reports.

    >>> client = ChatClient(settings, cache=store.response_cache())
    >>> reply = client.complete(messages, schema=SectionAnswer.model_json_schema(), name="section")
    >>> client.usage.calls, client.usage.tokens_in
    (1, 2310)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import openai

from zhibao.core.errors import ZhibaoError

if TYPE_CHECKING:
    from zhibao.config.llm import LLMSettings
    from zhibao.store.responses import ResponseCache

__all__ = [
    "BudgetExceeded",
    "ChatClient",
    "EndpointUnavailable",
    "LLMError",
    "Reply",
    "Usage",
    "estimate_tokens",
    "prompt_key",
]

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


class LLMError(ZhibaoError):
    """A call to the model failed for good; the section falls back to the extractive writer."""


class EndpointUnavailable(LLMError):
    """The endpoint did not answer (refused, timed out, 429/5xx after every retry)."""


class BudgetExceeded(LLMError):
    """The brief's token budget would be exceeded by this call."""


def estimate_tokens(text: str) -> int:
    """A tokenizer-free estimate: one token per CJK character, one per four other characters."""
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk + 3) // 4


def prompt_key(model: str, messages: list[dict[str, str]]) -> str:
    payload = json.dumps({"model": model, "messages": messages}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class Reply:
    content: str
    key: str
    tokens_in: int = 0
    tokens_out: int = 0
    cached: bool = False
    model: str = ""


@dataclass
class Usage:
    """What the brief's calls cost: counted across threads."""

    budget: int
    calls: int = 0  # HTTP requests that got an answer
    cached: int = 0  # answers taken from the cache
    retries: int = 0  # requests repeated after 429/5xx/timeouts
    failures: int = 0  # calls that failed for good
    tokens_in: int = 0
    tokens_out: int = 0
    reserved: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def tokens(self) -> int:
        return self.tokens_in + self.tokens_out

    def reserve(self, estimate: int) -> None:
        with self._lock:
            if self.tokens + self.reserved + estimate > self.budget:
                raise BudgetExceeded(
                    f"本期 token 预算 {self.budget} 将被超出（已用 {self.tokens}，本次预计 {estimate}）"
                    "；可在 llm.yaml 中调大 token_budget"
                )
            self.reserved += estimate

    def settle(self, estimate: int, tokens_in: int = 0, tokens_out: int = 0) -> None:
        with self._lock:
            self.reserved -= estimate
            self.tokens_in += tokens_in
            self.tokens_out += tokens_out

    def count(self, name: str, n: int = 1) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + n)

    def cost(self, settings: LLMSettings) -> float | None:
        price = settings.price()
        if price is None:
            return None
        return (self.tokens_in * price.input + self.tokens_out * price.output) / 1_000_000


_RETRYABLE = (openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError)


class ChatClient:
    """The LLM writer's only door to the model (thread-safe; one per brief)."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        cache: ResponseCache | None = None,
        sleep: Any = time.sleep,
    ):
        if not settings.model:
            raise LLMError(
                "未配置模型：请设置环境变量 ZHIBAO_LLM_MODEL，或在配置目录的 llm.yaml 中写 llm: {model: …}"
            )
        self.settings = settings
        self.model: str = settings.model
        self.cache = cache
        self.usage = Usage(budget=settings.token_budget)
        self._sleep = sleep
        self._format = (
            "json_object" if settings.structured_output == "json_object" else "json_schema"
        )
        self._lock = threading.Lock()
        self.down: str | None = None  # why the endpoint is considered unreachable
        self._sdk = openai.OpenAI(
            base_url=settings.base_url,
            # Local servers (vLLM, Ollama) take any key; the SDK insists on one being set.
            api_key=settings.api_key or "not-needed",
            timeout=settings.timeout,
            max_retries=0,
        )

    @property
    def response_format(self) -> str:
        return self._format

    # ------------------------------------------------------------------ calls

    def complete(self, messages: list[dict[str, str]], *, schema: dict, name: str) -> Reply:
        """The model's answer to ``messages`` (from the cache when it is there)."""
        key = prompt_key(self.model, messages)
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            self.usage.count("cached")
            return Reply(hit.content, key, hit.tokens_in, hit.tokens_out, True, self.model)
        if self.down:
            raise EndpointUnavailable(self.down)
        estimate = sum(estimate_tokens(m["content"]) for m in messages)
        estimate += self.settings.max_output_tokens
        self.usage.reserve(estimate)
        try:
            reply = self._with_retries(messages, schema, name, key)
        except LLMError:
            self.usage.settle(estimate)
            self.usage.count("failures")
            raise
        self.usage.settle(estimate, reply.tokens_in, reply.tokens_out)
        self.usage.count("calls")
        return reply

    def keep(self, reply: Reply) -> None:
        """Cache ``reply`` (the caller found it well-formed)."""
        if self.cache is not None and not reply.cached:
            self.cache.put(
                reply.key,
                model=reply.model or self.model,
                content=reply.content,
                tokens_in=reply.tokens_in,
                tokens_out=reply.tokens_out,
            )

    def _with_retries(
        self, messages: list[dict[str, str]], schema: dict, name: str, key: str
    ) -> Reply:
        settings = self.settings
        for attempt in range(settings.retries + 1):
            try:
                return self._request(messages, schema, name, key)
            except _RETRYABLE + (openai.InternalServerError,) as exc:
                problem = _describe(exc)
                if attempt == settings.retries:
                    # Refused connections mean the endpoint is down for every section; a slow
                    # answer to one prompt does not.
                    if isinstance(exc, openai.APIConnectionError) and not isinstance(
                        exc, openai.APITimeoutError
                    ):
                        with self._lock:
                            self.down = (
                                self.down or f"模型端点 {settings.where()} 无应答：{problem}"
                            )
                        raise EndpointUnavailable(self.down) from None
                    raise EndpointUnavailable(f"模型端点 {settings.where()}：{problem}") from None
                self.usage.count("retries")
                self._sleep(self._wait(exc, attempt))
            except openai.APIStatusError as exc:
                raise LLMError(
                    f"模型端点 {settings.where()} 拒绝了请求：{_describe(exc)}"
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, exc: Exception, attempt: int) -> float:
        settings = self.settings
        wait = settings.backoff * (2**attempt)
        response = getattr(exc, "response", None)
        if response is not None:
            with contextlib.suppress(ValueError):
                wait = float(response.headers.get("retry-after", wait))
        return min(max(wait, 0.0), settings.backoff_max)

    def _request(self, messages: list[dict[str, str]], schema: dict, name: str, key: str) -> Reply:
        while True:
            mode = self._format
            try:
                response = self._sdk.chat.completions.create(
                    model=self.model,
                    messages=messages,
                    temperature=self.settings.temperature,
                    max_tokens=self.settings.max_output_tokens,
                    response_format=_response_format(mode, schema, name),
                )
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                # An endpoint without JSON Schema support says so with 400/422: ask in JSON mode.
                if mode == "json_schema" and self.settings.structured_output == "auto":
                    with self._lock:
                        self._format = "json_object"
                    continue
                raise LLMError(f"模型端点拒绝了请求：{_describe(exc)}") from None
            break
        choice = response.choices[0] if response.choices else None
        content = (choice.message.content or "") if choice else ""
        usage = response.usage
        tokens_in = (
            usage.prompt_tokens if usage else sum(estimate_tokens(m["content"]) for m in messages)
        )
        tokens_out = usage.completion_tokens if usage else estimate_tokens(content)
        return Reply(content, key, tokens_in, tokens_out, False, response.model or self.model)

    # ------------------------------------------------------------------ doctor

    def models(self) -> list[str]:
        """The model ids the endpoint lists (``GET /models``)."""
        try:
            return [m.id for m in self._sdk.models.list()]
        except openai.APIError as exc:
            raise EndpointUnavailable(
                f"模型端点 {self.settings.where()}：{_describe(exc)}"
            ) from None


def _response_format(mode: str, schema: dict, name: str) -> dict:
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}
    return {"type": "json_object"}


def _describe(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    kind = {
        openai.APITimeoutError: "请求超时 (timeout)",
        openai.APIConnectionError: "无法连接 (connection failed)",
    }
    for cls, text in kind.items():
        if isinstance(exc, cls):
            return text
    if status == 429:
        return "请求过于频繁 (429 rate limited)"
    return f"HTTP {status}" if status else type(exc).__name__
