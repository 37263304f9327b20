"""E-government's act on a hand-built snapshot, with known answers (fast)."""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from asnsim.policies.digital import DigitalisationStatusQuo, EGovernment, EGovernmentOptions

S = 1.0 - math.exp(-1.0)  # saturation when the investment equals the cost scale
OPTIONS = {
    "usefulness_weight": 0.5,
    "resistance_damping": 0.5,
    "admin_time_freed": 0.2,
    "online_share_max": 0.5,
    "online_saving": 0.4,
    "online_overhead": 0.2,
    "cost_scale_per_post": 1000.0,
    "investment_per_post": 1000.0,
    "simpeg_cost_per_employee": 10.0,
}


class _Do:
    def __init__(self):
        self.service = {}

    def set_service(self, name, values):
        self.service[name] = np.asarray(values, float)


class _Staff(SimpleNamespace):
    def __len__(self):
        return len(self.unit)


def _gov():
    # units 0 (two staff), 1 (one), 2 (none)
    service = {"digital_maturity": np.array([0.2, 0.6, 0.5])}
    return SimpleNamespace(
        staff=_Staff(
            unit=np.array([0, 0, 1]),
            digital=np.array([0.4, 0.8, 1.0]),
            resistance=np.array([0.0, 1.0, 0.0]),
        ),
        n_units=3,
        service=lambda name: service[name],
        baseline=lambda name: {"effort_hours": np.array([10.0, 20.0, 30.0])}[name],
        formation=np.array([2, 1, 4]),
    )


def _run(**options):
    gov, do = _gov(), _Do()
    policy = EGovernment(EGovernmentOptions(**{**OPTIONS, **options}), np.random.default_rng(0))
    return policy.act(gov, do), do, policy


def test_e_government_by_hand():
    result, do, policy = _run()
    # use: (0.5 × maturity + 0.5 × digital) × (1 − 0.5 × resistance) = 0.3, 0.25 | 0.8
    adoption = np.array([0.275, 0.8, 0.0])
    np.testing.assert_allclose(policy.last_adoption, adoption)
    maturity = np.array([0.2, 0.6, 0.5]) + np.array([0.8, 0.4, 0.5]) * S * adoption
    np.testing.assert_allclose(do.service["digital_maturity"], maturity)
    share = 0.5 * maturity
    np.testing.assert_allclose(policy.last_online_share, share)
    # online effort 1 + 0.2 (1 − c) − 0.4 c at mean digital 0.6, 1.0, none: 0.84, 0.6, 1.2
    factor = np.array([0.84, 0.6, 1.2])
    effort = np.array([10, 20, 30]) * ((1 - share) + share * factor) / (1 + 0.2 * adoption)
    np.testing.assert_allclose(do.service["effort_hours"], effort)
    assert result.spend == pytest.approx(1000.0 * 7 + 10.0 * 3)
    assert result.diagnostics == pytest.approx(
        {"adoption": adoption.mean(), "online_share": share.mean(), "maturity": maturity.mean()}
    )


def test_without_simpeg_or_online_channels_only_maturity_moves():
    result, do, _ = _run(simpeg=False, online_channels=False)
    np.testing.assert_allclose(do.service["effort_hours"], [10.0, 20.0, 30.0])
    assert result.spend == pytest.approx(1000.0 * 7)
    assert result.diagnostics["online_share"] == 0.0


def test_maturity_never_exceeds_one():
    _, do, _ = _run(investment_per_post=1e9, usefulness_weight=1.0, resistance_damping=0.0)
    assert do.service["digital_maturity"].max() <= 1.0


def test_status_quo_reports_the_maturity_only():
    gov = _gov()
    result = DigitalisationStatusQuo(DigitalisationStatusQuo.Options(), None).act(gov, _Do())
    assert result.spend == 0.0
    assert result.diagnostics == pytest.approx(
        {"adoption": 0.0, "online_share": 0.0, "maturity": np.mean([0.2, 0.6, 0.5])}
    )


def test_nothing_to_inspect_before_the_first_year():
    policy = EGovernment(EGovernmentOptions(), np.random.default_rng(0))
    assert policy.last_adoption is None and policy.last_online_share is None
