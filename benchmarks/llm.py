"""The LLM writer's own overhead, on the scripted OpenAI-compatible server (no real model).

    python benchmarks/llm.py [--runs 7]

Crawls the demo sites once, analyses the demo day once, then times, in one process:
the extractive writer, and the LLM writer against the scripted server on 127.0.0.1 (which
answers at once), uncached and from the response cache. The difference of medians is what
zhibao itself adds around the model (prompts, HTTP, validation, per-section checks, synthesis),
not the model's thinking time. Tokens are as the scripted server counts them (one per CJK
character, one per four other characters), reported for the demo's brief and for its first
five sections. Targets (issue 5): overhead < 1 s; ≤ 60k tokens for a 5-section brief.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "write" / "llm"))

from llm_helpers import ScriptedLLM, handler  # noqa: E402

from zhibao.analyze import analyze  # noqa: E402
from zhibao.config import DEFAULTS_DIR, load_brand, load_profile  # noqa: E402
from zhibao.runs.demo import DEMO_BRIEF_DATE, collect_demo_sites  # noqa: E402
from zhibao.runs.demo_sites import demo_sources  # noqa: E402
from zhibao.store import Store  # noqa: E402
from zhibao.write import WriteContext, get_writer  # noqa: E402
from zhibao.write.llm import LLMSettings, LLMWriter  # noqa: E402


def median_of(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs

    llm = ScriptedLLM()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(llm))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    llm.url = f"http://127.0.0.1:{server.server_address[1]}/v1"

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        collect_demo_sites(data, echo=lambda line: None)
        sources = demo_sources("http://127.0.0.1")
        profile = load_profile(DEFAULTS_DIR)
        with Store.open(data_dir=data) as store:
            documents = store.documents(DEMO_BRIEF_DATE - timedelta(days=33), DEMO_BRIEF_DATE)
            analysis = analyze(
                documents,
                profile,
                brief_date=DEMO_BRIEF_DATE,
                tiers={s.id: s.tier for s in sources},
            )
            context = WriteContext(
                brief_date=DEMO_BRIEF_DATE,
                brand=load_brand(DEFAULTS_DIR),
                profile=profile,
                document=store.document,
                orgs={s.id: s.org for s in sources},
            )
            cached_context = dataclasses.replace(context, store=store)
            settings = LLMSettings(base_url=llm.url, api_key="bench", model="scripted-model")

            extractive = median_of(
                lambda: get_writer("extractive").write_brief(analysis, context), runs
            )
            uncached = median_of(lambda: LLMWriter(settings).write_brief(analysis, context), runs)
            LLMWriter(settings).write_brief(analysis, cached_context)  # fill the cache
            cached = median_of(
                lambda: LLMWriter(settings).write_brief(analysis, cached_context), runs
            )

            writer = LLMWriter(settings)
            brief = writer.write_brief(analysis, context)
            usage = writer.report.usage
            five = dataclasses.replace(analysis, selected=analysis.selected[:5])
            writer5 = LLMWriter(settings)
            writer5.write_brief(five, context)
            usage5 = writer5.report.usage

    server.shutdown()
    print(f"runs: {runs} (median)")
    print(f"extractive writer:            {extractive * 1000:8.1f} ms")
    print(
        f"llm writer, uncached:         {uncached * 1000:8.1f} ms  overhead {(uncached - extractive) * 1000:.1f} ms (target < 1000)"
    )
    print(
        f"llm writer, from cache:       {cached * 1000:8.1f} ms  overhead {(cached - extractive) * 1000:.1f} ms"
    )
    print(
        f"demo brief: {len(brief.sections)} sections, {usage.calls} calls, "
        f"{usage.tokens_in} in + {usage.tokens_out} out = {usage.tokens} tokens"
    )
    print(
        f"5-section brief: {usage5.calls} calls, {usage5.tokens_in} in + {usage5.tokens_out} out "
        f"= {usage5.tokens} tokens (target ≤ 60000)"
    )


if __name__ == "__main__":
    main()
