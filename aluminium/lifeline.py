"""Every process a build starts dies with it, however the build ends (SIGKILL included).

The build marks its environment with its own process id and start time (``mark_build``);
every process it starts inherits the mark: the Jupyter Book worker, the warm process, the
pool workers that run papermill, and the kernels (forked or launched). Any such process that
imports this package, and any fork of one, watches the build from a daemon thread and kills
itself within about half a second of the build being gone. On Linux, a direct child also asks
the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``), which needs no thread.

``descendants`` lists the build's live helper processes (those carrying its mark), so that an
interrupted build can end them before it reports.
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading

ENV = "ALUMINIUM_BUILD_PROCESS"  # "PID:START" of the build's main process
POLL_S = 0.5


def _start_time(pid: int) -> str | None:
    """The process's start time (clock ticks since boot, from /proc), '' where /proc is absent,
    None when no such process exists."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except FileNotFoundError:
        return None if os.path.isdir("/proc/self") else _exists(pid)
    except OSError:
        return ""
    # The command name (field 2) may hold spaces or parentheses: split after its last ')'.
    return stat[stat.rfind(b")") + 2:].split()[19].decode()


def _exists(pid: int) -> str | None:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return ""


def mark_build() -> None:
    """Called by the build's main process: its helpers will watch this process."""
    os.environ[ENV] = f"{os.getpid()}:{_start_time(os.getpid()) or ''}"


def _build_of_this_process() -> tuple[int, str] | None:
    mark = os.environ.get(ENV, "")
    pid, _, start = mark.partition(":")
    if not pid.isdigit() or int(pid) == os.getpid():
        return None
    return int(pid), start


def _gone(pid: int, start: str) -> bool:
    now = _start_time(pid)
    return now is None or (bool(start) and bool(now) and now != start)


def _watch(pid: int, start: str) -> None:
    import time

    while True:
        if _gone(pid, start):
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(POLL_S)


_watching: list[int] = []  # the pid of the process that started a watcher (forks start their own)


def watch() -> None:
    """In a helper of a build: die when the build is gone. Idempotent; forks watch again."""
    build = _build_of_this_process()
    if build is None or os.getpid() in _watching:
        return
    if _gone(*build):
        os.kill(os.getpid(), signal.SIGKILL)
    _watching.append(os.getpid())
    threading.Thread(target=_watch, args=build, name="aluminium-lifeline", daemon=True).start()


def die_with_parent() -> None:
    """On Linux: ask the kernel to SIGKILL this process when its parent ends."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def descendants() -> list:
    """The live processes started by this build (psutil processes carrying its mark)."""
    import psutil

    me = psutil.Process()
    mark = os.environ.get(ENV, "")
    out = []
    for child in me.children(recursive=True):
        try:
            if child.environ().get(ENV) == mark:
                out.append(child)
        except (psutil.Error, OSError):
            out.append(child)  # cannot read it, but it is our descendant: it goes with us
    return out


def end_descendants(timeout: float = 3.0) -> None:
    """Kill the build's helper processes (an interrupted build, before it reports)."""
    import psutil

    procs = descendants()
    for p in procs:
        with contextlib.suppress(psutil.Error):
            p.kill()
    psutil.wait_procs(procs, timeout=timeout)


os.register_at_fork(after_in_child=watch)
