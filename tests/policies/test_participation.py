"""Citizen participation (forums): pure rules, paired experiments and mechanisms.

Paired runs use Medan at scale 0.05 for 5 years, 12 replications on the same seeds (common
random numbers). The lever acts at each year's end, so year 1 is shared.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asnsim.analysis import paired_difference, replication_seeds, run_variants
from asnsim.model import ASNModel
from asnsim.policies.participation import (
    MOTIVATION_COLUMN,
    accountability_offset,
    complaint_handling_step,
)
from asnsim.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
REPS = 12
FORUMS = {"policies.participation.name": "forums"}


def forums(**options):
    return FORUMS | {"policies.participation.options": options}


@pytest.fixture(scope="module")
def medan():
    return load_scenario(SCENARIOS / "medan.yaml", {"scale": 0.05, "horizon_years": 5})


@pytest.fixture(scope="module")
def paired(medan):
    variants = {
        "base": {},
        "forums": FORUMS,
        "no_pressure": forums(accountability_motivation=0.0),
    }
    return run_variants(medan, variants, REPS)


# --------------------------------------------------------------------------- pure rules


def test_complaint_handling_step_hand_worked():
    # closes half the gap to 0.8; a unit already above the target is left alone
    got = complaint_handling_step(np.array([0.4, 0.6, 0.9]), 0.8, 0.5)
    np.testing.assert_allclose(got, [0.6, 0.7, 0.9])
    # repeated: 0.4 → 0.6 → 0.7 → 0.75, toward the target, never past it
    h = np.array([0.4])
    for expected in (0.6, 0.7, 0.75):
        h = complaint_handling_step(h, 0.8, 0.5)
        np.testing.assert_allclose(h, [expected])


def test_accountability_offset_hand_worked():
    # 0.05 per unit of complaint handling gained: (0.7 − 0.4) × 0.05 = 0.015; none below base
    got = accountability_offset(np.array([0.7, 0.4, 0.3]), np.array([0.4, 0.4, 0.5]), 0.05)
    np.testing.assert_allclose(got, [0.015, 0.0, 0.0])


# --------------------------------------------------------------------------- the lever works


def test_forums_raise_u8_ikm_and_motivation(paired):
    """Paired, CRN: complaint handling (U8), IKM (true and surveyed) and motivation rise."""
    for outcome in ("mean_nrr_U8", "mean_ikm_true", "mean_ikm", "mean_motivation_mean"):
        d = paired_difference(paired, outcome, "forums")
        assert d.excludes_zero() and d.mean > 0, d


def test_motivation_effect_is_the_accountability_pressure(paired, medan):
    """Without the accountability term the motivation gain all but vanishes.

    Forums with and without pressure differ only in the ``motivation_participation`` column;
    the paired gap in motivation is that column's effect, and it is most of the gain over the
    status quo (the rest: shorter queues from motivated staff lower overload).
    """
    full = paired_difference(paired, "mean_motivation_mean", "forums")
    gap = paired_difference(paired, "mean_motivation_mean", "forums", baseline="no_pressure")
    assert gap.excludes_zero() and gap.mean > 0, gap
    assert gap.mean > 0.8 * full.mean

    # the column the model adds to settled motivation: 0.05 × (handling gained) by unit
    model = ASNModel(medan.with_overrides({"horizon_years": 2} | FORUMS), rng=4)
    model.run(progress=False)
    wf = model.workforce
    gained = model.service.complaint_handling - model.units.complaint_handling
    np.testing.assert_allclose(wf.extra[MOTIVATION_COLUMN], 0.05 * gained[wf.unit])
    others = sum(
        (v for k, v in wf.extra.items() if k.startswith("motivation_") and k != MOTIVATION_COLUMN),
        np.zeros(len(wf)),
    )
    np.testing.assert_allclose(
        wf.motivation_offset - wf.disposition - others, wf.extra[MOTIVATION_COLUMN]
    )


def test_mechanism_complaint_handling_drives_u8(medan):
    """Complaint handling climbs toward the target and U8 follows it exactly."""
    model = ASNModel(medan.with_overrides(FORUMS), rng=2)
    base = model.units.complaint_handling
    model.run(years=2, progress=False)
    h = model.service.complaint_handling.copy()
    # two steps of closing half the gap to 0.8
    np.testing.assert_allclose(h, base + 0.75 * np.maximum(0.0, 0.8 - base))
    model.run(years=1, progress=False)  # year 3 is surveyed with the handling set after year 2
    surveys = model.outcomes.surveys()
    year3 = surveys[surveys.year == 3]
    el = model.spec.assumptions.elements["U8"]
    q = np.clip(el.intercept + el.slope * h, 0.0, 1.0)
    np.testing.assert_allclose(year3["expected_U8"], 1.0 + 3.0 * q[year3.unit])


def _signal_errors(spec, variants, reps):
    rows = []
    for name, overrides in variants.items():
        s = spec.with_overrides(overrides) if overrides else spec
        for r, seed in enumerate(replication_seeds(spec.seed, reps)):
            model = ASNModel(s, rng=seed)
            model.run(progress=False)
            truth = model.outcomes.sector_frames[-1].set_index("sector")["ikm_true"]
            signal = pd.Series(model.sector_signal())
            err = (signal - truth[signal.index]).abs().mean()
            rows.append({"variant": name, "replication": r, "signal_error": err})
    return pd.DataFrame(rows)


def test_evaluation_loop_sees_closer_to_the_truth(medan):
    """``feedback_weight`` makes ``sector_signal()`` the survey's error times (1 − w)."""
    spec = medan.with_overrides({"horizon_years": 2})
    model = ASNModel(spec.with_overrides(FORUMS), rng=8)
    model.run(progress=False)
    assert model.feedback_weight == 0.5
    last = model.outcomes.sector_frames[-1].set_index("sector")
    signal = pd.Series(model.sector_signal())
    np.testing.assert_allclose(
        signal - last["ikm_true"][signal.index],
        0.5 * (last["ikm"] - last["ikm_true"])[signal.index],
    )
    # paired over replications: the government's error about each sector's IKM is smaller
    res = _signal_errors(spec, {"base": {}, "forums": FORUMS}, REPS)
    d = paired_difference(res, "signal_error", "forums")
    assert d.excludes_zero() and d.mean < 0, d


def test_better_information_alone_changes_no_service(medan):
    """Feedback without complaint handling or pressure changes nothing citizens get.

    A sharper ``sector_signal()`` helps only through a lever that reads it (an
    evaluation-driven training strategy); with none, the runs are identical except the spend.
    """
    spec = medan.with_overrides({"horizon_years": 3})
    info_only = forums(complaint_handling_target=0.0, accountability_motivation=0.0)
    a = ASNModel(spec, rng=6).run(progress=False)
    b_model = ASNModel(spec.with_overrides(info_only), rng=6)
    b = b_model.run(progress=False)
    assert b_model.feedback_weight == 0.5
    pd.testing.assert_frame_equal(a.daily(), b.daily())
    pd.testing.assert_frame_equal(a.surveys(), b.surveys())
    assert (b.city()["spend_participation"] > 0).all()


def test_spend_equals_what_the_options_say(medan):
    spec = medan.with_overrides({"horizon_years": 2} | forums(cost_per_post=250_000.0))
    model = ASNModel(spec)
    city = model.run(progress=False).city()
    np.testing.assert_allclose(
        city["spend_participation"], 250_000.0 * model.units.formation.sum()
    )


# --------------------------------------------------------------------------- scenario files


@pytest.mark.parametrize("stem", ["participation", "digital_participation"])
def test_medan_participation_variants_pose_a_question(stem):
    spec = load_scenario(SCENARIOS / "medan" / f"{stem}.yaml")
    assert spec.policies.participation.name == "forums"
    assert "?" in spec.description and "Question" in spec.description
