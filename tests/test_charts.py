"""House rules for charts: tooltips, axis titles with units, offline bundle."""
from __future__ import annotations

import altair as alt
import pandas as pd

from aluminium.book import charts

DF = pd.DataFrame({"year": [2023, 2024], "output_kt": [1.0, 2.0], "cap_kt": [3.0, 3.0]})


def test_a_chart_without_tooltip_or_units_is_reported():
    bare = alt.Chart(DF).mark_bar().encode(x="year:O", y="output_kt:Q")
    assert charts.lint(bare.to_dict()) == ["bar mark has no tooltip", "y axis (output_kt) has no title"]
    no_unit = alt.Chart(DF).mark_bar().encode(x="year:O", y=alt.Y("output_kt:Q", title="Output"), tooltip=["year"])
    assert charts.lint(no_unit.to_dict()) == ["y axis title 'Output' names no unit in parentheses"]
    good = alt.Chart(DF).mark_bar().encode(x="year:O", y=alt.Y("output_kt:Q", title="Output (kt)"), tooltip=["year"])
    assert charts.lint(good.to_dict()) == []


def test_layers_share_the_titled_axis_and_reference_lines_need_no_tooltip():
    bars = alt.Chart(DF).mark_bar().encode(x="year:O", y=alt.Y("output_kt:Q", title="Output (kt)"), tooltip=["year"])
    cap = alt.Chart(DF).mark_rule().encode(y="cap_kt:Q")
    spec = charts.share_layer_titles((bars + cap).to_dict())
    # The rule repeats the bars' title: a null title on one layer would remove the axis title.
    assert spec["layer"][1]["encoding"]["y"]["title"] == "Output (kt)"
    assert charts.lint(spec) == []
    import vl_convert as vlc

    vega = vlc.vegalite_to_vega(charts.prepare((bars + cap).to_dict()))
    assert "Output (kt)" in [a.get("title") for a in vega["axes"]]
    # A data layer with no title anywhere on its axis is still reported.
    untitled = alt.Chart(DF).mark_line().encode(x="year:O", y="cap_kt:Q", tooltip=["year"])
    spec = charts.share_layer_titles((untitled + cap).to_dict())
    assert charts.lint(spec) == ["layer[0].y axis (cap_kt) has no title"]


def test_the_bundle_defines_the_libraries_and_the_versions_altair_checks():
    js = charts.javascript_bundle()
    assert js.startswith("(function () {") and js.rstrip().endswith("})();")
    compact = js.replace(" ", "")
    for key, version in charts.versions().items():
        assert f'"{key}":"{version}"' in compact
    assert "window.vegaEmbed=" in compact


def test_chart_html_is_its_container_and_a_json_island_and_runs_no_script():
    chart = alt.Chart(DF).mark_bar().encode(x="year:O", y=alt.Y("output_kt:Q", title="Output (kt)"), tooltip=["year"])
    html = charts.to_html(chart, "al-chart-test")
    assert 'id="al-chart-test"' in html
    assert html.count("<script") == 1 and html.count(charts.ISLAND_OPEN) == 1  # data, not code
    assert "<script src=" not in html.replace(" ", "")


def test_titles_are_set_above_the_chart_in_html():
    chart = alt.Chart(DF).mark_bar().encode(x="year:O", y=alt.Y("output_kt:Q", title="Output (kt)"), tooltip=["year"])
    spec = charts.prepare(charts.titled(chart.to_dict(), "Output <by year>", "what to see"))
    assert "title" not in spec and charts.chart_title(spec) == "Output <by year>"
    html = charts.caption_html(spec)
    assert "Output &lt;by year&gt;" in html and "what to see" in html
    assert charts.lint_layout(charts.titled(chart.to_dict(), "")) == ["the chart has no title"]
    assert charts.lint_layout(spec) == []


def _dates(start: str, periods: int, freq: str) -> pd.DataFrame:
    return pd.DataFrame({"date": pd.date_range(start, periods=periods, freq=freq), "output_kt": range(periods)})


def test_every_time_axis_shows_years():
    def axis(df):
        chart = alt.Chart(df).mark_line().encode(x=alt.X("date:T", title="Month"),
                                                 y=alt.Y("output_kt:Q", title="Output (kt)"), tooltip=["date"])
        spec = charts.prepare(charts.titled(chart.to_dict(), "Output"))
        assert charts.lint(spec) == []
        return spec["encoding"]["x"]["axis"]["format"]

    assert axis(_dates("2023-01-01", 25, "MS")) == "%b %Y"  # two years: months with their year
    assert axis(_dates("2000-01-01", 300, "MS")) == "%Y"  # 25 years: years only
    # A chart's own format is kept; one without a year, or a time unit without one, is reported.
    own = alt.Chart(_dates("2023-01-01", 5, "MS")).mark_line().encode(
        x=alt.X("date:T", axis=alt.Axis(format="%B")), y=alt.Y("output_kt:Q", title="Output (kt)"), tooltip=["date"])
    assert charts.year_axes(own.to_dict())["encoding"]["x"]["axis"]["format"] == "%B"
    assert charts.lint(own.to_dict()) == ["x time axis (date) shows no year: give it a format with %Y or a time unit with the year"]
    seasonal = alt.Chart(_dates("2023-01-01", 5, "MS")).mark_line().encode(
        x=alt.X("month(date):T"), y=alt.Y("output_kt:Q", title="Output (kt)"), tooltip=["date"])
    assert len(charts.lint(charts.prepare(seasonal.to_dict()))) == 1
    yearly = alt.Chart(_dates("2023-01-01", 5, "MS")).mark_line().encode(
        x=alt.X("yearmonth(date):T"), y=alt.Y("output_kt:Q", title="Output (kt)"), tooltip=["date"])
    assert charts.lint(charts.prepare(yearly.to_dict())) == []


def test_legends_and_category_labels_take_the_room_the_chart_has():
    config = charts.house_theme()["config"]
    # One legend column on a phone, two on a desktop column, labels as wide as a column allows.
    assert "containerSize()[0]" in config["legend"]["columns"]["expr"]
    assert "containerSize()[0]" in config["legend"]["labelLimit"]["expr"]
    assert "containerSize()[0]" in config["axis"]["labelLimit"]["expr"]


def test_a_band_and_a_line_on_one_axis_show_one_title_each_axis():
    import vl_convert as vlc

    df = pd.DataFrame({"month_of_year": [1, 2], "min_pct": [90, 95], "max_pct": [105, 110], "index_pct": [99, 100]})
    band = alt.Chart(df).mark_area().encode(x=alt.X("month_of_year:O", title="Month of year"),
                                            y=alt.Y("min_pct:Q", title="Output (% of average)"), y2="max_pct:Q",
                                            tooltip=["month_of_year"])
    line = alt.Chart(df).mark_line().encode(x="month_of_year:O", y="index_pct:Q", tooltip=["month_of_year"])
    spec = charts.prepare(charts.titled((band + line).to_dict(), "Profile"))
    titles = [a.get("title") for a in vlc.vegalite_to_vega(spec)["axes"] if a.get("title")]
    assert sorted(titles) == ["Month of year", "Output (% of average)"]


def test_long_category_labels_wrap_and_legend_entries_read_as_labels():
    """A long category on a y axis is cut into lines (never "…"), the bands grow to hold a phone's
    lines, and legend entries are labels with a capital first letter."""
    import altair as alt
    import pandas as pd

    from aluminium.book import charts

    df = pd.DataFrame({"project": ["Fangchenggang Zhongsilu New Materials", "Short"], "kt": [1.0, 2.0],
                       "end": ["parameter at low end", "consumer_durables"]})
    spec = charts.prepare(alt.Chart(df).mark_bar().encode(
        y="project:N", x=alt.X("kt:Q", title="Capacity (kt)"), color="end:N", tooltip=["project"]).to_dict())
    assert "labelExpr" in spec["encoding"]["y"]["axis"]
    assert charts.wrapped_lines("Fangchenggang Zhongsilu New Materials", charts.WRAP_CHARS["phone"]) == [
        "Fangchenggang", "Zhongsilu New", "Materials"]
    assert spec["height"] == {"step": 3 * charts.LINE_PX + 6}
    entries = {row["end"] for rows in spec["datasets"].values() for row in rows}
    assert entries == {"Parameter at low end", "Consumer durables"}
