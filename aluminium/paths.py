"""Where things live. The project root is found from the package, so commands work from any folder."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("ALUMINIUM_ROOT", Path(__file__).resolve().parent.parent))
DATA_DIR = ROOT / "data"
CHAPTERS_DIR = ROOT / "chapters"
BOOK_DIR = ROOT / "book"
# Tests point this at a temporary folder so that they never touch the working tree's _build.
BUILD_DIR = Path(os.environ.get("ALUMINIUM_BUILD_DIR", ROOT / "_build"))

CHAPTERS = ("macro", "bauxite", "alumina", "smelting", "demand", "pricing")
