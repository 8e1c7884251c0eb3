"""The committed World Bank extract: derived by the loader, refreshed by add-worldbank, never half-written."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest
from test_worldbank import REAL, make_pink_sheet

from aluminium import cli, paths
from aluminium.data import catalogue, reads, vintages, worldbank
from aluminium.errors import DataError

MONTHS = [f"{2000 + i // 12}M{i % 12 + 1:02d}" for i in range(300)]  # 2000-01…2024-12: the months the book needs
FULL = dict(names=("Coal, Australian", "Natural gas, Europe", "Aluminum", "Copper"),
            units=("($/mt)", "($/mmbtu)", "($/mt)", "($/mt)"), codes=("COAL_AUS", "NGAS_EUR", "ALUMINUM", "COPPER"),
            rows=[(m, 30.0 + i, "…" if i == 1 else 2.5, 1600.0 + 50 * i, 1800.0) for i, m in enumerate(MONTHS)])


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    monkeypatch.setattr(paths, "DATA_DIR", data)
    return data


@pytest.mark.skipif(not REAL.exists(), reason="../shared/data/worldbank is not present")
def test_the_committed_extract_is_what_the_loader_derives_from_the_workbook():
    derived, meta = worldbank.derive_extract(REAL)
    committed = catalogue.load(worldbank.EXTRACT_RESOURCE)
    pd.testing.assert_frame_equal(committed.reset_index(drop=True), derived.reset_index(drop=True),
                                  check_dtype=False)
    assert worldbank.extract_vintage() == {k: meta[k] for k in worldbank.extract_vintage()}


def test_the_extract_records_vintage_checksum_and_licence():
    res = catalogue.resource(worldbank.EXTRACT_RESOURCE)
    assert res["licence"] == "CC BY 4.0" and "World Bank" in res["attribution"]
    v = worldbank.extract_vintage()
    assert len(v["workbook_sha256"]) == 64 and v["updated_on"][:2] == "20" and v["last_month"] >= "2024-01"
    prices = worldbank.monthly_prices()
    assert list(prices.columns) == list(worldbank.EXTRACT_SERIES) and prices["Aluminum"].notna().all()


def test_add_worldbank_refreshes_the_extract_and_its_vintage(tmp_path, data_copy, capsys):
    book = make_pink_sheet(tmp_path / "pink.xlsx", **FULL)
    assert cli.main(["data", "add-worldbank", str(book)]) == 0
    assert "updated on 2000-01-01" in capsys.readouterr().out
    df = catalogue.load(worldbank.EXTRACT_RESOURCE, data_copy)
    assert df["month"].tolist()[:3] == ["2000-01", "2000-02", "2000-03"] and len(df) == 300
    assert df["aluminium_usd_t"].tolist()[:3] == [1600.0, 1650.0, 1700.0]
    assert pd.isna(df.loc[1, "natural_gas_europe_usd_mmbtu"])
    v = worldbank.extract_vintage(data_copy)
    assert v["updated_on"] == "2000-01-01" and v["last_month"] == "2024-12"
    assert v["workbook_sha256"] == reads.file_digest(book)
    assert (paths.ROOT / "data" / worldbank.EXTRACT_PATH).read_bytes() != (data_copy / worldbank.EXTRACT_PATH).read_bytes()


def test_a_refused_workbook_leaves_the_extract_untouched(tmp_path, data_copy):
    before = {p: (data_copy / p).read_bytes() for p in (worldbank.EXTRACT_PATH, catalogue.CATALOGUE_FILE)}
    bad = make_pink_sheet(tmp_path / "bad.xlsx", sheet="Prices")
    assert cli.main(["data", "add-worldbank", str(bad)]) == 2
    missing_series = make_pink_sheet(tmp_path / "old.xlsx")  # no coal or gas columns
    with pytest.raises(DataError, match="no series named 'Coal, Australian'"):
        vintages.add_worldbank(missing_series)
    too_short = make_pink_sheet(tmp_path / "short.xlsx", **{**FULL, "rows": FULL["rows"][:12]})
    with pytest.raises(DataError, match="row"):
        vintages.add_worldbank(too_short)
    # An older vintage that stops before the months the price model is calibrated on.
    too_old = make_pink_sheet(tmp_path / "2019.xlsx", **{**FULL, "rows": FULL["rows"][:240]})
    with pytest.raises(DataError, match="expects every month from 2012-01 to 2024-11"):
        vintages.add_worldbank(too_old)
    assert {p: (data_copy / p).read_bytes() for p in before} == before
