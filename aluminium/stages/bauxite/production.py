"""World bauxite production and its concentration: the change by country and each country's
contribution, world output from a share, supply without a group of producers (and its HHI), the
supply at risk from the top import source, and the claims recomputed from the share tables.
Shares in per cent (0–100), volumes in kt or Mt as named.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from aluminium.calc import contribution_shares, hhi, hhi_by_year, require_columns
from aluminium.calc import number as _finite
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue

CLAIMS = ClaimRegistry()  # this module's claim recomputations (the stage's CLAIMS joins them)


# The supply scenario works on the latest year of the share table, the year of the output facts it uses.
SCENARIO_YEAR = 2023


def production_change_table(changes: pd.DataFrame, world_label: str = "World") -> pd.DataFrame:
    """Year × country change in output (kt) with three added columns: ``Listed countries``
    (sum of the listed countries), ``World (printed)`` and ``Unlisted (implied)`` = world −
    listed, the change the report's world row leaves to countries it does not list."""
    require_columns(changes, {"year", "country", "change_kt"}, "production_change_table")
    wide = changes.pivot_table(index="year", columns="country", values="change_kt", aggfunc="first")
    world = wide.pop(world_label) if world_label in wide else pd.Series(float("nan"), index=wide.index)
    wide["Listed countries"] = wide.sum(axis=1, min_count=1)
    wide["World (printed)"] = world
    wide["Unlisted (implied)"] = world - wide["Listed countries"]
    return wide.reset_index()


def contributions_by_country(changes: pd.DataFrame, start_year: int, end_year: int,
                             world_label: str = "World") -> pd.DataFrame:
    """Cumulative change in output by country over ``start_year``…``end_year`` (kt) and each
    country's contribution to the listed countries' total change (per cent), largest first."""
    if start_year > end_year:
        raise ValueError("contributions_by_country: start_year after end_year")
    df = changes[(changes["year"] >= start_year) & (changes["year"] <= end_year)
                 & (changes["country"] != world_label)]
    if df.empty:
        raise ValueError(f"contributions_by_country: no data for {start_year}–{end_year}")
    cum = df.groupby("country")["change_kt"].sum(min_count=1).dropna().sort_values(ascending=False)
    out = pd.DataFrame({"country": cum.index, "change_kt": cum.values})
    out["contribution_pct"] = contribution_shares(out["change_kt"]).values
    return out


def world_output_from_share(country_output: float, share_pct: float) -> float:
    """World output implied by one country's output and its share: output / share × 100
    (same unit as the output)."""
    out, share = _finite(country_output, "country_output"), _finite(share_pct, "share_pct")
    if share <= 0 or share > 100:
        raise ValueError("world_output_from_share: share must be in (0, 100]")
    return out / share * 100


def supply_without(shares: pd.Series, world_output: float, removed: Iterable[str]) -> pd.DataFrame:
    """The supply picture with some countries' output removed from the market.

    ``shares``: per cent of world output by country (index = country) for one year;
    ``world_output``: world output in any unit (here Mt). Returns per country the output
    before and after, and the share of the remaining world output (per cent). Unlisted
    producers are kept as ``Rest of world`` = 100 − sum of listed shares (negative if the
    listed shares exceed 100 %, which the table then shows).
    """
    world = _finite(world_output, "world_output")
    if world <= 0:
        raise ValueError("supply_without: world output must be positive")
    removed = set(removed)
    unknown = removed - set(shares.index)
    if unknown:
        raise ValueError(f"supply_without: unknown countries {sorted(unknown)}")
    s = pd.Series(shares, dtype="float64").dropna()
    s = pd.concat([s, pd.Series({"Rest of world": 100.0 - s.sum()})])
    before = s / 100 * world
    after = before.where(~before.index.isin(list(removed)), 0.0)
    out = pd.DataFrame({"country": s.index, "share_before_pct": s.values, "output_before": before.values,
                        "output_after": after.values})
    out["share_after_pct"] = out["output_after"] / out["output_after"].sum() * 100
    return out


def scenario_long(picture: pd.DataFrame, year: int) -> pd.DataFrame:
    """``supply_without``'s table in long form for a grouped bar chart: country, case
    ("As reported, YEAR" or "Scenario in force") and output."""
    long = picture.melt(id_vars="country", value_vars=["output_before", "output_after"], var_name="case",
                        value_name="output_mt")
    long["case"] = long["case"].map({"output_before": f"As reported, {year}", "output_after": "Scenario in force"})
    return long


def removal_summary(shares: pd.Series, world_output: float, removed: Iterable[str]) -> dict:
    """Headline effects of removing ``removed``: output lost (unit of ``world_output``),
    share of world output lost (%), and HHI of the listed countries before and after
    (index points; the rest of world counted as atomistic)."""
    t = supply_without(shares, world_output, removed)
    listed = t[t["country"] != "Rest of world"]
    lost = float((t["output_before"] - t["output_after"]).sum())
    return {"output_lost": lost, "share_lost_pct": lost / float(world_output) * 100,
            "hhi_before": hhi(listed["share_before_pct"]), "hhi_after": hhi(listed["share_after_pct"]),
            "world_output_after": float(t["output_after"].sum())}


def supply_from_top_source_pct(import_dependency_pct: float, top_source_share_pct: float) -> float:
    """Share of a country's total bauxite supply that comes from its largest import source,
    in per cent: import dependency × source's share of imports / 100."""
    dep, top = _finite(import_dependency_pct, "import dependency"), _finite(top_source_share_pct, "source share")
    for v, what in ((dep, "import dependency"), (top, "source share")):
        if not 0 <= v <= 100:
            raise ValueError(f"supply_from_top_source_pct: {what} must be within 0–100 %")
    return dep * top / 100


def _share(year: int, country: str) -> float:
    s = catalogue.load("bauxite-production-share-by-country")
    return float(s[(s["year"] == year) & (s["country"] == country)]["share_pct"].iloc[0])


@CLAIMS.register("bauxite.china_australia_guinea_share_2023")
def _claim_top3_share() -> float:
    return sum(_share(2023, c) for c in ("China", "Australia", "Guinea"))


@CLAIMS.register("bauxite.listed_countries_share_2023")
def _claim_listed_share() -> float:
    h = hhi_by_year(catalogue.load("bauxite-production-share-by-country"))
    return float(h.loc[h["year"] == 2023, "listed_share_pct"].iloc[0])


@CLAIMS.register("bauxite.world_output_change_2023")
def _claim_world_change() -> float:
    t = production_change_table(catalogue.load("bauxite-production-change-by-country"))
    return float(t.loc[t["year"] == 2023, "Listed countries"].iloc[0])
