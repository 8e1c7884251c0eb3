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
    assert spec["layer"][1]["encoding"]["y"]["title"] is None
    assert charts.lint(spec) == []
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


def test_chart_html_loads_nothing_when_the_bundle_is_present():
    chart = alt.Chart(DF).mark_bar().encode(x="year:O", y=alt.Y("output_kt:Q", title="Output (kt)"), tooltip=["year"])
    html = charts.to_html(chart, "al-chart-test")
    assert 'id="al-chart-test"' in html and "VEGA_DEBUG[key] == version" in html
    assert "<script src=" not in html.replace(" ", "")


def test_titles_are_set_above_the_chart_in_html():
    chart = alt.Chart(DF).mark_bar().encode(x="year:O", y=alt.Y("output_kt:Q", title="Output (kt)"), tooltip=["year"])
    spec = charts.prepare(charts.titled(chart.to_dict(), "Output <by year>", "what to see"))
    assert "title" not in spec and charts.chart_title(spec) == "Output <by year>"
    html = charts.caption_html(spec)
    assert "Output &lt;by year&gt;" in html and "what to see" in html
    assert charts.lint_layout(charts.titled(chart.to_dict(), "")) == ["the chart has no title"]
    assert charts.lint_layout(spec) == []
