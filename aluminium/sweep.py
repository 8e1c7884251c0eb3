"""Sweeps: evaluate the models (not the notebooks) over many parameter sets at once.

``aluminium sweep --vary smelting.power_price_cny_kwh=0.30:0.60 --samples 100000`` draws a
uniform random sample, or ``--grid`` a regular grid, of the varied
parameters, holds every other parameter at its value in force, and evaluates each sweep
output on whole numpy arrays in one call. The result is a tidy table: one row per run, the
varied parameters and every output.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from . import params
from .errors import ParameterError


@dataclass(frozen=True)
class Output:
    id: str
    unit: str
    label: str
    fn: Callable[[Mapping[str, object]], np.ndarray]


def _smelting_cost(p):
    from . import smelting

    return smelting.cash_cost(p["smelting.alumina_price_cny_t"], p["smelting.power_price_cny_kwh"],
                              p["smelting.anode_price_cny_t"], p["smelting.alumina_t_per_t"],
                              p["smelting.power_kwh_per_t"], p["smelting.anode_t_per_t"],
                              p["smelting.other_costs_cny_t"])


def _smelting_margin(p):
    from . import smelting

    return smelting.margin(p["smelting.aluminium_price_cny_t"], _smelting_cost(p))


def _balance_2026(p):
    from . import demand

    base = demand.base_by_sector_kt()
    growth = {s: p[f"demand.growth_{s}_pct"] for s in base}
    return demand.balance_2026_kt(capacity_cap_kt=p["smelting.capacity_cap_kt"],
                                  utilisation_pct=p["demand.utilisation_pct"],
                                  net_imports_kt=p["demand.net_imports_kt"], base_by_sector=base,
                                  growth_pct=growth)


OUTPUTS = (
    Output("smelting.cash_cost_cny_t", "CNY/t", "Cash cost per tonne of aluminium", _smelting_cost),
    Output("smelting.margin_cny_t", "CNY/t", "Cash margin at the aluminium price", _smelting_margin),
    Output("demand.china_balance_2026_kt", "kt", "China primary balance, 2026", _balance_2026),
)


def parse_vary(items: list[str]) -> dict[str, tuple[float, float]]:
    """``["smelting.power_price_cny_kwh=0.3:0.6"]`` → ranges, each end checked against the parameter."""
    out: dict[str, tuple[float, float]] = {}
    for item in items:
        name, _, rng = item.partition("=")
        lo, sep, hi = rng.partition(":")
        if not sep:
            raise ParameterError(f"--vary {item!r}: expected NAME=LOW:HIGH")
        p = params.lookup(name.strip(), "--vary")
        if p.type not in ("float", "int"):
            raise ParameterError(f"--vary: parameter '{p.name}' is a {p.type}; only numbers can be swept")
        low, high = p.check(lo, "--vary"), p.check(hi, "--vary")
        if low > high:
            raise ParameterError(f"--vary: '{p.name}' low end {low} is above high end {high}")
        if p.name in out:
            raise ParameterError(f"--vary: parameter '{p.name}' is varied twice")
        out[p.name] = (float(low), float(high))
    return out


def design(vary: Mapping[str, tuple[float, float]], *, samples: int = 1000, grid: int | None = None,
           seed: int = 0) -> pd.DataFrame:
    """The runs: a uniform random sample (``samples`` rows) or a full grid (``grid`` points a side)."""
    names = list(vary)
    if not names:
        raise ParameterError("sweep: vary at least one parameter (--vary NAME=LOW:HIGH)")
    if grid:
        axes = [np.linspace(lo, hi, grid) for lo, hi in vary.values()]
        rows = np.array(list(itertools.product(*axes)), dtype=float)
        return pd.DataFrame(rows, columns=names)
    if samples < 1:
        raise ParameterError("sweep: --samples must be at least 1")
    rng = np.random.default_rng(seed)
    lo = np.array([v[0] for v in vary.values()])
    hi = np.array([v[1] for v in vary.values()])
    return pd.DataFrame(lo + (hi - lo) * rng.random((samples, len(names))), columns=names)


class _ReadRecorder(dict):
    """The parameter values, noting which of them a model reads."""

    def __init__(self, values: Mapping[str, object]):
        super().__init__(values)
        self.read: set[str] = set()

    def __getitem__(self, name: str):
        self.read.add(name)
        return super().__getitem__(name)


def reach(names, outputs=OUTPUTS) -> dict[str, list[str]]:
    """For each parameter, the outputs whose model reads it (evaluated once, at the defaults)."""
    values = {name: p.default() for name, p in params.registry().items()}
    read_by = {}
    for o in outputs:
        recorder = _ReadRecorder(values)
        o.fn(recorder)
        read_by[o.id] = recorder.read
    return {name: [o.id for o in outputs if name in read_by[o.id]] for name in names}


def unreached(names, outputs=OUTPUTS) -> list[str]:
    """The varied parameters that no requested output depends on: sweeping them changes nothing."""
    return [name for name, reached in reach(names, outputs).items() if not reached]


def evaluate(runs: pd.DataFrame, overrides: Mapping[str, object] | None = None,
             outputs=OUTPUTS) -> pd.DataFrame:
    """Every output for every run, computed on whole columns at once (vectorised)."""
    values: dict[str, object] = {name: p.default() for name, p in params.registry().items()}
    values.update(params.validate(dict(overrides or {})))
    for name in runs.columns:
        values[name] = runs[name].to_numpy()
    out = runs.copy()
    for o in outputs:
        result = np.broadcast_to(np.asarray(o.fn(values), dtype=float), (len(runs),))
        out[o.id] = result
    out.insert(0, "run", np.arange(1, len(runs) + 1))
    return out
