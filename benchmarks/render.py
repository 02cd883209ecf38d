"""Median render time per format for the bundled sample brief, in one process.

    python benchmarks/render.py [--runs 15]

Baseline, run in the same process: a bare one-page CJK Typst document compiled with the same
fonts, so the PDF figure reads as "how much the brief's layout costs over Typst itself".
Target (issue 2): PDF ≤ 0.5 s in process on a 2-core machine.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import time

import typst

from zhibao import SAMPLE_BRIEF
from zhibao.core.model import load_brief
from zhibao.render import FORMATS, get_renderer
from zhibao.render.pdf import PdfRenderer, _compiler, _fonts, find_cjk_fonts

BASELINE = '#set text(font: "Noto Serif CJK SC", lang: "zh")\n= 基线\n#sys.inputs.body\n'


def timed(fn, runs: int) -> tuple[float, float]:
    first_start = time.perf_counter()
    fn()
    first = time.perf_counter() - first_start
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return first, statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    brief = load_brief(SAMPLE_BRIEF)
    fonts = find_cjk_fonts()

    def baseline() -> bytes:
        return typst.compile(
            BASELINE.encode(),
            font_paths=list(fonts.paths),
            ignore_system_fonts=True,
            sys_inputs={"body": brief.summary},
        )

    # The same bare page through one kept compiler, as the PDF renderer does.
    warm_compiler = typst.Compiler(font_paths=list(fonts.paths), ignore_system_fonts=True)
    edits = iter(range(10**6))

    def baseline_warm() -> bytes:
        body = f"{brief.summary}{next(edits)}"
        return warm_compiler.compile(BASELINE.encode(), sys_inputs={"body": body})

    base_first, base_median = timed(baseline, args.runs)
    warm_first, warm_median = timed(baseline_warm, args.runs)
    print(f"{'format':<8} {'first run':>10} {'median':>10}   (runs={args.runs})")
    print(
        f"{'baseline':<8} {base_first:>9.3f}s {base_median:>9.3f}s   bare one-page CJK Typst compile"
    )
    print(f"{'base-warm':<8} {warm_first:>9.3f}s {warm_median:>9.3f}s   same, one kept compiler")
    results = {}
    for name in FORMATS:
        try:
            renderer = get_renderer(name)
        except ModuleNotFoundError as exc:
            print(f"{name:<8} skipped: module not written yet ({exc})")
            continue
        try:
            renderer.render(brief)
        except Exception as exc:  # noqa: BLE001 - another engineer's renderer may be mid-change
            print(f"{name:<8} skipped: render failed ({type(exc).__name__}: {exc})")
            continue
        first, median = timed(lambda r=renderer: r.render(brief), args.runs)
        results[name] = median
        print(f"{name:<8} {first:>9.3f}s {median:>9.3f}s")
    # The PDF renderer keeps one Typst compiler (fonts loaded, layout memoised); show the cost
    # without that help too: a fresh compiler per render, and a changed brief per render.
    pdf = PdfRenderer()

    def cold() -> bytes:
        _fonts.cache_clear()
        _compiler.cache_clear()
        return PdfRenderer().render(brief)

    def edited() -> bytes:
        return pdf.render(
            brief.model_copy(update={"summary": f"{brief.summary}（修订 {next(edits)}）"})
        )

    for label, fn, note in (
        ("pdf-cold", cold, "new compiler each time (fonts reloaded)"),
        ("pdf-edit", edited, "summary edited before each render"),
    ):
        first, median = timed(fn, args.runs)
        print(f"{label:<8} {first:>9.3f}s {median:>9.3f}s   {note}")
        results[label] = median
    if "pdf" in results:
        ratio = results["pdf"] / base_median
        verdict = "ok" if results["pdf"] <= 0.5 else "OVER TARGET"
        print(
            f"\nPDF median {results['pdf']:.3f}s = {ratio:.2f}× baseline; target ≤ 0.5 s: {verdict}"
        )
        worst = max(results[k] for k in ("pdf", "pdf-cold", "pdf-edit"))
        print(f"worst PDF case {worst:.3f}s = {worst / base_median:.2f}× baseline")
        print(f"PDF / warm baseline = {results['pdf'] / warm_median:.2f}×")


if __name__ == "__main__":
    importlib.invalidate_caches()
    main()
