"""The workforce as observed (issue 11, item 2): ages, posts, retirement, contracts, formasi.

Known answers of the formulas, and model runs of the tiny town where a limiting case gives
the answer (a renewal probability of 0 or 1, a resignation probability of 0 or 1).
"""

from __future__ import annotations

import numpy as np
import pytest

from asnsim.model import ASNModel
from asnsim.outcomes import OBSERVED_KEYS, SUMMARY_KEYS
from asnsim.people import (
    PPPK,
    TEACHER_BUP,
    contract_end,
    is_teacher,
    month_start,
    newcomer_resigns,
    retirement_age,
    retirement_day,
    synthetic_people,
)
from asnsim.scenario import ScenarioError, age_band_bounds, scenario_from_dict
from asnsim.units import build_units
from asnsim.vocab import FUNCTIONAL_LEVELS, POSITION_TYPES
from asnsim.workforce import exit_shares, zero_flows

F = POSITION_TYPES.index("fungsional")
PELAKSANA = POSITION_TYPES.index("pelaksana")


def _start(scenario, scale: float = 1.0, seed: int = 0):
    """A synthetic start workforce of the town (every unit filled to its formation)."""
    scenario = scenario.with_overrides({"scale": scale})
    units = build_units(scenario)
    unit_of = np.repeat(np.arange(len(units)), units.formation)
    rng = np.random.default_rng(seed)
    return synthetic_people(scenario, units, unit_of, rng, newcomers=False), units, scenario


# --------------------------------------------------------------------------- formulas


def test_teachers_retire_at_60_whatever_their_level():
    level = np.array([FUNCTIONAL_LEVELS.index("ahli_pertama")] * 2 + [-1])
    position = np.array([F, F, PELAKSANA])
    teacher = np.array([True, False, False])
    np.testing.assert_array_equal(retirement_age(position, level, teacher), [60, 58, 58])
    np.testing.assert_array_equal(retirement_age(position, level), [58, 58, 58])
    assert TEACHER_BUP == 60.0


def test_teachers_are_the_functional_staff_of_schools(tiny):
    units = build_units(tiny)
    school = int(np.flatnonzero(np.array(units.sectors)[units.sector] == "education")[0])
    clinic = int(np.flatnonzero(np.array(units.sectors)[units.sector] == "health")[0])
    position = np.array([F, PELAKSANA, F, F])
    unit_of = np.array([school, school, clinic, -1])
    np.testing.assert_array_equal(
        is_teacher(position, unit_of, units, tiny), [True, False, False, False]
    )
    none = tiny.with_overrides({"city.workforce.teacher_sectors": []})
    assert not is_teacher(position, unit_of, units, none).any()


def test_retirement_day_is_the_first_day_of_the_month_after_the_bup():
    dpy = 240  # months of 20 days
    np.testing.assert_array_equal(month_start(np.arange(13), dpy), np.arange(13) * 20)
    # half a year before the BUP on day 0: the BUP is day 120, the first of month 6, so the
    # pension starts on the first of month 7 (day 140); a day later still month 7
    age = np.array([57.5, 57.5 - 1 / dpy, 57.5 + 1 / dpy, 58.0, 40.0])
    got = retirement_day(age, np.full(5, 58.0), 0, dpy)
    np.testing.assert_array_equal(got, [140, 140, 120, 20, 18 * dpy + 20])
    # counted from a later day, the same person retires on the same day
    np.testing.assert_array_equal(retirement_day(np.array([57.75]), np.array([58.0]), 60, dpy),
                                  [140])  # fmt: skip


def test_contracts_run_in_terms_from_the_hire_day(tiny):
    a = tiny.assumptions.model_copy(update={"pppk_contract_years": 2.0})
    pppk = np.array([True, True, True, False])
    tenure = np.array([0.0, 1.5, 2.0, 3.0])
    hire_day = np.array([1000, 625, 500, 250])  # 250 days a year
    got = contract_end(pppk, tenure, hire_day, a, 250)
    # a newcomer: one term; 1.5 years in: the first term; 2 years in: the second has begun
    np.testing.assert_array_equal(got, [1500, 1125, 1500, -1])


def test_age_band_names():
    assert age_band_bounds("51_60") == (51.0, 61.0)
    for bad in ("51-60", "60_51", "10_20", "a_b", "51"):
        with pytest.raises(ValueError, match="age band"):
            age_band_bounds(bad)


def test_newcomer_resignation_in_the_limiting_cases(tiny):
    rng = np.random.default_rng(0)
    matched = np.arange(10_000) % 4 == 0  # a quarter fit
    for p_fit, p_unwanted, expected in ((0.0, 1.0, ~matched), (1.0, 0.0, matched)):
        a = tiny.assumptions.model_copy(
            update={
                "newcomer_resignation_probability": p_fit,
                "unwanted_placement_resignation_probability": p_unwanted,
            }
        )
        np.testing.assert_array_equal(newcomer_resigns(matched, a, rng), expected)
    a = tiny.assumptions  # defaults: 12 % of unwanted placements, 0.08 % of the others
    got = newcomer_resigns(np.zeros(20_000, bool), a, rng).mean()
    assert abs(got - 0.12) < 4 * np.sqrt(0.12 * 0.88 / 20_000)


def test_exit_shares_by_hand():
    flows = zero_flows() | {"retirements": 8, "teacher_retirements": 6, "hires": 9}
    flows["newcomer_resignations"] = 1
    assert exit_shares(flows) == {
        "teacher_share_of_retirees": 0.75,
        "newcomer_resignation_rate": 0.1,
    }
    assert all(np.isnan(v) for v in exit_shares(zero_flows()).values())
    assert {"teacher_share_of_retirees", "newcomer_resignation_rate"} <= set(OBSERVED_KEYS)
    assert set(OBSERVED_KEYS) <= set(SUMMARY_KEYS)


# --------------------------------------------------------------------------- the start


def test_starting_ages_follow_the_bands_below_each_bup(tiny):
    people, units, scenario = _start(tiny, scale=10)
    age, n = people["age"], len(people["age"])
    teacher = is_teacher(people["position"], people["unit"], units, scenario)
    bup = retirement_age(people["position"], people["level"], teacher)
    assert (age < bup).all() and (age >= scenario.assumptions.serving_age_min).all()
    for band, share in scenario.city.workforce.age_bands.items():
        low, high = age_band_bounds(band)
        got = ((age >= low) & (age < high)).mean()
        assert abs(got - share) < 4 * np.sqrt(share * (1 - share) / n), band
    # teachers (BUP 60) fill the band up to 60, others stop at 58
    old_teachers = teacher & (age >= 59)
    assert old_teachers.any() and not (~teacher & (bup == 58) & (age >= 58)).any()


def test_one_band_puts_everyone_in_it(tiny):
    one = tiny.with_overrides({"city.workforce.age_bands": {"40_40": 1.0}})
    people, _, _ = _start(one)
    assert ((people["age"] >= 40) & (people["age"] < 41)).all()


def test_schools_are_mostly_teachers_and_clinics_health_functionals(tiny):
    people, units, scenario = _start(tiny, scale=10)
    sector = np.array(units.sectors)[units.sector[people["unit"]]]
    for name, mix in scenario.city.workforce.position_mix_by_sector.items():
        here = sector == name
        share = (people["position"][here] == F).mean()
        expected = mix["fungsional"]
        assert abs(share - expected) < 4 * np.sqrt(expected * (1 - expected) / here.sum()), name
    other = ~np.isin(sector, list(scenario.city.workforce.position_mix_by_sector))
    expected = scenario.city.workforce.position_mix["fungsional"]
    assert abs((people["position"][other] == F).mean() - expected) < 0.05


def test_roster_started_runs_keep_their_real_ages(tiny, tmp_path):
    """Ages come from the roster, not the bands; a school's functional staff retire at 60."""
    from asnsim.people import qualification_table
    from asnsim.roster import load_roster
    from tests.test_people import AS_OF, _export

    one = tiny.with_overrides({"city.workforce.age_bands": {"40_40": 1.0}})
    people, units, _ = _start(tiny.with_overrides({"city.workforce.age_bands": {"55_60": 1.0}}))
    path = tmp_path / "r.csv"
    _export(people, units, qualification_table(tiny)[0], path)
    roster = load_roster(path, one, strict=True, as_of=AS_OF, salt="s", rng=1)
    wf = ASNModel(one, roster=roster).workforce
    assert (wf.age >= 55).all()  # not the scenario's single band 40-40
    np.testing.assert_allclose(np.sort(wf.age), np.sort(roster.people["age"]))
    assert wf.teacher.any() and (wf.retire_at[wf.teacher] == 60).all()
    assert (wf.age[wf.teacher] >= 58).any()  # older than any other BUP 58 allows


# --------------------------------------------------------------------------- the run


def _run(tiny, years: int = 3, **overrides):
    model = ASNModel(tiny.with_overrides({"horizon_years": years, **overrides}))
    model.run(progress=False)
    return model, model.outcomes.city()


def test_contracts_all_renewed_or_none(tiny):
    _, renewed = _run(tiny, 6, **{"assumptions.pppk_renewal_probability": 1.0})
    assert renewed["non_renewals"].sum() == 0
    model = ASNModel(
        tiny.with_overrides({"horizon_years": 6, "assumptions.pppk_renewal_probability": 0.0})
    )
    wf = model.workforce
    ends = (wf.contract_end >= 0) & (wf.contract_end < 2 * tiny.days_per_year)
    due = set(wf.uid[ends & (wf.retire_day > wf.contract_end)].tolist())
    model.run(years=2, progress=False)
    city = model.outcomes.city()
    assert len(due) > 0
    assert city["non_renewals"].sum() >= len(due)  # and the first year's recruits' none yet
    assert not due & set(model.workforce.uid.tolist())
    pns = model.workforce.status != PPPK
    assert (model.workforce.contract_end[pns] == -1).all()


def test_a_formasi_replays_a_pppk_wave(tiny):
    spec = tiny.with_overrides(
        {
            "horizon_years": 2,
            "city.workforce.formasi": {"1": {"pns": 0, "pppk": 40}},
            "assumptions.newcomer_resignation_probability": 0.0,
            "assumptions.unwanted_placement_resignation_probability": 0.0,
        }
    )
    model = ASNModel(spec)
    model.run(years=1, progress=False)
    hired = model.workforce.hire_day == model.day
    vacancies_before = model.outcomes.city()["vacancies"].iloc[0] + hired.sum()
    assert hired.sum() == min(40, vacancies_before)
    assert (model.workforce.status[hired] == PPPK).all()
    # the second year has no plan: the quota, with PNS and PPPK
    quota = ASNModel(tiny)
    quota.run(years=1, progress=False)
    assert model.outcomes.city()["hires"].iloc[0] > quota.outcomes.city()["hires"].iloc[0]


def test_formasi_errors_name_the_field(tiny):
    data = tiny.canonical()
    for formasi, says in (
        ({"0": {"pns": 1}}, "formasi years [0]"),
        ({"1": {"pns": -1}}, "city.workforce.formasi.1.pns"),
        ({"1": {"honorer": 3}}, "city.workforce.formasi.1.honorer"),
    ):
        data["city"]["workforce"]["formasi"] = formasi
        with pytest.raises((ScenarioError, ValueError), match=says.replace("[", r"\[")):
            scenario_from_dict(data)


def test_sector_names_in_the_workforce_must_be_sectors(tiny):
    data = tiny.canonical()
    data["city"]["workforce"]["teacher_sectors"] = ["schools"]
    data["city"]["workforce"]["position_mix_by_sector"] = {"clinic": {"fungsional": 1.0}}
    with pytest.raises((ScenarioError, ValueError)) as err:
        scenario_from_dict(data)
    text = str(err.value)
    assert "city.workforce.teacher_sectors: sectors ['schools']" in text
    assert "city.workforce.position_mix_by_sector: sectors ['clinic']" in text


def test_unwanted_placements_resign(tiny):
    everyone = {
        "assumptions.newcomer_resignation_probability": 0.0,
        "assumptions.unwanted_placement_resignation_probability": 1.0,
    }
    model, city = _run(tiny, 3, **everyone)
    assert city["newcomer_resignations"].sum() > 0
    hired = model.workforce.hire_day > 0
    fits = model.qualifies[model.units.sector[model.workforce.unit], model.workforce.field]
    assert fits[hired].all()  # only those placed in their field stayed
    _, none = _run(tiny, 3, **{"assumptions.unwanted_placement_resignation_probability": 0.0,
                               "assumptions.newcomer_resignation_probability": 0.0})  # fmt: skip
    assert none["newcomer_resignations"].sum() == 0
    assert (none["newcomer_resignation_rate"] == 0).all()


def test_teacher_share_of_retirees_is_computed(tiny):
    _, city = _run(tiny, 3)
    ok = city["retirements"] > 0
    np.testing.assert_allclose(
        city.loc[ok, "teacher_share_of_retirees"],
        city.loc[ok, "teacher_retirements"] / city.loc[ok, "retirements"],
    )
    assert city["teacher_retirements"].sum() > 0
    no_teachers, _ = _run(tiny, 1, **{"city.workforce.teacher_sectors": []})
    assert not no_teachers.workforce.teacher.any()
    assert (no_teachers.workforce.retire_at <= 65).all()


def test_retirement_rate_follows_the_oldest_band(tiny):
    """More staff aged 51-60 at the start: more retire (a monotonic response)."""
    young = {"19_30": 0.3, "31_40": 0.3, "41_50": 0.3, "51_60": 0.1}
    old = {"19_30": 0.1, "31_40": 0.1, "41_50": 0.2, "51_60": 0.6}
    rates = []
    for bands in (young, old):
        _, city = _run(tiny, 2, **{"city.workforce.age_bands": bands})
        rates.append(city["retirement_rate"].mean())
    assert rates[1] > 2 * rates[0]
