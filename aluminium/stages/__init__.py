"""The chain's stages in chain order: one module each, holding that stage's models, parameters
and claim recomputations. Everything that walks the stages (the parameter registry, the claims
audit) walks this one mapping, so adding a stage is one line here and one in ``paths.CHAPTERS``.
"""
from __future__ import annotations

from types import ModuleType

from aluminium.stages import alumina, bauxite, demand, macro, pricing, smelting

STAGES: dict[str, ModuleType] = {
    "macro": macro,
    "bauxite": bauxite,
    "alumina": alumina,
    "smelting": smelting,
    "demand": demand,
    "pricing": pricing,
}
