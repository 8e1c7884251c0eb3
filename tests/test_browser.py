"""A real browser (Debian's headless Chromium) loads every page of the book at a laptop's and a
phone's width and sees every chart drawn, no console error, no request leaving the site, no page
scrolling sideways, no axe-core violation, charts and text that read cleanly, and light pages: Vega
loads deferred, only on pages with charts, and what blocks the first paint stays under budget (the
site is served compressed, as a static host serves it).

Each page is opened once per width (``visits``): every check runs in that one visit and keeps its
findings, and one small test per check reads them, so each failure still names its check.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from helpers import AXE, HOSTILE_TITLE, WIDTHS, draw_charts, needs_chromium, served, watched_page

from aluminium.paths import CHAPTERS

pytestmark = needs_chromium

# Console messages that are not the book's fault, each with the reason it is allowed. None.
CONSOLE_ALLOW: list[str] = []
RENDER_BLOCKING_BUDGET = 100 * 1024  # bytes, compressed

CHAPTER_PAGES = [f"chapters/{ch}.html" for ch in CHAPTERS]
REFERENCE_PAGES = [f"book/{p}.html" for p in ("intro", "howto", "key-figures", "parameters", "data-catalogue",
                                              "vintages", "glossary", "references", "claims-audit")]
READER_PAGES = CHAPTER_PAGES + REFERENCE_PAGES
LIGHT_PAGES = CHAPTER_PAGES + ["book/intro.html", "book/key-figures.html", "search.html"]


def _all_pages(site: Path) -> list[str]:
    """Every HTML page of the site but index.html, a redirect to the front page (checked there)."""
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html")
                  if "_static" not in p.parts and str(p.relative_to(site)) != "index.html")


KEY_POINTS = """() => {
    const block = document.querySelector('.al-key-points');
    if (!block) return {points: 0, before: []};
    const own = block.closest('.cell');
    const first = [...document.querySelectorAll(
        'figure.al-chart, .al-table-block, details.al-assumptions, details.hide.above-input')]
        .filter(el => !(own && own.contains(el)))
        .filter(el => el.compareDocumentPosition(block) & Node.DOCUMENT_POSITION_FOLLOWING);
    return {points: block.querySelectorAll('ol > li').length,
            before: first.map(el => el.className || el.tagName)};
}"""

LIGHT_FACTS = """() => {
    const res = performance.getEntriesByType('resource');
    return {
      vega_blocking: res.some(r => r.name.includes('vega-bundle') && r.renderBlockingStatus === 'blocking'),
      loader: [...document.querySelectorAll('script[src*="al-charts.js"]')].map(s => s.defer),
      charts: document.querySelectorAll('script.al-chart-spec').length,
      drawn: document.querySelectorAll('figure.al-chart svg, figure.al-chart canvas').length,
      loaded: res.map(r => r.name.split('?')[0].split('/').pop()),
      blocking: res.filter(r => r.renderBlockingStatus === 'blocking')
                   .map(r => [r.name.split('/').pop(), r.encodedBodySize]),
      description: document.querySelector('meta[name=description]')?.content || '',
    };
}"""

AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']}))
    .violations.map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 2).map(n => n.target.join(' ')).join('; ')}`)"""


def _visit(browser, site: str, path: str, size: str, axe_source: str | None) -> dict:
    """One page at one width: load it, draw its charts like a reader, then run every check that
    applies to it and keep what each found (an exception is kept as that check's finding)."""
    found: dict = {}
    width, height = WIDTHS[size]
    page, errors, offsite = watched_page(browser, site, viewport={"width": width, "height": height})

    def run(name, step):
        try:
            found[name] = step()
        except Exception as exc:  # noqa: BLE001 - kept as the check's own failure
            found[name] = f"failed: {str(exc).splitlines()[0]}"

    try:
        response = page.goto(f"{site}/{path}", wait_until="load")
        found["ok"], found["served"] = response.ok, response.text()
        found["charts"] = page.locator("figure.al-chart > div[id^=al-chart-]").count()
        run("drawn", lambda: draw_charts(page) or "all")
        found["chart_errors"] = page.locator("figure.al-chart .error").count()
        if found["charts"]:
            page.wait_for_timeout(200)
        run("overflow", lambda: page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))
        if path in CHAPTER_PAGES:
            run("chart_problems", lambda: page.evaluate(CHART_CHECKS))
            run("key_points", lambda: page.evaluate(KEY_POINTS))
        if path in READER_PAGES and size == "laptop":
            run("text_problems", lambda: page.evaluate(TEXT_CHECKS))
        if path in LIGHT_PAGES and size == "laptop":
            page.wait_for_load_state("networkidle")
            run("light", lambda: page.evaluate(LIGHT_FACTS))
        found["errors"] = [e for e in errors if not any(a in e for a in CONSOLE_ALLOW)]
        found["offsite"] = list(offsite)
        if axe_source is not None:  # last: it adds its own script to the page
            def axe():
                page.evaluate(axe_source)
                return page.evaluate(AXE_RUN)

            run("axe", axe)
    finally:
        page.close()
    return found


class Visits:
    """Each page visited once per width, on first asking; later checks read the same findings."""

    def __init__(self, browser, site: str):
        self.browser, self.site, self.seen = browser, site, {}
        self.axe = AXE.read_text(encoding="utf-8") if AXE.exists() else None

    def __call__(self, path: str, size: str = "laptop") -> dict:
        if (path, size) not in self.seen:
            self.seen[path, size] = _visit(self.browser, self.site, path, size, self.axe)
        return self.seen[path, size]


@pytest.fixture(scope="module")
def visits(browser, site_server) -> Visits:
    return Visits(browser, site_server)


@pytest.mark.parametrize("size", WIDTHS, ids=list(WIDTHS))
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chart_draws_without_console_errors(visits, chapter, size):
    v = visits(f"chapters/{chapter}.html", size)
    assert v["charts"] >= 1, f"{chapter}: no chart containers"
    assert v["drawn"] == "all", f"{chapter}: a chart was not drawn: {v['drawn']}"
    assert v["chart_errors"] == 0, f"{chapter}: a chart shows an error"
    assert not v["errors"], f"{chapter}: console errors {v['errors']}"
    assert not v["offsite"], f"{chapter}: requests left the site: {v['offsite']}"


@pytest.mark.parametrize("page_path", REFERENCE_PAGES)
def test_reference_pages_load_without_console_errors(visits, page_path):
    v = visits(page_path)
    assert v["ok"]
    assert v["errors"] == []
    assert v["offsite"] == []


@pytest.mark.parametrize("page_path", LIGHT_PAGES)
def test_pages_are_light(visits, page_path):
    """Vega is never in the head and loads only where charts are; Font Awesome's script and
    the search index load nowhere but search; render-blocking bytes stay under budget."""
    v = visits(page_path)
    served_html = v["served"]
    head = served_html.split("</head>", 1)[0]
    assert re.search(r'<script[^>]*src="[^"]*vega-bundle', served_html) is None, "Vega is loaded by a script tag"
    assert re.search(r'<script(?![^>]*\b(?:defer|async)\b)[^>]*src="(?![^"]*documentation_options)', head) is None, \
        "a script in the head blocks rendering"
    assert v["drawn"] == "all", v["drawn"]
    facts = v["light"]
    assert isinstance(facts, dict), facts
    assert not facts["vega_blocking"], "the Vega bundle blocked rendering"
    assert "fontawesome.js" not in facts["loaded"]
    if page_path != "search.html":
        assert "searchindex.js" not in facts["loaded"]
    if facts["charts"]:
        assert facts["loader"] == [True], "the chart loader is missing or not deferred"
        assert "vega-bundle.js" in facts["loaded"] and facts["drawn"] >= facts["charts"]
    else:
        assert facts["loader"] == [] and "vega-bundle.js" not in facts["loaded"]
    assert all(size > 0 for _, size in facts["blocking"]), facts["blocking"]  # served, measured
    blocking = sum(size for _, size in facts["blocking"])
    assert blocking <= RENDER_BLOCKING_BUDGET, f"{page_path}: render-blocking {facts['blocking']}"
    assert len(facts["description"]) >= 40, f"{page_path}: meta description {facts['description']!r}"
    assert v["errors"] == []
    assert v["offsite"] == []


@pytest.mark.parametrize("size", WIDTHS, ids=list(WIDTHS))
def test_no_page_scrolls_sideways(visits, size):
    """Wide tables and charts scroll inside their own box; the page itself never does."""
    wide = {}
    for path in READER_PAGES:
        overflow = visits(path, size)["overflow"]
        if not isinstance(overflow, (int, float)) or overflow > 1:
            wide[path] = overflow
    assert wide == {}, f"pages wider than the {size} window (px too wide): {wide}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_opens_with_its_key_points(visits, chapter):
    """A numbered key-points block of 3 or more points comes before any chart, table, the
    assumptions, or another cell's code toggle."""
    found = visits(f"chapters/{chapter}.html")["key_points"]
    assert isinstance(found, dict), found
    assert found["points"] >= 3, f"{chapter}: key points block with {found['points']} points"
    assert found["before"] == [], f"{chapter}: shown before the key points: {found['before']}"


@pytest.mark.parametrize("size", WIDTHS, ids=list(WIDTHS))
def test_axe_finds_no_violation_on_any_page(visits, built_site, size):
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: `make test` installs it (npm ci --prefix tests/axe)")
        pytest.skip("axe-core is not installed (make test installs it into tests/axe)")
    pages = _all_pages(built_site)
    assert len(pages) >= 15, pages
    found = {path: visits(path, size)["axe"] for path in pages}
    assert {path: v for path, v in found.items() if v} == {}, f"axe violations at {size}: {found}"


CHART_CHECKS = r"""async () => {
  const problems = [];
  const visible = t => {
    if (!t.textContent.trim()) return false;
    for (let e = t; e && e.tagName !== 'svg'; e = e.parentElement) {
      for (const a of ['opacity', 'fill-opacity']) {
        const o = e.getAttribute(a);
        if (o !== null && +o === 0) return false;
      }
    }
    const r = t.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const role = t => (t.closest('[class*="role-"]')?.getAttribute('class') || '').replace(/.*role-/, '');
  const figures = [...document.querySelectorAll('figure.al-chart')];
  let floor = null;
  if (figures.some(f => f.dataset.chart === 'cost-curve')) {
    const figs = await (await fetch('../key-figures.json')).json();
    floor = figs.find(f => f.id === 'pricing.cost_floor_cny_t')?.value;
  }
  const ruleItems = view => {
    const out = [];
    const visit = node => {
      if (!node) return;
      if (node.marktype === 'rule' && node.role === 'mark') out.push(...node.items);
      (node.items || []).forEach(visit);
    };
    visit(view.scenegraph().root);
    return out;
  };
  for (const fig of figures) {
    const name = fig.dataset.chart;
    const box = fig.querySelector('div[id^=al-chart-]');
    const svg = box && box.querySelector('svg');
    if (!svg) { problems.push(`${name}: not drawn as SVG`); continue; }
    const edge = box.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].filter(visible).map(t => [t, t.getBoundingClientRect()]);
    for (const [t, r] of texts) {
      const s = t.textContent.trim();
      if (/(…|\.\.\.)$/.test(s)) problems.push(`${name}: "${s}" is cut short (${role(t)})`);
      if (r.left < edge.left - 1 || r.right > edge.right + 1) problems.push(`${name}: "${s}" runs past the chart's edge`);
    }
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const [a, ra] = texts[i], [b, rb] = texts[j];
      const ox = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const oy = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (ox > 1 && oy > 2) problems.push(`${name}: "${a.textContent}" (${role(a)}) overlaps "${b.textContent}" (${role(b)})`);
    }
    for (const t of svg.querySelectorAll('.role-legend-label text')) {
      const s = t.textContent;
      if (/\b[a-z][a-z0-9]*_[a-z0-9_]+\b/.test(s) || /^[a-z][\w &-]*: /.test(s) || /^[a-z]/.test(s))
        problems.push(`${name}: legend entry "${s}" is not a label`);
    }
    const view = box.alView;
    const spec = JSON.parse(box.nextElementSibling.textContent)[0];
    if (/tornado/.test(name)) {
      const layers = spec.layer || [spec];
      const bar = layers.find(l => (l.mark?.type || l.mark) === 'bar');
      const x = bar.encoding.x, x2 = bar.encoding.x2;
      if (!x2 && x.stack !== null && x.stack !== false) problems.push(`${name}: the bars are stacked`);
      const values = Object.values(spec.datasets || {}).flat()
        .flatMap(row => [row[x.field], x2 && row[x2.field]]).filter(v => typeof v === 'number');
      const lo = Math.min(...values), hi = Math.max(...values);
      const [d0, d1] = view.scale('x').domain();
      if (d0 > lo || d1 < hi || (d1 - d0) > 2 * (hi - lo))
        problems.push(`${name}: axis ${d0}–${d1} does not span the sweep's range ${lo}–${hi}`);
    }
    if (name === 'cost-curve') {
      const rules = ruleItems(view);
      for (const r of rules)
        if (!(r.y2 === undefined || Math.abs(r.y2 - r.y) < 0.5) || Math.abs((r.x2 ?? r.x) - r.x) < 1)
          problems.push(`${name}: a reference level is not a horizontal rule`);
      const y = view.scale('y');
      if (floor == null || !rules.some(r => Math.abs(r.y - y(floor)) < 1))
        problems.push(`${name}: the cost floor (${floor}) is not drawn`);
    }
  }
  return problems;
}"""

@pytest.mark.parametrize("size", WIDTHS, ids=list(WIDTHS))
def test_charts_read_cleanly(visits, size):
    """On every chart at a laptop's and a phone's width: no two texts overlap, none is cut short
    ("…") or runs past the chart, legend entries are labels, a tornado's bars run from the value in
    force (never stacked) on an axis spanning the sweep's range, and the cost curve draws the price
    and the cost floor as horizontal rules."""
    found = {}
    for path in CHAPTER_PAGES:
        problems = visits(path, size)["chart_problems"]
        if problems:
            found[path] = problems
    assert found == {}, f"charts at {size} width: {found}"


# Machine text a reader must never see, in prose, tables, captions and source lines (code excluded):
# a citation key, a dotted identifier, a snake_case name, and Chinese that is not a locator after its
# English ("“English” (中文)"). The glossary's terms are Chinese by design and are left to its own test.
TEXT_CHECKS = r"""() => {
  const out = [];
  const blocks = document.querySelectorAll('main p, main li, main td, main th, main figcaption, main dt, main dd, main h1, main h2, main h3, main h4, main summary, main caption, .bd-header-announcement');
  const KEY = /\b[a-z]{3,}20\d\d[a-z]?\b/;
  const DOTTED = /\b[a-z][a-z0-9]*\.[a-z][a-z0-9]*_[a-z0-9_]+\b/;
  const SNAKE = /\b[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]\b/;
  const CJK = /[\u3400-\u9fff]/;
  const textOf = el => {
    let s = '';
    const walk = n => {
      if (n.nodeType === 3) { s += n.textContent; return; }
      if (n.nodeType !== 1) return;
      if (/^(CODE|PRE|SCRIPT|STYLE|TEMPLATE|svg)$/i.test(n.tagName) || n.classList.contains('al-param-name')) { s += ' '; return; }
      for (const c of n.childNodes) walk(c);
    };
    walk(el); return s;
  };
  const LOCATED = /(?<=[A-Za-z)”] ?)\((?=[^(),;]*[\u3400-\u9fff])(?:[^()]|\([^()]*\))*\)/g;
  const stripParens = s => s.replace(LOCATED, m => CJK.test(m) ? '' : m);
  for (const el of blocks) {
    if (el.querySelector('p, li, td, dt, dd')) continue;  // the innermost block says it
    const t = textOf(el);
    for (const [name, re] of [['key', KEY], ['dotted', DOTTED], ['snake', SNAKE]]) {
      const m = t.match(re); if (m) out.push([name, m[0], t.trim().slice(0, 140)]);
    }
    const bare = stripParens(t);
    if (el.matches('.al-source, .al-cell-note, td, th, li, figcaption') && !location.pathname.endsWith('glossary.html') && CJK.test(bare)) out.push(['chinese', bare.match(/\S*[\u3400-\u9fff]+\S*/)[0], t.trim().slice(0, 160)]);
  }
  return out;
}"""

def test_reader_text_has_no_machine_text(visits):
    """No citation key ("zijin2025"), dotted identifier ("backtest.destock_buy…"), snake_case name
    outside <code>, or Chinese-only source line, locator or table cell on any reader page."""
    found = {}
    for path in READER_PAGES:
        problems = visits(path)["text_problems"]
        if problems:
            found[path] = problems
    assert found == {}, found


def test_search_still_finds_a_page(browser, site_server):
    page, errors, _ = watched_page(browser, site_server)
    page.goto(f"{site_server}/search.html?q=smelter", wait_until="load")
    page.wait_for_selector("#search-results ul li a", timeout=15_000)
    assert page.locator("#search-results ul li a").count() >= 1
    assert errors == []
    page.close()
def test_folded_code_is_inert_until_unfolded_and_then_shows(browser, site_server):
    """A code cell's source waits in a <template> (no layout work) and appears, highlighted,
    when the reader opens its fold."""
    page, errors, _ = watched_page(browser, site_server)
    page.goto(f"{site_server}/chapters/smelting.html", wait_until="load")
    fold = page.locator("details.hide.above-input").first
    assert fold.locator("template.al-code").count() == 1
    assert fold.locator("pre").count() == 0  # nothing of the code is in the document yet
    fold.locator("summary").click()
    code = fold.locator("div.highlight pre")
    code.wait_for(state="visible", timeout=5_000)
    assert "import" in code.inner_text()
    assert fold.locator("pre span.kn").count() >= 1  # still highlighted
    assert fold.locator("template.al-code").count() == 0
    button = fold.locator("button.copybtn")  # the copy button code present at load gets
    assert button.count() == 1
    pre_id = fold.locator("div.highlight pre").get_attribute("id")
    assert pre_id and button.get_attribute("data-clipboard-target") == f"#{pre_id}"
    fold.locator("div.highlight").hover()
    button.click()
    page.wait_for_function("b => b.dataset.tooltip !== 'Copy'", arg=button.element_handle(), timeout=5_000)
    assert button.get_attribute("data-tooltip") in ("Copied!", "Failed to copy")  # copybutton's own handler ran
    assert errors == []
    page.close()


def test_admonition_icons_are_drawn_not_missing_glyphs(browser, site_server):
    """The theme writes admonition icons as Font Awesome font glyphs, and the book ships no icon
    font: each title's icon must be an SVG mask with no text content (else a box shows)."""
    page, errors, _ = watched_page(browser, site_server)
    page.goto(f"{site_server}/chapters/smelting.html", wait_until="load")
    icons = page.evaluate("""() => [...document.querySelectorAll('div.admonition > .admonition-title')].map(t => {
        const s = getComputedStyle(t, '::after');
        return {content: s.content, mask: s.maskImage || s.webkitMaskImage};
    })""")
    assert len(icons) >= 2  # the key points and at least one note
    assert all(i["content"] in ('""', "none") for i in icons), icons
    assert all(i["mask"].startswith("url(") for i in icons), icons
    page.close()


@pytest.mark.parametrize("size", WIDTHS, ids=list(WIDTHS))
def test_claims_audit_leads_with_disagreements_and_fits(browser, site_server, size):
    """The claims audit lists what disagrees first, folds the agreements, and its tables fit the
    column (no sideways scroll inside them) at a laptop's and a phone's width."""
    page = browser.new_page(viewport={"width": WIDTHS[size][0], "height": WIDTHS[size][1]})
    page.goto(f"{site_server}/book/claims-audit.html", wait_until="load")
    headings = page.eval_on_selector_all("main article h2", "hs => hs.map(h => h.textContent)")
    assert headings and headings[0].startswith("Claims the recomputation does not bear out"), headings
    assert page.locator("details.al-claims-agree").count() == 1
    page.eval_on_selector("details.al-claims-agree", "d => { d.open = true; }")
    wide = page.eval_on_selector_all(".al-table-wrap", "ws => ws.filter(w => w.scrollWidth > w.clientWidth + 1).length")
    page.close()
    assert wide == 0, f"{wide} claims tables scroll sideways at {size} width"


def test_chart_downloads_carry_the_edition_stamp(browser, site_server):
    """A chart's SVG download is stamped with the page's edition, and its file name with the id."""
    page = browser.new_page(accept_downloads=True)
    page.goto(f"{site_server}/chapters/smelting.html", wait_until="load")
    stamp = page.get_attribute('meta[name="al-edition"]', "content")
    edition_id = page.get_attribute("aside.al-edition", "data-edition")
    assert stamp and edition_id and edition_id in stamp
    fig = page.locator('figure.al-chart[data-chart="cost-curve"]')
    fig.scroll_into_view_if_needed()
    link = fig.locator('a.al-chart-download[data-format="svg"]')
    link.wait_for(timeout=15_000)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"cost-curve-edition-{edition_id}.svg"
    svg = Path(download.path()).read_text(encoding="utf-8")
    assert "<svg" in svg and stamp.replace("“", "").split(",")[0] in svg and edition_id in svg
    page.close()


def test_printing_draws_every_chart(browser, site_server):
    """Before printing (the print button, or the browser's own print), every chart of the page is
    drawn, not only those scrolled near; print CSS keeps charts and tables whole."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{site_server}/chapters/macro.html", wait_until="load")
    n = page.locator("script.al-chart-spec").count()
    assert n >= 5
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_function("n => document.querySelectorAll('figure.al-chart svg.marks').length === n", arg=n,
                           timeout=20_000)
    page.emulate_media(media="print")
    kept = page.evaluate("""() => [...document.querySelectorAll('figure.al-chart, .al-table-block')]
        .map(el => getComputedStyle(el).breakInside)""")
    assert set(kept) == {"avoid"}, set(kept)
    assert page.locator("figure.al-chart .al-print-stamp:visible").count() == n
    page.close()


# -- the scenario book (conftest's hostile_book, shared with tests/test_literal_text.py) ----------------

@pytest.fixture(scope="module")
def scenario_server(hostile_book):
    with served(hostile_book) as url:
        yield url


def test_scenario_title_with_markup_shows_as_text(browser, scenario_server):
    """A scenario title containing <script> is shown as text on the page and never runs."""
    page, errors, _ = watched_page(browser, scenario_server)
    page.goto(f"{scenario_server}/chapters/smelting.html", wait_until="load")
    draw_charts(page)
    banner = " ".join(page.locator(".bd-header-announcement").inner_text().split())
    assert HOSTILE_TITLE in banner
    assert "<b>bold</b> & co" in banner
    assert page.evaluate("window.pwned === undefined")
    assert errors == []
    page.close()


def test_scenario_banner_is_one_line_on_a_phone(browser, scenario_server):
    """A scenario's banner takes one line of a phone's first screen; a tap unfolds its reasoning."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{scenario_server}/chapters/smelting.html", wait_until="load")
    banner = page.locator(".al-banner")
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.al-banner')).lineHeight)")
    assert banner.bounding_box()["height"] <= 1.5 * line
    assert "Dry {{ 7*7 }} case" in banner.inner_text()
    banner.click()
    assert banner.bounding_box()["height"] > 3 * line  # unfolded: the whole reasoning
    page.close()
