"""The pricing chapter with and without a World Bank workbook."""
from __future__ import annotations

import json

import pytest
from test_worldbank import REAL, make_pink_sheet

from aluminium import chain
from aluminium.book import execution, keyfigures
from aluminium.stages import pricing

pytestmark = pytest.mark.build


def outputs_named(notebook) -> set[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    text = json.dumps([c.get("outputs", []) for c in nb["cells"]])
    return {name for name in ("wb-aluminium-history", "wb-copper-aluminium-ratio", "wb-backtest") if name in text}


def test_the_default_build_shows_the_history_and_the_books_own_price_from_the_committed_extract():
    run, = execution.execute_chapters({}, chapters=("pricing",), quiet=True)
    assert outputs_named(run.notebook) == {"wb-aluminium-history", "wb-copper-aluminium-ratio", "wb-backtest"}
    figures = {f.id: f for f in keyfigures.from_notebook(run.notebook)}
    assert {"pricing.wb_aluminium_latest_usd_t", "pricing.modelled_price_cny_t", "pricing.modelled_price_low_cny_t",
            "pricing.modelled_price_high_cny_t", "pricing.price_backtest_mae_pct"} <= set(figures)
    assert figures["pricing.price_backtest_mae_pct"].value == pytest.approx(pricing.calibration()["mae_pct"])
    assert figures["pricing.modelled_price_cny_t"].value == pytest.approx(chain.run()["pricing.modelled_price_cny_t"])
    text = run.notebook.read_text(encoding="utf-8")
    for name in ("price-model-vs-actual", "price-tornado", "price-distribution", "chain-flow", "worldbank-monthly-prices"):
        assert name in text, name
    assert (run.downloads / "worldbank-monthly-prices.csv").exists()


def test_with_a_workbook_the_chapter_reads_it_instead(tmp_path):
    # The real workbook where ../shared is present (as in CI), else one of the tests' own making.
    from test_vintages import FULL

    path = REAL if REAL.exists() else make_pink_sheet(tmp_path / "pink.xlsx", **FULL)
    run, = execution.execute_chapters({"pricing.worldbank_file": str(path)}, chapters=("pricing",), quiet=True)
    assert outputs_named(run.notebook) == {"wb-aluminium-history", "wb-copper-aluminium-ratio", "wb-backtest"}
    assert "a workbook given for this build" in run.notebook.read_text(encoding="utf-8")
