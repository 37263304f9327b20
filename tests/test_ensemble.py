"""The ensemble engine: each run of an ensemble is bit-identical to the same run alone.

The engine steps many runs' working days as one set of arrays; every run keeps its own random
streams and its own yearly cycle. Equality is exact (``assert_frame_equal`` with
``check_exact``) for every table a run records, for each lever's policies, each city, runs
of different sizes, horizons and assumptions side by side, and a run from a roster.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asnsim.demand import fifo_serve
from asnsim.ensemble import _fifo, _spread, run_ensemble
from asnsim.model import ASNModel
from asnsim.policies import REGISTRY, _load_builtin
from asnsim.policies.levers import LEVERS
from asnsim.scenario import load_scenario

ROOT = Path(__file__).parents[1]
TABLES = ("city", "annual", "daily", "surveys", "sectors")
CITIES = ("kotabumi", "kupang", "medan", "padang", "palembang")


def _scenario(city: str, *overrides: str, scale: float = 0.03, years: int = 2, seed: int = 1):
    return load_scenario(
        ROOT / "scenarios" / f"{city}.yaml",
        [f"scale={scale}", f"horizon_years={years}", f"seed={seed}", *overrides],
    )


def _assert_same(got, alone, label: str) -> None:
    assert not isinstance(got, Exception), f"{label}: {got!r}"
    for table in TABLES:
        try:
            pd.testing.assert_frame_equal(
                getattr(got, table)(), getattr(alone, table)(), check_exact=True
            )
        except AssertionError as error:
            raise AssertionError(f"{label}: table {table} differs\n{error}") from None


def _lever_variants() -> list[tuple[str, object]]:
    """Every registered policy that is not its lever's status quo, one run each."""
    _load_builtin()
    choices = [(row.kind, name) for row in LEVERS for name in sorted(REGISTRY[row.kind])]
    defaults = {row.kind: row.default for row in LEVERS}
    return [
        (f"{kind}={name}", _scenario("kupang", f"policies.{kind}.name={name}", seed=seed))
        for seed, (kind, name) in enumerate(choices)
        if name != defaults[kind]
    ]


def _mixed() -> list[tuple[str, object]]:
    """Cities, sizes, horizons and assumptions side by side (two queue lengths: two groups)."""
    runs = [(city, _scenario(city, scale=0.02, seed=10 + i)) for i, city in enumerate(CITIES)]
    runs += [
        ("one year", _scenario("kotabumi", years=1, scale=0.05, seed=3)),
        ("three years", _scenario("kotabumi", years=3, scale=0.02, seed=4)),
        ("tiny", _scenario("padang", years=1, scale=0.005, seed=5)),
        # another working year: its demand's rates by its own calendar, its end mid-block
        ("240 days", _scenario("kupang", "days_per_year=240", years=1, seed=8)),
        (
            "assumptions",
            _scenario(
                "kotabumi",
                "assumptions.motivation_rate=0.05",
                "assumptions.motivation_target=0.6",
                "assumptions.overload_weight=0.4",
                "assumptions.error_rate_novice=0.3",
                "assumptions.learning_half_life_days=40",
                seed=6,
            ),
        ),
        # a short queue and scarce staff: waits reach the open last column (capped)
        (
            "short queue",
            _scenario(
                "medan", "assumptions.queue_max_days=6", "assumptions.hours_per_day=2", seed=7
            ),
        ),
    ]
    return runs


def _check(runs, **kwargs) -> dict:
    got = dict(run_ensemble([s for _, s in runs], **kwargs))
    assert sorted(got) == list(range(len(runs)))
    return got


def test_each_lever_policy_run_equals_the_run_alone():
    runs = _lever_variants()
    assert len(runs) == sum(len(REGISTRY[row.kind]) - 1 for row in LEVERS)
    got = _check(runs)
    for position, (label, scenario) in enumerate(runs):
        _assert_same(got[position], ASNModel(scenario).run(progress=False), label)


def test_cities_sizes_horizons_and_assumptions_side_by_side():
    runs = _mixed()
    got = _check(runs)
    for position, (label, scenario) in enumerate(runs):
        _assert_same(got[position], ASNModel(scenario).run(progress=False), label)
    short = got[len(runs) - 1].city()
    assert short["waits_capped"].sum() > 0  # the open last column was exercised
    assert [len(got[p].daily()) for p in (5, 6, 8)] == [250, 750, 240]


def test_a_roster_run_equals_the_run_alone():
    from asnsim.roster import load_roster

    scenario = _scenario("kotabumi", scale=0.05, years=1)
    roster = load_roster(ROOT / "data" / "sample_roster.csv", scenario, as_of="2025-01-01")
    runs = [("roster", scenario), ("synthetic", _scenario("kotabumi", scale=0.05, years=1))]
    got = _check(runs, rosters=[roster, None])
    _assert_same(got[0], ASNModel(scenario, roster=roster).run(progress=False), "roster")
    _assert_same(got[1], ASNModel(runs[1][1]).run(progress=False), "synthetic")
    assert len(got[0].daily()) == 250


def test_a_failing_run_leaves_the_others(monkeypatch):
    runs = [_scenario("kupang", seed=s) for s in (1, 2, 3)]
    alone = {p: ASNModel(s).run(progress=False) for p, s in enumerate(runs) if p != 1}
    import asnsim.model as model

    real = model.ASNModel._survey

    def survey(self):
        if self.spec.seed == 2 and self.day > 250:
            raise RuntimeError("boom")
        return real(self)

    monkeypatch.setattr(model.ASNModel, "_survey", survey)
    order = [position for position, _ in run_ensemble(runs)]
    assert order[0] == 1  # yielded as soon as it failed, before the others ended
    got = dict(run_ensemble(runs))
    assert isinstance(got[1], RuntimeError)
    for position in (0, 2):
        _assert_same(got[position], alone[position], f"run {position}")


def test_a_run_that_cannot_start_is_reported_and_the_others_run():
    from asnsim.roster import load_roster

    small = _scenario("kotabumi", scale=0.01, years=1)
    big = load_roster(
        ROOT / "data" / "sample_roster.csv", _scenario("kotabumi", scale=0.05), as_of="2025-01-01"
    )
    got = dict(run_ensemble([small, small], rosters=[big, None]))
    assert isinstance(got[0], ValueError)
    _assert_same(got[1], ASNModel(small).run(progress=False), "synthetic")
    with pytest.raises(ValueError, match="one per scenario"):
        list(run_ensemble([small], rosters=[]))


def test_sparse_fifo_serves_as_the_dense_one():
    rng = np.random.default_rng(0)
    for _ in range(50):
        queue = rng.poisson(0.4, (7, 9)) * (rng.random((7, 9)) < 0.4)
        capacity = rng.integers(0, 6, 7)
        rows, cols = np.nonzero(queue)
        served = np.zeros_like(queue)
        served[rows, cols] = _fifo(rows, queue[rows, cols], capacity)
        np.testing.assert_array_equal(served, fifo_serve(queue, capacity))


def test_when_every_run_fails_each_is_reported(monkeypatch):
    import asnsim.model as model

    def month_exits(self):
        raise RuntimeError(f"seed {self.spec.seed}")

    monkeypatch.setattr(model.ASNModel, "_month_exits", month_exits)
    got = dict(run_ensemble([_scenario("kupang", seed=s) for s in (1, 2)]))
    assert [str(got[p]) for p in (0, 1)] == ["seed 1", "seed 2"]


def test_one_draw_on_stacked_arguments_equals_consecutive_draws():
    """What the engine relies on to draw a run's numbers in fewer calls.

    A Poisson call on a (days x units) array of rates draws day after day, as one call a
    day does; a binomial call on two arrays side by side draws as two calls do, and a count
    of zero (or a probability of zero) takes no number from the generator.
    """
    rates = np.random.default_rng(3).random((5, 7)) * 4.0
    stacked, daily = np.random.default_rng(9), np.random.default_rng(9)
    np.testing.assert_array_equal(stacked.poisson(rates), [daily.poisson(r) for r in rates])
    assert stacked.random() == daily.random()  # both streams are at the same place after

    n = np.array([3, 0, 5, 2, 0, 40, 1])
    p = np.array([0.2, 0.5, 0.0, 0.9, 0.3, 0.6, 0.01])
    one, two = np.random.default_rng(5), np.random.default_rng(5)
    both = one.binomial(n, p)
    parts = np.concatenate([two.binomial(n[:3], p[:3]), two.binomial(n[3:], p[3:])])
    np.testing.assert_array_equal(both, parts)
    assert one.random() == two.random()
    busy = n > 0
    skip, full = np.random.default_rng(6), np.random.default_rng(6)
    np.testing.assert_array_equal(skip.binomial(n[busy], p[busy]), full.binomial(n, p)[busy])
    assert skip.random() == full.random()


def test_an_assumption_every_run_shares_stays_one_scalar():
    assert _spread([0.5, 0.5], [2, 3]) == 0.5
    np.testing.assert_array_equal(_spread([0.5, 0.25], [1, 2]), [0.5, 0.25, 0.25])
    # 0.0 and -0.0 are equal but not the same number: spread, not merged
    signs = np.signbit(_spread([0.0, -0.0], [1, 1]))
    np.testing.assert_array_equal(signs, [False, True])


def test_each_runs_clock_ends_where_the_run_alone_ends():
    """A run's clock is set only when its own code runs: at the end it is the clock alone
    (model day, days recorded, Mesa's steps and time)."""
    from asnsim.ensemble import _Batch

    scenarios = [_scenario("kotabumi", years=1, seed=seed) for seed in (1, 2)]
    batch = _Batch()
    for position, scenario in enumerate(scenarios):
        batch.add(position, scenario, None)
    models = [run.model for run in batch.runs]
    assert len([out for _, out in batch.run() if not isinstance(out, Exception)]) == 2
    alone = ASNModel(scenarios[0])
    alone.run(progress=False)

    def clock(m):
        return m.day, m.outcomes.days_recorded, m.steps, m.time, m.running

    assert clock(alone) == (250, 250, 250, 250.0, False)
    assert all(clock(m) == clock(alone) for m in models)
