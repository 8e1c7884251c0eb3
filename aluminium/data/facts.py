"""Scalar facts from the reports (`data/facts.csv`): unit consumptions, caps, ranges, shares.

Chapters and parameter defaults read facts by id, so every number traces to a report.
"""
from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from aluminium.data import catalogue
from aluminium.errors import DataError
from aluminium.numbers import fmt

FACTS_RESOURCE = "facts"


@dataclass(frozen=True)
class Fact:
    id: str
    quantity: str
    value: float | None
    low: float | None
    high: float | None
    unit: str
    period: str
    source: str
    location: str
    note: str
    flag: str

    @property
    def central(self) -> float:
        """The value, or the midpoint of the range when the report gives only a range."""
        if self.value is not None:
            return self.value
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        raise DataError(f"fact '{self.id}' has neither a value nor a full range")

    def citation(self) -> str:
        return f"{self.source}, {self.location}"


def table(data_dir: Path | None = None) -> pd.DataFrame:
    return catalogue.load(FACTS_RESOURCE, data_dir)


@functools.lru_cache(maxsize=8)
def _index(data_dir: Path | None, mtime_ns: int) -> dict[str, Fact]:
    df = table(data_dir)
    out = {}
    for row in df.itertuples(index=False):
        def num(v):
            return None if pd.isna(v) else float(v)

        def text(v):
            return "" if pd.isna(v) else str(v)

        out[row.id] = Fact(row.id, text(row.quantity), num(row.value), num(row.low), num(row.high),
                           text(row.unit), text(row.period), text(row.source), text(row.location),
                           text(row.note), text(row.flag))
    return out


def all_facts(data_dir: Path | None = None) -> dict[str, Fact]:
    res = catalogue.resource(FACTS_RESOURCE, data_dir)
    path = Path(data_dir or catalogue.DATA_DIR) / res["path"]
    return _index(data_dir, path.stat().st_mtime_ns)


def fact(fact_id: str, data_dir: Path | None = None) -> Fact:
    facts = all_facts(data_dir)
    if fact_id not in facts:
        close = difflib.get_close_matches(fact_id, list(facts), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise DataError(f"data/facts.csv: no fact with id '{fact_id}'{hint}")
    return facts[fact_id]


def frame(ids, data_dir: Path | None = None) -> pd.DataFrame:
    """The named facts as a table, one row per id in the order given: ``id``, ``quantity``,
    ``value``, ``low``, ``high``, ``unit``, ``period``, ``source``, ``location``, ``flag``.
    An unknown id raises DataError (with a suggestion)."""
    rows = []
    for fid in ids:
        f = fact(fid, data_dir)
        rows.append({"id": f.id, "quantity": f.quantity, "value": f.value, "low": f.low, "high": f.high,
                     "unit": f.unit, "period": f.period, "source": f.source, "location": f.location,
                     "flag": f.flag})
    return pd.DataFrame(rows)


def display_table(ids, data_dir: Path | None = None) -> pd.DataFrame:
    """:func:`frame` for a reader: the value as text (a range as "low–high", a bound as "≥ x" or
    "≤ x"), formatted by the book's one number formatter; ``fact`` keeps the id for provenance."""
    def shown(r) -> str:
        if pd.notna(r.value):
            return fmt(r.value, r.unit, show_unit=False)
        lo = fmt(r.low, r.unit, show_unit=False) if pd.notna(r.low) else ""
        hi = fmt(r.high, r.unit, show_unit=False) if pd.notna(r.high) else ""
        return f"{lo}–{hi}" if lo and hi else (f"≥ {lo}" if lo else f"≤ {hi}")

    facts = frame(ids, data_dir)
    return pd.DataFrame({"fact": facts["id"], "quantity": facts["quantity"],
                         "value": [shown(r) for r in facts.itertuples()], "unit": facts["unit"],
                         "period": facts["period"], "source": facts["source"], "flag": facts["flag"]})
