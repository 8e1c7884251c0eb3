"""Macro chapter models: import parity, Fed path, power costs, Russian import volumes."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from aluminium import audit, params
from aluminium.data import facts
from aluminium.stages import macro

BASE = dict(lme_usd_t=2000.0, usd_cny=7.0, vat_pct=13.0, duty_pct=0.0, premium_usd_t=0.0, fees_cny_t=0.0)


def test_import_parity_hand_case():
    # 2000 × 7 × 1.13 = 15,820
    assert macro.import_parity_cny_t(**BASE) == pytest.approx(15820)
    # premium 100 USD/t, duty 5 %, fees 200: 2100 × 7 × 1.05 × 1.13 + 200 = 17,641.85
    got = macro.import_parity_cny_t(2000, 7, 13, 5, premium_usd_t=100, fees_cny_t=200)
    assert got == pytest.approx(2100 * 7 * 1.05 * 1.13 + 200)


def test_import_window_sign():
    assert macro.import_window_cny_t(16000, 15820) == pytest.approx(180)  # open
    assert macro.import_window_cny_t(15000, 15820) == pytest.approx(-820)  # shut


def test_breakevens_close_the_window_exactly():
    lme = macro.breakeven_lme_usd_t(16000, 7, 13, 5, premium_usd_t=100, fees_cny_t=200)
    parity = macro.import_parity_cny_t(lme, 7, 13, 5, premium_usd_t=100, fees_cny_t=200)
    assert parity == pytest.approx(16000)
    prem = macro.breakeven_premium_usd_t(16000, 2000, 7, 13, 0)
    assert prem == pytest.approx(16000 / (7 * 1.13) - 2000)
    assert macro.import_window_cny_t(16000, macro.import_parity_cny_t(2000, 7, 13, 0, premium_usd_t=prem)) == pytest.approx(0)


@pytest.mark.parametrize("kwargs", [
    {"lme_usd_t": 0}, {"lme_usd_t": float("nan")}, {"usd_cny": -1}, {"vat_pct": -1}, {"premium_usd_t": -5},
    {"lme_usd_t": "abc"},
])
def test_bad_inputs_are_refused(kwargs):
    with pytest.raises(ValueError):
        macro.import_parity_cny_t(**{**BASE, **kwargs})


def test_parity_sensitivity_orders_by_swing():
    table = macro.parity_sensitivity(BASE, 16000, {"usd_cny": (6.5, 7.5), "vat_pct": (9, 13)})
    assert list(table["input"]) == ["usd_cny", "vat_pct"]
    assert table.loc[0, "swing_cny_t"] == pytest.approx(2000 * 1.13)
    assert table.attrs["base_window_cny_t"] == pytest.approx(180)
    with pytest.raises(ValueError, match="not an input"):
        macro.parity_sensitivity(BASE, 16000, {"tariff": (0, 1)})


def test_cumulative_cuts_and_cuts_between():
    path = pd.DataFrame({"period": ["a", "b", "c"], "cut_bp": [25, 25, 50]})
    assert list(macro.cumulative_cuts(path)["cumulative_bp"]) == [25, 50, 100]
    with pytest.raises(ValueError):
        macro.cumulative_cuts(path.rename(columns={"cut_bp": "x"}))
    with pytest.raises(ValueError):
        macro.cumulative_cuts(pd.DataFrame({"cut_bp": [25, None]}))
    assert macro.cuts_between(4.25, 3.5) == pytest.approx(3)
    assert macro.cuts_between(3.5, 3.5) == 0
    with pytest.raises(ValueError):
        macro.cuts_between(4, 3, step_bp=0)


def test_power_cost():
    assert macro.power_cost_usd_t(100, 13500) == pytest.approx(1350)
    assert macro.power_cost_usd_t(0, 13500) == 0
    with pytest.raises(ValueError):
        macro.power_cost_usd_t(-1, 13500)


def test_share_and_previous_period():
    assert macro.share_volume_kt(1367, 80) == pytest.approx(1093.6)
    with pytest.raises(ValueError):
        macro.share_volume_kt(100, 120)
    assert macro.previous_period_kt(200, 100) == pytest.approx(100)
    with pytest.raises(ValueError):
        macro.previous_period_kt(200, -100)


def test_parameter_defaults_resolve_within_range():
    defaults = params.defaults("macro")
    # The dated LME (World Bank, November 2024); the aluminium price is the chain's (a pin, unset).
    assert defaults["lme_price_usd_t"] == pytest.approx(2582.19)
    assert defaults["aluminium_price_cny_t"] > 0
    assert defaults["data_centre_power_price_usd_mwh"] == 100
    for p in params.chapter_params("macro"):
        value = defaults[p.short]
        assert p.check(value) == value
        assert p.source(), p.name


def test_claims_run():
    fns = audit.registered()
    for cid in ("macro.goldman_2024_total_cuts_bp", "macro.fed_cuts_2025_count", "macro.fed_funds_range_repeated_upper_pct"):
        v = fns[cid]()
        assert not math.isnan(v)
    assert fns["macro.goldman_2024_total_cuts_bp"]() == 125
    assert fns["macro.fed_cuts_2025_count"]() == pytest.approx(3)


def test_power_competition():
    df = macro.power_competition(13500, 35, 100)
    assert list(df["power_cost_usd_t"]) == pytest.approx([472.5, 1350])
    assert df.loc[1, "extra_vs_smelter_usd_t"] == pytest.approx(877.5)
    with pytest.raises(ValueError):
        macro.power_competition(13500, -1, 100)


def test_facts_frame_and_property_and_russia():
    f = facts.frame(["macro.fed_cuts_2025_count"])
    assert f.loc[0, "value"] == 3 and f.loc[0, "source"] == "zijin2025"
    p = macro.property_vs_price()
    assert set(p["year"]) == {2022, 2024}
    assert p.set_index("fact").loc["macro.china_property_completions_yoy_2024_pct", "change_pct"] == -27.7
    r = macro.russian_imports().set_index("period")
    assert r.loc["2023 Jan–Nov", "russia_kt"] == pytest.approx(1367 * 0.8)
    assert r.loc["2024 Jan–Oct", "russia_kt"] == pytest.approx(1576.6 / 1.9341)
    assert r.loc["2025 Jan–Oct", "russia_kt"] == 1576.6
