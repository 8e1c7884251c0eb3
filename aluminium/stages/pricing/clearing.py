"""China's market in the outlook year, cleared at the Shanghai price: the price sits between a cost
floor and the import ceiling at a weight of the balance's tightness (``balance_weight``,
``price_in_band``), and ``market`` (the chain's link) solves price = band(price) by bisection while
output curtails, imports follow the window and semis exports answer the price.

Units: kt, CNY/t, USD/t; tightness in % of demand.
"""
from __future__ import annotations

import numpy as np

from aluminium.stages import macro, smelting


def balance_weight(tightness_pct, midpoint_pct, scale_pct):
    """Where the price sits between the cost floor (0) and import parity (1): a logistic in the
    balance's tightness (deficit as % of demand; a surplus is negative), ``1 / (1 + exp(−(t − mid) / scale))``."""
    z = (np.asarray(tightness_pct, dtype=float) - midpoint_pct) / np.maximum(scale_pct, 1e-9)
    return 1 / (1 + np.exp(-np.clip(z, -50, 50)))


def price_in_band(floor_cny_t, ceiling_cny_t, weight):
    """The Shanghai price: the cost floor, raised toward the import ceiling by the balance weight (0–1).

    The ceiling is import parity plus the most the window opens before imports flood in; where the
    floor is above it (China's cost above world parity), the ceiling wins and the dear plants curtail."""
    low = np.minimum(floor_cny_t, ceiling_cny_t)
    return low + (ceiling_cny_t - low) * weight


# The market's price solves price = band(price). The excess price − band(price) is below zero at a
# price of 0 (the band never falls below the lower of floor and ceiling) and at least zero at the
# import ceiling (the band never rises above it), so bisection on [0, ceiling] always closes on a
# point where it turns, even where a steep balance response made the damped iteration this replaces
# cycle (it did, for about one draw in thirty inside the sweep's ranges). A higher price curtails
# fewer plants and opens the window to imports, so the balance loosens and the band falls: the
# excess rises with the price except where the cost floor climbs with the output, and where the
# floor jumps from one block to the next the price settles at the jump (the marginal block sets
# it). 44 halvings leave an interval of a few billionths of a CNY/t at any ceiling the declared
# ranges allow; the count is fixed, so one run and a sweep's row agree to the last digit.
MARKET_BISECTIONS = 44


def market(v, o) -> dict:
    """China's market in the outlook year: output, trade, balance, the Shanghai price and the window.

    One price view. The LME price in force and the dated exchange rate give import parity,
    ``(LME + premium) × CNY/USD × (1 + duty) × (1 + VAT) + fees``. The Shanghai price sits between
    a cost floor (the plant at ``pricing.floor_percentile_pct`` of China's cash-cost curve at the
    output the market runs) and an import ceiling (parity + ``macro.window_open_max_cny_t``):
    ``floor + (ceiling − floor) × w`` (:func:`price_in_band`), with ``w`` a
    logistic in the balance's tightness (:func:`balance_weight`). A surplus pulls it down to the
    floor, a deficit up toward parity, in both directions. The balance answers back:

    - smelters whose cash cost is above the price curtail (``smelting.curtailment_response_pct`` of
      the plants under water), the south-west having already lost its drought tonnes;
    - net primary imports follow the window (Shanghai − parity) around the window of a basis of
      one (Shanghai = LME × CNY/USD × 1.13, as on average in 2024), never below the contracted floor;
    - net exports of semis and products rise as Shanghai falls further below parity.

    Solved by bisection on whole arrays (see ``MARKET_BISECTIONS``). The Shanghai/LME basis, Shanghai ÷ (LME × CNY/USD
    × (1 + VAT)), is reported: it ties the two prices of the one view.
    """
    demand_kt, potential = o["demand.demand_2026_kt"], o["smelting.potential_output_2026_kt"]
    lme, fx, vat = v["macro.lme_price_usd_t"], v["macro.usd_cny"], v["macro.vat_pct"]
    duty, premium, fees = v["macro.import_duty_pct"], v["macro.import_premium_usd_t"], v["macro.import_fees_cny_t"]
    parity = macro.import_parity_cny_t(lme, fx, vat, duty, premium, fees)
    spread, response = v["smelting.block_cost_spread_pct"], v["smelting.curtailment_response_pct"]
    ref, resp, floor_kt = v["demand.net_imports_kt"], v["macro.import_response_kt_per_kcny_t"], v["macro.net_imports_floor_kt"]
    x_resp = v["demand.semis_export_response_kt_per_kcny_t"]
    mid, scale = v["pricing.balance_midpoint_pct"], v["pricing.balance_scale_pct"]
    open_max, percentile = v["macro.window_open_max_cny_t"], v["pricing.floor_percentile_pct"]
    band_low, band_high = v["pricing.price_band_low_pct"], v["pricing.price_band_high_pct"]
    pin = v.get("macro.shanghai_price_cny_t")
    # Any input may be an array of runs (a sweep): the market runs as many as the longest.
    n = max(np.size(x) for x in [potential, demand_kt, parity, *o["_block_costs"], *o["_block_caps"], lme, fx, vat,
                                 duty, premium, fees, spread, response, ref, resp, floor_kt, x_resp, mid, scale,
                                 open_max, percentile, band_low, band_high, pin])
    costs = np.column_stack([np.broadcast_to(np.asarray(c, dtype=float), (n,)) for c in o["_block_costs"]])
    caps = np.column_stack([np.broadcast_to(np.asarray(c, dtype=float), (n,)) for c in o["_block_caps"]])
    # The blocks at the output the cap and utilisation allow; the drought's tonnes come out of the
    # south-west hydro block (the first).
    caps = caps * (np.broadcast_to(potential + o["smelting.drought_cut_kt"], (n,))
                   / np.maximum(caps.sum(axis=1), 1e-9))[:, None]
    caps[:, 0] = np.maximum(caps[:, 0] - np.broadcast_to(o["smelting.drought_cut_kt"], (n,)), 0)
    # The window at a basis of one: what 2024's net imports came with.
    window_ref = lme * fx * (1 + vat / 100) - parity
    ceiling = parity + open_max
    pctl = np.asarray(percentile, dtype=float) / 100
    # Sorted once (the block costs do not change inside the market), cheapest first.
    order = np.argsort(costs, axis=1, kind="stable")
    costs, caps = np.take_along_axis(costs, order, axis=1), np.take_along_axis(caps, order, axis=1)

    def band(price):
        """The market at a price: the plants that run, trade, the balance, and the band's price."""
        running = caps * (1 - smelting.curtailed_share(costs, price, spread, response))
        output = running.sum(axis=1)
        floor, block = smelting.marginal_cost_sorted(costs, running, pctl * output, spread)
        shanghai = price if pin is None else np.broadcast_to(np.asarray(pin, dtype=float), (n,))
        window = shanghai - parity
        net_imports = np.maximum(ref + resp * (window - window_ref) / 1000, floor_kt)
        semis = -x_resp * (window - window_ref) / 1000
        balance = output + net_imports - semis - demand_kt
        tightness = -balance / demand_kt * 100
        weight = balance_weight(tightness, mid, scale)
        return price_in_band(floor, ceiling, weight), (output, floor, block, net_imports, semis, balance,
                                                       tightness, weight)

    low = np.zeros(n)
    high = np.broadcast_to(np.asarray(ceiling, dtype=float), (n,)).copy()
    for _ in range(MARKET_BISECTIONS):
        middle = 0.5 * (low + high)
        above = middle >= band(middle)[0]  # the price is at or above its fixed point
        high = np.where(above, middle, high)
        low = np.where(above, low, middle)
    price = high
    _, (output, floor, block, net_imports, semis, balance, tightness, weight) = band(price)
    block = order[np.arange(n), block]
    shanghai = price if pin is None else np.broadcast_to(np.asarray(pin, dtype=float), (n,))
    window = shanghai - parity
    basis = shanghai / (lme * fx * (1 + vat / 100))
    return {"smelting.output_2026_kt": output, "smelting.curtailed_kt": np.broadcast_to(potential, (n,)) - output,
            "demand.net_imports_2026_kt": net_imports, "demand.semis_exports_change_kt": semis,
            "demand.balance_2026_kt": balance, "pricing.tightness_pct": tightness, "pricing.balance_weight": weight,
            "pricing.cost_floor_cny_t": floor, "pricing.marginal_block": block,
            "pricing.modelled_price_cny_t": price,
            "pricing.modelled_price_low_cny_t": price * (1 + band_low / 100),
            "pricing.modelled_price_high_cny_t": price * (1 + band_high / 100),
            "pricing.modelled_margin_cny_t": price - o["smelting.modelled_cash_cost_cny_t"],
            "pricing.shanghai_lme_basis": basis,
            "macro.import_parity_cny_t": parity, "macro.import_window_cny_t": window}
