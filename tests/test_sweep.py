"""Sweeps evaluate the models on whole arrays, with the same results as one call per run."""
from __future__ import annotations

import numpy as np
import pytest

from aluminium import params, sweep
from aluminium.errors import ParameterError
from aluminium.stages import smelting


def test_parse_vary_checks_names_ranges_and_order():
    assert sweep.parse_vary(["smelting.power_price_cny_kwh=0.3:0.6"]) == {"smelting.power_price_cny_kwh": (0.3, 0.6)}
    with pytest.raises(ParameterError, match="did you mean"):
        sweep.parse_vary(["smelting.power_price=0.3:0.6"])
    with pytest.raises(ParameterError, match="NAME=LOW:HIGH"):
        sweep.parse_vary(["smelting.power_price_cny_kwh=0.3"])
    with pytest.raises(ParameterError, match="above high end"):
        sweep.parse_vary(["smelting.power_price_cny_kwh=0.6:0.3"])
    with pytest.raises(ParameterError, match="out of range"):
        sweep.parse_vary(["smelting.power_price_cny_kwh=0.3:99"])
    with pytest.raises(ParameterError, match="varied twice"):
        sweep.parse_vary(["smelting.power_price_cny_kwh=0.3:0.4", "smelting.power_price_cny_kwh=0.3:0.5"])


def test_grid_is_the_full_product_and_random_is_reproducible():
    vary = {"smelting.power_price_cny_kwh": (0.3, 0.6), "smelting.alumina_price_cny_t": (2000.0, 4000.0)}
    grid = sweep.design(vary, grid=4)
    assert len(grid) == 16 and grid["smelting.power_price_cny_kwh"].nunique() == 4
    a, b = sweep.design(vary, samples=50, seed=3), sweep.design(vary, samples=50, seed=3)
    assert a.equals(b)
    assert a["smelting.power_price_cny_kwh"].between(0.3, 0.6).all()


def test_vectorised_results_equal_one_call_per_run():
    vary = {"smelting.power_price_cny_kwh": (0.3, 0.6), "demand.utilisation_pct": (90.0, 100.0)}
    runs = sweep.design(vary, samples=200, seed=1)
    table = sweep.evaluate(runs)
    for i in (0, 57, 199):
        point = runs.iloc[i].to_dict()
        one = sweep.evaluate(runs.iloc[[i]].reset_index(drop=True))
        for o in sweep.OUTPUTS:
            assert one[o.id].iloc[0] == pytest.approx(table[o.id].iloc[i]), o.id
        alumina = table["alumina.modelled_price_cny_t"].iloc[i]
        expected = smelting.cash_cost(alumina, point["smelting.power_price_cny_kwh"],
                                      *(params.lookup(f"smelting.{n}").default() for n in (
                                          "anode_price_cny_t", "alumina_t_per_t", "power_kwh_per_t", "anode_t_per_t",
                                          "other_costs_cny_t")))
        assert table["smelting.modelled_cash_cost_cny_t"].iloc[i] == pytest.approx(expected)
    # Higher utilisation means more supply, so a higher balance, all else equal.
    corr = np.corrcoef(table["demand.utilisation_pct"], table["demand.balance_2026_kt"])[0, 1]
    assert corr > 0.99


def test_overrides_hold_a_parameter_for_every_run():
    runs = sweep.design({"smelting.power_price_cny_kwh": (0.3, 0.6)}, samples=10)
    a = sweep.evaluate(runs)
    b = sweep.evaluate(runs, {"smelting.alumina_price_cny_t": 3700.0})
    delta = b["smelting.modelled_cash_cost_cny_t"] - a["smelting.modelled_cash_cost_cny_t"]
    per_t = params.lookup("smelting.alumina_t_per_t").default()
    # Each run's alumina price follows its own aluminium price (the ratio contract), so the pin's
    # effect is per run: (3,700 − that run's modelled alumina price) × alumina per tonne.
    assert np.allclose(delta, (3700.0 - a["alumina.modelled_price_cny_t"]) * per_t, rtol=1e-9)


def test_a_100000_run_chain_sweep_is_vectorised():
    # Speed is measured in the benchmark; here, that one call handles every run of a large sweep.
    runs = sweep.design(sweep.numeric_ranges(), samples=100_000, seed=0)
    table = sweep.evaluate(runs)
    assert len(table) == 100_000 and table["pricing.modelled_price_cny_t"].notna().all()
    assert table["pricing.modelled_price_cny_t"].nunique() > 90_000


def test_tornado_and_variance_shares_rank_what_moves_the_price():
    tor = sweep.tornado(ranges={"smelting.grid_power_price_cny_kwh": (0.3, 0.5), "macro.vat_pct": (12.0, 14.0)})
    # Both raise the price: VAT through import parity (weight w of the band), grid power through the
    # floor (weight 1 − w). Near parity (w ≈ 0.9 at the defaults) the parity side dominates, so a
    # wider power range is needed for power to lead: 0.3–1.0 CNY/kWh moves the floor by ~9,000 CNY/t.
    assert set(tor["parameter"]) == {"smelting.grid_power_price_cny_kwh", "macro.vat_pct"}
    assert (tor["swing"] > 0).all() and (tor["output_at_high"] > tor["output_at_low"]).all()
    runs = sweep.design({"smelting.grid_power_price_cny_kwh": (0.3, 1.0), "macro.vat_pct": (12.0, 14.0)}, samples=2000)
    shares = sweep.variance_shares(sweep.evaluate(runs), list(runs.columns))
    assert shares["parameter"].iloc[0] == "smelting.grid_power_price_cny_kwh" and shares["variance_share_pct"].iloc[0] > 50


def test_a_varied_parameter_that_reaches_no_output_is_named():
    reached = sweep.reach(["smelting.power_price_cny_kwh", "demand.utilisation_pct", "pricing.margin_threshold_cny_t"])
    assert "smelting.modelled_cash_cost_cny_t" in reached["smelting.power_price_cny_kwh"]
    assert "bauxite.modelled_cif_usd_t" not in reached["smelting.power_price_cny_kwh"]  # upstream of power: nothing
    assert {"smelting.output_2026_kt", "demand.balance_2026_kt", "pricing.modelled_price_cny_t"} <= set(
        reached["demand.utilisation_pct"])
    assert reached["pricing.margin_threshold_cny_t"] == []
    assert sweep.unreached(["smelting.power_price_cny_kwh", "pricing.margin_threshold_cny_t"]) == [
        "pricing.margin_threshold_cny_t"]
    # What it means: the outputs are the same in every run.
    runs = sweep.design({"pricing.margin_threshold_cny_t": (0.0, 2000.0)}, samples=20)
    table = sweep.evaluate(runs)
    assert all(table[o.id].nunique() == 1 for o in sweep.OUTPUTS)


def test_cli_sweep_says_so_when_a_varied_parameter_reaches_no_output(tmp_path, capsys):
    from aluminium import cli

    out = tmp_path / "sweep.csv"
    assert cli.main(["sweep", "--vary", "pricing.margin_threshold_cny_t=0:2000", "--vary",
                     "smelting.power_price_cny_kwh=0.3:0.6", "--samples", "50", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "note: pricing.margin_threshold_cny_t is varied but reaches none of the outputs" in err
    assert "smelting.power_price_cny_kwh" not in err
