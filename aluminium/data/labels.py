"""The book's one label map: every column, series value and parameter → what a reader sees.

``data/labels.csv`` (catalogue resource ``labels``) holds one row per machine name (``name,label,unit``): the catalogue's
columns, the chapters' derived columns, series values that reach a legend (``power``,
``consumer_durables``) and the parameters (by short name; ``smelting.power_price_cny_kwh``
and ``power_price_cny_kwh`` share one row). Tables, legends, tooltips, axis titles and the
assumptions block all read it, so a column is named the same way everywhere.

API:

``label(name, *, with_unit=True, resource=None)``
    ``"Power price (CNY/kWh)"`` (or ``"Power price"``). A name missing from the file is
    turned into words from its snake_case and unit suffix (``bauxite_need_kt`` →
    ``"Bauxite need (kt)"``), so a reader never sees a machine name; the catalogue's columns
    and every parameter are required to have a row (tests/test_labels.py). Where one table
    uses a name differently, a row ``resource:name`` overrides it for that table.
``unit(name)``
    The unit of a column or parameter (``"CNY/kWh"``; ``"year"`` for years; ``""`` for text).
``series(value)``
    A series value as a legend shows it (``"consumer_durables"`` → ``"Consumer durables"``);
    text that is not a machine name is returned unchanged.
``tooltip(df, columns)``
    Altair tooltips with labelled titles and number formats matching the book's formatter.
``axis_title(name)``
    The same as ``label(name)``: a quantitative axis title with its unit in parentheses.
``relabel(df)``
    A copy of a frame with its series values (text columns) shown as labels, for charts
    whose legends read values.
"""
from __future__ import annotations

import functools
import re

from aluminium.data import catalogue, units
from aluminium.numbers import decimals_for, display_unit
from aluminium.paths import DATA_DIR

LABELS_FILE = DATA_DIR / "labels.csv"  # catalogue resource "labels"
MACHINE_NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")

_WORDS = {"al": "aluminium", "nev": "NEV", "ice": "ICE", "pv": "PV", "hhi": "HHI", "lme": "LME",
          "shfe": "SHFE", "cif": "CIF", "fob": "FOB", "yoy": "year-on-year", "cu": "copper",
          "usd": "USD", "cny": "CNY", "zh": "(as printed)", "vs": "vs", "mid": "midpoint"}




def _table() -> dict[str, tuple[str, str]]:
    """The label file, validated by the catalogue (which notes it as read, for the build cache);
    read again only when the file changes."""
    path = LABELS_FILE
    return _read(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _read(path, mtime_ns: int) -> dict[str, tuple[str, str]]:
    df = catalogue.load("labels")
    return dict(zip(df["name"], zip(df["label"], df["unit"].fillna("").astype(str))))


def known(name: str, resource: str | None = None) -> bool:
    """Whether the label file has a row for this name (or the parameter's short name)."""
    return _key(name, resource) in _table()


def _key(name: str, resource: str | None = None) -> str:
    """The row for a name: ``resource:name`` where one table uses a name differently, else the
    name, else a parameter's short name."""
    table = _table()
    if resource and f"{resource}:{name}" in table:
        return f"{resource}:{name}"
    if name in table:
        return name
    return name.split(".", 1)[-1]


def _words(name: str) -> tuple[str, str]:
    """A label and unit from a machine name's snake_case and unit suffix."""
    base, unit = name.split(".", 1)[-1], ""
    found = units.unit_of_name(base)
    if found and base != found[0].lstrip("_"):
        base, unit = base[: -len(found[0])], found[1][0]
    words = [_WORDS.get(w, w) for w in base.split("_") if w]
    text = " ".join(words)
    return (text[:1].upper() + text[1:]) if text else name, unit


def _entry(name: str, resource: str | None = None) -> tuple[str, str]:
    return _table().get(_key(name, resource)) or _words(name)


def unit(name: str, resource: str | None = None) -> str:
    """The unit of a column or parameter ("" for text columns)."""
    return _entry(name, resource)[1]


def label(name: str, *, with_unit: bool = True, resource: str | None = None) -> str:
    """What a reader sees for a column or parameter: "Power price (CNY/kWh)"."""
    text, u = _entry(name, resource)
    shown = display_unit(u)
    return f"{text} ({shown})" if with_unit and shown else text


axis_title = label


def series(value) -> str:
    """A series value as a legend or table cell shows it; ordinary text passes unchanged."""
    if not isinstance(value, str):
        return value
    if value in _table():
        return _table()[value][0]
    if MACHINE_NAME.match(value):
        return _words(value)[0]
    return value


def relabel(df, columns=None):
    """A copy of ``df`` whose text columns (or ``columns``) show series labels, not machine names."""
    import pandas as pd

    out = df.copy()
    cols = columns if columns is not None else [
        c for c in out.columns if pd.api.types.is_object_dtype(out[c]) or pd.api.types.is_string_dtype(out[c])]
    for c in cols:
        out[c] = out[c].map(series)
    out.attrs = dict(df.attrs)
    return out


def number_format(name: str, values=None) -> str:
    """A d3 number format for a column, with the decimals the book's formatter would choose."""
    u = unit(name)
    if u == "year":
        return "d"
    decimals = 0
    if values is not None:
        nums = [abs(float(v)) for v in values if v == v and v is not None and float(v) != 0]
        if nums and not all(float(n).is_integer() for n in nums):
            decimals = decimals_for(sorted(nums)[len(nums) // 2])
    return f",.{decimals}f"


def tooltip(df, columns) -> list:
    """Altair tooltips for ``columns`` of ``df``: labelled titles, numbers formatted."""
    import altair as alt
    import pandas as pd

    out = []
    for col in columns:
        if pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col]):
            kind = "O" if unit(col) == "year" else "Q"
            out.append(alt.Tooltip(f"{col}:{kind}", title=label(col),
                                   format=number_format(col, df[col].dropna().tolist())))
        elif pd.api.types.is_datetime64_any_dtype(df[col]):
            out.append(alt.Tooltip(f"{col}:T", title=label(col), format="%b %Y"))
        else:
            out.append(alt.Tooltip(f"{col}:N", title=label(col)))
    return out
