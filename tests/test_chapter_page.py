"""The chapter helpers: source lines, downloads, unique names, assumptions."""
from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from aluminium import params
from aluminium.book.chapter_page import Chapter
from aluminium.data import catalogue


@pytest.fixture
def ch(tmp_path):
    return Chapter("demand", params.defaults("demand"), {"downloads": str(tmp_path)})


def test_a_chart_of_loaded_data_offers_its_data_as_csv(ch, tmp_path):
    df = catalogue.load("demand-china-primary-balance")
    chart = alt.Chart(df).mark_bar().encode(x="year:O", y=alt.Y("balance_kt:Q", title="Balance (kt)"), tooltip=["year"])
    ch.chart(chart, name="balance", title="Balance (kt)")
    saved = pd.read_csv(tmp_path / "balance.csv")
    assert list(saved.columns) == list(df.columns) and len(saved) == len(df)
    assert saved["balance_kt"].tolist() == df["balance_kt"].astype(float).tolist()


def test_derived_data_must_name_its_source(ch):
    df = catalogue.load("demand-china-primary-balance")
    derived = df.groupby("estimate", as_index=False)["supply_kt"].sum()
    derived.attrs = {}
    chart = alt.Chart(derived).mark_bar().encode(x="estimate:N", y=alt.Y("supply_kt:Q", title="Supply (kt)"),
                                                 tooltip=["estimate"])
    with pytest.raises(ValueError, match="chart 'derived': name its source"):
        ch.chart(chart, name="derived", title="t")
    ch.chart(chart, name="derived2", title="t", source=ch.derived_from(df))
    assert ch.derived_from(df) == ("The book's calculation from Guohai Securities (2024), "
                                   "China primary aluminium supply-demand balance, 2017–2024E")
    assert ch.derived_from(df, how="balance model").startswith("The book's balance model from Guohai")


def test_output_names_are_unique_per_chapter(ch):
    df = catalogue.load("demand-china-primary-balance")
    ch.table(df, name="t", title="t")
    with pytest.raises(ValueError, match="must be unique"):
        ch.table(df, name="t", title="t")


def test_a_bad_parameter_injected_into_a_chapter_is_refused():
    from aluminium.errors import ParameterError

    namespace = dict(params.defaults("smelting"), power_price_cny_kwh="cheap")
    with pytest.raises(ParameterError, match="chapter smelting: parameter 'smelting.power_price_cny_kwh'"):
        Chapter("smelting", namespace)


def test_a_chart_breaking_the_house_rules_is_refused(ch):
    df = catalogue.load("demand-china-primary-balance").assign(value=1.0)
    with pytest.raises(ValueError, match="chart 'bare': bar mark has no tooltip; y axis title 'Value' names no unit"):
        ch.chart(alt.Chart(df).mark_bar().encode(x="year:O", y="value:Q"), name="bare", title="t")
    with pytest.raises(ValueError, match="chart 'narrow': width 220 px is narrower than 600 px"):
        ch.chart(alt.Chart(df).mark_bar().encode(x="year:O", y="balance_kt:Q", tooltip=["year"])
                 .properties(width=220), name="narrow", title="t")


def test_charts_take_labels_from_the_label_map_and_span_the_column():
    from aluminium.book import charts

    df = catalogue.load("demand-china-primary-balance")
    chart = alt.Chart(df).mark_bar().encode(x="year:O", y="balance_kt:Q", tooltip=["year", "balance_kt"])
    spec = charts.prepare(chart.properties(title="Balance").to_dict())
    assert charts.lint(spec) == [] and charts.lint_layout(spec) == []
    assert spec["width"] == "container"
    enc = spec["encoding"]
    assert enc["y"]["title"] == "Balance: surplus + / deficit − (kt)" and enc["x"]["title"] == "Year"
    assert enc["tooltip"][1] == {"field": "balance_kt", "type": "quantitative",
                                 "title": "Balance: surplus + / deficit − (kt)", "format": ",.0f"}


def test_key_points_read_parameters_chain_values_and_recorded_figures():
    ch = Chapter("macro", {"lme_price_usd_t": 2500.0})
    ch.record("macro.import_window_cny_t", 123.0, "CNY/t", "Import window")
    values = ch.values()
    assert values["macro.lme_price_usd_t"] == 2500.0  # a parameter in force, by full name
    assert "pricing.modelled_price_cny_t" in values  # the chain at the parameters in force
    assert values["macro.import_window_cny_t"] == 123.0  # the recorded figure wins over the chain's


def test_a_long_series_shows_its_latest_rows_and_downloads_them_all(ch, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("aluminium.book.chapter_page.display", lambda obj: shown.append(obj.data))
    df = pd.DataFrame({"month": [f"2020M{m:02d}" for m in range(1, 13)], "price_usd_t": range(2000, 2012)})
    df.attrs["resource"] = {"name": "x", "title": "x"}
    ch.table(df, name="prices", title="Prices (USD/t)", latest=3, rows_are="months", source="test source")
    page = shown[-1]
    assert page.count("<tr") == 1 + 3  # the header and the three latest months
    assert "2020M12" in page and "2020M09" not in page
    assert "Prices (USD/t): the latest 3 of 12 months (all are in the CSV download)" in page
    assert len(pd.read_csv(tmp_path / "prices.csv")) == 12
    ch.table(df, name="short", title="Prices (USD/t)", latest=20, source="test source")
    assert shown[-1].count("<tr") == 1 + 12 and "latest" not in shown[-1]
