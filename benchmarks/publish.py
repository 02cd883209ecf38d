"""Publishing the bundled sample brief to a static site: cold (first, fresh process: fonts and
templates load) and warm median, with a site that already holds N earlier briefs.

    python benchmarks/publish.py [--runs 7] [--history 60]

Each run publishes a brief of a new date (index, page, PDF/DOCX/MD downloads, RSS and Atom
rebuilt from the manifest). Target (issue 6): ≤ 2 s per brief.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from zhibao import SAMPLE_BRIEF
from zhibao.config import DEFAULTS_DIR, load_brand
from zhibao.config.publish import PublishConfig
from zhibao.core.model import load_brief
from zhibao.publish import publish


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--history", type=int, default=60, help="earlier briefs on the site")
    args = parser.parse_args()
    brief = load_brief(SAMPLE_BRIEF)
    brand = load_brand(DEFAULTS_DIR)
    config = PublishConfig.model_validate({"site": {"base_url": "https://brief.example.org/"}})
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"

        def once(offset: int) -> float:
            dated = brief.model_copy(update={"date": brief.date - timedelta(days=offset)})
            start = time.perf_counter()
            report = publish(dated, ["site"], config, brand=brand, site_dir=site)
            elapsed = time.perf_counter() - start
            assert report.ok, report.lines()
            return elapsed

        cold = once(10_000)
        # Earlier briefs in the manifest: the index and feeds grow with them.
        history_start = time.perf_counter()
        for n in range(args.history):
            once(1000 + n)
        history_s = time.perf_counter() - history_start
        samples = [once(n) for n in range(args.runs)]
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f"cold (first publish in process): {cold:.3f} s")
    print(f"warm median of {args.runs} (site with {args.history + 1}+ briefs): {statistics.median(samples):.3f} s"
          f"  [min {min(samples):.3f}, max {max(samples):.3f}]")
    print(f"history build: {args.history} briefs in {history_s:.1f} s; site size {size / 1e6:.1f} MB")
    print("target: ≤ 2 s per brief")


if __name__ == "__main__":
    main()
