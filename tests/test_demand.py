"""Queue mechanics against hand-worked cases and closed forms."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from asnsim.demand import abandonment_hazard, fifo_serve, wait_quantile


def test_fifo_serves_oldest_first():
    # unit 0: 3 waited 0 days, 2 waited 1 day, 4 waited 2 days; capacity 5
    # oldest first: the 4 of day 2, then 1 of the 2 of day 1, none of today's
    queue = np.array([[3, 2, 4], [1, 0, 0], [0, 0, 0]])
    served = fifo_serve(queue, np.array([5, 10, 3]))
    np.testing.assert_array_equal(served, [[0, 1, 4], [1, 0, 0], [0, 0, 0]])


@given(
    arrays(np.int64, (4, 6), elements=st.integers(0, 50)),
    arrays(np.int64, 4, elements=st.integers(0, 400)),
)
def test_fifo_properties(queue, capacity):
    served = fifo_serve(queue, capacity)
    assert ((served >= 0) & (served <= queue)).all()
    np.testing.assert_array_equal(served.sum(1), np.minimum(capacity, queue.sum(1)))
    # nobody is served while someone who waited longer is left waiting
    left = queue - served
    for u in range(4):
        if served[u].any():
            youngest_served = np.flatnonzero(served[u]).min()
            assert left[u, youngest_served + 1 :].sum() == 0


def test_abandonment_hazard_is_weibull():
    standard = np.array([1.0, 5.0])
    h = abandonment_hazard(standard, 30, multiple=3.0, shape=1.5)
    # survival after a days = product of (1 - h); must equal exp(-(a/scale)^k)
    surv = np.cumprod(1 - h, axis=1)
    a = np.arange(1, 31)
    expected = np.exp(-((a[None, :] / (3.0 * standard[:, None])) ** 1.5))
    np.testing.assert_allclose(surv, expected, rtol=1e-12)
    # shape 1 is memoryless: a constant hazard 1 - exp(-1/scale)
    h1 = abandonment_hazard(np.array([2.0]), 10, multiple=1.0, shape=1.0)
    np.testing.assert_allclose(h1, 1 - np.exp(-0.5))
    # longer standards mean more patience
    assert (h[1] < h[0]).all()


def test_wait_quantile():
    hist = np.array([[5, 3, 2, 0], [0, 0, 0, 0], [0, 0, 0, 10]])
    # unit 0: 10 served; 90th percentile is the 9th citizen -> waited 2 days; median 0 days
    np.testing.assert_array_equal(wait_quantile(hist, 0.9)[[0, 2]], [2, 3])
    assert wait_quantile(hist, 0.5)[0] == 0
    assert np.isnan(wait_quantile(hist, 0.9)[1])


def test_rework_returns_next_day(tiny):
    from asnsim.model import ASNModel

    model = ASNModel(tiny)
    q = model.queues
    model.step()
    due = q.rework_due.copy()
    before = q.arrived_rework.copy()
    model.step()
    np.testing.assert_array_equal(q.arrived_rework - before, due)


@pytest.mark.parametrize("competency", [0.0, 0.5, 1.0])
def test_error_rate_follows_competency(tiny, competency):
    from asnsim.demand import Queues
    from asnsim.units import build_units

    units = build_units(tiny)
    q = Queues(units, tiny.assumptions, 250, 0.0)
    q.arrive(np.full(len(units), 20_000))
    rng = np.random.default_rng(1)
    q.serve(np.full(len(units), 20_000.0), np.full(len(units), competency), rng)
    a = tiny.assumptions
    p = a.error_rate_novice - (a.error_rate_novice - a.error_rate_expert) * competency
    share = q.wrong.sum() / q.served.sum()
    assert share == pytest.approx(p, abs=0.005)
