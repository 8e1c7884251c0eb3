"""The site workflow (issue 17): its actions on current majors (no node20 runtime, removed from the
runners on 2026-09-23), and actionlint clean where actionlint is installed."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

WORKFLOWS = sorted((Path(__file__).resolve().parent.parent / ".github" / "workflows").glob("*.yml"))
# The first major of each action that runs on node24.
NODE24 = {"actions/checkout": 5, "actions/setup-python": 6, "actions/upload-pages-artifact": 4,
          "actions/deploy-pages": 5, "actions/upload-artifact": 5, "actions/cache": 5}


def _uses(doc) -> list[str]:
    if isinstance(doc, dict):
        return [v for k, v in doc.items() if k == "uses" and isinstance(v, str)] + \
               [u for v in doc.values() for u in _uses(v)]
    if isinstance(doc, list):
        return [u for v in doc for u in _uses(v)]
    return []


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])
def test_actions_are_on_current_majors(workflow):
    uses = _uses(yaml.safe_load(workflow.read_text(encoding="utf-8")))
    assert uses
    for use in uses:
        action, _, ref = use.partition("@")
        major = re.fullmatch(r"v(\d+)", ref)
        assert major, f"{use}: pin a major version (vN)"
        assert int(major.group(1)) >= NODE24.get(action, 0), f"{use}: older than the node24 major"


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed")
def test_actionlint_is_clean():
    proc = subprocess.run(["actionlint", *map(str, WORKFLOWS)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
