"""The chain drawn: bauxite → alumina → aluminium → end uses, China and the rest of the world.

``flow_svg`` turns one evaluation of the chain (:func:`aluminium.chain.run`) into an inline
SVG: one column per stage, boxes sized by tonnage, each labelled with its tonnage and price
at the parameters in force, so every scenario redraws it. No JavaScript, no network.
"""
from __future__ import annotations

import html
from collections.abc import Mapping

WIDTH, HEIGHT = 860, 360
_COLUMNS = ("Bauxite", "Alumina", "Aluminium", "End uses, China")
_CHINA, _WORLD, _LINE = "#0072B2", "#E69F00", "#999999"


def _box(x: float, y: float, w: float, h: float, colour: str, lines: list[str]) -> str:
    text = "".join(f'<tspan x="{x + 6:.0f}" dy="{14 if i else 14}">{html.escape(t)}</tspan>' for i, t in enumerate(lines))
    return (f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{max(h, 2):.0f}" rx="3" fill="{colour}" '
            f'fill-opacity="0.18" stroke="{colour}"><title>{html.escape(" · ".join(lines))}</title></rect>'
            f'<text x="{x + 6:.0f}" y="{y:.0f}" font-size="11" fill="#222">{text}</text>')


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return (f'<path d="M{x1:.0f},{y1:.0f} C{(x1 + x2) / 2:.0f},{y1:.0f} {(x1 + x2) / 2:.0f},{y2:.0f} {x2:.0f},{y2:.0f}" '
            f'fill="none" stroke="{_LINE}" stroke-width="1.5" marker-end="url(#al-arrow)"/>')


def end_use_split_kt(demand_2026_kt: float) -> dict[str, float]:
    """2026 demand split by sector at guohai2024's 2024E sector shares (kt): a drawing aid,
    not a forecast of each sector."""
    from aluminium.data import catalogue

    df = catalogue.load("demand-china-demand-by-sector")
    base = df[(df["year"] == 2024) & (df["sector"] != "total")].set_index("sector")["demand_kt"]
    return {str(s): float(v) / float(base.sum()) * demand_2026_kt for s, v in base.items()}


def flow_svg(results: Mapping[str, float], values: Mapping[str, object]) -> str:
    """The chain as an inline SVG at one evaluation (``results``) and its parameters (``values``)."""
    from aluminium.chain import MARGINAL_SOURCES

    imports = results["bauxite.china_imports_mt"]
    domestic = results["bauxite.need_mt"] - imports
    indonesia = (0.0 if values["bauxite.indonesia_supply_removed"]
                 else min(imports, values["bauxite.china_imports_reference_mt"] * values["bauxite.indonesia_share_of_imports_pct"] / 100))
    seaborne_other = imports - indonesia
    alumina_out = values["alumina.output_kt"] / 1000
    need = results["alumina.need_kt"] / 1000
    surplus = results["alumina.market_surplus_kt"] / 1000
    al_out = results["smelting.output_2026_kt"] / 1000
    net_imp = results["demand.net_imports_2026_kt"] / 1000
    demand = results["demand.demand_2026_kt"] / 1000
    balance = results["demand.balance_2026_kt"] / 1000
    scale = (HEIGHT - 90) / max(results["bauxite.need_mt"], 1.0)  # px per Mt (bauxite is the largest column)
    col_x = [20 + i * 215 for i in range(4)]
    w = 190
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="The aluminium chain at the parameters in force" class="al-flow" style="max-width:100%;height:auto">',
             '<defs><marker id="al-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
             f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{_LINE}"/></marker></defs>']
    for x, title in zip(col_x, _COLUMNS):
        parts.append(f'<text x="{x}" y="16" font-size="13" font-weight="bold" fill="#222">{html.escape(title)}</text>')
    y0 = 30
    # Bauxite: rest of the world (seaborne) and China's own mines.
    h_other, h_indo, h_dom = seaborne_other * scale, indonesia * scale, max(domestic, 0) * scale
    parts.append(_box(col_x[0], y0, w, h_other, _WORLD, [f"Imports: Guinea and others {seaborne_other:,.0f} Mt",
                                                           f"CIF {results['bauxite.modelled_cif_usd_t']:,.1f} USD/t",
                                                           f"marginal: {MARGINAL_SOURCES[int(results['bauxite.marginal_source'])]}"]))
    y = y0 + h_other + 6
    if indonesia > 0:
        parts.append(_box(col_x[0], y, w, h_indo, _WORLD, [f"Imports: Indonesia {indonesia:,.0f} Mt"]))
        y += h_indo + 6
    parts.append(_box(col_x[0], y, w, h_dom, _CHINA, [f"China's own mines {domestic:,.0f} Mt"]))
    # Alumina.
    h_need, h_sur = need * scale * 2.4, max(surplus, 0) * scale * 2.4
    parts.append(_box(col_x[1], y0, w, h_need, _CHINA, [f"China output {alumina_out:,.1f} Mt",
                                                         f"to smelters {need:,.1f} Mt",
                                                         f"price {results['alumina.modelled_price_cny_t']:,.0f} CNY/t",
                                                         f"cash cost {results['alumina.modelled_cash_cost_cny_t']:,.0f} CNY/t"]))
    parts.append(_box(col_x[1], y0 + h_need + 6, w, max(h_sur, 14), _CHINA, [f"market surplus {surplus:+,.1f} Mt"]))
    # Aluminium: China's output, net imports from the rest of the world.
    h_al, h_imp = al_out * scale * 4.5, max(net_imp, 0) * scale * 4.5
    parts.append(_box(col_x[2], y0, w, h_al, _CHINA, [f"China output {al_out:,.1f} Mt",
                                                      f"price {results['pricing.modelled_price_cny_t']:,.0f} CNY/t",
                                                      f"cost floor {results['pricing.cost_floor_cny_t']:,.0f} CNY/t",
                                                      f"balance {balance:+,.1f} Mt"]))
    parts.append(_box(col_x[2], y0 + h_al + 6, w, max(h_imp, 14), _WORLD,
                      [f"net imports {net_imp:,.1f} Mt (window {results['macro.import_window_cny_t']:+,.0f} CNY/t)"]))
    # End uses.
    y = y0
    for sector, kt in sorted(end_use_split_kt(results["demand.demand_2026_kt"]).items(), key=lambda kv: -kv[1]):
        h = kt / 1000 * scale * 4.5 * demand / max(demand, 1e-9)
        parts.append(_box(col_x[3], y, w, h, _CHINA, [f"{sector.replace('_', ' ')} {kt / 1000:,.1f} Mt"]))
        y += h + 3
    mid = y0 + 20
    for i in range(3):
        parts.append(_arrow(col_x[i] + w, mid, col_x[i + 1] - 4, mid))
    parts.append(f'<text x="20" y="{HEIGHT - 8}" font-size="10" fill="#555">Blue: China; orange: from the rest of the world. '
                 "Box heights scale with tonnage within a column (bauxite ×1, alumina ×2.4, aluminium and end uses ×4.5). "
                 "End uses split at guohai2024's 2024E shares.</text>")
    parts.append("</svg>")
    return "".join(parts)


def flow_at(overrides: Mapping[str, object] | None = None) -> str:
    """The diagram at a build's overrides (full parameter names): what a front page embeds."""
    from aluminium import chain

    return flow_svg(chain.run(overrides), chain.values_in_force(overrides))
