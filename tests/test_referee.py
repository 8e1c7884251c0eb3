"""A referee's check of every front-page finding and the key points a referee marked wrong.

Each number the default build prints is set against the reports' own figure or against an
independent recomputation written here, from the committed data files read with pandas (not
through the package's loaders) and the formulas an analyst would write down. Not against
today's output: a test fails if the book's arithmetic, data or wording drifts from the check.
"""
from __future__ import annotations

import html
import json
import math
import re

import pandas as pd
import pytest

from aluminium.numbers import fmt, fmt_range
from aluminium.paths import DATA_DIR

pytestmark = pytest.mark.build

VAT, PREMIUM_USD_T, FEES_CNY_T = 0.13, 100.0, 150.0  # the documented defaults of the parity inputs


def csv(path: str) -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / path)


def fact(fid: str) -> pd.Series:
    f = csv("facts.csv").set_index("id")
    return f.loc[fid]


@pytest.fixture(scope="module")
def figures(built_site) -> dict:
    return {f["id"]: f["value"] for f in json.loads((built_site / "key-figures.json").read_text())}


@pytest.fixture(scope="module")
def findings(built_site) -> list[str]:
    page = (built_site / "book" / "intro.html").read_text(encoding="utf-8")
    section = page[page.index('id="key-findings"'):page.index('id="the-2026-outlook"')]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    return [plain(i) for i in items]


def plain(fragment: str) -> str:
    """Text as a reader reads it, with typographic apostrophes made plain for matching."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).replace("\u2019", "'").strip()


def finding(findings: list[str], lead: str) -> str:
    found = [f for f in findings if f.startswith(lead)]
    assert len(found) == 1, f"no single finding starting {lead!r}: {findings}"
    return found[0]


@pytest.fixture(scope="module")
def view() -> dict:
    """The one dated price view, recomputed from the committed extracts."""
    wb = csv("pricing/worldbank_monthly.csv").set_index("month")["aluminium_usd_t"].dropna()
    month = wb.index[-1]
    # The month's ECB cross rate, to the 4 decimals the parameter carries.
    fx = round(float(csv("macro/ecb_cny_usd_monthly.csv").set_index("month").loc[month, "cny_per_usd"]), 4)
    lme = wb[month]
    parity = (lme + PREMIUM_USD_T) * fx * (1 + VAT) + FEES_CNY_T
    return {"month": month, "lme": lme, "fx": fx, "parity": parity}


def test_the_view_is_dated_and_inside_historys_window(figures, view):
    assert view["month"] == "2024-11" and view["lme"] == pytest.approx(2582.19)
    assert figures["pricing.view_lme_usd_t"] == pytest.approx(view["lme"])
    assert figures["pricing.view_usd_cny"] == pytest.approx(view["fx"])
    assert figures["macro.import_parity_cny_t"] == pytest.approx(view["parity"], rel=1e-6)
    # Arbitrage has rarely let the window pass −3,000 CNY/t, and it opens by little before metal arrives.
    assert -3000 < figures["macro.import_window_cny_t"] <= 500


def test_macro_finding_window(figures, findings, view):
    text = finding(findings, "The import window is")
    shanghai = figures["pricing.modelled_price_cny_t"]
    window = shanghai - view["parity"]
    assert figures["macro.import_window_cny_t"] == pytest.approx(window, abs=0.01)
    state = "shut" if window < 0 else "open"
    assert f"The import window is {state} by {fmt(abs(window), 'CNY/t', decimals=0)}" in text
    # The LME at which the window opens, with Shanghai answering in the chain: just below it the
    # chain's window is open, just above it shut (one view at each LME).
    from aluminium import chain

    breakeven = figures["macro.import_breakeven_lme_usd_t"]
    assert chain.run({"macro.lme_price_usd_t": breakeven - 15})["macro.import_window_cny_t"] > 0
    assert chain.run({"macro.lme_price_usd_t": breakeven + 15})["macro.import_window_cny_t"] < 0
    assert fmt(breakeven, "USD/t") in text and fmt(view["lme"], "USD/t") in text
    # On the day, with Shanghai held, an importer's break-even would be far higher: the prose says so.
    day = (shanghai - FEES_CNY_T) / (view["fx"] * (1 + VAT)) - PREMIUM_USD_T
    assert day > breakeven


def test_bauxite_findings_concentration_and_dependency(findings):
    shares = csv("bauxite/production_share_by_country.csv")
    hhi = {y: float((shares[shares.year == y].share_pct ** 2).sum()) for y in (2015, 2023)}
    changes = csv("bauxite/production_change_by_country.csv")
    listed = changes[changes.year.between(2017, 2023) & (changes.country != "World")].groupby("country").change_kt.sum()
    text = finding(findings, "Supply is concentrating on Guinea")
    assert f"rose from {fmt(hhi[2015])} to {fmt(hhi[2023])}" in text
    assert fmt(listed["Guinea"] / listed.sum() * 100, "%") in text  # 103,300 of 160,300 kt
    dep = fact("bauxite.china_import_dependency_2024_jan_sep_pct")["value"]
    guinea = fact("bauxite.china_imports_from_guinea_share_2024_jan_sep_pct")["value"]
    assert f"About {dep * guinea / 100:.0f} %" in finding(findings, "China leans on one exporter")


def test_alumina_findings_capacity_and_price(figures, findings):
    need = 45000 * float(fact("smelting.alumina_per_aluminium_t_per_t")["value"]) / 1000
    built = float(fact("alumina.china_built_capacity_2025_mt")["low"])  # the Jan 2026 article: over 110 Mt
    text = finding(findings, "China has built more refining")
    assert fmt(need, "Mt/yr") in text and f"exceeds that by {fmt(built - need, 'Mt/yr')}" in text
    assert "13 Mt more is due in 2026" in text
    surplus = 94446 - figures["smelting.output_2026_kt"] * float(fact("smelting.alumina_per_aluminium_t_per_t")["value"])
    assert figures["alumina.market_surplus_kt"] == pytest.approx(surplus, abs=0.5)
    # The ratio contract is set on the chain's aluminium price (16 % of it), not a fixed 21,100.
    ratio = fact("alumina.long_term_contract_price_ratio_to_al_pct")
    contract = (float(ratio["low"]) + float(ratio["high"])) / 200 * figures["pricing.modelled_price_cny_t"]  # 16 %
    assert figures["alumina.modelled_cash_cost_cny_t"] <= figures["alumina.modelled_price_cny_t"] <= contract
    text = finding(findings, "The surplus pulls the alumina price toward cost")
    assert f"{fmt(contract - figures['alumina.modelled_price_cny_t'], 'CNY/t', decimals=0)} below the ratio-contract level" in text


def test_smelting_finding_cap_built_capacity_and_no_room(figures, findings):
    cap, built = 45000.0, float(fact("smelting.china_built_capacity_2024_10_kt")["value"])
    output = figures["smelting.output_2026_kt"]
    text = finding(findings, "China's smelters run at")
    assert fmt(100 * output / cap, "%") in text and fmt(cap - output, "kt/yr") in text
    assert built >= cap and "no room for new metal" in text and "room for new metal." not in text.replace("no room", "")


def test_one_balance_one_margin_across_the_book(figures, findings):
    balance = (figures["smelting.output_2026_kt"] + figures["demand.net_imports_2026_kt"]
               - figures["demand.semis_exports_change_kt"] - figures["demand.demand_2026_kt"])
    assert figures["demand.balance_2026_kt"] == pytest.approx(balance, abs=0.01)
    assert figures["demand.china_balance_2026_kt"] == pytest.approx(figures["demand.balance_2026_kt"], abs=0.5)
    words = f"a {'deficit' if balance < 0 else 'surplus'} of {fmt(abs(balance), 'kt')}"
    assert f"China's 2026 balance: {words}" in finding(findings, "China's 2026 balance")
    # One margin: the smelting chapter's and the pricing chapter's, both at the chain's price.
    assert figures["smelting.margin_cny_t"] == pytest.approx(figures["pricing.modelled_margin_cny_t"], abs=0.5)
    assert figures["pricing.modelled_margin_cny_t"] == pytest.approx(
        figures["pricing.modelled_price_cny_t"] - figures["smelting.modelled_cash_cost_cny_t"], abs=0.01)
    # The reports' own figures the margin and cost sit beside: Zijin's 2026E cost range, its 5,500 margin.
    assert 14500 <= figures["smelting.cash_cost_cny_t"] <= 17000
    assert abs(figures["pricing.modelled_margin_cny_t"] - 5500) < 1500


def test_pricing_finding_the_price_is_the_band_formula(figures, findings):
    from aluminium import params

    floor, parity = figures["pricing.cost_floor_cny_t"], figures["macro.import_parity_cny_t"]
    ceiling = parity + params.lookup("macro.window_open_max_cny_t").default()
    mid, scale = params.lookup("pricing.balance_midpoint_pct").default(), params.lookup("pricing.balance_scale_pct").default()
    tightness = -figures["demand.balance_2026_kt"] / figures["demand.demand_2026_kt"] * 100
    w = 1 / (1 + math.exp(-(tightness - mid) / scale))
    price = floor + (ceiling - floor) * w
    assert figures["pricing.modelled_price_cny_t"] == pytest.approx(price, rel=1e-4)
    text = finding(findings, "The book's model puts Shanghai aluminium at")
    assert fmt(figures["pricing.modelled_price_cny_t"], "CNY/t") in text
    assert f"at the November 2024 LME and exchange rate (LME {fmt(figures['pricing.view_lme_usd_t'], 'USD/t')}" in text
    assert figures["pricing.outlook_bear_price_cny_t"] < figures["pricing.modelled_price_cny_t"] \
        < figures["pricing.outlook_bull_price_cny_t"]
    # The range printed is the outlook's: bear less the model's mean error to bull plus it
    # (recomputed here from the recorded bear and bull prices and the back-test error).
    mae = figures["pricing.price_backtest_mae_pct"]
    low, high = figures["pricing.outlook_low_cny_t"], figures["pricing.outlook_high_cny_t"]
    assert low == pytest.approx(figures["pricing.outlook_bear_price_cny_t"] * (1 - mae / 100), rel=1e-6)
    assert high == pytest.approx(figures["pricing.outlook_bull_price_cny_t"] * (1 + mae / 100), rel=1e-6)
    assert fmt_range(low, high, "CNY/t") in text and "within about" not in text
    # The reports' 2025 Shanghai prices (20,000 at the start, 21,100 at the end of Q1, zijin2025) lie
    # inside the outlook's range.
    assert low <= 20000 and high >= 21100


def test_demand_key_points_the_referee_marked(built_site):
    page = plain((built_site / "chapters" / "demand.html").read_text(encoding="utf-8"))
    sectors = csv("demand/china_demand_by_sector.csv")
    s24 = sectors[sectors.year == 2024].set_index("sector").demand_kt
    transport = s24["transport"] / s24["total"] * 100
    assert s24["transport"] > s24["building"]  # 10,180 against 10,090 kt: transport is the largest use
    assert f"Transport is now the largest use. In Guohai's 2024E split it takes {fmt(transport, '%')}" in page
    assert "12.99 %" in page and "+14.0 %" not in page  # Zijin's vehicle-aluminium growth for 2026


def test_pricing_key_point_lme_share_is_dated(built_site):
    wb = csv("pricing/worldbank_monthly.csv").set_index("month")["aluminium_usd_t"].dropna()
    page = plain((built_site / "chapters" / "pricing.html").read_text(encoding="utf-8"))
    assert wb.idxmax() == "2022-03"
    assert (f"In November 2024, the last month the book holds, the LME stood at {fmt(100 * wb.iloc[-1] / wb.max(), '%')} "
            "of its monthly peak") in page
