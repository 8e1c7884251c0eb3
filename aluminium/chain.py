"""The chain: every stage's result flows downstream, to a price.

Bauxite → alumina → smelting → China's balance → price → import window, evaluated in
dependency order from the parameters in force. Each link is a small vectorised function:
it reads parameters (by full name, scalars or numpy arrays of one length) and the outputs of
the links before it, and returns its own outputs. So one call evaluates one chain or a
hundred thousand (``aluminium sweep``).

Each stage module declares its own links (``LINKS``), the figures they pass on (``OUTPUTS``) and
the parameters they read (``PARAMETERS``); this module puts the links in the order they run and
evaluates them. A link's reads are recorded from its function (:class:`aluminium.links.Link`).

Where a chapter used to take an upstream *result* as a parameter (the alumina price in the
smelting cost, the bauxite CIF in the alumina cost, the Shanghai price in the import window),
that parameter is now an optional pin: unset, the chain's value is used; set, it overrides
the chain's value from that point down (``--set smelting.alumina_price_cny_t=3000``).

Units: kt and Mt of metal a year, USD/t and CNY/t, CNY/kWh.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from aluminium.links import Link, Output  # noqa: F401 - the chain's public types
from aluminium.numbers import fmt
from aluminium.registry import registry, validate
from aluminium.stages import STAGES


def _in_order(links: list[Link]) -> tuple[Link, ...]:
    """The stages' links in the order they run: each after the links it needs in the same pass
    (stage order where they are free); a feedback link's outputs are read from the previous pass."""
    names = {link.name for link in links}
    for link in links:
        unknown = (set(link.needs) | set(link.feedback)) - names
        if unknown:
            raise AssertionError(f"chain link '{link.name}' needs unknown link(s) {sorted(unknown)}")
    done: list[Link] = []
    left = list(links)
    while left:
        ready = next((link for link in left if set(link.needs) <= {d.name for d in done}), None)
        if ready is None:
            raise AssertionError(f"chain links need each other in one pass: {[link.name for link in left]}")
        done.append(ready)
        left.remove(ready)
    return tuple(done)


LINKS: tuple[Link, ...] = _in_order([link for module in STAGES.values() for link in module.LINKS])
OUTPUTS: tuple[Output, ...] = tuple(o for module in STAGES.values() for o in module.OUTPUTS)
OUTPUT_IDS = tuple(o.id for o in OUTPUTS)


# -- evaluation -----------------------------------------------------------------------------------
def values_in_force(overrides: Mapping[str, object] | None = None, names=None, *, checked: bool = False) -> dict:
    """Parameter values (defaults, then the checked overrides), by full name: every parameter,
    or only ``names`` (a chapter need not derive defaults it does not use, nor read their data).
    ``checked``: the overrides have been through :func:`aluminium.registry.validate` already."""
    reg = registry()
    values = {name: reg[name].default() for name in (reg if names is None else names)}
    values.update(dict(overrides or {}) if checked else validate(dict(overrides or {})))
    return values


# The chain has one loop: the market's aluminium price and output feed back into the alumina
# market (the ratio contract, the alumina need). The links are run in order PASSES times, each
# pass reading the market of the one before; the feedback is weak (a 1,000 CNY/t change of the
# aluminium price moves the alumina price by tens of CNY/t): the second pass moves the price by a few
# CNY/t, the third by well under 0.01, so the contract's price and the market's agree to the
# CNY/t a reader sees (tested).
PASSES = 3


def evaluate(values: Mapping[str, object], links=None, passes: int = PASSES) -> dict:
    """The links (all, or the given ones) in dependency order, ``passes`` times; returns their
    outputs (arrays where any input is an array)."""
    out: dict = {}
    for _ in range(passes):
        for link in LINKS if links is None else links:
            out.update(link.fn(values, out))
    return {k: out[k] for k in out if not k.startswith("_")}


def run(overrides: Mapping[str, object] | None = None, stage: str | None = None, *, checked: bool = False) -> dict:
    """The chain at the parameters in force, every output as a float; with ``stage``, only the
    links that stage's figures depend on. ``checked``: the overrides were validated already (a
    chapter's parameters in force are checked once, :func:`aluminium.params.in_force`)."""
    if stage is None:
        values, links = values_in_force(overrides, checked=checked), None
    else:
        links = upstream_links(stage)
        values = values_in_force(overrides, {p for link in links for p in link.reads}, checked=checked)
        links = [link for link in LINKS if link in links]
    return {k: float(np.asarray(v).reshape(-1)[0]) for k, v in evaluate(values, links).items()}


def _with_needs(names: list[str]) -> list[Link]:
    """The named links and every link they need, transitively, in chain order."""
    by_name = {link.name: link for link in LINKS}
    seen: set[str] = set()
    while names:
        name = names.pop()
        if name not in seen:
            seen.add(name)
            names.extend((*by_name[name].needs, *by_name[name].feedback))
    return [link for link in LINKS if link.name in seen]


def upstream_links(stage: str) -> list[Link]:
    """The links a stage's chain figures depend on: those that compute them, and all they need."""
    return _with_needs([link.name for link in LINKS if any(o.startswith(f"{stage}.") for o in link.outputs)])


def parameters_of(output_id: str) -> set[str]:
    """Every parameter one chain output depends on (the reads of its link and the links it needs)."""
    links = [link.name for link in LINKS if output_id in link.outputs]
    if not links:
        raise KeyError(f"no chain link computes '{output_id}'")
    return {p for link in _with_needs(links) for p in link.reads}


def upstream_parameters(stage: str) -> list[str]:
    """Names of every parameter upstream of a stage's chain figures (sorted)."""
    return sorted({name for link in upstream_links(stage) for name in link.reads})


def outputs_of(stage: str) -> list[Output]:
    return [o for o in OUTPUTS if o.id.split(".", 1)[0] == stage]


def stage_figures(stage: str, overrides: Mapping[str, object] | None = None) -> dict:
    """The chain outputs a chapter records, at the parameters in force."""
    result = run(overrides)
    return {o.id: result[o.id] for o in outputs_of(stage)}


def stage_table(stage: str, results: Mapping[str, float]):
    """The chain's figures for one stage as a table a reader reads: ``figure``, ``value``, ``unit``."""
    # Each row in its own unit's precision (a column of mixed units cannot share one).
    return pd.DataFrame([{"figure": o.label, "value": fmt(results[o.id], o.unit, show_unit=False), "unit": o.unit}
                         for o in outputs_of(stage)])


def show_stage(ch, skip: tuple[str, ...] = ()) -> None:
    """Record a chapter's chain figures (those not recorded by the chapter itself, ``skip``) and
    show them with the parameters they came from."""
    results = ch.params.chain
    for o in outputs_of(ch.name):
        if o.id not in skip:
            ch.record(o.id, results[o.id], o.unit, o.label)
    ch.table(stage_table(ch.name, results), name="chain-figures",
             title=f"The chain at the parameters in force: what the {ch.name} stage passes on",
             source="the book's chain model at the parameters in force")
