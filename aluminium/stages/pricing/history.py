"""The book's own price model calibrated on history: a past year's cost floor (a coal-moved cost
proxy raised to the floor percentile), the balance response fitted on Guohai's China balance
against the World Bank LME price and the ECB's exchange rate, its out-of-sample backtest beside
naive benchmarks, and the price range the history's LME and exchange-rate swings give.

Units: CNY/t and USD/t; tightness and errors in %.
"""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from aluminium.data import catalogue, ecbfx, worldbank
from aluminium.data.facts import fact
from aluminium.links import Defaults
from aluminium.parameter import find
from aluminium.stages import alumina, bauxite, demand, macro, smelting
from aluminium.stages.pricing.clearing import balance_weight, price_in_band

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


CALIBRATED_ORIGIN = ("Calibrated on guohai2024's China balance, 2017–2024E, against the Shanghai-equivalent LME price "
               "(World Bank annual average × the ECB's CNY/USD of the year × 1.13 VAT), with a floor proxy (the Jan "
               "2024 cost of 16,000 CNY/t, jianghai2024, its power part moved by coal, raised to the floor percentile)")


def shanghai_equivalent_monthly() -> pd.Series:
    """LME × the ECB's CNY/USD of the month × 1.13 (CNY/t): Shanghai terms at a basis of one."""
    lme = worldbank.monthly_prices()["Aluminum"].dropna()
    fx = ecbfx.monthly_cny_per_usd()
    both = lme.index.intersection(fx.index)
    return lme[both] * fx[both] * (1 + _default("macro.vat_pct") / 100)
