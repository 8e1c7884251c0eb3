"""Warm kernels: papermill executes notebooks in kernels forked from the build's warm process."""
from __future__ import annotations

import os
import sys
import time

import nbformat
import papermill as pm
import pytest

from aluminium.book import warm_kernels
from aluminium.book.warm_kernels import SOCKET_ENV, WarmKernelManager, WarmPool


def _probe(tmp_path, monkeypatch, env: dict) -> dict:
    """Run a one-cell notebook through papermill with the warm kernel manager; the cell reports
    its parent process, whether pandas was already imported, its working folder and an env var."""
    for key in (SOCKET_ENV, "ALUMINIUM_PROBE"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(
        "import os, sys, json\n"
        "print(json.dumps({'ppid': os.getppid(), 'pandas_preloaded': 'pandas' in sys.modules,\n"
        "                  'cwd': os.getcwd(), 'probe': os.environ.get('ALUMINIUM_PROBE'), 'pid': os.getpid()}))"))
    src, out = tmp_path / "probe.ipynb", tmp_path / "probe.out.ipynb"
    nbformat.write(nb, src)
    pm.execute_notebook(str(src), str(out), kernel_name="python3", language="python", cwd=str(tmp_path),
                        progress_bar=False, kernel_manager_class=WarmKernelManager)
    import json

    text = nbformat.read(out, as_version=4).cells[0].outputs[0]["text"]
    return json.loads(text)


def _gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_kernel_is_forked_from_the_warm_process_and_ends_with_its_notebook(tmp_path, monkeypatch):
    pool = WarmPool(tmp_path / "log")
    try:
        seen = _probe(tmp_path, monkeypatch, {**pool.env(), "ALUMINIUM_PROBE": "from the worker"})
        assert seen["ppid"] == pool.proc.pid  # a fork of the warm process, not a new interpreter
        assert seen["pandas_preloaded"]  # what chapters import is there before the first cell
        assert seen["cwd"] == str(tmp_path)  # papermill's cwd and the client's environment reach it
        assert seen["probe"] == "from the worker"
        assert _gone(seen["pid"])  # shut down with its notebook, and reaped
    finally:
        pool.close()
    assert pool.proc.poll() is not None
    assert not pool.path.exists()


def test_without_a_warm_process_kernels_start_as_usual(tmp_path, monkeypatch):
    seen = _probe(tmp_path, monkeypatch, {})
    assert seen["ppid"] == os.getpid()  # launched by jupyter_client in this process
    assert not seen["pandas_preloaded"]


def test_a_gone_warm_process_falls_back_to_launching(tmp_path, monkeypatch):
    seen = _probe(tmp_path, monkeypatch, {SOCKET_ENV: str(tmp_path / "no-such.sock")})
    assert not seen["pandas_preloaded"]


@pytest.mark.parametrize("cmd", [
    ["/usr/bin/some-other-python", "-m", "ipykernel_launcher", "-f", "c.json"],
    [sys.executable, "-m", "some_other_kernel", "-f", "c.json"],
])
def test_only_this_interpreter_s_ipykernel_is_forked(cmd, monkeypatch):
    monkeypatch.setenv(SOCKET_ENV, "/tmp/x.sock")
    assert warm_kernels._fork_request(cmd, {}, "/tmp") is None
    ok = [sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"]
    assert warm_kernels._fork_request(ok, {"A": "1"}, "/tmp") == {"argv": ["-f", "c.json"], "env": {"A": "1"},
                                                                  "cwd": "/tmp"}


def test_cold_kernels_on_request(tmp_path, monkeypatch):
    monkeypatch.setenv("ALUMINIUM_COLD_KERNELS", "1")
    assert WarmPool.start(tmp_path) is None


def test_a_fork_reports_the_files_its_parent_read_as_its_own(tmp_path, monkeypatch):
    from aluminium.data import catalogue

    catalogue.load("demand-china-primary-balance")  # read before the "fork"
    deps = tmp_path / "deps.txt"
    monkeypatch.setenv("ALUMINIUM_DEPS_FILE", str(deps))
    catalogue.note_reads_again()
    assert {str(p) for p in catalogue.files_read()} <= set(deps.read_text().splitlines())
    assert any(line.endswith(".csv") for line in deps.read_text().splitlines())


def test_a_kernel_that_dies_before_its_first_cell_is_started_again(tmp_path, monkeypatch):
    """The port race of parallel kernels: papermill reports the kernel died before kernel_info.
    The chapter is executed again rather than failing the build; other errors are not retried."""
    from aluminium.book import build

    for key in ("ALUMINIUM_DEPS_FILE", "ALUMINIUM_DOWNLOADS_DIR", "ALUMINIUM_CHAPTER", "ALUMINIUM_KERNEL_LOG",
                SOCKET_ENV):
        monkeypatch.setenv(key, "")
    real, calls = pm.execute_notebook, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(*args, **kwargs)

    monkeypatch.setattr(pm, "execute_notebook", flaky)
    saved_stderr = os.dup(2)  # _execute sends this process's stderr to the chapter's log
    try:
        seconds = build._execute("macro", {}, str(tmp_path / "entry"))
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)
    assert len(calls) == 2 and seconds > 0
    assert (tmp_path / "entry" / "executed.ipynb").exists()
    assert "kernel did not start" in (tmp_path / "entry" / "kernel.log").read_text()
    assert build.kernel_never_started(RuntimeError("Kernel didn't respond in 60 seconds"))
    assert not build.kernel_never_started(RuntimeError("some other failure"))
    assert not build.kernel_never_started(ValueError("Kernel died before replying to kernel_info"))
