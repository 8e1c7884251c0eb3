"""Build the book: validate, execute the chapters with papermill (in parallel, cached by
content), then assemble the site with Jupyter Book (execution off) and swap it into place only
when everything succeeded, so a failed build never breaks the last site.

One module per job: ``cache`` (content keys; a no-op build answers from them alone),
``execution`` (validation and the chapters' execution), ``assembly`` (the staged sources,
Jupyter Book, the swap). This module holds the order of the steps and a build's settings
(``BuildConfig``).
"""
from __future__ import annotations

import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from aluminium import lifeline, params, scenarios
from aluminium.book import housekeeping
from aluminium.book.cache import (
    INPUTS_KEY,
    SITE_KEY,
    ChapterRun,
    chapter_deps,
    chapter_key,
    chapter_source,
    code_digest,
    digest_tree,
    inputs_key,
    site_unchanged,
)
from aluminium.paths import BUILD_DIR, CHAPTERS

__all__ = ["BASE", "BuildConfig", "BuildResult", "ChapterRun", "build", "build_all_scenarios", "chapter_key",
           "chapter_source", "code_digest"]

BASE = "base"


@dataclass(frozen=True)
class BuildConfig:
    """What one build is asked for: the overrides as given (validated first), where the site
    goes, and how to build it.

    ``scenario`` puts its banner on every page; ``compare_with`` (a compare.Side) adds a
    comparison page against another built book; ``switcher`` ({"book": name, "books":
    [{"name", "title", "root"}, …]}) puts a scenario switcher on every page (see
    aluminium.book.sphinx_switcher; --all-scenarios passes it)."""
    overrides: dict = field(default_factory=dict)
    output: Path = BUILD_DIR / "html"
    jobs: int | None = None
    quiet: bool = False
    force: bool = False
    scenario: scenarios.Scenario | None = None
    compare_with: object = None
    switcher: dict | None = None


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


def build(overrides: dict | None = None, output: Path | None = None, jobs: int | None = None,
          quiet: bool = False, force: bool = False, scenario=None, compare_with=None,
          switcher: dict | None = None) -> BuildResult:
    """Validate, execute, assemble, swap (see ``run``). Raises BookError subclasses with a
    clear message."""
    return run(BuildConfig(dict(overrides or {}), Path(output or BUILD_DIR / "html"), jobs, quiet, force,
                           scenario, compare_with, switcher))


def run(config: BuildConfig) -> BuildResult:
    """Validate, execute, assemble, swap."""
    start = time.perf_counter()
    output = housekeeping.check_output(Path(config.output))
    lifeline.mark_build()  # every process this build starts dies with it
    if not config.force and site_unchanged(output, config.overrides, config.scenario, config.compare_with,
                                           config.switcher):
        # Nothing the site is built from changed since it was built: no import of the models,
        # no validation, no execution, no Sphinx.
        for ch in CHAPTERS:
            _log(f"  {ch:<9} cached (inputs unchanged)", config.quiet)
        result = BuildResult(output, [], [], time.perf_counter() - start, 0.0)
        _log(f"Site unchanged: {output} is built from these inputs ({result.seconds:.2f} s)", config.quiet)
        return result
    # The models, pandas, Altair and what starts Sphinx: a no-op build (above) needs none of them.
    from aluminium.book import assembly, execution  # deferred: speed

    # Validation runs first and alone: a refused input starts no process.
    checked = params.validate(config.overrides)
    _log("Validating the data package …", config.quiet)
    code = code_digest()  # the package's code keys the validation, the chapters and the site
    reports = execution.validated_reports(code)
    flagged = sum(len(r.flags) for r in reports)
    _log(f"  {len(reports)} datasets valid, {flagged} flagged row(s) (see the data catalogue)", config.quiet)
    plan = execution.plan_chapters(checked, force=config.force, code=code)
    housekeeping.sweep_stale(output)  # what builds that died left behind
    # Jupyter Book starts now, so that its imports overlap the chapters' execution.
    book = assembly.JupyterBook()
    try:
        return _build(config, output, checked, book, start, code, reports, plan)
    except BaseException:
        book.kill()  # a failed or interrupted build does not wait for Jupyter Book's imports
        raise
    finally:
        book.close()


def _build(config: BuildConfig, output: Path, overrides: dict, book, start: float, code: str, reports,
           plan) -> BuildResult:
    """The steps after validation: ``overrides`` are the validated ones, ``plan`` says which
    chapters execute."""
    from aluminium.book import assembly, execution  # deferred: speed

    quiet, scenario, compare_with = config.quiet, config.scenario, config.compare_with
    stage = output.parent / f".stage-{output.name}-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    src = stage / "src"
    try:
        # The pages that do not depend on the chapters are staged while they execute.
        background = ThreadPoolExecutor(max_workers=1)
        try:
            preparing = background.submit(assembly.prepare, src, overrides, reports, scenario, config.switcher, code)
            _log(f"Executing {len(CHAPTERS)} chapters …", quiet)
            runs = execution.execute_chapters(overrides, jobs=config.jobs, quiet=quiet, force=config.force, plan=plan)
        except BaseException:
            background.shutdown(wait=False, cancel_futures=True)  # an interrupt does not wait for it
            raise
        background.shutdown(wait=True)
        prepared = preparing.result()
        figures = assembly.add_chapters(src, runs, overrides, scenario, prepared)
        label = scenario.title if scenario else "this build"
        if assembly.differs(overrides):
            # The same chapters at the defaults (cached after any default build): key points show
            # what moved, and a comparison page lists every figure against the defaults.
            base_runs = execution.execute_chapters({}, jobs=config.jobs, quiet=True)
            if compare_with is None:
                compare_with = assembly.defaults_side(stage / "defaults", base_runs)
            assembly.show_changes(src, runs, base_runs)
        if compare_with is not None:
            assembly.add_comparison(src, compare_with, label)
        # The staged _config.yml carries the package's code digest (its Sphinx extensions and assets).
        site_key = digest_tree([p for p in src.rglob("*") if p.is_file()], src)
        book_seconds = 0.0
        # Every file a chapter read, inside the project or not (a registered World Bank workbook).
        external = sorted({p for run in runs for p in chapter_deps(run)})
        inputs = json.dumps({"key": inputs_key(config.overrides, scenario, compare_with, config.switcher,
                                               external),
                             "external": external})
        if (output / SITE_KEY).exists() and (output / SITE_KEY).read_text() == site_key:
            # Every source page is byte for byte what built the site in place: nothing to do.
            _log("Site unchanged: every page is already built from these sources", quiet)
            (output / INPUTS_KEY).write_text(inputs)
        else:
            _log("Assembling the site with Jupyter Book …", quiet)
            t0 = time.perf_counter()
            built = assembly.sphinx_incremental(src, output, book, quiet)
            book_seconds = time.perf_counter() - t0
            assembly.publish_site(built, stage, output, site_key, inputs)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    result = BuildResult(output, runs, figures, time.perf_counter() - start, book_seconds)
    _log(f"Built {output} in {result.seconds:.1f} s (Jupyter Book {book_seconds:.1f} s)", quiet)
    return result


def build_all_scenarios(output: Path | None = None, extra: dict | None = None, jobs: int | None = None,
                        quiet: bool = False, force: bool = False) -> Path:
    """The base book and every book in scenarios/, each with a comparison page against the
    base and a switcher on every page, published together into one site: the base book at
    its root and each scenario under ``scenarios/<name>/``. Chapters are shared through the
    cache; after the base, the scenario books are built two at a time. Returns the site."""
    from aluminium.book import assembly, compare  # deferred: speed

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
        return run(BuildConfig(overrides, folders[scenario.name], jobs, quiet=True, force=force,
                               scenario=None if scenario.name == BASE else scenario, compare_with=compare_with,
                               switcher={"book": scenario.name, "books": books}))

    start = time.perf_counter()
    one(base)
    against = compare.Side(base.title, folders[BASE])
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        for result in pool.map(lambda s: one(s, against), others):
            _log(f"  built {result.html_dir} in {result.seconds:.1f} s", quiet)
    assembly.publish({b["root"]: folders[b["name"]] for b in books}, output)
    _log(f"Published {len(books)} books into {output} in {time.perf_counter() - start:.1f} s", quiet)
    return output
