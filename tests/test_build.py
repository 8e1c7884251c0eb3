"""End to end: the whole book built from the embedded data."""
from __future__ import annotations

import json
import re
import subprocess
import sys

from aluminium.data import catalogue
from aluminium.paths import CHAPTERS

SCRIPT_SRC = re.compile(r"<script[^>]*\ssrc=\"([^\"]+)\"", re.I)
CHART_DIV = re.compile(r'<div id="(al-chart-[a-z0-9_-]+)"')


def test_every_chapter_page_is_built(built_site):
    for ch in CHAPTERS:
        page = built_site / "chapters" / f"{ch}.html"
        assert page.exists(), ch
    for page in ("index", "book/howto", "book/data-catalogue", "book/glossary", "book/references",
                 "book/key-figures", "book/parameters", "book/claims-audit"):
        assert (built_site / f"{page}.html").exists(), page


def test_pages_load_no_script_from_the_network(built_site):
    for page in built_site.rglob("*.html"):
        for src in SCRIPT_SRC.findall(page.read_text(encoding="utf-8")):
            assert not src.startswith(("http:", "https:", "//")), f"{page}: {src}"


def test_every_chart_has_its_spec_and_the_local_bundle(built_site):
    bundle = built_site / "_static" / "vega-bundle.js"
    assert bundle.exists() and bundle.stat().st_size > 100_000
    charts_seen = 0
    for ch in CHAPTERS:
        html = (built_site / "chapters" / f"{ch}.html").read_text(encoding="utf-8")
        ids = CHART_DIV.findall(html)
        charts_seen += len(ids)
        if ids:
            assert "_static/vega-bundle.js" in html, ch
        for chart_id in ids:
            # Altair's template embeds the spec right after the div.
            after = html.split(f'id="{chart_id}"', 1)[1][:200_000]
            assert '"$schema"' in after and "vega-lite" in after, chart_id
            assert '"tooltip"' in after, f"{chart_id} has no tooltip"
            assert "Download the data (CSV)" in after, f"{chart_id} has no download link"
    assert charts_seen >= len(CHAPTERS)


def test_chart_and_table_downloads_exist(built_site):
    for ch in CHAPTERS:
        html = (built_site / "chapters" / f"{ch}.html").read_text(encoding="utf-8")
        for href in re.findall(r'href="\.\./(downloads/[^"]+\.csv)"', html):
            assert (built_site / href).exists(), href


def test_key_figures_json_and_csv_are_complete(built_site):
    figs = json.loads((built_site / "key-figures.json").read_text())
    assert figs, "no key figures"
    ids = [f["id"] for f in figs]
    assert len(ids) == len(set(ids))
    for f in figs:
        assert {"id", "value", "unit", "label"} <= set(f)
        assert isinstance(f["value"], (int, float)) and f["unit"] and f["label"]
    chapters_with_figures = {f["id"].split(".")[0] for f in figs}
    assert chapters_with_figures == set(CHAPTERS)
    csv_lines = (built_site / "key-figures.csv").read_text().strip().splitlines()
    assert len(csv_lines) == len(figs) + 1
    assert 'href="../key-figures.json"' in (built_site / "book" / "intro.html").read_text()


def test_prose_cites_the_computed_key_figures(built_site):
    figs = {f["id"]: f for f in json.loads((built_site / "key-figures.json").read_text())}
    html = (built_site / "chapters" / "demand.html").read_text(encoding="utf-8")
    from aluminium.book.keyfigures import KeyFigure

    fig = KeyFigure(**figs["demand.china_balance_2024_kt"])
    assert fig.text() in html


def test_parameters_cells_are_hidden(built_site):
    for ch in CHAPTERS:
        html = (built_site / "chapters" / f"{ch}.html").read_text(encoding="utf-8")
        assert "injected-parameters" not in html, ch
        assert "Assumptions in force" in html or "takes no parameters" in html, ch


def test_data_catalogue_lists_every_dataset_with_a_download(built_site):
    html = (built_site / "book" / "data-catalogue.html").read_text(encoding="utf-8")
    for res in catalogue.resources():
        assert res["name"] in html
        assert f'href="../data/{res["path"]}"' in html
        assert (built_site / "data" / res["path"]).exists()


def test_the_command_line_starts_without_the_models_or_sphinx():
    """A no-op build answers from content keys alone (aluminium.book.cache): starting the command
    imports neither Altair, papermill nor Sphinx; the build's other steps load them. (pandas comes
    with the parameter registry: each stage declares its parameters beside its models, and every
    input is validated before anything else.)"""
    code = ("import sys, aluminium.cli, aluminium.book.build; "
            "print(sorted(m for m in ('altair', 'papermill', 'sphinx', 'aluminium.book.execution', "
            "'aluminium.book.assembly') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_longest_chapters_start_first_and_never_last(tmp_path, monkeypatch):
    """Chapters are dealt longest first (their last recorded execution, else the typical
    figures) to the worker that frees first."""
    from aluminium.book import execution

    monkeypatch.setattr(execution, "cache_dir", lambda: tmp_path)
    lanes = execution.schedule(CHAPTERS, 2)
    assert [lane[0] for lane in lanes] == ["pricing", "bauxite"]
    assert all(execution.expected_seconds(a) >= execution.expected_seconds(b)
               for lane in lanes for a, b in zip(lane, lane[1:]))
    assert sorted(ch for lane in lanes for ch in lane) == sorted(CHAPTERS)
    # A recorded execution overrides the typical figure.
    entry = tmp_path / "demand" / "somekey"
    entry.mkdir(parents=True)
    (entry / execution.SECONDS_FILE).write_text("30.0\n")
    assert execution.schedule(CHAPTERS, 2)[0][0] == "demand"
    assert execution.schedule(["macro"], 1) == [["macro"]]


def test_a_warmed_kernel_leaves_the_chapter_an_empty_namespace(tmp_path):
    """The kernel started ahead of a chapter has imported the common modules, silently: the
    chapter sees the same user names as in a kernel nobody touched, and no history."""
    import nbformat
    import papermill as pm
    from nbformat.v4 import new_code_cell, new_notebook

    from aluminium.book import execution

    cell = ("print(sorted(k for k in globals() if not k.startswith('_') and k not in "
            "('In', 'Out', 'get_ipython', 'exit', 'quit', 'open')), len(In), "
            "'aluminium.chain' in __import__('sys').modules)")
    nb = new_notebook(cells=[new_code_cell(cell)], metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                            "display_name": "Python 3"}})
    nbformat.write(nb, tmp_path / "in.ipynb")
    outputs = []
    for warmed in (True, False):
        kernel = execution._start_kernel() if warmed else None
        try:
            out = pm.execute_notebook(str(tmp_path / "in.ipynb"), str(tmp_path / "out.ipynb"), kernel_name="python3",
                                      progress_bar=False, km=kernel[0] if kernel else None)
        finally:
            if kernel:
                execution._stop_kernel(kernel)
        outputs.append(out.cells[0].outputs[0]["text"].strip())
    assert outputs[0] == "[] 2 True"
    assert outputs[1] == "[] 2 False"
