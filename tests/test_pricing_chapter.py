"""The pricing chapter with and without a World Bank workbook."""
from __future__ import annotations

import json

import pytest

from aluminium import build, keyfigures
from test_worldbank import REAL, make_pink_sheet

pytestmark = pytest.mark.build


def outputs_named(notebook) -> set[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    text = json.dumps([c.get("outputs", []) for c in nb["cells"]])
    return {name for name in ("wb-aluminium-history", "wb-copper-aluminium-ratio", "wb-backtest") if name in text}


def test_without_a_workbook_the_chapter_says_what_is_missing():
    run, = build.execute_chapters({}, chapters=("pricing",), quiet=True)
    assert outputs_named(run.notebook) == set()
    text = run.notebook.read_text(encoding="utf-8")
    assert "add-worldbank" in text or "worldbank_file" in text
    assert not [f for f in keyfigures.from_notebook(run.notebook) if f.id.startswith("pricing.wb_")]


def test_with_a_workbook_the_chapter_adds_price_history_ratio_and_backtests(tmp_path):
    # The real workbook where ../shared is present (as in CI), else one of the tests' own making.
    path = REAL if REAL.exists() else make_pink_sheet(
        tmp_path / "pink.xlsx",
        rows=[(f"{2010 + m // 12}M{m % 12 + 1:02d}", 80.0, 2000.0 + 10 * m, 7000.0 + 15 * m) for m in range(180)])
    run, = build.execute_chapters({"pricing.worldbank_file": str(path)}, chapters=("pricing",), quiet=True)
    assert outputs_named(run.notebook) == {"wb-aluminium-history", "wb-copper-aluminium-ratio", "wb-backtest"}
    figures = {f.id: f for f in keyfigures.from_notebook(run.notebook)}
    assert any(fid.startswith("pricing.wb_") for fid in figures)
