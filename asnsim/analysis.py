"""Paired comparison of policy variants over seeded replications (common random numbers).

Replication ``r`` of every variant runs with the same seed, so the variants see the same
citizens and the same workforce at the start; the difference of an outcome within each
replication is then free of most of the run-to-run noise, and its mean has a t-based
confidence interval. The cost per IKM point of a variant is the ratio of two paired mean
differences (spend over the horizon, final-year IKM), with Fieller's interval
(:func:`cost_per_point`).
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from asnsim.evaluators import Chunking, RunFailed, evaluate, summary_row
from asnsim.scenario import Scenario

__all__ = [
    "COST_PER_POINT",
    "CostPerPoint",
    "HIGHER_IS_BETTER",
    "PairedDifference",
    "compare_table",
    "cost_per_point",
    "difference_text",
    "paired_difference",
    "replication_seeds",
    "run_variants",
    "summary_row",
]


def replication_seeds(master_seed: int, replications: int) -> list[int]:
    """Seeds of the replications, derived from a master seed with ``SeedSequence.spawn``."""
    children = np.random.SeedSequence(master_seed).spawn(replications)
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> 1) for c in children]


def run_variants(
    scenario: Scenario,
    variants: dict[str, dict[str, Any]],
    replications: int,
    master_seed: int | None = None,
    posterior=None,
    seeds_per_draw: int = 1,
    executor: Executor | None = None,
    chunk: Chunking | None = None,
) -> pd.DataFrame:
    """Run every variant (dotted overrides of ``scenario``) on the same replication seeds.

    Args:
        scenario: The base scenario.
        variants: Name → overrides, e.g. ``{"base": {}, "match": {"policies.placement.name":
            "competency_match"}}``.
        replications: Replications per variant.
        master_seed: Seed from which the replication seeds derive (default: the scenario's).
        posterior: A calibrated posterior (a folder, a shipped city's name or a
            :class:`~asnsim.calibration.posterior.Posterior`): replication r runs under its
            draw ``r // seeds_per_draw``, the same for every variant (docs/calibration.md).
        seeds_per_draw: Seeds per posterior draw.
        executor: Where the runs execute (default: this process); see
            :func:`~asnsim.evaluators.evaluate`.
        chunk: How many runs a worker gets at once (default: see
            :class:`~asnsim.evaluators.Chunking`).

    Returns:
        A row per variant and replication: ``variant``, ``replication``, ``seed`` (and
        ``posterior_draw`` under a posterior) and the outcomes of :func:`summary_row`.

    Raises:
        asnsim.evaluators.RunFailed: If a run raised (its message is the run's traceback).
    """
    master = scenario.seed if master_seed is None else master_seed
    seeds = replication_seeds(master, replications)
    sets = _posterior_sets(scenario, posterior, replications, seeds_per_draw, master)
    labels, scenarios = [], []
    for name, overrides in variants.items():
        spec = scenario.with_overrides(overrides) if overrides else scenario
        for r, seed in enumerate(seeds):
            draw, values = sets[r]
            run = scenario.with_overrides({**values, **overrides}) if values else spec
            tags = {"variant": name, "replication": r, "seed": seed}
            if draw is not None:
                tags["posterior_draw"] = draw
            labels.append(tags)
            scenarios.append(run.with_overrides({"seed": seed}))
    rows: list[dict[str, Any]] = [{} for _ in scenarios]
    for position, result in evaluate(scenarios, executor, chunk, tables=()):
        if isinstance(result, RunFailed):
            raise result
        rows[position] = labels[position] | result.summary
    return pd.DataFrame(rows)


def _posterior_sets(scenario, posterior, replications: int, seeds_per_draw: int, seed: int):
    """Per replication: (draw position, overrides), or (None, {}) without a posterior."""
    if posterior is None:
        return [(None, {})] * replications
    from asnsim.calibration.posterior import Posterior, load_posterior

    if not isinstance(posterior, Posterior):
        posterior = load_posterior(posterior)
    posterior.check(scenario)
    draws = posterior.draws(-(-replications // seeds_per_draw), seed, scenario)
    return [(r // seeds_per_draw, draws[r // seeds_per_draw]) for r in range(replications)]


@dataclass(frozen=True)
class PairedDifference:
    """Mean paired difference (variant − baseline) of one outcome, with its interval."""

    outcome: str
    mean: float
    low: float
    high: float
    share_positive: float
    n: int

    def excludes_zero(self) -> bool:
        """Whether the interval lies wholly on one side of zero."""
        return self.low > 0 or self.high < 0


def paired_difference(
    results: pd.DataFrame,
    outcome: str,
    variant: str,
    baseline: str = "base",
    confidence: float = 0.95,
) -> PairedDifference:
    """Paired t interval of ``outcome`` between two variants of :func:`run_variants`."""
    a = results[results.variant == variant].set_index("replication")[outcome]
    b = results[results.variant == baseline].set_index("replication")[outcome]
    d = (a - b).dropna().to_numpy(dtype=float)
    n = len(d)
    mean = float(d.mean()) if n else float("nan")
    if n < 2:
        return PairedDifference(outcome, mean, float("nan"), float("nan"), float("nan"), n)
    se = d.std(ddof=1) / np.sqrt(n)
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1) * se)
    return PairedDifference(outcome, mean, mean - half, mean + half, float((d > 0).mean()), n)


@dataclass(frozen=True)
class CostPerPoint:
    """Spend difference per IKM point gained (variant − baseline), with Fieller's interval.

    ``defined`` is False when the IKM difference's interval contains 0: the ratio's interval
    is then unbounded and ``mean``, ``low``, ``high`` are NaN.
    """

    mean: float
    low: float
    high: float
    defined: bool
    n: int

    @property
    def note(self) -> str:
        """Why the ratio has no value, or ''."""
        if self.defined:
            return ""
        if self.n < 2:
            return "undefined: fewer than 2 paired replications"
        return "undefined: the IKM difference's interval contains 0"


def cost_per_point(
    results: pd.DataFrame,
    variant: str,
    baseline: str = "base",
    spend: str = "cum_total_spend",
    gain: str = "ikm_true",
    confidence: float = 0.95,
) -> CostPerPoint:
    """Cost of one IKM point: mean spend difference over mean IKM difference, paired.

    With per-replication differences ``s_r`` (spend) and ``g_r`` (IKM) the estimate is
    ``mean(s) / mean(g)``. Its interval is Fieller's (1954) for a ratio of means whose
    estimates are correlated (here: paired by replication): with ``t`` the t quantile on
    ``n − 1`` degrees of freedom, variances and covariance of the means ``v_ss``, ``v_gg``,
    ``v_sg`` and ``f = t² v_gg / mean(g)²``, the bounds are::

        (R − f v_sg / v_gg ± (t / |mean(g)|) √(v_ss − 2R v_sg + R² v_gg − f (v_ss − v_sg² / v_gg)))
        / (1 − f)

    It is bounded exactly when ``f < 1``, i.e. when the paired t interval of the IKM
    difference excludes 0; otherwise the cost per point is undefined.

    Args:
        results: A row per variant and replication (``variant``, ``replication``, ``spend``
            and ``gain`` columns).
        variant: The variant costed.
        baseline: The variant it is compared with.
        spend: Column of spend over the horizon (rupiah).
        gain: Column of the IKM compared (final year).
        confidence: Level of the interval.
    """
    a = results[results.variant == variant].set_index("replication")[[spend, gain]]
    b = results[results.variant == baseline].set_index("replication")[[spend, gain]]
    d = (a - b).dropna().to_numpy(dtype=float)
    n = len(d)
    nan = float("nan")
    if n < 2:
        return CostPerPoint(nan, nan, nan, False, n)
    s_mean, g_mean = d.mean(axis=0)
    cov = np.cov(d, rowvar=False, ddof=1) / n  # of the means
    v_ss, v_gg, v_sg = cov[0, 0], cov[1, 1], cov[0, 1]
    t = float(stats.t.ppf(0.5 + confidence / 2, n - 1))
    if g_mean == 0 or t**2 * v_gg >= g_mean**2:
        return CostPerPoint(nan, nan, nan, False, n)
    ratio = s_mean / g_mean
    if v_gg == 0:  # IKM differences all equal: only the spend varies
        half = t * np.sqrt(v_ss) / abs(g_mean)
        return CostPerPoint(ratio, ratio - half, ratio + half, True, n)
    f = t**2 * v_gg / g_mean**2
    centre = ratio - f * v_sg / v_gg
    root = v_ss - 2 * ratio * v_sg + ratio**2 * v_gg - f * (v_ss - v_sg**2 / v_gg)
    half = t / abs(g_mean) * np.sqrt(max(root, 0.0))
    return CostPerPoint(ratio, (centre - half) / (1 - f), (centre + half) / (1 - f), True, n)


COST_PER_POINT = "cost_per_ikm_point"
"""Outcome name of the cost per IKM point rows of :func:`compare_table`."""

HIGHER_IS_BETTER = {
    "ikm": True,
    "ikm_true": True,
    "ikm_seekers": True,
    "wait_mean_days": False,
    "wait_p90_days": False,
    "on_time_share": True,
    "abandon_rate": False,
    "rework_rate": False,
    "backlog": False,
    "matched_share": True,
    "competency_mean": True,
    "motivation_mean": True,
    "jp20_share": True,
    "ip_asn": True,
    "headcount": True,
    "vacancies": False,
    "total_spend": False,
    "cum_total_spend": False,
}
"""The outcomes a comparison reports, and which direction is better for citizens.

``complaints`` is left out: better complaint handling raises the complaints recorded (it
measures voice as well as grievance), so neither direction is better as such."""


def compare_table(
    results: pd.DataFrame,
    baseline: str,
    outcomes: list[str] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Per outcome and variant: mean, paired difference from the baseline, share better.

    The difference (variant − baseline) has a paired t interval; ``share_better`` is the share
    of replications in which the variant beats the baseline (lower is better for waits,
    abandonment, backlog, vacancies and cost). When the results hold ``cum_total_spend`` and
    ``ikm_true``, rows of outcome ``cost_per_ikm_point`` follow, one per variant other than
    the baseline (:func:`cost_per_point`): ``mean`` and ``diff`` the rupiah per IKM point,
    ``ci_low``/``ci_high`` Fieller's interval, and ``note`` saying why it is undefined (then
    they are NaN).

    Args:
        results: A row per variant and replication (``variant``, ``replication`` and outcome
            columns), e.g. from :func:`run_variants` or an experiment's summaries.
        baseline: The variant compared against.
        outcomes: Outcome columns (default: those of ``HIGHER_IS_BETTER`` present).
        confidence: Level of the intervals.
    """
    outcomes = outcomes or [o for o in HIGHER_IS_BETTER if o in results.columns]
    rows = []
    for outcome in outcomes:
        higher = HIGHER_IS_BETTER.get(outcome, True)
        for variant in results.variant.unique():
            values = results.loc[results.variant == variant, outcome].astype(float)
            row = {
                "outcome": outcome,
                "variant": variant,
                "mean": values.mean(),
                "sd": values.std(ddof=1) if len(values) > 1 else float("nan"),
            }
            if variant == baseline:
                row |= {"diff": 0.0, "ci_low": 0.0, "ci_high": 0.0, "share_better": float("nan")}
            else:
                d = paired_difference(results, outcome, variant, baseline, confidence)
                better = (
                    d.share_positive
                    if higher
                    else 1.0 - d.share_positive - _share_tied(results, outcome, variant, baseline)
                )
                row |= {"diff": d.mean, "ci_low": d.low, "ci_high": d.high, "share_better": better}
            row["n"] = len(values)
            rows.append(row)
    rows += _cost_rows(results, baseline, confidence)
    table = pd.DataFrame(rows)
    if "note" in table:
        table["note"] = table["note"].fillna("")
    return table


def _cost_rows(results: pd.DataFrame, baseline: str, confidence: float) -> list[dict]:
    if not {"cum_total_spend", "ikm_true"} <= set(results.columns):
        return []
    rows = []
    for variant in results.variant.unique():
        if variant == baseline:
            continue
        c = cost_per_point(results, variant, baseline, confidence=confidence)
        rows.append(
            {
                "outcome": COST_PER_POINT,
                "variant": variant,
                "mean": c.mean,
                "sd": float("nan"),
                "diff": c.mean,
                "ci_low": c.low,
                "ci_high": c.high,
                "share_better": float("nan"),
                "n": c.n,
                "note": c.note,
            }
        )
    return rows


def _share_tied(results: pd.DataFrame, outcome: str, variant: str, baseline: str) -> float:
    a = results[results.variant == variant].set_index("replication")[outcome]
    b = results[results.variant == baseline].set_index("replication")[outcome]
    d = (a - b).dropna()
    return float((d == 0).mean()) if len(d) else float("nan")


def difference_text(table: pd.DataFrame, outcome: str, variant: str, spec: str = "+.2f") -> str:
    """One paired difference of a :func:`compare_table` as text: ``+0.64 (+0.50 to +0.78)``.

    For sentences printed from a study's outputs, so that prose never holds a number a rerun
    would change.

    Args:
        table: From :func:`compare_table`.
        outcome: The outcome's row.
        variant: The variant's row.
        spec: Format spec of the three numbers.
    """
    row = table.set_index(["outcome", "variant"]).loc[(outcome, variant)]
    return f"{row['diff']:{spec}} ({row['ci_low']:{spec}} to {row['ci_high']:{spec}})"
