"""Appraisal's rate and act on a hand-built snapshot, with known answers (fast).

Ten staff, one position type, two units of five (unit 0 health, unit 1 licensing). Staff i
delivered ``100 + 10 i`` hours, so their results z-scores are ``(i − 4.5) / √8.25``:
staff 7, 8, 9 are at or above the top-20 % threshold (z ≥ 0.8416) and staff 0 below the
bottom-10 % one (z < −1.2816). Motivation is shifted one place (staff 0 most motivated,
staff 1 least), so results and behaviour levels differ.
"""

import math
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import stats

from asnsim.policies.appraisal import (
    BAIK,
    BUTUH_PERBAIKAN,
    KURANG,
    SANGAT_BAIK,
    AppraisalStatusQuo,
    PerformanceLinkedAllowance,
    cap_top_rating,
    level_of,
    peer_z,
    predikat,
)

N = 10
Z = (np.arange(N) - 4.5) / math.sqrt(8.25)  # results z-scores of staff 0..9
MOTIVATION = 0.5 + 0.01 * np.array([9, 0, 1, 2, 3, 4, 5, 6, 7, 8])
# rating without rater noise: results level (B, AE x6, A x3) against behaviour level
RATING = [BUTUH_PERBAIKAN, KURANG, BAIK, BAIK, BAIK, BAIK, BAIK, BAIK, SANGAT_BAIK, SANGAT_BAIK]
STATUS_QUO_FAIRNESS_SD = 0.5 * (1.0 - 1.0 / math.sqrt(2.0))  # fairness 1 vs reference 1/√2
MOTIVATION_SD = 0.2


class _Staff(SimpleNamespace):
    def __len__(self):
        return len(self.unit)


class _Do:
    def __init__(self, n):
        self.n, self.rating, self.columns = n, None, {}

    def rate(self, ratings):
        self.rating = np.asarray(ratings).copy()

    def set_column(self, name, values, rows=None, default=0.0):
        assert rows is None
        self.columns[name] = (np.broadcast_to(values, self.n).astype(float), default)


def _gov(output=None, motivation=MOTIVATION, unit=None, position=None, sectors=None):
    unit = np.arange(N) // 5 if unit is None else np.asarray(unit)
    n = len(unit)
    staff = _Staff(
        unit=unit,
        position=np.zeros(n, np.int8) if position is None else np.asarray(position, np.int8),
        output_year=100.0 + 10.0 * np.arange(n) if output is None else np.asarray(output, float),
        motivation=np.asarray(motivation, float),
        uid=np.arange(n) + 1000,
    )
    return SimpleNamespace(
        staff=staff,
        sectors=sectors or ["health", "licensing"],
        unit_sector=np.array([0, 1]),
        assumptions=SimpleNamespace(motivation_sd=MOTIVATION_SD),
    )


def _policy(cls=AppraisalStatusQuo, seed=0, **options):
    options = {"rater_noise_sd": 0.0, "min_peers": 6} | options
    return cls(cls.Options(**options), np.random.default_rng(seed))


def test_rate_without_noise_by_hand_with_the_city_wide_fallback():
    # groups (position, sector) have 5 < min_peers 6 staff: compared city-wide by position
    rating, results_true = _policy().rate(_gov())
    np.testing.assert_allclose(results_true, Z)
    assert rating.tolist() == RATING


def test_results_compared_within_position_and_sector():
    # 2 positions x 2 sectors, 5 each; each group on its own scale: z = (k − 2) / √2
    unit = np.tile(np.repeat([0, 1], 5), 2)
    position = np.repeat([0, 1], 10)
    k = np.tile(np.arange(5), 4)
    group = position * 2 + unit
    output = 50.0 * (group + 1) + (group + 1) * k
    gov = _gov(output, np.linspace(0.3, 0.7, 20), unit, position)
    _, results_true = _policy(min_peers=5).rate(gov)
    np.testing.assert_allclose(results_true, (k - 2) / math.sqrt(2.0))


def test_rater_noise_is_rescaled_to_unit_variance():
    sigma = 1.5
    policy = _policy(rater_noise_sd=sigma, seed=3)
    rng = np.random.default_rng(3)
    behaviour = (MOTIVATION - MOTIVATION.mean()) / MOTIVATION.std()
    for _year in range(2):  # two draws of 2 x N per year from the policy's stream
        rating, results_true = policy.rate(_gov())
        noise = rng.standard_normal((2, N))
        seen_r = (Z + sigma * noise[0]) / math.sqrt(1.0 + sigma**2)
        seen_b = (behaviour + sigma * noise[1]) / math.sqrt(1.0 + sigma**2)
        expected = predikat(level_of(seen_r, 0.2, 0.1), level_of(seen_b, 0.2, 0.1))
        np.testing.assert_allclose(results_true, Z)  # the truth is not noisy
        assert rating.tolist() == expected.tolist()
        assert rating.tolist() != RATING  # the noise changed someone's rating


def test_quota_keeps_the_best_by_results_plus_behaviour():
    # unit 1 holds both Sangat Baik (staff 8, 9); a 20 % cap allows one per unit of five.
    # Staff 9 is far ahead in behaviour, staff 8 slightly ahead in results: 9 keeps it
    motivation = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 12], float)
    b = (motivation - motivation.mean()) / motivation.std()
    assert b[8] >= stats.norm.ppf(0.8) and Z[9] + b[9] > Z[8] + b[8]
    assert Z[9] - b[9] < Z[8] - b[8]  # not by the difference
    rating, _ = _policy(sangat_baik_cap=0.2).rate(_gov(motivation=motivation))
    assert rating[8:].tolist() == [BAIK, SANGAT_BAIK]


def test_quota_applies_to_a_single_sangat_baik():
    rating = np.array([SANGAT_BAIK, BAIK])
    out = cap_top_rating(rating, np.array([1.0, 0.0]), np.array([0, 0]), 0.4)
    assert out.tolist() == [BAIK, BAIK]  # floor(0.4 x 2) = 0 allowed


def test_level_thresholds_are_inclusive_at_the_top_only():
    at = np.array([stats.norm.ppf(0.8), stats.norm.ppf(0.1)])
    assert level_of(at, 0.2, 0.1).tolist() == [2, 1]  # ABOVE at the top, AS_EXPECTED at the bottom


def test_peer_z_edges():
    # default min_peers is 2: a pair is compared
    np.testing.assert_allclose(peer_z(np.array([1.0, 3.0]), np.array([0, 0])), [-1.0, 1.0])
    # a lone member with min_peers 1 has no spread: z = 0; the pair's own mean is used
    np.testing.assert_allclose(
        peer_z(np.array([5.0, 1.0, 3.0]), np.array([0, 1, 1]), min_peers=1), [0.0, -1.0, 1.0]
    )
    # a constant group far from 0 stays at 0 despite rounding (sd of about 1e-10)
    for value in (5.0, 1_000_000.3):
        np.testing.assert_array_equal(peer_z(np.full(3, value), np.zeros(3, int)), 0.0)


def test_status_quo_act_by_hand():
    gov, do = _gov(), _Do(N)
    result = _policy(talent_exit_excess=0.5).act(gov, do)
    assert do.rating.tolist() == RATING
    # flat allowance: the bill is ten base allowances
    assert result.spend == pytest.approx(10 * 24_000_000.0)
    motivation, default = do.columns["motivation_appraisal"]
    np.testing.assert_allclose(motivation, STATUS_QUO_FAIRNESS_SD * MOTIVATION_SD)
    # top 3 of 10 (staff 7-9) unpaid: hazard 1.5 against 1, normalised by 1 + 0.3 × 0.5
    exit_, default = do.columns["exit_appraisal"]
    assert default == 1.0
    np.testing.assert_allclose(exit_, [1 / 1.15] * 7 + [1.5 / 1.15] * 3)
    assert exit_.mean() == pytest.approx(1.0)
    d = result.diagnostics
    assert d["fairness"] == 1.0 and d["accuracy"] == 1.0 and d["top_premium"] == 0.0
    assert [d[f"share_{p}"] for p in ("sangat_kurang", "kurang", "butuh_perbaikan")] == [
        0.0,
        0.1,
        0.1,
    ]
    assert d["share_baik"] == pytest.approx(0.6) and d["share_sangat_baik"] == 0.2


def test_policy_diagnostics_name_the_top_performers():
    policy, do = _policy(), _Do(N)
    assert policy.diagnostics == {}
    policy.act(_gov(), do)
    d = policy.diagnostics
    assert d["top_uids"].tolist() == [1007, 1008, 1009]
    np.testing.assert_allclose(d["rating_shares"], [0.0, 0.1, 0.1, 0.6, 0.2])
    assert d["top_premium"] == 0.0 and d["top_exit_multiplier"] == pytest.approx(2 / 1.3)
    np.testing.assert_allclose(d["motivation_sd_effect"], STATUS_QUO_FAIRNESS_SD)


def test_performance_linked_act_by_hand():
    gov, do = _gov(), _Do(N)
    result = _policy(PerformanceLinkedAllowance).act(gov, do)
    # 0.6 × factor + 0.4: BP 0.94, K 0.91, Baik 1.0 (x6), SB 1.12 (x2)
    assert result.spend == pytest.approx(10.09 * 24_000_000.0)
    # top (7, 8, 9) paid 1.08 on average against 1.009: premium 0.0704 of the 0.15 that
    # removes their extra hazard
    premium = 1.08 / 1.009 - 1.0
    assert result.diagnostics["top_premium"] == pytest.approx(premium)
    exit_, _ = do.columns["exit_appraisal"]
    top = (1.0 + (1.0 - premium / 0.15)) / 1.3
    np.testing.assert_allclose(exit_, [1 / 1.3] * 7 + [top] * 3)
    # health (unit 0) loses 0.05 SD to crowding out, licensing gains 0.15 SD × fairness 1
    motivation, _ = do.columns["motivation_appraisal"]
    expected_sd = STATUS_QUO_FAIRNESS_SD + np.repeat([-0.05, 0.15], 5)
    np.testing.assert_allclose(motivation, expected_sd * MOTIVATION_SD)


def test_a_premium_beyond_the_retention_premium_removes_the_extra_hazard():
    do = _Do(N)
    _policy(PerformanceLinkedAllowance, retention_premium=0.05).act(_gov(), do)
    exit_, _ = do.columns["exit_appraisal"]
    np.testing.assert_allclose(exit_, [1 / 1.3] * 10)


def test_no_top_performer_no_premium():
    # everyone delivered the same: no one is a top performer
    do = _Do(N)
    result = _policy(PerformanceLinkedAllowance).act(_gov(output=np.full(N, 100.0)), do)
    assert result.diagnostics["top_premium"] == 0.0
    np.testing.assert_allclose(do.columns["exit_appraisal"][0], 1.0)


def test_top_performers_paid_less_get_no_more_than_the_full_excess():
    # Sangat Baik cut to half: negative premium, the excess stays 1 (not more)
    do = _Do(N)
    result = _policy(PerformanceLinkedAllowance, factor_sangat_baik=0.5).act(_gov(), do)
    assert result.diagnostics["top_premium"] < 0.0
    np.testing.assert_allclose(do.columns["exit_appraisal"][0], [1 / 1.3] * 7 + [2 / 1.3] * 3)


def test_fairness_below_the_reference_lowers_motivation():
    # noise 2: accuracy 1/√5; participatory design adds 0.1; pay effect scales with fairness
    do = _Do(N)
    policy = _policy(
        PerformanceLinkedAllowance,
        rater_noise_sd=2.0,
        participatory=True,
        participatory_fairness_gain=0.1,
    )
    result = policy.act(_gov(), do)
    fairness = 1 / math.sqrt(5) + 0.1
    assert result.diagnostics["fairness"] == pytest.approx(fairness)
    assert result.diagnostics["accuracy"] == pytest.approx(1 / math.sqrt(5))
    motivation, _ = do.columns["motivation_appraisal"]
    pay = np.repeat([-0.05, 0.15 * fairness], 5)
    expected = (0.5 * (fairness - 1 / math.sqrt(2)) + pay) * MOTIVATION_SD
    np.testing.assert_allclose(motivation, expected)


def test_no_staff_no_bill():
    gov = _gov(output=[], motivation=[], unit=np.array([], np.int64), position=[])
    do = _Do(0)
    result = _policy(rater_noise_sd=1.0).act(gov, do)
    assert result.spend == 0.0
    assert dict(result.diagnostics) == {"fairness": pytest.approx(1 / math.sqrt(2))}
    assert do.rating is None and do.columns == {}
