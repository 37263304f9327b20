"""Participation's act on a hand-built snapshot, with known answers (fast)."""

from types import SimpleNamespace

import numpy as np

from asnsim.policies.participation import (
    MOTIVATION_COLUMN,
    CitizenForums,
    CitizenForumsOptions,
    ParticipationOptions,
    ParticipationStatusQuo,
    accountability_offset,
    complaint_handling_step,
)


class _Do:
    def __init__(self):
        self.calls = {}

    def set_service(self, name, values):
        self.calls[name] = np.asarray(values).tolist()

    def set_feedback_weight(self, weight):
        self.calls["feedback_weight"] = weight

    def set_column(self, name, values):
        self.calls[name] = np.asarray(values).tolist()


def _gov():
    handling = {"complaint_handling": np.array([0.4, 0.9, 0.6])}
    return SimpleNamespace(
        service=lambda name: handling[name],
        baseline=lambda name: np.array([0.4, 0.9, 0.5])[: len(handling[name])],
        staff=SimpleNamespace(unit=np.array([2, 0, 0, 1])),
        formation=np.array([10, 20, 30]),
    )


def test_forums_close_half_the_gap_and_pay_per_post():
    do = _Do()
    options = CitizenForumsOptions(accountability_motivation=0.1, feedback_weight=0.25)
    result = CitizenForums(options, np.random.default_rng(0)).act(_gov(), do)
    # 0.4 → 0.6; 0.9 stays above the 0.8 target; 0.6 → 0.7
    np.testing.assert_allclose(do.calls["complaint_handling"], [0.6, 0.9, 0.7])
    assert do.calls["feedback_weight"] == 0.25
    # offset per unit: 0.1 × (0.2, 0, 0.2) above the baseline, per employee by unit
    np.testing.assert_allclose(do.calls[MOTIVATION_COLUMN], [0.02, 0.02, 0.02, 0.0])
    assert result.spend == 100_000.0 * 60
    assert result.diagnostics["complaint_handling"] == np.mean([0.6, 0.9, 0.7])
    assert result.diagnostics["feedback_weight"] == 0.25


def test_status_quo_reports_the_handling_and_no_feedback():
    do = _Do()
    result = ParticipationStatusQuo(ParticipationStatusQuo.Options(), None).act(_gov(), do)
    assert do.calls == {} and result.spend == 0.0
    assert result.diagnostics == {
        "complaint_handling": np.mean([0.4, 0.9, 0.6]),
        "feedback_weight": 0.0,
    }


def test_the_pure_steps_never_lower_and_count_only_the_rise():
    np.testing.assert_allclose(complaint_handling_step(np.array([0.9, 0.2]), 0.8, 0.5), [0.9, 0.5])
    np.testing.assert_allclose(
        accountability_offset(np.array([0.3, 0.6]), np.array([0.5, 0.5]), -0.1), [0.0, -0.01]
    )


def test_defaults():
    o = CitizenForumsOptions()
    assert (o.complaint_handling_target, o.complaint_handling_rate) == (0.8, 0.5)
    assert (o.feedback_weight, o.accountability_motivation, o.cost_per_post) == (
        0.5,
        0.05,
        100_000.0,
    )
    assert ParticipationOptions().feedback_weight == 0.5
