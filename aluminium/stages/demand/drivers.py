"""2025–2026 demand built from the reports' own drivers: each sector's remainder grown at its rate,
vehicles and solar grown at Zijin's forecasts, storage added; and China's 2026 demand, the stock-
reconciled 2025 level carried forward at the drivers' growth (the chain's demand). Units: kt.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from aluminium.calc import nonnegative as _nonnegative
from aluminium.data.facts import fact
from aluminium.stages.demand.balance import gap_to_reports_2025, reconciled_demand_kt
from aluminium.stages.demand.new_energy import derive_ice_intensity_2026_kg, derive_nev_share_2025_pct, project_new_energy_2026
from aluminium.stages.demand.sectors import SECTORS, base_by_sector_kt, demand_outlook
from aluminium.stages.demand.tables import growth_forecast, new_energy_table, sector_table

# The named drivers carved out of the 2024E sector lines: the vehicle line of the new-energy
# table sits in transport, its solar line in power & electronics.
DRIVEN_PARTS = {"transport": "auto_al_demand_kt", "power_electronics": "pv_al_demand_kt"}


def undriven_base_kt(by_sector: pd.DataFrame, new_energy: pd.DataFrame, year: int = 2024) -> dict[str, float]:
    """Each sector's base-year demand (kt) less the part a named driver covers.

    Transport loses the vehicle line and power & electronics the solar line of the same
    report's new-energy table (both guohai2024, so one definition). Raises ValueError if a
    carved-out line is larger than its sector.
    """
    base = base_by_sector_kt(by_sector, year)
    ne = new_energy.set_index("year")
    if year not in ne.index:
        raise ValueError(f"undriven_base_kt: the new-energy table has no {year}")
    for sector, column in DRIVEN_PARTS.items():
        part = float(ne.loc[year, column])
        if part > base[sector]:
            raise ValueError(f"undriven_base_kt: {column} ({part:,.0f} kt) exceeds {sector} ({base[sector]:,.0f} kt)")
        base[sector] -= part
    return base


def grown_kt(base_kt, *growth_pct):
    """A level grown by successive yearly rates (kt): base × Π(1 + g/100). Vectorised."""
    out = base_kt
    for g in growth_pct:
        out = out * (1 + np.asarray(g, dtype=float) / 100)
    return out


def demand_from_drivers_kt(*, undriven_kt: Mapping[str, float], undriven_growth_pct: Mapping[str, float],
                           years: int, vehicles_kt, pv_kt, storage_added_kt=0.0):
    """Demand (kt) = Σ undriven sector part × (1 + g)^years + vehicles + solar + added storage. Vectorised."""
    for name, value in dict(vehicles_kt=vehicles_kt, pv_kt=pv_kt, storage_added_kt=storage_added_kt).items():
        _nonnegative(name, value)
    return demand_outlook(undriven_kt, undriven_growth_pct, years) + vehicles_kt + pv_kt + storage_added_kt


def driver_build(*, by_sector: pd.DataFrame, new_energy: pd.DataFrame, undriven_growth_pct: Mapping[str, float],
                 vehicle_al_growth_pct: Mapping[int, float], pv_growth_pct: Mapping[int, float],
                 storage_added_kt: Mapping[int, float], base_year: int = 2024) -> pd.DataFrame:
    """China's primary demand by component for the base year and each later year given (kt).

    Levels come from guohai2024's 2024E tables (the only sector split); each later year's
    growth comes from one driver per line: vehicle aluminium and solar installations grow at
    the given rates (zijin2025's forecast table by default), storage adds the given tonnage,
    and every sector's remainder grows at its own rate. Columns: ``year, sector, component,
    demand_kt``; the years are those of ``vehicle_al_growth_pct``.
    """
    years = sorted(vehicle_al_growth_pct)
    for name, rates in (("pv_growth_pct", pv_growth_pct), ("storage_added_kt", storage_added_kt)):
        missing = set(years) - set(rates)
        if missing:
            raise ValueError(f"driver_build: {name} has no value for {sorted(missing)}")
    if years != list(range(base_year + 1, base_year + 1 + len(years))):
        raise ValueError(f"driver_build: years must run on from {base_year} without gaps, got {years}")
    rest = undriven_base_kt(by_sector, new_energy, base_year)
    ne = new_energy.set_index("year")
    vehicles, pv, storage = float(ne.loc[base_year, "auto_al_demand_kt"]), float(ne.loc[base_year, "pv_al_demand_kt"]), 0.0
    rows = []
    for i, year in enumerate([base_year] + years):
        if i:
            vehicles = grown_kt(vehicles, vehicle_al_growth_pct[year])
            pv = grown_kt(pv, pv_growth_pct[year])
            storage += storage_added_kt[year]
        for sector in rest:
            rows.append({"year": year, "sector": sector, "component": f"{sector.replace('_', ' ')}: other uses",
                         "demand_kt": demand_outlook({sector: rest[sector]}, undriven_growth_pct, i)})
        rows += [{"year": year, "sector": "transport", "component": "transport: vehicles", "demand_kt": vehicles},
                 {"year": year, "sector": "power_electronics", "component": "power & electronics: solar",
                  "demand_kt": pv},
                 {"year": year, "sector": "power_electronics", "component": "power & electronics: storage added",
                  "demand_kt": storage}]
    return pd.DataFrame(rows)


def driver_build_at(values: Mapping[str, object]) -> pd.DataFrame:
    """``driver_build`` on the data package's tables at a set of demand parameters (short names → values)."""
    return driver_build(by_sector=sector_table(), new_energy=new_energy_table().reset_index(),
                        undriven_growth_pct={s: values[f"growth_{s}_pct"] for s in SECTORS},
                        vehicle_al_growth_pct={2025: values["vehicle_al_growth_2025_pct"],
                                               2026: values["vehicle_al_growth_2026_pct"]},
                        pv_growth_pct={2025: values["pv_growth_2025_pct"], 2026: values["pv_growth_2026_pct"]},
                        storage_added_kt={2025: 0.0, 2026: values["storage_added_2026_kt"]})


def demand_by_year_kt(build: pd.DataFrame) -> pd.Series:
    """Total demand per year (kt) from ``driver_build``."""
    return build.groupby("year")["demand_kt"].sum()


def automotive_cases_2026(new_energy: pd.DataFrame, *, vehicle_al_growth_pct: Mapping[int, float],
                          vehicle_growth_2026_pct: float) -> pd.DataFrame:
    """Automotive aluminium in 2026 (kt) three ways, each from one consistent source where possible.

    * default: guohai2024's 2024E vehicle line grown by zijin2025's aluminium-use-in-vehicles
      forecasts (one report's growth on one table's level, no per-vehicle intensities mixed);
    * case: guohai2024's own per-vehicle table (2025E sales × 2025E intensities), sales grown
      by zijin2025's 2026 vehicle growth, intensities held;
    * case: article2026's intensities (187 kg per NEV, about 80 kg per conventional car) on
      guohai2024's volumes: two reports' definitions mixed, shown to size the conflict.
    """
    ne = new_energy.set_index("year")
    default = grown_kt(float(ne.loc[2024, "auto_al_demand_kt"]), *[vehicle_al_growth_pct[y] for y in (2025, 2026)])
    share = derive_nev_share_2025_pct()
    table_case = project_new_energy_2026(
        ne.loc[2025], vehicle_growth_pct=vehicle_growth_2026_pct, nev_share_pct=share,
        ice_kg_per_vehicle=float(ne.loc[2025, "ice_al_intensity_kg_per_vehicle"]),
        nev_kg_per_vehicle=float(ne.loc[2025, "nev_al_intensity_kg_per_vehicle"]),
        pv_growth_pct=0.0, pv_kt_per_gw=0.0, storage_gw=0.0, storage_kt_per_gw=0.0)["auto_kt"]
    article_case = project_new_energy_2026(
        ne.loc[2025], vehicle_growth_pct=vehicle_growth_2026_pct, nev_share_pct=share,
        ice_kg_per_vehicle=derive_ice_intensity_2026_kg(),
        nev_kg_per_vehicle=fact("demand.nev_al_intensity_2026_kg_per_vehicle").value,
        pv_growth_pct=0.0, pv_kt_per_gw=0.0, storage_gw=0.0, storage_kt_per_gw=0.0)["auto_kt"]
    return pd.DataFrame([
        {"case": "default: guohai2024 2024E level × zijin2025 vehicle-aluminium growth 2025–26",
         "auto_2026_kt": float(default), "consistent": True},
        {"case": "guohai2024 per-vehicle table, 2025E intensities held, sales × zijin2025 2026 growth",
         "auto_2026_kt": float(table_case), "consistent": True},
        {"case": "article2026 intensities (187 / ~80 kg) on guohai2024 volumes",
         "auto_2026_kt": float(article_case), "consistent": False},
    ])


def driver_demand_2025_2026_kt(*, undriven_kt: Mapping[str, float], undriven_growth_pct: Mapping[str, float],
                               vehicles_base_kt, pv_base_kt, vehicle_al_growth_2025_pct, vehicle_al_growth_2026_pct,
                               pv_growth_2025_pct, pv_growth_2026_pct, storage_added_2026_kt):
    """Driver-built demand in 2025 and 2026 (kt), the same sums as ``driver_build``; vectorised in every rate."""
    d25 = demand_from_drivers_kt(undriven_kt=undriven_kt, undriven_growth_pct=undriven_growth_pct, years=1,
                                 vehicles_kt=grown_kt(vehicles_base_kt, vehicle_al_growth_2025_pct),
                                 pv_kt=grown_kt(pv_base_kt, pv_growth_2025_pct))
    d26 = demand_from_drivers_kt(undriven_kt=undriven_kt, undriven_growth_pct=undriven_growth_pct, years=2,
                                 vehicles_kt=grown_kt(vehicles_base_kt, vehicle_al_growth_2025_pct, vehicle_al_growth_2026_pct),
                                 pv_kt=grown_kt(pv_base_kt, pv_growth_2025_pct, pv_growth_2026_pct),
                                 storage_added_kt=storage_added_2026_kt)
    return d25, d26


def demand_2026_kt(values: Mapping[str, object]) -> dict:
    """China's 2026 primary demand (kt) at a set of demand parameters (short names → values, arrays allowed).

    Returns the driver build for 2025 and 2026, the 2025 level the reports' stock and trade
    figures allow (``stock_implied_2025``), and ``reconciled_2026``: that level carried
    forward at the drivers' 2025→2026 growth, the book's default demand for the balance.
    """
    by_sector, ne = sector_table(), new_energy_table().reset_index()
    base = ne.set_index("year").loc[2024]
    d25, d26 = driver_demand_2025_2026_kt(
        undriven_kt=undriven_base_kt(by_sector, ne), undriven_growth_pct={s: values[f"growth_{s}_pct"] for s in SECTORS},
        vehicles_base_kt=float(base["auto_al_demand_kt"]), pv_base_kt=float(base["pv_al_demand_kt"]),
        vehicle_al_growth_2025_pct=values["vehicle_al_growth_2025_pct"],
        vehicle_al_growth_2026_pct=values["vehicle_al_growth_2026_pct"],
        pv_growth_2025_pct=values["pv_growth_2025_pct"], pv_growth_2026_pct=values["pv_growth_2026_pct"],
        storage_added_2026_kt=values["storage_added_2026_kt"])
    level = float(gap_to_reports_2025(0.0)["demand_2025_kt"].iloc[0])
    return {"driver_2025": d25, "driver_2026": d26, "stock_implied_2025": level,
            "reconciled_2026": reconciled_demand_kt(level, d25, d26)}


def derive_background_growth_pct() -> float:
    """Growth of the uses no report gives a driver for: zijin2025's 2026 world end-use growth (% a year)."""
    return growth_forecast("aluminium end-use demand (world)")
