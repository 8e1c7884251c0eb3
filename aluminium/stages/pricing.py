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

from aluminium.audit import ClaimRegistry
from aluminium.params import Param
from aluminium.stages import backtest

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
    from aluminium import chain

    links = [link for link in chain.LINKS if link.name in ("smelter output", "bauxite stack", "alumina market",
                                                            "smelting cost")]
    values = chain.values_in_force(None, {p for link in links for p in link.reads} | {"smelting.block_cost_spread_pct"})
    out: dict = {}
    for link in links:
        out.update(link.fn(values, out))
    costs = np.array([[float(np.asarray(c)) for c in out["_block_costs"]]])
    caps = np.array([[float(np.asarray(c)) for c in out["_block_caps"]]])
    floor, _ = chain.marginal_cost(costs, caps, percentile_pct / 100 * caps.sum(), values["smelting.block_cost_spread_pct"])
    return float(floor[0]) / float(np.asarray(out["smelting.modelled_cash_cost_cny_t"]))


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
    from aluminium import params
    from aluminium.data import catalogue, ecbfx, worldbank
    from aluminium.data.facts import fact
    from aluminium.stages.macro import import_parity_cny_t

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
    vat = params.lookup("macro.vat_pct").default()
    out["actual_cny_t"] = out["lme_usd_t"] * out["usd_cny"] * (1 + vat / 100)
    out["parity_cny_t"] = import_parity_cny_t(out["lme_usd_t"].to_numpy(), out["usd_cny"].to_numpy(), vat, 0.0,
                                              params.lookup("macro.import_premium_usd_t").default(),
                                              params.lookup("macro.import_fees_cny_t").default())
    out["cost_proxy_cny_t"] = cost_proxy_cny_t(out["coal_usd_t"], float(coal[CALIBRATION_COAL_REFERENCE_YEAR]),
                                               fact(CALIBRATION_COST_FACT).value,
                                               fact(CALIBRATION_POWER_SHARE_FACT).central)
    out["floor_cny_t"] = out["cost_proxy_cny_t"] * floor_to_average(percentile_pct)
    out["ceiling_cny_t"] = out["parity_cny_t"] + params.lookup("macro.window_open_max_cny_t").default()
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
    from aluminium.chain import balance_weight, price_in_band

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
    from aluminium import params

    out = table.copy()
    ratio = (out["actual_cny_t"] / out["ceiling_cny_t"]).to_numpy()
    rest_mean = (ratio.sum() - ratio) / (len(ratio) - 1)
    out["ratio_cny_t"] = rest_mean * out["ceiling_cny_t"].to_numpy()
    out["ratio_error_pct"] = (out["ratio_cny_t"] - out["actual_cny_t"]) / out["actual_cny_t"] * 100
    out["identity_cny_t"] = out["lme_usd_t"] * out["usd_cny"] * (1 + params.lookup("macro.vat_pct").default() / 100)
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
    from aluminium.data import ecbfx, worldbank

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
    from aluminium.data.facts import fact

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
    need = {"balance_metal", "fit_pct"}
    if not need <= set(fit.columns):
        raise ValueError(f"expected columns {sorted(need)}")
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
    from aluminium.data import catalogue

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
    from aluminium.data.facts import fact
    from aluminium.stages.alumina import contract_price_cny_t

    if ratio_low_pct > ratio_high_pct:
        raise ValueError(f"ratio range is reversed: {ratio_low_pct}–{ratio_high_pct} %")
    rows = []
    for period, al_id, spot_id in cases:
        al, spot = fact(al_id).value, fact(spot_id).value
        lo, hi = contract_price_cny_t(al, ratio_low_pct), contract_price_cny_t(al, ratio_high_pct)
        rows.append({"period": period, "aluminium_cny_t": al, "contract_low_cny_t": lo, "contract_high_cny_t": hi,
                     "alumina_spot_cny_t": spot, "spot_minus_contract_mid_cny_t": spot - (lo + hi) / 2})
    return pd.DataFrame(rows)


def bauxite_cif_split(cif_usd_t: list[float], freight_share_pct: list[float]) -> pd.DataFrame:
    """Each CIF bauxite price (USD/t) split into freight and the rest at each freight share (%),
    with :func:`bauxite.split_cif`. Columns ``cif_usd_t``, ``freight_share_pct``, ``freight_usd_t``,
    ``fob_and_other_usd_t``."""
    from aluminium.stages.bauxite import split_cif

    rows = []
    for c in cif_usd_t:
        for sh in freight_share_pct:
            rest, freight = split_cif(c, sh)
            rows.append({"cif_usd_t": float(c), "freight_share_pct": float(sh), "freight_usd_t": freight,
                         "fob_and_other_usd_t": rest})
    return pd.DataFrame(rows)


# -- claims ------------------------------------------------------------------------------------
@CLAIMS.register("pricing.primary_balance_fit_mean_pct")
def _primary_fit_mean() -> float:
    """The mean fit of the primary-aluminium pairs the report names (the claim calls 56.25 % the mean)."""
    from aluminium.data import catalogue

    s = fit_summary(catalogue.load("pricing-balance-price-fit"))
    return float(s.loc[s.balance_metal == "primary aluminium", "mean_of_named_pairs_pct"].iloc[0])


@CLAIMS.register("pricing.price_floor_at_cost_top_2023_cny_t")
def _floor_at_cost_top() -> float:
    """The top of the deck's 2023 cost range, which the claim says the 17,500 CNY/t floor sits at."""
    from aluminium.data.facts import fact

    return float(fact("smelting.theoretical_cost_range_2023_cny_t").high)


# -- the 2026 outlook: base, bull and bear in one price view ----------------------------------
def outlook_cases(overrides=None) -> list[tuple[str, dict, str]]:
    """The outlook's cases as (name, overrides on top of the build's, what they assume).

    Bear: the demand slowdown of ``scenarios/demand-slowdown.yml`` with the LME and the exchange
    rate moved from the build's view as they moved together in the history's worst year for
    LME × CNY/USD; bull: a south-west drought of 1,500 kt (the 2022–23 Yunnan cuts' order) with the
    LME and the rate moved as in the history's best year (:func:`history_swings`). Each case is one
    view: its LME and rate set parity together."""
    from aluminium import chain, scenarios

    view = chain.values_in_force(overrides, ["macro.lme_price_usd_t", "macro.usd_cny"])
    lme, fx = view["macro.lme_price_usd_t"], view["macro.usd_cny"]
    sw = calibration()["swings"]

    def moved(kind: str) -> dict:
        return {"macro.lme_price_usd_t": round(lme * (1 + sw[f"lme_{kind}_pct"] / 100), 2),
                "macro.usd_cny": round(fx * (1 + sw[f"fx_{kind}_pct"] / 100), 4)}

    bear = {**scenarios.load("demand-slowdown").overrides, **moved("fall")}
    bull = {"smelting.southwest_drought_cut_kt": 1500.0, **moved("rise")}
    return [("bear", bear, f"demand slowdown; LME and CNY/USD move as in {sw['fall_year']}"),
            ("base", {}, "the parameters in force"),
            ("bull", bull, f"south-west drought; LME and CNY/USD move as in {sw['rise_year']}")]


OUTLOOK_ROWS = [  # (chain output or parameter, measure, unit, the reports' view)
    ("pricing.modelled_price_cny_t", "Shanghai aluminium price", "CNY/t",
     "2025: 20,000 at the start, 21,100 at the end of Q1 (zijin2025); no 2026 price printed"),
    ("macro.lme_price_usd_t", "LME aluminium price (the view)", "USD/t", "Goldman Sachs, H1 2026: 3,150 (article2026)"),
    ("macro.import_window_cny_t", "Import window (positive = open)", "CNY/t",
     "shut in 2025; Russian metal kept coming (zijin2025)"),
    ("demand.balance_2026_kt", "China's primary balance (surplus +)", "kt",
     "tight for one to two more years (zijin2025); 2024E: +150 after imports (guohai2024)"),
    ("smelting.output_2026_kt", "China's primary output", "kt", "at the 45,000 kt cap, 96 % used at end-2025 (article2026)"),
    ("demand.net_imports_2026_kt", "China's net primary imports", "kt", "2024E: 1,960 (guohai2024)"),
    ("pricing.modelled_margin_cny_t", "Average smelter's cash margin", "CNY/t", "5,500 in December 2025 (zijin2025)"),
]


def outlook_table(overrides=None) -> pd.DataFrame:
    """The 2026 outlook: one row per measure, a column per case (bear, base, bull), the reports'
    view beside; the last two rows widen the Shanghai price by the model's mean out-of-sample error
    (low end of the bear case to high end of the bull case: the outlook's range)."""
    from aluminium import chain
    from aluminium.numbers import fmt

    results = {}
    for name, extra, _ in outlook_cases(overrides):
        o = {**dict(overrides or {}), **extra}
        results[name] = {**chain.values_in_force(o, ["macro.lme_price_usd_t", "macro.usd_cny"]), **chain.run(o)}
    rows = [{"measure": measure, "unit": unit, **{c: float(results[c][key]) for c in ("bear", "base", "bull")},
             "the reports' view": view} for key, measure, unit, view in OUTLOOK_ROWS]
    # The exchange rate of each case's view (a rate needs three decimals, so it is written beside the LME).
    rates = " / ".join(fmt(results[c]["macro.usd_cny"], decimals=3) for c in ("bear", "base", "bull"))
    rows[1]["the reports' view"] += f"; the cases' CNY/USD (bear / base / bull): {rates}"
    cal = calibration()
    sw = cal["swings"]
    error = (f"leave-one-year-out mean error {fmt(cal['mae_pct'], '%', decimals=1)}, {cal['years'][0]}–{cal['years'][-1]}, "
             f"given each year's LME and rate; a constant ratio to the import ceiling misses by "
             f"{fmt(cal['ratio_mae_pct'], '%', decimals=1)}, LME × CNY/USD × 1.13 by "
             f"{fmt(cal['identity_mae_pct'], '%', decimals=1)}")
    for end, sign in (("low", -1), ("high", 1)):
        rows.append({"measure": f"Shanghai price, {end} end with the model's mean error", "unit": "CNY/t",
                     **{c: float(results[c]["pricing.modelled_price_cny_t"]) * (1 + sign * cal["mae_pct"] / 100)
                        for c in ("bear", "base", "bull")},
                     "the reports' view": error if end == "low" else
                     (f"bear and bull move the LME and CNY/USD as in {sw['fall_year']} "
                      f"({fmt(sw['fall_pct'], '%', decimals=1, sign=True)} for LME × CNY/USD) and {sw['rise_year']} "
                      f"({fmt(sw['rise_pct'], '%', decimals=1, sign=True)}), the worst and best years since "
                      f"{sw['years'][0] + 1}")})
    return pd.DataFrame(rows)


def outlook_range_cny_t(table: pd.DataFrame) -> tuple[float, float]:
    """The outlook's range (CNY/t): the bear case's price at the low end of the model's error to the
    bull case's at the high end (rows of :func:`outlook_table`)."""
    t = table.set_index("measure")
    return (float(t.loc["Shanghai price, low end with the model's mean error", "bear"]),
            float(t.loc["Shanghai price, high end with the model's mean error", "bull"]))


# -- the power shock: what the scenario does and does not include ---------------------------------
def ordered_cut_kt(first_month: str = "2021-05", last_month: str = "2021-11", table: pd.DataFrame | None = None) -> float:
    """China's net change in running smelter capacity over the months given (kt, a cut negative), from
    the provincial table's ``Total`` rows (guohai2024): the 2021 crunch's cuts, ordered by provinces
    under the energy-consumption controls, by default."""
    from aluminium.data import catalogue

    t = catalogue.load("smelting-running-capacity-change-by-province") if table is None else table
    total = t[(t["province"] == "Total") & (t["month"].astype(str) >= first_month) & (t["month"].astype(str) <= last_month)]
    if total.empty:
        raise ValueError(f"ordered_cut_kt: no Total rows from {first_month} to {last_month}")
    return float(total["change_kt"].sum())


def curtailment_power_price_cny_kwh(overrides=None, *, high: float = 2.0, tolerance: float = 0.001) -> float:
    """The national power price (CNY/kWh) at which the dearest plants' cash cost first passes the
    modelled price, so that curtailment starts (bisection on the chain; ``nan`` if none by ``high``)."""
    from aluminium import chain

    def curtails(price_kwh: float) -> bool:
        r = chain.run({**dict(overrides or {}), "smelting.power_price_cny_kwh": price_kwh})
        return float(r["smelting.curtailed_kt"]) > 0.5

    low = float(chain.values_in_force(overrides, ["smelting.power_price_cny_kwh"])["smelting.power_price_cny_kwh"])
    if curtails(low):
        return low
    if not curtails(high):
        return float("nan")
    while high - low > tolerance:
        mid = (low + high) / 2
        low, high = (low, mid) if curtails(mid) else (mid, high)
    return high


# -- episodes the scenarios are set against ------------------------------------------------------
EPISODES = [  # (episode, from month, to month, scenario, what else the data show)
    ("Q1 2020: demand collapses (Covid)", "2019-12", "2020-04", "demand-slowdown",
     "China's 2020 balance: −870 kt after 1,050 kt of net imports (guohai2024)"),
    ("2021 power crunch", "2021-01", "2021-10", "power-shock",
     "Australian coal +159 %; the LME itself rose 46 % (a world price move, not China's alone)"),
    ("2022–23 Yunnan cuts", "2022-08", "2023-03", "drought",
     "south-west running capacity −1,355 kt (Jul–Oct 2022); net imports 470 → 1,390 kt, 2022 → 2023 (guohai2024)"),
]


def shanghai_equivalent_monthly() -> pd.Series:
    """LME × the ECB's CNY/USD of the month × 1.13 (CNY/t): Shanghai terms at a basis of one."""
    from aluminium import params
    from aluminium.data import ecbfx, worldbank

    lme = worldbank.monthly_prices()["Aluminum"].dropna()
    fx = ecbfx.monthly_cny_per_usd()
    both = lme.index.intersection(fx.index)
    return lme[both] * fx[both] * (1 + params.lookup("macro.vat_pct").default() / 100)


def episodes_table(overrides=None) -> pd.DataFrame:
    """Each episode's observed move (Shanghai-equivalent price, from the World Bank and the ECB) beside
    the move the chain gives for the scenario built on it (price, balance, net imports)."""
    from aluminium import chain, scenarios

    sh = shanghai_equivalent_monthly()
    base = chain.run(overrides)
    rows = []
    for name, start, end, scenario, other in EPISODES:
        r = chain.run({**dict(overrides or {}), **scenarios.load(scenario).overrides})
        rows.append({"episode": name, "months": f"{start} to {end}",
                     "observed_price_change_pct": float((sh[end] / sh[start] - 1) * 100),
                     "what else the data show": other, "scenario": scenarios.load(scenario).title,
                     "modelled_price_change_pct":
                         (r["pricing.modelled_price_cny_t"] / base["pricing.modelled_price_cny_t"] - 1) * 100,
                     "modelled_balance_change_kt": r["demand.balance_2026_kt"] - base["demand.balance_2026_kt"],
                     "modelled_imports_change_kt": r["demand.net_imports_2026_kt"] - base["demand.net_imports_2026_kt"]})
    return pd.DataFrame(rows)


def scale_sensitivity(overrides=None) -> pd.DataFrame:
    """What moves if the structural scale is wrong: the base price and the demand-slowdown move at
    the ends of the scale's range and at its value."""
    from aluminium import chain, scenarios

    rows = []
    slow = scenarios.load("demand-slowdown").overrides
    for scale in (STRUCTURAL_SCALE_RANGE_PCT[0], params_scale_default(), STRUCTURAL_SCALE_RANGE_PCT[1]):
        o = {**dict(overrides or {}), "pricing.balance_scale_pct": scale}
        b, s = chain.run(o), chain.run({**o, **slow})
        rows.append({"scale_pct": scale, "price_cny_t": b["pricing.modelled_price_cny_t"],
                     "slowdown_price_change_pct":
                         (s["pricing.modelled_price_cny_t"] / b["pricing.modelled_price_cny_t"] - 1) * 100})
    return pd.DataFrame(rows)


def params_scale_default() -> float:
    from aluminium import params

    return float(params.lookup("pricing.balance_scale_pct").default())


def scenario_moves(overrides=None) -> pd.DataFrame:
    """Every shipped scenario's move against the build's case: price (%), window, balance, output and
    net imports (kt), and the bauxite CIF (USD/t); the tests pin their signs and bounds."""
    from aluminium import chain, scenarios

    base = chain.run(overrides)
    rows = []
    for s in scenarios.available():
        if not s.overrides:
            continue
        r = chain.run({**dict(overrides or {}), **s.overrides})
        rows.append({"scenario": s.title,
                     "price_change_pct": (r["pricing.modelled_price_cny_t"] / base["pricing.modelled_price_cny_t"] - 1) * 100,
                     "window_change_cny_t": r["macro.import_window_cny_t"] - base["macro.import_window_cny_t"],
                     "balance_change_kt": r["demand.balance_2026_kt"] - base["demand.balance_2026_kt"],
                     "output_change_kt": r["smelting.output_2026_kt"] - base["smelting.output_2026_kt"],
                     "imports_change_kt": r["demand.net_imports_2026_kt"] - base["demand.net_imports_2026_kt"],
                     "margin_change_cny_t": r["pricing.modelled_margin_cny_t"] - base["pricing.modelled_margin_cny_t"],
                     "cif_change_usd_t": r["bauxite.modelled_cif_usd_t"] - base["bauxite.modelled_cif_usd_t"]})
    return pd.DataFrame(rows)
