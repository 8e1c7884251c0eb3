"""Unit tests of the demand chapter's models (no notebook execution)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aluminium import params
from aluminium.data import catalogue
from aluminium.stages import demand as d


def _sectors(rows):
    return pd.DataFrame(rows, columns=["year", "sector", "demand_kt"])


def test_sector_shares_and_shift_by_hand():
    df = _sectors([(2020, "building", 30), (2020, "transport", 70), (2020, "total", 100),
                   (2021, "building", 30), (2021, "transport", 90), (2021, "total", 120)])
    shares = d.sector_shares(df)
    assert shares.loc[(shares.year == 2021) & (shares.sector == "building"), "share_pct"].iloc[0] == pytest.approx(25)
    shift = d.sector_shift(df, 2020, 2021).set_index("sector")
    assert shift.loc["building", "change_pp"] == pytest.approx(-5)
    assert shift.loc["transport", "cagr_pct"] == pytest.approx(90 / 70 * 100 - 100)
    with pytest.raises(ValueError):
        d.sector_shift(df, 2020, 2030)
    with pytest.raises(ValueError, match="total"):
        d.sector_shares(df[df.sector != "total"])


def test_balance_vectorised_and_checked_against_report():
    assert d.balance_kt(100, 10, 120) == -10
    out = d.balance_kt(np.array([100, 200]), 0, pd.Series([50, 250]).to_numpy())
    assert out.tolist() == [50, -50]
    check = d.balance_check(catalogue.load("demand-china-primary-balance"))
    assert check["difference_kt"].abs().max() <= 10
    assert check.loc[check.year == 2024, "recomputed_kt"].iloc[0] == 150
    with pytest.raises(ValueError):
        d.balance_check(pd.DataFrame({"year": [2020]}))


def test_vehicle_and_capacity_aluminium_by_hand():
    v = d.vehicle_aluminium_kt(20.0, 10.0, 150.0, 200.0)  # million × kg = kt
    assert v == {"ice": 3000.0, "nev": 2000.0, "auto": 5000.0}
    assert d.vehicle_aluminium_kt(0, 0, 150, 200)["auto"] == 0
    assert d.capacity_aluminium_kt(100, 19) == 1900
    assert np.allclose(d.capacity_aluminium_kt(np.array([1, 2]), 1.7), [1.7, 3.4])
    with pytest.raises(ValueError):
        d.vehicle_aluminium_kt(-1, 0, 1, 1)
    with pytest.raises(ValueError):
        d.capacity_aluminium_kt(1, -1)


def test_reproduce_new_energy_table():
    table = catalogue.load("demand-new-energy-aluminium")
    out = d.reproduce_new_energy(table)
    assert out["auto_difference_kt"].abs().max() < 15
    assert out["nev_difference_kt"].abs().max() < 15
    assert out.loc[out.year == 2025, "auto_recomputed_kt"].iloc[0] == pytest.approx(7630.18)
    with pytest.raises(ValueError):
        d.reproduce_new_energy(table.drop(columns="pv_new_installed_gw"))


def test_project_new_energy_2026_by_hand():
    base = {"vehicle_sales_mn_vehicles": 10.0, "pv_new_installed_gw": 100.0}
    out = d.project_new_energy_2026(base, vehicle_growth_pct=10, nev_share_pct=50, ice_kg_per_vehicle=100,
                                    nev_kg_per_vehicle=200, pv_growth_pct=-10, pv_kt_per_gw=10, storage_gw=100,
                                    storage_kt_per_gw=2)
    assert out["vehicle_sales_mn_vehicles"] == pytest.approx(11)
    assert out["auto_kt"] == pytest.approx(5.5 * 100 + 5.5 * 200)
    assert out["pv_kt"] == pytest.approx(900)
    assert out["storage_kt"] == pytest.approx(200)
    assert out["new_energy_kt"] == pytest.approx(1100 + 900 + 200)
    with pytest.raises(ValueError):
        d.project_new_energy_2026(base, vehicle_growth_pct=0, nev_share_pct=120, ice_kg_per_vehicle=1,
                                  nev_kg_per_vehicle=1, pv_growth_pct=0, pv_kt_per_gw=1, storage_gw=0,
                                  storage_kt_per_gw=1)


def test_supply_demand_and_balance_2026():
    assert d.supply_kt(45000, 100) == 45000
    assert d.supply_kt(45000, 0) == 0
    with pytest.raises(ValueError):
        d.supply_kt(45000, 101)
    assert d.demand_outlook({"a": 100, "b": 100}, {"a": 10, "b": 0}, 2) == pytest.approx(221)
    assert d.demand_outlook({"a": 100}, {"a": 10}, 0) == 100
    with pytest.raises(ValueError):
        d.demand_outlook({"a": 100}, {}, 1)
    with pytest.raises(ValueError):
        d.demand_outlook({"a": 100}, {"a": 1}, -1)
    bal = d.balance_2026_kt(capacity_cap_kt=1000, utilisation_pct=90, net_imports_kt=10, demand_kt=800)
    assert bal == pytest.approx(900 + 10 - 800)


def test_balance_2026_is_vectorised_through_the_demand_parameters():
    n = 100_000
    values = dict(params.defaults("demand"))
    values["growth_packaging_pct"] = np.linspace(-5, 5, n)
    values["vehicle_al_growth_2026_pct"] = np.linspace(0, 20, n)
    demand_2026 = d.demand_2026_kt(values)
    out = d.balance_2026_kt(capacity_cap_kt=45000, utilisation_pct=np.linspace(90, 100, n), net_imports_kt=0,
                            demand_kt=demand_2026["reconciled_2026"])
    assert out.shape == (n,)
    one = d.demand_2026_kt({**values, "growth_packaging_pct": 5.0, "vehicle_al_growth_2026_pct": 20.0})
    assert out[-1] == pytest.approx(45000 - one["reconciled_2026"])


def test_demand_2026_matches_the_component_build():
    values = params.defaults("demand")
    out = d.demand_2026_kt(values)
    build = d.driver_build_at(values)
    totals = d.demand_by_year_kt(build)
    assert out["driver_2025"] == pytest.approx(totals[2025]) and out["driver_2026"] == pytest.approx(totals[2026])
    assert out["reconciled_2026"] == pytest.approx(out["stock_implied_2025"] * totals[2026] / totals[2025])


def test_outlook_table_starts_at_report():
    out = d.outlook_table(capacity_cap_kt=45000, utilisation_pct=96, net_imports_kt=0,
                          demand_by_year_kt={2025: 43000.0, 2026: 44000.0})
    assert list(out["year"]) == [2024, 2025, 2026]
    assert out.loc[0, "balance_kt"] == 150
    assert out.loc[2, "supply_kt"] == pytest.approx(43200)
    assert out.loc[2, "balance_kt"] == pytest.approx(43200 - 44000)


def test_storage_level_from_increase():
    assert d.storage_level_from_increase_kt(10, 10) == pytest.approx(110)
    with pytest.raises(ValueError):
        d.storage_level_from_increase_kt(10, 0)


def test_parameter_defaults_resolve_within_range():
    for p in d.PARAMETERS:
        value = p.default()
        assert p.check(value) == value, p.name
        assert p.source(), p.name
    defaults = params.defaults("demand")
    # One consistent source for the vehicle table: guohai2024's own 2025E intensities.
    assert (defaults["ice_kg_per_vehicle_2026"], defaults["nev_kg_per_vehicle_2026"]) == (181, 250)
    assert defaults["pv_kt_per_gw"] == pytest.approx(3810 / 245)
    assert defaults["growth_building_pct"] == 0 and defaults["growth_packaging_pct"] == 2
    assert (defaults["vehicle_al_growth_2025_pct"], defaults["vehicle_al_growth_2026_pct"]) == (19.37, 12.99)
    assert defaults["utilisation_pct"] == pytest.approx(96.0089, abs=1e-3)


# -- 2025–2026 demand from the reports' drivers ------------------------------------------------

def _toy_tables():
    by_sector = _sectors([(2024, "transport", 100), (2024, "power_electronics", 80), (2024, "building", 50),
                          (2024, "total", 230)])
    ne = pd.DataFrame({"year": [2024], "auto_al_demand_kt": [60.0], "pv_al_demand_kt": [30.0]})
    return by_sector, ne


def test_undriven_base_carves_out_the_driven_lines():
    by_sector, ne = _toy_tables()
    assert d.undriven_base_kt(by_sector, ne) == {"transport": 40, "power_electronics": 50, "building": 50}
    with pytest.raises(ValueError, match="exceeds"):
        d.undriven_base_kt(by_sector, ne.assign(auto_al_demand_kt=200.0))


def test_driver_build_by_hand():
    by_sector, ne = _toy_tables()
    build = d.driver_build(by_sector=by_sector, new_energy=ne,
                           undriven_growth_pct={"transport": 10, "power_electronics": 0, "building": -10},
                           vehicle_al_growth_pct={2025: 50, 2026: 0}, pv_growth_pct={2025: 0, 2026: -50},
                           storage_added_kt={2025: 0, 2026: 5})
    total = d.demand_by_year_kt(build)
    assert total[2024] == pytest.approx(230)
    # 2026: transport rest 40 × 1.1² + vehicles 60 × 1.5 + power rest 50 + solar 30 × 0.5 + storage 5 + building 50 × 0.9²
    assert total[2026] == pytest.approx(40 * 1.21 + 90 + 50 + 15 + 5 + 50 * 0.81)
    with pytest.raises(ValueError, match="no value"):
        d.driver_build(by_sector=by_sector, new_energy=ne, undriven_growth_pct={}, vehicle_al_growth_pct={2025: 0},
                       pv_growth_pct={}, storage_added_kt={2025: 0})
    with pytest.raises(ValueError, match="without gaps"):
        d.driver_build(by_sector=by_sector, new_energy=ne, undriven_growth_pct={}, vehicle_al_growth_pct={2026: 0},
                       pv_growth_pct={2026: 0}, storage_added_kt={2026: 0})


def test_demand_from_drivers_is_vectorised():
    n = 1000
    g = np.linspace(-5, 5, n)
    out = d.demand_from_drivers_kt(undriven_kt={"a": 100.0}, undriven_growth_pct={"a": g}, years=2,
                                   vehicles_kt=np.full(n, 10.0), pv_kt=5.0, storage_added_kt=1.0)
    assert out.shape == (n,)
    assert out[-1] == pytest.approx(100 * 1.05 ** 2 + 16)
    with pytest.raises(ValueError):
        d.demand_from_drivers_kt(undriven_kt={}, undriven_growth_pct={}, years=1, vehicles_kt=-1, pv_kt=0)


def test_real_driver_build_uses_the_growth_table():
    build = d.driver_build_at(params.defaults("demand"))
    comp = build.set_index(["year", "component"])["demand_kt"]
    assert comp[(2026, "transport: vehicles")] == pytest.approx(6450 * 1.1937 * 1.1299)
    assert comp[(2026, "power & electronics: solar")] == pytest.approx(3520 * 1.35 * 0.90)
    assert d.demand_by_year_kt(build)[2024] == pytest.approx(44850)  # the sectors' sum (the printed total is 44,860)


def test_automotive_cases_keep_sources_apart():
    cases = d.automotive_cases_2026(catalogue.load("demand-new-energy-aluminium"),
                                    vehicle_al_growth_pct={2025: 19.37, 2026: 12.99}, vehicle_growth_2026_pct=6)
    by = cases.set_index("consistent")["auto_2026_kt"]
    assert cases.loc[0, "auto_2026_kt"] == pytest.approx(6450 * 1.1937 * 1.1299)
    # Guohai's own per-vehicle table: 2025E sales × 1.06, 2025E NEV share and intensities.
    assert cases.loc[1, "auto_2026_kt"] == pytest.approx(36.67 * 1.06 * ((22.28 * 181 + 14.39 * 250) / 36.67), rel=1e-3)
    assert by[False] < 0.6 * cases.loc[0, "auto_2026_kt"]  # the mixed case is the outlier


def test_gap_to_reports_and_reconciliation():
    gap = d.gap_to_reports_2025(47000.0)
    stock_level = 43204 + 1576.6 / 0.8 * 1.2 - (1100 - 443) / 2
    assert gap.loc[0, "demand_2025_kt"] == pytest.approx(stock_level)
    assert gap.loc[1, "demand_2025_kt"] == pytest.approx(5000 / 0.12)
    assert (gap["gap_kt"] == 47000.0 - gap["demand_2025_kt"]).all()
    assert d.stock_implied_demand_kt(supply_kt=100, net_imports_kt=10, stock_change_kt=5) == 105
    assert d.reconciled_demand_kt(100.0, 200.0, 210.0) == pytest.approx(105)
    assert np.allclose(d.reconciled_demand_kt(np.array([100.0, 50.0]), 200.0, 220.0), [110, 55])
    with pytest.raises(ValueError):
        d.reconciled_demand_kt(100.0, 0.0, 1.0)


def test_report_views_cover_every_report():
    views = d.report_views_2026()
    assert set(views["source"]) == {"jianghai2024", "guohai2024", "zijin2025", "article2026"}
    assert views.set_index("source").loc["guohai2024", "number_kt"] == 150


def test_balance_verdict():
    assert d.balance_verdict(150, 44860, 2) == "tight"
    assert d.balance_verdict(-1520, 36650, 2) == "deficit"
    assert d.balance_verdict(2000, 40000, 2) == "surplus"
    assert d.balance_verdict(-800, 40000, 2) == "tight"  # exactly 2 %
    with pytest.raises(ValueError):
        d.balance_verdict(0, 0, 2)


def test_outlook_table_takes_net_imports_by_year():
    out = d.outlook_table(capacity_cap_kt=45000, utilisation_pct=96, net_imports_kt=1000,
                          demand_by_year_kt={2025: 45000.0, 2026: 46000.0}, net_imports_by_year_kt={2025: 2000.0})
    assert out.set_index("year")["net_imports_kt"].tolist() == [1960, 2000, 1000]
    # With the stock-implied 2025 demand and its own imports, the 2025 balance is the stock build.
    level = d.gap_to_reports_2025(0.0)["demand_2025_kt"].iloc[0]
    out = d.outlook_table(capacity_cap_kt=45000, utilisation_pct=d.derive_utilisation_pct(), net_imports_kt=0,
                          demand_by_year_kt={2025: level},
                          net_imports_by_year_kt={2025: d.derive_annual_net_imports_2025_kt()})
    assert out.loc[1, "balance_kt"] == pytest.approx(d.derive_stock_build_2024_2025_kt_per_yr())


def test_verdict_margin_is_the_distance_to_the_band_edge():
    # The referee's problem 6: a 2.05 % deficit against a 2.0 % band turns on about 25 kt.
    assert d.verdict_margin_kt(-951.0, 46326.0, 2.0) == pytest.approx(951.0 - 926.52)
    assert d.verdict_margin_kt(-500.0, 46326.0, 2.0) == pytest.approx(926.52 - 500.0)
    assert d.verdict_margin_kt(300.0, 10000.0, 0.0) == pytest.approx(300.0)
    with pytest.raises(ValueError):
        d.verdict_margin_kt(0.0, 0.0, 2.0)
