"""The backtest engine on small hand-computed series."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from aluminium import backtest as bt

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
