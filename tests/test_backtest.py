"""The backtest engine on small hand-computed series."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from aluminium.stages import backtest as bt

MONTHS = ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05"]


def s(values, index=MONTHS):
    return pd.Series(values, index=index[: len(values)], dtype=float)


def test_destocking_accelerates_hand_case():
    # changes: -1, -3 (faster), -2 (slower), 4 (build), -5 (faster than +4)
    pos = bt.destocking_accelerates(s([-1, -3, -2, 4, -5]))
    assert list(pos) == [0, 1, 0, 0, 1]


def test_destocking_missing_months_are_flat():
    pos = bt.destocking_accelerates(s([-1, float("nan"), -3, -4]))
    assert list(pos) == [0, 0, 0, 1]


def test_destock_buy_stockbuild_sell():
    change = s([-1, -3, -2, 4, -5])
    assert list(bt.destock_buy_stockbuild_sell(change)) == [0, 1, 0, -1, 1]
    assert list(bt.destock_buy_stockbuild_sell(change, short=False)) == [0, 1, 0, 0, 1]
    assert list(bt.destock_buy_stockbuild_sell(change, accelerating=False)) == [1, 1, 1, -1, 1]


def test_margin_rule_strictly_above_threshold():
    assert list(bt.margin_above(s([500, 1000, 1500, float("nan")]), 1000)) == [0, 0, 1, 0]
    with pytest.raises(ValueError):
        bt.above_threshold(s([1, 2]), float("nan"))


def test_momentum():
    assert list(bt.momentum(s([10, 11, 9, 12]), 1)) == [0, 1, 0, 1]
    with pytest.raises(ValueError):
        bt.momentum(s([10, 11]), 0)


def test_run_lags_positions_by_one_month():
    prices = s([100, 110, 99, 99])
    pos = s([1, 0, 1, 1])
    res = bt.run(prices, pos)
    # returns: +10 %, -10 %, 0; held: 1 (from Jan), 0 (from Feb), 1 (from Mar)
    assert list(res["held"]) == [1, 0, 1]
    assert res["strategy_return"].round(10).tolist() == [0.1, 0.0, 0.0]
    assert res["equity"].iloc[-1] == pytest.approx(1.1)
    assert res["benchmark_equity"].iloc[-1] == pytest.approx(0.99)


def test_short_position_gains_on_a_fall():
    res = bt.run(s([100, 90]), s([-1, -1]))
    assert res["strategy_return"].iloc[0] == pytest.approx(0.1)


def test_max_drawdown_hand_case():
    # 1 → 1.2 → 0.9 → 1.0: worst fall 0.9/1.2 - 1 = -25 %
    assert bt.max_drawdown(s([1.2, 0.9, 1.0])) == pytest.approx(-0.25)
    # a first-month loss counts against the starting value of 1
    assert bt.max_drawdown(s([0.8, 1.1])) == pytest.approx(-0.2)
    assert bt.max_drawdown(s([1.0, 1.1])) == 0.0


def test_summary_hand_case():
    r = s([0.1, -0.1, 0.0, 0.2])
    out = bt.summary(r, held=s([1, 1, 0, 1]))
    assert out["total_return"] == pytest.approx(1.1 * 0.9 * 1.0 * 1.2 - 1)
    assert out["annualised_return"] == pytest.approx((1.188) ** 3 - 1)
    assert out["max_drawdown"] == pytest.approx(-0.1)
    assert out["hit_rate"] == pytest.approx(2 / 3)  # in market 3 months, 2 positive
    assert out["months_in_market"] == 3
    never = bt.summary(s([0.0, 0.0]), held=s([0, 0]))
    assert math.isnan(never["hit_rate"])


def test_compare_puts_buy_and_hold_first():
    prices = s([100, 110, 99, 99])
    table = bt.compare(prices, {"always long": s([1, 1, 1, 1]), "flat": s([0, 0, 0, 0])})
    assert list(table["strategy"]) == ["buy and hold", "always long", "flat"]
    assert table.loc[0, "total_return"] == pytest.approx(-0.01)
    assert table.loc[1, "total_return"] == pytest.approx(-0.01)
    assert table.loc[2, "total_return"] == 0.0


@pytest.mark.parametrize("bad, message", [
    ([100, float("nan"), 90], "missing"),
    ([100, 0, 90], "positive"),
    ([100], "two months"),
])
def test_bad_prices_are_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        bt.run(s(bad), s([0] * len(bad)))


def test_bad_positions_and_index_are_refused():
    with pytest.raises(ValueError, match="-1, 0 or 1"):
        bt.run(s([1, 2, 3]), s([0, 2, 0]))
    with pytest.raises(ValueError, match="same months"):
        bt.run(s([1, 2, 3]), pd.Series([0, 0, 0], index=["a", "b", "c"]))
    with pytest.raises(ValueError, match="time order"):
        bt.run(pd.Series([1.0, 2.0], index=["2020-02", "2020-01"]), pd.Series([0, 0], index=["2020-02", "2020-01"]))
    with pytest.raises(ValueError, match="Series"):
        bt.run([1, 2], [0, 0])
    with pytest.raises(ValueError, match="lag"):
        bt.run(s([1, 2]), s([0, 0]), lag=-1)


def test_fit_rate_hand_case():
    years = [2018, 2019, 2020, 2021, 2022]
    balance = pd.Series([100, -50, -20, 0, 30], index=years)  # surplus, deficit, deficit, none, surplus
    change = pd.Series([-5, 8, -2, 10, 4], index=years)  # fall, rise, fall, rise, rise
    # 2018 match, 2019 match, 2020 miss, 2021 skipped (zero balance), 2022 miss → 2/4
    assert bt.fit_rate_pct(balance, change) == pytest.approx(50.0)
    assert bt.fit_rate_pct(balance, change, deficit_means_rise=False) == pytest.approx(50.0)
    m = bt.direction_matches(balance, change)
    assert list(m.index) == [2018, 2019, 2020, 2022]


def test_fit_rate_with_no_common_year_is_nan():
    assert math.isnan(bt.fit_rate_pct(pd.Series([1.0], index=[2000]), pd.Series([1.0], index=[2001])))


def test_annual_change_is_year_end_to_year_end():
    idx = ["2020-11", "2020-12", "2021-06", "2021-12", "2022-03"]
    out = bt.annual_change_pct(pd.Series([90, 100, 130, 110, 99], index=idx))
    assert out.to_dict() == pytest.approx({2021: 10.0, 2022: -10.0})


def test_implied_year_count():
    assert bt.implied_year_count([56.25, 31.25, 62.5, 25.0, 37.5]) == 16
    assert bt.implied_year_count([77.78], tolerance_pct=0.01) == 9
    with pytest.raises(ValueError):
        bt.implied_year_count([])
    with pytest.raises(ValueError):
        bt.implied_year_count([33.3331], max_years=5, tolerance_pct=0.0001)


# -- price basis, trading costs, small samples ---------------------------------------------------
def test_average_prices_need_a_two_month_lag():
    prices = s([100, 110, 99, 99, 120])
    pos = s([1, 0, 0, 0, 0])
    res = bt.run(prices, pos, price_basis="average")
    # Decided at the end of January: filled at February's average, so it earns March over February.
    assert list(res["held"]) == [0, 1, 0, 0]
    assert res["strategy_return"].round(10).tolist() == [0.0, -0.1, 0.0, 0.0]
    with pytest.raises(ValueError, match="not yet known"):
        bt.run(prices, pos, price_basis="average", lag=1)
    with pytest.raises(ValueError, match="price_basis"):
        bt.run(prices, pos, price_basis="close")
    assert bt.min_lag("end") == 1 and bt.min_lag("average") == 2


def test_averaging_leaks_when_lagged_one_month():
    # Daily prices that only rise in the second half of each even month: the monthly average of the
    # next month then rises too, so a rule that reads the average and trades at it "sees" the move.
    import numpy as np
    days = pd.date_range("2020-01-01", "2023-12-31", freq="D")
    step = np.where((days.month % 2 == 0) & (days.day > 15), 1.0, 0.0)
    daily = pd.Series(100 + np.cumsum(step), index=days)
    monthly = daily.groupby(daily.index.to_period("M")).mean()
    monthly.index = monthly.index.astype(str)
    rising = (monthly > monthly.shift(1)).astype(int)
    leaky = bt.run(monthly, rising, lag=1)["strategy_return"].sum()
    honest = bt.run(monthly, rising, price_basis="average")["strategy_return"].sum()
    assert leaky > honest


def test_trading_cost_per_unit_traded():
    prices = s([100, 100, 100, 100, 100])
    res = bt.run(prices, s([1, -1, -1, 0, 0]), cost_per_trade_pct=0.1)
    # held: 1, -1, -1, 0 → traded 1, 2, 0, 1 units; flat prices, so returns are the costs alone.
    assert res["cost"].round(10).tolist() == [0.001, 0.002, 0.0, 0.001]
    assert res["strategy_return"].round(10).tolist() == [-0.001, -0.002, 0.0, -0.001]
    table = bt.compare(prices, {"flip": s([1, -1, -1, 0, 0])}, cost_per_trade_pct=0.1)
    assert table.loc[0, "total_return"] == pytest.approx(-0.001)  # buy and hold pays once
    assert table.loc[1, "trades"] == 4
    with pytest.raises(ValueError, match="cost_per_trade_pct"):
        bt.run(prices, s([0] * 5), cost_per_trade_pct=-1)


def test_small_samples_are_said_to_be_small():
    assert bt.chance_of_at_least(7, 9) == pytest.approx(46 / 512)
    assert bt.chance_of_at_least(0, 5) == pytest.approx(1.0)
    lo, hi = bt.wilson_interval_pct(7, 9)
    assert lo == pytest.approx(45.3, abs=0.1) and hi == pytest.approx(93.7, abs=0.1)
    note = bt.small_sample_note(7, 9)
    assert "small sample" in note and "9 %" in note
    with pytest.raises(ValueError):
        bt.chance_of_at_least(10, 9)
    with pytest.raises(ValueError):
        bt.wilson_interval_pct(1, 0)
