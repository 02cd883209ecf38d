"""Source health: is each source still giving documents, or has its site changed under us?

A verdict per source from its recent runs (``run_sources`` rows):

- ``failing``: the latest run had errors and brought no document (new or updated);
- ``empty-list``: in the latest run a list page matched no article link (selector out of date);
- ``quiet``: no new document for ``quiet_after`` runs in a row (or in every run so far, when fewer);
- ``ok``: none of the above; ``never-run``: configured but not in any run yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

__all__ = ["PROBLEM_VERDICTS", "RunRecord", "SourceHealth", "Verdict", "judge_source", "order_ids"]

Verdict = Literal["ok", "quiet", "failing", "empty-list", "never-run"]
PROBLEM_VERDICTS: frozenset[str] = frozenset({"failing", "quiet", "empty-list"})


@dataclass(frozen=True)
class RunRecord:
    """One source's line in one run, newest first when passed to ``judge_source``."""

    run_id: int
    started_at: datetime
    lists_fetched: int
    lists_empty: int
    new_documents: int
    updated_documents: int
    errors: int
    last_error: str | None


@dataclass(frozen=True)
class SourceHealth:
    """What ``zhibao sources check`` shows for one source."""

    source_id: str
    verdict: Verdict
    runs: int = 0  # runs looked at (at most ``last_runs``)
    last_run_at: datetime | None = None
    new_documents: int = 0  # over the runs looked at
    updated_documents: int = 0
    errors: int = 0
    runs_since_new: int = 0  # over the whole history
    lists_fetched: int = 0  # in the latest run
    lists_empty: int = 0  # in the latest run
    last_error: str | None = None
    last_error_at: datetime | None = None

    @property
    def problem(self) -> bool:
        return self.verdict in PROBLEM_VERDICTS


def judge_source(
    source_id: str,
    recent: Sequence[RunRecord],
    *,
    runs_since_new: int,
    total_runs: int,
    quiet_after: int,
) -> SourceHealth:
    """The verdict for one source from its most recent runs (``recent[0]`` is the latest)."""
    if not recent:
        return SourceHealth(source_id=source_id, verdict="never-run")
    latest = recent[0]
    errored = next((r for r in recent if r.last_error), None)
    verdict: Verdict = "ok"
    if latest.errors > 0 and latest.new_documents + latest.updated_documents == 0:
        verdict = "failing"
    elif latest.lists_empty > 0:
        verdict = "empty-list"
    elif runs_since_new >= min(quiet_after, total_runs):
        verdict = "quiet"
    return SourceHealth(
        source_id=source_id,
        verdict=verdict,
        runs=len(recent),
        last_run_at=latest.started_at,
        new_documents=sum(r.new_documents for r in recent),
        updated_documents=sum(r.updated_documents for r in recent),
        errors=sum(r.errors for r in recent),
        runs_since_new=runs_since_new,
        lists_fetched=latest.lists_fetched,
        lists_empty=latest.lists_empty,
        last_error=errored.last_error if errored else None,
        last_error_at=errored.started_at if errored else None,
    )


def order_ids(recorded: Iterable[str], configured: Iterable[str] | None) -> list[str]:
    """Configured sources first in their configured order, then any others that were recorded."""
    ordered = list(dict.fromkeys(configured or ()))
    ordered += sorted(set(recorded) - set(ordered))
    return ordered
