"""What the whole chain says across cases: the 2026 outlook (bear, base, bull in one price view),
the power price at which smelters curtail, the history's episodes set against their scenarios, the
price response's sensitivity, each scenario's moves, and the import window against the LME.

Each runs the chain (:mod:`aluminium.chain`) several times, with scenarios and sweeps, so it sits
above them; the stage modules below hold the models it runs.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from aluminium import chain, scenarios, sweep
from aluminium.calc import growth_pct
from aluminium.numbers import fmt
from aluminium.registry import lookup
from aluminium.stages.pricing import (
    STRUCTURAL_SCALE_RANGE_PCT,
    calibration,
    shanghai_equivalent_monthly,
)


# -- the 2026 outlook: base, bull and bear in one price view ----------------------------------
def outlook_cases(overrides=None) -> list[tuple[str, dict, str]]:
    """The outlook's cases as (name, overrides on top of the build's, what they assume).

    Bear: the demand slowdown of ``scenarios/demand-slowdown.yml`` with the LME and the exchange
    rate moved from the build's view as they moved together in the history's worst year for
    LME × CNY/USD; bull: a south-west drought of 1,500 kt (the 2022–23 Yunnan cuts' order) with the
    LME and the rate moved as in the history's best year (:func:`history_swings`). Each case is one
    view: its LME and rate set parity together."""
    view = chain.values_in_force(overrides, ["macro.lme_price_usd_t", "macro.usd_cny"])
    lme, fx = view["macro.lme_price_usd_t"], view["macro.usd_cny"]
    sw = calibration()["swings"]

    def moved(kind: str) -> dict:
        return {"macro.lme_price_usd_t": round(lme * (1 + sw[f"lme_{kind}_pct"] / 100), 2),
                "macro.usd_cny": round(fx * (1 + sw[f"fx_{kind}_pct"] / 100), 4)}

    bear = {**scenarios.load("demand-slowdown").overrides, **moved("fall")}
    bull = {"smelting.southwest_drought_cut_kt": 1500.0, **moved("rise")}
    return [("bear", bear, f"demand slowdown; LME and CNY/USD move as in {sw['fall_year']}"),
            ("base", {}, "the parameters in force"),
            ("bull", bull, f"south-west drought; LME and CNY/USD move as in {sw['rise_year']}")]


OUTLOOK_ROWS = [  # (chain output or parameter, measure, unit, the reports' view)
    ("pricing.modelled_price_cny_t", "Shanghai aluminium price", "CNY/t",
     "2025: 20,000 at the start, 21,100 at the end of Q1 (zijin2025); no 2026 price printed"),
    ("macro.lme_price_usd_t", "LME aluminium price (the view)", "USD/t", "Goldman Sachs, H1 2026: 3,150 (article2026)"),
    ("macro.import_window_cny_t", "Import window (positive = open)", "CNY/t",
     "shut in 2025; Russian metal kept coming (zijin2025)"),
    ("demand.balance_2026_kt", "China's primary balance (surplus +)", "kt",
     "tight for one to two more years (zijin2025); 2024E: +150 after imports (guohai2024)"),
    ("smelting.output_2026_kt", "China's primary output", "kt", "at the 45,000 kt cap, 96 % used at end-2025 (article2026)"),
    ("demand.net_imports_2026_kt", "China's net primary imports", "kt", "2024E: 1,960 (guohai2024)"),
    ("pricing.modelled_margin_cny_t", "Average smelter's cash margin", "CNY/t", "5,500 in December 2025 (zijin2025)"),
]


def outlook_table(overrides=None) -> pd.DataFrame:
    """The 2026 outlook: one row per measure, a column per case (bear, base, bull), the reports'
    view beside; the last two rows widen the Shanghai price by the model's mean out-of-sample error
    (low end of the bear case to high end of the bull case: the outlook's range)."""
    results = {}
    for name, extra, _ in outlook_cases(overrides):
        o = {**dict(overrides or {}), **extra}
        results[name] = {**chain.values_in_force(o, ["macro.lme_price_usd_t", "macro.usd_cny"]), **chain.run(o)}
    rows = [{"measure": measure, "unit": unit, **{c: float(results[c][key]) for c in ("bear", "base", "bull")},
             "the reports' view": view} for key, measure, unit, view in OUTLOOK_ROWS]
    # The exchange rate of each case's view (a rate needs three decimals, so it is written beside the LME).
    rates = " / ".join(fmt(results[c]["macro.usd_cny"], decimals=3) for c in ("bear", "base", "bull"))
    rows[1]["the reports' view"] += f"; the cases' CNY/USD (bear / base / bull): {rates}"
    cal = calibration()
    sw = cal["swings"]
    error = (f"leave-one-year-out mean error {fmt(cal['mae_pct'], '%', decimals=1)}, {cal['years'][0]}–{cal['years'][-1]}, "
             f"given each year's LME and rate; a constant ratio to the import ceiling misses by "
             f"{fmt(cal['ratio_mae_pct'], '%', decimals=1)}, LME × CNY/USD × 1.13 by "
             f"{fmt(cal['identity_mae_pct'], '%', decimals=1)}")
    for end, sign in (("low", -1), ("high", 1)):
        rows.append({"measure": f"Shanghai price, {end} end with the model's mean error", "unit": "CNY/t",
                     **{c: float(results[c]["pricing.modelled_price_cny_t"]) * (1 + sign * cal["mae_pct"] / 100)
                        for c in ("bear", "base", "bull")},
                     "the reports' view": error if end == "low" else
                     (f"bear and bull move the LME and CNY/USD as in {sw['fall_year']} "
                      f"({fmt(sw['fall_pct'], '%', decimals=1, sign=True)} for LME × CNY/USD) and {sw['rise_year']} "
                      f"({fmt(sw['rise_pct'], '%', decimals=1, sign=True)}), the worst and best years since "
                      f"{sw['years'][0] + 1}")})
    return pd.DataFrame(rows)


def outlook_range_cny_t(table: pd.DataFrame) -> tuple[float, float]:
    """The outlook's range (CNY/t): the bear case's price at the low end of the model's error to the
    bull case's at the high end (rows of :func:`outlook_table`)."""
    t = table.set_index("measure")
    return (float(t.loc["Shanghai price, low end with the model's mean error", "bear"]),
            float(t.loc["Shanghai price, high end with the model's mean error", "bull"]))


def curtailment_power_price_cny_kwh(overrides=None, *, high: float = 2.0, tolerance: float = 0.001) -> float:
    """The national power price (CNY/kWh) at which the dearest plants' cash cost first passes the
    modelled price, so that curtailment starts (bisection on the chain; ``nan`` if none by ``high``)."""
    def curtails(price_kwh: float) -> bool:
        r = chain.run({**dict(overrides or {}), "smelting.power_price_cny_kwh": price_kwh})
        return float(r["smelting.curtailed_kt"]) > 0.5

    low = float(chain.values_in_force(overrides, ["smelting.power_price_cny_kwh"])["smelting.power_price_cny_kwh"])
    if curtails(low):
        return low
    if not curtails(high):
        return float("nan")
    while high - low > tolerance:
        mid = (low + high) / 2
        low, high = (low, mid) if curtails(mid) else (mid, high)
    return high


# -- episodes the scenarios are set against ------------------------------------------------------
EPISODES = [  # (episode, from month, to month, scenario, what else the data show)
    ("Q1 2020: demand collapses (Covid)", "2019-12", "2020-04", "demand-slowdown",
     "China's 2020 balance: −870 kt after 1,050 kt of net imports (guohai2024)"),
    ("2021 power crunch", "2021-01", "2021-10", "power-shock",
     "Australian coal +159 %; the LME itself rose 46 % (a world price move, not China's alone)"),
    ("2022–23 Yunnan cuts", "2022-08", "2023-03", "drought",
     "south-west running capacity −1,355 kt (Jul–Oct 2022); net imports 470 → 1,390 kt, 2022 → 2023 (guohai2024)"),
]


def episodes_table(overrides=None) -> pd.DataFrame:
    """Each episode's observed move (Shanghai-equivalent price, from the World Bank and the ECB) beside
    the move the chain gives for the scenario built on it (price, balance, net imports)."""
    sh = shanghai_equivalent_monthly()
    base = chain.run(overrides)
    rows = []
    for name, start, end, scenario, other in EPISODES:
        r = chain.run({**dict(overrides or {}), **scenarios.load(scenario).overrides})
        rows.append({"episode": name, "months": f"{start} to {end}",
                     "observed_price_change_pct": growth_pct(sh[end], sh[start]),
                     "what else the data show": other, "scenario": scenarios.load(scenario).title,
                     "modelled_price_change_pct":
                         growth_pct(r["pricing.modelled_price_cny_t"], base["pricing.modelled_price_cny_t"]),
                     "modelled_balance_change_kt": r["demand.balance_2026_kt"] - base["demand.balance_2026_kt"],
                     "modelled_imports_change_kt": r["demand.net_imports_2026_kt"] - base["demand.net_imports_2026_kt"]})
    return pd.DataFrame(rows)


def scale_sensitivity(overrides=None) -> pd.DataFrame:
    """What moves if the structural scale is wrong: the base price and the demand-slowdown move at
    the ends of the scale's range and at its value."""
    rows = []
    slow = scenarios.load("demand-slowdown").overrides
    for scale in (STRUCTURAL_SCALE_RANGE_PCT[0], params_scale_default(), STRUCTURAL_SCALE_RANGE_PCT[1]):
        o = {**dict(overrides or {}), "pricing.balance_scale_pct": scale}
        b, s = chain.run(o), chain.run({**o, **slow})
        rows.append({"scale_pct": scale, "price_cny_t": b["pricing.modelled_price_cny_t"],
                     "slowdown_price_change_pct":
                         growth_pct(s["pricing.modelled_price_cny_t"], b["pricing.modelled_price_cny_t"])})
    return pd.DataFrame(rows)


def params_scale_default() -> float:
    return float(lookup("pricing.balance_scale_pct").default())


def scenario_moves(overrides=None) -> pd.DataFrame:
    """Every shipped scenario's move against the build's case: price (%), window, balance, output and
    net imports (kt), and the bauxite CIF (USD/t); the tests pin their signs and bounds."""
    base = chain.run(overrides)
    rows = []
    for s in scenarios.available():
        if not s.overrides:
            continue
        r = chain.run({**dict(overrides or {}), **s.overrides})
        rows.append({"scenario": s.title,
                     "price_change_pct": growth_pct(r["pricing.modelled_price_cny_t"], base["pricing.modelled_price_cny_t"]),
                     "window_change_cny_t": r["macro.import_window_cny_t"] - base["macro.import_window_cny_t"],
                     "balance_change_kt": r["demand.balance_2026_kt"] - base["demand.balance_2026_kt"],
                     "output_change_kt": r["smelting.output_2026_kt"] - base["smelting.output_2026_kt"],
                     "imports_change_kt": r["demand.net_imports_2026_kt"] - base["demand.net_imports_2026_kt"],
                     "margin_change_cny_t": r["pricing.modelled_margin_cny_t"] - base["pricing.modelled_margin_cny_t"],
                     "cif_change_usd_t": r["bauxite.modelled_cif_usd_t"] - base["bauxite.modelled_cif_usd_t"]})
    return pd.DataFrame(rows)


# -- the window in the chain: Shanghai answers the LME --------------------------------------------
def chain_window_curve(overrides=None, lme_from: float = 1500.0, lme_to: float = 4000.0, step: float = 25.0) -> pd.DataFrame:
    """The import window against the LME price with the whole chain answering (one view per row: the
    Shanghai price, the balance and the trade move with the LME). Columns ``lme_usd_t``,
    ``parity_cny_t``, ``shanghai_cny_t``, ``window_cny_t``."""
    runs = pd.DataFrame({"macro.lme_price_usd_t": np.arange(lme_from, lme_to + step / 2, step)})
    table = sweep.evaluate(runs, overrides)
    return pd.DataFrame({"lme_usd_t": runs["macro.lme_price_usd_t"].to_numpy(),
                         "parity_cny_t": table["macro.import_parity_cny_t"].to_numpy(),
                         "shanghai_cny_t": table["pricing.modelled_price_cny_t"].to_numpy(),
                         "window_cny_t": table["macro.import_window_cny_t"].to_numpy()})
