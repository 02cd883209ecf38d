"""write.llm: the brief written by any OpenAI-compatible model, and nothing it invents kept.

The model writes each section from numbered, delimited source snippets and answers in JSON;
every section passes the checker or is asked once more, then falls back to the extractive
section flagged ``needs_review``. References always come from stored metadata. Settings:
``llm.yaml`` in the config dir or ``ZHIBAO_LLM_BASE_URL`` / ``ZHIBAO_LLM_API_KEY`` /
``ZHIBAO_LLM_MODEL`` (falling back to ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY``).

    >>> from zhibao.runs.briefing import make_brief
    >>> run = make_brief(date(2026, 5, 25), store=store, writer="llm")
    >>> print("\\n".join(run.lines()))       # includes the writer's usage report
"""

from __future__ import annotations

from zhibao.config.llm import LLMSettings, Price, load_llm_settings
from zhibao.write.llm.client import ChatClient, EndpointUnavailable, LLMError, Usage
from zhibao.write.llm.writer import LLMWriter, WriteReport

__all__ = [
    "ChatClient",
    "EndpointUnavailable",
    "LLMError",
    "LLMSettings",
    "LLMWriter",
    "Price",
    "Usage",
    "WriteReport",
    "load_llm_settings",
]
