"""The key-figure helper: validation, glue output, collection from executed notebooks."""
from __future__ import annotations

import json

import nbformat
import pytest
from IPython.core.formatters import format_display_data

from aluminium.book import keyfigures
from aluminium.book.keyfigures import KeyFigure, _Glued


def test_record_refuses_bad_ids_values_and_missing_units():
    with pytest.raises(ValueError, match="chapter.snake_case"):
        keyfigures.record("nochapter", 1, "kt", "x")
    with pytest.raises(ValueError, match="chapter.snake_case"):
        keyfigures.record("mining.output_kt", 1, "kt", "x")
    with pytest.raises(ValueError, match="not a number"):
        keyfigures.record("smelting.cost_cny_t", "abc", "CNY/t", "x")
    with pytest.raises(ValueError, match="not finite"):
        keyfigures.record("smelting.cost_cny_t", float("nan"), "CNY/t", "x")
    with pytest.raises(ValueError, match="unit and label"):
        keyfigures.record("smelting.cost_cny_t", 1, "", "x")


def test_text_formats_units_and_fractions():
    assert KeyFigure("smelting.c", 16234.4, "CNY/t", "c").text() == "16,234 CNY/t"
    assert KeyFigure("smelting.r2", 0.888, "fraction", "r").text() == "88.8 %"
    assert KeyFigure("demand.s", 24.04, "%", "s").text() == "24 %"
    assert KeyFigure("smelting.p", 0.4512, "CNY/kWh", "p").text() == "0.451 CNY/kWh"
    assert KeyFigure("demand.y", 2024.0, "year", "y").text() == "2024"


def _notebook_with(figures) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    for fig in figures:
        data, _ = format_display_data(_Glued(fig))
        cell.outputs.append(nbformat.v4.new_output(
            "display_data", data={keyfigures._GLUE_PREFIX + k: v for k, v in data.items()},
            metadata={"scrapbook": {"name": fig.id, "mime_prefix": keyfigures._GLUE_PREFIX}}))
    nb.cells.append(cell)
    return nb


def test_figures_round_trip_through_a_notebook_and_the_files(tmp_path):
    figs = [KeyFigure("smelting.cash_cost_cny_t", 16000.0, "CNY/t", "Cash cost"),
            KeyFigure("demand.china_balance_2024_kt", 150.0, "kt", "Balance 2024E")]
    path = tmp_path / "nb.ipynb"
    nbformat.write(_notebook_with(figs), path)
    assert keyfigures.from_notebook(path) == figs
    json_path, csv_path = keyfigures.write(figs, tmp_path / "out")
    rows = json.loads(json_path.read_text())
    assert [r["id"] for r in rows] == [f.id for f in figs]
    assert csv_path.read_text().splitlines()[0] == "id,value,unit,label,source"


def test_duplicate_ids_are_refused(tmp_path):
    fig = KeyFigure("smelting.cash_cost_cny_t", 1.0, "CNY/t", "x")
    with pytest.raises(ValueError, match="recorded twice: smelting.cash_cost_cny_t"):
        keyfigures.write([fig, fig], tmp_path)
