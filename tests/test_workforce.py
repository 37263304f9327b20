"""Workforce arithmetic: apportionment, learning and decay in closed form."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from asnsim.model import ASNModel
from asnsim.workforce import apportion


def test_apportion_known_case():
    # 10 people over weights 1:1:2 with room 2, 10, 10: the capped unit gets 2
    out = apportion(10, np.array([1.0, 1.0, 2.0]), np.array([2, 10, 10]))
    assert out.sum() == 10 and out[0] == 2
    np.testing.assert_array_equal(out, [2, 3, 5])


@given(st.integers(0, 500), st.lists(st.integers(1, 60), min_size=1, max_size=12))
def test_apportion_properties(total, caps):
    caps = np.array(caps)
    out = apportion(total, caps.astype(float), caps)
    assert out.sum() == min(total, caps.sum())
    assert ((out >= 0) & (out <= caps)).all()


def test_learning_compounds_exactly(tiny):
    model = ASNModel(tiny)
    wf = model.workforce
    start = wf.cur.copy()
    for _ in range(30):
        wf.learn(model.learning_rate)
    expected = wf.ceil - (wf.ceil - start) * (1 - model.learning_rate) ** 30
    np.testing.assert_allclose(wf.cur, expected, rtol=1e-12)
    # half the gap closes in learning_half_life_days
    gap = 1.0 - 0.2
    after = 1.0 - gap * (1 - model.learning_rate) ** tiny.assumptions.learning_half_life_days
    assert after == pytest.approx(1.0 - gap / 2)


def test_unused_skills_decay_toward_floor_current_kept(tiny):
    model = ASNModel(tiny)
    wf = model.workforce
    wf.competency[:] = 1.0
    model.workforce.decay_unused(model.units, 0.5)
    rows = np.arange(len(wf))
    sector = model.units.sector[wf.unit]
    np.testing.assert_allclose(wf.competency[rows, sector], wf.cur)
    other = np.ones_like(wf.competency, dtype=bool)
    other[rows, sector] = False
    np.testing.assert_allclose(wf.competency[other], (wf.floor + (1 - wf.floor) * 0.5)[other])


def test_initial_field_match_follows_scenario(tiny):
    low = ASNModel(tiny.with_overrides({"city.workforce.field_match_share": 0.2}))
    high = ASNModel(tiny.with_overrides({"city.workforce.field_match_share": 0.9}))

    def share(m):
        wf = m.workforce
        return m.qualifies[m.units.sector[wf.unit], wf.field].mean()

    assert share(low) < 0.35 and share(high) > 0.8


def test_newcomers_ramp_up(tiny):
    model = ASNModel(tiny)
    model.run(years=1, progress=False)
    wf = model.workforce
    first_day = model.day
    new = wf.hire_day == first_day
    assert new.any()
    assert np.allclose(wf.ramp[new], tiny.assumptions.ramp_start)
    model.run(years=1, progress=False)
    wf = model.workforce
    # a year later (> ramp_days) those recruits are fully proficient
    assert np.allclose(wf.ramp[wf.hire_day == first_day], 1.0)
    assert np.allclose(wf.ramp[wf.hire_day < first_day], 1.0)
