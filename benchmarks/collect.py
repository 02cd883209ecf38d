"""Collection speed on the bundled demo sites, end to end, and extraction cost per page.

Starts the loopback demo server, then for each of ``--runs`` runs crawls every demo source
into a fresh store with politeness delays off (fetch + decode + extract + store, WARC
archive included) and reports pages per second. Then it times ``extract_document`` against
plain ``trafilatura.extract`` on the same article pages (read back from the run's WARC file),
alternating the two in the same process, and reports per-page times and their ratio.
Medians throughout. Targets (issue 3): ≥ 50 pages/s on 2 cores; extraction ≤ 1.3× trafilatura.

    .venv/bin/python benchmarks/collect.py            # 5 runs
    .venv/bin/python benchmarks/collect.py --runs 9 --concurrency 4
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import trafilatura

from zhibao.core.model import FetchedPage, Source
from zhibao.crawl import decode_html, iter_warc
from zhibao.extract import ExtractError, canonical_url, extract_document
from zhibao.runs.collection import RunReport
from zhibao.runs.demo import crawl_demo_sites
from zhibao.runs.demo_server import serve_demo_sites
from zhibao.runs.demo_sites import demo_sources
from zhibao.store import Store


def crawl_once(base: str, workdir: Path, concurrency: int) -> tuple[RunReport, float, int]:
    """One full crawl into a fresh store: (report, seconds, pages handled)."""
    with Store.open(data_dir=workdir) as store:
        started = time.perf_counter()
        report = crawl_demo_sites(base, store, workdir / "archive", concurrency=concurrency)
        seconds = time.perf_counter() - started
        stored = store.count_documents()
    t = report.totals
    # Every article page handled counts: stored, unchanged or refused by extraction.
    pages = t["new"] + t["updated"] + t["unchanged"] + t["rejected"]
    assert stored == t["new"], (stored, t)
    return report, seconds, pages


def article_pages(
    report: RunReport, stored: dict[str, Source | None]
) -> list[tuple[str, str, Source | None]]:
    """(url, decoded html, source) of every article page of the run, from its WARC file; the
    source is the one the page was collected for, as in a collection run (its body rules)."""
    assert report.archive is not None
    pages: list[FetchedPage] = [p for p in iter_warc(report.archive) if p.status == 200]
    seen: set[str] = set()
    out = []
    for page in pages:
        key = canonical_url(page.final_url)
        if key in stored and key not in seen:
            seen.add(key)
            html = decode_html(page.content, page.content_type)
            out.append((page.final_url, html, stored[key]))
    return out


def time_extraction(
    pages: list[tuple[str, str, Source | None]], rounds: int
) -> tuple[float, float]:
    """Median seconds per page for (zhibao, trafilatura), alternating rounds to share noise."""
    ours, theirs = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        for url, html, source in pages:
            with contextlib.suppress(ExtractError):
                extract_document(html, url, source=source, listed_date=date(2026, 5, 24))
        ours.append((time.perf_counter() - started) / len(pages))
        started = time.perf_counter()
        for url, html, _source in pages:
            trafilatura.extract(html, url=url)
        theirs.append((time.perf_counter() - started) / len(pages))
    return statistics.median(ours), statistics.median(theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="完整采集的次数（取中位数）")
    parser.add_argument("--concurrency", type=int, default=8, help="每个站点的并发请求数")
    args = parser.parse_args()

    rates, seconds_list = [], []
    last_report, stored_urls = None, {}
    with serve_demo_sites() as base, tempfile.TemporaryDirectory() as tmp:
        sources = {s.id: s for s in demo_sources(base)}
        for number in range(args.runs):
            workdir = Path(tmp) / f"run{number}"
            report, seconds, pages = crawl_once(base, workdir, args.concurrency)
            rates.append(pages / seconds)
            seconds_list.append(seconds)
            print(
                f"run {number + 1}: {pages} pages in {seconds:.2f} s = {pages / seconds:.1f} pages/s"
            )
            last_report = report
            with Store.open(data_dir=workdir) as store:
                stored_urls = {
                    d.canonical_url: sources.get(d.source_id or "") for d in store.documents()
                }
        assert last_report is not None
        pages = article_pages(last_report, stored_urls)
        ours, theirs = time_extraction(pages, rounds=max(args.runs, 5))

    print()
    print(
        f"end to end (fetch + extract + store): median {statistics.median(rates):.1f} pages/s "
        f"(min {min(rates):.1f}, max {max(rates):.1f}; {len(pages)} article pages, "
        f"median run {statistics.median(seconds_list):.2f} s) — target ≥ 50"
    )
    print(
        f"extraction per page: zhibao {ours * 1000:.2f} ms, trafilatura {theirs * 1000:.2f} ms, "
        f"ratio {ours / theirs:.2f}× — target ≤ 1.3×"
    )


if __name__ == "__main__":
    main()
