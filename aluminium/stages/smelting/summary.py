"""What the smelting chapter concludes, chosen by its numbers: its key points (``key_points``).
"""
from __future__ import annotations

from aluminium.data.facts import fact
from aluminium.stages import macro
from aluminium.words import KeyPoint, Values, amount, fmt


def key_points(v: Values) -> list[KeyPoint]:
    cap, output = v["smelting.capacity_cap_kt"], v["smelting.output_2026_kt"]  # the chain's cap × utilisation
    room = cap - output
    cap_lead = (f"**China's smelters run at {fmt(100 * output / cap, '%')} of the cap in 2026.**" if room >= 0
                else f"**China's smelters run above the cap by {fmt(-room, 'kt/yr')}.**")
    built = fact("smelting.china_built_capacity_2024_10_kt").value
    stated = fact("smelting.china_headroom_below_cap_end2025_mt").high
    if room >= 0:
        gap = (f"The {fmt(room, 'kt/yr')} between them is idle lines that could restart, not room for new ones: built "
               f"capacity reached {fmt(built, 'kt/yr')} in October 2024, "
               + ("so the cap leaves no room for new metal" if built >= cap else
                  f"leaving {fmt(cap - built, 'kt/yr')} for new lines")
               + f" (Guohai). The 2026 article's \"under {fmt(stated, 'Mt')} of room\" implies fewer lines built, "
               f"{fmt((cap - stated * 1000) / 1000, 'Mt', decimals=1)} to {fmt(cap / 1000, 'Mt', decimals=1)}: the two "
               "sources disagree, and the data flags it.")
    else:
        gap = "It can only fall back to it."
    cap_text = f"{cap_lead} Output of {fmt(output, 'kt/yr')} against a cap of {fmt(cap, 'kt/yr')}. {gap}"
    cost, margin = v["smelting.cash_cost_cny_t"], v["smelting.margin_cny_t"]
    price = cost + margin  # the margin is the chapter's aluminium price less the cash cost
    margin_lead = (f"**Smelters earn {fmt(margin, 'CNY/t')} over cash cost**" if margin >= 0
                   else f"**Smelters lose {fmt(-margin, 'CNY/t')} a tonne in cash**")
    # Dated where the view's LME and rate are at hand (the front page); a chapter alone may not hold them.
    dated = (" " + macro.view_words(v["macro.lme_price_usd_t"], v["macro.usd_cny"])
             if "macro.lme_price_usd_t" in v and "macro.usd_cny" in v else "")
    margin_text = (f"{margin_lead} at the book's 2026 Shanghai price, {fmt(price, 'CNY/t')}{dated}. A tonne "
                   f"costs {fmt(cost, 'CNY/t')} in cash at the input prices in force, "
                   f"{fmt(v['smelting.full_cost_cny_t'], 'CNY/t')} with depreciation, "
                   + (f"so even the full cost is covered with {amount(price - v['smelting.full_cost_cny_t'], 'CNY/t')} to spare."
                      if price >= v["smelting.full_cost_cny_t"] else
                      f"so the price falls {amount(v['smelting.full_cost_cny_t'] - price, 'CNY/t')} short of the full cost."))
    net, pending = v["smelting.china_net_addition_kt"], v["smelting.overseas_pending_kt"]
    pipe_lead = ("**New metal comes from abroad, not from China.**" if pending > net
                 else "**China's own projects add more than the pending overseas ones.**")
    pipeline = (f"{pipe_lead} China's project list adds "
                f"{fmt(net, 'kt/yr')} net of closures, while {fmt(pending, 'kt/yr')} of overseas capacity was still "
                "pending in May 2024, mostly in Indonesia, Saudi Arabia and Malaysia.")
    r2 = v["smelting.southwest_capacity_change_r2"]
    southwest = (f"**The south-west moves national output.** Its hydro-dependent provinces explain "
                 f"{fmt(r2, 'fraction')} of the month-to-month change in China's running capacity since 2021 (R²).")
    return [KeyPoint("smelting", cap_text, "smelting-capacity-cap", headline=True),
            KeyPoint("smelting", margin_text, "smelting-cash-cost", headline="pricing.modelled_price_cny_t" not in v),
            KeyPoint("smelting", pipeline, "smelting-pipelines"),
            KeyPoint("smelting", southwest, "smelting-provinces")]
