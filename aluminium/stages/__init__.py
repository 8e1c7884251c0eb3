"""The chain's stages: one module each, holding that stage's models, parameters, chain links, the
figures they pass on and its claim recomputations. ``STAGES`` maps each chapter of
``aluminium.paths.CHAPTERS`` (the one stage list, in reading order) to its module; everything that
walks the stages (the parameter registry, the chain, the claims audit) walks this mapping.
"""
from __future__ import annotations

from importlib import import_module
from types import ModuleType

from aluminium.paths import CHAPTERS

STAGES: dict[str, ModuleType] = {name: import_module(f"{__name__}.{name}") for name in CHAPTERS}
