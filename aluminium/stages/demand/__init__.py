"""The demand stage of the chain: China's end-use split, the balance, new-energy drivers, the 2026 outlook.

One module a job, each model beside the claims recomputed from it:

- ``tables``: the stage's data tables as the models read them;
- ``sectors``: the end-use split and its shift (and their claims);
- ``new_energy``: vehicles, solar and storage (and their claims);
- ``balance``: supply + net imports − demand, the verdict, the reports' views (and their claims);
- ``drivers``: 2025–2026 demand built from the reports' drivers, the chain's 2026 demand;
- ``parameters``: ``PARAMETERS`` and ``USES``; ``links``: ``LINKS`` and ``OUTPUTS``; ``summary``: ``key_points``.

This package re-exports their public names, so the chapter, the chain and the audit read one stage
(``demand.balance_check``, ``demand.PARAMETERS``, ``demand.CLAIMS`` …).

Units: kt (thousand tonnes) of primary aluminium; vehicles in million; intensities in
kg/vehicle (million vehicles × kg/vehicle = kt) and kt/GW; growth in % a year.
"""
from __future__ import annotations

from aluminium.claims import ClaimRegistry
from aluminium.stages.demand import balance, new_energy, sectors
from aluminium.stages.demand.balance import (
    balance_2026_kt,
    balance_check,
    balance_kt,
    balance_verdict,
    derive_annual_net_imports_2025_kt,
    derive_net_imports_kt,
    derive_stock_build_2024_2025_kt_per_yr,
    derive_utilisation_pct,
    gap_to_reports_2025,
    outlook_table,
    reconciled_demand_kt,
    report_views_2026,
    stock_implied_demand_kt,
    supply_kt,
    verdict_margin_kt,
)
from aluminium.stages.demand.drivers import (
    DRIVEN_PARTS,
    automotive_cases_2026,
    demand_2026_kt,
    demand_by_year_kt,
    demand_from_drivers_kt,
    derive_background_growth_pct,
    driver_build,
    driver_build_at,
    driver_demand_2025_2026_kt,
    grown_kt,
    undriven_base_kt,
)
from aluminium.stages.demand.links import LINKS, OUTPUTS, china_demand
from aluminium.stages.demand.new_energy import (
    capacity_aluminium_kt,
    derive_ice_intensity_2026_kg,
    derive_nev_share_2025_pct,
    derive_pv_kt_per_gw,
    derive_storage_gw_2026,
    derive_storage_kt_per_gw,
    implied_intensity_kg_per_vehicle,
    project_new_energy_2026,
    reproduce_new_energy,
    storage_level_from_increase_kt,
    vehicle_aluminium_kt,
)
from aluminium.stages.demand.parameters import PARAMETERS, USES
from aluminium.stages.demand.sectors import (
    SECTORS,
    base_by_sector_kt,
    demand_outlook,
    sector_shares,
    sector_shift,
    shares_largest_first,
)
from aluminium.stages.demand.summary import key_points
from aluminium.stages.demand.tables import growth_forecast, new_energy_table, sector_table

CLAIMS = ClaimRegistry.joined(sectors.CLAIMS, new_energy.CLAIMS, balance.CLAIMS)
"""The stage's claim recomputations, read by the audit."""

__all__ = [
    "CLAIMS", "new_energy_table", "sector_table", "growth_forecast", "SECTORS", "sector_shares",
    "sector_shift", "demand_outlook", "base_by_sector_kt", "shares_largest_first", "vehicle_aluminium_kt",
    "capacity_aluminium_kt", "reproduce_new_energy", "project_new_energy_2026", "derive_nev_share_2025_pct",
    "derive_ice_intensity_2026_kg", "derive_pv_kt_per_gw", "derive_storage_gw_2026", "derive_storage_kt_per_gw",
    "storage_level_from_increase_kt", "implied_intensity_kg_per_vehicle", "balance_kt", "balance_check", "supply_kt",
    "balance_2026_kt", "outlook_table", "balance_verdict", "verdict_margin_kt", "report_views_2026",
    "reconciled_demand_kt", "stock_implied_demand_kt", "derive_annual_net_imports_2025_kt",
    "derive_stock_build_2024_2025_kt_per_yr", "gap_to_reports_2025", "derive_utilisation_pct",
    "derive_net_imports_kt", "DRIVEN_PARTS", "undriven_base_kt", "grown_kt", "demand_from_drivers_kt", "driver_build",
    "driver_build_at", "demand_by_year_kt", "automotive_cases_2026", "driver_demand_2025_2026_kt", "demand_2026_kt",
    "derive_background_growth_pct", "USES", "PARAMETERS", "china_demand", "LINKS", "OUTPUTS", "key_points",
]
