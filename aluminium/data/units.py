"""The data package's units: the unit table every number's unit comes from, and the unit suffix a
column or parameter name ends in (the catalogue checks a column's unit against its name; the
label map falls back on it)."""
from __future__ import annotations

import difflib

from aluminium.errors import DataError

# A name (column or parameter) ends in its unit: the catalogue's unit must agree, and the label
# map falls back on it. Longest suffix first; each suffix's first unit is the one to print.
UNIT_SUFFIXES = (
    ("_kg_per_vehicle", ("kg/vehicle",)), ("_mn_vehicles", ("million vehicles",)), ("_kt_per_gw", ("kt/GW",)),
    ("_kwh_per_t", ("kWh/t",)), ("_t_per_t", ("t/t",)), ("_cny_kwh", ("CNY/kWh",)), ("_usc_kwh", ("US cents/kWh",)),
    ("_usd_mwh", ("USD/MWh",)), ("_kwh_t", ("kWh/t",)), ("_cny_t", ("CNY/t",)), ("_usd_t", ("USD/t",)),
    ("_kt", ("kt", "kt/yr")), ("_mt", ("Mt", "Mt/yr")), ("_pct", ("%",)), ("_pp", ("pp",)), ("_bp", ("bp",)),
    ("_gwh", ("GWh",)), ("_gw", ("GW",)), ("_km", ("km",)),
)


# The unit table: every unit a number in the data package may carry (a fact's ``unit`` cell, a
# column's catalogue ``unit``). A unit outside it is a typo until it is added here.
UNITS = frozenset({
    "%", "pp", "bp", "percentage points", "percentile", "index", "ratio", "x",
    "kt", "kt/yr", "Mt", "Mt/yr", "t/t", "kt/GW", "kt per 100 GW", "t/MW", "kg/vehicle", "million vehicles",
    "CNY/t", "USD/t", "USD/dmt", "USD/MWh", "USD/mmbtu", "US cents/kWh", "kWh/t", "CNY/kWh",
    "USD mn", "USD bn", "mn (currency not stated)",
    "GW", "GWh", "km", "m", "L/100 km",
    "year", "years", "months", "days",
    "count", "cuts", "smelters", "states", "lots", "products",
    "% a year", "% of demand", "per % of demand", "% of price per unit traded", "fraction", "CNY/USD",
    "kt per 1,000 CNY/t", "price ÷ cost floor",
    "see unit column",
})


def check_unit(unit: str, where: str) -> None:
    """A unit from the unit table, or a DataError naming the place and the closest unit."""
    if unit not in UNITS:
        close = difflib.get_close_matches(unit, sorted(UNITS), n=1, cutoff=0.5)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise DataError(f"{where}: unit {unit!r} is not in the unit table (aluminium.data.units.UNITS){hint}")


def unit_of_name(column: str) -> tuple[str, tuple[str, ...]] | None:
    """The unit suffix a name carries and the units it allows (the first is printed), if it has one."""
    for suffix, units in UNIT_SUFFIXES:
        if column.endswith(suffix):
            return suffix, units
    return None


def unit_stem(column: str) -> str:
    """A name without its unit suffix (``alumina_price_cny_t`` → ``alumina_price``)."""
    found = unit_of_name(column)
    return column[: -len(found[0])] if found else column
