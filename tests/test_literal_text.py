"""No text is ever a template (issue 17): whatever a scenario, a parameter file, a data file or the
command line carries into a page shows as itself. Template syntax (``{{ 7*7 }}``, ``{% %}``),
MyST roles (``{eval}`x` ``), HTML (``<script>``), quotes, backticks and Markdown go through
every escape and every generated page, and the built pages show them literally.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from aluminium import cli
from aluminium.book import markup, reference_pages
from aluminium.escape import esc, literal

PAYLOADS = [
    "Dry {{ 7*7 }} case",
    "{% if true %}JINJA{% endif %}",
    "{{ cycler.__init__.__globals__.os.popen(request) }}",
    "{eval}`1+1` and {ref}`intro` and {raw:html}`<b>x</b>`",
    "<script>alert(1)</script> <img src=x onerror=alert(2)>",
    "\"double\" 'single' `tick` ``two``",
    "**bold** _em_ [link](http://x) ![img](x.png) $x^2$ | a | b | ~s~ \\\\",
    "line one\n\n# heading\n:::{note}\nfenced\n:::\n```{raw} html\n<b>raw</b>\n```",
    "%comment & &amp; &#123; 100 % -1 +1 =x= #1",
]


@pytest.mark.parametrize("text", PAYLOADS)
def test_the_escapes_leave_nothing_myst_or_html_would_read(text):
    for out in (esc(text), literal(text)):
        assert not set(out) & set("{}`$|\\<>\n\r"), out
    assert html.unescape(esc(text)) == text  # the browser shows it exactly
    assert html.unescape(literal(text)) == " ".join(text.split())  # on one line, else exactly
    assert not set(re.sub(r"&#[0-9]+;", "", literal(text))) & set("*_[]#!~:%\"'+=-&")


def test_data_text_in_generated_markdown_is_inert(tmp_path):
    glossary = tmp_path / "glossary.csv"
    glossary.write_text("en,zh,definition\n" + "".join(
        f'"{p.replace(chr(34), chr(34) * 2)} {i}","{{{{ 6*7 }}}}","{p.replace(chr(34), chr(34) * 2)}"\n'
        for i, p in enumerate(PAYLOADS)), encoding="utf-8")
    page = reference_pages.glossary(glossary)
    body = page.split("```{glossary}", 1)[1].rsplit("```", 1)[0]
    assert "{{" not in body and "`" not in body and "<script" not in body
    assert markup.table_html.__module__  # the one table builder escapes every cell (below)
    import pandas as pd

    table = markup.table_html(pd.DataFrame({"what": PAYLOADS}))
    assert "{{" not in table and "<script" not in table and "`" not in table


# -- end to end: a hostile scenario through `aluminium compare` -----------------------------------------

TITLE = "Dry {{ 7*7 }} case {% if true %}JINJA{% endif %} {eval}`1+1` <script>alert(1)</script> *em* $m$"
DESCRIPTION = ("Why {{ 6*7 }}: {ref}`intro` **bold** [link](http://evil) and "
               "{{ cycler.__init__.__globals__.os.popen(request) }} \"q\" 'a'")


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory) -> Path:
    """The comparison of a scenario whose title and description are hostile against the base."""
    import yaml

    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "hostile.yml"
    path.write_text(yaml.safe_dump({"title": TITLE, "description": DESCRIPTION,
                                    "parameters": {"smelting": {"power_price_cny_kwh": 0.4471}}}), encoding="utf-8")
    assert cli.main(["compare", "base", str(path), "--quiet"]) == 0
    from aluminium.scenarios import load

    return load(str(path)).output_dir()


def _pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_nothing_from_the_scenario_is_evaluated_or_parsed(hostile_book):
    pages = _pages(hostile_book)
    assert "book/comparison.html" in pages and "book/intro.html" in pages
    for name, text in pages.items():
        assert "Dry 49" not in text and "Why 42" not in text and "JINJA{" not in text.replace("JINJA{%", ""), name
        assert "<script>alert" not in text and "<img src=x" not in text, name
        assert "uid=" not in text, name


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_the_scenario_shows_literally_where_it_appears(hostile_book):
    pages = _pages(hostile_book)
    banner = re.search(r'bd-header-announcement__content">(.*?)</div>', pages["book/intro.html"], re.S)
    assert banner and TITLE in _text(banner.group(1)) and DESCRIPTION in _text(banner.group(1))
    front = re.search(r"<p><strong>Scenario: (.*?)</p>", pages["book/intro.html"], re.S)
    assert front and TITLE in _text(front.group(0)) and DESCRIPTION in _text(front.group(0))
    comparison = pages["book/comparison.html"]
    heading = re.search(r"<h1>(.*?)<a class=\"headerlink\"", comparison, re.S)
    # a heading is typeset (Sphinx turns straight quotes into curly ones); every other character stays
    assert heading and f"Comparison: {TITLE} against Base case" in _text(heading.group(1))
    table_head = re.findall(r'<th scope="col">(.*?)</th>', comparison)
    assert TITLE in [_text(h) for h in table_head]
    print_title = re.search(r'<div id="jb-print-docs-body" class="onlyprint">\s*<h1>(.*?)</h1>', comparison, re.S)
    assert print_title and "<script>" not in print_title.group(1)


def test_a_workbook_parameter_shows_its_name_never_its_local_folders():
    from aluminium.book import frontpage

    where = "/home/someone/private/CMO-Historical-Data-Monthly.xlsx"
    page = reference_pages.parameters_page({"pricing.worldbank_file": where})
    front = frontpage.scenario_in_force({"pricing.worldbank_file": where})
    for text in (page, front):
        assert "CMO-Historical-Data-Monthly.xlsx" in html.unescape(text) and "/home/someone" not in text
