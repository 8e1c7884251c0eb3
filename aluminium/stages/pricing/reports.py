"""The reports' numbers beside the book's: the price and cost ranges they print, the margin band,
the trading rules and their fit rates (the engine is :mod:`aluminium.stages.backtest`), the alumina
ratio contract and the bauxite CIF split, the 2021 power crunch's ordered cuts, and the claims
recomputed from them.
"""
from __future__ import annotations

import math

import pandas as pd

from aluminium.calc import require_columns
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue
from aluminium.data.facts import fact
from aluminium.stages import alumina, backtest, bauxite

CLAIMS = ClaimRegistry()  # this module's claim recomputations (the stage's CLAIMS joins them)


# The price and cost ranges the reports print, as (fact id, kind, label). Point values plot as
# a zero-height range. "zone" marks trading zones the deck names (not observed prices).
RANGE_FACTS: list[tuple[str, str, str]] = [
    ("pricing.al_price_high_2019_jan_may_cny_t", "price", "2019 Jan–May high"),
    ("smelting.theoretical_cost_range_2023_cny_t", "cost", "2023 cost range"),
    ("pricing.shfe_range_2023_cny_t", "price", "2023 SHFE range"),
    ("smelting.cost_current_jan2024_cny_t", "cost", "Jan 2024 cost"),
    ("pricing.virtual_inventory_buy_zone_cny_t", "zone", "2024 buy zone (near cost)"),
    ("pricing.resistance_2024_cny_t", "zone", "2024 resistance"),
    ("smelting.cost_range_2025_cny_t", "cost", "2025 cost range"),
    ("pricing.al_price_start_2025_cny_t", "price", "Start 2025 price"),
    ("pricing.al_price_end_q1_2025_cny_t", "price", "End Q1 2025 price"),
    ("smelting.cost_range_2026e_cny_t", "cost", "2026E cost range"),
]


def ranges_from_facts(spec: list[tuple[str, str, str]] = RANGE_FACTS) -> pd.DataFrame:
    """A frame of ranges from facts: ``label``, ``kind``, ``period``, ``low_cny_t``, ``high_cny_t``,
    ``fact``, ``source``. A fact with one value gives low = high = value; all must be in CNY/t."""
    rows = []
    for fid, kind, label in spec:
        f = fact(fid)
        if f.unit != "CNY/t":
            raise ValueError(f"fact '{fid}' is in {f.unit}, not CNY/t")
        lo = f.low if f.low is not None else f.value
        hi = f.high if f.high is not None else f.value
        if lo is None or hi is None:
            raise ValueError(f"fact '{fid}' has no value or full range")
        rows.append({"label": label, "kind": kind, "period": f.period, "low_cny_t": lo, "high_cny_t": hi,
                     "fact": fid, "source": f.source})
    return pd.DataFrame(rows)


def margin_band_cny_t(price_low: float, price_high: float, cost_low: float, cost_high: float) -> dict:
    """Price − cash cost over two ranges (CNY/t).

    ``worst`` = price_low − cost_high, ``mid`` = mid price − mid cost, ``best`` = price_high − cost_low.
    """
    vals = [float(v) for v in (price_low, price_high, cost_low, cost_high)]
    if any(math.isnan(v) for v in vals):
        raise ValueError("margin_band_cny_t: a range end is missing (NaN)")
    pl, ph, cl, chh = vals
    if pl > ph or cl > chh:
        raise ValueError(f"margin_band_cny_t: a range has low above high ({pl}–{ph}, {cl}–{chh})")
    return {"worst": pl - chh, "mid": (pl + ph) / 2 - (cl + chh) / 2, "best": ph - cl}


def fit_summary(fit: pd.DataFrame) -> pd.DataFrame:
    """Per balance metal: highest, lowest and mean fit (%) of the pairs the report names, and how
    many pairs; plus the year count those rates imply (see :func:`backtest.implied_year_count`)."""
    require_columns(fit, {"balance_metal", "fit_pct"}, "fit_summary")
    g = fit.assign(fit_pct=fit["fit_pct"].astype(float)).groupby("balance_metal", sort=False)["fit_pct"]
    out = g.agg(highest_pct="max", lowest_pct="min", mean_of_named_pairs_pct="mean", pairs="count").reset_index()
    n = backtest.implied_year_count(fit["fit_pct"].astype(float))
    out["implied_years"] = n
    return out


def matching_years(fit_pct: float, years: int) -> float:
    """Years in which the balance matched the price direction: fit × years / 100."""
    if years <= 0:
        raise ValueError(f"years must be positive, got {years}")
    return float(fit_pct) * years / 100


# The reports' rules, the monthly series each needs, and the column (name suffix) such a
# series would have in the data package.
RULES: list[tuple[str, str, str, str]] = [
    ("Buy when destocking accelerates", "monthly change in aluminium stocks (kt) and a monthly price",
     "stock_change_kt", "guohai2024 §4.2, 图：根据库存变动买卖策略有效性较强"),
    ("Buy on accelerating destocking, sell on stock-building", "monthly change in aluminium stocks (kt) and a monthly price",
     "stock_change_kt", "guohai2024 §4.2, 图：根据库存变动买卖策略有效性较强"),
    ("Buy while the smelting margin is above a threshold", "monthly smelting margin (CNY/t) and a monthly price",
     "margin_cny_t", "guohai2024 §4.2, 图：回测-电解铝亏损/盈利是否能买入"),
    ("Any rule (the price leg)", "monthly aluminium price (CNY/t or USD/t)", "price",
     "guohai2024 §4.1, 图：2018-2023年铝、铜价格走势"),
]


def monthly_series_in_package(column_hint: str) -> list[str]:
    """Catalogue resources with a ``month`` column and a column whose name contains ``column_hint``."""
    out = []
    for res in catalogue.resources():
        names = [f["name"] for f in res["schema"]["fields"]]
        if "month" in names and any(column_hint in n for n in names if n != "month"):
            out.append(res["name"])
    return out


def rules_and_data() -> pd.DataFrame:
    """The reports' rules with the series each needs and whether the data package holds one."""
    rows = []
    for rule, needs, hint, where in RULES:
        found = monthly_series_in_package(hint)
        rows.append({"rule": rule, "needs": needs, "in data package": ", ".join(found) if found else "no",
                     "report's result": f"lost chart ({where})"})
    return pd.DataFrame(rows)


RATIO_CASES = [
    ("Start of 2025", "pricing.al_price_start_2025_cny_t", "pricing.alumina_price_start_2025_cny_t"),
    ("End of Q1 2025", "pricing.al_price_end_q1_2025_cny_t", "pricing.alumina_price_end_q1_2025_cny_t"),
]


def ratio_contract_cases(ratio_low_pct: float, ratio_high_pct: float, cases=RATIO_CASES) -> pd.DataFrame:
    """Alumina under a ratio contract (aluminium price × ratio, :func:`alumina.contract_price_cny_t`)
    against the alumina spot price, at dates where the reports give both prices (CNY/t).

    Columns: ``period``, ``aluminium_cny_t``, ``contract_low_cny_t``, ``contract_high_cny_t``,
    ``alumina_spot_cny_t``, ``spot_minus_contract_mid_cny_t``.
    """
    if ratio_low_pct > ratio_high_pct:
        raise ValueError(f"ratio range is reversed: {ratio_low_pct}–{ratio_high_pct} %")
    rows = []
    for period, al_id, spot_id in cases:
        al, spot = fact(al_id).value, fact(spot_id).value
        lo, hi = alumina.contract_price_cny_t(al, ratio_low_pct), alumina.contract_price_cny_t(al, ratio_high_pct)
        rows.append({"period": period, "aluminium_cny_t": al, "contract_low_cny_t": lo, "contract_high_cny_t": hi,
                     "alumina_spot_cny_t": spot, "spot_minus_contract_mid_cny_t": spot - (lo + hi) / 2})
    return pd.DataFrame(rows)


def bauxite_cif_split(cif_usd_t: list[float], freight_share_pct: list[float]) -> pd.DataFrame:
    """Each CIF bauxite price (USD/t) split into freight and the rest at each freight share (%),
    with :func:`bauxite.split_cif`. Columns ``cif_usd_t``, ``freight_share_pct``, ``freight_usd_t``,
    ``fob_and_other_usd_t``."""
    rows = []
    for c in cif_usd_t:
        for sh in freight_share_pct:
            rest, freight = bauxite.split_cif(c, sh)
            rows.append({"cif_usd_t": float(c), "freight_share_pct": float(sh), "freight_usd_t": freight,
                         "fob_and_other_usd_t": rest})
    return pd.DataFrame(rows)


@CLAIMS.register("pricing.primary_balance_fit_mean_pct")
def _primary_fit_mean() -> float:
    """The mean fit of the primary-aluminium pairs the report names (the claim calls 56.25 % the mean)."""
    s = fit_summary(catalogue.load("pricing-balance-price-fit"))
    return float(s.loc[s.balance_metal == "primary aluminium", "mean_of_named_pairs_pct"].iloc[0])


@CLAIMS.register("pricing.price_floor_at_cost_top_2023_cny_t")
def _floor_at_cost_top() -> float:
    """The top of the deck's 2023 cost range, which the claim says the 17,500 CNY/t floor sits at."""
    return float(fact("smelting.theoretical_cost_range_2023_cny_t").high)


def ordered_cut_kt(first_month: str = "2021-05", last_month: str = "2021-11", table: pd.DataFrame | None = None) -> float:
    """China's net change in running smelter capacity over the months given (kt, a cut negative), from
    the provincial table's ``Total`` rows (guohai2024): the 2021 crunch's cuts, ordered by provinces
    under the energy-consumption controls, by default."""
    t = catalogue.load("smelting-running-capacity-change-by-province") if table is None else table
    total = t[(t["province"] == "Total") & (t["month"].astype(str) >= first_month) & (t["month"].astype(str) <= last_month)]
    if total.empty:
        raise ValueError(f"ordered_cut_kt: no Total rows from {first_month} to {last_month}")
    return float(total["change_kt"].sum())
