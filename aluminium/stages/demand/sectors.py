"""China's end-use split: each sector's share and its shift over time, the base year's demand by
sector, sector growth compounded, and the claims recomputed from the sector table.

Units: kt of primary aluminium; shares in %; growth in % a year.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from aluminium.calc import cagr_pct, require_columns
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue
from aluminium.stages.demand.tables import sector_table

CLAIMS = ClaimRegistry()  # this module's claim recomputations (the stage's CLAIMS joins them)

SECTORS = ("building", "transport", "power_electronics", "machinery_equipment", "consumer_durables",
           "packaging", "other")


def sector_shares(by_sector: pd.DataFrame) -> pd.DataFrame:
    """Each sector's share of the year's total demand (%), from the long sector table.

    Uses the ``total`` row as the denominator (the report's demand line); adds ``share_pct``
    to the non-total rows. Raises ValueError if a year has no total row.
    """
    require_columns(by_sector, {"year", "sector", "demand_kt"}, "sector_shares")
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


def _sector_sum(year: int) -> float:
    df = sector_table()
    return float(df[(df["year"] == year) & (df["sector"] != "total")]["demand_kt"].sum())


def _share(sector: str, year: int) -> float:
    s = sector_shares(sector_table())
    return float(s[(s["year"] == year) & (s["sector"] == sector)]["share_pct"].iloc[0])


for _year, _id in ((2024, "demand.sector_sum_2024e_kt"), (2023, "demand.sector_sum_2023_kt")):
    CLAIMS.register(_id)(lambda y=_year: _sector_sum(y))


for _sector, _year, _id in (("building", 2017, "demand.building_share_2017_pct"),
                            ("building", 2023, "demand.building_share_2023_pct"),
                            ("power_electronics", 2017, "demand.power_electronics_share_2017_pct"),
                            ("power_electronics", 2023, "demand.power_electronics_share_2023_pct")):
    CLAIMS.register(_id)(lambda s=_sector, y=_year: _share(s, y))


@CLAIMS.register("demand.building_al_cagr_2017_2023_pct")
def _claim_building_cagr() -> float:
    df = sector_table().set_index(["year", "sector"])["demand_kt"]
    return float(cagr_pct(df[(2017, "building")], df[(2023, "building")], 6))


def shares_largest_first(year: int):
    """Guohai's end-use shares of a year (%), largest first, sectors named as a reader reads them."""
    df = catalogue.load("demand-china-demand-by-sector")
    kt = df[df["year"] == year].set_index("sector")["demand_kt"].astype(float)
    total = kt.pop("total") if "total" in kt.index else kt.sum()
    names = {"power_electronics": "power and electronics", "machinery_equipment": "machinery and equipment",
             "consumer_durables": "consumer durables"}
    return (kt / total * 100).rename(index=lambda s: names.get(s, str(s))).sort_values(ascending=False)
