"""Helpers shared by the pipeline tests (a uniquely named module, importable from tests)."""

from __future__ import annotations

from datetime import date

from zhibao.crawl import FetchSettings
from zhibao.extract import canonical_url
from zhibao.runs.demo_sites import DEMO_DAYS, Manifest

# Loopback only: no politeness delay, no retries (a 404 is final anyway).
FAST = FetchSettings(delay_seconds=0.0, per_host_concurrency=8, retries=0)


def expected_urls(manifest: Manifest, base: str, window: list[date] = DEMO_DAYS) -> set[str]:
    """Canonical URLs of the articles a crawl of the window must store: listed inside the
    window, and not a page planted as broken."""
    first, last = min(window), max(window)
    return {
        canonical_url(base + a["path"])
        for a in manifest.articles
        if first <= date.fromisoformat(a["listed"]) <= last and not a.get("broken")
    }


def broken_urls(manifest: Manifest, base: str) -> set[str]:
    return {canonical_url(base + a["path"]) for a in manifest.articles if a.get("broken")}
