"""The alumina chapter's models, parameter defaults and claim recomputations."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from aluminium import params
from aluminium.data import catalogue
from aluminium.stages import alumina as al


def _months(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"month": list(values), "output_kt": list(values.values())})


# -- monthly output and seasonality -----------------------------------------------------------
def test_annual_totals_counts_months():
    df = _months({"2020-01": 10, "2020-02": 20, "2021-01": 5, "2021-02": float("nan")})
    t = al.annual_totals(df).set_index("year")
    assert t.loc[2020, "output_kt"] == 30 and t.loc[2020, "months_reported"] == 2
    assert t.loc[2021, "output_kt"] == 5 and t.loc[2021, "months_reported"] == 1


def test_seasonal_profile_hand_computed():
    # Two full years, output 100 every month except March (130) and September (70).
    vals = {}
    for y in (2020, 2021):
        for m in range(1, 13):
            vals[f"{y}-{m:02d}"] = {3: 130.0, 9: 70.0}.get(m, 100.0)
    # A partial year that must be skipped.
    vals["2022-01"] = 999.0
    p = al.seasonal_profile(_months(vals)).set_index("month_of_year")
    assert p.loc[3, "index_pct"] == pytest.approx(130) and p.loc[9, "index_pct"] == pytest.approx(70)
    assert p["years"].eq(2).all()
    assert p["index_pct"].mean() == pytest.approx(100)


def test_seasonal_profile_per_day_removes_february_dip():
    vals = {}
    for m in range(1, 13):
        days = pd.Period(f"2021-{m:02d}").days_in_month
        vals[f"2021-{m:02d}"] = 10.0 * days
    p = al.seasonal_profile(_months(vals), per_day=True)
    assert p["index_pct"].round(9).eq(100).all()
    p2 = al.seasonal_profile(_months(vals))
    assert p2.set_index("month_of_year").loc[2, "index_pct"] < 100


def test_seasonal_profile_errors():
    with pytest.raises(ValueError):
        al.seasonal_profile(_months({"2020-01": 1.0}))  # no complete year
    assert len(al.seasonal_profile(_months({"2020-01": 1.0}), complete_years_only=False)) == 1
    with pytest.raises(ValueError):
        al.seasonal_profile(_months({"2020-13": 1.0}))
    with pytest.raises(ValueError):
        al.seasonal_profile(pd.DataFrame({"month": ["2020-01"]}))


# -- capacity vs need ----------------------------------------------------------------------------------
def test_need_and_surplus():
    assert al.alumina_need_mt(45, 1.93) == pytest.approx(86.85)
    assert al.capacity_beyond_need_at_cap_mt(104, 45, 1.93) == pytest.approx(17.15)
    assert al.capacity_beyond_need_at_cap_mt(80, 45, 2.0) == pytest.approx(-10)
    assert al.market_surplus_mt(94.446, 43.204, 1.93) == pytest.approx(94.446 - 43.204 * 1.93)
    assert np.allclose(al.market_surplus_mt(np.array([80.0, 90.0]), 40.0, 2.0), [0, 10])
    with pytest.raises(ValueError):
        al.market_surplus_mt(80, -1, 2.0)
    assert al.alumina_need_mt(0, 1.93) == 0
    with pytest.raises(ValueError):
        al.alumina_need_mt(45, 0)
    with pytest.raises(ValueError):
        al.alumina_need_mt(-1, 1.9)
    t = al.surplus_table({"built": 110.0, "running": 90.0}, 50, 2.0,
                         running_smelting={"running": (40.0, "test")}).set_index("measure")
    assert t.loc["built", "capacity_beyond_need_at_cap_mt"] == 10
    assert math.isnan(t.loc["built", "market_surplus_mt"])  # built capacity is not supply
    # The same running measure is short of the need at the cap but in surplus against the smelters running.
    assert t.loc["running", "capacity_beyond_need_at_cap_mt"] == -10 and t.loc["running", "market_surplus_mt"] == 10


def test_real_surplus_measures_named_for_what_they_are():
    t = al.surplus_table(al.capacity_measures(), 45.0, 1.93).set_index("measure")
    run = t.loc["Running capacity, Sep 2024"]
    assert run["capacity_beyond_need_at_cap_mt"] < 0 < run["market_surplus_mt"]
    assert run["market_surplus_mt"] == pytest.approx(86.45 - 42.0 * 1.93)
    assert t.loc["Output, 2025", "market_surplus_mt"] == pytest.approx(94.446 - 43.204 * 1.93)


# -- pipeline ------------------------------------------------------------------------------------------------
def test_phased_additions():
    df = pd.DataFrame({"company": ["A", "B", "C", "D"], "capacity_new_kt": [1000, 4000, 500, 300],
                       "start_expected": ["2024–2025", "2024Q4–2025-02", None, "2026"],
                       "status": ["First line (400 kt/yr) in 2024, the rest later.",
                                  "2,000 kt/yr in 2024Q4 and 2,000 kt/yr in February 2025.", "Planned.", ""]})
    p = al.phased_additions(df)
    a = p[p["project"] == "A"].set_index("year")["capacity_kt"]
    assert a[2024] == 400 and a[2025] == 600
    b = p[p["project"] == "B"].set_index("year")["capacity_kt"]
    assert b[2024] == 2000 and b[2025] == 2000
    assert p[p["project"] == "C"]["year"].isna().all()
    by = al.additions_by_year(df)
    assert by["2024"] == 2400 and by["2025"] == 2600 and by["2026"] == 300 and by["unscheduled"] == 500
    with pytest.raises(ValueError):
        al.phased_additions(df.drop(columns="status"))


def test_overseas_filters_and_timeline():
    ov = pd.DataFrame({"plant": ["X", "Y", "Z", "Total"], "country": ["India", "Indonesia", "Guinea", None],
                       "chinese_invested_indonesia": [False, True, False, False],
                       "capacity_new_kt": [100.0, 200.0, 300.0, 600.0],
                       "start_expected": ["2023–2024", "2026", None, None]})
    assert al.overseas_new_capacity_kt(ov) == 600
    assert al.overseas_new_capacity_kt(ov, from_year=2024) == 500  # undated kept
    assert al.overseas_new_capacity_kt(ov, chinese_invested_indonesia=True) == 200
    cn = pd.DataFrame({"company": ["C"], "capacity_new_kt": [50.0], "start_expected": ["2025H1–2026"]})
    t = al.project_timeline(cn, ov).set_index("project")
    assert "Total" not in t.index and t.loc["C", "first_year"] == 2025 and t.loc["C", "last_year"] == 2026
    assert t.loc["Z", "timing"] == "not given" and math.isnan(t.loc["Z", "first_year"])


# -- cost model ----------------------------------------------------------------------------------------------------
def test_bauxite_cost_and_implied_items():
    assert al.bauxite_cost_cny_t(2.5, 60, 7) == pytest.approx(1050)
    items = al.implied_cost_items(1000, 40, 20)
    assert items["total_cny_t"] == 2500 and items["energy_cny_t"] == 500
    assert items["caustic_soda_lime_other_cny_t"] == 1000
    with pytest.raises(ValueError):
        al.implied_cost_items(1000, 0, 20)
    with pytest.raises(ValueError):
        al.implied_cost_items(1000, 90, 20)
    with pytest.raises(ValueError):
        al.bauxite_cost_cny_t(2.5, 60, 0)


def test_cash_cost_items_and_share_check():
    items = al.cash_cost_items(bauxite_per_alumina_t_per_t=2, bauxite_cif_usd_t=50, usd_cny=7,
                               energy_cny_t=300, caustic_soda_lime_other_cny_t=0)
    assert items["cost_cny_t"].sum() == 1000
    assert items.set_index("item").loc["Bauxite", "share_pct"] == 70
    assert al.cash_cost_cny_t(bauxite_per_alumina_t_per_t=2, bauxite_cif_usd_t=50, usd_cny=7,
                              energy_cny_t=300, caustic_soda_lime_other_cny_t=0) == 1000
    with pytest.raises(ValueError):
        al.cash_cost_items(bauxite_per_alumina_t_per_t=2, bauxite_cif_usd_t=50, usd_cny=7,
                           energy_cny_t=-1, caustic_soda_lime_other_cny_t=0)


def test_cost_vs_cif():
    t = al.cost_vs_cif([0, 50], bauxite_per_alumina_t_per_t=2, usd_cny=7, energy_cny_t=300,
                       caustic_soda_lime_other_cny_t=0)
    assert list(t["cash_cost_cny_t"]) == [300, 1000]
    assert list(t["bauxite_share_pct"]) == [0, 70]


def test_contract_price_rule():
    assert al.contract_price_cny_t(20000, 16) == 3200
    assert al.contract_price_cny_t(0, 16) == 0
    with pytest.raises(ValueError):
        al.contract_price_cny_t(20000, 120)
    t = al.contract_vs_cost([20000], 15, 17, 2500).iloc[0]
    assert t["contract_low_cny_t"] == 3000 and t["contract_high_cny_t"] == 3400 and t["margin_mid_cny_t"] == 700
    assert al.breakeven_aluminium_price_cny_t(3200, 16) == 20000
    with pytest.raises(ValueError):
        al.breakeven_aluminium_price_cny_t(3200, 0)
    assert al.usd_to_cny(230, 7) == 1610
    with pytest.raises(ValueError):
        al.usd_to_cny(230, -7)


# -- parameters --------------------------------------------------------------------------------------------------
def test_parameter_defaults_resolve_and_are_in_range():
    d = params.defaults("alumina")
    for p in al.PARAMETERS:
        assert p.check(p.default()) == p.default(), p.name
        assert p.source(), p.name
    # Shared with the chapters that own them (USES): set once for the whole book.
    assert d["capacity_cap_kt"] == 45000 and d["alumina_t_per_t"] == 1.93 and d["usd_cny"] == pytest.approx(7.2081)
    assert al.default_bauxite_cif_usd_t() == pytest.approx(62.5)
    assert d["contract_ratio_pct"] == 16


def test_derived_defaults_reproduce_the_report_shares():
    d = params.defaults("alumina")
    items = al.cash_cost_items(bauxite_per_alumina_t_per_t=d["bauxite_per_alumina_t_per_t"],
                               bauxite_cif_usd_t=al.default_bauxite_cif_usd_t(), usd_cny=d["usd_cny"],
                               energy_cny_t=d["energy_cost_cny_t"],
                               caustic_soda_lime_other_cny_t=d["caustic_soda_lime_other_cny_t"]).set_index("item")
    assert items.loc["Bauxite", "share_pct"] == pytest.approx(43.5)
    assert items.loc["Energy", "share_pct"] == pytest.approx(21.0)
    # At the dated rate (ECB, November 2024: 7.2081 CNY/USD), no longer an undated 7.1.
    assert al.default_energy_cny_t() == pytest.approx(2.5 * 62.5 * 7.2081 / 0.435 * 0.21)


# -- claims ------------------------------------------------------------------------------------------------------------
def test_monthly_totals_match_the_deck():
    t = al.annual_totals(catalogue.load("alumina-china-monthly-output")).set_index("year")
    assert t.loc[2019, "output_kt"] == pytest.approx(68940, abs=1)
    assert t.loc[2023, "months_reported"] == 11


def test_cif_for_bauxite_share_inverts_the_cost_model():
    cif = al.cif_for_bauxite_share(50, 1000, 2, 5)  # bauxite cost 1000 → CIF 100
    assert cif == pytest.approx(100)
    items = al.cash_cost_items(bauxite_per_alumina_t_per_t=2, bauxite_cif_usd_t=cif, usd_cny=5,
                               energy_cny_t=400, caustic_soda_lime_other_cny_t=600)
    assert items.set_index("item").loc["Bauxite", "share_pct"] == pytest.approx(50)
    assert al.cif_for_bauxite_share(0, 1000, 2, 5) == 0
    with pytest.raises(ValueError):
        al.cif_for_bauxite_share(100, 1000, 2, 5)


def test_profiles_observations_and_measures():
    monthly = catalogue.load("alumina-china-monthly-output")
    p = al.seasonal_profiles(monthly)
    assert set(p["basis"]) == {"per month", "per day"} and len(p) == 24
    obs = al.price_observations()
    assert list(obs["ratio_pct"].round(1)) == [28.2, 16.1]
    m = al.capacity_measures()
    assert m["Running capacity, Sep 2024"] == pytest.approx(86.45)
    assert m["Built capacity, 2025 (lower bound)"] == 110


def test_cost_calibration_is_an_identity_at_the_defaults():
    # Why the book no longer shows a "shares fit the reports' ranges" check: at the defaults the
    # shares are the midpoints put in. A different ore price is what moves them.
    d = params.defaults("alumina")
    bx_d = params.defaults("bauxite")
    cif = bx_d["fob_usd_t"] + bx_d["freight_usd_t"] + bx_d["other_delivery_cost_usd_t"]
    kw = dict(bauxite_per_alumina_t_per_t=d["bauxite_per_alumina_t_per_t"], usd_cny=d["usd_cny"],
              energy_cny_t=d["energy_cost_cny_t"], caustic_soda_lime_other_cny_t=d["caustic_soda_lime_other_cny_t"])
    shares = al.cash_cost_items(bauxite_cif_usd_t=cif, **kw).set_index("item")["share_pct"]
    assert shares["Bauxite"] == pytest.approx(43.5) and shares["Energy"] == pytest.approx(21)
    moved = al.cash_cost_items(bauxite_cif_usd_t=cif * 1.5, **kw).set_index("item")["share_pct"]
    assert moved["Bauxite"] > 45  # outside the reported 42–45 % once the ore price moves
