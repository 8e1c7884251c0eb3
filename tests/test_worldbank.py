"""The World Bank Pink Sheet loader: a small fixture workbook of our own, and the real file when present."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from aluminium.data import reads, worldbank
from aluminium.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "data" / "worldbank" / "CMO-Historical-Data-Monthly.xlsx"


def make_pink_sheet(path: Path, *, sheet: str = "Monthly Prices", names=("Crude oil, average", "Aluminum", "Copper"),
                    units=("($/bbl)", "($/mt)", "($/mt)"), codes=("CRUDE_PETRO", "ALUMINUM", "COPPER"),
                    rows=(("1960M01", 1.6, 511.5, 679.1), ("1960M02", 1.6, "…", 681.0), ("1960M03", 1.7, 520.0, 700.0))) -> Path:
    """A tiny workbook in the Pink Sheet's layout (synthetic values, for tests only)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["World Bank Commodity Price Data (The Pink Sheet)"])
    ws.append(["monthly prices in nominal US dollars, 1960 to present"])
    ws.append(["(monthly series are available only in nominal US dollars)"])
    ws.append(["Updated on January 01, 2000"])
    ws.append([None, *names])
    ws.append([None, *units])
    ws.append([None, *codes])
    for r in rows:
        ws.append(list(r))
    wb.create_sheet("Description")
    wb.save(path)
    return path


@pytest.fixture
def sheet(tmp_path):
    return make_pink_sheet(tmp_path / "pink.xlsx")


def test_tidy_frame_from_the_fixture(sheet):
    df = worldbank.load_monthly(sheet)
    assert list(df.columns) == ["month", "series", "unit", "value"]
    al = df[df.series == "Aluminum"]
    assert list(al.month) == ["1960-01", "1960-03"]  # the '…' month is left out
    assert list(al.value) == [511.5, 520.0]
    assert set(df.unit) == {"USD/t"}
    assert len(df[df.series == "Copper"]) == 3
    assert df.attrs["vintage"] == "Updated on January 01, 2000"


def test_reading_is_noted_for_the_build_cache(sheet):
    worldbank.load_monthly(sheet, "Copper")
    assert sheet.resolve() in reads.files_read()


def test_wide_and_ratio(sheet):
    w = worldbank.wide(worldbank.load_monthly(sheet))
    ratio = worldbank.price_ratio(w["Copper"], w["Aluminum"])
    assert ratio["1960-01"] == pytest.approx(679.1 / 511.5)
    assert ratio.isna()["1960-02"]


def test_unit_normalisation():
    assert worldbank.normalise_unit("($/mt)") == "USD/t"
    assert worldbank.normalise_unit("(2010=100)") == "2010=100"


def test_missing_file_and_not_a_workbook(tmp_path):
    with pytest.raises(DataError, match="not found"):
        worldbank.load_monthly(tmp_path / "nope.xlsx")
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(DataError, match=r"bad\.xlsx.*cannot be read"):
        worldbank.load_monthly(bad)


def test_wrong_sheet_name(tmp_path):
    path = make_pink_sheet(tmp_path / "p.xlsx", sheet="Prices")
    with pytest.raises(DataError) as exc:
        worldbank.load_monthly(path)
    assert "p.xlsx" in str(exc.value) and "Monthly Prices" in str(exc.value)


def test_unknown_series_names_the_row_and_suggests(sheet):
    with pytest.raises(DataError) as exc:
        worldbank.load_monthly(sheet, ["Aluminium"])
    msg = str(exc.value)
    assert "row 5" in msg and "Aluminum" in msg and "pink.xlsx" in msg


def test_bad_unit_row(tmp_path):
    path = make_pink_sheet(tmp_path / "p.xlsx", units=("($/bbl)", "USD per tonne", "($/mt)"))
    with pytest.raises(DataError, match=r"row 6, column C"):
        worldbank.load_monthly(path)


def test_bad_date_names_the_row(tmp_path):
    path = make_pink_sheet(tmp_path / "p.xlsx", rows=(("1960M01", 1, 2, 3), ("1960-02", 1, 2, 3)))
    with pytest.raises(DataError) as exc:
        worldbank.load_monthly(path)
    msg = str(exc.value)
    assert "row 9" in msg and "1960M01" in msg and "Monthly Prices" in msg


def test_months_out_of_order(tmp_path):
    path = make_pink_sheet(tmp_path / "p.xlsx", rows=(("1960M02", 1, 2, 3), ("1960M01", 1, 2, 3)))
    with pytest.raises(DataError, match="row 9"):
        worldbank.load_monthly(path)


def test_non_numeric_value_names_row_and_column(tmp_path):
    path = make_pink_sheet(tmp_path / "p.xlsx", rows=(("1960M01", 1, "abc", 3),))
    with pytest.raises(DataError, match=r"row 8, column C \('Aluminum'\)"):
        worldbank.load_monthly(path)


def test_no_series_requested(sheet):
    with pytest.raises(ValueError):
        worldbank.load_monthly(sheet, [])


@pytest.mark.skipif(not REAL.exists(), reason="the World Bank workbook is not on this machine")
def test_the_real_workbook():
    df = worldbank.load_monthly(REAL)
    al = df[df.series == "Aluminum"].set_index("month")["value"]
    assert al.index[0] == "1960-01" and al.index.is_monotonic_increasing
    assert set(df.unit) == {"USD/t"}
    assert 1000 < al["2024-01"] < 4000
    assert al.index[-1] >= "2024-11"
    cu = df[df.series == "Copper"].set_index("month")["value"]
    assert 5000 < cu["2024-01"] < 12000
