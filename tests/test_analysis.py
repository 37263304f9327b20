"""Cost per IKM point (asnsim.analysis.cost_per_point): known answers and coverage."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from asnsim.analysis import COST_PER_POINT, compare_table, cost_per_point


def _results(spend_diff, ikm_diff, spend_base=1e9, ikm_base=80.0):
    n = len(ikm_diff)
    return pd.DataFrame(
        {
            "variant": ["base"] * n + ["v"] * n,
            "replication": list(range(n)) * 2,
            "cum_total_spend": np.concatenate(
                [np.full(n, spend_base), spend_base + np.asarray(spend_diff, float)]
            ),
            "ikm_true": np.concatenate(
                [np.full(n, ikm_base), ikm_base + np.asarray(ikm_diff, float)]
            ),
        }
    )


def test_fixed_spend_gives_the_spend_over_the_ikm_interval():
    """With the same extra spend S in every replication, Fieller's interval is exactly
    S divided by the ends of the paired t interval of the IKM difference."""
    g = np.array([1.8, 2.4, 2.1, 1.5, 2.9, 2.2])
    spend = 3e8
    c = cost_per_point(_results(np.full(len(g), spend), g), "v")
    half = stats.t.ppf(0.975, len(g) - 1) * g.std(ddof=1) / np.sqrt(len(g))
    assert c.defined and c.n == len(g)
    assert c.mean == pytest.approx(spend / g.mean())
    assert c.low == pytest.approx(spend / (g.mean() + half))
    assert c.high == pytest.approx(spend / (g.mean() - half))


def test_spend_proportional_to_the_gain_gives_a_point_interval():
    """Every replication costs exactly 1e8 rupiah per point: no uncertainty is left."""
    c = cost_per_point(_results([1.9e8, 2e8, 2.1e8], [1.9, 2.0, 2.1]), "v")
    assert (c.mean, c.low, c.high) == pytest.approx((1e8, 1e8, 1e8))


def test_undefined_when_the_ikm_difference_interval_contains_zero():
    g = np.array([0.5, -0.4, 0.3, -0.2])
    assert stats.ttest_1samp(g, 0).pvalue > 0.05  # the IKM interval does contain 0
    c = cost_per_point(_results(np.full(4, 1e8), g), "v")
    assert not c.defined and np.isnan([c.mean, c.low, c.high]).all()
    assert "contains 0" in c.note
    one = cost_per_point(_results([1e8], [1.0]), "v")
    assert not one.defined and "fewer than 2" in one.note


def test_a_variant_that_saves_money_and_gains_ikm_costs_less_than_nothing():
    c = cost_per_point(_results([-1e8, -1.2e8, -0.9e8], [1.0, 1.1, 0.9]), "v")
    assert c.defined and c.high < 0


def test_fieller_interval_covers_the_true_cost_at_the_stated_rate():
    rng = np.random.default_rng(11)
    ratio, n, trials, covered = 5e7, 10, 1500, 0
    for _ in range(trials):
        g = rng.normal(2.0, 1.0, n)  # IKM gained, noisy but clearly positive on average
        s = ratio * 2.0 + rng.normal(0, 3e7, n) + 2e7 * (g - 2.0)  # correlated spend
        c = cost_per_point(_results(s, g), "v")
        covered += c.defined and c.low <= ratio <= c.high
    # binomial sd at 1500 trials is 0.56 points; intervals that are undefined count as misses
    assert 0.93 <= covered / trials <= 0.97


def test_compare_table_ends_with_the_cost_rows():
    table = compare_table(_results(np.full(4, 4e8), [2.0, 1.9, 2.1, 2.0]), "base")
    cost = table[table.outcome == COST_PER_POINT]
    assert table.outcome.iloc[-1] == COST_PER_POINT and cost.variant.tolist() == ["v"]
    assert cost["diff"].iloc[0] == pytest.approx(2e8) and cost["note"].iloc[0] == ""
    assert (table.loc[table.outcome != COST_PER_POINT, "note"] == "").all()
