"""Unit tests of the demand chapter's models (no notebook execution)."""
from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from aluminium import catalogue, demand as d, params


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


def test_cagr():
    assert d.cagr_pct(100, 121, 2) == pytest.approx(10)
    assert d.cagr_pct(100, 100, 5) == 0
    assert np.allclose(d.cagr_pct(np.array([100, 100]), np.array([110, 121]), np.array([1, 2])), [10, 10])
    with pytest.raises(ValueError):
        d.cagr_pct(100, 121, 0)
    with pytest.raises(ValueError):
        d.cagr_pct(0, 121, 2)


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
    bal = d.balance_2026_kt(capacity_cap_kt=1000, utilisation_pct=90, net_imports_kt=10,
                            base_by_sector={"a": 800}, growth_pct={"a": 0})
    assert bal == pytest.approx(900 + 10 - 800)


def test_balance_2026_is_vectorised():
    n = 100_000
    util = np.linspace(90, 100, n)
    growth = {s: np.full(n, 3.0) for s in d.SECTORS}
    base = {s: 1000.0 for s in d.SECTORS}
    out = d.balance_2026_kt(capacity_cap_kt=45000, utilisation_pct=util, net_imports_kt=0,
                            base_by_sector=base, growth_pct=growth)
    assert out.shape == (n,)
    assert out[-1] == pytest.approx(45000 - 7000 * 1.03 ** 2)


def test_outlook_table_starts_at_report():
    p = params.defaults("demand")
    growth = {s: p[f"growth_{s}_pct"] for s in d.SECTORS}
    out = d.outlook_table(capacity_cap_kt=45000, utilisation_pct=96, net_imports_kt=0,
                          by_sector=catalogue.load("demand-china-demand-by-sector"), growth_pct=growth)
    assert list(out["year"]) == [2024, 2025, 2026]
    assert out.loc[0, "balance_kt"] == 150
    assert out.loc[2, "supply_kt"] == pytest.approx(43200)


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
    assert defaults["ice_kg_per_vehicle_2026"] == pytest.approx(187 / 2.33)
    assert defaults["utilisation_pct"] == pytest.approx(96.0089, abs=1e-3)
