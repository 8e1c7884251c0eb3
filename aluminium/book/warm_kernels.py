"""Warm kernels: chapter kernels forked from a process that has already imported what they import.

A chapter's kernel spends most of its life starting: Python, ipykernel, then pandas, Altair and
this package (about 1.5 s of each chapter's 2.5 s). The build starts one *warm* process that
does those imports once; each chapter's kernel is then a fork of it, ready in milliseconds.
papermill still executes every chapter through an ordinary Jupyter kernel: only how that
kernel's process comes into being changes (a kernel provisioner that asks the warm process to
fork instead of launching ``python -m ipykernel_launcher``).

The warm process listens on a Unix socket named by ``ALUMINIUM_WARM_KERNELS`` (in a folder only
this user can enter) and ends with the build. Without it, or for a kernel command it does not
recognise, kernels start the usual way.
"""
from __future__ import annotations

import contextlib
import importlib
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

SOCKET_ENV = "ALUMINIUM_WARM_KERNELS"
KERNEL_LOG_ENV = "ALUMINIUM_KERNEL_LOG"  # a forked kernel's stdout and stderr, as a launched one's

# What chapter kernels import; anything else they import loads in the kernel as usual.
WARM_MODULES = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "IPython.core.interactiveshell",
    "numpy", "pandas", "altair", "myst_nb", "IPython.display",
    "aluminium.stages", "aluminium.chain", "aluminium.sweep", "aluminium.book.chapter_page",
    "aluminium.book.narrative", "aluminium.book.charts", "aluminium.book.flow", "aluminium.book.explore",
    "aluminium.data.catalogue", "aluminium.data.facts", "aluminium.data.labels", "aluminium.data.worldbank",
)
_LAUNCHER = ("-m", "ipykernel_launcher")


# -- the build's side ---------------------------------------------------------------------
class WarmPool:
    """The warm process of one build: started at the build's beginning, closed at its end."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        # A Unix socket path must stay short (about 100 bytes), and only this user may connect
        # (a connection can ask for a kernel): a private folder in the temp dir.
        self.path = Path(tempfile.mkdtemp(prefix=f"aluminium-warm-{os.getpid()}-")) / "socket"
        # What the warm process says (only modules it could not preload); kept when not empty.
        self.log = open(folder / f"warm-kernels-{self.path.parent.name}.log", "w")  # noqa: SIM115 - closed by close()
        # Listening before the process starts: a kernel asked for at once waits in the backlog
        # while the warm process imports, instead of finding no socket.
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
            try:
                server.bind(str(self.path))
            except OSError:
                self.log.close()
                Path(self.log.name).unlink(missing_ok=True)
                shutil.rmtree(self.path.parent, ignore_errors=True)
                raise
            server.listen(16)
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "aluminium.book.warm_kernels", str(server.fileno())],
                stdin=subprocess.PIPE, stdout=self.log, stderr=subprocess.STDOUT, pass_fds=[server.fileno()],
                start_new_session=True,  # a Ctrl-C at the terminal reaches the build, which ends it
                # No BLAS thread pool in a process that forks (chapters' arrays are small).
                env=dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1"))

    @classmethod
    def start(cls, folder: Path) -> WarmPool | None:
        """A warm process for a build, or None where the system cannot fork or
        ALUMINIUM_COLD_KERNELS=1 asks for kernels started the usual way (to compare, or to
        rule the warm process out)."""
        if os.environ.get("ALUMINIUM_COLD_KERNELS", "") not in ("", "0"):
            return None
        if not hasattr(os, "fork") or not hasattr(socket, "AF_UNIX"):
            return None  # Windows: kernels start the usual way
        try:
            return cls(folder)
        except OSError:  # e.g. a TMPDIR too long for a Unix socket's path: kernels start the usual way
            return None

    def env(self) -> dict[str, str]:
        return {SOCKET_ENV: str(self.path)}

    def close(self) -> None:
        """End the warm process now (it may still be importing); kernels it forked live on
        until their clients shut them down."""
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        self.proc.terminate()
        self.proc.wait()
        self.log.close()
        log = Path(self.log.name)
        if log.exists() and log.stat().st_size == 0:
            log.unlink()
        shutil.rmtree(self.path.parent, ignore_errors=True)


class _ForkedProcess:
    """What jupyter_client's LocalProvisioner needs of a ``Popen``, for a kernel forked by the
    warm process (its child, not ours: it is reaped there, so a dead kernel's pid is gone)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # the exit status stays with the warm process
            except PermissionError:
                pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _fork_request(cmd: list[str], env: dict | None, cwd) -> dict | None:
    """The request for the warm process, or None when it cannot serve this kernel command."""
    path = os.environ.get(SOCKET_ENV)
    if not path or len(cmd) < 3 or tuple(cmd[1:3]) != _LAUNCHER:
        return None
    if os.path.realpath(cmd[0]) != os.path.realpath(sys.executable):
        return None  # a kernel spec naming another Python: start it the usual way
    return {"argv": list(cmd[3:]), "env": dict(env if env is not None else os.environ),
            "cwd": str(cwd or os.getcwd())}


def _ask_fork(request: dict) -> int:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(60)  # a warm process stuck in its imports: launch the usual way instead
        s.connect(os.environ[SOCKET_ENV])
        s.sendall(json.dumps(request).encode() + b"\n")
        reply = s.makefile("r").readline()
    return int(json.loads(reply)["pid"])


class WarmKernelProvisioner(LocalProvisioner):
    """Launches the kernel as a fork of the warm process when it can, else as usual."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        request = _fork_request(cmd, kwargs.get("env"), kwargs.get("cwd"))
        if request is None:
            return await super().launch_kernel(cmd, **kwargs)
        try:
            pid = _ask_fork(request)
        except (OSError, ValueError, KeyError):
            return await super().launch_kernel(cmd, **kwargs)  # the warm process is gone
        self.process = _ForkedProcess(pid)
        self.pid = self.pgid = pid  # the fork leads its own session, as a launched kernel does
        self.cwd = request["cwd"]
        return self.connection_info


class WarmKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels come from the warm process (papermill's
    ``kernel_manager_class``)."""

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = WarmKernelProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                     parent=self)
        return await super()._async_pre_start_kernel(**kw)


# -- the warm process -----------------------------------------------------------------------
def _become_kernel(request: dict) -> None:
    """In the forked child: take the kernel's environment and run it; never returns."""
    code = 1
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.environ.clear()
        os.environ.update(request["env"])
        if os.environ.get(KERNEL_LOG_ENV):
            log = os.open(os.environ[KERNEL_LOG_ENV], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            os.dup2(log, 1)
            os.dup2(log, 2)
        os.chdir(request["cwd"])
        # Files read during the warm imports count as this chapter's reads too.
        from aluminium.data import catalogue

        catalogue.note_reads_again()
        sys.argv = [sys.executable, *request["argv"]]
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=request["argv"])
        code = 0
    except BaseException:  # noqa: BLE001 - report and leave; never fall back into the server loop
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def preload(modules) -> None:
    """Import modules ahead of need. One that fails is left for its user to import, and report."""
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001
            print(f"preload: could not import {name}: {exc}", file=sys.stderr, flush=True)


def serve(listening_fd: int) -> int:
    from aluminium import lifeline

    lifeline.die_with_parent()  # and it watches the build (aluminium.lifeline), as its forks do
    server = socket.socket(fileno=listening_fd)  # bound by WarmPool; requests wait while we import
    preload(WARM_MODULES)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forked kernels are reaped as they exit
    events = selectors.DefaultSelector()
    events.register(server, selectors.EVENT_READ)
    events.register(sys.stdin, selectors.EVENT_READ)
    while True:
        for key, _ in events.select():
            if key.fileobj is sys.stdin:
                if not sys.stdin.readline():  # the build closed it: done
                    server.close()
                    return 0
                continue
            conn, _ = server.accept()
            with conn:
                request = json.loads(conn.makefile("r").readline())
                sys.stdout.flush()
                pid = os.fork()
                if pid == 0:
                    server.close()
                    conn.close()
                    _become_kernel(request)
                conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


if __name__ == "__main__":
    raise SystemExit(serve(int(sys.argv[1])))
