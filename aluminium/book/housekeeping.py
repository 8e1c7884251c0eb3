"""What a build may write over, and what it leaves behind.

``check_output`` decides, before any work starts, whether a folder may receive a site: a new
path, an empty folder, or a folder holding a site this tool built (it carries ``MARKER``).
Anything else (a file, a device, a folder with other content, the project or a folder above
it) is refused in one line, so ``--output`` never destroys what is there.

``sweep_stale`` runs at the start of every build and removes what dead builds left: staging
and swap folders next to an output (``.stage-NAME-PID``, ``.old-NAME-PID``), half-written
cache entries (``cache/CHAPTER/KEY.tmpPID`` and ``*.PID.tmp`` files), each only when the
process named in it is gone. It also
keeps the Jupyter Book workspaces (one per output folder) to the few used last.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import time
from pathlib import Path

from aluminium.errors import BookError
from aluminium.paths import BUILD_DIR, ROOT

MARKER = ".aluminium-site"  # written into every site this tool builds
# Sites built before the marker existed carry one of these (both written only by this tool).
_LEGACY_MARKERS = (".site-key", ".inputs-key")
WORKSPACES_KEPT = 4  # Jupyter Book workspaces kept, the most recently used first
WORKSPACE_GRACE_S = 600  # a workspace used within this time is kept whatever its rank (a build may hold it)
# The project's own folders: a site never goes into one (a new folder beside them is fine).
SOURCE_FOLDERS = (".git", ".github", ".venv", "aluminium", "book", "chapters", "data", "scenarios", "tests")


class OutputRefused(BookError):
    """The output folder is not one a build may replace."""


def is_site(folder: Path) -> bool:
    return any((folder / name).is_file() for name in (MARKER, *_LEGACY_MARKERS))


def check_output(output: Path, option: str = "--output") -> Path:
    """The output folder, absolute, or OutputRefused saying in one line why it may not be used."""
    given = Path(output)
    path = Path(os.path.abspath(given.expanduser()))
    if path.is_symlink():
        path = path.resolve()
    root = ROOT.resolve()
    if path == root or path in root.parents:
        raise OutputRefused(f"{option} {given}: refused, it is the project folder or a folder above it")
    inside = next((root / name for name in SOURCE_FOLDERS if (root / name) == path or (root / name) in path.parents), None)
    if inside is not None:
        raise OutputRefused(f"{option} {given}: refused, it is inside the project's {inside.name}/ folder")
    if path == Path(path.anchor):
        raise OutputRefused(f"{option} {given}: refused, it is the root of the file system")
    build_dir = BUILD_DIR.resolve()
    if path == build_dir or path in build_dir.parents or any(
            path == build_dir / own or build_dir / own in path.parents for own in ("cache", "sphinx")):
        raise OutputRefused(f"{option} {given}: refused, it holds the build's cache or workspaces; "
                            "choose another folder inside it")
    # Every folder on the way that exists must be a folder (a file there would fail late).
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputRefused(f"{option} {given}: refused, {parent} is not a folder")
            break
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputRefused(f"{option} {given}: refused, cannot inspect it ({exc.strerror})") from None
    if info is not None:
        if not stat.S_ISDIR(info.st_mode):
            kind = "a file" if stat.S_ISREG(info.st_mode) else "a device or special file"
            raise OutputRefused(f"{option} {given}: refused, it is {kind}, not a folder (nothing was changed)")
        try:
            empty = not any(path.iterdir())
        except OSError as exc:
            raise OutputRefused(f"{option} {given}: refused, cannot read it ({exc.strerror})") from None
        build_dir = BUILD_DIR.resolve()
        # A folder of the build's own (_build/html, _build/site, …; not its cache or workspaces)
        # belongs to this tool, marked or not (sites built before the marker existed).
        owned = build_dir in path.parents and path.relative_to(build_dir).parts[0] not in ("cache", "sphinx")
        if not empty and not owned and not is_site(path):
            raise OutputRefused(f"{option} {given}: refused, the folder is not empty and holds no site built "
                                f"by this tool (no {MARKER}); give a new or empty folder")
    return path


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_STAGE = re.compile(r"^\.(?:stage|old)-.+-(\d+)$")
_TMP_DIR = re.compile(r"\.tmp(\d+)$")
_TMP_FILE = re.compile(r"\.(\d+)\.tmp$")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def sweep_stale(output: Path | None = None) -> int:
    """Remove what dead builds left behind (see the module docstring); returns how many."""
    removed = 0
    if output is not None and not output.exists():
        # A build killed between the two renames of its swap left the last site aside: put it back.
        aside = sorted(output.parent.glob(f".old-{output.name}-*")) if output.parent.is_dir() else []
        for old in aside:
            m = _STAGE.match(old.name)
            if m and not _alive(int(m.group(1))) and is_site(old):
                old.rename(output)
                break
    places = [p for p in {output.parent if output else None, BUILD_DIR, BUILD_DIR / "books"} if p]
    places += [p.parent for p in (BUILD_DIR / "scenarios").glob("*/html")] if (BUILD_DIR / "scenarios").is_dir() else []
    places += [p.parent for p in (BUILD_DIR / "books").glob("*/html")] if (BUILD_DIR / "books").is_dir() else []
    for place in set(places):
        if not place.is_dir():
            continue
        for entry in place.iterdir():
            m = _STAGE.match(entry.name)
            if m and not _alive(int(m.group(1))):
                _remove(entry)
                removed += 1
    cache = BUILD_DIR / "cache"
    if cache.is_dir():
        for entry in [*cache.iterdir(), *(p for d in cache.iterdir() if d.is_dir() for p in d.iterdir())]:
            m = _TMP_DIR.search(entry.name) or _TMP_FILE.search(entry.name)
            if m and not _alive(int(m.group(1))):
                _remove(entry)
                removed += 1
    removed += _bound_workspaces()
    return removed


def _bound_workspaces() -> int:
    folder = BUILD_DIR / "sphinx"
    if not folder.is_dir():
        return 0
    spaces = sorted((p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    now, removed = time.time(), 0
    for old in spaces[WORKSPACES_KEPT:]:
        if now - old.stat().st_mtime > WORKSPACE_GRACE_S:
            shutil.rmtree(old, ignore_errors=True)
            removed += 1
    return removed


def touch(folder: Path) -> None:
    """Mark a workspace as just used (its age decides whether it is kept)."""
    with contextlib.suppress(OSError):
        os.utime(folder)
