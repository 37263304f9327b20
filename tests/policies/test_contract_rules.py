"""The lever contract (Snapshot, Staff, Actions) on a hand-built stand-in model.

Known answers on three employees and three units, no model run: fast enough for mutmut.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from asnsim.policies.contract import (
    AWAY_COLUMN,
    DIGITAL,
    MANAGERIAL,
    Actions,
    Snapshot,
    _live_rows,
    _shift_away,
)
from asnsim.workforce import Workforce

N_SECTORS = 2


def _workforce(uids=(10, 20, 30), units=(0, 1, -1)) -> Workforce:
    wf = Workforce.empty(N_SECTORS)
    n = len(uids)
    new = {}
    for f in Workforce.__dataclass_fields__:
        if f in ("extra", "extra_default"):
            continue
        col = getattr(wf, f)
        shape = (n, *col.shape[1:])
        new[f] = np.zeros(shape, dtype=col.dtype)
    new["uid"] = np.array(uids, dtype=np.int64)
    new["unit"] = np.array(units, dtype=np.intp)
    new["present"] = np.ones(n)
    new["competency"] = np.full((n, N_SECTORS), 0.5)
    new["cur"] = np.full(n, 0.3)
    wf.append(new)
    return wf


class _Service(SimpleNamespace):
    """Stand-in for the model's ServiceState: plain attributes, no behaviour."""


def _model(wf: Workforce | None = None, known=None, weight=0.25) -> SimpleNamespace:
    wf = _workforce() if wf is None else wf
    units = SimpleNamespace(
        sectors=["health", "admin"],
        sector=np.array([0, 1, 0]),
        formation=np.array([3, 1, 0]),
        standard_days=np.array([1.0, 2.0, 3.0]),
    )
    spec = SimpleNamespace(
        scale=0.02,
        assumptions=SimpleNamespace(mismatch_ceiling=0.6),
        training=SimpleNamespace(programs=[]),
        city=SimpleNamespace(workforce=SimpleNamespace(field_mix={"a": 2.0, "b": 1.0})),
    )
    service = _Service(
        effort_hours=np.array([0.1, 0.2, 0.3]),
        baseline={"effort_hours": np.array([0.5, 0.5, 0.5])},
    )
    events = []
    return SimpleNamespace(
        workforce=wf,
        units=units,
        spec=spec,
        day=800,
        days_per_year=365,
        field_names=["a", "b"],
        qualifies=np.array([[True, False], [False, True]]),
        service=service,
        _newcomers=np.array([2]),
        _known=known,
        feedback_weight=weight,
        sector_signal=lambda: {"health": 80.0},
        training_programs=[SimpleNamespace(seats_used=0), SimpleNamespace(seats_used=0)],
        events=events,
        at_day=lambda day, fn: events.append((day, fn)),
    )


def test_snapshot_fields_and_counts_by_hand():
    gov = Snapshot(_model())
    assert (gov.day, gov.year, gov.days_per_year, gov.scale) == (800, 2, 365, 0.02)
    assert type(gov.year) is int
    assert gov.sectors == ["health", "admin"] and gov.field_names == ["a", "b"]
    assert gov.n_units == 3
    assert gov.assumptions.mismatch_ceiling == 0.6 and gov.training.programs == []
    np.testing.assert_array_equal(gov.graduate_mix, [2.0, 1.0])
    np.testing.assert_array_equal(gov.unit_sector, [0, 1, 0])
    np.testing.assert_array_equal(gov.standard_days, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(gov.qualifies, [[True, False], [False, True]])
    # staff 0 in unit 0, 1 in unit 1, the newcomer (-1) not counted
    np.testing.assert_array_equal(gov.staff_per_unit(), [1, 1, 0])
    np.testing.assert_array_equal(gov.open_posts(), [2, 0, 0])
    np.testing.assert_array_equal(gov.newcomers, [2])
    np.testing.assert_array_equal(gov.service("effort_hours"), [0.1, 0.2, 0.3])
    np.testing.assert_array_equal(gov.baseline("effort_hours"), [0.5, 0.5, 0.5])
    assert gov.sector_signal() == {"health": 80.0}
    assert gov.feedback_weight == 0.25


def test_snapshot_views_are_read_only():
    gov = Snapshot(_model())
    views = [gov.qualifies, gov.unit_sector, gov.formation, gov.standard_days, gov.newcomers]
    views += [gov.staff.uid, gov.service("effort_hours"), gov.baseline("effort_hours")]
    for a in views:
        with pytest.raises(ValueError, match="read-only"):
            a[0] = a[0]


def test_staff_attributes_columns_and_unknown_names():
    m = _model()
    staff = Snapshot(m).staff
    assert len(staff) == 3
    np.testing.assert_array_equal(staff.uid, [10, 20, 30])
    np.testing.assert_array_equal(staff.column("mine", default=7.0), [7.0, 7.0, 7.0])
    np.testing.assert_array_equal(staff.column("mine"), [0.0, 0.0, 0.0])
    m.workforce.add_column("mine", 1.0)[:] = [1.0, 2.0, 3.0]
    col = staff.column("mine", default=7.0)
    np.testing.assert_array_equal(col, [1.0, 2.0, 3.0])
    assert not col.flags.writeable
    with pytest.raises(AttributeError, match="staff have no attribute 'extra'"):
        staff.extra  # noqa: B018


def test_year_flows_and_unit_signal_by_hand():
    assert Snapshot(_model(known=None)).year_flows() is None
    assert Snapshot(_model(known={})).unit_signal() is None
    known = {
        "arrivals": np.array([1.0]),
        "rework_arrivals": np.array([2.0]),
        "served": np.array([3.0]),
        "backlog": np.array([4.0]),
        "unit_ikm": np.array([60.0, 80.0]),
        "unit_ikm_true": np.array([100.0, 40.0]),
    }
    gov = Snapshot(_model(known=known, weight=0.25))
    flows = gov.year_flows()
    assert sorted(flows) == ["arrivals", "backlog", "rework_arrivals", "served"]
    assert [flows[k][0] for k in ("arrivals", "rework_arrivals", "served", "backlog")] == [
        1.0, 2.0, 3.0, 4.0,
    ]  # fmt: skip
    # 0.75 * 60 + 0.25 * 100 = 70; 0.75 * 80 + 0.25 * 40 = 70
    np.testing.assert_allclose(gov.unit_signal(), [70.0, 70.0])


def test_train_each_target_by_hand():
    m = _model()
    do = Actions(m, "training")
    wf = m.workforce
    wf.digital[:] = 0.5
    wf.managerial[:] = 0.5
    rows = np.array([0, 1])
    do.train(rows, DIGITAL, np.array([0.1, 0.2]), jp=24)
    np.testing.assert_allclose(wf.digital, [0.6, 0.7, 0.5])
    np.testing.assert_allclose(wf.jp_year, [24, 24, 0])
    do.train(rows, MANAGERIAL, np.array([0.3, 0.4]), jp=1)
    np.testing.assert_allclose(wf.managerial, [0.8, 0.9, 0.5])
    np.testing.assert_allclose(wf.digital, [0.6, 0.7, 0.5])
    # sector 0: row 0 sits in a sector-0 unit (its live `cur` rises), row 1 in sector 1
    do.train(rows, 0, np.array([0.05, 0.07]), jp=2)
    np.testing.assert_allclose(wf.cur, [0.35, 0.3, 0.3])
    np.testing.assert_allclose(wf.competency[:, 0], [0.5, 0.57, 0.5])
    np.testing.assert_allclose(wf.competency[:, 1], [0.5, 0.5, 0.5])
    np.testing.assert_allclose(wf.jp_year, [27, 27, 0])


def test_train_with_a_sector_per_row_is_each_row_trained_in_its_own():
    """One call with per-row targets equals one call per target (routine development)."""
    rows, gains, lasting = np.array([0, 1, 2]), np.array([0.05, 0.07, 0.02]), np.full(3, 0.01)
    targets = np.array([0, 0, 1])  # row 0 in its own sector, rows 1-2 outside theirs
    by_row, by_target = _model(), _model()
    Actions(by_row, "training").train(rows, targets, gains, 2.0, lasting)
    for t in (0, 1):
        mine = targets == t
        Actions(by_target, "training").train(rows[mine], t, gains[mine], 2.0, lasting[mine])
    for name in ("cur", "ceil", "competency", "boost", "jp_year"):
        np.testing.assert_array_equal(
            getattr(by_row.workforce, name), getattr(by_target.workforce, name), name
        )
    np.testing.assert_allclose(by_row.workforce.cur, [0.35, 0.3, 0.3])
    np.testing.assert_allclose(by_row.workforce.competency[:, 0], [0.5, 0.57, 0.5])


def test_rate_resistance_columns_service_weight_and_seats():
    m = _model()
    do = Actions(m, "appraisal")
    assert do.kind == "appraisal"
    wf = m.workforce
    do.rate(np.array([3, 1, 2]))
    np.testing.assert_array_equal(wf.last_rating, [3, 1, 2])
    do.set_resistance(np.array([2]), np.array([0.9]))
    np.testing.assert_allclose(wf.resistance, [0, 0, 0.9])
    do.set_column("memo", 5.0, rows=np.array([1]), default=-1.0)
    np.testing.assert_array_equal(wf.extra["memo"], [-1.0, 5.0, -1.0])
    assert wf.extra_default["memo"] == -1.0
    do.set_column("memo", 2.0)
    np.testing.assert_array_equal(wf.extra["memo"], [2.0, 2.0, 2.0])
    do.set_column("plain", 3.0, rows=np.array([0]))
    np.testing.assert_array_equal(wf.extra["plain"], [3.0, 0.0, 0.0])
    do.set_service("effort_hours", [1, 0, 1])
    assert m.service.effort_hours.dtype == float
    np.testing.assert_array_equal(m.service.effort_hours, [1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="'nope' is not one of"):
        do.set_service("nope", [0.0])
    do.set_feedback_weight(np.float32(0.5))
    assert type(m.feedback_weight) is float and m.feedback_weight == 0.5
    do.book_seats(1, 12)
    assert [p.seats_used for p in m.training_programs] == [0, 12]


def test_live_rows_skips_those_gone():
    wf = _workforce(uids=(10, 20, 30))
    np.testing.assert_array_equal(_live_rows(wf, np.array([20, 30])), [1, 2])
    # 25 is gone (falls between), 40 beyond the last row, 5 before the first
    np.testing.assert_array_equal(_live_rows(wf, np.array([5, 25, 30, 40])), [2])
    empty = _workforce(uids=(), units=())
    out = _live_rows(empty, np.array([10]))
    assert out.dtype == np.int64 and len(out) == 0


def test_shift_away_sets_presence_and_snaps_to_zero():
    wf = _workforce()
    _shift_away(wf, np.array([0, 1]), 0.4)
    np.testing.assert_allclose(wf.extra[AWAY_COLUMN], [0.4, 0.4, 0.0])
    np.testing.assert_allclose(wf.present, [0.6, 0.6, 1.0])
    _shift_away(wf, np.array([0]), 0.8)  # 1.2 away: presence clipped at 0
    np.testing.assert_allclose(wf.present, [0.0, 0.6, 1.0])
    _shift_away(wf, np.array([0]), -1.2 + 5e-10)  # back: noise snapped to exactly 0
    assert wf.extra[AWAY_COLUMN][0] == 0.0 and wf.present[0] == 1.0
    _shift_away(wf, np.array([1]), -0.4 - 2e-9)  # beyond the snap: kept
    assert wf.extra[AWAY_COLUMN][1] == pytest.approx(-2e-9, abs=1e-12)
    assert wf.present[1] == 1.0
    _shift_away(wf, np.array([2]), 1e-9)  # exactly 1e-9 is not noise
    assert wf.extra[AWAY_COLUMN][2] == 1e-9


def test_time_away_schedules_changes_only_and_calls_back():
    m = _model()
    do = Actions(m, "training")
    seen = []

    def then(gov, act, rows):
        seen.append((gov.day, act.kind, act._m, rows))

    do.time_away(np.array([10, 30]), 100, np.array([0.5, 0.5, 1.0, 0.0, 0.25]), then)
    days = [day for day, _ in m.events]
    assert days == [100, 102, 103, 104, 105]
    wf = m.workforce
    m.events[0][1]()
    np.testing.assert_allclose(wf.extra[AWAY_COLUMN], [0.5, 0.0, 0.5])
    m.events[1][1]()
    np.testing.assert_allclose(wf.extra[AWAY_COLUMN], [1.0, 0.0, 1.0])
    m.events[2][1]()
    np.testing.assert_allclose(wf.extra[AWAY_COLUMN], [0.0, 0.0, 0.0])
    m.events[3][1]()
    np.testing.assert_allclose(wf.present, [0.75, 1.0, 0.75])
    assert seen == []
    m.events[4][1]()
    np.testing.assert_allclose(wf.extra[AWAY_COLUMN], [0.0, 0.0, 0.0])
    np.testing.assert_allclose(wf.present, [1.0, 1.0, 1.0])
    ((day, kind, model, rows),) = seen
    assert (day, kind, model) == (800, "training", m)
    np.testing.assert_array_equal(rows, [0, 2])


def test_time_away_copies_the_ids():
    m = _model()
    uids = np.array([10])
    Actions(m, "training").time_away(uids, 5, np.array([1.0]), lambda *a: None)
    uids[0] = 20
    m.events[0][1]()
    np.testing.assert_allclose(m.workforce.present, [0.0, 1.0, 1.0])


def test_move_and_place_newcomers_hand_the_model_its_arguments():
    m = _model()
    calls = []
    m.workforce.move = lambda *a: calls.append(a)
    m._ramping = np.array([7])
    m._flows = {"hires": 0, "newcomer_resignations": 0}
    taken_up, resigning = [], set()

    def take_up_posts(rows):  # the newcomers of rows in `resigning` resign on placement
        taken_up.append(rows.tolist())
        return np.isin(rows, list(resigning))

    m._take_up_posts = take_up_posts
    removed = []

    def remove(leaving):
        removed.append(leaving.copy())
        m.workforce.keep(~leaving)

    m._remove = remove
    do = Actions(m, "placement")
    do.move(np.array([0]), np.array([2]))
    rows, units, u, day, q, ceiling = calls[0]
    assert (rows.tolist(), units.tolist(), u, day, ceiling) == ([0], [2], m.units, 800, 0.6)
    assert q is m.qualifies
    with pytest.raises(ValueError, match="2 units for 1 newcomers awaiting placement"):
        do.place_newcomers(np.array([0, 1]))
    m._newcomers = np.array([1, 2])
    m.workforce.hire_day[:] = [0, 800, 800]
    do.place_newcomers(np.array([-1, 0]))
    rows, units = calls[1][:2]
    assert (rows.tolist(), units.tolist()) == ([2], [0])
    np.testing.assert_array_equal(removed[0], [False, True, False])
    # after the removal the placed newcomer is row 1
    np.testing.assert_array_equal(m._ramping, [7, 1])
    assert m._flows["hires"] == 1 and len(m._newcomers) == 0
    assert m._newcomers.dtype == np.int64
    m._newcomers = np.array([0])
    do.place_newcomers(np.array([1]))
    assert len(removed) == 1 and m._flows["hires"] == 2
    np.testing.assert_array_equal(m._ramping, [7, 1, 0])
    # a newcomer who resigns on taking up the post leaves and is not hired
    m.workforce.hire_day[:] = [800, 800]
    m._newcomers, resigning = np.array([0, 1]), {0}
    do.place_newcomers(np.array([2, 2]))
    np.testing.assert_array_equal(removed[1], [True, False])
    assert m._flows["hires"] == 3 and m._flows["newcomer_resignations"] == 1
    assert taken_up == [[2], [0], [0, 1]]


def test_hire_draws_newcomers_from_the_recruits_stream(monkeypatch):
    import asnsim.policies.contract as contract

    m = _model()
    m.rngs = {"recruits": "the recruits stream"}
    got = {}

    def draw(spec, units, unit_of, rng, *, newcomers, day, field, pppk):
        got.update(spec=spec, units=units, unit_of=unit_of, rng=rng, newcomers=newcomers,
                   day=day, field=field, pppk=pppk)  # fmt: skip
        return "people"

    monkeypatch.setattr(contract, "draw_people", draw)
    m._hire = lambda people: np.array([3, 4]) if people == "people" else None
    Actions(m, "recruitment").hire(np.array([1, 0]), np.array([True, False]))
    assert got["spec"] is m.spec and got["units"] is m.units
    assert got["unit_of"].tolist() == [-1, -1] and got["unit_of"].dtype == np.int32
    assert (got["rng"], got["newcomers"], got["day"]) == ("the recruits stream", True, 800)
    assert got["field"].tolist() == [1, 0] and got["pppk"].tolist() == [True, False]
    np.testing.assert_array_equal(m._newcomers, [3, 4])
    assert m._hired_by == "recruitment"
