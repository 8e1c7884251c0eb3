"""Where things live. The project root is found from the package, so commands work from any folder."""
from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(os.environ.get("ALUMINIUM_ROOT", Path(__file__).resolve().parent.parent))
DATA_DIR = ROOT / "data"
CHAPTERS_DIR = ROOT / "chapters"
BOOK_DIR = ROOT / "book"
# Tests point this at a temporary folder so that they never touch the working tree's _build.
BUILD_DIR = Path(os.environ.get("ALUMINIUM_BUILD_DIR", ROOT / "_build"))

# The one stage list: the chapters in the table of contents that comes with this code (its
# `chapters/<name>` entries, in reading order); each names a module of aluminium.stages.
_TOC = Path(__file__).resolve().parent.parent / "_toc.yml"
CHAPTERS: tuple[str, ...] = tuple(re.findall(r"^\s*- file: chapters/([a-z][a-z0-9_]*)\s*$",
                                             _TOC.read_text(encoding="utf-8"), re.M))
