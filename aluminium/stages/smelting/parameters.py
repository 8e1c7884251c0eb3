"""The smelting stage's parameters (``PARAMETERS``) and the one it reads from another chapter
(``USES``): each with its unit, range and the fact or derivation behind its default.
"""
from __future__ import annotations

from aluminium.parameter import Param
from aluminium.stages.smelting.capacity import derive_running_capacity_end2025_kt
from aluminium.stages.smelting.costs import (
    derive_anode_price_cny_t,
    derive_depreciation_cny_t,
    derive_low_power_price_cny_kwh,
    derive_other_costs_cny_t,
    derive_power_price_cny_kwh,
)
from aluminium.stages.smelting.curve import balancing_grid_power_price

# The exchange rate is declared once, in the macro chapter.
USES = ("macro.usd_cny",)


PARAMETERS: list[Param] = [
    Param(name="smelting.alumina_price_cny_t", type="float", unit="CNY/t", pin_of="alumina.modelled_price_cny_t",
          description="Alumina price paid by the smelter; unset = the chain's alumina price",
          origin="Pin: unset, the alumina stage's modelled price is used (article2026 expects about 2,700 "
                 "CNY/t, fact pricing.alumina_price_2026_cny_t_article2026)", minimum=0, maximum=10000),
    Param(name="smelting.power_price_cny_kwh", type="float", unit="CNY/kWh",
          description="Average power price of Chinese smelters",
          derive=derive_power_price_cny_kwh,
          origin="Derived: 16,000 CNY/t cost (jianghai2024, Jan 2024) × 32.5 % power share (mid of 30–35 %) "
                 "÷ 13,350 kWh/t (mid of guohai2024's 13,200–13,500); no report states a power price",
          minimum=0, maximum=2),
    Param(name="smelting.anode_price_cny_t", type="float", unit="CNY/t",
          description="Prebaked anode price", derive=derive_anode_price_cny_t,
          origin="Derived: 16,000 CNY/t cost × 15 % anode share (mid of 10–20 %, jianghai2024) ÷ 0.5 t/t "
                 "(guohai2024); no report states an anode price",
          minimum=0, maximum=20000),
    Param(name="smelting.alumina_t_per_t", type="float", unit="t/t",
          description="Alumina consumed per tonne of aluminium", fact="smelting.alumina_per_aluminium_t_per_t",
          minimum=1.8, maximum=2.1),
    Param(name="smelting.power_kwh_per_t", type="float", unit="kWh/t",
          description="Power consumed per tonne of aluminium", fact="smelting.power_per_aluminium_kwh_per_t",
          minimum=11000, maximum=18000),
    Param(name="smelting.anode_t_per_t", type="float", unit="t/t",
          description="Prebaked anode consumed per tonne of aluminium",
          fact="smelting.prebaked_anode_per_aluminium_t_per_t", minimum=0.3, maximum=0.7),
    Param(name="smelting.other_costs_cny_t", type="float", unit="CNY/t",
          description="Aluminium fluoride, cryolite, labour, upkeep and other cash costs per tonne",
          derive=derive_other_costs_cny_t,
          origin="Derived: 16,000 CNY/t × (1 − 35 % − 32.5 % − 15 %), the part of jianghai2024's Jan 2024 "
                 "cost not covered by the mid shares of alumina, power and anode, less depreciation",
          minimum=0, maximum=10000),
    Param(name="smelting.depreciation_cny_t", type="float", unit="CNY/t",
          description="Depreciation per tonne: the gap between cash and full cost",
          derive=derive_depreciation_cny_t,
          origin="Derived: 12,000 CNY/t of capacity (article2026, past capex) ÷ 15 years (ASSUMPTION: "
                 "straight-line life of smelter plant; no report gives one)",
          minimum=0, maximum=5000),
    Param(name="smelting.aluminium_price_cny_t", type="float", unit="CNY/t", pin_of="pricing.modelled_price_cny_t",
          description="Aluminium price for the margin and the alumina ratio contract; unset = the chain's "
                      "modelled 2026 Shanghai price",
          origin="Pin: unset, the pricing stage's modelled price is used (the latest Shanghai price the reports "
                 "print is 21,100 CNY/t at the end of Q1 2025, zijin2025)", minimum=0, maximum=50000),
    Param(name="smelting.sensitivity_range_pct", type="float", unit="%",
          description="± range for cost inputs the reports give no range for (tornado chart)", value=10.0,
          origin="Assumption: ±10 % where no report gives a range", minimum=0, maximum=50),
    Param(name="smelting.hydro_power_price_cny_kwh", type="float", unit="CNY/kWh",
          description="Power price of south-west hydro smelters (cost-curve block)",
          derive=derive_power_price_cny_kwh,
          origin="ASSUMPTION (no report gives it): the calibrated national average, above north-west captive "
                 "coal, the industry's cheapest power. The reports give no power price by smelter type or province "
                 "(the 2026 article's regional cost table did not survive extraction), so the blocks' spread is "
                 "assumed and narrow; the pricing chapter's tornado shows what moves with it", minimum=0, maximum=2),
    Param(name="smelting.captive_power_price_cny_kwh", type="float", unit="CNY/kWh",
          description="Power price of north-west captive-coal smelters (cost-curve block)",
          derive=derive_low_power_price_cny_kwh,
          origin="ASSUMPTION (no report gives it): the low end of the power price implied by a 30 % power "
                 "share of the Jan 2024 cost; captive coal is the cheapest power in the industry", minimum=0, maximum=2),
    Param(name="smelting.grid_power_price_cny_kwh", type="float", unit="CNY/kWh",
          description="Power price of grid-supplied smelters (cost-curve blocks)",
          derive=lambda: balancing_grid_power_price(
              national_power_price_cny_kwh=derive_power_price_cny_kwh(), hydro_power_price_cny_kwh=derive_power_price_cny_kwh(),
              captive_power_price_cny_kwh=derive_low_power_price_cny_kwh(),
              running_capacity_kt=derive_running_capacity_end2025_kt(), captive_share_of_rest_pct=50.0),
          origin="Derived: the price at which China's capacity-weighted power price equals the calibrated "
                 "national average, given the hydro and captive prices and the default capacity split",
          minimum=0, maximum=2),
    Param(name="smelting.indonesia_alumina_usd_t", type="float", unit="USD/t",
          description="Alumina price for the Indonesian block: the cost of Indonesian refineries (mid of 220–240)",
          fact="alumina.indonesia_cost_usd_t", minimum=0, maximum=1000),
    Param(name="smelting.captive_share_of_rest_pct", type="float", unit="%",
          description="Share of China's capacity outside the south-west that runs on north-west captive coal",
          value=50.0, origin="ASSUMPTION (no report gives a regional split outside the south-west)",
          minimum=0, maximum=100),
    Param(name="smelting.capacity_cap_kt", type="float", unit="kt/yr",
          description="China's cap on primary aluminium capacity", fact="smelting.china_capacity_ceiling_kt",
          minimum=0, maximum=80000),
    Param(name="smelting.indonesia_power_price_usc_kwh", type="float", unit="US cents/kWh",
          description="Grid power price of Indonesian smelters (cost-curve block)",
          fact="smelting.indonesia_industrial_power_price_usc_kwh", minimum=0, maximum=30),
    Param(name="smelting.indonesia_capacity_kt", type="float", unit="kt/yr",
          description="Indonesian smelting capacity due in 2026–2027 (cost-curve block)",
          fact="smelting.indonesia_new_smelting_capacity_2026_2027_kt", minimum=0, maximum=20000),
    Param(name="smelting.running_capacity_kt", type="float", unit="kt/yr",
          description="China's running capacity for the cost curve (end-2025)",
          derive=derive_running_capacity_end2025_kt,
          origin="fact smelting.china_running_capacity_end2025_mt (article2026) × 1,000", minimum=0, maximum=60000),
    Param(name="smelting.block_cost_spread_pct", type="float", unit="%",
          description="Spread of plant costs inside each block of the cost curve (± around the block's cost)",
          value=5.0, origin="ASSUMPTION: the reports give no plant-level costs; ±5 % makes the curve rise "
                            "inside a block instead of in steps", minimum=0, maximum=30),
    Param(name="smelting.southwest_drought_cut_kt", type="float", unit="kt/yr",
          description="Output lost in the year by south-west hydro smelters to a drought (curtailed by order)",
          value=0.0, origin="No drought in the base case; the south-west's running capacity fell by 2,229 kt "
                            "(Apr–Nov 2021), 1,355 kt (Jul–Oct 2022) and 1,130 kt (Nov 2023) in past droughts "
                            "(guohai2024's provincial table)", minimum=0, maximum=20000),
    Param(name="smelting.curtailment_response_pct", type="float", unit="%",
          description="Share of the loss-making (under-water) capacity that curtails within the year",
          value=50.0, origin="ASSUMPTION (no report gives it): pots are costly to stop and restart, so smelters "
                             "ride out short losses; in 2015 and in Q2 2020, when a large part of China's capacity "
                             "ran below cash cost, cuts came over months, not at once. Range 20–100 %.",
          minimum=0, maximum=100),
]
