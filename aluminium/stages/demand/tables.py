"""The demand stage's data tables as its models read them: Guohai's demand by sector, the new-energy
table indexed by year, and Zijin's growth forecasts.
"""
from __future__ import annotations

import pandas as pd

from aluminium.data import catalogue


def new_energy_table() -> pd.DataFrame:
    """Guohai's new-energy table (vehicles, solar; 2021–2025E), indexed by year."""
    return catalogue.load("demand-new-energy-aluminium").set_index("year")


def sector_table() -> pd.DataFrame:
    """Guohai's demand by sector and year (kt), the long table with its ``total`` rows."""
    return catalogue.load("demand-china-demand-by-sector")


def growth_forecast(indicator: str, year: int = 2026) -> float:
    """Zijin's growth forecast (%) for an indicator and year (demand/growth_forecasts_2025_2026.csv)."""
    df = catalogue.load("demand-growth-forecasts-2025-2026")
    row = df[(df["indicator"] == indicator) & (df["year"] == year)]
    if row.empty:
        raise ValueError(f"no {year} growth forecast for '{indicator}'")
    return float(row["growth_pct"].iloc[0])
