"""Recruitment's act on a hand-built snapshot, with known answers (fast; no model runs)."""

from types import SimpleNamespace

import numpy as np
import pytest

from asnsim.policies.recruitment import (
    NeedsMatchedRecruitment,
    RecruitmentOptions,
    StatusQuoRecruitment,
    fields_for_posts,
    planned_hires,
)

# sectors x fields: sector 0 wants field 0; sector 1 nobody; sector 2 fields 1 or 2
QUALIFIES = np.array([[True, False, False], [False, False, False], [False, True, True]])


class _Do:
    def __init__(self):
        self.hired = []

    def hire(self, fields, pppk):
        self.dtype = np.asarray(fields).dtype
        self.hired.append((np.asarray(fields).tolist(), np.asarray(pppk).tolist()))


def _gov(open_posts, headcount=100, unit_sector=(0, 2, 2, 1), formasi=None):
    return SimpleNamespace(
        open_posts=lambda: np.array(open_posts),
        formasi=lambda: formasi,
        staff=range(headcount),
        unit_sector=np.array(unit_sector),
        sectors=["a", "b", "c"],
        qualifies=QUALIFIES,
        graduate_mix=np.array([2.0, 0.0, 2.0]),  # not normalised: halves of fields 0 and 2
    )


def _policy(cls, **options):
    return cls(RecruitmentOptions(**options), np.random.default_rng(0))


def test_needs_matched_hires_a_qualifying_field_for_each_open_post_of_each_sector():
    # open posts: 3 in unit 0 (sector 0), 1 in unit 2 (sector 2); quota 4 of 100 staff
    do = _Do()
    policy = _policy(NeedsMatchedRecruitment, quota_share=0.04, pppk_share=1.0)
    result = policy.act(_gov([3, 0, 1, 0]), do)
    ((fields, pppk),) = do.hired
    assert sorted(fields) == [0, 0, 0, 2]
    assert pppk == [True] * 4
    assert result.spend == 0.0
    assert result.diagnostics == {"hired": 4, "pppk": 4}


def test_needs_matched_counts_sectors_without_units():
    # no unit is of sector 2: open posts per sector are still three numbers
    do = _Do()
    policy = _policy(NeedsMatchedRecruitment, quota_share=0.5)
    policy.act(_gov([1, 0, 0, 0], unit_sector=(0, 1, 1, 0)), do)
    assert do.hired[0][0] == [0]


def test_needs_matched_names_what_it_expected():
    qualifies = np.ones((3, 4), bool)  # 3 sectors, 4 fields
    policy = _policy(NeedsMatchedRecruitment)
    np.testing.assert_array_equal(policy.fields(2, np.full(4, 0.25), np.array([2, 0, 0]),
                                                np.eye(3, 4, dtype=bool)), [0, 0])  # fmt: skip
    with pytest.raises(ValueError, match=r"\(3 values\), got 4 values") as err:
        policy.fields(2, np.full(4, 0.25), np.array([1, 1, 0, 0]), qualifies)
    assert "must pass np.bincount(units.sector, weights=open_posts" in str(err.value)


def test_status_quo_draws_fields_from_the_graduate_pool_only():
    do = _Do()
    result = _policy(StatusQuoRecruitment, quota_share=0.5, pppk_share=0.0).act(
        _gov([0, 0, 0, 40]), do
    )
    ((fields, pppk),) = do.hired
    assert set(fields) == {0, 2} and len(fields) == 40  # field 1 is not in the pool
    assert do.dtype == np.int16
    assert not any(pppk)
    assert result.diagnostics == {"hired": 40, "pppk": 0}


def test_no_open_posts_or_no_quota_hires_nobody():
    for open_posts, share in [([0, 0, 0, 0], 0.5), ([3, 0, 0, 0], 0.0)]:
        do = _Do()
        result = _policy(StatusQuoRecruitment, quota_share=share).act(_gov(open_posts), do)
        assert do.hired == []
        assert result.spend == 0.0
        assert result.diagnostics == {"hired": 0, "pppk": 0}


def test_the_quota_rounds_half_up():
    policy = _policy(StatusQuoRecruitment, quota_share=0.035)
    assert policy.hires(vacancies=99, headcount=100) == 4  # 3.5 rounds up
    policy = _policy(StatusQuoRecruitment, quota_share=0.034)
    assert policy.hires(vacancies=99, headcount=100) == 3  # 3.4 rounds down


def test_recruits_beyond_the_posts_come_from_an_unnormalised_pool():
    fields = fields_for_posts(
        5, np.array([0.0, 3.0, 0.0]), np.array([2, 0, 0]), QUALIFIES, np.random.default_rng(0)
    )
    # sector 0's two posts: its qualifying field 0 has no graduates, so the pool (field 1)
    assert fields.tolist() == [1, 1, 1, 1, 1] and fields.dtype == np.int16
    one_more = fields_for_posts(
        3, np.ones(3), np.array([2, 0, 0]), QUALIFIES, np.random.default_rng(0)
    )
    assert len(one_more) == 3 and (one_more == 0).sum() >= 2


# --------------------------------------------------------------------------- formasi


def test_a_formasi_replaces_the_quota_and_the_pppk_share():
    # quota 0 and no PPPK by option: the year's plan (1 PNS, 3 PPPK) decides both
    do = _Do()
    policy = _policy(StatusQuoRecruitment, quota_share=0.0, pppk_share=0.0)
    result = policy.act(_gov([3, 0, 2, 0], formasi=(1, 3)), do)
    ((fields, pppk),) = do.hired
    assert len(fields) == 4 and sum(pppk) == 3
    assert result.diagnostics == {"hired": 4, "pppk": 3}


def test_a_formasi_beyond_the_open_posts_is_cut_in_proportion():
    hires = planned_hires(20, 60, 8, np.random.default_rng(0))
    assert len(hires) == 8 and hires.sum() == 6  # 8 posts: 2 PNS, 6 PPPK (1:3)
    assert planned_hires(0, 0, 8, np.random.default_rng(0)).tolist() == []
    assert planned_hires(5, 0, 0, np.random.default_rng(0)).tolist() == []
    exact = planned_hires(2, 5, 100, np.random.default_rng(0))
    assert len(exact) == 7 and exact.sum() == 5  # room for all: the plan as it stands


def test_a_year_without_formasi_follows_the_quota():
    do = _Do()
    _policy(StatusQuoRecruitment, quota_share=0.03, pppk_share=0.0).act(
        _gov([0, 0, 0, 40], formasi=None), do
    )
    assert len(do.hired[0][0]) == 3
