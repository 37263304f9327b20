"""The people table's formulas, checks and ``to_workforce`` with known answers.

Hand-built tables of a few people on the tiny scenario (loaded once); no model run.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import stats

from asnsim.people import (
    COLUMNS,
    ENTRY_RANK,
    _choice,
    _draw_age,
    _draw_dispositions,
    _draw_posts,
    check_people,
    competency_ceiling,
    draw_days_in_post,
    draw_fields,
    draw_practice_days,
    estimate_tenure,
    is_manager,
    learning_rate,
    qualification_table,
    retirement_age,
    synthetic_people,
    to_workforce,
)
from asnsim.scenario import load_scenario
from asnsim.units import build_units
from asnsim.vocab import EDUCATION_LEVELS, FUNCTIONAL_LEVELS, POSITION_TYPES, RANK_NAMES

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


def test_to_workforce_teachers_retirement_day_and_contracts(town):
    scenario, units = town
    dpy = scenario.days_per_year
    school = int(np.flatnonzero(np.array(units.sectors)[units.sector] == "education")[0])
    people = _table(town, 3)
    people["position"][:] = _pos("fungsional")
    people["level"][:] = FUNCTIONAL_LEVELS.index("ahli_muda")
    people["unit"][:] = [school, 0, -1]  # a school, a health unit, not yet placed
    people["age"][:] = [59.5, 57.5, 27.0]
    people["status"][:] = [0, 1, 1]  # PNS, PPPK, PPPK
    people["tenure"][:] = [30.0, 7.0, 0.0]
    wf = to_workforce(people, scenario, units, day=dpy)
    np.testing.assert_array_equal(wf["teacher"], [True, False, False])
    np.testing.assert_array_equal(wf["retire_at"], [60.0, 58.0, 58.0])
    # half a year to the BUP: month 6 of the next year starts the BUP, the pension month 7
    month7 = dpy + (7 * dpy) // 12
    assert wf["retire_day"][0] == month7 and wf["retire_day"][1] == month7
    term = round(scenario.assumptions.pppk_contract_years * dpy)
    hire = wf["hire_day"]
    np.testing.assert_array_equal(wf["contract_end"], [-1, hire[1] + 2 * term, dpy + term])


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
    assert wf["uid"].dtype == np.int64  # ids are integers (Workforce.uid)
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
    ("rank", len(RANK_NAMES), "rank: 1 rows"),
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


# --------------------------------------------------------------------------- the generator


def _wf(**mix):
    """A stand-in city workforce profile for the draws of posts and ages."""
    base = {"position_mix": {"pelaksana": 1.0}, "functional_level_mix": {"ahli_muda": 1.0},
            "education_mix": {"s1": 1.0}, "pppk_share": 0.0}  # fmt: skip
    return SimpleNamespace(city=SimpleNamespace(workforce=SimpleNamespace(**(base | mix))))


def test_choice_follows_the_mix_of_the_keys_given():
    keys = ("a", "b", "c")
    drawn = _choice(np.random.default_rng(0), {"a": 3.0, "c": 1.0, "z": 50.0}, keys, 4000)
    assert drawn.shape == (4000,) and set(drawn.tolist()) == {0, 2}  # b has no weight
    assert (drawn == 0).mean() == pytest.approx(0.75, abs=0.03)  # z is not a key


def test_posts_levels_education_and_status_from_the_mix():
    scenario = _wf(
        position_mix={"fungsional": 1.0, "pelaksana": 1.0},
        functional_level_mix={"ahli_madya": 1.0},
        education_mix={"s2": 1.0},
        pppk_share=0.25,
    )
    position, level, education, pppk = _draw_posts(np.random.default_rng(0), scenario, 4000, None)
    f = position == _pos("fungsional")
    assert set(position.tolist()) == {_pos("fungsional"), _pos("pelaksana")}
    assert f.mean() == pytest.approx(0.5, abs=0.03)
    assert (level[f] == FUNCTIONAL_LEVELS.index("ahli_madya")).all() and (level[~f] == -1).all()
    assert (education == EDUCATION_LEVELS.index("s2")).all()
    assert position.dtype == level.dtype == education.dtype == np.int8
    assert pppk.dtype == bool and pppk.mean() == pytest.approx(0.25, abs=0.03)
    for share, expected in ((0.0, False), (1.0, True)):
        _, _, _, pppk = _draw_posts(np.random.default_rng(0), _wf(pppk_share=share), 50, None)
        assert (pppk == expected).all()
    two = _wf(position_mix={"fungsional": 1.0},
              functional_level_mix={"ahli_muda": 1.0, "ahli_utama": 1.0})  # fmt: skip
    _, level, _, _ = _draw_posts(np.random.default_rng(0), two, 400, None)
    assert (level == FUNCTIONAL_LEVELS.index("ahli_utama")).mean() == pytest.approx(0.5, abs=0.1)
    given = np.array([True, False, True])
    assert _draw_posts(np.random.default_rng(0), _wf(pppk_share=0.0), 3, given)[3] is given


def test_ages_of_serving_staff_and_of_recruits_stay_in_the_legal_range():
    scenario = _wf(age_bands={"20_39": 0.5, "50_60": 0.5})
    scenario.assumptions = SimpleNamespace(
        serving_age_min=30.0, newcomer_age_mean=27.0, newcomer_age_sd=3.5,
        recruit_years_before_bup=30.0,
    )  # fmt: skip
    bup = np.repeat([58.0, 60.0], 2000)
    age = _draw_age(np.random.default_rng(0), bup, scenario, newcomers=False)
    assert age.min() >= 30.0 and (age < bup).all() and age.max() > 57.0
    # half uniform on 30-40 (mean 35), half on 50-BUP (mean 54 and 55)
    assert age.mean() == pytest.approx((35.0 + 54.5) / 2, abs=0.3)
    # a band above the BUP still leaves everyone strictly below it
    late = _wf(age_bands={"59_65": 1.0})
    late.assumptions = scenario.assumptions
    assert (_draw_age(np.random.default_rng(0), bup, late, newcomers=False) < bup).all()
    young = _draw_age(np.random.default_rng(0), bup, scenario, newcomers=True)
    assert young.min() >= 18.0 and (young <= bup - 30.0).all()
    assert young[:2000].max() > 27.9 and young[2000:].max() > 29.5  # up to 28 and 30
    want = stats.truncnorm.mean(-9.0 / 3.5, 3.0 / 3.5, loc=27.0, scale=3.5)  # 18 - 30
    assert young[2000:].mean() == pytest.approx(want, abs=0.2)
    scenario.assumptions.newcomer_age_sd = 0.0  # every recruit at the mean age
    same = _draw_age(np.random.default_rng(0), bup, scenario, True)
    np.testing.assert_allclose(same, 27.0, atol=1e-5)  # an SD of 1e-6: no division by 0


def test_dispositions_with_no_spread_are_the_means_and_otherwise_clipped(town):
    scenario, _ = town
    means = {"motivation_mean": 0.6, "digital_mean": 0.3, "resistance_mean": 0.2}
    spreads = ("motivation", "digital", "managerial", "resistance")
    flat = scenario.with_overrides(
        {f"city.workforce.{k}": v for k, v in means.items()}
        | {f"assumptions.{k}_sd": 0.0 for k in spreads}
        | {"assumptions.managerial_mean": 0.7}
    )
    got = _draw_dispositions(np.random.default_rng(0), flat, 4)
    assert list(got) == ["motivation", "digital", "managerial", "resistance"]
    for name, value in zip(got, (0.6, 0.3, 0.7, 0.2), strict=True):
        np.testing.assert_array_equal(got[name], np.full(4, value))
    # drawn in this order from one stream: only digital spreads, by the second n normals
    spread = flat.with_overrides({"assumptions.digital_sd": 0.1})
    got = _draw_dispositions(np.random.default_rng(5), spread, 4)
    z = np.random.default_rng(5).normal(size=(2, 4))[1]
    np.testing.assert_allclose(got["digital"], 0.3 + 0.1 * z)
    np.testing.assert_array_equal(got["resistance"], np.full(4, 0.2))
    wide = scenario.with_overrides({f"assumptions.{k}_sd": 0.5 for k in spreads})
    for name, values in _draw_dispositions(np.random.default_rng(0), wide, 2000).items():
        assert values.min() == 0.0 and values.max() == 1.0, name


def test_fields_fit_the_unit_sector_with_its_match_share():
    # fields a, b, c (weights 1, 1, 2); sector 0 needs a, sector 1 needs b or c, sector 2 none
    qualifies = np.array([[True, False, False], [False, True, True], [False, False, False]])
    units = SimpleNamespace(field_match_share=np.array([1.0, 0.0, 0.5, 1.0]),
                            sector=np.array([0, 0, 1, 2]))  # fmt: skip
    unit_of = np.repeat([0, 1, 2, 3, -1], 2000)
    mix = {"a": 1.0, "b": 1.0, "c": 2.0}
    out = draw_fields(np.random.default_rng(0), mix, qualifies, units, unit_of)
    by_unit = [out[unit_of == u] for u in (0, 1, 2, 3, -1)]
    assert (by_unit[0] == 0).all()  # all fit
    assert set(by_unit[1].tolist()) == {1, 2} and (by_unit[1] == 2).mean() == pytest.approx(
        2 / 3, abs=0.03
    )  # none fit: the mix without a
    assert (by_unit[2] == 0).mean() == pytest.approx(0.5, abs=0.03)  # half fit (b, c)
    for drawn in by_unit[3:]:  # no field fits sector 2; the unplaced: both from the whole mix
        assert np.bincount(drawn, minlength=3) / 2000 == pytest.approx([0.25, 0.25, 0.5], abs=0.03)
    for seed in range(10):  # one placed person fits too
        one = draw_fields(np.random.default_rng(seed), mix, qualifies, units, np.array([0]))
        assert one.tolist() == [0]
    unplaced = draw_fields(np.random.default_rng(0), mix, qualifies, units, np.full(5, -1))
    expected = np.random.default_rng(0).choice(3, size=5, p=[0.25, 0.25, 0.5])
    np.testing.assert_array_equal(unplaced, expected)


def test_synthetic_recruits_and_serving_staff(town):
    scenario, units = town
    a = scenario.assumptions
    n = 400
    field, pppk = np.arange(n) % 3, np.arange(n) % 4 == 0
    people = synthetic_people(scenario, units, np.full(n, -1), np.random.default_rng(0),
                              newcomers=True, field=field, pppk=pppk)  # fmt: skip
    n_fields = len(qualification_table(scenario)[0])
    assert check_people(people, len(units), n_fields) == []
    assert people["newcomer"].all() and (people["unit"] == -1).all()
    for name in ("tenure", "days_in_post", "practice_days"):
        np.testing.assert_array_equal(people[name], 0.0)
    np.testing.assert_array_equal(people["field"], field)
    np.testing.assert_array_equal(people["status"], pppk.astype(int))
    entry = np.array([ENTRY_RANK[e] for e in EDUCATION_LEVELS])
    np.testing.assert_array_equal(people["rank"], entry[people["education"]])
    assert people["competency_offset"].std() == pytest.approx(a.competency_sd, rel=0.15)
    # serving staff: half placed, half not; practice adds prior years only where placed
    unit_of = np.where(np.arange(n) % 2 == 0, 0, -1)
    people = synthetic_people(scenario, units, unit_of, np.random.default_rng(0), newcomers=False)
    assert check_people(people, len(units), n_fields) == []
    assert not people["newcomer"].any() and people["unit"].dtype == np.intp
    placed = unit_of >= 0
    assert (people["practice_days"][placed] > people["days_in_post"][placed]).mean() > 0.95
    np.testing.assert_array_equal(
        people["practice_days"][~placed], people["days_in_post"][~placed]
    )
    assert people["tenure"].max() > 5 and (people["rank"] >= entry[people["education"]]).all()
    assert people["status"].mean() == pytest.approx(scenario.city.workforce.pppk_share, abs=0.08)
    flat = scenario.with_overrides({"assumptions.competency_sd": 0.0})
    people = synthetic_people(flat, units, unit_of, np.random.default_rng(0), newcomers=False)
    np.testing.assert_array_equal(people["competency_offset"], 0.0)


def test_the_floor_stays_within_0_and_1_whatever_the_offset(town):
    scenario, units = town
    people = _table(town, 3)
    people["competency_offset"][:] = [2.0, -2.0, 0.0]
    people["unit"][:] = [0, 0, -1]
    wf = to_workforce(people, scenario, units, day=0)
    np.testing.assert_array_equal(wf["floor"][0], 1.0)
    np.testing.assert_array_equal(wf["floor"][1], 0.0)
    assert wf["floor"][2].min() > 0.0 and wf["floor"][2].max() < 1.0
    assert wf["cur"][0] == 1.0 and wf["cur"][1] == 0.0  # no practice yet: at the floor


def test_problems_are_counted_and_listed_together(town):
    scenario, units = town
    people = _table(town, 3)
    people["age"][:] = [30.0, 12.0, 11.0]
    people["tenure"][0] = -1.0
    with pytest.raises(ValueError) as err:
        to_workforce(people, scenario, units, day=0)
    assert str(err.value) == (
        "not a valid people table: age: 2 rows out of range (years, at the day the table "
        "describes); tenure: 1 rows out of range (years of service)"
    )
    del people["rank"]  # a missing column alone is reported as such
    assert check_people(people, len(units), 5) == [
        "columns missing ['rank'], unknown []; expected those of COLUMNS"
    ]


def test_recruits_placed_already_have_no_practice_and_a_recruits_age(town):
    scenario, units = town
    a = scenario.assumptions
    people = synthetic_people(scenario, units, np.zeros(300, dtype=np.intp),
                              np.random.default_rng(0), newcomers=True)  # fmt: skip
    np.testing.assert_array_equal(people["practice_days"], 0.0)
    np.testing.assert_array_equal(people["days_in_post"], 0.0)
    bup = retirement_age(people["position"], people["level"])
    assert (people["age"] <= bup - a.recruit_years_before_bup).all()
    assert people["age"].mean() == pytest.approx(a.newcomer_age_mean, abs=1.0)
