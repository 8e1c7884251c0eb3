"""The claims audit: every quantitative claim of the reports that can be recomputed from the
reports' own numbers, recomputed.

Claims are listed in ``data/claims.yaml`` (claim, source, what it asserts, unit, tolerance,
inputs, method). Each chapter module registers the function that recomputes a claim with
``@claim("chapter.claim_id")``; ``run()`` evaluates them all and judges each claim by what it
says:

- ``equals`` (the default): the recomputed value lies within ``tolerance`` of ``claimed_value``;
- ``at_most`` / ``at_least``: the recomputed value is ≤ / ≥ ``claimed_value`` (give or take
  ``tolerance`` for the report's rounding), so "under 0.8 Mt" is not read as "0.8 Mt";
- ``between``: the recomputed value lies in ``claimed_range`` (low, high).

A recomputation must come from numbers other than the claim's own: ``claim_fact`` names the fact
that records the claim itself, and the tests check that changing it does not move the result.
"""
from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from aluminium.data import catalogue, reads
from aluminium.data.claimsfile import RELATIONS
from aluminium.errors import DataError
from aluminium.numbers import fmt
from aluminium.paths import DATA_DIR
from aluminium.registry import registry as parameter_registry
from aluminium.stages import STAGES

_RELATION_SYMBOL = {"equals": "≈", "at_most": "≤", "at_least": "≥", "between": "in"}


def margin(relation: str, recomputed: float, claimed: float | None = None,
           low: float | None = None, high: float | None = None, tolerance: float = 0.0) -> float:
    """How far the recomputed value is inside the claim (≥ 0: the claim holds; < 0: it fails by
    that much), in the claim's unit. The tolerance widens the claim for the report's rounding."""
    if relation == "equals":
        return tolerance - abs(recomputed - claimed)
    if relation == "at_most":
        return claimed + tolerance - recomputed
    if relation == "at_least":
        return recomputed - (claimed - tolerance)
    if relation == "between":
        if low is None or high is None or low > high:
            raise ValueError(f"margin: a 'between' claim needs low ≤ high, got {low}, {high}")
        return min(recomputed - (low - tolerance), high + tolerance - recomputed)
    raise ValueError(f"margin: unknown relation '{relation}' (one of {', '.join(RELATIONS)})")


def holds(relation: str, recomputed: float, claimed: float | None = None, low: float | None = None,
          high: float | None = None, tolerance: float = 0.0) -> bool:
    """Whether the recomputed value bears the claim out (a NaN never does)."""
    if recomputed != recomputed:
        return False
    return margin(relation, recomputed, claimed, low, high, tolerance) >= -1e-9


@dataclass
class AuditRow:
    id: str
    chapter: str
    claim: str
    source: str
    location: str
    claimed: float | None
    unit: str
    recomputed: float | None
    tolerance: float
    method: str
    status: str  # agrees | disagrees | not recomputed | error
    detail: str = ""
    relation: str = "equals"
    claimed_low: float | None = None
    claimed_high: float | None = None

    @property
    def margin(self) -> float | None:
        """How far inside (≥ 0) or outside (< 0) the claim the recomputed value lies."""
        if self.recomputed is None or self.recomputed != self.recomputed:
            return None
        return margin(self.relation, self.recomputed, self.claimed, self.claimed_low, self.claimed_high,
                      self.tolerance)

    @property
    def difference(self) -> float | None:
        """Recomputed − claimed value (for an inequality, − its bound); None for a range or when not recomputed."""
        if self.recomputed is None or self.claimed is None:
            return None
        return self.recomputed - self.claimed

    def asserted(self) -> str:
        """What the claim asserts, as a short formula: "≤ 0.8", "≥ 95", "2.3–2.7", "≈ 85,500 ± 500"."""
        def num(v) -> str:
            return fmt(v, self.unit, show_unit=False)

        if self.relation == "between":
            return f"{num(self.claimed_low)}–{num(self.claimed_high)}"
        tol = f" ± {num(self.tolerance)}" if self.relation == "equals" and self.tolerance else ""
        return f"{_RELATION_SYMBOL[self.relation]} {num(self.claimed)}{tol}"


def claims(path: Path = DATA_DIR / "claims.yaml") -> list[dict]:
    reads.note_read(path)
    with open(path, encoding="utf-8") as fh:
        # The C loader where PyYAML has it: the claims file is read on every build.
        out = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []  # noqa: S506
    for c in out:
        _check_claim(c, path)
    return out


def _check_claim(c: dict, path: Path) -> None:
    where = f"{path}, claim '{c.get('id', '?')}'"
    relation = c.get("relation", "equals")
    if relation not in RELATIONS:
        raise DataError(f"{where}: relation '{relation}' is not one of {', '.join(RELATIONS)}")
    if relation == "between":
        rng = c.get("claimed_range")
        if not (isinstance(rng, list) and len(rng) == 2 and float(rng[0]) <= float(rng[1])):
            raise DataError(f"{where}: a 'between' claim needs claimed_range: [low, high]")
    elif "claimed_value" not in c:
        raise DataError(f"{where}: claimed_value is missing")


def registered() -> dict[str, Callable[[], float]]:
    """Every claim recomputation of the stage modules, by claim id; a claim recomputed twice is an error."""
    found: dict[str, Callable[[], float]] = {}
    for module in STAGES.values():
        for claim_id, fn in module.CLAIMS.items():
            if claim_id in found:
                raise ValueError(f"claim '{claim_id}' is recomputed twice")
            found[claim_id] = fn
    return found


def evaluate(c: dict, fn: Callable[[], float] | None) -> AuditRow:
    """One claim judged: its recomputed value and verdict (an exception becomes an 'error' row)."""
    relation = c.get("relation", "equals")
    low, high = (float(v) for v in c["claimed_range"]) if relation == "between" else (None, None)
    claimed = float(c["claimed_value"]) if "claimed_value" in c else None
    tolerance = float(c.get("tolerance", 0))
    recomputed, status, detail = None, "not recomputed", str(c.get("not_recomputed", ""))
    if fn is not None:
        try:
            recomputed = float(fn())
            ok = holds(relation, recomputed, claimed, low, high, tolerance)
            status, detail = ("agrees" if ok else "disagrees"), ""
        except Exception as exc:  # noqa: BLE001 - an audit row reports, it does not stop the book
            status, detail = "error", f"{type(exc).__name__}: {exc}"
    return AuditRow(c["id"], c.get("chapter", c["id"].split(".")[0]), c["claim"], c["source"],
                    c.get("location", ""), claimed, c.get("unit", ""), recomputed, tolerance,
                    c.get("method", ""), status, detail, relation, low, high)


def run() -> list[AuditRow]:
    fns = registered()
    return [evaluate(c, fns.get(c["id"])) for c in claims()]


def counts(rows: list[AuditRow]) -> dict[str, int]:
    """Number of claims per verdict, every verdict present (0 when none)."""
    return {k: sum(r.status == k for r in rows) for k in ("agrees", "disagrees", "not recomputed", "error")}


def check_parameter_facts(data_dir: Path | None = None) -> None:
    """Every fact a parameter takes its default from is in the facts table: a renamed or
    deleted fact is refused at the door, naming the file and the parameter, not in a chapter."""
    res = catalogue.resource("facts", data_dir)
    ids = set(catalogue.read_resource(res, data_dir)[0]["id"])
    for p in parameter_registry().values():
        if p.fact and p.fact not in ids:
            close = difflib.get_close_matches(p.fact, list(ids), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise DataError(f"{Path(data_dir or catalogue.DATA_DIR) / res['path']}: no fact with id '{p.fact}', "
                            f"which parameter '{p.name}' takes its default from{hint}")


def validate_all(data_dir: Path | None = None) -> list:
    """The door: every data file and the claims (:func:`aluminium.data.catalogue.validate_all`), then
    every parameter's fact; raises on the first error, returns the data's flags otherwise."""
    reports = catalogue.validate_all(data_dir)
    check_parameter_facts(data_dir)
    return reports
