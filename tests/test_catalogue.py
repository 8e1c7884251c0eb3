"""Loading and validating the data package."""
from __future__ import annotations

import pandas as pd
import pytest
import yaml

from aluminium import catalogue
from aluminium.errors import DataError


def test_every_dataset_in_the_package_validates():
    reports = catalogue.validate_all()
    names = {r["name"] for r in catalogue.resources()}
    assert {r.resource for r in reports} == names
    assert all(r.rows > 0 for r in reports)


def test_every_numeric_column_names_its_unit():
    for res in catalogue.resources():
        for f in res["schema"]["fields"]:
            if f["type"] in ("integer", "number") and f["name"] not in ("year",):
                assert f.get("unit"), f"{res['name']}.{f['name']} has no unit"


def test_every_resource_has_provenance():
    sources = {s["name"] for s in catalogue.catalogue()["sources"]}
    for res in catalogue.resources():
        assert res.get("source") in sources, res["name"]
        assert res.get("location"), res["name"]
        assert res.get("as_of"), res["name"]
        assert res.get("title") and res.get("description"), res["name"]


def test_load_returns_typed_frame_with_its_catalogue_entry():
    df = catalogue.load("demand-china-primary-balance")
    assert pd.api.types.is_integer_dtype(df["year"])
    assert pd.api.types.is_float_dtype(df["supply_kt"])
    assert df.attrs["resource"]["name"] == "demand-china-primary-balance"


def _corrupt(data_dir, name, mutate):
    res = next(r for r in yaml.safe_load((data_dir / "datapackage.yaml").read_text())["resources"]
               if r["name"] == name)
    path = data_dir / res["path"]
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    changed = mutate(df)  # mutates in place, or returns a new frame
    df = df if changed is None else changed
    df.to_csv(path, index=False)
    return path


def test_a_non_numeric_value_is_refused_naming_file_line_and_column(data_copy):
    path = _corrupt(data_copy, "demand-china-primary-balance", lambda df: df.__setitem__("supply_kt", ["x"] + list(df["supply_kt"][1:])))
    with pytest.raises(DataError) as exc:
        catalogue.load("demand-china-primary-balance", data_copy)
    msg = str(exc.value)
    assert str(path) in msg and "line 2" in msg and "supply_kt" in msg and "type" in msg


def test_a_missing_column_is_refused(data_copy):
    path = _corrupt(data_copy, "demand-china-primary-balance", lambda df: df.drop(columns=["demand_kt"]))
    with pytest.raises(DataError, match="missing column.*demand_kt") as exc:
        catalogue.load("demand-china-primary-balance", data_copy)
    assert str(path) in str(exc.value)


def test_a_broken_balance_row_is_refused_with_the_rule(data_copy):
    def mutate(df):
        df.loc[3, "balance_kt"] = "9999"
    _corrupt(data_copy, "demand-china-primary-balance", mutate)
    with pytest.raises(DataError, match=r"line 5 \(year=2020\).*row_expression"):
        catalogue.load("demand-china-primary-balance", data_copy)


def test_a_flagged_row_is_reported_not_refused(data_copy):
    def mutate(df):
        df.loc[3, "balance_kt"] = "9999"
        df.loc[3, "flag"] = "test: the report prints a balance that does not add up"
    _corrupt(data_copy, "demand-china-primary-balance", mutate)
    res = catalogue.resource("demand-china-primary-balance", data_copy)
    _, report = catalogue.read_resource(res, data_copy)
    assert [f.line for f in report.flags] == [5]
    assert "does not add up" in report.flags[0].reason


def test_a_negative_value_breaks_the_minimum(data_copy):
    def mutate(df):
        df.loc[0, "demand_kt"] = "-5"
    _corrupt(data_copy, "demand-china-primary-balance", mutate)
    with pytest.raises(DataError, match="demand_kt.*minimum"):
        catalogue.load("demand-china-primary-balance", data_copy)


def test_unknown_dataset_suggests_the_close_name():
    with pytest.raises(DataError, match="did you mean 'demand-china-primary-balance'"):
        catalogue.load("demand-china-primary-balanse")


def test_malformed_catalogue_names_the_file(data_copy):
    (data_copy / "datapackage.yaml").write_text("resources: [unclosed\n")
    with pytest.raises(DataError, match="datapackage.yaml: malformed YAML"):
        catalogue.catalogue(data_copy)


def test_a_negative_capacity_is_refused(data_copy):
    def mutate(df):
        df.loc[0, "capacity_kt"] = "-420"
    path = _corrupt(data_copy, "smelting-smelter-projects-china", mutate)
    with pytest.raises(DataError, match=r"line 2 .*column 'capacity_kt' value -420.0 breaks rule 'minimum 0'") as exc:
        catalogue.load("smelting-smelter-projects-china", data_copy)
    assert str(path) in str(exc.value)


def test_a_share_over_100_pct_is_refused(data_copy):
    def mutate(df):
        df.loc[0, "share_pct"] = "120"
    _corrupt(data_copy, "bauxite-production-share-by-country", mutate)
    with pytest.raises(DataError, match=r"line 2 \(year=2015, country=Australia\): column 'share_pct' value 120.0 breaks rule 'maximum 100'"):
        catalogue.load("bauxite-production-share-by-country", data_copy)


def test_shares_summing_over_100_pct_are_refused_with_the_group(data_copy):
    def mutate(df):
        row = df.index[(df["year"] == "2016") & (df["country"] == "Australia")][0]
        df.loc[row, "share_pct"] = "90"
    _corrupt(data_copy, "bauxite-production-share-by-country", mutate)
    with pytest.raises(DataError, match=r"rule 'sum_at_most' failed: sum of share_pct is .* expected ≤ 100 ± 0.5 for \{'year': 2016\}"):
        catalogue.load("bauxite-production-share-by-country", data_copy)


def test_a_column_in_the_wrong_unit_is_refused(data_copy):
    path = _corrupt(data_copy, "demand-china-primary-balance", lambda df: df.rename(columns={"supply_kt": "supply_mt"}))
    with pytest.raises(DataError, match=r"column 'supply_mt' is in the wrong unit: .* declares 'supply_kt' \(kt\)") as exc:
        catalogue.load("demand-china-primary-balance", data_copy)
    assert str(path) in str(exc.value)


def test_a_catalogue_unit_that_contradicts_the_column_name_is_refused(data_copy):
    cat = data_copy / "datapackage.yaml"
    doc = yaml.safe_load(cat.read_text())
    res = next(r for r in doc["resources"] if r["name"] == "demand-china-primary-balance")
    next(f for f in res["schema"]["fields"] if f["name"] == "supply_kt")["unit"] = "Mt"
    cat.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    with pytest.raises(DataError, match=r"column 'supply_kt' is named in kt but catalogue entry 'demand-china-primary-balance' gives unit 'Mt'"):
        catalogue.load("demand-china-primary-balance", data_copy)
