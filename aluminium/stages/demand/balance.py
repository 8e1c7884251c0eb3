"""China's primary balance: supply + net imports − demand, the report's balance checked, the 2026
outlook table, the verdict (tight, deficit, surplus), the reports' own 2026 views, and the 2025
demand level the reports' stock and trade figures allow. Units: kt.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from aluminium.calc import growth_pct, require_columns
from aluminium.calc import nonnegative as _nonnegative
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue
from aluminium.data.facts import fact
from aluminium.stages.demand.tables import growth_forecast

CLAIMS = ClaimRegistry()  # this module's claim recomputations (the stage's CLAIMS joins them)


def balance_kt(supply_kt, net_imports_kt, demand_kt):
    """Market balance (kt) = supply + net imports − demand; surplus positive. Vectorised."""
    return supply_kt + net_imports_kt - demand_kt


def balance_check(balance: pd.DataFrame) -> pd.DataFrame:
    """The report's balance line against supply + net imports − demand, row by row.

    Adds ``recomputed_kt`` and ``difference_kt`` (recomputed − printed).
    """
    require_columns(balance, {"year", "supply_kt", "net_imports_kt", "demand_kt", "balance_kt"}, "balance_check")
    out = balance[["year", "estimate", "supply_kt", "net_imports_kt", "demand_kt", "balance_kt"]].copy()
    out["recomputed_kt"] = balance_kt(out["supply_kt"], out["net_imports_kt"], out["demand_kt"])
    out["difference_kt"] = out["recomputed_kt"] - out["balance_kt"]
    return out


def supply_kt(capacity_cap_kt, utilisation_pct):
    """Primary output bounded by the cap (kt) = cap × utilisation / 100. Vectorised; utilisation 0–100 %."""
    u = np.asarray(utilisation_pct, dtype=float)
    if np.any((u < 0) | (u > 100)):
        raise ValueError(f"supply_kt: utilisation must be 0–100 %, got {utilisation_pct!r}")
    _nonnegative("capacity_cap_kt", capacity_cap_kt)
    return capacity_cap_kt * utilisation_pct / 100


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


def derive_utilisation_pct() -> float:
    """Utilisation against the cap at end-2025: 43.204 Mt running ÷ 45 Mt cap (article2026)."""
    return fact("smelting.china_running_capacity_end2025_mt").value / fact("smelting.capacity_cap_mt").value * 100


def derive_net_imports_kt() -> float:
    """Net imports held at the report's 2024E level (guohai2024 balance table)."""
    bal = catalogue.load("demand-china-primary-balance").set_index("year")
    return float(bal.loc[2024, "net_imports_kt"])


def _balance_row(year: int) -> float:
    b = catalogue.load("demand-china-primary-balance").set_index("year")
    return float(balance_kt(b.loc[year, "supply_kt"], b.loc[year, "net_imports_kt"], b.loc[year, "demand_kt"]))


for _year, _id in ((2024, "demand.balance_2024e_kt"), (2023, "demand.balance_2023_kt"), (2019, "demand.balance_2019_kt")):
    CLAIMS.register(_id)(lambda y=_year: _balance_row(y))


@CLAIMS.register("demand.consumption_growth_2024e_pct")
def _claim_growth_2024() -> float:
    b = catalogue.load("demand-china-primary-balance").set_index("year")["demand_kt"]
    return growth_pct(b[2024], b[2023])
