"""Where the model is and how much it may cost: ``LLMSettings`` from config and environment.

``llm.yaml`` is one more config file: found, merged key by key over the built-in
``defaults/llm.yaml`` and reported on by the loader of every other file (``load_config``),
and written by ``zhibao init``. The environment then applies on top, key by key:
``ZHIBAO_LLM_BASE_URL`` / ``ZHIBAO_LLM_API_KEY`` / ``ZHIBAO_LLM_MODEL`` over everything, and
the SDK's ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY`` where the files leave the key empty.

    >>> settings = load_llm_settings()          # config dir: $ZHIBAO_HOME or ~/.zhibao
    >>> settings.model, settings.concurrency
    ('deepseek-chat', 4)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from zhibao.config import DEFAULTS_DIR, load_config

__all__ = ["DEFAULTS", "LLM_FILE", "LLMFile", "LLMSettings", "Price", "load_llm_settings"]

LLM_FILE = "llm.yaml"
DEFAULTS = DEFAULTS_DIR / LLM_FILE

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


class LLMFile(BaseModel):
    """What ``llm.yaml`` holds: one ``llm:`` section."""

    model_config = ConfigDict(extra="forbid")

    llm: LLMSettings = Field(default_factory=LLMSettings)


def load_llm_settings(
    config_dir: str | Path | None = None, *, environ: dict[str, str] | None = None
) -> LLMSettings:
    """Settings from the built-in defaults, ``<config_dir>/llm.yaml`` and the environment."""
    env = os.environ if environ is None else environ
    settings = load_config(LLMFile, LLM_FILE, config_dir).llm
    update: dict[str, str] = {}
    for key, sdk_name in _SDK_ENV.items():
        if not getattr(settings, key) and env.get(sdk_name):
            update[key] = env[sdk_name]
    for key, names in _ENV.items():
        for name in names:
            if env.get(name):
                update[key] = env[name]
    # Only str | None fields are set from the environment: nothing here needs validating again.
    return settings.model_copy(update=update) if update else settings
