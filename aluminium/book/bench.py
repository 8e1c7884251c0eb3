"""`make bench`: how long the book takes to build and how heavy its pages are, as a table.

Every build runs as a user runs it (``python -m aluminium build`` in a new process) in a
private build folder with an empty cache, so the working tree's _build is not touched:
clean builds (median of ``BENCH_RUNS``, default 3; and one with kernels launched the usual
way, without the warm process), a no-op rebuild, a rebuild after one
smelting parameter changed (against the smelting chapter's own execution time), and every
shipped scenario (``--all-scenarios``). Then the pages: the bytes each page makes a first
visitor download, compressed as a static host serves them (the page, what it links, and for
pages with charts the Vega bundle their loader fetches), and how many of those bytes block
rendering (stylesheets and synchronous scripts in the head). Targets are the project's
(issue 9) on a 2-core machine. The browser's own scores come from Lighthouse (README).
"""
from __future__ import annotations

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
from html.parser import HTMLParser
from pathlib import Path

from aluminium.book.gzserve import compressed_size
from aluminium.paths import CHAPTERS, ROOT

ONE_PARAMETER = "smelting.power_price_cny_kwh=0.45"
EXECUTED = re.compile(r"^\s+(\w+)\s+executed in\s+([\d.]+) s", re.M)


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
    from aluminium import sweep

    runs = sweep.design(sweep.numeric_ranges(), samples=100_000, seed=0)
    t0 = time.perf_counter()
    sweep.evaluate(runs)
    return len(runs), time.perf_counter() - t0


def main() -> int:
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    work = Path(tempfile.mkdtemp(prefix="aluminium-bench-"))
    rows: list[tuple[str, str, str]] = []
    try:
        clean_times = []
        for _ in range(runs):
            for folder in ("build", "html"):
                shutil.rmtree(work / folder, ignore_errors=True)
            seconds, _ = _run(work / "build", "--output", str(work / "html"), "--quiet")
            clean_times.append(seconds)
        clean = statistics.median(clean_times)
        # The same clean build with kernels launched the usual way, to show what warm kernels save.
        shutil.rmtree(work / "cold", ignore_errors=True)
        cold, _ = _run(work / "cold", "--output", str(work / "cold-html"), "--quiet",
                       env_extra={"ALUMINIUM_COLD_KERNELS": "1"})
        shutil.rmtree(work / "cold", ignore_errors=True)
        shutil.rmtree(work / "cold-html", ignore_errors=True)
        noop, _ = _run(work / "build", "--output", str(work / "html"))
        one, out = _run(work / "build", "--output", str(work / "html"), "--set", ONE_PARAMETER)
        executed = dict((ch, float(s)) for ch, s in EXECUTED.findall(out))
        site = work / "html"
        weights = {p: page_weight(site, p) for p in pages_of(site) if p.exists()}
        shutil.rmtree(work / "build", ignore_errors=True)  # every scenario from an empty cache too
        every, _ = _run(work / "build", "--all-scenarios", "--output", str(work / "site"), "--quiet")
        sweep_runs, sweep_seconds = _sweep()
        peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        rows.append((f"clean build, empty cache (median of {runs})",
                     f"{clean:.1f} s ({', '.join(f'{t:.1f}' for t in clean_times)})", "≤ 12 s"))
        rows.append(("  the same, kernels launched as usual (ALUMINIUM_COLD_KERNELS=1, one run)", f"{cold:.1f} s", ""))
        rows.append(("no-op rebuild (new process, nothing changed)", f"{noop:.2f} s", "≤ 1.2 s"))
        # A smelting parameter re-executes smelting and the chapters downstream of it; the
        # ratio is against the execution those chapters need (their seconds, summed).
        rerun = ", ".join(executed) or "none"
        needed = sum(executed.values())
        ratio = f"{one / needed:.2f} ×" if needed else "n/a"
        rows.append((f"one smelting parameter: wall (re-executed: {rerun})", f"{one:.1f} s", ""))
        rows.append(("  against those chapters' own execution, summed", f"{needed:.1f} s → {ratio}", "≤ 1.6 ×"))
        rows.append(("all shipped scenarios (--all-scenarios, empty cache)",
                     f"{every:.1f} s = {every / clean:.1f} × clean", "≤ 4 × clean"))
        rows.append(("peak memory, largest process (kernel, Sphinx, build)", f"{peak_child:.0f} MB", ""))
        rows.append((f"sweep: {sweep_runs:,} chain evaluations, every price input varied",
                     f"{sweep_seconds:.2f} s ({sweep_runs / sweep_seconds:,.0f} runs/s)", "≈ 1 s"))
        for page, (total, blocking) in weights.items():
            rows.append((f"page {page.relative_to(site)}: first visit / render-blocking",
                         f"{total / 1024:.0f} KB / {blocking / 1024:.0f} KB", "≤ 600 KB / ≤ 100 KB"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    print(f"Machine: {platform.machine()} · {os.cpu_count()} cores · Python "
          f"{platform.python_version()} · {time.strftime('%Y-%m-%d')} · load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("Bytes are compressed (gzip, as a static host serves them).\n")
    print(f"| {'measure':<{width}} | {'result':>{vwidth}} | target |")
    print(f"|{'-' * (width + 2)}|{'-' * (vwidth + 2)}|--------|")
    for name, value, target in rows:
        print(f"| {name:<{width}} | {value:>{vwidth}} | {target} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
