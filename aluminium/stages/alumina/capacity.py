"""China's refining capacity against the smelters' need: alumina needed per tonne of aluminium at the
smelting cap, the market surplus at the smelters running, the capacity and output figures the
reports give, and the claims recomputed from them. Units: Mt or kt as named.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from aluminium.calc import number
from aluminium.claims import ClaimRegistry
from aluminium.data.facts import fact

CLAIMS = ClaimRegistry()  # this module's claim recomputations (the stage's CLAIMS joins them)


def alumina_need_mt(aluminium_mt: float, alumina_per_aluminium_t_per_t: float) -> float:
    """Alumina the smelters consume (Mt/yr): aluminium output × t alumina per t aluminium."""
    a, r = number(aluminium_mt, "aluminium_mt"), number(alumina_per_aluminium_t_per_t, "ratio")
    if a < 0 or r <= 0:
        raise ValueError("alumina_need_mt: need aluminium >= 0 and a positive ratio")
    return a * r


def capacity_beyond_need_at_cap_mt(alumina_mt: float, smelting_cap_mt: float, alumina_per_aluminium_t_per_t: float) -> float:
    """Alumina capacity beyond what smelters running at the cap could ever use (Mt/yr):
    alumina − cap × ratio. A structural measure of overcapacity, not a market surplus: the
    smelters do not run at the cap and the refineries do not run at their built capacity."""
    return number(alumina_mt, "alumina_mt") - alumina_need_mt(smelting_cap_mt, alumina_per_aluminium_t_per_t)


def market_surplus_mt(alumina_mt, running_smelting_mt, alumina_per_aluminium_t_per_t):
    """Alumina supply beyond what the smelters actually running consume (Mt/yr): alumina
    output (or running capacity) − running smelting capacity × ratio. Before trade and stocks.
    Vectorised."""
    a = np.asarray(alumina_mt, dtype=float)
    r = np.asarray(running_smelting_mt, dtype=float)
    if np.any(r < 0) or np.any(np.asarray(alumina_per_aluminium_t_per_t, dtype=float) <= 0):
        raise ValueError("market_surplus_mt: need running smelting capacity >= 0 and a positive ratio")
    out = a - r * alumina_per_aluminium_t_per_t
    return float(out) if np.ndim(out) == 0 else out


def smelting_running_for_measures() -> dict[str, tuple[float, str]]:
    """For each alumina *running* measure, the smelters' running capacity of the nearest stated date
    (Mt/yr) and where it comes from: the market surplus compares like with like."""
    return {
        "Running capacity, Sep 2024": (fact("smelting.china_running_capacity_dec2023_mt").value,
                                       "smelters running Dec 2023 (jianghai2024), the latest stated before Sep 2024"),
        "Output, 2025": (fact("smelting.china_running_capacity_end2025_mt").value,
                         "smelters running end-2025 (article2026)"),
    }


def surplus_table(measures: dict[str, float], smelting_cap_mt: float, alumina_per_aluminium_t_per_t: float,
                  running_smelting: dict[str, tuple[float, str]] | None = None) -> pd.DataFrame:
    """For each alumina measure (label → Mt/yr), two different things, named for what they are:

    * ``capacity_beyond_need_at_cap_mt``: the measure less the smelters' need at the cap
      (structural overcapacity, meaningful for built capacity);
    * ``market_surplus_mt``: for measures of what is actually running or produced, the measure
      less the need of the smelters actually running at a matching date (``running_smelting``:
      label → (Mt/yr, basis)); empty for built capacity, which is not supply.
    """
    running_smelting = smelting_running_for_measures() if running_smelting is None else running_smelting
    need = alumina_need_mt(smelting_cap_mt, alumina_per_aluminium_t_per_t)
    rows = []
    for label, value in measures.items():
        run = running_smelting.get(label)
        rows.append({"measure": label, "alumina_mt": float(value), "need_at_cap_mt": need,
                     "capacity_beyond_need_at_cap_mt": capacity_beyond_need_at_cap_mt(value, smelting_cap_mt,
                                                                                        alumina_per_aluminium_t_per_t),
                     "smelting_running_mt": run[0] if run else float("nan"),
                     "need_at_running_mt": alumina_need_mt(run[0], alumina_per_aluminium_t_per_t) if run else float("nan"),
                     "market_surplus_mt": market_surplus_mt(value, run[0], alumina_per_aluminium_t_per_t) if run
                     else float("nan"),
                     "running_basis": run[1] if run else "built capacity: not supply"})
    return pd.DataFrame(rows)


def _need_at_cap_kt() -> float:
    return alumina_need_mt(fact("smelting.china_capacity_ceiling_kt").value / 1000,
                           fact("smelting.alumina_per_aluminium_t_per_t").value) * 1000


@CLAIMS.register("alumina.alumina_need_for_smelting_cap")
def _claim_need() -> float:
    return _need_at_cap_kt()


@CLAIMS.register("alumina.running_capacity_exceeds_need")
def _claim_running() -> float:
    # The need at 1.93 t/t, which the running capacity (the claim's bound) must reach to "exceed" it.
    return _need_at_cap_kt()


def capacity_measures() -> dict[str, float]:
    """China's alumina capacity and output figures the reports give (label → Mt/yr)."""
    ids = {"Built capacity, Dec 2023": "alumina.china_built_capacity_dec2023_mt",
           "Built capacity, Sep 2024": "alumina.china_built_capacity_2024_09_mt",
           "Running capacity, Sep 2024": "alumina.china_running_capacity_2024_09_kt",
           "Output, 2025": "alumina.china_output_2025_mt",
           "Built capacity, 2025 (lower bound)": "alumina.china_built_capacity_2025_mt"}
    out = {}
    for label, fid in ids.items():
        f = fact(fid)
        v = f.value if f.value is not None else f.low
        out[label] = v / 1000 if f.unit.startswith("kt") else v
    return out
