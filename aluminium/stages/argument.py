"""The rest of the reports' argument: small computations behind the chapters' closing sections
(hydropower exposure, the hot-metal ratio, restart and new-build economics, tariffs, demand
niches against total demand, exports, capex payback, the three tables the chapters had not used).

Each function is one step of arithmetic an analyst would do on the reports' own numbers; inputs
come from ``data/`` (facts and tables), so every result traces to a report.
"""
from __future__ import annotations

import pandas as pd

from aluminium.calc import number, require_columns, share_pct
from aluminium.data import catalogue
from aluminium.data.facts import fact
from aluminium.stages.macro import previous_period_kt


# -- south-west hydropower --------------------------------------------------------------------
def hydro_backed_capacity(running: pd.DataFrame, hydro_share_pct: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """Running smelter capacity of each province weighted by the share of its power that comes
    from hydro (low and high end of the reports' ranges): the tonnes a dry season puts at risk.

    ``running`` has ``province`` and ``running_capacity_kt``; provinces without a hydro share raise."""
    require_columns(running, {"province", "running_capacity_kt"}, "hydro_backed_capacity")
    rows = []
    for r in running.itertuples(index=False):
        if r.province not in hydro_share_pct:
            raise ValueError(f"hydro_backed_capacity: no hydro share for {r.province}")
        lo, hi = hydro_share_pct[r.province]
        if not 0 <= lo <= hi <= 100:
            raise ValueError(f"hydro_backed_capacity: share range for {r.province} must be 0 ≤ low ≤ high ≤ 100")
        rows.append({"province": r.province, "running_capacity_kt": float(r.running_capacity_kt),
                     "hydro_share_low_pct": lo, "hydro_share_high_pct": hi,
                     "hydro_backed_low_kt": r.running_capacity_kt * lo / 100,
                     "hydro_backed_high_kt": r.running_capacity_kt * hi / 100})
    return pd.DataFrame(rows)


def southwest_hydro_exposure() -> pd.DataFrame:
    """The four south-west provinces' running capacity (Sep 2024) weighted by the hydro share of their
    generation: 80–85 % for Yunnan and Sichuan, 20–25 % for Guizhou and Guangxi (Guohai, §2.3)."""
    sw = catalogue.load("smelting-southwest-running-capacity-2024-09")
    yn_sc = fact("smelting.sichuan_yunnan_hydro_share_of_generation_pct")
    gz_gx = fact("smelting.guizhou_guangxi_hydro_share_2024_jul_aug_pct")
    shares = {"Yunnan": (yn_sc.low, yn_sc.high), "Sichuan": (yn_sc.low, yn_sc.high),
              "Guizhou": (gz_gx.low, gz_gx.high), "Guangxi": (gz_gx.low, gz_gx.high)}
    return hydro_backed_capacity(sw, shares)


# -- hot metal ----------------------------------------------------------------------------------
def ingot_kt(output_kt: float, hot_metal_ratio_pct: float) -> float:
    """Primary output cast into ingot (kt): the part not delivered as molten metal."""
    r = number(hot_metal_ratio_pct, "hot_metal_ratio_pct")
    if not 0 <= r <= 100:
        raise ValueError(f"ingot_kt: hot-metal ratio must be 0–100 %, got {r}")
    out = number(output_kt, "output_kt")
    if out < 0:
        raise ValueError("ingot_kt: output must not be negative")
    return out * (1 - r / 100)


# -- restarts, tariffs and new builds -----------------------------------------------------------
def per_tonne(total: float, tonnes: float) -> float:
    """A total (e.g. USD) per tonne of capacity; ``tonnes`` must be positive."""
    t = number(tonnes, "tonnes")
    if t <= 0:
        raise ValueError(f"per_tonne: tonnes must be positive, got {tonnes}")
    return number(total, "total") / t


def tariff_restart_response() -> pd.DataFrame:
    """US idle capacity restarted after each Section 232 step, per point of tariff (kt/yr per %)."""
    rows = [("2018", fact("smelting.section232_2018_tariff_pct").value, fact("smelting.hawesville_restart_2018_kt").value,
             "Hawesville"),
            ("2025", fact("demand.us_section232_al_tariff_2025_pct").value,
             fact("smelting.century_mount_holly_restart_capacity_kt").value, "Mount Holly")]
    df = pd.DataFrame(rows, columns=["year", "tariff_pct", "restarted_kt", "smelter"])
    df["restarted_kt_per_tariff_point"] = df["restarted_kt"] / df["tariff_pct"]
    return df


def payback_years(capex_per_t: float, margin_per_t: float) -> float:
    """Years of margin needed to pay back the investment per tonne (both in one currency per tonne)."""
    m = number(margin_per_t, "margin_per_t")
    if m <= 0:
        raise ValueError(f"payback_years: margin must be positive, got {margin_per_t}")
    return number(capex_per_t, "capex_per_t") / m


def alumina_cost_change_cny_t(alumina_change_cny_t: float, alumina_per_t: float) -> float:
    """Change in the alumina cost of a tonne of aluminium when the alumina price moves by the given amount."""
    return number(alumina_change_cny_t, "alumina_change_cny_t") * number(alumina_per_t, "alumina_per_t")


# -- demand niches, exports, tables ----------------------------------------------------------------
def niches_against_demand(niches: dict[str, tuple[float, float]], demand_kt: float) -> pd.DataFrame:
    """Demand niches (low, high kt a year) as a share of total demand (%)."""
    rows = [{"niche": k, "low_kt": lo, "high_kt": hi, "low_share_pct": share_pct(lo, demand_kt),
             "high_share_pct": share_pct(hi, demand_kt)} for k, (lo, hi) in niches.items()]
    return pd.DataFrame(rows)


def exports_a_year_earlier(exports: pd.DataFrame) -> pd.DataFrame:
    """The export table with the volume a year earlier that each growth rate implies (kt) and the change (kt)."""
    require_columns(exports, {"product", "export_kt", "yoy_change_pct"}, "exports_a_year_earlier")
    out = exports[["product", "export_kt", "yoy_change_pct"]].copy()
    out["export_a_year_earlier_kt"] = [previous_period_kt(v, g) for v, g in zip(out["export_kt"], out["yoy_change_pct"])]
    out["change_kt"] = out["export_kt"] - out["export_a_year_earlier_kt"]
    return out


def remainder_pct(shares: pd.Series) -> float:
    """What a set of printed shares (%) leaves to everything not listed: 100 − their sum."""
    total = float(pd.to_numeric(shares).sum())
    if total > 100 + 1e-9:
        raise ValueError(f"remainder_pct: shares sum to {total:g} %, more than 100 %")
    return 100 - total
