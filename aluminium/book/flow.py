"""The chain drawn: bauxite → alumina → aluminium → end uses, China and the rest of the world.

``flow_svg`` turns one evaluation of the chain (:func:`aluminium.chain.run`) into inline SVG:
one stage per column, boxes sized by tonnage, each labelled with its tonnage and price at the
parameters in force, so every scenario redraws it. ``figure_html`` wraps a wide drawing (four
columns, for a desktop column) and a narrow one (the stages stacked, for a phone) in one
figure; the page's stylesheet shows the one that fits. No JavaScript, no network.

Labels are wrapped to their box by an estimate of text width (characters × font size ×
``CHAR_EM``), so no label runs out of its box at any parameters.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from aluminium import chain
from aluminium.book import html
from aluminium.data import catalogue, labels
from aluminium.numbers import fmt
from aluminium.stages.bauxite import MARGINAL_SOURCES

_CHINA, _WORLD, _LINE = "#0072B2", "#E69F00", "#999999"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
FONT_SIZE, HEAD_SIZE = 12, 13
LINE_HEIGHT = 15
CHAR_EM = 0.6  # a generous average glyph width in ems for a sans-serif (digits are ~0.55)
PAD = 6
# Wide: four columns in about the width of the book's text column, so text draws near its size.
WIDE_WIDTH, WIDE_GAP, WIDE_BODY = 740, 24, 300
WIDE_COL = (WIDE_WIDTH - 8 - 3 * WIDE_GAP) // 4
# Narrow: the stages stacked, for a phone's ~360 px column.
NARROW_WIDTH = 360


@dataclass(frozen=True)
class Item:
    tonnage_mt: float
    colour: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Stage:
    title: str
    items: tuple[Item, ...]


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Estimated drawn width of ``text`` at ``size`` px."""
    return len(text) * size * CHAR_EM


UNITS = {"Mt", "kt", "CNY/t", "USD/t", "%"}


def wrap(line: str, width: float, size: float = FONT_SIZE) -> list[str]:
    """``line`` broken at spaces into lines that fit ``width`` px (a single over-long word is
    kept whole: the caller's test catches it)."""
    out: list[str] = []
    words: list[str] = []
    for word in line.split(" "):  # a unit stays on its number's line
        if words and word in UNITS:
            words[-1] = f"{words[-1]} {word}"
        else:
            words.append(word)
    for word in words:
        if out and text_width(f"{out[-1]} {word}", size) <= width:
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return out


def end_use_split_kt(demand_2026_kt: float) -> dict[str, float]:
    """2026 demand split by sector at guohai2024's 2024E sector shares (kt): a drawing aid,
    not a forecast of each sector."""
    df = catalogue.load("demand-china-demand-by-sector")
    base = df[(df["year"] == 2024) & (df["sector"] != "total")].set_index("sector")["demand_kt"]
    return {str(s): float(v) / float(base.sum()) * demand_2026_kt for s, v in base.items()}


def _mt(value: float, sign: bool = False) -> str:
    return fmt(value, "Mt", sign=sign)


def stages(results: Mapping[str, float], values: Mapping[str, object]) -> tuple[Stage, ...]:
    """The chain's stages and their boxes at one evaluation and its parameters."""
    imports = results["bauxite.china_imports_mt"]
    domestic = results["bauxite.need_mt"] - imports
    indonesia_reference = (values["bauxite.china_imports_reference_mt"]
                           * values["bauxite.indonesia_share_of_imports_pct"] / 100)
    indonesia = 0.0 if values["bauxite.indonesia_supply_removed"] else min(imports, indonesia_reference)
    need = results["alumina.need_kt"] / 1000
    surplus = results["alumina.market_surplus_kt"] / 1000
    net_imp = results["demand.net_imports_2026_kt"] / 1000
    marginal = MARGINAL_SOURCES[int(results["bauxite.marginal_source"])]
    bauxite = [Item(imports - indonesia, _WORLD, (f"Imports, Guinea and others: {_mt(imports - indonesia)}",
                                                  f"CIF {fmt(results['bauxite.modelled_cif_usd_t'], 'USD/t')}",
                                                  f"Marginal supply: {marginal}"))]
    if indonesia > 0:
        bauxite.append(Item(indonesia, _WORLD, (f"Imports, Indonesia: {_mt(indonesia)}",)))
    bauxite.append(Item(max(domestic, 0.0), _CHINA, (f"China's own mines: {_mt(domestic)}",)))
    alumina = [Item(need, _CHINA, (f"China output {_mt(values['alumina.output_kt'] / 1000)}",
                                   f"To smelters: {_mt(need)}",
                                   f"Price {fmt(results['alumina.modelled_price_cny_t'], 'CNY/t')}",
                                   f"Cash cost {fmt(results['alumina.modelled_cash_cost_cny_t'], 'CNY/t')}")),
               Item(max(surplus, 0.0), _CHINA, (f"Market surplus: {_mt(surplus, sign=True)}",))]
    aluminium = [Item(results["smelting.output_2026_kt"] / 1000, _CHINA,
                      (f"China output {_mt(results['smelting.output_2026_kt'] / 1000)}",
                       f"Price {fmt(results['pricing.modelled_price_cny_t'], 'CNY/t')}",
                       f"Cost floor {fmt(results['pricing.cost_floor_cny_t'], 'CNY/t')}",
                       f"Balance {_mt(results['demand.balance_2026_kt'] / 1000, sign=True)}")),
                 Item(max(net_imp, 0.0), _WORLD, (
                     f"Net imports: {_mt(net_imp)}",
                     f"Import window {fmt(results['macro.import_window_cny_t'], 'CNY/t', sign=True)}"))]
    uses = sorted(end_use_split_kt(results["demand.demand_2026_kt"]).items(), key=lambda kv: -kv[1])
    end_uses = [Item(kt / 1000, _CHINA, (f"{capital(labels.series(sector))}: {_mt(kt / 1000)}",)) for sector, kt in uses]
    return (Stage("Bauxite", tuple(bauxite)), Stage("Alumina", tuple(alumina)),
            Stage("Aluminium", tuple(aluminium)), Stage("End uses, China", tuple(end_uses)))


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _m(name: str):
    return html.macro("flow.html", name)


def _lines_svg(x: float, y: float, lines: list[str], size: int = FONT_SIZE, bold: bool = False) -> Markup:
    """Lines of text whose first baseline is at ``y``."""
    return _m("text_lines")(x, y, lines, size, bold, line_height=LINE_HEIGHT)


def _box(x: float, y: float, w: float, h: float, item: Item, lines: list[str]) -> Markup:
    return _m("box")(x, y, w, h, item.colour, " · ".join(item.lines),
                     _lines_svg(x + PAD, y + PAD + FONT_SIZE - 2, lines))


def _text_height(n_lines: int) -> float:
    return 2 * PAD + FONT_SIZE + (n_lines - 1) * LINE_HEIGHT - 2


def _svg(width: float, height: float, variant: str, body: list[Markup]) -> Markup:
    return _m("svg")(width, height, variant, FONT, _LINE, body)


def _wide(chain: tuple[Stage, ...]) -> Markup:
    """Four columns; box heights proportional to tonnage within a column, never shorter than
    their label."""
    inner = WIDE_COL - 2 * PAD
    body: list[Markup] = []
    column_heights = []
    top = 26
    for i, stage in enumerate(chain):
        x = 4 + i * (WIDE_COL + WIDE_GAP)
        body.append(_lines_svg(x, 16, [stage.title], HEAD_SIZE, bold=True))
        total = sum(it.tonnage_mt for it in stage.items) or 1.0
        gap = 5
        room = WIDE_BODY - gap * (len(stage.items) - 1)
        y = top
        for item in stage.items:
            lines = [part for line in item.lines for part in wrap(line, inner)]
            h = max(item.tonnage_mt / total * room, _text_height(len(lines)))
            body.append(_box(x, y, WIDE_COL, h, item, lines))
            y += h + gap
        column_heights.append(y - gap)
        if i < len(chain) - 1:
            ay = top + 10
            body.append(_m("arrow")(f"M{x + WIDE_COL + 2},{ay} H{x + WIDE_COL + WIDE_GAP - 3}", _LINE, "wide"))
    return _svg(WIDE_WIDTH, max(column_heights) + 4, "wide", body)


def _narrow(chain: tuple[Stage, ...]) -> Markup:
    """The stages stacked: each box a bar whose length is proportional to tonnage within the
    stage, its label above it."""
    inner = NARROW_WIDTH - 8
    body: list[Markup] = []
    y = 16
    for i, stage in enumerate(chain):
        body.append(_lines_svg(4, y, [stage.title], HEAD_SIZE, bold=True))
        y += 8
        most = max((it.tonnage_mt for it in stage.items), default=1.0) or 1.0
        for item in stage.items:
            lines = [part for line in item.lines for part in wrap(line, inner)]
            body.append(_m("label")(inner, _lines_svg(4, y + FONT_SIZE, lines)))
            y += FONT_SIZE + (len(lines) - 1) * LINE_HEIGHT + 5
            bar = max(item.tonnage_mt / most * inner, 2)
            body.append(_m("bar")(y, bar, item.colour, " · ".join(item.lines)))
            y += 18
        if i < len(chain) - 1:
            body.append(_m("arrow")(f"M{NARROW_WIDTH / 2:.0f},{y:.0f} V{y + 16:.0f}", _LINE, "narrow"))
            y += 22 + HEAD_SIZE
    return _svg(NARROW_WIDTH, y + 4, "narrow", body)


LEGEND = ("Blue: China; orange: from the rest of the world. Box and bar lengths are proportional to "
          "tonnage within a stage (a small box is drawn tall enough for its label). End uses split "
          "2026 demand at Guohai Securities' 2024 estimate of sector shares.")


def flow_svg(results: Mapping[str, float], values: Mapping[str, object], variant: str = "wide") -> Markup:
    """The chain as inline SVG at one evaluation (``results``) and its parameters (``values``):
    ``variant`` "wide" (four columns) or "narrow" (stacked, for a phone)."""
    chain = stages(results, values)
    return _wide(chain) if variant == "wide" else _narrow(chain)


def figure_html(results: Mapping[str, float], values: Mapping[str, object], caption: str,
                data_chart: str = "") -> Markup:
    """Both drawings in one figure (the stylesheet shows the one that fits the screen), with the
    caption and the colour legend as HTML text, which wraps; ``data_chart`` names the figure for the
    page's scripts and tests (``data-chart``)."""
    return _m("figure")(flow_svg(results, values, "wide"), flow_svg(results, values, "narrow"), caption, LEGEND, data_chart)


def flow_at(overrides: Mapping[str, object] | None = None, caption: str = "") -> Markup:
    """The figure at a build's overrides (full parameter names): what a front page embeds."""
    return figure_html(chain.run(overrides), chain.values_in_force(overrides), caption)
