"""Chapters are MyST-markdown notebooks: what papermill needs survives the conversion, and
parameters reach a chapter only through the injected ``overrides`` and ``p = ch.params``, and
what the build tells a chapter only through ``build_files`` (no environment variable)."""
from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest

import aluminium
from aluminium import params
from aluminium.book import cache, execution
from aluminium.errors import ParameterError
from aluminium.paths import CHAPTERS, CHAPTERS_DIR


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_text_source_converts_to_a_notebook_papermill_can_run(chapter):
    nb = execution.chapter_notebook(chapter)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one parameters cell"
    assert tagged[0].source.strip().endswith("overrides = {}\nbuild_files = {}")
    # The round trip text → notebook → text is lossless, so the text stays the source of record.
    text = cache.chapter_source(chapter).read_text(encoding="utf-8")
    assert jupytext.writes(nb, fmt="md:myst").strip() == text.strip()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapters_read_parameters_explicitly(chapter):
    text = (CHAPTERS_DIR / f"{chapter}.md").read_text(encoding="utf-8")
    assert f'Chapter("{chapter}", overrides, build_files)' in text
    code = "\n".join(re.findall(r"```\{code-cell\}.*?\n(.*?)```", text, re.S))
    for p in params.chapter_params(chapter):
        # A parameter appears in code only as an attribute of the parameters object.
        bare = re.findall(rf"(?<![\w.'\"]){re.escape(p.short)}\b(?!\s*=[^=])", code)
        assert not bare, f"{chapter}: bare parameter name '{p.short}'"


def test_parameters_object_is_read_only_and_names_unknown_reads():
    p = params.in_force("smelting", {"power_price_cny_kwh": 0.45})
    assert p.power_price_cny_kwh == 0.45
    assert p.alumina_t_per_t == params.lookup("smelting.alumina_t_per_t").default()
    with pytest.raises(AttributeError, match="reads no parameter 'no_such_thing'"):
        p.no_such_thing  # noqa: B018
    with pytest.raises(AttributeError, match="read-only"):
        p.power_price_cny_kwh = 1.0
    with pytest.raises(ParameterError, match="unknown parameter"):
        params.in_force("smelting", {"power_price_cny_kwhh": 0.45})


def test_the_build_tells_a_chapter_nothing_through_the_environment():
    """Where a chapter records its reads and writes its downloads is a papermill parameter
    (``build_files``, read by Chapter), not an environment variable a kernel inherits."""
    for path in Path(aluminium.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "ALUMINIUM_DEPS_FILE" not in text and "ALUMINIUM_DOWNLOADS_DIR" not in text, path
