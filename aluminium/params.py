"""Chapter parameters as they stand for one build: declared once (in each stage module, with the
type of :mod:`aluminium.parameter`), found in :mod:`aluminium.registry`, checked before anything
runs, and resolved here with the chain's results (a pin unset takes the chain's value).

Overrides come from ``--set name=value``, a YAML file, or a scenario; every override is checked
for name, type and range, so a bad one is refused before any notebook starts.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from aluminium import chain
from aluminium.data import facts, provenance, reads
from aluminium.errors import ParameterError
from aluminium.parameter import (  # noqa: F401 - the parameter API, one import for callers
    PATH_SUFFIXES,
    Param,
    flatten,
    mode,
    parse_set,
    read_yaml,
    shown_path,
)
from aluminium.registry import (  # noqa: F401 - the parameter API, one import for callers
    chapter_params,
    lookup,
    read_params_file,
    registry,
    validate,
)


def defaults(chapter: str) -> dict[str, Any]:
    """A chapter's parameters at their defaults, keyed by short name; a pin takes the chain's value."""
    return dict(in_force(chapter, {}).values)


def for_chapter(overrides: dict[str, Any], chapter: str) -> dict[str, Any]:
    """The overrides that papermill injects into one chapter: its own parameters by short name,
    and every other override upstream of it in the chain by full name (the chain needs them)."""
    by_name = {p.name: p for p in chapter_params(chapter)}
    upstream = set(chain.upstream_parameters(chapter))
    out = {by_name[name].short: v for name, v in sorted(overrides.items()) if name in by_name}
    out.update({name: v for name, v in sorted(overrides.items()) if name in upstream and name not in by_name})
    return out


def upstream_values(chapter: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """The resolved value of every parameter a chapter reads or that lies upstream of it in the
    chain (defaults included), by full name; a file a value names adds its content digest."""
    names = {p.name for p in chapter_params(chapter)} | set(chain.upstream_parameters(chapter))
    reg = registry()
    checked = validate(overrides)
    out: dict[str, Any] = {}
    for name in sorted(names):
        value = checked[name] if name in checked else reg[name].default()
        out[name] = value
        if reg[name].type == "path" and value:
            out[name + "#sha256"] = reads.file_digest(Path(value))
    return out


class InForce:
    """A chapter's parameters as they stand for one build: ``p.power_price_cny_kwh``.

    Built from the overrides papermill injects (short name → value) and the declared
    defaults; every value is checked again here, so a chapter never reads an unchecked one.
    """

    def __init__(self, chapter: str, values: dict[str, Any], modes: dict[str, str] | None = None,
                 chain: dict[str, float] | None = None, chain_overrides: dict[str, Any] | None = None):
        self.__dict__["chapter"] = chapter
        self.__dict__["chain_overrides"] = dict(chain_overrides or {})  # full names, for chain calls
        self.__dict__["values"] = dict(values)
        self.__dict__["modes"] = dict(modes or {})  # pins: "modelled" or "pinned"
        self.__dict__["chain"] = dict(chain or {})  # every chain output at the parameters in force

    def __getattr__(self, short: str) -> Any:
        try:
            return self.__dict__["values"][short]
        except KeyError:
            raise AttributeError(
                f"chapter {self.chapter} reads no parameter '{short}' "
                f"(declare it in the chapter's module, or list it in USES)") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("parameters in force are read-only; set them with --set or a parameters file")

    def table(self):
        rows = []
        for p in chapter_params(self.chapter):
            value, default = self.values[p.short], p.default()
            if p.type == "path":  # a page shows a file's name, never where it sits on this machine
                value, default = shown_path(value), shown_path(default)
            shared = "" if p.chapter == self.chapter else f" (set in the {p.chapter} chapter)"
            how = self.modes.get(p.short, "")
            rows.append({"parameter": p.name, "value": value, "unit": p.unit,
                         "default": "modelled" if p.pin_of else default,
                         "changed": "pinned" if how == "pinned" else "" if how else "changed" if value != default else "",
                         "modelled or pinned": how,
                         "description": p.description + shared, "default from": p.source()})
        return pd.DataFrame(rows)


def in_force(chapter: str, overrides: dict[str, Any]) -> InForce:
    """The chapter's parameters for this build: the injected overrides over the defaults, checked.

    ``overrides`` maps short names to values (what papermill injects); a name the chapter
    does not read is refused, so a misspelt override cannot pass unnoticed.
    """
    declared = chapter_params(chapter)
    upstream = set(chain.upstream_parameters(chapter))
    full = {name: v for name, v in overrides.items() if "." in name}
    own = {name: v for name, v in overrides.items() if "." not in name}
    unknown = sorted(set(own) - {p.short for p in declared}) + sorted(set(full) - upstream)
    if unknown:
        raise ParameterError(f"chapter {chapter}: unknown parameter(s) {', '.join(unknown)}")
    values = {p.short: p.check(own.get(p.short, p.default()), f"chapter {chapter}") for p in declared}
    chain_overrides = {**validate(full, f"chapter {chapter}"),
                       **{p.name: values[p.short] for p in declared if p.short in own}}
    results = chain.run(chain_overrides, stage=chapter, checked=True)  # checked just above
    modes = {}
    for p in declared:
        if p.pin_of:
            modes[p.short] = mode(p, values[p.short])
            if values[p.short] is None:
                values[p.short] = results[p.pin_of]
    return InForce(chapter, values, modes, results, chain_overrides)


def param_origin(name: str) -> str:
    """Where a parameter's default comes from, in English (the report and place, or the origin)."""
    p = lookup(name)
    if not p.fact:
        return provenance.reader_text(p.origin)
    return provenance.fact_words(facts.fact(p.fact), p.fact_field)
