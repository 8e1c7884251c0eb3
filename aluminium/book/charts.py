"""The house style for charts, and the offline JavaScript bundle that draws them.

Charts are Altair (Vega-Lite). Each is written into the page as its spec in a JSON island
(``to_html``), drawn by the site's own deferred loader (``assets/al-charts.js``) with one
local bundle (``_static/vega-bundle.js``) that defines the libraries, so no chart touches the
network and no page loads Vega before a chart comes near the screen.
"""
from __future__ import annotations

import json
import re

import altair as alt

from aluminium.book import html
from aluminium.data import labels
from aluminium.data.provenance import reader_text

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# Colour-blind-safe categorical palette (Okabe & Ito), fixed so a country keeps its colour.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000", "#999999", "#882255", "#44AA99", "#117733", "#332288", "#AA4499"]
HEIGHT = 320
# The width of the chart's box in the page, as Vega sees it when it draws (0 where there is no page).
_CONTAINER = "containerSize()[0]"
_NARROW = f"{_CONTAINER} < 520"


@alt.theme.register("aluminium", enable=True)
def house_theme() -> alt.theme.ThemeConfig:
    return {
        # Room on the right for the last axis label (flush with the plot's end, it can overhang by a pixel).
        "padding": {"left": 5, "top": 5, "bottom": 5, "right": 10},
        "config": {
            "font": FONT,
            "view": {"continuousWidth": 560, "continuousHeight": HEIGHT, "stroke": None},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 11,
                      "subtitleColor": "#555555", "offset": 10, "limit": 0, "lineHeight": 19},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e6e6e6",
                     "domainColor": "#888888", "tickColor": "#888888",
                     # Category names (projects, mines) in full on a desktop column, shorter on a phone.
                     "labelLimit": {"expr": f"{_NARROW} ? 130 : 280"}},
            # Legends below the plot, so a phone keeps the plot's width: two columns on a desktop
            # column, one on a phone, each as wide as the chart allows (no label cut short).
            # The first and last labels of an x axis sit inside the plot (none runs past a phone's edge).
            "axisX": {"labelFlush": True},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom",
                       "columns": {"expr": f"{_NARROW} ? 1 : 2"},
                       "labelLimit": {"expr": f"{_NARROW} ? max(200, {_CONTAINER} - 40) : {_CONTAINER} / 2 - 40"},
                       "titleLimit": 300, "columnPadding": 12},
            "range": {"category": PALETTE},
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0], "strokeWidth": 2},
            "point": {"color": PALETTE[0]},
        }
    }


# How a chart sits in a page: its container, then its spec and embed options as a JSON
# island, which ``assets/al-charts.js`` finds by this opening tag and draws with the site's
# local Vega bundle when the chart comes near the screen. No inline script runs.
ISLAND_OPEN = '<script type="application/json" class="al-chart-spec">'
EMBED_OPTIONS = {"actions": False, "mode": "vega-lite"}  # no Vega menu: the page offers SVG and PNG itself
_CONTAINER_STYLE = """
<style>
  #{id}.vega-embed {{
    width: 100%;
    display: flex;
  }}

  #{id}.vega-embed details,
  #{id}.vega-embed details summary {{
    position: relative;
  }}
</style>
<div id="{id}"></div>
"""


def chart_island(spec: dict, options: dict) -> str:
    """One chart as a JSON island that ``al-charts.js`` draws."""
    # "</" would end the script element early and "<!--" change how it is parsed; "\u003c" is
    # the same JSON string.
    payload = json.dumps([spec, options], separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")
    return f"{ISLAND_OPEN}{payload}</script>"


def to_html(chart: alt.TopLevelMixin | dict, div_id: str) -> str:
    """The chart (or its spec) as an HTML fragment: its container and its JSON island."""
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    return _CONTAINER_STYLE.format(id=div_id) + chart_island(spec, EMBED_OPTIONS)


def versions() -> dict[str, str]:
    """The versions Altair's template asks for, under the keys it checks in VEGA_DEBUG."""
    return {"vega_version": alt.VEGA_VERSION, "vegalite_version": alt.VEGALITE_VERSION,
            "vegaembed_version": alt.VEGAEMBED_VERSION}


def javascript_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one classic script that defines the globals Altair uses."""
    import vl_convert as vlc

    vl = ".".join(alt.VEGALITE_VERSION.split(".")[:2])
    snippet = ("window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite; "
               f"window.VEGA_DEBUG = Object.assign(window.VEGA_DEBUG || {{}}, {json.dumps(versions())});")
    bundle = vlc.javascript_bundle(snippet, vl_version=vl)
    # The bundle is written as a module; its top-level names (``_`` among them) would clash
    # with Sphinx's globals in a classic script, so it runs inside a function scope.
    return f"(function () {{\n{bundle}\n}})();\n"


_ANNOTATION_MARKS = {"rule", "text"}  # reference lines and labels: they explain, a hover adds nothing


def _mark_type(mark) -> str:
    return mark.get("type", "") if isinstance(mark, dict) else str(mark)


def share_layer_titles(spec: dict) -> dict:
    """Layers drawn on one axis share its title: reference lines, labels and any layer without a
    title of its own take the titled layer's.

    Without this, Vega-Lite joins every layer's field name into the axis title
    ("Cost (CNY/t), price_cny_t"). The other layers repeat the title rather than set none: a
    layer's ``title: null`` removes the shared axis's title altogether. Returns the spec, changed
    in place.
    """
    layers = spec.get("layer", []) or []
    views = [spec, *layers]
    for channel in ("x", "y"):
        encodings = [(layer, (layer.get("encoding") or {}).get(channel)) for layer in layers]
        titles = [ch["title"] for _, ch in encodings if isinstance(ch, dict) and isinstance(ch.get("title"), str)]
        for layer, ch in encodings:
            if not isinstance(ch, dict):
                continue
            if titles and ch.get("title", None) is None:
                ch["title"] = titles[0]
            elif "title" not in ch and ch.get("type") == "quantitative" and _mark_type(layer.get("mark")) in _ANNOTATION_MARKS:
                ch["title"] = None
        # A range's second field (y2, the band's top) is on the same axis: it repeats the axis
        # title, or Vega-Lite adds its own label to it ("Output (%), Maximum (%)").
        for view in views:
            enc = view.get("encoding") or {}
            first, second = enc.get(channel), enc.get(f"{channel}2")
            if isinstance(first, dict) and isinstance(second, dict) and isinstance(first.get("title"), str):
                second["title"] = first["title"]
    for layer in layers:
        share_layer_titles(layer)
    for key in ("hconcat", "vconcat", "concat"):
        for child in spec.get(key, []) or []:
            share_layer_titles(child)
    return spec


def lint(spec: dict) -> list[str]:
    """What a chart lacks of the house rules: tooltips on its data marks, a title with a unit in
    parentheses on every quantitative x/y axis ("Output (kt)"), and years on every time axis."""
    problems: list[str] = []

    def walk(node, path: str) -> None:
        if isinstance(node, dict):
            if "mark" in node:
                _check_unit(node, path, problems)
            for key in ("layer", "hconcat", "vconcat", "concat"):
                for i, child in enumerate(node.get(key, []) or []):
                    walk(child, f"{path}{key}[{i}].")
            if isinstance(node.get("spec"), dict):
                walk(node["spec"], f"{path}spec.")

    walk(spec, "")
    return problems


def _check_unit(node: dict, path: str, problems: list[str]) -> None:
    mark = _mark_type(node["mark"])
    enc = node.get("encoding", {}) or {}
    has_tooltip = "tooltip" in enc or (isinstance(node["mark"], dict) and node["mark"].get("tooltip"))
    if mark not in _ANNOTATION_MARKS and not has_tooltip:
        problems.append(f"{path}{mark} mark has no tooltip")
    for channel in ("x", "y"):
        ch = enc.get(channel)
        if (isinstance(ch, dict) and ch.get("type") == "temporal" and ch.get("axis", {}) is not None
                and not _shows_year(ch)):
            problems.append(f"{path}{channel} time axis ({ch.get('field', '?')}) shows no year: "
                            "give it a format with %Y or a time unit with the year")
        if not isinstance(ch, dict) or ch.get("type") != "quantitative" or ch.get("axis", {}) is None:
            continue
        if "title" not in ch:
            problems.append(f"{path}{channel} axis ({ch.get('field', ch.get('aggregate', '?'))}) has no title")
        elif isinstance(ch["title"], str) and "(" not in ch["title"]:
            problems.append(f"{path}{channel} axis title '{ch['title']}' names no unit in parentheses")


MIN_WIDTH = 600  # a single chart narrower than this leaves most of the column empty
_CHANNELS = ("x", "y", "x2", "y2", "color", "fill", "stroke", "shape", "size", "opacity", "strokeDash",
             "theta", "radius", "row", "column", "facet", "text")
_HIDDEN_FIELDS = {"fact", "id"}  # machine ids: in the CSV download, never in a tooltip


def _dataset_values(spec: dict) -> dict[str, list]:
    values: dict[str, list] = {}
    for rows in (spec.get("datasets") or {}).values():
        for row in rows:
            for key, value in row.items():
                values.setdefault(key, []).append(value)
    return values


def _humanise_channel(ch: dict) -> None:
    field = ch.get("field")
    if not isinstance(field, str) or "title" in ch:
        return
    ch["title"] = labels.label(field)


def humanise(spec: dict) -> dict:
    """Reader text in a chart from the label map: every encoded field without a title takes its
    label (with unit), tooltips get number formats and lose machine ids, and series values that
    are machine names (``consumer_durables``) show as labels. Returns the spec, changed in place."""
    values = _dataset_values(spec)

    def rename(v):
        return labels.series(v) if isinstance(v, str) and labels.MACHINE_NAME.match(v) and labels.known(v) else v

    for rows in (spec.get("datasets") or {}).values():
        for row in rows:
            for key, value in row.items():
                row[key] = rename(value)

    def walk(node) -> None:
        if not isinstance(node, dict):
            return
        layers = [layer for layer in node.get("layer", []) or [] if isinstance(layer, dict)]
        for name in ("x", "y"):
            # Layers share an axis: the first layer's label titles it and the others repeat it
            # (a layer's null title would remove the axis title).
            chans = [(layer.get("encoding") or {}).get(name) for layer in layers]
            chans = [c for c in chans if isinstance(c, dict) and isinstance(c.get("field"), str)]
            if len(chans) > 1 and not any("title" in c for c in chans):
                for c in chans[1:]:
                    c["title"] = labels.label(chans[0]["field"])
        enc = node.get("encoding")
        if isinstance(enc, dict):
            for name in _CHANNELS:
                ch = enc.get(name)
                if isinstance(ch, dict):
                    _humanise_channel(ch)
                    if isinstance(ch.get("sort"), list):
                        ch["sort"] = [rename(v) for v in ch["sort"]]
                    scale = ch.get("scale")
                    if isinstance(scale, dict) and isinstance(scale.get("domain"), list):
                        scale["domain"] = [rename(v) for v in scale["domain"]]
            tips = enc.get("tooltip")
            if isinstance(tips, dict):
                tips = [tips]
            if isinstance(tips, list):
                kept = []
                for tip in tips:
                    if isinstance(tip, dict) and tip.get("field") in _HIDDEN_FIELDS:
                        continue
                    if isinstance(tip, dict) and "title" not in tip and isinstance(tip.get("field"), str):
                        tip["title"] = labels.label(tip["field"])
                        if tip.get("type") == "quantitative" and "format" not in tip:
                            nums = [v for v in values.get(tip["field"], [])
                                    if isinstance(v, (int, float)) and not isinstance(v, bool)]
                            tip["format"] = labels.number_format(tip["field"], nums)
                    kept.append(tip)
                enc["tooltip"] = kept
        for key in ("layer", "hconcat", "vconcat", "concat"):
            for child in node.get(key, []) or []:
                walk(child)
        if isinstance(node.get("spec"), dict):
            walk(node["spec"])

    walk(spec)
    _legend_values(spec)
    _tooltip_text(spec)
    return spec


def _tooltip_text(spec: dict) -> None:
    """Text shown only in tooltips reads as reader text: report ids as the prose names them,
    Chinese captions after their English (fields a chart also encodes are left as they are)."""
    shown, encoded = set(), set()
    for view in _views(spec):
        enc = view.get("encoding")
        if not isinstance(enc, dict):
            continue
        for name, ch in enc.items():
            items = ch if isinstance(ch, list) else [ch]
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("field"), str):
                    (shown if name == "tooltip" else encoded).add(item["field"])
    fields = shown - encoded
    for rows in (spec.get("datasets") or {}).values():
        for row in rows:
            for key in fields & set(row):
                if isinstance(row[key], str):
                    row[key] = reader_text(row[key])


_LEGEND_CHANNELS = ("color", "fill", "stroke", "shape", "strokeDash")
LEGEND_CHARS = {"phone": 24, "desktop": 60}


def legend_entry(value):
    """A legend entry as a reader reads it: the label map's label, else the text with a capital
    first letter ("parameter at high end" → "Parameter at high end")."""
    if not isinstance(value, str) or not value:
        return value
    text = labels.series(value)
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def _legend_values(spec: dict) -> None:
    """Values of fields shown in a legend read as legend entries, in the data, sorts and domains."""
    fields: set[str] = set()
    channels = []
    for view in _views(spec):
        enc = view.get("encoding")
        for name in _LEGEND_CHANNELS:
            ch = enc.get(name) if isinstance(enc, dict) else None
            if (isinstance(ch, dict) and ch.get("type") in ("nominal", "ordinal") and isinstance(ch.get("field"), str)
                    and ch.get("legend", {}) is not None and ch.get("scale", {}) is not None):
                fields.add(ch["field"])
                channels.append(ch)
                legend = dict(ch.get("legend") or {})
                if "labelExpr" not in legend:  # long entries wrap rather than run past a phone's edge
                    ch["legend"] = {**legend, "labelExpr": _wrap_expr(LEGEND_CHARS["phone"], LEGEND_CHARS["desktop"])}
    if not fields:
        return
    for rows in (spec.get("datasets") or {}).values():
        for row in rows:
            for key in fields & set(row):
                row[key] = legend_entry(row[key])
    for view in _views(spec):  # the same field's sort in any channel (a y axis sorted by it)
        enc = view.get("encoding")
        for ch in (enc.values() if isinstance(enc, dict) else []):
            if isinstance(ch, dict) and ch.get("field") in fields:
                if isinstance(ch.get("sort"), list):
                    ch["sort"] = [legend_entry(v) for v in ch["sort"]]
                scale = ch.get("scale")
                if isinstance(scale, dict) and isinstance(scale.get("domain"), list):
                    scale["domain"] = [legend_entry(v) for v in scale["domain"]]


def _small_multiples(spec: dict) -> bool:
    """Concatenated, repeated or faceted (also by a row/column encoding): widths are chosen per panel."""
    if any(k in spec for k in ("hconcat", "vconcat", "concat", "facet", "repeat")):
        return True
    views = [spec, *[layer for layer in spec.get("layer", []) or [] if isinstance(layer, dict)]]
    return any(isinstance(v.get("encoding"), dict) and ({"row", "column", "facet"} & set(v["encoding"]))
               for v in views)


def fit_width(spec: dict) -> dict:
    """A single chart (one view or layers on one view) without a width spans the column."""
    if not _small_multiples(spec) and "width" not in spec:
        spec["width"] = "container"
    return spec


def lint_layout(spec: dict) -> list[str]:
    """Layout rules: a title, and a single chart at least MIN_WIDTH wide or the column's width
    (small multiples, concatenated or faceted, choose their own widths deliberately)."""
    problems = []
    if not chart_title(spec).strip():
        problems.append("the chart has no title")
    width = spec.get("width")
    if not _small_multiples(spec) and isinstance(width, (int, float)) and width < MIN_WIDTH:
        problems.append(f"width {width} px is narrower than {MIN_WIDTH} px: use width=\"container\"")
    return problems


def titled(spec: dict, title: str, subtitle: str | None = None) -> dict:
    """The chart's title and subtitle, kept in the spec's ``usermeta`` for the page to set as
    HTML above the chart: HTML wraps on a phone, where a title drawn in the chart is cut."""
    spec = dict(spec)
    spec.pop("title", None)
    spec["usermeta"] = {**(spec.get("usermeta") or {}), "title": title or "", "subtitle": subtitle or ""}
    return spec


def chart_title(spec: dict) -> str:
    """A chart's title, from its ``usermeta`` or a title drawn in the chart."""
    meta = spec.get("usermeta") or {}
    if meta.get("title"):
        return meta["title"]
    title = spec.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else (text or "")


def caption_html(spec: dict) -> str:
    """The title and subtitle above a chart, as HTML."""
    meta = spec.get("usermeta") or {}
    return html.macro("pages.html", "chart_caption")(chart_title(spec), meta.get("subtitle") or "")


LONG_SPAN_YEARS = 6  # beyond this, a time axis labels years only; within it, month and year


def _span_years(values: list) -> float:
    import pandas as pd

    dates = pd.to_datetime(pd.Series([v for v in values if v is not None]), errors="coerce", utc=True).dropna()
    return (dates.max() - dates.min()).days / 365.25 if len(dates) > 1 else 0.0


def _shows_year(ch: dict) -> bool:
    time_unit = ch.get("timeUnit")
    unit = time_unit.get("unit", "") if isinstance(time_unit, dict) else (time_unit or "")
    axis = ch.get("axis")
    fmt = axis.get("format") if isinstance(axis, dict) else None
    if isinstance(fmt, str):
        return "%Y" in fmt or "%y" in fmt
    if isinstance(axis, dict) and "labelExpr" in axis:
        return True  # the chart writes its own labels
    # Vega-Lite's default format for a time unit shows the year only if the unit has one.
    return "year" in unit if unit else False


def year_axes(spec: dict) -> dict:
    """Every time axis shows years: Vega's default labels a short span with bare month names
    ("December, April, August"). A span longer than LONG_SPAN_YEARS is labelled by year, a shorter
    one by month and year. Axes with a time unit, a format or label expression of their own are
    left alone. Returns the spec, changed in place."""
    values = _dataset_values(spec)
    for view in _views(spec):
        enc = view.get("encoding")
        if not isinstance(enc, dict):
            continue
        for name in ("x", "y"):
            ch = enc.get(name)
            if not (isinstance(ch, dict) and ch.get("type") == "temporal" and "timeUnit" not in ch):
                continue
            axis = ch.get("axis", {})
            if axis is None or (isinstance(axis, dict) and ("format" in axis or "labelExpr" in axis)):
                continue
            long = _span_years(values.get(ch.get("field"), [])) > LONG_SPAN_YEARS
            ch["axis"] = {**axis, "format": "%Y" if long else "%b %Y"}
    return spec


def _views(node):
    """Every view of a spec: the spec itself, its layers, concatenated and faceted views."""
    if not isinstance(node, dict):
        return
    yield node
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in node.get(key, []) or []:
            yield from _views(child)
    yield from _views(node.get("spec"))


# Category names on a y axis wrap onto lines of at most this many characters (a desktop column,
# a phone) instead of ending in "…"; each band is tall enough for the lines a phone needs.
WRAP_CHARS = {"desktop": 40, "phone": 22}
LINE_PX = 13  # the height of one line of an 11 px axis label


def _wrap_expr(phone: int | None = None, desktop: int | None = None) -> str:
    """A label expression that cuts ``datum.label`` into lines of at most so many characters."""
    phone, desktop = phone or WRAP_CHARS["phone"], desktop or WRAP_CHARS["desktop"]
    chars = f"({_NARROW} ? {phone} : {desktop})"
    # Greedy: as many words as fit on a line, then a break ("|" splits the label into lines).
    pattern = "regexp('(.{1,' + " + chars + r" + '})(\\s+|$)', 'g')"
    return "split(replace(replace(datum.label, " + pattern + r", '$1|'), regexp('\\|$'), ''), '|')"


def wrapped_lines(text: str, chars: int) -> list[str]:
    """A label cut into lines as the chart's label expression cuts it (for sizing and tests)."""
    return [line for line in re.sub(rf"(.{{1,{chars}}})(\s+|$)", r"\1|", str(text)).rstrip("|").split("|")]


TITLE_CHARS = 28  # a horizontal axis title longer than this is set on two lines (a phone's plot is narrow)


def _wrap_titles(spec: dict) -> None:
    for view in _views(spec):
        enc = view.get("encoding")
        ch = enc.get("x") if isinstance(enc, dict) else None
        if isinstance(ch, dict) and isinstance(ch.get("title"), str) and len(ch["title"]) > TITLE_CHARS:
            ch["title"] = wrapped_lines(ch["title"], min(TITLE_CHARS, (len(ch["title"]) + 1) // 2 + 6))


def wrap_band_labels(spec: dict) -> dict:
    """Category labels on y axes wrap onto lines instead of being cut short with "…", and the
    bands grow to hold the lines a phone needs. Axes with their own label expression, or with no
    axis, are left alone. Returns the spec, changed in place."""
    _wrap_titles(spec)
    values = _dataset_values(spec)
    most_lines = 1
    for view in _views(spec):
        enc = view.get("encoding")
        ch = enc.get("y") if isinstance(enc, dict) else None
        if not (isinstance(ch, dict) and ch.get("type") in ("nominal", "ordinal")):
            continue
        axis = ch.get("axis", {})
        if axis is None or (isinstance(axis, dict) and "labelExpr" in axis):
            continue
        axis = dict(axis or {})
        axis.pop("labelLimit", None)  # the theme's limit fits a wrapped line
        ch["axis"] = {**axis, "labelExpr": _wrap_expr(), "labelLineHeight": LINE_PX}
        names = [v for v in values.get(ch.get("field"), []) if isinstance(v, str)]
        most_lines = max([most_lines, *(len(wrapped_lines(v, WRAP_CHARS["phone"])) for v in names)])
        has_offset = "yOffset" in enc
        if most_lines > 1 and not has_offset and "height" not in spec and not _small_multiples(spec):
            spec["height"] = {"step": max(20, LINE_PX * most_lines + 6)}
    return spec


def prepare(spec: dict) -> dict:
    """A chart's spec in the house style: layers share titled axes, labels from the label map,
    time axes show years, single charts span the column. Check it with ``lint`` and
    ``lint_layout``."""
    # Layers share titles again after humanising: a layer titled from the label map lends its
    # title to annotation layers that had none.
    return wrap_band_labels(fit_width(year_axes(share_layer_titles(humanise(share_layer_titles(spec))))))
