"""A calibrated posterior on disk, and paired draws of assumption sets from it.

A posterior folder (written by ``asnsim calibrate``, or shipped in ``data/calibrated/<city>``)
holds ``posterior.parquet`` (a column per calibrated parameter, as a dotted scenario key, and
``weight``) and ``manifest.json`` (its provenance).

Replication ``r`` of a study takes draw ``r`` of :meth:`Posterior.draws`, made from the
study's master seed: every variant of a replication runs under the same assumption set, as it
runs with the same seed (paired), and a rerun with the same seed draws the same sets.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from asnsim.catalog import CALIBRATED_DIR
from asnsim.scenario import Scenario, ScenarioError

__all__ = ["POSTERIOR_FILE", "Posterior", "load_posterior", "resolve_posterior"]

POSTERIOR_FILE = "posterior.parquet"
_DRAW_STREAM = 0x5053  # spawn key of the posterior draws, apart from the replications' seeds


@dataclass(frozen=True)
class Posterior:
    """Weighted parameter sets (a column per dotted scenario key) and their provenance."""

    parameters: pd.DataFrame
    weights: np.ndarray
    manifest: dict[str, Any]
    source: str = ""

    @property
    def names(self) -> list[str]:
        """The calibrated parameters (dotted scenario keys)."""
        return list(self.parameters.columns)

    def draw_indices(self, n: int, seed: int) -> np.ndarray:
        """Rows of ``n`` weighted draws (with replacement), reproducible from ``seed``."""
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_DRAW_STREAM,)))
        return rng.choice(len(self.weights), size=n, replace=True, p=self.weights)

    def draws(self, n: int, seed: int, scenario: Scenario | None = None) -> list[dict[str, Any]]:
        """``n`` weighted draws as dotted overrides (draw ``r`` for replication ``r``).

        Args:
            n: How many.
            seed: The study's master seed.
            scenario: If given, parameters whose scenario value is an integer are rounded.
        """
        integer = set()
        if scenario is not None:
            canonical = scenario.canonical()
            integer = {k for k in self.names if isinstance(_value_at(canonical, k), int)}
        out = []
        for row in self.draw_indices(n, seed):
            values = self.parameters.iloc[int(row)]
            out.append(
                {
                    k: int(round(values[k])) if k in integer else float(values[k])
                    for k in self.names
                }
            )
        return out

    def quantiles(self, q: float) -> pd.Series:
        """Weighted quantile ``q`` of every parameter."""
        result = {}
        for name in self.names:
            order = np.argsort(self.parameters[name].to_numpy())
            values = self.parameters[name].to_numpy()[order]
            cum = np.cumsum(self.weights[order])
            result[name] = float(values[min(np.searchsorted(cum, q), len(values) - 1)])
        return pd.Series(result)

    def check(self, scenario: Scenario, source: str = "") -> None:
        """Refuse a posterior whose parameters are not numeric keys of ``scenario``."""
        canonical = scenario.canonical()
        bad = [k for k in self.names if not _numeric_key(canonical, k)]
        if bad:
            raise ScenarioError(
                [f"--posterior {self.source}: {bad} are not numeric keys of the scenario"], source
            )


def _value_at(data: Any, key: str) -> Any:
    for part in key.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _numeric_key(data: Any, key: str) -> bool:
    try:
        value = _value_at(data, key)
    except (KeyError, IndexError, ValueError, TypeError):
        return False
    return isinstance(value, int | float) and not isinstance(value, bool)


def resolve_posterior(name: str | Path) -> Path:
    """A posterior folder, or a shipped city's name (``kotabumi`` → ``data/calibrated/...``)."""
    path = Path(name)
    if not path.exists() and (CALIBRATED_DIR / str(name)).is_dir():
        return CALIBRATED_DIR / str(name)
    return path


def load_posterior(folder: str | Path) -> Posterior:
    """Read ``posterior.parquet`` and ``manifest.json`` from a folder (or a shipped city's name).

    Raises:
        ScenarioError: naming the folder and what is missing or wrong.
    """
    folder = resolve_posterior(folder)
    file = folder / POSTERIOR_FILE
    if not file.is_file():
        raise ScenarioError(
            [
                f"--posterior {folder}: no {POSTERIOR_FILE}; expected a folder written by "
                "`asnsim calibrate` or a shipped city's name (data/calibrated/)"
            ]
        )
    frame = pd.read_parquet(file)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    if "weight" not in frame or len(frame.columns) < 2 or frame.empty:
        raise ScenarioError(
            [f"--posterior {file}: expected a weight column and one column per parameter"]
        )
    weights = frame.pop("weight").to_numpy(dtype=float)
    if not (np.all(np.isfinite(weights)) and np.all(weights >= 0) and weights.sum() > 0):
        raise ScenarioError([f"--posterior {file}: weight: expected finite, >= 0, not all 0"])
    if not np.all(np.isfinite(frame.to_numpy(dtype=float))):
        raise ScenarioError([f"--posterior {file}: parameter values must be finite"])
    return Posterior(frame, weights / math.fsum(weights), manifest, str(folder))
