"""The bauxite stage of the chain: where the world's bauxite comes from, Guinea and Indonesia, the
delivered cost of seaborne ore, and the seaborne stack that prices China's imports.

One module a job, each model beside the claims recomputed from it:

- ``production``: world production, its concentration, supply without a group of producers;
- ``guinea``: Guinea's mines, growth and railways; ``indonesia``: its alumina build-out's ore need;
- ``cif``: the delivered (CIF) cost and its freight share;
- ``parameters``: ``PARAMETERS``; ``links``: ``LINKS`` and ``OUTPUTS``; ``summary``: ``key_points``.

This package re-exports their public names, so the chapters, the chain and the audit read one stage
(``bauxite.cif_usd_t``, ``bauxite.PARAMETERS``, ``bauxite.CLAIMS`` …). The generic helpers it uses
(``hhi``, ``contribution_shares``, ``parts_vs_total``, ``growth_pct``) live in ``aluminium.calc``.

Models are pure functions on pandas objects and floats. Shares are in per cent (0–100),
volumes in kt or Mt as named, prices in USD/t.
"""
from __future__ import annotations

from aluminium.claims import ClaimRegistry
from aluminium.stages.bauxite import guinea, indonesia, production
from aluminium.stages.bauxite.cif import cif_freight_sensitivity, cif_usd_t, freight_share_pct, split_cif
from aluminium.stages.bauxite.guinea import (
    GUINEA_TOTAL,
    guinea_growth_table,
    guinea_national_output,
    guinea_totals_check,
    railway_summary,
)
from aluminium.stages.bauxite.indonesia import PERIODS, bauxite_need_kt, indonesia_bauxite_need, indonesia_planned_capacity_kt
from aluminium.stages.bauxite.links import LINKS, MARGINAL_SOURCES, OUTPUTS, bauxite_stack
from aluminium.stages.bauxite.parameters import PARAMETERS, default_fob_usd_t, default_freight_usd_t, derive_reference_imports_mt
from aluminium.stages.bauxite.production import (
    SCENARIO_YEAR,
    contributions_by_country,
    production_change_table,
    removal_summary,
    scenario_long,
    supply_from_top_source_pct,
    supply_without,
    world_output_from_share,
)
from aluminium.stages.bauxite.summary import key_points

CLAIMS = ClaimRegistry.joined(production.CLAIMS, guinea.CLAIMS, indonesia.CLAIMS)
"""The stage's claim recomputations, read by the audit."""

__all__ = [
    "CLAIMS", "SCENARIO_YEAR", "production_change_table", "contributions_by_country", "world_output_from_share", "supply_without",
    "scenario_long", "removal_summary", "supply_from_top_source_pct", "GUINEA_TOTAL", "guinea_totals_check",
    "guinea_national_output", "guinea_growth_table", "railway_summary", "PERIODS", "bauxite_need_kt",
    "indonesia_bauxite_need", "indonesia_planned_capacity_kt", "cif_usd_t", "freight_share_pct", "split_cif",
    "cif_freight_sensitivity", "default_freight_usd_t", "default_fob_usd_t", "derive_reference_imports_mt",
    "PARAMETERS", "bauxite_stack", "MARGINAL_SOURCES", "LINKS", "OUTPUTS", "key_points",
]
