"""Where the model is and how much it may cost: ``LLMSettings`` from config and environment.

Precedence, key by key: ``ZHIBAO_LLM_BASE_URL`` / ``ZHIBAO_LLM_API_KEY`` / ``ZHIBAO_LLM_MODEL``,
then the ``llm:`` section of ``<config dir>/llm.yaml``, then the SDK's ``OPENAI_BASE_URL`` /
``OPENAI_API_KEY``, then the built-in ``defaults/llm.yaml``.

    >>> settings = load_llm_settings()          # config dir: $ZHIBAO_HOME or ~/.zhibao
    >>> settings.model, settings.concurrency
    ('deepseek-chat', 4)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from zhibao.core.errors import ConfigError, format_validation_error

__all__ = ["DEFAULTS", "LLM_FILE", "LLMSettings", "Price", "load_llm_settings"]

DEFAULTS = Path(__file__).parent / "defaults" / "llm.yaml"
LLM_FILE = "llm.yaml"

_ENV = {
    "base_url": ("ZHIBAO_LLM_BASE_URL",),
    "api_key": ("ZHIBAO_LLM_API_KEY",),
    "model": ("ZHIBAO_LLM_MODEL",),
}
_SDK_ENV = {"base_url": "OPENAI_BASE_URL", "api_key": "OPENAI_API_KEY"}


class Price(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input: Annotated[float, Field(ge=0)]  # per million input tokens
    output: Annotated[float, Field(ge=0)]  # per million output tokens


class LLMSettings(BaseModel):
    """Endpoint, limits and prices of the LLM writer (see ``defaults/llm.yaml`` for each key)."""

    model_config = ConfigDict(extra="forbid")

    base_url: str | None = None
    api_key: str | None = None
    model: str | None = None
    timeout: Annotated[float, Field(gt=0)] = 90.0
    retries: Annotated[int, Field(ge=0, le=10)] = 2
    backoff: Annotated[float, Field(ge=0)] = 1.0
    backoff_max: Annotated[float, Field(ge=0)] = 20.0
    concurrency: Annotated[int, Field(ge=1, le=32)] = 4
    token_budget: Annotated[int, Field(ge=1000)] = 60_000
    max_output_tokens: Annotated[int, Field(ge=100)] = 1500
    temperature: Annotated[float, Field(ge=0, le=2)] = 0.3
    structured_output: Literal["auto", "json_schema", "json_object"] = "auto"
    lead_chars: Annotated[int, Field(ge=200)] = 1600
    snippet_chars: Annotated[int, Field(ge=100)] = 700
    currency: str = "元"
    prices: dict[str, Price] = Field(default_factory=dict)

    @property
    def configured(self) -> bool:
        return bool(self.model)

    def price(self, model: str | None = None) -> Price | None:
        """The price of ``model`` (default: the configured one): exact name, else longest prefix."""
        name = model or self.model or ""
        if name in self.prices:
            return self.prices[name]
        prefixes = [p for p in self.prices if name.startswith(p)]
        return self.prices[max(prefixes, key=len)] if prefixes else None

    def where(self) -> str:
        """The endpoint as shown to a user (never the key)."""
        return self.base_url or "https://api.openai.com/v1（SDK 默认）"


def _section(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: YAML 语法错误：{exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("llm", {}), dict):
        raise ConfigError(
            f"{path}: 应有一个 llm: 段（键值映射），例如 llm: {{model: deepseek-chat}}"
        )
    return dict(data.get("llm") or {})


def load_llm_settings(
    config_dir: str | Path | None = None, *, environ: dict[str, str] | None = None
) -> LLMSettings:
    """Settings from the built-in defaults, ``<config_dir>/llm.yaml`` and the environment."""
    env = os.environ if environ is None else environ
    if config_dir is None:
        from zhibao.config import resolve_paths

        config_dir = resolve_paths().config_dir
    data = _section(DEFAULTS)
    user = Path(config_dir) / LLM_FILE
    origin = DEFAULTS
    if user.is_file():
        data.update(_section(user))
        origin = user
    for key, sdk_name in _SDK_ENV.items():
        if not data.get(key) and env.get(sdk_name):
            data[key] = env[sdk_name]
    for key, names in _ENV.items():
        for name in names:
            if env.get(name):
                data[key] = env[name]
    try:
        return LLMSettings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, origin=f"{origin} (llm)")) from None
