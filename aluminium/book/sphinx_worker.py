"""A Jupyter Book process started early: it imports Jupyter Book, Sphinx, the theme and the
extensions the book's _config.yml names (about a second and a half) while the chapters
execute, then waits for one line on stdin naming the source and output folders, and runs
``jupyter-book build`` on them exactly as the command line does. An empty line or end of
input ends it without building.
"""
from __future__ import annotations

import importlib
import json
import sys

from jupyter_book.cli.main import main as jupyter_book

from aluminium import lifeline

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


def preload(modules) -> None:
    """Import modules ahead of need. One that fails is left for its user to import, and report."""
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001
            print(f"preload: could not import {name}: {exc}", file=sys.stderr, flush=True)


def main() -> int:
    lifeline.die_with_parent()  # and lifeline.watch(), started when aluminium was imported
    preload(WARM_MODULES)  # the slow part, done while the chapters execute

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
