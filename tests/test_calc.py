"""Shared calculations (aluminium.calc)."""
from __future__ import annotations

import pandas as pd
import pytest

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
