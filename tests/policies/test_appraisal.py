"""Appraisal and allowance: the PermenPANRB 6/2022 rating, quotas, pay, motivation, retention.

Unit tests check the pure rules against hand-worked answers; paired tests (common random
numbers, Kupang at small scale) check that each lever moves the outcome it should, through
the mechanism the model says, and where it does not help.
"""

from pathlib import Path

import numpy as np
import pytest

from asnsim.analysis import paired_difference, replication_seeds, run_variants
from asnsim.model import ASNModel
from asnsim.policies import choice_problems, make_policy
from asnsim.policies.appraisal import (
    ABOVE,
    AS_EXPECTED,
    BAIK,
    BELOW,
    BUTUH_PERBAIKAN,
    KURANG,
    PREDIKAT,
    SANGAT_BAIK,
    SANGAT_KURANG,
    allowance_factor,
    cap_top_rating,
    level_of,
    peer_z,
    perceived_fairness,
    predikat,
    rater_accuracy,
)
from asnsim.policies.contract import Snapshot
from asnsim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
KUPANG = ROOT / "scenarios" / "kupang.yaml"
P = "policies.appraisal."
REPS = 20  # the IKM effect of pay is ~0.02 points: 12 replications resolve it only sometimes

# --------------------------------------------------------------------------- pure rules


@pytest.mark.parametrize(
    ("results", "behaviour", "expected"),
    [
        (ABOVE, ABOVE, SANGAT_BAIK),
        (ABOVE, AS_EXPECTED, BAIK),
        (ABOVE, BELOW, KURANG),
        (AS_EXPECTED, ABOVE, BAIK),
        (AS_EXPECTED, AS_EXPECTED, BAIK),
        (AS_EXPECTED, BELOW, KURANG),
        (BELOW, ABOVE, BUTUH_PERBAIKAN),
        (BELOW, AS_EXPECTED, BUTUH_PERBAIKAN),
        (BELOW, BELOW, SANGAT_KURANG),
    ],
)
def test_predikat_matrix_of_permenpanrb_6_2022(results, behaviour, expected):
    assert predikat(results, behaviour) == expected
    # vectorised form gives the same cell
    assert predikat(np.array([results]), np.array([behaviour]))[0] == expected


def test_predikat_coding_is_ordered_worst_first():
    assert PREDIKAT[SANGAT_KURANG] == "sangat_kurang" and PREDIKAT[SANGAT_BAIK] == "sangat_baik"
    assert list(range(5)) == [SANGAT_KURANG, KURANG, BUTUH_PERBAIKAN, BAIK, SANGAT_BAIK]


def test_level_thresholds_are_normal_quantiles():
    # top 20% above z = 0.8416, bottom 10% below z = -1.2816
    score = np.array([0.85, 0.84, 0.0, -1.28, -1.29])
    np.testing.assert_array_equal(
        level_of(score, 0.2, 0.1), [ABOVE, AS_EXPECTED, AS_EXPECTED, AS_EXPECTED, BELOW]
    )
    big = np.random.default_rng(1).standard_normal(200_000)
    levels = level_of(big, 0.2, 0.1)
    assert (levels == ABOVE).mean() == pytest.approx(0.2, abs=0.005)
    assert (levels == BELOW).mean() == pytest.approx(0.1, abs=0.005)


def test_peer_z_within_groups_with_fallback():
    values = np.array([1.0, 2.0, 3.0, 10.0, 30.0, 5.0])
    groups = np.array([0, 0, 0, 1, 1, 2])
    z = peer_z(values, groups, min_peers=2)
    sd = np.sqrt(2.0 / 3.0)
    np.testing.assert_allclose(z, [-1 / sd, 0, 1 / sd, -1, 1, 0])  # lone member: 0
    # group 2 has one member: compared with the fallback group (all six)
    z_fb = peer_z(values, groups, fallback=np.zeros(6, dtype=int), min_peers=2)
    all_z = (values - values.mean()) / values.std()
    assert z_fb[5] == pytest.approx(all_z[5])
    np.testing.assert_allclose(z_fb[:5], z[:5])
    # no spread: no one stands out
    np.testing.assert_array_equal(peer_z(np.ones(4), np.zeros(4, dtype=int)), 0.0)


def test_accuracy_and_fairness_hand_values():
    assert rater_accuracy(0.0) == 1.0
    assert rater_accuracy(1.0) == pytest.approx(0.70711, abs=1e-5)
    assert rater_accuracy(3.0) == pytest.approx(1 / np.sqrt(10))
    assert perceived_fairness(1.0, False, 0.2) == pytest.approx(0.70711, abs=1e-5)
    assert perceived_fairness(1.0, True, 0.2) == pytest.approx(0.90711, abs=1e-5)
    assert perceived_fairness(0.0, True, 0.2) == 1.0  # capped


def test_quota_keeps_the_best_perceived_in_each_unit():
    rating = np.array([SANGAT_BAIK] * 5 + [BAIK] * 5 + [SANGAT_BAIK] * 3 + [KURANG] * 7)
    score = np.array([5, 1, 4, 2, 3, 9, 9, 9, 9, 9, 1, 3, 2, 0, 0, 0, 0, 0, 0, 0], float)
    unit = np.array([0] * 10 + [1] * 10)
    out = cap_top_rating(rating, score, unit, 0.2)  # at most 2 of 10 per unit
    np.testing.assert_array_equal(np.flatnonzero(out == SANGAT_BAIK), [0, 2, 11, 12])
    np.testing.assert_array_equal(out[[1, 3, 4, 10]], BAIK)  # demoted to Baik
    np.testing.assert_array_equal(out[13:], KURANG)  # others untouched
    assert cap_top_rating(rating, score, unit, 1.0) is rating


def test_allowance_factor_hand_values():
    factors = np.array([0.8, 0.85, 0.9, 1.0, 1.2])  # SK, K, BP, B, SB
    rating = np.array([SANGAT_KURANG, KURANG, BUTUH_PERBAIKAN, BAIK, SANGAT_BAIK, -1])
    # 60% performance part × factor + 40% attendance part in full
    np.testing.assert_allclose(
        allowance_factor(rating, factors, 0.6), [0.88, 0.91, 0.94, 1.0, 1.12, 1.0]
    )


def test_above_and_below_shares_must_leave_room_for_as_expected():
    """A cross-field rule (the contract tests cover bounds and unknown options)."""
    problems = choice_problems("appraisal", "status_quo", {"above_share": 0.6, "below_share": 0.5})
    assert "above_share + below_share must be below 1" in problems[0]


# --------------------------------------------------------------------------- in the model


def _mid_year_model(tiny):
    """A model one and a half years in: a year of appraisals done, output accumulating."""
    model = ASNModel(tiny)
    model.run(years=1, progress=False)
    for _ in range(tiny.days_per_year // 2):
        model.step()
    return model


def test_ratings_stored_with_their_coding(tiny):
    model = ASNModel(tiny.with_overrides({"horizon_years": 2}))
    assert (model.workforce.last_rating == -1).all()
    model.run(progress=False)
    wf = model.workforce
    newcomers = wf.hire_day == model.day
    assert (wf.last_rating[~newcomers] >= 0).all() and (wf.last_rating <= SANGAT_BAIK).all()
    assert (wf.last_rating[newcomers] == -1).all()
    shares = model.policies["appraisal"].diagnostics["rating_shares"]
    assert shares.sum() == pytest.approx(1.0) and shares[BAIK] > 0.5


def test_quota_holds_in_every_unit(tiny):
    model = _mid_year_model(tiny)
    wf, n_units = model.workforce, len(model.units)
    capped = make_policy(
        "appraisal", "status_quo", {"sangat_baik_cap": 0.05}, np.random.default_rng(5)
    )
    free = make_policy("appraisal", "status_quo", {}, np.random.default_rng(5))
    rating, _ = capped.rate(Snapshot(model))
    uncapped, _ = free.rate(Snapshot(model))
    staff = np.bincount(wf.unit, minlength=n_units)
    sb = np.bincount(wf.unit[rating == SANGAT_BAIK], minlength=n_units)
    assert (sb <= np.floor(0.05 * staff)).all()
    assert (uncapped == SANGAT_BAIK).sum() > sb.sum()  # the quota did bind
    demoted = (uncapped == SANGAT_BAIK) & (rating != SANGAT_BAIK)
    assert (rating[demoted] == BAIK).all() and (rating[~demoted] == uncapped[~demoted]).all()


def test_rater_noise_loosens_ratings_from_true_results(tiny):
    model = _mid_year_model(tiny)
    corr = {}
    for sigma in (0.0, 1.0, 3.0):
        policy = make_policy(
            "appraisal", "status_quo", {"rater_noise_sd": sigma}, np.random.default_rng(3)
        )
        rating, results_true = policy.rate(Snapshot(model))
        corr[sigma] = np.corrcoef(rating, results_true)[0, 1]
    assert corr[0.0] > corr[1.0] > corr[3.0] > -0.1
    assert corr[0.0] > 0.5


def test_spend_is_the_allowance_bill(tiny):
    base = 12_000_000.0
    flat = tiny.with_overrides({f"{P}options.allowance_per_year": base, "horizon_years": 1})
    model = ASNModel(flat)
    for _ in range(flat.days_per_year - 1):  # to the year's last day: nobody leaves after it
        model.step()
    n = len(model.workforce)  # the staff the year's end pays
    city = model.run(progress=False).city()
    assert city["spend_appraisal"].iloc[0] == pytest.approx(n * base)

    linked = flat.with_overrides(
        {f"{P}name": "performance_linked", f"{P}options.allowance_per_year": base}
    )
    model = ASNModel(linked)
    for _ in range(flat.days_per_year - 1):
        model.step()
    n = len(model.workforce)
    city = model.run(progress=False).city()
    shares = model.policies["appraisal"].diagnostics["rating_shares"]
    per_rating = 0.6 * np.array([0.8, 0.85, 0.9, 1.0, 1.2]) + 0.4
    assert city["spend_appraisal"].iloc[0] == pytest.approx(n * base * shares @ per_rating)


# --------------------------------------------------------------------------- paired experiments


@pytest.fixture(scope="module")
def kupang_runs():
    """Kupang at 1/10 scale, 5 years, every variant on the same seeds."""
    spec = load_scenario(KUPANG, ["scale=0.1", "horizon_years=5"])
    linked = {f"{P}name": "performance_linked"}
    objective = {f"{P}options.rater_noise_sd": 0.0}
    noisy = {f"{P}options.rater_noise_sd": 3.0}
    prosocial = {f"{P}options.countable_sectors": []}
    variants = {
        "base": {},  # status quo: flat allowance, ordinary rater noise
        "participatory": {f"{P}options.participatory": True},
        "flat_objective": objective,
        "linked_objective": linked | objective,
        "flat_noisy": noisy,
        "linked_noisy": linked | noisy,
        "flat_prosocial": prosocial,
        "linked_prosocial": linked | prosocial,
    }
    return run_variants(spec, variants, REPS)


def test_performance_pay_raises_motivation_and_ikm_with_objective_ratings(kupang_runs):
    r = kupang_runs
    mot = paired_difference(r, "motivation_mean", "linked_objective", "flat_objective")
    ikm = paired_difference(r, "mean_ikm_true", "linked_objective", "flat_objective")
    assert mot.mean > 0 and mot.excludes_zero(), mot
    assert ikm.mean > 0 and ikm.excludes_zero(), ikm


def test_motivation_is_what_moves_ikm():
    """Mechanism: with no motivational or retention reaction, pay alone changes nothing."""
    spec = load_scenario(KUPANG, ["scale=0.1", "horizon_years=5"])
    no_reaction = {
        f"{P}options.rater_noise_sd": 0.0,
        f"{P}options.pay_effect_sd": 0.0,
        f"{P}options.crowding_out_sd": 0.0,
        f"{P}options.talent_exit_excess": 0.0,
    }
    variants = {
        "flat_no_reaction": no_reaction,
        "linked_no_reaction": {f"{P}name": "performance_linked"} | no_reaction,
    }
    r = run_variants(spec, variants, 3)  # identical runs: a few replications suffice
    for outcome in ("motivation_mean", "mean_ikm_true", "mean_ikm", "resignations"):
        d = paired_difference(r, outcome, "linked_no_reaction", "flat_no_reaction")
        assert d.mean == 0.0 and d.low == 0.0 and d.high == 0.0, d
    spend = paired_difference(r, "spend_appraisal", "linked_no_reaction", "flat_no_reaction")
    assert spend.mean != 0.0  # only the bill differs


def test_noisy_ratings_make_performance_pay_motivate_less(kupang_runs):
    """Mechanism: noise lowers perceived fairness, and with it the pay effect."""
    r = kupang_runs
    linked = paired_difference(r, "motivation_mean", "linked_noisy", "linked_objective")
    assert linked.high < 0, linked
    gain = {}
    for noise in ("objective", "noisy"):
        a = r[r.variant == f"linked_{noise}"].set_index("replication")["motivation_mean"]
        b = r[r.variant == f"flat_{noise}"].set_index("replication")["motivation_mean"]
        gain[noise] = a - b
    d = (gain["noisy"] - gain["objective"]).to_numpy()
    half = 2.201 * d.std(ddof=1) / np.sqrt(len(d))  # t(0.975, 11)
    assert d.mean() + half < 0, (d.mean(), half)
    spec = load_scenario(KUPANG)
    fair = {
        s: make_policy(
            "appraisal", "performance_linked", {"rater_noise_sd": s}, np.random.default_rng(0)
        ).fairness
        for s in (0.0, 3.0)
    }
    assert fair[3.0] < 0.35 < fair[0.0] == 1.0
    assert spec.policies.appraisal.options["rater_noise_sd"] == 1.0


def test_participatory_design_raises_fairness_motivation_and_ikm(kupang_runs):
    r = kupang_runs
    base = make_policy("appraisal", "status_quo", {}, np.random.default_rng(0))
    part = make_policy(
        "appraisal", "status_quo", {"participatory": True}, np.random.default_rng(0)
    )
    assert part.fairness > base.fairness
    mot = paired_difference(r, "motivation_mean", "participatory")
    ikm = paired_difference(r, "mean_ikm_true", "participatory")
    assert mot.mean > 0 and mot.excludes_zero(), mot
    assert ikm.mean > 0 and ikm.excludes_zero(), ikm


def test_performance_pay_does_not_help_prosocial_services(kupang_runs):
    """Where output is hard to count (all sectors prosocial), performance pay crowds out."""
    r = kupang_runs
    mot = paired_difference(r, "motivation_mean", "linked_prosocial", "flat_prosocial")
    ikm = paired_difference(r, "mean_ikm_true", "linked_prosocial", "flat_prosocial")
    assert mot.high < 0, mot
    assert ikm.mean < 0 and ikm.low < 0, ikm  # no gain in service quality


def _exit_rates(spec, seed, overrides):
    """Resignation rate of the true top performers and of the others, pooled over years."""
    model = ASNModel(spec.with_overrides(overrides), rng=seed)
    counts = np.zeros((2, 2))  # [top, others] × [at risk, resigned]
    for _ in range(spec.horizon_years):
        wf = model.workforce
        before = wf.uid.copy()
        retiring = wf.retire_day < model.day + model.days_per_year  # retire within the year
        model.run(years=1, progress=False)
        top = np.isin(before, model.policies["appraisal"].diagnostics["top_uids"])
        resigned = ~np.isin(before, model.workforce.uid) & ~retiring
        for i, group in enumerate((top, ~top)):
            counts[i] += group.sum(), (resigned & group).sum()
    return counts[:, 1] / counts[:, 0]


def test_flat_pay_loses_top_performers_and_performance_pay_narrows_the_gap():
    """Retention (Kupang): exits raised for the test so each run has enough of them."""
    spec = load_scenario(
        KUPANG,
        [
            "scale=0.2",
            "horizon_years=6",
            "assumptions.pns_exit_rate=0.04",
            "assumptions.pppk_exit_rate=0.12",
            "assumptions.pppk_renewal_probability=1.0",  # every exit not retiring: resigned
        ],
    )
    linked = {f"{P}name": "performance_linked", f"{P}options.rater_noise_sd": 0.0}
    gaps = np.array(
        [
            [np.subtract(*_exit_rates(spec, seed, o)) for o in ({}, linked)]
            for seed in replication_seeds(0, REPS)
        ]
    )
    t = 2.201  # t(0.975, 11)

    def ci(x):
        half = t * x.std(ddof=1) / np.sqrt(len(x))
        return x.mean() - half, x.mean() + half

    assert ci(gaps[:, 0])[0] > 0, ci(gaps[:, 0])  # flat: top performers leave more
    assert ci(gaps[:, 0] - gaps[:, 1])[0] > 0, ci(gaps[:, 0] - gaps[:, 1])  # gap narrows
