"""The book's one number formatter: every number a reader sees goes through here.

Rules (the house style of the book's prose, tables, tooltips and generated pages):

* years have no thousands separator: ``fmt(2024, "year") == "2024"``;
* integers never show ``.0``: ``fmt(15611.0, "CNY/t") == "15,611 CNY/t"``;
* sensible precision: at least 100 → no decimals, 10–100 → one, 1–10 → two, below 1 →
  three significant figures; trailing zeros are dropped (``fmt(80.0, "%") == "80 %"``,
  ``fmt(3.75, "%") == "3.75 %"``, ``fmt(40.4626, "%") == "40.5 %"``);
* units follow the number after a space and are written one way: ``%`` (also for the
  units ``percent``/``pct``), ``pp`` for percentage points, ``bp``; a ``fraction`` is shown
  as a percentage (``fmt(0.888, "fraction") == "88.8 %"``);
* rounding is half up on the decimal shown (12.25 → 12.3), as the reports round;
* negative numbers take a typographic minus (``−4,682 CNY/t``); ``sign=True`` writes a
  plus on positive changes (``+12.5 %``);
* missing values (None, NaN) give ``missing`` (empty by default); booleans give yes/no;
  text is returned as it is.

API:

``fmt(value, unit="", *, decimals=None, sign=False, show_unit=True, missing="")``
    One number, with its unit unless ``show_unit=False`` (table cells, where the unit is
    in the column header).
``fmt_range(low, high, unit="")``
    ``"3,800–4,200 CNY/t"``.
``format_column(values, unit="")``
    A table column: the same number of decimals on every row (chosen from the column's
    typical magnitude), no units (they belong in the header), years without separators.
``choose(value, positive, negative, zero=None, tolerance=0.0)``
    The word a sentence needs for a live number: ``choose(balance, "surplus", "deficit",
    "balance")``, ``choose(margin - 5500, "above", "below")``; so key points stay true under
    any parameters.
``display_unit(unit)``
    The unit as a reader sees it (``"fraction"`` → ``"%"``, ``"year"`` → ``""``).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from numbers import Number

# A number as the book reads one from text (a data cell, --set, a parameters file): decimal, in
# any spelling Python's float() and YAML share (12, -3.5, .5, 4e-1, 1e3). Hex, octal, "1_000",
# "1,000", "inf" and "nan" are not numbers here.
DECIMAL = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
DECIMAL_RE = re.compile(DECIMAL)

MINUS = "\u2212"
PERCENT_UNITS = {"%", "percent", "pct", "fraction"}
_UNIT_DISPLAY = {"percent": "%", "pct": "%", "fraction": "%", "percentage points": "pp",
                 "year": "", "years": "years", "ratio": "", "": ""}


def display_unit(unit: str | None) -> str:
    """The unit as the reader sees it after a number or in a column header."""
    unit = (unit or "").strip()
    return _UNIT_DISPLAY.get(unit, unit)


def _is_missing(value) -> bool:
    if value is None or type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing markers
        return True
    try:
        return bool(value != value)  # NaN, pandas NA
    except (TypeError, ValueError):
        return False


def decimals_for(value: float) -> int:
    """How many decimals a number of this size deserves (see the module docstring)."""
    size = abs(value)
    if size == 0 or size >= 100:
        return 0
    if size >= 10:
        return 1
    if size >= 1:
        return 2
    # Three significant figures below 1 (0.451, 0.0512), never more than six decimals.
    return min(6, 2 - int(math.floor(math.log10(size))))


def _digits(value: float, decimals: int, strip: bool) -> str:
    # Half up on the decimal the reader sees (12.25 → 12.3), as the reports round.
    rounded = Decimal(repr(abs(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _signed(text: str, negative: bool, sign: bool) -> str:
    if negative and text.strip("0.,") != "":
        return MINUS + text
    if sign and not negative and text.strip("0.,") != "":
        return "+" + text
    return text


def fmt(value, unit: str = "", *, decimals: int | None = None, sign: bool = False,
        show_unit: bool = True, missing: str = "") -> str:
    """One number as the book prints it (see the module docstring for the rules)."""
    if _is_missing(value):
        return missing
    if isinstance(value, bool) or getattr(getattr(value, "dtype", None), "kind", "") == "b":  # numpy's too
        return "yes" if value else "no"
    if not isinstance(value, Number):
        return str(value)
    unit = (unit or "").strip()
    number = float(value)
    if not math.isfinite(number):
        return missing
    if unit == "fraction":
        number *= 100
    if unit == "year":
        text = f"{abs(number):.0f}" if number.is_integer() else f"{abs(number):.1f}"
    else:
        text = _digits(number, decimals_for(number) if decimals is None else decimals, strip=decimals is None)
    text = _signed(text, number < 0, sign)
    shown = display_unit(unit)
    return f"{text} {shown}" if show_unit and shown else text


def fmt_range(low, high, unit: str = "", **kwargs) -> str:
    """A range with an en dash and the unit once: ``"3,800–4,200 CNY/t"``."""
    lo = fmt(low, unit, show_unit=False, **kwargs)
    hi = fmt(high, unit, show_unit=True, **kwargs)
    return f"{lo}–{hi}"


def format_column(values: Iterable, unit: str = "") -> list[str]:
    """A table column's cells: one number of decimals for the whole column, no unit."""
    values = list(values)
    numbers = [float(v) for v in values
               if isinstance(v, Number) and not isinstance(v, bool) and not _is_missing(v)
               and math.isfinite(float(v))]
    if unit == "year":
        return [fmt(v, "year") for v in values]
    scale = 100 if unit == "fraction" else 1
    if not numbers or all((n * scale).is_integer() for n in numbers):
        decimals = 0
    else:
        sizes = sorted(abs(n * scale) for n in numbers if n != 0)
        typical = sizes[len(sizes) // 2] if sizes else 0.0
        decimals = decimals_for(typical)
    return [fmt(v, unit, decimals=decimals, show_unit=False) for v in values]


def choose(value, positive: str, negative: str, zero: str | None = None, tolerance: float = 0.0) -> str:
    """``positive`` above ``tolerance``, ``negative`` below −``tolerance``, else ``zero`` (or
    ``positive`` when no word for zero is given)."""
    number = float(value)
    if number > tolerance:
        return positive
    if number < -tolerance:
        return negative
    return zero if zero is not None else positive
