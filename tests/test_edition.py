"""The edition: on every page, in a citation page and CITATION.cff, and a changelog built from the
key figures of the previous and the current edition."""
from __future__ import annotations

import json
import re

import yaml

from aluminium import __version__
from aluminium.book import edition
from aluminium.book.keyfigures import KeyFigure
from aluminium.paths import ROOT


def _edition(**kw) -> edition.Edition:
    base = {"version": "1.0.0", "date": "2026-01-02", "scenario": "", "parameters": {}, "data": "d1", "code": "c1"}
    return edition.Edition(**{**base, **kw})


def test_the_id_hashes_what_the_numbers_depend_on():
    a = _edition()
    assert a.id == _edition().id and len(a.id) == 10
    for change in ({"data": "d2"}, {"code": "c2"}, {"parameters": {"smelting.power_price_cny_kwh": 0.45}},
                   {"scenario": "Drought"}, {"version": "1.0.1"}):
        assert _edition(**change).id != a.id, change
    assert "default parameters" in a.stamp() and a.id in a.stamp()
    assert "1 parameter changed" in _edition(parameters={"x.y": 1}).stamp()


def test_changelog_says_which_figures_moved_and_why():
    before = {"edition": _edition().to_dict(),
              "figures": [{"id": "smelting.cash_cost_cny_t", "value": 14000.0, "unit": "CNY/t", "label": "Cash cost"},
                          {"id": "macro.gone", "value": 1.0, "unit": "%", "label": "Gone"},
                          {"id": "pricing.same", "value": 5.0, "unit": "%", "label": "Same"}]}
    now = _edition(data="d2")
    figures = [KeyFigure("smelting.cash_cost_cny_t", 14679.0, "CNY/t", "Cash cost"),
               KeyFigure("pricing.same", 5.0, "%", "Same")]
    assert edition.reasons(before, now) == ["data"]
    assert edition.reasons(before, _edition(code="c2", parameters={"a.b": 1})) == ["parameters", "code"]
    moved = {m["id"]: m for m in edition.moved(before, figures)}
    assert set(moved) == {"smelting.cash_cost_cny_t", "macro.gone"}
    page = edition.changelog_page(before, now, figures)
    assert "14,000" in page and "14,679" in page and "+679" in page
    assert "the data package" in page and "2 of 2 key figures moved" in page
    assert "no longer a key figure" in page
    assert "first edition" in edition.changelog_page(None, now, figures)


def test_citation_file_names_this_version():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == __version__
    assert cff["title"] == edition.TITLE and cff["authors"][0]["name"] == edition.AUTHOR
    page = edition.cite_page(_edition(version=__version__))
    assert "Cite this edition" in page and _edition(version=__version__).id in page and "@book{" in page


def test_the_previous_edition_is_committed_with_its_key_figures():
    prev = edition.previous()
    assert prev is not None, "editions/previous.json is missing"
    assert {"id", "version", "date", "data", "code"} <= set(prev["edition"])
    assert len(prev["figures"]) >= 50 and all({"id", "value", "unit", "label"} <= set(f) for f in prev["figures"])


def test_every_page_carries_the_edition(built_site):
    """Every page of the built book names the same edition; the cite and changelog pages exist."""
    doc = json.loads((built_site / "edition.json").read_text(encoding="utf-8"))
    pages = [p for p in built_site.rglob("*.html") if p.name not in ("index.html", "search.html", "genindex.html")
             and "_static" not in p.parts]
    assert len(pages) >= 15
    missing = [str(p.relative_to(built_site)) for p in pages
               if f'data-edition="{doc["id"]}"' not in p.read_text(encoding="utf-8")]
    assert missing == []
    cite = (built_site / "book" / "cite.html").read_text(encoding="utf-8")
    assert doc["id"] in cite and doc["version"] == __version__
    changelog = (built_site / "book" / "changelog.html").read_text(encoding="utf-8")
    assert re.search(r"\d+ of \d+ key figures moved", changelog)
