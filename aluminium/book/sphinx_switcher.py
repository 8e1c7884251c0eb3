"""A Sphinx extension that puts a scenario switcher at the top of every page of a book built
with ``aluminium build --all-scenarios``: one link per book (the base and each scenario),
each to the same page in that book, so a reader can compare scenarios without Python.

The books are published in one site, the base at its root and each scenario under
``scenarios/<name>/``; the links are relative, so the site works from any host or folder and
from ``file://``. Configuration (set by the build): ``aluminium_book``, the name of the book
being built, and ``aluminium_books``, ``[{"name", "title", "root"}, …]``.
"""
from __future__ import annotations

from aluminium.book import html

# Pages that only scenario books have; their switcher links to the base book's front page.
SCENARIO_ONLY = {"book/comparison"}
FRONT_PAGE = "book/intro"


def switcher_html(pagename: str, book: str, books: list[dict]) -> str:
    """The switcher for page ``pagename`` of book ``book``, with links relative to that page (a
    plain ``str``, for Sphinx's page body: a Markup added to it would escape the body)."""
    roots = {b["name"]: b["root"] for b in books}
    up_to_site = "../" * pagename.count("/") + "../" * roots[book].count("/")
    items = []
    for b in books:
        target = FRONT_PAGE if (pagename in SCENARIO_ONLY and b["root"] == "") else pagename
        items.append({"title": b["title"], "current": b["name"] == book,
                      "href": f"{up_to_site}{b['root']}{target}.html"})
    return str(html.macro("pages.html", "switcher")(items)) + "\n"


def banner_html(scenario) -> str:
    """The banner on every page of a scenario's book: its title and description, as text (the
    theme's announcement, written into the book's configuration)."""
    return str(html.macro("pages.html", "banner")(scenario.title, scenario.description))


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
