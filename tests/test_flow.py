"""The chain flow diagram: drawn from the chain at the parameters in force, every label inside
its box, legible on a phone."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from helpers import needs_chromium

from aluminium import chain
from aluminium.book import flow

SVG = "{http://www.w3.org/2000/svg}"
SCENARIOS = [{}, {"smelting.captive_power_price_cny_kwh": 0.6, "bauxite.indonesia_supply_removed": True},
             {"demand.utilisation_pct": 80.0}]


def drawings(overrides):
    results, values = chain.run(overrides), chain.values_in_force(overrides)
    return results, {v: ET.fromstring(flow.flow_svg(results, values, v)) for v in ("wide", "narrow")}


def boxes(svg):
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") != "al-flow-box":
            continue
        rect, text = group.find(f"{SVG}rect"), group.find(f"{SVG}text")
        width = float(rect.get("width")) if rect is not None else float(group.get("data-width"))
        yield rect, text, width


# Measured in Chromium, not with the code's own width estimate (flow.CHAR_EM): each line's drawn
# length (getComputedTextLength, in the drawing's own units) against the room its box leaves.
MEASURE = """() => [...document.querySelectorAll('svg')].flatMap(svg =>
  [...svg.querySelectorAll('g.al-flow-box')].flatMap(g => {
    const rect = g.querySelector('rect'), text = g.querySelector('text');
    const width = rect ? rect.width.baseVal.value : parseFloat(g.dataset.width);
    const left = rect ? rect.x.baseVal.value : text.x.baseVal[0].value;
    const room = rect ? [left + PAD, left + width - PAD] : [left, left + width];
    const bottom = rect ? rect.y.baseVal.value + rect.height.baseVal.value : Infinity;
    return [...text.querySelectorAll('tspan')].map(t => {
      const x = t.x.baseVal[0].value, box = t.getBBox();
      return {variant: svg.getAttribute('class'), line: t.textContent, start: x,
              end: x + t.getComputedTextLength(), room, bottom: box.y + box.height, floor: bottom};
    });
  }))"""


@needs_chromium
@pytest.mark.parametrize("overrides", SCENARIOS)
def test_no_label_is_longer_than_its_box_can_hold(browser, overrides):
    results, values = chain.run(overrides), chain.values_in_force(overrides)
    drawn = {v: flow.flow_svg(results, values, v) for v in ("wide", "narrow")}
    page = browser.new_page()
    page.set_content("<!doctype html><meta charset=utf-8><body>" + "".join(drawn.values()))
    lines = page.evaluate(MEASURE.replace("PAD", str(flow.PAD)))
    page.close()
    for variant, svg in drawn.items():
        assert len(list(boxes(ET.fromstring(svg)))) >= 10, variant
    for ln in lines:
        assert ln["room"][0] - 0.5 <= ln["start"] and ln["end"] <= ln["room"][1] + 0.5, ln
        assert ln["bottom"] <= ln["floor"] + 0.5, ln  # the lines fit the box's height, too


def test_the_wide_columns_stay_inside_the_drawing_and_do_not_overlap():
    _, svgs = drawings({})
    width = float(svgs["wide"].get("viewBox").split()[2])
    rects = [rect for rect, _, _ in boxes(svgs["wide"])]
    for rect in rects:
        assert float(rect.get("x")) >= 0 and float(rect.get("x")) + float(rect.get("width")) <= width
    by_column = {}
    for rect in rects:
        by_column.setdefault(rect.get("x"), []).append((float(rect.get("y")), float(rect.get("height"))))
    assert len(by_column) == 4
    for column in by_column.values():
        column.sort()
        for (y1, h1), (y2, _) in zip(column, column[1:]):
            assert y1 + h1 <= y2


def test_text_is_drawn_near_its_size_on_a_desktop_column_and_on_a_phone():
    _, svgs = drawings({})
    # The wide drawing fills a ~740 px text column; the narrow one a ~360 px phone column.
    assert float(svgs["wide"].get("viewBox").split()[2]) <= 760
    assert float(svgs["narrow"].get("viewBox").split()[2]) <= 370
    sizes = {float(t.get("font-size")) for svg in svgs.values() for t in svg.iter(f"{SVG}text")}
    assert min(sizes) >= 12


def test_the_diagram_carries_the_chains_numbers_at_the_parameters_in_force():
    base, svgs = drawings({})
    hot, hot_svgs = drawings({"smelting.captive_power_price_cny_kwh": 0.6})
    text = " ".join(svgs["wide"].itertext())
    assert f"{base['pricing.modelled_price_cny_t']:,.0f} CNY/t" in text
    hot_text = " ".join(hot_svgs["wide"].itertext())
    assert f"{hot['pricing.modelled_price_cny_t']:,.0f} CNY/t" in hot_text and hot_text != text
    narrow = " ".join(svgs["narrow"].itertext())
    assert re.search(r"Transport: [\d.]+ Mt", narrow)


def test_wrap_keeps_a_unit_with_its_number():
    assert flow.wrap("Cost floor 15,742 CNY/t", flow.text_width("Cost floor 15,742")) == ["Cost floor", "15,742 CNY/t"]
    assert flow.wrap("a b", 1000) == ["a b"]


def test_the_figure_holds_both_drawings_and_a_text_legend():
    html = flow.flow_at({}, "Caption <here>.")
    assert html.count("<svg") == 2 and "al-flow-wide" in html and "al-flow-narrow" in html
    assert "Caption &lt;here&gt;." in html and "Blue: China" in html and "<script" not in html
