"""Loading and validating the data package."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from aluminium import audit
from aluminium.data import catalogue
from aluminium.errors import DataError

ROOT = Path(__file__).resolve().parent.parent


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


def _write_lines(path, transform):
    text = path.read_text(encoding="utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = transform(text.rstrip("\r\n").split(newline))
    path.write_text(newline.join(lines) + newline, encoding="utf-8", newline="")


def test_a_repeated_composite_key_names_both_lines(data_copy):
    path = data_copy / "smelting" / "running_capacity_change_by_province.csv"
    _write_lines(path, lambda lines: [*lines[:10], lines[3], *lines[10:]])
    with pytest.raises(DataError) as exc:
        catalogue.load("smelting-running-capacity-change-by-province", data_copy)
    assert str(exc.value).startswith(f"{path}, line 11 (month=2021-01, province=")
    assert "primary key (month, province) repeats line 4" in str(exc.value)


def test_a_missing_month_of_a_province_is_refused_with_the_coverage_rule(data_copy):
    path = data_copy / "smelting" / "running_capacity_change_by_province.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    # Drop one province's row for 2022-03 and add a row for a month outside the range instead,
    # so the row count alone would not notice.
    def swap(lines):
        i = next(i for i, ln in enumerate(lines) if ln.startswith("2022-03,Henan,"))
        moved = lines[i].replace("2022-03,", "2019-01,", 1)
        return [*lines[:i], *lines[i + 1:], moved]
    _write_lines(path, swap)
    assert header[:2] == ["month", "province"]
    with pytest.raises(DataError, match=r"rule 'covers' failed: no row with month = 2022-03 for \{'province': 'Henan'\}"):
        catalogue.load("smelting-running-capacity-change-by-province", data_copy)


def test_deleted_rows_are_refused_with_the_expected_count(data_copy):
    path = data_copy / "bauxite" / "guinea_railways.csv"
    _write_lines(path, lambda lines: lines[:-2])
    with pytest.raises(DataError, match=r"guinea_railways.csv: 9 data row\(s\), fewer than the 11"):
        catalogue.load("bauxite-guinea-railways", data_copy)


def test_a_short_line_is_refused_not_padded_with_empty_values(data_copy):
    path = data_copy / "demand" / "china_primary_balance.csv"
    _write_lines(path, lambda lines: [*lines[:3], lines[3].rsplit(",", 2)[0], *lines[4:]])
    with pytest.raises(DataError, match=r"china_primary_balance.csv, line 4: 5 field\(s\) but the header has 7 \(too few"):
        catalogue.load("demand-china-primary-balance", data_copy)


def test_blank_lines_are_skipped_and_line_numbers_stay_true(data_copy):
    path = data_copy / "demand" / "china_primary_balance.csv"
    def mutate(lines):
        lines = [*lines[:2], "", *lines[2:]]
        lines[5] = lines[5].replace(lines[5].split(",")[5], "9999", 1)  # balance_kt of the 2020 row
        return lines
    _write_lines(path, mutate)
    with pytest.raises(DataError, match=r"line 6 \(year=2020\).*row_expression"):
        catalogue.load("demand-china-primary-balance", data_copy)


def test_a_renamed_total_row_is_refused(data_copy):
    path = data_copy / "smelting" / "smelter_projects_china.csv"
    _write_lines(path, lambda lines: [ln.replace("Total,", "All projects,", 1) for ln in lines])
    with pytest.raises(DataError, match=r"rule 'total_equals_parts' failed: no row with project = Total"):
        catalogue.load("smelting-smelter-projects-china", data_copy)


def _edit_catalogue(data_copy, edit):
    cat = data_copy / "datapackage.yaml"
    doc = yaml.safe_load(cat.read_text(encoding="utf-8"))
    edit({r["name"]: r for r in doc["resources"]})
    cat.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_every_table_must_declare_its_key_and_row_count(data_copy):
    _edit_catalogue(data_copy, lambda r: r["bauxite-guinea-railways"]["schema"].pop("primaryKey"))
    with pytest.raises(DataError, match="entry 'bauxite-guinea-railways' declares no primaryKey"):
        catalogue.resources(data_copy)
    shutil.copy(ROOT / "data" / "datapackage.yaml", data_copy / "datapackage.yaml")
    _edit_catalogue(data_copy, lambda r: r["bauxite-guinea-railways"].pop("checks"))
    with pytest.raises(DataError, match="entry 'bauxite-guinea-railways' declares no row_count"):
        catalogue.resources(data_copy)


def test_an_unknown_check_or_field_type_is_a_catalogue_error(data_copy):
    _edit_catalogue(data_copy, lambda r: r["bauxite-guinea-railways"]["checks"].append({"type": "sum_equal"}))
    with pytest.raises(DataError, match="entry 'bauxite-guinea-railways': unknown check"):
        catalogue.resources(data_copy)


def test_a_claim_pointing_at_a_missing_fact_is_refused(data_copy):
    path = data_copy / "claims.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- smelting.capacity_cap_mt\n", "- smelting.capacity_cap_mtt\n", 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"claims.yaml, line \d+ \(claim '.*'\): input 'smelting.capacity_cap_mtt' is "
                                        r"neither a table of the catalogue nor a fact .*did you mean 'smelting.capacity_cap_mt'"):
        catalogue.validate_all(data_copy)


def test_a_fact_a_parameter_needs_cannot_be_renamed(data_copy):
    path = data_copy / "facts.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("smelting.power_per_aluminium_kwh_per_t,", "smelting.power_per_al_kwh_per_t,", 1),
                    encoding="utf-8", newline="")
    claims = data_copy / "claims.yaml"  # a claim may cite the fact too; this test is about parameters
    claims.write_text(claims.read_text(encoding="utf-8").replace("smelting.power_per_aluminium_kwh_per_t",
                                                                 "smelting.power_per_al_kwh_per_t"), encoding="utf-8")
    with pytest.raises(DataError, match=r"facts.csv: no fact with id 'smelting.power_per_aluminium_kwh_per_t', which "
                                        r"parameter 'smelting.power_kwh_per_t' takes its default from"):
        audit.validate_all(data_copy)  # the door: the data, then each parameter's fact


def test_renaming_a_country_the_chapter_reads_is_refused(data_copy):
    # Every row still there, keys still unique: only the coverage rule sees that Guinea is gone.
    path = data_copy / "bauxite" / "production_share_by_country.csv"
    _write_lines(path, lambda lines: [ln.replace(",Guinea,", ",Guinée,") for ln in lines])
    with pytest.raises(DataError, match=r"rule 'covers' failed: no row with country = Guinea for \{'year': 2015\}"):
        catalogue.load("bauxite-production-share-by-country", data_copy)


@pytest.mark.parametrize(("fact_id", "value"), [("smelting.capacity_cap_mt", "-45"),
                                                 ("bauxite.china_production_share_pct", "120")])
def test_a_negative_tonnage_or_a_share_over_100_pct_in_facts_is_refused(data_copy, fact_id, value):
    def mutate(df):
        df.loc[df["id"] == fact_id, "value"] = value
    _corrupt(data_copy, "facts", mutate)
    with pytest.raises(DataError, match=rf"facts.csv, line \d+ \(id={fact_id}\): rule 'row_expression' failed"):
        catalogue.load("facts", data_copy)
