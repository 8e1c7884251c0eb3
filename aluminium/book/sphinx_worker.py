"""A Jupyter Book process started early: it imports Jupyter Book, Sphinx and the theme (about
a second and a half) while the chapters execute, then waits for one line on stdin naming the
source and output folders, and runs ``jupyter-book build`` on them exactly as the command
line does. An empty line or end of input ends it without building.
"""
from __future__ import annotations

import json
import sys


def main() -> int:
    from jupyter_book.cli.main import main as jupyter_book  # the slow part, done while waiting

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
