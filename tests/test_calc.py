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
