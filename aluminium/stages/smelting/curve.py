"""China's cost curve: running capacity split into blocks by power source, each block's cash cost,
the marginal tonne's cost, and the share of a block under water at a price (curtailment). Vectorised
so that the chain and a sweep share it with the chapter.

Units: capacity in kt/yr, costs in CNY/t, power prices in CNY/kWh, spreads in %.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from aluminium.calc import nonnegative as _nonnegative
from aluminium.calc import require_columns
from aluminium.stages.smelting.capacity import southwest_kt
from aluminium.stages.smelting.costs import cash_cost, national_power_default


def cost_curve(blocks: pd.DataFrame, cost_column: str = "cash_cost_cny_t",
               capacity_column: str = "capacity_kt") -> pd.DataFrame:
    """Capacity blocks sorted by cost, with cumulative capacity (kt/yr): the step chart's data.

    Adds ``cumulative_start_kt`` and ``cumulative_end_kt``. Raises ValueError for missing
    columns, negative capacity or a missing cost.
    """
    require_columns(blocks, {cost_column, capacity_column}, "cost_curve")
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


def curtailed_share(costs, price, spread_pct, response_pct):
    """Share of each block's output lost to curtailment at a price (runs × blocks).

    Inside a block plant costs run from cost × (1 − spread) to cost × (1 + spread); the plants above
    the price are under water, and ``response`` % of them stop within the year."""
    s = np.maximum(np.asarray(spread_pct, dtype=float).reshape(-1, 1) / 100, 1e-9)
    p = np.asarray(price, dtype=float).reshape(-1, 1)
    under = np.clip((costs * (1 + s) - p) / (2 * s * costs), 0, 1)
    return under * np.asarray(response_pct, dtype=float).reshape(-1, 1) / 100
