"""Training's pure rules and its gap to the post on a hand-built snapshot (fast)."""

from types import SimpleNamespace

import numpy as np
import pytest

from asnsim.policies import NoOptions
from asnsim.policies.contract import DIGITAL, MANAGERIAL
from asnsim.policies.training import (
    _NO_UNIT,
    MANAGERIAL_POSTS,
    EvaluationDrivenTraining,
    NeedsBasedTraining,
    NoTraining,
    TrainingPolicy,
    UniformTraining,
    _top,
    away_profile,
    post_gap,
    stochastic_round,
    training_days,
)
from asnsim.scenario import RoutineDevelopmentSpec, TrainingProgramSpec
from asnsim.vocab import POSITION_TYPES
from asnsim.workforce import PPPK


def _gap_gov():
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
    gov = _gap_gov()
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
    result = policy.act(_gap_gov(), None)
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


# --------------------------------------------------------------------------- allocation
#
# Seven staff, three sectors, four units (unit 3 alone in education), uid = 100 + row:
#
#   row unit sector    status position       cur   digital managerial
#   0   0    health    PNS    jpt            0.40  0.2     0.3
#   1   1    admin     PNS    pelaksana      0.60  0.5     0.5
#   2   2    health    PPPK   administrator  0.80  0.1     0.8
#   3   0    health    PNS    pelaksana      0.85  0.6     0.9
#   4   1    admin     PPPK   pengawas       0.45  0.3     0.6
#   5   2    health    PNS    pelaksana      0.90  0.4     0.2
#   6   3    education PNS    fungsional     0.70  0.45    0.5
#
# Ceiling 0.9 and digital maturity 0.5 everywhere, so the gaps to the post are
#   health 0.5, -, 0.1, 0.05, -, 0, -   admin 0.3, 0.45 (rows 1, 4)   education 0.2 (row 6)
#   digital 0.3, 0, 0.4, 0, 0.2, 0.1, 0.05   managerial 0.7 (0), 0.2 (2), 0.4 (4).

SEED = 7
SECTORS = ["health", "admin", "education"]
HEALTH, ADMIN, EDUCATION = (0, 2, 3, 5), (1, 4), (6,)
_POS = ("jpt", "pelaksana", "administrator", "pelaksana", "pengawas", "pelaksana", "fungsional")


class _Staff(SimpleNamespace):
    def __len__(self):
        return len(self.uid)


def _staff(n=7):
    staff = _Staff(
        uid=np.arange(100, 107),
        unit=np.array([0, 1, 2, 0, 1, 2, 3]),
        status=np.array([0, 0, PPPK, 0, PPPK, 0, 0]),
        position=np.array([POSITION_TYPES.index(p) for p in _POS]),
        cur=np.array([0.4, 0.6, 0.8, 0.85, 0.45, 0.9, 0.7]),
        ceil=np.full(7, 0.9),
        digital=np.array([0.2, 0.5, 0.1, 0.6, 0.3, 0.4, 0.45]),
        managerial=np.array([0.3, 0.5, 0.8, 0.9, 0.6, 0.2, 0.5]),
        resistance=np.full(7, 0.2),
        competency=np.full((7, 3), 0.5),
        floor=np.full((7, 3), 0.3),
        field=np.zeros(7, dtype=np.int64),
        boost=np.zeros((7, 3)),  # no lasting training gain yet
        boost_digital=np.zeros(7),
        boost_managerial=np.zeros(7),
    )
    return _Staff(**{k: v[:n] for k, v in vars(staff).items()})


def _gov(programs, budget=1e9, scale=1.0, n=7, signal=None, unit_signal=None):
    specs = [p if isinstance(p, TrainingProgramSpec) else _spec(**p) for p in programs]
    return SimpleNamespace(
        staff=_staff(n),
        # no routine development: these tests pin the catalogue's allocation
        training=SimpleNamespace(
            programs=specs, budget_per_year=budget, routine=RoutineDevelopmentSpec(share=0.0)
        ),
        scale=scale,
        year=4,
        day=4 * 365,
        days_per_year=365,
        sectors=SECTORS,
        unit_sector=np.array([0, 1, 0, 2]),
        assumptions=SimpleNamespace(
            hours_per_day=7.5,
            mismatch_ceiling=0.6,
            training_lasting_share=0.35,
            training_lasting_max_sd=1.0,
        ),
        service=lambda name: {"digital_maturity": np.full(4, 0.5)}[name],
        sector_signal=lambda: dict(signal or {}),
        unit_signal=lambda: None if unit_signal is None else np.array(unit_signal, float),
        qualifies=np.array([[True], [False], [True]]),
    )


def _spec(target="digital", jp=8.0, cost=100.0, seats=7, cohorts=1, name=None, **kw):
    return TrainingProgramSpec(
        name=name or target, target=target, jp=jp, cost_per_seat=cost,
        seats_per_cohort=seats, cohorts_per_year=cohorts, **kw,
    )  # fmt: skip


class _Do:
    """Records what the policy asks the model to do."""

    def __init__(self):
        self.booked, self.away, self.trained = [], [], []

    def book_seats(self, program, seats):
        self.booked.append((program, seats))

    def time_away(self, uids, start, profile, then):
        self.away.append(SimpleNamespace(uids=list(uids), start=start, profile=profile, then=then))

    def train(self, rows, target, gains, jp, lasting=None):
        self.trained.append(
            SimpleNamespace(rows=list(rows), target=target, gains=gains, jp=jp, lasting=lasting)
        )

    def seated(self):
        """Rows given a seat, one list per filled one-cohort programme, in seat order."""
        return [[uid - 100 for uid in a.uids] for a in self.away]


def _act(cls, programs, options=None, **gov):
    policy = cls(cls.Options(**(options or {})), np.random.default_rng(SEED))
    do, g = _Do(), _gov(programs, **gov)
    return policy.act(g, do), do, policy, g


def test_uniform_fills_the_cheapest_jp_first_and_the_fewest_jp_first():
    programs = [
        _spec(name="a", cost=800.0),  # 100 per JP
        _spec(name="b", cost=80.0, seats=2),  # 10 per JP
        _spec(name="c", cost=400.0),  # 50 per JP
    ]
    result, do, _, _ = _act(
        UniformTraining, programs, {"target_jp": 16, "max_programs_per_employee": 3}
    )
    assert do.booked == [(0, 0), (1, 0), (2, 0), (1, 2), (2, 7), (0, 5)]
    first, second, third = do.seated()
    # c: the five with no JP yet first, then b's two (8 JP)
    assert set(second[:5]) == set(range(7)) - set(first) and set(second[5:]) == set(first)
    # a: b's two are at 16 JP, not below the target of 16: only the other five
    assert set(third) == set(second[:5])
    assert result.spend == 2 * 80 + 7 * 400 + 5 * 800
    assert result.diagnostics == {"trained": 14, "jp": 14 * 8.0, "seats": 16}


def test_uniform_orders_by_cost_per_jp_not_per_seat():
    # long: 800 a seat for 40 JP (20 per JP); short: 400 a seat for 8 JP (50 per JP)
    programs = [
        _spec(name="short", cost=400.0, seats=1),
        _spec(name="long", jp=40.0, cost=800.0, seats=1),
    ]
    _, do, _, _ = _act(UniformTraining, programs, {"target_jp": 100})
    assert do.booked[2:] == [(1, 1), (0, 1)]


def test_base_policy_fills_in_catalogue_order():
    programs = [_spec(name="a", cost=800.0, seats=2), _spec(name="b", cost=80.0, seats=2)]
    result, do, _, _ = _act(TrainingPolicy, programs, budget=1600.0)
    assert do.booked == [(0, 0), (1, 0), (0, 2)]  # a takes the whole budget
    assert result.spend == 1600.0


def test_sector_programmes_seat_their_sector_only_and_no_unit_no_one():
    programs = [_spec(t, seats=10) for t in ("culture", "health", "admin", "education")]
    result, do, policy, _ = _act(UniformTraining, programs)
    # culture: no unit serves it, no seat; the programmes after it are still filled
    assert do.booked == [(0, 0), (1, 0), (2, 0), (3, 0), (1, 4), (2, 2), (3, 1)]
    assert [set(rows) for rows in do.seated()] == [set(HEALTH), set(ADMIN), set(EDUCATION)]
    assert result.diagnostics["seats"] == 40
    assert result.diagnostics["jp"] == 7 * 8.0  # education's one candidate counted too
    plans = policy.plan_frame()
    assert plans.sector.tolist() == ["health", "admin", "education"]
    assert plans.trainees.tolist() == [4, 2, 1]


def test_the_budget_caps_seats_and_runs_down_across_programmes():
    programs = [
        _spec(name="dear", cost=100.0),
        _spec(name="mid", cost=50.0, seats=3),
        _spec(name="free", cost=0.0, seats=3),
    ]
    result, do, _, _ = _act(UniformTraining, programs, budget=250.0)
    # free first (0 per JP), then mid (3 × 50), then dear: 100 left, one seat
    assert do.booked[3:] == [(2, 3), (1, 3), (0, 1)]
    assert sorted(sum(do.seated(), [])) == list(range(7))  # fewest JP first: no one twice
    assert result.spend == 250.0
    assert result.diagnostics["trained"] == 7


def test_a_budget_of_exactly_three_seats_buys_three_despite_rounding():
    # 0.3 / 0.1 = 2.9999999999999996 in floating point
    result, do, _, _ = _act(UniformTraining, [_spec(cost=0.1), _spec(cost=0.1)], budget=0.3)
    assert do.booked == [(0, 0), (1, 0), (0, 3)]
    assert result.spend == pytest.approx(0.3)


def test_a_free_programme_is_filled_without_budget():
    result, do, _, _ = _act(UniformTraining, [_spec(cost=0.0, seats=3)], budget=0.0)
    assert do.booked == [(0, 0), (0, 3)] and result.spend == 0.0


def test_budget_and_seats_are_the_citys_times_scale():
    programs = [_spec(cost=100.0, seats=8, cohorts=2)]
    result, do, _, _ = _act(UniformTraining, programs, budget=1000.0, scale=0.5)
    # 8 seats (16 × 0.5), budget 500: 5 seats
    assert result.diagnostics["seats"] == 8 and result.diagnostics["trained"] == 5
    assert result.spend == 500.0


@pytest.mark.parametrize("max_programs, last", [(4, [0, 1, 3, 5, 6]), (3, [])])
def test_pppk_stop_at_their_jp_cap_and_everyone_at_the_programme_cap(max_programs, last):
    # four programmes of 0.1 JP; PPPK may take 0.3 (0.1 + 0.1 + 0.1 rounds above 0.3)
    programs = [_spec(jp=0.1, name=f"p{i}") for i in range(4)]
    options = {"pppk_max_jp": 0.3, "max_programs_per_employee": max_programs}
    result, do, _, _ = _act(UniformTraining, programs, options)
    seated = do.seated()
    assert [sorted(rows) for rows in seated[:3]] == [list(range(7))] * 3
    assert sorted(sum(seated[3:], [])) == last
    assert result.diagnostics["jp"] == pytest.approx(0.1 * (21 + len(last)))


def test_the_programme_cap_holds_for_sector_programmes():
    programs = [_spec("health", seats=2), _spec("health", seats=10)]
    _, do, _, _ = _act(UniformTraining, programs, {"max_programs_per_employee": 1})
    first, second = do.seated()
    assert sorted(first + second) == sorted(HEALTH)


def test_an_unaffordable_programme_leaves_the_tie_breaks_alone():
    # the free programme's seats are drawn the same whether or not a programme the budget
    # cannot pay comes before it (common random numbers across catalogues)
    paid, free = _spec(name="paid", seats=1), _spec(name="free", cost=0.0, seats=2)
    _, before, _, _ = _act(TrainingPolicy, [paid, paid, free], budget=100.0)
    _, after, _, _ = _act(TrainingPolicy, [paid, free, paid], budget=100.0)
    assert before.booked[3:] == [(0, 1), (2, 2)] and after.booked[3:] == [(0, 1), (1, 2)]
    assert before.seated() == after.seated()


def test_a_mode_the_government_does_not_buy_gets_no_seat():
    programs = [_spec(mode="partnership"), _spec(mode="classroom")]
    _, do, _, _ = _act(UniformTraining, programs, {"modes": ["classroom"]})
    assert do.booked == [(0, 0), (1, 0), (1, 7)]


def test_no_catalogue_or_no_staff():
    result, do, _, _ = _act(UniformTraining, [])
    assert do.booked == [] and result.spend == 0.0
    assert result.diagnostics == {"trained": 0, "jp": 0.0, "seats": 0}
    result, do, _, _ = _act(UniformTraining, [_spec(seats=5)], n=0)
    assert do.booked == [(0, 0)] and result.spend == 0.0
    assert result.diagnostics == {"trained": 0, "jp": 0.0, "seats": 5}
    result, do, _, _ = _act(UniformTraining, [_spec(seats=5)], n=1)  # a staff of one
    assert do.booked == [(0, 0), (0, 1)] and do.seated() == [[0]]
    assert result.diagnostics == {"trained": 1, "jp": 8.0, "seats": 5}


def test_the_plan_by_sector_of_the_trainees():
    _, _, policy, _ = _act(UniformTraining, [_spec(mode="workshop", jp=8.0, cost=50.0)])
    plan = policy.plan_frame()
    assert plan.to_dict("records") == [
        {"year": 5, "program": "digital", "target": "digital", "mode": "workshop",
         "sector": s, "trainees": n, "jp": 8.0 * n, "spend": 50.0 * n}
        for s, n in (("health", 4), ("admin", 2), ("education", 1))
    ]  # fmt: skip


def test_catalogue_targets_seats_and_cohort_days():
    programs = [
        _spec("health", seats=3, cohorts=2),
        _spec("admin", seats=1, cohorts=3),  # 1.5 seats at half scale: 1 or 2 at random
        _spec("education", cohorts=0),  # no cohort: no seat, one start drawn all the same
        _spec("digital", jp=20.0, seats=8),
        _spec("managerial", jp=3650.0, seats=8),  # 365 days: as long as the year
        _spec("culture", seats=8),
    ]
    gov = _gov(programs, scale=0.5)
    policy = UniformTraining(UniformTraining.Options(), np.random.default_rng(SEED))
    catalogue = policy._catalogue(gov)
    assert [p.index for p in catalogue] == list(range(6))
    assert [p.spec for p in catalogue] == gov.training.programs
    assert [p.target for p in catalogue] == [0, 1, 2, DIGITAL, MANAGERIAL, _NO_UNIT]
    seat_rng, date_rng, _ = np.random.default_rng(SEED).spawn(3)
    u = seat_rng.random(6)
    assert [p.seats for p in catalogue] == [3, 1 + int(u[1] < 0.5), 0, 4, 4, 4]
    assert [len(p.cohort_starts) for p in catalogue] == [2, 3, 1, 1, 1, 1]
    # 8 JP = 6 h: part of one day; 20 JP: 2 days; a start leaves room for the days away
    spans = [1, 1, 1, 2, 365, 1]
    for p, span in zip(catalogue, spans, strict=True):
        expected = date_rng.integers(0, max(1, 365 - span), size=len(p.cohort_starts))
        np.testing.assert_array_equal(p.cohort_starts, gov.day + expected)
        assert (p.cohort_starts >= gov.day).all()
        assert (p.cohort_starts + span <= gov.day + 365).all()
    assert catalogue[4].cohort_starts.tolist() == [gov.day]
    # the next year draws afresh from the seat stream, whatever the strategy did
    again = policy._catalogue(gov)
    assert again[1].seats == 1 + int(seat_rng.random(6)[1] < 0.5)


def test_trainees_are_split_into_cohorts_away_from_their_start_day():
    # 20 JP = 15 h: two working days of 7.5 h; five seats bought over two cohorts: 3 then 2
    programs = [_spec(jp=20.0, seats=3, cohorts=2, cost=100.0)]
    _, do, _, gov = _act(UniformTraining, programs, budget=500.0)
    assert [len(a.uids) for a in do.away] == [3, 2]
    assert len(set(sum(do.seated(), []))) == 5
    _, date_rng, _ = np.random.default_rng(SEED).spawn(3)
    starts = gov.day + date_rng.integers(0, 365 - 2, size=2)
    assert [a.start for a in do.away] == starts.tolist()
    for a in do.away:
        np.testing.assert_array_equal(a.profile, [1.0, 1.0])
    # one trainee, three cohorts: one group only (empty cohorts are not scheduled)
    _, do, _, _ = _act(UniformTraining, [_spec(jp=20.0, seats=1, cohorts=3)], budget=100.0)
    assert len(do.away) == 1 and len(do.away[0].uids) == 1
    assert do.away[0].start == starts[0]


@pytest.mark.parametrize("target", ["health", "digital", "managerial"])
def test_a_returning_cohort_is_trained_in_the_programme_target(target):
    programs = [_spec(target, jp=20.0, seats=7)]
    _, do, policy, gov = _act(UniformTraining, programs)
    (away,) = do.away
    rows = np.array(away.uids) - 100
    assert not do.trained and not policy.gains  # nothing gained before the cohort is back
    away.then(gov, do, rows)
    (trained,) = do.trained
    assert trained.rows == rows.tolist() and trained.jp == 20.0
    assert trained.target == {"health": 0, "digital": DIGITAL, "managerial": MANAGERIAL}[target]
    gains = np.asarray(trained.gains)
    assert gains.shape == rows.shape and (gains >= 0).all() and (gains > 0).any()
    assert policy.gains == [
        {"year": gov.year + 1, "program": target, "target": target,
         "trainees": len(rows), "gain": pytest.approx(gains.sum())}
    ]  # fmt: skip


def test_needs_based_seats_the_largest_gap_first_and_only_those_with_one():
    programs = [_spec("health", seats=10), _spec("digital", seats=10)]
    _, do, _, _ = _act(NeedsBasedTraining, programs)
    # health first: mean gap of its neediest 0.217 > digital's 0.21 (per 100 rupiah)
    seated = dict(zip([p for p, n in do.booked[2:]], do.seated(), strict=True))
    assert seated[0] == [0, 2, 3]  # health gaps 0.5, 0.1, 0.05; row 5 has none
    assert seated[1] == [2, 0, 4, 5, 6]  # digital gaps 0.4, 0.3, 0.2, 0.1, 0.05


def test_needs_based_fills_the_most_gap_closed_per_rupiah_first():
    programs = [
        _spec("admin", seats=2, cost=100.0),  # mean gap of its 2 seats (0.45, 0.3): 0.375
        _spec("health", seats=1, cost=100.0),  # its 1 seat: 0.5
        _spec("culture", seats=5),  # no unit: last
        _spec("education", cohorts=0),  # no seat: last
    ]
    _, do, _, _ = _act(NeedsBasedTraining, programs)
    assert do.booked[4:] == [(1, 1), (0, 2)]
    assert do.seated() == [[0], [4, 1]]
    # the mode and effectiveness weigh in: half as effective, health (0.25) goes second
    programs[1] = _spec("health", seats=1, cost=100.0, mode="e_learning", effectiveness=0.5)
    _, do, _, _ = _act(NeedsBasedTraining, programs)
    assert do.booked[4:] == [(0, 2), (1, 1)]
    # coaching (1.1) at 0.35 effectiveness: 0.5 × 0.385 = 0.1925 per 100 rupiah
    programs[1] = _spec("health", seats=1, cost=50.0, mode="coaching", effectiveness=0.35)
    _, do, _, _ = _act(NeedsBasedTraining, programs)
    assert do.booked[4:] == [(1, 1), (0, 2)]
    # a free programme counts as costing 1 rupiah a seat: first, but finite
    programs[1] = _spec("education", seats=1, cost=0.0)
    programs[3] = _spec("digital", seats=1, cost=0.0)
    _, do, _, _ = _act(NeedsBasedTraining, programs)
    assert do.booked[4:] == [(3, 1), (1, 1), (0, 2)]  # digital 0.4 > education 0.2


def test_needs_based_values_a_programme_by_the_gaps_it_can_close():
    # managerial: 7 seats but three with a gap (0.7, 0.4, 0.2): mean 0.433, the empty seats
    # do not dilute it; education: its one seat closes 0.2
    programs = [_spec("education", seats=1), _spec("managerial", seats=7)]
    _, do, _, _ = _act(NeedsBasedTraining, programs)
    assert do.booked[2:] == [(1, 3), (0, 1)]
    assert do.seated() == [[0, 4, 2], [6]]
    # a seat of 1.5 rupiah counts as 1.5, of 0 as 1: digital (0.4 / 1) before health
    # (0.5 / 1.5 = 0.33)
    programs = [_spec("health", seats=1, cost=1.5), _spec("digital", seats=1, cost=0.0)]
    _, do, _, _ = _act(NeedsBasedTraining, programs)
    assert do.booked[2:] == [(1, 1), (0, 1)]


# ------------------------------------------------------------------ evaluation_driven


def test_evaluation_driven_fills_the_weakest_sector_first_then_the_cross_cutting():
    programs = [
        _spec("digital", seats=1),
        _spec("health", seats=1),
        _spec("managerial", seats=1),
        _spec("education", seats=1),  # no signal: after the sectors that have one
        _spec("admin", seats=1),
    ]
    _, do, _, _ = _act(EvaluationDrivenTraining, programs, signal={"health": 80, "admin": 40})
    assert [p for p, _ in do.booked[5:]] == [4, 1, 3, 0, 2]


def test_evaluation_driven_seats_the_weakest_units_staff_first():
    signal, units = {"health": 80, "admin": 40}, [70, np.nan, 50, np.nan]
    _, do, _, _ = _act(
        EvaluationDrivenTraining, [_spec("health")], signal=signal, unit_signal=units
    )
    (rows,) = do.seated()
    assert set(rows[:2]) == {2, 5} and set(rows[2:]) == {0, 3}  # unit 2 (50), then 0 (70)
    # digital, weakest first: admin (40; unit 1 has no signal of its own), then education
    # (no signal: the mean of the others, 60), then health: unit 2 (50) before unit 0 (70)
    options = {"cross_cutting": "weakest_first"}
    _, do, _, _ = _act(
        EvaluationDrivenTraining, [_spec()], options, signal=signal, unit_signal=units
    )
    (rows,) = do.seated()
    assert set(rows[:2]) == {1, 4} and rows[2] == 6
    assert set(rows[3:5]) == {2, 5} and set(rows[5:]) == {0, 3}
    # a unit's own signal outweighs nothing of its sector's rank: a weak health unit (10)
    # still comes after every admin and education employee
    _, do, _, _ = _act(
        EvaluationDrivenTraining, [_spec()], options, signal=signal, unit_signal=[10, 90, 5, 95]
    )
    (rows,) = do.seated()
    assert set(rows[:2]) == {1, 4} and rows[2] == 6 and set(rows[3:5]) == {2, 5}
    # without unit signals, each unit has its sector's
    _, do, _, _ = _act(EvaluationDrivenTraining, [_spec("admin")], signal=signal)
    assert set(do.seated()[0]) == {1, 4}


def test_evaluation_driven_spread_sends_cross_cutting_seats_to_the_fewest_jp():
    programs = [_spec("health", seats=2), _spec("digital")]
    signal = {"health": 80, "admin": 40}
    _, do, _, _ = _act(
        EvaluationDrivenTraining, programs, {"cross_cutting": "spread"}, signal=signal
    )
    health, digital = do.seated()
    assert set(digital[:5]) == set(range(7)) - set(health) and set(digital[5:]) == set(health)
    # sector programmes still go to the weakest units first under spread
    programs = [_spec("digital", seats=2), _spec("health", seats=2)]
    _, do, _, _ = _act(
        EvaluationDrivenTraining, programs, {"cross_cutting": "spread"},
        signal=signal, unit_signal=[70, np.nan, 50, np.nan],
    )  # fmt: skip
    health, digital = do.seated()
    assert set(health) == {2, 5}


def test_without_any_signal_sectors_rank_in_their_order():
    # every sector and unit alike: weakest first falls back on the order of the sectors
    _, do, _, _ = _act(EvaluationDrivenTraining, [_spec(seats=5)])
    (rows,) = do.seated()
    assert set(rows[:4]) == set(HEALTH) and rows[4] in ADMIN


# ------------------------------------------------------------------ ties


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_top_takes_the_highest_scores_with_ties_at_random(k):
    score = np.array([1.0, 3.0, 2.0, 3.0, 0.0])
    tie = np.random.default_rng(3).random(5)
    best = [1, 3] if tie[1] < tie[3] else [3, 1]
    assert _top(score, k, np.random.default_rng(3)).tolist() == (best + [2, 0, 4])[:k]


def test_top_of_many_is_the_exact_order():
    score = np.random.default_rng(1).random(40)
    for k in (1, 10, 39, 40):
        top = _top(score, k, np.random.default_rng(2))
        np.testing.assert_array_equal(top, np.argsort(-score)[:k])
