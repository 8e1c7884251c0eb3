"""What the book concludes, in sentences built from its numbers.

A judgement typed as fixed text goes false as soon as a parameter changes: a window called
"shut" opens after ``--set``, a margin called "close to 5,500" is 800 away. Here every
judgement is chosen by the number it depends on (open or shut, surplus or deficit, above or
below, rises or falls), so the key points of a chapter and the findings of the front page stay
true under any parameters and scenario.

The sentences read a chapter's recorded key figures and the parameters in force, both by
their full name (``macro.import_window_cny_t``, ``smelting.capacity_cap_kt``): the chapter
calls them after recording its figures, and the build calls them again on the collected key
figures for the front page, so a key point and the page's numbers cannot disagree. Report
facts that no parameter can move are read from the data package.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from aluminium.data import catalogue, worldbank
from aluminium.data.facts import fact
from aluminium.numbers import choose, fmt, fmt_range
from aluminium.paths import CHAPTERS
from aluminium.stages.macro import view_words
from aluminium.stages.pricing import calibration

# Horizontal-merger guidelines (US DOJ/FTC, 2010): below 1,500 unconcentrated, above 2,500
# highly concentrated. The bauxite and alumina chapters use the same bands.
HHI_MODERATE, HHI_HIGH = 1500.0, 2500.0


@dataclass(frozen=True)
class KeyPoint:
    """One numbered key point: Markdown text (numbers formatted), the section that shows it."""

    chapter: str
    text: str
    section: str  # the MyST label of the section with the evidence, e.g. "macro-import-parity"
    headline: bool = False  # also one of the book's findings on the front page


class Values(Mapping):
    """Key figures and parameters in force by full name; a missing one is named in the error."""

    def __init__(self, values: Mapping[str, Any], chapter: str = ""):
        self._values = dict(values)
        self._chapter = chapter

    def __getitem__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            where = f"chapter {self._chapter}: " if self._chapter else ""
            raise KeyError(f"{where}the key points need '{name}', which is neither a key figure recorded "
                           "before them nor a parameter in force") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


# -- wording chosen by a value ---------------------------------------------------------------
def _close(value: float, reference: float, tolerance_pct: float) -> bool:
    return abs(value - reference) <= abs(reference) * tolerance_pct / 100


def month_words(month: str) -> str:
    """``"2024-11"`` → ``"November 2024"``."""
    import calendar

    year, m = month.split("-")
    return f"{calendar.month_name[int(m)]} {year}"


def window_state(window_cny_t: float) -> str:
    """``"open by 1,234 CNY/t"``, ``"shut by 4,172 CNY/t"`` or ``"exactly at parity"``."""
    state = choose(window_cny_t, "open", "shut", "at parity", tolerance=0.5)
    return "exactly at parity" if state == "at parity" else f"{state} by {fmt(abs(window_cny_t), 'CNY/t')}"


def balance_words(balance_kt: float) -> str:
    """``"a surplus of 150 kt"``, ``"a deficit of 3,844 kt"`` or ``"balanced"``."""
    kind = choose(balance_kt, "surplus", "deficit", "balanced", tolerance=0.5)
    return kind if kind == "balanced" else f"a {kind} of {fmt(abs(balance_kt), 'kt')}"


def amount(value: float, unit: str) -> str:
    """A gap or a price as prose gives it: whole units from 10 up (``"81 CNY/t"``, not ``"81.4"``)."""
    return fmt(value, unit, decimals=0 if abs(value) >= 10 else None)


def compared(value: float, reference: float, unit: str, *, tolerance_pct: float = 2.0,
             close: str = "in line with", above: str = "above", below: str = "below") -> str:
    """How a value stands against a reference: ``"in line with"`` or ``"818 CNY/t below"``."""
    if _close(value, reference, tolerance_pct):
        return close
    return f"{amount(abs(value - reference), unit)} {choose(value - reference, above, below)}"


def moved(start: float, end: float, unit: str, *, up: str = "rose", down: str = "fell",
          flat: str = "held at", tolerance_pct: float = 0.5) -> str:
    """``"rose from 1,653 to 2,213"``, ``"fell from …"`` or ``"held at …"`` (units after the last)."""
    if _close(end, start, tolerance_pct):
        return f"{flat} {fmt(end, unit)}"
    return f"{choose(end - start, up, down)} from {fmt(start, unit, show_unit=False)} to {fmt(end, unit)}"


def change_words(change: float, unit: str, *, up: str = "rose", down: str = "fell", flat: str = "was unchanged") -> str:
    """A signed change as words: ``"fell 27.7 %"``, ``"rose 3 %"``, ``"was unchanged"``."""
    text = fmt(abs(change), unit)
    if text.split()[0] in ("0", "0.0"):
        return flat
    return f"{choose(change, up, down)} {text}"


def hhi_band(hhi: float) -> str:
    """The concentration band of an HHI (10,000 for a monopoly)."""
    if hhi < HHI_MODERATE:
        return "unconcentrated"
    if hhi <= HHI_HIGH:
        return "moderately concentrated"
    return "highly concentrated"


def exceeds(have: float, need: float, unit: str, against: str = "it") -> str:
    """``"exceeds <against> by X"``, ``"falls short of <against> by X"`` or ``"just matches <against>"``."""
    if _close(have, need, 0.1):
        return f"just matches {against}"
    verb = choose(have - need, "exceeds", "falls short of")
    return f"{verb} {against} by {fmt(abs(have - need), unit)}"


def within(value: float, low: float, high: float, unit: str) -> str:
    """``"inside the 14,500–17,000 CNY/t range"`` or ``"500 CNY/t above the … range"``."""
    span = fmt_range(low, high, unit)
    if low <= value <= high:
        return f"inside the {span} range"
    gap = value - high if value > high else low - value
    return f"{fmt(gap, unit)} {'above' if value > high else 'below'} the {span} range"


def times(ratio: float) -> str:
    """A multiple in words: ``"2.9 times"``, ``"the same as"`` near one."""
    if _close(ratio, 1.0, 1.0):
        return "about the same as"
    return f"{fmt(ratio, decimals=1)} times"


# -- judgements in the chapters' running text --------------------------------------------------
def above_or_below(value: float, reference: float, unit: str, what: str, *, tolerance_pct: float = 0.1) -> str:
    """``"1.2 Mt/yr above <what>"``, ``"0.4 Mt/yr below <what>"`` or ``"at <what>"``."""
    return f"{compared(value, reference, unit, tolerance_pct=tolerance_pct, close='at')} {what}"


def contract_against_cost(margin: float, breakeven: float, traded_low: float, traded_high: float) -> str:
    """The ratio contract against the cash cost, and its break-even against the 2023 Shanghai range."""
    earns = (f"earns {fmt(margin, 'CNY/t')} a tonne over the cash cost" if margin >= 0
             else f"falls {fmt(-margin, 'CNY/t')} a tonne short of the cash cost")
    return (f"Against cost, the ratio contract {earns} and covers it for any aluminium price above "
            f"{fmt(breakeven, 'CNY/t')}, {within(breakeven, traded_low, traded_high, 'CNY/t')} Shanghai aluminium "
            "traded in during 2023.")


def power_bid(gap_usd_t: float, ratio: float) -> str:
    """What paying the data-centre power price would do to a tonne of aluminium."""
    if gap_usd_t > 0:
        return (f"Paying the data-centre price, {times(ratio)} the smelters', would add {fmt(gap_usd_t, 'USD/t')} to "
                "every tonne. That is why, in Zijin's reading, idle US capacity is unlikely to restart and new "
                "Western capacity is unlikely to be built, which keeps the world outside China short of primary metal.")
    return (f"At these prices data centres pay {times(ratio)} the smelters' price, and a tonne at their price would cost "
            f"{fmt(-gap_usd_t, 'USD/t')} less: they are no richer bidder, and Zijin's argument that they keep US "
            "smelters shut does not hold at these assumptions.")


def _macro(v: Values) -> list[KeyPoint]:
    window, parity = v["macro.import_window_cny_t"], v["macro.import_parity_cny_t"]
    lme, shfe = v["macro.lme_price_usd_t"], parity + window  # the window is Shanghai price − parity
    be_lme = v["macro.import_breakeven_lme_usd_t"]
    if window < 0:
        lead = f"**The import window is {window_state(window)}.**"
        then = (f"with Shanghai following the LME down, it opens only if the LME price falls below {fmt(be_lme, 'USD/t')}."
                if be_lme == be_lme else "no LME price between 1,500 and 4,000 USD/t opens it, with Shanghai following.")
    else:
        lead = f"**The import window is {window_state(window)}:** importing metal pays."
        then = (f"it stays open as long as the LME price is below {fmt(be_lme, 'USD/t')}, with Shanghai following."
                if be_lme == be_lme else "it stays open at any LME price between 1,500 and 4,000 USD/t.")
    dated = view_words(lme, v["macro.usd_cny"]).removeprefix("at ")
    parity = (f"{lead} At an LME price of {fmt(lme, 'USD/t')} ({dated}), a tonne landed in China costs "
              f"{fmt(parity, 'CNY/t')} against a Shanghai price of {fmt(shfe, 'CNY/t')}; {then}")

    cuts, upper = v["macro.fed_cuts_2025_bp"], v["macro.fed_funds_upper_dec2025_pct"]
    dollar = v["macro.dollar_index_change_h1_2025_pct"]
    fed = f"cut rates by {fmt(cuts, 'bp')}" if cuts >= 0 else f"raised rates by {fmt(-cuts, 'bp')}"
    money = (f"**Money {'eased' if cuts > 0 else 'tightened'} in 2025.** The Fed {fed} in the autumn, "
             f"taking the top of its target range to {fmt(upper, '%')}, and the dollar index "
             f"{change_words(dollar, '%')} in the first half, which the reports read as support for a "
             "dollar-priced metal.")

    gap = v["macro.power_cost_gap_usd_t"]
    ratio = v["macro.data_centre_to_smelter_power_price_ratio"]
    power_lead = ("**US smelters are outbid for power.**" if gap > 0
                  else "**US smelters are not outbid for power at these prices.**")
    power = (f"{power_lead} Data centres pay {times(ratio)} the smelters' power price; at their price a "
             f"tonne of aluminium would carry {fmt(abs(gap), 'USD/t')} "
             f"{'more' if gap > 0 else 'less'} power cost.")

    russia = (f"**Russian metal fills China's imports.** Russia supplied about "
              f"{fmt(v['macro.russia_share_china_imports_2023_pct'], '%')} of China's primary aluminium imports "
              f"in 2023, and shipped {fmt(v['macro.russia_to_china_jan_oct_2025_kt'], 'kt')} to China in "
              "January–October 2025.")
    return [KeyPoint("macro", parity, "macro-import-parity", headline=True),
            KeyPoint("macro", money, "macro-fed-dollar"),
            KeyPoint("macro", power, "macro-power"),
            KeyPoint("macro", russia, "macro-russia")]


def _bauxite(v: Values) -> list[KeyPoint]:
    h15, h23 = v["bauxite.hhi_2015"], v["bauxite.hhi_2023"]
    concentration = (f"**Supply is concentrating on Guinea.** The HHI of world output "
                     f"{moved(h15, h23, '', up='rose', down='fell')} between 2015 and 2023 "
                     f"({hhi_band(h23)}); Guinea mined {fmt(v['bauxite.guinea_share_2023_pct'], '%')} of the world's "
                     f"bauxite in 2023 and supplied {fmt(v['bauxite.guinea_contribution_2017_2023_pct'], '%')} of the "
                     "growth since 2017.")
    dependency = (f"**China leans on one exporter.** About {fmt(v['bauxite.china_supply_from_guinea_pct'], '%')} "
                  "of all the bauxite China's refineries used in January–September 2024 came from Guinea.")
    cif, freight = v["bauxite.cif_usd_t"], v["bauxite.freight_usd_t"]
    landed = (f"**Freight is the swing cost.** Guinean ore lands in China at {fmt(cif, 'USD/t')}, of which "
              f"ocean freight is {fmt(freight, 'USD/t')} ({fmt(v['bauxite.freight_share_pct'], '%')}); doubling "
              f"freight lifts the landed cost to {fmt(v['bauxite.cif_at_double_freight_usd_t'], 'USD/t')}.")
    lost, share = v["bauxite.indonesia_output_lost_mt"], v["bauxite.indonesia_share_lost_pct"]
    h_after = v["bauxite.hhi_without_indonesia"]
    if v["bauxite.indonesia_supply_removed"]:
        scenario = (f"With the export ban in force since June 2023, as in this build, its {fmt(lost, 'Mt')} "
                    f"({fmt(share, '%')} of world output) is out of the seaborne market, and the HHI of what is left "
                    f"{moved(h23, h_after, '', up='rises', down='falls', flat='stays at')}.")
    else:
        scenario = (f"This build lifts the export ban: {fmt(lost, 'Mt')} ({fmt(share, '%')} of world output) returns to "
                    f"the seaborne market, which keeps the HHI at {fmt(h23)} instead of {fmt(h_after)}.")
    indonesia = (f"**Indonesia's ore is staying at home.** Its planned refineries need "
                 f"{fmt(v['bauxite.indonesia_project_bauxite_need_mt'], 'Mt/yr')} of bauxite, which takes mine growth "
                 f"of {fmt(v['bauxite.indonesia_cagr_2023_2030_pct'], '%')} a year to 2030. {scenario}")
    return [KeyPoint("bauxite", concentration, "bauxite-concentration", headline=True),
            KeyPoint("bauxite", dependency, "bauxite-import-dependency", headline=True),
            KeyPoint("bauxite", landed, "bauxite-delivered-cost"),
            KeyPoint("bauxite", indonesia, "bauxite-indonesia")]


def _alumina(v: Values) -> list[KeyPoint]:
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


def _smelting(v: Values) -> list[KeyPoint]:
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
    dated = (" " + view_words(v["macro.lme_price_usd_t"], v["macro.usd_cny"])
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


def _range(fact_id: str) -> tuple[float, float]:
    f = fact(fact_id)
    return f.low, f.high


def _demand(v: Values) -> list[KeyPoint]:
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
    shares = _sector_shares(2024)
    first = shares.index[0]
    building_2017 = _sector_shares(2017)["building"]
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


def _sector_shares(year: int):
    """Guohai's end-use shares of a year (%), largest first, sectors named as a reader reads them."""
    df = catalogue.load("demand-china-demand-by-sector")
    kt = df[df["year"] == year].set_index("sector")["demand_kt"].astype(float)
    total = kt.pop("total") if "total" in kt.index else kt.sum()
    names = {"power_electronics": "power and electronics", "machinery_equipment": "machinery and equipment",
             "consumer_durables": "consumer durables"}
    return (kt / total * 100).rename(index=lambda s: names.get(s, str(s))).sort_values(ascending=False)


def _worldbank_months(v: Values) -> tuple[str, str]:
    """The months of the latest and of the highest monthly LME price in the series the build read."""
    s = worldbank.monthly_prices(v.get("pricing.worldbank_file", "") or "")["Aluminum"].dropna()
    return str(s.index[-1]), str(s.idxmax())


def _pricing(v: Values) -> list[KeyPoint]:
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
            f"**The book's model puts Shanghai aluminium at {fmt(price, 'CNY/t')} in 2026 {view_words(lme, fx)}** "
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


KEY_POINTS: dict[str, Callable[[Values], list[KeyPoint]]] = {
    "macro": _macro, "bauxite": _bauxite, "alumina": _alumina,
    "smelting": _smelting, "demand": _demand, "pricing": _pricing,
}


def key_points(chapter: str, values: Mapping[str, Any]) -> list[KeyPoint]:
    """A chapter's 3–5 key points from its key figures and the parameters in force (full names)."""
    if chapter not in KEY_POINTS:
        raise ValueError(f"no key points are written for chapter '{chapter}'; known: {', '.join(KEY_POINTS)}")
    return KEY_POINTS[chapter](Values(values, chapter))


def findings(values: Mapping[str, Any], chapters=CHAPTERS) -> list[KeyPoint]:
    """The book's headline findings: each chapter's key points marked headline, in chain order."""
    return [kp for ch in chapters for kp in key_points(ch, values) if kp.headline]
