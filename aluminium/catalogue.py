"""The data package: load the catalogue (`data/datapackage.yaml`), load and validate tables.

Validation happens on every load, so a chapter can never chart a table that breaks its
catalogue entry. Column types and constraints are checked with pandera; the table-level
rules of the catalogue (`checks`) are checked here. Rows whose `flag` column carries a
reason are reported as flagged instead of failing (the reports' own disagreements are
kept, not fixed).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import yaml

from .errors import DataError
from .paths import DATA_DIR

CATALOGUE_FILE = "datapackage.yaml"

_PANDAS_TYPES = {
    "integer": "Int64",
    "number": "Float64",
    "string": "string",
    "boolean": "boolean",
    "yearmonth": "string",
}


# A column's name ends in its unit; the catalogue's unit must agree (longest suffix first).
UNIT_SUFFIXES = (
    ("_kg_per_vehicle", {"kg/vehicle"}), ("_mn_vehicles", {"million vehicles"}), ("_t_per_t", {"t/t"}),
    ("_cny_kwh", {"CNY/kWh"}), ("_kwh_t", {"kWh/t"}), ("_cny_t", {"CNY/t"}), ("_usd_t", {"USD/t"}),
    ("_kt", {"kt", "kt/yr"}), ("_mt", {"Mt", "Mt/yr"}), ("_pct", {"%"}), ("_bp", {"bp"}),
    ("_gwh", {"GWh"}), ("_gw", {"GW"}), ("_km", {"km"}),
)


def unit_of_name(column: str) -> tuple[str, set[str]] | None:
    """The unit suffix a column name carries and the units it allows, if it has one."""
    for suffix, units in UNIT_SUFFIXES:
        if column.endswith(suffix):
            return suffix, units
    return None


def _stem(column: str) -> str:
    found = unit_of_name(column)
    return column[: -len(found[0])] if found else column


@dataclass(frozen=True)
class Flag:
    """A row the data keeps as the source printed it, with the reason it is doubtful."""

    resource: str
    line: int
    reason: str
    gap: float | None = None  # what a table rule measured (e.g. total − parts), in the column's unit


@dataclass
class ValidationReport:
    resource: str
    rows: int
    flags: list[Flag] = field(default_factory=list)


def _line(index) -> int:
    """CSV line number of a data row (header is line 1)."""
    return int(index) + 2


@functools.lru_cache(maxsize=4)
def _read_catalogue(path: Path, mtime_ns: int) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe loader, C speed
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: malformed YAML: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("resources"), list):
        raise DataError(f"{path}: expected a mapping with a 'resources' list")
    names = [r.get("name") for r in doc["resources"]]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise DataError(f"{path}: resource names used twice: {', '.join(dupes)}")
    return doc


def catalogue(data_dir: Path | None = None) -> dict:
    """The parsed catalogue (cached until the file changes)."""
    path = Path(data_dir or DATA_DIR) / CATALOGUE_FILE
    if not path.exists():
        raise DataError(f"{path}: catalogue not found")
    note_read(path)
    return _read_catalogue(path, path.stat().st_mtime_ns)


def resources(data_dir: Path | None = None) -> list[dict]:
    return catalogue(data_dir)["resources"]


def resource(name: str, data_dir: Path | None = None) -> dict:
    for res in resources(data_dir):
        if res["name"] == name:
            return res
    import difflib

    close = difflib.get_close_matches(name, [r["name"] for r in resources(data_dir)], n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise DataError(f"unknown dataset '{name}'{hint}")


def _schema(res: dict) -> pa.DataFrameSchema:
    columns = {}
    for fld in res["schema"]["fields"]:
        cons = fld.get("constraints", {}) or {}
        checks = []
        if "minimum" in cons:
            checks.append(pa.Check.ge(cons["minimum"], error=f"minimum {cons['minimum']}"))
        if "maximum" in cons:
            checks.append(pa.Check.le(cons["maximum"], error=f"maximum {cons['maximum']}"))
        if "enum" in cons:
            checks.append(pa.Check.isin(cons["enum"], error=f"one of {cons['enum']}"))
        if fld["type"] == "yearmonth":
            checks.append(pa.Check.str_matches(r"^\d{4}-(0[1-9]|1[0-2])$", error="YYYY-MM"))
        columns[fld["name"]] = pa.Column(
            _PANDAS_TYPES[fld["type"]],
            checks=checks,
            nullable=not cons.get("required", False),
            unique=bool(cons.get("unique", False)),
            coerce=True,
            required=True,
        )
    return pa.DataFrameSchema(columns, strict=True, ordered=False)


def _flag_reasons(df: pd.DataFrame) -> pd.Series:
    if "flag" not in df.columns:
        return pd.Series("", index=df.index, dtype="string")
    return df["flag"].fillna("").astype("string").str.strip()


def _describe_row(res: dict, df: pd.DataFrame, index) -> str:
    keys = res["schema"].get("primaryKey") or []
    if index is None or index not in df.index or not keys:
        return ""
    parts = [f"{k}={df.at[index, k]}" for k in keys if k in df.columns]
    return f" ({', '.join(parts)})" if parts else ""


def _check_columns(res: dict, df: pd.DataFrame, where: str) -> pd.DataFrame:
    declared = [f["name"] for f in res["schema"]["fields"]]
    missing = [c for c in declared if c not in df.columns]
    extra = [c for c in df.columns if c not in declared]
    for col in extra:
        twin = next((m for m in missing if unit_of_name(col) and _stem(m) == _stem(col)), None)
        if twin:
            raise DataError(f"{where}: column '{col}' is in the wrong unit: the catalogue entry '{res['name']}' "
                            f"declares '{twin}' ({res_field(res, twin).get('unit')})")
    if missing:
        raise DataError(f"{where}: missing column(s) {', '.join(missing)} declared in the catalogue entry '{res['name']}'")
    if extra:
        raise DataError(f"{where}: column(s) {', '.join(extra)} not declared in the catalogue entry '{res['name']}'")
    for fld in res["schema"]["fields"]:
        name, unit = fld["name"], fld.get("unit")
        if fld["type"] not in ("integer", "number"):
            continue
        if unit is None:
            raise DataError(f"{where}: catalogue entry '{res['name']}' gives no unit for numeric column '{name}'")
        named = unit_of_name(name)
        if named and unit not in named[1]:
            raise DataError(f"{where}: column '{name}' is named in {named[0][1:]} but catalogue entry "
                            f"'{res['name']}' gives unit '{unit}' (expected {' or '.join(sorted(named[1]))})")
    try:
        return _schema(res).validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        # A value that cannot be coerced also fails the value checks of its column with a
        # TypeError and no index; the coercion failure already names the row.
        cases = cases[cases["index"].notna() | cases["check"].astype(str).str.startswith("column_in")]
        first = cases.iloc[0]
        col, check, bad = first["column"], str(first["check"]), first["failure_case"]
        bad = bad.item() if hasattr(bad, "item") else bad  # numpy scalar → plain number for the message
        if first["index"] is None or pd.isna(first["index"]):
            raise DataError(f"{where}: column '{col}': rule '{check}' failed ({bad})") from None
        idx = int(first["index"])
        more = f" (and {len(cases) - 1} more)" if len(cases) > 1 else ""
        rule = check.replace("coerce_dtype", "type").replace("dtype", "type")
        raise DataError(
            f"{where}, line {_line(idx)}{_describe_row(res, df, idx)}: column '{col}' value {bad!r} "
            f"breaks rule '{rule}'{more}"
        ) from None


_BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}


def _parse_booleans(res: dict, raw: pd.DataFrame) -> pd.DataFrame:
    """CSV booleans are text; map the usual spellings, leave anything else for the type check."""
    for fld in res["schema"]["fields"]:
        if fld["type"] == "boolean" and fld["name"] in raw.columns:
            col = raw[fld["name"]]
            raw[fld["name"]] = col.map(lambda v: _BOOLEANS.get(v.strip().lower(), v) if isinstance(v, str) else v)
    return raw


def res_field(res: dict, name: str) -> dict:
    return next(f for f in res["schema"]["fields"] if f["name"] == name)


def _run_checks(res: dict, df: pd.DataFrame, where: str) -> list[Flag]:
    """Table rules from the catalogue. Failures on flagged rows become flags, others errors."""
    flags: list[Flag] = []
    reasons = _flag_reasons(df)

    def fail(rule: str, rows: list, detail: str, gap: float | None = None) -> None:
        # One flagged row is enough for a failing group: a problem is flagged once, not on every row.
        flagged = [r for r in rows if reasons.get(r, "")]
        if flagged:
            for r in flagged:
                flags.append(Flag(res["name"], _line(r), f"{rule}: {detail} — flagged: {reasons[r]}", gap))
            return
        first = next(r for r in rows if not reasons.get(r, ""))
        raise DataError(f"{where}, line {_line(first)}{_describe_row(res, df, first)}: rule '{rule}' failed: {detail}")

    for check in res.get("checks", []) or []:
        kind = check["type"]
        tol = float(check.get("tolerance", 0))
        groups = check.get("group_by") or []
        grouped = df.groupby(groups, dropna=False, sort=False) if groups else [((), df)]
        if kind in ("sum_equals", "sum_at_most"):
            col, target = check["column"], float(check.get("target", 100))
            for key, part in grouped:
                total = float(part[col].sum(skipna=True))
                bad = total - target > tol if kind == "sum_at_most" else abs(total - target) > tol
                if bad:
                    op = "≤" if kind == "sum_at_most" else "="
                    fail(kind, list(part.index), f"sum of {col} is {total:g}, expected {op} {target:g} ± {tol:g} for {dict(zip(groups, _as_tuple(key)))}",
                         total - target)
        elif kind == "total_equals_parts":
            col, label_col, total_label = check["column"], check["label_column"], check["total_label"]
            for key, part in grouped:
                is_total = part[label_col] == total_label
                if not is_total.any():
                    continue
                total = float(part.loc[is_total, col].sum())
                parts = float(part.loc[~is_total, col].sum(skipna=True))
                if abs(total - parts) > tol:
                    rows = list(part.index[is_total])
                    fail(kind, rows, f"{label_col}={total_label} has {col}={total:g} but the parts sum to {parts:g} (difference {total - parts:+g}, tolerance {tol:g})",
                         total - parts)
        elif kind == "row_expression":
            expr = check["expression"]
            try:
                residual = df.eval(expr)
            except Exception as exc:  # noqa: BLE001 - any eval error is a catalogue error
                raise DataError(f"{where}: check expression '{expr}' cannot be evaluated: {exc}") from exc
            bad = residual.abs() > tol
            bad &= residual.notna()
            for idx in df.index[bad]:
                fail(kind, [idx], f"'{expr}' = {float(residual[idx]):g}, expected 0 ± {tol:g}", float(residual[idx]))
        else:
            raise DataError(f"{where}: unknown check type '{kind}' in catalogue entry '{res['name']}'")
    # Rows flagged in the data but broken by no rule are still reported.
    seen = {f.line for f in flags}
    for idx in df.index[reasons != ""]:
        if _line(idx) not in seen:
            flags.append(Flag(res["name"], _line(idx), str(reasons[idx])))
    return flags


def _as_tuple(key) -> tuple:
    key = key if isinstance(key, tuple) else (key,)
    return tuple(k.item() if hasattr(k, "item") else k for k in key)  # plain values for messages


def read_resource(res: dict, data_dir: Path | None = None) -> tuple[pd.DataFrame, ValidationReport]:
    """Read one catalogue resource from its CSV and validate it.

    A file is validated once per process for each version of it and of its catalogue entry
    (keyed by path, modification time, size and entry); callers get their own copy.
    """
    path = Path(data_dir or DATA_DIR) / res["path"]
    if not path.exists():
        raise DataError(f"{path}: file not found (catalogue entry '{res['name']}')")
    stat = path.stat()
    df, report = _validated(str(path), stat.st_mtime_ns, stat.st_size, json.dumps(res, sort_keys=True, default=str))
    return df.copy(), report


@functools.lru_cache(maxsize=256)
def _validated(where: str, mtime_ns: int, size: int, res_json: str) -> tuple[pd.DataFrame, ValidationReport]:
    res = json.loads(res_json)
    try:
        raw = pd.read_csv(where, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(f"{where}: cannot be read as UTF-8 CSV: {exc}") from exc
    raw = _parse_booleans(res, raw)
    df = _check_columns(res, raw, where)
    flags = _run_checks(res, df, where)
    return df, ValidationReport(res["name"], len(df), flags)


def load(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """A validated table from the data package, by catalogue name.

    The frame carries its catalogue entry in ``df.attrs['resource']`` so charts and
    tables can cite their source without the notebook repeating it.
    """
    res = resource(name, data_dir)
    df, _ = read_resource(res, data_dir)
    df.attrs["resource"] = res
    note_read(Path(data_dir or DATA_DIR) / res["path"])
    return df


def validate_all(data_dir: Path | None = None) -> list[ValidationReport]:
    """Validate every resource; raise on the first error, return flags otherwise."""
    return [read_resource(res, data_dir)[1] for res in resources(data_dir)]


# Which data files this process read: the build uses it as a chapter's data dependencies.
_READ: set[Path] = set()


def note_read(path: Path) -> None:
    path = path.resolve()
    if path in _READ:
        return
    _READ.add(path)
    # The build runs chapters in their own kernels and learns what each read from here.
    deps_file = os.environ.get("ALUMINIUM_DEPS_FILE")
    if deps_file:
        with open(deps_file, "a", encoding="utf-8") as fh:
            fh.write(f"{path}\n")


def files_read() -> list[Path]:
    return sorted(_READ)


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
