"""`make bench`: how long the book takes to build and how heavy it is, as a table.

Measured on this machine, in a private output folder with an empty cache: a clean build, a
no-op rebuild, a rebuild after one smelting parameter changed, each chapter's execution
time, peak memory, the sweep's throughput, and the size of each chapter page (its HTML, and
with everything it loads). Targets on a 2-core machine: clean build ≤ 30 s, no-op rebuild
≤ 3 s, one smelting parameter ≤ 10 s, chapter page HTML ≤ 500 KB.
"""
from __future__ import annotations

import re
import resource
import shutil
import tempfile
import time
from pathlib import Path

from . import build, sweep
from .paths import BUILD_DIR, CHAPTERS

ASSET = re.compile(r'(?:src|href)="(\.\./_static/[^"?#]+)')


def _timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t0


def _page_weight(site: Path, chapter: str) -> tuple[int, int]:
    page = site / "chapters" / f"{chapter}.html"
    html = page.read_text(encoding="utf-8")
    assets = {site / "chapters" / a for a in ASSET.findall(html)}
    return page.stat().st_size, page.stat().st_size + sum(a.stat().st_size for a in assets if a.exists())


def main() -> int:
    out = Path(tempfile.mkdtemp(prefix="aluminium-bench-")) / "html"
    shutil.rmtree(BUILD_DIR / "cache", ignore_errors=True)
    clean, clean_s = _timed(lambda: build.build({}, output=out, quiet=True))
    _, noop_s = _timed(lambda: build.build({}, output=out, quiet=True))
    one, one_s = _timed(lambda: build.build({"smelting.power_price_cny_kwh": 0.45}, output=out, quiet=True))
    rerun = [c.chapter for c in one.chapters if not c.cached]
    runs = sweep.design(sweep.numeric_ranges(), samples=100_000, seed=0)
    _, sweep_s = _timed(lambda: sweep.evaluate(runs))
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    rows = [("clean build (empty cache)", f"{clean_s:.1f} s", "≤ 30 s"),
            ("  of which Jupyter Book", f"{clean.book_seconds:.1f} s", ""),
            ("no-op rebuild (nothing changed)", f"{noop_s:.1f} s", "≤ 3 s"),
            ("one smelting parameter changed", f"{one_s:.1f} s", "≤ 10 s"),
            ("  chapters re-executed", ", ".join(rerun) or "none", "smelting and what lies downstream (demand, pricing, macro)")]
    rows += [(f"  execute {c.chapter}", f"{c.seconds:.1f} s", "") for c in clean.chapters]
    rows += [("peak memory, build process", f"{peak_self:.0f} MB", ""),
             ("peak memory, largest child (kernel, Sphinx)", f"{peak_child:.0f} MB", ""),
             ("sweep: 100,000 chain evaluations, every price input varied", f"{sweep_s:.2f} s", "≈ 1 s"),
             ("  throughput", f"{len(runs) / sweep_s:,.0f} runs/s", "")]
    for ch in CHAPTERS:
        html, total = _page_weight(out, ch)
        rows.append((f"page {ch}.html: HTML / with what it loads", f"{html / 1024:.0f} KB / {total / 1024:.0f} KB",
                     "HTML ≤ 500 KB"))
    width = max(len(r[0]) for r in rows)
    print(f"| {'measure':<{width}} | {'result':>21} | target |")
    print(f"|{'-' * (width + 2)}|{'-' * 23}|--------|")
    for name, value, target in rows:
        print(f"| {name:<{width}} | {value:>21} | {target} |")
    shutil.rmtree(out.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
