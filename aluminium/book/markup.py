"""The HTML every page shares: the one table builder, the key-points block, the collapsed
assumptions block and the source line under a chart or table.

Chapters reach these through ``Chapter`` (``ch.table``, ``ch.key_points``,
``ch.assumptions``); the generated reference pages call them directly. Everything that
comes from data is escaped by the templates (:mod:`aluminium.book.html`, ``templates/markup.html``);
numbers go through :mod:`aluminium.numbers`, column names
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
    ``--set``); ``markup`` columns hold HTML the caller rendered with a template (:class:`markupsafe.Markup`;
    any other value in them is escaped as text).
``key_points_html(points, title="Key points")``
    A numbered list of 3–5 sentences in a boxed block (``div.al-key-points``). Each point
    is plain text built by code from live values (escaped here), with two bits of
    Markdown: ``**bold**`` and links ``[text](#anchor)`` or ``[text](page.html#anchor)``.
    Each point must carry a number.
``assumptions_html(rows)``
    The assumptions in force, folded in a ``<details>`` whose summary says how many of
    them differ from the defaults; changed rows stay marked when it is opened.
``code_identifiers(text)``
    Text (as Markup) in which machine names (``supply_kt``) are set as code.
``source_html(source, href=None)``
    "Source: …" and the CSV download link under a chart or table.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
from markupsafe import Markup

from aluminium.book import html
from aluminium.data import facts, labels
from aluminium.data.provenance import locator, reader_text, short
from aluminium.numbers import fmt, format_column

MIN_KEY_POINTS, MAX_KEY_POINTS = 3, 5
_DIGIT = re.compile(r"\d")
_TAG = re.compile(r"<[^>]+>")


def _macro(name: str):
    return html.macro("markup.html", name)


def _cells(series: pd.Series, column: str, resource: str | None) -> list:
    """The cells of one column as text, formatted by the book's rules (escaped by the template)."""
    if pd.api.types.is_bool_dtype(series):
        return [fmt(v) for v in series]
    if pd.api.types.is_numeric_dtype(series):
        return list(format_column(series.tolist(), labels.unit(column, resource)))
    return [reader_text(labels.series(v)) if isinstance(v, str) else fmt(v) for v in series]
def reader_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A frame as a reader sees it: fact ids and report ids become a source column in English
    (report, and section or table), the machine columns they came in are dropped."""
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


def table_html(df: pd.DataFrame, *, name: str = "", caption: str = "", footer: Markup | str = "",
               headers: dict | None = None, code: Iterable[str] = (), markup: Iterable[str] = (),
               row_classes: list[str] | None = None, resource: str | None = None,
               wide: bool = False) -> Markup:
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
            body_cols.append([fmt(v, str(u or ""), show_unit=False) for v, u in zip(series, row_units)])
        elif col in markup:  # HTML a template rendered stays; anything else is escaped as text
            body_cols.append(["" if not isinstance(v, Markup) and pd.isna(v) else v for v in series])
        elif col in code:
            body_cols.append([_macro("code")(v) if not pd.isna(v) and v != "" else "" for v in series])
        else:
            body_cols.append(_cells(series, col, resource))
    header_text = [headers.get(c, labels.label(str(c), resource=resource)) for c in columns]
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               and c not in markup and c not in code and labels.unit(str(c), resource) != "year"
               for c in columns]
    # Prose-length columns keep a readable width; the table then scrolls in its box if it must.
    long_text = [not numeric[j] and len(df) > 0 and
                 sum(len(_TAG.sub("", html.inert(c))) for c in body_cols[j]) / len(df) > 30
                 for j in range(len(columns))]
    cell_classes = ["al-num" if numeric[j] else "al-long" if long_text[j] else "" for j in range(len(columns))]
    rows = [{"cls": row_classes[i] if row_classes else "", "cells": [body_cols[j][i] for j in range(len(columns))]}
            for i in range(len(df))]
    # On a phone, a table with prose-length columns turns into one block per row (see book.css).
    stack = any(long_text) and len(columns) > 2
    table_cls = "al-table table" + (" al-wide" if wide else "") + (" al-stack" if stack else "")
    return _macro("table")(header_text, rows, cell_classes, caption, name, table_cls, footer)


_IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _identifier_parts(text: str) -> list[dict]:
    """Text cut into plain pieces and snake_case names (a column, a parameter) to set as code."""
    parts, at = [], 0
    for m in _IDENTIFIER.finditer(text):
        parts += [{"kind": "text", "text": text[at:m.start()]}, {"kind": "code", "text": m.group(0)}]
        at = m.end()
    return parts + [{"kind": "text", "text": text[at:]}]


def code_identifiers(text: str) -> Markup:
    """The text (reader's words) with each snake_case name (a column, a parameter) set as ``<code>``."""
    return _macro("inline")(_identifier_parts(reader_text(text)))


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


def _inline_parts(text: str) -> list[dict]:
    """Text cut into plain pieces, ``**bold**`` and ``[links](#anchor)`` (each may hold the other)."""
    parts, at = [], 0
    for m in _BOLD.finditer(text):
        parts += [*_link_parts(text[at:m.start()]), {"kind": "bold", "parts": _link_parts(m.group(1))}]
        at = m.end()
    return parts + _link_parts(text[at:])


def _link_parts(text: str) -> list[dict]:
    parts, at = [], 0
    for m in _LINK.finditer(text):
        parts += [{"kind": "text", "text": text[at:m.start()]},
                  {"kind": "link", "href": m.group(2), "parts": [{"kind": "text", "text": m.group(1)}]}]
        at = m.end()
    return parts + [{"kind": "text", "text": text[at:]}]


def inline_markdown(text: str) -> Markup:
    """The text with ``**bold**`` and ``[links](#anchor)`` as HTML, everything else as text."""
    return _macro("inline")(_inline_parts(text))


def key_points_html(points: list[str], title: str = "Key points") -> Markup:
    """The key-points block: 3–5 numbered sentences, each with a number in it."""
    points = [p.strip() for p in points if p and p.strip()]
    if not MIN_KEY_POINTS <= len(points) <= MAX_KEY_POINTS:
        raise ValueError(f"key points: give {MIN_KEY_POINTS}–{MAX_KEY_POINTS} points, got {len(points)}")
    without = [p for p in points if not _DIGIT.search(_LINK.sub(r"\1", p))]
    if without:
        raise ValueError(f"key points: each point carries a live number; none in: {without[0]!r}")
    return _macro("key_points")([_inline_parts(reader_text(p)) for p in points], title)


def assumptions_html(table: pd.DataFrame) -> Markup:
    """The assumptions in force, folded; ``table`` is ``params.InForce.table()``."""
    if table.empty:
        return _macro("no_assumptions")()
    changed = table["changed"].astype(bool)
    n, total = int(changed.sum()), len(table)
    summary = (f"Assumptions in force: {n} of {total} differ from the defaults" if n else
               f"Assumptions in force: all {total} at their defaults")
    how = table["modelled or pinned"] if "modelled or pinned" in table else [""] * len(table)
    in_force = _macro("in_force")
    shown = pd.DataFrame({
        "assumption": [parameter(labels.label(p, with_unit=False), p, reader_text(d))
                       for p, d in zip(table["parameter"], table["description"])],
        # An upstream result says whether the chain models it or the build pins it.
        "in force": [in_force(fmt(v, u), h or ("changed" if c else ""))
                     for v, u, c, h in zip(table["value"], table["unit"], changed, how)],
        "default": [fmt(v, u) for v, u in zip(table["default"], table["unit"])],
        "default from": list(table["default from"]),
    })
    body = table_html(shown, name="assumptions", markup=shown.columns,
                      headers={c: c.capitalize() for c in shown.columns},
                      row_classes=["al-changed" if c else "" for c in changed])
    return _macro("assumptions")(summary, n, body)


def parameter(label: str, name: str, description: str, strong: bool = False) -> Markup:
    """One parameter as a reader sees it: its label, the name a reader types (as code), what it is."""
    return _macro("parameter")(label, name, description, strong)


def source_html(source: str, href: str | None = None) -> Markup:
    """The line under a chart or table: its source, and its data as a CSV download."""
    return _macro("source")(reader_text(source).rstrip(".") if source else "", href or "")
