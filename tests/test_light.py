"""The light-page machinery (aluminium.book.sphinx_light) and the scenario switcher, unit by unit."""
from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from aluminium.book import charts
from aluminium.book.sphinx_light import description, icon_css, light_body, light_markup, purge_css
from aluminium.book.sphinx_switcher import switcher_html


def _chart_html(title: str) -> str:
    df = pd.DataFrame({"x": [1, 2], "y": [3.0, 4.0]})
    chart = alt.Chart(df, title=title).mark_line().encode(x="x:Q", y="y:Q")
    return charts.to_html(chart, "al-chart-test")


def test_a_chart_is_written_as_a_json_island_with_the_same_spec_and_no_script():
    title = "A title with </script> in it"
    html = _chart_html(title)
    assert "VEGA_DEBUG" not in html and "cdn.jsdelivr" not in html and "text/javascript" not in html
    island = html.split(charts.ISLAND_OPEN, 1)[1].split("</script>", 1)[0]
    spec, options = json.loads(island)
    assert spec["title"] == title  # "</" is escaped in the page, intact in the JSON
    assert "</script> in it" not in html
    assert options == {"actions": False, "mode": "vega-lite"}
    assert '<div id="al-chart-test"></div>' in html and html.index('<div id="al-chart-test">') < html.index(island)


def _doc(rst: str) -> nodes.document:
    doc = new_document("page", get_default_settings(Parser))
    Parser().parse(rst, doc)
    return doc


def test_description_prefers_the_key_points_box():
    doc = _doc(".. admonition:: Key points\n\n   China smelts 43 Mt a year, near its 45 Mt cap.\n\n"
               "A long first paragraph of prose that is not the summary of the chapter at all.\n")
    assert description(doc) == "China smelts 43 Mt a year, near its 45 Mt cap."


def test_description_takes_the_chapters_key_points_html():
    from aluminium.book.markup import key_points_html

    doc = _doc("A first paragraph that is long enough to be a description of the page.\n")
    doc += nodes.raw("", key_points_html(["Output is 43 Mt.", "The cap is 45 Mt & binding.", "Power is 35 %."]),
                     format="html")
    assert description(doc) == "Output is 43 Mt. The cap is 45 Mt & binding. Power is 35 %."


def test_description_falls_back_to_the_first_paragraph_and_is_short():
    doc = _doc("Title\n=====\n\nShort.\n\n" + "Smelting turns alumina into metal " * 10 + "\n")
    text = description(doc)
    assert text.startswith("Smelting turns alumina into metal") and len(text) <= 156 and text.endswith("…")


def test_purge_keeps_what_pages_use_and_drops_the_rest():
    css = ("/* c */ :root{--x:1} .used{a:1} .unused{b:2} .used .unused{c:3} .used:not(.unused){d:4} "
           "@media (min-width:1px){.unused{e:5} #main{f:6}} @font-face{font-family:x} a,.unused{g:7} "
           "[data-theme=dark] .used{h:8} .s::before{content:\"}{\"} "
           "@font-face{font-family:Font Awesome\\ 6 Free;src:url(fa.woff2)} "
           ".fa-file:before,.fa-x::after{content:\"\\f15b\"}")
    out = purge_css(css, {"used", "main", "fa-file", "fa-x"})
    for kept in (":root{--x:1}", ".used{a:1}", ".used:not(.unused){d:4}", "#main{f:6}", "@font-face",
                 "a,.unused{g:7}", "[data-theme=dark] .used{h:8}"):
        assert kept in out, kept
    for dropped in (".unused{b:2}", ".used .unused{c:3}", ".unused{e:5}", "/* c */", '.s::before', "Font Awesome",
                    ".fa-file:before"):
        assert dropped not in out, dropped


def test_icon_css_uses_the_solid_icon_defined_last():
    js = 'var a={file:[384,512,[],"f15b","M0 0REGULAR"]};var b={file:[384,512,[],"f15b","M0 0SOLID"]};'
    css = icon_css(js)
    assert ".fa-file{" in css and "SOLID" in css and "REGULAR" not in css


def test_admonition_titles_draw_their_icon_without_the_icon_font():
    js = ('var s={bell:[448,512,[],"f0f3","M0 0BELL"],"circle-info":[512,512,[],"f05a","M0 0INFO"],'
          'lightbulb:[384,512,[],"f0eb","M0 0BULB"]};')
    css = icon_css(js)
    assert "div.admonition>.admonition-title:after{content:''!important" in css  # no font glyph (a box)
    assert "div.admonition>.admonition-title:after{--al-admonition-icon:url(" in css and "BELL" in css
    assert "div.admonition.note>.admonition-title:after{--al-admonition-icon:url(" in css and "INFO" in css
    assert "div.admonition.al-key-points>.admonition-title:after" in css and "BULB" in css
    assert "div.admonition.warning>" not in css  # an icon the theme's script lacks gets no rule


def test_switcher_links_to_the_same_page_in_every_book(tmp_path):
    books = [{"name": "base", "title": "Base case", "root": ""},
             {"name": "drought", "title": "South-west <drought>", "root": "scenarios/drought/"}]
    for root in ("", "scenarios/drought/"):
        for page in ("chapters/smelting", "book/intro", "book/comparison"):
            path = tmp_path / root / f"{page}.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("page")
    (tmp_path / "book" / "comparison.html").unlink()  # only scenario books compare

    def targets(page: str, book: str) -> list[Path]:
        html = switcher_html(page, book, books)
        here = tmp_path / next(b["root"] for b in books if b["name"] == book) / page
        return [(here.parent / href).resolve() for href in _hrefs(html)]

    assert targets("chapters/smelting", "base") == [(tmp_path / "scenarios/drought/chapters/smelting.html").resolve()]
    assert targets("chapters/smelting", "drought") == [(tmp_path / "chapters/smelting.html").resolve()]
    assert targets("book/comparison", "drought") == [(tmp_path / "book/intro.html").resolve()]
    assert all(t.exists() for t in targets("book/intro", "drought") + targets("book/intro", "base"))
    html = switcher_html("book/intro", "drought", books)
    assert "South-west &lt;drought&gt;" in html and 'aria-current="page"' in html


def _hrefs(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('href="')[1:]]


FOLDED_CELL = """<div class="cell tag_hide-input docutils container">
<details class="admonition hide above-input">
<summary aria-label="Toggle hidden content">
<p class="collapsed admonition-title">Show code cell source</p>
</summary>
<div class="cell_input docutils container">
<div class="highlight-ipython3 notranslate"><div class="highlight"><pre><span class="kn">import</span> x
</pre></div>
</div>
</div>
</details>
<div class="cell_output docutils container"><p>result</p></div>
</div>"""


def test_folded_code_waits_in_a_template_and_the_page_gets_one_unfold_script():
    body, folded = light_body(f"{FOLDED_CELL}{FOLDED_CELL}")
    assert folded == 2  # the page gets the unfold script (sphinx_light._page_context)
    assert body.count('<template class="al-code"><div class="highlight-ipython3') == 2
    assert body.count("</pre></div>\n</div>\n</template></div>\n</details>") == 2
    assert body.count('<div class="cell_output docutils container"><p>result</p></div>') == 2  # outputs stay live
    assert 'aria-label="Toggle hidden content"' not in body
    plain = "<p>no code</p>"
    assert light_body(plain) == (plain, 0) and light_markup(plain) == plain


def test_bibliography_entries_are_list_items():
    page, _ = light_body('<div role="list" class="citation-list"><div class="citation" id="a" role="doc-biblioentry">'
                        "<span>[1]</span></div></div>")
    assert 'role="doc-biblioentry"' not in page and 'class="citation" id="a" role="listitem"' in page
