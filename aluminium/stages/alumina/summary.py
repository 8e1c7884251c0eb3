"""What the alumina chapter concludes, chosen by its numbers: its key points (``key_points``).
"""
from __future__ import annotations

from aluminium.data.facts import fact
from aluminium.words import KeyPoint, Values, balance_words, compared, exceeds, fmt, hhi_band


def key_points(v: Values) -> list[KeyPoint]:
    need = v["alumina.need_at_cap_mt"]
    built = v["alumina.china_capacity_mt"]
    market = v["alumina.market_surplus_2025_mt"]  # output against the smelters actually running
    surplus_lead = ("**China has built more refining than its capped smelters can use.**" if built > need
                    else "**China's refining capacity does not cover its smelters' need.**")
    running = (f"exceeded what the running smelters use by {fmt(market, 'Mt')}" if market > 0
               else f"fell {fmt(-market, 'Mt')} short of what the running smelters use")
    adding = fact("alumina.china_new_capacity_2026e_mt").value
    surplus = (f"{surplus_lead} At the cap of {fmt(v['smelting.capacity_cap_kt'], 'kt/yr')} the smelters would need "
               f"{fmt(need, 'Mt/yr')} of alumina; built capacity of over {fmt(built, 'Mt/yr')} (2025) "
               f"{exceeds(built, need, 'Mt/yr', 'that')}, and {fmt(adding, 'Mt')} more is due in 2026. Output in 2025 {running}.")
    cost, bx_cost = v["alumina.cash_cost_cny_t"], v["alumina.bauxite_cost_cny_t"]
    cost_point = (f"**A tonne of alumina costs {fmt(cost, 'CNY/t')} in cash** with Guinean ore at "
                  f"{fmt(v['alumina.bauxite_cif_usd_t'], 'USD/t')} delivered; bauxite is {fmt(bx_cost, 'CNY/t')} of it "
                  f"({fmt(100 * bx_cost / cost, '%')}), and Indonesian refineries do it for about "
                  f"{fmt(v['alumina.indonesia_cost_cny_t'], 'CNY/t')}.")
    margin = v["alumina.contract_margin_cny_t"]
    covers = (f"covers the cash cost with {fmt(margin, 'CNY/t')} to spare" if margin >= 0
              else f"falls {fmt(-margin, 'CNY/t')} short of the cash cost")
    contract = (f"**A ratio contract {covers}.** At {fmt(v['alumina.contract_ratio_pct'], '%')} of an aluminium "
                f"price of {fmt(v['smelting.aluminium_price_cny_t'], 'CNY/t')} it prices alumina at "
                f"{fmt(v['alumina.contract_price_cny_t'], 'CNY/t')}; it covers the cost at any aluminium price above "
                f"{fmt(v['alumina.breakeven_aluminium_price_cny_t'], 'CNY/t')}.")
    hhi = v["alumina.hhi_2023"]
    share = (f"**China refines {fmt(v['alumina.china_share_2023_pct'], '%')} of the world's alumina** (2023), "
             f"which makes world refining {hhi_band(hhi)} (HHI {fmt(hhi)}), and most of its ore is imported.")
    points = [KeyPoint("alumina", surplus, "alumina-capacity-need", headline=True),
              KeyPoint("alumina", cost_point, "alumina-cost"),
              KeyPoint("alumina", contract, "alumina-contract"),
              KeyPoint("alumina", share, "alumina-who-refines")]
    if "alumina.modelled_price_cny_t" in v:
        market, price = v["alumina.market_surplus_kt"], v["alumina.modelled_price_cny_t"]
        lead = ("**The surplus pulls the alumina price toward cost.**" if market > 0
                else "**A short market lifts alumina toward the contract level.**")
        points.insert(1, KeyPoint("alumina", (
            f"{lead} The chain puts the 2026 market at {balance_words(market)} and the price at {fmt(price, 'CNY/t')}, "
            f"{compared(price, cost, 'CNY/t', tolerance_pct=0.5, close='at')} the cash cost and "
            f"{compared(price, v['alumina.contract_level_cny_t'], 'CNY/t', tolerance_pct=0.5, close='at')} "
            "the ratio-contract level."), "alumina-chain", headline=True))
        del points[-1]  # five at most: the chain's price replaces the world-share point
    return points
