"""Scenario files: validation, and a comparison of two built scenarios."""
from __future__ import annotations

import pytest

from aluminium import cli, scenarios
from aluminium.errors import ParameterError


def write(tmp_path, text: str):
    path = tmp_path / "s.yml"
    path.write_text(text)
    return str(path)


def test_shipped_scenarios_are_valid_and_explained():
    shipped = {s.name: s for s in scenarios.available()}
    assert {"base", "drought", "power-shock", "guinea-disruption", "demand-slowdown", "lme-goldman"} <= set(shipped)
    assert shipped["base"].overrides == {}
    for s in shipped.values():
        assert len(s.description) > 80, f"{s.name}: give the reasoning"
    # The drought takes south-west hydro tonnes (it no longer changes the national power price, which
    # made the old drought's whole price rise come from power, not from the lost supply).
    assert shipped["drought"].overrides == {"smelting.southwest_drought_cut_kt": 1500.0}


def test_a_scenario_setting_a_parameter_twice_is_refused(tmp_path):
    twice = "title: T\ndescription: D\nparameters:\n  smelting:\n    power_price_cny_kwh: 0.4\n    power_price_cny_kwh: 0.5\n"
    with pytest.raises(ParameterError, match=r"line 6: key 'power_price_cny_kwh' is given twice"):
        scenarios.load(write(tmp_path, twice))
    both_forms = "title: T\ndescription: D\nparameters:\n  smelting.power_price_cny_kwh: 0.4\n  smelting:\n    power_price_cny_kwh: 0.5\n"
    with pytest.raises(ParameterError, match="'smelting.power_price_cny_kwh' is set twice"):
        scenarios.load(write(tmp_path, both_forms))


@pytest.mark.parametrize("text, message", [
    ("title: T\ndescription: D\nparameters: {smelting.power_price_cny_kw: 0.4}\n", "did you mean 'smelting.power_price_cny_kwh'"),
    ("title: T\ndescription: D\nparameters: {smelting.power_price_cny_kwh: high}\n", "takes a float"),
    ("title: T\ndescription: D\nparameters: {smelting.power_price_cny_kwh: 9}\n", "out of range"),
    ("title: T\nparameters: {}\n", "'description' must be a non-empty text"),
    ("title: T\ndescription: D\nparams: {}\n", "unknown key"),
    ("title: [T\n", "malformed YAML"),
])
def test_bad_scenarios_are_refused_naming_the_file_and_fault(tmp_path, text, message):
    with pytest.raises(ParameterError, match=message) as exc:
        scenarios.load(write(tmp_path, text))
    assert "s.yml" in str(exc.value)


def test_unknown_scenario_name_lists_the_known_ones():
    with pytest.raises(ParameterError, match="unknown scenario 'droght'.*drought"):
        scenarios.resolve("droght")


def test_banner_is_escaped_text():
    from aluminium.book.sphinx_switcher import banner_html

    s = scenarios.Scenario("x", "<script>alert(1)</script>", "a & b")
    assert "<script>" not in banner_html(s)
    assert "&lt;script&gt;" in banner_html(s) and "a &amp; b" in banner_html(s)


@pytest.mark.build
def test_compare_base_and_drought_builds_a_comparison_page(capsys):
    assert cli.main(["compare", "base", "drought", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "smelting.cash_cost_cny_t" in printed
    drought = scenarios.load("drought").output_dir()
    page = (drought / "book" / "comparison.html").read_text(encoding="utf-8")
    assert "Comparison: South-west drought against Base case" in page
    import html
    import json

    figures = {f["id"]: f for f in json.loads((drought / "key-figures.json").read_text(encoding="utf-8"))}
    moved, unchanged = page.split("key figures did not move", 1)
    for fig_id in ("smelting.cash_cost_cny_t", "demand.china_balance_2026_kt"):
        assert html.escape(figures[fig_id]["label"]) in moved  # moved figures lead, by their labels
    assert html.escape(figures["macro.import_parity_cny_t"]["label"]) in unchanged  # folded away
    assert "smelting.cash_cost_cny_t" not in page.split("<main", 1)[-1].split("<script", 1)[0]
    assert 'href="../chapters/smelting.html#' in moved  # linked to the section that shows it
    # A moved chart drawn for both builds on shared scales.
    assert 'id="al-chart-compare-smelting-cost-stack"' in page
    spec = page.split('id="al-chart-compare-smelting-cost-stack"', 1)[1]
    assert '"vconcat"' in spec[:200_000] and '"shared"' in spec[:200_000]
    import pandas as pd

    table = pd.read_csv(drought / "comparison.csv").set_index("id")
    # Less smelting widens the alumina surplus, so alumina and the cash cost ease a little; the lost
    # tonnes deepen the deficit and raise the price.
    assert table.loc["smelting.cash_cost_cny_t", "change"] < 0
    assert table.loc["smelting.output_2026_kt", "change"] == pytest.approx(-1500.0, abs=0.5)
    assert table.loc["demand.china_balance_2026_kt", "change"] < 0
    assert table.loc["pricing.modelled_price_cny_t", "change"] > 0
    assert table.loc["macro.import_parity_cny_t", "change"] == 0
    assert "Scenario: South-west drought" in (drought / "book" / "intro.html").read_text(encoding="utf-8")
