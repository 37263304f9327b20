"""Robust rankings: how each option fares over many plausible worlds.

For an outcome and a world, the best option is the one with the best value in that world
(highest, or lowest where lower is better: :data:`asnsim.analysis.HIGHER_IS_BETTER`). An
option's *regret* in a world is how far it falls short of that world's best (0 for the best);
its *probability of being best* is the share of worlds in which it is best (ties share the
world equally, so the probabilities of all options sum to 1). Savage's minimax-regret rule
picks the option with the smallest worst regret; the expected value picks the best average.
A *target* (``ikm_true >= 88.31``) is met or not in each world; an option's share of worlds
meeting it is a direct measure of robustness (Lempert et al. 2006, robust decision making).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from asnsim.analysis import HIGHER_IS_BETTER
from asnsim.scenario import ScenarioError

__all__ = ["Target", "best_shares", "parse_target", "regrets", "robust_table"]

_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}
_TARGET = re.compile(r"^\s*([A-Za-z_][\w]*)\s*(>=|<=|>|<)\s*([-+0-9.eE_]+)\s*$")


@dataclass(frozen=True)
class Target:
    """A level an outcome must reach: ``outcome op value``, e.g. ``ikm_true >= 88.31``."""

    outcome: str
    op: str
    value: float

    @property
    def label(self) -> str:
        """The target as written in column names: ``ikm_true>=88.31``."""
        return f"{self.outcome}{self.op}{self.value:g}"

    def met(self, values: np.ndarray) -> np.ndarray:
        """Whether each value meets the target (NaN never does)."""
        return _OPS[self.op](np.asarray(values, dtype=float), self.value)


def parse_target(tokens: list[str] | str, known: set[str] | None = None) -> Target:
    """A target from ``--target OUTCOME OP VALUE`` (three words, or one: ``ikm>=88``).

    Raises:
        ScenarioError: Saying what was given and what is expected.
    """
    text = tokens if isinstance(tokens, str) else " ".join(tokens)
    match = _TARGET.match(text)
    value = None
    if match:
        try:
            value = float(match.group(3))
        except ValueError:
            value = None
    if value is None or not np.isfinite(value):
        raise ScenarioError(
            [
                f"--target {text}: expected OUTCOME OP VALUE with OP one of >=, <=, >, < and "
                "a number, e.g. --target ikm_true '>=' 88.31"
            ]
        )
    outcome = match.group(1)
    if known is not None and outcome not in known:
        raise ScenarioError(
            [f"--target {text}: unknown outcome '{outcome}'; expected one of {sorted(known)}"]
        )
    return Target(outcome, match.group(2), value)


LOWER_COST = {"cost_per_year": False}
"""Cost is not a citizen outcome of :data:`HIGHER_IS_BETTER`, but less of it is better."""


def _oriented(values: np.ndarray, higher: bool) -> np.ndarray:
    """Values turned so that higher is always better."""
    return values if higher else -values


def regrets(values: np.ndarray, higher: bool = True) -> np.ndarray:
    """Regret of each option in each world: shortfall from the world's best (>= 0).

    Args:
        values: Worlds × options.
        higher: Whether a higher value is better.
    """
    v = _oriented(np.asarray(values, dtype=float), higher)
    return np.nanmax(v, axis=1, keepdims=True) - v


def best_shares(values: np.ndarray, higher: bool = True) -> np.ndarray:
    """Probability that each option is best: the share of worlds it wins (ties split)."""
    v = _oriented(np.asarray(values, dtype=float), higher)
    best = v == np.nanmax(v, axis=1, keepdims=True)
    return (best / best.sum(axis=1, keepdims=True)).mean(axis=0)


def robust_table(
    worlds: pd.DataFrame,
    outcomes: list[str],
    targets: list[Target] = (),
    higher: dict[str, bool] | None = None,
) -> pd.DataFrame:
    """One row per option × outcome: expected value, p_best, regret, targets met.

    Args:
        worlds: A row per world and option (``world``, ``option`` and outcome columns), e.g.
            from :func:`asnsim.decide.worlds.run_in_worlds`.
        outcomes: Outcomes to rank the options on.
        targets: Targets; each adds a column ``meets:<target>``, the option's share of
            worlds meeting it (the same on each of the option's rows).
        higher: Direction per outcome (default :data:`HIGHER_IS_BETTER`, else higher).

    Returns:
        Columns ``option, outcome, expected, p_best, regret_mean, regret_max`` and the
        ``meets:`` columns; options in their order of first appearance.
    """
    higher = HIGHER_IS_BETTER | LOWER_COST | (higher or {})
    options = list(dict.fromkeys(worlds["option"]))
    meets = {
        f"meets:{t.label}": t.met(_pivot(worlds, t.outcome, options)).mean(axis=0) for t in targets
    }
    rows = []
    for outcome in outcomes:
        values = _pivot(worlds, outcome, options)
        up = higher.get(outcome, True)
        regret = regrets(values, up)
        share = best_shares(values, up)
        for i, option in enumerate(options):
            rows.append(
                {
                    "option": option,
                    "outcome": outcome,
                    "expected": float(np.nanmean(values[:, i])),
                    "p_best": float(share[i]),
                    "regret_mean": float(np.nanmean(regret[:, i])),
                    "regret_max": float(np.nanmax(regret[:, i])),
                }
                | {k: float(v[i]) for k, v in meets.items()}
            )
    return pd.DataFrame(rows)


def _pivot(worlds: pd.DataFrame, outcome: str, options: list[str]) -> np.ndarray:
    """Worlds × options array of one outcome."""
    if outcome not in worlds:
        raise ScenarioError([f"outcome '{outcome}': not among the runs' outcomes"])
    table = worlds.pivot(index="world", columns="option", values=outcome)
    return table[options].to_numpy(dtype=float)
