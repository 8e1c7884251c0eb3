"""The chain: links in dependency order, pins, cache keys on upstream values, scenario propagation."""
from __future__ import annotations

import numpy as np
import pytest

from aluminium import chain, params, scenarios, sweep
from aluminium.book import build
from aluminium.errors import ParameterError
from aluminium.paths import CHAPTERS
from aluminium.stages import pricing


@pytest.fixture(scope="module")
def base():
    return chain.run()


def test_every_link_reads_declared_parameters_and_every_output_is_computed(base):
    reg = params.registry()
    for link in chain.LINKS:
        assert set(link.reads) <= set(reg), f"{link.name} reads an undeclared parameter"
        assert set(link.needs) <= {other.name for other in chain.LINKS}
    assert set(chain.OUTPUT_IDS) <= set(base)
    assert all(np.isfinite(base[k]) for k in chain.OUTPUT_IDS)


def test_mass_balance_and_cost_identities_hold(base):
    v = chain.values_in_force()
    assert base["smelting.output_2026_kt"] == pytest.approx(v["smelting.capacity_cap_kt"] * v["demand.utilisation_pct"] / 100)
    assert base["alumina.need_kt"] == pytest.approx(base["smelting.output_2026_kt"] * v["smelting.alumina_t_per_t"])
    assert base["alumina.market_surplus_kt"] == pytest.approx(v["alumina.output_kt"] - v["alumina.net_exports_kt"]
                                                              - base["alumina.need_kt"])
    assert base["bauxite.need_mt"] == pytest.approx(v["alumina.output_kt"] / 1000 * v["alumina.bauxite_per_alumina_t_per_t"])
    assert base["demand.balance_2026_kt"] == pytest.approx(base["smelting.output_2026_kt"] + base["demand.net_imports_2026_kt"]
                                                           - base["demand.demand_2026_kt"])
    assert base["alumina.modelled_cash_cost_cny_t"] <= base["alumina.modelled_price_cny_t"] <= max(
        base["alumina.contract_level_cny_t"], base["alumina.modelled_cash_cost_cny_t"])
    assert base["pricing.modelled_price_low_cny_t"] < base["pricing.modelled_price_cny_t"] < base["pricing.modelled_price_high_cny_t"]
    # At the defaults the seaborne stack is fully used by today's suppliers: the CIF is the Guinean reference.
    assert base["bauxite.modelled_cif_usd_t"] == pytest.approx(v["bauxite.fob_usd_t"] + v["bauxite.freight_usd_t"]
                                                               + v["bauxite.other_delivery_cost_usd_t"])


def test_outputs_become_inputs_downstream(base):
    # The alumina price in the smelting cost is the alumina stage's price...
    assert base["smelting.alumina_price_in_cost_cny_t"] == pytest.approx(base["alumina.modelled_price_cny_t"])
    # ...and a dearer bauxite CIF raises the alumina cost, the smelting cost and the price.
    dear = chain.run({"bauxite.freight_usd_t": 40.0})
    for key in ("bauxite.modelled_cif_usd_t", "alumina.modelled_cash_cost_cny_t", "alumina.modelled_price_cny_t",
                "smelting.modelled_cash_cost_cny_t", "pricing.cost_floor_cny_t", "pricing.modelled_price_cny_t"):
        assert dear[key] > base[key], key


def test_a_pin_overrides_the_modelled_value_from_that_point_down(base):
    pinned = chain.run({"smelting.alumina_price_cny_t": 3000.0})
    assert pinned["smelting.alumina_price_in_cost_cny_t"] == 3000.0
    assert pinned["alumina.modelled_price_cny_t"] == pytest.approx(base["alumina.modelled_price_cny_t"])  # upstream unchanged
    per_t = params.lookup("smelting.alumina_t_per_t").default()
    delta = (3000.0 - base["alumina.modelled_price_cny_t"]) * per_t
    assert pinned["smelting.modelled_cash_cost_cny_t"] - base["smelting.modelled_cash_cost_cny_t"] == pytest.approx(delta)
    # Pinning the CIF cuts the bauxite stage off from the alumina cost.
    cif = chain.run({"alumina.bauxite_cif_usd_t": 80.0, "bauxite.freight_usd_t": 10.0})
    assert cif["alumina.modelled_cash_cost_cny_t"] == pytest.approx(chain.run({"alumina.bauxite_cif_usd_t": 80.0})["alumina.modelled_cash_cost_cny_t"])
    window = chain.run({"macro.shanghai_price_cny_t": 30000.0})
    assert window["macro.import_window_cny_t"] == pytest.approx(30000.0 - window["macro.import_parity_cny_t"])


def test_the_assumptions_table_says_modelled_or_pinned():
    modelled = params.in_force("smelting", {})
    assert modelled.alumina_price_cny_t == pytest.approx(modelled.chain["alumina.modelled_price_cny_t"])
    row = modelled.table().set_index("parameter").loc["smelting.alumina_price_cny_t"]
    assert row["modelled or pinned"] == "modelled" and row["changed"] == ""
    pinned = params.in_force("smelting", {"alumina_price_cny_t": 3000.0})
    row = pinned.table().set_index("parameter").loc["smelting.alumina_price_cny_t"]
    assert pinned.alumina_price_cny_t == 3000.0 and row["modelled or pinned"] == "pinned" and row["changed"] == "pinned"
    assert params.lookup("smelting.alumina_price_cny_t").check("modelled") is None
    with pytest.raises(ParameterError, match="out of range"):
        params.lookup("smelting.alumina_price_cny_t").check(-5)


def test_a_chapter_takes_upstream_overrides_by_full_name():
    p = params.in_force("smelting", params.for_chapter({"bauxite.freight_usd_t": 40.0}, "smelting"))
    assert p.chain["bauxite.modelled_cif_usd_t"] > chain.run()["bauxite.modelled_cif_usd_t"]
    with pytest.raises(ParameterError, match="unknown parameter"):
        params.in_force("bauxite", {"demand.growth_building_pct": 1.0})  # not upstream of bauxite


def _keys(overrides):
    return {ch: build.chapter_key(ch, overrides, "code") for ch in CHAPTERS}


def test_cache_keys_follow_the_chain_downstream_and_nothing_else():
    base = _keys({})
    assert base == _keys({"bauxite.freight_usd_t": params.lookup("bauxite.freight_usd_t").default()})  # a default is no change
    changed = lambda o: {ch for ch, k in _keys(o).items() if k != base[ch]}  # noqa: E731
    assert changed({"bauxite.freight_usd_t": 30.0}) == {"bauxite", "alumina", "smelting", "demand", "pricing", "macro"}
    assert changed({"demand.growth_building_pct": -3.0}) == {"demand", "pricing", "macro"}
    assert changed({"macro.data_centre_power_price_usd_mwh": 150.0}) == {"macro"}
    assert changed({"macro.vat_pct": 10.0}) == {"demand", "pricing", "macro"}  # the window sets net imports
    assert changed({"pricing.momentum_lookback_months": 6}) == {"pricing"}


def test_cache_key_includes_the_digest_of_a_file_a_value_names(tmp_path):
    book = tmp_path / "pink.xlsx"
    book.write_bytes(b"one")
    a = build.chapter_key("pricing", {"pricing.worldbank_file": str(book)}, "code")
    book.write_bytes(b"two")
    assert build.chapter_key("pricing", {"pricing.worldbank_file": str(book)}, "code") != a


def test_vectorised_chain_equals_one_evaluation_per_run():
    ranges = sweep.numeric_ranges()
    runs = sweep.design(ranges, samples=300, seed=4)
    table = sweep.evaluate(runs)
    for i in (0, 123, 299):
        one = chain.run(runs.iloc[i].to_dict())
        for key in ("pricing.modelled_price_cny_t", "alumina.modelled_price_cny_t", "bauxite.modelled_cif_usd_t",
                    "demand.balance_2026_kt", "macro.import_window_cny_t"):
            assert table[key].iloc[i] == pytest.approx(one[key], rel=1e-9), key


@pytest.mark.parametrize("name", ["smelting.power_price_cny_kwh", "smelting.grid_power_price_cny_kwh",
                                  "smelting.captive_power_price_cny_kwh", "smelting.hydro_power_price_cny_kwh"])
def test_a_dearer_power_price_never_lowers_the_cost_floor(name):
    runs = sweep.design({name: (0.2, 0.8)}, grid=25)
    table = sweep.evaluate(runs)
    assert np.all(np.diff(table["pricing.cost_floor_cny_t"].to_numpy()) >= -1e-9)
    assert np.all(np.diff(table["pricing.modelled_price_cny_t"].to_numpy()) >= -1e-9)
    if name == "smelting.grid_power_price_cny_kwh":  # the grid blocks are marginal at the defaults
        assert table["pricing.cost_floor_cny_t"].iloc[-1] > table["pricing.cost_floor_cny_t"].iloc[0]


def test_removing_indonesia_moves_the_marginal_bauxite_source(base):
    ban = chain.run({"bauxite.indonesia_supply_removed": True})
    assert ban["bauxite.marginal_source"] > base["bauxite.marginal_source"]
    assert ban["bauxite.modelled_cif_usd_t"] > base["bauxite.modelled_cif_usd_t"]


def test_a_larger_alumina_surplus_pulls_alumina_towards_its_cost(base):
    long = chain.run({"alumina.output_kt": chain.values_in_force()["alumina.output_kt"] + 10000})
    assert long["alumina.market_surplus_kt"] > base["alumina.market_surplus_kt"]
    assert base["alumina.modelled_cash_cost_cny_t"] <= long["alumina.modelled_price_cny_t"] < base["alumina.modelled_price_cny_t"]


def test_a_market_long_enough_lowers_the_floor(base):
    # Demand well below output: the market takes fewer tonnes, so a cheaper plant is marginal.
    slump = chain.run({"demand.growth_building_pct": -25.0, "demand.growth_machinery_equipment_pct": -25.0,
                       "demand.growth_consumer_durables_pct": -25.0, "demand.growth_packaging_pct": -25.0})
    assert slump["demand.balance_2026_kt"] > 0
    assert slump["pricing.cost_floor_cny_t"] < base["pricing.cost_floor_cny_t"]
    assert slump["pricing.modelled_price_cny_t"] < base["pricing.modelled_price_cny_t"]


def test_price_model_calibration_is_honest():
    cal = pricing.calibration()
    table = pricing.backtest_price_model(pricing.calibration_table())
    assert cal["years"] == list(range(2017, 2025))
    assert cal["mae_pct"] == pytest.approx(table["error_pct"].abs().mean())
    assert cal["mae_pct"] >= cal["in_sample_mae_pct"] > 0  # out of sample is never reported better than in sample here
    assert cal["slope"] >= 0 and (cal["slope"] == 0) == (cal["unconstrained_slope"] < 0)
    assert params.lookup("pricing.regime_base_ratio").default() == pytest.approx(cal["base"])


def test_fit_regime_recovers_a_known_line_and_holds_a_negative_slope_at_zero():
    x = np.array([0.0, 1.0, 2.0, 3.0])
    assert pricing.fit_regime(x, 1.1 + 0.05 * x) == pytest.approx({"base": 1.1, "slope": 0.05, "unconstrained_slope": 0.05})
    held = pricing.fit_regime(x, 1.3 - 0.05 * x)
    assert held["slope"] == 0 and held["base"] == pytest.approx(np.mean(1.3 - 0.05 * x))


# -- scenario propagation --------------------------------------------------------------------------
EXPECTED_STAGES = {
    "drought": {"smelting", "alumina", "demand", "pricing", "macro"},
    "indonesia-ban": {"bauxite", "alumina", "smelting", "pricing"},
    "demand-slowdown": {"demand", "pricing", "macro"},
    "power-shock": {"smelting", "pricing"},
}


def moved_stages(overrides) -> dict[str, float]:
    base, other = chain.run(), chain.run(overrides)
    return {k: other[k] - base[k] for k in chain.OUTPUT_IDS if abs(other[k] - base[k]) > 1e-6 * max(1.0, abs(base[k]))}


@pytest.mark.parametrize("name", sorted(EXPECTED_STAGES))
def test_each_scenario_moves_the_chapters_downstream_of_its_shock(name):
    moved = moved_stages(scenarios.load(name).overrides)
    assert EXPECTED_STAGES[name] <= {k.split(".", 1)[0] for k in moved}, moved


def test_scenario_signs_an_analyst_expects():
    price = "pricing.modelled_price_cny_t"
    assert moved_stages(scenarios.load("drought").overrides)[price] > 0
    assert moved_stages(scenarios.load("indonesia-ban").overrides)[price] > 0
    assert moved_stages(scenarios.load("power-shock").overrides)["pricing.cost_floor_cny_t"] > 0
    assert moved_stages(scenarios.load("drought").overrides)["alumina.modelled_price_cny_t"] < 0  # less smelting, more surplus
    slowdown = moved_stages(scenarios.load("demand-slowdown").overrides)
    assert slowdown["demand.demand_2026_kt"] < 0 and slowdown[price] < 0
