"""A Jupyter Book process started early: it imports Jupyter Book, Sphinx, the theme and the
extensions the book's _config.yml names (about a second and a half) while the chapters
execute, then waits for one line on stdin naming the source and output folders, and runs
``jupyter-book build`` on them exactly as the command line does. An empty line or end of
input ends it without building.
"""
from __future__ import annotations

import functools
import json
import sys

# What `jupyter-book build` imports for this book: Sphinx, the HTML builder, the theme, and
# the extensions Jupyter Book's defaults and the book's _config.yml add.
WARM_MODULES = (
    "jupyter_book.sphinx", "jupyter_book.config", "sphinx.application", "sphinx.builders.html",
    "sphinx.search.en", "myst_nb", "myst_nb.sphinx_ext", "sphinx_book_theme", "pydata_sphinx_theme",
    "sphinxcontrib.bibtex", "sphinx_design", "sphinx_copybutton", "sphinx_togglebutton", "sphinx_thebe",
    "sphinx_comments", "sphinx_external_toc", "sphinx_jupyterbook_latex", "sphinx_multitoc_numbering",
    "aluminium.book.sphinx_light", "aluminium.book.sphinx_offline", "aluminium.book.sphinx_switcher",
    "aluminium.book.sphinx_search",
)


def _cache_pybtex_plugins() -> None:
    """sphinxcontrib-bibtex looks its pybtex plugins up for every citation, and each lookup
    scans every installed package's entry points (about half a second for the book's 120
    citations). The answer cannot change within a build: remember it."""
    import pybtex.plugin

    pybtex.plugin._load_entry_point = functools.cache(pybtex.plugin._load_entry_point)


def main() -> int:
    from jupyter_book.cli.main import main as jupyter_book

    from aluminium import lifeline
    from aluminium.book.warm_kernels import preload

    lifeline.die_with_parent()  # and lifeline.watch(), started when aluminium was imported
    preload(WARM_MODULES)  # the slow part, done while the chapters execute
    _cache_pybtex_plugins()

    line = sys.stdin.readline().strip()
    if not line:
        return 0
    job = json.loads(line)
    # Warnings fail the build (as QuantEcon's -W does): a broken reference or a bad directive
    # never reaches readers silently. --keep-going reports all of them, not only the first.
    sys.argv = ["jupyter-book", "build", job["src"], "--path-output", job["out"], "--builder", "html",
                "--warningiserror", "--keep-going"]
    try:
        jupyter_book()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
