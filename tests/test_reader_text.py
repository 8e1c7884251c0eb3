"""What a reader sees is reader text: no machine names or Python reprs outside code."""
from __future__ import annotations

import re

MACHINE_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
PYTHON_REPR = re.compile(r"\b\w+=-?\d+\.\d{4,}")
SKIP = {"genindex.html", "search.html"}


def visible_text(html: str) -> str:
    """The page's main text, without code, scripts, styles and the code cells' source."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    main = soup.select_one("main") or soup
    for tag in main(["script", "style", "code", "pre", "kbd", "samp", "var"]):
        tag.decompose()
    for tag in main.select(".cell_input"):
        tag.decompose()
    return main.get_text(" ")


def test_the_scanner_sees_machine_text_outside_code_only():
    html = ("<main><p>the widest swing comes from power_price_cny_kwh and share_pct=40.46264261001344</p>"
            "<p>set <code>smelting.power_price_cny_kwh</code></p></main>")
    text = visible_text(html)
    assert MACHINE_NAME.findall(text) == ["power_price_cny_kwh", "share_pct"]
    assert PYTHON_REPR.findall(text) == ["share_pct=40.46264261001344"]


def test_no_machine_names_or_reprs_in_visible_text(built_site):
    problems = {}
    for page in sorted(built_site.rglob("*.html")):
        rel = page.relative_to(built_site)
        if rel.parts[0].startswith("_") or page.name in SKIP:
            continue
        text = visible_text(page.read_text(encoding="utf-8"))
        found = sorted(set(MACHINE_NAME.findall(text)) | set(PYTHON_REPR.findall(text)))
        if found:
            problems[str(rel)] = found[:10]
    assert problems == {}
