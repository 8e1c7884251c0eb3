"""The claims audit: every quantitative claim of the reports that can be recomputed from the
reports' own numbers, recomputed.

Claims are listed in ``data/claims.yaml`` (claim, source, claimed value, unit, tolerance,
inputs, method). Each chapter module registers the function that recomputes a claim with
``@claim("chapter.claim_id")``; ``run()`` evaluates them all and compares.
"""
from __future__ import annotations

import importlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from . import catalogue
from .paths import CHAPTERS, DATA_DIR

_RECOMPUTE: dict[str, Callable[[], float]] = {}


def claim(claim_id: str):
    """Register the function that recomputes a claim (returns a number in the claim's unit)."""
    def register(fn: Callable[[], float]) -> Callable[[], float]:
        if claim_id in _RECOMPUTE:
            raise ValueError(f"claim '{claim_id}' is recomputed twice")
        _RECOMPUTE[claim_id] = fn
        return fn
    return register


@dataclass
class AuditRow:
    id: str
    chapter: str
    claim: str
    source: str
    location: str
    claimed: float
    unit: str
    recomputed: float | None
    tolerance: float
    method: str
    status: str  # agrees | disagrees | not recomputed | error
    detail: str = ""

    @property
    def difference(self) -> float | None:
        return None if self.recomputed is None else self.recomputed - self.claimed


def claims(path: Path = DATA_DIR / "claims.yaml") -> list[dict]:
    catalogue.note_read(path)
    with open(path, encoding="utf-8") as fh:
        # The C loader where PyYAML has it: the claims file is read on every build.
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []  # noqa: S506


def registered() -> dict[str, Callable[[], float]]:
    for chapter in CHAPTERS:
        importlib.import_module(f"aluminium.{chapter}")
    return dict(_RECOMPUTE)


def run() -> list[AuditRow]:
    fns = registered()
    rows = []
    for c in claims():
        fn = fns.get(c["id"])
        recomputed, status, detail = None, "not recomputed", ""
        if fn is not None:
            try:
                recomputed = float(fn())
                ok = math.isclose(recomputed, float(c["claimed_value"]), abs_tol=float(c.get("tolerance", 0)))
                status = "agrees" if ok else "disagrees"
            except Exception as exc:  # noqa: BLE001 - an audit row reports, it does not stop the book
                status, detail = "error", f"{type(exc).__name__}: {exc}"
        rows.append(AuditRow(c["id"], c.get("chapter", c["id"].split(".")[0]), c["claim"], c["source"],
                             c.get("location", ""), float(c["claimed_value"]), c.get("unit", ""), recomputed,
                             float(c.get("tolerance", 0)), c.get("method", ""), status, detail))
    return rows
