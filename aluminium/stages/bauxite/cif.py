"""The delivered (CIF) cost of seaborne bauxite: FOB + freight + other delivery costs, the freight
share, a CIF split back into its parts, and the CIF's sensitivity to freight. Prices in USD/t.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from aluminium.calc import number as _finite


def cif_usd_t(fob_usd_t: float, freight_usd_t: float, other_usd_t: float = 0.0) -> float:
    """Delivered (CIF China) cost of bauxite: CIF = FOB + ocean freight + other (all USD/t).

    An accounting identity: at the default FOB and freight (``split_cif`` of zijin2025's CIF)
    it returns that CIF by construction; it is useful for moving one part with the others held.
    FOB here bundles what the report lists besides freight: amortised overseas
    infrastructure, routine mining costs and overheads. Negative components raise ValueError.
    """
    parts = [_finite(fob_usd_t, "FOB"), _finite(freight_usd_t, "freight"), _finite(other_usd_t, "other")]
    if any(p < 0 for p in parts):
        raise ValueError("cif_usd_t: cost components must not be negative")
    return float(sum(parts))


def freight_share_pct(fob_usd_t: float, freight_usd_t: float, other_usd_t: float = 0.0) -> float:
    """Freight's share of the CIF cost, in per cent."""
    total = cif_usd_t(fob_usd_t, freight_usd_t, other_usd_t)
    if total == 0:
        raise ValueError("freight_share_pct: CIF is 0")
    return freight_usd_t / total * 100


def split_cif(cif: float, freight_share: float) -> tuple[float, float]:
    """Split a CIF price (USD/t) into (FOB incl. other items, freight) given freight's share (%)."""
    c, s = _finite(cif, "CIF"), _finite(freight_share, "freight share")
    if c < 0 or not 0 <= s <= 100:
        raise ValueError("split_cif: need CIF >= 0 and a share within 0–100 %")
    freight = c * s / 100
    return c - freight, freight


def cif_freight_sensitivity(fob_usd_t: float, freight_usd_t: float, other_usd_t: float = 0.0,
                            multiples: Iterable[float] = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)) -> pd.DataFrame:
    """CIF (USD/t) and freight's share (%) when freight is scaled by each multiple, FOB and
    other held fixed."""
    rows = []
    for m in multiples:
        f = freight_usd_t * _finite(m, "multiple")
        rows.append({"freight_multiple": float(m), "freight_usd_t": f,
                     "cif_usd_t": cif_usd_t(fob_usd_t, f, other_usd_t),
                     "freight_share_pct": freight_share_pct(fob_usd_t, f, other_usd_t)})
    return pd.DataFrame(rows)
