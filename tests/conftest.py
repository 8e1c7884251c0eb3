"""Shared fixtures. The book is built once per session (into a temporary folder) for the
end-to-end and browser tests.

Every build a test makes, its cache, Jupyter Book workspaces and scenario books included,
goes under a temporary build folder (ALUMINIUM_BUILD_DIR, set before the package is
imported): the working tree's _build, which the workflow publishes, is never touched.
"""
from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if "ALUMINIUM_BUILD_DIR" not in os.environ:
    os.environ["ALUMINIUM_BUILD_DIR"] = tempfile.mkdtemp(prefix="aluminium-test-build-")
    atexit.register(shutil.rmtree, os.environ["ALUMINIUM_BUILD_DIR"], True)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The whole book built from the embedded data with default parameters."""
    from aluminium.book import build

    out = tmp_path_factory.mktemp("site") / "html"
    result = build.build({}, output=out, quiet=True)
    assert (out / "index.html").exists()
    built_site.result = result  # type: ignore[attr-defined]
    return out


@pytest.fixture(scope="session")
def site_server(built_site):
    """The built site served over http://localhost on a free port, compressed as a static host
    serves it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, str(ROOT / "tools" / "gzserve.py"), str(built_site), "--port", str(port)],
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
    shutil.copytree(ROOT / "data", dst)
    return dst


# The quick loop (`make test-fast`) runs what needs neither a built book nor a browser. A test is
# marked `build` when it asks for the built site, and `browser` when it drives Chromium, so a new
# test joins the right loop by the fixtures it uses, without a mark typed by hand.
BUILD_FIXTURES = {"built_site", "site_server", "hostile_book"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BUILD_FIXTURES:
            item.add_marker(pytest.mark.build)
        if item.path.name == "test_browser.py":
            item.add_marker(pytest.mark.browser)
