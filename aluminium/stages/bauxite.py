"""The bauxite stage of the chain: its parameters and models.

Models are pure functions on pandas objects and floats. Shares are in per cent (0–100),
volumes in kt or Mt as named, prices in USD/t. The generic helpers it uses
(``hhi``, ``contribution_shares``, ``parts_vs_total``, ``growth_pct``) live in ``aluminium.calc``,
shared with the other chapters.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from aluminium.calc import cagr_pct, contribution_shares, growth_pct, hhi, hhi_by_year, parts_vs_total, require_columns
from aluminium.calc import number as _finite
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue
from aluminium.data.facts import fact
from aluminium.links import Link, Output
from aluminium.parameter import Param
from aluminium.words import KeyPoint, Values, fmt, hhi_band, moved

CLAIMS = ClaimRegistry()  # this stage's claim recomputations, read by the audit


# -- production and concentration ------------------------------------------------------
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


# -- Guinea ------------------------------------------------------------------------------
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


# -- Indonesia ---------------------------------------------------------------------------
PERIODS = ("2024E", "2025E", "2026E", "2027+")
# The scenario works on the latest year of the share table, the year of the output facts it uses.
SCENARIO_YEAR = 2023


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


# -- delivered cost (CIF) -----------------------------------------------------------------
def cif_usd_t(fob_usd_t: float, freight_usd_t: float, other_usd_t: float = 0.0) -> float:
    """Delivered (CIF China) cost of bauxite: CIF = FOB + ocean freight + other (all USD/t).

    An accounting identity: at the default FOB and freight (``split_cif`` of zijin2025's CIF)
    it returns that CIF by construction; it is useful for moving one part with the others held.
    FOB here bundles what the report lists besides freight: amortised overseas
    infrastructure, routine mining costs and overheads. Negative components raise ValueError.
    """
    parts = [_finite(fob_usd_t, "FOB"), _finite(freight_usd_t, "freight"), _finite(other_usd_t, "other")]
    if any(p < 0 for p in parts):
        raise ValueError("cif_usd_t: cost components must not be negative")
    return float(sum(parts))


def freight_share_pct(fob_usd_t: float, freight_usd_t: float, other_usd_t: float = 0.0) -> float:
    """Freight's share of the CIF cost, in per cent."""
    total = cif_usd_t(fob_usd_t, freight_usd_t, other_usd_t)
    if total == 0:
        raise ValueError("freight_share_pct: CIF is 0")
    return freight_usd_t / total * 100


def split_cif(cif: float, freight_share: float) -> tuple[float, float]:
    """Split a CIF price (USD/t) into (FOB incl. other items, freight) given freight's share (%)."""
    c, s = _finite(cif, "CIF"), _finite(freight_share, "freight share")
    if c < 0 or not 0 <= s <= 100:
        raise ValueError("split_cif: need CIF >= 0 and a share within 0–100 %")
    freight = c * s / 100
    return c - freight, freight


def cif_freight_sensitivity(fob_usd_t: float, freight_usd_t: float, other_usd_t: float = 0.0,
                            multiples: Iterable[float] = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)) -> pd.DataFrame:
    """CIF (USD/t) and freight's share (%) when freight is scaled by each multiple, FOB and
    other held fixed."""
    rows = []
    for m in multiples:
        f = freight_usd_t * _finite(m, "multiple")
        rows.append({"freight_multiple": float(m), "freight_usd_t": f,
                     "cif_usd_t": cif_usd_t(fob_usd_t, f, other_usd_t),
                     "freight_share_pct": freight_share_pct(fob_usd_t, f, other_usd_t)})
    return pd.DataFrame(rows)


# -- parameter defaults derived from facts -----------------------------------------------------
def default_freight_usd_t() -> float:
    """Freight (USD/t) = the 2026E Guinea CIF reference (midpoint of 60–65 USD/t, zijin2025)
    × freight's share of CIF (midpoint of 30–40 %, guohai2024)."""
    cif = fact("bauxite.guinea_cif_avg_2026e_usd_t_zijin2025").central
    share = fact("bauxite.freight_share_of_cif_cost_pct").central
    return split_cif(cif, share)[1]


def default_fob_usd_t() -> float:
    """FOB incl. mining, infrastructure and overheads (USD/t) = CIF reference − freight."""
    cif = fact("bauxite.guinea_cif_avg_2026e_usd_t_zijin2025").central
    share = fact("bauxite.freight_share_of_cif_cost_pct").central
    return split_cif(cif, share)[0]


def derive_reference_imports_mt() -> float:
    """China's bauxite imports the seaborne stack is sized on (Mt/yr): 2025 alumina output
    (94.4 Mt, article2026) × 2.5 t bauxite per t alumina (guohai2024) × 73 % import dependency
    (article2026's lower bound)."""
    return (float(fact("alumina.china_output_2025_mt").central) * float(fact("alumina.bauxite_per_alumina_t_per_t").central)
            * float(fact("bauxite.china_import_dependency_pct_article2026").low) / 100)



PARAMETERS: list[Param] = [
    Param(name="bauxite.bauxite_per_alumina_t_per_t", type="float", unit="t/t",
          description="Tonnes of bauxite per tonne of alumina for the Indonesian refinery projects",
          fact="bauxite.indonesia_alumina_bauxite_ratio_t_per_t", minimum=1.5, maximum=4.0),
    Param(name="bauxite.freight_usd_t", type="float", unit="USD/t",
          description="Ocean freight Guinea → China per tonne of bauxite",
          derive=default_freight_usd_t,
          origin="CIF reference 62.5 USD/t (midpoint of zijin2025's 60–65) × freight share 35 % "
                 "(midpoint of guohai2024's 30–40 %); see default_freight_usd_t",
          minimum=0.0, maximum=200.0),
    Param(name="bauxite.fob_usd_t", type="float", unit="USD/t",
          description="Free-on-board cost of Guinean bauxite: mining, infrastructure amortisation, overheads",
          derive=default_fob_usd_t,
          origin="CIF reference 62.5 USD/t less the derived freight; see default_fob_usd_t",
          minimum=0.0, maximum=300.0),
    Param(name="bauxite.other_delivery_cost_usd_t", type="float", unit="USD/t",
          description="Other delivery costs not in FOB or freight (insurance, port charges)",
          value=0.0, origin="The report folds these into its four CIF components; 0 by default",
          minimum=0.0, maximum=100.0),
    Param(name="bauxite.indonesia_supply_removed", type="bool", unit="switch",
          description="Indonesia's bauxite export ban is in force (its ore stays at home); off = the ban is lifted",
          value=True, origin="In force since June 2023 (guohai2024), and the 2026 article expects it to stay: on by "
                             "default. Off, Indonesia's pre-ban share of China's imports returns to the seaborne stack"),
    Param(name="bauxite.guinea_disruption_mt", type="float", unit="Mt/yr",
          description="Guinean bauxite exports to China lost to a disruption (licences, rail, port, politics)",
          value=0.0, origin="No disruption in the base case; a scenario sets it (scenarios/guinea-disruption.yml)",
          minimum=0.0, maximum=200.0),
    Param(name="bauxite.china_import_dependency_pct", type="float", unit="%",
          description="Share of the bauxite China's refineries use that is imported",
          fact="bauxite.china_import_dependency_pct_article2026", fact_field="low", minimum=0, maximum=100),
    Param(name="bauxite.guinea_share_of_imports_pct", type="float", unit="%",
          description="Guinea's share of China's bauxite imports (2025, with Indonesia's ban in force)",
          fact="bauxite.guinea_share_china_imports_pct", minimum=0, maximum=100),
    Param(name="bauxite.indonesia_share_of_imports_pct", type="float", unit="%",
          description="Indonesia's share of China's bauxite imports before its ban (returns if the ban is lifted)",
          fact="bauxite.indonesia_share_china_imports_pct_article2026", minimum=0, maximum=100),
    Param(name="bauxite.china_imports_reference_mt", type="float", unit="Mt/yr",
          description="China's bauxite imports at which today's suppliers (2025, Indonesia's ban in force) are fully used",
          derive=derive_reference_imports_mt,
          origin="Derived: 94.446 Mt alumina (2025, article2026) × 2.5 t/t (guohai2024) × 73 % import "
                 "dependency (article2026)", minimum=0, maximum=1000),
    Param(name="bauxite.guinea_restart_supply_mt", type="float", unit="Mt/yr",
          description="Extra Guinean supply from mine restarts, the next block of the seaborne stack",
          fact="bauxite.guinea_restart_supply_increase_2026_mt", minimum=0, maximum=200),
    Param(name="bauxite.restart_premium_usd_t", type="float", unit="USD/t",
          description="CIF premium of the last tonne from Guinean restarts over today's Guinean CIF",
          value=8.0, origin="ASSUMPTION (no report gives it): restarted mines haul further and pay start-up "
                            "costs; about an eighth of the 60–65 USD/t CIF (zijin2025)", minimum=0, maximum=100),
    Param(name="bauxite.distant_origin_premium_usd_t", type="float", unit="USD/t",
          description="CIF premium of distant origins (Brazil, Ghana, Montenegro…) over today's Guinean CIF",
          value=20.0, origin="ASSUMPTION (no report gives it): longer voyages and smaller mines; a third of "
                             "the Guinean CIF", minimum=0, maximum=200),
    Param(name="bauxite.distant_origin_volume_mt", type="float", unit="Mt/yr",
          description="Volume over which distant origins' premium is reached (seaborne stack)",
          value=30.0, origin="ASSUMPTION (no report gives it): of the order of China's non-Guinean, "
                             "non-Indonesian imports", minimum=1, maximum=500),
]


# -- in the chain: the seaborne stack -------------------------------------------------------------
def bauxite_stack(v, o) -> dict:
    """China's bauxite import need and the marginal CIF of the seaborne stack, by origin.

    Need = alumina output × bauxite per alumina × import dependency. Today's suppliers are those
    of 2025, with Indonesia's export ban in force: Guinea (its share of China's imports, article2026)
    and Australia, Brazil and others, together the reference imports, at today's Guinean CIF (FOB +
    freight + other). Lifting the ban returns Indonesia's pre-ban share; a Guinean disruption takes
    tonnes out. Beyond today's suppliers come Guinean restarts (up to their premium) and then
    distant origins: the CIF is that of the marginal tonne.
    """
    need_mt = v["alumina.output_kt"] / 1000 * v["alumina.bauxite_per_alumina_t_per_t"]
    imports = need_mt * v["bauxite.china_import_dependency_pct"] / 100
    ref = v["bauxite.china_imports_reference_mt"]
    banned = np.asarray(v["bauxite.indonesia_supply_removed"], dtype=float)
    guinea = np.maximum(ref * v["bauxite.guinea_share_of_imports_pct"] / 100 - v["bauxite.guinea_disruption_mt"], 0)
    others = ref * (1 - v["bauxite.guinea_share_of_imports_pct"] / 100)
    indonesia = (1 - banned) * ref * v["bauxite.indonesia_share_of_imports_pct"] / 100
    existing = guinea + others + indonesia
    guinea_cif = v["bauxite.fob_usd_t"] + v["bauxite.freight_usd_t"] + v["bauxite.other_delivery_cost_usd_t"]
    beyond = imports - existing
    restart = v["bauxite.guinea_restart_supply_mt"]
    into_restart = np.clip(beyond / np.maximum(restart, 1e-9), 0, 1)
    into_distant = np.clip((beyond - restart) / v["bauxite.distant_origin_volume_mt"], 0, 1)
    rp, dp = v["bauxite.restart_premium_usd_t"], v["bauxite.distant_origin_premium_usd_t"]
    cif = guinea_cif + rp * into_restart + np.maximum(dp - rp, 0) * into_distant
    marginal = np.where(beyond <= 0, 0, np.where(beyond <= restart, 1, 2))
    # Each tier has a volume: ore beyond today's suppliers, the restarts and the distant origins is not
    # there to buy, and the refineries that would have run on it stop.
    shortfall = np.maximum(beyond - restart - v["bauxite.distant_origin_volume_mt"], 0)
    cut = shortfall * 1000 / v["alumina.bauxite_per_alumina_t_per_t"]
    return {"bauxite.need_mt": need_mt, "bauxite.china_imports_mt": imports - shortfall,
            "bauxite.guinea_supply_mt": guinea + 0 * imports, "bauxite.indonesia_supply_mt": indonesia + 0 * imports,
            "bauxite.modelled_cif_usd_t": cif, "bauxite.marginal_source": marginal,
            "bauxite.shortfall_mt": shortfall + 0 * imports, "alumina.ore_shortfall_cut_kt": cut + 0 * imports}


MARGINAL_SOURCES = ("today's suppliers (Guinean CIF)", "Guinean restarts", "distant origins")



LINKS = (
    Link("bauxite stack", "bauxite", (), bauxite_stack,
         ("bauxite.need_mt", "bauxite.china_imports_mt", "bauxite.guinea_supply_mt", "bauxite.indonesia_supply_mt",
          "bauxite.modelled_cif_usd_t", "bauxite.marginal_source", "bauxite.shortfall_mt", "alumina.ore_shortfall_cut_kt")),
)

OUTPUTS = (
    Output("bauxite.need_mt", "Mt", "Bauxite China's alumina output needs, 2026"),
    Output("bauxite.china_imports_mt", "Mt", "China's bauxite imports, 2026"),
    Output("bauxite.guinea_supply_mt", "Mt", "Guinean bauxite in China's seaborne stack, 2026"),
    Output("bauxite.indonesia_supply_mt", "Mt", "Indonesian bauxite in China's seaborne stack, 2026 (0 with the ban)"),
    Output("bauxite.modelled_cif_usd_t", "USD/t", "Marginal CIF China bauxite price, 2026"),
    Output("bauxite.shortfall_mt", "Mt", "Bauxite China needs but no tier of the seaborne stack can supply, 2026"),
)


# -- claims ---------------------------------------------------------------------------------
def _load(name: str) -> pd.DataFrame:
    return catalogue.load(name)


def _share(year: int, country: str) -> float:
    s = _load("bauxite-production-share-by-country")
    return float(s[(s["year"] == year) & (s["country"] == country)]["share_pct"].iloc[0])


@CLAIMS.register("bauxite.guinea_operating_railways_count")
def _claim_railways() -> float:
    r = railway_summary(_load("bauxite-guinea-railways"))
    return float(r.loc[r["status"] == "operating", "lines"].iloc[0])


@CLAIMS.register("bauxite.china_australia_guinea_share_2023")
def _claim_top3_share() -> float:
    return sum(_share(2023, c) for c in ("China", "Australia", "Guinea"))


@CLAIMS.register("bauxite.listed_countries_share_2023")
def _claim_listed_share() -> float:
    h = hhi_by_year(_load("bauxite-production-share-by-country"))
    return float(h.loc[h["year"] == 2023, "listed_share_pct"].iloc[0])


@CLAIMS.register("bauxite.world_output_change_2023")
def _claim_world_change() -> float:
    t = production_change_table(_load("bauxite-production-change-by-country"))
    return float(t.loc[t["year"] == 2023, "Listed countries"].iloc[0])


def _guinea_growth(year: int) -> float:
    t = guinea_national_output(_load("bauxite-guinea-mine-output"))
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
    total = guinea_national_output(_load("bauxite-guinea-mine-output"))[2023]
    return fact("bauxite.smb_output_2023_kt").value / total * 100


@CLAIMS.register("bauxite.guinea_main_producer_count")
def _claim_producers() -> float:
    m = _load("bauxite-guinea-mine-output")
    return float(m.loc[m["company"] != GUINEA_TOTAL, "company"].nunique())


@CLAIMS.register("bauxite.spic_output_2023_remark")
def _claim_spic() -> float:
    m = _load("bauxite-guinea-mine-output")
    row = m[m["company"].str.startswith("SPIC") & (m["year"] == 2023)]
    return float(row["output_kt"].iloc[0])


@CLAIMS.register("bauxite.indonesia_alumina_capacity_total")
def _claim_indo_capacity() -> float:
    return indonesia_planned_capacity_kt(_load("bauxite-indonesia-alumina-projects"))


@CLAIMS.register("bauxite.indonesia_bauxite_need_total")
def _claim_indo_need() -> float:
    ratio = fact("bauxite.indonesia_alumina_bauxite_ratio_t_per_t").value
    return bauxite_need_kt(indonesia_planned_capacity_kt(_load("bauxite-indonesia-alumina-projects")), ratio)


@CLAIMS.register("bauxite.indonesia_bauxite_need_2027_onward")
def _claim_indo_need_late() -> float:
    ratio = fact("bauxite.indonesia_alumina_bauxite_ratio_t_per_t").value
    t = indonesia_bauxite_need(_load("bauxite-indonesia-alumina-projects"), ratio)
    return float(t.loc[t["period"] == "2027+", "bauxite_need_kt"].iloc[0])


@CLAIMS.register("bauxite.indonesia_bauxite_cagr_2023_2030")
def _claim_indo_cagr() -> float:
    start = fact("bauxite.indonesia_output_2023_kt").value
    new = fact("bauxite.indonesia_domestic_bauxite_demand_new_kt").value
    return cagr_pct(start, start + new, 2030 - 2023)


# -- facts as a table ---------------------------------------------------------------------------------


# -- key points: what the chapter concludes, chosen by its numbers ---------------------------------
def key_points(v: Values) -> list[KeyPoint]:
    h15, h23 = v["bauxite.hhi_2015"], v["bauxite.hhi_2023"]
    concentration = (f"**Supply is concentrating on Guinea.** The HHI of world output "
                     f"{moved(h15, h23, '', up='rose', down='fell')} between 2015 and 2023 "
                     f"({hhi_band(h23)}); Guinea mined {fmt(v['bauxite.guinea_share_2023_pct'], '%')} of the world's "
                     f"bauxite in 2023 and supplied {fmt(v['bauxite.guinea_contribution_2017_2023_pct'], '%')} of the "
                     "growth since 2017.")
    dependency = (f"**China leans on one exporter.** About {fmt(v['bauxite.china_supply_from_guinea_pct'], '%')} "
                  "of all the bauxite China's refineries used in January–September 2024 came from Guinea.")
    cif, freight = v["bauxite.cif_usd_t"], v["bauxite.freight_usd_t"]
    landed = (f"**Freight is the swing cost.** Guinean ore lands in China at {fmt(cif, 'USD/t')}, of which "
              f"ocean freight is {fmt(freight, 'USD/t')} ({fmt(v['bauxite.freight_share_pct'], '%')}); doubling "
              f"freight lifts the landed cost to {fmt(v['bauxite.cif_at_double_freight_usd_t'], 'USD/t')}.")
    lost, share = v["bauxite.indonesia_output_lost_mt"], v["bauxite.indonesia_share_lost_pct"]
    h_after = v["bauxite.hhi_without_indonesia"]
    if v["bauxite.indonesia_supply_removed"]:
        scenario = (f"With the export ban in force since June 2023, as in this build, its {fmt(lost, 'Mt')} "
                    f"({fmt(share, '%')} of world output) is out of the seaborne market, and the HHI of what is left "
                    f"{moved(h23, h_after, '', up='rises', down='falls', flat='stays at')}.")
    else:
        scenario = (f"This build lifts the export ban: {fmt(lost, 'Mt')} ({fmt(share, '%')} of world output) returns to "
                    f"the seaborne market, which keeps the HHI at {fmt(h23)} instead of {fmt(h_after)}.")
    indonesia = (f"**Indonesia's ore is staying at home.** Its planned refineries need "
                 f"{fmt(v['bauxite.indonesia_project_bauxite_need_mt'], 'Mt/yr')} of bauxite, which takes mine growth "
                 f"of {fmt(v['bauxite.indonesia_cagr_2023_2030_pct'], '%')} a year to 2030. {scenario}")
    return [KeyPoint("bauxite", concentration, "bauxite-concentration", headline=True),
            KeyPoint("bauxite", dependency, "bauxite-import-dependency", headline=True),
            KeyPoint("bauxite", landed, "bauxite-delivered-cost"),
            KeyPoint("bauxite", indonesia, "bauxite-indonesia")]

