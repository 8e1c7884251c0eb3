"""The one number formatter: years, integers, precision, units, signs, columns."""
from __future__ import annotations

import math

import pytest

from aluminium.numbers import MINUS, choose, display_unit, fmt, fmt_range, format_column


@pytest.mark.parametrize("value, unit, expected", [
    (2024, "year", "2024"),
    (2024.0, "year", "2024"),
    (15611.0, "CNY/t", "15,611 CNY/t"),
    (16234.4, "CNY/t", "16,234 CNY/t"),
    (75.0, "bp", "75 bp"),
    (80.0, "%", "80 %"),
    (3.75, "percent", "3.75 %"),
    (40.46264261001344, "%", "40.5 %"),
    (0.888, "fraction", "88.8 %"),
    (0.4512, "CNY/kWh", "0.451 CNY/kWh"),
    (0.05, "CNY/kWh", "0.05 CNY/kWh"),
    (13500, "kWh/t", "13,500 kWh/t"),
    (1.925, "t/t", "1.93 t/t"),
    (45000, "kt/yr", "45,000 kt/yr"),
    (12.25, "", "12.3"),
    (0, "kt", "0 kt"),
    (-4682.3, "CNY/t", f"{MINUS}4,682 CNY/t"),
    (2.5, "pp", "2.5 pp"),
])
def test_a_number_reads_as_the_house_style(value, unit, expected):
    assert fmt(value, unit) == expected


def test_changes_missing_values_text_and_booleans():
    assert fmt(12.5, "%", sign=True) == "+12.5 %"
    assert fmt(-0.3, "kt", sign=True) == f"{MINUS}0.3 kt"
    assert fmt(0.0, "kt", sign=True) == "0 kt"
    assert fmt(-0.0001, "kt", decimals=1) == "0.0 kt"  # no minus on a number that rounds to zero
    assert fmt(None) == "" and fmt(float("nan"), "kt", missing="n/a") == "n/a"
    import pandas as pd

    assert fmt(pd.NA) == "" and format_column(pd.array([1, None], dtype="Int64").tolist(), "kt") == ["1", ""]
    assert fmt(math.inf) == ""
    assert fmt("Guinea") == "Guinea" and fmt(True) == "yes"
    assert fmt(1234.5678, "USD/t", decimals=2) == "1,234.57 USD/t"
    assert fmt(80.0, "%", show_unit=False) == "80"


def test_ranges_name_the_unit_once():
    assert fmt_range(3800, 4200, "CNY/t") == "3,800–4,200 CNY/t"
    assert fmt_range(0.3, 0.45, "CNY/kWh") == "0.3–0.45 CNY/kWh"


def test_a_column_shares_its_decimals_and_leaves_the_unit_to_the_header():
    assert format_column([2017, 2018, 2024], "year") == ["2017", "2018", "2024"]
    assert format_column([10.0, 20.0, None], "kt") == ["10", "20", ""]
    assert format_column([24.04, 30.5, 40.46], "%") == ["24.0", "30.5", "40.5"]
    assert format_column([1200.4, 15611.0], "CNY/t") == ["1,200", "15,611"]
    assert format_column([0.3, 0.45], "fraction") == ["30", "45"]
    assert format_column(["a", "b"]) == ["a", "b"]


def test_units_are_written_one_way():
    assert display_unit("percent") == display_unit("pct") == display_unit("fraction") == "%"
    assert display_unit("percentage points") == "pp"
    assert display_unit("year") == "" and display_unit("CNY/t") == "CNY/t"


def test_words_follow_the_numbers():
    assert choose(150, "surplus", "deficit", "balance") == "surplus"
    assert choose(-3844, "surplus", "deficit", "balance") == "deficit"
    assert choose(20, "surplus", "deficit", "balance", tolerance=50) == "balance"
    assert choose(0, "open", "shut") == "open"


def test_booleans_read_as_yes_and_no_whatever_their_type():
    import numpy as np

    from aluminium.numbers import fmt, format_column

    assert [fmt(True), fmt(np.bool_(False))] == ["yes", "no"]
    assert format_column(np.array([True, False])) == ["yes", "no"]
