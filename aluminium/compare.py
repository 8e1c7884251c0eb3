"""Compare two builds: every key figure side by side, and the charts and tables whose data moved."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class Side:
    """One build to compare: a label and the folder holding its key figures and downloads."""

    label: str
    folder: Path

    def figures(self) -> pd.DataFrame:
        path = self.folder / "key-figures.json"
        if not path.exists():
            raise FileNotFoundError(f"{path}: no key figures (build '{self.label}' first)")
        return pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))


def key_figures(a: Side, b: Side) -> pd.DataFrame:
    """Key figures of both builds with absolute and relative change (b − a, (b − a) / |a|)."""
    fa, fb = a.figures(), b.figures()
    merged = fa[["id", "label", "unit", "value"]].merge(
        fb[["id", "value"]], on="id", how="outer", suffixes=("_a", "_b"))
    merged["change"] = merged["value_b"] - merged["value_a"]
    nonzero = merged["value_a"].abs() > 0
    merged["change_pct"] = (merged["change"] / merged["value_a"].abs() * 100).where(nonzero)
    return merged.rename(columns={"value_a": a.label, "value_b": b.label})


def moved_outputs(a: Side, b: Side) -> pd.DataFrame:
    """The charts' and tables' data files (downloads/<chapter>/<name>.csv) that differ."""
    rows = []
    base_a, base_b = a.folder / "downloads", b.folder / "downloads"
    for path_b in sorted(base_b.rglob("*.csv")):
        rel = path_b.relative_to(base_b)
        path_a = base_a / rel
        if not path_a.exists():
            rows.append({"chapter": rel.parts[0], "output": path_b.stem, "cells_changed": None, "status": "new"})
            continue
        da, db = pd.read_csv(path_a), pd.read_csv(path_b)
        if da.shape != db.shape or list(da.columns) != list(db.columns):
            rows.append({"chapter": rel.parts[0], "output": path_b.stem, "cells_changed": None, "status": "reshaped"})
            continue
        differs = ~((da == db) | (da.isna() & db.isna()))
        n = int(differs.to_numpy().sum())
        if n:
            rows.append({"chapter": rel.parts[0], "output": path_b.stem, "cells_changed": n, "status": "moved"})
    return pd.DataFrame(rows, columns=["chapter", "output", "cells_changed", "status"])
