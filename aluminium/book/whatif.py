"""In-page what-if: the smelting cost stack and margin recomputed in the reader's browser.

Sliders move the alumina, power, anode and aluminium prices; Vega expressions recompute each
cost item as consumption × price, the total, and the margin. The expressions are generated
from ``TERMS``, the same items and products as ``aluminium.stages.smelting.cost_breakdown``, and a
browser test checks the page against the package at several points.
"""
from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd


@dataclass(frozen=True)
class Term:
    item: str  # cost item, as in smelting.cost_breakdown
    label: str
    consumption: str  # parameter short name of the consumption per tonne (or None: a fixed cost)
    price: str  # parameter short name of the price (a slider when in SLIDERS)


TERMS = (
    Term("alumina", "Alumina", "alumina_t_per_t", "alumina_price_cny_t"),
    Term("power", "Power", "power_kwh_per_t", "power_price_cny_kwh"),
    Term("anode", "Carbon anode", "anode_t_per_t", "anode_price_cny_t"),
    Term("fluoride_and_other", "Fluoride and other", "", "other_costs_cny_t"),
)
# Sliders: (parameter short name, step). Their ranges are the parameters' declared ranges and
# their labels the book's label map, so the page and `--set` accept the same values.
SLIDERS = (
    ("alumina_price_cny_t", 50),
    ("power_price_cny_kwh", 0.01),
    ("anode_price_cny_t", 50),
    ("aluminium_price_cny_t", 100),
)


def sliders() -> list[tuple[str, str, float, float, float]]:
    """(short name, label with unit, minimum, maximum, step) of each slider, from the parameters."""
    from aluminium import params
    from aluminium.data import labels

    declared = {p.short: p for p in params.chapter_params("smelting")}
    return [(name, labels.label(declared[name].name), declared[name].minimum, declared[name].maximum, step)
            for name, step in SLIDERS]


def price_expression() -> str:
    """Vega expression for the price of a row's item: the slider's value, or the fixed price."""
    slider_names = {s[0] for s in SLIDERS}
    expr = "datum.fixed_price"
    for t in reversed(TERMS):
        if t.price in slider_names:
            expr = f"(datum.item === '{t.item}' ? {t.price} : {expr})"
    return expr


def data(values: dict) -> pd.DataFrame:
    """One row per cost item: its consumption per tonne and, for items without a slider, its price."""
    slider_names = {s[0] for s in SLIDERS}
    rows = []
    for order, t in enumerate(TERMS):
        rows.append({"order": order, "item": t.item, "label": t.label,
                     "consumption_per_t": float(values[t.consumption]) if t.consumption else 1.0,
                     "fixed_price": None if t.price in slider_names else float(values[t.price])})
    return pd.DataFrame(rows)


def _on_step(value: float, step: float) -> float:
    return round(round(float(value) / step) * step, 6)


def chart(values: dict) -> alt.LayerChart:
    """The what-if cost stack with sliders starting at the values in force."""
    # Sliders start at the values in force, rounded to their step so the reader sees round numbers.
    params = [alt.param(name=name, value=_on_step(values[name], step),
                        bind=alt.binding_range(min=lo, max=hi, step=step, name=label))
              for name, label, lo, hi, step in sliders()]
    base = alt.Chart(data(values)).transform_calculate(
        price=price_expression()
    ).transform_calculate(
        cost_cny_t="datum.consumption_per_t * datum.price"
    ).transform_joinaggregate(total_cny_t="sum(cost_cny_t)")
    bars = base.mark_bar().encode(
        x=alt.X("sum(cost_cny_t):Q", title="Cash cost (CNY per tonne of aluminium)"),
        color=alt.Color("label:N", title="Cost item", sort=[t.label for t in TERMS],
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("label:N", title="Item"),
                 alt.Tooltip("consumption_per_t:Q", title="Consumption per t", format=",.3f"),
                 alt.Tooltip("price:Q", title="Price", format=",.2f"),
                 alt.Tooltip("cost_cny_t:Q", title="Cost (CNY/t)", format=",.0f")],
    )
    rule = alt.Chart(pd.DataFrame({"x": [0]})).transform_calculate(
        price_cny_t="aluminium_price_cny_t").mark_rule(color="#D55E00", strokeWidth=2).encode(
        x="price_cny_t:Q", tooltip=[alt.Tooltip("price_cny_t:Q", title="Aluminium price (CNY/t)", format=",.0f")])
    totals = base.transform_aggregate(total_cny_t="max(total_cny_t)").transform_calculate(
        margin_cny_t="aluminium_price_cny_t - datum.total_cny_t",
        cost_text="'Cash cost ' + format(datum.total_cny_t, ',.0f') + ' CNY/t'",
        margin_text="'Margin ' + format(datum.margin_cny_t, ',.0f') + ' CNY/t'",
    )
    tooltip = [alt.Tooltip("total_cny_t:Q", title="Cash cost (CNY/t)", format=",.0f"),
               alt.Tooltip("margin_cny_t:Q", title="Margin (CNY/t)", format=",.0f")]
    # Two short lines above the bar (dark text on the first item's colour was hard to read, and
    # one long line did not fit a phone).
    labels = [totals.mark_text(align="left", baseline="bottom", fontSize=13, fontWeight="bold").encode(
                  x=alt.value(0), y=alt.value(y), text=f"{field}:N", tooltip=tooltip)
              for field, y in (("cost_text", -22), ("margin_text", -6))]
    return alt.layer(bars, rule, *labels).add_params(*params).properties(height=110)
