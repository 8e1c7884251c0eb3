"""The alumina stage's parameters (``PARAMETERS``) and those it reads from the chapters that own
them (``USES``): each with its unit, range and the fact or derivation behind its default.
"""
from __future__ import annotations

from aluminium.data.facts import fact
from aluminium.parameter import Param
from aluminium.stages.alumina.costs import default_energy_cny_t, default_other_cny_t


def derive_alumina_output_kt() -> float:
    """China's alumina output for the outlook year held at 2025's (article2026: 94.446 Mt), in kt."""
    return float(fact("alumina.china_output_2025_mt").central) * 1000


# Read from the chapters that own them, so each is set once for the whole book: the smelting
# cap and alumina per tonne of aluminium, the bauxite chapter's delivered-cost inputs, the
# exchange rate and the aluminium price.
USES = ("smelting.capacity_cap_kt", "smelting.alumina_t_per_t", "bauxite.fob_usd_t", "bauxite.freight_usd_t",
        "bauxite.other_delivery_cost_usd_t", "macro.usd_cny", "smelting.aluminium_price_cny_t")


PARAMETERS: list[Param] = [
    Param(name="alumina.china_capacity_mt", type="float", unit="Mt/yr",
          description="China's built alumina capacity set against the smelters' need (2025; 13 Mt more is due in 2026)",
          fact="alumina.china_built_capacity_2025_mt", fact_field="low", minimum=0.0, maximum=300.0),
    Param(name="alumina.bauxite_per_alumina_t_per_t", type="float", unit="t/t",
          description="Bauxite consumed per tonne of alumina (midpoint of 2.3–2.7)",
          fact="alumina.bauxite_per_alumina_t_per_t", minimum=1.5, maximum=4.0),
    Param(name="alumina.bauxite_cost_share_pct", type="float", unit="%",
          description="Bauxite's share of alumina cash cost used to derive the other items (midpoint of 42–45 %)",
          fact="alumina.cost_share_bauxite_pct", minimum=1.0, maximum=90.0),
    Param(name="alumina.energy_cost_share_pct", type="float", unit="%",
          description="Energy's share of alumina cash cost used to derive the energy cost (midpoint of 20–22 %)",
          fact="alumina.cost_share_energy_pct", minimum=0.0, maximum=90.0),
    Param(name="alumina.energy_cost_cny_t", type="float", unit="CNY/t",
          description="Energy cost per tonne of alumina",
          derive=default_energy_cny_t,
          origin="Derived: default bauxite cost ÷ bauxite share × energy share (default_energy_cny_t); "
                 "the reports give no energy price",
          minimum=0.0, maximum=5000.0),
    Param(name="alumina.caustic_soda_lime_other_cny_t", type="float", unit="CNY/t",
          description="Caustic soda, lime and all other costs per tonne of alumina",
          derive=default_other_cny_t,
          origin="Derived: implied total cost less bauxite and energy (default_other_cny_t); "
                 "the reports give no caustic-soda price or share",
          minimum=0.0, maximum=5000.0),
    Param(name="alumina.contract_ratio_pct", type="float", unit="%",
          description="Long-term contract price as a share of the aluminium price (midpoint of 15–17 %)",
          fact="alumina.long_term_contract_price_ratio_to_al_pct", minimum=5.0, maximum=30.0),
    Param(name="alumina.bauxite_cif_usd_t", type="float", unit="USD/t", pin_of="bauxite.modelled_cif_usd_t",
          description="Delivered (CIF China) bauxite price in the alumina cost; unset = the chain's CIF",
          origin="Pin: unset, the bauxite stage's marginal CIF is used", minimum=0, maximum=300),
    Param(name="alumina.output_kt", type="float", unit="kt",
          description="China's alumina output in the outlook year (2026)", derive=derive_alumina_output_kt,
          origin="Held at 2025's output, 94.446 Mt (article2026); 13 Mt of new capacity is due in 2026",
          minimum=0, maximum=300000),
    Param(name="alumina.net_exports_kt", type="float", unit="kt",
          description="China's net alumina exports in the outlook year",
          value=0.0, origin="ASSUMPTION: the reports give no alumina trade figure; 0 by default",
          minimum=-20000, maximum=20000),
    Param(name="alumina.surplus_scale_kt", type="float", unit="kt",
          description="Market surplus over which the alumina price moves most of the way from the "
                      "contract level to its cash cost",
          value=5000.0, origin="ASSUMPTION: article2026 and zijin2025 expect a surplus of over 10 Mt in 2026 to "
                               "hold the price at the cost line; half of it sets the scale", minimum=100,
          maximum=50000),
    Param(name="alumina.deficit_markup_pct_per_pct", type="float", unit="%",
          description="How far the alumina price rises above the ratio-contract level per 1 % of the smelters' "
                      "need the market is short",
          value=10.0, origin="ASSUMPTION (no report gives it): in the 2024 bauxite squeeze alumina reached about "
                             "5,500 CNY/t (zijin2025), some 70 % above a 16 % contract on an aluminium price near "
                             "20,000; a shortfall of about 7 % of need lifting the price that far gives 10; range 5–20",
          minimum=0, maximum=100),
]
