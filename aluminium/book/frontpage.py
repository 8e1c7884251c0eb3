"""The front page as an executive summary, filled in from this build when the site is assembled.

``book/intro.md`` is written by hand with three placeholders, each alone on its line, for what
depends on the build: ``{{ scenario_in_force }}``, ``{{ key_findings }}`` and ``{{ chain_flow }}``.
After the chapters have run, :func:`write_front_page` computes them from the collected key
figures and the parameters in force and writes them into the staged copy of the page. The
placeholders are replaced as plain text by this module; MyST's substitutions (which run their
values through Jinja) are not used, so no text of a scenario or a parameter is ever a template.
The findings are the chapters' headline key points (:mod:`aluminium.book.narrative`), so the
front page and the chapters say the same thing with the same numbers.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from aluminium import chain, params
from aluminium import outlook as chain_outlook
from aluminium.book import explore, flow, html, markup, narrative
from aluminium.numbers import fmt

KEYS = ("scenario_in_force", "key_findings", "outlook", "chain_flow", "explore")


def chain_values(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Every parameter (full name) and every chain output at the parameters in force."""
    values = chain.values_in_force(overrides)
    values.update(chain.run(overrides))
    return values


def values_in_force(figures, overrides: Mapping[str, Any], chain_part: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every parameter (full name), every chain output and every key figure of this build."""
    values = dict(chain_part if chain_part is not None else chain_values(overrides))
    values.update({f.id: f.value for f in figures})
    return values


def key_findings(values: Mapping[str, Any]) -> str:
    """The headline findings as a numbered Markdown list, each linked to its section."""
    lines = [f"{i}. {kp.text} ({{ref}}`{kp.section}`)" for i, kp in enumerate(narrative.findings(values), 1)]
    return "\n".join(lines)


def _value_text(name: str, value: Any) -> str:
    p = params.lookup(name)
    if value is None:
        return "modelled by the chain"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, (int, float)):
        return fmt(value, p.unit)
    return str(params.shown_path(value) if p.type == "path" else value)


def scenario_in_force(overrides: Mapping[str, Any], scenario=None) -> Markup:
    """What this build assumes, as HTML (``templates/pages.html``): the scenario's title and why,
    and every assumption that differs from its default (names in code, as a reader types them).
    When one differs, it links the comparison page the build then writes (aluminium.book.build)."""
    changed = []
    for name, value in sorted(overrides.items()):
        default = params.lookup(name).default()
        if value != default:
            changed.append({"name": name, "value": _value_text(name, value), "default": _value_text(name, default)})
    return html.macro("pages.html", "scenario_in_force")(scenario, changed)


FLOW_CAPTION = ("From ore to end use at the parameters in force: tonnages in Mt a year (2026), "
                "with the modelled prices.")


def chain_flow(overrides: Mapping[str, Any]) -> str:
    """The chain flow diagram at the parameters in force, as an HTML figure."""
    return flow.flow_at(overrides, FLOW_CAPTION)


def outlook(overrides: Mapping[str, Any]) -> str:
    """The 2026 outlook (bear, base, bull, the reports' views, the back-test error) as an HTML table,
    the same table the pricing chapter opens with."""
    table = chain_outlook.outlook_table(overrides)
    return markup.table_html(markup.reader_frame(table), name="outlook-2026",
                             caption="China's aluminium market in 2026: bear, base and bull, with the reports' views",
                             footer=markup.source_html("the book's chain model; World Bank LME and ECB exchange rates; "
                                                       "the reports as cited in the last column"))


@dataclass
class Prepared:
    """What the front page needs from the parameters alone, worked out while the chapters run."""
    chain_values: dict
    scenario_in_force: str
    chain_flow: str
    outlook: str = ""
    explore: str = ""


def prepare(overrides: Mapping[str, Any], scenario=None) -> Prepared:
    # One run of the chain serves the findings and the flow diagram.
    inputs, results = chain.values_in_force(overrides), chain.run(overrides)
    return Prepared({**inputs, **results}, scenario_in_force(overrides, scenario),
                    flow.figure_html(results, inputs, FLOW_CAPTION), outlook(overrides),
                    explore.panel_html(overrides))


def substitutions(figures, overrides: Mapping[str, Any], scenario=None, prepared: Prepared | None = None) -> dict[str, str]:
    prepared = prepared or prepare(overrides, scenario)
    values = values_in_force(figures, overrides, prepared.chain_values)
    return {"scenario_in_force": prepared.scenario_in_force,
            "key_findings": key_findings(values),
            "outlook": prepared.outlook or outlook(overrides),
            "chain_flow": prepared.chain_flow, "explore": prepared.explore or explore.panel_html(overrides)}


def placeholder(key: str) -> str:
    return "{{ " + key + " }}"


def write_front_page(page: Path, figures, overrides: Mapping[str, Any], scenario=None,
                     prepared: Prepared | None = None) -> None:
    """Fill the placeholders of the staged front page (each alone on its line) with this build's."""
    values = substitutions(figures, overrides, scenario, prepared)
    lines = page.read_text(encoding="utf-8").splitlines()
    missing = [k for k in KEYS if placeholder(k) not in lines]
    if missing:
        raise ValueError(f"{page.name}: no line holding only the placeholder {{{{ {missing[0]} }}}}")
    by_line = {placeholder(k): v for k, v in values.items()}
    filled = [by_line.get(line, line) for line in lines]
    page.write_text("\n".join(filled) + "\n", encoding="utf-8")
