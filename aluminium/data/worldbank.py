"""Loader for the World Bank's monthly commodity price workbook (the "Pink Sheet").

The workbook (``CMO-Historical-Data-Monthly.xlsx``, CC BY 4.0, World Bank Commodity Markets)
is not part of the repository: a reader points the book at a copy with the parameter
``pricing.worldbank_file``. Its layout, which :func:`load_monthly` checks before reading:

- sheet ``Monthly Prices``; title rows at the top;
- row 5: series names (``Aluminum``, ``Copper``, ...), column A empty;
- row 6: units in parentheses (``($/mt)``);
- row 7: series codes (``ALUMINUM``);
- from row 8: one row per month, the date in column A written ``1960M01``; a missing
  value is written ``…``.

Every layout error names the file, the sheet and the row (and column where it helps).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from aluminium import paths
from aluminium.data import catalogue, reads
from aluminium.errors import DataError

SHEET = "Monthly Prices"
NAME_ROW, UNIT_ROW, CODE_ROW, FIRST_DATA_ROW = 5, 6, 7, 8
DATE = re.compile(r"^(\d{4})M(0[1-9]|1[0-2])$")
MISSING = {"…", "...", "..", "", "n.a.", "na"}
DEFAULT_SERIES = ("Aluminum", "Copper")
SOURCE = "World Bank, Commodity Price Data (the Pink Sheet), monthly, CC BY 4.0"

# The workbook writes units as "($/mt)"; the book names units as USD/t etc.
_UNITS = {"$/mt": "USD/t", "$/kg": "USD/kg", "$/bbl": "USD/bbl", "$/mmbtu": "USD/mmbtu",
          "$/dmtu": "USD/dmtu", "$/troy oz": "USD/troy oz", "$/cubic meter": "USD/m3", "$/sheet": "USD/sheet"}


def _col(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def normalise_unit(raw: str) -> str:
    """``"($/mt)"`` → ``"USD/t"``; other units lose their parentheses and keep their text."""
    inner = str(raw).strip().strip("()").strip()
    return _UNITS.get(inner, inner)


def load_monthly(path, series=DEFAULT_SERIES) -> pd.DataFrame:
    """The chosen series as a tidy frame: ``month`` (``YYYY-MM``), ``series``, ``unit``, ``value``.

    ``series`` are names exactly as in row 5 of the sheet (``Aluminum``, ``Copper``). Months
    where the workbook has no value (``…``) are left out. Raises :class:`DataError` naming the
    file, sheet and row if the workbook does not have the documented layout.
    """
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    if isinstance(series, str):
        series = (series,)
    series = tuple(series)
    if not series:
        raise ValueError("series: name at least one series (e.g. 'Aluminum')")
    if not path.is_file():
        raise DataError(f"{path}: World Bank workbook not found")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DataError(f"{path}: cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc})") from None
    reads.note_read(path)
    try:
        if SHEET not in wb.sheetnames:
            raise DataError(f"{path}: no sheet '{SHEET}' (sheets: {', '.join(wb.sheetnames)})")
        rows = list(wb[SHEET].iter_rows(values_only=True))
    finally:
        wb.close()
    where = f"{path}, sheet '{SHEET}'"
    if len(rows) < FIRST_DATA_ROW:
        raise DataError(f"{where}: has {len(rows)} row(s); expected header rows {NAME_ROW}–{CODE_ROW} "
                        f"and data from row {FIRST_DATA_ROW}")
    names, units, codes = (list(rows[r - 1]) for r in (NAME_ROW, UNIT_ROW, CODE_ROW))
    stripped = [str(n).strip() if n is not None else "" for n in names]
    cols = {}
    for s in series:
        if s not in stripped:
            import difflib

            close = difflib.get_close_matches(s, [n for n in stripped if n], n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise DataError(f"{where}, row {NAME_ROW}: no series named '{s}' in the series-name row{hint}")
        j = stripped.index(s)
        unit = units[j] if j < len(units) else None
        if not (isinstance(unit, str) and unit.strip().startswith("(") and unit.strip().endswith(")")):
            raise DataError(f"{where}, row {UNIT_ROW}, column {_col(j)}: expected the unit of '{s}' in "
                            f"parentheses such as '($/mt)', got {unit!r}")
        code = codes[j] if j < len(codes) else None
        if not (isinstance(code, str) and code.strip()):
            raise DataError(f"{where}, row {CODE_ROW}, column {_col(j)}: expected the series code of '{s}', got {code!r}")
        cols[s] = (j, normalise_unit(unit))

    out = []
    previous = None
    for r in range(FIRST_DATA_ROW, len(rows) + 1):
        row = rows[r - 1]
        if row is None or all(v is None for v in row):
            continue  # trailing blank rows
        raw_date = row[0]
        m = DATE.match(str(raw_date).strip()) if raw_date is not None else None
        if not m:
            raise DataError(f"{where}, row {r}, column A: expected a month written like '1960M01', got {raw_date!r}")
        month = f"{m.group(1)}-{m.group(2)}"
        if previous is not None and month <= previous:
            raise DataError(f"{where}, row {r}: month {raw_date} does not follow {previous} (rows out of order or repeated)")
        previous = month
        for s, (j, unit) in cols.items():
            v = row[j] if j < len(row) else None
            if v is None or (isinstance(v, str) and v.strip().lower() in MISSING):
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                try:
                    v = float(str(v).replace(",", ""))
                except ValueError:
                    raise DataError(f"{where}, row {r}, column {_col(j)} ('{s}'): expected a number or '…', "
                                    f"got {v!r}") from None
            out.append({"month": month, "series": s, "unit": unit, "value": float(v)})
    if not out:
        raise DataError(f"{where}: no data rows from row {FIRST_DATA_ROW} for {', '.join(series)}")
    df = pd.DataFrame(out, columns=["month", "series", "unit", "value"])
    df.attrs["source"] = SOURCE
    df.attrs["vintage"] = str(rows[3][0]).strip() if rows[3] and rows[3][0] else ""
    return df


def wide(tidy: pd.DataFrame) -> pd.DataFrame:
    """One column per series, indexed by month (``YYYY-MM``), from :func:`load_monthly`'s frame."""
    missing = {"month", "series", "value"} - set(tidy.columns)
    if missing:
        raise ValueError(f"expected a tidy frame with columns month, series, value; missing {sorted(missing)}")
    return tidy.pivot(index="month", columns="series", values="value").sort_index()


def price_ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """Ratio of two price series in the same unit (e.g. copper / aluminium, both USD/t), month by month.

    Months missing in either series, or with a zero denominator, give NaN.
    """
    both = pd.concat([numerator.rename("n"), denominator.rename("d")], axis=1)
    d = both["d"].where(both["d"] != 0)
    return (both["n"] / d).rename("ratio")


# -- the committed extract ------------------------------------------------------------------
# The monthly series the book uses, with the column each gets in the data package. The
# extract is derived from the workbook by ``derive_extract`` only, so a test can check that
# the committed file equals what the loader gives from the workbook.
EXTRACT_SERIES = {
    "Aluminum": "aluminium_usd_t",
    "Copper": "copper_usd_t",
    "Coal, Australian": "coal_australian_usd_t",
    "Natural gas, Europe": "natural_gas_europe_usd_mmbtu",
}
EXTRACT_FROM = "2000-01"  # long enough for every backtest and calibration the book runs
EXTRACT_RESOURCE = "pricing-worldbank-monthly"
EXTRACT_PATH = "pricing/worldbank_monthly.csv"


def updated_on_date(title: str) -> str:
    """``"Updated on December 03, 2024"`` → ``"2024-12-03"``; empty if the title row has no date."""
    import datetime as dt

    m = re.search(r"Updated on\s+(\w+ \d{1,2}, \d{4})", title or "")
    return dt.datetime.strptime(m.group(1), "%B %d, %Y").date().isoformat() if m else ""


def derive_extract(path) -> tuple[pd.DataFrame, dict]:
    """The extract (one row per month from ``EXTRACT_FROM``, one column per series) and its
    vintage: ``updated_on`` (the workbook's title row), ``last_month``, ``workbook_sha256``.
    Raises :class:`DataError` (naming file, sheet and row) if the workbook is not valid."""
    tidy = load_monthly(path, tuple(EXTRACT_SERIES))
    expected = {"Aluminum": "USD/t", "Copper": "USD/t", "Coal, Australian": "USD/t", "Natural gas, Europe": "USD/mmbtu"}
    for s, unit in tidy.groupby("series")["unit"].first().items():
        if unit != expected[s]:
            raise DataError(f"{path}: series '{s}' is in {unit}, expected {expected[s]}")
    w = wide(tidy[tidy["month"] >= EXTRACT_FROM]).rename(columns=EXTRACT_SERIES)
    w = w.reindex(columns=list(EXTRACT_SERIES.values())).round(4).reset_index()
    w = w.dropna(subset=["aluminium_usd_t"])
    w.columns.name = None
    meta = {"updated_on": updated_on_date(tidy.attrs.get("vintage", "")), "first_month": str(w["month"].min()),
            "last_month": str(w["month"].max()), "workbook_sha256": reads.file_digest(Path(path))}
    return w, meta


def write_extract(path, data_dir: Path | None = None) -> dict:
    """Refresh the committed extract and its vintage in the catalogue from a workbook.

    Everything is derived and checked before anything is written; the CSV and the catalogue
    are then replaced by rename, so a refused workbook leaves the old extract untouched.
    """
    data_dir = Path(data_dir or paths.DATA_DIR)
    frame, meta = derive_extract(path)
    csv_path = catalogue.replace_extract(EXTRACT_RESOURCE, EXTRACT_PATH, frame, meta, data_dir)
    return {**meta, "rows": len(frame), "path": str(csv_path)}


def extract_vintage(data_dir: Path | None = None) -> dict:
    """The committed extract's vintage as the catalogue records it."""
    res = catalogue.resource(EXTRACT_RESOURCE, data_dir)
    return {k: str(res.get(k, "")) for k in ("updated_on", "first_month", "last_month", "workbook_sha256")}


def monthly_prices(path: str = "") -> pd.DataFrame:
    """Monthly prices indexed by month, one column per series named as in the workbook
    (``Aluminum``, ``Copper``, ``Coal, Australian``, ``Natural gas, Europe``): from the
    workbook at ``path`` if one is given, else from the committed extract."""
    if path:
        frame, _ = derive_extract(path)
    else:
        frame = catalogue.load(EXTRACT_RESOURCE)
    back = {v: k for k, v in EXTRACT_SERIES.items()}
    out = frame.set_index("month").rename(columns=back)[list(EXTRACT_SERIES)]
    out.attrs["source"] = SOURCE
    return out


def annual_average(monthly: pd.Series, min_months: int = 11) -> pd.Series:
    """Calendar-year averages of a monthly series indexed ``YYYY-MM``; years with fewer than
    ``min_months`` months are left out (a partial year is named as such by its month count)."""
    s = monthly.dropna()
    years = s.index.str.slice(0, 4).astype(int)
    g = s.groupby(years)
    out = g.mean()[g.count() >= min_months]
    out.index.name = "year"
    return out
