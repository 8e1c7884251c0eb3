"""Calculations every stage of the chain shares: input checks (numbers, columns), growth rates, sensitivity, R², key
lookups, concentration (HHI), contributions and printed totals against their parts.

One implementation each, so a fix or a clearer error reaches every chapter at once.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pandas as pd


def number(x, name: str, *, positive: bool = False, nonneg: bool = False) -> float:
    """``x`` as a finite float, or a ValueError naming the input."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a number, got {x!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"{name}: must be a finite number, got {x!r}")
    if positive and v <= 0:
        raise ValueError(f"{name}: must be positive, got {v}")
    if nonneg and v < 0:
        raise ValueError(f"{name}: must not be negative, got {v}")
    return v


def nonnegative(name: str, value) -> None:
    """Refuse a negative input, scalar or array (NaN passes: a missing input gives a missing result)."""
    if np.any(np.asarray(value, dtype=float) < 0):
        raise ValueError(f"{name} must be non-negative, got {value!r}")


def require_columns(frame: pd.DataFrame, columns, what: str) -> None:
    """A ValueError naming ``what`` and the missing ones unless ``frame`` has every column of ``columns``."""
    missing = set(columns) - set(frame.columns)
    if missing:
        raise ValueError(f"{what}: missing column(s) {sorted(missing)}")


def share_pct(part: float, whole: float) -> float:
    """``part`` as a percentage of ``whole`` (same unit); ``whole`` must be positive."""
    w = number(whole, "whole")
    if w <= 0:
        raise ValueError(f"share_pct: whole must be positive, got {whole}")
    return number(part, "part") / w * 100


def cagr_pct(start, end, years):
    """Compound annual growth (%): ((end / start) ** (1 / years) − 1) × 100. Vectorised.

    Raises ValueError for years ≤ 0, a start ≤ 0 or a negative end.
    """
    if np.any(np.asarray(years, dtype=float) <= 0):
        raise ValueError(f"cagr_pct: years must be positive, got {years!r}")
    if np.any(np.asarray(start, dtype=float) <= 0):
        raise ValueError("cagr_pct: the start value must be positive")
    if np.any(np.asarray(end, dtype=float) < 0):
        raise ValueError("cagr_pct: the end value must not be negative")
    return ((end / start) ** (1 / years) - 1) * 100


def sensitivity(model: Callable[..., float], base: Mapping[str, float],
                ranges: Mapping[str, tuple[float, float]]) -> pd.DataFrame:
    """One-at-a-time sensitivity of ``model(**inputs)`` (the data of a tornado chart).

    For each input named in ``ranges``, the model is evaluated with that input at its low and
    at its high value and every other input at ``base``. Returns one row per input with
    columns ``input, base_value, low_value, high_value, output_base, output_at_low,
    output_at_high, swing`` (swing = |output_at_high − output_at_low|), sorted by swing,
    largest first. Raises ValueError for an input not in ``base`` or a range with low > high.
    """
    base = dict(base)
    output_base = float(model(**base))
    rows = []
    for name, (low, high) in ranges.items():
        if name not in base:
            raise ValueError(f"sensitivity: '{name}' is not an input of the base case {sorted(base)}")
        if low > high:
            raise ValueError(f"sensitivity: range of '{name}' has low {low} > high {high}")
        at_low = float(model(**{**base, name: low}))
        at_high = float(model(**{**base, name: high}))
        rows.append({"input": name, "base_value": base[name], "low_value": low, "high_value": high,
                     "output_base": output_base, "output_at_low": at_low, "output_at_high": at_high,
                     "swing": abs(at_high - at_low)})
    out = pd.DataFrame(rows, columns=["input", "base_value", "low_value", "high_value", "output_base",
                                      "output_at_low", "output_at_high", "swing"])
    return out.sort_values("swing", ascending=False, ignore_index=True)


def value_at(frame: pd.DataFrame, column: str, **key):
    """The value of ``column`` in the one row whose key columns equal ``key`` (``year=2023``).

    Rows are picked by their key, never by position, and a key that matches no row or several
    is an error naming the key, so a changed table cannot silently give another row's number.
    """
    missing = [c for c in (column, *key) if c not in frame.columns]
    if missing:
        raise KeyError(f"value_at: no column(s) {missing}; columns are {list(frame.columns)}")
    mask = np.ones(len(frame), dtype=bool)
    for name, wanted in key.items():
        mask &= (frame[name] == wanted).to_numpy()
    rows = frame.loc[mask, column]
    where = ", ".join(f"{k}={v!r}" for k, v in key.items())
    if len(rows) != 1:
        raise LookupError(f"value_at: {len(rows)} rows with {where} (expected exactly one) for '{column}'")
    value = rows.iloc[0]
    return value.item() if hasattr(value, "item") else value


def share_explained(y, x) -> float:
    """Share of the variation of ``y`` explained by ``x``: the R² of the OLS fit ``y = a + b·x``.

    R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², a fraction between 0 and 1. Pairs where either value is
    missing are dropped. Raises ValueError for unequal lengths, fewer than three pairs, or a
    ``y`` that does not vary (nothing to explain). A constant ``x`` explains nothing (0).
    """
    y_arr = np.asarray(y, dtype=float).ravel()
    x_arr = np.asarray(x, dtype=float).ravel()
    if y_arr.shape != x_arr.shape:
        raise ValueError(f"share_explained: y has {y_arr.size} values but x has {x_arr.size}")
    keep = ~(np.isnan(y_arr) | np.isnan(x_arr))
    y_arr, x_arr = y_arr[keep], x_arr[keep]
    if y_arr.size < 3:
        raise ValueError("share_explained: need at least three complete (x, y) pairs")
    total = float(((y_arr - y_arr.mean()) ** 2).sum())
    if total == 0:
        raise ValueError("share_explained: y does not vary, there is nothing to explain")
    x_dev = x_arr - x_arr.mean()
    sxx = float((x_dev ** 2).sum())
    if sxx == 0:
        return 0.0
    slope = float((x_dev * (y_arr - y_arr.mean())).sum()) / sxx
    fitted = y_arr.mean() + slope * x_dev
    return 1.0 - float(((y_arr - fitted) ** 2).sum()) / total


# -- concentration, contributions, totals --------------------------------------------------------
def hhi(shares_pct: Iterable[float]) -> float:
    """Herfindahl–Hirschman index: sum of squared shares, shares in per cent (0–10,000).

    Missing shares (NaN) are skipped: a country not reported contributes nothing, so on a
    list that is not exhaustive the index is a lower bound (the unlisted rest is treated as
    many small producers). Negative shares raise ValueError; so does an empty list.
    """
    s = pd.Series(list(shares_pct), dtype="float64").dropna()
    if s.empty:
        raise ValueError("hhi: no shares given (all missing)")
    if (s < 0).any():
        raise ValueError("hhi: shares must not be negative")
    return float((s ** 2).sum())


def hhi_by_year(shares: pd.DataFrame, *, share_col: str = "share_pct", year_col: str = "year",
                exclude: Iterable[str] = ("Other", "World")) -> pd.DataFrame:
    """Per year: HHI of the listed countries (index points), their summed share (%),
    the top-three share (%) and the number of countries with a share.

    Rows whose ``country`` is in ``exclude`` (aggregates) are left out.
    """
    require_columns(shares, {"country", share_col, year_col}, "hhi_by_year")
    df = shares[~shares["country"].isin(list(exclude))]
    rows = []
    for year, g in df.groupby(year_col):
        s = g[share_col].dropna()
        if s.empty:
            continue
        rows.append({year_col: int(year), "hhi_index": hhi(s), "listed_share_pct": float(s.sum()),
                     "top3_share_pct": float(s.nlargest(3).sum()), "countries": int(s.size)})
    return pd.DataFrame(rows)


def hhi_bounds(known_shares_pct: Iterable[float], rest_pct: float, rest_parties_min: int = 1,
               rest_parties_max: int | None = None) -> tuple[float, float]:
    """Lowest and highest HHI (index points) when some shares are known and ``rest_pct`` is
    split among between ``rest_parties_min`` and ``rest_parties_max`` (None = unlimited) others.

    Lowest: the rest split equally among the most parties allowed (0 contribution when
    unlimited); highest: the rest held by as few parties as allowed, the rest in one block
    when ``rest_parties_min`` is 1.
    """
    known = [number(s, "known share") for s in known_shares_pct]
    rest = number(rest_pct, "rest_pct")
    if rest < 0 or any(s < 0 for s in known):
        raise ValueError("hhi_bounds: shares must not be negative")
    if rest_parties_min < 1 or (rest_parties_max is not None and rest_parties_max < rest_parties_min):
        raise ValueError("hhi_bounds: need 1 <= rest_parties_min <= rest_parties_max")
    base = sum(s * s for s in known)
    low = base if rest_parties_max is None else base + rest_parties_max * (rest / rest_parties_max) ** 2
    high = base + rest_parties_min * (rest / rest_parties_min) ** 2
    return float(low), float(high)


def contribution_shares(parts: pd.Series, total: float | None = None) -> pd.Series:
    """Each part's share of a total change, in per cent: part / total × 100.

    ``total`` defaults to the sum of the parts. Returns NaN everywhere when the total is 0
    or missing (a share of no change is undefined); missing parts stay NaN.
    """
    parts = pd.Series(parts, dtype="float64")
    total = float(parts.sum()) if total is None else total
    if total is None or pd.isna(total) or total == 0:
        return parts * float("nan")
    return parts / float(total) * 100.0


def parts_vs_total(df: pd.DataFrame, *, value: str, label_col: str, total_label: str,
                   group: str) -> pd.DataFrame:
    """Per group: the printed total, the sum of the parts, and the gap (total − parts) in the
    value's unit and as a per cent of the total. Parts with missing values count as 0 in the
    sum and are counted in ``parts_missing``."""
    require_columns(df, {value, label_col, group}, "parts_vs_total")
    rows = []
    for key, g in df.groupby(group):
        is_total = g[label_col] == total_label
        total = g.loc[is_total, value]
        parts = g.loc[~is_total, value]
        t = float(total.iloc[0]) if len(total) and pd.notna(total.iloc[0]) else float("nan")
        s = float(parts.sum(min_count=1)) if parts.notna().any() else float("nan")
        rows.append({group: key, "total_printed": t, "sum_of_parts": s, "gap": t - s,
                     "gap_pct_of_total": (t - s) / t * 100 if t else float("nan"),
                     "parts_missing": int(parts.isna().sum())})
    return pd.DataFrame(rows)


def growth_pct(new: float, old: float) -> float:
    """Growth in per cent: (new / old − 1) × 100. ValueError when old is 0 or either is missing."""
    new, old = number(new, "new"), number(old, "old")
    if old == 0:
        raise ValueError("growth_pct: the base value is 0")
    return (new / old - 1) * 100
