"""The parameter registry: which parameters exist (each stage module declares its own), a name
looked up with a hint when it is misspelt, overrides validated in one pass, a chapter's
parameters (its own, then those it uses from other chapters).
"""
from __future__ import annotations

import difflib
import functools
from pathlib import Path
from typing import Any

from aluminium.errors import ParameterError
from aluminium.parameter import Param, flatten, read_yaml, shown_value
from aluminium.paths import CHAPTERS
from aluminium.stages import STAGES


@functools.cache
def registry() -> dict[str, Param]:
    """Every chapter's parameters, from the stage modules, in chain order (built once; a test that
    changes a stage's declarations calls ``registry.cache_clear()``)."""
    out: dict[str, Param] = {}
    for chapter, module in STAGES.items():
        for p in module.PARAMETERS:
            if p.chapter != chapter or p.name in out:
                raise AssertionError(f"{module.__name__} declares '{p.name}' outside its chapter or twice")
            out[p.name] = p
    return out


def lookup(name: str, where: str = "") -> Param:
    reg = registry()
    if name in reg:
        return reg[name]
    at = f"{where}: " if where else ""
    close = difflib.get_close_matches(name, list(reg), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else "; `aluminium params` lists them"
    raise ParameterError(f"{at}unknown parameter {shown_value(name)}{hint}")


def validate(overrides: dict[str, Any], where: str = "") -> dict[str, Any]:
    """Checked, typed overrides. Every bad one is reported in one ParameterError, so a user
    fixing a file sees all its unknown names, wrong types and out-of-range values at once."""
    checked, problems = {}, []
    for name, value in overrides.items():
        try:
            checked[name] = lookup(name).check(value)
        except ParameterError as exc:
            problems.append(str(exc))
    at = f"{where}: " if where else ""
    if len(problems) == 1:
        raise ParameterError(at + problems[0])
    if problems:
        raise ParameterError(f"{at}{len(problems)} problems with the parameters:\n"
                             + "\n".join(f"  - {p}" for p in problems))
    return checked


def read_params_file(path: Path) -> dict[str, Any]:
    doc = read_yaml(path)
    if isinstance(doc, dict) and "parameters" in doc:
        doc = doc["parameters"]
    return validate(flatten(doc, str(path)), str(path))


def chapter_params(chapter: str) -> list[Param]:
    """The parameters a chapter reads: its own, then those it uses from other chapters.

    A chapter module lists shared parameters it reads in ``USES`` (e.g. ``("macro.usd_cny",)``),
    so an assumption such as the exchange rate is declared once and set once for the whole book.
    """
    if chapter not in CHAPTERS:
        raise ParameterError(f"unknown chapter '{chapter}'")
    reg = registry()
    module = STAGES[chapter]
    own = [p for p in reg.values() if p.chapter == chapter]
    used = []
    for name in getattr(module, "USES", ()):
        if name not in reg:
            raise AssertionError(f"{module.__name__}.USES names unknown parameter '{name}'")
        used.append(reg[name])
    shorts = [p.short for p in own + used]
    clash = sorted({s for s in shorts if shorts.count(s) > 1})
    if clash:
        raise AssertionError(f"chapter {chapter}: parameter short names clash: {', '.join(clash)}")
    return own + used
