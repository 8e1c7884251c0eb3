"""Where things live. The project root is found from the package, so commands work from any folder."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("ALUMINIUM_ROOT", Path(__file__).resolve().parent.parent))
DATA_DIR = ROOT / "data"
CHAPTERS_DIR = ROOT / "chapters"
BOOK_DIR = ROOT / "book"
BUILD_DIR = ROOT / "_build"

CHAPTERS = ("macro", "bauxite", "alumina", "smelting", "demand", "pricing")
