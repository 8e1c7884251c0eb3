"""A Sphinx extension that puts the build's edition on every page (see aluminium.book.edition):
a line at the end of the page, with links to "Cite this book" and the changelog, and a meta tag
that the chart loader reads to stamp chart downloads. Configuration (set by the build):
``aluminium_edition``, the edition as a dict."""
from __future__ import annotations

import html

from aluminium.book.edition import Edition, footer_html


def _page_context(app, pagename, templatename, context, doctree) -> None:
    doc = app.config.aluminium_edition
    if not doc or "body" not in context:
        return
    edition = Edition(**{k: doc[k] for k in ("version", "date", "scenario", "parameters", "data", "code")})
    pathto = context["pathto"]
    context["body"] += footer_html(edition, pathto("book/cite"), pathto("book/changelog"))
    context["metatags"] = context.get("metatags", "") + (
        f'<meta name="al-edition" content="{html.escape(edition.stamp())}">\n')


def setup(app):
    app.add_config_value("aluminium_edition", {}, "html")
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
