"""The LLM writer's response cache: an answer per (model, prompt) hash, kept in the store.

Imported at the bottom of ``tables.py`` so that ``Base.metadata`` knows the table; migration
``0004`` creates it.

    >>> cache = store.response_cache()
    >>> cache.put(key, model="deepseek-chat", content='{"heading": …}', tokens_in=2100, tokens_out=640)
    >>> cache.get(key).tokens_out
    640
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from zhibao.core.time import now_utc
from zhibao.store.tables import Base, UTCDateTime

__all__ = ["CachedResponse", "LLMResponseRow", "ResponseCache"]


class LLMResponseRow(Base):
    """A language model's answer, keyed by model + prompt hash: re-running a brief costs nothing."""

    __tablename__ = "llm_responses"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of model + messages
    model: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    tokens_in: Mapped[int] = mapped_column(Integer, default=0)
    tokens_out: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class CachedResponse:
    content: str
    tokens_in: int
    tokens_out: int


class ResponseCache:
    """Get and put cached answers; each call is its own short transaction (thread-safe)."""

    def __init__(self, engine: Engine):
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def get(self, key: str) -> CachedResponse | None:
        with self._sessions() as session:
            row = session.get(LLMResponseRow, key)
            return CachedResponse(row.content, row.tokens_in, row.tokens_out) if row else None

    def put(self, key: str, *, model: str, content: str, tokens_in: int, tokens_out: int) -> None:
        with self._sessions() as session, session.begin():
            row = session.get(LLMResponseRow, key)
            if row is None:
                session.add(
                    LLMResponseRow(
                        key=key,
                        model=model,
                        content=content,
                        tokens_in=tokens_in,
                        tokens_out=tokens_out,
                        created_at=now_utc(),
                    )
                )
            else:
                row.content, row.tokens_in, row.tokens_out = content, tokens_in, tokens_out

    def count(self) -> int:
        with self._sessions() as session:
            return session.scalar(select(func.count()).select_from(LLMResponseRow)) or 0
