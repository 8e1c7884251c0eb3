"""Assemble the site: stage the book's sources (configuration, hand-written and generated
pages, assets, the data package, the executed chapters), build them into HTML with Jupyter
Book in a persistent workspace (only changed pages are rendered again), and swap the result
into place with renames, so readers never see half a site.
"""
from __future__ import annotations

import hashlib
import html as html_text
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import yaml

from aluminium import params
from aluminium.book import changes, charts, compare, edition, explore, frontpage, housekeeping, keyfigures, reference_pages
from aluminium.book.cache import INPUTS_KEY, PACKAGE_DIR, SITE_KEY, ChapterRun, cache_dir, digest_tree, tree_files
from aluminium.book.execution import staged_notebook
from aluminium.book.html import render
from aluminium.book.sphinx_switcher import banner_html
from aluminium.errors import BuildError
from aluminium.paths import BOOK_DIR, BUILD_DIR, DATA_DIR, ROOT

ASSETS_DIR = Path(__file__).resolve().parent / "assets"


def _log(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, flush=True)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # Sphinx colours its output even into a pipe


class JupyterBook:
    """A Jupyter Book process started at the beginning of a build, so that its imports overlap
    the chapters' execution; ``run`` hands it the sources, ``close`` ends it unused."""

    def __init__(self) -> None:
        # Its own session: a Ctrl-C at the terminal reaches the build, which ends it (aluminium.lifeline).
        self.proc = subprocess.Popen([sys.executable, "-m", "aluminium.book.sphinx_worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)

    def run(self, src: Path, out: Path, quiet: bool) -> None:
        stdout, stderr = self.proc.communicate(json.dumps({"src": str(src), "out": str(out)}) + "\n")
        stdout, stderr = _ANSI.sub("", stdout), _ANSI.sub("", stderr)
        log = out / "jupyter-book.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(stdout + "\n" + stderr)
        warnings = [line for line in (stdout + stderr).splitlines() if "WARNING" in line or "ERROR" in line]
        if self.proc.returncode != 0:
            # Warnings are errors: name each, else the end of the log.
            shown = warnings[:15] or (stdout + stderr).strip().splitlines()[-15:]
            raise BuildError(f"Jupyter Book failed (warnings are errors; log: {log}):\n" + "\n".join(shown))

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.communicate("", timeout=30)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()


def _workspace(output: Path) -> Path:
    """The persistent Jupyter Book project of one output folder: its staged sources, Sphinx's
    environment and the HTML it last built, kept so that the next build re-renders only the
    pages whose sources changed."""
    slug = hashlib.sha256(str(output).encode()).hexdigest()[:12]
    work = BUILD_DIR / "sphinx" / f"{output.name}-{slug}"
    housekeeping.touch(work)  # the workspaces used last are kept (housekeeping)
    return work


def sphinx_incremental(src: Path, output: Path, book: JupyterBook, quiet: bool) -> Path:
    """Build the staged sources into HTML in the output's workspace; returns the HTML folder.

    Only changed source files are copied into the workspace (unchanged ones keep their times,
    so Sphinx does not read them again). A failed run discards the workspace: its environment
    may be half updated, and the next build starts afresh. The published site is not touched.
    """
    work = _workspace(output)
    staged = work / "src"
    removed = staged.exists() and any(p.is_file() and not (src / p.relative_to(staged)).exists()
                                      for p in staged.rglob("*"))
    if removed:
        # Sphinx forgets a removed page but leaves its HTML behind; without the old output it
        # writes every page again from its environment, so the site holds no orphan page.
        shutil.rmtree(work / "_build" / "html", ignore_errors=True)
    changed = _sync(src, staged)
    _log(f"  {changed} source file(s) changed", quiet)
    try:
        book.run(work / "src", work, quiet)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    built = work / "_build" / "html"
    if not (built / "index.html").exists():
        shutil.rmtree(work, ignore_errors=True)
        raise BuildError(f"Jupyter Book produced no index.html in {built}")
    return built


def _sync(src: Path, dst: Path) -> int:
    """Make ``dst`` a copy of ``src``, writing only the files that differ; returns how many did."""
    changed = 0
    wanted = set()
    for path in src.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(src)
        wanted.add(rel)
        target = dst / rel
        data = path.read_bytes()
        if target.exists() and target.stat().st_size == len(data) and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        changed += 1
    for path in list(dst.rglob("*")) if dst.exists() else []:
        if path.is_file() and path.relative_to(dst) not in wanted:
            path.unlink()
            changed += 1
    return changed


def prepare(src: Path, overrides: dict, reports, scenario, switcher, code: str):
    """Stage everything of the site that does not depend on the chapters: configuration, hand-
    written pages, assets, the data package, the reference pages and the front page's chain
    figures. Runs in a thread while the chapters execute. Returns the front page's part."""
    src.mkdir(parents=True)
    shutil.copy2(ROOT / "_toc.yml", src / "_toc.yml")
    _stage_config(src / "_config.yml", scenario, switcher, code)
    shutil.copytree(BOOK_DIR, src / "book")
    (src / "chapters").mkdir()
    static = src / "_static"
    static.mkdir()
    (static / "vega-bundle.js").write_text(_bundle(), encoding="utf-8")
    shutil.copy2(ASSETS_DIR / "book.css", static / "book.css")
    explore.stage_script(src / "_extra")
    shutil.copytree(DATA_DIR, src / "_extra" / "data", ignore=shutil.ignore_patterns("*.md"))
    reference_pages.write_reference_pages(src / "book", reports, overrides)
    edition.stage(src, overrides, scenario, code)
    return frontpage.prepare(overrides, scenario)


def add_chapters(src: Path, runs: list[ChapterRun], overrides: dict, scenario, prepared) -> list:
    """Add the executed chapters to the staged site, with what gathers from them (key figures,
    the front page's findings). Returns the key figures."""
    extra = src / "_extra"
    figures = []
    for run in runs:
        shutil.copyfile(staged_notebook(run), src / "chapters" / f"{run.chapter}.ipynb")
        shutil.copytree(run.downloads, extra / "downloads" / run.chapter)
        figures.extend(keyfigures.from_notebook(run.notebook))
    keyfigures.write(figures, extra)
    edition.stage_changelog(src, figures, extra)
    frontpage.write_front_page(src / "book" / "intro.md", figures, overrides, scenario, prepared)
    reference_pages.write_key_figures_page(src / "book", figures)
    return figures


def differs(overrides: dict) -> bool:
    """Whether any assumption in force differs from its default."""
    return any(value != params.lookup(name).default() for name, value in overrides.items())


def defaults_side(folder: Path, base_runs: list[ChapterRun]):
    """The chapters executed at the defaults as a side of a comparison: key figures, downloads
    and the executed notebooks (for the charts)."""
    extra = folder / "_extra"
    (folder / "chapters").mkdir(parents=True, exist_ok=True)
    figures = []
    for run in base_runs:
        shutil.copytree(run.downloads, extra / "downloads" / run.chapter)
        shutil.copyfile(run.notebook, folder / "chapters" / f"{run.chapter}.ipynb")
        figures.extend(keyfigures.from_notebook(run.notebook))
    keyfigures.write(figures, extra)
    return compare.Side("Defaults", extra)


def show_changes(src: Path, runs: list[ChapterRun], base_runs: list[ChapterRun]) -> None:
    """Each chapter's key points show their moved numbers as "default → this build"."""
    base = {run.chapter: run.notebook for run in base_runs}
    for run in runs:
        if run.chapter in base:
            changes.annotate(src / "chapters" / f"{run.chapter}.ipynb", base[run.chapter], "../book/comparison.html")


def add_comparison(src: Path, other, label: str) -> None:
    """A comparison page against another built book, added to this book's table of contents."""
    a, b = compare.Side(other.label, other.folder), compare.Side(label, src / "_extra")
    page = reference_pages.comparison(a, b)
    (src / "book" / "comparison.md").write_text(page, encoding="utf-8")
    toc = yaml.safe_load((src / "_toc.yml").read_text(encoding="utf-8"))
    toc["parts"].insert(2, {"caption": "Scenario", "chapters": [{"file": "book/comparison"}]})
    (src / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")


def _stage_config(dst: Path, scenario, switcher, code: str) -> None:
    """The book's _config.yml, with the scenario's banner when building a scenario, the books
    of the scenario switcher when building every scenario, and the package's code digest
    (``aluminium_code``: Sphinx re-reads every page when it changes, as the book's own
    extensions and templates may have).

    The scenario goes into the banner only, escaped there: the theme prints the book title
    unescaped in its sidebar, so user text never goes into the title.
    """
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    # The assets (book.css, al-charts.js) too: Sphinx copies static files only when it writes pages.
    sphinx_config["aluminium_code"] = f"{code}-{digest_tree(tree_files(ASSETS_DIR), ASSETS_DIR)[:16]}"
    if scenario is not None:
        config.setdefault("html", {})["announcement"] = banner_html(scenario)
    if switcher:
        sphinx_config["aluminium_book"] = switcher["book"]
        sphinx_config["aluminium_books"] = switcher["books"]
    dst.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _bundle() -> str:
    """The Vega bundle, cached by the versions it carries (vl-convert takes a second to make it)."""
    key = hashlib.sha256((PACKAGE_DIR / "book" / "charts.py").read_bytes()).hexdigest()[:16]
    path = cache_dir() / f"vega-bundle-{key}.js"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(charts.javascript_bundle(), encoding="utf-8")
        tmp.rename(path)
    return path.read_text(encoding="utf-8")


def swap(built: Path, output: Path) -> None:
    """Put the new site in place with renames, so readers never see half a site. Ctrl-C and
    SIGTERM wait until both renames are done (a build killed between them leaves the last site
    as ``.old-NAME-PID``, which the next build puts back)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    old = output.parent / f".old-{output.name}-{os.getpid()}"  # housekeeping removes it if we die
    shutil.rmtree(old, ignore_errors=True)
    held = {signal.SIGINT, signal.SIGTERM}
    blocked = threading.current_thread() is threading.main_thread() and hasattr(signal, "pthread_sigmask")
    if blocked:
        signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        if output.exists():
            output.rename(old)
        os.rename(built, output) if built.parent == output.parent else shutil.move(str(built), str(output))
    finally:
        if blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
    shutil.rmtree(old, ignore_errors=True)


def publish(books: dict[str, Path], output: Path) -> None:
    """One site from several built books (root path → folder), swapped in whole. Files are
    hard-linked: a built book's files are replaced by new files, never rewritten in place."""
    stage = output.with_name(f".stage-{output.name}-{os.getpid()}")
    shutil.rmtree(stage, ignore_errors=True)
    try:
        for root, folder in sorted(books.items()):
            for path in folder.rglob("*"):
                rel = path.relative_to(folder)
                if path.is_dir() or rel.name.startswith("."):
                    continue
                target = stage / root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(path, target)
                except OSError:  # another file system
                    shutil.copy2(path, target)
        (stage / housekeeping.MARKER).write_text("")
        swap(stage, output)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def publish_site(built: Path, stage: Path, output: Path, site_key: str, inputs: str) -> None:
    """Copy Jupyter Book's HTML next to the output, finish it (front door, keys, the
    housekeeping marker) and swap it into place."""
    site = stage / "html"
    shutil.copytree(built, site)
    # The themes' Jinja macro files (raw ``{{ pathto(...) }}``) are copied as static files.
    for leftover in site.glob("_static/*webpack-macros.html"):
        leftover.unlink()
    _front_door(site)
    (site / SITE_KEY).write_text(site_key)
    (site / housekeeping.MARKER).write_text("")
    (site / INPUTS_KEY).write_text(inputs)
    swap(site, output)


def _front_door(site: Path) -> None:
    """Jupyter Book's index.html is a bare redirect to the first page; this one redirects too,
    and has what a browser or a search engine expects of a page: a title, a description, a
    canonical link and a link to follow."""
    intro = (site / "book" / "intro.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", intro, re.S)
    description = re.search(r'<meta name="description" content="([^"]*)"', intro)
    # Read back as text (the page had them escaped); the template escapes them again.
    title = html_text.unescape(title.group(1).strip()) if title else "The Aluminium Chain"
    description = html_text.unescape(description.group(1)) if description else ""
    (site / "index.html").write_text(render("front_door.html", title=title, description=description) + "\n",
                                     encoding="utf-8")
