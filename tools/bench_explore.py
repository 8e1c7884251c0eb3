"""The "Explore the chain" panel's budgets, measured in headless Chromium on a built site.

    python tools/bench_explore.py [SITE]      (SITE defaults to _build/html; build it first)

Prints, for the front page and the pricing chapter: the panel's first update after its script
loads (median of five page loads; budget 100 ms), one full chain evaluation in the browser
(mean of 1,000; the issue asks for well under 50 ms on a phone-class CPU), the panel script's
compressed size (budget 50 KB) and the page's weight with the script (budget 600 KB) and its
render-blocking bytes (budget 100 KB), compressed as a static host serves them.
"""
from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path

from gzserve import compressed_size, served  # tools/gzserve.py, beside this file

from aluminium.book.explore import SCRIPT_NAME
from aluminium.paths import ROOT

PAGES = ("book/intro.html", "chapters/pricing.html")
LOADS = 5


def measures(site: Path) -> list[tuple[str, str, str, bool | None]]:
    """(what, figure, budget, whether it holds) for tools/bench.py's table."""
    from bench import page_weight  # tools/bench.py, beside this file (imported here: it imports this module)
    from playwright.sync_api import sync_playwright  # deferred: speed

    chromium = shutil.which("chromium") or shutil.which("google-chrome")
    script = site / SCRIPT_NAME
    rows = [("panel script, compressed", f"{compressed_size(script) / 1024:.1f} KB", "≤ 50 KB",
             compressed_size(script) <= 50 * 1024)]
    with served(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for path in PAGES:
            firsts, evals = [], []
            for _ in range(LOADS):
                page = browser.new_page()
                page.goto(f"{url}/{path}", wait_until="load")
                page.click("#al-explore > summary")
                page.wait_for_function("document.getElementById('al-explore').dataset.firstUpdateMs !== undefined")
                firsts.append(float(page.eval_on_selector("#al-explore", "d => d.dataset.firstUpdateMs")))
                evals.append(page.evaluate("""() => {
                    const D = JSON.parse(document.getElementById('al-explore-data').textContent);
                    const t0 = performance.now();
                    for (let i = 0; i < 1000; i++) AluminiumChain.evaluate(D.values, D.constants);
                    return (performance.now() - t0) / 1000; }"""))
                page.close()
            total, blocking = page_weight(site, site / path)
            first, once, open_weight = statistics.median(firsts), statistics.median(evals), total + compressed_size(script)
            rows += [(f"{path}: panel's first update after its script loads", f"{first:.1f} ms", "≤ 100 ms", first <= 100),
                     (f"{path}: one chain evaluation in the browser", f"{once:.3f} ms", "≤ 50 ms", once <= 50),
                     (f"{path}: page weight with the panel open", f"{open_weight / 1024:.0f} KB", "≤ 600 KB",
                      open_weight <= 600 * 1024),
                     (f"{path}: render-blocking", f"{blocking / 1024:.0f} KB", "≤ 100 KB", blocking <= 100 * 1024)]
        browser.close()
    return rows


def main(argv: list[str]) -> int:
    site = Path(argv[0]) if argv else ROOT / "_build" / "html"
    if not (site / SCRIPT_NAME).is_file():
        print(f"bench_explore: no built site with the panel at {site}: run `aluminium build` first", file=sys.stderr)
        return 2
    rows = measures(site)
    width = max(len(r[0]) for r in rows)
    for what, value, budget, ok in rows:
        print(f"{what:<{width}}  {value:>10}  {budget:<10}  {'PASS' if ok else 'FAIL'}")
    return 0 if all(ok for *_, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
