"""The people table's formulas, checks and ``to_workforce`` with known answers.

Hand-built tables of a few people on the tiny scenario (loaded once); no model run.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from asnsim.people import (
    COLUMNS,
    check_people,
    competency_ceiling,
    draw_days_in_post,
    draw_practice_days,
    estimate_tenure,
    is_manager,
    learning_rate,
    qualification_table,
    retirement_age,
    to_workforce,
)
from asnsim.scenario import load_scenario
from asnsim.units import build_units
from asnsim.vocab import EDUCATION_LEVELS, FUNCTIONAL_LEVELS, POSITION_TYPES

TINY = Path(__file__).parent / "data" / "tiny.yaml"


@pytest.fixture(scope="module")
def town():
    scenario = load_scenario(TINY)
    return scenario, build_units(scenario)


def _pos(name):
    return POSITION_TYPES.index(name)


def test_retirement_age_by_post_and_level():
    f = _pos("fungsional")
    position = np.array([_pos("jpt"), _pos("administrator"), _pos("pelaksana"), f, f, f, f])
    levels = ["ahli_utama", "ahli_madya", "ahli_muda", "keterampilan"]
    level = np.array([-1, -1, -1] + [FUNCTIONAL_LEVELS.index(lv) for lv in levels])
    ages = retirement_age(position, level)
    np.testing.assert_array_equal(ages, [60, 58, 58, 65, 60, 58, 58])


def test_is_manager_and_ceiling():
    position = np.array([_pos(p) for p in POSITION_TYPES])
    expected = [p in ("jpt", "administrator", "pengawas") for p in POSITION_TYPES]
    np.testing.assert_array_equal(is_manager(position), expected)
    out = competency_ceiling(np.array([True, False, False]), np.array([0.2, 0.3, 0.9]), 0.7)
    np.testing.assert_allclose(out, [1.0, 0.7, 0.9])


def test_draws_by_hand(town):
    scenario, _ = town
    a = scenario.assumptions.model_copy(
        update={"entry_age_min": 20.0, "entry_age_max": 30.0, "pppk_tenure_max": 4.0,
                "posting_years_max": 5.0, "prior_practice_years": 2.0}
    )  # fmt: skip
    age = np.array([40.0, 40.0, 22.0])
    pppk = np.array([False, True, False])
    u = np.random.default_rng(1).uniform(0, 1, 6)
    entry = 20.0 + 10.0 * u[:3]
    cap = 4.0 * u[3:]
    tenure = estimate_tenure(age, pppk, np.random.default_rng(1), a)
    want = np.maximum(0.0, age - entry)
    want[1] = min(want[1], cap[1])
    np.testing.assert_allclose(tenure, want)
    years = np.array([2.0, 10.0])
    u = np.random.default_rng(2).uniform(0, 1, 2)
    days = draw_days_in_post(years, np.random.default_rng(2), a, 100)
    np.testing.assert_array_equal(days, np.floor(u * np.array([2.0, 5.0]) * 100))
    practice = draw_practice_days(np.array([10.0, 0.0]), np.random.default_rng(2), a, 100)
    np.testing.assert_allclose(practice, np.array([10.0, 0.0]) + u * 2.0 * 100)


def test_qualification_table_of_the_scenario(town):
    scenario, _ = town
    names, table = qualification_table(scenario)
    assert names == list(scenario.city.workforce.field_mix)
    assert table.shape == (len(scenario.sector_names), len(names)) and table.dtype == bool
    for s, sector in enumerate(scenario.sector_names):
        assert {names[f] for f in np.flatnonzero(table[s])} == set(scenario.sectors[sector])


def _table(town, n=2):
    scenario, units = town
    people = {name: np.zeros(n, dtype=dtype) for name, (dtype, _) in COLUMNS.items()}
    people["position"][:] = _pos("pelaksana")
    people["level"][:] = -1
    people["age"][:] = 30.0
    people["motivation"][:] = 0.5
    return people


def test_to_workforce_by_hand(town):
    scenario, units = town
    a, dpy = scenario.assumptions, scenario.days_per_year
    names, qualifies = qualification_table(scenario)
    s1 = EDUCATION_LEVELS.index("s1")
    people = _table(town)
    people["education"][:] = s1
    sector = units.sector[0]
    fits = int(np.flatnonzero(qualifies[sector])[0])
    people["field"][:] = fits
    people["unit"][:] = [0, -1]
    people["tenure"][:] = [2.0, 0.0]
    people["days_in_post"][:] = [30.0, 0.0]
    people["practice_days"][:] = [a.learning_half_life_days, 0.0]
    people["competency_offset"][:] = [0.05, 0.0]
    people["newcomer"][:] = [False, True]
    people["motivation"][:] = [0.7, 0.4]
    wf = to_workforce(people, scenario, units, day=1000)
    assert set(wf) >= {"uid", "retire_at", "competency", "floor", "cur", "ceil", "ramp"}
    np.testing.assert_array_equal(wf["uid"], [0, 0])
    np.testing.assert_array_equal(wf["retire_at"], [58.0, 58.0])
    np.testing.assert_array_equal(wf["post_start"], [970, 1000])
    np.testing.assert_array_equal(wf["hire_day"], [1000 - 2 * dpy, 1000])
    assert wf["hire_day"].dtype == np.int64 and wf["post_start"].dtype == np.int64
    base = a.competency_by_education["s1"]
    floor0 = np.clip(base + a.field_match_bonus * qualifies[:, fits] + 0.05, 0, 1)
    floor1 = np.clip(base + a.field_match_bonus * qualifies[:, fits], 0, 1)
    np.testing.assert_allclose(wf["floor"], [floor0, floor1])
    # a half-life of practice closes half the gap from floor to ceiling 1 (the field fits)
    low = floor0[sector]
    np.testing.assert_allclose(wf["cur"], [1.0 - (1.0 - low) / 2, 0.0])
    np.testing.assert_allclose(wf["ceil"], [1.0, 1.0])
    np.testing.assert_allclose(wf["competency"][0, sector], wf["cur"][0])
    np.testing.assert_allclose(wf["competency"][1], floor1)
    target = a.motivation_target
    np.testing.assert_allclose(wf["motivation_offset"], [0.7 - target, 0.4 - target])
    np.testing.assert_allclose(wf["disposition"], [0.7 - target, 0.4 - target])
    np.testing.assert_allclose(wf["ramp"], [1.0, a.ramp_start])
    np.testing.assert_array_equal(wf["present"], [1.0, 1.0])
    np.testing.assert_array_equal(wf["output_year"], [0.0, 0.0])
    np.testing.assert_array_equal(wf["jp_year"], [0.0, 0.0])
    assert wf["last_rating"].tolist() == [-1, -1] and wf["last_rating"].dtype == np.int8
    np.testing.assert_array_equal(wf["motivation"], [0.7, 0.4])
    assert wf["motivation"] is not people["motivation"]
    assert 0 < learning_rate(a) < 1


def test_a_mismatched_field_reaches_only_the_mismatch_ceiling(town):
    scenario, units = town
    a = scenario.assumptions
    _, qualifies = qualification_table(scenario)
    sector = units.sector[0]
    misfit = np.flatnonzero(~qualifies[sector])
    assert len(misfit)
    people = _table(town, 1)
    people["field"][:] = misfit[0]
    people["practice_days"][:] = 1e6
    wf = to_workforce(people, scenario, units, day=0)
    assert wf["ceil"][0] == pytest.approx(max(a.mismatch_ceiling, wf["floor"][0, sector]))
    assert wf["cur"][0] == pytest.approx(wf["ceil"][0])


CASES = [
    ("status", 2, "status: 1 rows out of range"),
    ("position", len(POSITION_TYPES), "position: 1 rows"),
    ("position", -1, "position: 1 rows"),
    ("level", 0, "level: 1 rows"),
    ("rank", -1, "rank: 1 rows"),
    ("rank", 99, "rank: 1 rows"),
    ("education", len(EDUCATION_LEVELS), "education: 1 rows"),
    ("education", -1, "education: 1 rows"),
    ("field", -1, "field: 1 rows"),
    ("unit", -2, "unit: 1 rows"),
    ("age", 17.9, "age: 1 rows"),
    ("age", np.inf, "age: 1 rows"),
    ("tenure", -0.1, "tenure: 1 rows"),
    ("tenure", np.nan, "tenure: 1 rows"),
    ("days_in_post", -1.0, "days_in_post: 1 rows"),
    ("days_in_post", np.inf, "days_in_post: 1 rows"),
    ("practice_days", -1.0, "practice_days: 1 rows"),
    ("competency_offset", np.nan, "competency_offset: 1 rows"),
    ("motivation", 1.1, "motivation: 1 rows"),
    ("digital", -0.1, "digital: 1 rows"),
    ("managerial", 1.01, "managerial: 1 rows"),
    ("resistance", -0.01, "resistance: 1 rows"),
]


@pytest.mark.parametrize(("column", "value", "says"), CASES)
def test_each_rule_of_the_people_table(town, column, value, says):
    scenario, units = town
    n_fields = len(qualification_table(scenario)[0])
    people = _table(town)
    assert check_people(people, len(units), n_fields) == []
    people[column][1] = value
    problems = check_people(people, len(units), n_fields)
    assert problems[0].startswith(says)
    # an infinite posting is also longer than the practice
    assert len(problems) == 1 + (column == "days_in_post" and value == np.inf)


def test_the_edges_that_are_allowed(town):
    scenario, units = town
    n_fields = len(qualification_table(scenario)[0])
    people = _table(town, 3)
    people["unit"][:] = [-1, len(units) - 1, 0]
    people["field"][:] = [n_fields - 1, 0, 0]
    people["age"][:] = 18.0
    people["rank"][:] = [0, 0, 16]
    people["position"][:] = [_pos("fungsional"), 0, len(POSITION_TYPES) - 1]
    people["level"][:] = [len(FUNCTIONAL_LEVELS) - 1, -1, -1]
    people["education"][:] = [len(EDUCATION_LEVELS) - 1, 0, 0]
    people["status"][:] = [0, 1, 0]
    for name in ("motivation", "digital", "managerial", "resistance"):
        people[name][:] = [0.0, 1.0, 0.5]
    people["days_in_post"][:] = [0.0, 5.0, 5.0]
    people["practice_days"][:] = [0.0, 5.0, 6.0]
    assert check_people(people, len(units), n_fields) == []
    people["unit"][1] = len(units)
    people["field"][0] = n_fields
    people["level"][0] = len(FUNCTIONAL_LEVELS)
    assert [p.split(":")[0] for p in check_people(people, len(units), n_fields)] == [
        "level", "field", "unit",
    ]  # fmt: skip


def test_table_shape_problems(town):
    scenario, units = town
    people = _table(town)
    people["age"] = np.zeros(3)
    assert check_people(people, 5, 5) == ["columns of different lengths [2, 3]"]
    people = _table(town)
    people["age"] = people["age"].astype(np.float32)
    people["rank"] = people["rank"].astype(np.int64)
    assert check_people(people, 5, 5) == [
        "rank: dtype int64, expected int8",
        "age: dtype float32, expected float64",
    ]
    people = _table(town)
    people["extra"] = np.zeros(2)
    del people["rank"]
    assert check_people(people, 5, 5) == [
        "columns missing ['rank'], unknown ['extra']; expected those of COLUMNS"
    ]
    with pytest.raises(ValueError, match="^not a valid people table: columns missing"):
        to_workforce(people, scenario, units, day=0)
