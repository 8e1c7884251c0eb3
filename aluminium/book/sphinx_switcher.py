"""A Sphinx extension that puts a scenario switcher at the top of every page of a book built
with ``aluminium build --all-scenarios``: one link per book (the base and each scenario),
each to the same page in that book, so a reader can compare scenarios without Python.

The books are published in one site, the base at its root and each scenario under
``scenarios/<name>/``; the links are relative, so the site works from any host or folder and
from ``file://``. Configuration (set by the build): ``aluminium_book``, the name of the book
being built, and ``aluminium_books``, ``[{"name", "title", "root"}, …]``.
"""
from __future__ import annotations

from aluminium.escape import esc

# Pages that only scenario books have; their switcher links to the base book's front page.
SCENARIO_ONLY = {"book/comparison"}
FRONT_PAGE = "book/intro"


def switcher_html(pagename: str, book: str, books: list[dict]) -> str:
    """The switcher for page ``pagename`` of book ``book``, with links relative to that page."""
    roots = {b["name"]: b["root"] for b in books}
    up_to_site = "../" * pagename.count("/") + "../" * roots[book].count("/")
    items = []
    for b in books:
        label = esc(b["title"])
        if b["name"] == book:
            items.append(f'<li><strong aria-current="page">{label}</strong></li>')
            continue
        target = FRONT_PAGE if (pagename in SCENARIO_ONLY and b["root"] == "") else pagename
        href = esc(f"{up_to_site}{b['root']}{target}.html")
        items.append(f'<li><a href="{href}">{label}</a></li>')
    return (f'<nav class="al-switcher" aria-label="Scenario"><span class="al-switcher-label">Scenario:</span>'
            f'<ul>{"".join(items)}</ul></nav>\n')


def _page_context(app, pagename, templatename, context, doctree) -> None:
    books, book = app.config.aluminium_books, app.config.aluminium_book
    if not books or not book or "body" not in context:
        return
    context["body"] = switcher_html(pagename, book, books) + context["body"]


def setup(app):
    app.add_config_value("aluminium_book", "", "html")
    app.add_config_value("aluminium_books", [], "html")
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
