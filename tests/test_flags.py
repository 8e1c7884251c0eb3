"""Flags: each problem of the reports' numbers flagged once, stated in one sentence, grouped for the book."""
from __future__ import annotations

import pandas as pd
import pytest

from aluminium.book import reference_pages as pages
from aluminium.data import catalogue, flags


@pytest.fixture(scope="module")
def groups():
    return flags.groups()


def test_each_problem_is_one_group_with_one_sentence(groups):
    assert len(groups) == 17  # 16, and the built-capacity disagreement (referee problem 7)
    # no problem is repeated under another wording within a table, and none is empty
    keys = [(g.resource, g.problem) for g in groups]
    assert len(keys) == len(set(keys))
    assert all(g.problem.endswith(".") and any(ch.isdigit() for ch in g.problem) for g in groups)
    # a problem is flagged once per group of the rule it breaks, not on every row of the group
    assert sum(g.count for g in groups) == 36


def test_shares_that_do_not_add_up_are_one_finding_with_its_size(groups):
    g = next(g for g in groups if g.resource == "alumina-production-share-by-country")
    assert g.count == 6 and g.rows[0] == "2014 · Other"
    assert g.magnitude == pytest.approx(5.5) and g.unit == "points"
    prov = next(g for g in groups if g.resource == "smelting-running-capacity-change-by-province")
    assert prov.rows == ("2021-09 · Total", "2023-08 · Total") and prov.magnitude == pytest.approx(200)


def test_the_three_conflicts_that_feed_the_models_are_flagged(groups):
    problems = " ".join(g.problem for g in groups if g.resource == "facts")
    assert "80 kg" in problems and "181 kg" in problems          # conventional car
    assert "41.7 Mt" in problems and "44.86 Mt" in problems      # PV 12 % of demand
    assert "from 2025" in problems and "2024E" in problems       # transport overtaking building


def test_non_conflicts_are_not_flagged():
    mines = catalogue.load("bauxite-guinea-mine-output")
    flagged = mines[mines["flag"].fillna("") != ""]
    assert list(flagged["company"]) == ["SPIC"]  # not GAC/COBAD above nameplate, nor CBG "may reach"
    facts = catalogue.load("facts").set_index("id")["flag"].fillna("")
    for fid in ("smelting.cost_share_power_pct_jianghai2024", "smelting.cost_share_power_pct_article2026",
                "demand.pv_module_al_intensity_after_t_per_mw"):
        assert facts[fid] == "", fid


def test_the_two_built_capacity_figures_are_flagged_as_one_disagreement(groups):
    # The referee's problem 7: Guohai's 45,007 kt built (no room below the 45,000 kt cap) against the
    # article's "under 0.8 Mt of room", which implies 44.2–45.0 Mt built: one problem, both rows.
    from aluminium.data.facts import fact

    built = fact("smelting.china_built_capacity_2024_10_kt")
    room = fact("smelting.china_headroom_below_cap_end2025_mt")
    assert built.flag and built.flag == room.flag
    assert built.value > 45000 and f"between {(45000 - room.high * 1000) / 1000:.1f} and 45.0 Mt" in built.flag
    group = next(g for g in groups if g.resource == "facts" and g.problem == built.flag)
    assert group.count == 2


def test_a_rule_failure_needs_only_one_flagged_row_of_its_group(tmp_path):
    """A failing group with one flagged row is a flag (reported once); with none it is an error."""
    from aluminium.errors import DataError
    res = {"name": "t", "path": "t.csv", "schema": {"fields": [
        {"name": "year", "type": "integer"}, {"name": "c", "type": "string"},
        {"name": "share_pct", "type": "number", "unit": "%"}, {"name": "flag", "type": "string"}]},
        "checks": [{"type": "sum_equals", "column": "share_pct", "group_by": ["year"], "target": 100, "tolerance": 0.5}]}
    df = pd.DataFrame({"year": [1, 1], "c": ["a", "b"], "share_pct": [60.0, 50.0], "flag": ["adds to 110 %.", None]})
    out = catalogue._run_checks(res, df, "t.csv", [2, 3])
    assert [(f.line, f.gap) for f in out] == [(2, pytest.approx(10))]
    df["flag"] = None
    with pytest.raises(DataError, match="sum_equals"):
        catalogue._run_checks(res, df, "t.csv", [2, 3])


def test_problem_sentence():
    assert flags.problem_of("sum_equals: sum is 98 — flagged: Adds to 98 %.") == "Adds to 98 %."
    assert flags.problem_of("Plain sentence.") == "Plain sentence."


def test_the_catalogue_page_shows_groups_not_rows():
    text = pages.data_catalogue(catalogue.validate_all())
    assert "17 problems" in text
    assert text.count("In six of the ten years") == 2  # summary table and its table's section, not six times
    assert "line 17" not in text
    assert len(flags.table()) == 17
