"""Helpers the test files share: the browser, a watched page, a page opened with its charts drawn,
serving a built folder, and building a variant of the book. Fixtures that use them live in
conftest.py; a test file imports what it calls from here (``from helpers import ...``)."""
from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# tools/ is not part of the shipped package: its modules are imported from the folder.
sys.path.insert(0, str(ROOT / "tools"))

from gzserve import served  # noqa: E402,F401 - the one way a test serves a built folder

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("google-chrome")
# axe-core, installed from npm into tests/axe by `make test` (tests/axe/package.json pins it) and
# read from disk: nothing is fetched at test time.
AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# Outside CI a missing browser skips the browser tests; in CI it fails them.
needs_chromium = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                    reason="Chromium is not installed (make test installs it)")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = {"laptop": (1366, 768), "phone": (390, 844)}


@contextlib.contextmanager
def launched_browser() -> Iterator:
    """Headless Chromium (Playwright driving the system's browser), closed on leaving."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        assert CHROMIUM, "no Chromium or Chrome found: `make test` installs Debian's chromium"
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            yield b
        finally:
            b.close()


def watched_page(browser, site: str, **options):
    """A new page that records console errors, page errors and requests leaving the site."""
    page = browser.new_page(**options)
    errors, offsite = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("request", lambda r: offsite.append(r.url) if not r.url.startswith(site) else None)
    return page, errors, offsite


def draw_charts(page) -> None:
    """Charts draw as they come near the screen: visit each like a reader, staying until it is drawn
    (a quick jump past a chart while those above it draw and change height can skip it)."""
    for target in page.locator("figure.al-chart > div[id^=al-chart-]").all():
        page.wait_for_function(
            """el => { el.scrollIntoView({block: "center"}); return !!el.querySelector('svg, canvas'); }""",
            arg=target.element_handle(), timeout=15_000, polling=200)


def open_drawn(browser, url: str, size: tuple[int, int]):
    """A page at a window size, once its charts are drawn (they set their own widths)."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(url, wait_until="load")
    draw_charts(page)
    return page


def build_variant(out: Path, overrides: dict | None = None, scenario=None) -> Path:
    """The book built into ``out`` with other assumptions (or a scenario); chapters the default
    build already ran come from the shared cache."""
    from aluminium.book import build

    build.build(dict(overrides or {}), output=out, quiet=True, scenario=scenario)
    assert (out / "index.html").exists()
    return out


# The variant with other assumptions every test of a non-default build shares (conftest's
# ``turned_site``): a cheap LME price below a dear-power cost floor opens the import window, and a
# dear power price turns the smelters' cash margin into a loss.
TURNED = {"macro.lme_price_usd_t": 2000.0, "smelting.power_price_cny_kwh": 1.0}

# The hostile scenario (conftest's ``hostile_book``): template syntax, MyST roles, a script that
# would set window.pwned, quotes and Markdown in its title; its description long enough to fold.
HOSTILE_TITLE = ("Dry {{ 7*7 }} case {% if true %}JINJA{% endif %} {eval}`1+1` "
                 "<script>window.pwned = 1</script> *em* $m$")
HOSTILE_DESCRIPTION = ("Why {{ 6*7 }}: {ref}`intro` **bold** [link](http://evil) and "
                       "{{ cycler.__init__.__globals__.os.popen(request) }} \"q\" 'a' <b>bold</b> & co. "
                       + " ".join(["A dry season cuts hydro power for months."] * 8))
