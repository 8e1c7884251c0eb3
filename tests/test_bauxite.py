"""The bauxite chapter's models, parameter defaults and claim recomputations."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from aluminium import audit, params
from aluminium.data import catalogue, facts
from aluminium.stages import bauxite as bx


def test_world_output_from_share():
    assert bx.world_output_from_share(123, 30.75) == pytest.approx(400)
    for bad in (0, 101, float("nan")):
        with pytest.raises(ValueError):
            bx.world_output_from_share(100, bad)


def test_supply_without_and_summary():
    shares = pd.Series({"A": 50.0, "B": 30.0, "C": float("nan")})
    t = bx.supply_without(shares, 200, ["B"]).set_index("country")
    assert t.loc["Rest of world", "share_before_pct"] == 20
    assert t.loc["B", "output_after"] == 0 and t.loc["A", "output_before"] == 100
    assert t.loc["A", "share_after_pct"] == pytest.approx(100 / 140 * 100)
    s = bx.removal_summary(shares, 200, ["B"])
    assert s["output_lost"] == 60 and s["share_lost_pct"] == 30 and s["world_output_after"] == 140
    assert s["hhi_before"] == 2500 + 900
    none = bx.removal_summary(shares, 200, [])
    assert none["output_lost"] == 0 and none["hhi_after"] == pytest.approx(none["hhi_before"])
    with pytest.raises(ValueError):
        bx.supply_without(shares, 200, ["Z"])
    with pytest.raises(ValueError):
        bx.supply_without(shares, 0, [])


def test_supply_from_top_source():
    assert bx.supply_from_top_source_pct(60, 50) == 30
    assert bx.supply_from_top_source_pct(0, 74.5) == 0
    with pytest.raises(ValueError):
        bx.supply_from_top_source_pct(120, 50)


def test_guinea_tables_on_real_data():
    mines = catalogue.load("bauxite-guinea-mine-output")
    chk = bx.guinea_totals_check(mines).set_index("year")
    assert chk.loc[2021, "gap"] == pytest.approx(0, abs=20)
    assert chk.loc[2023, "gap"] == pytest.approx(6070, abs=10)
    g = bx.guinea_growth_table(mines).set_index("year")
    assert math.isnan(g.loc[2021, "growth_pct"])
    assert g.loc[2023, "growth_pct"] == pytest.approx(18.8, abs=0.05)
    with pytest.raises(ValueError):
        bx.guinea_national_output(mines[mines["company"] != bx.GUINEA_TOTAL])


def test_railway_summary():
    df = pd.DataFrame({"status": ["operating", "operating", "planned"], "length_km": [100, 50, 10],
                       "cargo": ["bauxite", None, "bauxite and freight"]})
    s = bx.railway_summary(df).set_index("status")
    assert s.loc["operating", "lines"] == 2 and s.loc["operating", "length_km"] == 150
    assert s.loc["operating", "lines_carrying_bauxite"] == 1 and s.loc["planned", "lines_carrying_bauxite"] == 1


# -- Indonesia ------------------------------------------------------------------------------------
def test_bauxite_need():
    assert bx.bauxite_need_kt(1000, 2.5) == 2500
    assert bx.bauxite_need_kt(0, 2.5) == 0
    for bad in [(-1, 2.5), (1, 0), (float("nan"), 2)]:
        with pytest.raises(ValueError):
            bx.bauxite_need_kt(*bad)


def test_indonesia_need_table():
    df = pd.DataFrame({"project": ["P", "P", "Q", "Total"], "period": ["planned", "2026E", "2027+", "2026E"],
                       "alumina_capacity_kt": [100.0, 100.0, 40.0, 100.0], "bauxite_required_kt": [None, None, None, 250.0]})
    t = bx.indonesia_bauxite_need(df, 2.0).set_index("period")
    assert t.loc["2026E", "bauxite_need_kt"] == 200 and t.loc["2024E", "alumina_added_kt"] == 0
    assert t.loc["2027+", "bauxite_need_cumulative_kt"] == 280
    assert t.loc["2026E", "bauxite_need_printed_kt"] == 250
    assert bx.indonesia_planned_capacity_kt(df) == 100


# -- delivered cost ----------------------------------------------------------------------------------
def test_cif_model():
    assert bx.cif_usd_t(40, 20, 5) == 65
    assert bx.cif_usd_t(40, 20) == 60
    assert bx.freight_share_pct(40, 20) == pytest.approx(100 / 3)
    assert bx.split_cif(62.5, 35) == pytest.approx((40.625, 21.875))
    with pytest.raises(ValueError):
        bx.cif_usd_t(-1, 20)
    with pytest.raises(ValueError):
        bx.freight_share_pct(0, 0)
    with pytest.raises(ValueError):
        bx.split_cif(60, 120)


def test_cif_sensitivity():
    t = bx.cif_freight_sensitivity(40, 20, 0, multiples=[0, 1, 2]).set_index("freight_multiple")
    assert list(t["cif_usd_t"]) == [40, 60, 80]
    assert t.loc[0.0, "freight_share_pct"] == 0 and t.loc[2.0, "freight_share_pct"] == 50


# -- parameters ---------------------------------------------------------------------------------------
def test_parameter_defaults_resolve_and_are_in_range():
    d = params.defaults("bauxite")
    for p in bx.PARAMETERS:
        assert p.check(p.default()) == p.default(), p.name
        assert p.source(), p.name
    assert d["bauxite_per_alumina_t_per_t"] == 2.5
    assert d["freight_usd_t"] == pytest.approx(62.5 * 0.35)
    assert d["fob_usd_t"] + d["freight_usd_t"] == pytest.approx(62.5)
    assert d["indonesia_supply_removed"] is True  # the ban has been in force since June 2023


def test_default_derivations():
    assert bx.default_freight_usd_t() == pytest.approx(21.875)
    assert bx.default_fob_usd_t() == pytest.approx(40.625)


# -- claims -----------------------------------------------------------------------------------------------
def test_bauxite_claim_findings():
    rows = {r.id: r for r in audit.run() if r.chapter == "bauxite"}
    assert rows["bauxite.china_australia_guinea_share_2023"].status == "agrees"
    assert rows["bauxite.world_output_change_2023"].recomputed == pytest.approx(18620)
    assert rows["bauxite.listed_countries_share_2023"].status == "disagrees"


def test_scenario_long_and_facts_table():
    pic = bx.supply_without(pd.Series({"A": 60.0, "B": 40.0}), 100, ["B"])
    long = bx.scenario_long(pic, 2023)
    assert set(long["case"]) == {"As reported, 2023", "Scenario in force"}
    assert long.query("country == 'B' and case == 'Scenario in force'")["output_mt"].iloc[0] == 0
    ft = facts.display_table(["bauxite.freight_share_of_cif_cost_pct", "bauxite.china_import_dependency_since2019_pct",
                         "bauxite.china_self_sufficiency_pct", "bauxite.guangxi_reserves_mt"])
    assert list(ft["value"]) == ["30–40", "≥ 50", "≤ 30", "200"]
    from aluminium.errors import DataError
    with pytest.raises(DataError):
        facts.display_table(["bauxite.no_such_fact"])
