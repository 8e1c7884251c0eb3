"""New refining capacity: China's projects phased by year, the overseas pipeline (and the Chinese-
invested Indonesian part), a project timeline, and the claims recomputed from the project tables.
Units: kt/yr.
"""
from __future__ import annotations

import re

import pandas as pd

from aluminium.calc import require_columns
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue

CLAIMS = ClaimRegistry()  # this module's claim recomputations (the stage's CLAIMS joins them)


_PHASE = re.compile(r"([\d,]+) kt/yr\)? in (?:[A-Za-z]+ )?(\d{4})")


_YEAR = re.compile(r"(\d{4})")


def phased_additions(projects: pd.DataFrame) -> pd.DataFrame:
    """Capacity additions by project and year (kt/yr), read from the project table.

    Phases the status text dates (``N kt/yr in YYYY``) are taken as stated; the capacity
    left over goes to the last year in ``start_expected``; a project with no year at all
    gets year NaN (unscheduled).
    """
    require_columns(projects, {"capacity_new_kt", "start_expected", "status"}, "phased_additions")
    name = "company" if "company" in projects.columns else "plant"
    rows = []
    for r in projects.to_dict("records"):
        cap = float(r["capacity_new_kt"]) if pd.notna(r["capacity_new_kt"]) else 0.0
        phases = [(int(y), float(k.replace(",", ""))) for k, y in _PHASE.findall(str(r["status"] or ""))]
        years = [int(y) for y in _YEAR.findall(str(r["start_expected"] or ""))] if pd.notna(r["start_expected"]) else []
        left = cap - sum(k for _, k in phases)
        for y, k in phases:
            rows.append({"project": r[name], "year": y, "capacity_kt": k})
        if left > 1e-9:
            rows.append({"project": r[name], "year": years[-1] if years else float("nan"), "capacity_kt": left})
    return pd.DataFrame(rows)


def additions_by_year(projects: pd.DataFrame) -> pd.Series:
    """Total additions per year (kt/yr) from ``phased_additions``; unscheduled under 'unscheduled'."""
    p = phased_additions(projects)
    key = p["year"].map(lambda y: "unscheduled" if pd.isna(y) else str(int(y)))
    return p.groupby(key)["capacity_kt"].sum()


def project_timeline(china: pd.DataFrame, overseas: pd.DataFrame) -> pd.DataFrame:
    """One row per project (report total rows dropped): where (China or the country), new
    capacity (kt/yr), first and last expected year (from ``start_expected``; NaN when not
    given) and the printed timing."""
    rows = []
    for region, df, name in (("China", china, "company"), ("Overseas", overseas, "plant")):
        for r in df.to_dict("records"):
            if r[name] == "Total":
                continue
            years = [int(y) for y in _YEAR.findall(str(r.get("start_expected") or ""))] \
                if pd.notna(r.get("start_expected")) else []
            rows.append({"project": r[name], "region": region,
                         "country": "China" if region == "China" else r.get("country"),
                         "capacity_new_kt": r["capacity_new_kt"],
                         "first_year": min(years) if years else float("nan"),
                         "last_year": max(years) if years else float("nan"),
                         "timing": r.get("start_expected") if pd.notna(r.get("start_expected")) else "not given"})
    return pd.DataFrame(rows)


def overseas_new_capacity_kt(overseas: pd.DataFrame, *, from_year: int | None = None,
                             chinese_invested_indonesia: bool | None = None) -> float:
    """Sum of overseas new capacity (kt/yr), total row excluded; optionally only projects whose
    first expected year is ``from_year`` or later (undated projects kept) and/or only the
    Chinese-invested Indonesian ones."""
    df = overseas[overseas["plant"] != "Total"]
    if chinese_invested_indonesia is not None:
        df = df[df["chinese_invested_indonesia"] == chinese_invested_indonesia]
    if from_year is not None:
        first = df["start_expected"].map(
            lambda s: min(int(y) for y in _YEAR.findall(str(s))) if pd.notna(s) and _YEAR.search(str(s)) else None)
        df = df[first.isna() | (first >= from_year)]
    return float(df["capacity_new_kt"].sum())


@CLAIMS.register("alumina.bauxite_ratio_vs_sci_range")
def _claim_ratio() -> float:
    """The ratio the Indonesian project table implies: its total bauxite requirement over its
    total planned alumina capacity (t/t), read from the table, not from the stated 2.5."""
    t = catalogue.load("bauxite-indonesia-alumina-projects")
    total = t[(t["project"] == "Total") & (t["period"] == "planned")].iloc[0]
    return float(total["bauxite_required_kt"] / total["alumina_capacity_kt"])


@CLAIMS.register("alumina.overseas_new_capacity_2023_2027")
def _claim_overseas_total() -> float:
    return overseas_new_capacity_kt(catalogue.load("alumina-capacity-projects-overseas"))


@CLAIMS.register("alumina.overseas_new_capacity_2024_onward")
def _claim_overseas_2024() -> float:
    return overseas_new_capacity_kt(catalogue.load("alumina-capacity-projects-overseas"), from_year=2024)


@CLAIMS.register("alumina.indonesia_chinese_new_capacity")
def _claim_indo_chinese() -> float:
    return overseas_new_capacity_kt(catalogue.load("alumina-capacity-projects-overseas"), chinese_invested_indonesia=True)


@CLAIMS.register("alumina.china_new_capacity_2024e")
def _claim_china_2024() -> float:
    return float(additions_by_year(catalogue.load("alumina-capacity-projects-china")).get("2024", 0.0))


@CLAIMS.register("alumina.china_new_capacity_2025_onward")
def _claim_china_2025() -> float:
    a = additions_by_year(catalogue.load("alumina-capacity-projects-china"))
    return float(a.sum() - a.get("2024", 0.0))


@CLAIMS.register("alumina.global_new_capacity_2024_onward")
def _claim_global() -> float:
    a = additions_by_year(catalogue.load("alumina-capacity-projects-china"))
    return float(a.sum()) + overseas_new_capacity_kt(catalogue.load("alumina-capacity-projects-overseas"), from_year=2024)
