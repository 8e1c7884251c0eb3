"""Named scenarios: a YAML file with a title, a description and parameter overrides.

    title: South-west drought
    description: Why this scenario, in a few sentences.
    parameters:
      smelting:
        power_price_cny_kwh: 0.50

A scenario's book is built into ``_build/scenarios/<name>/html``; its title and description
show on every page, as text, never as markup (the banner is the book's:
``aluminium.book.sphinx_switcher.banner_html``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aluminium import params
from aluminium.data import reads
from aluminium.errors import ParameterError
from aluminium.paths import BUILD_DIR, ROOT

SCENARIOS_DIR = ROOT / "scenarios"
_KEYS = {"title", "description", "parameters"}


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    description: str
    overrides: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def output_dir(self) -> Path:
        return BUILD_DIR / "scenarios" / self.name / "html"


def resolve(name_or_path: str) -> Path:
    """``drought``, ``scenarios/drought.yml`` or any path to a YAML file."""
    path = Path(name_or_path)
    if path.suffix in (".yml", ".yaml") or path.exists():
        return path
    for suffix in (".yml", ".yaml"):
        candidate = SCENARIOS_DIR / f"{name_or_path}{suffix}"
        if candidate.exists():
            return candidate
    known = sorted(p.stem for p in SCENARIOS_DIR.glob("*.y*ml"))
    raise ParameterError(f"unknown scenario '{name_or_path}' (known: {', '.join(known) or 'none'})")


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def load(name_or_path: str) -> Scenario:
    path = resolve(name_or_path)
    if not _NAME.fullmatch(path.stem):
        raise ParameterError(f"{path}: a scenario file is named with letters, digits, '-' and '_' "
                             "(its name becomes a folder of the site)")
    doc = params.read_yaml(path)
    reads.note_read(path)  # a chapter that runs a scenario re-executes when the file changes
    where = str(path)
    if not isinstance(doc, dict):
        raise ParameterError(f"{where}: a scenario is a mapping with title, description and parameters")
    unknown = set(doc) - _KEYS
    if unknown:
        raise ParameterError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; a scenario has {', '.join(sorted(_KEYS))}")
    for key in ("title", "description"):
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            raise ParameterError(f"{where}: '{key}' must be a non-empty text")
    overrides = params.validate(params.flatten(doc.get("parameters") or {}, where), where)
    return Scenario(path.stem, " ".join(doc["title"].split()), " ".join(doc["description"].split()), overrides, path)


def available() -> list[Scenario]:
    return [load(str(p)) for p in sorted(SCENARIOS_DIR.glob("*.yml"))]
