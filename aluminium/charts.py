"""The house style for charts, and the offline JavaScript bundle that draws them.

Charts are Altair (Vega-Lite). Each is written into the page as HTML with Altair's
"universal" template, which loads Vega from a CDN unless ``window.VEGA_DEBUG`` already
names the versions; the site ships one bundle (``_static/vega-bundle.js``) that defines
the libraries and sets ``VEGA_DEBUG``, so no chart touches the network.
"""
from __future__ import annotations

import json

import altair as alt
from altair.utils.html import spec_to_html

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# Colour-blind-safe categorical palette (Okabe & Ito), fixed so a country keeps its colour.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000", "#999999", "#882255", "#44AA99", "#117733", "#332288", "#AA4499"]
WIDTH = "container"
HEIGHT = 320


@alt.theme.register("aluminium", enable=True)
def house_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": 560, "continuousHeight": HEIGHT, "stroke": None},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 11,
                      "subtitleColor": "#555555", "offset": 10},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e6e6e6",
                     "domainColor": "#888888", "tickColor": "#888888"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "right"},
            "range": {"category": PALETTE},
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0], "strokeWidth": 2},
            "point": {"color": PALETTE[0]},
        }
    }


def to_html(chart: alt.TopLevelMixin, div_id: str) -> str:
    """The chart as an HTML fragment that draws with the site's local Vega bundle."""
    spec = chart.to_dict()
    return spec_to_html(
        spec, mode="vega-lite", vega_version=alt.VEGA_VERSION, vegalite_version=alt.VEGALITE_VERSION,
        vegaembed_version=alt.VEGAEMBED_VERSION, template="universal", output_div=div_id,
        embed_options={"actions": {"export": True, "source": False, "compiled": False, "editor": False}},
    )


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
