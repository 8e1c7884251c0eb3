"""Guinea's bauxite: the national total against its mines, its growth, the railways that carry it,
and the claims recomputed from the mine and railway tables. Volumes in kt.
"""
from __future__ import annotations

import pandas as pd

from aluminium.calc import growth_pct, parts_vs_total
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue
from aluminium.data.facts import fact

CLAIMS = ClaimRegistry()  # this module's claim recomputations (the stage's CLAIMS joins them)


GUINEA_TOTAL = "Guinea total"


def guinea_totals_check(mines: pd.DataFrame) -> pd.DataFrame:
    """Per year: the national output row against the sum of the listed companies (kt)."""
    return parts_vs_total(mines, value="output_kt", label_col="company", total_label=GUINEA_TOTAL, group="year")


def guinea_national_output(mines: pd.DataFrame) -> pd.Series:
    """Guinea's national bauxite output by year (kt), from the table's total row."""
    t = mines[mines["company"] == GUINEA_TOTAL].set_index("year")["output_kt"].astype(float)
    if t.empty:
        raise ValueError("guinea_national_output: no 'Guinea total' rows")
    return t.sort_index()


def guinea_growth_table(mines: pd.DataFrame) -> pd.DataFrame:
    """Guinea's national output (kt), its year-on-year change (kt) and growth (%)."""
    t = guinea_national_output(mines)
    est = mines[mines["company"] == GUINEA_TOTAL].set_index("year")["estimate"].reindex(t.index)
    return pd.DataFrame({"year": t.index, "output_kt": t.values, "change_kt": t.diff().values,
                         "growth_pct": (t.pct_change() * 100).values, "estimate": est.values})


def railway_summary(railways: pd.DataFrame) -> pd.DataFrame:
    """Railways by status: number of lines, total length (km), and how many carry bauxite."""
    g = railways.groupby("status")
    return pd.DataFrame({
        "lines": g.size(),
        "length_km": g["length_km"].sum(),
        "lines_carrying_bauxite": g["cargo"].apply(lambda c: int(c.fillna("").str.contains("bauxite").sum())),
    }).reset_index()


@CLAIMS.register("bauxite.guinea_operating_railways_count")
def _claim_railways() -> float:
    r = railway_summary(catalogue.load("bauxite-guinea-railways"))
    return float(r.loc[r["status"] == "operating", "lines"].iloc[0])


def _guinea_growth(year: int) -> float:
    t = guinea_national_output(catalogue.load("bauxite-guinea-mine-output"))
    return growth_pct(t[year], t[year - 1])


@CLAIMS.register("bauxite.guinea_output_growth_2023")
def _claim_g23() -> float:
    return _guinea_growth(2023)


@CLAIMS.register("bauxite.guinea_output_growth_2024e")
def _claim_g24() -> float:
    return _guinea_growth(2024)


@CLAIMS.register("bauxite.guinea_output_growth_2025e")
def _claim_g25() -> float:
    return _guinea_growth(2025)


@CLAIMS.register("bauxite.smb_share_of_guinea_2023")
def _claim_smb() -> float:
    total = guinea_national_output(catalogue.load("bauxite-guinea-mine-output"))[2023]
    return fact("bauxite.smb_output_2023_kt").value / total * 100


@CLAIMS.register("bauxite.guinea_main_producer_count")
def _claim_producers() -> float:
    m = catalogue.load("bauxite-guinea-mine-output")
    return float(m.loc[m["company"] != GUINEA_TOTAL, "company"].nunique())


@CLAIMS.register("bauxite.spic_output_2023_remark")
def _claim_spic() -> float:
    m = catalogue.load("bauxite-guinea-mine-output")
    row = m[m["company"].str.startswith("SPIC") & (m["year"] == 2023)]
    return float(row["output_kt"].iloc[0])
