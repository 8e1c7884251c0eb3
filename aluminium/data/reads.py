"""Which data files this process read, for the build's cache: a chapter's data dependencies are
the files it read (each noted once, and written to the file ``record_reads_to`` names, which the
chapter's kernel is told by the build: aluminium.book.chapter_page.Chapter), and a file's content
digest says whether it changed."""
from __future__ import annotations

import hashlib
from pathlib import Path

# Which data files this process read: the build uses it as a chapter's data dependencies.
_READ: set[Path] = set()
_RECORD: list[Path] = []  # the file the build reads a chapter's data dependencies from, once named
_GIVEN: set[Path] = set()  # paths as callers gave them, already noted (resolving each is a system call)


def record_reads_to(path) -> None:
    """Write every file read in this process, so far and from now on, to ``path`` (one a line)."""
    _RECORD[:] = [Path(path)]
    with open(path, "a", encoding="utf-8") as fh:
        fh.writelines(f"{p}\n" for p in sorted(_READ))


def note_read(path: Path) -> None:
    if path in _GIVEN:
        return
    _GIVEN.add(path)
    path = path.resolve()
    if path in _READ:
        return
    _READ.add(path)
    # The build runs chapters in their own kernels and learns what each read from here.
    for record in _RECORD:
        with open(record, "a", encoding="utf-8") as fh:
            fh.write(f"{path}\n")


def files_read() -> list[Path]:
    return sorted(_READ)


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
