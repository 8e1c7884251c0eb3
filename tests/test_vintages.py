"""Data vintages: registering a World Bank workbook and using it as the pricing default."""
from __future__ import annotations

import pytest

from aluminium import cli, params, vintages
from aluminium.errors import DataError
from test_worldbank import make_pink_sheet


@pytest.fixture
def registry(tmp_path, monkeypatch):
    path = tmp_path / "sources.yaml"
    monkeypatch.setenv("ALUMINIUM_SOURCES", str(path))
    return path


def test_add_worldbank_records_the_vintage_and_sets_the_default(tmp_path, registry, capsys):
    book = make_pink_sheet(tmp_path / "pink.xlsx")
    assert params.lookup("pricing.worldbank_file").default() == ""
    assert cli.main(["data", "add-worldbank", str(book)]) == 0
    entry = vintages.registered()["worldbank"]
    assert entry["updated_on"] == "2000-01-01"
    assert entry["first_month"] == "1960-01" and entry["last_month"] == "1960-03"
    assert entry["licence"] == "CC BY 4.0" and len(entry["sha256"]) == 64
    assert params.lookup("pricing.worldbank_file").default() == str(book.resolve())
    assert "updated on 2000-01-01" in capsys.readouterr().out


def test_a_changed_workbook_is_refused_until_added_again(tmp_path, registry):
    book = make_pink_sheet(tmp_path / "pink.xlsx")
    vintages.add_worldbank(book)
    make_pink_sheet(book, rows=(("1960M01", 1.6, 600.0, 700.0),))
    with pytest.raises(DataError, match="changed since it was registered"):
        vintages.worldbank_default()
    vintages.add_worldbank(book)
    assert vintages.worldbank_default() == str(book.resolve())


def test_a_workbook_with_the_wrong_layout_is_not_registered(tmp_path, registry):
    bad = make_pink_sheet(tmp_path / "bad.xlsx", sheet="Prices")
    assert cli.main(["data", "add-worldbank", str(bad)]) == 2
    assert not registry.exists()
