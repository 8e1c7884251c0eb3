"""What the demand chapter concludes, chosen by its numbers: its key points (``key_points``).
"""
from __future__ import annotations

from aluminium.stages.demand.sectors import shares_largest_first
from aluminium.words import KeyPoint, Values, balance_words, fmt


def key_points(v: Values) -> list[KeyPoint]:
    cap, util = v["smelting.capacity_cap_kt"], v["demand.utilisation_pct"]
    held = v["demand.china_balance_2026_kt"]  # imports held at the 2024E level
    growth = v["demand.demand_growth_2024_2026_pct"]
    if "demand.balance_2026_kt" in v:  # the chain: net imports follow the import window
        bal26 = v["demand.balance_2026_kt"]
        out26 = v["smelting.output_2026_kt"]
        outlook = (f"**China's 2026 balance: {balance_words(bal26)}.** Output of {fmt(out26, 'kt')} "
                   f"({fmt(100 * out26 / cap, '%')} of the {fmt(cap, 'kt/yr')} cap) meets demand of "
                   f"{fmt(v['demand.demand_2026_kt'], 'kt')}; "
                   f"net imports, which follow the import window, come to {fmt(v['demand.net_imports_2026_kt'], 'kt')}, "
                   f"against 2024's {fmt(v['demand.net_imports_kt'], 'kt')}.")
    else:
        outlook = (f"**China's 2026 balance: {balance_words(held)}.** With supply held at {fmt(util, '%')} of the "
                   f"{fmt(cap, 'kt/yr')} cap and net imports at {fmt(v['demand.net_imports_kt'], 'kt')}, demand growing "
                   f"{fmt(growth, '%', decimals=1)} a year "
                   + ("outruns the supply the cap allows." if held < 0 else "stays within the supply the cap allows."))
    shares = shares_largest_first(2024)
    first = shares.index[0]
    building_2017 = shares_largest_first(2017)["building"]
    others = [f"{name} ({fmt(share, '%')})" for name, share in shares.iloc[1:3].items()]
    lead = (f"**{first.capitalize()} is now the largest use.**" if first != "building"
            else "**Building is still the largest use.**")
    mix = (f"{lead} In Guohai's 2024E split it takes {fmt(shares.iloc[0], '%')} of China's aluminium, ahead of "
           f"{' and '.join(others)}; building's share has fallen from {fmt(building_2017, '%')} in 2017, and the three "
           f"lie within {fmt(shares.iloc[0] - shares.iloc[2], 'pp', decimals=1)} of each other. The growth is in grids, "
           "solar and vehicles.")
    a26, g26 = v["demand.auto_aluminium_2026_kt"], v["demand.vehicle_al_growth_2026_pct"]
    autos = (f"**Cars take {'more' if g26 > 0 else 'less'} aluminium in 2026.** Zijin expects vehicle aluminium to grow "
             f"{fmt(g26, '%', decimals=2)} in 2026; on Guohai's 2024E line, grown at Zijin's rates, vehicles take "
             f"{fmt(a26, 'kt')} in 2026.")
    bal24 = v["demand.china_balance_2024_kt"]
    history = (f"**Imports balanced the market before the outlook.** Guohai's table shows {balance_words(bal24)} "
               "for 2024E once net imports are counted, after the deficits of earlier years.")
    return [KeyPoint("demand", outlook, "demand-outlook", headline=True),
            KeyPoint("demand", mix, "demand-sectors"),
            KeyPoint("demand", autos, "demand-new-energy"),
            KeyPoint("demand", history, "demand-balance")]
