"""Queue mechanics against hand-worked cases and closed forms."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from asnsim.demand import abandonment_hazard, fifo_serve, patience_scale, wait_quantile

TINY = Path(__file__).parent / "data" / "tiny.yaml"


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
    # survival after a days = product of (1 - h); must equal exp(-(a/scale)^k) with the
    # scale that gives a mean of 3 standards: 3 / Γ(1 + 1/1.5) = 3 / 0.902745...
    surv = np.cumprod(1 - h, axis=1)
    a = np.arange(1, 31)
    scale = 3.0 / 0.9027452929509336 * standard[:, None]
    expected = np.exp(-((a[None, :] / scale) ** 1.5))
    np.testing.assert_allclose(surv, expected, rtol=1e-12)
    # shape 1 is memoryless: a constant hazard 1 - exp(-1/scale)
    h1 = abandonment_hazard(np.array([2.0]), 10, multiple=1.0, shape=1.0)
    np.testing.assert_allclose(h1, 1 - np.exp(-0.5))
    # longer standards mean more patience
    assert (h[1] < h[0]).all()


@pytest.mark.parametrize("shape", [1.0, 1.5, 3.0])
def test_mean_patience_is_patience_multiple_standards(shape):
    """The documented meaning: citizens' mean patience = patience_multiple × standard.

    The mean of a survival curve is its integral; from whole-day survivals the trapezoid
    rule gives Σ_a≥0 S(a) − 1/2, exact to well under a day for a 150-day mean.
    """
    standard, multiple = np.array([50.0]), 3.0
    h = abandonment_hazard(standard, 1001, multiple=multiple, shape=shape)
    surv = np.concatenate([[1.0], np.cumprod(1 - h[0])])
    mean = surv.sum() - 0.5
    assert mean == pytest.approx(multiple * standard[0], abs=0.2)
    # reading the parameter as the scale (as before) gives a mean Γ(1 + 1/k) times it
    old_mean = multiple * standard[0] / patience_scale(1.0, shape)
    assert shape == 1.0 or abs(old_mean - mean) > 2.0


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


# ------------------------------------------------------------ the queues, day by day


def _one_unit(
    tiny,
    *,
    demand=100.0,
    growth=0.0,
    seasonality=0.0,
    errors=(0.0, 0.0),
    rework_return=0.0,
    days_per_year=250,
    n_units=1,
    patience=1e12,
):
    """Queues of ``n_units`` units (standard 2 days) whose citizens never give up by default."""
    from asnsim.demand import Queues
    from asnsim.units import build_units

    units = build_units(tiny)
    keep = list(range(n_units))
    for name in vars(units):
        value = getattr(units, name)
        if isinstance(value, np.ndarray):
            setattr(units, name, value[keep])
    units.name = units.name[:n_units]
    units.demand_per_day = np.full(n_units, demand)
    units.demand_growth = np.full(n_units, growth)
    units.standard_days = np.full(n_units, 2.0)
    a = tiny.assumptions.model_copy(
        update={
            "patience_multiple": patience,  # 1e12: hazard ~1e-30, nobody gives up
            "error_rate_novice": errors[0],
            "error_rate_expert": errors[1],
            "rework_return_share": rework_return,
            "queue_max_days": 5,
        }
    )
    return Queues(units, a, days_per_year, seasonality)


def _day(q, new, capacity, rng, competency=1.0):
    q.arrive(np.array([new]))
    served = q.serve(np.array([capacity]), np.array([competency]), rng)
    q.abandon_and_age(rng)
    return int(served[0])


def test_known_arrivals_and_capacity_give_known_waits(tiny):
    # 10 requests arrive on day 0, none after; capacity 4 a day, oldest first:
    # day 0 serves 4 who waited 0 days, day 1 4 who waited 1 day, day 2 the last 2 (2 days)
    q = _one_unit(tiny)
    rng = np.random.default_rng(0)
    assert [_day(q, n, 4.0, rng) for n in (10, 0, 0, 0)] == [4, 4, 2, 0]
    np.testing.assert_array_equal(q.served_hist_year[0], [4, 4, 2, 0, 0, 0])
    np.testing.assert_array_equal(q.served_hist_period[0], [4, 4, 2, 0, 0, 0])
    assert q.waiting[0] == 0 and q.served[0] == 10 and q.arrived[0] == 10
    assert q.abandoned[0] == 0


def test_new_requests_are_served_the_day_they_arrive_when_there_is_room(tiny):
    # 3 a day against capacity 5: nobody waits; the served-today record says so each day
    q = _one_unit(tiny)
    rng = np.random.default_rng(0)
    for _ in range(4):
        assert _day(q, 3, 5.0, rng) == 3
        np.testing.assert_array_equal(q.served_today[0], [3, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(q.served_hist_year[0], [12, 0, 0, 0, 0, 0])
    assert q.waiting[0] == 0


def test_waiting_citizens_age_one_day_a_day_and_the_last_column_keeps_them(tiny):
    # nobody served: 7 arrive on day 0 and 1 each later day; after 8 days the 7 have waited
    # 8 days, beyond the last column (5 days), which holds every longer wait
    q = _one_unit(tiny)
    rng = np.random.default_rng(0)
    for n in (7, 1, 1, 1, 1, 1, 1, 1):
        _day(q, n, 0.0, rng)
    # ages after 8 days: day-7 arrival waited 1 day, ..., day-3 arrival 5 days (last column
    # also holds the day-0 to day-2 arrivals: 7 + 1 + 1 + 1 = 10)
    np.testing.assert_array_equal(q.queue[0], [0, 1, 1, 1, 1, 10])
    assert q.waiting[0] == 14 and q.arrived_new[0] == 14


def test_fractional_capacity_carries_over_but_idle_capacity_does_not_bank(tiny):
    q = _one_unit(tiny)
    rng = np.random.default_rng(0)
    # 2.5 a day with a long queue: 2, then 3 (0.5 + 0.5 carried), 2, 3
    assert [_day(q, n, 2.5, rng) for n in (100, 0, 0, 0)] == [2, 3, 2, 3]
    # an idle day loses the fraction: empty the queue, then 2.5 gives 2 again
    q2 = _one_unit(tiny)
    assert _day(q2, 1, 2.5, rng) == 1  # served 1 < 2 whole: nothing carried
    assert q2.carry[0] == 0.0
    assert [_day(q2, 10, 2.5, rng), _day(q2, 0, 2.5, rng)] == [2, 3]


def test_every_error_returns_next_day_as_rework(tiny):
    # error rate 1 for everyone, all return: each day's served come back the next morning
    q = _one_unit(tiny, errors=(1.0, 1.0), rework_return=1.0)
    rng = np.random.default_rng(0)
    assert _day(q, 5, 10.0, rng) == 5
    assert q.wrong[0] == 5 and q.rework_due[0] == 5 and q.arrived_rework[0] == 0
    assert _day(q, 2, 10.0, rng) == 7  # 2 new + 5 rework
    assert q.arrived_rework[0] == 5 and q.arrived_new[0] == 7 and q.arrived[0] == 12
    assert q.wrong_period[0] == 12 and q.served_period[0] == 12
    assert _day(q, 0, 10.0, rng) == 7  # the 7 wrong of yesterday, nothing new
    assert q.arrived_rework[0] == 12 and q.arrived_new[0] == 7  # counters add up
    # expert staff make no errors when the expert rate is 0
    q0 = _one_unit(tiny, errors=(1.0, 0.0), rework_return=1.0)
    _day(q0, 5, 10.0, rng, competency=1.0)
    assert q0.wrong[0] == 0 and q0.rework_due[0] == 0


def test_reset_period_and_year_clear_their_own_records(tiny):
    q = _one_unit(tiny, errors=(1.0, 1.0))
    rng = np.random.default_rng(0)
    _day(q, 4, 10.0, rng)
    q.reset_period()
    assert q.served_hist_period.sum() == 0 and q.wrong_period.sum() == 0
    assert q.served_period.sum() == 0
    assert q.served_hist_year.sum() == 4 and q.served[0] == 4 and q.wrong[0] == 4
    q.reset_year()
    assert q.served_hist_year.sum() == 0 and q.served[0] == 4


def test_citizens_give_up_by_the_hazard_of_their_wait(tiny):
    # a hazard of 1 at every wait: everyone not served today is gone by tomorrow
    q = _one_unit(tiny, n_units=2)
    q.hazard[:] = 1.0
    rng = np.random.default_rng(0)
    q.arrive(np.array([9, 1]))  # unit 1: a single citizen waits, and gives up too
    q.serve(np.array([4.0, 0.0]), np.array([1.0, 1.0]), rng)
    gone = q.abandon_and_age(rng)
    assert gone.tolist() == [5, 1] and q.abandoned.tolist() == [5, 1]
    assert q.waiting.tolist() == [0, 0]
    q.arrive(np.array([3, 2]))
    q.serve(np.array([0.0, 0.0]), np.array([1.0, 1.0]), rng)
    assert q.abandon_and_age(rng).tolist() == [3, 2]
    assert q.abandoned.tolist() == [8, 3]  # cumulative, per unit


def test_the_open_last_column_keeps_the_last_hazard(tiny):
    from asnsim.demand import abandonment_hazard

    q = _one_unit(tiny, n_units=2, patience=1.5)
    shape = tiny.assumptions.patience_shape
    h = abandonment_hazard(np.full(2, 2.0), 6, 1.5, shape)  # the days 0-5 of a 5-day queue
    assert shape > 1 and (np.diff(h, axis=1) > 0).all()  # a rising hazard: the test can tell
    np.testing.assert_array_equal(q.hazard[:, :-1], h[:, :-1])
    np.testing.assert_array_equal(q.hazard[:, -1], h[:, -2])  # not h[:, -1]


def test_counts_are_whole_numbers_and_nothing_is_served_before_the_first_day(tiny):
    q = _one_unit(tiny, n_units=2)
    assert q.served_today.shape == q.queue.shape and not q.served_today.any()
    counts = (
        "queue", "served_today", "served_hist_period", "served_hist_year", "arrived_new",
        "arrived_rework", "served", "abandoned", "wrong", "wrong_period", "served_period",
        "rework_due",
    )  # fmt: skip
    for name in counts:
        value = getattr(q, name)
        assert value.dtype == np.int64 and not value.any(), name


def test_demand_grows_by_exactly_g_a_year(tiny):
    q = _one_unit(tiny, demand=80.0, growth=0.05, days_per_year=250)
    assert q.demand_rate(0)[0] == pytest.approx(80.0, rel=1e-15)
    assert q.demand_rate(250)[0] == pytest.approx(80.0 * 1.05, rel=1e-12)
    assert q.demand_rate(500)[0] == pytest.approx(80.0 * 1.05**2, rel=1e-12)
    # compound within the year: half a year is sqrt(1.05)
    assert q.demand_rate(125)[0] == pytest.approx(80.0 * 1.05**0.5, rel=1e-12)
    # a year is days_per_year days, whatever that is
    q200 = _one_unit(tiny, demand=80.0, growth=0.05, days_per_year=200)
    assert q200.demand_rate(200)[0] == pytest.approx(84.0, rel=1e-12)


def test_yearly_cycle_has_mean_one_and_peaks_a_quarter_into_the_year(tiny):
    s = 0.2
    q = _one_unit(tiny, demand=50.0, seasonality=s)
    days = np.arange(250)
    rate = np.array([q.demand_rate(d)[0] for d in days])
    assert rate.mean() == pytest.approx(50.0, rel=1e-12)  # the cycle moves demand, adds none
    # 1 + s sin(2 pi t): the peak a quarter into the year, the trough three quarters in
    assert q.demand_rate(62.5)[0] == pytest.approx(50.0 * (1 + s), rel=1e-12)
    assert q.demand_rate(187.5)[0] == pytest.approx(50.0 * (1 - s), rel=1e-12)
    assert rate.argmax() in (62, 63) and rate.argmin() in (187, 188)
    assert rate.max() == pytest.approx(50.0 * (1 + s), rel=1e-3)
    assert q.demand_rate(0)[0] == pytest.approx(50.0, rel=1e-15)


def test_waits_past_the_last_tracked_day_are_counted_as_capped(tiny):
    """Citizens served or lost from the open last column are counted; nobody else is."""
    q = _one_unit(tiny, n_units=1)  # queue_max_days 5: columns 0..5, 5 = "5 days or more"
    rng = np.random.default_rng(3)
    q.arrive(np.array([10]))
    for _ in range(8):  # nobody served for 8 days: the 10 reach the last column and stay
        q.serve(np.array([0.0]), np.array([1.0]), rng)
        q.abandon_and_age(rng)
    assert q.queue[0, -1] == 10 and q.capped[0] == 0  # waiting, not yet served or lost
    q.arrive(np.array([3]))
    q.serve(np.array([4.0]), np.array([1.0]), rng)  # the 4 oldest: from the last column
    assert q.capped[0] == 4
    q.hazard[:] = 1.0  # everyone left gives up tonight: 6 from the last column, 3 new
    q.abandon_and_age(rng)
    assert q.capped[0] == 4 + 6 and q.abandoned[0] == 9


def test_a_run_flags_capped_waits_and_warns(tiny, tmp_path, capsys):
    """An overloaded unit with a short tracked queue: waits_capped > 0 and the summary warns."""
    from asnsim.cli import main
    from asnsim.model import ASNModel

    overload = {"assumptions.queue_max_days": 5, "city.units.1.effort_hours": 40.0}
    city = ASNModel(tiny.with_overrides(overload), horizon_years=1).run(progress=False).city()
    assert city["waits_capped"].iloc[0] > 0
    calm = ASNModel(tiny, horizon_years=1).run(progress=False).city()
    assert calm["waits_capped"].iloc[0] == 0
    args = ["run", str(TINY), "--years", "1", "--quiet", "--no-figure"]
    args += ["--set", "assumptions.queue_max_days=5", "--set", "city.units.1.effort_hours=40"]
    assert main([*args, "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "citizens waited 5 working days or more" in out
    calm_args = ["run", str(TINY), "--years", "1", "--quiet", "--no-figure"]
    assert main([*calm_args, "--out", str(tmp_path / "calm")]) == 0
    assert "working days or more" not in capsys.readouterr().out
