"""The pricing stage in the chain: the market link (``LINKS``) and the figures it passes on (``OUTPUTS``).
"""
from __future__ import annotations

from aluminium.links import Link, Output
from aluminium.stages.pricing.clearing import market

LINKS = (
    Link("market", "pricing", ("smelter output", "smelting cost", "china demand"), market,
         ("smelting.output_2026_kt", "smelting.curtailed_kt", "demand.net_imports_2026_kt", "demand.semis_exports_change_kt",
          "demand.balance_2026_kt", "pricing.tightness_pct", "pricing.balance_weight", "pricing.cost_floor_cny_t",
          "pricing.marginal_block", "pricing.modelled_price_cny_t", "pricing.modelled_price_low_cny_t",
          "pricing.modelled_price_high_cny_t", "pricing.modelled_margin_cny_t", "pricing.shanghai_lme_basis",
          "macro.import_parity_cny_t", "macro.import_window_cny_t")),
)


OUTPUTS = (
    Output("pricing.tightness_pct", "% of demand", "Tightness of China's balance, 2026 (deficit as % of demand)"),
    Output("pricing.balance_weight", "fraction", "Where the price sits between cost floor (0) and import parity (1)"),
    Output("pricing.cost_floor_cny_t", "CNY/t", "Cost floor: the percentile plant of China's cash-cost curve"),
    Output("pricing.modelled_price_cny_t", "CNY/t", "The book's modelled Shanghai aluminium price, 2026"),
    Output("pricing.modelled_price_low_cny_t", "CNY/t", "Modelled price, low end (backtest errors)"),
    Output("pricing.modelled_price_high_cny_t", "CNY/t", "Modelled price, high end (backtest errors)"),
    Output("pricing.modelled_margin_cny_t", "CNY/t", "Smelting margin at the modelled price"),
    Output("pricing.shanghai_lme_basis", "ratio", "Shanghai ÷ (LME × CNY/USD × 1.13): the basis tying the two prices"),
)
