"""Flags as findings: the reports' own inconsistencies grouped by problem, not listed by row.

The data flags a problem once per group of the rule it breaks (one row per failing year, say),
each flagged row carrying the same sentence that states the problem with its numbers. Here the
flagged rows of every table are gathered into groups: one per table and problem sentence, with the
rows it affects and, where a table rule measured it, the size of the largest gap.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from aluminium.data import catalogue

_RULE_SEPARATOR = " — flagged: "


@dataclass(frozen=True)
class FlagGroup:
    resource: str          # catalogue name of the table
    title: str             # the table's title, for readers
    problem: str           # one sentence stating the problem with its numbers
    rows: tuple[str, ...]  # the rows affected, as a reader would name them ("2017 · Other")
    lines: tuple[int, ...]  # their CSV lines (header is line 1)
    magnitude: float | None  # largest gap a table rule measured (None when no rule measures it)
    unit: str              # unit of the magnitude ("" when there is none)

    @property
    def count(self) -> int:
        return len(self.lines)


def problem_of(reason: str) -> str:
    """The data's own sentence from a validation flag (rule failures prefix the rule's detail)."""
    return reason.split(_RULE_SEPARATOR, 1)[1] if _RULE_SEPARATOR in reason else reason


def _row_label(res: dict, row: pd.Series) -> str:
    if res["name"] == "facts":
        return str(row.get("quantity") or row.get("id"))
    key = res["schema"].get("primaryKey") or [res["schema"]["fields"][0]["name"]]
    key = [key] if isinstance(key, str) else key
    return " · ".join(str(row[k]) for k in key if k in row and pd.notna(row[k]))


def _rule_unit(res: dict) -> str:
    # Only the rules that measure a gap (sums and totals) give the magnitude its unit.
    columns = [c.get("column") for c in res.get("checks") or []
               if c.get("column") and c["type"] in ("sum_equals", "sum_at_most", "total_equals_parts")]
    if not columns:
        return ""
    unit = catalogue.res_field(res, columns[0]).get("unit", "")
    return "points" if unit == "%" else unit


def groups(reports=None) -> list[FlagGroup]:
    """Every flag group of the data package, table by table in catalogue order, problems in
    order of first appearance. ``reports`` are ``catalogue.validate_all()`` results (run if None)."""
    reports = catalogue.validate_all() if reports is None else reports
    by_name = {r["name"]: r for r in catalogue.resources()}
    out = []
    for rep in reports:
        if not rep.flags:
            continue
        res = by_name[rep.resource]
        df = catalogue.load(rep.resource)
        found: dict[str, list] = {}
        for f in rep.flags:
            found.setdefault(problem_of(f.reason), []).append(f)
        for problem, fl in found.items():
            gaps = [abs(f.gap) for f in fl if f.gap is not None]
            lines = tuple(sorted({f.line for f in fl}))
            labels = tuple(_row_label(res, df.loc[line - 2]) for line in lines)
            out.append(FlagGroup(rep.resource, res.get("title", rep.resource), problem, labels, lines,
                                 max(gaps) if gaps else None, _rule_unit(res) if gaps else ""))
    return out


def table(reports=None) -> pd.DataFrame:
    """The groups as one reader's table: table, problem, rows affected (count), largest gap."""
    rows = [{"table": g.title, "problem": g.problem, "rows affected": g.count,
             "largest gap": g.magnitude, "unit of the gap": g.unit} for g in groups(reports)]
    return pd.DataFrame(rows, columns=["table", "problem", "rows affected", "largest gap", "unit of the gap"])
