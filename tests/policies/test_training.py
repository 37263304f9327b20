"""Training allocation: pure rules against hand-worked answers, then paired, seeded runs.

The paired runs use Palembang at scale 0.05 (about 700 staff) with common random numbers:
replication r of every variant has the same seed, so the citizens, the workforce at the start
and the dates of the cohorts are the same and only who is trained differs.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asnsim.agents import TrainingProgram
from asnsim.analysis import paired_difference, replication_seeds, run_variants
from asnsim.model import ASNModel
from asnsim.policies.contract import Snapshot
from asnsim.policies.training import (
    DIGITAL,
    MANAGERIAL,
    away_profile,
    post_gap,
    retained_gain,
    stochastic_round,
    training_days,
)
from asnsim.scenario import ScenarioError, load_scenario
from asnsim.workforce import PNS, PPPK

ROOT = Path(__file__).resolve().parents[2]
PALEMBANG = ROOT / "scenarios" / "palembang.yaml"
PADANG = ROOT / "scenarios" / "padang.yaml"
SECTORS = (
    "health",
    "education",
    "civil_registry",
    "licensing",
    "social",
    "public_works",
    "administration",
)
STRATEGIES = ("uniform", "needs_based", "evaluation_driven")
REPS = 12


def heavy_catalogue(jp: float = 24, seats: int = 100, cohorts: int = 4) -> list[dict]:
    """A workshop per sector and an e-learning course: a city that trains ~40% a year."""
    programs = [
        {
            "name": f"Workshop {s}",
            "target": s,
            "mode": "workshop",
            "jp": jp,
            "cost_per_seat": 2_000_000,
            "seats_per_cohort": seats,
            "cohorts_per_year": cohorts,
        }
        for s in SECTORS
    ]
    programs.append(
        {
            "name": "Literasi digital",
            "target": "digital",
            "mode": "e_learning",
            "jp": 20,
            "cost_per_seat": 300_000,
            "seats_per_cohort": 1000,
            "cohorts_per_year": 2,
        }
    )
    return programs


def palembang(**overrides):
    base = {"scale": 0.05, "horizon_years": 5, "training.programs": heavy_catalogue()}
    return load_scenario(PALEMBANG, base | overrides)


# --------------------------------------------------------------------------- pure rules


def test_training_days_and_away_profile():
    # 1 JP = 45 minutes (DOMAIN.md): 40 JP = 30 h = 4 days of 7.5 h; 16 JP = 12 h = 1.6 days
    assert training_days(40, 7.5) == pytest.approx(4.0)
    assert training_days(16, 7.5) == pytest.approx(1.6)
    np.testing.assert_allclose(away_profile(4.0), [1, 1, 1, 1])
    np.testing.assert_allclose(away_profile(1.6), [1, 0.6])
    np.testing.assert_allclose(away_profile(0.4), [0.4])
    assert away_profile(1.6).sum() == pytest.approx(1.6)  # no time lost or invented


def test_retained_gain_hand_worked():
    kw = {
        "effect_size": 0.6,
        "retention": 0.35,
        "competency_sd": 0.15,
        "reference_headroom": 0.15,
        "multiplier": 1.0,
        "resistance_damping": 0.5,
    }
    # a typical trainee (headroom = reference) gains d × retention = 0.21 SD = 0.0315
    g = retained_gain(np.array([0.85]), np.array([1.0]), np.array([0.0]), **kw)
    assert g[0] == pytest.approx(0.0315)
    assert g[0] / 0.15 == pytest.approx(0.6 * 0.35)
    # resistance 0.6 damps it by 1 − 0.5 × 0.6 = 0.7
    g = retained_gain(np.array([0.85]), np.array([1.0]), np.array([0.6]), **kw)
    assert g[0] == pytest.approx(0.0315 * 0.7)
    # diminishing returns: a third of the headroom, a third of the gain; none at the ceiling
    g = retained_gain(np.array([0.95, 1.0, 0.7]), np.ones(3), np.zeros(3), **kw)
    np.testing.assert_allclose(g, [0.0105, 0.0, 0.063])
    # a mismatched employee's ceiling (0.85) is respected
    g = retained_gain(np.array([0.85]), np.array([0.85]), np.array([0.0]), **kw)
    assert g[0] == 0.0
    # blended / coaching × 1.1 (Sitzmann et al. 2006)
    g = retained_gain(
        np.array([0.85]), np.array([1.0]), np.array([0.0]), **kw | {"multiplier": 1.1}
    )
    assert g[0] == pytest.approx(0.0315 * 1.1)
    # however strong the programme, never past the ceiling
    g = retained_gain(np.array([0.5]), np.array([0.9]), np.array([0.0]), **kw | {"multiplier": 50})
    assert g[0] == pytest.approx(0.4)


def test_stochastic_round_keeps_the_mean():
    rng = np.random.default_rng(0)
    x = np.full(100_000, 1.25)
    r = stochastic_round(x, rng.random(len(x)))
    assert set(np.unique(r)) == {1, 2}
    assert r.mean() == pytest.approx(1.25, abs=0.01)
    assert (stochastic_round(np.array([3.0]), np.array([0.999])) == 3).all()


def test_post_gap_per_target(tiny):
    model = ASNModel(tiny)
    wf, units = model.workforce, model.units
    health = units.sectors.index("health")
    gap = post_gap(Snapshot(model), health)
    in_health = units.sector[wf.unit] == health
    np.testing.assert_allclose(gap[in_health], wf.ceil[in_health] - wf.cur[in_health])
    assert (gap[~in_health] == 0).all()  # nobody is trained for a sector they do not serve
    digital = post_gap(Snapshot(model), DIGITAL)
    np.testing.assert_allclose(
        digital, np.maximum(0, model.service.digital_maturity[wf.unit] - wf.digital)
    )
    managerial = post_gap(Snapshot(model), MANAGERIAL)
    managers = wf.position <= 2  # JPT, administrator, pengawas
    assert (managerial[~managers] == 0).all()
    np.testing.assert_allclose(managerial[managers], 1 - wf.managerial[managers])


# --------------------------------------------------------------------------- options


def test_modes_must_be_known_delivery_modes():
    """A list of choices (the contract tests cover bounds and unknown options)."""
    with pytest.raises(ScenarioError) as err:
        load_scenario(
            PALEMBANG,
            {"policies.training.name": "needs_based", "policies.training.options.modes": ["x"]},
        )
    text = str(err.value)
    assert "policies.training.options.modes.0" in text
    assert "'classroom', 'workshop', 'e_learning', 'coaching'" in text


def test_uniform_target_jp_option_only_for_uniform():
    load_scenario(
        PALEMBANG,
        {"policies.training.name": "uniform", "policies.training.options.target_jp": 24},
    )
    with pytest.raises(ScenarioError, match="target_jp"):
        load_scenario(
            PALEMBANG,
            {"policies.training.name": "needs_based", "policies.training.options.target_jp": 24},
        )


# --------------------------------------------------------------------------- limits


def _spy_year_end(model):
    """Record each employee's JP and status just before the year's end resets them."""
    seen = []
    cycle = model._personnel_cycle

    def spy():
        wf = model.workforce
        seen.append((wf.jp_year.copy(), wf.status.copy()))
        cycle()

    model._personnel_cycle = spy
    return seen


def test_budget_seats_and_pppk_cap_hold():
    # A tight budget, a short programme that would take PPPK past 24 JP with a second one,
    # and a scarce partnership programme.
    programs = [
        {
            "name": "E-learning digital",
            "target": "digital",
            "mode": "e_learning",
            "jp": 20,
            "cost_per_seat": 300_000,
            "seats_per_cohort": 2000,
            "cohorts_per_year": 2,
        },
        {
            "name": "Coaching pelayanan",
            "target": "administration",
            "mode": "coaching",
            "jp": 8,
            "cost_per_seat": 500_000,
            "seats_per_cohort": 2000,
            "cohorts_per_year": 2,
        },
        {
            "name": "Kemitraan universitas",
            "target": "education",
            "mode": "partnership",
            "jp": 32,
            "cost_per_seat": 600_000,
            "seats_per_cohort": 30,
            "cohorts_per_year": 1,
        },
    ]
    spec = load_scenario(
        PALEMBANG,
        {
            "scale": 0.05,
            "horizon_years": 4,
            "training.programs": programs,
            "training.budget_per_year": 2_000_000_000,
            "policies.training.name": "uniform",
            "policies.training.options.target_jp": 40,
            "policies.training.options.max_programs_per_employee": 3,
        },
    )
    model = ASNModel(spec)
    seen = _spy_year_end(model)
    out = model.run(progress=False)
    city = out.city()
    budget = spec.training.budget_per_year * spec.scale
    assert (city["spend_training"] <= budget + 1e-6).all()
    assert (city["spend_training"] > 0.9 * budget).all()  # the budget binds
    plans = model.policies["training"].plan_frame()
    per_program = plans.groupby(["year", "program"])["trainees"].sum()
    for (_, name), used in per_program.items():
        p = next(p for p in programs if p["name"] == name)
        assert used <= np.ceil(p["seats_per_cohort"] * p["cohorts_per_year"] * spec.scale)
    partnership = per_program.xs("Kemitraan universitas", level="program")
    assert (partnership <= 2).all() and partnership.sum() > 0  # 30 × 0.05 = 1.5 seats
    agents = {a.name: a for a in model.agents_by_type[TrainingProgram]}
    last = plans[plans.year == plans.year.max()].groupby("program")["trainees"].sum()
    for name, agent in agents.items():
        assert agent.seats_used == last.get(name, 0)
    # PPPK: at most 24 JP in any year (PP 49/2018); PNS could and did take more
    years_with_training = seen[1:]
    assert years_with_training
    for jp, status in years_with_training:
        assert jp[status == PPPK].max() <= 24
        assert jp[status == PNS].max() > 24
        assert jp[status == PPPK].max() > 0


def test_cohorts_are_away_then_gain_and_same_seed_same_result():
    spec = palembang(
        **{
            "policies.training.name": "needs_based",
            "horizon_years": 2,
            # nobody leaves mid-year (no retirement, every contract renewed): each planned
            # trainee is still there to gain
            "city.workforce.age_bands": {"19_30": 0.5, "31_40": 0.5},
            "assumptions.pppk_renewal_probability": 1.0,
        }
    )
    a = ASNModel(spec).run(progress=False)
    b = ASNModel(spec).run(progress=False)
    assert a.daily().equals(b.daily())
    model = ASNModel(spec)
    model.run(years=1, progress=False)
    assert (model.workforce.present == 1).all()
    away_days = 0
    for _ in range(model.days_per_year):
        model.step()
        present = model.workforce.present
        assert ((present >= 0) & (present <= 1)).all()
        away_days += (present < 1).any()
    assert away_days > 0
    gains = model.policies["training"].gain_frame()
    assert (gains["gain"] > 0).all()  # every cohort finished within its year and gained
    plans = model.policies["training"].plan_frame()
    assert gains["trainees"].sum() == plans.loc[plans.year == 2, "trainees"].sum()


# --------------------------------------------------------------------------- paired runs


@pytest.fixture(scope="module")
def slow_practice():
    """All strategies vs none where practice is slow (staff far from proficient).

    Learning on the job closes half the gap to the ceiling in 4 years rather than 1, and the
    budget (Rp 4 bn at full scale) buys about two thirds of the heavy catalogue.
    """
    spec = palembang(
        **{
            "assumptions.learning_half_life_days": 1000,
            "training.budget_per_year": 4_000_000_000,
        }
    )
    variants = {"base": {}} | {s: {"policies.training.name": s} for s in STRATEGIES}
    return run_variants(spec, variants, REPS, master_seed=11)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_each_allocation_raises_competency_and_ikm(slow_practice, strategy):
    for outcome in ("competency_mean", "mean_competency_mean", "ikm_true", "mean_ikm_true"):
        d = paired_difference(slow_practice, outcome, strategy)
        assert d.mean > 0 and d.excludes_zero(), d


def test_ikm_gain_follows_competency_gain(slow_practice):
    """Mechanism: across strategies and replications the IKM gained tracks the competency
    gained, at about the slope the SKM responses imply: U6 (slope 0.65) and, through fewer
    errors, U5 (1.5 × (0.25 − 0.02)) give 25/9 × 3 × (0.65 + 0.345) ≈ 8 IKM points per unit
    of competency (less in practice: IKM weighs units by citizens served, not staff)."""
    df = slow_practice.set_index(["variant", "replication"])
    base = df.loc["base"]
    d_comp = np.concatenate(
        [df.loc[s, "mean_competency_mean"] - base["mean_competency_mean"] for s in STRATEGIES]
    )
    d_ikm = np.concatenate(
        [df.loc[s, "mean_ikm_true"] - base["mean_ikm_true"] for s in STRATEGIES]
    )
    assert np.corrcoef(d_comp, d_ikm)[0, 1] > 0.4
    slope = np.polyfit(d_comp, d_ikm, 1)[0]
    assert 3 < slope < 15, slope


def test_uniform_raises_jp20_share(slow_practice):
    d = paired_difference(slow_practice, "jp20_share", "uniform")
    assert d.low > 0.1, d
    assert (slow_practice.query("variant == 'base'")["jp20_share"] == 0).all()


def test_needs_based_closes_more_gap_per_rupiah_than_uniform(slow_practice):
    df = slow_practice.set_index(["variant", "replication"])
    base = df.loc["base"]

    def per_rupiah(v):
        gained = df.loc[v, "mean_competency_mean"] - base["mean_competency_mean"]
        return gained / df.loc[v, "mean_spend_training"] * 1e9  # per Rp 1 bn

    diff = per_rupiah("needs_based") - per_rupiah("uniform")
    se = diff.std(ddof=1) / np.sqrt(len(diff))
    assert diff.mean() - 2.2 * se > 0, (diff.mean(), se)  # t(11) 97.5% = 2.2


def test_fast_practice_training_barely_moves_ikm():
    """Where practice alone brings staff near their ceiling (the default), training adds
    competency but hardly any satisfaction: the model says a big catalogue buys < 0.05 IKM."""
    spec = palembang(**{"horizon_years": 4})
    res = run_variants(
        spec, {"base": {}, "needs": {"policies.training.name": "needs_based"}}, REPS
    )
    d = paired_difference(res, "mean_competency_mean", "needs")
    assert d.low > 0, d
    ikm = paired_difference(res, "mean_ikm_true", "needs")
    assert abs(ikm.mean) < 0.05 and ikm.high < 0.05, ikm


def test_time_away_lowers_capacity_and_training_without_gain_hurts():
    """Training that teaches nothing (effect 0) only takes staff from their desks."""
    spec = palembang(
        **{
            "horizon_years": 3,
            "training.programs": heavy_catalogue(jp=80),  # two-week courses (PNS only)
            "training.budget_per_year": 50_000_000_000,
            "policies.training.name": "uniform",
            "policies.training.options.effect_size": 0.0,
        }
    )
    variants = {"base": {"policies.training.name": "none"}, "idle": {}}
    # day by day in the first year of training: capacity drops exactly on training days
    seed = replication_seeds(3, 1)[0]
    base = ASNModel(spec.with_overrides(variants["base"]), rng=seed)
    idle = ASNModel(spec, rng=seed)
    base.run(years=1, progress=False)
    idle.run(years=1, progress=False)
    cap_b = base.outcomes.daily_values["capacity_requests"]
    cap_i = idle.outcomes.daily_values["capacity_requests"]
    first_away = None
    for _ in range(base.days_per_year):
        day = idle.day
        base.step()
        idle.step()  # cohorts leave their desks at the start of their first day
        if (idle.workforce.present < 1).any():
            first_away = day
            break
        assert cap_i[day] == cap_b[day]  # nothing differs before anyone leaves their desk
    assert first_away is not None
    assert cap_i[first_away] < cap_b[first_away]
    # over replications: less capacity, longer waits, lower satisfaction
    res = run_variants(spec, variants, REPS)
    worse = (("mean_wait_mean_days", 1), ("mean_abandon_rate", 1), ("mean_ikm_true", -1))
    for outcome, sign in worse:
        d = paired_difference(res, outcome, "idle")
        assert sign * d.mean > 0 and d.excludes_zero(), d
    assert (res.query("variant == 'idle'")["competency_mean"].to_numpy() > 0).all()


# --------------------------------------------------------------------------- evaluation loop


def test_evaluation_driven_sends_more_jp_to_the_weakest_sector():
    """Padang (health weakest): evaluation_driven sends the weakest sector far more JP than
    uniform does; with the catalogue's health seats fixed, the extra JP are digital and
    managerial courses, so health competency does not rise and its units lose desk time."""
    # the scenario's unit values exactly (no spread): health is the weakest sector by design;
    # with drawn units a one-office sector can draw worse and become the weakest
    spec = load_scenario(
        PADANG, {"scale": 0.05, "horizon_years": 4, "assumptions.unit_attribute_spread": 0.0}
    )
    rows = []
    for r, seed in enumerate(replication_seeds(5, REPS)):
        for variant in ("uniform", "evaluation_driven"):
            model = ASNModel(spec.with_overrides({"policies.training.name": variant}), rng=seed)
            to_weakest = total = 0.0
            for year in range(1, spec.horizon_years):
                model.run(years=1, progress=False)
                signal = model.sector_signal()
                weakest = min(signal, key=signal.get)
                plans = model.policies["training"].plan_frame()
                plans = plans[plans.year == year + 1]
                to_weakest += plans.loc[plans.sector == weakest, "jp"].sum()
                total += plans["jp"].sum()
            rows.append({"variant": variant, "replication": r, "share": to_weakest / total})
    res = pd.DataFrame(rows)
    d = paired_difference(res, "share", "evaluation_driven", "uniform")
    assert d.low > 0.2, d  # e.g. ~70% of JP vs ~20%
