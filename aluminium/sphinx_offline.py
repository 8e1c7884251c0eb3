"""A Sphinx extension that keeps the static site offline and free of console errors.

Jupyter Book 1 always loads sphinx-thebe (live code cells), which this book does not use:
it injects its configuration script twice (a redeclaration error in every page's console)
and points at thebe on a CDN. Both are dropped from every page here.
"""
from __future__ import annotations


def _is_thebe(script) -> bool:
    filename = getattr(script, "filename", None) or ""
    body = (getattr(script, "attributes", {}) or {}).get("body", "")
    return "thebe" in filename or "THEBE_JS_URL" in body


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]


def setup(app):
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
