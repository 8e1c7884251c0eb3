"""A real browser (Debian's headless Chromium) loads every chapter and sees every chart drawn."""
from __future__ import annotations

import os
import shutil

import pytest

from aluminium.paths import CHAPTERS

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("google-chrome")
# Outside CI a missing browser skips these tests; in CI it fails them.
pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                reason="Chromium is not installed (make test installs it)")

# Console messages that are not the book's fault, each with the reason it is allowed.
CONSOLE_ALLOW = [
    # pydata-sphinx-theme logs this on a first visit, before a light/dark choice is stored.
    "Got invalid theme mode",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        assert CHROMIUM, "no Chromium or Chrome found: `make test` installs Debian's chromium"
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chart_draws_without_console_errors(browser, site_server, chapter):
    page = browser.new_page()
    errors, offsite = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("request", lambda r: offsite.append(r.url) if not r.url.startswith(site_server) else None)
    page.goto(f"{site_server}/chapters/{chapter}.html", wait_until="load")
    charts = page.locator("figure.al-chart > div[id^=al-chart-]")
    n = charts.count()
    assert n >= 1, f"{chapter}: no chart containers"
    page.wait_for_function(
        "n => [...document.querySelectorAll('figure.al-chart > div[id^=al-chart-]')]"
        ".filter(d => d.querySelector('svg, canvas')).length === n", arg=n, timeout=15_000)
    drawn_errors = page.locator("figure.al-chart .error").count()
    assert drawn_errors == 0, f"{chapter}: a chart shows an error"
    unexpected = [e for e in errors if not any(a in e for a in CONSOLE_ALLOW)]
    assert not unexpected, f"{chapter}: console errors {unexpected}"
    assert not offsite, f"{chapter}: requests left the site: {offsite}"
    page.close()
