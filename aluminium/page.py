"""What a chapter notebook calls: assumptions in force, charts, tables, key figures, prose.

A notebook opens with ``ch = Chapter("smelting", overrides)`` after its parameters cell
(``overrides`` is the dict papermill injects) and reads its parameters as ``p = ch.params``,
``p.power_price_cny_kwh``. It stays thin: load, call a model, hand the result to ``ch.chart`` / ``ch.table`` /
``ch.record``.
"""
from __future__ import annotations

import html
import os
import re
from pathlib import Path

import altair as alt
import pandas as pd
from IPython.display import HTML, Markdown, display

from . import charts, keyfigures, params
from .catalogue import catalogue
from .paths import BUILD_DIR, CHAPTERS

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def cite(resource: dict | None = None, source: str | None = None, location: str | None = None) -> str:
    """"Publisher (year), location" for a catalogue resource or a report id."""
    source = source or (resource or {}).get("source", "")
    location = location if location is not None else (resource or {}).get("location", "")
    reports = {s["name"]: s for s in catalogue().get("sources", [])}
    label = reports.get(source, {}).get("short", source)
    return f"{label}, {location}" if location else label


def downloads_dir(chapter: str) -> Path:
    return Path(os.environ.get("ALUMINIUM_DOWNLOADS_DIR", BUILD_DIR / "downloads" / chapter))


def _fmt(value) -> str:
    """A parameter value as a reader wants to see it: no float noise, thousands separated."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.1f}"


def _how(row: dict) -> str:
    """The marker after a value in the assumptions table: changed, or for an upstream result
    whether the chain models it or the build pins it."""
    if row.get("modelled or pinned"):
        return f" <em>({row['modelled or pinned']})</em>"
    return " <em>(changed)</em>" if row["changed"] else ""


class Chapter:
    """One chapter's page helpers; checks the parameters in force when created."""

    def __init__(self, name: str, overrides: dict):
        if name not in CHAPTERS:
            raise ValueError(f"unknown chapter '{name}'")
        self.name = name
        self.params = params.in_force(name, overrides)
        self._names: set[str] = set()

    # -- parameters ---------------------------------------------------------
    def assumptions(self) -> None:
        """Display the table of this chapter's assumptions, marking those changed from default."""
        df = self.params.table()
        if df.empty:
            display(Markdown("This chapter takes no parameters."))
            return
        changed = int((df["changed"] != "").sum())
        note = (f"**{changed} assumption(s) differ from the defaults** (marked *changed*)."
                if changed else "All assumptions are at their defaults.")
        display(Markdown(note))
        rows = []
        for r in df.to_dict("records"):
            cls = ' class="al-changed"' if r["changed"] else ""
            rows.append(
                f"<tr{cls}><td><code>{html.escape(r['parameter'])}</code>"
                f'<div class="al-param-desc">{html.escape(r["description"])}</div></td>'
                f"<td>{html.escape(_fmt(r['value']))}{_how(r)}</td>"
                f"<td>{html.escape(r['unit'])}</td><td>{html.escape(_fmt(r['default']))}</td>"
                f'<td class="al-param-origin">{html.escape(str(r["default from"]))}</td></tr>')
        display(HTML('<div class="al-table-wrap" data-table="assumptions"><p class="al-caption">'
                     "Assumptions in force for this chapter</p>"
                     '<table class="al-table al-assumptions table"><thead><tr><th>parameter</th><th>value</th>'
                     "<th>unit</th><th>default</th><th>default from</th></tr></thead><tbody>"
                     + "".join(rows) + "</tbody></table></div>"))

    # -- output ---------------------------------------------------------------
    def _download(self, df: pd.DataFrame, name: str) -> str:
        if not _NAME.match(name) or name in self._names:
            raise ValueError(f"chapter {self.name}: output name '{name}' must be unique and lower-case")
        self._names.add(name)
        out = downloads_dir(self.name)
        out.mkdir(parents=True, exist_ok=True)
        df.to_csv(out / f"{name}.csv", index=False)
        # Chapter pages live in chapters/, downloads at the site root (html_extra_path).
        return f"../downloads/{self.name}/{name}.csv"

    @staticmethod
    def derived_from(*frames: pd.DataFrame) -> str:
        """Source line for data computed from loaded tables: "computed from <their sources>"."""
        cites = [cite(f.attrs["resource"]) for f in frames if f.attrs.get("resource")]
        if not cites:
            raise ValueError("derived_from: none of these frames was loaded from the data package")
        return "computed from " + "; ".join(dict.fromkeys(cites))

    def _source(self, source: str | None, data: pd.DataFrame, what: str) -> str:
        """The source line: given, or the catalogue entry the data came from; never empty."""
        source = source if source is not None else cite(data.attrs.get("resource"))
        if not source:
            raise ValueError(f"chapter {self.name}, {what}: name its source (source=...); "
                             "derived data does not carry its catalogue entry")
        return source

    def _footer(self, href: str, source: str) -> str:
        src = f"Source: {html.escape(source)}. " if source else ""
        return (f'<p class="al-source">{src}<a href="{href}" download>Download the data (CSV)</a></p>')

    def chart(self, chart: alt.TopLevelMixin, *, name: str, title: str, data: pd.DataFrame | None = None,
              source: str | None = None, subtitle: str | None = None) -> None:
        """Show a chart with its title, source line and its data as a CSV download."""
        if data is None:
            data = chart.data if isinstance(chart.data, pd.DataFrame) else None
        if data is None:
            raise ValueError(f"chapter {self.name}, chart '{name}': pass the data to offer for download")
        source = self._source(source, data, f"chart '{name}'")
        sub = [s for s in (subtitle, f"Source: {source}") if s]
        titled = chart.properties(title=alt.TitleParams(title, subtitle=sub or alt.Undefined))
        spec = charts.share_layer_titles(titled.to_dict())
        problems = charts.lint(spec)
        if problems:
            raise ValueError(f"chapter {self.name}, chart '{name}': " + "; ".join(problems))
        href = self._download(data, name)
        html_chart = charts.to_html(spec, f"al-chart-{self.name}-{name}")
        display(HTML(f'<figure class="al-chart" data-chart="{name}">{html_chart}'
                     f"{self._footer(href, source)}</figure>"))

    def table(self, df: pd.DataFrame, *, name: str, title: str, source: str | None = None,
              formats: dict | None = None) -> None:
        """Show a table with a caption, source line and CSV download."""
        source = self._source(source, df, f"table '{name}'")
        href = self._download(df, name)
        self._show_frame(df, name, caption=title, formats=formats, footer=self._footer(href, source))

    def _show_frame(self, df: pd.DataFrame, name: str, caption: str, formats: dict | None = None,
                    footer: str = "") -> None:
        shown = df.copy()
        for col in shown.columns:
            fmt = (formats or {}).get(col)
            if fmt:
                shown[col] = shown[col].map(lambda v, f=fmt: "" if pd.isna(v) else format(v, f))
            elif pd.api.types.is_float_dtype(shown[col]):
                shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else f"{v:,.2f}".rstrip("0").rstrip("."))
        body = shown.to_html(index=False, escape=True, na_rep="", classes="al-table table", border=0)
        display(HTML(f'<div class="al-table-wrap" data-table="{name}"><p class="al-caption">'
                     f"{html.escape(caption)}</p>{body}{footer}</div>"))

    def record(self, fig_id: str, value, unit: str, label: str, source: str = "") -> None:
        """Record a headline number (cite it in prose with {glue:text}`fig_id`)."""
        if not fig_id.startswith(self.name + "."):
            raise ValueError(f"chapter {self.name}: key figure '{fig_id}' must start with '{self.name}.'")
        keyfigures.record(fig_id, value, unit, label, source)

    def flagged(self, df: pd.DataFrame, what: str | None = None) -> None:
        """Show the rows of a table that the data flags (the reports' own inconsistencies)."""
        if "flag" not in df.columns:
            return
        rows = df[df["flag"].fillna("").astype(str).str.strip() != ""]
        if rows.empty:
            return
        what = what or (df.attrs.get("resource") or {}).get("title", "this table")
        items = "".join(f"<li>{html.escape(', '.join(f'{k}={v}' for k, v in r.items() if k != 'flag' and pd.notna(v)))}"
                        f": <em>{html.escape(str(r['flag']))}</em></li>"
                        for r in rows.head(12).to_dict("records"))
        more = f"<li>… and {len(rows) - 12} more (see the data catalogue)</li>" if len(rows) > 12 else ""
        display(HTML(f'<div class="admonition warning"><p class="admonition-title">The source does not add up: '
                     f"{len(rows)} flagged row(s) in {html.escape(what)}</p><ul>{items}{more}</ul>"
                     "<p>The book keeps the report's values as printed.</p></div>"))

    @staticmethod
    def md(text: str) -> None:
        display(Markdown(text))
