"""Recruitment: quota, PNS/PPPK mix and fields matched to needs; by hand, then paired runs.

The paired runs use the small test town with one service unit per sector (so the open posts
of each unit are those of its sector), 4 years, common random numbers: replication r of every
variant has the same seed, so the citizens, the workforce at the start and the exits are the
same, and only the recruits' fields (and where they are placed) differ.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asnsim.analysis import paired_difference, replication_seeds
from asnsim.model import ASNModel
from asnsim.policies.recruitment import (
    NeedsMatchedRecruitment,
    RecruitmentOptions,
    StatusQuoRecruitment,
    fields_for_posts,
)
from asnsim.scenario import load_scenario
from asnsim.workforce import PPPK

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
REPS = 12

# sectors x fields: sector 0 wants field 0; sector 1 nobody; sector 2 fields 1 or 2
QUALIFIES = np.array([[True, False, False], [False, False, False], [False, True, True]])
MIX = np.array([0.5, 0.25, 0.25])


# --------------------------------------------------------------------------- pure parts


def test_a_qualifying_field_for_each_open_post():
    fields = fields_for_posts(4, MIX, np.array([3, 0, 1]), QUALIFIES, np.random.default_rng(0))
    assert fields.dtype == np.int16
    assert (fields == 0).sum() == 3  # three recruits for sector 0's three posts
    assert np.isin(fields[fields != 0], [1, 2]).sum() == 1  # one for sector 2


def test_posts_shared_in_proportion_and_fields_in_pool_proportion():
    rng = np.random.default_rng(1)
    fields = fields_for_posts(4000, MIX, np.array([3000, 0, 1000]), QUALIFIES, rng)
    counts = np.bincount(fields, minlength=3)
    assert counts[0] == 3000
    # within sector 2 the qualifying fields 1 and 2 come in their pool shares (1:1)
    assert abs(counts[1] - 500) < 4 * np.sqrt(1000 * 0.25)


def test_recruits_beyond_the_open_posts_or_for_unqualifiable_sectors_come_from_the_pool():
    rng = np.random.default_rng(2)
    fields = fields_for_posts(3000, MIX, np.array([0, 1000, 0]), QUALIFIES, rng)
    shares = np.bincount(fields, minlength=3) / 3000
    np.testing.assert_allclose(shares, MIX, atol=0.03)
    assert len(fields_for_posts(0, MIX, np.array([2, 0, 0]), QUALIFIES, rng)) == 0


def test_quota_and_pppk_mix():
    policy = StatusQuoRecruitment(
        RecruitmentOptions(quota_share=0.04, pppk_share=0.8), np.random.default_rng(3)
    )
    assert policy.hires(vacancies=25, headcount=1000) == 25  # fewer open posts than quota
    assert policy.hires(vacancies=100, headcount=1000) == 40  # the quota binds
    assert policy.hires(vacancies=100, headcount=0) == 0
    assert abs(policy.is_pppk(10_000).mean() - 0.8) < 0.02


def test_needs_matched_refuses_open_posts_per_unit():
    policy = NeedsMatchedRecruitment(RecruitmentOptions(), np.random.default_rng(0))
    with pytest.raises(ValueError, match="open posts per sector"):
        policy.fields(3, MIX, np.array([1, 1, 1, 1, 1]), QUALIFIES)


# --------------------------------------------------------------------------- paired runs


def _one_unit_per_sector():
    """The test town with one service unit per sector (same posts, demand and staff).

    Newcomers placed against their field resign no more often than the others here: that
    would keep only the fitting recruits and blur the mechanism these runs compare. Staff
    are young (few retire), so open posts are scarce: with many, fit placement finds a
    fitting post for most recruits of the status quo too, and the contrast shrinks.
    """
    return load_scenario(TINY).with_overrides(
        {
            "horizon_years": 4,
            "assumptions.unwanted_placement_resignation_probability": 0.0008,
            "city.workforce.age_bands": {"19_30": 0.3, "31_40": 0.4, "41_50": 0.3},
            "city.units.0.count": 1,
            "city.units.0.formation": 90,
            "city.units.0.demand_per_day": 180,
            "city.units.2.count": 1,
            "city.units.2.formation": 120,
            "city.units.2.demand_per_day": 180,
            "city.units.3.count": 1,
            "city.units.3.formation": 60,
            "city.units.3.demand_per_day": 80,
        }
    )


def _recruit_outcomes(spec, seed) -> dict[str, float]:
    """Fit of the recruits in the posts they were given, and what chance alone would give.

    Chance: the share of fits if the same recruits took the same posts in random order.
    """
    model = ASNModel(spec, rng=seed)
    fits = chance = n = pppk = 0.0
    for _ in range(spec.horizon_years):
        model.run(years=1, progress=False)
        wf = model.workforce
        new = np.flatnonzero(wf.hire_day == model.day)
        sector = model.units.sector[wf.unit[new]]
        q = model.qualifies[:, wf.field[new]]  # sectors x recruits
        fits += q[sector, np.arange(len(new))].sum()
        post_share = np.bincount(sector, minlength=q.shape[0]) / max(len(new), 1)
        chance += (post_share @ q).sum()
        n += len(new)
        pppk += (wf.status[new] == PPPK).sum()
    city = model.outcomes.city()
    return {
        "recruit_fit": fits / n,
        "over_chance": (fits - chance) / n,
        "recruits": n,
        "pppk_share": pppk / n,
        "matched_share": city.matched_share.iloc[-1],
        "ikm_true": city.ikm_true.iloc[-1],
    }


@pytest.fixture(scope="module")
def recruitment_runs():
    base = _one_unit_per_sector()
    rows = []
    for r, seed in enumerate(replication_seeds(3, REPS)):
        for placement in ("seniority", "competency_match"):
            for recruitment in ("status_quo", "needs_matched"):
                spec = base.with_overrides(
                    {
                        "policies.placement.name": placement,
                        "policies.recruitment.name": recruitment,
                    }
                )
                outcome = _recruit_outcomes(spec, seed)
                rows.append({"variant": f"{placement}/{recruitment}", "replication": r} | outcome)
    return pd.DataFrame(rows)


def _gain(runs, outcome, placement):
    return paired_difference(
        runs, outcome, f"{placement}/needs_matched", f"{placement}/status_quo"
    )


def test_needs_matched_recruits_fit_their_posts_when_placement_uses_fit(recruitment_runs):
    runs = recruitment_runs
    fit = _gain(runs, "recruit_fit", "competency_match")
    assert fit.excludes_zero() and fit.mean > 0.2  # the mechanism: recruits in their field
    matched = _gain(runs, "matched_share", "competency_match")
    assert matched.excludes_zero() and matched.mean > 0  # ... so more of the staff fit
    ikm = _gain(runs, "ikm_true", "competency_match")
    assert ikm.excludes_zero() and ikm.mean > 0


def test_needs_matched_does_not_help_with_seniority_placement(recruitment_runs):
    """Posts filled by rank ignore the field a recruit was hired for.

    The recruits then fit their posts no more often than chance allows: the gain is only what
    a field mix closer to the open posts gives by luck, far less than with fit placement.
    """
    runs = recruitment_runs
    seniority = _gain(runs, "recruit_fit", "seniority")
    fit = _gain(runs, "recruit_fit", "competency_match")
    assert seniority.mean < 0.5 * fit.mean
    over_chance = runs[runs.variant == "seniority/needs_matched"].over_chance
    assert abs(over_chance.mean()) < 2.5 * over_chance.std(ddof=1) / np.sqrt(REPS)
    assert abs(over_chance.mean()) < 0.05
    by_fit = runs[runs.variant == "competency_match/needs_matched"].over_chance
    assert by_fit.mean() > 0.4
    # difference in differences: needs_matched gains more under fit placement, every time
    wide = runs.pivot(index="replication", columns="variant", values="recruit_fit")
    did = (wide["competency_match/needs_matched"] - wide["competency_match/status_quo"]) - (
        wide["seniority/needs_matched"] - wide["seniority/status_quo"]
    )
    frame = pd.DataFrame(
        {"variant": ["did"] * REPS + ["zero"] * REPS, "replication": [*did.index] * 2}
    )
    frame["recruit_fit"] = [*did, *np.zeros(REPS)]
    gap = paired_difference(frame, "recruit_fit", "did", "zero")
    assert gap.excludes_zero() and gap.mean > 0.15


def test_pppk_share_sets_the_mix_of_recruits():
    base = _one_unit_per_sector()
    for share in (0.2, 0.8):
        spec = base.with_overrides({"policies.recruitment.options.pppk_share": share})
        got = _recruit_outcomes(spec, 11)
        n = got["recruits"]
        assert abs(got["pppk_share"] - share) < 3 * np.sqrt(share * (1 - share) / n) + 1e-9


def test_no_quota_no_hires():
    spec = _one_unit_per_sector().with_overrides(
        {"policies.recruitment.options.quota_share": 0.0, "horizon_years": 2}
    )
    city = ASNModel(spec).run(progress=False).city()
    assert (city.hires == 0).all()
    assert city.headcount.iloc[-1] < city.headcount_start.iloc[0]
