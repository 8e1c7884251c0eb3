"""The build touches no network and gives the same site for the same inputs."""
from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUARD = Path(__file__).resolve().parent / "netguard"
pytestmark = pytest.mark.build

# Files allowed to differ between two builds of the same inputs. None today: execution
# timings and cache paths are stripped from the staged notebooks (aluminium.book.build).
VOLATILE: set[str] = set()


def guarded_build(out: Path, log: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=f"{GUARD}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
               ALUMINIUM_NETGUARD_LOG=str(log))
    return subprocess.run([sys.executable, "-m", "aluminium", "build", "--force", "--quiet", "--output", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_the_guard_refuses_a_connection(tmp_path):
    log = tmp_path / "net.log"
    env = dict(os.environ, PYTHONPATH=str(GUARD), ALUMINIUM_NETGUARD_LOG=str(log))
    code = "import socket\ntry:\n    socket.create_connection(('93.184.216.34', 80), timeout=1)\nexcept OSError as e:\n    print('refused', e)\n"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert "refused" in out.stdout and "93.184.216.34" in log.read_text()


def test_build_makes_no_network_connection_and_is_deterministic(built_site, tmp_path):
    """A forced build (every chapter executed again, in a new process, under the network guard)
    gives the session's book file for file."""
    log = tmp_path / "net.log"
    first, second = built_site, tmp_path / "b"
    proc = guarded_build(second, log)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not log.exists() or log.read_text() == "", f"network attempts: {log.read_text()}"
    differing = []
    for path in first.rglob("*"):
        if path.is_file():
            rel = path.relative_to(first)
            other = second / rel
            if str(rel) not in VOLATILE and (not other.exists() or not filecmp.cmp(path, other, shallow=False)):
                differing.append(str(rel))
    assert differing == []
