"""Key figures: a chapter's headline numbers, recorded once and cited in its prose.

``record`` glues the figure into the executed notebook (myst-nb's glue, so the prose can
cite it with ``{glue:text}`id```) and tags it so the build can collect every chapter's
figures into ``key-figures.json`` and ``key-figures.csv``.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from aluminium.numbers import fmt
from aluminium.paths import CHAPTERS

MIME = "application/vnd.aluminium.key-figure+json"
_GLUE_PREFIX = "application/papermill.record/"
_ID = re.compile(rf"^({'|'.join(CHAPTERS)})\.[a-z0-9_]+$")


@dataclass(frozen=True)
class KeyFigure:
    id: str
    value: float
    unit: str
    label: str
    source: str = ""

    def text(self) -> str:
        """The value as prose shows it, by the book's one formatter (``numbers.fmt``)."""
        return fmt(self.value, self.unit)

    def __str__(self) -> str:
        return self.text()

    def _ipython_display_(self) -> None:
        """Nothing: a figure recorded as a cell's last line is cited in the prose, not printed
        where it is recorded (and never as a Python repr)."""


class _Glued:
    """What glue stores: the prose text and the machine-readable record, side by side."""

    def __init__(self, fig: KeyFigure):
        self.fig = fig

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": self.fig.text(), MIME: asdict(self.fig)}


def record(fig_id: str, value, unit: str, label: str, source: str = "") -> KeyFigure:
    """Record a headline number of the chapter; returns it (glued under its id)."""
    if not _ID.match(fig_id):
        raise ValueError(f"key figure id '{fig_id}' must be 'chapter.snake_case' with chapter one of {CHAPTERS}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"key figure '{fig_id}': value {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"key figure '{fig_id}': value {value!r} is not finite")
    if not unit or not label:
        raise ValueError(f"key figure '{fig_id}': unit and label are required")
    fig = KeyFigure(fig_id, number, unit, label, source)
    from myst_nb import glue

    glue(fig_id, _Glued(fig), display=False)
    return fig


def from_notebook(path: Path) -> list[KeyFigure]:
    """The key figures an executed notebook recorded, in order."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data", {})
            payload = data.get(_GLUE_PREFIX + MIME)
            if payload:
                out.append(KeyFigure(**payload))
    return out


def write(figures: list[KeyFigure], out_dir: Path) -> tuple[Path, Path]:
    """``key-figures.json`` and ``key-figures.csv`` in ``out_dir``; ids must be unique."""
    import csv

    ids = [f.id for f in figures]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"key figures recorded twice: {', '.join(dupes)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = [asdict(f) for f in figures]
    json_path, csv_path = out_dir / "key-figures.json", out_dir / "key-figures.csv"
    json_path.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    with open(csv_path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "value", "unit", "label", "source"])
        writer.writeheader()
        writer.writerows(rows)
    return json_path, csv_path
