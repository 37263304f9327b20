"""Paired comparison of policy variants over seeded replications (common random numbers).

Replication ``r`` of every variant runs with the same seed, so the variants see the same
citizens and the same workforce at the start; the difference of an outcome within each
replication is then free of most of the run-to-run noise, and its mean has a t-based
confidence interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from asnsim.scenario import Scenario

__all__ = ["PairedDifference", "paired_difference", "replication_seeds", "run_variants"]


def replication_seeds(master_seed: int, replications: int) -> list[int]:
    """Seeds of the replications, derived from a master seed with ``SeedSequence.spawn``."""
    children = np.random.SeedSequence(master_seed).spawn(replications)
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> 1) for c in children]


def summary_row(city: pd.DataFrame) -> dict[str, Any]:
    """One replication's outcomes: the final year's city row and ``mean_*`` over all years."""
    last = city.iloc[-1].to_dict()
    numeric = city.select_dtypes("number").drop(columns="year")
    return last | {f"mean_{k}": v for k, v in numeric.mean().items()}


def run_variants(
    scenario: Scenario,
    variants: dict[str, dict[str, Any]],
    replications: int,
    master_seed: int | None = None,
) -> pd.DataFrame:
    """Run every variant (dotted overrides of ``scenario``) on the same replication seeds.

    Args:
        scenario: The base scenario.
        variants: Name → overrides, e.g. ``{"base": {}, "match": {"policies.placement.name":
            "competency_match"}}``.
        replications: Replications per variant.
        master_seed: Seed from which the replication seeds derive (default: the scenario's).

    Returns:
        A row per variant and replication: ``variant``, ``replication``, ``seed`` and the
        outcomes of :func:`summary_row`.
    """
    from asnsim.model import ASNModel

    seeds = replication_seeds(scenario.seed if master_seed is None else master_seed, replications)
    rows = []
    for name, overrides in variants.items():
        spec = scenario.with_overrides(overrides) if overrides else scenario
        for r, seed in enumerate(seeds):
            city = ASNModel(spec, rng=seed).run(progress=False).city()
            rows.append({"variant": name, "replication": r, "seed": seed} | summary_row(city))
    return pd.DataFrame(rows)


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
