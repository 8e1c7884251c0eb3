"""The smelting stage of the chain: capacity, the south-west's weight, cash cost, cost curve, pipelines.

Units: capacity in kt/yr (annualised), costs and prices in CNY/t of aluminium (inputs in
CNY/t of the input), power in kWh/t and CNY/kWh. Every model here is a pure function of
pandas objects or numbers; the chapter notebook only calls them.

The statistics it uses (``calc.share_explained``: the R² behind "X explains N % of Y", and
``calc.sensitivity`` for the tornado chart) live in ``aluminium.calc`` with the other shared
calculations.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from aluminium.calc import nonnegative as _nonnegative
from aluminium.calc import (
    sensitivity,  # noqa: F401 - the chapter's tornado chart calls smelting.sensitivity
    share_explained,
)
from aluminium.claims import ClaimRegistry
from aluminium.data import catalogue
from aluminium.data.facts import fact
from aluminium.links import Link, Output, pinned
from aluminium.parameter import Param
from aluminium.stages import demand, macro
from aluminium.words import KeyPoint, Values, amount, fmt

CLAIMS = ClaimRegistry()  # this stage's claim recomputations, read by the audit

# --------------------------------------------------------------------------------------
# Capacity: the cap, built and running capacity, the south-west
# --------------------------------------------------------------------------------------

SOUTHWEST = ("Yunnan", "Guizhou", "Sichuan", "Guangxi", "Chongqing")
"""The definition of the south-west that reproduces the report's 88.8 % (see ``southwest_definitions``)."""

SOUTHWEST_DEFINITIONS: dict[str, tuple[str, ...]] = {
    "Yunnan, Guizhou, Sichuan, Guangxi, Chongqing": SOUTHWEST,
    "Yunnan, Guizhou, Sichuan, Guangxi": ("Yunnan", "Guizhou", "Sichuan", "Guangxi"),
    "Yunnan, Guizhou, Sichuan": ("Yunnan", "Guizhou", "Sichuan"),
    "Yunnan, Sichuan (hydro provinces)": ("Yunnan", "Sichuan"),
    "Yunnan only": ("Yunnan",),
}


def capacity_change_wide(changes: pd.DataFrame) -> pd.DataFrame:
    """The long table month × province → change_kt as a wide frame (months × provinces, kt/yr).

    Keeps the printed national line as column ``Total``. Raises ValueError if a column is missing.
    """
    missing = {"month", "province", "change_kt"} - set(changes.columns)
    if missing:
        raise ValueError(f"capacity_change_wide: missing column(s) {sorted(missing)}")
    return changes.pivot(index="month", columns="province", values="change_kt").sort_index()


def regional_change(wide: pd.DataFrame, provinces: Iterable[str]) -> pd.Series:
    """Summed monthly change of running capacity of a group of provinces (kt/yr)."""
    provinces = list(provinces)
    unknown = [p for p in provinces if p not in wide.columns]
    if unknown:
        raise ValueError(f"regional_change: unknown province(s) {unknown}")
    return wide[provinces].sum(axis=1, min_count=1)


def southwest_definitions(changes: pd.DataFrame) -> pd.DataFrame:
    """R² of the national monthly change on each candidate south-west's change.

    Two national totals: the report's printed line (``Total``) and the sum of the provinces
    (they differ in two months). Returns columns ``south_west, provinces, national_total,
    r2`` (fraction), one row per combination, and ``matches_report`` where R² × 100 rounds
    to the report's 88.8 %.
    """
    wide = capacity_change_wide(changes)
    provinces_only = wide.drop(columns=["Total"])
    totals = {"printed national line": wide["Total"], "sum of the provinces": provinces_only.sum(axis=1)}
    target = fact("smelting.southwest_explains_national_change_pct").value
    rows = []
    for label, group in SOUTHWEST_DEFINITIONS.items():
        x = regional_change(wide, group)
        for total_label, y in totals.items():
            r2 = share_explained(y, x)
            rows.append({"south_west": label, "provinces": len(group), "national_total": total_label,
                         "r2": r2, "matches_report": round(r2 * 100, 1) == target})
    return pd.DataFrame(rows)


def southwest_r2(changes: pd.DataFrame) -> float:
    """R² (fraction) of the printed national monthly change on the five-province south-west's change."""
    wide = capacity_change_wide(changes)
    return share_explained(wide["Total"], regional_change(wide, SOUTHWEST))


def capacity_timeline() -> pd.DataFrame:
    """Built and running capacity, the cap and utilisation as the reports state them (Mt, %).

    One row per statement: ``date, measure, value_mt, utilisation_pct, source, fact``.
    The reports give no continuous series (the chart of national running capacity is lost).
    """
    specs = [
        ("2023-12", "built capacity", "smelting.china_built_capacity_dec2023_mt", 1.0),
        ("2023-12", "running capacity", "smelting.china_running_capacity_dec2023_mt", 1.0),
        ("2024-10", "built capacity", "smelting.china_built_capacity_2024_10_kt", 1e-3),
        ("2025-12", "running capacity", "smelting.china_running_capacity_end2025_mt", 1.0),
        ("2024-10", "capacity cap", "smelting.china_capacity_ceiling_kt", 1e-3),
        ("2026-01", "capacity cap", "smelting.capacity_cap_mt", 1.0),
    ]
    rows = []
    for date, measure, fid, scale in specs:
        f = fact(fid)
        rows.append({"date": date, "measure": measure, "value_mt": f.central * scale,
                     "source": f.source, "fact": fid})
    out = pd.DataFrame(rows)
    cap = fact("smelting.capacity_cap_mt").value
    util = {"2023-12": fact("smelting.china_utilisation_dec2023_pct").value}
    out["utilisation_pct"] = out["date"].map(util)
    # End-2025: the article gives only a floor (over 95 %); running ÷ cap is the stated basis.
    end25 = (out["date"] == "2025-12") & (out["measure"] == "running capacity")
    out.loc[end25, "utilisation_pct"] = utilisation_pct(out.loc[end25, "value_mt"].iloc[0], cap)
    return out


def utilisation_pct(running, capacity):
    """Utilisation = running ÷ capacity × 100 (%). Works on numbers and arrays; capacity must be > 0."""
    cap = np.asarray(capacity, dtype=float)
    if np.any(cap <= 0):
        raise ValueError(f"utilisation_pct: capacity must be positive, got {capacity!r}")
    _nonnegative("running capacity", running)
    out = np.asarray(running, dtype=float) / cap * 100
    return float(out) if out.ndim == 0 else out


# --------------------------------------------------------------------------------------
# Cash cost per tonne
# --------------------------------------------------------------------------------------

COST_INPUTS = ("alumina_price_cny_t", "power_price_cny_kwh", "anode_price_cny_t", "alumina_t_per_t",
               "power_kwh_per_t", "anode_t_per_t", "other_costs_cny_t")
"""The parameters (short names) the cash cost is a function of: the one statement of that mapping."""


def cost_inputs(values: Mapping[str, float]) -> dict[str, float]:
    """The cash-cost inputs picked from the parameters in force (``p.values``, or any mapping)."""
    return {name: values[name] for name in COST_INPUTS}


def cost_breakdown(alumina_price_cny_t, power_price_cny_kwh, anode_price_cny_t, alumina_t_per_t,
                   power_kwh_per_t, anode_t_per_t, other_costs_cny_t) -> dict:
    """The cash cost per tonne of aluminium by item (CNY/t), vectorised.

    alumina = alumina_t_per_t × alumina_price_cny_t; power = power_kwh_per_t × power_price_cny_kwh;
    anode = anode_t_per_t × anode_price_cny_t; fluoride_and_other = other_costs_cny_t (aluminium
    fluoride, cryolite, labour, maintenance and overheads, which the reports give only as the
    remainder). Each input may be a float, a numpy array or a pandas Series (broadcast together).
    Raises ValueError for a negative input.
    """
    inputs = dict(alumina_price_cny_t=alumina_price_cny_t, power_price_cny_kwh=power_price_cny_kwh,
                  anode_price_cny_t=anode_price_cny_t, alumina_t_per_t=alumina_t_per_t,
                  power_kwh_per_t=power_kwh_per_t, anode_t_per_t=anode_t_per_t,
                  other_costs_cny_t=other_costs_cny_t)
    for name, value in inputs.items():
        _nonnegative(name, value)
    return {
        "alumina": alumina_t_per_t * alumina_price_cny_t,
        "power": power_kwh_per_t * power_price_cny_kwh,
        "anode": anode_t_per_t * anode_price_cny_t,
        "fluoride_and_other": other_costs_cny_t * 1.0,
    }


def cash_cost(alumina_price_cny_t, power_price_cny_kwh, anode_price_cny_t, alumina_t_per_t,
              power_kwh_per_t, anode_t_per_t, other_costs_cny_t):
    """Cash cost per tonne of aluminium (CNY/t): the sum of ``cost_breakdown``. Vectorised."""
    parts = cost_breakdown(alumina_price_cny_t, power_price_cny_kwh, anode_price_cny_t, alumina_t_per_t,
                           power_kwh_per_t, anode_t_per_t, other_costs_cny_t)
    return parts["alumina"] + parts["power"] + parts["anode"] + parts["fluoride_and_other"]


def margin(aluminium_price_cny_t, cash_cost_cny_t):
    """Cash margin per tonne = aluminium price − cash cost (CNY/t). Vectorised."""
    return aluminium_price_cny_t - cash_cost_cny_t


def implied_input_price(total_cost_cny_t: float, share_pct: float, consumption_per_t: float) -> float:
    """Input price implied by a total cost and that input's cost share.

    price = total_cost × share / 100 ÷ consumption per tonne of aluminium (e.g. CNY/kWh from
    CNY/t × % ÷ kWh/t). Raises ValueError for a share outside 0–100 or a non-positive consumption.
    """
    if not 0 <= share_pct <= 100:
        raise ValueError(f"implied_input_price: share must be 0–100 %, got {share_pct}")
    if consumption_per_t <= 0:
        raise ValueError(f"implied_input_price: consumption must be positive, got {consumption_per_t}")
    _nonnegative("total cost", total_cost_cny_t)
    return total_cost_cny_t * share_pct / 100 / consumption_per_t


def residual_cost(total_cost_cny_t: float, shares_pct: Iterable[float]) -> float:
    """The part of a total cost not covered by the listed shares: total × (1 − Σshares/100), CNY/t.

    Raises ValueError if the shares add up to more than 100 %.
    """
    total_share = float(sum(shares_pct))
    if total_share > 100:
        raise ValueError(f"residual_cost: shares add up to {total_share} % (> 100 %)")
    _nonnegative("total cost", total_cost_cny_t)
    return total_cost_cny_t * (1 - total_share / 100)


# The calibration point: the one cost total that comes with a cost split (jianghai2024).
_CALIBRATION_COST = "smelting.cost_current_jan2024_cny_t"
_SHARE_FACTS = {"alumina": "smelting.cost_share_alumina_pct", "power": "smelting.cost_share_power_pct_jianghai2024",
                "anode": "smelting.cost_share_anode_pct"}


# Items whose price is back-solved from a share: any share range for them is near-automatic.
_CALIBRATED_ITEMS = {"power", "anode"}


def derive_power_price_cny_kwh() -> float:
    """Power price implied by the Jan 2024 cost (16,000 CNY/t), the power share (mid 30–35 %) and 13,350 kWh/t."""
    return implied_input_price(fact(_CALIBRATION_COST).value, fact(_SHARE_FACTS["power"]).central,
                               fact("smelting.power_per_aluminium_kwh_per_t").central)


def derive_anode_price_cny_t() -> float:
    """Anode price implied by the Jan 2024 cost, the anode share (mid 10–20 %) and 0.5 t/t."""
    return implied_input_price(fact(_CALIBRATION_COST).value, fact(_SHARE_FACTS["anode"]).central,
                               fact("smelting.prebaked_anode_per_aluminium_t_per_t").value)


def derive_alumina_price_jan2024_cny_t() -> float:
    """Alumina price implied by the Jan 2024 cost, the alumina share (mid 30–40 %) and 1.93 t/t (a check)."""
    return implied_input_price(fact(_CALIBRATION_COST).value, fact(_SHARE_FACTS["alumina"]).central,
                               fact("smelting.alumina_per_aluminium_t_per_t").value)


def derive_other_costs_full_cny_t() -> float:
    """Everything in the Jan 2024 cost besides alumina, power and anode (CNY/t): 16,000 × (1 − 35 % − 32.5 % − 15 %).

    At 2,800 CNY/t it is far more than fluoride and cryolite (0.035 t/t together), so the
    16,000 is read as a full production cost that includes depreciation."""
    return residual_cost(fact(_CALIBRATION_COST).value, [fact(f).central for f in _SHARE_FACTS.values()])


# ASSUMPTION: a straight-line life for smelter plant; no report gives one (10–20 years is the usual
# range for potlines and rectifiers, so 15 is the middle).
DEPRECIATION_LIFE_YR = 15.0


def derive_depreciation_cny_t() -> float:
    """Depreciation (CNY/t): article2026's past capex of 12,000 CNY/t of capacity over 15 years."""
    return float(depreciation_cny_t(fact("smelting.capex_per_t_previous_cny_t").value, DEPRECIATION_LIFE_YR))


def derive_other_costs_cny_t() -> float:
    """Cash part of the other costs (CNY/t): the Jan 2024 residual less depreciation."""
    return derive_other_costs_full_cny_t() - derive_depreciation_cny_t()


def derive_power_price_range_cny_kwh() -> tuple[float, float]:
    """Power price range implied by the widest power share range the reports give (30–40 %)."""
    cost = fact(_CALIBRATION_COST).value
    kwh = fact("smelting.power_per_aluminium_kwh_per_t").central
    lows = [fact(f).low for f in ("smelting.cost_share_power_pct_jianghai2024", "smelting.cost_share_power_pct_article2026")]
    highs = [fact(f).high for f in ("smelting.cost_share_power_pct_jianghai2024", "smelting.cost_share_power_pct_article2026")]
    return implied_input_price(cost, min(lows), kwh), implied_input_price(cost, max(highs), kwh)


def derive_low_power_price_cny_kwh() -> float:
    """Low end of the implied power price (30 % share): the assumption for hydro and captive-coal blocks."""
    return derive_power_price_range_cny_kwh()[0]


def cost_shares_vs_reports(breakdown: Mapping[str, float]) -> pd.DataFrame:
    """Each item's share of the modelled cost (%) against the ranges the reports state.

    Returns ``item, cost_cny_t, share_pct, report, range_low_pct, range_high_pct, within, flag,
    calibrated``; one row per (item, report range). Items without a stated range get one row
    with empty range. ``calibrated`` marks the items whose price was back-solved from a share
    (power and anode): their shares sit near the calibration midpoint whatever the range, so
    those rows test nothing.
    """
    total = float(sum(float(v) for v in breakdown.values()))
    if total <= 0:
        raise ValueError("cost_shares_vs_reports: total cost must be positive")
    ranges = {"alumina": ["smelting.cost_share_alumina_pct"],
              "power": ["smelting.cost_share_power_pct_jianghai2024", "smelting.cost_share_power_pct_article2026"],
              "anode": ["smelting.cost_share_anode_pct"]}
    rows = []
    for item, value in breakdown.items():
        share = float(value) / total * 100
        for fid in ranges.get(item, [None]):
            if fid is None:
                rows.append({"item": item, "cost_cny_t": float(value), "share_pct": share, "report": "",
                             "range_low_pct": np.nan, "range_high_pct": np.nan, "within": "", "flag": "",
                             "calibrated": False})
                continue
            f = fact(fid)
            within = f.low <= share <= f.high
            rows.append({"item": item, "cost_cny_t": float(value), "share_pct": share, "report": f.source,
                         "range_low_pct": f.low, "range_high_pct": f.high,
                         "within": "yes" if within else "no", "flag": f.flag,
                         "calibrated": item in _CALIBRATED_ITEMS})
    return pd.DataFrame(rows)


def cost_sensitivity_ranges(base: Mapping[str, float], other_pct: float) -> dict[str, tuple[float, float]]:
    """Low/high of each cost input for the tornado, from the reports where they give a range.

    alumina price: the lowest and highest alumina prices the reports print (zijin2025's 2026E low,
    2,500, to the start-2025 spot price, 5,500), which bracket every price deck; power price: implied by the 30–40 % power share;
    anode price: implied by the 10–20 % anode share; power use: article2026's 13,000 kWh/t ceiling
    to guohai2024's 13,500; alumina and anode use and other costs: ± ``other_pct`` % of the base
    (no report gives a range).
    """
    if other_pct < 0:
        raise ValueError("cost_sensitivity_ranges: other_pct must be non-negative")
    alumina = fact("pricing.alumina_spot_range_2026e_cny_t_zijin2025")
    cost = fact(_CALIBRATION_COST).value
    anode = fact(_SHARE_FACTS["anode"])
    anode_use = fact("smelting.prebaked_anode_per_aluminium_t_per_t").value
    k = other_pct / 100
    return {
        "alumina_price_cny_t": (alumina.low, fact("pricing.alumina_price_start_2025_cny_t").value),
        "power_price_cny_kwh": derive_power_price_range_cny_kwh(),
        "anode_price_cny_t": (implied_input_price(cost, anode.low, anode_use),
                              implied_input_price(cost, anode.high, anode_use)),
        "power_kwh_per_t": (fact("smelting.ac_power_limit_kwh_t").high,
                            fact("smelting.power_per_aluminium_kwh_per_t").high),
        "alumina_t_per_t": (base["alumina_t_per_t"] * (1 - k), base["alumina_t_per_t"] * (1 + k)),
        "anode_t_per_t": (base["anode_t_per_t"] * (1 - k), base["anode_t_per_t"] * (1 + k)),
        "other_costs_cny_t": (base["other_costs_cny_t"] * (1 - k), base["other_costs_cny_t"] * (1 + k)),
    }


def depreciation_cny_t(capex_cny_t, life_yr):
    """Straight-line depreciation per tonne of yearly capacity (CNY/t) = capex per tonne ÷ life. Vectorised."""
    _nonnegative("capex_cny_t", capex_cny_t)
    if np.any(np.asarray(life_yr, dtype=float) <= 0):
        raise ValueError(f"depreciation_cny_t: life must be positive, got {life_yr!r}")
    return capex_cny_t / life_yr


def full_cost(cash_cost_cny_t, depreciation_cny_t):
    """Full cost (CNY/t) = cash cost + depreciation. Vectorised."""
    _nonnegative("depreciation_cny_t", depreciation_cny_t)
    return cash_cost_cny_t + depreciation_cny_t


# One dated deck of prices per case. Only jianghai2024 gives a total with a cost split, so the
# power, anode and other prices exist only for January 2024; later decks carry them, and say so.
PRICE_DECKS: dict[str, dict] = {
    "2024-01": {"alumina": None, "aluminium": None, "check": "smelting.theoretical_cost_range_2023_cny_t",
                "label": "Jan 2024: the calibration point (jianghai2024)"},
    "2025-03": {"alumina": "pricing.alumina_price_end_q1_2025_cny_t", "aluminium": "pricing.al_price_end_q1_2025_cny_t",
                "check": "smelting.cost_range_2025_cny_t",
                "label": "End-Q1 2025: the only date with both an alumina and an aluminium price (zijin2025)"},
    "2026": {"alumina": "pricing.alumina_price_2026_cny_t_article2026", "aluminium": None,
             "check": "smelting.cost_range_2026e_cny_t", "label": "2026 outlook: the article's alumina price"},
}


def price_deck(name: str) -> dict:
    """One dated deck: alumina and aluminium prices (CNY/t, NaN where the reports give none for that date)
    with the basis of each, and the fact whose range checks the deck's cost."""
    if name not in PRICE_DECKS:
        raise ValueError(f"price_deck: unknown deck '{name}' (known: {sorted(PRICE_DECKS)})")
    spec = PRICE_DECKS[name]
    if spec["alumina"] is None:
        alumina, alumina_basis = derive_alumina_price_jan2024_cny_t(), "calibrated: 16,000 × 35 % ÷ 1.93 t/t"
    else:
        alumina, alumina_basis = fact(spec["alumina"]).value, f"fact {spec['alumina']}"
    aluminium = fact(spec["aluminium"]).value if spec["aluminium"] else float("nan")
    return {"deck": name, "label": spec["label"], "alumina_price_cny_t": alumina, "alumina_basis": alumina_basis,
            "aluminium_price_cny_t": aluminium,
            "aluminium_basis": f"fact {spec['aluminium']}" if spec["aluminium"] else "no price of this date in the reports",
            "carried": ("" if name == "2024-01"
                        else "power, anode and other: Jan 2024 calibration (no later price in the reports)"),
            "check": spec["check"]}


def deck_costs(*, power_price_cny_kwh, anode_price_cny_t, alumina_t_per_t, power_kwh_per_t, anode_t_per_t,
               other_costs_cny_t, depreciation_cny_t: float) -> pd.DataFrame:
    """Cash and full cost (CNY/t) of every price deck, the margin where the deck has an aluminium price of
    its own date, the reports' cost range of that period, and whether the cost falls inside it.

    ``calibrated_share_pct`` is the share of the cash cost fixed by the January 2024 calibration
    (power, anode and other costs): inside-the-range at the calibration deck is true by
    construction, and later decks test only what changed (the alumina price).
    """
    rows = []
    for name in PRICE_DECKS:
        deck = price_deck(name)
        items = cost_breakdown(deck["alumina_price_cny_t"], power_price_cny_kwh, anode_price_cny_t, alumina_t_per_t,
                               power_kwh_per_t, anode_t_per_t, other_costs_cny_t)
        cash = float(sum(items.values()))
        check = fact(deck["check"])
        rows.append({"deck": name, "label": deck["label"], "alumina_price_cny_t": deck["alumina_price_cny_t"],
                     "alumina_basis": deck["alumina_basis"], "cash_cost_cny_t": cash,
                     "full_cost_cny_t": float(full_cost(cash, depreciation_cny_t)),
                     "aluminium_price_cny_t": deck["aluminium_price_cny_t"],
                     "cash_margin_cny_t": deck["aluminium_price_cny_t"] - cash,
                     "check_range": f"{check.low:,.0f}–{check.high:,.0f} ({check.source}, {check.period})",
                     "full_cost_inside_range": bool(check.low <= cash + depreciation_cny_t <= check.high),
                     "calibrated_share_pct": (cash - float(items["alumina"])) / cash * 100,
                     "test": "none: calibrated to this total" if name == "2024-01" else "alumina price and carried items"})
    return pd.DataFrame(rows)


def calibration_status() -> pd.DataFrame:
    """What each cost input is: calibrated (back-solved from jianghai2024's total and shares), a dated
    report price, a report consumption, or an assumption. No row that is calibrated can validate the model."""
    return pd.DataFrame([
        {"input": "power price", "status": "calibrated", "how": "16,000 CNY/t × 32.5 % ÷ 13,350 kWh/t (Jan 2024)"},
        {"input": "anode price", "status": "calibrated", "how": "16,000 CNY/t × 15 % ÷ 0.5 t/t (Jan 2024)"},
        {"input": "other costs (cash part)", "status": "calibrated + assumption",
         "how": "16,000 × (1 − 35 % − 32.5 % − 15 %) less depreciation (capex ÷ life)"},
        {"input": "depreciation", "status": "report capex + assumption",
         "how": "12,000 CNY/t of capacity (article2026, past builds) ÷ an assumed life"},
        {"input": "alumina price", "status": "report price, dated", "how": "one per deck (see the deck table)"},
        {"input": "consumptions (alumina, power, anode)", "status": "report", "how": "guohai2024 §1"},
    ])


# --------------------------------------------------------------------------------------
# Cost curve
# --------------------------------------------------------------------------------------


def cost_curve(blocks: pd.DataFrame, cost_column: str = "cash_cost_cny_t",
               capacity_column: str = "capacity_kt") -> pd.DataFrame:
    """Capacity blocks sorted by cost, with cumulative capacity (kt/yr): the step chart's data.

    Adds ``cumulative_start_kt`` and ``cumulative_end_kt``. Raises ValueError for missing
    columns, negative capacity or a missing cost.
    """
    missing = {cost_column, capacity_column} - set(blocks.columns)
    if missing:
        raise ValueError(f"cost_curve: missing column(s) {sorted(missing)}")
    if blocks[cost_column].isna().any():
        raise ValueError("cost_curve: every block needs a cost")
    _nonnegative(capacity_column, blocks[capacity_column].to_numpy())
    out = blocks.sort_values(cost_column, kind="stable", ignore_index=True).copy()
    out["cumulative_end_kt"] = out[capacity_column].cumsum()
    out["cumulative_start_kt"] = out["cumulative_end_kt"] - out[capacity_column]
    return out


def _china_blocks_kt(running_capacity_kt: float, captive_share_of_rest_pct: float) -> dict[str, float]:
    """China's running capacity split into the curve's blocks (kt/yr), checked (:func:`china_blocks_kt`)."""
    if not 0 <= captive_share_of_rest_pct <= 100:
        raise ValueError("cost_curve_blocks: captive share must be 0–100 %")
    hydro, sw_grid = southwest_kt()
    if running_capacity_kt - hydro - sw_grid < 0:
        raise ValueError("cost_curve_blocks: running capacity is smaller than the south-west's")
    return {k: float(v) for k, v in china_blocks_kt(running_capacity_kt, captive_share_of_rest_pct).items()}


@functools.lru_cache(maxsize=1)
def southwest_kt() -> tuple[float, float]:
    """The south-west's running capacity, Sep 2024 (kt/yr): hydro (Yunnan, Sichuan) and grid (Guangxi, Guizhou)."""
    sw = catalogue.load("smelting-southwest-running-capacity-2024-09").set_index("province")["running_capacity_kt"]
    return float(sw[["Yunnan", "Sichuan"]].sum()), float(sw[["Guangxi", "Guizhou"]].sum())


def china_blocks_kt(running_capacity_kt, captive_share_of_rest_pct) -> dict:
    """China's running capacity split into the cost curve's blocks (kt/yr), vectorised: south-west
    hydro and grid (Sep 2024), and the rest of China split between north-west captive coal
    (``captive_share_of_rest_pct``) and grid elsewhere (none left when the south-west is all there is).
    The one split behind the chapter's curve (:func:`cost_curve_blocks`) and the chain's (:func:`china_blocks`)."""
    hydro, sw_grid = southwest_kt()
    rest = np.maximum(running_capacity_kt - hydro - sw_grid, 0)
    captive = rest * captive_share_of_rest_pct / 100
    return {"hydro": hydro, "sw_grid": sw_grid, "captive": captive, "grid_elsewhere": rest - captive}


def balancing_grid_power_price(*, national_power_price_cny_kwh: float, hydro_power_price_cny_kwh: float,
                               captive_power_price_cny_kwh: float, running_capacity_kt: float,
                               captive_share_of_rest_pct: float) -> float:
    """Grid power price (CNY/kWh) at which China's capacity-weighted average equals the national average:
    (national × all − hydro × hydro capacity − captive × captive capacity) ÷ grid capacity."""
    b = _china_blocks_kt(running_capacity_kt, captive_share_of_rest_pct)
    grid = b["sw_grid"] + b["grid_elsewhere"]
    if grid <= 0:
        raise ValueError("balancing_grid_power_price: no grid-powered capacity to balance")
    total = sum(b.values())
    return (national_power_price_cny_kwh * total - hydro_power_price_cny_kwh * b["hydro"]
            - captive_power_price_cny_kwh * b["captive"]) / grid


def cost_curve_blocks(*, running_capacity_kt: float, captive_share_of_rest_pct: float,
                      hydro_power_price_cny_kwh: float, captive_power_price_cny_kwh: float,
                      grid_power_price_cny_kwh: float, indonesia_power_price_cny_kwh: float,
                      indonesia_alumina_price_cny_t: float, indonesia_capacity_kt: float,
                      cost_inputs: Mapping[str, float]) -> pd.DataFrame:
    """Capacity blocks with their cash cost (CNY/t).

    China's running capacity is split into: south-west hydro (Yunnan, Sichuan, running
    capacity of Sep 2024), south-west grid (Guangxi, Guizhou), and the rest of China split
    between north-west captive coal (``captive_share_of_rest_pct``) and grid elsewhere. The
    Chinese blocks differ by power price only (the reports give no regional alumina, anode or
    labour costs); the Indonesian block (capacity due in 2026–2027) has its own power price and
    its own alumina price (Indonesian refinery cost). Each block says where its numbers come
    from, and ``assumption`` names what the reports do not give.
    """
    b = _china_blocks_kt(running_capacity_kt, captive_share_of_rest_pct)
    _nonnegative("indonesia_alumina_price_cny_t", indonesia_alumina_price_cny_t)
    specs = [
        ("China: north-west captive coal", "China", b["captive"], captive_power_price_cny_kwh, None,
         "article2026 running capacity end-2025 less the south-west",
         "capacity split; power price at the low end of the range the 30–40 % power share implies"),
        ("China: south-west hydro (Yunnan, Sichuan)", "China", b["hydro"], hydro_power_price_cny_kwh, None,
         "guohai2024 §2.3, running capacity Sep 2024", "power price = the calibrated national average"),
        ("China: south-west grid (Guangxi, Guizhou)", "China", b["sw_grid"], grid_power_price_cny_kwh, None,
         "guohai2024 §2.3, running capacity Sep 2024",
         "power price set so that China's capacity-weighted average is the national average"),
        ("China: grid elsewhere", "China", b["grid_elsewhere"], grid_power_price_cny_kwh, None,
         "article2026 running capacity end-2025 less the south-west",
         "capacity split; grid price as for the south-west grid"),
        ("Indonesia: new capacity 2026–2027", "Indonesia", indonesia_capacity_kt, indonesia_power_price_cny_kwh,
         indonesia_alumina_price_cny_t, "article2026 §5; power zijin2025 (4–7 US cents/kWh, grid); "
         "alumina article2026 (Indonesian refinery cost 220–240 USD/t)", "exchange rate; anode and other at China levels"),
    ]
    rows = []
    for block, region, cap, price, alumina, source, assumption in specs:
        inputs = {**cost_inputs, "power_price_cny_kwh": price}
        if alumina is not None:
            inputs["alumina_price_cny_t"] = alumina
        rows.append({"block": block, "region": region, "capacity_kt": cap, "power_price_cny_kwh": price,
                     "alumina_price_cny_t": inputs["alumina_price_cny_t"],
                     "cash_cost_cny_t": float(cash_cost(**inputs)), "source": source, "assumption": assumption})
    return pd.DataFrame(rows)


def weighted_power_price(blocks: pd.DataFrame, region: str = "China") -> float:
    """Capacity-weighted power price of a region's blocks (CNY/kWh)."""
    r = blocks[blocks["region"] == region]
    if r["capacity_kt"].sum() <= 0:
        raise ValueError(f"weighted_power_price: no capacity in {region}")
    return float((r["power_price_cny_kwh"] * r["capacity_kt"]).sum() / r["capacity_kt"].sum())


# --------------------------------------------------------------------------------------
# Project pipelines
# --------------------------------------------------------------------------------------


def pipeline_summary() -> pd.DataFrame:
    """What the project tables add and how much the reports expect to land (kt/yr).

    One row per pipeline: gross capacity, what is expected to land (China: net of closures,
    the quota rule; overseas: commissioned by May 2024 and still pending) and the share landed.
    """
    china = catalogue.load("smelting-smelter-projects-china")
    china = china[china["project"] != "Total"]
    overseas = catalogue.load("smelting-smelter-projects-overseas")
    overseas = overseas[overseas["smelter"] != "Total"]
    gross_cn = float(china["capacity_kt"].sum())
    net_cn = float(china["net_addition_kt"].sum())
    gross_os = float(overseas["capacity_new_kt"].sum())
    done_os = float(overseas["commissioned_by_2024_05_kt"].sum())
    return pd.DataFrame([
        {"pipeline": "China, projects from 2024 on (net of closed capacity)", "gross_capacity_kt": gross_cn,
         "expected_to_land_kt": net_cn, "share_pct": net_cn / gross_cn * 100,
         "basis": "net additions under the quota rule (guohai2024)"},
        {"pipeline": "Overseas, 2022–2025 plans: commissioned by May 2024", "gross_capacity_kt": gross_os,
         "expected_to_land_kt": done_os, "share_pct": done_os / gross_os * 100,
         "basis": "commissioned so far (guohai2024)"},
        {"pipeline": "Overseas, 2022–2025 plans: still pending", "gross_capacity_kt": gross_os,
         "expected_to_land_kt": gross_os - done_os, "share_pct": (gross_os - done_os) / gross_os * 100,
         "basis": "pending; the report says landing must be tracked (guohai2024)"},
    ])


def overseas_by_country() -> pd.DataFrame:
    """Overseas planned and commissioned capacity by country (kt/yr), largest first."""
    df = catalogue.load("smelting-smelter-projects-overseas")
    df = df[df["smelter"] != "Total"]
    out = (df.groupby("country", as_index=False)[["capacity_new_kt", "commissioned_by_2024_05_kt"]]
           .sum(min_count=1).fillna({"commissioned_by_2024_05_kt": 0}))
    out["pending_kt"] = out["capacity_new_kt"] - out["commissioned_by_2024_05_kt"]
    return out.sort_values("capacity_new_kt", ascending=False, ignore_index=True)


def china_phasing() -> pd.DataFrame:
    """Gross capacity of China's projects by start period (kt/yr), without the total rows."""
    df = catalogue.load("smelting-smelter-projects-china-phasing")
    return df[df["project"] != "Total"].copy()


# --------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------


def derive_running_capacity_end2025_kt() -> float:
    """Running capacity at end-2025 (article2026, 43.204 Mt) in kt/yr."""
    return fact("smelting.china_running_capacity_end2025_mt").value * 1000


def usc_kwh_to_cny_kwh(us_cents_per_kwh, cny_per_usd):
    """US cents/kWh → CNY/kWh: × cny_per_usd ÷ 100. Vectorised; the rate must be positive."""
    if np.any(np.asarray(cny_per_usd, dtype=float) <= 0):
        raise ValueError(f"usc_kwh_to_cny_kwh: exchange rate must be positive, got {cny_per_usd!r}")
    _nonnegative("power price", us_cents_per_kwh)
    return us_cents_per_kwh * cny_per_usd / 100



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


# --------------------------------------------------------------------------------------
# In the chain: the output China's smelters can make, their cash cost and cost curve
# --------------------------------------------------------------------------------------

def smelter_output(v, o) -> dict:
    """The output China's smelters could make in the outlook year (kt): the cap × utilisation, less
    what a south-west drought takes (the market link then curtails loss-making plants)."""
    potential = demand.supply_kt(v["smelting.capacity_cap_kt"], v["demand.utilisation_pct"])
    hydro, _ = southwest_kt()
    scale = potential / np.maximum(v["smelting.running_capacity_kt"], 1e-9)
    drought = np.minimum(v["smelting.southwest_drought_cut_kt"], hydro * scale)
    return {"smelting.potential_output_2026_kt": potential - drought, "smelting.drought_cut_kt": drought}


def china_blocks(v) -> tuple[list[str], list, list]:
    """China's cost-curve blocks: names, capacities (kt/yr) and power prices (CNY/kWh).

    The split of :func:`china_blocks_kt`, on arrays so that a sweep can vary running capacity
    and the captive share."""
    b = china_blocks_kt(v["smelting.running_capacity_kt"], v["smelting.captive_share_of_rest_pct"])
    names = ["south-west hydro", "south-west grid", "north-west captive coal", "grid elsewhere"]
    caps = [b["hydro"], b["sw_grid"], b["captive"], b["grid_elsewhere"]]
    # The national average power price moves every block by the same amount (a coal or tariff
    # change reaches all of them); the block prices set the spread between them.
    shift = v["smelting.power_price_cny_kwh"] - national_power_default()
    power = [v["smelting.hydro_power_price_cny_kwh"] + shift, v["smelting.grid_power_price_cny_kwh"] + shift,
             v["smelting.captive_power_price_cny_kwh"] + shift, v["smelting.grid_power_price_cny_kwh"] + shift]
    return names, caps, power


@functools.lru_cache(maxsize=1)
def national_power_default() -> float:
    """The national average power price's default (CNY/kWh), from which a set value shifts the blocks."""
    return float(derive_power_price_cny_kwh())


def marginal_cost(costs: np.ndarray, caps: np.ndarray, quantity, spread_pct) -> tuple[np.ndarray, np.ndarray]:
    """Cost of the marginal tonne on a cost curve, per run (vectorised over rows).

    ``costs`` and ``caps`` are (runs × blocks); blocks are stacked cheapest first, and inside a
    block plant costs run from cost × (1 − spread) to cost × (1 + spread). Returns the
    marginal cost (CNY/t) and the index of the marginal block. A quantity beyond the curve
    takes the dearest plant.
    """
    order = np.argsort(costs, axis=1, kind="stable")
    c = np.take_along_axis(costs, order, axis=1)
    k = np.take_along_axis(caps, order, axis=1)
    cost, idx = marginal_cost_sorted(c, k, quantity, spread_pct)
    return cost, order[np.arange(c.shape[0]), idx]


def marginal_cost_sorted(c: np.ndarray, k: np.ndarray, quantity, spread_pct) -> tuple[np.ndarray, np.ndarray]:
    """:func:`marginal_cost` on blocks already sorted cheapest first; returns the sorted index."""
    end = np.cumsum(k, axis=1)
    q = np.asarray(quantity, dtype=float).reshape(-1)
    idx = np.minimum((end < q[:, None]).sum(axis=1), c.shape[1] - 1)
    rows = np.arange(c.shape[0])
    size = k[rows, idx]
    within = np.clip((q - (end[rows, idx] - size)) / np.maximum(size, 1e-9), 0, 1)
    s = np.asarray(spread_pct, dtype=float).reshape(-1) / 100
    return c[rows, idx] * (1 - s + 2 * s * within), idx


def smelting_cost(v, o) -> dict:
    """Average cash cost and China's cost curve at the alumina price from upstream (or its pin)."""
    alumina = pinned(v, "smelting.alumina_price_cny_t", o["alumina.modelled_price_cny_t"])
    # The smelting parameters, with the alumina price from upstream and the power price per block.
    inputs = {name: v[f"smelting.{name}"] for name in COST_INPUTS if name != "power_price_cny_kwh"}
    inputs["alumina_price_cny_t"] = alumina
    average = cash_cost(power_price_cny_kwh=v["smelting.power_price_cny_kwh"], **inputs)
    _, caps, power = china_blocks(v)
    costs = [cash_cost(power_price_cny_kwh=np.maximum(p, 0), **inputs) for p in power]
    return {"smelting.alumina_price_in_cost_cny_t": alumina, "smelting.modelled_cash_cost_cny_t": average,
            "_block_costs": costs, "_block_caps": caps}


def curtailed_share(costs, price, spread_pct, response_pct):
    """Share of each block's output lost to curtailment at a price (runs × blocks).

    Inside a block plant costs run from cost × (1 − spread) to cost × (1 + spread); the plants above
    the price are under water, and ``response`` % of them stop within the year."""
    s = np.maximum(np.asarray(spread_pct, dtype=float).reshape(-1, 1) / 100, 1e-9)
    p = np.asarray(price, dtype=float).reshape(-1, 1)
    under = np.clip((costs * (1 + s) - p) / (2 * s * costs), 0, 1)
    return under * np.asarray(response_pct, dtype=float).reshape(-1, 1) / 100



LINKS = (
    Link("smelter output", "smelting", (), smelter_output, ("smelting.potential_output_2026_kt", "smelting.drought_cut_kt")),
    Link("smelting cost", "smelting", ("alumina market",), smelting_cost,
         ("smelting.alumina_price_in_cost_cny_t", "smelting.modelled_cash_cost_cny_t")),
)

OUTPUTS = (
    Output("smelting.potential_output_2026_kt", "kt", "Output the cap and utilisation allow, 2026, less drought losses"),
    Output("smelting.drought_cut_kt", "kt", "Output lost to a south-west drought, 2026"),
    Output("smelting.output_2026_kt", "kt", "China's primary output, 2026 (after loss-making plants curtail)"),
    Output("smelting.curtailed_kt", "kt", "Output curtailed because plants are under water at the price, 2026"),
    Output("smelting.modelled_cash_cost_cny_t", "CNY/t", "Average smelting cash cost at the modelled alumina price"),
)


# --------------------------------------------------------------------------------------
# Claims
# --------------------------------------------------------------------------------------


def _china_projects() -> pd.DataFrame:
    df = catalogue.load("smelting-smelter-projects-china")
    return df[df["project"] != "Total"]


@CLAIMS.register("smelting.china_projects_gross_capacity")
def _claim_china_gross() -> float:
    return float(_china_projects()["capacity_kt"].sum())


@CLAIMS.register("smelting.china_projects_net_addition")
def _claim_china_net() -> float:
    return float(_china_projects()["net_addition_kt"].sum())


@CLAIMS.register("smelting.china_net_addition_2025e")
def _claim_net_2025() -> float:
    df = _china_projects()
    return float(df.loc[df["completion_expected"] == 2025, "net_addition_kt"].sum())


@CLAIMS.register("smelting.china_net_addition_2026_onward")
def _claim_net_2026() -> float:
    phasing = china_phasing()
    later = set(phasing.loc[(phasing["period"] == "2026+") & (phasing["capacity_start_kt"] > 0), "project"])
    df = _china_projects()
    return float(df.loc[df["project"].isin(later), "net_addition_kt"].sum())


@CLAIMS.register("smelting.china_net_share_2025_onward")
def _claim_net_share() -> float:
    return (_claim_net_2025() + _claim_net_2026()) / _claim_china_net() * 100


@CLAIMS.register("smelting.overseas_new_capacity_total")
def _claim_overseas_total() -> float:
    return float(overseas_by_country()["capacity_new_kt"].sum())


@CLAIMS.register("smelting.overseas_pending_capacity")
def _claim_overseas_pending() -> float:
    return float(overseas_by_country()["pending_kt"].sum())


@CLAIMS.register("smelting.southwest_explains_national_change")
def _claim_southwest_r2() -> float:
    return southwest_r2(catalogue.load("smelting-running-capacity-change-by-province")) * 100


@CLAIMS.register("smelting.southwest_built_capacity_share_2024_09")
def _claim_southwest_built_share() -> float:
    sw = catalogue.load("smelting-southwest-running-capacity-2024-09")
    built = (sw["running_capacity_kt"] / (sw["utilisation_pct"] / 100)).sum()
    return float(built / fact("smelting.china_built_capacity_2024_10_kt").value * 100)


@CLAIMS.register("smelting.utilisation_dec2023_pct")
def _claim_util_2023() -> float:
    return utilisation_pct(fact("smelting.china_running_capacity_dec2023_mt").value,
                           fact("smelting.china_built_capacity_dec2023_mt").value)


def _latest_built_capacity_mt() -> float:
    # The reports' latest built-capacity figure (Oct 2024); none is given for end-2025.
    return fact("smelting.china_built_capacity_2024_10_kt").value / 1000


@CLAIMS.register("smelting.headroom_below_cap_end2025_mt")
def _claim_headroom() -> float:
    # Room under the cap is counted against built capacity: idle lines count against the cap too.
    return fact("smelting.capacity_cap_mt").value - _latest_built_capacity_mt()


@CLAIMS.register("smelting.utilisation_end2025_vs_cap_pct")
def _claim_util_2025() -> float:
    return utilisation_pct(fact("smelting.china_running_capacity_end2025_mt").value, _latest_built_capacity_mt())


@CLAIMS.register("smelting.overseas_restarts_2021_2022_kt")
def _claim_restarts() -> float:
    df = catalogue.load("smelting-overseas-restarts-2021-2022")
    return float(df.loc[df["smelter"] != "Total", "restarted_capacity_kt"].sum())


def average_load_gw(capacity_kt: float, kwh_per_t: float) -> float:
    """Average electrical load (GW) of a smelter making ``capacity_kt`` a year at ``kwh_per_t``,
    running all 8,760 hours. Installed generation must exceed it by a reserve margin."""
    if capacity_kt < 0 or kwh_per_t <= 0:
        raise ValueError(f"average_load_gw: need capacity ≥ 0 and kWh/t > 0, got {capacity_kt}, {kwh_per_t}")
    return capacity_kt * 1e3 * kwh_per_t / 8760 / 1e6


@CLAIMS.register("smelting.indonesia_power_for_600kt_gw")
def _claim_indonesia_power() -> float:
    """Average load of a 600 kt/yr smelter (GW): 600,000 t × the top of guohai2024's unit
    consumption ÷ 8,760 h. The claim's 1.2 GW is installed generation, which must cover it."""
    return average_load_gw(600, fact("smelting.power_per_aluminium_kwh_per_t").high)


# -- key points: what the chapter concludes, chosen by its numbers ---------------------------------
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

