"""New-energy drivers: aluminium in vehicles (million vehicles × kg/vehicle = kt), in solar and
storage capacity (GW × kt/GW), the 2026 projection from the 2025E base, the derived intensities and
storage build, and the claims recomputed from the new-energy table.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from aluminium.calc import cagr_pct, growth_pct, require_columns
from aluminium.calc import nonnegative as _nonnegative
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue
from aluminium.data.facts import fact
from aluminium.stages.demand.tables import growth_forecast, new_energy_table

CLAIMS = ClaimRegistry()  # this module's claim recomputations (the stage's CLAIMS joins them)


def vehicle_aluminium_kt(ice_sales_mn, nev_sales_mn, ice_kg_per_vehicle, nev_kg_per_vehicle) -> dict:
    """Aluminium in new vehicles (kt): million vehicles × kg/vehicle = kt. Vectorised.

    Returns ``{"ice": …, "nev": …, "auto": ice + nev}``. Raises ValueError for negative inputs.
    """
    for name, v in dict(ice_sales_mn=ice_sales_mn, nev_sales_mn=nev_sales_mn,
                        ice_kg_per_vehicle=ice_kg_per_vehicle, nev_kg_per_vehicle=nev_kg_per_vehicle).items():
        _nonnegative(name, v)
    ice = ice_sales_mn * ice_kg_per_vehicle
    nev = nev_sales_mn * nev_kg_per_vehicle
    return {"ice": ice, "nev": nev, "auto": ice + nev}


def capacity_aluminium_kt(installed_gw, kt_per_gw):
    """Aluminium needed by new PV or storage capacity (kt) = GW × kt/GW. Vectorised."""
    _nonnegative("installed_gw", installed_gw)
    _nonnegative("kt_per_gw", kt_per_gw)
    return installed_gw * kt_per_gw


def reproduce_new_energy(table: pd.DataFrame) -> pd.DataFrame:
    """Recompute the 2021A–2025E new-energy table from its drivers and compare with the printed lines.

    Vehicles: sales × intensity. PV: the report gives no intensity, so the implied kt/GW
    (printed PV aluminium ÷ GW) is shown; the new-energy total is NEV + PV. Differences are
    recomputed − printed (kt).
    """
    require_columns(table, {"year", "ice_sales_mn_vehicles", "nev_sales_mn_vehicles", "ice_al_intensity_kg_per_vehicle",
                     "nev_al_intensity_kg_per_vehicle", "auto_al_demand_kt", "nev_al_demand_kt",
                     "pv_new_installed_gw", "pv_al_demand_kt", "new_energy_al_demand_kt"}, "reproduce_new_energy")
    v = vehicle_aluminium_kt(table["ice_sales_mn_vehicles"], table["nev_sales_mn_vehicles"],
                             table["ice_al_intensity_kg_per_vehicle"], table["nev_al_intensity_kg_per_vehicle"])
    out = pd.DataFrame({"year": table["year"], "estimate": table.get("estimate")})
    out["auto_printed_kt"] = table["auto_al_demand_kt"]
    out["auto_recomputed_kt"] = v["auto"]
    out["nev_printed_kt"] = table["nev_al_demand_kt"]
    out["nev_recomputed_kt"] = v["nev"]
    out["pv_implied_kt_per_gw"] = table["pv_al_demand_kt"] / table["pv_new_installed_gw"]
    out["new_energy_printed_kt"] = table["new_energy_al_demand_kt"]
    out["new_energy_recomputed_kt"] = v["nev"] + table["pv_al_demand_kt"]
    for item in ("auto", "nev", "new_energy"):
        out[f"{item}_difference_kt"] = out[f"{item}_recomputed_kt"] - out[f"{item}_printed_kt"]
    return out


def project_new_energy_2026(base: Mapping[str, float], *, vehicle_growth_pct, nev_share_pct, ice_kg_per_vehicle,
                            nev_kg_per_vehicle, pv_growth_pct, pv_kt_per_gw, storage_gw, storage_kt_per_gw) -> dict:
    """2026 new-energy aluminium (kt) from the 2025E base and the 2026 drivers. Vectorised in the drivers.

    vehicles_2026 = vehicles_2025 × (1 + growth); NEV = vehicles × share; auto = ICE × ICE
    intensity + NEV × NEV intensity; PV = GW_2025 × (1 + PV growth) × kt/GW; storage = GW × kt/GW.
    ``base`` needs ``vehicle_sales_mn_vehicles`` and ``pv_new_installed_gw`` for 2025E.
    """
    if np.any(np.asarray(nev_share_pct, dtype=float) > 100):
        raise ValueError("project_new_energy_2026: NEV share above 100 %")
    vehicles = base["vehicle_sales_mn_vehicles"] * (1 + vehicle_growth_pct / 100)
    nev = vehicles * nev_share_pct / 100
    v = vehicle_aluminium_kt(vehicles - nev, nev, ice_kg_per_vehicle, nev_kg_per_vehicle)
    pv_gw = base["pv_new_installed_gw"] * (1 + pv_growth_pct / 100)
    pv = capacity_aluminium_kt(pv_gw, pv_kt_per_gw)
    storage = capacity_aluminium_kt(storage_gw, storage_kt_per_gw)
    return {"vehicle_sales_mn_vehicles": vehicles, "nev_sales_mn_vehicles": nev, "ice_kt": v["ice"],
            "nev_kt": v["nev"], "auto_kt": v["auto"], "pv_gw": pv_gw, "pv_kt": pv, "storage_kt": storage,
            "new_energy_kt": v["nev"] + pv + storage}


def derive_nev_share_2025_pct() -> float:
    """NEV share of vehicle sales in 2025E (guohai2024 table), held for 2026: no later report gives it."""
    t = new_energy_table()
    return float(t.loc[2025, "nev_sales_mn_vehicles"] / t.loc[2025, "vehicle_sales_mn_vehicles"] * 100)


def derive_ice_intensity_2026_kg() -> float:
    """ICE aluminium per vehicle implied by article2026: 187 kg per NEV is 133 % more than a conventional car."""
    return fact("demand.nev_al_intensity_2026_kg_per_vehicle").value / (
        1 + fact("demand.nev_vs_ice_al_intensity_uplift_pct").value / 100)


def derive_pv_kt_per_gw(year: int = 2025) -> float:
    """Aluminium per GW of new PV implied by guohai2024's new-energy table in ``year`` (kt/GW)."""
    t = new_energy_table()
    return float(t.loc[year, "pv_al_demand_kt"] / t.loc[year, "pv_new_installed_gw"])


def derive_storage_gw_2026() -> float:
    """2026 China energy-storage capacity implied by zijin2025: (117 kt ÷ 30.7 % × 1.307) ÷ 1.7 kt/GW."""
    level = storage_level_from_increase_kt(fact("demand.storage_al_demand_increase_2026e_kt_zijin2025").value,
                                           growth_forecast("aluminium use in energy storage (China)"))
    return level / derive_storage_kt_per_gw()


def derive_storage_kt_per_gw() -> float:
    """Aluminium per GW of storage (kt/GW) from zijin2025's 170 kt per 100 GW."""
    return fact("demand.storage_al_intensity_kt_per_100gw").value / 100


def storage_level_from_increase_kt(increase_kt: float, growth_pct: float) -> float:
    """The new level implied by an increase and a growth rate: increase ÷ g × (1 + g) (kt)."""
    if growth_pct <= 0:
        raise ValueError("storage_level_from_increase_kt: growth must be positive")
    g = growth_pct / 100
    return increase_kt / g * (1 + g)


def _ne_cagr(column: str) -> float:
    t = new_energy_table()
    return float(cagr_pct(t.loc[2021, column], t.loc[2025, column], 4))


def _ne_share(year: int) -> float:
    t = new_energy_table()
    b = catalogue.load("demand-china-primary-balance").set_index("year")
    return float(t.loc[year, "new_energy_al_demand_kt"] / b.loc[year, "demand_kt"] * 100)


def implied_intensity_kg_per_vehicle(row: pd.Series, kind: str) -> float:
    """Aluminium per vehicle (kg) that a new-energy table row's own demand and sales imply:
    NEV demand ÷ NEV sales, or (automotive − NEV demand) ÷ ICE sales (kt ÷ million = kg)."""
    if kind == "nev":
        return float(row["nev_al_demand_kt"] / row["nev_sales_mn_vehicles"])
    if kind == "ice":
        return float((row["auto_al_demand_kt"] - row["nev_al_demand_kt"]) / row["ice_sales_mn_vehicles"])
    raise ValueError(f"implied_intensity_kg_per_vehicle: kind must be 'nev' or 'ice', got {kind!r}")


def _vehicles(year: int) -> dict:
    t = new_energy_table()
    return vehicle_aluminium_kt(t.loc[year, "ice_sales_mn_vehicles"], t.loc[year, "nev_sales_mn_vehicles"],
                                t.loc[year, "ice_al_intensity_kg_per_vehicle"], t.loc[year, "nev_al_intensity_kg_per_vehicle"])


for _col, _id in (("vehicle_sales_mn_vehicles", "demand.vehicle_sales_cagr_2021_2025e_pct"),
                  ("ice_sales_mn_vehicles", "demand.ice_sales_cagr_2021_2025e_pct"),
                  ("nev_sales_mn_vehicles", "demand.nev_sales_cagr_2021_2025e_pct"),
                  ("auto_al_demand_kt", "demand.auto_al_demand_cagr_2021_2025e_pct"),
                  ("nev_al_demand_kt", "demand.nev_al_demand_cagr_2021_2025e_pct"),
                  ("pv_new_installed_gw", "demand.pv_new_installed_cagr_2021_2025e_pct"),
                  ("pv_al_demand_kt", "demand.pv_al_demand_cagr_2021_2025e_pct"),
                  ("new_energy_al_demand_kt", "demand.new_energy_al_demand_cagr_2021_2025e_pct")):
    CLAIMS.register(_id)(lambda c=_col: _ne_cagr(c))


for _year in (2021, 2022, 2023):
    CLAIMS.register(f"demand.new_energy_share_{_year}_pct")(lambda y=_year: _ne_share(y))


CLAIMS.register("demand.new_energy_share_2024_pct")(lambda: _ne_share(2024))


for _kind, _year in (("nev", 2022), ("ice", 2022), ("nev", 2025), ("ice", 2025)):
    CLAIMS.register(f"demand.{_kind}_intensity_{_year}_repeated_kg_per_vehicle")(
        lambda k=_kind, y=_year: implied_intensity_kg_per_vehicle(new_energy_table().loc[y], k))


@CLAIMS.register("demand.pv_al_growth_2023_pct")
def _claim_pv_2023() -> float:
    t = new_energy_table()["pv_al_demand_kt"]
    return growth_pct(t[2023], t[2022])


@CLAIMS.register("demand.pv_al_growth_2024e_pct")
def _claim_pv_2024() -> float:
    t = new_energy_table()["pv_al_demand_kt"]
    return growth_pct(t[2024], t[2023])


@CLAIMS.register("demand.nev_al_demand_2025e_kt")
def _claim_nev_2025() -> float:
    return float(_vehicles(2025)["nev"])


@CLAIMS.register("demand.nev_al_demand_2024e_kt")
def _claim_nev_2024() -> float:
    return float(_vehicles(2024)["nev"])


@CLAIMS.register("demand.auto_al_demand_2025e_kt")
def _claim_auto_2025() -> float:
    return float(_vehicles(2025)["auto"])


@CLAIMS.register("demand.new_energy_al_demand_2022_kt")
def _claim_ne_2022() -> float:
    t = new_energy_table()
    return float(t.loc[2022, "nev_al_demand_kt"] + t.loc[2022, "pv_al_demand_kt"])


@CLAIMS.register("demand.vehicle_sales_2023_parts_mn_vehicles")
def _claim_vehicles_2023() -> float:
    t = new_energy_table()
    return float(t.loc[2023, "ice_sales_mn_vehicles"] + t.loc[2023, "nev_sales_mn_vehicles"])


@CLAIMS.register("demand.global_pv_al_demand_2026e_kt")
def _claim_global_pv() -> float:
    return float(capacity_aluminium_kt(fact("demand.global_pv_installations_2026e_gw").value,
                                       fact("demand.pv_al_intensity_kt_per_gw_article2026").value))


@CLAIMS.register("demand.nev_primary_al_demand_2026e_kt")
def _claim_nev_2026() -> float:
    return float(fact("demand.global_nev_sales_2026e_mn_vehicles").low
                 * fact("demand.nev_al_intensity_2026_kg_per_vehicle").value)
