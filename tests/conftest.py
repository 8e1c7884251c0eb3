"""Shared fixtures. The book is built once per session (into a temporary folder) for the
end-to-end and browser tests."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The whole book built from the embedded data with default parameters."""
    from aluminium import build

    out = tmp_path_factory.mktemp("site") / "html"
    result = build.build({}, output=out, quiet=True)
    assert (out / "index.html").exists()
    built_site.result = result  # type: ignore[attr-defined]
    return out


@pytest.fixture(scope="session")
def site_server(built_site):
    """The built site served over http://localhost on a free port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(built_site)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"http://localhost:{port}"
    proc.terminate()
    proc.wait(timeout=5)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of the data package that a test may corrupt."""
    dst = tmp_path / "data"
    shutil.copytree(ROOT / "data", dst, ignore=shutil.ignore_patterns("_fragments"))
    return dst
