"""Placement and transfer (mutasi): pure rules by hand, the posting rule, then paired runs.

The paired runs use common random numbers: replication r of every variant has the same seed,
so the citizens, the workforce at the start and the whole first year are the same, and only
the placement policy (and what follows from it) differs. Kotabumi runs at scale 0.05 (about
420 staff in 59 service points) for 4 years; the needs-based runs use the small test town with
its two district offices understaffed.
"""

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from asnsim.analysis import paired_difference, replication_seeds, run_variants
from asnsim.cli import main
from asnsim.model import ASNModel
from asnsim.policies.placement import (
    CompetencyMatchOptions,
    CompetencyMatchPlacement,
    _assign,
    _take_best,
    dhondt_quotients,
    fit_matrix,
    match_to_targets,
    rank_within,
    rotation,
    staff_needed,
)
from asnsim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[2]
KOTABUMI = ROOT / "scenarios" / "kotabumi.yaml"
TINY = ROOT / "tests" / "data" / "tiny.yaml"
STRATEGIES = ("seniority", "random", "competency_match", "needs_based")
REPS = 12
MATCH = {"policies.placement.name": "competency_match"}
NO_FIT = {"assumptions.mismatch_ceiling": 1.0, "assumptions.field_match_bonus": 0.0}
NO_MOVES = {"policies.placement.options.max_moves_share": 0.0}


# --------------------------------------------------------------------------- pure parts


def test_fit_matrix_by_hand():
    # sectors: health, administration; fields: health, economics (the Kotabumi example)
    qualifies = np.array([[True, False], [False, True]])
    field = np.array([1, 0])  # an economics graduate, a health graduate
    competency = np.array([[0.42, 0.67], [0.67, 0.42]])
    fit = fit_matrix(field, competency, qualifies, field_weight=1.0, competency_weight=0.5)
    np.testing.assert_allclose(fit, [[0.21, 1.335], [1.335, 0.21]])


def test_rank_within_by_hand():
    np.testing.assert_array_equal(rank_within(np.array([3, 1, 3, 3, 1])), [0, 0, 1, 2, 1])
    assert len(rank_within(np.array([], dtype=int))) == 0


@pytest.mark.parametrize("seed", range(20))
def test_rotation_sends_everyone_to_another_unit(seed):
    rng = np.random.default_rng(seed)
    units = rng.integers(0, 6, size=int(rng.integers(2, 40)))
    out = rotation(units, rng)
    np.testing.assert_array_equal(np.sort(out), np.sort(units))  # posts swap: a permutation
    if np.bincount(units).max() <= len(units) / 2:
        assert (out != units).all()


def test_rotation_when_one_unit_holds_most_of_the_pool():
    units = np.array([0, 0, 0, 0, 1])
    out = rotation(units, np.random.default_rng(0))
    np.testing.assert_array_equal(np.sort(out), np.sort(units))
    assert (out != units).sum() == 2  # only one swap with the lone member of unit 1 is possible


def test_staff_needed_by_hand():
    # 10 staff giving 1,000 h for 1,500 h of work need 15; a unit that keeps up needs its
    # staff; work with no capacity: infinitely many; no work: none
    needed = staff_needed(
        work_hours=np.array([1500.0, 800.0, 50.0, 0.0]),
        capacity_hours=np.array([1000.0, 1000.0, 0.0, 300.0]),
        staff=np.array([10, 8, 0, 3]),
    )
    np.testing.assert_allclose(needed, [15.0, 6.4, np.inf, 0.0])


def test_dhondt_quotients_by_hand():
    unit, q = dhondt_quotients(
        needed=np.array([30.0, 10.0]), staff=np.array([20, 10]), open_posts=np.array([2, 1])
    )
    np.testing.assert_array_equal(unit, [0, 0, 1])
    np.testing.assert_allclose(q, [30 / 21, 30 / 22, 10 / 11])


def test_best_sector_when_there_is_room_else_optimal_assignment():
    # columns: one post in sector 0, one in sector 1
    sector = np.array([0, 1])
    roomy = np.array([[2.0, 1.0], [0.5, 1.5]])
    np.testing.assert_array_equal(_take_best(roomy, sector), [0, 1])
    # both prefer sector 0; A loses 0.1 by yielding it, B would lose 1.3: B gets sector 0
    crowded = np.array([[2.0, 1.9], [1.8, 0.5]])
    assert _take_best(crowded, sector) is None
    np.testing.assert_array_equal(_assign(crowded), [1, 0])


def test_match_to_targets_by_hand():
    own = np.array([0, 0, 1, 2])
    due = np.array([True, False, True, True])
    target = np.array([0, 1, 2, 2])
    out = match_to_targets(own, due, target, np.random.default_rng(0))
    assert out[1] == 0  # not due, and a post of their unit is to be filled: stays
    assert out[0] != 0 and out[2] != 1 and out[3] != 2  # the due all leave their unit
    np.testing.assert_array_equal(np.sort(out[[0, 2, 3]]), [1, 2, 2])


def test_competency_match_puts_the_economist_in_administration_and_the_nurse_in_health():
    """The Kotabumi paper's example: an economics graduate posted to health performs poorly."""
    units = SimpleNamespace(sector=np.array([0, 1]))  # unit 0: health, unit 1: administration
    qualifies = np.array([[True, False], [False, True]])  # fields: health, economics
    wf = SimpleNamespace(
        field=np.array([1, 0], dtype=np.int16),
        competency=np.array([[0.42, 0.67], [0.67, 0.42]]),
        unit=np.array([-1, -1]),  # newcomers, not yet posted
        cur=np.zeros(2),
        rank=np.array([9, 8]),
        tenure=np.zeros(2),
    )
    gov = SimpleNamespace(staff=wf, unit_sector=units.sector, qualifies=qualifies)
    policy = CompetencyMatchPlacement(CompetencyMatchOptions(), np.random.default_rng(0))
    for posts in (np.array([0, 1]), np.array([1, 0])):
        np.testing.assert_array_equal(policy.place(gov, np.array([0, 1]), posts), [1, 0])


# --------------------------------------------------------------------------- options


def test_max_years_in_post_must_not_precede_the_minimum():
    """A cross-field rule (the contract tests cover bounds and unknown options)."""
    with pytest.raises(ScenarioError) as err:
        load_scenario(KOTABUMI, MATCH | {"policies.placement.options.max_years_in_post": 1})
    text = str(err.value)
    assert "policies.placement.options.max_years_in_post" in text
    assert "at least min_years_in_post" in text


def test_validate_names_the_unknown_placement(capsys):
    code = main(["validate", str(KOTABUMI), "--set", "policies.placement.name=by_merit"])
    assert code == 2
    err = capsys.readouterr().err
    assert "policies.placement.name" in err
    for name in STRATEGIES:
        assert name in err


def test_kotabumi_variants_validate():
    files = sorted((ROOT / "scenarios" / "kotabumi").glob("*.yaml"))
    assert {f.stem for f in files} >= {"seniority", "competency_match"}
    for path in files:
        assert main(["validate", str(path)]) == 0
        spec = load_scenario(path)
        assert spec.description and spec.name.startswith("kotabumi")


# --------------------------------------------------------------------------- the posting rule


def _watch_transfers(model, log):
    """Check every transfer against PP 11/2017 art. 190 and the formation, as it happens."""
    policy = model.policies["placement"]
    transfer = policy.transfer
    o = policy.options
    m = model

    def checked(gov, do):
        wf = m.workforce
        before_unit, before_start = wf.unit.copy(), wf.post_start.copy()
        years = (m.day - before_start) / m.days_per_year
        due = years >= o.max_years_in_post - 1e-9
        cap = int(np.floor(o.max_moves_share * len(wf) + 1e-9))
        result = transfer(gov, do)
        moved = wf.unit != before_unit
        assert (years[moved] >= o.min_years_in_post - 1e-9).all()  # nobody before 2 years
        assert moved.sum() <= cap
        assert (np.bincount(wf.unit, minlength=len(m.units)) <= m.units.formation).all()
        assert (wf.post_start[moved] == m.day).all()
        assert (wf.post_start[~moved] == before_start[~moved]).all()
        if due.sum() >= cap:
            assert due[moved].all()  # the staff due to move come first
        log.append({"moved": int(moved.sum()), "due": int(due.sum()), "cap": cap})
        log[-1]["still_due"] = int((due & ~moved).sum())
        return result

    policy.transfer = checked


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_posting_rule_cap_and_formation_hold(tiny, strategy):
    spec = tiny.with_overrides({"horizon_years": 4, "policies.placement.name": strategy})
    model = ASNModel(spec)
    log = []
    _watch_transfers(model, log)
    model.run(progress=False)
    assert len(log) == 4
    assert sum(r["moved"] for r in log) > 0
    # the cap binds once more are due than it allows: then exactly the cap moves
    assert all(r["moved"] == r["cap"] for r in log if r["due"] > 2 * r["cap"])


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_nobody_stays_past_five_years_when_the_cap_allows(tiny, strategy):
    spec = tiny.with_overrides(
        {
            "horizon_years": 6,
            "policies.placement.name": strategy,
            "policies.placement.options.max_moves_share": 1.0,
            "policies.placement.options.cost_per_move": 1_000_000,
        }
    )
    model = ASNModel(spec)
    log = []
    _watch_transfers(model, log)
    city = model.run(progress=False).city()
    due = sum(r["due"] for r in log)
    assert due > 100
    assert sum(r["still_due"] for r in log) <= 0.02 * due  # all but a unit-bound few rotate
    moved = np.array([r["moved"] for r in log])
    np.testing.assert_allclose(city["spend_placement"], moved * 1_000_000)


# --------------------------------------------------------------------------- competency_match


@pytest.fixture(scope="module")
def kotabumi_runs():
    base = load_scenario(KOTABUMI, scale=0.05, horizon_years=4)
    variants = {
        "base": {},
        "match": MATCH,
        "nofit_base": NO_FIT,
        "nofit_match": NO_FIT | MATCH,
        "base0": NO_MOVES,
        "match0": MATCH | NO_MOVES,
        "nofit_base0": NO_FIT | NO_MOVES,
        "nofit_match0": NO_FIT | MATCH | NO_MOVES,
    }
    return run_variants(base, variants, REPS, master_seed=1)


def _did(results, outcome, a, a0, b, b0):
    """Paired difference of two paired differences ((a − a0) − (b − b0)) per replication."""
    wide = results.pivot(index="replication", columns="variant", values=outcome)
    d = (wide[a] - wide[a0]) - (wide[b] - wide[b0])
    frame = pd.DataFrame(
        {"variant": ["d"] * len(d) + ["zero"] * len(d), "replication": [*d.index, *d.index]}
    )
    frame[outcome] = [*d.to_numpy(), *np.zeros(len(d))]
    return paired_difference(frame, outcome, "d", "zero")


def test_competency_match_raises_matched_share_and_ikm(kotabumi_runs):
    matched = paired_difference(kotabumi_runs, "matched_share", "match")
    ikm = paired_difference(kotabumi_runs, "ikm_true", "match")
    competency = paired_difference(kotabumi_runs, "competency_mean", "match")
    assert matched.excludes_zero() and matched.mean > 0.08
    assert ikm.excludes_zero() and ikm.mean > 0
    assert competency.excludes_zero() and competency.mean > 0
    # the surveyed IKM (what the government sees) moves the same way
    assert paired_difference(kotabumi_runs, "ikm", "match").mean > 0


def test_fit_is_what_raises_ikm(kotabumi_runs):
    """Newcomers placed by fit: the IKM gain (nearly) vanishes when fit does not matter.

    Transfers off, so only where newcomers go differs. With ``mismatch_ceiling`` = 1 and
    ``field_match_bonus`` = 0 a field that fits brings no competency: competency_match still
    raises the matched share as much, but competency no longer rises and IKM barely does.
    """
    fit_ikm = paired_difference(kotabumi_runs, "ikm_true", "match0", "base0")
    fit_matched = paired_difference(kotabumi_runs, "matched_share", "match0", "base0")
    nofit_ikm = paired_difference(kotabumi_runs, "ikm_true", "nofit_match0", "nofit_base0")
    nofit_matched = paired_difference(
        kotabumi_runs, "matched_share", "nofit_match0", "nofit_base0"
    )
    nofit_comp = paired_difference(kotabumi_runs, "competency_mean", "nofit_match0", "nofit_base0")
    assert fit_matched.excludes_zero() and nofit_matched.excludes_zero()
    assert nofit_matched.mean > 0.8 * fit_matched.mean  # fit rises just as much ...
    assert fit_ikm.excludes_zero() and fit_ikm.mean > 0
    assert abs(nofit_ikm.mean) < 0.4 * fit_ikm.mean  # ... but IKM hardly follows:
    assert abs(nofit_comp.mean) < 0.002  # no competency gained; what is left (about a fifth)
    # comes from which vacancies the newcomers fill (health graduates fill health posts)
    did = _did(kotabumi_runs, "ikm_true", "match0", "base0", "nofit_match0", "nofit_base0")
    assert did.excludes_zero() and did.mean > 0


def test_without_fit_the_transfer_gain_is_kept_experience(kotabumi_runs):
    """With transfers on, part of the gain survives a world where fit does not matter.

    The status quo rotates staff due to move to any unit, so many start over in a sector they
    never practised; competency_match keeps them where their competency is. That part is
    experience kept, not fit: it is smaller than the gain when fit matters.
    """
    fit_ikm = paired_difference(kotabumi_runs, "ikm_true", "match")
    nofit_ikm = paired_difference(kotabumi_runs, "ikm_true", "nofit_match", "nofit_base")
    nofit_comp = paired_difference(kotabumi_runs, "competency_mean", "nofit_match", "nofit_base")
    assert nofit_comp.excludes_zero() and nofit_comp.mean > 0
    assert nofit_ikm.mean < 0.6 * fit_ikm.mean
    did = _did(kotabumi_runs, "ikm_true", "match", "base", "nofit_match", "nofit_base")
    assert did.excludes_zero() and did.mean > 0


# --------------------------------------------------------------------------- needs_based


def _district_offices(demand: float):
    """The test town with its two district offices at 60% staffing and ``demand`` a day.

    Its staff are young (few retire): with the observed 4-5% retiring a year, the posts they
    leave in every unit blur the city-wide IKM gain of relieving one unit (12 replications
    no longer resolve it), though the worst unit's relief still shows.
    """
    return load_scenario(TINY).with_overrides(
        {
            "horizon_years": 5,
            "city.workforce.age_bands": {"19_30": 0.3, "31_40": 0.4, "41_50": 0.3},
            "city.workforce.headcount": 270,
            "city.units.3.staffing_weight": 0.6,
            "city.units.3.demand_per_day": demand,
        }
    )


def _worst_unit_runs(spec) -> pd.DataFrame:
    """Per replication: the unit with the most abandonment in year 1 and how it fares later."""
    rows = []
    for r, seed in enumerate(replication_seeds(5, REPS)):
        for name in ("seniority", "needs_based"):
            out = ASNModel(spec.with_overrides({"policies.placement.name": name}), rng=seed).run(
                progress=False
            )
            annual, city = out.annual(), out.city()
            first = annual[annual.year == 1]
            worst = first.loc[first.abandon_rate.idxmax(), "unit"]  # the same in both arms
            later = annual[(annual.unit == worst) & (annual.year >= 2)]
            rows.append(
                {
                    "variant": name,
                    "replication": r,
                    "worst": worst,
                    "worst_abandon": later.abandon_rate.mean(),
                    "worst_backlog": later.backlog.mean(),
                    "worst_staff": later.headcount.mean(),
                    "city_abandon": city.abandon_rate.iloc[1:].mean(),
                    "ikm_true": city.ikm_true.iloc[-1],
                }
            )
    return pd.DataFrame(rows)


def test_needs_based_relieves_the_unit_that_was_worst():
    runs = _worst_unit_runs(_district_offices(60.0))
    assert (runs.groupby("replication").worst.nunique() == 1).all()
    staff = paired_difference(runs, "worst_staff", "needs_based", "seniority")
    backlog = paired_difference(runs, "worst_backlog", "needs_based", "seniority")
    abandon = paired_difference(runs, "worst_abandon", "needs_based", "seniority")
    assert staff.excludes_zero() and staff.mean > 0  # the mechanism: more hands there
    assert backlog.excludes_zero() and backlog.mean < 0
    assert abandon.excludes_zero() and abandon.mean < 0
    city = paired_difference(runs, "city_abandon", "needs_based", "seniority")
    ikm = paired_difference(runs, "ikm_true", "needs_based", "seniority")
    assert city.excludes_zero() and city.mean < 0
    assert ikm.excludes_zero() and ikm.mean > 0


def test_needs_based_hurts_when_the_worst_unit_cannot_be_rescued():
    """Demand beyond what even a full formation can serve: staff poured in are lost elsewhere.

    The district offices still improve a little, but the staff they take came from units
    that were coping, which now fall behind: the city's IKM drops.
    """
    runs = _worst_unit_runs(_district_offices(110.0))
    abandon = paired_difference(runs, "worst_abandon", "needs_based", "seniority")
    ikm = paired_difference(runs, "ikm_true", "needs_based", "seniority")
    assert abandon.excludes_zero() and abandon.mean < 0
    assert ikm.excludes_zero() and ikm.mean < 0
