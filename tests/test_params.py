"""Parameters: declaration, defaults with provenance, parsing and rejection of bad overrides."""
from __future__ import annotations

import json

import pytest

from aluminium import cli, params
from aluminium.errors import ParameterError
from aluminium.params import Param
from aluminium.paths import CHAPTERS

POWER = "smelting.power_price_cny_kwh"


def test_every_parameter_is_named_typed_and_sourced():
    reg = params.registry()
    assert reg, "no parameters declared"
    for name, p in reg.items():
        chapter, short = name.split(".", 1)
        assert chapter in CHAPTERS and short.isidentifier(), name
        assert p.unit and p.description, name
        assert p.source(), f"{name}: default has no stated origin"
        default = p.default()
        assert p.check(default) == default, f"{name}: default {default!r} fails its own checks"


def test_the_registry_is_built_once():
    # Every lookup and validation reads one registry, not a fresh walk of the stages.
    assert params.registry() is params.registry()
    assert params.lookup(POWER) is params.registry()[POWER]


def test_set_values_are_parsed_to_the_parameter_type():
    out = params.validate(params.parse_set([f"{POWER}=0.45"]))
    assert out == {POWER: 0.45} and isinstance(out[POWER], float)


def test_unknown_parameter_suggests_the_closest_name():
    with pytest.raises(ParameterError, match=r"unknown parameter 'smelting.power_price_cny_kw'.*did you mean 'smelting.power_price_cny_kwh'"):
        params.validate({"smelting.power_price_cny_kw": 0.4})


def test_wrong_type_is_refused_naming_the_parameter():
    with pytest.raises(ParameterError, match=rf"'{POWER}' takes a float.*'cheap'"):
        params.validate({POWER: "cheap"})


def test_out_of_range_is_refused_with_the_range():
    p = params.lookup(POWER)
    with pytest.raises(ParameterError, match=rf"'{POWER}' = .* is out of range"):
        params.validate({POWER: (p.maximum or 0) + 100})


def test_set_without_equals_and_set_twice_are_refused():
    with pytest.raises(ParameterError, match="expected NAME=VALUE"):
        params.parse_set([POWER])
    with pytest.raises(ParameterError, match="set twice"):
        params.parse_set([f"{POWER}=0.4", f"{POWER}=0.5"])


def test_params_file_flat_or_grouped(tmp_path):
    flat = tmp_path / "flat.yml"
    flat.write_text(f"{POWER}: 0.41\n")
    grouped = tmp_path / "grouped.yml"
    grouped.write_text("smelting:\n  power_price_cny_kwh: 0.42\n")
    assert params.read_params_file(flat) == {POWER: 0.41}
    assert params.read_params_file(grouped) == {POWER: 0.42}


def test_params_file_with_a_key_twice_is_refused_with_line(tmp_path):
    f = tmp_path / "twice.yml"
    f.write_text(f"{POWER}: 0.41\n{POWER}: 0.42\n")
    with pytest.raises(ParameterError, match=r"twice.yml, line 2: key .* is given twice"):
        params.read_params_file(f)


def test_params_file_with_malformed_yaml_names_the_file(tmp_path):
    f = tmp_path / "bad.yml"
    f.write_text("smelting: [0.4\n")
    with pytest.raises(ParameterError, match="bad.yml, line 2: malformed YAML"):
        params.read_params_file(f)


def test_param_default_from_fact_and_check_of_bool_and_int():
    p = Param("smelting.x_kt", "int", "kt", "test", value=3, origin="test", minimum=0, maximum=10)
    assert p.check("4") == 4
    with pytest.raises(ParameterError):
        p.check(True)
    with pytest.raises(ParameterError):
        p.check(11)
    b = Param("bauxite.flag", "bool", "flag", "test", value=False, origin="test")
    assert b.check("true") is True
    with pytest.raises(ParameterError):
        b.check(1)


def test_path_parameter_must_exist(tmp_path):
    p = Param("pricing.some_file", "path", "file", "test", value="", origin="test")
    assert p.check("") == ""
    f = tmp_path / "x.xlsx"
    f.write_text("x")
    assert p.check(str(f)) == str(f.resolve())
    with pytest.raises(ParameterError, match="file not found"):
        p.check(str(tmp_path / "missing.xlsx"))


def test_in_force_marks_changed_values():
    defaults = params.defaults("smelting")
    namespace = {"power_price_cny_kwh": defaults["power_price_cny_kwh"] + 0.01}
    table = params.in_force("smelting", namespace).table()
    changed = table.loc[table["changed"] != "", "parameter"].tolist()
    assert changed == [POWER]


def test_cli_params_json_lists_every_parameter(capsys):
    assert cli.main(["params", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in rows} == set(params.registry())
    assert all({"unit", "default", "source", "description"} <= set(r) for r in rows)


def test_cli_build_refuses_a_bad_parameter_before_running_anything(capsys, tmp_path):
    out = tmp_path / "html"
    assert cli.main(["build", "--set", "smelting.power_price_cny_kw=0.4", "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert "unknown parameter 'smelting.power_price_cny_kw'" in err
    assert not out.exists()


def test_a_shared_parameter_is_declared_once_and_reaches_every_chapter_that_uses_it():
    names = [p.name for p in params.registry().values()]
    assert len(names) == len(set(names))
    for chapter in ("alumina", "smelting"):
        assert "usd_cny" in params.defaults(chapter)
    assert params.for_chapter({"macro.usd_cny": 7.3}, "alumina") == {"usd_cny": 7.3}
    # Demand does not read the rate itself, but its balance lies downstream of it in the chain
    # (the alumina cost and the import window), so the chain in that chapter gets it by full name.
    assert params.for_chapter({"macro.usd_cny": 7.3}, "demand") == {"macro.usd_cny": 7.3}
    table = params.in_force("alumina", dict(params.defaults("alumina"), usd_cny=7.3)).table()
    row = table.set_index("parameter").loc["macro.usd_cny"]
    assert row["changed"] == "changed" and "set in the macro chapter" in row["description"]


def test_every_bad_parameter_is_reported_at_once(tmp_path):
    f = tmp_path / "several.yml"
    f.write_text("smelting:\n  power_price_cny_kw: 0.4\n  alumina_price_cny_t: cheap\n"
                 "  power_kwh_per_t: -5\ndemand:\n  utilisation_pct: 95\n")
    with pytest.raises(ParameterError) as exc:
        params.read_params_file(f)
    msg = str(exc.value)
    assert msg.startswith(f"{f}: 3 problems with the parameters:")
    assert "unknown parameter 'smelting.power_price_cny_kw'; did you mean 'smelting.power_price_cny_kwh'" in msg
    assert "'smelting.alumina_price_cny_t' takes a float" in msg
    assert "'smelting.power_kwh_per_t' = -5.0 is out of range" in msg
    assert "utilisation_pct" not in msg  # the good one is not reported


def test_a_single_bad_parameter_keeps_the_one_line_message():
    with pytest.raises(ParameterError) as exc:
        params.validate({POWER: "cheap", "demand.utilisation_pct": 95}, "my.yml")
    assert str(exc.value).startswith(f"my.yml: parameter '{POWER}' takes a float")
    assert "\n" not in str(exc.value)


def test_cli_reports_every_bad_set_value_and_exits_2(capsys, tmp_path):
    out = tmp_path / "html"
    code = cli.main(["build", "--set", "smelting.power_price_cny_kw=0.4", "--set", "smelting.power_kwh_per_t=-1",
                     "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "2 problems" in err and "power_price_cny_kw'" in err and "power_kwh_per_t' = " in err
    assert not out.exists()
