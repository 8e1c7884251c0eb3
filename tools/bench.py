"""`make bench`: how long the book takes to build and how heavy its pages are, as a table.

Every build runs as a user runs it (``python -m aluminium build`` in a new process) in a
private build folder with an empty cache, so the working tree's _build is not touched:
clean builds (median of ``BENCH_RUNS``, default 3), a no-op rebuild, a rebuild after one
smelting parameter changed (against the re-executed chapters' own execution time), and every
shipped scenario (``--all-scenarios``). Then the pages: the bytes each page makes a first
visitor download, compressed as a static host serves them (the page, what it links, and for
pages with charts the Vega bundle their loader fetches), and how many of those bytes block
rendering (stylesheets and synchronous scripts in the head). Budgets are the project's
(issues 9 and 18) on a 2-core machine; each prints PASS or FAIL, and a failure makes the exit
status 1. The browser's own scores come from Lighthouse (README).

    python tools/bench.py          (or `make bench`)

Other measurements join the table through ``EXTRA_MEASURES``: a module in tools/ named there
with a ``measures(site: Path) -> list[Measure]`` function (for example the explore panel's
first update, tools/bench_explore.py) is run against the built site, when it exists.
"""
from __future__ import annotations

import importlib
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from gzserve import compressed_size  # tools/gzserve.py, beside this file

from aluminium import sweep
from aluminium.paths import CHAPTERS, ROOT

ONE_PARAMETER = "smelting.power_price_cny_kwh=0.45"
EXECUTED = re.compile(r"^\s+(\w+)\s+executed in\s+([\d.]+) s", re.M)


# Modules in tools/ whose ``measures(site)`` add rows to the table (skipped when absent).
EXTRA_MEASURES = ("bench_explore",)

# The budgets (issue 18, on this 2-core machine).
CLEAN_BUDGET_S = 16.0
NOOP_BUDGET_S = 1.2
ONE_PARAMETER_BUDGET = 1.6  # × the re-executed chapters' own execution, summed
SCENARIOS_BUDGET = 4.0  # × a clean build
PAGE_BUDGET_KB = 600
BLOCKING_BUDGET_KB = 100


@dataclass
class Measure:
    """One row of the table: what, the figure, the budget, and whether it holds (None: no budget)."""
    name: str
    value: str
    target: str = ""
    ok: bool | None = None

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("PASS" if self.ok else "FAIL")


def _run(build_dir: Path, *args: str, env_extra: dict | None = None) -> tuple[float, str]:
    env = dict(os.environ, ALUMINIUM_BUILD_DIR=str(build_dir), **(env_extra or {}))
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "aluminium", "build", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"bench: `aluminium build {' '.join(args)}` failed:\n{proc.stderr[-2000:]}")
    return seconds, proc.stdout


class _Assets(HTMLParser):
    """What a page loads: (url, render-blocking?) for stylesheets and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[tuple[str, bool]] = []
        self.in_head = True

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.in_head = False
        elif tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.assets.append((a["href"], a.get("media", "all") in ("all", "screen")))
        elif tag == "link" and a.get("rel") == "preload" and a.get("href"):
            self.assets.append((a["href"], False))
        elif tag == "script" and a.get("src"):
            blocking = self.in_head and "defer" not in a and "async" not in a and a.get("type") != "module"
            self.assets.append((a["src"], blocking))
            if a.get("data-vega"):  # the chart loader fetches the Vega bundle when a chart shows
                self.assets.append((a["data-vega"], False))
        elif tag == "link" and a.get("rel") == "icon" and a.get("href"):
            self.assets.append((a["href"], False))


def page_weight(site: Path, page: Path) -> tuple[int, int]:
    """(bytes a first visit downloads, bytes of the page's assets that block its rendering),
    compressed. The page's own HTML counts in the first, not in the second."""
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    total, blocking = compressed_size(page), 0
    seen: set[Path] = set()
    for url, blocks in parser.assets:
        if url.startswith(("http:", "https:", "data:", "//")):
            continue
        path = (page.parent / url.split("?", 1)[0].split("#", 1)[0]).resolve()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        size = compressed_size(path)
        total += size
        blocking += size if blocks else 0
    return total, blocking


def pages_of(site: Path) -> list[Path]:
    return [site / "chapters" / f"{ch}.html" for ch in CHAPTERS] + sorted((site / "book").glob("*.html"))


def _sweep() -> tuple[int, float]:
    runs = sweep.design(sweep.numeric_ranges(), samples=100_000, seed=0)
    t0 = time.perf_counter()
    sweep.evaluate(runs)
    return len(runs), time.perf_counter() - t0


def extra_measures(site: Path) -> list[Measure]:
    """The rows of the modules named in EXTRA_MEASURES that exist in tools/."""
    rows: list[Measure] = []
    for name in EXTRA_MEASURES:
        if not (Path(__file__).parent / f"{name}.py").exists():
            continue
        module = importlib.import_module(name)
        rows.extend(Measure(*row) if isinstance(row, tuple) else row for row in module.measures(site))
    return rows


def main() -> int:
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    work = Path(tempfile.mkdtemp(prefix="aluminium-bench-"))
    rows: list[Measure] = []
    try:
        clean_times = []
        for _ in range(runs):
            for folder in ("build", "html"):
                shutil.rmtree(work / folder, ignore_errors=True)
            seconds, _ = _run(work / "build", "--output", str(work / "html"), "--quiet")
            clean_times.append(seconds)
        clean = statistics.median(clean_times)
        noop, _ = _run(work / "build", "--output", str(work / "html"))
        one, out = _run(work / "build", "--output", str(work / "html"), "--set", ONE_PARAMETER)
        executed = dict((ch, float(s)) for ch, s in EXECUTED.findall(out))
        site = work / "html"
        weights = {p: page_weight(site, p) for p in pages_of(site) if p.exists()}
        extra = extra_measures(site)
        shutil.rmtree(work / "build", ignore_errors=True)  # every scenario from an empty cache too
        every, _ = _run(work / "build", "--all-scenarios", "--output", str(work / "site"), "--quiet")
        sweep_runs, sweep_seconds = _sweep()
        peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        rows.append(Measure(f"clean build, empty cache (median of {runs})",
                            f"{clean:.1f} s ({', '.join(f'{t:.1f}' for t in clean_times)})",
                            f"≤ {CLEAN_BUDGET_S:.0f} s", clean <= CLEAN_BUDGET_S))
        rows.append(Measure("no-op rebuild (new process, nothing changed)", f"{noop:.2f} s",
                            f"≤ {NOOP_BUDGET_S} s", noop <= NOOP_BUDGET_S))
        # A smelting parameter re-executes smelting and the chapters downstream of it; the
        # ratio is against the execution those chapters need (their seconds, summed).
        rerun = ", ".join(executed) or "none"
        needed = sum(executed.values())
        rows.append(Measure(f"one smelting parameter: wall (re-executed: {rerun})", f"{one:.1f} s"))
        rows.append(Measure("  against those chapters' own execution, summed",
                            f"{needed:.1f} s → {one / needed:.2f} ×" if needed else "nothing re-executed",
                            f"≤ {ONE_PARAMETER_BUDGET} ×", bool(needed) and one / needed <= ONE_PARAMETER_BUDGET))
        rows.append(Measure("all shipped scenarios (--all-scenarios, empty cache)",
                            f"{every:.1f} s = {every / clean:.1f} × clean", f"≤ {SCENARIOS_BUDGET:.0f} × clean",
                            every <= SCENARIOS_BUDGET * clean))
        rows.append(Measure("peak memory, largest process (kernel, Sphinx, build)", f"{peak_child:.0f} MB"))
        rows.append(Measure(f"sweep: {sweep_runs:,} chain evaluations, every price input varied",
                            f"{sweep_seconds:.2f} s ({sweep_runs / sweep_seconds:,.0f} runs/s)", "≈ 1 s"))
        for page, (total, blocking) in weights.items():
            rows.append(Measure(f"page {page.relative_to(site)}: first visit / render-blocking",
                                f"{total / 1024:.0f} KB / {blocking / 1024:.0f} KB",
                                f"≤ {PAGE_BUDGET_KB} KB / ≤ {BLOCKING_BUDGET_KB} KB",
                                total <= PAGE_BUDGET_KB * 1024 and blocking <= BLOCKING_BUDGET_KB * 1024))
        rows.extend(extra)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    width = max(len(r.name) for r in rows)
    vwidth = max(len(r.value) for r in rows)
    twidth = max(len(r.target) for r in rows)
    print(f"Machine: {platform.machine()} · {os.cpu_count()} cores · Python "
          f"{platform.python_version()} · {time.strftime('%Y-%m-%d')} · load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("Bytes are compressed (gzip, as a static host serves them).\n")
    print(f"| {'measure':<{width}} | {'result':>{vwidth}} | {'budget':<{twidth}} |      |")
    print(f"|{'-' * (width + 2)}|{'-' * (vwidth + 2)}|{'-' * (twidth + 2)}|------|")
    for r in rows:
        print(f"| {r.name:<{width}} | {r.value:>{vwidth}} | {r.target:<{twidth}} | {r.verdict:<4} |")
    failed = [r.name.strip() for r in rows if r.ok is False]
    print(f"\n{len(failed)} budget(s) failed: " + "; ".join(failed) if failed else "\nEvery budget holds.")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
