"""The cash cost per tonne of aluminium: the cost stack (inputs × consumptions), its calibration to
jianghai2024's January 2024 total and shares, depreciation and full cost, the dated price decks and
the ranges of the tornado chart.

Units: CNY/t of aluminium (input prices in CNY/t of the input, power in kWh/t and CNY/kWh).
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from aluminium.calc import nonnegative as _nonnegative
from aluminium.data.facts import fact

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


def usc_kwh_to_cny_kwh(us_cents_per_kwh, cny_per_usd):
    """US cents/kWh → CNY/kWh: × cny_per_usd ÷ 100. Vectorised; the rate must be positive."""
    if np.any(np.asarray(cny_per_usd, dtype=float) <= 0):
        raise ValueError(f"usc_kwh_to_cny_kwh: exchange rate must be positive, got {cny_per_usd!r}")
    _nonnegative("power price", us_cents_per_kwh)
    return us_cents_per_kwh * cny_per_usd / 100


@functools.lru_cache(maxsize=1)
def national_power_default() -> float:
    """The national average power price's default (CNY/kWh), from which a set value shifts the blocks."""
    return float(derive_power_price_cny_kwh())
