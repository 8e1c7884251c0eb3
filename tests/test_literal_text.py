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
from helpers import HOSTILE_DESCRIPTION, HOSTILE_TITLE

from aluminium.book import markup, reference_pages
from aluminium.book.html import inert
from aluminium.escape import literal

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
    for out in (inert(text), literal(text)):
        assert not set(out) & set("{}`$|\\<>\n\r"), out
    assert html.unescape(inert(text)) == text  # the browser shows it exactly
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
    import pandas as pd

    table = markup.table_html(pd.DataFrame({"what": PAYLOADS}))
    assert "{{" not in table and "<script" not in table and "`" not in table


# -- end to end: a hostile scenario through `aluminium compare` -----------------------------------------

# The scenario is conftest's ``hostile_book`` (helpers.HOSTILE_TITLE, HOSTILE_DESCRIPTION), which the
# browser tests share.
TITLE, DESCRIPTION = HOSTILE_TITLE, HOSTILE_DESCRIPTION


def _pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


@pytest.mark.build
def test_nothing_from_the_scenario_is_evaluated_or_parsed(hostile_book):
    pages = _pages(hostile_book)
    assert "book/comparison.html" in pages and "book/intro.html" in pages
    for name, text in pages.items():
        assert "Dry 49" not in text and "Why 42" not in text and "JINJA{" not in text.replace("JINJA{%", ""), name
        assert "<script>window.pwned" not in text and "<b>bold</b>" not in text, name
        assert "uid=" not in text, name


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


@pytest.mark.build
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


# -- every text field a scenario, a parameter file (or --set) or a data file carries, unit by unit ----

HOSTILE = ("<script>alert(1)</script> \"dq\" 'sq' & {{ x }} {% x %} {eval}`1+1` {ref}`intro` "
           "$m$ | ~s~ :::{note} <img src=x onerror=alert(2)>")


def _shown(fragment) -> str:
    """What a reader sees of an HTML fragment: tags dropped, references read, spaces folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", str(fragment))).split())


def _html_of(page: str) -> str:
    """The HTML blocks of a generated MyST page (its Markdown prose is the book's own)."""
    return "\n".join(line for line in page.splitlines() if line.startswith("<"))


def _assert_verbatim(fragment, text: str = HOSTILE) -> None:
    raw = str(fragment)
    for live in ("<script", "<img", "{{", "{%", "`", "$m$", "{eval}", "{ref}"):
        assert live not in raw, (live, raw[:300])
    assert " ".join(text.split()) in _shown(fragment), _shown(fragment)[:300]


def test_a_scenario_s_title_and_description_show_verbatim_everywhere_they_go():
    from aluminium.book import edition, frontpage, sphinx_switcher
    from aluminium.scenarios import Scenario

    s = Scenario("x", HOSTILE, HOSTILE + " why")
    _assert_verbatim(sphinx_switcher.banner_html(s))
    _assert_verbatim(sphinx_switcher.banner_html(s), HOSTILE + " why")
    _assert_verbatim(frontpage.scenario_in_force({}, s))
    _assert_verbatim(frontpage.scenario_in_force({}, s), HOSTILE + " why")
    books = [{"name": "base", "title": "Base case", "root": ""}, {"name": "x", "title": HOSTILE, "root": "scenarios/x/"}]
    _assert_verbatim(sphinx_switcher.switcher_html("book/intro", "base", books))
    _assert_verbatim(sphinx_switcher.switcher_html("book/intro", "x", books))
    ed = edition.Edition(version="1", date="2026-01-01", scenario=HOSTILE, parameters={"smelting.power_price_cny_kwh": 0.5})
    _assert_verbatim(edition.footer_html(ed, "cite.html", "changelog.html"))
    _assert_verbatim(_html_of(edition.cite_page(ed)))  # BibTeX, not HTML, has its own escaping


def test_a_text_parameter_value_shows_verbatim_on_the_front_page_the_parameters_page_and_the_edition():
    from aluminium.book import edition, frontpage

    value = "/somewhere/" + HOSTILE.replace("/", "") + ".xlsx"  # a path parameter shows its file name
    shown = HOSTILE.replace("/", "") + ".xlsx"
    _assert_verbatim(frontpage.scenario_in_force({"pricing.worldbank_file": value}), shown)
    _assert_verbatim(_html_of(reference_pages.parameters_page({"pricing.worldbank_file": value})), shown)
    ed = edition.Edition(version="1", date="2026-01-01", parameters={"pricing.worldbank_file": HOSTILE})
    _assert_verbatim(_html_of(edition.cite_page(ed).rsplit("###", 1)[1]))


def test_labels_and_cells_of_a_data_file_show_verbatim_in_the_book_s_table(monkeypatch):
    import pandas as pd

    from aluminium.data import labels

    monkeypatch.setattr(labels, "label", lambda name, **kw: HOSTILE if name == "what" else name)
    table = markup.table_html(pd.DataFrame({"what": [HOSTILE], "n": [1.0]}), caption=HOSTILE, name="t",
                              footer=markup.source_html(HOSTILE, "x.csv"))
    _assert_verbatim(table)
    header = re.search(r'<th scope="col">(.*?)</th>', str(table)).group(1)
    assert _shown(header) == " ".join(HOSTILE.split())
    assert re.search(r'data-label="([^"]*)"', str(table))  # the header in an attribute stays one attribute
    cells = re.findall(r"<td[^>]*>(.*?)</td>", str(table))
    assert _shown(cells[0]) == " ".join(HOSTILE.split())
    _assert_verbatim(markup.code_identifiers("uses supply_kt: " + HOSTILE))


def test_flags_catalogue_entries_and_claims_show_verbatim(monkeypatch):
    from aluminium.audit import AuditRow
    from aluminium.book import chapter_page, charts, flow
    from aluminium.data import catalogue
    from aluminium.data.flags import FlagGroup

    group = FlagGroup("r", HOSTILE, HOSTILE, (HOSTILE,), (2,), 1.5, "kt")
    _assert_verbatim(reference_pages._flag_group_html(group))
    _assert_verbatim(reference_pages.flag_summary([group]))
    resource = {"name": "hostile", "path": "hostile.csv", "title": HOSTILE, "description": HOSTILE, "notes": HOSTILE,
                "source": HOSTILE, "location": HOSTILE, "chapter": "all",
                "schema": {"fields": [{"name": "x", "unit": "kt", "description": HOSTILE}]},
                "checks": [{"type": "row_expression", "expression": HOSTILE}]}
    caption = charts.caption_html({"title": HOSTILE, "usermeta": {"subtitle": HOSTILE}})
    assert str(caption).count("&lt;script&gt;") == 2
    _assert_verbatim(caption)
    _assert_verbatim(flow.flow_at({}, HOSTILE))
    monkeypatch.setattr(catalogue, "resources", lambda *a, **k: [resource])
    monkeypatch.setattr(reference_pages.flag_groups, "groups", lambda reports: [group])
    page = reference_pages.data_catalogue([])
    html_lines = [line for line in page.splitlines() if line.startswith("<")]
    assert len([line for line in html_lines if " ".join(HOSTILE.split()) in _shown(line)]) >= 4
    for line in html_lines:
        assert "<script" not in line and "{{" not in line and "`" not in line
    assert "&#60;script&#62;" in page  # the heading (Markdown) is literal text too
    _assert_verbatim(reference_pages._html_table(["table", "source"], [[resource["title"], HOSTILE]]))  # vintages
    row = AuditRow("c", "smelting", HOSTILE, HOSTILE, HOSTILE, 1.0, "kt", 2.0, 0.1, HOSTILE, "disagrees", HOSTILE)
    _assert_verbatim(reference_pages._claims_table([row]))
    flags = chapter_page.flag_groups(__import__("pandas").DataFrame({"flag": [HOSTILE]}))
    assert flags == [HOSTILE[:1].upper() + HOSTILE[1:] + "."]


def test_key_points_keep_their_two_bits_of_markdown_and_nothing_else():
    out = markup.key_points_html([f"**1 bold** then {HOSTILE}", "2 [More](#sec)", "3 x"])
    assert "<strong>1 bold</strong>" in str(out) and '<a href="#sec">More</a>' in str(out)
    _assert_verbatim(out)


def test_the_site_front_door_reads_the_title_as_text(tmp_path):
    from aluminium.book import assembly

    (tmp_path / "book").mkdir()
    title = html.escape("A & B <script>x</script> {{ y }}")
    (tmp_path / "book" / "intro.html").write_text(
        f'<html><head><title>{title}</title><meta name="description" content="{title}"></head></html>', encoding="utf-8")
    assembly._front_door(tmp_path)
    door = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in door and "{{" not in door and "&amp;amp;" not in door
    assert re.search(r"<title>(.*?)</title>", door).group(1) and "A & B <script>x</script> {{ y }}" in _shown(door)
