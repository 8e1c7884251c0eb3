"""The one label map: every catalogue column and parameter has a human label with its unit."""
from __future__ import annotations

import pandas as pd

from aluminium import params
from aluminium.data import catalogue, labels
from aluminium.numbers import display_unit


def test_every_catalogue_column_has_a_label_with_the_catalogue_unit():
    missing, wrong_unit = [], []
    for res in catalogue.resources():
        for field in res["schema"]["fields"]:
            name, unit = field["name"], field.get("unit", "")
            if not labels.known(name, res["name"]):
                missing.append(f"{res['name']}.{name}")
            elif unit and unit != "see unit column" and labels.unit(name, res["name"]) != unit:
                wrong_unit.append(f"{res['name']}.{name}: {labels.unit(name, res['name'])!r} != {unit!r}")
    assert missing == [] and wrong_unit == []


def test_every_parameter_has_a_label_with_its_unit():
    for p in params.registry().values():
        assert labels.known(p.name), p.name
        if p.unit not in ("file", "switch", "YYYY-MM"):
            assert labels.unit(p.name) == p.unit, p.name


def test_labels_carry_no_machine_names_and_units_in_parentheses():
    for name in labels._table():
        text = labels.label(name)
        assert not labels.MACHINE_NAME.search(text), text
        assert text.count("(") <= 1, f"{name}: {text} (a unit goes in the only parentheses)"
    assert labels.label("smelting.power_price_cny_kwh") == "Power price (CNY/kWh)"
    assert labels.label("power_price_cny_kwh", with_unit=False) == "Power price"
    assert labels.label("year") == "Year"


def test_unknown_names_become_words_and_series_values_labels():
    assert labels.label("spot_minus_contract_mid_cny_t") == "Spot minus contract midpoint (CNY/t)"
    assert labels.label("nev_kt") == "NEV (kt)"
    assert labels.series("consumer_durables") == "Consumer durables"
    assert labels.series("Guinea") == "Guinea" and labels.series(3) == 3
    df = pd.DataFrame({"sector": ["consumer_durables", "building"], "kt": [1, 2]})
    assert labels.relabel(df)["sector"].tolist() == ["Consumer durables", "building"]


def test_tooltips_are_labelled_and_formatted():
    df = pd.DataFrame({"year": [2023, 2024], "share_pct": [40.46, 38.1], "country": ["a", "b"]})
    tips = [t.to_dict() for t in labels.tooltip(df, ["year", "share_pct", "country"])]
    assert tips[0] == {"field": "year", "type": "ordinal", "title": "Year", "format": "d"}
    assert tips[1]["title"] == "Share (%)" and tips[1]["format"] == ",.1f"
    assert display_unit(labels.unit("share_pct")) == "%"
