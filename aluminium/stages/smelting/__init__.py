"""The smelting stage of the chain: capacity, the south-west's weight, cash cost, cost curve, pipelines.

One module a job, each model beside the claims recomputed from it:

- ``capacity``: the cap, built and running capacity, utilisation, the south-west (and their claims);
- ``costs``: the cash-cost stack, its January 2024 calibration, depreciation, the price decks;
- ``curve``: the cost curve's blocks, the marginal tonne and curtailment (chapter, chain and sweep);
- ``pipelines``: China's and the overseas project lists (and their claims);
- ``parameters``: ``PARAMETERS`` and ``USES``; ``links``: ``LINKS`` and ``OUTPUTS``; ``summary``: ``key_points``.

This package re-exports their public names, so the chapter, the chain and the audit read one stage
(``smelting.cash_cost``, ``smelting.PARAMETERS``, ``smelting.CLAIMS`` …).

Units: capacity in kt/yr (annualised), costs and prices in CNY/t of aluminium (inputs in
CNY/t of the input), power in kWh/t and CNY/kWh. Every model here is a pure function of
pandas objects or numbers; the chapter notebook only calls them.
"""
from __future__ import annotations

from aluminium.claims import ClaimRegistry
from aluminium.stages.smelting import capacity, pipelines
from aluminium.stages.smelting.capacity import (
    SOUTHWEST,
    SOUTHWEST_DEFINITIONS,
    average_load_gw,
    capacity_change_wide,
    capacity_timeline,
    derive_running_capacity_end2025_kt,
    regional_change,
    southwest_definitions,
    southwest_kt,
    southwest_r2,
    utilisation_pct,
)
from aluminium.stages.smelting.costs import (
    COST_INPUTS,
    DEPRECIATION_LIFE_YR,
    PRICE_DECKS,
    calibration_status,
    cash_cost,
    cost_breakdown,
    cost_inputs,
    cost_sensitivity_ranges,
    cost_shares_vs_reports,
    deck_costs,
    depreciation_cny_t,
    derive_alumina_price_jan2024_cny_t,
    derive_anode_price_cny_t,
    derive_depreciation_cny_t,
    derive_low_power_price_cny_kwh,
    derive_other_costs_cny_t,
    derive_other_costs_full_cny_t,
    derive_power_price_cny_kwh,
    derive_power_price_range_cny_kwh,
    full_cost,
    implied_input_price,
    margin,
    national_power_default,
    price_deck,
    residual_cost,
    usc_kwh_to_cny_kwh,
)
from aluminium.stages.smelting.curve import (
    balancing_grid_power_price,
    china_blocks,
    china_blocks_kt,
    cost_curve,
    cost_curve_blocks,
    curtailed_share,
    marginal_cost,
    marginal_cost_sorted,
    weighted_power_price,
)
from aluminium.stages.smelting.links import LINKS, OUTPUTS, smelter_output, smelting_cost
from aluminium.stages.smelting.parameters import PARAMETERS, USES
from aluminium.stages.smelting.pipelines import china_phasing, overseas_by_country, pipeline_summary
from aluminium.stages.smelting.summary import key_points

CLAIMS = ClaimRegistry.joined(capacity.CLAIMS, pipelines.CLAIMS)
"""The stage's claim recomputations, read by the audit."""

__all__ = [
    "CLAIMS", "SOUTHWEST", "SOUTHWEST_DEFINITIONS", "capacity_change_wide", "regional_change",
    "southwest_definitions", "southwest_r2", "capacity_timeline", "utilisation_pct", "southwest_kt",
    "derive_running_capacity_end2025_kt", "average_load_gw", "COST_INPUTS", "cost_inputs", "cost_breakdown",
    "cash_cost", "margin", "implied_input_price", "residual_cost", "derive_power_price_cny_kwh",
    "derive_anode_price_cny_t", "derive_alumina_price_jan2024_cny_t", "derive_other_costs_full_cny_t",
    "DEPRECIATION_LIFE_YR", "derive_depreciation_cny_t", "derive_other_costs_cny_t",
    "derive_power_price_range_cny_kwh", "derive_low_power_price_cny_kwh", "cost_shares_vs_reports",
    "cost_sensitivity_ranges", "depreciation_cny_t", "full_cost", "PRICE_DECKS", "price_deck", "deck_costs",
    "calibration_status", "usc_kwh_to_cny_kwh", "national_power_default", "cost_curve", "china_blocks_kt",
    "balancing_grid_power_price", "cost_curve_blocks", "weighted_power_price", "china_blocks", "marginal_cost",
    "marginal_cost_sorted", "curtailed_share", "pipeline_summary", "overseas_by_country", "china_phasing", "USES",
    "PARAMETERS", "smelter_output", "smelting_cost", "LINKS", "OUTPUTS", "key_points",
]
