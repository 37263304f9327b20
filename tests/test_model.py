"""Invariants of a whole run: conservation, ranges, reproducibility, stream independence."""

import numpy as np
import pandas as pd
import pytest

from asnsim.agents import Employee, ServiceUnit
from asnsim.model import ASNModel
from asnsim.scenario import POSITION_TYPES


def test_nobody_is_lost_any_day(tiny):
    model = ASNModel(tiny.with_overrides({"horizon_years": 2}))
    q = model.queues
    for _ in range(model.n_days):
        model.step()
        # per unit: arrivals (new + rework) = served + abandoned + still waiting
        np.testing.assert_array_equal(
            q.arrived_new + q.arrived_rework, q.served + q.abandoned + q.waiting
        )
        assert (q.queue >= 0).all()
    assert q.served.sum() > 0 and q.abandoned.sum() > 0 and q.arrived_rework.sum() > 0


def test_headcount_balance_and_ranges(tiny):
    model = ASNModel(tiny)
    start = len(model.workforce)
    out = model.run(progress=False)
    city = out.city()
    exits = city["retirements"] + city["resignations"] + city["non_renewals"]
    assert len(model.workforce) == start + city["hires"].sum() - exits.sum()
    np.testing.assert_array_equal(
        city["headcount"], city["headcount_start"] + city["hires"] - exits
    )
    assert (city["headcount"] <= city["formation"]).all()
    wf = model.workforce
    for values in (wf.cur, wf.motivation, wf.competency, wf.digital, wf.resistance):
        assert ((values >= 0) & (values <= 1)).all()
    for frame in (city, out.annual(), out.surveys(), out.sectors()):
        ikm = frame[["ikm", "ikm_true"]].to_numpy()
        assert ((ikm >= 25) & (ikm <= 100)).all()
    nrr = out.surveys().filter(like="nrr_").to_numpy()
    assert ((nrr >= 1) & (nrr <= 4)).all()


def test_ikm_in_plausible_band_and_survey_close_to_truth(tiny):
    out = ASNModel(tiny).run(progress=False)
    city = out.city()
    assert city["ikm_true"].between(76, 90).all()  # DOMAIN.md: city baselines 78-88
    # thousands of respondents: sampling error of the city IKM is well under 1 point
    assert (city["ikm"] - city["ikm_true"]).abs().max() < 1.0


def test_same_seed_same_results_different_seed_different(tiny):
    a = ASNModel(tiny).run(progress=False)
    b = ASNModel(tiny).run(progress=False)
    c = ASNModel(tiny, rng=tiny.seed + 1).run(progress=False)
    pd.testing.assert_frame_equal(a.annual(), b.annual())
    pd.testing.assert_frame_equal(a.daily(), b.daily())
    pd.testing.assert_frame_equal(a.surveys(), b.surveys())
    assert not a.daily()["arrivals"].equals(c.daily()["arrivals"])
    assert a.summary() != c.summary()


def test_policy_change_leaves_demand_stream_identical(tiny):
    base = ASNModel(tiny).run(progress=False).daily()
    other = ASNModel(tiny, policies__placement__name="random").run(progress=False).daily()
    np.testing.assert_array_equal(base["arrivals"], other["arrivals"])
    # ... while the policy did change what happened
    assert not base["served"].equals(other["served"])


def test_retirement_at_bup_of_each_post(tiny):
    """Each year's retirements are those whose retirement day falls in it, and they leave.

    The retirement day is the first day of the month after the BUP (``retirement_day``), so
    nobody serves a month past it. PPPK contracts are all renewed here, so every exit other
    than a resignation is a retirement.
    """
    model = ASNModel(tiny.with_overrides({"assumptions.pppk_renewal_probability": 1.0}))
    dpy = tiny.days_per_year
    for year in range(tiny.horizon_years):
        wf = model.workforce
        due = wf.retire_day < (year + 1) * dpy  # the next year starts on day (year + 1) * dpy
        due_uids = set(wf.uid[due].tolist())
        model.run(years=1, progress=False)
        assert model.outcomes.city()["retirements"].iloc[year] == len(due_uids)
        assert not due_uids & set(model.workforce.uid.tolist())
        assert (model.workforce.age < model.workforce.retire_at + 1.0 / 12 + 1e-9).all()
    assert model.outcomes.city()["retirements"].sum() > 0
    assert model.outcomes.city()["non_renewals"].sum() == 0


@pytest.mark.parametrize(
    ("position", "level", "bup"),
    [
        ("jpt", None, 60),
        ("administrator", None, 58),
        ("pengawas", None, 58),
        ("pelaksana", None, 58),
        ("fungsional", "keterampilan", 58),
        ("fungsional", "ahli_pertama", 58),
        ("fungsional", "ahli_muda", 58),
        ("fungsional", "ahli_madya", 60),
        ("fungsional", "ahli_utama", 65),
    ],
)
def test_retirement_age_table(position, level, bup):
    from asnsim.scenario import FUNCTIONAL_LEVELS
    from asnsim.workforce import retirement_age

    pos = np.array([POSITION_TYPES.index(position)])
    lv = np.array([FUNCTIONAL_LEVELS.index(level) if level else -1])
    assert retirement_age(pos, lv)[0] == bup


def test_generated_staff_respect_their_bup(tiny):
    wf = ASNModel(tiny.with_overrides({"city.workforce.headcount": 310})).workforce
    assert (wf.age < wf.retire_at).all() and (wf.age >= 19).all()
    at58 = wf.retire_at == 58
    assert wf.age[at58].max() > 55  # the age distribution reaches up to the BUP


def test_agents_are_views_of_the_arrays(tiny):
    model = ASNModel(tiny.with_overrides({"horizon_years": 2}))
    employees = model.agents_by_type[Employee]
    assert len(employees) == len(model.workforce)
    assert len(model.agents_by_type[ServiceUnit]) == len(model.units)
    agent = employees.select(lambda e: e.position == "fungsional").to_list()[0]
    row = agent.row
    agent.motivation = 0.123
    assert model.workforce.motivation[row] == 0.123
    assert agent.position in POSITION_TYPES and agent.status in ("PNS", "PPPK")
    mean = employees.agg("motivation", np.mean)
    assert mean == pytest.approx(model.workforce.motivation.mean())
    model.run(progress=False)
    # after hires and exits the agents still match the arrays one to one
    employees = model.agents_by_type[Employee]
    assert sorted(e.unique_id for e in employees) == model.workforce.uid.tolist()
    assert all(e.age == model.workforce.age[e.row] for e in list(employees)[:50])


def test_mismatched_staff_are_less_competent(tiny):
    model = ASNModel(tiny)
    model.run(progress=False)
    wf = model.workforce
    matched = model.qualifies[model.units.sector[wf.unit], wf.field]
    assert wf.cur[matched].mean() > wf.cur[~matched].mean() + 0.05
    # practice never lifts a mismatched person past the mismatch ceiling, unless their own
    # lasting floor in that sector is already higher
    sector = model.units.sector[wf.unit]
    floor_here = wf.floor[np.arange(len(wf)), sector]
    limit = np.maximum(tiny.assumptions.mismatch_ceiling, floor_here)
    assert (~matched).sum() > 0
    assert (wf.cur[~matched] <= limit[~matched] + 1e-9).all()


def test_more_staff_means_shorter_waits(tiny):
    """Sanity of the service mechanism: understaffing a unit lengthens its waits."""
    lean = tiny.with_overrides(
        {"city.units.1.staffing_weight": 0.5, "city.units.1.demand_per_day": 120}
    )
    out = ASNModel(lean).run(progress=False).annual()
    year1 = out[out.year == 1].set_index("unit_name")
    assert (
        year1.loc["Disdukcapil", "wait_mean_days"]
        > 2 * year1["wait_mean_days"].drop("Disdukcapil").max()
    )
    assert year1.loc["Disdukcapil", "ikm_true"] < year1["ikm_true"].drop("Disdukcapil").min()


def test_mesa_batch_run_works_with_plain_keyword_parameters():
    import mesa
    from conftest import TINY

    results = pd.DataFrame(
        mesa.batch_run(
            ASNModel,
            parameters={
                "scenario": str(TINY),
                "horizon_years": 2,
                "policies__placement__name": ["seniority", "random"],
            },
            rng=[1, 2],
            max_steps=10_000,
            display_progress=False,
            data_collection_period=1,
        )
    )
    assert len(results) == 2 * 2 * 2  # variants × seeds × yearly records
    assert set(results["Step"]) == {250, 500}
    assert results["ikm_true"].between(25, 100).all()
    # the same seed gives the same first year whatever the placement (common random numbers
    # of the demand); the two seeds differ
    first = results[results.Step == 250].groupby("iteration")["ikm_true"].nunique()
    assert (first == 1).all()
    assert results[results.Step == 250]["ikm_true"].nunique() == 2
    direct = ASNModel(str(TINY), rng=1, horizon_years=2).run(progress=False).city()
    mesa_row = results[
        (results.iteration == 0)
        & (results.Step == 500)
        & (results.policies__placement__name == "seniority")
    ].iloc[0]
    assert mesa_row["ikm"] == direct["ikm"].iloc[-1]


def test_management_factor_follows_managers_competency(tiny):
    model = ASNModel(tiny)
    wf = model.workforce
    managers = wf.position < POSITION_TYPES.index("fungsional")
    wf.managerial[managers] = 1.0
    factor = model._management_factor()
    with_managers = np.bincount(wf.unit[managers], minlength=len(model.units)) > 0
    effect = tiny.assumptions.managerial_effect
    np.testing.assert_allclose(factor[with_managers], 1 + effect * 0.5)
    np.testing.assert_allclose(factor[~with_managers], 1.0)
    before = model._base_hours.copy()
    model._refresh_base_hours()
    assert (model._base_hours >= before - 1e-12).all()
    assert (model._base_hours > before).any()


def test_management_reference_is_the_assumption(tiny):
    """Managers at the reference leave productivity alone; 0.1 above it adds effect × 0.1."""
    model = ASNModel(tiny.with_overrides({"assumptions.managerial_reference": 0.7}))
    wf = model.workforce
    wf.position[wf.unit == 0] = POSITION_TYPES.index("pelaksana")  # unit 0 has no manager
    managers = wf.position < POSITION_TYPES.index("fungsional")
    with_managers = np.bincount(wf.unit[managers], minlength=len(model.units)) > 0
    assert with_managers.any() and not with_managers[0]
    wf.managerial[managers] = 0.7
    np.testing.assert_allclose(model._management_factor(), 1.0)
    wf.managerial[managers] = 0.8
    factor = model._management_factor()
    np.testing.assert_allclose(factor[with_managers], 1 + tiny.assumptions.managerial_effect * 0.1)
    np.testing.assert_array_equal(factor[~with_managers], 1.0)


@pytest.mark.parametrize("cap", [5.0, 2.0])
def test_overload_is_capped_by_the_assumption(tiny, cap):
    """Backlog over standard-days minus one, clipped to [0, overload_cap]; cap if nobody serves."""
    model = ASNModel(tiny.with_overrides({"assumptions.overload_cap": cap}))
    n = len(model.units)
    standard = model.units.standard_days
    capacity = np.full(n, 10.0)
    capacity[0] = 0.0  # nobody serves the first unit
    waiting = 10.0 * standard * np.linspace(0.5, 9.0, n)  # 0.5 to 9 standard-days of backlog
    expected = np.clip(np.linspace(0.5, 9.0, n) - 1.0, 0.0, cap)
    expected[0] = cap
    np.testing.assert_allclose(model._overload(waiting, capacity), expected)
    waiting[0] = 0.0
    assert model._overload(waiting, capacity)[0] == 0.0


def test_recruitment_policy_does_not_shift_recruits_other_attributes(tiny):
    """Common random numbers: recruits' ages and education do not depend on the policy."""
    # nobody resigns on placement: who would depends on the fields the policy chose
    same = {
        "horizon_years": 1,
        "assumptions.newcomer_resignation_probability": 0.0,
        "assumptions.unwanted_placement_resignation_probability": 0.0,
    }
    a = ASNModel(tiny.with_overrides(same))
    b = ASNModel(tiny.with_overrides(same | {"policies.recruitment.name": "needs_matched"}))
    a.run(progress=False)
    b.run(progress=False)
    new_a = a.workforce.hire_day == a.day
    new_b = b.workforce.hire_day == b.day
    assert new_a.sum() == new_b.sum() > 0
    np.testing.assert_array_equal(a.workforce.age[new_a], b.workforce.age[new_b])
    np.testing.assert_array_equal(a.workforce.education[new_a], b.workforce.education[new_b])
