"""The alumina stage of the chain: output and its seasons, refining capacity against the smelters'
need, the project pipeline, the refinery's cost and the alumina market.

One module a job, each model beside the claims recomputed from it:

- ``output``: monthly output, annual totals, the seasonal profile (and their claims);
- ``capacity``: capacity against the smelters' need, the market surplus (and their claims);
- ``pipeline``: China's and the overseas projects (and their claims);
- ``costs``: the refinery's cash cost, the ratio contract, the reports' spot prices;
- ``parameters``: ``PARAMETERS`` and ``USES``; ``links``: ``LINKS`` and ``OUTPUTS``; ``summary``: ``key_points``.

This package re-exports their public names, so the chapter, the chain and the audit read one stage
(``alumina.annual_totals``, ``alumina.PARAMETERS``, ``alumina.CLAIMS`` …).

Volumes in kt or Mt as named, capacities per year, prices and costs in CNY/t of alumina
unless a name says USD/t. The cost model uses the bauxite chapter's delivered-cost (CIF)
model for its main input.
"""
from __future__ import annotations

from aluminium.claims import ClaimRegistry
from aluminium.stages.alumina import capacity, output, pipeline
from aluminium.stages.alumina.capacity import (
    alumina_need_mt,
    capacity_beyond_need_at_cap_mt,
    capacity_measures,
    market_surplus_mt,
    smelting_running_for_measures,
    surplus_table,
)
from aluminium.stages.alumina.costs import (
    bauxite_cost_cny_t,
    breakeven_aluminium_price_cny_t,
    cash_cost_cny_t,
    cash_cost_items,
    cif_for_bauxite_share,
    contract_price_cny_t,
    contract_vs_cost,
    cost_vs_cif,
    default_bauxite_cif_usd_t,
    default_energy_cny_t,
    default_other_cny_t,
    implied_cost_items,
    price_observations,
    usd_to_cny,
)
from aluminium.stages.alumina.links import FIRST_PASS_ALUMINIUM_CNY_T, LINKS, OUTPUTS, alumina_market
from aluminium.stages.alumina.output import annual_totals, seasonal_profile, seasonal_profiles
from aluminium.stages.alumina.parameters import PARAMETERS, USES, derive_alumina_output_kt
from aluminium.stages.alumina.pipeline import additions_by_year, overseas_new_capacity_kt, phased_additions, project_timeline
from aluminium.stages.alumina.summary import key_points

CLAIMS = ClaimRegistry.joined(output.CLAIMS, capacity.CLAIMS, pipeline.CLAIMS)
"""The stage's claim recomputations, read by the audit."""

__all__ = [
    "CLAIMS", "annual_totals", "seasonal_profile", "seasonal_profiles", "alumina_need_mt",
    "capacity_beyond_need_at_cap_mt", "market_surplus_mt", "smelting_running_for_measures", "surplus_table",
    "capacity_measures", "phased_additions", "additions_by_year", "project_timeline", "overseas_new_capacity_kt",
    "bauxite_cost_cny_t", "implied_cost_items", "cash_cost_items", "cash_cost_cny_t", "cost_vs_cif",
    "cif_for_bauxite_share", "usd_to_cny", "contract_price_cny_t", "contract_vs_cost",
    "breakeven_aluminium_price_cny_t", "default_bauxite_cif_usd_t", "default_energy_cny_t", "default_other_cny_t",
    "price_observations", "derive_alumina_output_kt", "USES", "PARAMETERS", "alumina_market",
    "FIRST_PASS_ALUMINIUM_CNY_T", "LINKS", "OUTPUTS", "key_points",
]
