"""Digitalisation (e_government): pure rules, paired experiments and mechanisms.

Paired runs use Medan (fast demand growth) at scale 0.05 for 5 years, 12 replications on the
same seeds (common random numbers). The lever acts at each year's end, so year 1 is shared.
"""

from pathlib import Path

import numpy as np
import pytest

from asnsim.analysis import paired_difference, run_variants
from asnsim.model import ASNModel
from asnsim.policies import make_policy
from asnsim.policies.contract import Actions, Snapshot
from asnsim.policies.digital import (
    adoption,
    effort_multiplier,
    maturity_gain,
    online_effort_factor,
    unit_means,
)
from asnsim.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
REPS = 12
EGOV = {"policies.digital.name": "e_government"}
# Only the online channel: no SIMPEG, no investment (maturity stays as in the scenario).
ONLINE_ONLY = EGOV | {
    "policies.digital.options": {"simpeg": False, "investment_per_post": 0.0},
}


@pytest.fixture(scope="module")
def medan():
    return load_scenario(SCENARIOS / "medan.yaml", {"scale": 0.05, "horizon_years": 5})


@pytest.fixture(scope="module")
def paired(medan):
    return run_variants(medan, {"base": {}, "egov": EGOV}, REPS)


# --------------------------------------------------------------------------- pure rules


def test_adoption_hand_worked():
    # (0.3 × 0.5 + 0.7 × 0.4) × (1 − 0.5 × 0.4) = 0.43 × 0.8 = 0.344
    got = adoption(np.array([0.5]), np.array([0.4]), np.array([0.4]), 0.3, 0.5)
    np.testing.assert_allclose(got, [0.344])
    # no resistance, full usefulness and ease: full adoption; full resistance halves it
    np.testing.assert_allclose(
        adoption(np.ones(2), np.ones(2), np.array([0, 1.0]), 0.3, 0.5), [1, 0.5]
    )


def test_online_effort_factor_hand_worked_and_break_even():
    saving, overhead = 0.5, 0.25
    assert online_effort_factor(0.0, saving, overhead) == pytest.approx(1.25)  # worse
    assert online_effort_factor(1.0, saving, overhead) == pytest.approx(0.5)
    # break-even at c* = overhead / (overhead + saving) = 1/3
    assert online_effort_factor(1 / 3, saving, overhead) == pytest.approx(1.0)
    c = np.linspace(0, 1, 11)
    assert np.all(np.diff(online_effort_factor(c, saving, overhead)) < 0)


def test_maturity_gain_hand_worked_and_diminishing():
    k = 1_000_000.0
    # spend k ln 2 closes half the gap: 0.6 × 0.5 × adoption
    got = maturity_gain(np.array([0.4, 0.4]), k * np.log(2), k, np.array([1.0, 0.5]))
    np.testing.assert_allclose(got, [0.3, 0.15])
    spends = np.array([0.0, 1.0, 2.0, 3.0, 4.0]) * k
    gains = np.array([maturity_gain(np.array([0.3]), x, k, np.array([1.0]))[0] for x in spends])
    assert np.all(np.diff(gains) > 0)  # more money, more maturity ...
    assert np.all(np.diff(gains, 2) < 0)  # ... each rupiah buying less than the one before


def test_effort_multiplier_hand_worked():
    # 30% online at 0.8 of a counter request's effort, SIMPEG frees 5%: (0.7 + 0.24) / 1.05
    got = effort_multiplier(np.array([0.3]), np.array([0.8]), np.array([0.05]))
    np.testing.assert_allclose(got, [0.94 / 1.05])
    np.testing.assert_allclose(effort_multiplier(np.zeros(1), np.ones(1), np.zeros(1)), [1.0])


def test_unit_means_with_an_empty_unit():
    got = unit_means(np.array([0, 0, 2]), np.array([0.2, 0.4, 0.9]), 3)
    np.testing.assert_allclose(got, [0.3, 0.0, 0.9])


# --------------------------------------------------------------------------- the lever works


def test_e_government_raises_ikm_and_lowers_waits(paired):
    """Paired, CRN: IKM (true and surveyed), U1 and U2 rise; waits and abandonment fall."""
    for outcome in ("mean_ikm_true", "mean_ikm", "mean_nrr_U1", "mean_nrr_U2"):
        d = paired_difference(paired, outcome, "egov")
        assert d.excludes_zero() and d.mean > 0, d
    for outcome in ("mean_wait_mean_days", "mean_abandon_rate"):
        d = paired_difference(paired, outcome, "egov")
        assert d.excludes_zero() and d.mean < 0, d


def test_mechanism_maturity_drives_u1_u2_and_effort_drives_capacity(medan):
    """Maturity rises, U1/U2 follow it exactly, effort per request falls where staff can."""
    model = ASNModel(medan.with_overrides(EGOV), rng=11)
    base = model.units
    model.run(years=2, progress=False)
    m = model.service.digital_maturity.copy()
    staffed = np.bincount(model.workforce.unit, minlength=len(base)) > 0
    assert (m[staffed] > base.digital_maturity[staffed]).all()
    assert (m <= 1.0).all()

    model.run(years=1, progress=False)  # year 3 is surveyed with the maturity set after year 2
    surveys = model.outcomes.surveys()
    year3 = surveys[surveys.year == 3]
    el = model.spec.assumptions.elements
    for e in ("U1", "U2"):
        q = np.clip(el[e].intercept + el[e].slope * m, 0.0, 1.0)
        np.testing.assert_allclose(year3[f"expected_{e}"], 1.0 + 3.0 * q[year3.unit])

    # effort the model reads = the scenario's × the rule's multiplier for the staff in post
    policy = model.policies["digital"]
    o = policy.options
    c = unit_means(model.workforce.unit, model.workforce.digital, len(base))
    mult = effort_multiplier(
        policy.last_online_share,
        online_effort_factor(c, o.online_saving, o.online_overhead),
        o.admin_time_freed * policy.last_adoption,
    )
    np.testing.assert_allclose(model.service.effort_hours, base.effort_hours * mult)
    skilled = staffed & (c > o.online_overhead / (o.online_overhead + o.online_saving))
    assert skilled.sum() > 0.9 * staffed.sum()  # Medan staff: mean digital 0.5
    assert (model.service.effort_hours[skilled] < base.effort_hours[skilled]).all()


# --------------------------------------------------------------------------- needs competency


@pytest.mark.parametrize(
    ("digital_mean", "sign"),
    [(0.5, -1), (0.0, +1)],
    ids=["skilled-staff-shorter-waits", "unskilled-staff-longer-waits"],
)
def test_online_channel_pays_off_only_with_digital_competency(medan, digital_mean, sign):
    """Online channel alone (no SIMPEG, no investment): waits fall only if staff are skilled.

    With staff digital competency near 0 online requests cost more effort than counter
    requests (overhead), so the channel does not shorten waits: it lengthens them.
    """
    spec = medan.with_overrides({"city.workforce.digital_mean": digital_mean})
    res = run_variants(spec, {"base": {}, "online": ONLINE_ONLY}, REPS)
    d = paired_difference(res, "mean_wait_mean_days", "online")
    assert d.excludes_zero() and np.sign(d.mean) == sign, d
    # maturity (and so U1) untouched: the wait effect is the effort of online requests
    u1 = paired_difference(res, "mean_nrr_U1", "online")
    assert not u1.excludes_zero() or abs(u1.mean) < 0.01, u1

    # mechanism: a unit's effort per request falls exactly where its staff's mean digital
    # competency is above break-even c* = overhead / (overhead + saving)
    model = ASNModel(spec.with_overrides(ONLINE_ONLY), rng=3)
    base = model.units.effort_hours
    policy = model.policies["digital"]
    policy.act(Snapshot(model), Actions(model, policy.kind))
    o = policy.options
    c = unit_means(model.workforce.unit, model.workforce.digital, len(base))
    c_star = o.online_overhead / (o.online_overhead + o.online_saving)
    online = policy.last_online_share > 0
    ratio = model.service.effort_hours[online] / base[online]
    np.testing.assert_array_equal(np.sign(ratio - 1.0), np.sign(c_star - c[online]))
    assert np.mean(np.sign(ratio - 1.0) == sign) > 0.9


# --------------------------------------------------------------------------- returns and money


def test_investment_has_diminishing_returns_in_the_model(medan):
    """First-year maturity gain of the same city at budgets 0, x, 2x, 4x per post."""
    model = ASNModel(medan, rng=5)
    m0 = model.units.digital_maturity
    gains = []
    for per_post in (0.0, 500_000.0, 1_000_000.0, 2_000_000.0):
        opts = {"investment_per_post": per_post, "online_channels": False, "simpeg": False}
        policy = make_policy("digital", "e_government", opts, np.random.default_rng(0))
        model.service.digital_maturity = m0.copy()
        policy.act(Snapshot(model), Actions(model, policy.kind))
        gains.append(float((model.service.digital_maturity - m0).mean()))
    assert gains[0] == 0.0
    assert gains[1] < gains[2] < gains[3]
    per_rupiah = np.array(gains[1:]) / np.array([0.5, 1.0, 2.0])
    assert np.all(np.diff(per_rupiah) < 0), per_rupiah


def test_resistance_damps_adoption_and_so_maturity_and_simpeg(medan):
    """Same city, same budget: staff who resist change adopt less, so less is gained.

    (What change management, which lowers ``wf.resistance``, has to work on.)
    """
    model = ASNModel(medan, rng=5)
    base = model.units
    out = {}
    for resistance in (0.0, 1.0):
        model.workforce.resistance[:] = resistance
        model.service.digital_maturity = base.digital_maturity.copy()
        policy = make_policy("digital", "e_government", {}, np.random.default_rng(0))
        policy.act(Snapshot(model), Actions(model, policy.kind))
        out[resistance] = (
            policy.last_adoption.copy(),
            model.service.digital_maturity - base.digital_maturity,
        )
    staffed = np.bincount(model.workforce.unit, minlength=len(base)) > 0
    # full resistance halves adoption (resistance_damping 0.5) ...
    np.testing.assert_allclose(out[1.0][0][staffed], 0.5 * out[0.0][0][staffed])
    # ... and with it the maturity gained from the same money
    np.testing.assert_allclose(out[1.0][1][staffed], 0.5 * out[0.0][1][staffed])


@pytest.mark.parametrize("simpeg", [True, False])
def test_spend_equals_what_the_options_say(medan, simpeg):
    opts = {"investment_per_post": 300_000.0, "simpeg_cost_per_employee": 80_000.0}
    spec = medan.with_overrides(
        {"horizon_years": 2, **EGOV, "policies.digital.options": opts | {"simpeg": simpeg}}
    )
    model = ASNModel(spec)
    city = model.run(progress=False).city()
    posts = model.units.formation.sum()
    expected = 300_000.0 * posts + (80_000.0 * city["headcount"] if simpeg else 0.0)
    np.testing.assert_allclose(city["spend_digital"], expected)
    assert (city["total_spend"] >= city["spend_digital"]).all()


# --------------------------------------------------------------------------- scenario files


@pytest.mark.parametrize("stem", ["digital", "digital_low_skills", "digital_participation"])
def test_medan_digital_variants_pose_a_question(stem):
    spec = load_scenario(SCENARIOS / "medan" / f"{stem}.yaml")
    assert spec.policies.digital.name == "e_government"
    assert spec.city.demand_growth >= 0.06  # fast demand growth, from medan.yaml
    assert "?" in spec.description and "Question" in spec.description
