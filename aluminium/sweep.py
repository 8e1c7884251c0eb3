"""Sweeps: evaluate the models (not the notebooks) over many parameter sets at once.

``aluminium sweep --vary smelting.power_price_cny_kwh=0.30:0.60 --samples 100000`` draws a
uniform random sample, or ``--grid`` a regular grid, of the varied
parameters, holds every other parameter at its value in force, and evaluates each sweep
output on whole numpy arrays in one call. The result is a tidy table: one row per run, the
varied parameters and every output.
"""
from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np
import pandas as pd

from aluminium import chain, params
from aluminium.errors import ParameterError

# Every chain output is a sweep output (aluminium.chain.OUTPUTS), so a sweep answers
# "what does this assumption do to the price" from bauxite to the import window.
OUTPUTS = chain.OUTPUTS


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


MAX_RUNS = 1_000_000  # a sweep's size cap: about 100 MB of runs and a minute of evaluation


def design(vary: Mapping[str, tuple[float, float]], *, samples: int = 1000, grid: int | None = None,
           seed: int = 0) -> pd.DataFrame:
    """The runs: a uniform random sample (``samples`` rows) or a full grid (``grid`` points a side)."""
    names = list(vary)
    if not names:
        raise ParameterError("sweep: vary at least one parameter (--vary NAME=LOW:HIGH)")
    if grid is not None:
        if grid < 2:
            raise ParameterError(f"sweep: --grid must be at least 2 points a side, got {grid}")
        if grid ** len(names) > MAX_RUNS:
            raise ParameterError(f"sweep: --grid {grid} over {len(names)} parameters is {grid ** len(names):,} runs; "
                                 f"the cap is {MAX_RUNS:,}")
        axes = [np.linspace(lo, hi, grid) for lo, hi in vary.values()]
        rows = np.array(list(itertools.product(*axes)), dtype=float)
        return pd.DataFrame(rows, columns=names)
    if samples < 1:
        raise ParameterError("sweep: --samples must be at least 1")
    if samples > MAX_RUNS:
        raise ParameterError(f"sweep: --samples {samples:,} is above the cap of {MAX_RUNS:,} runs")
    rng = np.random.default_rng(seed)
    lo = np.array([v[0] for v in vary.values()])
    hi = np.array([v[1] for v in vary.values()])
    return pd.DataFrame(lo + (hi - lo) * rng.random((samples, len(names))), columns=names)


def reach(names, outputs=OUTPUTS) -> dict[str, list[str]]:
    """For each parameter, the outputs that depend on it: those whose chain links (or the links
    they need) read it."""
    return {name: [o.id for o in outputs if name in chain.parameters_of(o.id)] for name in names}


def unreached(names, outputs=OUTPUTS) -> list[str]:
    """The varied parameters that no requested output depends on: sweeping them changes nothing."""
    return [name for name, reached in reach(names, outputs).items() if not reached]


def evaluate(runs: pd.DataFrame, overrides: Mapping[str, object] | None = None,
             outputs=OUTPUTS) -> pd.DataFrame:
    """Every chain output for every run, the whole chain evaluated on whole columns at once."""
    values = chain.values_in_force(overrides)
    for name in runs.columns:
        values[name] = runs[name].to_numpy()
    result = chain.evaluate(values)
    out = runs.copy()
    for o in outputs:
        out[o.id] = np.broadcast_to(np.asarray(result[o.id], dtype=float), (len(runs),))
    out.insert(0, "run", np.arange(1, len(runs) + 1))
    return out


def numeric_ranges(names=None) -> dict[str, tuple[float, float]]:
    """Declared ranges to sweep: each numeric parameter upstream of the price, from its default
    ± the smelting chapter's sensitivity range (10 %), kept inside its declared bounds. Pins and
    switches are left out (a pin is not an assumption of the chain)."""
    reg = params.registry()
    pct = reg["smelting.sensitivity_range_pct"].default() / 100
    out = {}
    for name in names or chain.upstream_parameters("pricing"):
        p = reg[name]
        if p.type not in ("float", "int") or p.pin_of:
            continue
        d = float(p.default())
        lo, hi = d - abs(d) * pct, d + abs(d) * pct
        if p.minimum is not None:
            lo = max(lo, p.minimum)
        if p.maximum is not None:
            hi = min(hi, p.maximum)
        if hi > lo:
            out[name] = (lo, hi)
    return out


def tornado(output: str = "pricing.modelled_price_cny_t", ranges: Mapping[str, tuple[float, float]] | None = None,
            overrides: Mapping[str, object] | None = None) -> pd.DataFrame:
    """One parameter at a time at each end of its range, the others held: the output at the low
    and high end and the swing, largest swing first (one vectorised chain call)."""
    ranges = dict(ranges or numeric_ranges())
    names = list(ranges)
    base_values = chain.values_in_force(overrides)
    n = 2 * len(names)
    values = {k: v for k, v in base_values.items()}
    for i, name in enumerate(names):
        col = np.full(n, float(base_values[name]))
        col[2 * i], col[2 * i + 1] = ranges[name]
        values[name] = col
    result = np.broadcast_to(np.asarray(chain.evaluate(values)[output], dtype=float), (n,))
    base = float(np.asarray(chain.evaluate(base_values)[output]).reshape(-1)[0])
    df = pd.DataFrame({"parameter": names, "low_value": [ranges[k][0] for k in names],
                       "high_value": [ranges[k][1] for k in names],
                       "output_at_low": result[0::2], "output_at_high": result[1::2]})
    df["swing"] = (df["output_at_high"] - df["output_at_low"]).abs()
    df["base"] = base
    return df.sort_values("swing", ascending=False, ignore_index=True)


def variance_shares(table: pd.DataFrame, varied: list[str], output: str = "pricing.modelled_price_cny_t") -> pd.DataFrame:
    """Each varied parameter's first-order share of the output's variance in a random sweep:
    the squared correlation of output and parameter (independent uniform draws), in %."""
    y = table[output].to_numpy()
    rows = []
    for name in varied:
        x = table[name].to_numpy()
        r = np.corrcoef(x, y)[0, 1] if np.std(x) > 0 and np.std(y) > 0 else 0.0
        rows.append({"parameter": name, "variance_share_pct": float(r * r * 100)})
    return pd.DataFrame(rows).sort_values("variance_share_pct", ascending=False, ignore_index=True)
