"""The data package: load the catalogue (`data/datapackage.yaml`), load and validate tables.

Validation happens on every load, so a chapter can never chart a table that breaks its
catalogue entry. The file itself is checked first (not empty, UTF-8 without a byte-order
mark, every line as many fields as the header, at least one data row), with the standard
library's CSV reader so each error names its line; column types and constraints are
checked with pandera; the primary key and the table-level rules of the catalogue
(`checks`: sums, totals, row counts, coverage) are checked here. Rows whose `flag` column carries a
reason are reported as flagged instead of failing (the reports' own disagreements are
kept, not fixed).
"""
from __future__ import annotations

import codecs
import csv
import difflib
import functools
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import yaml

from aluminium.data import claimsfile
from aluminium.data.reads import note_read
from aluminium.data.units import check_unit, unit_of_name, unit_stem
from aluminium.errors import DataError
from aluminium.numbers import DECIMAL
from aluminium.paths import DATA_DIR

CATALOGUE_FILE = "datapackage.yaml"
CLAIMS_FILE = "claims.yaml"

_PANDAS_TYPES = {
    "integer": "Int64",
    "number": "Float64",
    "string": "string",
    "boolean": "boolean",
    "yearmonth": "string",
}


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
    for res in doc["resources"]:
        _check_entry(res, path)
    return doc


_CHECK_ARGUMENTS = {
    "sum_equals": ("column",), "sum_at_most": ("column",),
    "total_equals_parts": ("column", "label_column", "total_label"),
    "row_expression": ("expression",), "row_count": ("minimum",), "covers": ("column",),
}


def _check_entry(res: dict, path: Path) -> None:
    """A catalogue entry is complete enough to validate its table: a malformed entry is a
    catalogue error naming the entry, never a KeyError later. Every table declares its
    primary key and its expected number of rows, so a duplicated or missing row is caught."""
    name = res.get("name") if isinstance(res, dict) else None
    where = f"{path}: catalogue entry '{name}'"
    if not isinstance(res, dict) or not name or not res.get("path"):
        raise DataError(f"{path}: every resource needs a name and a path (got {res!r:.80})")
    fields = (res.get("schema") or {}).get("fields")
    if not isinstance(fields, list) or not fields:
        raise DataError(f"{where} has no schema fields")
    declared = []
    for fld in fields:
        if not isinstance(fld, dict) or fld.get("type") not in _PANDAS_TYPES:
            raise DataError(f"{where}: field {fld!r:.80} needs a name and a type, one of {', '.join(_PANDAS_TYPES)}")
        declared.append(fld.get("name"))
    keys = primary_key(res)
    if not keys:
        raise DataError(f"{where} declares no primaryKey (the columns that identify a row)")
    unknown = [k for k in keys if k not in declared]
    if unknown:
        raise DataError(f"{where}: primaryKey names undeclared column(s) {', '.join(unknown)}")
    checks = res.get("checks") or []
    for check in checks:
        kind = check.get("type") if isinstance(check, dict) else None
        if kind not in _CHECK_ARGUMENTS:
            raise DataError(f"{where}: unknown check {check!r:.80} (types: {', '.join(_CHECK_ARGUMENTS)})")
        missing = [a for a in _CHECK_ARGUMENTS[kind] if a not in check]
        if kind == "covers" and "values" not in check and not {"from", "to"} <= set(check):
            missing.append("values, or from and to")
        if missing:
            raise DataError(f"{where}: check '{kind}' needs {', '.join(missing)}")
        named = [check.get("column"), check.get("label_column"), *(check.get("group_by") or [])]
        undeclared = [c for c in named if c is not None and c not in declared]
        if undeclared:
            raise DataError(f"{where}: check '{kind}' names undeclared column(s) {', '.join(undeclared)}")
    if not any(c["type"] == "row_count" for c in checks):
        raise DataError(f"{where} declares no row_count check (the fewest rows the table may have)")


def primary_key(res: dict) -> list[str]:
    keys = (res.get("schema") or {}).get("primaryKey") or []
    return [keys] if isinstance(keys, str) else list(keys)


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
    close = difflib.get_close_matches(name, [r["name"] for r in resources(data_dir)], n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise DataError(f"unknown dataset '{name}'{hint}")


def _schema(res: dict) -> pa.DataFrameSchema:
    columns = {}
    keys = primary_key(res)
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
            # A key column is required; uniqueness is checked by _check_keys, naming both lines.
            nullable=not (cons.get("required", False) or fld["name"] in keys),
            coerce=True,
            required=True,
        )
    return pa.DataFrameSchema(columns, strict=True, ordered=False)


def _flag_reasons(df: pd.DataFrame) -> pd.Series:
    if "flag" not in df.columns:
        return pd.Series("", index=df.index, dtype="string")
    return df["flag"].fillna("").astype("string").str.strip()


def _describe_row(res: dict, df: pd.DataFrame, index) -> str:
    keys = primary_key(res)
    if index is None or index not in df.index or not keys:
        return ""
    parts = [f"{k}={df.at[index, k]}" for k in keys if k in df.columns]
    return f" ({', '.join(parts)})" if parts else ""


def _check_columns(res: dict, df: pd.DataFrame, where: str, lines: list[int]) -> pd.DataFrame:
    declared = [f["name"] for f in res["schema"]["fields"]]
    missing = [c for c in declared if c not in df.columns]
    extra = [c for c in df.columns if c not in declared]
    for col in extra:
        twin = next((m for m in missing if unit_of_name(col) and unit_stem(m) == unit_stem(col)), None)
        if twin:
            raise DataError(f"{where}, line 1: column '{col}' is in the wrong unit: the catalogue entry '{res['name']}' "
                            f"declares '{twin}' ({res_field(res, twin).get('unit')})")
    if missing:
        raise DataError(f"{where}, line 1: missing column(s) {', '.join(missing)} "
                        f"declared in the catalogue entry '{res['name']}'")
    if extra:
        raise DataError(f"{where}, line 1: column(s) {', '.join(extra)} not declared in the catalogue entry '{res['name']}'")
    for fld in res["schema"]["fields"]:
        name, unit = fld["name"], fld.get("unit")
        if fld["type"] not in ("integer", "number"):
            continue
        if unit is None:
            raise DataError(f"{where}: catalogue entry '{res['name']}' gives no unit for numeric column '{name}'")
        check_unit(unit, f"{where}: catalogue entry '{res['name']}', column '{name}'")
        bad = _first_not_decimal(df[name])
        if bad is not None:
            idx, value = bad
            raise DataError(f"{where}, line {lines[idx]}{_describe_row(res, df, idx)}: column '{name}' value "
                            f"{value[:40]!r} breaks rule 'type': a finite decimal number (12.5, -3, 4e-1) or empty")
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
            f"{where}, line {lines[idx]}{_describe_row(res, df, idx)}: column '{col}' value {bad!r} "
            f"breaks rule '{rule}'{more}"
        ) from None


_DECIMAL = re.compile(rf"\s*{DECIMAL}\s*")


def _first_not_decimal(column: pd.Series) -> tuple[int, str] | None:
    """The first cell of a numeric column that is neither empty nor a finite decimal number
    (``inf``, ``NaN``, ``0x10``, ``1,000``, ``1e999``), as (row position, text)."""
    for i, value in enumerate(column.tolist()):
        if not isinstance(value, str) or not value.strip():
            continue
        if not _DECIMAL.fullmatch(value) or not math.isfinite(float(value)):
            return i, value
    return None


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


def _check_keys(res: dict, df: pd.DataFrame, where: str, lines: list[int]) -> None:
    """The primary key (composite where declared so) and every `unique` column: no value twice."""
    pk = primary_key(res)
    unique_fields = [[f["name"]] for f in res["schema"]["fields"] if (f.get("constraints") or {}).get("unique")]
    for keys in [pk, *(u for u in unique_fields if u != pk)]:
        values = df[keys].dropna()  # key columns are required; a unique column may be empty
        repeated = values.duplicated(keep="first")
        if not repeated.any():
            continue
        again = values.index[repeated][0]
        first = values.index[(values == values.loc[again]).all(axis=1)][0]
        what = "primary key" if keys == pk else "unique column"
        more = int(repeated.sum()) - 1
        raise DataError(f"{where}, line {lines[again]}{_describe_row(res, df, again)}: {what} "
                        f"({', '.join(keys)}) repeats line {lines[first]}" + (f" (and {more} more)" if more else ""))


def _expected_values(check: dict, column_type: str) -> list:
    """The values a `covers` check requires: its `values`, or every year or month from `from` to `to`."""
    if "values" in check:
        return list(check["values"])
    if column_type == "yearmonth":
        return list(pd.period_range(str(check["from"]), str(check["to"]), freq="M").strftime("%Y-%m"))
    return list(range(int(check["from"]), int(check["to"]) + 1))


def _run_checks(res: dict, df: pd.DataFrame, where: str, lines: list[int]) -> list[Flag]:
    """Table rules from the catalogue. Failures on flagged rows become flags, others errors."""
    flags: list[Flag] = []
    reasons = _flag_reasons(df)

    def fail(rule: str, rows: list, detail: str, gap: float | None = None) -> None:
        # One flagged row is enough for a failing group: a problem is flagged once, not on every row.
        flagged = [r for r in rows if reasons.get(r, "")]
        if flagged:
            for r in flagged:
                flags.append(Flag(res["name"], lines[r], f"{rule}: {detail} — flagged: {reasons[r]}", gap))
            return
        first = next(r for r in rows if not reasons.get(r, ""))
        raise DataError(f"{where}, line {lines[first]}{_describe_row(res, df, first)}: rule '{rule}' failed: {detail}")

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
                    fail(kind, list(part.index),
                         f"sum of {col} is {total:g}, expected {op} {target:g} ± {tol:g} "
                         f"for {dict(zip(groups, _as_tuple(key)))}",
                         total - target)
        elif kind == "total_equals_parts":
            col, label_col, total_label = check["column"], check["label_column"], check["total_label"]
            for key, part in grouped:
                is_total = (part[label_col] == total_label).fillna(False)
                group = f" for {dict(zip(groups, _as_tuple(key)))}" if groups else ""
                if not is_total.any():
                    # The chapters read the total row: a renamed or deleted one is an error here.
                    raise DataError(f"{where}: rule 'total_equals_parts' failed: no row with "
                                    f"{label_col} = {total_label}{group}")
                if is_total.sum() > 1:
                    second = part.index[is_total][1]
                    raise DataError(f"{where}, line {lines[second]}: rule 'total_equals_parts' failed: a second "
                                    f"row with {label_col} = {total_label}{group}")
                total = float(part.loc[is_total, col].sum())
                parts = float(part.loc[~is_total, col].sum(skipna=True))
                if abs(total - parts) > tol:
                    rows = list(part.index[is_total])
                    fail(kind, rows, f"{label_col}={total_label} has {col}={total:g} but the parts sum to {parts:g} "
                                     f"(difference {total - parts:+g}, tolerance {tol:g})",
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
        elif kind == "row_count":
            if len(df) < int(check["minimum"]):
                raise DataError(f"{where}: {len(df)} data row(s), fewer than the {check['minimum']} the catalogue "
                                f"entry '{res['name']}' expects (rule 'row_count'; rows deleted or file truncated?)")
        elif kind == "covers":
            col = check["column"]
            expected = _expected_values(check, res_field(res, col)["type"])
            # Plain tuples, not a groupby: this runs on every table at every build.
            present = set(zip(*(df[c].tolist() for c in [*groups, col])))
            for key in dict.fromkeys(zip(*(df[c].tolist() for c in groups))) if groups else [()]:
                missing = [v for v in expected if (*key, v) not in present]
                if missing:
                    group = f" for {dict(zip(groups, key))}" if groups else ""
                    shown = ", ".join(map(str, missing[:5])) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
                    raise DataError(f"{where}: rule 'covers' failed: no row with {col} = {shown}{group} "
                                    f"(the catalogue entry '{res['name']}' expects every {col} "
                                    f"{_describe_expected(check)})")
        else:
            raise DataError(f"{where}: unknown check type '{kind}' in catalogue entry '{res['name']}'")
    # Rows flagged in the data but broken by no rule are still reported.
    seen = {f.line for f in flags}
    for idx in df.index[reasons != ""]:
        if lines[idx] not in seen:
            flags.append(Flag(res["name"], lines[idx], str(reasons[idx])))
    return flags


def _describe_expected(check: dict) -> str:
    if "values" in check:
        return "of " + ", ".join(map(str, check["values"]))
    return f"from {check['from']} to {check['to']}"


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
    text, lines = _read_csv_text(where)
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    if len(raw) != len(lines):  # the two readers disagree: never guess which line is which
        raise DataError(f"{where}: {len(lines)} data lines but pandas read {len(raw)} rows")
    raw = _parse_booleans(res, raw)
    df = _check_columns(res, raw, where, lines)
    if "unit" in df.columns:  # a table of mixed quantities names each row's unit: from the unit table
        for i, unit in enumerate(df["unit"].tolist()):
            if isinstance(unit, str) and unit:
                check_unit(unit, f"{where}, line {lines[i]}{_describe_row(res, df, i)}")
    _check_keys(res, df, where, lines)
    flags = _run_checks(res, df, where, lines)
    return df, ValidationReport(res["name"], len(df), flags)


_BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"), (codecs.BOM_UTF8, "UTF-8"),
                     (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def read_text(where: str) -> str:
    """A data file's text: refused, naming the line, when empty, not UTF-8, or opened by a byte-order mark."""
    data = Path(where).read_bytes()
    if not data.strip():
        raise DataError(f"{where}, line 1: the file is empty (expected a header line and data rows)")
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            raise DataError(f"{where}, line 1: the file starts with a {encoding} byte-order mark; "
                            "save it as UTF-8 without BOM")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise DataError(f"{where}, line {line}: NUL bytes, not UTF-8 (saved as UTF-16?); save the file as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataError(f"{where}, line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 "
                        "(saved in another encoding?); save the file as UTF-8") from None


def _read_csv_text(where: str) -> tuple[str, list[int]]:
    """The file's text and the line each data row starts on, after checking its shape.

    The standard library's strict CSV reader finds the lines pandas would silently pad
    (a truncated or ragged line) or misread (an unclosed quote), and counts lines the way
    an editor does, so every later error can name the line to fix.
    """
    text = read_text(where)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    lines: list[int] = []
    header: list[str] | None = None
    end = 0  # last physical line consumed
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if not record:  # a blank line: pandas skips it too
                continue
            if header is None:
                header = record
                _check_header(where, header, start)
                continue
            if len(record) != len(header):
                how = ("too few: truncated, or a missing comma" if len(record) < len(header)
                       else "too many: an unquoted comma, or an extra field")
                raise DataError(f"{where}, line {start}: {len(record)} field(s) but the header has "
                                f"{len(header)} ({how})")
            lines.append(start)
    except csv.Error as exc:
        what = ("a quoted field is never closed (file truncated, or a quote missing)"
                if "unexpected end of data" in str(exc) else f"malformed CSV: {exc}")
        raise DataError(f"{where}, line {reader.line_num}: {what}") from None
    if header is None:
        raise DataError(f"{where}, line 1: the file has no header line")
    if not lines:
        raise DataError(f"{where}, line {end + 1}: the file has a header but no data rows")
    return text, lines


def _check_header(where: str, header: list[str], line: int) -> None:
    names = [h.strip() for h in header]
    if "" in names:
        raise DataError(f"{where}, line {line}: column {names.index('') + 1} of the header has no name")
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise DataError(f"{where}, line {line}: column(s) {', '.join(twice)} appear twice in the header")


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
    """Validate every resource, then the claims; raise on the first error, return flags otherwise."""
    reports = [read_resource(res, data_dir)[1] for res in resources(data_dir)]
    validate_claims(data_dir)
    check_fact_rows(data_dir)
    return reports


def check_fact_rows(data_dir: Path | None = None) -> None:
    """Every fact carries a number: a value, or at least one end of a range (a bound). A row
    with none is refused at the door, naming its line, instead of failing in a chapter."""
    res = resource("facts", data_dir)
    where = str(Path(data_dir or DATA_DIR) / res["path"])
    df, _ = read_resource(res, data_dir)
    empty = df[["value", "low", "high"]].isna().all(axis=1)
    if empty.any():
        _, lines = _read_csv_text(where)
        i = int(empty.to_numpy().nonzero()[0][0])
        raise DataError(f"{where}, line {lines[i]} (id={df['id'].iloc[i]}): the fact has no value, low or high")


def validate_claims(data_dir: Path | None = None) -> int:
    """Check `claims.yaml`: each claim complete, its id used once, its source a report of the
    catalogue, and each of its inputs a table of the catalogue or a fact id. Returns the count."""
    path = Path(data_dir or DATA_DIR) / CLAIMS_FILE
    if not path.exists():
        raise DataError(f"{path}: file not found")
    stat = path.stat()
    facts_res = resource("facts", data_dir)
    facts_file = Path(data_dir or DATA_DIR) / facts_res["path"]
    fact_ids = frozenset(read_resource(facts_res, data_dir)[0]["id"])
    tables = frozenset(r["name"] for r in resources(data_dir))
    sources = frozenset(s["name"] for s in catalogue(data_dir).get("sources", []))
    return _validated_claims(str(path), stat.st_mtime_ns, stat.st_size, fact_ids, str(facts_file), tables, sources)


@functools.lru_cache(maxsize=16)
def _validated_claims(where: str, mtime_ns: int, size: int, fact_ids: frozenset, facts_file: str,
                      tables: frozenset, sources: frozenset) -> int:
    return claimsfile.check(read_text(where), where, fact_ids, facts_file, tables, sources)


def replace_vintage(catalogue_text: str, resource: str, meta: dict) -> str:
    """The catalogue text with one extract's vintage lines (each key of ``meta``) and its
    ``as_of`` (the extract's last month) replaced, the rest untouched: a refreshed extract
    (World Bank, ECB) rewrites only what describes it."""
    start = catalogue_text.index(f"- name: {resource}\n")
    end = catalogue_text.find("\n- name: ", start + 1)
    end = len(catalogue_text) if end < 0 else end
    block = catalogue_text[start:end]
    for key, value in meta.items():
        block, n = re.subn(rf"(\n  {key}: ).*", lambda m, v=value: f"{m.group(1)}'{v}'", block, count=1)
        if n != 1:
            raise DataError(f"catalogue entry '{resource}' has no '{key}' line")
    block = re.sub(r"(\n  as_of: ).*", lambda m: f"{m.group(1)}{meta['last_month']}", block, count=1)
    return catalogue_text[:start] + block + catalogue_text[end:]


def replace_extract(name: str, extract_path: str, frame: pd.DataFrame, meta: dict, data_dir: Path) -> Path:
    """Replace a committed extract (World Bank, ECB) and its vintage in the catalogue. The new CSV
    must pass the catalogue's checks first; both files are then replaced by rename, so a refused
    source leaves the old extract untouched. Returns the extract's path."""
    cat_path = data_dir / CATALOGUE_FILE
    new_catalogue = replace_vintage(cat_path.read_text(encoding="utf-8"), name, meta)
    csv_path = data_dir / extract_path
    tmp_csv, tmp_cat = csv_path.with_suffix(".csv.tmp"), cat_path.with_suffix(".yaml.tmp")
    frame.to_csv(tmp_csv, index=False, lineterminator="\n")
    try:
        read_resource({**resource(name, data_dir), "path": extract_path + ".tmp"}, data_dir)
    except DataError:
        tmp_csv.unlink()
        raise
    tmp_cat.write_text(new_catalogue, encoding="utf-8")
    tmp_csv.replace(csv_path)
    tmp_cat.replace(cat_path)
    return csv_path
