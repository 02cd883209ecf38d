"""Benchmark of analysis that scales with the store: features scored once, briefs read them.

    .venv/bin/python benchmarks/analyze_store.py ../shared/data/cctv-2026-03-04/pages [-n 100000] [-r 3]

The documents are those of ``benchmarks/analyze.py`` (the CCTV development pages and varied
copies of them as other outlets' reports; read from the given path, never copied). Reported,
as median and minimum seconds over the repeats:

- the baseline, in the same process: plain jieba tokenisation of the same texts;
- analysis of N new documents: their features (relevance and MinHash) in this process and in a
  pool of one worker per CPU, then ``analyze`` over all N with those features;
- a brief from an N-document store (``make_brief``: read the window, analyse, write, check,
  save): cold, the window's features computed and stored (dropped before each repeat), and
  warm, the features read back;
- peak resident memory of this process and of its largest worker process (a forked worker
  shares the parent's pages until it writes them, so the two do not add up).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from cctv_documents import read_pages  # noqa: E402

from analyze import OUTLETS, variants  # noqa: E402  (benchmarks/analyze.py)
from zhibao.analyze import analyze, document_features  # noqa: E402
from zhibao.analyze.text import tokenize  # noqa: E402
from zhibao.config import load_brand, load_profile  # noqa: E402
from zhibao.core.model import Source  # noqa: E402
from zhibao.runs.briefing import make_brief  # noqa: E402
from zhibao.store import Store  # noqa: E402


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


class Timings(dict[str, list[float]]):
    """Seconds per stage over the repeats."""

    def add(self, stage: str, seconds: float) -> None:
        self.setdefault(stage, []).append(seconds)

    def since(self, stage: str, tick: float) -> float:
        seconds = time.perf_counter() - tick
        self.add(stage, seconds)
        return seconds


def analysis_of_new(documents, profile, tiers, repeat: int, runs: Timings):
    """Baseline tokenisation, features alone and pooled, analysis with them; → brief date, counts."""
    cpus = os.cpu_count() or 1
    urls = [d.canonical_url for d in documents]
    brief_date = None
    for _ in range(repeat):
        tick = time.perf_counter()
        for d in documents:
            tokenize(f"{d.title}\n{d.text}")
        runs.since("baseline: jieba tokenise", tick)
        tick = time.perf_counter()
        document_features(documents, profile, processes=1)
        runs.since("features, 1 process", tick)
        tick = time.perf_counter()
        found = document_features(documents, profile, processes=cpus)
        pooled = runs.since(f"features, pool of {cpus}", tick)
        features = dict(zip(urls, found, strict=True))
        if brief_date is None:  # the last day with news on the topic (as benchmarks/analyze.py)
            brief_date = max(d.published_at for d in documents if d.published_at).date()
            brief_date += timedelta(days=1)
            while analyze(documents, profile, brief_date=brief_date, features=features).empty:
                brief_date -= timedelta(days=1)
        tick = time.perf_counter()
        analysis = analyze(
            documents, profile, brief_date=brief_date, tiers=tiers, features=features
        )
        runs.add(
            f"analysis of {len(documents)} new documents", pooled + runs.since("analyze", tick)
        )
    return brief_date, dict(analysis.report.counts)


def briefs_from_store(store, brief_date, profile, brand, sources, repeat: int, runs: Timings):
    """``make_brief`` cold (features dropped first) and warm; → the last run."""
    for warm in (False, True):
        label = "warm" if warm else "cold"
        for _ in range(repeat):
            if not warm:
                store.drop_features(profile.name)  # every feature of the window computed
            tick = time.perf_counter()
            run = make_brief(brief_date, store=store, profile=profile, brand=brand, sources=sources)
            runs.since(f"brief from store, {label}", tick)
            runs.add(f"  {label} make_brief.analyze", run.timings["analyze"])
            if warm:
                for stage, seconds in run.analysis.report.timings.items():
                    runs.add(f"  warm analyze.{stage}", seconds)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path, help="CCTV pages directory (…/cctv-2026-03-04/pages)")
    parser.add_argument("-n", "--documents", type=int, default=10_000)
    parser.add_argument("-r", "--repeat", type=int, default=3)
    args = parser.parse_args()

    documents = variants(read_pages(args.pages), args.documents)
    profile = load_profile(Path("/nonexistent"))  # the built-in profile, whatever ZHIBAO_HOME says
    brand = load_brand(Path("/nonexistent"))
    tiers = {source_id: tier for source_id, _org, tier in OUTLETS}
    sources = [
        Source(id=i, name=org, org=org, tier=tier, urls=["https://example.org/"])
        for i, org, tier in OUTLETS
    ]
    runs = Timings()
    brief_date, counts = analysis_of_new(documents, profile, tiers, args.repeat, runs)
    print(f"{len(documents)} documents, brief date {brief_date}", flush=True)

    with tempfile.TemporaryDirectory() as tmp, Store.open(f"sqlite:///{tmp}/bench.db") as store:
        tick = time.perf_counter()
        for d in documents:
            store.upsert_document(d)
        print(f"stored {len(documents)} documents in {time.perf_counter() - tick:.1f}s", flush=True)
        del documents  # a brief works from the store alone
        run = briefs_from_store(store, brief_date, profile, brand, sources, args.repeat, runs)
        counts["window documents"] = run.analysis.report.counts["documents"]
        counts["window relevant"] = run.analysis.report.counts["relevant"]
        counts["stored brief status"] = run.brief.status

    print(f"\n{'stage':36} {'median s':>9} {'min s':>8}")
    for stage, values in runs.items():
        print(f"{stage:36} {statistics.median(values):9.2f} {min(values):8.2f}")
    print("\ncounts:", ", ".join(f"{k}={v}" for k, v in counts.items()))
    print(
        f"peak RSS: {peak_rss_mb():.0f} MB (this process), "
        f"{peak_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB (largest worker)"
    )


if __name__ == "__main__":
    main()
