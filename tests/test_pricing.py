"""Pricing chapter models: ranges from facts, margin band, fit-rate summary, parameters, claims."""
from __future__ import annotations

import pandas as pd
import pytest

from aluminium import audit, params
from aluminium.data import catalogue
from aluminium.errors import ParameterError
from aluminium.stages import pricing


def test_ranges_from_facts_turns_points_into_zero_height_ranges():
    df = pricing.ranges_from_facts()
    row = df.set_index("label").loc["2023 SHFE range"]
    assert (row.low_cny_t, row.high_cny_t) == (17500, 19500)
    point = df.set_index("label").loc["Jan 2024 cost"]
    assert point.low_cny_t == point.high_cny_t == 16000
    assert set(df.kind) <= {"price", "cost", "zone"}


def test_ranges_from_facts_refuses_other_units():
    with pytest.raises(ValueError, match="not CNY/t"):
        pricing.ranges_from_facts([("pricing.lme_high_2021_2022_usd_t", "price", "x")])


def test_margin_band_hand_case():
    m = pricing.margin_band_cny_t(17500, 19500, 15600, 17200)
    assert m == {"worst": 300, "mid": 18500 - 16400, "best": 3900}
    with pytest.raises(ValueError):
        pricing.margin_band_cny_t(19500, 17500, 15600, 17200)
    with pytest.raises(ValueError):
        pricing.margin_band_cny_t(float("nan"), 1, 1, 1)


def test_fit_summary_hand_case():
    fit = pd.DataFrame({"balance_metal": ["a", "a", "b"], "fit_pct": [50.0, 25.0, 75.0]})
    s = pricing.fit_summary(fit).set_index("balance_metal")
    assert s.loc["a", "highest_pct"] == 50 and s.loc["a", "mean_of_named_pairs_pct"] == 37.5
    assert s.loc["b", "pairs"] == 1
    assert (s["implied_years"] == 4).all()
    with pytest.raises(ValueError):
        pricing.fit_summary(pd.DataFrame({"x": [1]}))


def test_fit_summary_on_the_report_table():
    s = pricing.fit_summary(catalogue.load("pricing-balance-price-fit")).set_index("balance_metal")
    assert s.loc["primary aluminium", "highest_pct"] == 56.25
    assert s.loc["primary aluminium", "mean_of_named_pairs_pct"] == pytest.approx(37.5)
    assert s.loc["alumina", "implied_years"] == 16


def test_matching_years():
    assert pricing.matching_years(56.25, 16) == pytest.approx(9)
    with pytest.raises(ValueError):
        pricing.matching_years(50, 0)


def test_parameter_defaults():
    d = params.defaults("pricing")
    assert d["margin_threshold_cny_t"] == 1000
    assert d["worldbank_file"] == ""
    reg = params.registry()
    for short, value in d.items():
        assert reg[f"pricing.{short}"].check(value) == value
    with pytest.raises(ParameterError, match="file not found"):
        reg["pricing.worldbank_file"].check("/no/such/file.xlsx")


def test_claims_run():
    fns = audit.registered()
    assert fns["pricing.primary_balance_fit_mean_pct"]() == pytest.approx(37.5)
    assert fns["pricing.price_floor_at_cost_top_2023_cny_t"]() == 17200


def test_rules_and_data_says_what_is_missing():
    df = pricing.rules_and_data()
    assert len(df) == len(pricing.RULES)
    assert set(df.columns) >= {"rule", "needs", "in data package"}
    # no monthly inventory or margin series survived extraction
    assert pricing.monthly_series_in_package("stock_change_kt") == []


def test_ratio_contract_cases():
    df = pricing.ratio_contract_cases(15, 17)
    first = df.iloc[0]
    assert first.aluminium_cny_t == 19500 and first.alumina_spot_cny_t == 5500
    assert first.contract_low_cny_t == pytest.approx(2925) and first.contract_high_cny_t == pytest.approx(3315)
    assert first.spot_minus_contract_mid_cny_t == pytest.approx(5500 - 3120)
    with pytest.raises(ValueError):
        pricing.ratio_contract_cases(17, 15)


def test_bauxite_cif_split():
    df = pricing.bauxite_cif_split([60, 65], [30, 40])
    assert len(df) == 4
    row = df[(df.cif_usd_t == 60) & (df.freight_share_pct == 30)].iloc[0]
    assert row.freight_usd_t == pytest.approx(18) and row.fob_and_other_usd_t == pytest.approx(42)
