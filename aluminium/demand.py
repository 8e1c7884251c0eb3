"""The demand stage of the chain: China's end-use split, the balance, new-energy drivers, the 2026 outlook.

Units: kt (thousand tonnes) of primary aluminium; vehicles in million; intensities in
kg/vehicle (million vehicles × kg/vehicle = kt) and kt/GW; growth in % a year. Every model
is a pure function of pandas objects or numbers; the notebook only calls them.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from . import catalogue
from .audit import claim
from .calc import cagr_pct  # noqa: F401 - re-exported for the chapter
from .calc import nonnegative as _nonnegative
from .facts import fact
from .params import Param

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


def balance_2026_kt(*, capacity_cap_kt, utilisation_pct, net_imports_kt, base_by_sector, growth_pct, years=2):
    """The 2026 balance (kt) = cap × utilisation + net imports − demand grown from the 2024E sectors. Vectorised."""
    return balance_kt(supply_kt(capacity_cap_kt, utilisation_pct), net_imports_kt,
                      demand_outlook(base_by_sector, growth_pct, years))


def base_by_sector_kt(by_sector: pd.DataFrame | None = None, year: int = 2024) -> dict[str, float]:
    """Demand by sector in the base year (kt), without the total row: the outlook's starting point."""
    if by_sector is None:
        by_sector = catalogue.load("demand-china-demand-by-sector")
    base = by_sector[(by_sector["year"] == year) & (by_sector["sector"] != "total")]
    if base.empty:
        raise ValueError(f"base_by_sector_kt: no sector demand for {year}")
    return {str(k): float(v) for k, v in zip(base["sector"], base["demand_kt"])}


def outlook_table(*, capacity_cap_kt, utilisation_pct, net_imports_kt, by_sector: pd.DataFrame,
                  growth_pct: Mapping[str, float], base_year: int = 2024, to_year: int = 2026) -> pd.DataFrame:
    """Supply, net imports, demand and balance each year from the base year to ``to_year`` (kt).

    The base year is the report's table; later years use the cap × utilisation and the
    sector growth rates.
    """
    bal = catalogue.load("demand-china-primary-balance").set_index("year")
    base_map = base_by_sector_kt(by_sector, base_year)
    rows = [{"year": base_year, "basis": "report (guohai2024)", "supply_kt": bal.loc[base_year, "supply_kt"],
             "net_imports_kt": bal.loc[base_year, "net_imports_kt"], "demand_kt": bal.loc[base_year, "demand_kt"]}]
    for year in range(base_year + 1, to_year + 1):
        rows.append({"year": year, "basis": "model", "supply_kt": supply_kt(capacity_cap_kt, utilisation_pct),
                     "net_imports_kt": net_imports_kt,
                     "demand_kt": demand_outlook(base_map, growth_pct, year - base_year)})
    out = pd.DataFrame(rows)
    out["balance_kt"] = balance_kt(out["supply_kt"], out["net_imports_kt"], out["demand_kt"])
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


def derive_sector_growth_pct(sector: str, start: int = 2021, end: int = 2024) -> float:
    """A sector's compound growth 2021–2024E in the report's table (% a year)."""
    df = _by_sector().set_index(["year", "sector"])["demand_kt"]
    return float(cagr_pct(df[(start, sector)], df[(end, sector)], end - start))


def derive_nev_share_2025_pct() -> float:
    """NEV share of vehicle sales in 2025E (guohai2024 table), held for 2026: no later report gives it."""
    t = _new_energy()
    return float(t.loc[2025, "nev_sales_mn_vehicles"] / t.loc[2025, "vehicle_sales_mn_vehicles"] * 100)


def derive_ice_intensity_2026_kg() -> float:
    """ICE aluminium per vehicle implied by article2026: 187 kg per NEV is 133 % more than a conventional car."""
    return fact("demand.nev_al_intensity_2026_kg_per_vehicle").value / (
        1 + fact("demand.nev_vs_ice_al_intensity_uplift_pct").value / 100)


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


def _sector_param(sector: str) -> Param:
    return Param(name=f"demand.growth_{sector}_pct", type="float", unit="% a year",
                 description=f"Growth of {sector.replace('_', ' ')} demand after 2024E",
                 derive=lambda s=sector: derive_sector_growth_pct(s),
                 origin="Derived: the sector's compound growth 2021–2024E in guohai2024's sector table",
                 minimum=-30, maximum=50)


# The cap is declared once, in the smelting chapter.
USES = ("smelting.capacity_cap_kt",)

PARAMETERS: list[Param] = [
    Param(name="demand.utilisation_pct", type="float", unit="%",
          description="Output as a share of the cap in 2025–2026", derive=derive_utilisation_pct,
          origin="Derived: 43.204 Mt running ÷ 45 Mt cap at end-2025 (article2026), which states over 95 %",
          minimum=0, maximum=100),
    Param(name="demand.net_imports_kt", type="float", unit="kt",
          description="China's net primary imports in 2025–2026", derive=derive_net_imports_kt,
          origin="Held at the 2024E net imports of guohai2024's balance table", minimum=-10000, maximum=10000),
    *[_sector_param(s) for s in SECTORS],
    Param(name="demand.vehicle_growth_2026_pct", type="float", unit="%",
          description="Growth of China vehicle sales in 2026",
          derive=lambda: growth_forecast("vehicles, overall (China)"),
          origin="zijin2025 growth forecasts (demand/growth_forecasts_2025_2026.csv), 2026", minimum=-50, maximum=50),
    Param(name="demand.nev_share_2026_pct", type="float", unit="%",
          description="NEV share of China vehicle sales in 2026", derive=derive_nev_share_2025_pct,
          origin="Held at guohai2024's 2025E share (no later report gives it)", minimum=0, maximum=100),
    Param(name="demand.nev_kg_per_vehicle_2026", type="float", unit="kg/vehicle",
          description="Aluminium per new-energy vehicle in 2026", fact="demand.nev_al_intensity_2026_kg_per_vehicle",
          minimum=0, maximum=600),
    Param(name="demand.ice_kg_per_vehicle_2026", type="float", unit="kg/vehicle",
          description="Aluminium per internal-combustion vehicle in 2026", derive=derive_ice_intensity_2026_kg,
          origin="Derived: article2026's 187 kg per NEV ÷ (1 + 133 %)", minimum=0, maximum=600),
    Param(name="demand.pv_growth_2026_pct", type="float", unit="%", description="Growth of new PV installations in 2026",
          derive=lambda: growth_forecast("PV installations"),
          origin="zijin2025 growth forecasts, 2026 (scope probably China)", minimum=-80, maximum=200),
    Param(name="demand.pv_kt_per_gw", type="float", unit="kt/GW", description="Aluminium per GW of new PV",
          fact="demand.pv_al_intensity_kt_per_gw_article2026", minimum=0, maximum=50),
    Param(name="demand.storage_gw_2026", type="float", unit="GW",
          description="Energy-storage capacity built in China in 2026", derive=derive_storage_gw_2026,
          origin="Derived from zijin2025: (117 kt ÷ 30.7 % × 1.307) ÷ 1.7 kt/GW", minimum=0, maximum=5000),
    Param(name="demand.storage_kt_per_gw", type="float", unit="kt/GW", description="Aluminium per GW of storage",
          derive=derive_storage_kt_per_gw, origin="zijin2025: 170 kt per 100 GW", minimum=0, maximum=20),
]


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
    claim(_id)(lambda y=_year: _balance_row(y))
for _year, _id in ((2024, "demand.sector_sum_2024e_kt"), (2023, "demand.sector_sum_2023_kt")):
    claim(_id)(lambda y=_year: _sector_sum(y))
for _sector, _year, _id in (("building", 2017, "demand.building_share_2017_pct"),
                            ("building", 2023, "demand.building_share_2023_pct"),
                            ("power_electronics", 2017, "demand.power_electronics_share_2017_pct"),
                            ("power_electronics", 2023, "demand.power_electronics_share_2023_pct")):
    claim(_id)(lambda s=_sector, y=_year: _share(s, y))
for _col, _id in (("vehicle_sales_mn_vehicles", "demand.vehicle_sales_cagr_2021_2025e_pct"),
                  ("ice_sales_mn_vehicles", "demand.ice_sales_cagr_2021_2025e_pct"),
                  ("nev_sales_mn_vehicles", "demand.nev_sales_cagr_2021_2025e_pct"),
                  ("auto_al_demand_kt", "demand.auto_al_demand_cagr_2021_2025e_pct"),
                  ("nev_al_demand_kt", "demand.nev_al_demand_cagr_2021_2025e_pct"),
                  ("pv_new_installed_gw", "demand.pv_new_installed_cagr_2021_2025e_pct"),
                  ("pv_al_demand_kt", "demand.pv_al_demand_cagr_2021_2025e_pct"),
                  ("new_energy_al_demand_kt", "demand.new_energy_al_demand_cagr_2021_2025e_pct")):
    claim(_id)(lambda c=_col: _ne_cagr(c))
for _year in (2021, 2022, 2023):
    claim(f"demand.new_energy_share_{_year}_pct")(lambda y=_year: _ne_share(y))
claim("demand.new_energy_share_2024_pct")(lambda: _ne_share(2024))
for _kind, _year in (("nev", 2022), ("ice", 2022), ("nev", 2025), ("ice", 2025)):
    claim(f"demand.{_kind}_intensity_{_year}_repeated_kg_per_vehicle")(
        lambda k=_kind, y=_year: implied_intensity_kg_per_vehicle(_new_energy().loc[y], k))


@claim("demand.building_al_cagr_2017_2023_pct")
def _claim_building_cagr() -> float:
    df = _by_sector().set_index(["year", "sector"])["demand_kt"]
    return float(cagr_pct(df[(2017, "building")], df[(2023, "building")], 6))


@claim("demand.consumption_growth_2024e_pct")
def _claim_growth_2024() -> float:
    b = catalogue.load("demand-china-primary-balance").set_index("year")["demand_kt"]
    return float((b[2024] / b[2023] - 1) * 100)


@claim("demand.pv_al_growth_2023_pct")
def _claim_pv_2023() -> float:
    t = _new_energy()["pv_al_demand_kt"]
    return float((t[2023] / t[2022] - 1) * 100)


@claim("demand.pv_al_growth_2024e_pct")
def _claim_pv_2024() -> float:
    t = _new_energy()["pv_al_demand_kt"]
    return float((t[2024] / t[2023] - 1) * 100)


@claim("demand.nev_al_demand_2025e_kt")
def _claim_nev_2025() -> float:
    return float(_vehicles(2025)["nev"])


@claim("demand.nev_al_demand_2024e_kt")
def _claim_nev_2024() -> float:
    return float(_vehicles(2024)["nev"])


@claim("demand.auto_al_demand_2025e_kt")
def _claim_auto_2025() -> float:
    return float(_vehicles(2025)["auto"])


@claim("demand.new_energy_al_demand_2022_kt")
def _claim_ne_2022() -> float:
    t = _new_energy()
    return float(t.loc[2022, "nev_al_demand_kt"] + t.loc[2022, "pv_al_demand_kt"])


@claim("demand.vehicle_sales_2023_parts_mn_vehicles")
def _claim_vehicles_2023() -> float:
    t = _new_energy()
    return float(t.loc[2023, "ice_sales_mn_vehicles"] + t.loc[2023, "nev_sales_mn_vehicles"])


@claim("demand.global_pv_al_demand_2026e_kt")
def _claim_global_pv() -> float:
    return float(capacity_aluminium_kt(fact("demand.global_pv_installations_2026e_gw").value,
                                       fact("demand.pv_al_intensity_kt_per_gw_article2026").value))


@claim("demand.nev_primary_al_demand_2026e_kt")
def _claim_nev_2026() -> float:
    return float(fact("demand.global_nev_sales_2026e_mn_vehicles").low
                 * fact("demand.nev_al_intensity_2026_kg_per_vehicle").value)


