"""The claims audit: every registered recomputation matches a listed claim and runs."""
from __future__ import annotations

import math

import pytest

from aluminium import audit


def test_every_recomputation_belongs_to_a_listed_claim():
    listed = {c["id"] for c in audit.claims()}
    assert set(audit.registered()) <= listed


def test_at_least_twenty_claims_are_recomputed_and_none_errors():
    rows = audit.run()
    recomputed = [r for r in rows if r.status in ("agrees", "disagrees")]
    assert len(recomputed) >= 20
    assert [r.id for r in rows if r.status == "error"] == []
    for r in recomputed:
        assert r.difference == r.recomputed - r.claimed
        assert (r.status == "agrees") == (abs(r.difference) <= r.tolerance + 1e-9)


def test_the_south_west_claim_reproduces():
    row = next(r for r in audit.run() if r.id.startswith("smelting.southwest") and r.claimed == 88.8)
    assert row.status == "agrees"


@pytest.mark.parametrize("chapter, at_least", [("bauxite", 15), ("alumina", 14), ("smelting", 10), ("demand", 30)])
def test_each_chapter_recomputes_its_claims(chapter, at_least):
    fns = {k: f for k, f in audit.registered().items() if k.startswith(chapter + ".")}
    assert len(fns) >= at_least
    ids = {c["id"] for c in audit.claims()}
    for claim_id, fn in fns.items():
        assert claim_id in ids, f"{claim_id} is not in data/claims.yaml"
        assert math.isfinite(float(fn())), claim_id
