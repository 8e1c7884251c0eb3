"""The pricing stage's parameters (``PARAMETERS``), each with its unit, range and the calibration,
fact or assumption behind its default.
"""
from __future__ import annotations

from aluminium.parameter import Param
from aluminium.stages.pricing.history import (
    CALIBRATED_ORIGIN,
    SCALE_BOUNDS_PCT,
    STRUCTURAL_SCALE_PCT,
    STRUCTURAL_SCALE_RANGE_PCT,
    SWING_FIRST_YEAR,
    calibration,
)

PARAMETERS: list[Param] = [
    Param(name="pricing.floor_percentile_pct", type="float", unit="%",
          description="Percentile of China's cash-cost curve (by output) that sets the cost floor",
          value=90.0, origin="ASSUMPTION: the 90th-percentile cash cost is the level analysts watch as cost "
                             "support: below it a tenth of output loses cash and curtails; range 75–100 %",
          minimum=50.0, maximum=100.0),
    Param(name="pricing.balance_midpoint_pct", type="float", unit="% of demand",
          description="Tightness (deficit as % of demand) at which the price sits half-way from floor to import parity",
          derive=lambda: calibration()["midpoint_pct"], origin=CALIBRATED_ORIGIN, minimum=-20.0, maximum=20.0),
    Param(name="pricing.balance_scale_pct", type="float", unit="% of demand",
          description="How fast the price moves from floor to parity as the balance tightens (logistic scale)",
          derive=lambda: calibration()["scale_pct"],
          origin=(f"Structural where the history cannot pin it: ASSUMPTION {STRUCTURAL_SCALE_PCT} % of demand "
                  f"(range {STRUCTURAL_SCALE_RANGE_PCT[0]}–{STRUCTURAL_SCALE_RANGE_PCT[1]} %), set so that a two-week "
                  "swing of the balance moves the price half-way across the floor-to-parity gap, as in Q1 2020; "
                  "fitted instead when the history gives a positive slope"),
          minimum=SCALE_BOUNDS_PCT[0], maximum=SCALE_BOUNDS_PCT[1]),
    Param(name="pricing.price_band_low_pct", type="float", unit="%",
          description="Low end of the modelled price range: the history's worst year for LME × CNY/USD and the "
                      "model's mean error",
          derive=lambda: calibration()["band_low_pct"],
          origin=(f"World Bank LME and ECB CNY/USD, annual averages from {SWING_FIRST_YEAR}: the largest year-on-year "
                  "fall of LME × CNY/USD, compounded with the price model's leave-one-year-out mean absolute error "
                  "(2017–2024E)"), minimum=-90, maximum=0),
    Param(name="pricing.price_band_high_pct", type="float", unit="%",
          description="High end of the modelled price range: the history's best year for LME × CNY/USD and the "
                      "model's mean error",
          derive=lambda: calibration()["band_high_pct"],
          origin=(f"World Bank LME and ECB CNY/USD, annual averages from {SWING_FIRST_YEAR}: the largest year-on-year "
                  "rise of LME × CNY/USD, compounded with the price model's leave-one-year-out mean absolute error "
                  "(2017–2024E)"), minimum=0, maximum=300),
    Param(name="pricing.margin_threshold_cny_t", type="float", unit="CNY/t",
          description="Smelting margin above which the profit rule buys aluminium",
          fact="pricing.profit_strategy_buy_threshold_cny_t", minimum=-10000, maximum=20000),
    Param(name="pricing.worldbank_file", type="path", unit="file",
          description="The World Bank monthly commodity price workbook (CMO-Historical-Data-Monthly.xlsx); "
                      "empty for none",
          value="",
          origin="None: the chapter reads the extract of the World Bank's monthly prices that ships with "
                 "the book (the data catalogue lists it; `aluminium data add-worldbank` refreshes it from a "
                 "newer workbook); a workbook given here is read instead for one build"),
    Param(name="pricing.momentum_lookback_months", type="int", unit="months",
          description="Look-back of the price-only momentum rule run on the World Bank series",
          value=12, origin="Project choice, not from the reports: the usual twelve-month window of "
                           "time-series momentum; the reports give no price-only rule.", minimum=1, maximum=60),
    Param(name="pricing.backtest_start_month", type="str", unit="YYYY-MM",
          description="First month of the price-only backtests on the World Bank series",
          value="2012-01", origin="The first year of guohai2024's price review (§4.1 covers 2012–2023)."),
    Param(name="pricing.trading_cost_pct", type="float", unit="% of price per unit traded",
          description="Cost of each change of position in the price-only backtests (fees and slippage)",
          value=0.05, origin="ASSUMPTION (no report gives trading costs): about one Shanghai tick (5 CNY/t) of "
                             "slippage plus exchange fees on a price near 20,000 CNY/t, rounded up",
          minimum=0, maximum=5),
]
