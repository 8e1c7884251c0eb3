"""The smelting stage in the chain: the output China's smelters can make in the outlook year and
their cash cost and cost curve at the alumina price from upstream (``LINKS``), and the figures the
stage passes on (``OUTPUTS``).
"""
from __future__ import annotations

import numpy as np

from aluminium.links import Link, Output, pinned
from aluminium.stages.demand.balance import supply_kt
from aluminium.stages.smelting.capacity import southwest_kt
from aluminium.stages.smelting.costs import COST_INPUTS, cash_cost
from aluminium.stages.smelting.curve import china_blocks


def smelter_output(v, o) -> dict:
    """The output China's smelters could make in the outlook year (kt): the cap × utilisation, less
    what a south-west drought takes (the market link then curtails loss-making plants)."""
    potential = supply_kt(v["smelting.capacity_cap_kt"], v["demand.utilisation_pct"])
    hydro, _ = southwest_kt()
    scale = potential / np.maximum(v["smelting.running_capacity_kt"], 1e-9)
    drought = np.minimum(v["smelting.southwest_drought_cut_kt"], hydro * scale)
    return {"smelting.potential_output_2026_kt": potential - drought, "smelting.drought_cut_kt": drought}


def smelting_cost(v, o) -> dict:
    """Average cash cost and China's cost curve at the alumina price from upstream (or its pin)."""
    alumina = pinned(v, "smelting.alumina_price_cny_t", o["alumina.modelled_price_cny_t"])
    # The smelting parameters, with the alumina price from upstream and the power price per block.
    inputs = {name: v[f"smelting.{name}"] for name in COST_INPUTS if name != "power_price_cny_kwh"}
    inputs["alumina_price_cny_t"] = alumina
    average = cash_cost(power_price_cny_kwh=v["smelting.power_price_cny_kwh"], **inputs)
    _, caps, power = china_blocks(v)
    costs = [cash_cost(power_price_cny_kwh=np.maximum(p, 0), **inputs) for p in power]
    return {"smelting.alumina_price_in_cost_cny_t": alumina, "smelting.modelled_cash_cost_cny_t": average,
            "_block_costs": costs, "_block_caps": caps}


LINKS = (
    Link("smelter output", "smelting", (), smelter_output, ("smelting.potential_output_2026_kt", "smelting.drought_cut_kt")),
    Link("smelting cost", "smelting", ("alumina market",), smelting_cost,
         ("smelting.alumina_price_in_cost_cny_t", "smelting.modelled_cash_cost_cny_t")),
)


OUTPUTS = (
    Output("smelting.potential_output_2026_kt", "kt", "Output the cap and utilisation allow, 2026, less drought losses"),
    Output("smelting.drought_cut_kt", "kt", "Output lost to a south-west drought, 2026"),
    Output("smelting.output_2026_kt", "kt", "China's primary output, 2026 (after loss-making plants curtail)"),
    Output("smelting.curtailed_kt", "kt", "Output curtailed because plants are under water at the price, 2026"),
    Output("smelting.modelled_cash_cost_cny_t", "CNY/t", "Average smelting cash cost at the modelled alumina price"),
)
