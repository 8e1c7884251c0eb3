"""Reader wording chosen by a value: a judgement typed as fixed text goes false as soon as a
parameter changes (a window called "shut" opens after ``--set``), so each is chosen here by the
number it depends on (open or shut, surplus or deficit, above or below, rises or falls). The
stages write their key points with these (each stage module's ``key_points``); the book's
:mod:`aluminium.book.narrative` gathers them.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from aluminium.numbers import choose, fmt, fmt_range  # noqa: F401 - the key points' formatters, with the words

# Horizontal-merger guidelines (US DOJ/FTC, 2010): below 1,500 unconcentrated, above 2,500
# highly concentrated. The bauxite and alumina chapters use the same bands.
HHI_MODERATE, HHI_HIGH = 1500.0, 2500.0


@dataclass(frozen=True)
class KeyPoint:
    """One numbered key point: Markdown text (numbers formatted), the section that shows it."""

    chapter: str
    text: str
    section: str  # the MyST label of the section with the evidence, e.g. "macro-import-parity"
    headline: bool = False  # also one of the book's findings on the front page


class Values(Mapping):
    """Key figures and parameters in force by full name; a missing one is named in the error."""

    def __init__(self, values: Mapping[str, Any], chapter: str = ""):
        self._values = dict(values)
        self._chapter = chapter

    def __getitem__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            where = f"chapter {self._chapter}: " if self._chapter else ""
            raise KeyError(f"{where}the key points need '{name}', which is neither a key figure recorded "
                           "before them nor a parameter in force") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


# -- wording chosen by a value ---------------------------------------------------------------
def _close(value: float, reference: float, tolerance_pct: float) -> bool:
    return abs(value - reference) <= abs(reference) * tolerance_pct / 100


def month_words(month: str) -> str:
    """``"2024-11"`` → ``"November 2024"``."""
    import calendar

    year, m = month.split("-")
    return f"{calendar.month_name[int(m)]} {year}"


def window_state(window_cny_t: float) -> str:
    """``"open by 1,234 CNY/t"``, ``"shut by 4,172 CNY/t"`` or ``"exactly at parity"``."""
    state = choose(window_cny_t, "open", "shut", "at parity", tolerance=0.5)
    return "exactly at parity" if state == "at parity" else f"{state} by {fmt(abs(window_cny_t), 'CNY/t')}"


def balance_words(balance_kt: float) -> str:
    """``"a surplus of 150 kt"``, ``"a deficit of 3,844 kt"`` or ``"balanced"``."""
    kind = choose(balance_kt, "surplus", "deficit", "balanced", tolerance=0.5)
    return kind if kind == "balanced" else f"a {kind} of {fmt(abs(balance_kt), 'kt')}"


def amount(value: float, unit: str) -> str:
    """A gap or a price as prose gives it: whole units from 10 up (``"81 CNY/t"``, not ``"81.4"``)."""
    return fmt(value, unit, decimals=0 if abs(value) >= 10 else None)


def compared(value: float, reference: float, unit: str, *, tolerance_pct: float = 2.0,
             close: str = "in line with", above: str = "above", below: str = "below") -> str:
    """How a value stands against a reference: ``"in line with"`` or ``"818 CNY/t below"``."""
    if _close(value, reference, tolerance_pct):
        return close
    return f"{amount(abs(value - reference), unit)} {choose(value - reference, above, below)}"


def moved(start: float, end: float, unit: str, *, up: str = "rose", down: str = "fell",
          flat: str = "held at", tolerance_pct: float = 0.5) -> str:
    """``"rose from 1,653 to 2,213"``, ``"fell from …"`` or ``"held at …"`` (units after the last)."""
    if _close(end, start, tolerance_pct):
        return f"{flat} {fmt(end, unit)}"
    return f"{choose(end - start, up, down)} from {fmt(start, unit, show_unit=False)} to {fmt(end, unit)}"


def change_words(change: float, unit: str, *, up: str = "rose", down: str = "fell", flat: str = "was unchanged") -> str:
    """A signed change as words: ``"fell 27.7 %"``, ``"rose 3 %"``, ``"was unchanged"``."""
    text = fmt(abs(change), unit)
    if text.split()[0] in ("0", "0.0"):
        return flat
    return f"{choose(change, up, down)} {text}"


def hhi_band(hhi: float) -> str:
    """The concentration band of an HHI (10,000 for a monopoly)."""
    if hhi < HHI_MODERATE:
        return "unconcentrated"
    if hhi <= HHI_HIGH:
        return "moderately concentrated"
    return "highly concentrated"


def exceeds(have: float, need: float, unit: str, against: str = "it") -> str:
    """``"exceeds <against> by X"``, ``"falls short of <against> by X"`` or ``"just matches <against>"``."""
    if _close(have, need, 0.1):
        return f"just matches {against}"
    verb = choose(have - need, "exceeds", "falls short of")
    return f"{verb} {against} by {fmt(abs(have - need), unit)}"


def within(value: float, low: float, high: float, unit: str) -> str:
    """``"inside the 14,500–17,000 CNY/t range"`` or ``"500 CNY/t above the … range"``."""
    span = fmt_range(low, high, unit)
    if low <= value <= high:
        return f"inside the {span} range"
    gap = value - high if value > high else low - value
    return f"{fmt(gap, unit)} {'above' if value > high else 'below'} the {span} range"


def times(ratio: float) -> str:
    """A multiple in words: ``"2.9 times"``, ``"the same as"`` near one."""
    if _close(ratio, 1.0, 1.0):
        return "about the same as"
    return f"{fmt(ratio, decimals=1)} times"


# -- judgements in the chapters' running text --------------------------------------------------
def above_or_below(value: float, reference: float, unit: str, what: str, *, tolerance_pct: float = 0.1) -> str:
    """``"1.2 Mt/yr above <what>"``, ``"0.4 Mt/yr below <what>"`` or ``"at <what>"``."""
    return f"{compared(value, reference, unit, tolerance_pct=tolerance_pct, close='at')} {what}"


def contract_against_cost(margin: float, breakeven: float, traded_low: float, traded_high: float) -> str:
    """The ratio contract against the cash cost, and its break-even against the 2023 Shanghai range."""
    earns = (f"earns {fmt(margin, 'CNY/t')} a tonne over the cash cost" if margin >= 0
             else f"falls {fmt(-margin, 'CNY/t')} a tonne short of the cash cost")
    return (f"Against cost, the ratio contract {earns} and covers it for any aluminium price above "
            f"{fmt(breakeven, 'CNY/t')}, {within(breakeven, traded_low, traded_high, 'CNY/t')} Shanghai aluminium "
            "traded in during 2023.")


def power_bid(gap_usd_t: float, ratio: float) -> str:
    """What paying the data-centre power price would do to a tonne of aluminium."""
    if gap_usd_t > 0:
        return (f"Paying the data-centre price, {times(ratio)} the smelters', would add {fmt(gap_usd_t, 'USD/t')} to "
                "every tonne. That is why, in Zijin's reading, idle US capacity is unlikely to restart and new "
                "Western capacity is unlikely to be built, which keeps the world outside China short of primary metal.")
    return (f"At these prices data centres pay {times(ratio)} the smelters' price, and a tonne at their price would cost "
            f"{fmt(-gap_usd_t, 'USD/t')} less: they are no richer bidder, and Zijin's argument that they keep US "
            "smelters shut does not hold at these assumptions.")

