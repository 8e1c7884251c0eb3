"""The pricing chapter: price ranges against the cost band, the reports' trading rules, fit rates.

The trading-rule engine itself is general and lives in :mod:`aluminium.stages.backtest`; the World
Bank price workbook loader in :mod:`aluminium.data.worldbank`. This module holds the chapter's
parameters and the models that read the reports' own numbers (facts and tables).
"""
from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd

from aluminium.calc import require_columns
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue, ecbfx, worldbank
from aluminium.data.facts import fact
from aluminium.links import Defaults, Link, Output
from aluminium.parameter import Param, find
from aluminium.stages import alumina, backtest, bauxite, demand, macro, smelting
from aluminium.words import KeyPoint, Values, balance_words, fmt, fmt_range, month_words, window_state

CLAIMS = ClaimRegistry()  # this stage's claim recomputations, read by the audit

# -- the book's own price model: calibration of the balance response --------------------------
# The price sits between a cost floor (a percentile of China's cash-cost curve) and import parity,
# at a weight w = 1 / (1 + exp(−(t − midpoint) / scale)) of the balance's tightness t (deficit as
# % of demand). Calibrated on the years where the book holds Guohai's China balance, a full year
# of World Bank LME prices and the ECB's dated exchange rate; the floor of a past year is a cost
# proxy (below) raised to the percentile the chain uses.
CALIBRATION_COST_FACT = "smelting.cost_current_jan2024_cny_t"  # 16,000 CNY/t, jianghai2024
CALIBRATION_POWER_SHARE_FACT = "smelting.cost_share_power_pct_jianghai2024"  # 30–35 %
CALIBRATION_COAL_REFERENCE_YEAR = 2023  # the coal year behind the Jan 2024 cost point
# Where the history cannot pin how fast the price climbs from floor to parity, the structural
# scale: ASSUMPTION, 1.5 % of demand (range 0.75–3 %). A swing of the balance of two scales (3 %
# of demand, about 1.4 Mt in 2026, two weeks of consumption) moves the price about half of the
# floor-to-parity gap, the order of Q1 2020 when a stock build of that size cut Shanghai by about
# a fifth within the quarter (the pricing chapter's episodes table).
STRUCTURAL_SCALE_PCT = 1.5
STRUCTURAL_SCALE_RANGE_PCT = (0.75, 3.0)
SCALE_BOUNDS_PCT = (0.2, 10.0)  # the declared range of pricing.balance_scale_pct
WEIGHT_CLIP = (0.02, 0.98)  # a year at or beyond a bound says "at the bound", not "infinitely far"


def cost_proxy_cny_t(coal_usd_t, coal_reference_usd_t: float, cost_reference_cny_t: float,
                     power_share_pct: float):
    """A past year's average smelting cost: the reference cost with its power part moved by the coal price.

    cost = reference × (1 − power share + power share × coal / reference coal). Alumina, anode
    and other costs are held at the reference, so a year of dear alumina is understated.
    """
    share = power_share_pct / 100
    return cost_reference_cny_t * (1 - share + share * np.asarray(coal_usd_t, dtype=float) / coal_reference_usd_t)


@functools.lru_cache(maxsize=4)
def floor_to_average(percentile_pct: float = 90.0) -> float:
    """The cost floor (the percentile plant of China's cost curve) over the average cash cost, at the
    chain's default inputs: what turns a past year's average-cost proxy into a floor proxy."""
    values = Defaults(p for m in (macro, bauxite, alumina, smelting, demand) for p in m.PARAMETERS)
    out: dict = {}
    for link in (*smelting.LINKS[:1], *bauxite.LINKS, *alumina.LINKS, *smelting.LINKS[1:]):
        out.update(link.fn(values, out))
    costs = np.array([[float(np.asarray(c)) for c in out["_block_costs"]]])
    caps = np.array([[float(np.asarray(c)) for c in out["_block_caps"]]])
    floor, _ = smelting.marginal_cost(costs, caps, percentile_pct / 100 * caps.sum(),
                                      values["smelting.block_cost_spread_pct"])
    return float(floor[0]) / float(np.asarray(out["smelting.modelled_cash_cost_cny_t"]))


def _default(name: str):
    """A macro parameter's declared default (the calibration is set on the defaults)."""
    return find(macro.PARAMETERS, name).default()


def calibration_table(prices: pd.DataFrame | None = None, balance: pd.DataFrame | None = None,
                      fx: pd.Series | None = None, percentile_pct: float = 90.0) -> pd.DataFrame:
    """One row per year with a China balance, a full year of LME prices and of exchange rates.

    Columns: ``year``, ``lme_usd_t`` (annual average, World Bank), ``usd_cny`` (annual average, ECB),
    ``actual_cny_t`` (LME × CNY/USD × 1.13: the Shanghai-equivalent price at a basis of one),
    ``parity_cny_t`` (import parity at the default premium and fees), ``ceiling_cny_t`` (parity + the
    most the window opens), ``coal_usd_t``,
    ``cost_proxy_cny_t`` (average cost), ``floor_cny_t`` (the proxy at the chain's percentile),
    ``balance_kt``, ``demand_kt``, ``tightness_pct`` (deficit as % of demand, a surplus negative),
    ``implied_weight`` (where the actual price sat between floor and ceiling, clipped to 0.02–0.98),
    ``estimate`` (Guohai's 2024 is an estimate).
    """
    prices = worldbank.monthly_prices() if prices is None else prices
    balance = catalogue.load("demand-china-primary-balance") if balance is None else balance
    fx = ecbfx.monthly_cny_per_usd() if fx is None else fx
    lme = worldbank.annual_average(prices["Aluminum"])
    coal = worldbank.annual_average(prices["Coal, Australian"])
    rate = worldbank.annual_average(fx)
    if CALIBRATION_COAL_REFERENCE_YEAR not in coal.index:
        raise ValueError(f"calibration: no full year of coal prices for {CALIBRATION_COAL_REFERENCE_YEAR}")
    b = balance.set_index("year")
    years = [y for y in b.index if y in lme.index and y in coal.index and y in rate.index]
    if len(years) < 3:
        raise ValueError(f"calibration: only {len(years)} year(s) with a balance and full years of prices and rates")
    out = pd.DataFrame({"year": years, "lme_usd_t": lme[years].to_numpy(), "usd_cny": rate[years].to_numpy(),
                        "coal_usd_t": coal[years].to_numpy(), "balance_kt": b.loc[years, "balance_kt"].to_numpy(),
                        "demand_kt": b.loc[years, "demand_kt"].to_numpy(), "estimate": b.loc[years, "estimate"].to_numpy()})
    vat = _default("macro.vat_pct")
    out["actual_cny_t"] = out["lme_usd_t"] * out["usd_cny"] * (1 + vat / 100)
    out["parity_cny_t"] = macro.import_parity_cny_t(out["lme_usd_t"].to_numpy(), out["usd_cny"].to_numpy(), vat, 0.0,
                                              _default("macro.import_premium_usd_t"),
                                              _default("macro.import_fees_cny_t"))
    out["cost_proxy_cny_t"] = cost_proxy_cny_t(out["coal_usd_t"], float(coal[CALIBRATION_COAL_REFERENCE_YEAR]),
                                               fact(CALIBRATION_COST_FACT).value,
                                               fact(CALIBRATION_POWER_SHARE_FACT).central)
    out["floor_cny_t"] = out["cost_proxy_cny_t"] * floor_to_average(percentile_pct)
    out["ceiling_cny_t"] = out["parity_cny_t"] + _default("macro.window_open_max_cny_t")
    out["tightness_pct"] = -out["balance_kt"] / out["demand_kt"] * 100
    gap = out["ceiling_cny_t"] - out["floor_cny_t"]
    out["implied_weight"] = np.clip((out["actual_cny_t"] - out["floor_cny_t"]) / gap.where(gap > 0), *WEIGHT_CLIP)
    out["implied_weight"] = out["implied_weight"].fillna(WEIGHT_CLIP[1])  # parity at or below the floor: at the top
    return out


def _logit(w):
    w = np.asarray(w, dtype=float)
    return np.log(w / (1 - w))


def fit_balance_response(tightness_pct, implied_weight) -> dict:
    """The balance response fitted on history: logit(weight) = (tightness − midpoint) / scale.

    Least squares of logit(weight) on tightness. If the slope is positive (a tighter market, a
    price nearer parity) and its scale (1 / slope) lies within ``SCALE_BOUNDS_PCT``, the data set
    both coefficients (``pinned_by_data``); otherwise the scale is
    the structural value and only the midpoint is fitted, as the mean of t − scale × logit(w).
    Returns ``midpoint_pct``, ``scale_pct``, ``data_slope`` (per % of demand, what the data alone
    say) and ``pinned_by_data``.
    """
    x, y = np.asarray(tightness_pct, dtype=float), _logit(implied_weight)
    if x.size < 2:
        raise ValueError("fit_balance_response: need at least two years")
    slope = float(np.polyfit(x, y, 1)[0]) if np.ptp(x) > 0 else 0.0
    # The data pin the scale only with the right sign and a scale inside the parameter's declared
    # range (a nearly flat slope is no evidence of a response, it is noise).
    if slope > 0 and SCALE_BOUNDS_PCT[0] <= 1 / slope <= SCALE_BOUNDS_PCT[1]:
        intercept = float(y.mean() - slope * x.mean())
        return {"midpoint_pct": -intercept / slope, "scale_pct": 1 / slope, "data_slope": slope, "pinned_by_data": True}
    scale = STRUCTURAL_SCALE_PCT
    return {"midpoint_pct": float((x - scale * y).mean()), "scale_pct": scale, "data_slope": slope,
            "pinned_by_data": False}


def modelled_price_cny_t(floor, ceiling, tightness_pct, midpoint_pct, scale_pct):
    """The price model on its own: the floor raised toward the ceiling by the balance (the chain's formula)."""
    return price_in_band(np.asarray(floor, dtype=float), np.asarray(ceiling, dtype=float),
                         balance_weight(tightness_pct, midpoint_pct, scale_pct))


def backtest_price_model(table: pd.DataFrame) -> pd.DataFrame:
    """Leave-one-year-out backtest: each year's price from a response fitted on the other years.

    Adds ``modelled_cny_t`` (out of sample), ``error_pct`` ((modelled − actual) ÷ actual × 100)
    and ``in_sample_cny_t`` (the response fitted on all years).
    """
    out = table.copy()
    full = fit_balance_response(out["tightness_pct"], out["implied_weight"])
    modelled = []
    for i in range(len(out)):
        rest = out.drop(index=out.index[i])
        f = fit_balance_response(rest["tightness_pct"], rest["implied_weight"])
        row = out.iloc[i]
        modelled.append(float(modelled_price_cny_t(row["floor_cny_t"], row["ceiling_cny_t"], row["tightness_pct"],
                                                   f["midpoint_pct"], f["scale_pct"])))
    out["modelled_cny_t"] = modelled
    out["in_sample_cny_t"] = modelled_price_cny_t(out["floor_cny_t"], out["ceiling_cny_t"], out["tightness_pct"],
                                                  full["midpoint_pct"], full["scale_pct"])
    out["error_pct"] = (out["modelled_cny_t"] - out["actual_cny_t"]) / out["actual_cny_t"] * 100
    return out


def naive_benchmarks(table: pd.DataFrame) -> pd.DataFrame:
    """The back-test's naive benchmarks beside the model, one row per year.

    Adds ``ratio_cny_t`` (a constant ratio of price to import ceiling, the mean ratio of the other
    years, times the year's ceiling: leave-one-year-out like the model), ``ratio_error_pct``,
    ``identity_cny_t`` (LME × CNY/USD × 1.13, the year's own LME and rate) and ``identity_error_pct``.
    The actual price is itself LME × CNY/USD × 1.13, so the identity misses by nothing: every
    error here takes the year's LME and exchange rate as known.
    """
    out = table.copy()
    ratio = (out["actual_cny_t"] / out["ceiling_cny_t"]).to_numpy()
    rest_mean = (ratio.sum() - ratio) / (len(ratio) - 1)
    out["ratio_cny_t"] = rest_mean * out["ceiling_cny_t"].to_numpy()
    out["ratio_error_pct"] = (out["ratio_cny_t"] - out["actual_cny_t"]) / out["actual_cny_t"] * 100
    out["identity_cny_t"] = out["lme_usd_t"] * out["usd_cny"] * (1 + _default("macro.vat_pct") / 100)
    out["identity_error_pct"] = (out["identity_cny_t"] - out["actual_cny_t"]) / out["actual_cny_t"] * 100
    return out


# The LME and exchange-rate swings the history holds: year-on-year changes of the annual averages
# from the first year of guohai2024's price review (§4.1 covers 2012–2023) to the last full year.
SWING_FIRST_YEAR = 2012


def history_swings(prices: pd.DataFrame | None = None, fx: pd.Series | None = None,
                   first_year: int = SWING_FIRST_YEAR) -> dict:
    """The largest year-on-year fall and rise of LME × CNY/USD (annual averages, World Bank and ECB).

    Returns ``fall_year``/``rise_year`` (the year of the change), ``fall_pct``/``rise_pct`` (the
    change of LME × CNY/USD, %), ``lme_fall_pct``/``lme_rise_pct`` and ``fx_fall_pct``/
    ``fx_rise_pct`` (the LME's and the rate's own changes in those same years, so a swing is one
    year's joint move, not two extremes from different years), and ``years`` (first, last).
    """
    prices = worldbank.monthly_prices() if prices is None else prices
    fx = ecbfx.monthly_cny_per_usd() if fx is None else fx
    lme = worldbank.annual_average(prices["Aluminum"])
    rate = worldbank.annual_average(fx)
    years = [y for y in lme.index if y in rate.index and y >= first_year]
    if len(years) < 3:
        raise ValueError(f"history_swings: only {len(years)} full year(s) of LME and exchange rate from {first_year}")
    d = pd.DataFrame({"lme": lme[years].astype(float).to_numpy(), "fx": rate[years].astype(float).to_numpy()},
                     index=years)
    ch = pd.DataFrame({"lme": d["lme"].pct_change() * 100, "fx": d["fx"].pct_change() * 100,
                       "both": (d["lme"] * d["fx"]).pct_change() * 100}).dropna()
    lo, hi = ch["both"].idxmin(), ch["both"].idxmax()
    return {"fall_year": int(lo), "rise_year": int(hi), "fall_pct": float(ch.loc[lo, "both"]),
            "rise_pct": float(ch.loc[hi, "both"]), "lme_fall_pct": float(ch.loc[lo, "lme"]),
            "lme_rise_pct": float(ch.loc[hi, "lme"]), "fx_fall_pct": float(ch.loc[lo, "fx"]),
            "fx_rise_pct": float(ch.loc[hi, "fx"]), "years": (int(years[0]), int(years[-1]))}


def swing_band_pct(fall_pct: float, rise_pct: float, error_pct: float) -> tuple[float, float]:
    """A price range (%) from the history's worst and best year for LME × CNY/USD and the model's error:
    low = (1 + fall)(1 − error) − 1, high = (1 + rise)(1 + error) − 1."""
    if error_pct < 0:
        raise ValueError(f"swing_band_pct: the error must be a size (>= 0), got {error_pct}")
    return ((1 + fall_pct / 100) * (1 - error_pct / 100) - 1) * 100, ((1 + rise_pct / 100) * (1 + error_pct / 100) - 1) * 100


@functools.lru_cache(maxsize=1)
def calibration() -> dict:
    """The response fitted on every year, the out-of-sample errors beside the naive benchmarks', and
    the price range (%) that the history's LME and exchange-rate swings and the model's error give."""
    bt = naive_benchmarks(backtest_price_model(calibration_table()))
    fit = fit_balance_response(bt["tightness_pct"], bt["implied_weight"])
    mae = float(bt["error_pct"].abs().mean())
    swings = history_swings()
    low, high = swing_band_pct(swings["fall_pct"], swings["rise_pct"], mae)
    return {**fit, "mae_pct": mae,
            "in_sample_mae_pct": float(((bt["in_sample_cny_t"] - bt["actual_cny_t"]).abs() / bt["actual_cny_t"]).mean() * 100),
            "ratio_mae_pct": float(bt["ratio_error_pct"].abs().mean()),
            "identity_mae_pct": float(bt["identity_error_pct"].abs().mean()),
            "band_low_pct": low, "band_high_pct": high, "swings": swings,
            "years": [int(y) for y in bt["year"]]}


_CALIBRATED = ("Calibrated on guohai2024's China balance, 2017–2024E, against the Shanghai-equivalent LME price "
               "(World Bank annual average × the ECB's CNY/USD of the year × 1.13 VAT), with a floor proxy (the Jan "
               "2024 cost of 16,000 CNY/t, jianghai2024, its power part moved by coal, raised to the floor percentile)")


PARAMETERS: list[Param] = [
    Param(name="pricing.floor_percentile_pct", type="float", unit="%",
          description="Percentile of China's cash-cost curve (by output) that sets the cost floor",
          value=90.0, origin="ASSUMPTION: the 90th-percentile cash cost is the level analysts watch as cost "
                             "support: below it a tenth of output loses cash and curtails; range 75–100 %",
          minimum=50.0, maximum=100.0),
    Param(name="pricing.balance_midpoint_pct", type="float", unit="% of demand",
          description="Tightness (deficit as % of demand) at which the price sits half-way from floor to import parity",
          derive=lambda: calibration()["midpoint_pct"], origin=_CALIBRATED, minimum=-20.0, maximum=20.0),
    Param(name="pricing.balance_scale_pct", type="float", unit="% of demand",
          description="How fast the price moves from floor to parity as the balance tightens (logistic scale)",
          derive=lambda: calibration()["scale_pct"],
          origin=(f"Structural where the history cannot pin it: ASSUMPTION {STRUCTURAL_SCALE_PCT} % of demand "
                  f"(range {STRUCTURAL_SCALE_RANGE_PCT[0]}–{STRUCTURAL_SCALE_RANGE_PCT[1]} %), set so that a two-week "
                  "swing of the balance moves the price half-way across the floor-to-parity gap, as in Q1 2020; "
                  "fitted instead when the history gives a positive slope"),
          minimum=SCALE_BOUNDS_PCT[0], maximum=SCALE_BOUNDS_PCT[1]),
    Param(name="pricing.price_band_low_pct", type="float", unit="%",
          description="Low end of the modelled price range: the history's worst year for LME × CNY/USD and the "
                      "model's mean error",
          derive=lambda: calibration()["band_low_pct"],
          origin=(f"World Bank LME and ECB CNY/USD, annual averages from {SWING_FIRST_YEAR}: the largest year-on-year "
                  "fall of LME × CNY/USD, compounded with the price model's leave-one-year-out mean absolute error "
                  "(2017–2024E)"), minimum=-90, maximum=0),
    Param(name="pricing.price_band_high_pct", type="float", unit="%",
          description="High end of the modelled price range: the history's best year for LME × CNY/USD and the "
                      "model's mean error",
          derive=lambda: calibration()["band_high_pct"],
          origin=(f"World Bank LME and ECB CNY/USD, annual averages from {SWING_FIRST_YEAR}: the largest year-on-year "
                  "rise of LME × CNY/USD, compounded with the price model's leave-one-year-out mean absolute error "
                  "(2017–2024E)"), minimum=0, maximum=300),
    Param(name="pricing.margin_threshold_cny_t", type="float", unit="CNY/t",
          description="Smelting margin above which the profit rule buys aluminium",
          fact="pricing.profit_strategy_buy_threshold_cny_t", minimum=-10000, maximum=20000),
    Param(name="pricing.worldbank_file", type="path", unit="file",
          description="The World Bank monthly commodity price workbook (CMO-Historical-Data-Monthly.xlsx); "
                      "empty for none",
          value="",
          origin="None: the chapter reads the World Bank extract that ships with the book "
                 "(pricing/worldbank_monthly.csv), refreshed with `aluminium data add-worldbank FILE.xlsx`; "
                 "a workbook given here is read instead for one build"),
    Param(name="pricing.momentum_lookback_months", type="int", unit="months",
          description="Look-back of the price-only momentum rule run on the World Bank series",
          value=12, origin="Project choice, not from the reports: the usual twelve-month window of "
                           "time-series momentum; the reports give no price-only rule.", minimum=1, maximum=60),
    Param(name="pricing.backtest_start_month", type="str", unit="YYYY-MM",
          description="First month of the price-only backtests on the World Bank series",
          value="2012-01", origin="The first year of guohai2024's price review (§4.1 covers 2012–2023)."),
    Param(name="pricing.trading_cost_pct", type="float", unit="% of price per unit traded",
          description="Cost of each change of position in the price-only backtests (fees and slippage)",
          value=0.05, origin="ASSUMPTION (no report gives trading costs): about one Shanghai tick (5 CNY/t) of "
                             "slippage plus exchange fees on a price near 20,000 CNY/t, rounded up",
          minimum=0, maximum=5),
]

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


# -- alumina and bauxite pricing (models from the alumina and bauxite chapters) ---------------
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


# -- in the chain: China's market, the Shanghai price and the window ----------------------------
def balance_weight(tightness_pct, midpoint_pct, scale_pct):
    """Where the price sits between the cost floor (0) and import parity (1): a logistic in the
    balance's tightness (deficit as % of demand; a surplus is negative), ``1 / (1 + exp(−(t − mid) / scale))``."""
    z = (np.asarray(tightness_pct, dtype=float) - midpoint_pct) / np.maximum(scale_pct, 1e-9)
    return 1 / (1 + np.exp(-np.clip(z, -50, 50)))


def price_in_band(floor_cny_t, ceiling_cny_t, weight):
    """The Shanghai price: the cost floor, raised toward the import ceiling by the balance weight (0–1).

    The ceiling is import parity plus the most the window opens before imports flood in; where the
    floor is above it (China's cost above world parity), the ceiling wins and the dear plants curtail."""
    low = np.minimum(floor_cny_t, ceiling_cny_t)
    return low + (ceiling_cny_t - low) * weight


# The market's price solves price = band(price). The excess price − band(price) is below zero at a
# price of 0 (the band never falls below the lower of floor and ceiling) and at least zero at the
# import ceiling (the band never rises above it), so bisection on [0, ceiling] always closes on a
# point where it turns, even where a steep balance response made the damped iteration this replaces
# cycle (it did, for about one draw in thirty inside the sweep's ranges). A higher price curtails
# fewer plants and opens the window to imports, so the balance loosens and the band falls: the
# excess rises with the price except where the cost floor climbs with the output, and where the
# floor jumps from one block to the next the price settles at the jump (the marginal block sets
# it). 44 halvings leave an interval of a few billionths of a CNY/t at any ceiling the declared
# ranges allow; the count is fixed, so one run and a sweep's row agree to the last digit.
MARKET_BISECTIONS = 44


def market(v, o) -> dict:
    """China's market in the outlook year: output, trade, balance, the Shanghai price and the window.

    One price view. The LME price in force and the dated exchange rate give import parity,
    ``(LME + premium) × CNY/USD × (1 + duty) × (1 + VAT) + fees``. The Shanghai price sits between
    a cost floor (the plant at ``pricing.floor_percentile_pct`` of China's cash-cost curve at the
    output the market runs) and an import ceiling (parity + ``macro.window_open_max_cny_t``):
    ``floor + (ceiling − floor) × w`` (:func:`price_in_band`), with ``w`` a
    logistic in the balance's tightness (:func:`balance_weight`). A surplus pulls it down to the
    floor, a deficit up toward parity, in both directions. The balance answers back:

    - smelters whose cash cost is above the price curtail (``smelting.curtailment_response_pct`` of
      the plants under water), the south-west having already lost its drought tonnes;
    - net primary imports follow the window (Shanghai − parity) around the window of a basis of
      one (Shanghai = LME × CNY/USD × 1.13, as on average in 2024), never below the contracted floor;
    - net exports of semis and products rise as Shanghai falls further below parity.

    Solved by bisection on whole arrays (see ``MARKET_BISECTIONS``). The Shanghai/LME basis, Shanghai ÷ (LME × CNY/USD
    × (1 + VAT)), is reported: it ties the two prices of the one view.
    """
    demand_kt, potential = o["demand.demand_2026_kt"], o["smelting.potential_output_2026_kt"]
    lme, fx, vat = v["macro.lme_price_usd_t"], v["macro.usd_cny"], v["macro.vat_pct"]
    duty, premium, fees = v["macro.import_duty_pct"], v["macro.import_premium_usd_t"], v["macro.import_fees_cny_t"]
    parity = macro.import_parity_cny_t(lme, fx, vat, duty, premium, fees)
    spread, response = v["smelting.block_cost_spread_pct"], v["smelting.curtailment_response_pct"]
    ref, resp, floor_kt = v["demand.net_imports_kt"], v["macro.import_response_kt_per_kcny_t"], v["macro.net_imports_floor_kt"]
    x_resp = v["demand.semis_export_response_kt_per_kcny_t"]
    mid, scale = v["pricing.balance_midpoint_pct"], v["pricing.balance_scale_pct"]
    open_max, percentile = v["macro.window_open_max_cny_t"], v["pricing.floor_percentile_pct"]
    band_low, band_high = v["pricing.price_band_low_pct"], v["pricing.price_band_high_pct"]
    pin = v.get("macro.shanghai_price_cny_t")
    # Any input may be an array of runs (a sweep): the market runs as many as the longest.
    n = max(np.size(x) for x in [potential, demand_kt, parity, *o["_block_costs"], *o["_block_caps"], lme, fx, vat,
                                 duty, premium, fees, spread, response, ref, resp, floor_kt, x_resp, mid, scale,
                                 open_max, percentile, band_low, band_high, pin])
    costs = np.column_stack([np.broadcast_to(np.asarray(c, dtype=float), (n,)) for c in o["_block_costs"]])
    caps = np.column_stack([np.broadcast_to(np.asarray(c, dtype=float), (n,)) for c in o["_block_caps"]])
    # The blocks at the output the cap and utilisation allow; the drought's tonnes come out of the
    # south-west hydro block (the first).
    caps = caps * (np.broadcast_to(potential + o["smelting.drought_cut_kt"], (n,))
                   / np.maximum(caps.sum(axis=1), 1e-9))[:, None]
    caps[:, 0] = np.maximum(caps[:, 0] - np.broadcast_to(o["smelting.drought_cut_kt"], (n,)), 0)
    # The window at a basis of one: what 2024's net imports came with.
    window_ref = lme * fx * (1 + vat / 100) - parity
    ceiling = parity + open_max
    pctl = np.asarray(percentile, dtype=float) / 100
    # Sorted once (the block costs do not change inside the market), cheapest first.
    order = np.argsort(costs, axis=1, kind="stable")
    costs, caps = np.take_along_axis(costs, order, axis=1), np.take_along_axis(caps, order, axis=1)

    def band(price):
        """The market at a price: the plants that run, trade, the balance, and the band's price."""
        running = caps * (1 - smelting.curtailed_share(costs, price, spread, response))
        output = running.sum(axis=1)
        floor, block = smelting.marginal_cost_sorted(costs, running, pctl * output, spread)
        shanghai = price if pin is None else np.broadcast_to(np.asarray(pin, dtype=float), (n,))
        window = shanghai - parity
        net_imports = np.maximum(ref + resp * (window - window_ref) / 1000, floor_kt)
        semis = -x_resp * (window - window_ref) / 1000
        balance = output + net_imports - semis - demand_kt
        tightness = -balance / demand_kt * 100
        weight = balance_weight(tightness, mid, scale)
        return price_in_band(floor, ceiling, weight), (output, floor, block, net_imports, semis, balance,
                                                       tightness, weight)

    low = np.zeros(n)
    high = np.broadcast_to(np.asarray(ceiling, dtype=float), (n,)).copy()
    for _ in range(MARKET_BISECTIONS):
        middle = 0.5 * (low + high)
        above = middle >= band(middle)[0]  # the price is at or above its fixed point
        high = np.where(above, middle, high)
        low = np.where(above, low, middle)
    price = high
    _, (output, floor, block, net_imports, semis, balance, tightness, weight) = band(price)
    block = order[np.arange(n), block]
    shanghai = price if pin is None else np.broadcast_to(np.asarray(pin, dtype=float), (n,))
    window = shanghai - parity
    basis = shanghai / (lme * fx * (1 + vat / 100))
    return {"smelting.output_2026_kt": output, "smelting.curtailed_kt": np.broadcast_to(potential, (n,)) - output,
            "demand.net_imports_2026_kt": net_imports, "demand.semis_exports_change_kt": semis,
            "demand.balance_2026_kt": balance, "pricing.tightness_pct": tightness, "pricing.balance_weight": weight,
            "pricing.cost_floor_cny_t": floor, "pricing.marginal_block": block,
            "pricing.modelled_price_cny_t": price,
            "pricing.modelled_price_low_cny_t": price * (1 + band_low / 100),
            "pricing.modelled_price_high_cny_t": price * (1 + band_high / 100),
            "pricing.modelled_margin_cny_t": price - o["smelting.modelled_cash_cost_cny_t"],
            "pricing.shanghai_lme_basis": basis,
            "macro.import_parity_cny_t": parity, "macro.import_window_cny_t": window}



LINKS = (
    Link("market", "pricing", ("smelter output", "smelting cost", "china demand"), market,
         ("smelting.output_2026_kt", "smelting.curtailed_kt", "demand.net_imports_2026_kt", "demand.semis_exports_change_kt",
          "demand.balance_2026_kt", "pricing.tightness_pct", "pricing.balance_weight", "pricing.cost_floor_cny_t",
          "pricing.marginal_block", "pricing.modelled_price_cny_t", "pricing.modelled_price_low_cny_t",
          "pricing.modelled_price_high_cny_t", "pricing.modelled_margin_cny_t", "pricing.shanghai_lme_basis",
          "macro.import_parity_cny_t", "macro.import_window_cny_t")),
)

OUTPUTS = (
    Output("pricing.tightness_pct", "% of demand", "Tightness of China's balance, 2026 (deficit as % of demand)"),
    Output("pricing.balance_weight", "fraction", "Where the price sits between cost floor (0) and import parity (1)"),
    Output("pricing.cost_floor_cny_t", "CNY/t", "Cost floor: the percentile plant of China's cash-cost curve"),
    Output("pricing.modelled_price_cny_t", "CNY/t", "The book's modelled Shanghai aluminium price, 2026"),
    Output("pricing.modelled_price_low_cny_t", "CNY/t", "Modelled price, low end (backtest errors)"),
    Output("pricing.modelled_price_high_cny_t", "CNY/t", "Modelled price, high end (backtest errors)"),
    Output("pricing.modelled_margin_cny_t", "CNY/t", "Smelting margin at the modelled price"),
    Output("pricing.shanghai_lme_basis", "ratio", "Shanghai ÷ (LME × CNY/USD × 1.13): the basis tying the two prices"),
)


# -- claims ------------------------------------------------------------------------------------
@CLAIMS.register("pricing.primary_balance_fit_mean_pct")
def _primary_fit_mean() -> float:
    """The mean fit of the primary-aluminium pairs the report names (the claim calls 56.25 % the mean)."""
    s = fit_summary(catalogue.load("pricing-balance-price-fit"))
    return float(s.loc[s.balance_metal == "primary aluminium", "mean_of_named_pairs_pct"].iloc[0])


@CLAIMS.register("pricing.price_floor_at_cost_top_2023_cny_t")
def _floor_at_cost_top() -> float:
    """The top of the deck's 2023 cost range, which the claim says the 17,500 CNY/t floor sits at."""
    return float(fact("smelting.theoretical_cost_range_2023_cny_t").high)


# -- the power shock: what the scenario does and does not include ---------------------------------
def ordered_cut_kt(first_month: str = "2021-05", last_month: str = "2021-11", table: pd.DataFrame | None = None) -> float:
    """China's net change in running smelter capacity over the months given (kt, a cut negative), from
    the provincial table's ``Total`` rows (guohai2024): the 2021 crunch's cuts, ordered by provinces
    under the energy-consumption controls, by default."""
    t = catalogue.load("smelting-running-capacity-change-by-province") if table is None else table
    total = t[(t["province"] == "Total") & (t["month"].astype(str) >= first_month) & (t["month"].astype(str) <= last_month)]
    if total.empty:
        raise ValueError(f"ordered_cut_kt: no Total rows from {first_month} to {last_month}")
    return float(total["change_kt"].sum())


def shanghai_equivalent_monthly() -> pd.Series:
    """LME × the ECB's CNY/USD of the month × 1.13 (CNY/t): Shanghai terms at a basis of one."""
    lme = worldbank.monthly_prices()["Aluminum"].dropna()
    fx = ecbfx.monthly_cny_per_usd()
    both = lme.index.intersection(fx.index)
    return lme[both] * fx[both] * (1 + _default("macro.vat_pct") / 100)


# -- key points: what the chapter concludes, chosen by its numbers ---------------------------------
def _worldbank_months(v: Values) -> tuple[str, str]:
    """The months of the latest and of the highest monthly LME price in the series the build read."""
    s = worldbank.monthly_prices(v.get("pricing.worldbank_file", "") or "")["Aluminum"].dropna()
    return str(s.index[-1]), str(s.idxmax())


def key_points(v: Values) -> list[KeyPoint]:
    best, years = v["pricing.fit_rate_primary_max_pct"], v["pricing.fit_rate_implied_years"]
    matched = v["pricing.fit_rate_primary_max_years"]
    end_use = v["pricing.fit_rate_end_use_pct"]
    coin = ", little better than a coin toss" if best < 65 else ""
    fit = (f"**{'Balances are a poor guide' if best < 65 else 'Balances are a fair guide'} to the price's direction.** "
           f"The best primary-aluminium balance matched the direction of the price in {fmt(matched)} of {fmt(years)} "
           f"years ({fmt(best, '%')}){coin}; the growth of end uses did {'better' if end_use > best else 'no better'}, "
           f"at {fmt(end_use, '%')}.")
    gap = v["pricing.floor_over_cost_top_2023_cny_t"]
    floor = v["pricing.price_floor_2023_cny_t"]
    lead23 = "**Even the 2023 low cleared cost.**" if gap > 0 else "**The 2023 low fell below cost.**"
    margin23 = (f"{lead23} The Shanghai price never fell below {fmt(floor, 'CNY/t')}, "
                + (f"{fmt(gap, 'CNY/t')} above the top of the deck's cost range"
                   if gap > 0 else f"{fmt(-gap, 'CNY/t')} below the top of the deck's cost range") +
                f"; in the middle of both ranges smelters earned about {fmt(v['pricing.margin_mid_2023_cny_t'], 'CNY/t')}.")
    profit, cost26 = v["pricing.smelter_profit_2025_cny_t"], v["pricing.cost_mid_2026e_cny_t"]
    mid23 = v["pricing.margin_mid_2023_cny_t"]
    wider = (f"**Margins {'widened' if profit > mid23 else 'narrowed'} after 2023.** By December 2025 the average "
             f"smelter earned about {fmt(profit, 'CNY/t')}, {fmt(abs(profit - mid23), 'CNY/t')} "
             f"{'more' if profit > mid23 else 'less'} than in the middle of the 2023 ranges, and Zijin centres the "
             f"2026 cost band on {fmt(cost26, 'CNY/t')}.")
    points = [KeyPoint("pricing", fit, "pricing-fit-rate", headline="pricing.modelled_price_cny_t" not in v),
              KeyPoint("pricing", margin23, "pricing-price-vs-cost"),
              KeyPoint("pricing", wider, "pricing-price-vs-cost")]
    if "pricing.modelled_price_cny_t" in v:
        price, floor = v["pricing.modelled_price_cny_t"], v["pricing.cost_floor_cny_t"]
        low, high = v["pricing.modelled_price_low_cny_t"], v["pricing.modelled_price_high_cny_t"]
        margin = v["pricing.modelled_margin_cny_t"]
        # The view's LME and rate: recorded by the pricing chapter, or the parameters in force.
        lme = v["pricing.view_lme_usd_t"] if "pricing.view_lme_usd_t" in v else v["macro.lme_price_usd_t"]
        fx = v["pricing.view_usd_cny"] if "pricing.view_usd_cny" in v else v["macro.usd_cny"]
        parity, window = v["macro.import_parity_cny_t"], v["macro.import_window_cny_t"]
        since = calibration()["swings"]["years"][0] + 1

        # One range: the outlook's (bear to bull, with the model's error) when the chapter recorded it,
        # else the chain's own band (the history's LME and rate swings and the model's error).
        if "pricing.outlook_low_cny_t" in v and "pricing.outlook_high_cny_t" in v:
            low, high = v["pricing.outlook_low_cny_t"], v["pricing.outlook_high_cny_t"]
            span = (f"from a bear case (demand slowdown, LME and yuan as in their worst year since {since}) to a bull case "
                    "(drought, as in their best year), widened by the model's mean back-test error")
        else:
            span = (f"if the LME and the yuan swing as in their worst and best years since {since}, widened by the "
                    "model's mean back-test error")
        points.insert(0, KeyPoint("pricing", (
            f"**The book's model puts Shanghai aluminium at {fmt(price, 'CNY/t')} in 2026 {macro.view_words(lme, fx)}** "
            f"(LME {fmt(lme, 'USD/t')}, {fmt(fx, 'CNY/USD', decimals=3)}), and at {fmt_range(low, high, 'CNY/t')} {span}. "
            f"The cost floor is {fmt(floor, 'CNY/t')} and import parity "
            f"{fmt(parity, 'CNY/t')}; {balance_words(v['demand.balance_2026_kt'])} in China's 2026 balance puts the price "
            f"{fmt(v['pricing.balance_weight'], 'fraction')} of the way from the floor to the import ceiling just above "
            f"parity, so the import window is {window_state(window)}. The average smelter "
            + (f"earns {fmt(margin, 'CNY/t')} over cash cost." if margin >= 0
               else f"loses {fmt(-margin, 'CNY/t')} in cash.")),
            "pricing-outlook", headline=True))
    if "pricing.wb_aluminium_latest_usd_t" in v and "pricing.wb_aluminium_max_usd_t" in v:
        latest, top = v["pricing.wb_aluminium_latest_usd_t"], v["pricing.wb_aluminium_max_usd_t"]
        when, peak = _worldbank_months(v)
        points.append(KeyPoint("pricing", (
            f"**In {month_words(when)}, the last month the book holds, the LME stood at {fmt(100 * latest / top, '%')} "
            f"of its monthly peak.** The World Bank's monthly average was {fmt(latest, 'USD/t')}, against a high of "
            f"{fmt(top, 'USD/t')} in {month_words(peak)}."), "pricing-history"))
    return points[:5]

