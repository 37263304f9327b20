"""Change management's act on a hand-built snapshot, with known answers (fast)."""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from asnsim.policies.change import (
    DROP_COLUMN,
    ChangeManagementStatusQuo,
    Socialisation,
    SocialisationOptions,
)


class _Staff(SimpleNamespace):
    def __len__(self):
        return len(self.resistance)

    def column(self, name, default=0.0):
        assert name == DROP_COLUMN
        return self.drop if self.drop is not None else np.full(len(self), default)


class _Do:
    """Applies the actions to the stand-in staff, as the model's live arrays would."""

    def __init__(self, staff):
        self.staff, self.calls = staff, []

    def set_resistance(self, rows, values):
        self.calls.append(("resistance", np.asarray(rows).tolist()))
        self.staff.resistance[rows] = values

    def set_column(self, name, values, rows):
        self.calls.append((name, np.asarray(rows).tolist()))
        self.staff.drop = self.staff.column(name).copy()
        self.staff.drop[rows] = values


def _run(resistance, drop=None, cls=Socialisation, **options):
    staff = _Staff(resistance=np.array(resistance, float), drop=drop)
    gov, do = SimpleNamespace(staff=staff), _Do(staff)
    policy = cls(cls.Options(**options), np.random.default_rng(0))
    return policy.act(gov, do), staff, do


def test_the_most_resistant_are_reached_first_and_lowered_by_the_formula():
    result, staff, do = _run([0.1, 0.9, 0.5, 0.7], coverage=0.5, priority="most_resistant")
    # 2 sessions closing 0.2 of the gap to 0.25 SD: 0.25 × (1 − 0.8²) = 0.09 SD = 0.0135
    np.testing.assert_allclose(staff.resistance, [0.1, 0.9 - 0.0135, 0.5, 0.7 - 0.0135])
    np.testing.assert_allclose(staff.drop, [0.0, 0.09, 0.0, 0.09])
    assert do.calls == [("resistance", [1, 3]), (DROP_COLUMN, [1, 3])]
    assert result.spend == 2 * 2 * 50_000.0
    assert result.diagnostics["reached"] == 2
    assert result.diagnostics["resistance"] == pytest.approx(staff.resistance.mean())


def test_a_second_year_closes_the_remaining_gap():
    drop = np.array([0.09, 0.0])
    _, staff, _ = _run([0.5, 0.5], drop=drop, coverage=1.0)
    # from 0.09: 0.25 − 0.16 × 0.64 = 0.1476, so 0.0576 SD more
    np.testing.assert_allclose(staff.drop, [0.1476, 0.09])
    np.testing.assert_allclose(staff.resistance, [0.5 - 0.0576 * 0.15, 0.5 - 0.09 * 0.15])


def test_resistance_never_falls_below_zero():
    _, staff, _ = _run([0.01, 0.3], coverage=1.0, max_effect_sd=2.0, resistance_sd=0.5,
                       share_per_session=1.0, sessions_per_year=1)  # fmt: skip
    np.testing.assert_array_equal(staff.resistance, [0.0, 0.0])


@pytest.mark.parametrize("n, coverage, reach", [(3, 0.5, 2), (5, 0.3, 2), (10, 0.34, 3)])
def test_reach_rounds_half_up_and_random_priority_reaches_that_many(n, coverage, reach):
    result, staff, do = _run([0.5] * n, coverage=coverage)
    assert result.diagnostics["reached"] == reach
    assert len(do.calls[0][1]) == reach and len(set(do.calls[0][1])) == reach
    assert (staff.resistance < 0.5).sum() == reach


@pytest.mark.parametrize("options", [{"coverage": 0.0}, {"sessions_per_year": 0}])
def test_no_reach_or_no_sessions_does_nothing_and_costs_nothing(options):
    result, staff, do = _run([0.2, 0.4], **options)
    assert do.calls == []
    assert result.spend == 0.0
    assert result.diagnostics == {"reached": 0, "resistance": pytest.approx(0.3)}


def test_status_quo_reports_the_mean_resistance_or_nan_without_staff():
    result, _, do = _run([0.2, 0.4], cls=ChangeManagementStatusQuo)
    assert do.calls == [] and result.spend == 0.0
    assert result.diagnostics == {"reached": 0, "resistance": pytest.approx(0.3)}
    result, _, _ = _run([], cls=ChangeManagementStatusQuo)
    assert math.isnan(result.diagnostics["resistance"])


def test_defaults():
    o = SocialisationOptions()
    assert (o.max_effect_sd, o.share_per_session, o.resistance_sd) == (0.25, 0.2, 0.15)
    assert (o.coverage, o.sessions_per_year, o.cost_per_person_session) == (0.5, 2, 50_000.0)
    assert o.priority == "random"
