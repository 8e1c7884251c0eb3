"""Shared calculations (aluminium.calc)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aluminium import calc
from aluminium.calc import value_at


def test_value_at_picks_a_row_by_its_key_and_refuses_ambiguity():
    df = pd.DataFrame({"year": [2022, 2023, 2023], "country": ["Guinea", "Guinea", "China"],
                       "share_pct": [25.0, 30.7, 20.1]})
    assert value_at(df, "share_pct", year=2023, country="Guinea") == 30.7
    assert isinstance(value_at(df, "share_pct", year=2022), float)
    with pytest.raises(LookupError, match="2 rows with year=2023"):
        value_at(df, "share_pct", year=2023)
    with pytest.raises(LookupError, match="0 rows with year=2030"):
        value_at(df, "share_pct", year=2030)
    with pytest.raises(KeyError, match="no column"):
        value_at(df, "share_pct", region="Asia")


def test_cagr():
    assert calc.cagr_pct(100, 121, 2) == pytest.approx(10)
    assert calc.cagr_pct(100, 100, 5) == 0
    assert np.allclose(calc.cagr_pct(np.array([100, 100]), np.array([110, 121]), np.array([1, 2])), [10, 10])
    with pytest.raises(ValueError):
        calc.cagr_pct(100, 121, 0)
    with pytest.raises(ValueError):
        calc.cagr_pct(0, 121, 2)


def test_sensitivity_by_hand():
    def model(a, b):
        return 2 * a + b

    table = calc.sensitivity(model, {"a": 1.0, "b": 1.0}, {"a": (0.0, 2.0), "b": (0.5, 1.5)})
    assert list(table["input"]) == ["a", "b"]
    assert table.loc[0, "swing"] == pytest.approx(4.0)
    assert table.loc[0, "output_at_low"] == pytest.approx(1.0)
    assert table.loc[1, "swing"] == pytest.approx(1.0)
    with pytest.raises(ValueError):
        calc.sensitivity(model, {"a": 1.0, "b": 1.0}, {"c": (0, 1)})
    with pytest.raises(ValueError):
        calc.sensitivity(model, {"a": 1.0, "b": 1.0}, {"a": (2, 1)})


def test_require_columns_names_what_and_the_missing_columns():
    frame = pd.DataFrame({"year": [2024], "demand_kt": [1.0]})
    calc.require_columns(frame, {"year", "demand_kt"}, "anything")
    with pytest.raises(ValueError, match=r"^sector_shares: missing column\(s\) \['sector'\]$"):
        calc.require_columns(frame, {"year", "sector"}, "sector_shares")


def test_hhi_hand_computed_and_skips_missing():
    assert calc.hhi([50, 30, 20]) == 2500 + 900 + 400
    assert calc.hhi([100]) == 10_000
    assert calc.hhi([60, float("nan"), 40]) == 3600 + 1600
    assert calc.hhi([0, 0]) == 0


@pytest.mark.parametrize("bad", [[], [float("nan")], [-1, 50]])
def test_hhi_rejects_empty_and_negative(bad):
    with pytest.raises(ValueError):
        calc.hhi(bad)


def test_hhi_by_year_excludes_aggregates():
    df = pd.DataFrame({"year": [2020, 2020, 2020, 2021, 2021],
                       "country": ["A", "B", "Other", "A", "B"],
                       "share_pct": [60, 40, 99, 50, float("nan")]})
    out = calc.hhi_by_year(df).set_index("year")
    assert out.loc[2020, "hhi_index"] == 5200
    assert out.loc[2020, "listed_share_pct"] == 100
    assert out.loc[2021, "countries"] == 1
    with pytest.raises(ValueError):
        calc.hhi_by_year(df.drop(columns="share_pct"))


def test_hhi_bounds():
    low, high = calc.hhi_bounds([74.5], 24.5, rest_parties_min=1, rest_parties_max=2)
    assert low == pytest.approx(74.5**2 + 2 * 12.25**2)
    assert high == pytest.approx(74.5**2 + 24.5**2)
    low, _ = calc.hhi_bounds([50], 50)  # unlimited parties: the rest contributes nothing
    assert low == 2500
    with pytest.raises(ValueError):
        calc.hhi_bounds([50], -1)
    with pytest.raises(ValueError):
        calc.hhi_bounds([50], 10, rest_parties_min=3, rest_parties_max=2)


def test_contribution_shares():
    out = calc.contribution_shares(pd.Series([30.0, 10.0, -20.0]))
    assert list(out) == [150.0, 50.0, -100.0]
    assert list(calc.contribution_shares(pd.Series([1.0, 3.0]), total=8)) == [12.5, 37.5]
    assert calc.contribution_shares(pd.Series([5.0, -5.0])).isna().all()  # zero total: undefined
    assert calc.contribution_shares(pd.Series([1.0]), total=float("nan")).isna().all()


def test_parts_vs_total():
    df = pd.DataFrame({"y": [1, 1, 1, 2, 2, 2], "who": ["a", "b", "T", "a", "b", "T"],
                       "v": [1.0, 2.0, 3.0, 1.0, None, 5.0]})
    out = calc.parts_vs_total(df, value="v", label_col="who", total_label="T", group="y").set_index("y")
    assert out.loc[1, "gap"] == 0
    assert out.loc[2, "sum_of_parts"] == 1 and out.loc[2, "gap"] == 4 and out.loc[2, "parts_missing"] == 1
    assert out.loc[2, "gap_pct_of_total"] == 80
    with pytest.raises(ValueError):
        calc.parts_vs_total(df, value="x", label_col="who", total_label="T", group="y")


def test_growth_and_cagr():
    assert calc.growth_pct(110, 100) == pytest.approx(10)
    assert calc.cagr_pct(100, 121, 2) == pytest.approx(10)
    assert calc.cagr_pct(100, 100, 5) == 0
    for bad in [(1, 0), (float("nan"), 1), ("x", 1)]:
        with pytest.raises(ValueError):
            calc.growth_pct(*bad)
    with pytest.raises(ValueError):
        calc.cagr_pct(0, 10, 1)
    with pytest.raises(ValueError):
        calc.cagr_pct(10, 10, 0)


def test_share_pct():
    assert calc.share_pct(448.6, 44860) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        calc.share_pct(1, 0)
    with pytest.raises(ValueError):
        calc.share_pct(float("nan"), 1)
