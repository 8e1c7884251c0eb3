"""Key points and findings: every judgement is chosen by its number, on both sides of the line."""
from __future__ import annotations

import re

import pytest

from aluminium import params
from aluminium.book import narrative as nv
from aluminium.paths import CHAPTERS


# -- wording helpers, each at both sides of its threshold --------------------------------------
def test_window_state_open_shut_and_parity():
    assert nv.window_state(-4172.45) == "shut by 4,172 CNY/t"
    assert nv.window_state(1042.0) == "open by 1,042 CNY/t"
    assert nv.window_state(0.3) == "exactly at parity"


def test_balance_words_surplus_deficit_balanced():
    assert nv.balance_words(150.0) == "a surplus of 150 kt"
    assert nv.balance_words(-3844.3) == "a deficit of 3,844 kt"
    assert nv.balance_words(0.2) == "balanced"


def test_compared_close_above_below():
    # The case: a 4,682 CNY/t margin is not "close to 5,500".
    assert nv.compared(4682, 5500, "CNY/t") == "818 CNY/t below"
    assert nv.compared(6000, 5500, "CNY/t") == "500 CNY/t above"
    assert nv.compared(5489, 5500, "CNY/t") == "in line with"
    assert nv.compared(5400, 5500, "CNY/t", tolerance_pct=1) == "100 CNY/t below"


def test_moved_up_down_flat():
    assert nv.moved(1653.05, 2213.16, "") == "rose from 1,653 to 2,213"
    assert nv.moved(2213.16, 1653.05, "", down="fell") == "fell from 2,213 to 1,653"
    assert nv.moved(2213.0, 2214.0, "") == "held at 2,214"
    assert nv.moved(10.0, 12.0, "%", up="widens", down="narrows") == "widens from 10 to 12 %"


def test_change_words_sign():
    assert nv.change_words(-10.8, "%") == "fell 10.8 %"
    assert nv.change_words(3.0, "%") == "rose 3 %"
    assert nv.change_words(0.0, "%") == "was unchanged"


@pytest.mark.parametrize("hhi, band", [(1499, "unconcentrated"), (1500, "moderately concentrated"),
                                       (2500, "moderately concentrated"), (2501, "highly concentrated")])
def test_hhi_band_edges(hhi, band):
    assert nv.hhi_band(hhi) == band


def test_exceeds_and_falls_short():
    assert nv.exceeds(104, 86.85, "Mt/yr", "that") == "exceeds that by 17.2 Mt/yr"
    assert nv.exceeds(80, 86.85, "Mt/yr") == "falls short of it by 6.85 Mt/yr"
    assert nv.exceeds(86.86, 86.85, "Mt/yr") == "just matches it"


def test_within_inside_above_below():
    assert nv.within(15611, 14500, 17000, "CNY/t") == "inside the 14,500–17,000 CNY/t range"
    assert nv.within(17500, 14500, 17000, "CNY/t") == "500 CNY/t above the 14,500–17,000 CNY/t range"
    assert nv.within(14000, 14500, 17000, "CNY/t") == "500 CNY/t below the 14,500–17,000 CNY/t range"


def test_times():
    assert nv.times(2.857) == "2.9 times"
    assert nv.times(1.004) == "about the same as"


# -- chapters ------------------------------------------------------------------------------------
# Key figures as a default build records them (inputs to the sentences, not expected outputs).
FIGURES = {
    "macro.import_parity_cny_t": 25272.45, "macro.import_window_cny_t": -4172.45,
    "macro.import_breakeven_lme_usd_t": 2629.94, "macro.fed_cuts_2025_bp": 75.0,
    "macro.fed_funds_upper_dec2025_pct": 3.75, "macro.dollar_index_change_h1_2025_pct": -10.8,
    "macro.power_cost_gap_usd_t": 867.75, "macro.data_centre_to_smelter_power_price_ratio": 2.857,
    "macro.russia_to_china_jan_oct_2025_kt": 1576.6, "macro.russia_share_china_imports_2023_pct": 80.0,
    "bauxite.hhi_2015": 1653.05, "bauxite.hhi_2023": 2213.16, "bauxite.guinea_share_2023_pct": 30.7,
    "bauxite.guinea_contribution_2017_2023_pct": 64.44, "bauxite.china_supply_from_guinea_pct": 47.0,
    "bauxite.cif_usd_t": 62.5, "bauxite.freight_share_pct": 35.0, "bauxite.cif_at_double_freight_usd_t": 84.375,
    "bauxite.indonesia_output_lost_mt": 20.03, "bauxite.indonesia_share_lost_pct": 5.0,
    "bauxite.hhi_without_indonesia": 2424.55, "bauxite.indonesia_project_bauxite_need_mt": 37.5,
    "bauxite.indonesia_cagr_2023_2030_pct": 16.28,
    "alumina.need_at_cap_mt": 86.85, "alumina.market_surplus_2025_mt": 3.2, "alumina.cash_cost_cny_t": 2550.29,
    "alumina.bauxite_cost_cny_t": 1109.38, "alumina.bauxite_cif_usd_t": 62.5, "alumina.indonesia_cost_cny_t": 1633.0,
    "alumina.contract_price_cny_t": 3376.0, "alumina.contract_margin_cny_t": 825.71,
    "alumina.breakeven_aluminium_price_cny_t": 15939.3, "alumina.china_share_2023_pct": 58.7,
    "alumina.hhi_2023": 3716.79,
    "smelting.output_2026_kt": 43204.0, "smelting.cash_cost_cny_t": 15611.0, "smelting.full_cost_cny_t": 17011.0, "smelting.margin_cny_t": 5489.0, "smelting.china_net_addition_kt": 1269.7,
    "smelting.overseas_pending_kt": 8845.0, "smelting.southwest_capacity_change_r2": 0.888,
    "demand.china_balance_2026_kt": -3844.31, "demand.demand_growth_2024_2026_pct": 4.52,
    "demand.building_share_2024_pct": 22.49, "demand.power_electronics_share_2024_pct": 22.43,
    "demand.auto_aluminium_2025_kt": 7630.18, "demand.auto_aluminium_2026_kt": 4747.81,
    "demand.china_balance_2024_kt": 150.0,
    "pricing.fit_rate_primary_max_pct": 56.25, "pricing.fit_rate_implied_years": 16.0,
    "pricing.fit_rate_primary_max_years": 9.0, "pricing.fit_rate_end_use_pct": 77.78,
    "pricing.floor_over_cost_top_2023_cny_t": 300.0, "pricing.price_floor_2023_cny_t": 17500.0,
    "pricing.margin_mid_2023_cny_t": 2100.0, "pricing.smelter_profit_2025_cny_t": 5500.0,
    "pricing.cost_mid_2026e_cny_t": 15750.0,
}


def values(**changes) -> dict:
    """Default parameters (full names) and the figures above, with some replaced."""
    out = {name: p.default() for name, p in params.registry().items()} | FIGURES
    out.update({k.replace("__", "."): v for k, v in changes.items()})
    return out


def text(chapter: str, **changes) -> str:
    return "\n".join(kp.text for kp in nv.key_points(chapter, values(**changes)))


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_every_chapter_has_three_to_five_points_each_with_a_number(chapter):
    points = nv.key_points(chapter, values())
    assert 3 <= len(points) <= 5
    for kp in points:
        assert re.search(r"\d", kp.text), kp.text
        assert kp.text.startswith("**"), "a key point leads with its judgement in bold"
        assert re.fullmatch(r"[a-z]+-[a-z0-9-]+", kp.section) and kp.section.startswith(chapter)
        assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", kp.text), f"machine name in: {kp.text}"


def test_macro_window_opens_when_the_numbers_say_so():
    assert "The import window is shut by 4,172 CNY/t" in text("macro")
    assert "with Shanghai following the LME down, it opens only if the LME price falls below 2,630 USD/t" in text("macro")
    opened = text("macro", macro__import_window_cny_t=1042.0, macro__import_parity_cny_t=20058.0,
                  macro__lme_price_usd_t=2500.0)
    assert "The import window is open by 1,042 CNY/t" in opened and "shut" not in opened
    assert "At an LME price of 2,500 USD/t (an LME set for this build and the November 2024 exchange rate)" in opened
    assert "(the November 2024 LME and exchange rate), a tonne landed in China costs" in text("macro")


def test_macro_power_bid_turns_with_the_price_gap():
    assert "US smelters are outbid for power" in text("macro")
    cheaper = text("macro", macro__power_cost_gap_usd_t=-100.0, macro__data_centre_to_smelter_power_price_ratio=0.8)
    assert "not outbid" in cheaper and "100 USD/t less power cost" in cheaper


def test_smelting_margin_earn_or_lose_and_the_full_cost():
    base = text("smelting")
    assert "Smelters earn 5,489 CNY/t over cash cost** at the book's 2026 Shanghai price, 21,100 CNY/t at the November 2024 LME and exchange rate" in base
    assert "covered with 4,089 CNY/t to spare" in base
    loss = text("smelting", smelting__margin_cny_t=-400.0, smelting__cash_cost_cny_t=21500.0,
                smelting__full_cost_cny_t=22900.0)
    assert "Smelters lose 400 CNY/t a tonne in cash" in loss and "falls 1,800 CNY/t short of the full cost" in loss


def test_smelting_cap_gap_is_idle_lines_not_room_for_new_metal():
    # The referee's figure: "1,796 kt/yr of room for new metal" was wrong. Built capacity (45,007 kt,
    # Oct 2024, guohai2024) already fills the 45,000 kt cap; the article says under 0.8 Mt of room.
    base = text("smelting")
    assert "run at 96 % of the cap in 2026" in base and "room for new metal" in base
    assert "The 1,796 kt/yr between them is idle lines that could restart, not room for new ones" in base
    assert "so the cap leaves no room for new metal (Guohai)" in base
    # The article's figure implies fewer lines built: the disagreement is said, not printed unremarked.
    assert 'under 0.8 Mt of room" implies fewer lines built, 44.2 Mt to 45.0 Mt: the two sources disagree' in base
    wider = text("smelting", smelting__capacity_cap_kt=46000.0)
    assert "leaving 993 kt/yr for new lines" in wider
    over = text("smelting", smelting__capacity_cap_kt=42000.0)
    assert "run above the cap by 1,204 kt/yr" in over and "room" not in over


def test_demand_balance_sign():
    # Without the chain's figures (a chapter build before the market), the held-imports balance leads.
    assert "a deficit of 3,844 kt" in text("demand") and "outruns" in text("demand")
    surplus = text("demand", demand__china_balance_2026_kt=820.0)
    assert "a surplus of 820 kt" in surplus and "stays within" in surplus


def test_demand_cars_grow_at_zijins_rate_on_one_line():
    # The referee's figure: "+14.0 %" mixed Zijin's 2026 level with Guohai's 2025E base. Zijin's own
    # 2026 growth of vehicle aluminium is 12.99 % (zijin2025), stated as the growth.
    base = text("demand")
    assert "Cars take more aluminium in 2026" in base and "12.99 %" in base and "14.0" not in base
    assert "Cars take less aluminium in 2026" in text("demand", demand__vehicle_al_growth_2026_pct=-3.0)


def test_demand_sector_order_from_guohais_2024e_split():
    # The referee's figure: building is not the largest use in 2024E; transport is, 10,180 of 44,860 kt.
    t = text("demand")
    assert "Transport is now the largest use" in t and f"{10180 / 44860 * 100:.1f} %" in t


def test_alumina_surplus_or_shortfall():
    # Built capacity is the January 2026 article's "over 110 Mt" (was Sep 2024's 104), 13 Mt more in 2026.
    assert "built capacity of over 110 Mt/yr (2025) exceeds that by 23.2 Mt/yr, and 13 Mt more is due in 2026" in text("alumina")
    assert "Output in 2025 exceeded what the running smelters use by 3.2 Mt" in text("alumina")
    assert "fell 1.5 Mt short of what the running smelters use" in text("alumina", alumina__market_surplus_2025_mt=-1.5)
    short = text("alumina", alumina__china_capacity_mt=80.0)
    assert "falls short of that by 6.85 Mt/yr" in short
    assert "does not cover its smelters' need" in short


def test_alumina_contract_covers_or_not():
    assert "covers the cash cost with 826 CNY/t to spare" in text("alumina")
    assert "falls 200 CNY/t short of the cash cost" in text("alumina", alumina__contract_margin_cny_t=-200.0)


def test_bauxite_indonesia_ban_in_force_by_default():
    base = text("bauxite")
    assert "With the export ban in force since June 2023" in base and "rises from 2,213 to 2,425" in base
    lifted = text("bauxite", bauxite__indonesia_supply_removed=False)
    assert "This build lifts the export ban: 20 Mt" in lifted


def test_bauxite_concentration_band_and_direction():
    assert "rose from 1,653 to 2,213" in text("bauxite") and "(moderately concentrated)" in text("bauxite")
    assert "(highly concentrated)" in text("bauxite", bauxite__hhi_2023=2600.0)


def test_pricing_world_bank_point_only_with_the_prices_and_dated():
    assert "monthly peak" not in text("pricing")
    with_wb = nv.key_points("pricing", values(pricing__wb_aluminium_latest_usd_t=2500.0,
                                              pricing__wb_aluminium_max_usd_t=3500.0))
    # The referee's point: the share had no date. The extract ends in November 2024; its peak is March 2022.
    assert "In November 2024, the last month the book holds, the LME stood at 71.4 % of its monthly peak" in with_wb[-1].text
    assert "in March 2022" in with_wb[-1].text


def test_a_missing_figure_is_named():
    v = values()
    del v["smelting.margin_cny_t"]
    with pytest.raises(KeyError, match="chapter smelting.*smelting.margin_cny_t"):
        nv.key_points("smelting", v)
    with pytest.raises(ValueError, match="no key points"):
        nv.key_points("glossary", v)


def test_findings_are_six_to_ten_headlines_in_chain_order():
    found = nv.findings(values())
    assert 6 <= len(found) <= 10
    order = [kp.chapter for kp in found]
    assert order == sorted(order, key=list(CHAPTERS).index)
    assert {kp.chapter for kp in found} == set(CHAPTERS)


# -- with the chain's values ------------------------------------------------------------------
CHAIN = {"macro.import_parity_cny_t": 21996.8, "macro.import_window_cny_t": -760.7, "pricing.balance_weight": 0.885,
         "alumina.market_surplus_kt": 11062.0, "alumina.modelled_price_cny_t": 2631.7,
         "alumina.contract_level_cny_t": 3376.0, "demand.balance_2026_kt": -5770.8,
         "demand.demand_2026_kt": 48974.8, "demand.net_imports_2026_kt": 0.0,
         "pricing.modelled_price_cny_t": 18964.4, "pricing.cost_floor_cny_t": 16253.2,
         "pricing.modelled_price_low_cny_t": 16353.3, "pricing.modelled_price_high_cny_t": 21971.2,
         "pricing.modelled_margin_cny_t": 3485.2}


def chained(chapter: str, **changes) -> list:
    return nv.key_points(chapter, values(**({k.replace(".", "__"): v for k, v in CHAIN.items()} | changes)))


def test_alumina_chain_price_against_cost_and_contract():
    points = chained("alumina")
    assert len(points) <= 5
    text_ = " ".join(kp.text for kp in points)
    assert "The surplus pulls the alumina price toward cost" in text_
    assert "a surplus of 11,062 kt" in text_ and "81 CNY/t above the cash cost" in text_
    short = " ".join(kp.text for kp in chained("alumina", alumina__market_surplus_kt=-900.0))
    assert "A short market lifts alumina" in short and "a deficit of 900 kt" in short


def test_demand_chain_balance_is_the_only_2026_balance():
    # The referee's point: two 2026 balances on one page. With the chain, only its balance is given.
    lead = chained("demand")[0].text
    assert lead.startswith("**China's 2026 balance: a deficit of 5,771 kt.**")
    assert "3,844" not in lead and "against 2024's 1,960 kt" in lead
    assert "a surplus of 200 kt" in chained("demand", demand__balance_2026_kt=200.0)[0].text


def test_pricing_model_is_the_headline_when_the_chain_runs():
    points = chained("pricing")
    assert points[0].headline and points[0].section == "pricing-outlook"
    # One view: the LME and the rate in force, the floor and parity the price sits between, the window.
    # The base view is dated: its LME and rate are November 2024's, set against 2025–26 costs and demand.
    assert "in 2026 at the November 2024 LME and exchange rate** (LME 2,582 USD/t, 7.208 CNY/USD)" in points[0].text
    assert "at an LME set for this build and the November 2024 exchange rate" in \
        chained("pricing", macro__lme_price_usd_t=3150.0)[0].text
    # One range, and no wording that passes the back-test error off as forecast skill.
    assert "16,353–21,971 CNY/t" in points[0].text and "within about" not in points[0].text
    ranged = chained("pricing", pricing__outlook_low_cny_t=15000.0, pricing__outlook_high_cny_t=30000.0)[0].text
    assert "15,000–30,000 CNY/t from a bear case" in ranged and "16,353" not in ranged
    assert "The cost floor is 16,253 CNY/t and import parity 21,997 CNY/t" in points[0].text
    assert "puts the price 88.5 % of the way from the floor to the import ceiling" in points[0].text
    assert "the import window is shut by 761 CNY/t" in points[0].text
    assert "earns 3,485 CNY/t" in points[0].text
    assert "loses 200 CNY/t" in chained("pricing", pricing__modelled_margin_cny_t=-200.0)[0].text
    assert [kp.section for kp in points if kp.headline] == ["pricing-outlook"]


# -- judgements in the running text ------------------------------------------------------------
def test_contract_against_cost_both_ways():
    assert "earns 826 CNY/t a tonne over the cash cost" in nv.contract_against_cost(825.7, 15939.0, 17500.0, 19500.0)
    assert "1,561 CNY/t below the 17,500–19,500 CNY/t range" in nv.contract_against_cost(825.7, 15939.0, 17500.0, 19500.0)
    assert "falls 300 CNY/t a tonne short" in nv.contract_against_cost(-300.0, 18000.0, 17500.0, 19500.0)
    assert "inside the 17,500–19,500 CNY/t range" in nv.contract_against_cost(-300.0, 18000.0, 17500.0, 19500.0)


def test_power_bid_both_ways():
    assert "would add 868 USD/t" in nv.power_bid(867.75, 2.857)
    assert "no richer bidder" in nv.power_bid(-100.0, 0.8) and "100 USD/t less" in nv.power_bid(-100.0, 0.8)
