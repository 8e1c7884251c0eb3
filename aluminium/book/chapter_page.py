"""What a chapter notebook calls: assumptions in force, charts, tables, key figures, prose.

A notebook opens with ``ch = Chapter("smelting", overrides, build_files)`` after its parameters
cell (``overrides`` and ``build_files`` are the dicts papermill injects: the build's overrides, and
where the build wants the chapter's record of the files it read and its downloads) and reads its parameters as ``p = ch.params``,
``p.power_price_cny_kwh``. It stays thin: load, call a model, hand the result to ``ch.chart`` / ``ch.table`` /
``ch.record``.
"""
from __future__ import annotations

import re
from pathlib import Path

import altair as alt
import pandas as pd
from IPython.display import HTML, Markdown, display
from markupsafe import Markup

from aluminium import params
from aluminium.book import charts, html, keyfigures, markup, narrative
from aluminium.data import provenance, reads
from aluminium.paths import BUILD_DIR, CHAPTERS

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


cite = provenance.cite


def flag_groups(df: pd.DataFrame) -> list[str]:
    """One sentence per problem the ``flag`` column names: rows with the same reason are one
    problem, said once with how many rows it touches."""
    if "flag" not in df.columns:
        return []
    reasons = df["flag"].fillna("").astype(str).str.strip()
    counts = reasons[reasons != ""].value_counts(sort=False)
    out = []
    for reason, n in counts.items():
        text = reason[:1].upper() + reason[1:]
        out.append(text.rstrip(".") + (f" ({n} rows)." if n > 1 else "."))
    return out


class Chapter:
    """One chapter's page helpers; checks the parameters in force when created.

    ``build_files`` is what the build tells a chapter it executes (the one channel from the
    build into the kernel, a papermill parameter): ``deps`` names the file that records every
    data file the kernel reads (the chapter's dependencies in the build's cache), ``downloads``
    the folder its CSV downloads go to. Without them (a notebook run by hand) nothing is
    recorded and downloads go to the build folder."""

    def __init__(self, name: str, overrides: dict, build_files: dict | None = None):
        if name not in CHAPTERS:
            raise ValueError(f"unknown chapter '{name}'")
        self.name = name
        build_files = build_files or {}
        if build_files.get("deps"):
            reads.record_reads_to(build_files["deps"])
        self.downloads = Path(build_files.get("downloads") or BUILD_DIR / "downloads" / name)
        self.params = params.in_force(name, overrides)
        self._names: set[str] = set()
        self.figures: dict[str, float] = {}  # key figures recorded so far, by id

    # -- parameters ---------------------------------------------------------
    def assumptions(self) -> None:
        """The assumptions in force, folded: one line says how many differ from the defaults."""
        table = self.params.table()
        if not table.empty:
            table["default from"] = [params.param_origin(name) for name in table["parameter"]]
        display(HTML(markup.assumptions_html(table)))

    def key_points(self, points: list[str]) -> None:
        """The block that opens the page: 3–5 numbered sentences, each with a live number.

        The block is glued as ``<chapter>.key_points``; the chapter shows it right under its
        title with a ``{glue}`` directive, so it can be written last, from the figures the
        chapter recorded, and still come first. ``**bold**`` and ``[text](#anchor)`` are allowed.
        """
        from myst_nb import glue

        glue(f"{self.name}.key_points", HTML(markup.key_points_html(points)), display=False)

    def values(self) -> dict:
        """What the key points read: the parameters in force and the chain's values by full name,
        then the key figures recorded so far."""
        out = {p.name: self.params.values[p.short] for p in params.chapter_params(self.name)}
        out.update(self.params.chain)
        out.update(self.figures)
        return out

    def key_points_from_figures(self) -> None:
        """The key points, written by :mod:`aluminium.book.narrative` from the figures recorded above
        and the parameters in force (call it last)."""
        self.key_points([f"{kp.text} [More](#{kp.section})"
                         for kp in narrative.key_points(self.name, self.values())])

    # -- output ---------------------------------------------------------------
    def _download(self, df: pd.DataFrame, name: str) -> str:
        if not _NAME.match(name) or name in self._names:
            raise ValueError(f"chapter {self.name}: output name '{name}' must be unique and lower-case")
        self._names.add(name)
        out = self.downloads
        out.mkdir(parents=True, exist_ok=True)
        df.to_csv(out / f"{name}.csv", index=False)
        # Chapter pages live in chapters/, downloads at the site root (html_extra_path).
        return f"../downloads/{self.name}/{name}.csv"

    @staticmethod
    def derived_from(*inputs, how: str = "") -> str:
        """Source line for numbers the book computed: "the book's calculation from <sources>".

        ``inputs`` are frames loaded from the data package, catalogue resource names or fact
        ids; ``how`` names the model briefly ("cost model", "import-parity model").
        """
        return provenance.derived_from(*inputs, how=how)

    def _source(self, source: str | None, data: pd.DataFrame, what: str) -> str:
        """The source line: given, or the catalogue entry the data came from; never empty."""
        source = source if source is not None else cite(data.attrs.get("resource"))
        if not source:
            raise ValueError(f"chapter {self.name}, {what}: name its source (source=...); "
                             "derived data does not carry its catalogue entry")
        return source

    @staticmethod
    def _footer(href: str, source: str) -> str:
        return markup.source_html(source, href)

    def chart(self, chart: alt.TopLevelMixin, *, name: str, title: str, data: pd.DataFrame | None = None,
              source: str | None = None, subtitle: str | None = None) -> None:
        """Show a chart with its title, source line and its data as a CSV download."""
        if data is None:
            data = chart.data if isinstance(chart.data, pd.DataFrame) else None
        if data is None:
            raise ValueError(f"chapter {self.name}, chart '{name}': pass the data to offer for download")
        source = self._source(source, data, f"chart '{name}'")
        spec = charts.prepare(charts.titled(chart.to_dict(), title, subtitle))
        problems = charts.lint(spec) + charts.lint_layout(spec)
        if problems:
            raise ValueError(f"chapter {self.name}, chart '{name}': " + "; ".join(problems))
        href = self._download(data, name)
        html_chart = charts.to_html(spec, f"al-chart-{self.name}-{name}")
        # Title and subtitle in HTML above the chart (they wrap on a phone); the source, once, below.
        # The chart island is the book's own (charts.to_html writes our spec as JSON for Vega).
        display(HTML(html.macro("pages.html", "chart_figure")(name, charts.caption_html(spec), Markup(html_chart),
                                                              self._footer(href, source))))

    def table(self, df: pd.DataFrame, *, name: str, title: str, source: str | None = None,
              code: tuple = (), wide: bool = False, latest: int | None = None, rows_are: str = "rows") -> None:
        """Show a table with a caption, source line and CSV download.

        Headers come from the label map, numbers from the book's formatter; ``code`` names
        columns whose cells a reader types (parameter names). A wide table scrolls in its box.
        ``latest=N`` shows only the last N rows of a long series (the page stays light); the
        caption says so, counting in ``rows_are`` ("months"), and the download holds every row.
        """
        source = self._source(source, df, f"table '{name}'")
        href = self._download(df, name)
        shown = df
        if latest is not None and len(df) > latest:
            shown = df.tail(latest)
            title = f"{title}: the latest {latest} of {len(df):,} {rows_are} (all are in the CSV download)"
        display(HTML(markup.table_html(markup.reader_frame(shown), name=name, caption=title,
                                       footer=self._footer(href, source), code=code, wide=wide)))

    def record(self, fig_id: str, value, unit: str, label: str, source: str = "") -> keyfigures.KeyFigure:
        """Record a headline number and return it (``.text()`` is how prose shows it)."""
        if not fig_id.startswith(self.name + "."):
            raise ValueError(f"chapter {self.name}: key figure '{fig_id}' must start with '{self.name}.'")
        fig = keyfigures.record(fig_id, value, unit, label, source)
        self.figures[fig.id] = fig.value
        return fig

    def flagged(self, df: pd.DataFrame, what: str | None = None) -> None:
        """Say, once per problem, where the data's source does not add up (rows: data catalogue)."""
        groups = flag_groups(df)
        if not groups:
            return
        what = what or (df.attrs.get("resource") or {}).get("title", "this table")
        display(HTML(html.macro("pages.html", "flags")(what, groups)))

    @staticmethod
    def md(text: str) -> None:
        """Prose built by code: report ids read as the prose names them, Chinese after its English."""
        display(Markdown(provenance.reader_text(text)))
