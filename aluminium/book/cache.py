"""The build's cache keys: content hashes of what a chapter's execution and a whole site are
built from. Light on purpose (no models, no pandas): a no-op build answers from these alone.

Three levels of reuse keep rebuilds short: a site whose inputs are unchanged is kept as it
is (``unchanged``); a chapter whose inputs are unchanged is not executed again
(``chapter_key``, aluminium.book.execution); and each output folder keeps a Jupyter Book
workspace with a persistent Sphinx environment (aluminium.book.assembly).
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from aluminium import params
from aluminium.paths import BOOK_DIR, BUILD_DIR, CHAPTERS_DIR, DATA_DIR, ROOT

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the whole package: its code keys the cache


SITE_KEY = ".site-key"  # content hash of the sources a built site came from


INPUTS_KEY = ".inputs-key"  # content hash of everything a built site came from (see inputs_key)


@dataclass
class ChapterRun:
    chapter: str
    notebook: Path  # executed notebook
    downloads: Path
    seconds: float
    cached: bool


def digest_tree(paths: list[Path], base: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p.relative_to(base)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def tree_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def cache_dir() -> Path:
    return BUILD_DIR / "cache"


def code_digest() -> str:
    """Content hash of the package's code and templates: any change to a model or to what a page
    is written with re-executes every chapter."""
    return digest_tree(sorted(p for pattern in ("*.py", "*.j2", "*.html") for p in PACKAGE_DIR.rglob(pattern)),
                       PACKAGE_DIR)


def chapter_key(chapter: str, overrides: dict, code: str) -> str:
    """The cache key of a chapter's execution, before its data dependencies are checked.

    Keyed on the resolved value of every parameter the chapter reads or that lies upstream of
    it in the chain (defaults included, with the digest of any file a value names), so a
    change re-executes the chapters downstream of it and no others.
    """
    source = chapter_source(chapter).read_bytes()
    payload = json.dumps({"chapter": chapter, "params": params.upstream_values(chapter, overrides),
                          "code": code, "notebook": hashlib.sha256(source).hexdigest(),
                          "python": sys.version}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def chapter_source(chapter: str) -> Path:
    """A chapter's text source: a MyST-markdown notebook (jupytext ``md:myst``)."""
    return CHAPTERS_DIR / f"{chapter}.md"


def inputs_key(overrides: dict, scenario, compare_with, switcher, external: list[str]) -> str:
    """Content hash of everything a site is built from: the overrides and scenario, the package's
    code and assets, the book's sources, configuration and data, the registered data vintages
    (.aluminium) and every file a chapter read (``external``: a World Bank workbook outside
    the project among them). Same key, same site."""
    h = hashlib.sha256()
    h.update(json.dumps({"overrides": overrides, "python": sys.version,
                         "scenario": scenario and [scenario.title, scenario.description, scenario.overrides],
                         "switcher": switcher, "external": external}, sort_keys=True, default=str).encode())
    for folder in (PACKAGE_DIR, BOOK_DIR, CHAPTERS_DIR, DATA_DIR, ROOT / ".aluminium"):
        h.update(digest_tree(tree_files(folder), folder).encode() if folder.exists() else b"none")
    sources = os.environ.get("ALUMINIUM_SOURCES")  # the vintages file, when not in .aluminium
    for path in [ROOT / "_config.yml", ROOT / "_toc.yml", ROOT / "editions" / "previous.json",
                 *([Path(sources)] if sources else []), *map(Path, external)]:
        h.update(path.read_bytes() if path.exists() else b"missing")
    if compare_with is not None:
        other = Path(compare_with.folder)
        h.update(compare_with.label.encode())
        for name in (INPUTS_KEY, "key-figures.json"):
            h.update((other / name).read_bytes() if (other / name).exists() else b"missing")
    return h.hexdigest()


def site_unchanged(output: Path, overrides: dict, scenario, compare_with, switcher) -> bool:
    """Whether the site in ``output`` was built from exactly these inputs."""
    try:
        recorded = json.loads((output / INPUTS_KEY).read_text())
        external = recorded["external"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    key = inputs_key(overrides, scenario, compare_with, switcher, external)
    return (output / "index.html").exists() and recorded["key"] == key


def chapter_deps(run: ChapterRun) -> list[str]:
    deps = run.notebook.parent / "deps.json"
    return list(json.loads(deps.read_text())) if deps.exists() else []
