"""A Sphinx extension that makes an incremental build's search index equal a clean build's.

Sphinx 7 updates the search index of an incremental build from the index it wrote last time,
with two defects: the index entries (the glossary's 178 terms) of the pages it did not write
again are dropped, since the saved index is read back without them, and the words a rewritten
page no longer holds stay in the index, pointing at it. When a build wrote only some pages,
this extension indexes every page afresh, through the builder's own ``index_page`` (as a clean
build does), and writes the index again: about a second, on an incremental build only.
"""
from __future__ import annotations


def _written(app, pagename, templatename, context, doctree) -> None:
    if doctree is not None:
        app.env.al_written_now.add(pagename)


def _builder_inited(app) -> None:
    app.env.al_written_now = set()


def _reindex(app, exception) -> None:
    builder = app.builder
    if exception is not None or getattr(builder, "indexer", None) is None or builder.format != "html":
        return
    env = app.env
    if set(env.found_docs) <= getattr(env, "al_written_now", set()):
        return  # every page was written this time: the index is already whole
    import time

    from sphinx.search import IndexBuilder
    from sphinx.util import logging

    start = time.perf_counter()
    lang = builder.config.html_search_language or builder.config.language
    builder.indexer = IndexBuilder(env, lang, builder.config.html_search_options, builder.config.html_search_scorer)
    for docname in sorted(env.found_docs):
        doctree = env.get_and_resolve_doctree(docname, builder)
        title_node = env.longtitles.get(docname)
        title = builder.render_partial(title_node)["title"] if title_node else ""
        builder.index_page(docname, doctree, title)
    builder.dump_search_index()
    logging.getLogger(__name__).info(f"search index: {len(env.found_docs)} pages indexed afresh "
                                     f"in {time.perf_counter() - start:.2f} s")


def setup(app):
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _written)
    app.connect("build-finished", _reindex, priority=100)  # before the extensions that read the index
    return {"parallel_read_safe": True, "parallel_write_safe": True}
