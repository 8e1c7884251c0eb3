"""What the pricing chapter concludes, chosen by its numbers: its key points (``key_points``).
"""
from __future__ import annotations

from aluminium.data import worldbank
from aluminium.stages import macro
from aluminium.stages.pricing.history import calibration
from aluminium.words import KeyPoint, Values, balance_words, fmt, fmt_range, month_words, window_state


def _worldbank_months(v: Values) -> tuple[str, str]:
    """The months of the latest and of the highest monthly LME price in the series the build read."""
    s = worldbank.monthly_prices(v.get("pricing.worldbank_file", "") or "")["Aluminum"].dropna()
    return str(s.index[-1]), str(s.idxmax())


def key_points(v: Values) -> list[KeyPoint]:
    best, years = v["pricing.fit_rate_primary_max_pct"], v["pricing.fit_rate_implied_years"]
    matched = v["pricing.fit_rate_primary_max_years"]
    end_use = v["pricing.fit_rate_end_use_pct"]
    coin = ", little better than a coin toss" if best < 65 else ""
    fit = (f"**{'Balances are a poor guide' if best < 65 else 'Balances are a fair guide'} to the price's direction.** "
           f"The best primary-aluminium balance matched the direction of the price in {fmt(matched)} of {fmt(years)} "
           f"years ({fmt(best, '%')}){coin}; the growth of end uses did {'better' if end_use > best else 'no better'}, "
           f"at {fmt(end_use, '%')}.")
    gap = v["pricing.floor_over_cost_top_2023_cny_t"]
    floor = v["pricing.price_floor_2023_cny_t"]
    lead23 = "**Even the 2023 low cleared cost.**" if gap > 0 else "**The 2023 low fell below cost.**"
    margin23 = (f"{lead23} The Shanghai price never fell below {fmt(floor, 'CNY/t')}, "
                + (f"{fmt(gap, 'CNY/t')} above the top of the deck's cost range"
                   if gap > 0 else f"{fmt(-gap, 'CNY/t')} below the top of the deck's cost range") +
                f"; in the middle of both ranges smelters earned about {fmt(v['pricing.margin_mid_2023_cny_t'], 'CNY/t')}.")
    profit, cost26 = v["pricing.smelter_profit_2025_cny_t"], v["pricing.cost_mid_2026e_cny_t"]
    mid23 = v["pricing.margin_mid_2023_cny_t"]
    wider = (f"**Margins {'widened' if profit > mid23 else 'narrowed'} after 2023.** By December 2025 the average "
             f"smelter earned about {fmt(profit, 'CNY/t')}, {fmt(abs(profit - mid23), 'CNY/t')} "
             f"{'more' if profit > mid23 else 'less'} than in the middle of the 2023 ranges, and Zijin centres the "
             f"2026 cost band on {fmt(cost26, 'CNY/t')}.")
    points = [KeyPoint("pricing", fit, "pricing-fit-rate", headline="pricing.modelled_price_cny_t" not in v),
              KeyPoint("pricing", margin23, "pricing-price-vs-cost"),
              KeyPoint("pricing", wider, "pricing-price-vs-cost")]
    if "pricing.modelled_price_cny_t" in v:
        price, floor = v["pricing.modelled_price_cny_t"], v["pricing.cost_floor_cny_t"]
        low, high = v["pricing.modelled_price_low_cny_t"], v["pricing.modelled_price_high_cny_t"]
        margin = v["pricing.modelled_margin_cny_t"]
        # The view's LME and rate: recorded by the pricing chapter, or the parameters in force.
        lme = v["pricing.view_lme_usd_t"] if "pricing.view_lme_usd_t" in v else v["macro.lme_price_usd_t"]
        fx = v["pricing.view_usd_cny"] if "pricing.view_usd_cny" in v else v["macro.usd_cny"]
        parity, window = v["macro.import_parity_cny_t"], v["macro.import_window_cny_t"]
        since = calibration()["swings"]["years"][0] + 1

        # One range: the outlook's (bear to bull, with the model's error) when the chapter recorded it,
        # else the chain's own band (the history's LME and rate swings and the model's error).
        if "pricing.outlook_low_cny_t" in v and "pricing.outlook_high_cny_t" in v:
            low, high = v["pricing.outlook_low_cny_t"], v["pricing.outlook_high_cny_t"]
            span = (f"from a bear case (demand slowdown, LME and yuan as in their worst year since {since}) to a bull case "
                    "(drought, as in their best year), widened by the model's mean back-test error")
        else:
            span = (f"if the LME and the yuan swing as in their worst and best years since {since}, widened by the "
                    "model's mean back-test error")
        points.insert(0, KeyPoint("pricing", (
            f"**The book's model puts Shanghai aluminium at {fmt(price, 'CNY/t')} in 2026 {macro.view_words(lme, fx)}** "
            f"(LME {fmt(lme, 'USD/t')}, {fmt(fx, 'CNY/USD', decimals=3)}), and at {fmt_range(low, high, 'CNY/t')} {span}. "
            f"The cost floor is {fmt(floor, 'CNY/t')} and import parity "
            f"{fmt(parity, 'CNY/t')}; {balance_words(v['demand.balance_2026_kt'])} in China's 2026 balance puts the price "
            f"{fmt(v['pricing.balance_weight'], 'fraction')} of the way from the floor to the import ceiling just above "
            f"parity, so the import window is {window_state(window)}. The average smelter "
            + (f"earns {fmt(margin, 'CNY/t')} over cash cost." if margin >= 0
               else f"loses {fmt(-margin, 'CNY/t')} in cash.")),
            "pricing-outlook", headline=True))
    if "pricing.wb_aluminium_latest_usd_t" in v and "pricing.wb_aluminium_max_usd_t" in v:
        latest, top = v["pricing.wb_aluminium_latest_usd_t"], v["pricing.wb_aluminium_max_usd_t"]
        when, peak = _worldbank_months(v)
        points.append(KeyPoint("pricing", (
            f"**In {month_words(when)}, the last month the book holds, the LME stood at {fmt(100 * latest / top, '%')} "
            f"of its monthly peak.** The World Bank's monthly average was {fmt(latest, 'USD/t')}, against a high of "
            f"{fmt(top, 'USD/t')} in {month_words(peak)}."), "pricing-history"))
    return points[:5]
