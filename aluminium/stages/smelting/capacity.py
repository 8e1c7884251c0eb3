"""China's smelting capacity: the cap, built and running capacity, utilisation, and the south-west's
weight in the national change (with the claims recomputed from those tables).

Units: capacity in kt/yr (annualised) or Mt where the reports give Mt; utilisation in %.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np
import pandas as pd

from aluminium.calc import nonnegative as _nonnegative
from aluminium.calc import require_columns, share_explained
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue
from aluminium.data.facts import fact

CLAIMS = ClaimRegistry()  # this module's claim recomputations (the stage's CLAIMS joins them)


SOUTHWEST = ("Yunnan", "Guizhou", "Sichuan", "Guangxi", "Chongqing")
"""The definition of the south-west that reproduces the report's 88.8 % (see ``southwest_definitions``)."""


SOUTHWEST_DEFINITIONS: dict[str, tuple[str, ...]] = {
    "Yunnan, Guizhou, Sichuan, Guangxi, Chongqing": SOUTHWEST,
    "Yunnan, Guizhou, Sichuan, Guangxi": ("Yunnan", "Guizhou", "Sichuan", "Guangxi"),
    "Yunnan, Guizhou, Sichuan": ("Yunnan", "Guizhou", "Sichuan"),
    "Yunnan, Sichuan (hydro provinces)": ("Yunnan", "Sichuan"),
    "Yunnan only": ("Yunnan",),
}


def capacity_change_wide(changes: pd.DataFrame) -> pd.DataFrame:
    """The long table month × province → change_kt as a wide frame (months × provinces, kt/yr).

    Keeps the printed national line as column ``Total``. Raises ValueError if a column is missing.
    """
    require_columns(changes, {"month", "province", "change_kt"}, "capacity_change_wide")
    return changes.pivot(index="month", columns="province", values="change_kt").sort_index()


def regional_change(wide: pd.DataFrame, provinces: Iterable[str]) -> pd.Series:
    """Summed monthly change of running capacity of a group of provinces (kt/yr)."""
    provinces = list(provinces)
    unknown = [p for p in provinces if p not in wide.columns]
    if unknown:
        raise ValueError(f"regional_change: unknown province(s) {unknown}")
    return wide[provinces].sum(axis=1, min_count=1)


def southwest_definitions(changes: pd.DataFrame) -> pd.DataFrame:
    """R² of the national monthly change on each candidate south-west's change.

    Two national totals: the report's printed line (``Total``) and the sum of the provinces
    (they differ in two months). Returns columns ``south_west, provinces, national_total,
    r2`` (fraction), one row per combination, and ``matches_report`` where R² × 100 rounds
    to the report's 88.8 %.
    """
    wide = capacity_change_wide(changes)
    provinces_only = wide.drop(columns=["Total"])
    totals = {"printed national line": wide["Total"], "sum of the provinces": provinces_only.sum(axis=1)}
    target = fact("smelting.southwest_explains_national_change_pct").value
    rows = []
    for label, group in SOUTHWEST_DEFINITIONS.items():
        x = regional_change(wide, group)
        for total_label, y in totals.items():
            r2 = share_explained(y, x)
            rows.append({"south_west": label, "provinces": len(group), "national_total": total_label,
                         "r2": r2, "matches_report": round(r2 * 100, 1) == target})
    return pd.DataFrame(rows)


def southwest_r2(changes: pd.DataFrame) -> float:
    """R² (fraction) of the printed national monthly change on the five-province south-west's change."""
    wide = capacity_change_wide(changes)
    return share_explained(wide["Total"], regional_change(wide, SOUTHWEST))


def capacity_timeline() -> pd.DataFrame:
    """Built and running capacity, the cap and utilisation as the reports state them (Mt, %).

    One row per statement: ``date, measure, value_mt, utilisation_pct, source, fact``.
    The reports give no continuous series (the chart of national running capacity is lost).
    """
    specs = [
        ("2023-12", "built capacity", "smelting.china_built_capacity_dec2023_mt", 1.0),
        ("2023-12", "running capacity", "smelting.china_running_capacity_dec2023_mt", 1.0),
        ("2024-10", "built capacity", "smelting.china_built_capacity_2024_10_kt", 1e-3),
        ("2025-12", "running capacity", "smelting.china_running_capacity_end2025_mt", 1.0),
        ("2024-10", "capacity cap", "smelting.china_capacity_ceiling_kt", 1e-3),
        ("2026-01", "capacity cap", "smelting.capacity_cap_mt", 1.0),
    ]
    rows = []
    for date, measure, fid, scale in specs:
        f = fact(fid)
        rows.append({"date": date, "measure": measure, "value_mt": f.central * scale,
                     "source": f.source, "fact": fid})
    out = pd.DataFrame(rows)
    cap = fact("smelting.capacity_cap_mt").value
    util = {"2023-12": fact("smelting.china_utilisation_dec2023_pct").value}
    out["utilisation_pct"] = out["date"].map(util)
    # End-2025: the article gives only a floor (over 95 %); running ÷ cap is the stated basis.
    end25 = (out["date"] == "2025-12") & (out["measure"] == "running capacity")
    out.loc[end25, "utilisation_pct"] = utilisation_pct(out.loc[end25, "value_mt"].iloc[0], cap)
    return out


def utilisation_pct(running, capacity):
    """Utilisation = running ÷ capacity × 100 (%). Works on numbers and arrays; capacity must be > 0."""
    cap = np.asarray(capacity, dtype=float)
    if np.any(cap <= 0):
        raise ValueError(f"utilisation_pct: capacity must be positive, got {capacity!r}")
    _nonnegative("running capacity", running)
    out = np.asarray(running, dtype=float) / cap * 100
    return float(out) if out.ndim == 0 else out


@functools.lru_cache(maxsize=1)
def southwest_kt() -> tuple[float, float]:
    """The south-west's running capacity, Sep 2024 (kt/yr): hydro (Yunnan, Sichuan) and grid (Guangxi, Guizhou)."""
    sw = catalogue.load("smelting-southwest-running-capacity-2024-09").set_index("province")["running_capacity_kt"]
    return float(sw[["Yunnan", "Sichuan"]].sum()), float(sw[["Guangxi", "Guizhou"]].sum())


def derive_running_capacity_end2025_kt() -> float:
    """Running capacity at end-2025 (article2026, 43.204 Mt) in kt/yr."""
    return fact("smelting.china_running_capacity_end2025_mt").value * 1000


@CLAIMS.register("smelting.southwest_explains_national_change")
def _claim_southwest_r2() -> float:
    return southwest_r2(catalogue.load("smelting-running-capacity-change-by-province")) * 100


@CLAIMS.register("smelting.southwest_built_capacity_share_2024_09")
def _claim_southwest_built_share() -> float:
    sw = catalogue.load("smelting-southwest-running-capacity-2024-09")
    built = (sw["running_capacity_kt"] / (sw["utilisation_pct"] / 100)).sum()
    return float(built / fact("smelting.china_built_capacity_2024_10_kt").value * 100)


@CLAIMS.register("smelting.utilisation_dec2023_pct")
def _claim_util_2023() -> float:
    return utilisation_pct(fact("smelting.china_running_capacity_dec2023_mt").value,
                           fact("smelting.china_built_capacity_dec2023_mt").value)


def _latest_built_capacity_mt() -> float:
    # The reports' latest built-capacity figure (Oct 2024); none is given for end-2025.
    return fact("smelting.china_built_capacity_2024_10_kt").value / 1000


@CLAIMS.register("smelting.headroom_below_cap_end2025_mt")
def _claim_headroom() -> float:
    # Room under the cap is counted against built capacity: idle lines count against the cap too.
    return fact("smelting.capacity_cap_mt").value - _latest_built_capacity_mt()


@CLAIMS.register("smelting.utilisation_end2025_vs_cap_pct")
def _claim_util_2025() -> float:
    return utilisation_pct(fact("smelting.china_running_capacity_end2025_mt").value, _latest_built_capacity_mt())


def average_load_gw(capacity_kt: float, kwh_per_t: float) -> float:
    """Average electrical load (GW) of a smelter making ``capacity_kt`` a year at ``kwh_per_t``,
    running all 8,760 hours. Installed generation must exceed it by a reserve margin."""
    if capacity_kt < 0 or kwh_per_t <= 0:
        raise ValueError(f"average_load_gw: need capacity ≥ 0 and kWh/t > 0, got {capacity_kt}, {kwh_per_t}")
    return capacity_kt * 1e3 * kwh_per_t / 8760 / 1e6


@CLAIMS.register("smelting.indonesia_power_for_600kt_gw")
def _claim_indonesia_power() -> float:
    """Average load of a 600 kt/yr smelter (GW): 600,000 t × the top of guohai2024's unit
    consumption ÷ 8,760 h. The claim's 1.2 GW is installed generation, which must cover it."""
    return average_load_gw(600, fact("smelting.power_per_aluminium_kwh_per_t").high)
