"""Unit tests of the smelting chapter's models (no notebook execution)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from aluminium import calc, params
from aluminium.data import catalogue
from aluminium.stages import smelting as s

BASE = dict(alumina_price_cny_t=2700.0, power_price_cny_kwh=0.4, anode_price_cny_t=4800.0, alumina_t_per_t=1.93,
            power_kwh_per_t=13500.0, anode_t_per_t=0.5, other_costs_cny_t=2800.0)


# -- share_explained ---------------------------------------------------------------------
def test_share_explained_perfect_and_partial_fit():
    x = [1, 2, 3, 4]
    assert calc.share_explained([2, 4, 6, 8], x) == pytest.approx(1.0)
    # y = x + noise: hand computed R² for y = [1, 3, 2, 4] on x = [1, 2, 3, 4] is 0.64.
    assert calc.share_explained([1, 3, 2, 4], x) == pytest.approx(0.64)


def test_share_explained_drops_missing_pairs_and_handles_constant_x():
    assert calc.share_explained([2, np.nan, 6, 8, 10], [1, 2, 3, 4, 5]) == pytest.approx(1.0)
    assert calc.share_explained([1, 2, 3], [5, 5, 5]) == 0.0


@pytest.mark.parametrize("y, x", [([1, 2], [1, 2]), ([1, 2, 3], [1, 2]), ([4, 4, 4], [1, 2, 3])])
def test_share_explained_refuses_bad_input(y, x):
    with pytest.raises(ValueError):
        calc.share_explained(y, x)


def test_southwest_definition_reproduces_report():
    changes = catalogue.load("smelting-running-capacity-change-by-province")
    assert round(s.southwest_r2(changes) * 100, 2) == 88.80
    table = s.southwest_definitions(changes)
    matches = table[table["matches_report"]]
    assert list(matches["south_west"]) == ["Yunnan, Guizhou, Sichuan, Guangxi, Chongqing"]
    assert list(matches["national_total"]) == ["printed national line"]


def test_regional_change_unknown_province():
    wide = s.capacity_change_wide(pd.DataFrame({"month": ["2021-01"], "province": ["Yunnan"], "change_kt": [1.0]}))
    with pytest.raises(ValueError, match="Atlantis"):
        s.regional_change(wide, ["Atlantis"])
    with pytest.raises(ValueError):
        s.capacity_change_wide(pd.DataFrame({"month": ["2021-01"]}))


# -- cash cost ---------------------------------------------------------------------------
def test_cash_cost_by_hand():
    # 1.93 × 2700 + 13500 × 0.4 + 0.5 × 4800 + 2800 = 5211 + 5400 + 2400 + 2800
    assert s.cash_cost(**BASE) == pytest.approx(15811.0)
    parts = s.cost_breakdown(**BASE)
    assert parts == pytest.approx({"alumina": 5211.0, "power": 5400.0, "anode": 2400.0, "fluoride_and_other": 2800.0})
    assert s.margin(17000.0, 15811.0) == pytest.approx(1189.0)


def test_cash_cost_zero_inputs():
    zero = {k: 0.0 for k in BASE}
    assert s.cash_cost(**zero) == 0.0


def test_cash_cost_is_vectorised():
    prices = np.array([2500.0, 2700.0, 3200.0])
    out = s.cash_cost(**{**BASE, "alumina_price_cny_t": prices})
    assert out.shape == (3,)
    assert out[1] == pytest.approx(15811.0)
    series = pd.Series([0.3, 0.4])
    out_s = s.cash_cost(**{**BASE, "power_price_cny_kwh": series})
    assert isinstance(out_s, pd.Series) and out_s.iloc[1] == pytest.approx(15811.0)
    big = s.cash_cost(**{k: np.full(100_000, v) for k, v in BASE.items()})
    assert big.shape == (100_000,)
    assert math.isnan(s.cash_cost(**{**BASE, "other_costs_cny_t": float("nan")}))


def test_cash_cost_refuses_negative_input():
    with pytest.raises(ValueError, match="power_price"):
        s.cash_cost(**{**BASE, "power_price_cny_kwh": -0.1})
    with pytest.raises(ValueError):
        s.cash_cost(**{**BASE, "alumina_price_cny_t": np.array([1.0, -1.0])})


def test_implied_input_price_and_residual():
    assert s.implied_input_price(16000, 32.5, 13350) == pytest.approx(16000 * 0.325 / 13350)
    assert s.implied_input_price(16000, 0, 13350) == 0
    assert s.residual_cost(16000, [35, 32.5, 15]) == pytest.approx(2800)
    with pytest.raises(ValueError):
        s.implied_input_price(16000, 120, 13350)
    with pytest.raises(ValueError):
        s.implied_input_price(16000, 30, 0)
    with pytest.raises(ValueError):
        s.residual_cost(16000, [60, 50])


def test_derived_defaults_reproduce_calibration_cost():
    # At the implied alumina price the model's *full* cost is the 16,000 CNY/t it was calibrated on:
    # a calibration identity, not a validation; the cash cost is that less depreciation.
    d = params.defaults("smelting")
    inputs = {k: d[k] for k in BASE}
    inputs["alumina_price_cny_t"] = s.derive_alumina_price_jan2024_cny_t()
    assert s.full_cost(s.cash_cost(**inputs), d["depreciation_cny_t"]) == pytest.approx(16000)
    assert d["depreciation_cny_t"] == pytest.approx(12000 / 15)
    assert s.cash_cost(**inputs) == pytest.approx(16000 - 800)
    assert d["power_price_cny_kwh"] == pytest.approx(0.3895, abs=1e-4)
    assert d["anode_price_cny_t"] == pytest.approx(4800)


def test_cost_shares_vs_reports():
    table = s.cost_shares_vs_reports({"alumina": 50, "power": 30, "anode": 10, "fluoride_and_other": 10})
    assert set(table["item"]) == {"alumina", "power", "anode", "fluoride_and_other"}
    alumina = table[table["item"] == "alumina"].iloc[0]
    assert alumina["share_pct"] == pytest.approx(50) and alumina["within"] == "no"
    assert (table[table["item"] == "power"]["within"] == "yes").all()
    # The ranges whose midpoint set an input price are marked: they cannot validate anything.
    calibrated = table[table["calibrated"]]
    assert set(calibrated["item"]) == {"power", "anode"} and len(calibrated) == 3  # power has two ranges
    with pytest.raises(ValueError):
        s.cost_shares_vs_reports({"alumina": 0})


# -- sensitivity -------------------------------------------------------------------------
def test_cost_sensitivity_ranges_bracket_base():
    ranges = s.cost_sensitivity_ranges(BASE, 10)
    for name, (low, high) in ranges.items():
        assert low <= high, name
    assert ranges["alumina_t_per_t"] == pytest.approx((1.737, 2.123))
    with pytest.raises(ValueError):
        s.cost_sensitivity_ranges(BASE, -1)


# -- cost curve ------------------------------------------------------------------------------
def test_cost_curve_sorts_and_accumulates():
    blocks = pd.DataFrame({"block": ["b", "a", "c"], "capacity_kt": [10.0, 5.0, 0.0],
                           "cash_cost_cny_t": [200.0, 100.0, 300.0]})
    curve = s.cost_curve(blocks)
    assert list(curve["block"]) == ["a", "b", "c"]
    assert list(curve["cumulative_start_kt"]) == [0, 5, 15]
    assert list(curve["cumulative_end_kt"]) == [5, 15, 15]
    with pytest.raises(ValueError):
        s.cost_curve(blocks.assign(cash_cost_cny_t=[1, None, 2]))
    with pytest.raises(ValueError):
        s.cost_curve(blocks.assign(capacity_kt=[-1, 1, 1]))
    with pytest.raises(ValueError):
        s.cost_curve(blocks.drop(columns="capacity_kt"))


def test_cost_curve_blocks_cover_running_capacity():
    d = params.defaults("smelting")
    blocks = s.cost_curve_blocks(
        running_capacity_kt=d["running_capacity_kt"], captive_share_of_rest_pct=50,
        hydro_power_price_cny_kwh=0.35, captive_power_price_cny_kwh=0.3, grid_power_price_cny_kwh=0.4,
        indonesia_power_price_cny_kwh=0.39, indonesia_alumina_price_cny_t=1650.0, indonesia_capacity_kt=1625,
        cost_inputs=BASE)
    china = blocks[blocks["region"] == "China"]["capacity_kt"].sum()
    assert china == pytest.approx(43204)
    assert blocks["assumption"].str.len().gt(0).all()
    indo = blocks[blocks["region"] == "Indonesia"].iloc[0]
    assert indo["alumina_price_cny_t"] == 1650.0
    assert indo["cash_cost_cny_t"] == pytest.approx(s.cash_cost(**{**BASE, "alumina_price_cny_t": 1650.0,
                                                                  "power_price_cny_kwh": 0.39}))
    costs = blocks.set_index("block")["cash_cost_cny_t"]
    assert costs["China: north-west captive coal"] < costs["China: south-west hydro (Yunnan, Sichuan)"] < costs["China: grid elsewhere"]
    with pytest.raises(ValueError):
        s.cost_curve_blocks(running_capacity_kt=1000, captive_share_of_rest_pct=50, hydro_power_price_cny_kwh=0.3,
                            captive_power_price_cny_kwh=0.3, grid_power_price_cny_kwh=0.4,
                            indonesia_power_price_cny_kwh=0.39, indonesia_alumina_price_cny_t=1650.0,
                            indonesia_capacity_kt=0, cost_inputs=BASE)


def test_default_power_prices_follow_industry_order_and_average_out():
    d = params.defaults("smelting")
    assert d["captive_power_price_cny_kwh"] < d["hydro_power_price_cny_kwh"] < d["grid_power_price_cny_kwh"]
    blocks = s.cost_curve_blocks(
        running_capacity_kt=d["running_capacity_kt"], captive_share_of_rest_pct=d["captive_share_of_rest_pct"],
        hydro_power_price_cny_kwh=d["hydro_power_price_cny_kwh"], captive_power_price_cny_kwh=d["captive_power_price_cny_kwh"],
        grid_power_price_cny_kwh=d["grid_power_price_cny_kwh"], indonesia_power_price_cny_kwh=0.4,
        indonesia_alumina_price_cny_t=1650.0, indonesia_capacity_kt=1625, cost_inputs=BASE)
    assert s.weighted_power_price(blocks) == pytest.approx(d["power_price_cny_kwh"])
    with pytest.raises(ValueError):
        s.weighted_power_price(blocks, "Mars")


def test_depreciation_and_full_cost():
    assert s.depreciation_cny_t(12000, 15) == 800
    assert np.allclose(s.depreciation_cny_t(np.array([12000, 20000]), 10), [1200, 2000])
    assert s.full_cost(15000, 800) == 15800
    with pytest.raises(ValueError):
        s.depreciation_cny_t(12000, 0)
    with pytest.raises(ValueError):
        s.full_cost(15000, -1)


def test_price_decks_are_dated_and_checked_honestly():
    d = params.defaults("smelting")
    costs = s.deck_costs(**{k: d[k] for k in ("power_price_cny_kwh", "anode_price_cny_t", "alumina_t_per_t",
                                              "power_kwh_per_t", "anode_t_per_t", "other_costs_cny_t",
                                              "depreciation_cny_t")}).set_index("deck")
    assert costs.loc["2024-01", "full_cost_cny_t"] == pytest.approx(16000)  # the calibration identity
    assert costs.loc["2024-01", "test"].startswith("none")
    # Margins only where the deck has an aluminium price of its own date.
    assert costs.loc["2025-03", "cash_margin_cny_t"] == pytest.approx(21100 - costs.loc["2025-03", "cash_cost_cny_t"])
    assert np.isnan(costs.loc["2026", "cash_margin_cny_t"]) and np.isnan(costs.loc["2024-01", "cash_margin_cny_t"])
    assert costs.loc["2026", "alumina_price_cny_t"] == 2700 and costs.loc["2025-03", "alumina_price_cny_t"] == 3400
    # The alumina price in force is the chain's 2026 alumina price (a pin left unset); each deck keeps its own.
    from aluminium import chain
    assert d["alumina_price_cny_t"] == pytest.approx(chain.run()["alumina.modelled_price_cny_t"])
    assert (costs["calibrated_share_pct"] > 50).all()
    with pytest.raises(ValueError, match="unknown deck"):
        s.price_deck("1999")
    status = s.calibration_status().set_index("input")["status"]
    assert status["power price"] == "calibrated" and status["alumina price"].startswith("report")


def test_usc_conversion_and_utilisation():
    assert s.usc_kwh_to_cny_kwh(5.0, 7.0) == pytest.approx(0.35)
    with pytest.raises(ValueError):
        s.usc_kwh_to_cny_kwh(5.0, 0)
    assert s.utilisation_pct(42.0, 45.19) == pytest.approx(92.94, abs=0.01)
    assert s.utilisation_pct(np.array([0.0, 45.0]), 45.0).tolist() == [0.0, 100.0]
    with pytest.raises(ValueError):
        s.utilisation_pct(1, 0)


# -- pipelines, timeline -------------------------------------------------------------------
def test_pipeline_summary_and_timeline():
    summary = s.pipeline_summary()
    assert summary.loc[0, "gross_capacity_kt"] == pytest.approx(3750)
    assert summary.loc[0, "expected_to_land_kt"] == pytest.approx(1269.7)
    assert summary.loc[1, "expected_to_land_kt"] + summary.loc[2, "expected_to_land_kt"] == pytest.approx(9265)
    assert s.overseas_by_country().iloc[0]["country"] == "Indonesia"
    timeline = s.capacity_timeline()
    assert {"built capacity", "running capacity", "capacity cap"} <= set(timeline["measure"])


# -- parameters and claims -------------------------------------------------------------------
def test_parameter_defaults_resolve_within_range():
    required = {"alumina_price_cny_t", "power_price_cny_kwh", "anode_price_cny_t", "alumina_t_per_t",
                "power_kwh_per_t", "anode_t_per_t", "other_costs_cny_t", "aluminium_price_cny_t"}
    assert required <= {p.short for p in s.PARAMETERS}
    for p in s.PARAMETERS:
        assert p.check(p.default()) == p.default(), p.name
        assert p.source(), p.name
