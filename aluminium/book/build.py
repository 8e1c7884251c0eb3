"""Build the book: execute the chapters with papermill (in parallel, cached by content),
then assemble the site with Jupyter Book (execution off) and swap it into place only when
everything succeeded, so a failed build never breaks the last site.

Three levels of reuse keep rebuilds short: a site whose inputs are unchanged is kept as it
is without importing the models (``_inputs_key``); a chapter whose inputs are unchanged is
not executed again (``chapter_key``); and each output folder keeps a Jupyter Book workspace
with a persistent Sphinx environment, so only pages whose sources changed are rendered again.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from aluminium import lifeline, params
from aluminium.book import housekeeping
from aluminium.errors import BuildError
from aluminium.paths import BOOK_DIR, BUILD_DIR, CHAPTERS, CHAPTERS_DIR, DATA_DIR, ROOT

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the whole package: its code keys the cache
ASSETS_DIR = Path(__file__).resolve().parent / "assets"
HIDDEN_TAGS = {"parameters", "injected-parameters"}
SITE_KEY = ".site-key"  # content hash of the sources a built site came from
INPUTS_KEY = ".inputs-key"  # content hash of everything a built site came from (see _inputs_key)


@dataclass
class ChapterRun:
    chapter: str
    notebook: Path  # executed notebook
    downloads: Path
    seconds: float
    cached: bool


@dataclass
class BuildResult:
    html_dir: Path
    chapters: list[ChapterRun] = field(default_factory=list)
    key_figures: list = field(default_factory=list)
    seconds: float = 0.0
    book_seconds: float = 0.0


def _log(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, flush=True)


def _digest_tree(paths: list[Path], base: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p.relative_to(base)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def cache_dir() -> Path:
    return BUILD_DIR / "cache"


def code_digest() -> str:
    """Content hash of the package's code: any change to a model re-executes every chapter."""
    return _digest_tree(sorted([*PACKAGE_DIR.rglob("*.py"), *PACKAGE_DIR.rglob("*.j2")]), PACKAGE_DIR)


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


def chapter_notebook(chapter: str):
    """The chapter's source as a notebook for papermill (parameters cell, tags and kernelspec kept)."""
    import jupytext

    path = chapter_source(chapter)
    try:
        nb = jupytext.read(path, fmt="md:myst")
    except Exception as exc:  # noqa: BLE001 - a malformed source names its file
        raise BuildError(f"chapter '{chapter}': cannot read {path.name}: {exc}") from None
    # jupytext gives cells random ids; fixed ones keep the same source giving the same site.
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{chapter}-{i}"
    return nb


def _deps_fresh(entry: Path) -> bool:
    """Whether a cached execution can be reused: complete, readable, and every file it read
    unchanged. A corrupt entry (a truncated notebook, a damaged deps.json) is discarded with a
    note, and the chapter executes again."""
    from aluminium.data import catalogue

    deps_file = entry / "deps.json"
    if not (entry / "executed.ipynb").exists() or not deps_file.exists():
        return False
    try:
        deps = json.loads(deps_file.read_text())
        for name in ("executed.ipynb", "staged.ipynb"):
            if (entry / name).exists():
                json.loads((entry / name).read_text(encoding="utf-8"))
        if not isinstance(deps, dict):
            raise ValueError("deps.json is not a mapping")
    except (OSError, ValueError) as exc:
        print(f"note: discarded a corrupt cache entry {entry.parent.name}/{entry.name} "
              f"({type(exc).__name__}); executing the chapter again", file=sys.stderr)
        shutil.rmtree(entry, ignore_errors=True)
        return False
    for path, digest in deps.items():
        p = Path(path)
        if not p.exists() or catalogue.file_digest(p) != digest:
            return False
    return True


def _execute(chapter: str, overrides: dict, entry: str, warm_env: dict | None = None) -> float:
    """Run one chapter notebook with papermill (in a worker process). Returns seconds.

    With ``warm_env`` (a build's warm process, see aluminium.book.warm_kernels) the kernel is
    a fork of a process that has already imported what chapters import."""
    import nbformat
    import papermill as pm

    from aluminium.book.warm_kernels import KERNEL_LOG_ENV, SOCKET_ENV, WarmKernelManager
    from aluminium.data import catalogue

    entry_dir = Path(entry)
    # Per process: two books of --all-scenarios may execute the same chapter at once.
    work = entry_dir.with_name(f"{entry_dir.name}.tmp{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    (work / "downloads").mkdir(parents=True)
    deps = work / "deps.txt"
    deps.write_text("")
    os.environ["ALUMINIUM_DEPS_FILE"] = str(deps)
    os.environ["ALUMINIUM_DOWNLOADS_DIR"] = str(work / "downloads")
    os.environ["ALUMINIUM_CHAPTER"] = chapter
    os.environ.pop(SOCKET_ENV, None)
    os.environ.update(warm_env or {})
    # The kernel inherits this worker's stderr; keep its chatter in a log, not the console.
    log = open(work / "kernel.log", "w")  # noqa: SIM115 - lives as long as the worker's fd 2
    os.environ[KERNEL_LOG_ENV] = log.name  # where a forked (warm) kernel writes its own
    os.dup2(log.fileno(), 2)
    source_nb = chapter_notebook(chapter)
    source = work / f"{chapter}.ipynb"
    nbformat.write(source_nb, source)
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        start = time.perf_counter()
        try:
            pm.execute_notebook(
                str(source), str(work / "executed.ipynb"),
                parameters={"overrides": params.for_chapter(overrides, chapter)}, kernel_name="python3",
                language="python",
                cwd=str(CHAPTERS_DIR), progress_bar=False, log_output=False,
                request_save_on_cell_execute=False, report_mode=False,
                kernel_manager_class=WarmKernelManager,
            )
            break
        except pm.PapermillExecutionError as exc:
            raise BuildError(f"chapter '{chapter}' failed in {_failed_cell(chapter, source_nb, exc.cell_index)}: "
                             f"{exc.ename}: {exc.evalue}") from None
        except Exception as exc:  # noqa: BLE001 - kernel death, missing kernel, bad notebook
            if attempt < KERNEL_START_ATTEMPTS and kernel_never_started(exc):
                log.write(f"{chapter}: kernel did not start ({exc}); starting another\n")
                log.flush()
                continue  # no cell ran: nothing was read or written yet
            raise BuildError(f"chapter '{chapter}' could not be executed: {type(exc).__name__}: {exc}") from None
    seconds = time.perf_counter() - start
    read = sorted({line for line in deps.read_text().splitlines() if line})
    (work / "deps.json").write_text(json.dumps({p: catalogue.file_digest(Path(p)) for p in read}, indent=1))
    _stage_notebook(work / "executed.ipynb", work / "staged.ipynb", chapter)  # here, in parallel
    shutil.rmtree(entry_dir, ignore_errors=True)
    try:
        work.rename(entry_dir)
    except OSError:  # the same execution, finished by another process first: keep that one
        shutil.rmtree(work, ignore_errors=True)
    return seconds


# A kernel can die before its first cell when one of the TCP ports chosen for it is taken by
# another process before the kernel binds it (a known race when kernels start in parallel);
# such a start is tried again.
KERNEL_START_ATTEMPTS = 3


def kernel_never_started(exc: BaseException) -> bool:
    """Whether papermill's error says the kernel died or hung before running any cell."""
    text = str(exc)
    return isinstance(exc, RuntimeError) and ("before replying to kernel_info" in text
                                              or "didn't respond" in text)


def _failed_cell(chapter: str, source, executed_index: int) -> str:
    """Where a cell failed, in terms of the chapter's text source: its number and first line.

    papermill counts cells of the executed notebook, which holds one more cell than the
    source (the injected parameters, right after the parameters cell).
    """
    params_at = next((i for i, c in enumerate(source.cells) if "parameters" in c.metadata.get("tags", [])), None)
    index = executed_index - 1 if params_at is not None and executed_index > params_at else executed_index
    lines = source.cells[index].source.splitlines() if 0 <= index < len(source.cells) else []
    first = next((line.strip() for line in lines if line.strip()), "")
    return f"cell {index} of {chapter_source(chapter).name} (the cell starting `{first[:60]}`)"


@dataclass
class ChapterPlan:
    """Which chapters a build takes from the cache and which it must execute (with their
    cache entries)."""
    cached: dict[str, ChapterRun]
    todo: dict[str, Path]


def plan_chapters(overrides: dict, chapters=CHAPTERS, force: bool = False, code: str | None = None) -> ChapterPlan:
    code = code or code_digest()
    cache = cache_dir()
    plan = ChapterPlan({}, {})
    for ch in chapters:
        entry = cache / ch / chapter_key(ch, overrides, code)
        if not force and _deps_fresh(entry):
            plan.cached[ch] = ChapterRun(ch, entry / "executed.ipynb", entry / "downloads", 0.0, True)
        else:
            plan.todo[ch] = entry
    return plan


def execute_chapters(overrides: dict, chapters=CHAPTERS, jobs: int | None = None,
                     quiet: bool = False, force: bool = False, plan: ChapterPlan | None = None,
                     warm=None) -> list[ChapterRun]:
    """Execute the chapters whose inputs changed; reuse the cached executions of the rest.

    ``warm`` is the build's WarmPool (aluminium.book.warm_kernels); without one, this starts its
    own when there is anything to execute."""
    from aluminium.book.warm_kernels import WarmPool

    plan = plan or plan_chapters(overrides, chapters, force)
    runs = dict(plan.cached)
    for ch in plan.cached:
        _log(f"  {ch:<9} cached (inputs unchanged)", quiet)
    todo = plan.todo
    if todo:
        own_warm = warm is None
        warm = warm or WarmPool.start(cache_dir())
        jobs = min(jobs or os.cpu_count() or 1, len(todo))  # never more workers than chapters to run
        failures: list[str] = []
        try:
            with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_started) as pool:
                futures = {pool.submit(_execute, ch, overrides, str(entry), warm and warm.env()): ch
                           for ch, entry in todo.items()}
                try:
                    for fut in as_completed(futures):
                        ch = futures[fut]
                        try:
                            secs = fut.result()
                        except BuildError as exc:
                            failures.append(str(exc))
                            _log(f"  {ch:<9} FAILED", quiet)
                            continue
                        except BrokenProcessPool:
                            failures.append(f"chapter '{ch}': the process executing it was killed")
                            _log(f"  {ch:<9} FAILED", quiet)
                            continue
                        entry = todo[ch]
                        runs[ch] = ChapterRun(ch, entry / "executed.ipynb", entry / "downloads", secs, False)
                        _log(f"  {ch:<9} executed in {secs:5.1f} s", quiet)
                except KeyboardInterrupt:  # Ctrl-C or SIGTERM: end the chapters now, do not wait for them
                    pool.shutdown(wait=False, cancel_futures=True)
                    lifeline.end_descendants()
                    raise
        finally:
            if own_warm and warm is not None:
                warm.close()
        if failures:
            raise BuildError("; ".join(failures))
    return [runs[ch] for ch in chapters]


def _worker_started() -> None:
    """In each pool worker: die with the build, and leave Ctrl-C to it (it ends the workers)."""
    import signal

    lifeline.die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stage_notebook(src: Path, dst: Path, chapter: str) -> None:
    """Copy an executed notebook, hiding the parameters cells in the HTML.

    Timings, paths and random cell ids of the execution are dropped so that the same inputs
    give the same site byte for byte (the notebook is offered for download as the page's source).
    """
    import nbformat

    nb = nbformat.read(src, as_version=4)
    nb.metadata.pop("papermill", None)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{chapter}-{i}"  # papermill's injected cell gets a random one
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & HIDDEN_TAGS:
            tags |= {"remove-cell"}
        elif cell.cell_type == "code" and "show-input" not in tags:
            # Readers see results first; the code stays one click away.
            tags |= {"hide-input"}
        cell.metadata["tags"] = sorted(tags)
    nbformat.write(nb, dst)


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


def _inputs_key(overrides: dict, scenario, compare_with, switcher, external: list[str]) -> str:
    """Content hash of everything a site is built from: the overrides and scenario, the package's
    code and assets, the book's sources, configuration and data, the registered data vintages
    (.aluminium) and every file a chapter read (``external``: a World Bank workbook outside
    the project among them). Same key, same site."""
    h = hashlib.sha256()
    h.update(json.dumps({"overrides": overrides, "python": sys.version,
                         "scenario": scenario and [scenario.title, scenario.description, scenario.overrides],
                         "switcher": switcher, "external": external}, sort_keys=True, default=str).encode())
    for folder in (PACKAGE_DIR, BOOK_DIR, CHAPTERS_DIR, DATA_DIR, ROOT / ".aluminium"):
        h.update(_digest_tree(_files(folder), folder).encode() if folder.exists() else b"none")
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


def _unchanged(output: Path, overrides: dict, scenario, compare_with, switcher) -> bool:
    """Whether the site in ``output`` was built from exactly these inputs."""
    try:
        recorded = json.loads((output / INPUTS_KEY).read_text())
        external = recorded["external"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    key = _inputs_key(overrides, scenario, compare_with, switcher, external)
    return (output / "index.html").exists() and recorded["key"] == key


def validated_reports(code: str | None = None) -> list:
    """The data package's validation reports, validated again only when a data file or the
    package's code (its checks) changed."""
    from aluminium.data import catalogue

    data = catalogue.DATA_DIR  # the folder validate_all reads (tests point it at a broken copy)
    digest = hashlib.sha256((_digest_tree(_files(data), data) + (code or code_digest())).encode()).hexdigest()[:24]
    cached = cache_dir() / f"validation-{digest}.json"
    if cached.exists():
        try:
            rows = json.loads(cached.read_text())
            return [catalogue.ValidationReport(r["resource"], r["rows"], [catalogue.Flag(**f) for f in r["flags"]])
                    for r in rows]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            print(f"note: discarded a corrupt cache file {cached.name} ({type(exc).__name__}); validating again",
                  file=sys.stderr)
            cached.unlink(missing_ok=True)
    reports = catalogue.validate_all()
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    # Every field of a flag (its measured gap too): a cached validation says what a fresh one says.
    rows = [{"resource": r.resource, "rows": r.rows, "flags": [dataclasses.asdict(f) for f in r.flags]}
            for r in reports]
    tmp.write_text(json.dumps(rows))
    tmp.replace(cached)
    return reports


def build(overrides: dict | None = None, output: Path | None = None, jobs: int | None = None,
          quiet: bool = False, force: bool = False, scenario=None, compare_with=None,
          switcher: dict | None = None) -> BuildResult:
    """Validate, execute, assemble, swap. Raises BookError subclasses with a clear message.

    ``switcher`` ({"book": name, "books": [{"name", "title", "root"}, …]}) puts a scenario
    switcher on every page (see aluminium.book.sphinx_switcher); --all-scenarios passes it.
    """
    start = time.perf_counter()
    output = housekeeping.check_output(Path(output or BUILD_DIR / "html"))
    lifeline.mark_build()  # every process this build starts dies with it
    if not force and _unchanged(output, overrides or {}, scenario, compare_with, switcher):
        # Nothing the site is built from changed since it was built: no import of the models,
        # no validation, no execution, no Sphinx.
        for ch in CHAPTERS:
            _log(f"  {ch:<9} cached (inputs unchanged)", quiet)
        result = BuildResult(output, [], [], time.perf_counter() - start, 0.0)
        _log(f"Site unchanged: {output} is built from these inputs ({result.seconds:.2f} s)", quiet)
        return result
    # Validation runs first and alone: a refused input starts no process.
    raw_overrides = dict(overrides or {})
    checked = params.validate(raw_overrides)
    _log("Validating the data package …", quiet)
    code = code_digest()  # the package's code keys the validation, the chapters and the site
    reports = validated_reports(code)
    flagged = sum(len(r.flags) for r in reports)
    _log(f"  {len(reports)} datasets valid, {flagged} flagged row(s) (see the data catalogue)", quiet)
    plan = plan_chapters(checked, force=force, code=code)
    housekeeping.sweep_stale(output)  # what builds that died left behind
    book = JupyterBook()
    try:
        return _build(raw_overrides, checked, output, jobs, quiet, force, scenario, compare_with, switcher,
                      book, start, code, reports, plan)
    except BaseException:
        book.kill()  # a failed or interrupted build does not wait for Jupyter Book's imports
        raise
    finally:
        book.close()


def _build(raw_overrides, overrides, output: Path, jobs, quiet, force, scenario, compare_with, switcher,
           book: JupyterBook, start: float, code: str, reports, plan: ChapterPlan) -> BuildResult:
    from aluminium.book.warm_kernels import WarmPool

    # The warm process imports what kernels need; only started when a chapter is to execute.
    warm = WarmPool.start(cache_dir()) if plan.todo else None
    stage = output.parent / f".stage-{output.name}-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    src = stage / "src"
    try:
        # The pages that do not depend on the chapters are staged while they execute.
        background = ThreadPoolExecutor(max_workers=1)
        try:
            preparing = background.submit(_prepare, src, overrides, reports, scenario, switcher, code)
            _log(f"Executing {len(CHAPTERS)} chapters …", quiet)
            runs = execute_chapters(overrides, jobs=jobs, quiet=quiet, force=force, plan=plan, warm=warm)
        except BaseException:
            background.shutdown(wait=False, cancel_futures=True)  # an interrupt does not wait for it
            raise
        finally:
            if warm is not None:
                warm.close()
        background.shutdown(wait=True)
        prepared = preparing.result()
        figures = _assemble(src, runs, overrides, scenario, prepared)
        label = scenario.title if scenario else "this build"
        if _differs(overrides):
            # The same chapters at the defaults (cached after any default build): key points show
            # what moved, and a comparison page lists every figure against the defaults.
            base_runs = execute_chapters({}, jobs=jobs, quiet=True)
            if compare_with is None:
                compare_with = _defaults_side(stage / "defaults", base_runs)
            _show_changes(src, runs, base_runs)
        if compare_with is not None:
            _add_comparison(src, compare_with, label)
        # The staged _config.yml carries the package's code digest (its Sphinx extensions and assets).
        site_key = _digest_tree([p for p in src.rglob("*") if p.is_file()], src)
        book_seconds = 0.0
        # Every file a chapter read, inside the project or not (a registered World Bank workbook).
        external = sorted({p for run in runs for p in _deps(run)})
        inputs = json.dumps({"key": _inputs_key(raw_overrides, scenario, compare_with, switcher, external),
                             "external": external})
        if (output / SITE_KEY).exists() and (output / SITE_KEY).read_text() == site_key:
            # Every source page is byte for byte what built the site in place: nothing to do.
            _log("Site unchanged: every page is already built from these sources", quiet)
            (output / INPUTS_KEY).write_text(inputs)
        else:
            _log("Assembling the site with Jupyter Book …", quiet)
            t0 = time.perf_counter()
            built = _sphinx_incremental(src, output, book, quiet)
            book_seconds = time.perf_counter() - t0
            site = stage / "html"
            shutil.copytree(built, site)
            # The themes' Jinja macro files (raw ``{{ pathto(...) }}``) are copied as static files.
            for leftover in site.glob("_static/*webpack-macros.html"):
                leftover.unlink()
            _front_door(site)
            (site / SITE_KEY).write_text(site_key)
            (site / housekeeping.MARKER).write_text("")
            (site / INPUTS_KEY).write_text(inputs)
            _swap(site, output)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    result = BuildResult(output, runs, figures, time.perf_counter() - start, book_seconds)
    _log(f"Built {output} in {result.seconds:.1f} s (Jupyter Book {book_seconds:.1f} s)", quiet)
    return result


BASE = "base"


def build_all_scenarios(output: Path | None = None, extra: dict | None = None, jobs: int | None = None,
                        quiet: bool = False, force: bool = False) -> Path:
    """The base book and every book in scenarios/, each with a comparison page against the
    base and a switcher on every page, published together into one site: the base book at
    its root and each scenario under ``scenarios/<name>/``. Chapters are shared through the
    cache; after the base, the scenario books are built two at a time. Returns the site."""
    from concurrent.futures import ThreadPoolExecutor

    from aluminium import scenarios
    from aluminium.book import compare

    output = housekeeping.check_output(Path(output or BUILD_DIR / "site"))
    base = scenarios.load(BASE)
    others = [s for s in scenarios.available() if s.name != BASE]
    books = [{"name": BASE, "title": base.title, "root": ""}]
    books += [{"name": s.name, "title": s.title, "root": f"scenarios/{s.name}/"} for s in others]
    folders = {b["name"]: BUILD_DIR / "books" / b["name"] / "html" for b in books}
    extra = extra or {}

    def one(scenario, compare_with=None) -> BuildResult:
        overrides = {**scenario.overrides, **extra}
        _log(f"Book '{scenario.name}' ({scenario.title}) …", quiet)
        return build(overrides, output=folders[scenario.name], jobs=jobs, quiet=True, force=force,
                     scenario=None if scenario.name == BASE else scenario, compare_with=compare_with,
                     switcher={"book": scenario.name, "books": books})

    start = time.perf_counter()
    one(base)
    against = compare.Side(base.title, folders[BASE])
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        for result in pool.map(lambda s: one(s, against), others):
            _log(f"  built {result.html_dir} in {result.seconds:.1f} s", quiet)
    _publish({b["root"]: folders[b["name"]] for b in books}, output)
    _log(f"Published {len(books)} books into {output} in {time.perf_counter() - start:.1f} s", quiet)
    return output


def _publish(books: dict[str, Path], output: Path) -> None:
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
        _swap(stage, output)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _front_door(site: Path) -> None:
    """Jupyter Book's index.html is a bare redirect to the first page; this one redirects too,
    and has what a browser or a search engine expects of a page: a title, a description, a
    canonical link and a link to follow."""
    intro = (site / "book" / "intro.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", intro, re.S)
    description = re.search(r'<meta name="description" content="([^"]*)"', intro)
    title = title.group(1).strip() if title else "The Aluminium Chain"
    (site / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="_static/favicon.svg">\n'
        f"<title>{title}</title>\n"
        + (f'<meta name="description" content="{description.group(1)}">\n' if description else "")
        + '<link rel="canonical" href="book/intro.html">\n'
        '<meta http-equiv="refresh" content="0; url=book/intro.html">\n'
        f'</head>\n<body>\n<p><a href="book/intro.html">{title}</a></p>\n</body>\n</html>\n', encoding="utf-8")


def _deps(run: ChapterRun) -> list[str]:
    deps = run.notebook.parent / "deps.json"
    return list(json.loads(deps.read_text())) if deps.exists() else []


def _workspace(output: Path) -> Path:
    """The persistent Jupyter Book project of one output folder: its staged sources, Sphinx's
    environment and the HTML it last built, kept so that the next build re-renders only the
    pages whose sources changed."""
    slug = hashlib.sha256(str(output).encode()).hexdigest()[:12]
    work = BUILD_DIR / "sphinx" / f"{output.name}-{slug}"
    housekeeping.touch(work)  # the workspaces used last are kept (housekeeping)
    return work


def _sphinx_incremental(src: Path, output: Path, book: JupyterBook, quiet: bool) -> Path:
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


def _prepare(src: Path, overrides: dict, reports, scenario, switcher, code: str):
    """Stage everything of the site that does not depend on the chapters: configuration, hand-
    written pages, assets, the data package, the reference pages and the front page's chain
    figures. Runs in a thread while the chapters execute. Returns the front page's part."""
    from aluminium.book import edition, explore, frontpage, reference_pages

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


def _assemble(src: Path, runs: list[ChapterRun], overrides: dict, scenario, prepared) -> list:
    """Add the executed chapters to the staged site, with what gathers from them (key figures,
    the front page's findings). Returns the key figures."""
    from aluminium.book import edition, frontpage, keyfigures, reference_pages

    extra = src / "_extra"
    figures = []
    for run in runs:
        shutil.copyfile(_staged(run), src / "chapters" / f"{run.chapter}.ipynb")
        shutil.copytree(run.downloads, extra / "downloads" / run.chapter)
        figures.extend(keyfigures.from_notebook(run.notebook))
    keyfigures.write(figures, extra)
    edition.stage_changelog(src, figures, extra)
    frontpage.write_front_page(src / "book" / "intro.md", figures, overrides, scenario, prepared)
    reference_pages.write_key_figures_page(src / "book", figures)
    return figures


def _differs(overrides: dict) -> bool:
    """Whether any assumption in force differs from its default."""
    return any(value != params.lookup(name).default() for name, value in overrides.items())


def _defaults_side(folder: Path, base_runs: list[ChapterRun]):
    """The chapters executed at the defaults as a side of a comparison: key figures, downloads
    and the executed notebooks (for the charts)."""
    from aluminium.book import compare, keyfigures

    extra = folder / "_extra"
    (folder / "chapters").mkdir(parents=True, exist_ok=True)
    figures = []
    for run in base_runs:
        shutil.copytree(run.downloads, extra / "downloads" / run.chapter)
        shutil.copyfile(run.notebook, folder / "chapters" / f"{run.chapter}.ipynb")
        figures.extend(keyfigures.from_notebook(run.notebook))
    keyfigures.write(figures, extra)
    return compare.Side("Defaults", extra)


def _show_changes(src: Path, runs: list[ChapterRun], base_runs: list[ChapterRun]) -> None:
    """Each chapter's key points show their moved numbers as "default → this build"."""
    from aluminium.book import changes

    base = {run.chapter: run.notebook for run in base_runs}
    for run in runs:
        if run.chapter in base:
            changes.annotate(src / "chapters" / f"{run.chapter}.ipynb", base[run.chapter], "../book/comparison.html")


def _staged(run: ChapterRun) -> Path:
    """The chapter's notebook as staged for the site, kept next to its cached execution (both
    are fixed once written), so an unchanged chapter costs a file copy on a rebuild."""
    staged = run.notebook.with_name("staged.ipynb")
    if not staged.exists():
        tmp = staged.with_name(f"staged.{os.getpid()}.tmp")
        _stage_notebook(run.notebook, tmp, run.chapter)
        tmp.replace(staged)
    return staged


def _add_comparison(src: Path, other, label: str) -> None:
    """A comparison page against another built book, added to this book's table of contents."""
    import yaml

    from aluminium.book import compare, reference_pages

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
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    # The assets (book.css, al-charts.js) too: Sphinx copies static files only when it writes pages.
    sphinx_config["aluminium_code"] = f"{code}-{_digest_tree(_files(ASSETS_DIR), ASSETS_DIR)[:16]}"
    if scenario is not None:
        config.setdefault("html", {})["announcement"] = scenario.banner_html()
    if switcher:
        sphinx_config["aluminium_book"] = switcher["book"]
        sphinx_config["aluminium_books"] = switcher["books"]
    dst.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _bundle() -> str:
    """The Vega bundle, cached by the versions it carries (vl-convert takes a second to make it)."""
    key = hashlib.sha256((PACKAGE_DIR / "book" / "charts.py").read_bytes()).hexdigest()[:16]
    path = cache_dir() / f"vega-bundle-{key}.js"
    if not path.exists():
        from aluminium.book import charts

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(charts.javascript_bundle(), encoding="utf-8")
        tmp.rename(path)
    return path.read_text(encoding="utf-8")


def _swap(built: Path, output: Path) -> None:
    """Put the new site in place with renames, so readers never see half a site. Ctrl-C and
    SIGTERM wait until both renames are done (a build killed between them leaves the last site
    as ``.old-NAME-PID``, which the next build puts back)."""
    import signal

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
