"""What the book concludes, in sentences built from its numbers.

A judgement typed as fixed text goes false as soon as a parameter changes: a window called
"shut" opens after ``--set``, a margin called "close to 5,500" is 800 away. Here every
judgement is chosen by the number it depends on (open or shut, surplus or deficit, above or
below, rises or falls), so the key points of a chapter and the findings of the front page stay
true under any parameters and scenario.

Each stage module writes its own key points (``key_points``, with the wording of
:mod:`aluminium.words`); this module gathers them. The sentences read a chapter's recorded key
figures and the parameters in force, both by their full name (``macro.import_window_cny_t``,
``smelting.capacity_cap_kt``): the chapter calls them after recording its figures, and the build
calls them again on the collected key figures for the front page, so a key point and the page's
numbers cannot disagree. Report facts that no parameter can move are read from the data package.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aluminium.paths import CHAPTERS
from aluminium.stages import STAGES
from aluminium.words import (  # noqa: F401 - the wording the chapters call as nv.*
    HHI_HIGH,
    HHI_MODERATE,
    KeyPoint,
    Values,
    above_or_below,
    amount,
    balance_words,
    change_words,
    compared,
    contract_against_cost,
    exceeds,
    fmt,
    fmt_range,
    hhi_band,
    month_words,
    moved,
    power_bid,
    times,
    window_state,
    within,
)


def key_points(chapter: str, values: Mapping[str, Any]) -> list[KeyPoint]:
    """A chapter's 3–5 key points from its key figures and the parameters in force (full names),
    written by its stage module (``key_points``)."""
    if chapter not in STAGES:
        raise ValueError(f"no key points are written for chapter '{chapter}'; known: {', '.join(STAGES)}")
    return STAGES[chapter].key_points(Values(values, chapter))


def findings(values: Mapping[str, Any], chapters=CHAPTERS) -> list[KeyPoint]:
    """The book's headline findings: each chapter's key points marked headline, in chain order."""
    return [kp for ch in chapters for kp in key_points(ch, values) if kp.headline]
