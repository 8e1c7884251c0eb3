"""The chain in the reader's browser equals the package's chain.

``aluminium/book/assets/al-chain.js`` is a hand-written port of :mod:`aluminium.chain`; this test
runs it in headless Chromium on every shipped scenario and on 1,000 random draws of every chain
parameter (fixed seed) and compares every chain output with ``aluminium.chain``. It iterates over
the package's links, parameters and outputs, so a link, parameter or output the script does not
port fails here. All runs go to the browser in one ``page.evaluate`` call.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import needs_chromium

from aluminium import chain, params, scenarios, sweep
from aluminium.book import explore

pytestmark = [pytest.mark.browser, needs_chromium]

# Both evaluators do the same IEEE-754 double operations in the same order; the only operations
# that may differ are exp and pow (libm in numpy, V8's own), each within an ulp or two. The market's
# bisection takes the same halvings on both sides; where an ulp's difference tips one halving the
# other way, both still close on the same turning point, to within the last interval (a few
# billionths of a CNY/t). 1e-9 relative (about 4,500 ulp) leaves room for that and nothing else; outputs that are a difference of large terms
# (margin, balance, window) are compared against the size of their terms (ABS_FLOOR) instead of
# a result near zero.
RTOL = 1e-9
ABS_FLOOR = {"kt": 1e-9 * 1e5, "CNY/t": 1e-9 * 1e5, "USD/t": 1e-9 * 1e3, "Mt": 1e-9 * 1e3}
DRAWS = 1000
SEED = 20


@pytest.fixture(scope="module")
def page(browser):
    pg = browser.new_page()
    pg.set_content("<!doctype html><title>parity</title>")
    pg.add_script_tag(content=explore.SCRIPT.read_text(encoding="utf-8"))
    yield pg
    pg.close()


def _draws() -> list[dict]:
    """1,000 parameter sets: every numeric chain parameter uniform over its sweep range (its
    default ± the sensitivity range, inside the declared bounds) in half the draws and over its
    whole declared range in the other half; the switch at random; each pin set in a fifth of the
    draws (to a value near the chain's own)."""
    reg = params.registry()
    names = explore.chain_parameters()
    near = sweep.numeric_ranges(names)
    rng = np.random.default_rng(SEED)
    base = chain.run()
    defaults = chain.values_in_force(None, names)
    out = []
    for i in range(DRAWS):
        values = dict(defaults)
        for name in names:
            p = reg[name]
            if p.type == "bool":
                values[name] = bool(rng.random() < 0.5)
            elif p.pin_of:
                if rng.random() < 0.2:
                    values[name] = float(base[p.pin_of] * rng.uniform(0.8, 1.2))
            elif i % 2 == 0 and name in near:
                values[name] = float(rng.uniform(*near[name]))
            elif p.minimum is not None and p.maximum is not None:
                values[name] = float(rng.uniform(p.minimum, p.maximum))
        out.append(values)
    return out


def _scenario_values() -> list[dict]:
    names = explore.chain_parameters()
    return [chain.values_in_force(s.overrides, names) for s in scenarios.available()]


def _python(values: dict) -> dict:
    import warnings

    with warnings.catch_warnings():  # a draw at a range's end may divide by zero in both evaluators
        warnings.simplefilter("ignore")
        res = chain.evaluate(values)
    return {o: float(np.asarray(res[o]).reshape(-1)[0]) for o in chain.OUTPUT_IDS}


def _browser(page, runs: list[dict]) -> list[dict]:
    return page.evaluate("""([K, runs]) => {
        const nan = x => (typeof x === 'number' && !isFinite(x)) ? String(x) : x;
        return runs.map(v => { const o = AluminiumChain.evaluate(v, K); const r = {};
                               for (const k in o) if (!k.startsWith('_')) r[k] = nan(o[k]); return r; });
    }""", [explore.constants(), runs])


UNITS = {o.id: o.unit for o in chain.OUTPUTS}


def _close(name: str, js, py: float) -> bool:
    if isinstance(js, str) or math.isnan(py) or math.isinf(py):
        return str(js) in (str(py), {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}.get(str(py), ""))
    return abs(js - py) <= max(RTOL * abs(py), ABS_FLOOR.get(UNITS[name], 0.0))


def _compare(runs: list[dict], got: list[dict], what: str) -> None:
    """Every output of every run within its bound."""
    bad = []
    for i, (values, js) in enumerate(zip(runs, got)):
        py = _python(values)
        for name in chain.OUTPUT_IDS:
            assert name in js, f"the browser's chain has no output '{name}': port it to al-chain.js"
        bad += [f"{what} {i}: {name} browser {js[name]!r} package {py[name]!r}"
                for name in chain.OUTPUT_IDS if not _close(name, js[name], py[name])]
    assert not bad, f"{len(bad)} differences, first: " + "; ".join(bad[:5])


def test_the_browser_ports_every_link_and_parameter(page):
    ported = page.evaluate("K => AluminiumChain.reads(K)", explore.constants())
    assert list(ported) == [link.name for link in chain.LINKS], "al-chain.js ports other links than aluminium.chain"
    for link in chain.LINKS:
        assert set(ported[link.name]) == set(link.reads), (
            f"link '{link.name}': parameters not ported to al-chain.js: "
            f"{sorted(set(link.reads) ^ set(ported[link.name]))}")


def test_every_shipped_scenario_gives_the_packages_numbers(page):
    runs = _scenario_values()
    assert len(runs) == len(list(scenarios.SCENARIOS_DIR.glob("*.yml")))
    _compare(runs, _browser(page, runs), "scenario")


def test_a_thousand_draws_give_the_packages_numbers(page):
    runs = _draws()
    _compare(runs, _browser(page, runs), "draw")
