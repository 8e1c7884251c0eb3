"""New capacity: China's project list (net of closures under the quota rule), the overseas pipeline
by country, and the claims recomputed from those tables. Units: kt/yr.
"""
from __future__ import annotations

import pandas as pd

from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue

CLAIMS = ClaimRegistry()  # this module's claim recomputations (the stage's CLAIMS joins them)


def pipeline_summary() -> pd.DataFrame:
    """What the project tables add and how much the reports expect to land (kt/yr).

    One row per pipeline: gross capacity, what is expected to land (China: net of closures,
    the quota rule; overseas: commissioned by May 2024 and still pending) and the share landed.
    """
    china = catalogue.load("smelting-smelter-projects-china")
    china = china[china["project"] != "Total"]
    overseas = catalogue.load("smelting-smelter-projects-overseas")
    overseas = overseas[overseas["smelter"] != "Total"]
    gross_cn = float(china["capacity_kt"].sum())
    net_cn = float(china["net_addition_kt"].sum())
    gross_os = float(overseas["capacity_new_kt"].sum())
    done_os = float(overseas["commissioned_by_2024_05_kt"].sum())
    return pd.DataFrame([
        {"pipeline": "China, projects from 2024 on (net of closed capacity)", "gross_capacity_kt": gross_cn,
         "expected_to_land_kt": net_cn, "share_pct": net_cn / gross_cn * 100,
         "basis": "net additions under the quota rule (guohai2024)"},
        {"pipeline": "Overseas, 2022–2025 plans: commissioned by May 2024", "gross_capacity_kt": gross_os,
         "expected_to_land_kt": done_os, "share_pct": done_os / gross_os * 100,
         "basis": "commissioned so far (guohai2024)"},
        {"pipeline": "Overseas, 2022–2025 plans: still pending", "gross_capacity_kt": gross_os,
         "expected_to_land_kt": gross_os - done_os, "share_pct": (gross_os - done_os) / gross_os * 100,
         "basis": "pending; the report says landing must be tracked (guohai2024)"},
    ])


def overseas_by_country() -> pd.DataFrame:
    """Overseas planned and commissioned capacity by country (kt/yr), largest first."""
    df = catalogue.load("smelting-smelter-projects-overseas")
    df = df[df["smelter"] != "Total"]
    out = (df.groupby("country", as_index=False)[["capacity_new_kt", "commissioned_by_2024_05_kt"]]
           .sum(min_count=1).fillna({"commissioned_by_2024_05_kt": 0}))
    out["pending_kt"] = out["capacity_new_kt"] - out["commissioned_by_2024_05_kt"]
    return out.sort_values("capacity_new_kt", ascending=False, ignore_index=True)


def china_phasing() -> pd.DataFrame:
    """Gross capacity of China's projects by start period (kt/yr), without the total rows."""
    df = catalogue.load("smelting-smelter-projects-china-phasing")
    return df[df["project"] != "Total"].copy()


def _china_projects() -> pd.DataFrame:
    df = catalogue.load("smelting-smelter-projects-china")
    return df[df["project"] != "Total"]


@CLAIMS.register("smelting.china_projects_gross_capacity")
def _claim_china_gross() -> float:
    return float(_china_projects()["capacity_kt"].sum())


@CLAIMS.register("smelting.china_projects_net_addition")
def _claim_china_net() -> float:
    return float(_china_projects()["net_addition_kt"].sum())


@CLAIMS.register("smelting.china_net_addition_2025e")
def _claim_net_2025() -> float:
    df = _china_projects()
    return float(df.loc[df["completion_expected"] == 2025, "net_addition_kt"].sum())


@CLAIMS.register("smelting.china_net_addition_2026_onward")
def _claim_net_2026() -> float:
    phasing = china_phasing()
    later = set(phasing.loc[(phasing["period"] == "2026+") & (phasing["capacity_start_kt"] > 0), "project"])
    df = _china_projects()
    return float(df.loc[df["project"].isin(later), "net_addition_kt"].sum())


@CLAIMS.register("smelting.china_net_share_2025_onward")
def _claim_net_share() -> float:
    return (_claim_net_2025() + _claim_net_2026()) / _claim_china_net() * 100


@CLAIMS.register("smelting.overseas_new_capacity_total")
def _claim_overseas_total() -> float:
    return float(overseas_by_country()["capacity_new_kt"].sum())


@CLAIMS.register("smelting.overseas_pending_capacity")
def _claim_overseas_pending() -> float:
    return float(overseas_by_country()["pending_kt"].sum())


@CLAIMS.register("smelting.overseas_restarts_2021_2022_kt")
def _claim_restarts() -> float:
    df = catalogue.load("smelting-overseas-restarts-2021-2022")
    return float(df.loc[df["smelter"] != "Total", "restarted_capacity_kt"].sum())
