"""The refinery's cash cost (bauxite at the bauxite chapter's CIF, energy, caustic soda, lime and
other), the cost items implied by the reports' shares, the ratio contract against the cost, and the
reports' spot prices. Units: CNY/t of alumina unless a name says USD/t.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from aluminium.calc import number
from aluminium.data.facts import fact
from aluminium.parameter import find
from aluminium.stages import bauxite, macro


def bauxite_cost_cny_t(bauxite_per_alumina_t_per_t: float, bauxite_cif_usd_t: float, usd_cny: float) -> float:
    """Bauxite cost per tonne of alumina (CNY/t) = t bauxite per t alumina × CIF (USD/t) × CNY per USD."""
    r, p, fx = (number(bauxite_per_alumina_t_per_t, "ratio"), number(bauxite_cif_usd_t, "CIF"),
                number(usd_cny, "USD/CNY"))
    if r <= 0 or p < 0 or fx <= 0:
        raise ValueError("bauxite_cost_cny_t: need a positive ratio and exchange rate, CIF >= 0")
    return r * p * fx


def implied_cost_items(bauxite_cost: float, bauxite_share_pct: float, energy_share_pct: float) -> dict:
    """Cost items implied by the bauxite cost (CNY/t) and the reports' cost shares (%):
    total = bauxite / bauxite share; energy = total × energy share; the rest (caustic soda,
    lime and everything else, which the reports do not split) = total − bauxite − energy.

    A calibration, not a model: at these inputs the cost items add back to the total and the
    shares equal the shares put in, by construction. Only a change of the bauxite price away
    from the calibration point tells anything (see ``cif_for_bauxite_share``)."""
    b, sb, se = (number(bauxite_cost, "bauxite cost"), number(bauxite_share_pct, "bauxite share"),
                 number(energy_share_pct, "energy share"))
    if b < 0 or not 0 < sb <= 100 or not 0 <= se <= 100 or sb + se > 100:
        raise ValueError("implied_cost_items: need bauxite cost >= 0, 0 < bauxite share, shares summing to <= 100 %")
    total = b / sb * 100
    energy = total * se / 100
    return {"total_cny_t": total, "energy_cny_t": energy, "caustic_soda_lime_other_cny_t": total - b - energy}


def cash_cost_items(bauxite_per_alumina_t_per_t: float, bauxite_cif_usd_t: float, usd_cny: float,
                    energy_cny_t: float, caustic_soda_lime_other_cny_t: float) -> pd.DataFrame:
    """Cash cost of a tonne of alumina by item (CNY/t) and each item's share of the total (%):
    bauxite (consumption × delivered price × exchange rate) + energy + caustic soda, lime and other."""
    e, o = number(energy_cny_t, "energy cost"), number(caustic_soda_lime_other_cny_t, "other cost")
    if e < 0 or o < 0:
        raise ValueError("cash_cost_items: costs must not be negative")
    b = bauxite_cost_cny_t(bauxite_per_alumina_t_per_t, bauxite_cif_usd_t, usd_cny)
    df = pd.DataFrame({"item": ["Bauxite", "Energy", "Caustic soda, lime and other"], "cost_cny_t": [b, e, o]})
    total = df["cost_cny_t"].sum()
    df["share_pct"] = df["cost_cny_t"] / total * 100 if total else float("nan")
    return df


def cash_cost_cny_t(**kwargs) -> float:
    """Total cash cost (CNY/t of alumina); same arguments as ``cash_cost_items``."""
    return float(cash_cost_items(**kwargs)["cost_cny_t"].sum())


def cost_vs_cif(cif_values: Iterable[float], **fixed) -> pd.DataFrame:
    """Cash cost (CNY/t) and bauxite's share of it (%) as the delivered bauxite price varies,
    energy and other costs held fixed in CNY/t."""
    rows = []
    for cif in cif_values:
        items = cash_cost_items(**{**fixed, "bauxite_cif_usd_t": cif})
        rows.append({"bauxite_cif_usd_t": float(cif), "cash_cost_cny_t": float(items["cost_cny_t"].sum()),
                     "bauxite_share_pct": float(items.loc[items["item"] == "Bauxite", "share_pct"].iloc[0])})
    return pd.DataFrame(rows)


def cif_for_bauxite_share(share_pct: float, other_costs_cny_t: float, bauxite_per_alumina_t_per_t: float,
                          usd_cny: float) -> float:
    """Delivered bauxite price (USD/t) at which bauxite makes up ``share_pct`` of the cash
    cost, the other costs fixed at ``other_costs_cny_t``: bauxite cost B = s / (1 − s) × other,
    CIF = B / (t bauxite per t alumina × CNY per USD)."""
    s_, o = number(share_pct, "share"), number(other_costs_cny_t, "other costs")
    if not 0 <= s_ < 100 or o < 0:
        raise ValueError("cif_for_bauxite_share: need 0 <= share < 100 % and other costs >= 0")
    b = s_ / (100 - s_) * o
    return b / (number(bauxite_per_alumina_t_per_t, "ratio") * number(usd_cny, "USD/CNY"))


def usd_to_cny(usd_t: float, usd_cny: float) -> float:
    """USD/t → CNY/t at a rate of ``usd_cny`` CNY per USD."""
    v, fx = number(usd_t, "USD value"), number(usd_cny, "USD/CNY")
    if fx <= 0:
        raise ValueError("usd_to_cny: the exchange rate must be positive")
    return v * fx


def contract_price_cny_t(aluminium_price_cny_t: float, ratio_pct: float) -> float:
    """Long-term contract alumina price under ratio pricing: aluminium price × ratio / 100 (CNY/t)."""
    p, r = number(aluminium_price_cny_t, "aluminium price"), number(ratio_pct, "ratio")
    if p < 0 or not 0 <= r <= 100:
        raise ValueError("contract_price_cny_t: need a price >= 0 and a ratio within 0–100 %")
    return p * r / 100


def contract_vs_cost(aluminium_prices_cny_t: Iterable[float], ratio_low_pct: float, ratio_high_pct: float,
                     cash_cost: float) -> pd.DataFrame:
    """For each aluminium price: contract price at the low and high ratio (CNY/t) and the
    margin of the mid-ratio price over the cash cost (CNY/t)."""
    rows = []
    for p in aluminium_prices_cny_t:
        lo, hi = contract_price_cny_t(p, ratio_low_pct), contract_price_cny_t(p, ratio_high_pct)
        rows.append({"aluminium_price_cny_t": float(p), "contract_low_cny_t": lo, "contract_high_cny_t": hi,
                     "cash_cost_cny_t": float(cash_cost), "margin_mid_cny_t": (lo + hi) / 2 - cash_cost})
    return pd.DataFrame(rows)


def breakeven_aluminium_price_cny_t(cash_cost: float, ratio_pct: float) -> float:
    """Aluminium price at which the ratio-priced contract just covers the cash cost (CNY/t)."""
    c, r = number(cash_cost, "cash cost"), number(ratio_pct, "ratio")
    if r <= 0:
        raise ValueError("breakeven_aluminium_price_cny_t: ratio must be positive")
    return c / r * 100


def default_bauxite_cif_usd_t() -> float:
    """Delivered bauxite price (USD/t) from the bauxite chapter's CIF model at its defaults."""
    d = {p.short: p.default() for p in bauxite.PARAMETERS}
    return bauxite.cif_usd_t(d["fob_usd_t"], d["freight_usd_t"], d["other_delivery_cost_usd_t"])


def _default_items() -> dict:
    b = bauxite_cost_cny_t(fact("alumina.bauxite_per_alumina_t_per_t").central, default_bauxite_cif_usd_t(),
                           find(macro.PARAMETERS, "macro.usd_cny").default())
    return implied_cost_items(b, fact("alumina.cost_share_bauxite_pct").central,
                              fact("alumina.cost_share_energy_pct").central)


def default_energy_cny_t() -> float:
    """Energy cost (CNY/t) implied by the default bauxite cost and the midpoint cost shares
    (bauxite 43.5 %, energy 21 %): bauxite cost / 0.435 × 0.21."""
    return _default_items()["energy_cny_t"]


def default_other_cny_t() -> float:
    """Caustic soda, lime and other (CNY/t): the implied total less bauxite and energy."""
    return _default_items()["caustic_soda_lime_other_cny_t"]


def price_observations() -> pd.DataFrame:
    """Spot alumina and aluminium prices the Zijin report quotes for the start of 2025 and
    the end of Q1 2025 (CNY/t), with the implied alumina/aluminium ratio (%)."""
    rows = []
    for label, al_id, ala_id in (("Start of 2025", "pricing.al_price_start_2025_cny_t",
                                  "pricing.alumina_price_start_2025_cny_t"),
                                 ("End of Q1 2025", "pricing.al_price_end_q1_2025_cny_t",
                                  "pricing.alumina_price_end_q1_2025_cny_t")):
        a, b = fact(al_id).value, fact(ala_id).value
        rows.append({"when": label, "aluminium_price_cny_t": a, "alumina_spot_cny_t": b,
                     "ratio_pct": b / a * 100})
    return pd.DataFrame(rows)
