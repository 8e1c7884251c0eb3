"""Compare two builds: every key figure side by side, the charts and tables whose data moved, and
each moved chart drawn for both builds on the same scales."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from aluminium.book.sphinx_light import ISLAND_OPEN as ISLAND


@dataclass(frozen=True)
class Side:
    """One build to compare: a label and the folder holding its key figures and downloads."""

    label: str
    folder: Path

    def figures(self) -> pd.DataFrame:
        path = self.folder / "key-figures.json"
        if not path.exists():
            raise FileNotFoundError(f"{path}: no key figures (build '{self.label}' first)")
        return pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))


def key_figures(a: Side, b: Side) -> pd.DataFrame:
    """Key figures of both builds with absolute and relative change (b − a, (b − a) / |a|)."""
    fa, fb = a.figures(), b.figures()
    merged = fa[["id", "label", "unit", "value"]].merge(
        fb[["id", "value"]], on="id", how="outer", suffixes=("_a", "_b"))
    merged["change"] = merged["value_b"] - merged["value_a"]
    nonzero = merged["value_a"].abs() > 0
    merged["change_pct"] = (merged["change"] / merged["value_a"].abs() * 100).where(nonzero)
    return merged.rename(columns={"value_a": a.label, "value_b": b.label})


def moved_outputs(a: Side, b: Side) -> pd.DataFrame:
    """The charts' and tables' data files (downloads/<chapter>/<name>.csv) that differ."""
    rows = []
    base_a, base_b = a.folder / "downloads", b.folder / "downloads"
    for path_b in sorted(base_b.rglob("*.csv")):
        rel = path_b.relative_to(base_b)
        path_a = base_a / rel
        if not path_a.exists():
            rows.append({"chapter": rel.parts[0], "output": path_b.stem, "cells_changed": None, "status": "new"})
            continue
        da, db = pd.read_csv(path_a), pd.read_csv(path_b)
        if da.shape != db.shape or list(da.columns) != list(db.columns):
            rows.append({"chapter": rel.parts[0], "output": path_b.stem, "cells_changed": None, "status": "reshaped"})
            continue
        differs = ~((da == db) | (da.isna() & db.isna()))
        n = int(differs.to_numpy().sum())
        if n:
            rows.append({"chapter": rel.parts[0], "output": path_b.stem, "cells_changed": n, "status": "moved"})
    return pd.DataFrame(rows, columns=["chapter", "output", "cells_changed", "status"])


def _page_text(side: Side, chapter: str) -> str:
    """The chapter page of a side as HTML text: the built page, or the executed notebook's HTML
    outputs (the side being built has no HTML yet)."""
    html_page = side.folder / "chapters" / f"{chapter}.html"
    if html_page.exists():
        return html_page.read_text(encoding="utf-8")
    notebook = side.folder.parent / "chapters" / f"{chapter}.ipynb"
    if not notebook.exists():
        return ""
    parts = []
    for cell in json.loads(notebook.read_text(encoding="utf-8")).get("cells", []):
        for output in cell.get("outputs", []) or []:
            html_out = (output.get("data") or {}).get("text/html")
            if html_out:
                parts.append("".join(html_out) if isinstance(html_out, list) else html_out)
    return "\n".join(parts)


def chart_spec(side: Side, chapter: str, name: str) -> dict | None:
    """The Vega-Lite spec of one chart of a build, as its page embeds it (None if it has none)."""
    text = _page_text(side, chapter)
    anchor = text.find(f'id="al-chart-{chapter}-{name}"')
    if anchor < 0:
        return None
    # A built page holds the chart as a JSON island ``[spec, options]`` (aluminium.book.sphinx_light);
    # an executed notebook as Altair's script, which calls its drawing function: ``})({spec}, …);``.
    island = text.find(ISLAND, anchor)
    script = text.find("})(", anchor)
    if island >= 0 and (script < 0 or island < script):
        (spec, _options), _ = json.JSONDecoder().raw_decode(text, island + len(ISLAND))
        return spec
    if script < 0:
        return None
    spec, _ = json.JSONDecoder().raw_decode(text, script + len("})("))
    return spec


def _has_params(spec: dict) -> bool:
    return bool(spec.get("params")) or any(_has_params(c) for key in ("layer", "hconcat", "vconcat", "concat")
                                           for c in spec.get(key, []) or [] if isinstance(c, dict))


def base_and_scenario(spec_a: dict, spec_b: dict, label_a: str, label_b: str, width: int = 600) -> dict | None:
    """One chart drawn twice, base above scenario, on shared scales (None for interactive charts,
    whose controls cannot be drawn twice on one page)."""
    if _has_params(spec_a) or _has_params(spec_b):
        return None

    def panel(spec: dict, label: str) -> dict:
        child = {k: v for k, v in spec.items()
                 if k not in ("$schema", "config", "datasets", "title", "autosize", "usermeta")}
        composite = any(k in child for k in ("hconcat", "vconcat", "concat", "facet", "repeat"))
        if (child.get("width") == "container" or "width" not in child) and not composite:
            child["width"] = width
        child["title"] = label
        return child

    return {"$schema": spec_b.get("$schema"), "config": spec_b.get("config", {}),
            "datasets": {**(spec_a.get("datasets") or {}), **(spec_b.get("datasets") or {})},
            "vconcat": [panel(spec_a, label_a), panel(spec_b, label_b)],
            "resolve": {"scale": {"x": "shared", "y": "shared", "color": "shared"}}}


def figure_sections(notebooks: Path) -> dict[str, tuple[str, str, str]]:
    """Where each key figure is recorded: id → (chapter, section anchor, section heading), read
    from the staged notebooks (the heading above the cell that records the figure)."""
    import re

    from docutils.nodes import make_id

    out: dict[str, tuple[str, str, str]] = {}
    for nb_path in sorted(Path(notebooks).glob("*.ipynb")):
        chapter = nb_path.stem
        heading = ("", "")
        for cell in json.loads(nb_path.read_text(encoding="utf-8")).get("cells", []):
            source = "".join(cell.get("source", []))
            if cell.get("cell_type") == "markdown":
                for title in re.findall(r"^#{1,3}\s+(.+?)\s*$", source, re.M):
                    heading = (make_id(title), title)
            for fig_id in re.findall(rf"[\"']({chapter}\.[a-z0-9_]+)[\"']", source):
                out.setdefault(fig_id, (chapter, *heading))
    return out
