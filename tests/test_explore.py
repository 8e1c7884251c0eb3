"""The "Explore the chain" panel: what it is built from, and what a reader gets from it in Chromium.

The chain's parity with the package is tests/test_explore_parity.py; here the panel on the built
pages: its script loads only when opened and updates within budget, its figures are the build's
for the same settings (written with the book's formatter), the URL and the downloaded YAML carry
the settings, axe finds nothing on the opened panel at both widths, and without JavaScript the
page shows the built numbers and says how to explore them.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
from pathlib import Path

import pytest
from helpers import AXE, needs_chromium

from aluminium import chain, cli, params, scenarios
from aluminium.book import explore
from aluminium.numbers import fmt

SCRIPT_BUDGET = 50 * 1024  # bytes, compressed
FIRST_UPDATE_BUDGET_MS = 100
FRONT = "book/intro.html"
UNITS = {o.id: o.unit for o in chain.OUTPUTS}


# -- built from the package --------------------------------------------------------------------------
def test_the_panel_is_one_html_block_with_every_chain_parameter_and_scenario():
    html = explore.panel_html()
    assert "\n\n" not in html and not re.search(r"\n\s*\n", html)  # Markdown would end the block there
    names = set(re.findall(r'data-param="([^"]+)"', html))
    assert names == set(explore.chain_parameters())
    for s in scenarios.available():
        assert f'value="{s.name}"' in html
    island = json.loads(re.search(r'<script type="application/json" id="al-explore-data">(.*?)</script>', html).group(1))
    assert [p["name"] for p in island["parameters"]] == explore.chain_parameters()
    assert len(island["top"]) == 10 and set(island["top"]) <= set(explore.chain_parameters())
    # Every label, unit and range comes from the registry and the label map, never typed twice.
    reg = params.registry()
    for p in island["parameters"]:
        assert (p["unit"], p["min"], p["max"]) == (reg[p["name"]].unit, reg[p["name"]].minimum, reg[p["name"]].maximum)
    # Built numbers are the chain's, written with the book's formatter.
    built = chain.run()
    price = fmt(built["pricing.modelled_price_cny_t"], "CNY/t")
    assert f'<td data-output="pricing.modelled_price_cny_t" data-live hidden>{price}</td><td>{price}</td>' in html


def test_the_panel_names_no_file_and_prints_through_the_books_one_template_environment():
    html = explore.panel_html()
    shown = re.sub(r'<script type="application/json".*?</script>', "", html)
    assert not re.search(r"scenarios/[\w-]+\.ya?ml", shown)
    assert "the scenario “" in shown  # the LME's source names the Goldman scenario by its title
    assert not hasattr(explore, "jinja2")  # aluminium.book.html renders it (autoescaped)
    # The one-line template keeps the spaces between a label and its control.
    assert re.search(r"Start from</label> <select", html) and not re.search(r"</label><(input|select)", html)


def test_the_top_ten_are_the_sweeps_largest_variance_shares():
    from aluminium import sweep

    ranges = sweep.numeric_ranges(explore.chain_parameters())
    shares = sweep.variance_shares(sweep.evaluate(sweep.design(ranges, samples=2000, seed=0)), list(ranges))
    assert list(explore.top_parameters()) == list(shares["parameter"][:10])
    assert shares["variance_share_pct"].iloc[0] > shares["variance_share_pct"].iloc[10]


def test_the_island_cannot_close_its_script_element():
    text = explore.island_json({"x": "</script><!-- <script>"})
    assert "</" not in text and "<!--" not in text and json.loads(text) == {"x": "</script><!-- <script>"}


def test_the_script_is_small():
    assert len(gzip.compress(explore.script_text().encode("utf-8"))) <= SCRIPT_BUDGET


# -- in the browser ------------------------------------------------------------------------------------
def browser_only(test):
    """Marked ``browser`` (and ``build`` by conftest, through the site it asks for); skipped without Chromium outside CI."""
    return pytest.mark.browser(needs_chromium(test))


def _open(browser, url: str, width: int = 1366, **context):
    ctx = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True, **context)
    page = ctx.new_page()
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until="load")
    return page, errors, requests


def _opened(page) -> float:
    if not page.eval_on_selector("#al-explore", "d => d.open"):
        page.click("#al-explore > summary")
    page.wait_for_function("document.getElementById('al-explore').dataset.firstUpdateMs !== undefined", timeout=10_000)
    return float(page.eval_on_selector("#al-explore", "d => d.dataset.firstUpdateMs"))


def _table(page) -> dict[str, str]:
    return page.eval_on_selector_all("#al-explore td[data-output]",
                                     "els => Object.fromEntries(els.map(e => [e.dataset.output, e.textContent]))")


def _expected(overrides) -> dict[str, str]:
    res = chain.run(overrides)
    return {oid: fmt(res[oid], UNITS[oid]) for oid in (*explore.HEADLINES, "smelting.modelled_cash_cost_cny_t")}


@browser_only
@pytest.mark.parametrize("path", [FRONT, "chapters/pricing.html"])
def test_the_script_loads_when_the_panel_opens_and_updates_within_budget(browser, site_server, path):
    page, errors, requests = _open(browser, f"{site_server}/{path}")
    assert page.locator("#al-explore").count() == 1
    # (The offline cache's service worker may fetch it to keep; the page neither loads nor runs it.)
    assert page.evaluate("() => !document.querySelector('script[src*=\"al-explore\"]') && !window.AluminiumChain"), \
        "the panel's script loaded before the panel opened"
    took = _opened(page)
    assert took <= FIRST_UPDATE_BUDGET_MS, f"first update took {took:.1f} ms"
    assert _table(page) == _expected({})
    assert not errors, errors
    assert all(r.startswith(site_server) for r in requests)
    page.context.close()


@browser_only
def test_a_change_gives_the_builds_numbers_and_a_link_and_a_file_that_reproduce_it(browser, site_server, tmp_path):
    page, errors, _ = _open(browser, f"{site_server}/{FRONT}")
    _opened(page)
    page.click(".al-explore-more > summary")  # every assumption, folded under the top ten
    # The first of the top ten (whichever the sweep ranks first), moved 5 % down.
    top = explore.top_parameters()[0]
    moved = float(f"{params.registry()[top].default() * 0.95:.4g}")
    top_id = "#al-x-" + top.replace(".", "-")
    page.fill(top_id, str(moved))
    page.fill("#al-y-demand-growth_building_pct", "-3")
    page.uncheck("#al-y-bauxite-indonesia_supply_removed")
    page.fill("#al-y-smelting-alumina_price_cny_t", "3100")
    overrides = {top: moved, "demand.growth_building_pct": -3.0,
                 "bauxite.indonesia_supply_removed": False, "smelting.alumina_price_cny_t": 3100.0}
    want = _expected(overrides)
    assert _table(page) == want
    # The download is a parameters file the build accepts, with exactly these settings.
    with page.expect_download() as info:
        page.click("[data-explore=download]")
    saved = tmp_path / "assumptions.yml"
    info.value.save_as(saved)
    assert params.read_params_file(saved) == overrides
    # The link reproduces them in a fresh page.
    url = page.eval_on_selector("[data-explore=link]", "a => a.href")
    assert "#explore?" in url
    again, errors2, _ = _open(browser, url)
    _opened(again)
    assert _table(again) == want
    assert float(again.input_value(top_id)) == moved
    # A scenario from the picker gives that scenario's numbers.
    again.select_option("[data-explore=scenario]", "drought")
    assert _table(again) == _expected(scenarios.load("drought").overrides)
    assert not errors and not errors2, errors + errors2
    page.context.close()
    again.context.close()


def _download(page, tmp_path, name: str) -> Path:
    with page.expect_download() as info:
        page.click("[data-explore=download]")
    saved = tmp_path / name
    info.value.save_as(saved)
    return saved


def _build_reads(path: Path) -> dict:
    """What `aluminium build --params FILE` would build with (the command line's own reading)."""
    return cli._overrides(argparse.Namespace(params=[str(path)], set=None))


@browser_only
def test_every_downloaded_state_is_a_file_the_build_accepts(browser, site_server, tmp_path):
    page, errors, _ = _open(browser, f"{site_server}/{FRONT}")
    _opened(page)
    page.click(".al-explore-more > summary")
    # Nothing changed: an empty parameters file, which the build reads as the defaults.
    assert _build_reads(_download(page, tmp_path, "none.yml")) == {}
    # A scenario, then a pin set, a pin set and cleared again (the chain's value), a boolean, a negative number.
    page.select_option("[data-explore=scenario]", "demand-slowdown")
    page.fill("#al-y-smelting-aluminium_price_cny_t", "20500")
    page.fill("#al-y-smelting-alumina_price_cny_t", "3000")
    page.fill("#al-y-smelting-alumina_price_cny_t", "")
    page.uncheck("#al-y-bauxite-indonesia_supply_removed")
    page.fill("#al-y-demand-growth_building_pct", "-2.5")
    want = {**scenarios.load("demand-slowdown").overrides, "smelting.aluminium_price_cny_t": 20500.0,
            "bauxite.indonesia_supply_removed": False, "demand.growth_building_pct": -2.5}
    assert _build_reads(_download(page, tmp_path, "mixed.yml")) == want
    assert _table(page) == _expected(want)
    assert not errors, errors
    page.context.close()


@browser_only
def test_a_value_the_build_would_refuse_is_named_on_the_panel_and_not_used(browser, site_server, tmp_path):
    page, errors, _ = _open(browser, f"{site_server}/{FRONT}")
    _opened(page)
    before = _table(page)
    p = params.registry()[explore.top_parameters()[0]]
    field = "#al-x-" + p.name.replace(".", "-")
    too_high = p.maximum * 2 + 1
    page.fill(field, str(too_high))
    said = page.text_content(field + "-e")
    assert fmt(too_high, p.unit) in said and "range the build accepts" in said, said
    assert page.get_attribute(field, "aria-invalid") == "true"
    assert page.is_visible(field + "-e")
    assert _table(page) == before  # the chain kept the last value the build accepts
    assert p.name not in _build_reads(_download(page, tmp_path, "refused.yml"))
    page.fill(field, "")
    assert "Empty" in page.text_content(field + "-e")
    # A value back in range clears the message and is used.
    page.fill(field, str(p.default()))
    assert page.text_content(field + "-e") == "" and page.get_attribute(field, "aria-invalid") == "false"
    # A link carrying a refused value says so and uses the default for it.
    again, errors2, _ = _open(browser, f"{site_server}/{FRONT}#explore?{p.name}={too_high}")
    _opened(again)
    status = again.text_content("[data-explore=status]")  # (off screen: content-visibility keeps innerText empty)
    assert "outside the ranges the build accepts" in status and fmt(too_high, p.unit) in status, status
    assert _table(again) == _expected({})
    assert not errors and not errors2, errors + errors2
    page.context.close()
    again.context.close()


@browser_only
def test_a_link_with_settings_opens_the_panel_in_view_without_shifting_the_page(browser, site_server):
    page, errors, _ = _open(browser, f"{site_server}/{FRONT}#explore?smelting.power_price_cny_kwh=0.5", 390)
    _opened(page)
    page.wait_for_timeout(300)
    top = page.eval_on_selector("#al-explore", "d => d.getBoundingClientRect().top")
    assert 0 <= top < 300, top  # the reader lands on the panel, not at the top of the page
    shift = page.evaluate("""() => new Promise(done => {
        let total = 0;
        new PerformanceObserver(list => list.getEntries().forEach(e => { if (!e.hadRecentInput) total += e.value; }))
          .observe({type: 'layout-shift', buffered: true});
        setTimeout(() => done(total), 200);
      })""")
    assert shift < 0.1, f"cumulative layout shift {shift:.3f}"  # Lighthouse's "good"
    assert not errors, errors
    page.context.close()


def _flow_lines(overrides, variant: str) -> list[list[str]]:
    """Each box's lines of the chain diagram as aluminium.book.flow draws them at these settings."""
    from aluminium.book import flow

    inner = flow.WIDE_COL - 2 * flow.PAD if variant == "wide" else flow.NARROW_WIDTH - 8
    chain_stages = flow.stages(chain.run(overrides), chain.values_in_force(overrides))
    return [[part for line in item.lines for part in flow.wrap(line, inner)] for st in chain_stages for item in st.items]


@browser_only
def test_the_diagrams_figures_follow_the_panel_as_the_build_would_draw_them(browser, site_server):
    page, errors, _ = _open(browser, f"{site_server}/{FRONT}")
    _opened(page)
    boxes = ("(sel) => [...document.querySelectorAll(sel + ' g.al-flow-box text')]"
             ".map(t => [...t.querySelectorAll('tspan')].map(s => s.textContent))")
    for overrides in ({}, {"smelting.power_price_cny_kwh": 0.55, "demand.growth_transport_pct": -4.0},
                      {"smelting.southwest_drought_cut_kt": 3000.0, "macro.lme_price_usd_t": 2300.0}):
        page.select_option("[data-explore=scenario]", "defaults")
        for name, value in overrides.items():
            page.eval_on_selector(f'#al-explore [data-param="{name}"]', "(el, v) => { el.value = v; "
                                  "el.dispatchEvent(new Event('input', {bubbles: true})); }", str(value))
        for variant in ("wide", "narrow"):
            assert page.evaluate(boxes, f"svg.al-flow-{variant}") == _flow_lines(overrides, variant), (overrides, variant)
        assert page.eval_on_selector("figure.al-flow-figure", "f => f.dataset.explored") == "live"
    # Lifting Indonesia's ban adds a box the built diagram does not have: the figure says so.
    page.select_option("[data-explore=scenario]", "defaults")
    page.eval_on_selector('#al-explore [data-param="bauxite.indonesia_supply_removed"]',
                          "el => { el.checked = false; el.dispatchEvent(new Event('change', {bubbles: true})); }")
    assert page.eval_on_selector("figure.al-flow-figure", "f => f.dataset.explored") == "built"
    assert "this build's figures" in page.inner_text("figure.al-flow-figure figcaption")
    assert not errors, errors
    page.context.close()


FORMAT_SAMPLES = [(0, ""), (2024, "year"), (15611.0, "CNY/t"), (80.0, "%"), (3.75, "%"), (40.4626, "%"),
                  (0.888, "fraction"), (12.25, ""), (-4682.4, "CNY/t"), (0.0512, ""), (0.000123456, "Mt"),
                  (-0.0004, "kt"), (999.5, "kt"), (99.95, "USD/t"), (9.995, ""), (1234567.891, "kt"),
                  (1e-7, ""), (2.5e-5, "ratio"), (-0.32923866307856275, "% of demand"), (1.005, "CNY/kWh"),
                  (0.3895131086142322, "CNY/kWh"), (float("nan"), "kt"), (62.45, "USD/t"), (-0.0, "CNY/t")]


@browser_only
def test_the_panel_writes_numbers_by_the_books_rules(browser, site_server):
    page, _, _ = _open(browser, f"{site_server}/{FRONT}")
    _opened(page)
    cases = [[v, u, s] for v, u in FORMAT_SAMPLES for s in (False, True)]
    got = page.evaluate("cases => cases.map(([v, u, s]) => AluminiumFormat.fmt(v, u, {sign: s}))",
                        [[None if v != v else v, u, s] for v, u, s in cases])
    want = [fmt(v, u, sign=s) for v, u, s in cases]
    assert got == want
    page.context.close()


@browser_only
@pytest.mark.parametrize("width", [1366, 390])
def test_the_open_panel_is_accessible_and_fits(browser, site_server, width):
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: `make test` installs it (npm ci --prefix tests/axe)")
        pytest.skip("axe-core is not installed (make test installs it into tests/axe)")
    page, _, _ = _open(browser, f"{site_server}/{FRONT}", width)
    _opened(page)
    page.eval_on_selector(".al-explore-more", "d => d.open = true")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate("""async () => (await axe.run('#explore', {resultTypes: ['violations']}))
        .violations.map(v => `${v.id}: ${v.nodes.slice(0, 2).map(n => n.target.join(' ')).join('; ')}`)""")
    assert violations == []
    # Every input has a label; the panel is no wider than the screen.
    unlabelled = page.eval_on_selector_all("#al-explore input, #al-explore select",
                                           "els => els.filter(e => !e.labels || !e.labels.length).map(e => e.id)")
    assert unlabelled == []
    overflow = page.eval_on_selector("#al-explore", "d => d.scrollWidth - d.clientWidth")
    assert overflow <= 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Keyboard: the summary takes focus and Enter opens and closes the panel.
    page.focus("#al-explore > summary")
    page.keyboard.press("Enter")
    assert page.eval_on_selector("#al-explore", "d => !d.open")
    page.context.close()


@browser_only
def test_without_javascript_the_page_shows_the_built_numbers_and_how_to_explore(browser, site_server):
    page, _, _ = _open(browser, f"{site_server}/{FRONT}", java_script_enabled=False)
    page.click("#al-explore > summary")
    assert page.is_visible("#al-explore [data-nojs]")
    assert "aluminium build --set" in page.inner_text("#al-explore [data-nojs]")
    built = page.eval_on_selector_all("#al-explore tbody td:nth-of-type(2)", "els => els.map(e => e.textContent)")
    assert built == list(_expected({}).values())
    assert not page.is_visible("#al-explore td[data-output]")
    assert not page.is_visible("#al-explore [data-explore=download]")
    page.context.close()
