"""The pricing stage of the chain: the market's Shanghai price, its calibration on history, and the
reports' ranges, rules and fit rates beside it.

One module a job:

- ``clearing``: China's market cleared at the Shanghai price (the chain's market link's model);
- ``history``: the price model calibrated, fitted and backtested on history, and its price range;
- ``reports``: the reports' price and cost ranges, trading rules and fit rates (and their claims);
- ``parameters``: ``PARAMETERS``; ``links``: ``LINKS`` and ``OUTPUTS``; ``summary``: ``key_points``.

This package re-exports their public names, so the chapter, the chain and the audit read one stage
(``pricing.calibration()``, ``pricing.PARAMETERS``, ``pricing.CLAIMS`` …). The trading-rule engine
is general and lives in :mod:`aluminium.stages.backtest`; the World Bank price workbook loader in
:mod:`aluminium.data.worldbank`.
"""
from __future__ import annotations

from aluminium.claims import ClaimRegistry
from aluminium.stages.pricing import reports
from aluminium.stages.pricing.clearing import MARKET_BISECTIONS, balance_weight, market, price_in_band
from aluminium.stages.pricing.history import (
    CALIBRATED_ORIGIN,
    CALIBRATION_COAL_REFERENCE_YEAR,
    CALIBRATION_COST_FACT,
    CALIBRATION_POWER_SHARE_FACT,
    SCALE_BOUNDS_PCT,
    STRUCTURAL_SCALE_PCT,
    STRUCTURAL_SCALE_RANGE_PCT,
    SWING_FIRST_YEAR,
    WEIGHT_CLIP,
    backtest_price_model,
    calibration,
    calibration_table,
    cost_proxy_cny_t,
    fit_balance_response,
    floor_to_average,
    history_swings,
    modelled_price_cny_t,
    naive_benchmarks,
    shanghai_equivalent_monthly,
    swing_band_pct,
)
from aluminium.stages.pricing.links import LINKS, OUTPUTS
from aluminium.stages.pricing.parameters import PARAMETERS
from aluminium.stages.pricing.reports import (
    RANGE_FACTS,
    RATIO_CASES,
    RULES,
    bauxite_cif_split,
    fit_summary,
    margin_band_cny_t,
    matching_years,
    monthly_series_in_package,
    ordered_cut_kt,
    ranges_from_facts,
    ratio_contract_cases,
    rules_and_data,
)
from aluminium.stages.pricing.summary import key_points

CLAIMS = ClaimRegistry.joined(reports.CLAIMS)
"""The stage's claim recomputations, read by the audit."""

__all__ = [
    "CLAIMS", "balance_weight", "price_in_band", "MARKET_BISECTIONS", "market", "CALIBRATION_COST_FACT",
    "CALIBRATION_POWER_SHARE_FACT", "CALIBRATION_COAL_REFERENCE_YEAR", "STRUCTURAL_SCALE_PCT",
    "STRUCTURAL_SCALE_RANGE_PCT", "SCALE_BOUNDS_PCT", "WEIGHT_CLIP", "cost_proxy_cny_t", "floor_to_average",
    "calibration_table", "fit_balance_response", "modelled_price_cny_t", "backtest_price_model", "naive_benchmarks",
    "SWING_FIRST_YEAR", "history_swings", "swing_band_pct", "calibration", "CALIBRATED_ORIGIN",
    "shanghai_equivalent_monthly", "RANGE_FACTS", "ranges_from_facts", "margin_band_cny_t", "fit_summary",
    "matching_years", "RULES", "monthly_series_in_package", "rules_and_data", "RATIO_CASES", "ratio_contract_cases",
    "bauxite_cif_split", "ordered_cut_kt", "PARAMETERS", "LINKS", "OUTPUTS", "key_points",
]
