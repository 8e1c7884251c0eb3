"""Two builds: the key points and the front page's findings follow the parameters.

The default book (the session's ``built_site``) against the session's one variant (``turned_site``,
helpers.TURNED), built with assumptions that turn two judgements round: a cheap LME price below a
dear-power cost floor opens the import window (up to its ceiling), and a dear power price turns the
smelters' cash margin into a loss. The sentences must change with the numbers, and carry the
numbers each build recorded.
"""
from __future__ import annotations

import html
import json
import re

import pytest

from aluminium.numbers import fmt
from aluminium.paths import CHAPTERS

pytestmark = pytest.mark.build

BLOCK = re.compile(r'<div class="admonition al-key-points"[^>]*>.*?</ol>', re.S)


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)))


# Under changed assumptions a point also shows what it said at the defaults (aluminium.book.changes):
# the defaults' sentence and numbers are set apart, and left out of what the build says itself.
DEFAULTS_NOTE = re.compile(r'<div class="al-at-defaults">.*?</div>|<span class="al-was">[^<]*</span> → ', re.S)


def key_points(site, chapter: str, with_defaults: bool = False) -> str:
    page = (site / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
    found = BLOCK.search(page)
    assert found, f"{chapter}: no key-points block"
    return text_of(found.group(0) if with_defaults else DEFAULTS_NOTE.sub("", found.group(0)))


def figures(site) -> dict:
    return {f["id"]: f["value"] for f in json.loads((site / "key-figures.json").read_text())}


def test_every_chapter_opens_with_its_key_points_before_any_chart_or_table(built_site):
    for chapter in CHAPTERS:
        page = (built_site / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
        block = BLOCK.search(page)
        assert block, chapter
        first_output = min(i for i in (page.find('class="al-chart"'), page.find('class="al-table-wrap"'),
                                       page.find("<details"), page.find('class="cell docutils')) if i >= 0)
        assert block.start() < first_output, chapter
        assert 3 <= block.group(0).count("<li>") <= 5, chapter


def test_key_points_turn_with_the_numbers(built_site, turned_site):
    base, turned = figures(built_site), figures(turned_site)
    assert base["macro.import_window_cny_t"] < 0 < turned["macro.import_window_cny_t"]
    before, after = key_points(built_site, "macro"), key_points(turned_site, "macro")
    assert "The import window is shut by " + fmt(-base["macro.import_window_cny_t"], "CNY/t", decimals=0) in before
    assert "The import window is open by " + fmt(turned["macro.import_window_cny_t"], "CNY/t", decimals=0) in after
    assert "shut" not in after
    assert "At the defaults: The import window is shut" in key_points(turned_site, "macro", with_defaults=True)

    assert base["smelting.margin_cny_t"] > 0 > turned["smelting.margin_cny_t"]
    assert f"Smelters earn {fmt(base['smelting.margin_cny_t'], 'CNY/t')} over cash cost" in key_points(built_site, "smelting")
    smelting = key_points(turned_site, "smelting")
    assert f"Smelters lose {fmt(-turned['smelting.margin_cny_t'], 'CNY/t')} a tonne in cash" in smelting
    assert "earn" not in smelting.split(".")[0]


def test_front_page_findings_follow_the_build(built_site, turned_site):
    before = text_of((built_site / "book" / "intro.html").read_text(encoding="utf-8"))
    after = text_of((turned_site / "book" / "intro.html").read_text(encoding="utf-8"))
    assert "Base case" in before and "The import window is shut" in before
    assert "The import window is open" in after and "2 assumptions differ from the defaults" in after
    assert "macro.lme_price_usd_t = 2,000 USD/t" in after
