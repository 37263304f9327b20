"""Workforce methods on a hand-built table of a few employees: known answers, no model run."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from asnsim.people import competency_ceiling, synthetic_people, to_workforce
from asnsim.scenario import load_scenario
from asnsim.units import build_units
from asnsim.workforce import Workforce, apportion, draw_people

TINY = Path(__file__).parent / "data" / "tiny.yaml"

UNITS = SimpleNamespace(sector=np.array([0, 1, 1]))


def _workforce(n: int = 3, n_sectors: int = 2) -> Workforce:
    wf = Workforce.empty(n_sectors)
    new = {}
    for f in Workforce.__dataclass_fields__:
        if f in ("extra", "extra_default"):
            continue
        col = getattr(wf, f)
        new[f] = np.zeros((n, *col.shape[1:]), dtype=col.dtype)
    new["uid"] = np.arange(n, dtype=np.int64) * 10 + 10
    wf.append(new)
    return wf


def test_empty_columns_and_their_types():
    wf = Workforce.empty(3)
    assert len(wf) == 0 and wf.extra == {} and wf.extra_default == {}
    assert wf.competency.shape == (0, 3) and wf.floor.shape == (0, 3)
    assert wf.competency.dtype == np.float64
    kinds = {"uid": np.int64, "status": np.int8, "position": np.int8, "level": np.int8,
             "rank": np.int8, "education": np.int8, "field": np.int16, "unit": np.intp,
             "post_start": np.int64, "hire_day": np.int64, "last_rating": np.int8,
             "age": np.float64, "cur": np.float64, "present": np.float64}  # fmt: skip
    for name, kind in kinds.items():
        col = getattr(wf, name)
        assert col.dtype == kind and col.shape == (0,), name


def test_columns_follow_appends_and_exits():
    wf = _workforce(2)
    col = wf.add_column("memo", 4.0)
    np.testing.assert_array_equal(col, [4.0, 4.0])
    assert wf.add_column("memo", 9.0) is col  # created once
    assert wf.extra_default == {"memo": 4.0}
    # a column is float whatever its default, and 0.0 unless told
    assert wf.add_column("count", 2).dtype == np.float64
    np.testing.assert_array_equal(wf.add_column("plain"), [0.0, 0.0])
    col[:] = [1.0, 2.0]
    one = {k: v[:1].copy() for k, v in _workforce(1).columns().items()}
    one["uid"] = np.array([99])
    rows = wf.append(one)
    np.testing.assert_array_equal(rows, [2])
    np.testing.assert_array_equal(wf.extra["memo"], [1.0, 2.0, 4.0])
    one["uid"] = np.array([100])
    one["memo"] = np.array([7.0])
    wf.append(one)
    np.testing.assert_array_equal(wf.uid, [10, 20, 99, 100])
    np.testing.assert_array_equal(wf.extra["memo"], [1.0, 2.0, 4.0, 7.0])
    wf.keep(np.array([True, False, False, True]))
    np.testing.assert_array_equal(wf.uid, [10, 100])
    np.testing.assert_array_equal(wf.extra["memo"], [1.0, 7.0])
    assert len(wf.competency) == 2
    np.testing.assert_array_equal(wf.rows_of(np.array([100, 10])), [1, 0])
    assert wf.rows_of(100) == 1


def test_exits_compact_each_column_when_it_is_next_read():
    """Columns read after several exits hold exactly the rows still employed, in order."""
    wf = _workforce(6)
    wf.age[:] = np.arange(6) + 30.0
    wf.competency[:] = np.arange(12.0).reshape(6, 2)
    wf.keep(np.array([True, False, True, True, True, True]))  # uid 20 leaves
    np.testing.assert_array_equal(wf.uid, [10, 30, 40, 50, 60])  # read between exits
    wf.cur[:] = [1.0, 2.0, 3.0, 4.0, 5.0]
    wf.motivation = np.full(5, 0.5)  # set (not compacted) between exits
    wf.keep(np.array([True, True, False, True, True]))  # uid 40 leaves
    wf.keep(np.array([False, True, True, True]))  # uid 10 leaves
    np.testing.assert_array_equal(wf.uid, [30, 50, 60])
    np.testing.assert_array_equal(wf.age, [32.0, 34.0, 35.0])  # unread through three exits
    np.testing.assert_array_equal(wf.competency, [[4.0, 5.0], [8.0, 9.0], [10.0, 11.0]])
    np.testing.assert_array_equal(wf.cur, [2.0, 4.0, 5.0])
    np.testing.assert_array_equal(wf.motivation, [0.5, 0.5, 0.5])
    assert {name: len(col) for name, col in wf.columns().items()} == dict.fromkeys(wf.columns(), 3)
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        _ = wf.nonsense


def test_motivation_offset_and_exit_multiplier_by_hand():
    wf = _workforce(2)
    wf.disposition[:] = [0.1, -0.1]
    np.testing.assert_allclose(wf.motivation_target_offset(), [0.1, -0.1])
    np.testing.assert_allclose(wf.exit_multiplier(), [1.0, 1.0])
    wf.add_column("motivation_a", 0.2)
    wf.add_column("motivation_b")[:] = [0.0, 0.5]
    wf.add_column("exit_a")[:] = [2.0, 3.0]
    wf.add_column("exit_b")[:] = [0.5, 2.0]
    wf.add_column("memory", 100.0)
    np.testing.assert_allclose(wf.motivation_target_offset(), [0.3, 0.6])
    np.testing.assert_allclose(wf.disposition, [0.1, -0.1])  # not changed in place
    np.testing.assert_allclose(wf.exit_multiplier(), [1.0, 6.0])


def test_sector_match_and_competency_now():
    wf = _workforce(3)
    wf.unit[:] = [0, 1, 2]
    wf.field[:] = [0, 0, 1]
    qualifies = np.array([[True, False], [False, True]])
    np.testing.assert_array_equal(wf.sector(UNITS), [0, 1, 1])
    np.testing.assert_array_equal(wf.matched(UNITS, qualifies), [True, False, True])
    wf.competency[:] = 0.5
    wf.cur[:] = [0.1, 0.2, 0.3]
    now = wf.competency_now(UNITS)
    np.testing.assert_allclose(now, [[0.1, 0.5], [0.5, 0.2], [0.5, 0.3]])
    np.testing.assert_allclose(wf.competency, 0.5)  # a copy


def test_learn_and_decay_by_hand():
    wf = _workforce(2)
    wf.cur[:] = [0.2, 0.6]
    wf.ceil[:] = [1.0, 0.8]
    wf.learn(0.5)
    np.testing.assert_allclose(wf.cur, [0.6, 0.7])
    wf.learn(0.5, days=2)  # gaps 0.4, 0.1 times 0.25
    np.testing.assert_allclose(wf.cur, [0.9, 0.775])
    wf.unit[:] = [0, 1]
    wf.floor[:] = 0.2
    wf.competency[:] = 1.0
    wf.decay_unused(UNITS, 0.5)
    np.testing.assert_allclose(wf.competency, [[0.9, 0.6], [0.6, 0.775]])


def test_promote_on_each_interval_up_to_the_cap():
    wf = _workforce(4)
    wf.tenure[:] = [4.0, 5.0, 8.0, 8.0]
    wf.rank[:] = [1, 1, 1, 2]
    wf.education[:] = [0, 0, 0, 1]
    wf.promote(4.0, np.array([5, 2]))
    np.testing.assert_array_equal(wf.rank, [2, 1, 2, 2])
    assert wf.rank.dtype == np.int8


def test_move_writes_back_and_loads_the_new_sector():
    wf = _workforce(3)
    wf.unit[:] = [0, -1, 1]
    wf.field[:] = [1, 1, 1]
    wf.competency[:] = [[0.4, 0.7], [0.3, 0.6], [0.2, 0.5]]
    wf.floor[:] = 0.1
    wf.cur[:] = [0.45, 0.0, 0.55]
    qualifies = np.array([[True, False], [False, True]])
    wf.move(np.array([0, 1]), np.array([1, 0]), UNITS, 50, qualifies, 0.6)
    # row 0 left sector 0: its live 0.45 written back; now in sector 1 with 0.7
    np.testing.assert_allclose(wf.competency[0], [0.45, 0.7])
    np.testing.assert_allclose(wf.competency[1], [0.3, 0.6])  # a newcomer writes nothing back
    np.testing.assert_allclose(wf.cur, [0.7, 0.3, 0.55])
    np.testing.assert_array_equal(wf.unit, [1, 0, 1])
    np.testing.assert_array_equal(wf.post_start, [50, 50, 0])
    ceil = [competency_ceiling(np.array([m]), np.array([0.1]), 0.6)[0] for m in (True, False)]
    np.testing.assert_allclose(wf.ceil, [ceil[0], ceil[1], 0.0])
    assert ceil[0] != ceil[1]


def test_apportion_when_capped_units_have_zero_weight():
    np.testing.assert_array_equal(apportion(3, np.array([1.0, 0.0]), np.array([1, 5])), [1, 2])
    np.testing.assert_array_equal(apportion(2, np.zeros(3), np.array([1, 1, 1])), [1, 1, 0])
    out = apportion(7.9, np.array([1.0, 1.0]), np.array([9, 9]))
    assert out.dtype == np.int64 and out.tolist() == [4, 3]
    np.testing.assert_array_equal(
        apportion(5, np.array([1.0, 2.0, 1.0]), np.array([5, 5, 5])), [1, 3, 1]
    )
    assert apportion(4, np.array([1.0, 1.0]), np.array([1, 1])).tolist() == [1, 1]


@pytest.mark.parametrize("total", [0, 1])
def test_apportion_small_totals(total):
    assert apportion(total, np.array([3.0, 1.0]), np.array([2, 2])).tolist() == [total, 0]


def test_apportion_by_largest_remainder():
    big = np.array([99, 99, 99])
    # 7 × (0.5, 0.3, 0.2) = 3.5, 2.1, 1.4: floors 3, 2, 1; the one left to the largest .5
    assert apportion(7, np.array([5.0, 3.0, 2.0]), big).tolist() == [4, 2, 1]
    # equal remainders: the first units first
    assert apportion(10, np.ones(3), big).tolist() == [4, 3, 3]
    # a capped unit's share goes to the others, by their remainders
    assert apportion(10, np.ones(3), np.array([2, 10, 10])).tolist() == [2, 4, 4]
    # more than the caps hold: every unit full
    assert apportion(50, np.ones(3), np.array([2, 3, 4])).tolist() == [2, 3, 4]


def test_apportion_gives_a_full_units_weight_to_no_one():
    # unit 0 is full from the start: its weight neither dilutes unit 2's share nor sends
    # the rest to unit 1, which has no weight
    assert apportion(3, np.array([4.0, 0.0, 3.0]), np.array([0, 3, 4])).tolist() == [0, 0, 3]
    out = apportion(3, np.array([4.0, 3.0, 1.0, 1.0]), np.array([5, 5, 0, 1]))
    assert out.tolist() == [2, 1, 0, 0]  # 12/7, 9/7: the remainder to the larger, 5/7


def test_apportion_remainders_and_room():
    # 3 × (0.7, 0.3) = 2.1, 0.9: the seat left goes to the larger remainder, not the larger unit
    assert apportion(3, np.array([7.0, 3.0]), np.array([9, 9])).tolist() == [2, 1]
    # 1.5 each: unit 0 still has room for one after its floor, and comes first
    assert apportion(3, np.ones(2), np.array([2, 10])).tolist() == [2, 1]
    # equal remainders among many units (20: numpy's default sort is unstable there): the
    # first ones, in order; 3 × (2, 1, 2, 1, …) / 30 = 0.2 and 0.1: the first three 2s
    out = apportion(3, np.tile([2.0, 1.0], 10), np.full(20, 9))
    assert np.flatnonzero(out).tolist() == [0, 2, 4] and out.sum() == 3
    # once the weighted units are full, the rest is shared among all with room left
    out = apportion(11, np.array([0.0, 4.0, 0.0, 1.0]), np.array([2, 5, 4, 3]))
    assert out.tolist() == [2, 5, 1, 3]


def test_apportion_never_tops_up_a_full_unit():
    # unit 1 takes its cap of 1 from its 9.9; the 9 left go to unit 0 (over two rounds)
    assert apportion(10, np.array([1.0, 100.0]), np.array([10, 1])).tolist() == [9, 1]


def test_draw_people_is_the_generator_then_to_workforce():
    scenario = load_scenario(TINY)
    units = build_units(scenario)
    unit_of = np.array([0, 1, -1, 2])
    field, pppk = np.array([1, 0, 2, 1]), np.array([True, False, False, True])
    for newcomers in (True, False):
        got = draw_people(scenario, units, unit_of, np.random.default_rng(4),
                          newcomers=newcomers, day=730, field=field, pppk=pppk)  # fmt: skip
        people = synthetic_people(scenario, units, unit_of, np.random.default_rng(4),
                                  newcomers=newcomers, field=field, pppk=pppk)  # fmt: skip
        want = to_workforce(people, scenario, units, 730)
        assert got.keys() == want.keys()
        for name in want:
            np.testing.assert_array_equal(got[name], want[name], err_msg=name)
        np.testing.assert_array_equal(got["field"], field)
        np.testing.assert_array_equal(got["status"], pppk.astype(int))
        assert (got["hire_day"] <= 730).all() and (got["hire_day"] == 730).all() == newcomers
    # fields drawn for the units they are placed in
    got = draw_people(scenario, units, unit_of, np.random.default_rng(4), newcomers=False, day=0)
    people = synthetic_people(scenario, units, unit_of, np.random.default_rng(4), newcomers=False)
    np.testing.assert_array_equal(got["field"], people["field"])
