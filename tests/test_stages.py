"""A stage that is a package (a module a job) answers as one stage: its ``__init__`` re-exports
every public name of its modules (the chapters call ``smelting.cash_cost``, not
``smelting.costs.cash_cost``), and its ``CLAIMS`` are all its modules' claims."""
from __future__ import annotations

import ast
import pkgutil
from importlib import import_module
from pathlib import Path

import pytest

from aluminium.claims import ClaimRegistry
from aluminium.stages import STAGES

PACKAGES = {name: module for name, module in STAGES.items() if hasattr(module, "__path__")}


def _modules(package):
    return [import_module(f"{package.__name__}.{info.name}") for info in pkgutil.iter_modules(package.__path__)]


def test_most_stages_are_packages():
    assert {"bauxite", "alumina", "smelting", "demand", "pricing"} <= set(PACKAGES)


def _defined(module) -> list[str]:
    """The public names a module defines at its top level (functions, classes, assignments)."""
    names = []
    for node in ast.parse(Path(module.__file__).read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return [n for n in names if not n.startswith("_") and n != "CLAIMS"]


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_a_stage_package_re_exports_every_public_name_of_its_modules(name):
    package = PACKAGES[name]
    for module in _modules(package):
        for n in _defined(module):
            assert getattr(package, n, None) is getattr(module, n), f"{name}.{n} is not {module.__name__}.{n}"
            assert n in package.__all__, f"{name}.__all__ lacks {n}"


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_a_stage_packages_claims_are_its_modules_claims(name):
    package = PACKAGES[name]
    parts = [m.CLAIMS for m in _modules(package) if isinstance(getattr(m, "CLAIMS", None), ClaimRegistry)]
    assert parts, f"{name}: no module recomputes a claim"
    assert dict(package.CLAIMS) == {k: fn for part in parts for k, fn in part.items()}


def test_joined_registries_refuse_a_claim_recomputed_twice():
    a, b = ClaimRegistry(), ClaimRegistry()
    a.register("x.y")(lambda: 1.0)
    b.register("x.y")(lambda: 2.0)
    with pytest.raises(ValueError, match="recomputed twice"):
        ClaimRegistry.joined(a, b)
