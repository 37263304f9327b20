"""Cheaper computations of the run's own parts give the very numbers of the plain ones.

Each shortcut (draws on the non-zero cells only, a bincount for ``np.add.at``, one ramp
factor a day, the Beta quantile of scipy.special) is checked bit for bit against the plain
formula it replaces, so results stay identical (the fingerprint of issue 12's rule).
"""

import numpy as np
from scipy.stats import beta

from asnsim.model import ASNModel
from asnsim.outcomes import stratified_ikm, unit_ikm
from asnsim.survey import ELEMENTS, survey_totals
from asnsim.units import draw_attributes


def _plain_survey_totals(rng, respondents, q_units, q_wait):
    """Every cell drawn, zeros included (what survey_totals drew before)."""
    n = respondents.sum(axis=1)
    totals = n[:, None] + rng.binomial(3 * n[:, None], q_units)
    u3 = respondents + rng.binomial(3 * respondents, q_wait)
    totals[:, ELEMENTS.index("U3")] = u3.sum(axis=1)
    return totals


def test_survey_draws_on_the_asked_alone_are_the_draws_on_all():
    rng = np.random.default_rng(3)
    respondents = rng.poisson(0.3, size=(40, 25)) * (rng.random((40, 1)) < 0.7)
    q_units, q_wait = rng.random((40, 9)), rng.random((40, 25))
    assert (respondents.sum(axis=1) == 0).any() and (respondents == 0).mean() > 0.5
    seed = np.random.default_rng(11)
    plain = _plain_survey_totals(np.random.default_rng(11), respondents, q_units, q_wait)
    quick = survey_totals(seed, respondents, q_units, q_wait)
    np.testing.assert_array_equal(quick, plain)
    assert quick.dtype == plain.dtype
    # and the stream is left where the plain draws leave it
    after = np.random.default_rng(11)
    _plain_survey_totals(after, respondents, q_units, q_wait)
    assert seed.random() == after.random()


def test_grouped_ikm_equals_adding_unit_after_unit():
    rng = np.random.default_rng(5)
    nrr = rng.uniform(1, 4, (60, 9))
    nrr[rng.random(60) < 0.2, 3] = np.nan
    weight = rng.uniform(0, 500, 60) * (rng.random(60) < 0.9)
    groups = rng.integers(0, 7, 60)
    ok = ~np.isnan(nrr).any(axis=1) & (weight > 0)
    w = np.where(ok, weight, 0.0)
    num = np.zeros((7, 9))
    np.add.at(num, groups, np.where(ok[:, None], nrr, 0.0) * w[:, None])
    with np.errstate(invalid="ignore"):
        plain = num / np.bincount(groups, weights=w, minlength=7)[:, None]
    values, group_nrr = stratified_ikm(nrr, weight, groups, 7)
    np.testing.assert_array_equal(group_nrr, plain)
    # a unit a group: the same IKM without the grouping, NaN where a unit has no data
    per_unit, _ = stratified_ikm(nrr, weight, np.arange(60), 60)
    np.testing.assert_array_equal(unit_ikm(nrr, weight), per_unit)
    assert np.isnan(unit_ikm(nrr, weight)[~ok]).all() and (~ok).any()


def test_beta_quantile_is_scipy_stats_beta_ppf():
    rng = np.random.default_rng(2)
    given = {"digital_maturity": rng.uniform(0.05, 0.95, 500)}
    spread = rng.uniform(0.01, 0.9, 500)
    drawn = draw_attributes(given, spread, 0.4, np.random.default_rng(9))["digital_maturity"]
    again = np.random.default_rng(9)
    quality = again.standard_normal(500)
    z = np.sqrt(0.4) * quality + np.sqrt(0.6) * again.standard_normal(500)
    kappa = 1.0 / spread - 1.0
    m = given["digital_maturity"]
    from scipy.special import ndtr

    plain = beta.ppf(ndtr(z), m * kappa, (1.0 - m) * kappa)
    np.testing.assert_array_equal(drawn, plain)


def _plain_ramp(model, rows):
    a = model.spec.assumptions
    days = model.day - model.workforce.hire_day[rows]
    return np.minimum(1.0, a.ramp_start + (1.0 - a.ramp_start) * days / a.ramp_days)


def test_ramp_up_of_one_cohort_and_of_several_follows_the_formula(tiny):
    model = ASNModel(tiny)
    wf = model.workforce
    rows = np.arange(0, len(wf), 7)
    wf.hire_day[rows] = 0  # one cohort, hired on day 0
    model._ramping = rows
    seen = []
    for day in range(0, int(tiny.assumptions.ramp_days) + 3):
        model.day = day
        model._ramp_up()
        np.testing.assert_array_equal(wf.ramp[rows], _plain_ramp(model, rows))
        seen.append(len(model._ramping))
    assert seen[0] == len(rows) and seen[-1] == 0  # ramped up, then off the list
    # two cohorts hired on different days: each row its own factor
    wf.hire_day[rows[::2]] = 30
    model._ramping = rows.copy()  # who ramps changes as the model changes it: a new array
    for day in (31, 60, 90):
        model.day = day
        model._ramp_up()
        np.testing.assert_array_equal(wf.ramp[rows], _plain_ramp(model, rows))


def test_exits_month_after_month_compose_few_epochs(tiny):
    """Columns left at the same exits share their kept rows; read ones are forgotten."""
    wf = ASNModel(tiny).workforce
    ages = wf.age.copy()
    uids = wf.uid.copy()
    rng = np.random.default_rng(4)
    for _ in range(24):  # two years of month exits, the day's columns read in between
        stays = rng.random(len(wf.uid)) > 0.01
        ages, uids = ages[stays], uids[stays]
        wf.keep(stays)
        wf.cur, wf.uid  # noqa: B018 - read, as a working day reads them
    assert len(wf._epochs) <= 3
    np.testing.assert_array_equal(wf.uid, uids)
    np.testing.assert_array_equal(wf.age, ages)  # unread through all 24 exits
