"""A small, general backtest engine for monthly trading rules, and the balance "fit rate".

The reports describe rules (buy when destocking accelerates; buy on destocking and sell on
stock-building; buy when the smelting margin is above a threshold) whose underlying monthly
series did not survive extraction. The engine therefore takes *any* monthly series: a rule
turns a signal series into positions, ``run`` applies the positions to a price series, and
``summary`` gives total and annualised return, maximum drawdown and hit rate, always next to
buy-and-hold.

Conventions (all functions):
- a series is a ``pandas.Series`` indexed by month (any sortable, unique index: ``YYYY-MM``
  strings, Periods or Timestamps), in time order;
- a position is +1 (long), 0 (flat) or −1 (short), decided from information at the end of
  month t;
- ``price_basis`` says what a month's price is. ``"end"``: a month-end (point) price, so a
  decision at the end of month t trades at that price and earns month t+1's return
  (``lag=1``). ``"average"``: a monthly average (the World Bank series). A decision taken
  at the end of month t cannot trade at month t's average, which includes prices from
  before the decision. The earliest fill is month t+1's average, and the first return
  earned is month t+2's over month t+1's (``lag=2``). With ``lag=1`` on averages, the
  return from mid-month t to the end of month t would be earned by a position decided at
  the end of month t: look-ahead;
- returns are simple monthly returns, ``p[t] / p[t-1] − 1`` (a fraction, not per cent);
- ``cost_per_trade_pct`` is charged on every change of position, per unit traded (going
  from flat to long costs it once, from short to long twice), as a fraction of the price.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

MONTHS_PER_YEAR = 12
PRICE_BASES = {"end": 1, "average": 2}  # the smallest lag without look-ahead for each kind of monthly price


# -- input checks --------------------------------------------------------------
def _series(x, name: str, *, allow_nan: bool = True) -> pd.Series:
    if not isinstance(x, pd.Series):
        raise ValueError(f"{name}: expected a pandas Series indexed by month, got {type(x).__name__}")
    if not x.index.is_unique:
        raise ValueError(f"{name}: the month index has duplicates")
    if not x.index.is_monotonic_increasing:
        raise ValueError(f"{name}: the month index is not in time order")
    try:
        out = pd.to_numeric(x, errors="raise").astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: values must be numbers") from None
    if not allow_nan and out.isna().any():
        raise ValueError(f"{name}: missing value(s) at {list(out.index[out.isna()])[:3]}")
    return out


def _prices(prices: pd.Series) -> pd.Series:
    p = _series(prices, "prices", allow_nan=False)
    if len(p) < 2:
        raise ValueError("prices: need at least two months to compute a return")
    if (p <= 0).any():
        raise ValueError(f"prices: must be positive, got {p[p <= 0].iloc[0]} at {p.index[p <= 0][0]}")
    return p


# -- rules: signal series → positions ---------------------------------------------
def destocking_accelerates(stock_change: pd.Series) -> pd.Series:
    """Long (1) in months where stocks fall and fall faster than the month before, else flat (0).

    ``stock_change`` is the month's change in inventory (e.g. kt; negative = destocking).
    Rule: position = 1 if ``change[t] < 0`` and ``change[t] < change[t-1]``, else 0. The first
    month and months with a missing change are flat.
    """
    c = _series(stock_change, "stock_change")
    accel = (c < 0) & (c < c.shift(1))
    return accel.fillna(False).astype(int).rename("position")


def destock_buy_stockbuild_sell(stock_change: pd.Series, *, accelerating: bool = True,
                                short: bool = True) -> pd.Series:
    """Long when destocking (accelerating, by default), sell when stocks build, else flat.

    Rule: +1 where the buy condition holds (``change < 0``, and with ``accelerating`` also
    ``change < previous change``); where ``change > 0`` (stock-building) the position is −1
    if ``short`` else 0; all other months 0.
    """
    c = _series(stock_change, "stock_change")
    buy = destocking_accelerates(c).astype(bool) if accelerating else (c < 0)
    sell = (c > 0).fillna(False)
    pos = pd.Series(0, index=c.index, dtype=int)
    pos[sell] = -1 if short else 0
    pos[buy] = 1
    return pos.rename("position")


def above_threshold(signal: pd.Series, threshold: float) -> pd.Series:
    """Long (1) where the signal is strictly above the threshold, else flat (0).

    The margin rule is this with the smelting margin (CNY/t) and a threshold in CNY/t.
    Missing signal months are flat.
    """
    if threshold is None or (isinstance(threshold, float) and math.isnan(threshold)):
        raise ValueError("threshold: a number is required")
    s = _series(signal, "signal")
    return (s > float(threshold)).astype(int).rename("position")


def margin_above(margin_cny_t: pd.Series, threshold_cny_t: float) -> pd.Series:
    """The reports' profit rule: long while the smelting margin (CNY/t) is above the threshold (CNY/t)."""
    return above_threshold(margin_cny_t, threshold_cny_t)


def momentum(prices: pd.Series, lookback_months: int = 12) -> pd.Series:
    """Long (1) when the price is above its level ``lookback_months`` earlier, else flat (0).

    A rule that needs only prices, for series where no inventory or margin data exist.
    """
    if not isinstance(lookback_months, (int, np.integer)) or lookback_months < 1:
        raise ValueError(f"lookback_months must be a positive integer, got {lookback_months!r}")
    p = _prices(prices)
    return (p > p.shift(lookback_months)).astype(int).rename("position")


# -- running a rule ----------------------------------------------------------------
def min_lag(price_basis: str) -> int:
    """The smallest lag (months) that trades only on known information for this kind of price."""
    if price_basis not in PRICE_BASES:
        raise ValueError(f"price_basis must be one of {sorted(PRICE_BASES)}, got {price_basis!r}")
    return PRICE_BASES[price_basis]


def run(prices: pd.Series, positions: pd.Series, *, lag: int | None = None, price_basis: str = "end",
        cost_per_trade_pct: float = 0.0) -> pd.DataFrame:
    """Apply positions to prices; one row per month.

    Columns: ``price``, ``return`` (asset, fraction), ``held`` (the position held over the
    month = ``positions`` shifted by ``lag``, by default the smallest lag without look-ahead
    for ``price_basis``), ``cost`` (fraction: |change of held| × cost per trade),
    ``strategy_return`` = held × return − cost, ``equity`` and ``benchmark_equity``
    (buy-and-hold, paying the cost once on entry), both starting at 1. The first month has
    no return and is dropped. A lag below the minimum for the price basis raises ValueError.
    """
    p = _prices(prices)
    pos = _series(positions, "positions")
    if not pos.index.equals(p.index):
        raise ValueError("positions: must have the same months as prices")
    floor = min_lag(price_basis)
    lag = floor if lag is None else lag
    if lag < floor:
        raise ValueError(f"lag {lag} trades on information not yet known with {price_basis} prices "
                         f"(the minimum is {floor})")
    if cost_per_trade_pct is None or not 0 <= float(cost_per_trade_pct) < 100:
        raise ValueError(f"cost_per_trade_pct must be within 0–100, got {cost_per_trade_pct!r}")
    bad = ~pos.isna() & ~pos.isin([-1, 0, 1])
    if bad.any():
        raise ValueError(f"positions: must be -1, 0 or 1, got {pos[bad].iloc[0]} at {pos.index[bad][0]}")
    ret = p.pct_change()
    held = pos.fillna(0).shift(lag).fillna(0)
    cost = (held - held.shift(1).fillna(0)).abs() * float(cost_per_trade_pct) / 100
    out = pd.DataFrame({"price": p, "return": ret, "held": held, "cost": cost}).iloc[1:]
    out["strategy_return"] = out["held"] * out["return"] - out["cost"]
    out["equity"] = (1 + out["strategy_return"]).cumprod()
    bench = out["return"].copy()
    bench.iloc[0] -= float(cost_per_trade_pct) / 100
    out["benchmark_equity"] = (1 + bench).cumprod()
    return out


def max_drawdown(equity: pd.Series) -> float:
    """Largest fall from a running peak, as a negative fraction (−0.25 = a 25 % drawdown).

    The curve is taken to start at 1 before its first value, so a fall in the first month counts.
    """
    e = _series(equity, "equity", allow_nan=False)
    if e.empty:
        raise ValueError("equity: empty series")
    peak = np.maximum.accumulate(np.concatenate([[1.0], e.to_numpy()]))[1:]
    return float((e.to_numpy() / peak - 1).min())


def summary(returns: pd.Series, held: pd.Series | None = None,
            periods_per_year: int = MONTHS_PER_YEAR) -> dict:
    """Statistics of a monthly return series (fractions).

    - ``total_return``: product of (1 + r) − 1;
    - ``annualised_return``: (1 + total) ** (periods_per_year / months) − 1;
    - ``max_drawdown``: see :func:`max_drawdown` (negative fraction);
    - ``hit_rate``: share of months *in the market* (held ≠ 0; all months when ``held`` is
      None) with a positive return; NaN when never in the market;
    - ``months``, ``months_in_market``.
    """
    r = _series(returns, "returns", allow_nan=False)
    if r.empty:
        raise ValueError("returns: empty series")
    equity = (1 + r).cumprod()
    total = float(equity.iloc[-1] - 1)
    inm = pd.Series(True, index=r.index) if held is None else (_series(held, "held").fillna(0) != 0)
    n_in = int(inm.sum())
    return {
        "total_return": total,
        "annualised_return": float((1 + total) ** (periods_per_year / len(r)) - 1) if total > -1 else -1.0,
        "max_drawdown": max_drawdown(equity),
        "hit_rate": float((r[inm] > 0).mean()) if n_in else float("nan"),
        "months": int(len(r)),
        "months_in_market": n_in,
    }


def compare(prices: pd.Series, rules: dict[str, pd.Series], *, lag: int | None = None, price_basis: str = "end",
            cost_per_trade_pct: float = 0.0) -> pd.DataFrame:
    """Each rule's :func:`summary` next to buy-and-hold, one row per strategy, all run with the same
    price basis, lag and trading cost (see :func:`run`). Columns: ``strategy`` plus the summary keys
    and ``trades`` (units of position traded)."""
    rows = []
    bench = None
    for name, pos in rules.items():
        res = run(prices, pos, lag=lag, price_basis=price_basis, cost_per_trade_pct=cost_per_trade_pct)
        bench = res
        trades = float((res["held"] - res["held"].shift(1).fillna(0)).abs().sum())
        rows.append({"strategy": name, **summary(res["strategy_return"], res["held"]), "trades": trades})
    if bench is None:
        bench = run(prices, pd.Series(1, index=prices.index), lag=lag, price_basis=price_basis,
                    cost_per_trade_pct=cost_per_trade_pct)
    bench_returns = bench["benchmark_equity"].pct_change().fillna(bench["benchmark_equity"].iloc[0] - 1)
    rows.insert(0, {"strategy": "buy and hold", **summary(bench_returns), "trades": 1.0})
    return pd.DataFrame(rows)


# -- how much a small sample can say ----------------------------------------------------
def chance_of_at_least(k: int, n: int, p: float = 0.5) -> float:
    """Probability that coin tosses (success probability ``p``) match at least ``k`` of ``n`` times.

    The one-sided binomial tail: how often a fit rate this good arises by chance. 7 of 9 at
    p = 0.5 gives 46/512 ≈ 9 %.
    """
    if not (isinstance(n, (int, np.integer)) and isinstance(k, (int, np.integer))) or n < 1 or not 0 <= k <= n:
        raise ValueError(f"chance_of_at_least: need whole numbers 0 <= k <= n, n >= 1, got k={k!r}, n={n!r}")
    if not 0 < p < 1:
        raise ValueError("chance_of_at_least: p must be strictly between 0 and 1")
    return float(sum(math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k, n + 1)))


def wilson_interval_pct(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % (by default) Wilson score interval for a rate of k out of n, in per cent."""
    if n < 1 or not 0 <= k <= n:
        raise ValueError(f"wilson_interval_pct: need 0 <= k <= n, n >= 1, got k={k!r}, n={n!r}")
    phat = k / n
    denom = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denom
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denom
    return 100 * (centre - half), 100 * (centre + half)


def small_sample_note(k: int, n: int) -> str:
    """One sentence saying what a k-of-n fit can and cannot show."""
    lo, hi = wilson_interval_pct(k, n)
    chance = chance_of_at_least(k, n)
    return (f"{k} of {n} is a small sample: its 95 % interval runs from {lo:.0f} % to {hi:.0f} %, and coin tosses "
            f"do at least as well {chance * 100:.0f} % of the time.")


# -- fit rate of balances against price direction ------------------------------------
def direction_matches(balance: pd.Series, price_change: pd.Series, *,
                      deficit_means_rise: bool = True) -> pd.Series:
    """Per year: True where the balance points the way the price moved, False where not.

    A deficit (balance < 0) should go with a rise (price change > 0) and a surplus with a fall.
    Years where either is missing or zero (no direction) are left out of the result.
    """
    b = _series(balance, "balance")
    c = _series(price_change, "price_change")
    both = pd.concat([b.rename("b"), c.rename("c")], axis=1, join="inner").dropna()
    both = both[(both["b"] != 0) & (both["c"] != 0)]
    expected = -np.sign(both["b"]) if deficit_means_rise else np.sign(both["b"])
    return (expected == np.sign(both["c"])).rename("matches")


def fit_rate_pct(balance: pd.Series, price_change: pd.Series, *, deficit_means_rise: bool = True) -> float:
    """Share of years (%) in which the sign of the balance matches the direction of the price.

    ``100 × matching years / years with both a non-zero balance and a non-zero price change``;
    NaN if no year qualifies.
    """
    m = direction_matches(balance, price_change, deficit_means_rise=deficit_means_rise)
    return float(100 * m.mean()) if len(m) else float("nan")


def annual_change_pct(prices: pd.Series, months: pd.Series | None = None) -> pd.Series:
    """Year-end to year-end price change (%), indexed by year, from a monthly series.

    The reports' fit rates use each year's final change: last month of year Y over last month
    of year Y−1. ``prices`` must be indexed by ``YYYY-MM`` strings, Periods or Timestamps.
    """
    p = _prices(prices)
    idx = pd.PeriodIndex(pd.to_datetime(p.index.astype(str)), freq="M")
    year_end = p.groupby(idx.year).last()
    return (100 * year_end.pct_change()).dropna().rename("change_pct")


def implied_year_count(rates_pct, *, max_years: int = 50, tolerance_pct: float = 0.01) -> int:
    """Smallest number of years n for which every rate is a whole number of years out of n.

    E.g. 56.25 %, 31.25 % and 25 % are 9/16, 5/16 and 4/16, so n = 16. Raises ValueError if
    no n up to ``max_years`` fits.
    """
    rates = [float(r) for r in rates_pct]
    if not rates or any(math.isnan(r) or r < 0 or r > 100 for r in rates):
        raise ValueError(f"rates_pct must be per cents in [0, 100], got {rates_pct!r}")
    for n in range(1, max_years + 1):
        if all(abs(r * n / 100 - round(r * n / 100)) * 100 / n <= tolerance_pct for r in rates):
            return n
    raise ValueError(f"no year count up to {max_years} makes all of {rates} whole numbers of years")
