"""Benchmark of the analyze stage on 10,000 documents replayed from the CCTV development pages.

    .venv/bin/python benchmarks/analyze.py ../shared/data/cctv-2026-03-04/pages [-n 10000] [-r 3]

The pages are read from the given path (never copied). Variants of each item are generated
as other outlets' reports: another day within two weeks, another outlet and tier, a prefixed
title, paragraphs dropped or rotated — so dedup and event clustering have real work. Reported:
median seconds per stage over the repeats, a baseline measured in the same process (plain
jieba tokenisation of the same texts), and the peak resident memory of the process.

Then the writing stage on the analysis (extractive writer + checker), and "a brief from stored
documents": the documents are stored once in a temporary SQLite file and ``make_brief`` (read
the window from the store, analyze, write, check, save the brief) is timed over the repeats.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from cctv_documents import read_pages  # noqa: E402

from zhibao.analyze import analyze  # noqa: E402
from zhibao.analyze.dedup import near_duplicate_groups  # noqa: E402
from zhibao.analyze.text import tokenize  # noqa: E402
from zhibao.check import check_brief  # noqa: E402
from zhibao.config import load_brand, load_profile  # noqa: E402
from zhibao.core.model import (  # noqa: E402
    Document,
    Source,  # noqa: E402
    Tier,
)
from zhibao.extract.stories import split_stories  # noqa: E402
from zhibao.runs.briefing import make_brief  # noqa: E402
from zhibao.store import Store  # noqa: E402
from zhibao.write import WriteContext, get_writer  # noqa: E402

OUTLETS = [
    ("cctv", "中央广播电视总台", Tier.official_media),
    ("xinhua", "新华社", Tier.official_media),
    ("people", "人民日报", Tier.official_media),
    ("gov", "中国政府网", Tier.central),
    ("local-sh", "上海市人民政府", Tier.local),
    ("stcn", "证券时报", Tier.financial_media),
]


def variants(originals: list[Document], n: int, seed: int = 7) -> list[Document]:
    """``n`` documents: the originals, then varied copies of them."""
    rng = random.Random(seed)
    out = list(originals[:n])
    k = 0
    while len(out) < n:
        base = originals[k % len(originals)]
        k += 1
        source_id, org, _tier = OUTLETS[rng.randrange(len(OUTLETS))]
        paragraphs = base.paragraphs
        if len(paragraphs) > 2 and rng.random() < 0.5:
            paragraphs = paragraphs[: -1 - rng.randrange(len(paragraphs) // 2)]
        elif len(paragraphs) > 2:
            paragraphs = paragraphs[1:] + paragraphs[:1]
        shift = timedelta(days=rng.randrange(-7, 7), minutes=rng.randrange(600))
        published = base.published_at + shift if base.published_at else None
        url = f"{base.url}?outlet={source_id}&v={k}"
        out.append(
            base.model_copy(
                update={
                    "url": url,
                    "canonical_url": url,
                    "title": f"{org}：{base.title}" if rng.random() < 0.5 else base.title,
                    "text": "\n".join(paragraphs),
                    "source_id": source_id,
                    "source_org": org,
                    "published_at": None if rng.random() < 0.02 else published,
                }
            )
        )
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path, help="CCTV pages directory (…/cctv-2026-03-04/pages)")
    parser.add_argument("-n", "--documents", type=int, default=10_000)
    parser.add_argument("-r", "--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    originals = read_pages(args.pages)
    load_seconds = time.perf_counter() - started
    documents = variants(originals, args.documents)
    days = sorted(d.published_at.date() for d in documents if d.published_at)
    profile = load_profile(Path("/nonexistent"))  # the built-in profile, whatever ZHIBAO_HOME says
    tiers = {source_id: tier for source_id, _org, tier in OUTLETS}
    # Every document is read; the window is the last days that have something on the topic
    # (the stream's last evenings may have nothing, and then no brief is written at all).
    brief_date = days[-1] + timedelta(days=1)
    while analyze(documents, profile, brief_date=brief_date, tiers=tiers).empty:
        brief_date -= timedelta(days=1)
    print(
        f"{len(originals)} pages read in {load_seconds:.1f}s → {len(documents)} documents, "
        f"brief date {brief_date}",
        flush=True,
    )

    brand = load_brand(Path("/nonexistent"))
    orgs = {source_id: org for source_id, org, _tier in OUTLETS}
    sources = [
        Source(id=i, name=org, org=org, tier=tier, urls=["https://example.org/"])
        for i, org, tier in OUTLETS
    ]
    runs: dict[str, list[float]] = {}
    counts = {}
    for _ in range(args.repeat):
        tick = time.perf_counter()
        for d in documents:  # baseline: plain jieba tokenisation of the same texts
            tokenize(f"{d.title}\n{d.text}")
        runs.setdefault("baseline: jieba tokenise", []).append(time.perf_counter() - tick)

        tick = time.perf_counter()  # round-ups cut into stories, as collection does per page
        stories = [s for d in documents for s in split_stories(d, profile.roundup_titles)]
        runs.setdefault("split round-ups", []).append(time.perf_counter() - tick)
        counts["documents after splitting"] = len(stories)

        analysis = analyze(documents, profile, brief_date=brief_date, tiers=tiers)
        for stage, seconds in analysis.report.timings.items():
            runs.setdefault(f"analyze.{stage}", []).append(seconds)
        counts = analysis.report.counts

        tick = time.perf_counter()
        groups = near_duplicate_groups(documents)  # stress: dedup over all documents
        runs.setdefault("dedup over all documents", []).append(time.perf_counter() - tick)
        counts["duplicate groups (all documents)"] = len(groups)

        by_url = {d.canonical_url: d for d in documents}
        context = WriteContext(brief_date=brief_date, brand=brand, profile=profile, orgs=orgs)
        tick = time.perf_counter()
        brief = get_writer("extractive").write_brief(analysis, context)
        runs.setdefault("write (extractive)", []).append(time.perf_counter() - tick)
        tick = time.perf_counter()
        report = check_brief(brief, {r.id: by_url.get(r.url) for r in brief.references})
        runs.setdefault("check", []).append(time.perf_counter() - tick)
        counts["checker failures"] = len(report.failures)

    with tempfile.TemporaryDirectory() as tmp, Store.open(f"sqlite:///{tmp}/bench.db") as store:
        tick = time.perf_counter()
        for d in documents:
            store.upsert_document(d)
        print(f"stored {len(documents)} documents in {time.perf_counter() - tick:.1f}s", flush=True)
        for _ in range(args.repeat):
            tick = time.perf_counter()
            run = make_brief(
                brief_date, store=store, profile=profile, brand=brand, sources=sources
            )
            runs.setdefault("brief from stored documents", []).append(time.perf_counter() - tick)
            for stage, seconds in run.timings.items():
                runs.setdefault(f"  make_brief.{stage}", []).append(seconds)
        counts["stored brief status"] = run.brief.status

    print(f"\n{'stage':32} {'median s':>9} {'min s':>8}")
    for stage, values in runs.items():
        print(f"{stage:32} {statistics.median(values):9.2f} {min(values):8.2f}")
    print("\ncounts:", ", ".join(f"{k}={v}" for k, v in counts.items()))
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
