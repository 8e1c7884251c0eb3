"""Explore the chain: the chain evaluated in the reader's browser, with the data it needs.

The browser's evaluator is hand-written (``assets/al-chain.js``, a port of :mod:`aluminium.chain`
one run at a time); everything it reads that is not a parameter the reader moves (the blocks'
capacities, the national power price the block prices shift from, the demand model's base
levels, the iteration counts) and every parameter's default, range, label, unit and source come
from :func:`constants`, written into the page as a JSON island at build time. Nothing is copied
into the script by hand, and ``tests/test_explore_parity.py`` holds the two evaluators equal.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup

from aluminium import chain, params, scenarios, sweep
from aluminium.book import flow
from aluminium.book import html as templates
from aluminium.data import catalogue, labels
from aluminium.numbers import fmt, fmt_range
from aluminium.stages import alumina, bauxite, demand, pricing, smelting

SCRIPT = Path(__file__).resolve().parent / "assets" / "al-chain.js"

# The headline outputs the panel's table shows, in the order a reader follows the chain.
HEADLINES = ("pricing.modelled_price_cny_t", "pricing.cost_floor_cny_t", "pricing.modelled_margin_cny_t",
             "demand.balance_2026_kt", "demand.net_imports_2026_kt", "macro.import_window_cny_t",
             "alumina.modelled_price_cny_t", "bauxite.modelled_cif_usd_t")


def chain_parameters() -> list[str]:
    """Every parameter a chain link reads, in chain order (each once)."""
    seen: dict[str, None] = {}
    for link in chain.LINKS:
        for name in link.reads:
            seen.setdefault(name, None)
    return list(seen)


def demand_constants() -> dict[str, Any]:
    """The demand model's base levels (kt) the 2026 demand grows from (aluminium.stages.demand)."""
    by_sector = catalogue.load("demand-china-demand-by-sector")
    new_energy = catalogue.load("demand-new-energy-aluminium")
    undriven = demand.undriven_base_kt(by_sector, new_energy)
    base = new_energy.set_index("year").loc[2024]
    return {"sectors": [[s, float(kt)] for s, kt in undriven.items()],
            "vehicles_base_kt": float(base["auto_al_demand_kt"]), "pv_base_kt": float(base["pv_al_demand_kt"]),
            "level_2025_kt": float(demand.gap_to_reports_2025(0.0)["demand_2025_kt"].iloc[0])}


def _json_value(value: Any) -> Any:
    return value if value is None or isinstance(value, (bool, int, float, str)) else float(value)


def parameter_table() -> list[dict[str, Any]]:
    """Each chain parameter as the panel shows it: name, label, unit, default, declared range, source."""
    reg = params.registry()
    out = []
    for name in chain_parameters():
        p = reg[name]
        out.append({"name": name, "label": labels.label(name, with_unit=False), "unit": p.unit, "type": p.type,
                    "default": _json_value(p.default()), "min": p.minimum, "max": p.maximum,
                    "pin": bool(p.pin_of), "source": params.param_origin(name)})
    return out


def constants() -> dict[str, Any]:
    """What the browser's chain needs besides the parameters' values."""
    hydro, sw_grid = smelting.southwest_kt()
    return {"southwest_hydro_kt": hydro, "southwest_grid_kt": sw_grid,
            "national_power_default_cny_kwh": smelting.national_power_default(),
            "demand": demand_constants(),
            "first_pass_aluminium_cny_t": alumina.FIRST_PASS_ALUMINIUM_CNY_T,
            "market_bisections": pricing.MARKET_BISECTIONS,
            "passes": chain.PASSES}


def scenario_table() -> list[dict[str, Any]]:
    """The shipped scenarios: name, title and the chain parameters each sets."""
    names = set(chain_parameters())
    return [{"name": s.name, "title": s.title,
             "values": {k: _json_value(v) for k, v in s.overrides.items() if k in names}}
            for s in scenarios.available()]


@functools.lru_cache(maxsize=4)
def top_parameters(n: int = 10, samples: int = 2000, seed: int = 0) -> tuple[str, ...]:
    """The ``n`` parameters with the largest share of the price's variance in a random sweep over
    the declared ranges (aluminium.sweep)."""
    ranges = sweep.numeric_ranges(chain_parameters())
    table = sweep.evaluate(sweep.design(ranges, samples=samples, seed=seed))
    return tuple(sweep.variance_shares(table, list(ranges))["parameter"][:n])


def flow_constants() -> dict[str, Any]:
    """What the browser needs to rewrite the chain diagram's figures (aluminium.book.flow): the text
    widths its labels wrap to, the end-use shares and names, the marginal sources' names."""
    shares = flow.end_use_split_kt(1.0)
    return {"inner_wide": flow.WIDE_COL - 2 * flow.PAD, "inner_narrow": flow.NARROW_WIDTH - 8,
            "char_em": flow.CHAR_EM, "font_size": flow.FONT_SIZE, "line_height": flow.LINE_HEIGHT, "units": sorted(flow.UNITS),
            "sectors": [[flow.capital(labels.series(s)), share] for s, share in shares.items()],
            "marginal_sources": list(bauxite.MARGINAL_SOURCES)}


def island(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON island: constants, parameters (with the values in force), scenarios, outputs, top ten
    (:func:`panel_html` adds the build's outputs, shown beside the reader's)."""
    values = chain.values_in_force(overrides, chain_parameters())
    return {"constants": constants(), "flow": flow_constants(), "parameters": parameter_table(),
            "values": {k: _json_value(v) for k, v in values.items()},
            "outputs": [{"id": o.id, "unit": o.unit, "label": o.label} for o in chain.OUTPUTS],
            "headlines": list(HEADLINES), "top": list(top_parameters()), "scenarios": scenario_table()}


def island_json(data: Mapping[str, Any]) -> str:
    """The island as text safe inside <script type="application/json">: every "<" written as
    \\u003c, so nothing in it ("</script>", "<!--") can end or change the element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


# -- the panel ------------------------------------------------------------------------------------
# Short names for the headline rows (the outputs' own labels are sentences for the chapters' tables).
HEADLINE_LABELS = {"pricing.modelled_price_cny_t": "Shanghai aluminium price",
                   "pricing.cost_floor_cny_t": "Cost floor",
                   "pricing.modelled_margin_cny_t": "Smelting margin",
                   "demand.balance_2026_kt": "China's balance (surplus +)",
                   "demand.net_imports_2026_kt": "Net primary imports",
                   "macro.import_window_cny_t": "Import window (+ = open)",
                   "alumina.modelled_price_cny_t": "Alumina price",
                   "bauxite.modelled_cif_usd_t": "Bauxite CIF China",
                   "smelting.modelled_cash_cost_cny_t": "Average smelting cash cost"}

# The diagram's figures (aluminium.book.flow), stage by stage: (label, output, unit shown, scale, sign).
CHAIN_FIGURES = (
    ("Bauxite", (("Imports", "bauxite.china_imports_mt", "Mt", 1, False),
                 ("CIF", "bauxite.modelled_cif_usd_t", "USD/t", 1, False))),
    ("Alumina", (("To smelters", "alumina.need_kt", "Mt", 0.001, False),
                 ("Market surplus", "alumina.market_surplus_kt", "Mt", 0.001, True),
                 ("Price", "alumina.modelled_price_cny_t", "CNY/t", 1, False),
                 ("Cash cost", "alumina.modelled_cash_cost_cny_t", "CNY/t", 1, False))),
    ("Aluminium", (("China output", "smelting.output_2026_kt", "Mt", 0.001, False),
                   ("Curtailed", "smelting.curtailed_kt", "Mt", 0.001, False),
                   ("Price", "pricing.modelled_price_cny_t", "CNY/t", 1, False),
                   ("Cost floor", "pricing.cost_floor_cny_t", "CNY/t", 1, False),
                   ("Balance", "demand.balance_2026_kt", "Mt", 0.001, True))),
    ("Trade", (("Net imports", "demand.net_imports_2026_kt", "Mt", 0.001, False),
               ("Import window", "macro.import_window_cny_t", "CNY/t", 1, True))),
    ("End uses, China", (("Demand", "demand.demand_2026_kt", "Mt", 0.001, False),)),
)

# Opens the panel's script only when the reader opens the panel (or follows a link to its settings).
# The live parts are shown as the panel opens, with the build's figures until the script fills them:
# opened by a link, the page lays out once (no shift when the script arrives); if the script cannot
# load, the panel goes back to the build's column and the how-to. A link with settings
# ("#explore?…", no element of that id) is scrolled to by the panel's script once it has drawn (not
# here: a scroll while the page is parsed forces a layout of everything above, a long task).
LOADER = "".join((
    '(function(){var d=document.getElementById("al-explore");if(!d)return;',
    'function live(on){d.querySelectorAll("[data-live]").forEach(function(e){e.hidden=!on});',
    'd.querySelectorAll("[data-nojs]").forEach(function(e){e.hidden=on})}',
    'function l(){if(d.dataset.loaded)return;d.dataset.loaded="1";live(true);',
    'var s=document.createElement("script");s.src=(document.documentElement.dataset.content_root||"")+"al-explore.js";',
    's.async=true;s.onerror=function(){live(false);delete d.dataset.loaded};document.head.appendChild(s)}',
    'd.addEventListener("toggle",function(){if(d.open)l()});',
    'if(location.hash.indexOf("#explore")===0){d.open=true;l()}})();'))
SCRIPT_NAME = "al-explore.js"


def script_text() -> str:
    """The panel's one script: the chain, then the panel's code."""
    ui = SCRIPT.with_name("al-explore-ui.js")
    return SCRIPT.read_text(encoding="utf-8") + "\n" + ui.read_text(encoding="utf-8")


def stage_script(extra: Path) -> None:
    """Write the panel's script into a site's extra files (copied to the site's root as they are; not
    ``_static``, whose scripts Jupyter Book adds to every page)."""
    extra.mkdir(parents=True, exist_ok=True)
    (extra / SCRIPT_NAME).write_text(script_text(), encoding="utf-8")


def _field(p: Mapping[str, Any], value: Any) -> dict[str, Any]:
    unit = p["unit"]
    shown = labels.label(p["name"])
    source = p["source"]
    rng = fmt_range(p["min"], p["max"], unit) if p["min"] is not None and p["max"] is not None else ""
    if p["type"] == "bool":
        note = f"Default {'on' if p['default'] else 'off'}. Source: {source}"
    else:
        default = "modelled by the chain" if p["pin"] else fmt(p["default"], unit)
        note = (f"Range {rng}; " if rng else "") + f"default {default}" + (
            "; leave empty to use the chain's value" if p["pin"] else "") + f". Source: {source}"
    return {**p, "id": p["name"].replace(".", "-"), "label": shown, "value": value, "range_text": rng,
            "text": "" if value is None else f"{value:.6g}", "note": note}


def _in_context(field: dict[str, Any]) -> dict[str, Any]:
    """A field shown outside its chapter's group: its label says the chapter ("Alumina: output (kt)")."""
    label = field["label"]
    if label[:1].isupper() and not label[1:2].isupper():
        label = label[:1].lower() + label[1:]
    return {**field, "label": f"{field['name'].split('.')[0].capitalize()}: {label}"}


def panel_html(overrides: Mapping[str, Any] | None = None) -> str:
    """The "Explore the chain" panel at this build's parameters, as HTML on one line (the book's one
    template environment, :mod:`aluminium.book.html`: autoescaped, no blank line to end a Markdown block)."""
    data = island(overrides)
    built = chain.run(overrides)
    data["built"] = built
    by_name = {p["name"]: p for p in data["parameters"]}
    fields = [_field(p, data["values"][p["name"]]) for p in data["parameters"]]
    fields_by = {f["name"]: f for f in fields}
    units = {o.id: o.unit for o in chain.OUTPUTS}
    rows = [{"id": oid, "label": HEADLINE_LABELS[oid], "value": fmt(built[oid], units[oid])}
            for oid in (*HEADLINES, "smelting.modelled_cash_cost_cny_t")]
    stages = [{"title": title, "figures": [{"label": label, "id": oid, "unit": unit, "scale": scale, "sign": int(sign),
                                          "value": fmt(built[oid] * scale, unit, sign=sign)}
                                         for label, oid, unit, scale, sign in items]}
              for title, items in CHAIN_FIGURES]
    html = templates.render(
        "explore.html",
        scenarios=data["scenarios"], top=[_in_context(fields_by[n]) for n in data["top"] if n in by_name], params=fields,
        groups=[{"title": f"{stage.capitalize()} chapter", "fields": [f for f in fields if f["name"].split(".")[0] == stage]}
                for stage in chain.STAGES if any(f["name"].split(".")[0] == stage for f in fields)],
        rows=rows, stages=stages, island=Markup(island_json(data)),
        loader=Markup(LOADER))
    return str(html)
