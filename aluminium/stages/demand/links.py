"""The demand stage in the chain: China's demand in the outlook year (``LINKS``) and the figures
the stage passes on (``OUTPUTS``; the market link in the pricing stage computes the balance and trade).
"""
from __future__ import annotations

from collections.abc import Mapping

from aluminium.links import Link, Output
from aluminium.stages.demand.drivers import demand_2026_kt


class _Short(Mapping):
    """The chain's values (full names) as this stage's models read them, by short name."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self._values = values

    def __getitem__(self, short: str):
        return self._values[f"demand.{short}"]

    def __iter__(self):
        return (name.split(".", 1)[1] for name in self._values if name.startswith("demand."))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def china_demand(v, o) -> dict:
    """China's primary demand in 2026 (kt): the demand model's default, the stock-reconciled
    2025 level carried forward at its drivers' 2025→2026 growth (:func:`demand_2026_kt`)."""
    return {"demand.demand_2026_kt": demand_2026_kt(_Short(v))["reconciled_2026"]}


LINKS = (Link("china demand", "demand", (), china_demand, ("demand.demand_2026_kt",)),)


OUTPUTS = (
    Output("demand.demand_2026_kt", "kt", "China's primary demand, 2026"),
    Output("demand.net_imports_2026_kt", "kt", "China's net primary imports, 2026 (following the window)"),
    Output("demand.semis_exports_change_kt", "kt", "Change in net exports of semis and products, 2026 (following the window)"),
    Output("demand.balance_2026_kt", "kt", "China's primary balance, 2026 (surplus +)"),
)
