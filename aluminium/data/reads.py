"""Which data files this process read, for the build's cache: a chapter's data dependencies are
the files it read (each noted once, and written to ``ALUMINIUM_DEPS_FILE`` when the build set it),
and a file's content digest says whether it changed."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

# Which data files this process read: the build uses it as a chapter's data dependencies.
_READ: set[Path] = set()


def note_read(path: Path) -> None:
    path = path.resolve()
    if path in _READ:
        return
    _READ.add(path)
    # The build runs chapters in their own kernels and learns what each read from here.
    deps_file = os.environ.get("ALUMINIUM_DEPS_FILE")
    if deps_file:
        with open(deps_file, "a", encoding="utf-8") as fh:
            fh.write(f"{path}\n")


def files_read() -> list[Path]:
    return sorted(_READ)


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
