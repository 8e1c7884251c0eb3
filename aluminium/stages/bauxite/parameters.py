"""The bauxite stage's parameters (``PARAMETERS``), each with its unit, range and the fact or
derivation behind its default.
"""
from __future__ import annotations

from aluminium.data.facts import fact
from aluminium.parameter import Param
from aluminium.stages.bauxite.cif import split_cif


def default_freight_usd_t() -> float:
    """Freight (USD/t) = the 2026E Guinea CIF reference (midpoint of 60–65 USD/t, zijin2025)
    × freight's share of CIF (midpoint of 30–40 %, guohai2024)."""
    cif = fact("bauxite.guinea_cif_avg_2026e_usd_t_zijin2025").central
    share = fact("bauxite.freight_share_of_cif_cost_pct").central
    return split_cif(cif, share)[1]


def default_fob_usd_t() -> float:
    """FOB incl. mining, infrastructure and overheads (USD/t) = CIF reference − freight."""
    cif = fact("bauxite.guinea_cif_avg_2026e_usd_t_zijin2025").central
    share = fact("bauxite.freight_share_of_cif_cost_pct").central
    return split_cif(cif, share)[0]


def derive_reference_imports_mt() -> float:
    """China's bauxite imports the seaborne stack is sized on (Mt/yr): 2025 alumina output
    (94.4 Mt, article2026) × 2.5 t bauxite per t alumina (guohai2024) × 73 % import dependency
    (article2026's lower bound)."""
    return (float(fact("alumina.china_output_2025_mt").central) * float(fact("alumina.bauxite_per_alumina_t_per_t").central)
            * float(fact("bauxite.china_import_dependency_pct_article2026").low) / 100)


PARAMETERS: list[Param] = [
    Param(name="bauxite.bauxite_per_alumina_t_per_t", type="float", unit="t/t",
          description="Tonnes of bauxite per tonne of alumina for the Indonesian refinery projects",
          fact="bauxite.indonesia_alumina_bauxite_ratio_t_per_t", minimum=1.5, maximum=4.0),
    Param(name="bauxite.freight_usd_t", type="float", unit="USD/t",
          description="Ocean freight Guinea → China per tonne of bauxite",
          derive=default_freight_usd_t,
          origin="CIF reference 62.5 USD/t (midpoint of zijin2025's 60–65) × freight share 35 % "
                 "(midpoint of guohai2024's 30–40 %); see default_freight_usd_t",
          minimum=0.0, maximum=200.0),
    Param(name="bauxite.fob_usd_t", type="float", unit="USD/t",
          description="Free-on-board cost of Guinean bauxite: mining, infrastructure amortisation, overheads",
          derive=default_fob_usd_t,
          origin="CIF reference 62.5 USD/t less the derived freight; see default_fob_usd_t",
          minimum=0.0, maximum=300.0),
    Param(name="bauxite.other_delivery_cost_usd_t", type="float", unit="USD/t",
          description="Other delivery costs not in FOB or freight (insurance, port charges)",
          value=0.0, origin="The report folds these into its four CIF components; 0 by default",
          minimum=0.0, maximum=100.0),
    Param(name="bauxite.indonesia_supply_removed", type="bool", unit="switch",
          description="Indonesia's bauxite export ban is in force (its ore stays at home); off = the ban is lifted",
          value=True, origin="In force since June 2023 (guohai2024), and the 2026 article expects it to stay: on by "
                             "default. Off, Indonesia's pre-ban share of China's imports returns to the seaborne stack"),
    Param(name="bauxite.guinea_disruption_mt", type="float", unit="Mt/yr",
          description="Guinean bauxite exports to China lost to a disruption (licences, rail, port, politics)",
          value=0.0, origin="No disruption in the base case; the scenario “Guinean bauxite disruption” sets it",
          minimum=0.0, maximum=200.0),
    Param(name="bauxite.china_import_dependency_pct", type="float", unit="%",
          description="Share of the bauxite China's refineries use that is imported",
          fact="bauxite.china_import_dependency_pct_article2026", fact_field="low", minimum=0, maximum=100),
    Param(name="bauxite.guinea_share_of_imports_pct", type="float", unit="%",
          description="Guinea's share of China's bauxite imports (2025, with Indonesia's ban in force)",
          fact="bauxite.guinea_share_china_imports_pct", minimum=0, maximum=100),
    Param(name="bauxite.indonesia_share_of_imports_pct", type="float", unit="%",
          description="Indonesia's share of China's bauxite imports before its ban (returns if the ban is lifted)",
          fact="bauxite.indonesia_share_china_imports_pct_article2026", minimum=0, maximum=100),
    Param(name="bauxite.china_imports_reference_mt", type="float", unit="Mt/yr",
          description="China's bauxite imports at which today's suppliers (2025, Indonesia's ban in force) are fully used",
          derive=derive_reference_imports_mt,
          origin="Derived: 94.446 Mt alumina (2025, article2026) × 2.5 t/t (guohai2024) × 73 % import "
                 "dependency (article2026)", minimum=0, maximum=1000),
    Param(name="bauxite.guinea_restart_supply_mt", type="float", unit="Mt/yr",
          description="Extra Guinean supply from mine restarts, the next block of the seaborne stack",
          fact="bauxite.guinea_restart_supply_increase_2026_mt", minimum=0, maximum=200),
    Param(name="bauxite.restart_premium_usd_t", type="float", unit="USD/t",
          description="CIF premium of the last tonne from Guinean restarts over today's Guinean CIF",
          value=8.0, origin="ASSUMPTION (no report gives it): restarted mines haul further and pay start-up "
                            "costs; about an eighth of the 60–65 USD/t CIF (zijin2025)", minimum=0, maximum=100),
    Param(name="bauxite.distant_origin_premium_usd_t", type="float", unit="USD/t",
          description="CIF premium of distant origins (Brazil, Ghana, Montenegro…) over today's Guinean CIF",
          value=20.0, origin="ASSUMPTION (no report gives it): longer voyages and smaller mines; a third of "
                             "the Guinean CIF", minimum=0, maximum=200),
    Param(name="bauxite.distant_origin_volume_mt", type="float", unit="Mt/yr",
          description="Volume over which distant origins' premium is reached (seaborne stack)",
          value=30.0, origin="ASSUMPTION (no report gives it): of the order of China's non-Guinean, "
                             "non-Indonesian imports", minimum=1, maximum=500),
]
