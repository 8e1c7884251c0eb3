"""`make bench`: how long the book takes to build, reported as a table.

Measures a clean build (empty cache), a no-op rebuild (nothing changed), and each chapter's
execution time, on this machine. Targets (2-core machine): clean build ≤ 30 s.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from . import build
from .paths import BUILD_DIR


def main() -> int:
    out = Path(tempfile.mkdtemp(prefix="aluminium-bench-")) / "html"
    shutil.rmtree(BUILD_DIR / "cache", ignore_errors=True)
    t0 = time.perf_counter()
    clean = build.build({}, output=out, quiet=True)
    clean_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    build.build({}, output=out, quiet=True)
    noop_s = time.perf_counter() - t0
    pages = {ch.chapter: (out / "chapters" / f"{ch.chapter}.html").stat().st_size for ch in clean.chapters}
    rows = [("clean build (empty cache)", f"{clean_s:.1f} s", "≤ 30 s"),
            ("  of which Jupyter Book", f"{clean.book_seconds:.1f} s", ""),
            ("no-op rebuild (nothing changed)", f"{noop_s:.1f} s", "")]
    rows += [(f"  execute {ch.chapter}", f"{ch.seconds:.1f} s", "") for ch in clean.chapters]
    rows += [(f"  page {name}.html", f"{size / 1024:.0f} KB", "≤ 500 KB") for name, size in pages.items()]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>9}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>9}  {target}")
    shutil.rmtree(out.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
