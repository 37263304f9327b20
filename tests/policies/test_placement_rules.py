"""Placement's rules on hand-built staff tables, with known answers (fast; no model runs).

A stand-in for the snapshot (:class:`asnsim.policies.contract.Snapshot`) holds a few people
in a few units; the policies are called directly. These tests pin the seniority order, the
posting rule (2 and 5 years in post), the cap, ``into_vacancies`` and the gain thresholds.
"""

from types import SimpleNamespace

import numpy as np
import pytest

from asnsim.policies.placement import (
    CompetencyMatchOptions,
    CompetencyMatchPlacement,
    NeedsBasedOptions,
    NeedsBasedPlacement,
    PlacementOptions,
    RandomPlacement,
    SeniorityPlacement,
    rotation,
)

DAY, DPY = 3600, 360


class _Staff(SimpleNamespace):
    def __len__(self):
        return len(self.unit)


class _Do:
    """Records the actions a policy takes."""

    def __init__(self):
        self.moves, self.placed = [], []

    def move(self, rows, units):
        self.moves.append((np.asarray(rows).tolist(), np.asarray(units).tolist()))

    def place_newcomers(self, units):
        self.placed.append(np.asarray(units).tolist())


def _gov(
    unit,
    years_in_post,
    formation,
    sector=None,
    rank=None,
    tenure=None,
    field=None,
    competency=None,
    qualifies=None,
    newcomers=(),
):
    unit = np.asarray(unit, dtype=np.int64)
    n = len(unit)
    formation = np.asarray(formation, dtype=np.int64)
    n_units = len(formation)
    sector = np.zeros(n_units, int) if sector is None else np.asarray(sector)
    n_sectors = int(sector.max()) + 1
    competency = (
        np.full((n, n_sectors), 0.5) if competency is None else np.asarray(competency, float)
    )
    cur = np.where(unit >= 0, competency[np.arange(n), sector[np.maximum(unit, 0)]], 0.0)
    staff = _Staff(
        unit=unit,
        post_start=DAY - np.round(np.asarray(years_in_post, float) * DPY),
        rank=np.zeros(n, int) if rank is None else np.asarray(rank),
        tenure=np.zeros(n) if tenure is None else np.asarray(tenure, float),
        field=np.zeros(n, int) if field is None else np.asarray(field),
        competency=competency,
        cur=cur,
    )

    def per_unit():
        return np.bincount(unit[unit >= 0], minlength=n_units)

    return SimpleNamespace(
        staff=staff,
        day=DAY,
        days_per_year=DPY,
        n_units=n_units,
        formation=formation,
        unit_sector=sector,
        qualifies=np.ones((n_sectors, 1), bool) if qualifies is None else np.asarray(qualifies),
        newcomers=np.asarray(newcomers, dtype=np.int64),
        staff_per_unit=per_unit,
        open_posts=lambda: np.maximum(formation - per_unit(), 0),
        year_flows=lambda: None,
    )


def _policy(cls, seed=0, **options):
    return cls(cls.Options(**options), np.random.default_rng(seed))


# --------------------------------------------------------------------------- seniority order

# rank beats tenure: A (rank 3) first, then B and C (rank 2, longest tenure first), then E, D
RANK = [3, 2, 2, 1, 2]
TENURE = [1.0, 30.0, 10.0, 40.0, 5.0]


@pytest.mark.parametrize("seed", range(3))
def test_newcomers_are_placed_most_senior_first_rank_then_tenure(seed):
    gov = _gov([-1] * 5, [0] * 5, [3, 0], rank=RANK, tenure=TENURE)
    units = _policy(SeniorityPlacement, seed).place(gov, np.arange(5), np.array([0, 0, 0]))
    np.testing.assert_array_equal(units, [0, 0, 0, -1, -1])  # A, B, C get the three posts
    units = _policy(SeniorityPlacement, seed).place(gov, np.arange(5), np.array([0, 0, 0, 0]))
    np.testing.assert_array_equal(units, [0, 0, 0, -1, 0])  # then E before D


def test_needs_based_places_the_most_senior_in_the_neediest_unit():
    # unit 0 has 1 of 9 staff, unit 1 has 8: with need = staff (no year ended yet) the
    # quotients are 1/2 (unit 0) and 8/9 (unit 1), so unit 1's post goes first
    gov = _gov([0] + [1] * 8 + [-1] * 5, [3] * 9 + [0] * 5, [2, 9], rank=[0] * 9 + RANK,
               tenure=[0] * 9 + TENURE)  # fmt: skip
    units = _policy(NeedsBasedPlacement).place(gov, np.arange(9, 14), np.array([0, 1]))
    np.testing.assert_array_equal(units, [1, 0, -1, -1, -1])
    units = _policy(NeedsBasedPlacement).place(gov, np.arange(9, 14), np.zeros(0, int))
    np.testing.assert_array_equal(units, [-1] * 5)


def test_pool_takes_the_most_overdue_then_rank_then_tenure():
    years = np.array([6.0, 6.0, 6.0, 7.0, 6.0, 3.0])
    gov = _gov([0] * 6, years, [6], rank=[1, 2, 2, 0, 3, 9], tenure=[50, 10, 20, 0, 0, 50])
    due = years >= 5
    pool = _policy(SeniorityPlacement)._pool(gov, years, years >= 2, due, 4)
    np.testing.assert_array_equal(pool, [3, 4, 2, 1])
    pool = _policy(SeniorityPlacement)._pool(gov, years, years >= 2, due, 9)
    np.testing.assert_array_equal(pool, [3, 4, 2, 1, 0])


def test_random_pool_is_the_due_staff_in_some_order():
    years = np.array([6.0, 1.0, 7.0, 3.0, 5.0])
    gov = _gov([0] * 5, years, [5])
    pool = _policy(RandomPlacement)._pool(gov, years, years >= 2, years >= 5, 9)
    assert sorted(pool.tolist()) == [0, 2, 4]
    assert len(_policy(RandomPlacement)._pool(gov, years, years >= 2, years >= 5, 2)) == 2


# --------------------------------------------------------------------------- the posting rule

# years in post of 8 people in 4 units; 4.5 and 1.9 are never due, 5.0 exactly is
YEARS = [1.9, 4.5, 5.0, 6.0, 5.0, 7.0, 8.0, 2.0]
UNITS = [0, 0, 0, 1, 2, 3, 1, 2]


def _moved(do):
    rows = [r for rows, _ in do.moves for r in rows]
    return sorted(rows)


@pytest.mark.parametrize("cls", [SeniorityPlacement, RandomPlacement, NeedsBasedPlacement])
def test_everybody_due_moves_and_nobody_else_when_the_cap_allows(cls):
    gov = _gov(UNITS, YEARS, [3, 2, 2, 1])
    do = _Do()
    result = _policy(cls, max_moves_share=1.0, cost_per_move=7.0).transfer(gov, do)
    assert _moved(do) == [2, 3, 4, 5, 6]  # the five at 5 years or more; nobody under 5
    for rows, units in do.moves:
        assert all(u != UNITS[r] for r, u in zip(rows, units, strict=True))
    assert result.diagnostics == {"due": 5, "pool": 5, "moves": 5, "cap": 8}
    assert result.spend == 35.0


@pytest.mark.parametrize("share, cap", [(0.5, 4), (0.375, 3), (0.2, 1), (0.0, 0)])
def test_the_cap_is_the_share_of_headcount_rounded_down(share, cap):
    gov = _gov(UNITS, YEARS, [3, 2, 2, 1])
    do = _Do()
    policy = _policy(SeniorityPlacement, max_moves_share=share)
    result = policy.transfer(gov, do)
    assert result.diagnostics["cap"] == cap
    assert result.diagnostics["pool"] == min(cap, 5)
    assert len(_moved(do)) <= cap
    assert policy.history == [
        {"day": DAY, "due": 5, "pool": min(cap, 5), "moved": len(_moved(do)), "cap": cap}
    ]


def test_the_rule_bounds_are_options():
    # with 4 to 4 years, the 4.5-year person is due too and the 1.9 and 2.0 are not allowed
    gov = _gov(UNITS, YEARS, [3, 2, 2, 1])
    do = _Do()
    result = _policy(
        SeniorityPlacement, min_years_in_post=4.0, max_years_in_post=4.0, max_moves_share=1.0
    ).transfer(gov, do)
    assert result.diagnostics["due"] == 6
    assert _moved(do) == [1, 2, 3, 4, 5, 6]


def test_nobody_before_two_years_even_when_a_move_would_gain():
    # the person in the wrong sector with 1.9 years stays; with 2.0 years they move
    comp = [[0.9, 0.1], [0.5, 0.5]]
    for years, moves in [(1.9, 0), (2.0, 1)]:
        gov = _gov([1, 0], [years, 3.0], [2, 1], sector=[0, 1], competency=comp)
        do = _Do()
        opts = {"max_moves_share": 1.0, "into_vacancies": True}
        result = _policy(CompetencyMatchPlacement, **opts).transfer(gov, do)
        assert result.diagnostics["moves"] == moves
        if moves:
            assert do.moves == [([0], [0])]


# --------------------------------------------------------------------------- competency_match


def test_into_vacancies_lets_a_due_person_take_a_vacancy():
    # one person due in unit 0 and nobody else in the pool: without vacancies they have
    # no other post to take and stay; with them, they take unit 1's vacancy
    gov = _gov([0, 0], [6.0, 1.0], [2, 1], sector=[0, 1])
    for into, expected in [(False, []), (True, [([0], [1])])]:
        do = _Do()
        opts = {"max_moves_share": 1.0, "into_vacancies": into}
        result = _policy(CompetencyMatchPlacement, **opts).transfer(gov, do)
        assert do.moves == expected
        assert result.diagnostics["moves"] == len(expected)


def test_a_person_not_due_moves_only_for_a_gain_above_min_fit_gain():
    # person 0 (3 years in post, unit 0 of sector 0) would fit sector 1 better by 0.3
    comp = [[0.4, 0.7], [0.7, 0.4]]
    gov = _gov([0, 1], [3.0, 3.0], [1, 1], sector=[0, 1], competency=comp)
    for gain, pool in [(0.2, [0, 1]), (0.35, [])]:
        policy = _policy(CompetencyMatchPlacement, max_moves_share=1.0, min_fit_gain=gain)
        years = np.array([3.0, 3.0])
        got = policy._pool(gov, years, years >= 2, years >= 5, 2)
        assert got.tolist() == pool
        do = _Do()
        policy.transfer(gov, do)
        assert do.moves == ([([0, 1], [1, 0])] if pool else [])


def test_competency_match_pool_largest_gain_first_after_the_due():
    comp = [[0.5, 0.5], [0.1, 0.9], [0.3, 0.7], [0.5, 0.5]]
    gov = _gov([0, 0, 0, 1], [6.0, 3.0, 3.0, 3.0], [4, 4], sector=[0, 1], competency=comp)
    years = np.array([6.0, 3.0, 3.0, 3.0])
    policy = _policy(CompetencyMatchPlacement, min_fit_gain=0.1)
    assert policy._pool(gov, years, years >= 2, years >= 5, 3).tolist() == [0, 1, 2]
    assert policy._pool(gov, years, years >= 2, years >= 5, 2).tolist() == [0, 1]
    assert policy._pool(gov, years, years >= 2, years >= 5, 1).tolist() == [0]


def test_act_places_newcomers_then_transfers():
    # unit 0 has one vacancy; one newcomer waits; nobody is due
    gov = _gov([0, -1], [3.0, 0.0], [2], newcomers=[1])
    do = _Do()
    result = _policy(SeniorityPlacement).act(gov, do)
    assert do.placed == [[0]]
    assert result.diagnostics == {"placed": 1, "due": 0, "pool": 0, "moves": 0, "cap": 0}


def test_options_defaults_are_the_rule():
    o = PlacementOptions()
    assert (o.min_years_in_post, o.max_years_in_post, o.max_moves_share) == (2.0, 5.0, 0.05)
    assert o.cost_per_move == 0.0
    c = CompetencyMatchOptions()
    assert (c.field_weight, c.competency_weight, c.min_fit_gain, c.into_vacancies) == (
        1.0,
        1.0,
        0.1,
        False,
    )
    assert NeedsBasedOptions().min_need_gain == 0.1


def test_rotation_of_one_person_or_one_unit_keeps_them():
    rng = np.random.default_rng(0)
    np.testing.assert_array_equal(rotation(np.array([4]), rng), [4])
    np.testing.assert_array_equal(rotation(np.array([2, 2, 2]), rng), [2, 2, 2])
    np.testing.assert_array_equal(np.sort(rotation(np.array([0, 1]), rng)), [0, 1])
    np.testing.assert_array_equal(rotation(np.array([0, 1]), rng), [1, 0])


def test_act_with_no_newcomers_places_nobody():
    gov = _gov([0, 0], [3.0, 0.0], [2])
    do = _Do()
    result = _policy(SeniorityPlacement).act(gov, do)
    assert do.placed == []
    assert result.diagnostics["placed"] == 0


def test_a_gain_exactly_min_fit_gain_is_not_enough():
    comp = [[0.25, 0.5], [0.5, 0.5]]  # person 0 gains exactly 0.25 in sector 1
    gov = _gov([0, 1], [3.0, 3.0], [1, 1], sector=[0, 1], competency=comp)
    years = np.array([3.0, 3.0])
    for gain, pool in [(0.25, []), (0.125, [0])]:
        policy = _policy(CompetencyMatchPlacement, min_fit_gain=gain)
        assert policy._pool(gov, years, years >= 2, years >= 5, 2).tolist() == pool


# --------------------------------------------------------------------------- random placement


@pytest.mark.parametrize("seed", range(3))
def test_random_placement_fills_every_post_it_can(seed):
    gov = _gov([-1] * 4, [0] * 4, [2, 1])
    policy = _policy(RandomPlacement, seed)
    units = policy.place(gov, np.arange(4), np.array([0, 0, 1]))
    assert sorted(units.tolist()) == [-1, 0, 0, 1]
    units = policy.place(gov, np.arange(2), np.array([0, 0, 1]))
    assert (units >= 0).all() and set(units.tolist()) <= {0, 1}


# --------------------------------------------------------------------------- competency_match


def _cm_gov(comp, field, posts_units=(1, 1, 1)):
    # units 0 (sector 0), 1 and 2 (sector 1); field 0 qualifies for sector 0, field 1 for 1
    n = len(field)
    return _gov(
        [-1] * n,
        [0] * n,
        list(posts_units),
        sector=[0, 1, 1],
        field=field,
        competency=comp,
        qualifies=[[True, False], [False, True]],
    )


def test_competency_match_places_each_newcomer_in_the_best_sector_when_there_is_room():
    gov = _cm_gov([[0.5, 0.5], [0.5, 0.5]], [0, 1])
    units = _policy(CompetencyMatchPlacement).place(gov, np.arange(2), np.array([0, 1, 2]))
    assert units[0] == 0 and units[1] in (1, 2)


def test_competency_match_solves_the_assignment_when_a_sector_is_over_asked():
    # both want sector 0 (one post): A's fits 1.9 / 0.1, B's 1.5 / 0.5, so A gets it
    gov = _cm_gov([[0.9, 0.1], [0.5, 0.5], [0.0, 0.0]], [0, 0, 0])
    policy = _policy(CompetencyMatchPlacement)
    np.testing.assert_array_equal(policy.place(gov, np.arange(2), np.array([0, 1])), [0, 1])
    np.testing.assert_array_equal(policy.place(gov, np.array([1, 0]), np.array([0, 1])), [1, 0])
    # three candidates, two posts: the weakest gets none
    units = policy.place(gov, np.arange(3), np.array([1, 0]))
    np.testing.assert_array_equal(units, [0, 1, -1])
    assert (policy.place(gov, np.arange(3), np.zeros(0, int)) == -1).all()
    assert len(policy.place(gov, np.zeros(0, int), np.array([0]))) == 0


def test_competency_match_keeps_n_posts_of_a_sector_and_fills_the_right_units():
    # four posts of sector 1 in units 1 and 2 and one of sector 0; two health graduates
    gov = _cm_gov([[0.5, 0.5], [0.5, 0.5]], [1, 1], posts_units=(1, 2, 2))
    units = _policy(CompetencyMatchPlacement).place(gov, np.arange(2), np.array([1, 1, 2, 2, 0]))
    assert (units >= 1).all()  # both in sector 1, though a sector-0 post was open


# --------------------------------------------------------------------------- needs_based


def _needs_gov(years=None):
    # unit 0: 4 staff, unit 1: 2, unit 2: 1 of a formation of 3 (2 vacancies)
    unit = [0, 0, 0, 0, 1, 1, 2]
    years = [3.0] * 7 if years is None else years
    return _gov(unit, years, [4, 2, 3])


def _needs_policy(gov, **options):
    policy = _policy(NeedsBasedPlacement, max_moves_share=1.0, **options)
    policy._need_cache = (gov.day, np.array([2.0, 2.0, 4.0]))  # need per staff .5, 1, 4
    return policy


@pytest.mark.parametrize("gain, extra", [(0.1, 2), (1.0, 1), (2.0, 0)])
def test_needs_based_pool_takes_the_least_needed_while_a_post_is_needier_by_the_gap(gain, extra):
    # open posts' quotients: 4/2 = 2 and 4/3; own need per staff member of unit 0: 0.5
    gov = _needs_gov()
    policy = _needs_policy(gov, min_need_gain=gain)
    years = np.full(7, 3.0)
    pool = policy._pool(gov, years, years >= 2, years >= 5, 7)
    assert len(pool) == extra
    assert set(pool.tolist()) <= {0, 1, 2, 3}  # from the least needy unit
    assert len(policy._pool(gov, years, years >= 2, years >= 5, 1)) == min(extra, 1)


def test_needs_based_pool_puts_the_due_first():
    years = np.array([3.0, 3.0, 3.0, 3.0, 6.0, 3.0, 3.0])
    gov = _needs_gov(years)
    policy = _needs_policy(gov, min_need_gain=1.0)
    pool = policy._pool(gov, years, years >= 2, years >= 5, 7)
    assert pool[0] == 4 and len(pool) == 2 and pool[1] in (0, 1, 2, 3)
    assert policy._pool(gov, years, years >= 2, years >= 5, 1).tolist() == [4]


def test_needs_based_transfer_moves_staff_from_the_least_needy_unit_into_the_vacancies():
    gov = _needs_gov()
    do = _Do()
    result = _needs_policy(gov).transfer(gov, do)
    assert result.diagnostics == {"due": 0, "pool": 2, "moves": 2, "cap": 7}
    ((rows, units),) = do.moves
    assert set(rows) <= {0, 1, 2, 3} and units == [2, 2]


def test_needs_based_transfer_sends_the_due_elsewhere_and_the_rest_stay_without_a_gap():
    # person 4 is due in unit 1; with a gap of 2 nobody else moves: person 4 takes a post
    # of unit 2 (the neediest)
    years = np.array([3.0, 3.0, 3.0, 3.0, 6.0, 3.0, 3.0])
    gov = _needs_gov(years)
    do = _Do()
    result = _needs_policy(gov, min_need_gain=2.0).transfer(gov, do)
    assert do.moves == [([4], [2])]
    assert result.diagnostics["pool"] == 1


def test_needed_is_staff_times_work_over_capacity():
    from asnsim.scenario import POSITION_TYPES

    # units 0, 1 staffed; unit 2 has work and nobody (needs its formation); unit 3 neither
    gov = _gov([0, 0, 1, -1], [3.0] * 4, [2, 1, 3, 1])
    gov.staff.position = np.array([0, 0, 1, 0])
    gov.staff.cur = np.array([0.5, 0.5, 1.0, 1.0])  # the newcomer (unit -1) counts for none
    share = dict(zip(POSITION_TYPES, [1.0, 0.5, 0.0, 0.0, 0.0], strict=True))
    gov.assumptions = SimpleNamespace(service_share=share, hours_per_day=5.0, absence_rate=0.5)
    flows = {
        "arrivals": np.array([10.0, 20.0, 1.0, 0.0]),
        "rework_arrivals": np.array([2.0, 0.0, 0.0, 0.0]),
        "backlog": np.array([8.0, 0.0, 0.0, 0.0]),
    }
    gov.year_flows = lambda: flows
    gov.service = lambda name: {"effort_hours": np.array([9.0, 18.0, 1.0, 1.0])}[name]
    # hours a person gives: 5 × 360 × 0.5 × share × competency = 450 / 450 / 450
    # work: 20 × 9 = 180 and 20 × 18 = 360; needed: 2 × 180 / 900, 1 × 360 / 450
    policy = _policy(NeedsBasedPlacement)
    np.testing.assert_allclose(policy._needed(gov), [0.4, 0.8, 3.0, 0.0])
    # reckoned once a day: the same day gives the cached answer, another day a new one
    flows["arrivals"] = np.array([30.0, 20.0, 1.0, 0.0])
    np.testing.assert_allclose(policy._needed(gov), [0.4, 0.8, 3.0, 0.0])
    gov.day += 360
    np.testing.assert_allclose(policy._needed(gov), [0.8, 0.8, 3.0, 0.0])


def test_needed_before_any_year_is_the_staff_there():
    gov = _gov([0, 0, 1, -1], [3.0] * 4, [2, 1, 3])
    np.testing.assert_array_equal(_policy(NeedsBasedPlacement)._needed(gov), [2.0, 1.0, 0.0])


# --------------------------------------------------------------------------- corner cases


ROTATED = [1, 3, 2, 2, 0, 0, 1]  # rotation([0, 0, 1, 1, 2, 2, 3], default_rng(0))


def test_rotation_is_pinned_for_a_seed():
    # the draw order is part of the results (bit-identical runs): pin one rotation
    units = np.array([0, 0, 1, 1, 2, 2, 3])
    got = rotation(units, np.random.default_rng(0))
    assert (got != units).all()
    np.testing.assert_array_equal(got, ROTATED)


def test_staff_needed_with_less_than_an_hour_of_capacity():
    from asnsim.policies.placement import staff_needed

    np.testing.assert_allclose(staff_needed([1.0], [0.5], [1]), [2.0])


def test_take_best_with_a_third_sector():
    from asnsim.policies.placement import _take_best

    fit = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    np.testing.assert_array_equal(_take_best(fit, np.array([0, 1, 2])), [2, 0])
    # a sector with no posts at all (the last)
    three = np.array([[0.0, 1.0, 0.5], [1.0, 0.0, 0.5]])
    np.testing.assert_array_equal(_take_best(three, np.array([0, 1])), [1, 0])
    fit = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    np.testing.assert_array_equal(_take_best(fit, np.array([0, 1, 2])), [0, 1])


def test_one_candidate_one_post_is_placed_and_units_are_int32():
    gov = _cm_gov([[0.5, 0.5]], [0])
    for cls in (SeniorityPlacement, CompetencyMatchPlacement, NeedsBasedPlacement):
        units = _policy(cls).place(gov, np.array([0]), np.array([0]))
        np.testing.assert_array_equal(units, [0])
        assert units.dtype == np.int32
        none = _policy(cls).place(gov, np.array([0]), np.zeros(0, int))
        assert none.dtype == np.int32 and none.tolist() == [-1]


def test_act_hands_competency_match_integer_posts():
    gov = _cm_gov([[0.9, 0.1], [0.1, 0.9]], [0, 1])
    gov.newcomers = np.array([0, 1])
    do = _Do()
    _policy(CompetencyMatchPlacement).act(gov, do)
    assert do.placed[0][0] == 0 and do.placed[0][1] in (1, 2)


def test_a_stayer_not_due_does_not_swap_into_a_post_of_the_same_sector():
    # two staff of sector 0 (units 0, 2) both fit sector 1 better; one vacancy in unit 1:
    # the better one takes it, the other stays (a move within sector 0 gains nothing)
    comp = [[0.4, 0.8], [0.4, 0.7]]
    gov = _gov([0, 2], [3.0, 3.0], [1, 1, 1], sector=[0, 1, 0], competency=comp)
    do = _Do()
    opts = {"max_moves_share": 1.0, "into_vacancies": True}
    _policy(CompetencyMatchPlacement, **opts).transfer(gov, do)
    assert do.moves == [([0], [1])]


def test_fit_counts_the_competency_of_ones_post_as_it_is_now():
    # person 0 in unit 0 (sector 0): competency table 0.2, but now 0.9 in post: no gain
    gov = _gov([0, 1], [3.0, 3.0], [1, 1], sector=[0, 1], competency=[[0.2, 0.5], [0.5, 0.5]])
    gov.staff.cur = np.array([0.9, 0.5])
    years = np.array([3.0, 3.0])
    pool = _policy(CompetencyMatchPlacement)._pool(gov, years, years >= 2, years >= 5, 2)
    assert pool.tolist() == []


def test_needs_based_pool_never_takes_anyone_under_two_years():
    gov = _needs_gov([1.0, 1.0, 1.0, 1.0, 3.0, 3.0, 3.0])
    policy = _needs_policy(gov)
    years = np.array([1.0, 1.0, 1.0, 1.0, 3.0, 3.0, 3.0])
    pool = policy._pool(gov, years, years >= 2, years >= 5, 7)
    assert set(pool.tolist()) <= {4, 5} and len(pool) == 2


def test_needs_based_pool_counts_a_unit_of_one():
    # unit 0 has a single member with need 0.5: they are the least needy and go first
    gov = _gov([0, 1, 1, 2], [3.0] * 4, [1, 2, 4])
    policy = _policy(NeedsBasedPlacement, max_moves_share=1.0)
    policy._need_cache = (gov.day, np.array([0.5, 2.0, 4.0]))
    years = np.full(4, 3.0)
    assert policy._pool(gov, years, years >= 2, years >= 5, 1).tolist() == [0]


def test_needs_based_pool_with_fewer_candidates_than_open_posts():
    gov = _gov([0, 0, 1], [3.0, 3.0, 1.0], [2, 6])
    policy = _policy(NeedsBasedPlacement, max_moves_share=1.0)
    policy._need_cache = (gov.day, np.array([1.0, 8.0]))
    years = np.array([3.0, 3.0, 1.0])
    assert sorted(policy._pool(gov, years, years >= 2, years >= 5, 3).tolist()) == [0, 1]


def test_needs_based_gain_exactly_the_gap_is_not_enough():
    gov = _needs_gov()
    policy = _needs_policy(gov, min_need_gain=1.5)  # 2.0 > 0.5 + 1.5 is false
    years = np.full(7, 3.0)
    assert len(policy._pool(gov, years, years >= 2, years >= 5, 7)) == 0


def test_needs_based_transfer_counts_only_real_vacancies():
    # unit 2 has one vacancy; person 4 (due, unit 1) and one of unit 0 move: the first
    # target is unit 2's vacancy, the second the post person 4 leaves in unit 1
    years = np.array([3.0, 3.0, 3.0, 3.0, 6.0, 3.0, 3.0])
    gov = _gov([0, 0, 0, 0, 1, 1, 2], years, [4, 2, 2])
    policy = _policy(NeedsBasedPlacement, max_moves_share=1.0)
    policy._need_cache = (gov.day, np.array([2.0, 2.0, 4.0]))
    do = _Do()
    policy.transfer(gov, do)
    ((rows, units),) = do.moves
    assert rows[0] == 4 and rows[1] in (0, 1, 2, 3) and units == [2, 1]


def test_match_to_targets_when_a_unit_has_no_target():
    from asnsim.policies.placement import match_to_targets

    out = match_to_targets(np.array([0, 2]), np.array([False, False]), np.array([0, 1]),
                           np.random.default_rng(0))  # fmt: skip
    np.testing.assert_array_equal(out, [0, 1])


@pytest.mark.parametrize("seed", range(6))
def test_match_to_targets_leaves_the_unmatched_where_they_are(seed):
    from asnsim.policies.placement import match_to_targets

    out = match_to_targets(np.array([0, 0]), np.array([True, True]), np.array([0, 1]),
                           np.random.default_rng(seed))  # fmt: skip
    assert sorted(out.tolist()) == [0, 1]


def test_needs_based_keeper_stays_unless_a_post_elsewhere_is_needier_by_the_gap():
    # p0 (not due, unit 0, need per post 1.0) and p1 (due, unit 1, 1.02); unit 2 has a
    # vacancy (2.1 / 2 = 1.05). With the gap 0.1, p0's own post (1.0 + 0.1) beats unit 1's:
    # p0 stays and p1 takes unit 2. Without the gap, p0 would go to unit 1.
    gov = _gov([0, 1, 2], [3.0, 6.0, 3.0], [1, 1, 2])
    for gain, expected in [(0.1, [0, 2]), (0.0, [1, 2])]:
        policy = _policy(NeedsBasedPlacement, max_moves_share=1.0, min_need_gain=gain)
        policy._need_cache = (gov.day, np.array([1.0, 1.02, 2.1]))
        got = policy._transfer(gov, np.array([0, 1]), np.array([False, True]))
        np.testing.assert_array_equal(got, expected)


def test_no_transfers_draw_nothing_from_the_stream():
    # with the cap at 0 the random strategy draws no pool: the stream stays where it was
    gov = _gov(UNITS, YEARS, [3, 2, 2, 1])
    policy = _policy(RandomPlacement, 5, max_moves_share=0.0)
    policy.transfer(gov, _Do())
    assert policy.rng.random() == np.random.default_rng(5).random()
