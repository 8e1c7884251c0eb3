"""The alumina stage in the chain: the alumina market at the smelters' output and the aluminium
price (``LINKS``), and the figures it passes on (``OUTPUTS``).
"""
from __future__ import annotations

import numpy as np

from aluminium.links import Link, Output, pinned


def alumina_market(v, o) -> dict:
    """Alumina need at the smelters' output, the market surplus, cash cost and price.

    Cash cost of the marginal refinery (one running on imported ore at the marginal CIF: with about
    three quarters of the ore imported, domestic-ore refineries run first) = bauxite per alumina ×
    CIF × CNY/USD + energy + caustic soda, lime and other.
    The price sits between the cash cost (a large surplus "breaks through" to cost, zijin2025)
    and the ratio-contract level (contract ratio × the chain's aluminium price): the weight on the
    contract level is 1 / (1 + exp(surplus / scale)), a half at a balanced market.
    """
    cif = pinned(v, "alumina.bauxite_cif_usd_t", o["bauxite.modelled_cif_usd_t"])
    # The smelters' output and the aluminium price are the market's (from the previous pass of the
    # chain, :func:`evaluate`); on the first pass, the potential output and the declared price.
    output = o.get("smelting.output_2026_kt", o["smelting.potential_output_2026_kt"])
    aluminium = pinned(v, "smelting.aluminium_price_cny_t",
                        o.get("pricing.modelled_price_cny_t", FIRST_PASS_ALUMINIUM_CNY_T))
    need = output * v["smelting.alumina_t_per_t"]
    # Refineries short of ore make less; the smelters' need is taken at the output the cap allows
    # when alumina is short (dear alumina would curtail some smelters and ease it; left out, so that
    # the short market is priced against the need it has to meet).
    produced = v["alumina.output_kt"] - o["alumina.ore_shortfall_cut_kt"]
    at_cap = o["smelting.potential_output_2026_kt"] * v["smelting.alumina_t_per_t"]
    need = np.where(o["alumina.ore_shortfall_cut_kt"] > 0, at_cap, need)
    surplus = produced - v["alumina.net_exports_kt"] - need
    cost = (v["alumina.bauxite_per_alumina_t_per_t"] * cif * v["macro.usd_cny"]
            + v["alumina.energy_cost_cny_t"] + v["alumina.caustic_soda_lime_other_cny_t"])
    contract = v["alumina.contract_ratio_pct"] / 100 * aluminium
    weight = 1 / (1 + np.exp(np.clip(surplus / v["alumina.surplus_scale_kt"], -50, 50)))
    price = cost + np.maximum(contract - cost, 0) * weight
    # A market short of alumina leaves the band: the price rises above the contract level with the
    # share of the smelters' need it cannot meet.
    short_pct = np.maximum(-surplus, 0) / np.maximum(need, 1e-9) * 100
    price = price + contract * v["alumina.deficit_markup_pct_per_pct"] / 100 * short_pct
    return {"alumina.output_after_ore_kt": produced + 0 * price,
            "alumina.need_kt": need, "alumina.market_surplus_kt": surplus, "alumina.modelled_cash_cost_cny_t": cost,
            "alumina.contract_level_cny_t": contract, "alumina.modelled_price_cny_t": price,
            "alumina.aluminium_price_in_contract_cny_t": aluminium + 0 * price}


# The first pass of the chain needs an aluminium price before the market has set one: a round
# level inside the 2025 Shanghai range (zijin2025: 20,000–21,100); the second pass replaces it
# with the market's price, so it only sets where the iteration starts.
FIRST_PASS_ALUMINIUM_CNY_T = 20000.0


LINKS = (
    Link("alumina market", "alumina", ("smelter output", "bauxite stack"), alumina_market,
         ("alumina.output_after_ore_kt", "alumina.need_kt", "alumina.market_surplus_kt", "alumina.modelled_cash_cost_cny_t",
          "alumina.contract_level_cny_t", "alumina.modelled_price_cny_t", "alumina.aluminium_price_in_contract_cny_t"),
         feedback=("market",)),
)


OUTPUTS = (
    Output("alumina.ore_shortfall_cut_kt", "kt", "Alumina output lost for want of ore, 2026"),
    Output("alumina.output_after_ore_kt", "kt", "China's alumina output after any ore shortfall, 2026"),
    Output("alumina.need_kt", "kt", "Alumina the smelters need at their 2026 output"),
    Output("alumina.market_surplus_kt", "kt", "Alumina market surplus, 2026 (output − net exports − need)"),
    Output("alumina.modelled_cash_cost_cny_t", "CNY/t", "Alumina cash cost at the modelled bauxite CIF"),
    Output("alumina.modelled_price_cny_t", "CNY/t", "Modelled alumina price, 2026"),
    Output("alumina.aluminium_price_in_contract_cny_t", "CNY/t", "Aluminium price the ratio contract is set on (the chain's)"),
)
