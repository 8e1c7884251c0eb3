"""Where a stage module keeps its claim recomputations: ``CLAIMS = ClaimRegistry()`` in the module,
``@CLAIMS.register("smelting.x")`` on each function. The audit (:mod:`aluminium.audit`) reads the
``CLAIMS`` of every stage and judges each claim of ``data/claims.yaml``."""
from __future__ import annotations

from collections.abc import Callable


class ClaimRegistry(dict):
    """A stage module's claim recomputations, by claim id."""

    def register(self, claim_id: str):
        def add(fn: Callable[[], float]) -> Callable[[], float]:
            if claim_id in self:
                raise ValueError(f"claim '{claim_id}' is recomputed twice")
            self[claim_id] = fn
            return fn
        return add

    @classmethod
    def joined(cls, *parts: ClaimRegistry) -> ClaimRegistry:
        """One stage's registry from its modules' registries (a claim recomputed twice still fails)."""
        out = cls()
        for part in parts:
            for claim_id, fn in part.items():
                out.register(claim_id)(fn)
        return out
