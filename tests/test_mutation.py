"""Broken data is caught at the door: every table of the catalogue, every way a user breaks it.

The cases are generated from the catalogue, so a table is covered by being declared. Each
case writes one broken file into a private copy of the data package and runs the validator the
build runs first (``audit.validate_all``) on it: it must refuse the file with a message naming the
file, the line and what is wrong. One end-to-end case runs the real ``aluminium build`` command
on a broken copy: exit code 2, one line on stderr, no chapter run, the previous site kept. The
other files of the copy stay unchanged, so their validation is cached and the whole set takes
seconds.
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from aluminium import audit
from aluminium.data import catalogue
from aluminium.errors import BookError

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TONNAGE_UNITS = {"kt", "Mt", "kt/yr", "Mt/yr"}
RESOURCES = catalogue.resources(DATA)


@dataclass(frozen=True)
class Broken:
    content: bytes
    line: int | None  # the line the message must name (None: a whole-table rule, no single line)
    says: str  # a word of the message saying what is wrong


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _lines(text: str) -> list[str]:
    return text.rstrip("\r\n").split(_newline(text))


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _csv(rows: list[list[str]], newline: str) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    return buf.getvalue().encode("utf-8")


def _numeric(res: dict, want: Callable[[dict], bool] = lambda f: True) -> str | None:
    return next((f["name"] for f in res["schema"]["fields"]
                 if f["type"] in ("integer", "number") and want(f)), None)


def _set_cell(text: str, column: str, value: str, row_wanted=lambda v: True) -> Broken:
    rows = _rows(text)
    col = rows[0].index(column)
    row = next(i for i in range(1, len(rows)) if row_wanted(rows[i][col]))
    rows[row][col] = value
    return Broken(_csv(rows, _newline(text)), row + 1, column)


def _emptied(text, res):
    return Broken(b"", 1, "empty")


def _header_only(text, res):
    return Broken((_lines(text)[0] + _newline(text)).encode(), 2, "no data rows")


def _last_row_duplicated(text, res):
    lines = _lines(text)
    return Broken((text + lines[-1] + _newline(text)).encode(), len(lines) + 1, "repeats line")


def _text_in_numeric(text, res):
    return _set_cell(text, _numeric(res), "n/a")


def _renamed_column(text, res):
    lines = _lines(text)
    header = lines[0].split(",")
    header[0] += "_renamed"
    return Broken(_newline(text).join([",".join(header), *lines[1:]]).encode() + _newline(text).encode(), 1,
                  "column")


def _negative_tonnage(text, res):
    column = _numeric(res, lambda f: f.get("unit") in TONNAGE_UNITS
                      and (f.get("constraints") or {}).get("minimum", -1) >= 0)
    return _set_cell(text, column, "-100", lambda v: v != "")


def _share_over_100(text, res):
    column = _numeric(res, lambda f: f.get("unit") == "%" and (f.get("constraints") or {}).get("maximum", 1e9) <= 100)
    return _set_cell(text, column, "150", lambda v: v != "")


def _byte_order_mark(text, res):
    return Broken(codecs.BOM_UTF8 + text.encode(), 1, "byte-order mark")


def _utf16(text, res):
    return Broken(text.encode("utf-16-le"), 1, "UTF-8")


def _gb18030(text, res):
    # Chinese Windows' encoding: the first non-ASCII character is where the file stops being UTF-8.
    line = next(i for i, ln in enumerate(_lines(text), 1) if not ln.isascii())
    return Broken(text.encode("gb18030"), line, "not UTF-8")


def _truncated_last_line(text, res):
    lines = _lines(text)
    cut = lines[-1][: lines[-1].rindex(",")]  # the file stops before the last field of its last row
    return Broken(_newline(text).join([*lines[:-1], cut]).encode(), len(lines), "truncated")


def _extra_field(text, res):
    lines = _lines(text)
    lines[1] += ",extra"
    return Broken((_newline(text).join(lines) + _newline(text)).encode(), 2, "field")


def _infinite(text, res):
    return _set_cell(text, _numeric(res), "inf")


def _not_a_number(text, res):
    return _set_cell(text, _numeric(res), "NaN")


def _hex(text, res):
    return _set_cell(text, _numeric(res), "0x10")


def _has_unit_column(res):
    return any(f["name"] == "unit" for f in res["schema"]["fields"])


def _unit_typo(text, res):
    return _set_cell(text, "unit", "%%", lambda v: v != "")


def _always(res):
    return True


# name → (applies to the table?, the edit). The first three are the edits of issue 10's table.
MUTATIONS: dict[str, tuple[Callable[[dict], bool], Callable[[str, dict], Broken]]] = {
    "emptied": (_always, _emptied),
    "header_only": (_always, _header_only),
    "last_row_duplicated": (_always, _last_row_duplicated),
    "text_in_numeric_column": (lambda res: _numeric(res) is not None, _text_in_numeric),
    "renamed_column": (_always, _renamed_column),
    "negative_tonnage": (lambda res: _numeric(res, lambda f: f.get("unit") in TONNAGE_UNITS and (
        f.get("constraints") or {}).get("minimum", -1) >= 0) is not None, _negative_tonnage),
    "share_over_100_pct": (lambda res: _numeric(res, lambda f: f.get("unit") == "%" and (
        f.get("constraints") or {}).get("maximum", 1e9) <= 100) is not None, _share_over_100),
    "byte_order_mark": (_always, _byte_order_mark),
    "utf16_encoding": (_always, _utf16),
    "gb18030_encoding": (lambda res: not (DATA / res["path"]).read_text(encoding="utf-8").isascii(), _gb18030),
    "truncated_last_line": (_always, _truncated_last_line),
    "ragged_line": (_always, _extra_field),
    # Issue 17: only finite decimal numbers, and units from the unit table.
    "infinite_in_numeric_column": (lambda res: _numeric(res) is not None, _infinite),
    "nan_in_numeric_column": (lambda res: _numeric(res) is not None, _not_a_number),
    "hex_in_numeric_column": (lambda res: _numeric(res) is not None, _hex),
    "unit_not_in_the_unit_table": (_has_unit_column, _unit_typo),
}
CASES = [pytest.param(res["name"], m, id=f"{res['name']}-{m}")
         for res in RESOURCES for m, (applies, _) in MUTATIONS.items() if applies(res)]


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """One copy of the data package for every case: each case breaks one file and puts it back."""
    dst = tmp_path_factory.mktemp("mutation") / "data"
    shutil.copytree(DATA, dst)
    return dst


def _refused(package: Path, path: Path, broken: Broken, monkeypatch) -> str:
    """Write the broken file, run the validator, check the refusal; the file is put back."""
    original, stat = path.read_bytes(), path.stat()
    monkeypatch.setattr(catalogue, "DATA_DIR", package)
    try:
        path.write_bytes(broken.content)
        with pytest.raises(BookError) as refused:
            audit.validate_all(package)
    finally:
        path.write_bytes(original)
        # Same bytes, size and time as before: the other cases reuse its cached validation.
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    err = " ".join(str(refused.value).split())  # as the command line prints it, on one line
    assert str(path) in err and "Traceback" not in err, err
    if broken.line is not None:
        assert f"line {broken.line}" in err, err
    assert broken.says in err, err
    return err


@pytest.mark.parametrize(("name", "mutation"), CASES)
def test_broken_table_is_refused_before_any_chapter_runs(name, mutation, package, monkeypatch):
    res = catalogue.resource(name, package)
    path = package / res["path"]
    broken = MUTATIONS[mutation][1](path.read_text(encoding="utf-8"), res)
    _refused(package, path, broken, monkeypatch)


def _claims_cases(text: str) -> dict[str, Broken]:
    lines = text.splitlines(keepends=True)
    starts = [i for i, ln in enumerate(lines) if ln.startswith("- id:")]
    last = "".join(lines[starts[-1]:])
    input_line = next(i for i in range(starts[0], len(lines)) if lines[i].startswith("  - "))
    missing_fact = [*lines]
    missing_fact[input_line] = "  - smelting.no_such_fact_kt\n"
    wrong_source = [*lines]
    source_line = next(i for i in range(starts[0], len(lines)) if lines[i].startswith("  source:"))
    wrong_source[source_line] = "  source: nowhere2024\n"
    return {
        "emptied": Broken(b"", 1, "empty"),
        "duplicate_id": Broken((text + last).encode(), len(lines) + 1, "used twice"),
        "input_is_a_missing_fact": Broken("".join(missing_fact).encode(), starts[0] + 1, "no_such_fact_kt"),
        "unknown_source": Broken("".join(wrong_source).encode(), starts[0] + 1, "nowhere2024"),
        "unknown_relation": Broken("".join([*lines[:source_line], "  relation: roughly\n", *lines[source_line:]]).encode(),
                                   starts[0] + 1, "relation 'roughly'"),
        "byte_order_mark": Broken(codecs.BOM_UTF8 + text.encode(), 1, "byte-order mark"),
        "malformed_yaml": Broken((text + "- id: [unclosed\n").encode(), None, "malformed YAML"),
    }


@pytest.mark.parametrize("case", list(_claims_cases((DATA / catalogue.CLAIMS_FILE).read_text(encoding="utf-8"))))
def test_broken_claims_file_is_refused(case, package, monkeypatch):
    path = package / catalogue.CLAIMS_FILE
    broken = _claims_cases(path.read_text(encoding="utf-8"))[case]
    _refused(package, path, broken, monkeypatch)


def test_every_table_gets_every_mutation_that_applies_to_it():
    declared = {res["name"] for res in RESOURCES}
    assert {c.values[0] for c in CASES} == declared
    for m in ("emptied", "header_only", "last_row_duplicated", "renamed_column", "byte_order_mark",
              "utf16_encoding", "truncated_last_line", "ragged_line"):
        assert {c.values[0] for c in CASES if c.values[1] == m} == declared, m
    # Every CSV of the package is declared, so none escapes validation.
    on_disk = {str(p.relative_to(DATA)) for p in DATA.rglob("*.csv")}
    assert on_disk == {res["path"] for res in RESOURCES}


def test_the_unbroken_package_is_accepted(package):
    reports = catalogue.validate_all(package)
    assert {r.resource for r in reports} == {res["name"] for res in RESOURCES}


def test_the_real_command_exits_2_with_one_line_and_keeps_the_site(tmp_path):
    """The same path through a separate process: exit status, stderr, no traceback."""
    root = tmp_path / "root"
    shutil.copytree(DATA, root / "data")
    site = tmp_path / "html"
    site.mkdir()
    (site / "index.html").write_text("last good build")
    (site / ".aluminium-site").write_text("")
    path = root / "data" / "smelting" / "running_capacity_change_by_province.csv"
    path.write_bytes(_header_only(path.read_text(encoding="utf-8"), {}).content)
    env = dict(os.environ, ALUMINIUM_ROOT=str(root))
    proc = subprocess.run([sys.executable, "-m", "aluminium", "build", "--output", str(site)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"error: {path}, line 2: the file has a header but no data rows"]
    assert "Executing" not in proc.stdout
    assert sorted(p.name for p in site.iterdir()) == [".aluminium-site", "index.html"]
    assert (site / "index.html").read_text() == "last good build"
