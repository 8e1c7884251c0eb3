"""The front page's executive summary: findings, scenario in force and the chain picture."""
from __future__ import annotations

import re

from test_narrative import FIGURES

from aluminium.book import frontpage
from aluminium.book.keyfigures import KeyFigure
from aluminium.scenarios import Scenario


def figures(**changes) -> list[KeyFigure]:
    return [KeyFigure(fid, changes.get(fid, v), "", fid) for fid, v in FIGURES.items()]


def test_key_findings_are_a_numbered_list_linked_to_sections():
    text = frontpage.key_findings(frontpage.values_in_force(figures(), {}))
    items = text.splitlines()
    assert 6 <= len(items) <= 10
    for i, line in enumerate(items, 1):
        assert line.startswith(f"{i}. **")
        assert re.search(r"\(\{ref\}`[a-z]+-[a-z0-9-]+`\)$", line), line
        assert re.search(r"\d", line.split("{ref}")[0])


def test_findings_follow_the_parameters_in_force():
    base = frontpage.key_findings(frontpage.values_in_force(figures(), {}))
    assert "The import window is shut" in base
    opened = frontpage.key_findings(frontpage.values_in_force(
        figures(**{"macro.import_window_cny_t": 500.0}), {}))
    # The key figures of the build are what the findings read, never fixed text.
    assert "The import window is open by 500 CNY/t" in opened


def test_scenario_in_force_base_case():
    text = frontpage.scenario_in_force({})
    assert "Base case" in text and "differ" not in text


def test_scenario_in_force_lists_changed_assumptions_as_code():
    text = frontpage.scenario_in_force({"smelting.power_price_cny_kwh": 0.5})
    assert "<code>smelting.power_price_cny_kwh</code> = 0.5 CNY/kWh" in text
    assert "(default 0.39 CNY/kWh)" in text and "1 assumption differs" in text


def test_scenario_text_is_escaped():
    sc = Scenario("x", "Dry <b>year</b>", "Less *hydro* & more <script>", {"demand.utilisation_pct": 91.0})
    text = frontpage.scenario_in_force(sc.overrides, sc)
    assert "Scenario: Dry &lt;b&gt;year&lt;/b&gt;" in text and "&lt;script&gt;" in text and "<script>" not in text
    assert "<code>demand.utilisation_pct</code> = 91 %" in text


def test_chain_flow_is_an_inline_figure():
    html = frontpage.chain_flow({})
    assert html.startswith("<figure") and "<svg" in html and "<script" not in html


def test_write_front_page_fills_the_placeholders_as_plain_text(tmp_path):
    page = tmp_path / "intro.md"
    page.write_text("# Front\n\n{{ scenario_in_force }}\n\n{{ key_findings }}\n\n{{ outlook }}\n\n{{ chain_flow }}\n\n{{ explore }}\n")
    scenario = Scenario("x", "Dry {{ 7*7 }} case", "{% if 1 %}yes{% endif %} {eval}`1`")
    frontpage.write_front_page(page, figures(), {"smelting.power_price_cny_kwh": 0.5}, scenario)
    text = page.read_text()
    assert "{{ scenario_in_force }}" not in text and "{{ key_findings }}" not in text and "<svg" in text
    assert "0.5 CNY/kWh" in text
    # the scenario's text is inert: no substitution, template or role syntax survives unescaped
    assert "{{ 7*7 }}" not in text and "{%" not in text and "{eval}`" not in text
    assert "Dry &#123;&#123; 7*7 &#125;&#125; case" in text
