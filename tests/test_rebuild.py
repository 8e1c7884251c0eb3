"""Build reliability on a private copy of the project: a failing chapter keeps the last good
site, the content-hash cache re-executes exactly the chapters whose inputs changed, and
Jupyter Book re-renders only the pages whose sources changed."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """One private copy of the project for the module, its cache shared by the tests: the first
    test builds it cold; each later test puts back what it breaks, so it starts from a warm cache
    instead of executing every chapter again (run alone, a test starts cold and still holds)."""
    root = tmp_path_factory.mktemp("rebuild") / "project"
    root.mkdir()
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(ROOT / name, root / name)
    for folder in ("book", "chapters", "data", "scenarios"):  # the pricing chapter runs the shipped scenarios
        shutil.copytree(ROOT / folder, root / folder)
    return root


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, ALUMINIUM_ROOT=str(root), ALUMINIUM_BUILD_DIR=str(root / "_build"))
    return subprocess.run([sys.executable, "-m", "aluminium", "build", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


def executed(output: str) -> set[str]:
    return set(re.findall(r"^\s+(\w+)\s+executed in", output, re.M))


def cached(output: str) -> set[str]:
    return set(re.findall(r"^\s+(\w+)\s+cached", output, re.M))


def test_cache_reexecutes_only_what_changed(project):
    first = run_build(project)
    assert first.returncode == 0, first.stderr
    assert len(executed(first.stdout)) == 6
    figures = json.loads((project / "_build" / "html" / "key-figures.json").read_text())

    again = run_build(project)
    assert again.returncode == 0, again.stderr
    assert executed(again.stdout) == set() and len(cached(again.stdout)) == 6
    assert "Site unchanged" in again.stdout
    assert json.loads((project / "_build" / "html" / "key-figures.json").read_text()) == figures

    # A parameter re-executes its chapter and the chapters downstream of it in the chain, no others:
    # the national power price sets the cost floor and the price, and the price feeds back into the
    # alumina ratio contract (alumina re-executes too); bauxite, upstream of it all, does not.
    power = run_build(project, "--set", "smelting.power_price_cny_kwh=0.5")
    assert power.returncode == 0, power.stderr
    assert executed(power.stdout) == {"alumina", "smelting", "demand", "pricing", "macro"}
    assert_power_change_is_consistent(project, figures, 0.5)
    # … and Sphinx reads again only the pages of those chapters and the pages that gather from them.
    log = next((project / "_build" / "sphinx").glob("html-*/jupyter-book.log")).read_text()
    read = set(re.findall(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)$", log, re.M))
    assert "chapters/smelting" in read and "chapters/bauxite" not in read
    # The edition's pages (cite, changelog) name the parameters in force; a changed assumption adds
    # the comparison against the defaults.
    gatherers = {"book/intro", "book/key-figures", "book/parameters", "book/data-catalogue", "book/claims-audit",
                 "book/cite", "book/changelog", "book/comparison"}
    assert read <= {f"chapters/{ch}" for ch in executed(power.stdout)} | gatherers, read

    # A data file re-executes the chapters that read it, never serving a stale page.
    balance = project / "data" / "demand" / "china_primary_balance.csv"
    text = balance.read_text()
    assert "2024,true,43050,1960,44860,150," in text
    balance.write_text(text.replace("2024,true,43050,1960,44860,150,", "2024,true,43060,1960,44860,160,"))
    edited = run_build(project)
    assert edited.returncode == 0, edited.stderr + edited.stdout
    assert "demand" in executed(edited.stdout)
    assert "bauxite" in cached(edited.stdout)  # upstream of the balance: untouched

    # Jupyter Book failing keeps the last site, and the next build starts a fresh workspace.
    site = project / "_build" / "html"
    before = (site / "chapters" / "demand.html").read_bytes()
    toc = project / "_toc.yml"
    good_toc = toc.read_text()
    toc.write_text(good_toc.replace("format: jb-book", "format: jb-no-such-format"))
    broken = run_build(project)
    assert broken.returncode != 0 and "Jupyter Book failed" in broken.stderr
    assert (site / "chapters" / "demand.html").read_bytes() == before
    assert not list((project / "_build").glob(".stage-*"))
    toc.write_text(good_toc)
    mended = run_build(project)
    assert mended.returncode == 0, mended.stderr + mended.stdout
    assert executed(mended.stdout) == set()
    assert (site / "book" / "glossary.html").exists()


def test_a_failing_chapter_stops_the_build_and_keeps_the_last_site(project, tmp_path):
    site = tmp_path / "html"
    site.mkdir(parents=True)
    (site / "index.html").write_text("the last good site")
    (site / ".aluminium-site").write_text("")  # built by this tool: a build may replace it
    source = project / "chapters" / "macro.md"
    good = source.read_text(encoding="utf-8")
    nb = jupytext.read(source, fmt="md:myst")
    nb.cells.insert(3, nbformat.v4.new_code_cell("1 / 0"))
    jupytext.write(nb, source, fmt="md:myst")
    try:
        proc = run_build(project, "--output", str(site))
    finally:
        source.write_text(good, encoding="utf-8")
    assert proc.returncode != 0
    assert "chapter 'macro' failed in cell 3 of macro.md (the cell starting `1 / 0`)" in proc.stderr
    assert "ZeroDivisionError" in proc.stderr
    assert (site / "index.html").read_text() == "the last good site"
    assert not list((project / "_build").glob(".stage-*"))


def assert_power_change_is_consistent(project: Path, before: list[dict], power_price: float) -> None:
    """Figures, chart data and prose all move with the parameter, and agree with the model."""
    import pandas as pd

    from aluminium import params
    from aluminium.book.keyfigures import KeyFigure

    site = project / "_build" / "html"
    after = {f["id"]: f for f in json.loads((site / "key-figures.json").read_text())}
    old = {f["id"]: f for f in before}
    use = params.lookup("smelting.power_kwh_per_t").default()
    default_price = params.lookup("smelting.power_price_cny_kwh").default()
    step = use * (power_price - default_price)
    value = lambda figs, fid: figs[fid]["value"]  # noqa: E731
    d_cost = value(after, "smelting.cash_cost_cny_t") - value(old, "smelting.cash_cost_cny_t")
    # The power bill, plus a little alumina: the ratio contract follows the dearer aluminium.
    assert d_cost == pytest.approx(step, rel=0.02)
    # The national power price reaches the cost curve and the price (it used to leave the price
    # unchanged and take the whole step out of the margin).
    d_price = value(after, "pricing.modelled_price_cny_t") - value(old, "pricing.modelled_price_cny_t")
    assert d_price > 0
    d_margin = value(after, "smelting.margin_cny_t") - value(old, "smelting.margin_cny_t")
    assert d_margin == pytest.approx(d_price - d_cost, abs=1.0)
    assert value(after, "pricing.modelled_margin_cny_t") == pytest.approx(value(after, "smelting.margin_cny_t"), abs=1.0)
    # Figures of the chapter upstream of it all stay as they were.
    for fid in old:
        if fid.split(".", 1)[0] == "bauxite":
            assert after[fid] == old[fid], fid
    html = (site / "chapters" / "smelting.html").read_text(encoding="utf-8")
    assert KeyFigure(**after["smelting.cash_cost_cny_t"]).text() in html
    assert KeyFigure(**old["smelting.cash_cost_cny_t"]).text() not in html
    assert "changed" in html  # the assumptions table marks the override
    stack = pd.read_csv(site / "downloads" / "smelting" / "cost-stack.csv").set_index("item")
    assert stack.loc["power", "cost_cny_t"] == pytest.approx(use * power_price)


def test_a_sphinx_warning_fails_the_build_and_keeps_the_last_site(project, tmp_path):
    site = tmp_path / "html"
    site.mkdir(parents=True)
    (site / "index.html").write_text("the last good site")
    (site / ".aluminium-site").write_text("")  # built by this tool: a build may replace it
    howto = project / "book" / "howto.md"
    good = howto.read_text(encoding="utf-8")
    howto.write_text(good + "\n```{no-such-directive}\n```\n", encoding="utf-8")
    try:
        proc = run_build(project, "--output", str(site))
    finally:
        howto.write_text(good, encoding="utf-8")
    assert proc.returncode == 2
    assert "warnings are errors" in proc.stderr and "no-such-directive" in proc.stderr
    assert (site / "index.html").read_text() == "the last good site"


def test_registering_a_workbook_re_executes_pricing_and_shows_it(project, tmp_path):
    """A default that comes from a file (the World Bank extract) keys the cache by its content:
    after `aluminium data add-worldbank`, pricing runs again and shows the new prices."""
    from test_worldbank import make_pink_sheet

    # A newer vintage of our own making: 2000-01 to 2025-06, every series present.
    months = [f"{2000 + i // 12}M{i % 12 + 1:02d}" for i in range(306)]
    rows = [(m, 90.0 + i % 7, 9.0, 1700.0 + 3 * i, 6000.0 + 10 * i) for i, m in enumerate(months)]
    first = run_build(project)
    assert first.returncode == 0, first.stderr
    book = make_pink_sheet(tmp_path / "pink.xlsx", names=("Coal, Australian", "Natural gas, Europe", "Aluminum", "Copper"),
                           units=("($/mt)", "($/mmbtu)", "($/mt)", "($/mt)"),
                           codes=("COAL_AUS", "NGAS_EUR", "ALUMINUM", "COPPER"), rows=rows)
    env = dict(os.environ, ALUMINIUM_ROOT=str(project), ALUMINIUM_BUILD_DIR=str(project / "_build"))
    added = subprocess.run([sys.executable, "-m", "aluminium", "data", "add-worldbank", str(book)], cwd=project,
                           env=env, capture_output=True, text=True, timeout=300)
    assert added.returncode == 0, added.stderr
    again = run_build(project)
    assert again.returncode == 0, again.stderr
    assert "pricing" in executed(again.stdout)
    figures = {f["id"]: f for f in json.loads((project / "_build" / "html" / "key-figures.json").read_text())}
    assert figures["pricing.wb_aluminium_latest_usd_t"]["value"] == pytest.approx(rows[-1][3])


def test_a_rebuild_equals_a_clean_build(built_site, tmp_path):
    """Clean, then a parameter change and back in another folder (incremental Sphinx, cached
    validation): the two sites are the same file for file, search index and data catalogue
    included. Allowed to differ: nothing."""
    from aluminium.book import build

    out = tmp_path / "html"
    build.build({"smelting.power_price_cny_kwh": 0.4433}, output=out, quiet=True)
    build.build({}, output=out, quiet=True)
    clean = {str(p.relative_to(built_site)): p.read_bytes() for p in built_site.rglob("*") if p.is_file()}
    again = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert sorted(clean) == sorted(again)
    differ = sorted(name for name in clean if clean[name] != again[name])
    assert differ == [], differ
    catalogue = again["book/data-catalogue.html"].decode()
    assert "Largest gap" in catalogue  # the cached validation keeps every field of a flag
    index = again["searchindex.js"].decode()
    assert '"indexentries":{}' not in index and "self-sufficiency rate" in index
