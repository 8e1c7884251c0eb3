"""The alumina stage of the chain: its parameters and models.

Volumes in kt or Mt as named, capacities per year, prices and costs in CNY/t of alumina
unless a name says USD/t. The cost model uses the bauxite chapter's delivered-cost (CIF)
model for its main input.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from aluminium.calc import number, require_columns
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue
from aluminium.data.facts import fact
from aluminium.links import Link, Output, pinned
from aluminium.parameter import Param, find
from aluminium.stages import bauxite, macro
from aluminium.words import KeyPoint, Values, balance_words, compared, exceeds, fmt, hhi_band

CLAIMS = ClaimRegistry()  # this stage's claim recomputations, read by the audit


# -- monthly output and seasonality ------------------------------------------------------
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


# -- capacity against the smelters' need ----------------------------------------------------
def alumina_need_mt(aluminium_mt: float, alumina_per_aluminium_t_per_t: float) -> float:
    """Alumina the smelters consume (Mt/yr): aluminium output × t alumina per t aluminium."""
    a, r = number(aluminium_mt, "aluminium_mt"), number(alumina_per_aluminium_t_per_t, "ratio")
    if a < 0 or r <= 0:
        raise ValueError("alumina_need_mt: need aluminium >= 0 and a positive ratio")
    return a * r


def capacity_beyond_need_at_cap_mt(alumina_mt: float, smelting_cap_mt: float, alumina_per_aluminium_t_per_t: float) -> float:
    """Alumina capacity beyond what smelters running at the cap could ever use (Mt/yr):
    alumina − cap × ratio. A structural measure of overcapacity, not a market surplus: the
    smelters do not run at the cap and the refineries do not run at their built capacity."""
    return number(alumina_mt, "alumina_mt") - alumina_need_mt(smelting_cap_mt, alumina_per_aluminium_t_per_t)


def market_surplus_mt(alumina_mt, running_smelting_mt, alumina_per_aluminium_t_per_t):
    """Alumina supply beyond what the smelters actually running consume (Mt/yr): alumina
    output (or running capacity) − running smelting capacity × ratio. Before trade and stocks.
    Vectorised."""
    a = np.asarray(alumina_mt, dtype=float)
    r = np.asarray(running_smelting_mt, dtype=float)
    if np.any(r < 0) or np.any(np.asarray(alumina_per_aluminium_t_per_t, dtype=float) <= 0):
        raise ValueError("market_surplus_mt: need running smelting capacity >= 0 and a positive ratio")
    out = a - r * alumina_per_aluminium_t_per_t
    return float(out) if np.ndim(out) == 0 else out


def smelting_running_for_measures() -> dict[str, tuple[float, str]]:
    """For each alumina *running* measure, the smelters' running capacity of the nearest stated date
    (Mt/yr) and where it comes from: the market surplus compares like with like."""
    return {
        "Running capacity, Sep 2024": (fact("smelting.china_running_capacity_dec2023_mt").value,
                                       "smelters running Dec 2023 (jianghai2024), the latest stated before Sep 2024"),
        "Output, 2025": (fact("smelting.china_running_capacity_end2025_mt").value,
                         "smelters running end-2025 (article2026)"),
    }


def surplus_table(measures: dict[str, float], smelting_cap_mt: float, alumina_per_aluminium_t_per_t: float,
                  running_smelting: dict[str, tuple[float, str]] | None = None) -> pd.DataFrame:
    """For each alumina measure (label → Mt/yr), two different things, named for what they are:

    * ``capacity_beyond_need_at_cap_mt``: the measure less the smelters' need at the cap
      (structural overcapacity, meaningful for built capacity);
    * ``market_surplus_mt``: for measures of what is actually running or produced, the measure
      less the need of the smelters actually running at a matching date (``running_smelting``:
      label → (Mt/yr, basis)); empty for built capacity, which is not supply.
    """
    running_smelting = smelting_running_for_measures() if running_smelting is None else running_smelting
    need = alumina_need_mt(smelting_cap_mt, alumina_per_aluminium_t_per_t)
    rows = []
    for label, value in measures.items():
        run = running_smelting.get(label)
        rows.append({"measure": label, "alumina_mt": float(value), "need_at_cap_mt": need,
                     "capacity_beyond_need_at_cap_mt": capacity_beyond_need_at_cap_mt(value, smelting_cap_mt,
                                                                                        alumina_per_aluminium_t_per_t),
                     "smelting_running_mt": run[0] if run else float("nan"),
                     "need_at_running_mt": alumina_need_mt(run[0], alumina_per_aluminium_t_per_t) if run else float("nan"),
                     "market_surplus_mt": market_surplus_mt(value, run[0], alumina_per_aluminium_t_per_t) if run
                     else float("nan"),
                     "running_basis": run[1] if run else "built capacity: not supply"})
    return pd.DataFrame(rows)


# -- project pipeline ----------------------------------------------------------------------
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


# -- cost model -----------------------------------------------------------------------------
def bauxite_cost_cny_t(bauxite_per_alumina_t_per_t: float, bauxite_cif_usd_t: float, usd_cny: float) -> float:
    """Bauxite cost per tonne of alumina (CNY/t) = t bauxite per t alumina × CIF (USD/t) × CNY per USD."""
    r, p, fx = (number(bauxite_per_alumina_t_per_t, "ratio"), number(bauxite_cif_usd_t, "CIF"),
                number(usd_cny, "USD/CNY"))
    if r <= 0 or p < 0 or fx <= 0:
        raise ValueError("bauxite_cost_cny_t: need a positive ratio and exchange rate, CIF >= 0")
    return r * p * fx


def implied_cost_items(bauxite_cost: float, bauxite_share_pct: float, energy_share_pct: float) -> dict:
    """Cost items implied by the bauxite cost (CNY/t) and the reports' cost shares (%):
    total = bauxite / bauxite share; energy = total × energy share; the rest (caustic soda,
    lime and everything else, which the reports do not split) = total − bauxite − energy.

    A calibration, not a model: at these inputs the cost items add back to the total and the
    shares equal the shares put in, by construction. Only a change of the bauxite price away
    from the calibration point tells anything (see ``cif_for_bauxite_share``)."""
    b, sb, se = (number(bauxite_cost, "bauxite cost"), number(bauxite_share_pct, "bauxite share"),
                 number(energy_share_pct, "energy share"))
    if b < 0 or not 0 < sb <= 100 or not 0 <= se <= 100 or sb + se > 100:
        raise ValueError("implied_cost_items: need bauxite cost >= 0, 0 < bauxite share, shares summing to <= 100 %")
    total = b / sb * 100
    energy = total * se / 100
    return {"total_cny_t": total, "energy_cny_t": energy, "caustic_soda_lime_other_cny_t": total - b - energy}


def cash_cost_items(bauxite_per_alumina_t_per_t: float, bauxite_cif_usd_t: float, usd_cny: float,
                    energy_cny_t: float, caustic_soda_lime_other_cny_t: float) -> pd.DataFrame:
    """Cash cost of a tonne of alumina by item (CNY/t) and each item's share of the total (%):
    bauxite (consumption × delivered price × exchange rate) + energy + caustic soda, lime and other."""
    e, o = number(energy_cny_t, "energy cost"), number(caustic_soda_lime_other_cny_t, "other cost")
    if e < 0 or o < 0:
        raise ValueError("cash_cost_items: costs must not be negative")
    b = bauxite_cost_cny_t(bauxite_per_alumina_t_per_t, bauxite_cif_usd_t, usd_cny)
    df = pd.DataFrame({"item": ["Bauxite", "Energy", "Caustic soda, lime and other"], "cost_cny_t": [b, e, o]})
    total = df["cost_cny_t"].sum()
    df["share_pct"] = df["cost_cny_t"] / total * 100 if total else float("nan")
    return df


def cash_cost_cny_t(**kwargs) -> float:
    """Total cash cost (CNY/t of alumina); same arguments as ``cash_cost_items``."""
    return float(cash_cost_items(**kwargs)["cost_cny_t"].sum())


def cost_vs_cif(cif_values: Iterable[float], **fixed) -> pd.DataFrame:
    """Cash cost (CNY/t) and bauxite's share of it (%) as the delivered bauxite price varies,
    energy and other costs held fixed in CNY/t."""
    rows = []
    for cif in cif_values:
        items = cash_cost_items(**{**fixed, "bauxite_cif_usd_t": cif})
        rows.append({"bauxite_cif_usd_t": float(cif), "cash_cost_cny_t": float(items["cost_cny_t"].sum()),
                     "bauxite_share_pct": float(items.loc[items["item"] == "Bauxite", "share_pct"].iloc[0])})
    return pd.DataFrame(rows)


def cif_for_bauxite_share(share_pct: float, other_costs_cny_t: float, bauxite_per_alumina_t_per_t: float,
                          usd_cny: float) -> float:
    """Delivered bauxite price (USD/t) at which bauxite makes up ``share_pct`` of the cash
    cost, the other costs fixed at ``other_costs_cny_t``: bauxite cost B = s / (1 − s) × other,
    CIF = B / (t bauxite per t alumina × CNY per USD)."""
    s_, o = number(share_pct, "share"), number(other_costs_cny_t, "other costs")
    if not 0 <= s_ < 100 or o < 0:
        raise ValueError("cif_for_bauxite_share: need 0 <= share < 100 % and other costs >= 0")
    b = s_ / (100 - s_) * o
    return b / (number(bauxite_per_alumina_t_per_t, "ratio") * number(usd_cny, "USD/CNY"))


def usd_to_cny(usd_t: float, usd_cny: float) -> float:
    """USD/t → CNY/t at a rate of ``usd_cny`` CNY per USD."""
    v, fx = number(usd_t, "USD value"), number(usd_cny, "USD/CNY")
    if fx <= 0:
        raise ValueError("usd_to_cny: the exchange rate must be positive")
    return v * fx


def contract_price_cny_t(aluminium_price_cny_t: float, ratio_pct: float) -> float:
    """Long-term contract alumina price under ratio pricing: aluminium price × ratio / 100 (CNY/t)."""
    p, r = number(aluminium_price_cny_t, "aluminium price"), number(ratio_pct, "ratio")
    if p < 0 or not 0 <= r <= 100:
        raise ValueError("contract_price_cny_t: need a price >= 0 and a ratio within 0–100 %")
    return p * r / 100


def contract_vs_cost(aluminium_prices_cny_t: Iterable[float], ratio_low_pct: float, ratio_high_pct: float,
                     cash_cost: float) -> pd.DataFrame:
    """For each aluminium price: contract price at the low and high ratio (CNY/t) and the
    margin of the mid-ratio price over the cash cost (CNY/t)."""
    rows = []
    for p in aluminium_prices_cny_t:
        lo, hi = contract_price_cny_t(p, ratio_low_pct), contract_price_cny_t(p, ratio_high_pct)
        rows.append({"aluminium_price_cny_t": float(p), "contract_low_cny_t": lo, "contract_high_cny_t": hi,
                     "cash_cost_cny_t": float(cash_cost), "margin_mid_cny_t": (lo + hi) / 2 - cash_cost})
    return pd.DataFrame(rows)


def breakeven_aluminium_price_cny_t(cash_cost: float, ratio_pct: float) -> float:
    """Aluminium price at which the ratio-priced contract just covers the cash cost (CNY/t)."""
    c, r = number(cash_cost, "cash cost"), number(ratio_pct, "ratio")
    if r <= 0:
        raise ValueError("breakeven_aluminium_price_cny_t: ratio must be positive")
    return c / r * 100


# -- parameter defaults derived from facts and the bauxite chapter ------------------------------
def default_bauxite_cif_usd_t() -> float:
    """Delivered bauxite price (USD/t) from the bauxite chapter's CIF model at its defaults."""
    d = {p.short: p.default() for p in bauxite.PARAMETERS}
    return bauxite.cif_usd_t(d["fob_usd_t"], d["freight_usd_t"], d["other_delivery_cost_usd_t"])


def _default_items() -> dict:
    b = bauxite_cost_cny_t(fact("alumina.bauxite_per_alumina_t_per_t").central, default_bauxite_cif_usd_t(),
                           find(macro.PARAMETERS, "macro.usd_cny").default())
    return implied_cost_items(b, fact("alumina.cost_share_bauxite_pct").central,
                              fact("alumina.cost_share_energy_pct").central)


def default_energy_cny_t() -> float:
    """Energy cost (CNY/t) implied by the default bauxite cost and the midpoint cost shares
    (bauxite 43.5 %, energy 21 %): bauxite cost / 0.435 × 0.21."""
    return _default_items()["energy_cny_t"]


def default_other_cny_t() -> float:
    """Caustic soda, lime and other (CNY/t): the implied total less bauxite and energy."""
    return _default_items()["caustic_soda_lime_other_cny_t"]


def derive_alumina_output_kt() -> float:
    """China's alumina output for the outlook year held at 2025's (article2026: 94.446 Mt), in kt."""
    return float(fact("alumina.china_output_2025_mt").central) * 1000


# Read from the chapters that own them, so each is set once for the whole book: the smelting
# cap and alumina per tonne of aluminium, the bauxite chapter's delivered-cost inputs, the
# exchange rate and the aluminium price.
USES = ("smelting.capacity_cap_kt", "smelting.alumina_t_per_t", "bauxite.fob_usd_t", "bauxite.freight_usd_t",
        "bauxite.other_delivery_cost_usd_t", "macro.usd_cny", "smelting.aluminium_price_cny_t")

PARAMETERS: list[Param] = [
    Param(name="alumina.china_capacity_mt", type="float", unit="Mt/yr",
          description="China's built alumina capacity set against the smelters' need (2025; 13 Mt more is due in 2026)",
          fact="alumina.china_built_capacity_2025_mt", fact_field="low", minimum=0.0, maximum=300.0),
    Param(name="alumina.bauxite_per_alumina_t_per_t", type="float", unit="t/t",
          description="Bauxite consumed per tonne of alumina (midpoint of 2.3–2.7)",
          fact="alumina.bauxite_per_alumina_t_per_t", minimum=1.5, maximum=4.0),
    Param(name="alumina.bauxite_cost_share_pct", type="float", unit="%",
          description="Bauxite's share of alumina cash cost used to derive the other items (midpoint of 42–45 %)",
          fact="alumina.cost_share_bauxite_pct", minimum=1.0, maximum=90.0),
    Param(name="alumina.energy_cost_share_pct", type="float", unit="%",
          description="Energy's share of alumina cash cost used to derive the energy cost (midpoint of 20–22 %)",
          fact="alumina.cost_share_energy_pct", minimum=0.0, maximum=90.0),
    Param(name="alumina.energy_cost_cny_t", type="float", unit="CNY/t",
          description="Energy cost per tonne of alumina",
          derive=default_energy_cny_t,
          origin="Derived: default bauxite cost ÷ bauxite share × energy share (default_energy_cny_t); "
                 "the reports give no energy price",
          minimum=0.0, maximum=5000.0),
    Param(name="alumina.caustic_soda_lime_other_cny_t", type="float", unit="CNY/t",
          description="Caustic soda, lime and all other costs per tonne of alumina",
          derive=default_other_cny_t,
          origin="Derived: implied total cost less bauxite and energy (default_other_cny_t); "
                 "the reports give no caustic-soda price or share",
          minimum=0.0, maximum=5000.0),
    Param(name="alumina.contract_ratio_pct", type="float", unit="%",
          description="Long-term contract price as a share of the aluminium price (midpoint of 15–17 %)",
          fact="alumina.long_term_contract_price_ratio_to_al_pct", minimum=5.0, maximum=30.0),
    Param(name="alumina.bauxite_cif_usd_t", type="float", unit="USD/t", pin_of="bauxite.modelled_cif_usd_t",
          description="Delivered (CIF China) bauxite price in the alumina cost; unset = the chain's CIF",
          origin="Pin: unset, the bauxite stage's marginal CIF is used", minimum=0, maximum=300),
    Param(name="alumina.output_kt", type="float", unit="kt",
          description="China's alumina output in the outlook year (2026)", derive=derive_alumina_output_kt,
          origin="Held at 2025's output, 94.446 Mt (article2026); 13 Mt of new capacity is due in 2026",
          minimum=0, maximum=300000),
    Param(name="alumina.net_exports_kt", type="float", unit="kt",
          description="China's net alumina exports in the outlook year",
          value=0.0, origin="ASSUMPTION: the reports give no alumina trade figure; 0 by default",
          minimum=-20000, maximum=20000),
    Param(name="alumina.surplus_scale_kt", type="float", unit="kt",
          description="Market surplus over which the alumina price moves most of the way from the "
                      "contract level to its cash cost",
          value=5000.0, origin="ASSUMPTION: article2026 and zijin2025 expect a surplus of over 10 Mt in 2026 to "
                               "hold the price at the cost line; half of it sets the scale", minimum=100,
          maximum=50000),
    Param(name="alumina.deficit_markup_pct_per_pct", type="float", unit="%",
          description="How far the alumina price rises above the ratio-contract level per 1 % of the smelters' "
                      "need the market is short",
          value=10.0, origin="ASSUMPTION (no report gives it): in the 2024 bauxite squeeze alumina reached about "
                             "5,500 CNY/t (zijin2025), some 70 % above a 16 % contract on an aluminium price near "
                             "20,000; a shortfall of about 7 % of need lifting the price that far gives 10; range 5–20",
          minimum=0, maximum=100),
]


# -- in the chain: the alumina market ------------------------------------------------------------
def alumina_market(v, o) -> dict:
    """Alumina need at the smelters' output, the market surplus, cash cost and price.

    Cash cost of the marginal refinery (one running on imported ore at the marginal CIF: with about
    three quarters of the ore imported, domestic-ore refineries run first) = bauxite per alumina ×
    CIF × CNY/USD + energy + caustic soda, lime and other.
    The price sits between the cash cost (a large surplus "breaks through" to cost, zijin2025)
    and the ratio-contract level (contract ratio × the chain's aluminium price): the weight on the
    contract level is 1 / (1 + exp(surplus / scale)), a half at a balanced market.
    """
    cif = pinned(v, "alumina.bauxite_cif_usd_t", o["bauxite.modelled_cif_usd_t"])
    # The smelters' output and the aluminium price are the market's (from the previous pass of the
    # chain, :func:`evaluate`); on the first pass, the potential output and the declared price.
    output = o.get("smelting.output_2026_kt", o["smelting.potential_output_2026_kt"])
    aluminium = pinned(v, "smelting.aluminium_price_cny_t",
                        o.get("pricing.modelled_price_cny_t", FIRST_PASS_ALUMINIUM_CNY_T))
    need = output * v["smelting.alumina_t_per_t"]
    # Refineries short of ore make less; the smelters' need is taken at the output the cap allows
    # when alumina is short (dear alumina would curtail some smelters and ease it; left out, so that
    # the short market is priced against the need it has to meet).
    produced = v["alumina.output_kt"] - o["alumina.ore_shortfall_cut_kt"]
    at_cap = o["smelting.potential_output_2026_kt"] * v["smelting.alumina_t_per_t"]
    need = np.where(o["alumina.ore_shortfall_cut_kt"] > 0, at_cap, need)
    surplus = produced - v["alumina.net_exports_kt"] - need
    cost = (v["alumina.bauxite_per_alumina_t_per_t"] * cif * v["macro.usd_cny"]
            + v["alumina.energy_cost_cny_t"] + v["alumina.caustic_soda_lime_other_cny_t"])
    contract = v["alumina.contract_ratio_pct"] / 100 * aluminium
    weight = 1 / (1 + np.exp(np.clip(surplus / v["alumina.surplus_scale_kt"], -50, 50)))
    price = cost + np.maximum(contract - cost, 0) * weight
    # A market short of alumina leaves the band: the price rises above the contract level with the
    # share of the smelters' need it cannot meet.
    short_pct = np.maximum(-surplus, 0) / np.maximum(need, 1e-9) * 100
    price = price + contract * v["alumina.deficit_markup_pct_per_pct"] / 100 * short_pct
    return {"alumina.output_after_ore_kt": produced + 0 * price,
            "alumina.need_kt": need, "alumina.market_surplus_kt": surplus, "alumina.modelled_cash_cost_cny_t": cost,
            "alumina.contract_level_cny_t": contract, "alumina.modelled_price_cny_t": price,
            "alumina.aluminium_price_in_contract_cny_t": aluminium + 0 * price}


# The first pass of the chain needs an aluminium price before the market has set one: a round
# level inside the 2025 Shanghai range (zijin2025: 20,000–21,100); the second pass replaces it
# with the market's price, so it only sets where the iteration starts.
FIRST_PASS_ALUMINIUM_CNY_T = 20000.0



LINKS = (
    Link("alumina market", "alumina", ("smelter output", "bauxite stack"), alumina_market,
         ("alumina.output_after_ore_kt", "alumina.need_kt", "alumina.market_surplus_kt", "alumina.modelled_cash_cost_cny_t",
          "alumina.contract_level_cny_t", "alumina.modelled_price_cny_t", "alumina.aluminium_price_in_contract_cny_t"),
         feedback=("market",)),
)

OUTPUTS = (
    Output("alumina.ore_shortfall_cut_kt", "kt", "Alumina output lost for want of ore, 2026"),
    Output("alumina.output_after_ore_kt", "kt", "China's alumina output after any ore shortfall, 2026"),
    Output("alumina.need_kt", "kt", "Alumina the smelters need at their 2026 output"),
    Output("alumina.market_surplus_kt", "kt", "Alumina market surplus, 2026 (output − net exports − need)"),
    Output("alumina.modelled_cash_cost_cny_t", "CNY/t", "Alumina cash cost at the modelled bauxite CIF"),
    Output("alumina.modelled_price_cny_t", "CNY/t", "Modelled alumina price, 2026"),
    Output("alumina.aluminium_price_in_contract_cny_t", "CNY/t", "Aluminium price the ratio contract is set on (the chain's)"),
)


# -- claims -------------------------------------------------------------------------------------
def _load(name: str) -> pd.DataFrame:
    return catalogue.load(name)


@CLAIMS.register("alumina.bauxite_ratio_vs_sci_range")
def _claim_ratio() -> float:
    """The ratio the Indonesian project table implies: its total bauxite requirement over its
    total planned alumina capacity (t/t), read from the table, not from the stated 2.5."""
    t = _load("bauxite-indonesia-alumina-projects")
    total = t[(t["project"] == "Total") & (t["period"] == "planned")].iloc[0]
    return float(total["bauxite_required_kt"] / total["alumina_capacity_kt"])


@CLAIMS.register("alumina.overseas_new_capacity_2023_2027")
def _claim_overseas_total() -> float:
    return overseas_new_capacity_kt(_load("alumina-capacity-projects-overseas"))


@CLAIMS.register("alumina.overseas_new_capacity_2024_onward")
def _claim_overseas_2024() -> float:
    return overseas_new_capacity_kt(_load("alumina-capacity-projects-overseas"), from_year=2024)


@CLAIMS.register("alumina.indonesia_chinese_new_capacity")
def _claim_indo_chinese() -> float:
    return overseas_new_capacity_kt(_load("alumina-capacity-projects-overseas"), chinese_invested_indonesia=True)


@CLAIMS.register("alumina.china_new_capacity_2024e")
def _claim_china_2024() -> float:
    return float(additions_by_year(_load("alumina-capacity-projects-china")).get("2024", 0.0))


@CLAIMS.register("alumina.china_new_capacity_2025_onward")
def _claim_china_2025() -> float:
    a = additions_by_year(_load("alumina-capacity-projects-china"))
    return float(a.sum() - a.get("2024", 0.0))


@CLAIMS.register("alumina.global_new_capacity_2024_onward")
def _claim_global() -> float:
    a = additions_by_year(_load("alumina-capacity-projects-china"))
    return float(a.sum()) + overseas_new_capacity_kt(_load("alumina-capacity-projects-overseas"), from_year=2024)


def _need_at_cap_kt() -> float:
    return alumina_need_mt(fact("smelting.china_capacity_ceiling_kt").value / 1000,
                           fact("smelting.alumina_per_aluminium_t_per_t").value) * 1000


@CLAIMS.register("alumina.alumina_need_for_smelting_cap")
def _claim_need() -> float:
    return _need_at_cap_kt()


@CLAIMS.register("alumina.running_capacity_exceeds_need")
def _claim_running() -> float:
    # The need at 1.93 t/t, which the running capacity (the claim's bound) must reach to "exceed" it.
    return _need_at_cap_kt()


def _year_total(year: int) -> float:
    t = annual_totals(_load("alumina-china-monthly-output"))
    return float(t.loc[t["year"] == year, "output_kt"].iloc[0])


for _year, _id in ((2019, "alumina.output_total_2019_kt"), (2020, "alumina.output_total_2020_kt"),
                  (2021, "alumina.output_total_2021_kt"), (2022, "alumina.output_total_2022_kt"),
                  (2023, "alumina.output_total_jan_nov_2023_kt")):
    CLAIMS.register(_id)(lambda y=_year: _year_total(y))


def price_observations() -> pd.DataFrame:
    """Spot alumina and aluminium prices the Zijin report quotes for the start of 2025 and
    the end of Q1 2025 (CNY/t), with the implied alumina/aluminium ratio (%)."""
    rows = []
    for label, al_id, ala_id in (("Start of 2025", "pricing.al_price_start_2025_cny_t",
                                  "pricing.alumina_price_start_2025_cny_t"),
                                 ("End of Q1 2025", "pricing.al_price_end_q1_2025_cny_t",
                                  "pricing.alumina_price_end_q1_2025_cny_t")):
        a, b = fact(al_id).value, fact(ala_id).value
        rows.append({"when": label, "aluminium_price_cny_t": a, "alumina_spot_cny_t": b,
                     "ratio_pct": b / a * 100})
    return pd.DataFrame(rows)


def capacity_measures() -> dict[str, float]:
    """China's alumina capacity and output figures the reports give (label → Mt/yr)."""
    ids = {"Built capacity, Dec 2023": "alumina.china_built_capacity_dec2023_mt",
           "Built capacity, Sep 2024": "alumina.china_built_capacity_2024_09_mt",
           "Running capacity, Sep 2024": "alumina.china_running_capacity_2024_09_kt",
           "Output, 2025": "alumina.china_output_2025_mt",
           "Built capacity, 2025 (lower bound)": "alumina.china_built_capacity_2025_mt"}
    out = {}
    for label, fid in ids.items():
        f = fact(fid)
        v = f.value if f.value is not None else f.low
        out[label] = v / 1000 if f.unit.startswith("kt") else v
    return out


# -- key points: what the chapter concludes, chosen by its numbers ---------------------------------
def key_points(v: Values) -> list[KeyPoint]:
    need = v["alumina.need_at_cap_mt"]
    built = v["alumina.china_capacity_mt"]
    market = v["alumina.market_surplus_2025_mt"]  # output against the smelters actually running
    surplus_lead = ("**China has built more refining than its capped smelters can use.**" if built > need
                    else "**China's refining capacity does not cover its smelters' need.**")
    running = (f"exceeded what the running smelters use by {fmt(market, 'Mt')}" if market > 0
               else f"fell {fmt(-market, 'Mt')} short of what the running smelters use")
    adding = fact("alumina.china_new_capacity_2026e_mt").value
    surplus = (f"{surplus_lead} At the cap of {fmt(v['smelting.capacity_cap_kt'], 'kt/yr')} the smelters would need "
               f"{fmt(need, 'Mt/yr')} of alumina; built capacity of over {fmt(built, 'Mt/yr')} (2025) "
               f"{exceeds(built, need, 'Mt/yr', 'that')}, and {fmt(adding, 'Mt')} more is due in 2026. Output in 2025 {running}.")
    cost, bx_cost = v["alumina.cash_cost_cny_t"], v["alumina.bauxite_cost_cny_t"]
    cost_point = (f"**A tonne of alumina costs {fmt(cost, 'CNY/t')} in cash** with Guinean ore at "
                  f"{fmt(v['alumina.bauxite_cif_usd_t'], 'USD/t')} delivered; bauxite is {fmt(bx_cost, 'CNY/t')} of it "
                  f"({fmt(100 * bx_cost / cost, '%')}), and Indonesian refineries do it for about "
                  f"{fmt(v['alumina.indonesia_cost_cny_t'], 'CNY/t')}.")
    margin = v["alumina.contract_margin_cny_t"]
    covers = (f"covers the cash cost with {fmt(margin, 'CNY/t')} to spare" if margin >= 0
              else f"falls {fmt(-margin, 'CNY/t')} short of the cash cost")
    contract = (f"**A ratio contract {covers}.** At {fmt(v['alumina.contract_ratio_pct'], '%')} of an aluminium "
                f"price of {fmt(v['smelting.aluminium_price_cny_t'], 'CNY/t')} it prices alumina at "
                f"{fmt(v['alumina.contract_price_cny_t'], 'CNY/t')}; it covers the cost at any aluminium price above "
                f"{fmt(v['alumina.breakeven_aluminium_price_cny_t'], 'CNY/t')}.")
    hhi = v["alumina.hhi_2023"]
    share = (f"**China refines {fmt(v['alumina.china_share_2023_pct'], '%')} of the world's alumina** (2023), "
             f"which makes world refining {hhi_band(hhi)} (HHI {fmt(hhi)}), and most of its ore is imported.")
    points = [KeyPoint("alumina", surplus, "alumina-capacity-need", headline=True),
              KeyPoint("alumina", cost_point, "alumina-cost"),
              KeyPoint("alumina", contract, "alumina-contract"),
              KeyPoint("alumina", share, "alumina-who-refines")]
    if "alumina.modelled_price_cny_t" in v:
        market, price = v["alumina.market_surplus_kt"], v["alumina.modelled_price_cny_t"]
        lead = ("**The surplus pulls the alumina price toward cost.**" if market > 0
                else "**A short market lifts alumina toward the contract level.**")
        points.insert(1, KeyPoint("alumina", (
            f"{lead} The chain puts the 2026 market at {balance_words(market)} and the price at {fmt(price, 'CNY/t')}, "
            f"{compared(price, cost, 'CNY/t', tolerance_pct=0.5, close='at')} the cash cost and "
            f"{compared(price, v['alumina.contract_level_cny_t'], 'CNY/t', tolerance_pct=0.5, close='at')} "
            "the ratio-contract level."), "alumina-chain", headline=True))
        del points[-1]  # five at most: the chain's price replaces the world-share point
    return points

