"""The small computations behind the chapters' sections on the rest of the reports' argument."""
from __future__ import annotations

import pandas as pd
import pytest

from aluminium.data import catalogue
from aluminium.stages import argument as arg


def test_hydro_backed_capacity_weights_capacity_by_the_hydro_share():
    running = pd.DataFrame({"province": ["A", "B"], "running_capacity_kt": [1000.0, 400.0]})
    t = arg.hydro_backed_capacity(running, {"A": (80, 85), "B": (20, 25)}).set_index("province")
    assert t.loc["A", "hydro_backed_low_kt"] == 800 and t.loc["B", "hydro_backed_high_kt"] == 100
    with pytest.raises(ValueError, match="no hydro share"):
        arg.hydro_backed_capacity(running, {"A": (80, 85)})
    with pytest.raises(ValueError, match="low ≤ high"):
        arg.hydro_backed_capacity(running, {"A": (90, 85), "B": (20, 25)})


def test_southwest_exposure_from_the_reports():
    t = arg.southwest_hydro_exposure().set_index("province")
    # Yunnan 5,780 kt at 80–85 % hydro; Guangxi 2,800 kt at 20–25 %
    assert t.loc["Yunnan", "hydro_backed_low_kt"] == pytest.approx(4624)
    assert t.loc["Guangxi", "hydro_backed_high_kt"] == pytest.approx(700)
    assert t["running_capacity_kt"].sum() == pytest.approx(11180)


def test_ingot_and_payback_and_alumina_cost():
    assert arg.ingot_kt(1000, 70.7) == pytest.approx(293)
    with pytest.raises(ValueError):
        arg.ingot_kt(1000, 120)
    with pytest.raises(ValueError):
        arg.ingot_kt(-1, 50)
    assert arg.payback_years(22000, 5500) == pytest.approx(4)
    with pytest.raises(ValueError):
        arg.payback_years(22000, 0)
    assert arg.alumina_cost_change_cny_t(-2100, 1.93) == pytest.approx(-4053)
    assert arg.per_tonne(50e6, 57500) == pytest.approx(869.57, abs=0.01)
    with pytest.raises(ValueError):
        arg.per_tonne(1, 0)


def test_tariff_restart_response_shrinks():
    t = arg.tariff_restart_response().set_index("year")
    assert t.loc["2018", "restarted_kt_per_tariff_point"] == pytest.approx(15)
    assert t.loc["2025", "restarted_kt_per_tariff_point"] == pytest.approx(57.5 / 50)


def test_niches_and_exports_and_remainders():
    n = arg.niches_against_demand({"x": (100, 200)}, 40000)
    assert list(n.iloc[0][["low_share_pct", "high_share_pct"]]) == pytest.approx([0.25, 0.5])
    ex = arg.exports_a_year_earlier(catalogue.load("demand-aluminium-exports-jan-oct-2025")).set_index("product")
    assert ex.loc["aluminium semis", "export_a_year_earlier_kt"] == pytest.approx(4572 / 0.884)
    assert ex.loc["aluminium products", "change_kt"] == pytest.approx(2926 - 2926 / 1.11)
    with pytest.raises(ValueError):
        arg.exports_a_year_earlier(pd.DataFrame({"product": ["x"]}))
    assert arg.remainder_pct(pd.Series([47.2, 23.0, 24.1])) == pytest.approx(5.7)
    with pytest.raises(ValueError, match="more than 100"):
        arg.remainder_pct(pd.Series([60, 50]))
