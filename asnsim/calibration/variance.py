"""How much of a compared difference's spread is parameter uncertainty, and how much chance.

A study under a posterior runs a nested design: K posterior draws, each with M seeds
(replication ``r`` takes draw ``r // M``). For one outcome and variant, the paired difference
of replication (k, m) is modelled as ``d_km = mu + b_k + e_km``: ``b_k`` the effect of draw k's
assumptions (variance ``s2_param``), ``e_km`` the chance of seed m (variance ``s2_chance``).
By the law of total variance ``Var(d) = Var(E[d | theta]) + E[Var(d | theta)] = s2_param +
s2_chance``. The one-way random-effects ANOVA estimators are

- ``s2_chance = MS_within = sum_km (d_km - dbar_k)^2 / (K (M - 1))``
- ``s2_param = max(0, (MS_between - MS_within) / M)``, ``MS_between = M sum_k (dbar_k -
  dbar)^2 / (K - 1)``

(unbiased before the truncation at 0). The interval carrying both kinds of uncertainty is
``dbar ± z * sqrt(s2_param + s2_chance)``: where the difference of one realisation of the
city's future falls, given what is known of the assumptions. The mean's own interval uses
``Var(dbar) = MS_between / (K M)``, which counts each draw once, not each seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["VarianceSplit", "split_table", "split_text", "variance_split"]


@dataclass(frozen=True)
class VarianceSplit:
    """The nested-design estimates of one difference (see the module docstring)."""

    mean: float
    var_param: float
    var_chance: float
    mean_low: float
    mean_high: float
    low: float
    high: float
    draws: int
    seeds: int

    @property
    def param_share(self) -> float:
        """Share of the difference's variance that is parameter uncertainty."""
        total = self.var_param + self.var_chance
        return self.var_param / total if total > 0 else math.nan


def variance_split(d: np.ndarray, confidence: float = 0.90) -> VarianceSplit:
    """Estimates from a K × M array of paired differences (row: a draw; column: a seed).

    Args:
        d: Differences, ``d[k, m]`` (K ≥ 2 draws, M ≥ 2 seeds each).
        confidence: Level of both intervals.

    Raises:
        ValueError: If K < 2 or M < 2 (the split needs both).
    """
    d = np.asarray(d, dtype=float)
    if d.ndim != 2 or d.shape[0] < 2 or d.shape[1] < 2:
        raise ValueError(f"expected at least 2 draws x 2 seeds, got shape {d.shape}")
    k, m = d.shape
    row_means = d.mean(axis=1)
    grand = row_means.mean()
    ms_within = float(((d - row_means[:, None]) ** 2).sum() / (k * (m - 1)))
    ms_between = float(m * ((row_means - grand) ** 2).sum() / (k - 1))
    var_param = max(0.0, (ms_between - ms_within) / m)
    z = stats.norm.ppf(0.5 + confidence / 2)
    half = z * math.sqrt(var_param + ms_within)
    t = stats.t.ppf(0.5 + confidence / 2, k - 1)
    half_mean = t * math.sqrt(ms_between / (k * m))
    return VarianceSplit(
        mean=float(grand),
        var_param=var_param,
        var_chance=ms_within,
        mean_low=float(grand - half_mean),
        mean_high=float(grand + half_mean),
        low=float(grand - half),
        high=float(grand + half),
        draws=k,
        seeds=m,
    )


def split_table(
    results: pd.DataFrame, baseline: str, outcomes: list[str], confidence: float = 0.90
) -> pd.DataFrame:
    """Per outcome and variant: the difference's split, from a study under a posterior.

    Args:
        results: A row per variant and replication with ``posterior_draw`` (the draw's
            position) and the outcome columns (an experiment's summaries).
        baseline: The variant compared against.
        outcomes: Outcome columns.
        confidence: Level of the intervals.
    """
    base = results[results["variant"] == baseline].set_index("replication")
    rows = []
    for variant in [v for v in results["variant"].unique() if v != baseline]:
        other = results[results["variant"] == variant].set_index("replication")
        common = other.index.intersection(base.index)
        draw = other.loc[common, "posterior_draw"]
        for outcome in outcomes:
            diff = other.loc[common, outcome].astype(float) - base.loc[common, outcome]
            groups = [g.to_numpy() for _, g in diff.groupby(draw.to_numpy())]
            seeds = min(len(g) for g in groups)
            if len(groups) < 2 or seeds < 2:
                continue
            s = variance_split(np.array([g[:seeds] for g in groups]), confidence)
            rows.append(
                {
                    "outcome": outcome,
                    "variant": variant,
                    "diff": s.mean,
                    "mean_low": s.mean_low,
                    "mean_high": s.mean_high,
                    "low": s.low,
                    "high": s.high,
                    "sd_parameter": math.sqrt(s.var_param),
                    "sd_chance": math.sqrt(s.var_chance),
                    "parameter_share": s.param_share,
                    "draws": s.draws,
                    "seeds_per_draw": s.seeds,
                }
            )
    return pd.DataFrame(rows)


def split_text(split: pd.DataFrame, outcome: str, variant: str, spec: str = "+.2f") -> str:
    """One row of :func:`split_table` as text: the interval and the parameter share.

    ``interval with parameter uncertainty +0.29 to +0.99, 87% of its variance from the
    parameters``, for sentences printed from a study's outputs.

    Args:
        split: From :func:`split_table`.
        outcome: The outcome's row.
        variant: The variant's row.
        spec: Format spec of the interval's bounds.
    """
    row = split.set_index(["outcome", "variant"]).loc[(outcome, variant)]
    return (
        f"interval with parameter uncertainty {row['low']:{spec}} to {row['high']:{spec}}, "
        f"{row['parameter_share']:.0%} of its variance from the parameters"
    )
