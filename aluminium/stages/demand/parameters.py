"""The demand stage's parameters (``PARAMETERS``) and the one it reads from another chapter
(``USES``): each with its unit, range and the fact or derivation behind its default.
"""
from __future__ import annotations

from aluminium.parameter import Param
from aluminium.stages.demand.balance import derive_net_imports_kt, derive_utilisation_pct
from aluminium.stages.demand.drivers import derive_background_growth_pct
from aluminium.stages.demand.new_energy import (
    derive_nev_share_2025_pct,
    derive_pv_kt_per_gw,
    derive_storage_gw_2026,
    derive_storage_kt_per_gw,
)
from aluminium.stages.demand.sectors import SECTORS
from aluminium.stages.demand.tables import growth_forecast


def _sector_param(sector: str) -> Param:
    what = {"transport": "transport other than road vehicles",
            "power_electronics": "power & electronics other than solar and storage"}.get(sector, sector.replace("_", " "))
    if sector == "building":
        return Param(name="demand.growth_building_pct", type="float", unit="% a year",
                     description="Growth of building demand in 2025–2026 (no report gives a driver)", value=0.0,
                     origin="ASSUMPTION: flat; guohai2024 §3.1 and article2026 §二(一) call building demand "
                            "resilient and give no rate (its 2017–2023 growth was 0.4 %/yr, fact "
                            "demand.building_al_cagr_2017_2023_pct)",
                     minimum=-30, maximum=50)
    return Param(name=f"demand.growth_{sector}_pct", type="float", unit="% a year",
                 description=f"Growth of demand from {what} in 2025–2026 (no named driver)",
                 derive=derive_background_growth_pct,
                 origin="zijin2025's 2026 world end-use growth (demand/growth_forecasts_2025_2026.csv), "
                        "the only economy-wide demand rate the reports give for 2026",
                 minimum=-30, maximum=50)


# The cap is declared once, in the smelting chapter.
USES = ("smelting.capacity_cap_kt",)


PARAMETERS: list[Param] = [
    Param(name="demand.utilisation_pct", type="float", unit="%",
          description="Output as a share of the cap in 2025–2026", derive=derive_utilisation_pct,
          origin="Derived: 43.204 Mt running ÷ 45 Mt cap at end-2025 (article2026), which states over 95 %",
          minimum=0, maximum=100),
    Param(name="demand.net_imports_kt", type="float", unit="kt",
          description="China's net primary imports in 2026 (2025 is derived from Russia's shipments)",
          derive=derive_net_imports_kt,
          origin="Held at the 2024E net imports of guohai2024's balance table", minimum=-10000, maximum=10000),
    *[_sector_param(s) for s in SECTORS],
    Param(name="demand.tight_balance_band_pct", type="float", unit="% of demand",
          description="A balance within ± this share of demand is called tight; beyond it, a deficit or surplus",
          value=2.0, origin="ASSUMPTION bracketed by guohai2024's own words: +150 kt (0.3 % of demand, 2024E) is "
                            "called a tight balance and −1,520 kt (4.1 %, 2019) the deepest deficit of its table",
          minimum=0, maximum=20),
    Param(name="demand.vehicle_al_growth_2025_pct", type="float", unit="%",
          description="Growth of aluminium used in China's vehicles in 2025",
          derive=lambda: growth_forecast("aluminium use in vehicles (China)", 2025),
          origin="zijin2025 growth forecasts (demand/growth_forecasts_2025_2026.csv), 2025", minimum=-50, maximum=100),
    Param(name="demand.vehicle_al_growth_2026_pct", type="float", unit="%",
          description="Growth of aluminium used in China's vehicles in 2026",
          derive=lambda: growth_forecast("aluminium use in vehicles (China)", 2026),
          origin="zijin2025 growth forecasts (demand/growth_forecasts_2025_2026.csv), 2026", minimum=-50, maximum=100),
    Param(name="demand.pv_growth_2025_pct", type="float", unit="%", description="Growth of new PV installations in 2025",
          derive=lambda: growth_forecast("PV installations", 2025),
          origin="zijin2025 growth forecasts, 2025 (scope probably China)", minimum=-80, maximum=200),
    Param(name="demand.storage_added_2026_kt", type="float", unit="kt",
          description="Aluminium added by China's energy-storage build-out in 2026",
          fact="demand.storage_al_demand_increase_2026e_kt_zijin2025", minimum=0, maximum=5000),
    Param(name="demand.vehicle_growth_2026_pct", type="float", unit="%",
          description="Growth of China vehicle sales in 2026",
          derive=lambda: growth_forecast("vehicles, overall (China)"),
          origin="zijin2025 growth forecasts (demand/growth_forecasts_2025_2026.csv), 2026", minimum=-50, maximum=50),
    Param(name="demand.nev_share_2026_pct", type="float", unit="%",
          description="NEV share of China vehicle sales in 2026", derive=derive_nev_share_2025_pct,
          origin="Held at guohai2024's 2025E share (no later report gives it)", minimum=0, maximum=100),
    Param(name="demand.nev_kg_per_vehicle_2026", type="float", unit="kg/vehicle",
          description="Aluminium per new-energy vehicle in 2026 (held at guohai2024's 2025E, same table as the volumes)",
          fact="demand.nev_al_intensity_2025_target_kg_per_vehicle", minimum=0, maximum=600),
    Param(name="demand.ice_kg_per_vehicle_2026", type="float", unit="kg/vehicle",
          description="Aluminium per internal-combustion vehicle in 2026 (held at guohai2024's 2025E)",
          fact="demand.ice_al_intensity_2025_target_kg_per_vehicle", minimum=0, maximum=600),
    Param(name="demand.pv_growth_2026_pct", type="float", unit="%", description="Growth of new PV installations in 2026",
          derive=lambda: growth_forecast("PV installations"),
          origin="zijin2025 growth forecasts, 2026 (scope probably China)", minimum=-80, maximum=200),
    Param(name="demand.pv_kt_per_gw", type="float", unit="kt/GW",
          description="Aluminium per GW of new PV (held at guohai2024's 2025E, the table the GW come from)",
          derive=lambda: derive_pv_kt_per_gw(2025),
          origin="Derived: guohai2024 new-energy table, 2025E PV aluminium ÷ new PV GW (3,810 kt ÷ 245 GW); "
                 "article2026's 19 kt/GW is a different scope and is shown as a case",
          minimum=0, maximum=50),
    Param(name="demand.storage_gw_2026", type="float", unit="GW",
          description="Energy-storage capacity built in China in 2026", derive=derive_storage_gw_2026,
          origin="Derived from zijin2025: (117 kt ÷ 30.7 % × 1.307) ÷ 1.7 kt/GW", minimum=0, maximum=5000),
    Param(name="demand.storage_kt_per_gw", type="float", unit="kt/GW", description="Aluminium per GW of storage",
          derive=derive_storage_kt_per_gw, origin="zijin2025: 170 kt per 100 GW", minimum=0, maximum=20),
    Param(name="demand.semis_export_response_kt_per_kcny_t", type="float", unit="kt per 1,000 CNY/t",
          description="Extra net exports of semis and products per 1,000 CNY/t that Shanghai sits further "
                      "below import parity than usual (export parity pulls metal abroad)",
          value=300.0, origin="ASSUMPTION (no report gives it): China exported 7.5 Mt of semis and products in "
                              "Jan–Oct 2025 (zijin2025), about 9 Mt a year; a home price 1,000 CNY/t (about 5 %) "
                              "further below world parity lifts them by about a thirtieth. Range 0–1,000.",
          minimum=0, maximum=3000),
]
