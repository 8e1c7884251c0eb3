"""The shared HTML: one table builder, key points, the folded assumptions, source lines."""
from __future__ import annotations

import pandas as pd
import pytest

from aluminium import params
from aluminium.book import markup
from aluminium.data import provenance
from aluminium.data.catalogue import load, resources
from aluminium.numbers import MINUS


def test_a_table_shows_labels_and_formatted_numbers_and_scrolls_in_its_box():
    df = pd.DataFrame({"year": [2023, 2024], "balance_kt": [40.0, -150.0], "sector": ["consumer_durables", "Total"]})
    html = markup.table_html(df, name="t", caption="Balance", code=("sector",))
    assert '<div class="al-table-wrap" tabindex="0"><table' in html
    assert "<th scope=\"col\">Year</th>" in html and "Balance: surplus + / deficit − (kt)" in html
    assert ">2023<" in html and f">{MINUS}150<" in html and "2,023" not in html
    assert "<code>consumer_durables</code>" in html  # a code column stays as typed


def test_key_points_are_three_to_five_numbered_sentences_with_numbers():
    html = markup.key_points_html(["China runs a **surplus** of 150 kt.", "Costs are 16,234 CNY/t.",
                                   "See [the balance](#balance): 2024 is tight."])
    assert html.count("<li>") == 3 and "<ol>" in html and 'data-key-points="3"' in html
    assert "<strong>surplus</strong>" in html and '<a href="#balance">the balance</a>' in html
    with pytest.raises(ValueError, match="give 3–5 points"):
        markup.key_points_html(["1", "2"])
    with pytest.raises(ValueError, match="carries a live number"):
        markup.key_points_html(["a 1", "b 2", "no number here"])
    assert "&lt;script&gt;" in markup.key_points_html(["<script>1</script>", "2", "3"])


def test_assumptions_fold_and_say_how_many_differ():
    # Only the override: passing every default would pin the chain's modelled inputs.
    table = params.in_force("smelting", {"power_price_cny_kwh": 0.5}).table()
    html = markup.assumptions_html(table)
    assert html.startswith('<details class="al-assumptions" data-changed="1"><summary>')
    assert f"1 of {len(table)} differ from the defaults" in html
    assert html.count('class="al-changed"') == 1 and "<code>smelting.power_price_cny_kwh</code>" in html
    assert "0.5 CNY/kWh <em>(changed)</em>" in html
    default = markup.assumptions_html(params.in_force("smelting", {}).table())
    assert "all" in default.split("</summary>")[0] and "al-changed" not in default


def test_every_report_location_is_translated_and_sources_name_publisher_title_and_date():
    facts = load("facts")
    locations = set(facts["location"].dropna()) | {r.get("location", "") for r in resources()}
    assert {loc: provenance.untranslated(loc) for loc in locations if provenance.untranslated(loc)} == {}
    line = provenance.cite(next(r for r in resources() if r["name"] == "demand-china-primary-balance"))
    assert line.startswith("Guohai Securities, “Aluminium: the metal of the future")
    assert "(铝：面向未来的金属" in line and "November 2024" in line and "data as of" in line
    assert "“primary aluminium supply-demand balance, 2017–2024” (图：2017-2024年电解铝供需平衡表)" in line
    assert "text line" not in provenance.locator("text line 20, paragraph on European power mix")


def test_parameter_origins_name_reports_not_ids():
    for name in params.registry():
        origin = params.param_origin(name)
        assert "fact `" not in origin and not any(s in origin for s in ("guohai2024", "zijin2025", "jianghai2024"))


def test_facts_are_cited_by_report_and_place():
    line = provenance.cite_facts("smelting.capacity_cap_mt", "pricing.shfe_range_2023_cny_t")
    assert "“Aluminium cost and price drivers" in line and "January 2026" in line
    assert "; Jianghai Huixin Futures, “2024 annual aluminium outlook (slide deck)”, January 2024: " in line
    assert "smelting." not in line and "article2026" not in line
