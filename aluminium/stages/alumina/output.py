"""China's monthly alumina output: annual totals and the seasonal profile (per month or per day),
and the claims recomputed from the monthly table. Units: kt.
"""
from __future__ import annotations

import pandas as pd

from aluminium.calc import require_columns
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue

CLAIMS = ClaimRegistry()  # this module's claim recomputations (the stage's CLAIMS joins them)


def _monthly(monthly: pd.DataFrame) -> pd.DataFrame:
    require_columns(monthly, {"month", "output_kt"}, "monthly output (month YYYY-MM, output_kt)")
    df = monthly[["month", "output_kt"]].copy()
    stamp = pd.to_datetime(df["month"].astype(str), format="%Y-%m", errors="coerce")
    if stamp.isna().any():
        raise ValueError(f"bad month values: {list(df.loc[stamp.isna(), 'month'])[:3]}")
    df["year"], df["month_of_year"], df["days"] = stamp.dt.year, stamp.dt.month, stamp.dt.days_in_month
    df["output_kt"] = df["output_kt"].astype(float)
    return df


def annual_totals(monthly: pd.DataFrame) -> pd.DataFrame:
    """Per year: output summed over the months reported (kt) and the number of months with
    data; a year with fewer than 12 months is partial and must not be compared with full years."""
    df = _monthly(monthly)
    g = df.groupby("year")["output_kt"]
    return pd.DataFrame({"year": g.sum(min_count=1).index, "output_kt": g.sum(min_count=1).values,
                         "months_reported": g.count().values})


def seasonal_profile(monthly: pd.DataFrame, *, per_day: bool = False,
                     complete_years_only: bool = True) -> pd.DataFrame:
    """Month-of-year profile: for each calendar month, output as a per cent of the same year's
    average month (100 = average), averaged over years; with ``per_day`` the output is first
    divided by the days in the month (so February's short month does not look like a dip).

    Years with missing months are skipped when ``complete_years_only`` (the default), else
    each year is normalised by the months it has. Returns month_of_year, index_pct (mean),
    min_pct, max_pct, years.
    """
    df = _monthly(monthly)
    df["value"] = df["output_kt"] / df["days"] if per_day else df["output_kt"]
    counts = df.groupby("year")["value"].count()
    keep = counts[counts == 12].index if complete_years_only else counts[counts > 0].index
    df = df[df["year"].isin(keep) & df["value"].notna()]
    if df.empty:
        raise ValueError("seasonal_profile: no (complete) years to average")
    df["index_pct"] = df["value"] / df.groupby("year")["value"].transform("mean") * 100
    g = df.groupby("month_of_year")["index_pct"]
    return pd.DataFrame({"month_of_year": g.mean().index, "index_pct": g.mean().values,
                         "min_pct": g.min().values, "max_pct": g.max().values, "years": g.count().values})


def seasonal_profiles(monthly: pd.DataFrame) -> pd.DataFrame:
    """``seasonal_profile`` per month and per day, stacked, with a ``basis`` column."""
    return pd.concat([seasonal_profile(monthly).assign(basis="per month"),
                      seasonal_profile(monthly, per_day=True).assign(basis="per day")], ignore_index=True)


def _year_total(year: int) -> float:
    t = annual_totals(catalogue.load("alumina-china-monthly-output"))
    return float(t.loc[t["year"] == year, "output_kt"].iloc[0])


for _year, _id in ((2019, "alumina.output_total_2019_kt"), (2020, "alumina.output_total_2020_kt"),
                  (2021, "alumina.output_total_2021_kt"), (2022, "alumina.output_total_2022_kt"),
                  (2023, "alumina.output_total_jan_nov_2023_kt")):
    CLAIMS.register(_id)(lambda y=_year: _year_total(y))
