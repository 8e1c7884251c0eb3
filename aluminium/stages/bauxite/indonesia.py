"""Indonesia's alumina build-out and the bauxite it will need, period by period, and the claims
recomputed from the project table. Volumes in kt.
"""
from __future__ import annotations

import pandas as pd

from aluminium.calc import cagr_pct
from aluminium.calc import number as _finite
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue
from aluminium.data.facts import fact

CLAIMS = ClaimRegistry()  # this module's claim recomputations (the stage's CLAIMS joins them)


PERIODS = ("2024E", "2025E", "2026E", "2027+")


def bauxite_need_kt(alumina_kt: float, bauxite_per_alumina_t_per_t: float) -> float:
    """Bauxite needed to make an amount of alumina (kt): alumina × t bauxite per t alumina."""
    a, r = _finite(alumina_kt, "alumina_kt"), _finite(bauxite_per_alumina_t_per_t, "ratio")
    if a < 0 or r <= 0:
        raise ValueError("bauxite_need_kt: need alumina >= 0 and a positive ratio")
    return a * r


def indonesia_bauxite_need(projects: pd.DataFrame, bauxite_per_alumina_t_per_t: float) -> pd.DataFrame:
    """By commissioning period: alumina capacity added by the projects (kt/yr, summed over
    projects, the report's Total rows excluded), the bauxite it needs (kt/yr) at the given
    ratio, the cumulative need, and the report's printed need for comparison."""
    _finite(bauxite_per_alumina_t_per_t, "ratio")
    proj = projects[(projects["project"] != "Total") & projects["period"].isin(PERIODS)]
    add = proj.groupby("period")["alumina_capacity_kt"].sum().reindex(PERIODS).fillna(0.0)
    printed = (projects[(projects["project"] == "Total")].set_index("period")["bauxite_required_kt"]
               .reindex(PERIODS))
    out = pd.DataFrame({"period": list(PERIODS), "alumina_added_kt": add.values})
    out["bauxite_need_kt"] = [bauxite_need_kt(a, bauxite_per_alumina_t_per_t) for a in out["alumina_added_kt"]]
    out["bauxite_need_cumulative_kt"] = out["bauxite_need_kt"].cumsum()
    out["bauxite_need_printed_kt"] = printed.values
    return out


def indonesia_planned_capacity_kt(projects: pd.DataFrame) -> float:
    """Sum of the projects' full planned alumina capacity (kt/yr), Total rows excluded."""
    p = projects[(projects["project"] != "Total") & (projects["period"] == "planned")]
    return float(p["alumina_capacity_kt"].sum())


@CLAIMS.register("bauxite.indonesia_alumina_capacity_total")
def _claim_indo_capacity() -> float:
    return indonesia_planned_capacity_kt(catalogue.load("bauxite-indonesia-alumina-projects"))


@CLAIMS.register("bauxite.indonesia_bauxite_need_total")
def _claim_indo_need() -> float:
    ratio = fact("bauxite.indonesia_alumina_bauxite_ratio_t_per_t").value
    return bauxite_need_kt(indonesia_planned_capacity_kt(catalogue.load("bauxite-indonesia-alumina-projects")), ratio)


@CLAIMS.register("bauxite.indonesia_bauxite_need_2027_onward")
def _claim_indo_need_late() -> float:
    ratio = fact("bauxite.indonesia_alumina_bauxite_ratio_t_per_t").value
    t = indonesia_bauxite_need(catalogue.load("bauxite-indonesia-alumina-projects"), ratio)
    return float(t.loc[t["period"] == "2027+", "bauxite_need_kt"].iloc[0])


@CLAIMS.register("bauxite.indonesia_bauxite_cagr_2023_2030")
def _claim_indo_cagr() -> float:
    start = fact("bauxite.indonesia_output_2023_kt").value
    new = fact("bauxite.indonesia_domestic_bauxite_demand_new_kt").value
    return cagr_pct(start, start + new, 2030 - 2023)
