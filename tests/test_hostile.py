"""Hostile input, faults and signals (issue 17): nothing lost, nothing run, nothing left behind.

Every case runs the real command. A refused input must exit 2 (130 for an interrupt) with one
line that names the culprit, leave the previous site byte for byte as it was, start no process
and leave no folder behind. The input cases are generated from a table (``CASES``); a case
is added by adding a row. The data files' own cases are generated per table in
tests/test_mutation.py; the texts that reach pages are checked in tests/test_literal_text.py.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from aluminium import cli
from aluminium.book import build, execution, housekeeping
from aluminium.paths import BUILD_DIR, ROOT


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]  # the command line; {file} is the file written from `content`, {site} the site
    says: str  # what the one line must contain (the culprit)
    content: bytes | None = None  # the file {file}, when the case needs one
    code: int = 2


def _yaml(text: str) -> bytes:
    return text.encode()


POWER = "smelting.power_price_cny_kwh"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" + \
       "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
               for p, c in zip("bcdefgh", "cdefghi")) + "parameters: *i\n"
CASES: dict[str, Case] = {
    # --params FILE: what a careless or hostile file holds
    "params_binary": Case(("build", "--params", "{file}"), "binary", b"PK\x03\x04\x00\x00\x14\x00"),
    "params_bad_utf8": Case(("build", "--params", "{file}"), "not UTF-8", b"smelting:\n  power_price_cny_kwh: 0.4 \xff\n"),
    "params_integer_key": Case(("build", "--params", "{file}"), "is not a name", _yaml("1: 2\n")),
    "params_list_key": Case(("build", "--params", "{file}"), "is not a name", _yaml("? [a, b]\n: 1\n")),
    "params_alias_bomb": Case(("build", "--params", "{file}"), "aliases", _yaml(BOMB)),
    "params_deep_nesting": Case(("build", "--params", "{file}"), "nested more than", _yaml("[" * 20000 + "]" * 20000)),
    "params_nan": Case(("build", "--params", "{file}"), POWER, _yaml(f"{POWER}: .nan\n")),
    "params_inf": Case(("build", "--params", "{file}"), POWER, _yaml(f"{POWER}: .inf\n")),
    "params_huge_exponent": Case(("build", "--params", "{file}"), "finite", _yaml(f"{POWER}: 1e999\n")),
    "params_hex": Case(("build", "--params", "{file}"), "'0x10'", _yaml(f"{POWER}: 0x10\n")),
    "params_month_unpadded": Case(("build", "--params", "{file}"), "YYYY-MM",
                                  _yaml("pricing:\n  backtest_start_month: 2012-1\n")),
    "params_file_outside": Case(("build", "--params", "{file}"), "pricing.worldbank_file",
                                _yaml("pricing:\n  worldbank_file: ../../../../../../etc/passwd\n")),
    "params_unknown_name": Case(("build", "--params", "{file}"), "smelting.power_price", _yaml("smelting.power_price: 1\n")),
    "params_key_twice": Case(("build", "--params", "{file}"), "given twice", _yaml(f"{POWER}: 0.4\n{POWER}: 0.5\n")),
    "params_malformed": Case(("build", "--params", "{file}"), "malformed YAML", _yaml("smelting: [0.4\n")),
    "params_too_large": Case(("build", "--params", "{file}"), "larger than", b"# " + b"x" * 1_100_000 + b"\n"),
    "params_is_a_folder": Case(("build", "--params", "{folder}"), "is a folder"),
    "params_missing": Case(("build", "--params", "{folder}/nothing.yml"), "file not found"),
    # --set NAME=VALUE
    "set_inf": Case(("build", "--set", f"{POWER}=inf"), POWER),
    "set_nan": Case(("build", "--set", f"{POWER}=nan"), POWER),
    "set_hex": Case(("build", "--set", f"{POWER}=0x10"), "'0x10'"),
    "set_out_of_range": Case(("build", "--set", f"{POWER}=1e308"), "out of range"),
    "set_month": Case(("build", "--set", "pricing.backtest_start_month=2012-13"), "YYYY-MM"),
    "set_no_equals": Case(("build", "--set", POWER), "NAME=VALUE"),
    "set_name_with_line_breaks": Case(("build", "--set", "a\nb\n\nc=1"), "unknown parameter 'a\\nb"),
    "set_huge_value": Case(("build", "--set", f"{POWER}=" + "9" * 100_000), POWER),
    "set_workbook_is_a_device": Case(("build", "--set", "pricing.worldbank_file=/dev/null"), "pricing.worldbank_file"),
    # bounded resources
    "jobs_negative": Case(("build", "--jobs", "-1"), "--jobs"),
    "jobs_above_cap": Case(("build", "--jobs", "32"), "the cap"),
    "sweep_negative_grid": Case(("sweep", "--vary", f"{POWER}=0.3:0.6", "--grid", "-1"), "--grid"),
    "sweep_grid_above_cap": Case(("sweep", "--vary", f"{POWER}=0.3:0.6", "--vary", "macro.usd_cny=6:8",
                                  "--vary", "smelting.alumina_price_cny_t=2000:4000", "--grid", "100000"), "the cap"),
    "sweep_samples_above_cap": Case(("sweep", "--vary", f"{POWER}=0.3:0.6", "--samples", "1e10"), "the cap"),
    # scenarios
    "scenario_alias": Case(("build", "--scenario", "{file}"), "aliases",
                           _yaml("title: &t x\ndescription: *t\nparameters: {}\n")),
    "scenario_file_name_climbs": Case(("build", "--scenario", "{folder}/...yml"), "named with letters"),
    "scenario_unknown": Case(("build", "--scenario", "no-such-scenario"), "unknown scenario"),
    # --output never destroys
    "output_is_a_file": Case(("build", "--output", "{file}"), "is a file", b"precious\n"),
    "output_is_a_device": Case(("build", "--output", "/dev/null"), "device"),
    "output_is_the_project": Case(("build", "--output", str(ROOT)), "project folder"),
    "output_is_above_the_project": Case(("build", "--output", str(ROOT.parent)), "project folder"),
    "output_is_a_folder_of_other_things": Case(("build", "--output", "{folder}"), "not empty"),
    "output_is_the_build_folder": Case(("build", "--output", str(BUILD_DIR)), "cache"),
    "output_is_inside_the_data": Case(("build", "--output", str(ROOT / "data" / "site")), "data/ folder"),
    "output_is_inside_git": Case(("build", "--output", str(ROOT / ".git" / "site")), ".git/ folder"),
    "all_scenarios_output_is_a_file": Case(("build", "--all-scenarios", "--output", "{file}"), "is a file", b"x"),
}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory) -> Path:
    """Stands for the last good site (marked as built by this tool, so a build may replace it)."""
    site = tmp_path_factory.mktemp("previous") / "html"
    (site / "chapters").mkdir(parents=True)
    (site / "index.html").write_text("<html>the last good build</html>")
    (site / "chapters" / "smelting.html").write_text("<html>smelting, last good build</html>")
    (site / housekeeping.MARKER).write_text("")
    return site


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_is_refused_in_one_line_and_changes_nothing(name, previous_site, tmp_path, capsys):
    case = CASES[name]
    file, folder = tmp_path / "input.yml", tmp_path / "folder"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    if case.content is not None:
        file.write_bytes(case.content)
    args = [a.format(file=file, folder=folder, site=previous_site) for a in case.args]
    if args[0] == "build" and "--output" not in args:
        args += ["--output", str(previous_site)]
    if args[0] == "sweep":
        args += ["--out", str(tmp_path / "sweep.csv")]
    before = _snapshot(previous_site.parent)
    children = {p.pid for p in psutil.Process().children(recursive=True)}
    capsys.readouterr()
    started = time.perf_counter()
    try:
        code = cli.main(args)
    except SystemExit as exc:  # a usage error, refused by argparse in one line
        code = exc.code
    err = capsys.readouterr().err
    assert code == case.code, err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), err
    assert "Traceback" not in err and case.says in err, err
    assert time.perf_counter() - started < 20, "a refusal is quick: nothing ran"
    assert _snapshot(previous_site.parent) == before, "the previous site changed"
    assert {p.pid for p in psutil.Process().children(recursive=True)} <= children, "a process was started"
    assert not list(previous_site.parent.glob(".stage-*")) and not list(previous_site.parent.glob(".old-*"))
    if case.content is not None:
        assert file.read_bytes() == case.content, "the file given changed"
    assert (folder / "keep.txt").read_text() == "mine" and [p.name for p in folder.iterdir()] == ["keep.txt"]
    assert Path("/dev/null").is_char_device()


def test_every_case_kind_is_covered():
    kinds = {name.split("_")[0] for name in CASES}
    assert {"params", "set", "jobs", "sweep", "scenario", "output"} <= kinds


# -- --output --------------------------------------------------------------------------------

def test_output_accepts_new_empty_and_marked_folders_only(tmp_path):
    assert housekeeping.check_output(tmp_path / "new") == tmp_path / "new"
    (tmp_path / "empty").mkdir()
    assert housekeeping.check_output(tmp_path / "empty") == tmp_path / "empty"
    marked = tmp_path / "site"
    marked.mkdir()
    (marked / "index.html").write_text("x")
    with pytest.raises(housekeeping.OutputRefused, match="not empty"):
        housekeeping.check_output(marked)
    (marked / housekeeping.MARKER).write_text("")
    assert housekeeping.check_output(marked) == marked
    (tmp_path / "f").write_text("x")
    with pytest.raises(housekeeping.OutputRefused, match="is not a folder"):
        housekeeping.check_output(tmp_path / "f" / "site")


# -- what dead builds leave ------------------------------------------------------------------------

def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_the_next_build_sweeps_what_dead_builds_left(tmp_path):
    dead = _dead_pid()
    out = tmp_path / "html"
    stage = tmp_path / f".stage-html-{dead}"
    old = tmp_path / f".old-html-{dead}"
    alive_stage = tmp_path / f".stage-html-{os.getpid()}"
    entry = BUILD_DIR / "cache" / "macro" / f"abc.tmp{dead}"
    tmp_file = BUILD_DIR / "cache" / f"validation-x.{dead}.tmp"
    for folder in (stage, old, alive_stage, entry):
        (folder / "sub").mkdir(parents=True)
    tmp_file.write_text("half")
    housekeeping.sweep_stale(out)
    assert not stage.exists() and not old.exists() and not entry.exists() and not tmp_file.exists()
    assert alive_stage.exists(), "a live build's folder is kept"


def test_sphinx_workspaces_are_bounded(monkeypatch):
    spaces = BUILD_DIR / "sphinx"
    made = []
    for i in range(housekeeping.WORKSPACES_KEPT + 3):
        ws = spaces / f"html-test{i:03d}"
        ws.mkdir(parents=True, exist_ok=True)
        age = time.time() - housekeeping.WORKSPACE_GRACE_S - 100 - i
        os.utime(ws, (age, age))
        made.append(ws)
    before = sorted(((p.stat().st_mtime, p) for p in spaces.iterdir() if p.is_dir()), reverse=True)
    housekeeping.sweep_stale(None)
    now = time.time()
    for rank, (mtime, ws) in enumerate(before):
        recent = now - mtime <= housekeeping.WORKSPACE_GRACE_S
        # the few used last, and any used within the grace time (a build may hold it), are kept
        assert ws.exists() == (rank < housekeeping.WORKSPACES_KEPT or recent), (rank, ws.name)
    assert not made[-1].exists(), "the oldest goes"


# -- one line for every ending -------------------------------------------------------------------

def test_a_full_disk_is_one_line(monkeypatch, tmp_path, capsys):
    import shutil

    def full(*a, **k):
        raise shutil.Error([(str(tmp_path / "a"), str(tmp_path / "b" / "c.html"), "[Errno 28] No space left on device")] * 87)

    monkeypatch.setattr(build, "build", full)
    assert cli.main(["build", "--output", str(tmp_path / "site")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no space left on " in err and "the last site is unchanged" in err, err


def test_a_corrupt_cached_validation_is_discarded_with_a_note(capsys):
    code = build.code_digest()
    execution.validated_reports(code)
    for cached in (BUILD_DIR / "cache").glob("validation-*.json"):
        cached.write_text('{"truncated')
    reports = execution.validated_reports(code)
    assert reports and "discarded a corrupt cache file" in capsys.readouterr().err


def test_a_corrupt_cached_notebook_is_discarded_with_a_note(tmp_path, capsys):
    entry = tmp_path / "macro" / "key"
    entry.mkdir(parents=True)
    (entry / "executed.ipynb").write_text('{"cells": [')
    (entry / "deps.json").write_text("{}")
    assert not execution._deps_fresh(entry)
    assert "discarded a corrupt cache entry" in capsys.readouterr().err and not entry.exists()


def test_a_closed_pipe_is_quiet():
    proc = subprocess.run(f"'{sys.executable}' -m aluminium params | head -c 10", shell=True,
                          capture_output=True, text=True, timeout=120)
    assert proc.stderr == "", proc.stderr


# -- signals: a killed or interrupted build leaves nothing running and nothing behind ---------------

def _start_build(out: Path, price: str) -> subprocess.Popen:
    # a parameter no other test uses: chapters execute, so every kind of helper runs
    return subprocess.Popen([sys.executable, "-m", "aluminium", "build", "--quiet", "--output", str(out),
                             "--set", f"{POWER}={price}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)


def _tree(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _watch_tree(proc: subprocess.Popen, seconds: float) -> list[psutil.Process]:
    """Every helper the build started, from its first (after validation) until ``seconds``
    later (they come and go)."""
    seen: dict[int, psutil.Process] = {}
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        for p in _tree(proc.pid):
            seen.setdefault(p.pid, p)
        if seen and deadline - time.time() > seconds:
            deadline = time.time() + seconds  # the first helper is up: watch a while longer
        time.sleep(0.05)
    return list(seen.values())


def _survivors(helpers: list[psutil.Process], wait: float = 4.0) -> list[str]:
    deadline = time.time() + wait
    while time.time() < deadline:
        alive = [p for p in helpers if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not alive:
            return []
        time.sleep(0.1)
    return [" ".join(p.cmdline()[:4]) for p in alive]


@pytest.mark.build
@pytest.mark.parametrize("after", [0.3, 3.0])  # seconds after the first helper started
def test_a_killed_build_leaves_nothing_running_and_the_next_build_cleans_up(after, tmp_path):
    out = tmp_path / "html"
    proc = _start_build(out, f"0.4{int(after * 10)}7")
    helpers = _watch_tree(proc, after)
    proc.kill()
    proc.wait()
    assert helpers, "the build had started its helpers"
    assert _survivors(helpers) == []
    housekeeping.sweep_stale(out)
    assert not list(tmp_path.glob(".stage-*")) and not list(tmp_path.glob(".old-*"))
    assert not list((BUILD_DIR / "cache").glob(f"*/*.tmp{proc.pid}"))


@pytest.mark.build
def test_ctrl_c_exits_130_in_one_line_and_keeps_the_last_site(tmp_path):
    out = tmp_path / "html"
    out.mkdir()
    (out / housekeeping.MARKER).write_text("")
    (out / "index.html").write_text("last good build")
    proc = _start_build(out, "0.4137")
    helpers = _watch_tree(proc, 1.0)
    proc.send_signal(signal.SIGINT)
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == 130, err
    assert err.strip().splitlines() == ["interrupted; the last site is unchanged"], err
    assert (out / "index.html").read_text() == "last good build"
    assert _survivors(helpers) == []
    assert not list(tmp_path.glob(".old-*"))


def test_a_last_site_left_aside_by_a_killed_swap_is_put_back(tmp_path):
    out = tmp_path / "html"
    aside = tmp_path / f".old-html-{_dead_pid()}"
    aside.mkdir()
    (aside / housekeeping.MARKER).write_text("")
    (aside / "index.html").write_text("last good build")
    housekeeping.sweep_stale(out)
    assert (out / "index.html").read_text() == "last good build" and not aside.exists()


def test_a_read_only_build_folder_is_one_line(monkeypatch, tmp_path, capsys):
    def read_only(*a, **k):
        raise PermissionError(13, "Permission denied", str(BUILD_DIR / "cache"))

    monkeypatch.setattr(build, "build", read_only)
    assert cli.main(["build", "--output", str(tmp_path / "site")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Permission denied" in err and str(BUILD_DIR / "cache") in err, err


def test_the_build_folder_own_outputs_are_the_tool_s_and_its_cache_is_not_an_output():
    legacy = BUILD_DIR / "site-from-before-the-marker"
    (legacy / "book").mkdir(parents=True, exist_ok=True)
    (legacy / "index.html").write_text("an older published site")
    assert housekeeping.check_output(legacy) == legacy.resolve()
    for own in ("cache", "sphinx", "cache/macro"):
        with pytest.raises(housekeeping.OutputRefused, match="cache or workspaces"):
            housekeeping.check_output(BUILD_DIR / own)
