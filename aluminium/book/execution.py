"""Execute the chapters with papermill, in parallel worker processes, longest first, each
chapter in a fresh kernel of its own (jupyter_client's KernelManager, handed to papermill),
started and warmed with the common imports while the worker's previous chapter executes; reuse the cached execution of
a chapter whose inputs are unchanged (aluminium.book.cache). Also the data package's
validation, cached by content, which runs before anything is started.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import nbformat

from aluminium import audit, lifeline, params
from aluminium.book.cache import ChapterRun, cache_dir, chapter_key, chapter_source, code_digest, digest_tree, tree_files
from aluminium.data import catalogue, reads
from aluminium.errors import BuildError
from aluminium.paths import CHAPTERS, CHAPTERS_DIR

HIDDEN_TAGS = {"parameters", "injected-parameters"}


def _log(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, flush=True)


def chapter_notebook(chapter: str):
    """The chapter's source as a notebook for papermill (parameters cell, tags and kernelspec kept)."""
    import jupytext  # deferred: speed (read only when a chapter executes)

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
        if not p.exists() or reads.file_digest(p) != digest:
            return False
    return True


# What a chapter's kernel imports before its chapter is known: the libraries and the package's
# modules every chapter imports (about 0.75 s), done while another chapter executes. Silent and
# out of the history: the chapter starts with an empty namespace, as in a kernel of its own.
WARM_UP = "__import__('pandas'), __import__('altair'), __import__('aluminium.book.chapter_page'), " \
          "__import__('aluminium.chain')"

_NEXT_KERNEL: list = []  # in a worker: the kernel started (and warming) for its next chapter


def _start_kernel():
    """A new kernel (jupyter_client's KernelManager, the python3 kernel), started in the
    chapters' folder and told to import what every chapter imports. Returns (manager, client)."""
    from jupyter_client.blocking import BlockingKernelClient  # deferred: speed (worker processes only)
    from jupyter_client.manager import KernelManager  # deferred: speed

    # papermill (nbclient) makes its own client of it: the asynchronous one it uses for its own kernels.
    km = KernelManager(kernel_name="python3", client_class="jupyter_client.asynchronous.AsyncKernelClient")
    km.start_kernel(cwd=str(CHAPTERS_DIR), stderr=subprocess.DEVNULL)
    # The warm-up goes through a blocking client of its own, which sends at once (no event loop).
    kc = BlockingKernelClient()
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
    kc.execute(WARM_UP, silent=True, store_history=False)  # answered before the chapter's first cell
    return km, kc


def _stop_kernel(kernel) -> None:
    km, kc = kernel
    kc.stop_channels()
    if km.has_kernel:
        km.shutdown_kernel(now=True)
    km.cleanup_resources()


def _take_kernel():
    return _NEXT_KERNEL.pop() if _NEXT_KERNEL else _start_kernel()


def discard_next_kernel() -> None:
    """In a worker: stop the kernel it started for a next chapter, if any."""
    while _NEXT_KERNEL:
        _stop_kernel(_NEXT_KERNEL.pop())


def _execute(chapter: str, overrides: dict, entry: str, next_chapter: bool = False) -> float:
    """Run one chapter notebook with papermill (in a worker process) in a fresh kernel of its
    own, started and warmed while this worker's previous chapter executed. Returns seconds.

    ``next_chapter``: this worker executes another chapter after this one, so it starts that
    chapter's kernel now. The kernel learns where to record the files it reads and where to
    write its downloads from the ``build_files`` parameter (aluminium.book.chapter_page.Chapter)."""
    import papermill as pm  # deferred: speed (imported in the worker processes only)

    entry_dir = Path(entry)
    # Per process: two books of --all-scenarios may execute the same chapter at once.
    work = entry_dir.with_name(f"{entry_dir.name}.tmp{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    (work / "downloads").mkdir(parents=True)
    deps = work / "deps.txt"
    deps.write_text("")
    build_files = {"deps": str(deps), "downloads": str(work / "downloads")}
    # Papermill's own chatter goes to a log, not the console.
    log = open(work / "kernel.log", "w")  # noqa: SIM115 - lives as long as the worker's fd 2
    os.dup2(log.fileno(), 2)
    source_nb = chapter_notebook(chapter)
    source = work / f"{chapter}.ipynb"
    nbformat.write(source_nb, source)
    kernel = _take_kernel()
    if next_chapter and not _NEXT_KERNEL:
        _NEXT_KERNEL.append(_start_kernel())
    try:
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            start = time.perf_counter()
            try:
                pm.execute_notebook(
                    str(source), str(work / "executed.ipynb"),
                    parameters={"overrides": params.for_chapter(overrides, chapter), "build_files": build_files},
                    kernel_name="python3", language="python", km=kernel[0],
                    cwd=str(CHAPTERS_DIR), progress_bar=False, log_output=False,
                    request_save_on_cell_execute=False, report_mode=False,
                )
                break
            except pm.PapermillExecutionError as exc:
                raise BuildError(f"chapter '{chapter}' failed in {_failed_cell(chapter, source_nb, exc.cell_index)}: "
                                 f"{exc.ename}: {exc.evalue}") from None
            except Exception as exc:  # noqa: BLE001 - kernel death, missing kernel, bad notebook
                if attempt < KERNEL_START_ATTEMPTS and kernel_never_started(exc):
                    log.write(f"{chapter}: kernel did not start ({exc}); starting another\n")
                    log.flush()
                    _stop_kernel(kernel)
                    kernel = _start_kernel()
                    continue  # no cell ran: nothing was read or written yet
                raise BuildError(f"chapter '{chapter}' could not be executed: {type(exc).__name__}: {exc}") from None
    finally:
        _stop_kernel(kernel)  # one kernel per chapter
    seconds = time.perf_counter() - start
    read = sorted({line for line in deps.read_text().splitlines() if line})
    (work / "deps.json").write_text(json.dumps({p: reads.file_digest(Path(p)) for p in read}, indent=1))
    (work / SECONDS_FILE).write_text(f"{seconds:.3f}\n")  # the next build schedules by it
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


# How long each chapter took when last measured on a quiet 2-core machine (seconds; 2026-12-06,
# clean builds, warmed kernels), for the order of a build with no recorded execution (an empty
# cache); a chapter not named here is taken to be the longest, so it starts first. With these
# the two workers get pricing and alumina, and the other four.
TYPICAL_SECONDS = {"pricing": 4.7, "bauxite": 2.2, "smelting": 1.4, "macro": 1.3, "alumina": 1.1, "demand": 1.0}
SECONDS_FILE = "seconds.txt"


def expected_seconds(chapter: str) -> float:
    """How long a chapter is expected to take: its latest recorded execution in the cache (any
    overrides), else TYPICAL_SECONDS."""
    recorded = []
    for path in (cache_dir() / chapter).glob(f"*/{SECONDS_FILE}"):
        try:
            recorded.append((path.stat().st_mtime, float(path.read_text())))
        except (OSError, ValueError):
            continue
    if recorded:
        return max(recorded)[1]
    return TYPICAL_SECONDS.get(chapter, max(TYPICAL_SECONDS.values()) + 1)


def schedule(chapters, lanes: int) -> list[list[str]]:
    """The chapters dealt to ``lanes`` workers, longest first, each to the worker that frees
    first (so the longest chapter never starts last); each worker runs its list in order."""
    lists: list[list[str]] = [[] for _ in range(lanes)]
    load = [0.0] * lanes
    for ch in sorted(chapters, key=lambda c: -expected_seconds(c)):
        i = load.index(min(load))
        lists[i].append(ch)
        load[i] += expected_seconds(ch)
    return [chs for chs in lists if chs]


def execute_chapters(overrides: dict, chapters=CHAPTERS, jobs: int | None = None,
                     quiet: bool = False, force: bool = False, plan: ChapterPlan | None = None) -> list[ChapterRun]:
    """Execute the chapters whose inputs changed, longest first, over worker processes (each
    chapter in a kernel of its own, started while the worker's previous chapter executed);
    reuse the cached executions of the rest."""
    plan = plan or plan_chapters(overrides, chapters, force)
    runs = dict(plan.cached)
    for ch in plan.cached:
        _log(f"  {ch:<9} cached (inputs unchanged)", quiet)
    todo = plan.todo
    if todo:
        lanes = schedule(todo, min(jobs or os.cpu_count() or 1, len(todo)))  # never more workers than chapters
        failures: list[str] = []
        pools = [ProcessPoolExecutor(max_workers=1, initializer=_worker_started) for _ in lanes]
        try:
            futures = {pool.submit(_execute, ch, overrides, str(todo[ch]), i + 1 < len(lane)): ch
                       for pool, lane in zip(pools, lanes) for i, ch in enumerate(lane)}
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
            for pool in pools:
                pool.shutdown(wait=False, cancel_futures=True)
            lifeline.end_descendants()
            raise
        finally:
            for pool in pools:
                if failures:  # a failed chapter's worker may hold the kernel of a chapter it will not run
                    with contextlib.suppress(BrokenProcessPool, RuntimeError):
                        pool.submit(discard_next_kernel).result()
                pool.shutdown(wait=True)
        if failures:
            raise BuildError("; ".join(failures))
    return [runs[ch] for ch in chapters]


def _worker_started() -> None:
    """In each pool worker: die with the build, leave Ctrl-C to it (it ends the workers), and
    start the kernel of the worker's first chapter."""
    lifeline.die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _NEXT_KERNEL.append(_start_kernel())


def _stage_notebook(src: Path, dst: Path, chapter: str) -> None:
    """Copy an executed notebook, hiding the parameters cells in the HTML.

    Timings, paths (the injected ``build_files``) and random cell ids of the execution are dropped so that the same inputs
    give the same site byte for byte (the notebook is offered for download as the page's source).
    """
    nb = nbformat.read(src, as_version=4)
    nb.metadata.pop("papermill", None)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{chapter}-{i}"  # papermill's injected cell gets a random one
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "injected-parameters" in tags:
            # Where this execution wrote its files (a per-process folder) is no part of the page's source.
            cell.source = "\n".join(line for line in cell.source.splitlines() if not line.startswith("build_files ="))
        if tags & HIDDEN_TAGS:
            tags |= {"remove-cell"}
        elif cell.cell_type == "code" and "show-input" not in tags:
            # Readers see results first; the code stays one click away.
            tags |= {"hide-input"}
        cell.metadata["tags"] = sorted(tags)
    nbformat.write(nb, dst)


def staged_notebook(run: ChapterRun) -> Path:
    """The chapter's notebook as staged for the site, kept next to its cached execution (both
    are fixed once written), so an unchanged chapter costs a file copy on a rebuild."""
    staged = run.notebook.with_name("staged.ipynb")
    if not staged.exists():
        tmp = staged.with_name(f"staged.{os.getpid()}.tmp")
        _stage_notebook(run.notebook, tmp, run.chapter)
        tmp.replace(staged)
    return staged


def validated_reports(code: str | None = None) -> list:
    """The data package's validation reports, validated again only when a data file or the
    package's code (its checks) changed."""
    data = catalogue.DATA_DIR  # the folder validate_all reads (tests point it at a broken copy)
    digest = hashlib.sha256((digest_tree(tree_files(data), data) + (code or code_digest())).encode()).hexdigest()[:24]
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
    reports = audit.validate_all()
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    # Every field of a flag (its measured gap too): a cached validation says what a fresh one says.
    rows = [{"resource": r.resource, "rows": r.rows, "flags": [dataclasses.asdict(f) for f in r.flags]}
            for r in reports]
    tmp.write_text(json.dumps(rows))
    tmp.replace(cached)
    return reports
