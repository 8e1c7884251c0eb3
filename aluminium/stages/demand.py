"""The demand stage of the chain: China's end-use split, the balance, new-energy drivers, the 2026 outlook.

Units: kt (thousand tonnes) of primary aluminium; vehicles in million; intensities in
kg/vehicle (million vehicles × kg/vehicle = kt) and kt/GW; growth in % a year. Every model
is a pure function of pandas objects or numbers; the notebook only calls them.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from aluminium.calc import cagr_pct  # noqa: F401 - re-exported for the chapter
from aluminium.calc import nonnegative as _nonnegative
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue
from aluminium.data.facts import fact
from aluminium.links import Link, Output
from aluminium.parameter import Param
from aluminium.words import KeyPoint, Values, balance_words, fmt

CLAIMS = ClaimRegistry()  # this stage's claim recomputations, read by the audit

SECTORS = ("building", "transport", "power_electronics", "machinery_equipment", "consumer_durables",
           "packaging", "other")


def _require(df: pd.DataFrame, columns, what: str) -> None:
    missing = set(columns) - set(df.columns)
    if missing:
        raise ValueError(f"{what}: missing column(s) {sorted(missing)}")


# --------------------------------------------------------------------------------------
# Sector split and balance
# --------------------------------------------------------------------------------------


def sector_shares(by_sector: pd.DataFrame) -> pd.DataFrame:
    """Each sector's share of the year's total demand (%), from the long sector table.

    Uses the ``total`` row as the denominator (the report's demand line); adds ``share_pct``
    to the non-total rows. Raises ValueError if a year has no total row.
    """
    _require(by_sector, {"year", "sector", "demand_kt"}, "sector_shares")
    totals = by_sector[by_sector["sector"] == "total"].set_index("year")["demand_kt"]
    parts = by_sector[by_sector["sector"] != "total"].copy()
    missing = sorted(set(parts["year"]) - set(totals.index))
    if missing:
        raise ValueError(f"sector_shares: no total row for year(s) {missing}")
    parts["share_pct"] = parts["demand_kt"] / parts["year"].map(totals) * 100
    return parts.reset_index(drop=True)


def sector_shift(by_sector: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Change of each sector's share and its compound growth between two years.

    Columns: ``sector, share_start_pct, share_end_pct, change_pp, cagr_pct``.
    """
    shares = sector_shares(by_sector)
    for year in (start, end):
        if year not in set(shares["year"]):
            raise ValueError(f"sector_shift: no data for {year}")
    a = shares[shares["year"] == start].set_index("sector")
    b = shares[shares["year"] == end].set_index("sector")
    out = pd.DataFrame({"share_start_pct": a["share_pct"], "share_end_pct": b["share_pct"]})
    out["change_pp"] = out["share_end_pct"] - out["share_start_pct"]
    out["cagr_pct"] = cagr_pct(a["demand_kt"], b["demand_kt"], end - start)
    return out.reset_index().rename(columns={"index": "sector"})


def balance_kt(supply_kt, net_imports_kt, demand_kt):
    """Market balance (kt) = supply + net imports − demand; surplus positive. Vectorised."""
    return supply_kt + net_imports_kt - demand_kt


def balance_check(balance: pd.DataFrame) -> pd.DataFrame:
    """The report's balance line against supply + net imports − demand, row by row.

    Adds ``recomputed_kt`` and ``difference_kt`` (recomputed − printed).
    """
    _require(balance, {"year", "supply_kt", "net_imports_kt", "demand_kt", "balance_kt"}, "balance_check")
    out = balance[["year", "estimate", "supply_kt", "net_imports_kt", "demand_kt", "balance_kt"]].copy()
    out["recomputed_kt"] = balance_kt(out["supply_kt"], out["net_imports_kt"], out["demand_kt"])
    out["difference_kt"] = out["recomputed_kt"] - out["balance_kt"]
    return out


# --------------------------------------------------------------------------------------
# New-energy drivers
# --------------------------------------------------------------------------------------


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
    _require(table, {"year", "ice_sales_mn_vehicles", "nev_sales_mn_vehicles", "ice_al_intensity_kg_per_vehicle",
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


# --------------------------------------------------------------------------------------
# Balance outlook to 2026
# --------------------------------------------------------------------------------------


def supply_kt(capacity_cap_kt, utilisation_pct):
    """Primary output bounded by the cap (kt) = cap × utilisation / 100. Vectorised; utilisation 0–100 %."""
    u = np.asarray(utilisation_pct, dtype=float)
    if np.any((u < 0) | (u > 100)):
        raise ValueError(f"supply_kt: utilisation must be 0–100 %, got {utilisation_pct!r}")
    _nonnegative("capacity_cap_kt", capacity_cap_kt)
    return capacity_cap_kt * utilisation_pct / 100


def demand_outlook(base_by_sector: Mapping[str, float], growth_pct: Mapping[str, float], years: int):
    """Demand after ``years`` of sector growth (kt): Σ base_s × (1 + g_s/100) ** years. Vectorised in growth.

    Raises ValueError for a sector without a growth rate or negative years.
    """
    if years < 0:
        raise ValueError("demand_outlook: years must be non-negative")
    missing = set(base_by_sector) - set(growth_pct)
    if missing:
        raise ValueError(f"demand_outlook: no growth rate for {sorted(missing)}")
    total = 0
    for sector, base in base_by_sector.items():
        total = total + base * (1 + growth_pct[sector] / 100) ** years
    return total


def base_by_sector_kt(by_sector: pd.DataFrame | None = None, year: int = 2024) -> dict[str, float]:
    """Demand by sector in the base year (kt), without the total row: the outlook's starting point."""
    if by_sector is None:
        by_sector = catalogue.load("demand-china-demand-by-sector")
    base = by_sector[(by_sector["year"] == year) & (by_sector["sector"] != "total")]
    if base.empty:
        raise ValueError(f"base_by_sector_kt: no sector demand for {year}")
    return {str(k): float(v) for k, v in zip(base["sector"], base["demand_kt"])}


# --------------------------------------------------------------------------------------
# 2025–2026 demand from the reports' own drivers
# --------------------------------------------------------------------------------------

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
    return driver_build(by_sector=_by_sector(), new_energy=_new_energy().reset_index(),
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
    by_sector, ne = _by_sector(), _new_energy().reset_index()
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


def balance_2026_kt(*, capacity_cap_kt, utilisation_pct, net_imports_kt, demand_kt):
    """The 2026 balance (kt) = cap × utilisation + net imports − demand. Vectorised."""
    return balance_kt(supply_kt(capacity_cap_kt, utilisation_pct), net_imports_kt, demand_kt)


def outlook_table(*, capacity_cap_kt, utilisation_pct, net_imports_kt, demand_by_year_kt: Mapping[int, float],
                  net_imports_by_year_kt: Mapping[int, float] | None = None, base_year: int = 2024,
                  supply_by_year_kt: Mapping[int, float] | None = None) -> pd.DataFrame:
    """Supply, net imports, demand and balance (kt): the report's base-year row, then one model row per
    year of ``demand_by_year_kt`` with supply from ``supply_by_year_kt`` where given (the chain's
    output), else cap × utilisation, and net imports from ``net_imports_by_year_kt`` where given,
    else ``net_imports_kt``."""
    bal = catalogue.load("demand-china-primary-balance").set_index("year")
    rows = [{"year": base_year, "basis": "report (guohai2024)", "supply_kt": bal.loc[base_year, "supply_kt"],
             "net_imports_kt": bal.loc[base_year, "net_imports_kt"], "demand_kt": bal.loc[base_year, "demand_kt"]}]
    for year in sorted(demand_by_year_kt):
        imports = (net_imports_by_year_kt or {}).get(year, net_imports_kt)
        supply = (supply_by_year_kt or {}).get(year)
        rows.append({"year": year, "basis": "model",
                     "supply_kt": supply_kt(capacity_cap_kt, utilisation_pct) if supply is None else float(supply),
                     "net_imports_kt": imports, "demand_kt": float(demand_by_year_kt[year])})
    out = pd.DataFrame(rows)
    out["balance_kt"] = balance_kt(out["supply_kt"], out["net_imports_kt"], out["demand_kt"])
    return out


def balance_verdict(balance_kt: float, demand_kt: float, tight_band_pct: float) -> str:
    """'tight', 'deficit' or 'surplus': tight when |balance| is at most ``tight_band_pct`` % of demand."""
    if demand_kt <= 0 or tight_band_pct < 0:
        raise ValueError("balance_verdict: demand must be positive and the band non-negative")
    if abs(balance_kt) <= demand_kt * tight_band_pct / 100:
        return "tight"
    return "deficit" if balance_kt < 0 else "surplus"


def verdict_margin_kt(balance_kt: float, demand_kt: float, tight_band_pct: float) -> float:
    """How far (kt) the balance sits from the edge of the tight band: the move that would change
    :func:`balance_verdict`'s word, ``| |balance| − demand × band / 100 |``."""
    if demand_kt <= 0 or tight_band_pct < 0:
        raise ValueError("verdict_margin_kt: demand must be positive and the band non-negative")
    return abs(abs(balance_kt) - demand_kt * tight_band_pct / 100)


def report_views_2026() -> pd.DataFrame:
    """What each report says about China's (and the world's) 2026 balance, with where it says it.

    Qualitative statements are kept as the report's direction (``tight``, ``surplus``,
    ``none``); numbers are read from the data package so they trace to a row.
    """
    world = growth_forecast("aluminium end-use demand (world)")
    bal = catalogue.load("demand-china-primary-balance").set_index("year")
    return pd.DataFrame([
        {"source": "jianghai2024", "horizon": "2024", "view": "none",
         "statement": "Outlook for 2024 only: little new capacity, supply moved by Yunnan hydropower; no 2026 view.",
         "number_kt": np.nan, "location": "slides 电解铝新增产能受限 and 铝价格展望"},
        {"source": "guohai2024", "horizon": "2024E", "view": "tight",
         "statement": f"China's 2024E balance a small surplus of {bal.loc[2024, 'balance_kt']:,.0f} kt, called a "
                      "tight balance; the table stops at 2024E, so no 2026 number.",
         "number_kt": float(bal.loc[2024, "balance_kt"]), "location": "§3.2, 图：2017-2024年电解铝供需平衡表"},
        {"source": "zijin2025", "horizon": "2026", "view": "surplus in China, tight abroad",
         "statement": "China primary has been in a passive surplus since 2022 because Russian metal was diverted "
                      f"to it; world end-use demand +{world:.0f} % in 2026; the tight primary balance may change "
                      "within one to two years.",
         "number_kt": np.nan, "location": "text lines 37, 41–42, 51"},
        {"source": "article2026", "horizon": "2026", "view": "tight",
         "statement": "A structural tight balance in 2026: running capacity near the cap, a higher hot-metal ratio "
                      "and low stocks; a world surplus only after 2027.",
         "number_kt": np.nan, "location": "§二 供需关系, §五(一)"},
    ])


def reconciled_demand_kt(level_kt, driver_from_kt, driver_to_kt):
    """A demand level carried forward at the driver build's growth (kt): level × driver_to ÷ driver_from.

    Used to keep the drivers' 2025→2026 growth but start from the 2025 level the reports'
    stock and trade figures allow, instead of the driver build's own level. Vectorised.
    """
    _nonnegative("level_kt", level_kt)
    if np.any(np.asarray(driver_from_kt, dtype=float) <= 0):
        raise ValueError("reconciled_demand_kt: the driver level it grows from must be positive")
    return level_kt * driver_to_kt / driver_from_kt


def stock_implied_demand_kt(*, supply_kt, net_imports_kt, stock_change_kt):
    """Apparent demand (kt) = supply + net imports − stock build: what a balance must equal when stocks are known."""
    return supply_kt + net_imports_kt - stock_change_kt


def derive_annual_net_imports_2025_kt() -> float:
    """Net primary imports 2025 (kt) from zijin2025: Russia's 1,576.6 kt Jan–Oct at its stated floor of 80 %
    of imports, annualised (× 12/10); primary exports are taken as nil (13.5 kt Jan–Nov 2023 in jianghai2024)."""
    russia = fact("smelting.russia_primary_exports_to_china_jan_oct_2025_kt").value
    share = fact("smelting.russia_share_china_primary_imports_2025_pct").low  # "over 80 %": an upper bound on imports
    return russia / (share / 100) * 12 / 10


def derive_stock_build_2024_2025_kt_per_yr() -> float:
    """China's social-stock build a year over 2024–2025 (kt/yr): early-Jan 2024 (jianghai2024) to early-Jan
    2026 (article2026), over two years. Smelter stocks are left out (no 2026 figure)."""
    return (fact("pricing.china_social_stocks_jan2026_kt").value - fact("pricing.china_social_stocks_jan2024_kt").value) / 2


def gap_to_reports_2025(driver_demand_2025_kt: float) -> pd.DataFrame:
    """Driver-built 2025 demand against the two 2025 demand levels the later reports imply (kt).

    * stock-implied: end-2025 running capacity (article2026) + 2025 net imports
      (``derive_annual_net_imports_2025_kt``) − the visible stock build
      (``derive_stock_build_2024_2025_kt_per_yr``);
    * PV arithmetic: article2026's "over 5,000 kt of PV use is 12 % of consumption".
    ``gap_kt`` = driver − implied: how much the driver build runs ahead of what the reports' own
    stock and share figures allow.
    """
    stock = stock_implied_demand_kt(supply_kt=fact("smelting.china_running_capacity_end2025_mt").value * 1000,
                                    net_imports_kt=derive_annual_net_imports_2025_kt(),
                                    stock_change_kt=derive_stock_build_2024_2025_kt_per_yr())
    pv = fact("demand.china_pv_al_use_kt").low / (fact("demand.china_pv_share_of_consumption_pct").value / 100)
    rows = [{"implied_by": "supply + net imports − stock build (article2026, zijin2025, jianghai2024)",
             "demand_2025_kt": stock},
            {"implied_by": "PV use ÷ PV share: 5,000 kt ÷ 12 % (article2026)", "demand_2025_kt": pv}]
    out = pd.DataFrame(rows)
    out["driver_build_2025_kt"] = float(driver_demand_2025_kt)
    out["gap_kt"] = out["driver_build_2025_kt"] - out["demand_2025_kt"]
    return out


# --------------------------------------------------------------------------------------
# Parameter derivations
# --------------------------------------------------------------------------------------


def _new_energy() -> pd.DataFrame:
    return catalogue.load("demand-new-energy-aluminium").set_index("year")


def _by_sector() -> pd.DataFrame:
    return catalogue.load("demand-china-demand-by-sector")


def growth_forecast(indicator: str, year: int = 2026) -> float:
    """Zijin's growth forecast (%) for an indicator and year (demand/growth_forecasts_2025_2026.csv)."""
    df = catalogue.load("demand-growth-forecasts-2025-2026")
    row = df[(df["indicator"] == indicator) & (df["year"] == year)]
    if row.empty:
        raise ValueError(f"no {year} growth forecast for '{indicator}'")
    return float(row["growth_pct"].iloc[0])


def derive_nev_share_2025_pct() -> float:
    """NEV share of vehicle sales in 2025E (guohai2024 table), held for 2026: no later report gives it."""
    t = _new_energy()
    return float(t.loc[2025, "nev_sales_mn_vehicles"] / t.loc[2025, "vehicle_sales_mn_vehicles"] * 100)


def derive_ice_intensity_2026_kg() -> float:
    """ICE aluminium per vehicle implied by article2026: 187 kg per NEV is 133 % more than a conventional car."""
    return fact("demand.nev_al_intensity_2026_kg_per_vehicle").value / (
        1 + fact("demand.nev_vs_ice_al_intensity_uplift_pct").value / 100)


def derive_pv_kt_per_gw(year: int = 2025) -> float:
    """Aluminium per GW of new PV implied by guohai2024's new-energy table in ``year`` (kt/GW)."""
    t = _new_energy()
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


def derive_utilisation_pct() -> float:
    """Utilisation against the cap at end-2025: 43.204 Mt running ÷ 45 Mt cap (article2026)."""
    return fact("smelting.china_running_capacity_end2025_mt").value / fact("smelting.capacity_cap_mt").value * 100


def derive_net_imports_kt() -> float:
    """Net imports held at the report's 2024E level (guohai2024 balance table)."""
    bal = catalogue.load("demand-china-primary-balance").set_index("year")
    return float(bal.loc[2024, "net_imports_kt"])


def derive_background_growth_pct() -> float:
    """Growth of the uses no report gives a driver for: zijin2025's 2026 world end-use growth (% a year)."""
    return growth_forecast("aluminium end-use demand (world)")


def _sector_param(sector: str) -> Param:
    what = {"transport": "transport other than road vehicles",
            "power_electronics": "power & electronics other than solar and storage"}.get(sector, sector.replace("_", " "))
    if sector == "building":
        return Param(name="demand.growth_building_pct", type="float", unit="% a year",
                     description="Growth of building demand in 2025–2026 (no report gives a driver)", value=0.0,
                     origin="ASSUMPTION: flat; guohai2024 §3.1 and article2026 §二(一) call building demand "
                            "resilient and give no rate (its 2017–2023 growth was 0.4 %/yr, fact "
                            "demand.building_al_cagr_2017_2023_pct)",
                     minimum=-30, maximum=50)
    return Param(name=f"demand.growth_{sector}_pct", type="float", unit="% a year",
                 description=f"Growth of demand from {what} in 2025–2026 (no named driver)",
                 derive=derive_background_growth_pct,
                 origin="zijin2025's 2026 world end-use growth (demand/growth_forecasts_2025_2026.csv), "
                        "the only economy-wide demand rate the reports give for 2026",
                 minimum=-30, maximum=50)


# The cap is declared once, in the smelting chapter.
USES = ("smelting.capacity_cap_kt",)

PARAMETERS: list[Param] = [
    Param(name="demand.utilisation_pct", type="float", unit="%",
          description="Output as a share of the cap in 2025–2026", derive=derive_utilisation_pct,
          origin="Derived: 43.204 Mt running ÷ 45 Mt cap at end-2025 (article2026), which states over 95 %",
          minimum=0, maximum=100),
    Param(name="demand.net_imports_kt", type="float", unit="kt",
          description="China's net primary imports in 2026 (2025 is derived from Russia's shipments)",
          derive=derive_net_imports_kt,
          origin="Held at the 2024E net imports of guohai2024's balance table", minimum=-10000, maximum=10000),
    *[_sector_param(s) for s in SECTORS],
    Param(name="demand.tight_balance_band_pct", type="float", unit="% of demand",
          description="A balance within ± this share of demand is called tight; beyond it, a deficit or surplus",
          value=2.0, origin="ASSUMPTION bracketed by guohai2024's own words: +150 kt (0.3 % of demand, 2024E) is "
                            "called a tight balance and −1,520 kt (4.1 %, 2019) the deepest deficit of its table",
          minimum=0, maximum=20),
    Param(name="demand.vehicle_al_growth_2025_pct", type="float", unit="%",
          description="Growth of aluminium used in China's vehicles in 2025",
          derive=lambda: growth_forecast("aluminium use in vehicles (China)", 2025),
          origin="zijin2025 growth forecasts (demand/growth_forecasts_2025_2026.csv), 2025", minimum=-50, maximum=100),
    Param(name="demand.vehicle_al_growth_2026_pct", type="float", unit="%",
          description="Growth of aluminium used in China's vehicles in 2026",
          derive=lambda: growth_forecast("aluminium use in vehicles (China)", 2026),
          origin="zijin2025 growth forecasts (demand/growth_forecasts_2025_2026.csv), 2026", minimum=-50, maximum=100),
    Param(name="demand.pv_growth_2025_pct", type="float", unit="%", description="Growth of new PV installations in 2025",
          derive=lambda: growth_forecast("PV installations", 2025),
          origin="zijin2025 growth forecasts, 2025 (scope probably China)", minimum=-80, maximum=200),
    Param(name="demand.storage_added_2026_kt", type="float", unit="kt",
          description="Aluminium added by China's energy-storage build-out in 2026",
          fact="demand.storage_al_demand_increase_2026e_kt_zijin2025", minimum=0, maximum=5000),
    Param(name="demand.vehicle_growth_2026_pct", type="float", unit="%",
          description="Growth of China vehicle sales in 2026",
          derive=lambda: growth_forecast("vehicles, overall (China)"),
          origin="zijin2025 growth forecasts (demand/growth_forecasts_2025_2026.csv), 2026", minimum=-50, maximum=50),
    Param(name="demand.nev_share_2026_pct", type="float", unit="%",
          description="NEV share of China vehicle sales in 2026", derive=derive_nev_share_2025_pct,
          origin="Held at guohai2024's 2025E share (no later report gives it)", minimum=0, maximum=100),
    Param(name="demand.nev_kg_per_vehicle_2026", type="float", unit="kg/vehicle",
          description="Aluminium per new-energy vehicle in 2026 (held at guohai2024's 2025E, same table as the volumes)",
          fact="demand.nev_al_intensity_2025_target_kg_per_vehicle", minimum=0, maximum=600),
    Param(name="demand.ice_kg_per_vehicle_2026", type="float", unit="kg/vehicle",
          description="Aluminium per internal-combustion vehicle in 2026 (held at guohai2024's 2025E)",
          fact="demand.ice_al_intensity_2025_target_kg_per_vehicle", minimum=0, maximum=600),
    Param(name="demand.pv_growth_2026_pct", type="float", unit="%", description="Growth of new PV installations in 2026",
          derive=lambda: growth_forecast("PV installations"),
          origin="zijin2025 growth forecasts, 2026 (scope probably China)", minimum=-80, maximum=200),
    Param(name="demand.pv_kt_per_gw", type="float", unit="kt/GW",
          description="Aluminium per GW of new PV (held at guohai2024's 2025E, the table the GW come from)",
          derive=lambda: derive_pv_kt_per_gw(2025),
          origin="Derived: guohai2024 new-energy table, 2025E PV aluminium ÷ new PV GW (3,810 kt ÷ 245 GW); "
                 "article2026's 19 kt/GW is a different scope and is shown as a case",
          minimum=0, maximum=50),
    Param(name="demand.storage_gw_2026", type="float", unit="GW",
          description="Energy-storage capacity built in China in 2026", derive=derive_storage_gw_2026,
          origin="Derived from zijin2025: (117 kt ÷ 30.7 % × 1.307) ÷ 1.7 kt/GW", minimum=0, maximum=5000),
    Param(name="demand.storage_kt_per_gw", type="float", unit="kt/GW", description="Aluminium per GW of storage",
          derive=derive_storage_kt_per_gw, origin="zijin2025: 170 kt per 100 GW", minimum=0, maximum=20),
    Param(name="demand.semis_export_response_kt_per_kcny_t", type="float", unit="kt per 1,000 CNY/t",
          description="Extra net exports of semis and products per 1,000 CNY/t that Shanghai sits further "
                      "below import parity than usual (export parity pulls metal abroad)",
          value=300.0, origin="ASSUMPTION (no report gives it): China exported 7.5 Mt of semis and products in "
                              "Jan–Oct 2025 (zijin2025), about 9 Mt a year; a home price 1,000 CNY/t (about 5 %) "
                              "further below world parity lifts them by about a thirtieth. Range 0–1,000.",
          minimum=0, maximum=3000),
]


# --------------------------------------------------------------------------------------
# In the chain: China's demand in the outlook year
# --------------------------------------------------------------------------------------
class _Short(Mapping):
    """The chain's values (full names) as this stage's models read them, by short name."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self._values = values

    def __getitem__(self, short: str):
        return self._values[f"demand.{short}"]

    def __iter__(self):
        return (name.split(".", 1)[1] for name in self._values if name.startswith("demand."))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def china_demand(v, o) -> dict:
    """China's primary demand in 2026 (kt): the demand model's default, the stock-reconciled
    2025 level carried forward at its drivers' 2025→2026 growth (:func:`demand_2026_kt`)."""
    return {"demand.demand_2026_kt": demand_2026_kt(_Short(v))["reconciled_2026"]}


LINKS = (Link("china demand", "demand", (), china_demand, ("demand.demand_2026_kt",)),)

OUTPUTS = (
    Output("demand.demand_2026_kt", "kt", "China's primary demand, 2026"),
    Output("demand.net_imports_2026_kt", "kt", "China's net primary imports, 2026 (following the window)"),
    Output("demand.semis_exports_change_kt", "kt", "Change in net exports of semis and products, 2026 (following the window)"),
    Output("demand.balance_2026_kt", "kt", "China's primary balance, 2026 (surplus +)"),
)


# --------------------------------------------------------------------------------------
# Claims
# --------------------------------------------------------------------------------------


def _balance_row(year: int) -> float:
    b = catalogue.load("demand-china-primary-balance").set_index("year")
    return float(balance_kt(b.loc[year, "supply_kt"], b.loc[year, "net_imports_kt"], b.loc[year, "demand_kt"]))


def _sector_sum(year: int) -> float:
    df = _by_sector()
    return float(df[(df["year"] == year) & (df["sector"] != "total")]["demand_kt"].sum())


def _share(sector: str, year: int) -> float:
    s = sector_shares(_by_sector())
    return float(s[(s["year"] == year) & (s["sector"] == sector)]["share_pct"].iloc[0])


def _ne_cagr(column: str) -> float:
    t = _new_energy()
    return float(cagr_pct(t.loc[2021, column], t.loc[2025, column], 4))


def _ne_share(year: int) -> float:
    t = _new_energy()
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
    t = _new_energy()
    return vehicle_aluminium_kt(t.loc[year, "ice_sales_mn_vehicles"], t.loc[year, "nev_sales_mn_vehicles"],
                                t.loc[year, "ice_al_intensity_kg_per_vehicle"], t.loc[year, "nev_al_intensity_kg_per_vehicle"])


for _year, _id in ((2024, "demand.balance_2024e_kt"), (2023, "demand.balance_2023_kt"), (2019, "demand.balance_2019_kt")):
    CLAIMS.register(_id)(lambda y=_year: _balance_row(y))
for _year, _id in ((2024, "demand.sector_sum_2024e_kt"), (2023, "demand.sector_sum_2023_kt")):
    CLAIMS.register(_id)(lambda y=_year: _sector_sum(y))
for _sector, _year, _id in (("building", 2017, "demand.building_share_2017_pct"),
                            ("building", 2023, "demand.building_share_2023_pct"),
                            ("power_electronics", 2017, "demand.power_electronics_share_2017_pct"),
                            ("power_electronics", 2023, "demand.power_electronics_share_2023_pct")):
    CLAIMS.register(_id)(lambda s=_sector, y=_year: _share(s, y))
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
        lambda k=_kind, y=_year: implied_intensity_kg_per_vehicle(_new_energy().loc[y], k))


@CLAIMS.register("demand.building_al_cagr_2017_2023_pct")
def _claim_building_cagr() -> float:
    df = _by_sector().set_index(["year", "sector"])["demand_kt"]
    return float(cagr_pct(df[(2017, "building")], df[(2023, "building")], 6))


@CLAIMS.register("demand.consumption_growth_2024e_pct")
def _claim_growth_2024() -> float:
    b = catalogue.load("demand-china-primary-balance").set_index("year")["demand_kt"]
    return float((b[2024] / b[2023] - 1) * 100)


@CLAIMS.register("demand.pv_al_growth_2023_pct")
def _claim_pv_2023() -> float:
    t = _new_energy()["pv_al_demand_kt"]
    return float((t[2023] / t[2022] - 1) * 100)


@CLAIMS.register("demand.pv_al_growth_2024e_pct")
def _claim_pv_2024() -> float:
    t = _new_energy()["pv_al_demand_kt"]
    return float((t[2024] / t[2023] - 1) * 100)


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
    t = _new_energy()
    return float(t.loc[2022, "nev_al_demand_kt"] + t.loc[2022, "pv_al_demand_kt"])


@CLAIMS.register("demand.vehicle_sales_2023_parts_mn_vehicles")
def _claim_vehicles_2023() -> float:
    t = _new_energy()
    return float(t.loc[2023, "ice_sales_mn_vehicles"] + t.loc[2023, "nev_sales_mn_vehicles"])


@CLAIMS.register("demand.global_pv_al_demand_2026e_kt")
def _claim_global_pv() -> float:
    return float(capacity_aluminium_kt(fact("demand.global_pv_installations_2026e_gw").value,
                                       fact("demand.pv_al_intensity_kt_per_gw_article2026").value))


@CLAIMS.register("demand.nev_primary_al_demand_2026e_kt")
def _claim_nev_2026() -> float:
    return float(fact("demand.global_nev_sales_2026e_mn_vehicles").low
                 * fact("demand.nev_al_intensity_2026_kg_per_vehicle").value)


# -- key points: what the chapter concludes, chosen by its numbers ---------------------------------
def key_points(v: Values) -> list[KeyPoint]:
    cap, util = v["smelting.capacity_cap_kt"], v["demand.utilisation_pct"]
    held = v["demand.china_balance_2026_kt"]  # imports held at the 2024E level
    growth = v["demand.demand_growth_2024_2026_pct"]
    if "demand.balance_2026_kt" in v:  # the chain: net imports follow the import window
        bal26 = v["demand.balance_2026_kt"]
        out26 = v["smelting.output_2026_kt"]
        outlook = (f"**China's 2026 balance: {balance_words(bal26)}.** Output of {fmt(out26, 'kt')} "
                   f"({fmt(100 * out26 / cap, '%')} of the {fmt(cap, 'kt/yr')} cap) meets demand of "
                   f"{fmt(v['demand.demand_2026_kt'], 'kt')}; "
                   f"net imports, which follow the import window, come to {fmt(v['demand.net_imports_2026_kt'], 'kt')}, "
                   f"against 2024's {fmt(v['demand.net_imports_kt'], 'kt')}.")
    else:
        outlook = (f"**China's 2026 balance: {balance_words(held)}.** With supply held at {fmt(util, '%')} of the "
                   f"{fmt(cap, 'kt/yr')} cap and net imports at {fmt(v['demand.net_imports_kt'], 'kt')}, demand growing "
                   f"{fmt(growth, '%', decimals=1)} a year "
                   + ("outruns the supply the cap allows." if held < 0 else "stays within the supply the cap allows."))
    shares = _sector_shares(2024)
    first = shares.index[0]
    building_2017 = _sector_shares(2017)["building"]
    others = [f"{name} ({fmt(share, '%')})" for name, share in shares.iloc[1:3].items()]
    lead = (f"**{first.capitalize()} is now the largest use.**" if first != "building"
            else "**Building is still the largest use.**")
    mix = (f"{lead} In Guohai's 2024E split it takes {fmt(shares.iloc[0], '%')} of China's aluminium, ahead of "
           f"{' and '.join(others)}; building's share has fallen from {fmt(building_2017, '%')} in 2017, and the three "
           f"lie within {fmt(shares.iloc[0] - shares.iloc[2], 'pp', decimals=1)} of each other. The growth is in grids, "
           "solar and vehicles.")
    a26, g26 = v["demand.auto_aluminium_2026_kt"], v["demand.vehicle_al_growth_2026_pct"]
    autos = (f"**Cars take {'more' if g26 > 0 else 'less'} aluminium in 2026.** Zijin expects vehicle aluminium to grow "
             f"{fmt(g26, '%', decimals=2)} in 2026; on Guohai's 2024E line, grown at Zijin's rates, vehicles take "
             f"{fmt(a26, 'kt')} in 2026.")
    bal24 = v["demand.china_balance_2024_kt"]
    history = (f"**Imports balanced the market before the outlook.** Guohai's table shows {balance_words(bal24)} "
               "for 2024E once net imports are counted, after the deficits of earlier years.")
    return [KeyPoint("demand", outlook, "demand-outlook", headline=True),
            KeyPoint("demand", mix, "demand-sectors"),
            KeyPoint("demand", autos, "demand-new-energy"),
            KeyPoint("demand", history, "demand-balance")]


def _sector_shares(year: int):
    """Guohai's end-use shares of a year (%), largest first, sectors named as a reader reads them."""
    df = catalogue.load("demand-china-demand-by-sector")
    kt = df[df["year"] == year].set_index("sector")["demand_kt"].astype(float)
    total = kt.pop("total") if "total" in kt.index else kt.sum()
    names = {"power_electronics": "power and electronics", "machinery_equipment": "machinery and equipment",
             "consumer_durables": "consumer durables"}
    return (kt / total * 100).rename(index=lambda s: names.get(s, str(s))).sort_values(ascending=False)

