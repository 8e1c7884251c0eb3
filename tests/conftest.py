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
import tempfile
from pathlib import Path

import pytest
from helpers import HOSTILE_DESCRIPTION, HOSTILE_TITLE, TURNED, build_variant, launched_browser, served

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
    with served(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def turned_site(built_site, tmp_path_factory) -> Path:
    """The one variant build with other assumptions (helpers.TURNED) that every test needing a
    non-default book shares; built after the default so its unchanged chapters come from the cache."""
    return build_variant(tmp_path_factory.mktemp("turned") / "html", TURNED)


@pytest.fixture(scope="session")
def hostile_book(built_site, tmp_path_factory) -> Path:
    """The one scenario book: a scenario whose title and description are hostile (markup, template
    and MyST syntax, a long reasoning), built with its comparison against the base by `aluminium
    compare`, as a reader would. Shared by the literal-text and the browser tests."""
    import yaml

    from aluminium import cli
    from aluminium.scenarios import load

    path = tmp_path_factory.mktemp("hostile") / "hostile.yml"
    path.write_text(yaml.safe_dump({"title": HOSTILE_TITLE, "description": HOSTILE_DESCRIPTION,
                                    "parameters": {"smelting": {"power_price_cny_kwh": 0.4471}}}), encoding="utf-8")
    assert cli.main(["compare", "base", str(path), "--quiet"]) == 0
    return load(str(path)).output_dir()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for one test module."""
    with launched_browser() as b:
        yield b


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of the data package that a test may corrupt."""
    dst = tmp_path / "data"
    shutil.copytree(ROOT / "data", dst)
    return dst


# The quick loop (`make test-fast`) runs what needs neither a built book nor a browser. A test is
# marked `build` when it asks for the built site, and `browser` when it drives Chromium, so a new
# test joins the right loop by the fixtures it uses, without a mark typed by hand.
BUILD_FIXTURES = {"built_site", "site_server", "hostile_book", "turned_site"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BUILD_FIXTURES:
            item.add_marker(pytest.mark.build)
        if "browser" in fixtures or item.path.name == "test_browser.py":
            item.add_marker(pytest.mark.browser)
