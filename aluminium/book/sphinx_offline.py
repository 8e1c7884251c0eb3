"""A Sphinx extension that keeps the static site offline and free of console errors.

Jupyter Book 1 always loads sphinx-thebe (live code cells), which this book does not use:
it injects its configuration script twice (a redeclaration error in every page's console),
points at thebe on a CDN and adds a stylesheet. All are dropped from every page here.
"""
from __future__ import annotations


def _is_thebe(script) -> bool:
    filename = getattr(script, "filename", None) or ""
    body = (getattr(script, "attributes", {}) or {}).get("body", "")
    return "thebe" in filename or "THEBE_JS_URL" in body


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        if context.get(key):
            context[key] = [s for s in context[key] if not _is_thebe(s)]


def setup(app):
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
