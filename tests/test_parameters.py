"""Each documented assumption means, in a run, what its description says.

One check per parameter (``CHECKS``), each running the small test town with the parameter
set and measuring the documented quantity: ``absence_rate`` is the share of staff hours
lost, ``patience_multiple`` the citizens' mean patience in standards (by Little's law on a
queue nobody serves), and so on.

Not checked here, and why (``UNCHECKED``, kept complete by the last test):

- spreads and means of the start workforce's draws (``competency_sd``, ``motivation_sd``,
  ``digital_sd``, ``managerial_mean``, ``managerial_sd``, ``resistance_sd``,
  ``entry_age_min``, ``entry_age_max``, ``prior_practice_years``): a distribution's
  parameter, checked where the draw is made (tests/test_people*.py), not a behaviour;
- ``motivation_rate``, ``motivation_target``, ``overload_weight``, ``overload_cap``,
  ``motivation_productivity``, ``exit_motivation_elasticity``: their meaning is relative to
  each employee's own settled motivation, which policies shift; the formulas are tested in
  tests/test_model.py and the plain-Mesa oracle (tests/test_reference.py);
- ``digital_support``, ``managerial_effect``, ``managerial_reference``: multiply capacity
  through unit and staff attributes the run itself sets; tested as formulas (7.2);
- ``patience_shape``: a shape, not a quantity; its meaning (a hazard rising with the wait
  when > 1) is tested in tests/test_demand.py;
- recruitment and careers (``newcomer_age_mean``, ``newcomer_age_sd``,
  ``recruit_years_before_bup``, ``promotion_interval_years``, ``rank_cap_by_education``,
  ``pppk_exit_rate``): depend on the recruitment lever and BUP rules under change (issue
  11, item 2); tests/test_workforce*.py hold them;
- ``u3_steepness``, ``elements``: response curves of the SKM elements, tested against closed
  forms in tests/test_survey.py and tests/test_experiment.py (a fee moves IKM exactly);
- ``pppk_contract_years``, ``pppk_renewal_probability``, ``newcomer_resignation_probability``,
  ``unwanted_placement_resignation_probability``: PPPK terms and renewals and the newcomers'
  resignation on placement, whose meanings are tested where they act
  (tests/test_workforce_observed.py: contracts renewed all or none, terms from the hire day,
  the limiting cases of resignation on placement).
- ``unit_attribute_spread``, ``unit_attribute_correlation``, ``survey_shift_unit_run``,
  ``survey_shift_university``: the units' drawn attributes and the survey regime's shift,
  whose meanings are tested where they are drawn and applied (tests/test_units_rng.py,
  tests/test_survey.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from asnsim.model import ASNModel
from asnsim.scenario import POSITION_TYPES, Assumptions, load_scenario
from asnsim.survey import krejcie_morgan, wait_driver
from asnsim.vocab import EDUCATION_LEVELS

TINY = Path(__file__).parent / "data" / "tiny.yaml"
STEADY = {"city.seasonality": 0.0, "city.demand_growth": 0.0}


def _model(**overrides) -> ASNModel:
    return ASNModel(load_scenario(TINY), **{k.replace(".", "__"): v for k, v in overrides.items()})


def _first_day_capacity(**overrides) -> float:
    model = _model(**overrides)
    model.step()
    return float(model.outcomes.daily_values["capacity_requests"][0])


# ------------------------------------------------------------------ the checks


def check_hours_per_day():
    """Hours worked a day: capacity is proportional to them."""
    full = _first_day_capacity(**{"assumptions.hours_per_day": 7.5})
    half = _first_day_capacity(**{"assumptions.hours_per_day": 3.75})
    assert half / full == pytest.approx(0.5, rel=1e-12)


def check_absence_rate():
    """Days away: a share a of staff-days absent leaves 1 − a of the hours."""
    none = _first_day_capacity(**{"assumptions.absence_rate": 0.0})
    some = _first_day_capacity(**{"assumptions.absence_rate": 0.2})
    assert some / none == pytest.approx(0.8, rel=1e-12)


def check_service_share():
    """Share of each position type's hours spent on citizens: the hours add up by type."""
    zero = dict.fromkeys(POSITION_TYPES, 0.0)
    default = Assumptions().service_share
    total = _first_day_capacity(**{"assumptions.service_share": default})
    parts = [
        _first_day_capacity(**{"assumptions.service_share": zero | {p: default[p]}})
        for p in POSITION_TYPES
    ]
    assert sum(parts) == pytest.approx(total, rel=1e-9)
    assert parts[POSITION_TYPES.index("fungsional")] > 0
    halved = {p: v / 2 for p, v in default.items()}
    assert _first_day_capacity(**{"assumptions.service_share": halved}) == pytest.approx(
        total / 2, rel=1e-12
    )


def check_ramp_start_and_days():
    """A recruit works at ramp_start of a proficient peer on day one, fully after ramp_days."""
    model = _model(**{"assumptions.ramp_start": 0.3, "assumptions.ramp_days": 40.0})
    dpy = model.days_per_year
    for _ in range(dpy):
        model.step()
    wf = model.workforce
    recruits = np.flatnonzero(wf.hire_day == dpy)
    assert len(recruits) > 0, "the test town must hire at its first year's end"
    uids = wf.uid[recruits]
    model.step()  # their first working day
    assert wf.ramp[wf.rows_of(uids)] == pytest.approx(0.3)
    for _ in range(20):
        model.step()
    assert model.workforce.ramp[model.workforce.rows_of(uids)] == pytest.approx(0.3 + 0.7 / 2)
    for _ in range(20):
        model.step()
    assert (model.workforce.ramp[model.workforce.rows_of(uids)] == 1.0).all()


def check_survey_max_respondents():
    """At most this many respondents per unit and semester; Krejcie-Morgan's n below it."""
    out = _model(horizon_years=1, **{"assumptions.survey_max_respondents": 30}).run(progress=False)
    s = out.surveys()
    assert (s["respondents"] == np.minimum(krejcie_morgan(s["served"].to_numpy()), 30)).all()
    assert (s["respondents"] == 30).any()


def check_error_rates():
    """Share served wrongly: error_rate_novice at competency 0, expert at 1; equal rates
    make it that share whatever the competency."""
    for p in (0.05, 0.3):
        rates = {"assumptions.error_rate_novice": p, "assumptions.error_rate_expert": p}
        model = _model(horizon_years=1, **rates)
        model.run(progress=False)
        q = model.queues
        share = q.wrong.sum() / q.served.sum()
        assert share == pytest.approx(p, abs=4 * np.sqrt(p * (1 - p) / q.served.sum()))


def check_rework_return_share():
    """Share of the wrongly served who come back."""
    model = _model(horizon_years=1, **{"assumptions.rework_return_share": 0.4})
    model.run(progress=False)
    q = model.queues
    back = q.arrived_rework.sum() + q.rework_due.sum()  # returned, or due tomorrow
    wrong = q.wrong.sum()
    assert back / wrong == pytest.approx(0.4, abs=4 * np.sqrt(0.24 / wrong))


def check_patience_multiple():
    """Citizens' mean patience in standards. Nobody is served, so every citizen waits until
    patience runs out: by Little's law the mean number waiting is arrivals a day × mean
    patience (less half a day: waits are counted at the day's end)."""
    for multiple in (2.0, 4.0):
        overrides = STEADY | {"assumptions.patience_multiple": multiple}
        model = _model(**overrides)
        model.queues.units.effort_hours[:] = 1e12  # nobody is served
        model.service.effort_hours[:] = 1e12
        waiting = []
        for day in range(200):
            model.step()
            if day >= 80:  # past the longest patience's warm-up
                waiting.append(model.queues.waiting.copy())
        q = model.queues
        assert q.served.sum() == 0
        rate = model.units.demand_per_day
        mean_patience = np.mean(waiting, axis=0) / rate + 0.5
        want = multiple * model.units.standard_days
        np.testing.assert_allclose(mean_patience, want, rtol=0.05)


def check_queue_max_days():
    """Longest wait tracked day by day: longer waits are flagged, never dropped."""
    overload = {"assumptions.queue_max_days": 5, "city.units.1.effort_hours": 40.0}
    city = _model(horizon_years=1, **overload).run(progress=False).city()
    assert city["waits_capped"].iloc[0] > 0 and city["wait_p90_days"].iloc[0] <= 5


def check_competency_floor():
    """competency_by_education: the lasting floor of one's schooling in sectors outside one's
    field (on average: each person has an offset of mean 0); field_match_bonus: the floor's
    rise in sectors that fit one's field."""
    model = _model(**{"assumptions.field_match_bonus": 0.2})
    wf, a = model.workforce, model.spec.assumptions
    fits = model.qualifies[:, wf.field].T  # (people × sectors)
    unclipped = (wf.floor > 0) & (wf.floor < 1)
    for i in range(len(wf)):
        f, n = unclipped[i] & fits[i], unclipped[i] & ~fits[i]
        if f.any() and n.any():
            assert wf.floor[i, f][0] - wf.floor[i, n][0] == pytest.approx(0.2)
    for e, level in enumerate(EDUCATION_LEVELS):
        rows = wf.education == e
        if rows.sum() > 20:
            outside = wf.floor[rows][~fits[rows]]
            se = outside.std() / np.sqrt(rows.sum())
            assert outside.mean() == pytest.approx(a.competency_by_education[level], abs=4 * se)


def check_mismatch_ceiling():
    """What a mismatched employee can reach by practice (never below their floor)."""
    model = _model(**{"assumptions.mismatch_ceiling": 0.7})
    wf = model.workforce
    match = model.qualifies[model.units.sector[wf.unit], wf.field]
    floor = wf.floor[np.arange(len(wf)), model.units.sector[wf.unit]]
    np.testing.assert_array_equal(wf.ceil[~match], np.maximum(0.7, floor[~match]))
    assert (wf.ceil[match] == 1.0).all()


def check_learning_half_life_days():
    """Practice closes half the gap to the ceiling in this many working days."""
    model = _model(**{"assumptions.learning_half_life_days": 60.0})
    wf = model.workforce
    gap0 = wf.ceil - wf.cur
    for _ in range(60):
        model.step()
    gap = model.workforce.ceil - model.workforce.cur
    moving = gap0 > 1e-6
    np.testing.assert_allclose(gap[moving] / gap0[moving], 0.5, rtol=1e-9)


def check_skill_half_life_days():
    """An unused skill loses half its excess over the floor in this many working days
    (applied at the year's end for the year's 250 days)."""
    model = _model(**{"assumptions.skill_half_life_days": 125.0})
    wf = model.workforce
    uid, comp, floor = wf.uid.copy(), wf.competency.copy(), wf.floor.copy()
    sector0 = model.units.sector[wf.unit].copy()
    for _ in range(model.days_per_year):
        model.step()
    wf = model.workforce
    stay = np.isin(uid, wf.uid)
    rows = wf.rows_of(uid[stay])
    now = wf.competency[rows]
    unused = np.ones_like(now, dtype=bool)
    unused[np.arange(len(rows)), sector0[stay]] = False
    unused[np.arange(len(rows)), model.units.sector[wf.unit[rows]]] = False
    excess0 = (comp - floor)[stay][unused]
    big = excess0 > 1e-3
    ratio = (now - floor[stay])[unused][big] / excess0[big]
    np.testing.assert_allclose(ratio, 0.5 ** (250 / 125), rtol=1e-9)


def check_pns_exit_rate():
    """Voluntary PNS exits a year (a hazard): 1 − exp(−rate) of the staff who do not retire
    leave, when motivation does not move the hazard."""
    rate = 0.2
    overrides = {
        "assumptions.pns_exit_rate": rate,
        "assumptions.exit_motivation_elasticity": 0.0,
        "city.workforce.pppk_share": 0.0,
    }
    city = _model(horizon_years=2, **overrides).run(progress=False).city()
    at_risk = (city["headcount_start"] - city["retirements"]).sum()
    share = city["resignations"].sum() / at_risk
    p = 1 - np.exp(-rate)
    assert share == pytest.approx(p, abs=4 * np.sqrt(p * (1 - p) / at_risk))


def check_u3_tolerance():
    """U3 satisfaction halves at a wait of this many standards (the driver is 1/2 there)."""
    for tol in (1.0, 1.8, 3.0):
        assert wait_driver(tol * 4.0, 4.0, tol, 2.5) == pytest.approx(0.5)
        assert wait_driver(0.0, 4.0, tol, 2.5) == 1.0


def check_abandoned_score():
    """The score of one who gave up, in ikm_seekers: each point adds 25 × the share lost."""
    low = _model(horizon_years=1, **{"assumptions.abandoned_score": 1.0}).run(progress=False)
    high = _model(horizon_years=1, **{"assumptions.abandoned_score": 3.0}).run(progress=False)
    lo, hi = low.city().iloc[0], high.city().iloc[0]
    lost = lo["abandoned"] / (lo["served"] + lo["abandoned"])
    assert lost > 0 and hi["ikm_seekers"] - lo["ikm_seekers"] == pytest.approx(50 * lost)


def check_complaint_shares():
    """complaint_share_abandoned / complaint_share_wrong: complaints per citizen who gave up
    / was served wrongly; with complaint_voice_min = 1 every would-be complaint is lodged."""
    overrides = {
        "assumptions.complaint_share_abandoned": 0.3,
        "assumptions.complaint_share_wrong": 0.1,
        "assumptions.complaint_voice_min": 1.0,
    }
    model = _model(horizon_years=1, **overrides)
    row = model.run(progress=False).city().iloc[0]
    wrong = model.queues.wrong.sum()
    assert row["complaints"] == pytest.approx(0.3 * row["abandoned"] + 0.1 * wrong)
    # complaint_voice_min: the part lodged where a unit has no complaint handling
    silent = _model(horizon_years=1, **overrides | {"assumptions.complaint_voice_min": 0.25})
    silent.service.complaint_handling[:] = 0.0
    quiet = silent.run(progress=False).city().iloc[0]
    assert quiet["complaints"] == pytest.approx(
        0.25 * (0.3 * quiet["abandoned"] + 0.1 * silent.queues.wrong.sum())
    )


def check_discipline_sanctioned_share():
    """PNS with a disciplinary sentence score 0 of the IP ASN's 5 discipline points."""
    row = _model(horizon_years=1, **{"assumptions.discipline_sanctioned_share": 0.4}).run(
        progress=False
    )
    assert row.city()["ip_asn_discipline"].iloc[0] == pytest.approx(5 * 0.6)


def check_start_workforce_bounds():
    """serving_age_min: nobody younger serves at the start; posting_years_max: nobody has
    been in post longer; pppk_tenure_max: no PPPK has served longer."""
    overrides = {
        "assumptions.serving_age_min": 25.0,
        "assumptions.posting_years_max": 3.0,
        "assumptions.pppk_tenure_max": 4.0,
    }
    model = _model(**overrides)
    wf, dpy = model.workforce, model.days_per_year
    assert wf.age.min() >= 25.0
    assert (wf.post_start >= -3.0 * dpy).all() and (wf.post_start <= 0).all()
    pppk = wf.status == 1
    assert pppk.any() and wf.tenure[pppk].max() <= 4.0


CHECKS: dict[str, Callable[[], None]] = {
    "hours_per_day": check_hours_per_day,
    "absence_rate": check_absence_rate,
    "service_share": check_service_share,
    "ramp_start": check_ramp_start_and_days,
    "ramp_days": check_ramp_start_and_days,
    "survey_max_respondents": check_survey_max_respondents,
    "error_rate_novice": check_error_rates,
    "error_rate_expert": check_error_rates,
    "rework_return_share": check_rework_return_share,
    "patience_multiple": check_patience_multiple,
    "queue_max_days": check_queue_max_days,
    "competency_by_education": check_competency_floor,
    "field_match_bonus": check_competency_floor,
    "mismatch_ceiling": check_mismatch_ceiling,
    "learning_half_life_days": check_learning_half_life_days,
    "skill_half_life_days": check_skill_half_life_days,
    "pns_exit_rate": check_pns_exit_rate,
    "u3_tolerance": check_u3_tolerance,
    "abandoned_score": check_abandoned_score,
    "complaint_share_abandoned": check_complaint_shares,
    "complaint_share_wrong": check_complaint_shares,
    "complaint_voice_min": check_complaint_shares,
    "discipline_sanctioned_share": check_discipline_sanctioned_share,
    "serving_age_min": check_start_workforce_bounds,
    "posting_years_max": check_start_workforce_bounds,
    "pppk_tenure_max": check_start_workforce_bounds,
}
"""Assumption → the check of its documented meaning (one check may serve several)."""

UNCHECKED = {
    "competency_sd", "motivation_sd", "digital_sd", "managerial_mean", "managerial_sd",
    "resistance_sd", "entry_age_min", "entry_age_max", "prior_practice_years",
    "motivation_rate", "motivation_target", "overload_weight", "overload_cap",
    "motivation_productivity", "exit_motivation_elasticity", "digital_support",
    "managerial_effect", "managerial_reference", "patience_shape", "newcomer_age_mean",
    "newcomer_age_sd", "recruit_years_before_bup", "promotion_interval_years",
    "rank_cap_by_education", "pppk_exit_rate", "u3_steepness", "elements",
    "unit_attribute_spread", "unit_attribute_correlation", "survey_shift_unit_run",
    "survey_shift_university", "pppk_contract_years", "pppk_renewal_probability",
    "newcomer_resignation_probability", "unwanted_placement_resignation_probability",
    # their meaning is checked analytically in tests/policies/test_training.py
    "training_lasting_share", "training_half_life_years", "training_lasting_max_sd",
}  # fmt: skip
"""Assumptions not checked here; the module docstring says why."""


@pytest.mark.parametrize("check", sorted(set(CHECKS.values()), key=lambda f: f.__name__))
def test_documented_meaning_holds_in_a_run(check):
    check()


def test_every_assumption_is_checked_or_said_why_not():
    fields = set(Assumptions.model_fields)
    assert not set(CHECKS) & UNCHECKED
    assert set(CHECKS) | UNCHECKED == fields, (
        f"new assumptions without a check or a reason: {sorted(fields - set(CHECKS) - UNCHECKED)}"
        f"; gone: {sorted((set(CHECKS) | UNCHECKED) - fields)}"
    )
