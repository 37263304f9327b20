"""Training's pure rules and its gap to the post on a hand-built snapshot (fast)."""

from types import SimpleNamespace

import numpy as np
import pytest

from asnsim.policies import NoOptions
from asnsim.policies.contract import DIGITAL, MANAGERIAL
from asnsim.policies.training import (
    MANAGERIAL_POSTS,
    NoTraining,
    away_profile,
    post_gap,
    stochastic_round,
    training_days,
)
from asnsim.vocab import POSITION_TYPES


def _gov():
    staff = SimpleNamespace(
        unit=np.array([0, 0, 1, 1]),
        position=np.array(
            [POSITION_TYPES.index(p) for p in ("jpt", "pengawas", "administrator", "pelaksana")]
        ),
        cur=np.array([0.5, 0.9, 0.6, 0.2]),
        ceil=np.array([0.8, 0.85, 0.9, 0.7]),
        digital=np.array([0.3, 0.7, 0.1, 0.5]),
        managerial=np.array([0.4, 1.0, 0.75, 0.1]),
    )
    maturity = {"digital_maturity": np.array([0.6, 0.4])}
    return SimpleNamespace(
        staff=staff, unit_sector=np.array([1, 0]), service=lambda name: maturity[name]
    )


def test_post_gap_by_hand():
    gov = _gov()
    # sector 0 is unit 1's (staff 2, 3): ceiling − level; the others do not practise it
    np.testing.assert_allclose(post_gap(gov, 0), [0.0, 0.0, 0.3, 0.5])
    # sector 1 is unit 0's; staff 1 is above a lowered ceiling: no gap, not a negative one
    np.testing.assert_allclose(post_gap(gov, 1), [0.3, 0.0, 0.0, 0.0])
    # digital: the unit's maturity (0.6, 0.4) − the employee's digital competency, floor 0
    np.testing.assert_allclose(post_gap(gov, DIGITAL), [0.3, 0.0, 0.3, 0.0])
    # managerial posts only (jpt, pengawas, administrator): 1 − managerial
    np.testing.assert_allclose(post_gap(gov, MANAGERIAL), [0.6, 0.0, 0.25, 0.0])


def test_managerial_posts_are_jpt_administrator_and_pengawas():
    names = {POSITION_TYPES[i] for i in MANAGERIAL_POSTS}
    assert names == {"jpt", "administrator", "pengawas"}


def test_training_days_follows_the_working_day():
    # 20 JP = 15 h: 2 days of 7.5 h, 2.5 days of 6 h
    assert training_days(20, 7.5) == pytest.approx(2.0)
    assert training_days(20, 6.0) == pytest.approx(2.5)


def test_away_profile_edges():
    np.testing.assert_allclose(away_profile(2.5), [1, 1, 0.5])
    # a whole number of days, even off by rounding, has no sliver of a day after it
    np.testing.assert_allclose(away_profile(3.0 - 1e-12), [1, 1, 1])
    assert len(away_profile(3.0 + 1e-12)) == 3
    assert len(away_profile(0.0)) == 0


def test_stochastic_round_by_hand():
    x = np.array([1.25, 1.25, 2.0, 0.5, 0.5])
    u = np.array([0.2, 0.3, 0.0, 0.5, 0.49])
    # up where u < the fraction; an exact integer never moves, even when u = 0
    assert stochastic_round(x, u).tolist() == [2, 1, 2, 0, 1]
    assert stochastic_round(x, u).dtype == np.int64


def test_no_training_trains_no_one_and_records_nothing():
    options, rng = NoOptions(), np.random.default_rng(0)
    policy = NoTraining(options, rng)
    assert policy.options is options and policy.rng is rng
    result = policy.act(_gov(), None)
    assert result.spend == 0.0
    assert dict(result.diagnostics) == {"trained": 0, "jp": 0.0, "seats": 0}
    assert policy.plans == [] and policy.gains == []
    assert policy.plan_frame().empty and policy.gain_frame().empty
    plan_cols = ["year", "program", "target", "mode", "sector", "trainees", "jp", "spend"]
    gain_cols = ["year", "program", "target", "trainees", "gain"]
    assert list(policy.plan_frame().columns) == plan_cols
    assert list(policy.gain_frame().columns) == gain_cols
    # a recorded row comes back under its columns, in that order
    policy.plans.append(dict(zip(reversed(plan_cols), range(8), strict=True)))
    policy.gains.append(dict(zip(reversed(gain_cols), range(5), strict=True)))
    assert policy.plan_frame().iloc[0].tolist() == list(range(7, -1, -1))
    assert policy.gain_frame().iloc[0].tolist() == list(range(4, -1, -1))
