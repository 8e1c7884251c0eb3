"""The HTML every page shares: the one table builder, the key-points block, the collapsed
assumptions block and the source line under a chart or table.

Chapters reach these through ``Chapter`` (``ch.table``, ``ch.key_points``,
``ch.assumptions``); the generated reference pages call them directly. Everything that
comes from data is escaped; numbers go through :mod:`aluminium.numbers`, column names
through :mod:`aluminium.data.labels`.

API:

``reader_frame(df)``
    The frame as a reader sees it: a ``fact`` (id) or report-id ``source`` column becomes a
    source column naming the report and the place in it, in English.
``table_html(df, *, name="", caption="", footer="", headers=None, code=(), markup=(),
row_classes=None, resource=None, wide=False)``
    A ``<table>`` inside a box that scrolls sideways on its own when the table is wider
    than the page. Headers are the label map's labels (or ``headers[col]``); numeric
    columns are formatted per column; text cells that are machine names show their
    label; ``code`` columns are shown as ``<code>`` (names a reader types, e.g. for
    ``--set``); ``markup`` columns are trusted HTML built by the caller.
``key_points_html(points, title="Key points")``
    A numbered list of 3–5 sentences in a boxed block (``div.al-key-points``). Each point
    is plain text built by code from live values (escaped here), with two bits of
    Markdown: ``**bold**`` and links ``[text](#anchor)`` or ``[text](page.html#anchor)``.
    Each point must carry a number.
``assumptions_html(rows)``
    The assumptions in force, folded in a ``<details>`` whose summary says how many of
    them differ from the defaults; changed rows stay marked when it is opened.
``code_identifiers(text)``
    Escaped text in which machine names (``supply_kt``) are set as code.
``source_html(source, href=None)``
    "Source: …" and the CSV download link under a chart or table.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from aluminium.data import labels
from aluminium.escape import esc, literal  # noqa: F401 - the book's escaping, re-exported
from aluminium.numbers import fmt, format_column

MIN_KEY_POINTS, MAX_KEY_POINTS = 3, 5
_DIGIT = re.compile(r"\d")


def _cells(series: pd.Series, column: str, resource: str | None) -> list[str]:
    """The escaped cells of one column, formatted by the book's rules."""
    if pd.api.types.is_bool_dtype(series):
        return [esc(fmt(v)) for v in series]
    if pd.api.types.is_numeric_dtype(series):
        return [esc(v) for v in format_column(series.tolist(), labels.unit(column, resource))]
    from aluminium.data.provenance import reader_text

    return [esc(reader_text(labels.series(v))) if isinstance(v, str) else esc(fmt(v)) for v in series]


def reader_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A frame as a reader sees it: fact ids and report ids become a source column in English
    (report, and section or table), the machine columns they came in are dropped."""
    from aluminium.data import facts
    from aluminium.data.provenance import locator, reader_text, short

    out = df.copy()
    known = facts.all_facts()
    id_column = next((c for c in ("fact", "id") if c in out.columns
                      and out[c].map(lambda v: v in known or v == "" or v is None).all()), None)
    if id_column:
        cited = []
        for fid in out[id_column]:
            if isinstance(fid, str) and fid:
                f = facts.fact(fid)
                cited.append(f"{short(f.source)}, {locator(f.location)}")
            else:
                cited.append("")
        out = out.drop(columns=[c for c in (id_column, "source", "location") if c in out.columns])
        out["source"] = cited
    elif "source" in out.columns and out["source"].map(lambda v: isinstance(v, str)).all():
        # Report ids become the report's name; other text (already a citation) is kept.
        where = out["location"] if "location" in out.columns else [""] * len(out)
        out["source"] = [", ".join(x for x in (short(s), locator(loc)) if x) for s, loc in zip(out["source"], where)]
        out = out.drop(columns=[c for c in ("location",) if c in out.columns])
    # A column as printed in Chinese ("name_zh") follows its English ("name") in one cell, as a locator.
    for zh_col in [c for c in out.columns if str(c).endswith("_zh") and str(c)[:-3] in out.columns]:
        en_col = str(zh_col)[:-3]
        out[en_col] = [f"{en} ({zh})" if isinstance(zh, str) and zh.strip() and isinstance(en, str) and en.strip()
                       else en for en, zh in zip(out[en_col], out[zh_col])]
        out = out.drop(columns=[zh_col])
    for col in out.columns:
        if pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: reader_text(v) if isinstance(v, str) else v)
    out.attrs = dict(df.attrs)
    return out


def table_html(df: pd.DataFrame, *, name: str = "", caption: str = "", footer: str = "",
               headers: dict | None = None, code: Iterable[str] = (), markup: Iterable[str] = (),
               row_classes: list[str] | None = None, resource: str | None = None,
               wide: bool = False) -> str:
    """The book's one HTML table (see the module docstring)."""
    resource = resource or (df.attrs.get("resource") or {}).get("name")
    headers, code, markup = headers or {}, set(code), set(markup)
    columns = list(df.columns)
    body_cols = []
    # A table whose rows carry their own unit (a "unit" column) formats each number in its row's unit.
    row_units = list(df["unit"]) if "unit" in df.columns else None
    for col in columns:
        series = df[col]
        if (row_units is not None and col not in markup and col not in code
                and pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)):
            body_cols.append([esc(fmt(v, str(u or ""), show_unit=False)) for v, u in zip(series, row_units)])
        elif col in markup:
            body_cols.append(["" if pd.isna(v) else str(v) for v in series])
        elif col in code:
            body_cols.append([f"<code>{esc(v)}</code>" if not pd.isna(v) and v != "" else "" for v in series])
        else:
            body_cols.append(_cells(series, col, resource))
    header_text = [esc(headers.get(c, labels.label(str(c), resource=resource))) for c in columns]
    head = "".join(f'<th scope="col">{h}</th>' for h in header_text)
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               and c not in markup and c not in code and labels.unit(str(c), resource) != "year"
               for c in columns]
    # Prose-length columns keep a readable width; the table then scrolls in its box if it must.
    long_text = [not numeric[j] and len(df) > 0 and
                 sum(len(re.sub(r"<[^>]+>", "", c)) for c in body_cols[j]) / len(df) > 30
                 for j in range(len(columns))]
    cell_class = ['class="al-num"' if numeric[j] else 'class="al-long"' if long_text[j] else ""
                  for j in range(len(columns))]
    rows = []
    for i in range(len(df)):
        cls = f' class="{esc(row_classes[i])}"' if row_classes and row_classes[i] else ""
        tds = "".join(f"<td {cell_class[j]} data-label=\"{header_text[j]}\">{body_cols[j][i]}</td>"
                      for j in range(len(columns)))
        rows.append(f"<tr{cls}>{tds}</tr>")
    # On a phone, a table with prose-length columns turns into one block per row (see book.css).
    stack = any(long_text) and len(columns) > 2
    table_cls = "al-table table" + (" al-wide" if wide else "") + (" al-stack" if stack else "")
    cap = f'<p class="al-caption">{esc(caption)}</p>' if caption else ""
    data_attr = f' data-table="{esc(name)}"' if name else ""
    return (f'<div class="al-table-block"{data_attr}>{cap}<div class="al-table-wrap" tabindex="0">'
            f'<table class="{table_cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}'
            f"</tbody></table></div>{footer}</div>")


_IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def code_identifiers(text: str) -> str:
    """Escaped text with each snake_case name (a column, a parameter) set as ``<code>``."""
    from aluminium.data.provenance import reader_text

    return _IDENTIFIER.sub(lambda m: f"<code>{m.group(0)}</code>", esc(reader_text(text)))


def label_words(text: str) -> str:
    """Text in which each snake_case name (a column, a parameter) is said in the label map's words
    ("supply_kt + net_imports_kt" → "supply + net imports"). Not escaped."""
    def words(m: re.Match) -> str:
        label = labels.label(m.group(0), with_unit=False)
        # Lower-case a label's first letter in running text, unless it is an acronym ("NEV sales").
        if len(label) > 1 and label[0].isupper() and not label[1].isupper() and m.start() > 0:
            label = label[0].lower() + label[1:]
        return label

    return _IDENTIFIER.sub(words, str(text))


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def inline_markdown(text: str) -> str:
    """Escaped text with ``**bold**`` and ``[links](#anchor)`` turned into HTML."""
    out = esc(text)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    return _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', out)


def key_points_html(points: list[str], title: str = "Key points") -> str:
    """The key-points block: 3–5 numbered sentences, each with a number in it."""
    points = [p.strip() for p in points if p and p.strip()]
    if not MIN_KEY_POINTS <= len(points) <= MAX_KEY_POINTS:
        raise ValueError(f"key points: give {MIN_KEY_POINTS}–{MAX_KEY_POINTS} points, got {len(points)}")
    without = [p for p in points if not _DIGIT.search(_LINK.sub(r"\1", p))]
    if without:
        raise ValueError(f"key points: each point carries a live number; none in: {without[0]!r}")
    from aluminium.data.provenance import reader_text

    items = "".join(f"<li>{inline_markdown(reader_text(p))}</li>" for p in points)
    return (f'<div class="admonition al-key-points" data-key-points="{len(points)}">'
            f'<p class="admonition-title">{esc(title)}</p><ol>{items}</ol></div>')


def assumptions_html(table: pd.DataFrame) -> str:
    """The assumptions in force, folded; ``table`` is ``params.InForce.table()``."""
    if table.empty:
        return '<p class="al-assumptions-none">This chapter takes no parameters.</p>'
    changed = table["changed"].astype(bool)
    n, total = int(changed.sum()), len(table)
    summary = (f"Assumptions in force: {n} of {total} differ from the defaults" if n else
               f"Assumptions in force: all {total} at their defaults")
    from aluminium.data.provenance import reader_text

    how = table["modelled or pinned"] if "modelled or pinned" in table else [""] * len(table)
    shown = pd.DataFrame({
        "assumption": [f'{esc(labels.label(p, with_unit=False))}<div class="al-param-name"><code>{esc(p)}</code></div>'
                       f'<div class="al-param-desc">{esc(reader_text(d))}</div>'
                       for p, d in zip(table["parameter"], table["description"])],
        # An upstream result says whether the chain models it or the build pins it.
        "in force": [esc(fmt(v, u)) + (f" <em>({h})</em>" if h else " <em>(changed)</em>" if c else "")
                     for v, u, c, h in zip(table["value"], table["unit"], changed, how)],
        "default": [esc(fmt(v, u)) for v, u in zip(table["default"], table["unit"])],
        "default from": [esc(s) for s in table["default from"]],
    })
    body = table_html(shown, name="assumptions", markup=shown.columns,
                      headers={c: c.capitalize() for c in shown.columns},
                      row_classes=["al-changed" if c else "" for c in changed])
    hint = ("<p>Change any of them with <code>aluminium build --set NAME=VALUE</code>, NAME as "
            "shown under each assumption.</p>")
    return (f'<details class="al-assumptions" data-changed="{n}"><summary>{esc(summary)}</summary>'
            f"{hint}{body}</details>")


def source_html(source: str, href: str | None = None) -> str:
    """The line under a chart or table: its source, and its data as a CSV download."""
    from aluminium.data.provenance import reader_text

    src = f"Source: {esc(reader_text(source).rstrip('.'))}. " if source else ""
    link = f'<a href="{esc(href)}" download>Download the data (CSV)</a>' if href else ""
    return f'<p class="al-source">{src}{link}</p>'
