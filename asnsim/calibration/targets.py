"""What a calibration fits: the observed targets a city's runs can speak to, and their scales.

The summary statistics are the simulated values of the targets, found exactly as the
validation report finds them (:func:`asnsim.validation.simulated_draws`): a city's own
targets, ``kab_kota`` targets (a typical kabupaten/kota) and ``national`` targets (here the
one city stands for the pool). A target's simulated value is the mean of its draws over the
run's years. Targets of other places (anchors) and quantities the model does not compute are
left out; so are validation targets unless asked for.

Each target's distance is scaled by what is known of it. A value with confidence grade H, M
or L is taken as known to within :data:`CONFIDENCE_SD` of itself (5, 10 or 20 %); a range
``[low, high]`` adds the spread of a uniform over it, ``(high - low) / sqrt(12)``, and is
compared at its midpoint. The ABC distance is the root mean square of the scaled differences.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from asnsim.evaluators import RunResult
from asnsim.observed import target_bounds
from asnsim.validation import UNIT_COLUMNS, simulated_draws, with_derived_columns

__all__ = [
    "CONFIDENCE_SD",
    "distance",
    "fit_targets",
    "simulated_values",
]

CONFIDENCE_SD = {"H": 0.05, "M": 0.10, "L": 0.20}
"""Relative standard deviation of an observed value by its confidence grade (OBSERVED.md:
H primary or two outlets, M one outlet, L weak). A calibration setting, not model behaviour."""


def _frames(run: RunResult, city: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = run.tables["city"].assign(city=city, replication=0)
    units = run.tables["annual"].assign(city=city, replication=0)
    return with_derived_columns(rows), units[UNIT_COLUMNS]


def fit_targets(targets: pd.DataFrame, city: str, sample: RunResult, use: str = "calibration"):
    """The targets a run of ``city`` can be fitted to, with their observed value and scale.

    Args:
        targets: From :func:`~asnsim.observed.load_targets`.
        city: The scenario's city key (``padang``; or any name for a city of one's own, which
            then takes the ``kab_kota`` and ``national`` targets).
        sample: One run (its ``city`` and ``annual`` tables), to see which quantities the
            model computes.
        use: ``calibration`` (default), ``validation`` or ``all``.

    Returns:
        One row per target: ``target``, ``quantity``, ``scope``, ``unit``, ``confidence``,
        ``observed`` (value or midpoint), ``low``, ``high``, ``scale``.
    """
    rows_, units = _frames(sample, city)
    keep = []
    for _, t in targets.iterrows():
        if use != "all" and t["use"] != use:
            continue
        compared = simulated_draws(t, rows_, units, [city])
        if len(compared) != 1 or compared[0][1] is None or not len(compared[0][1]):
            continue  # another place's anchor, not simulated, or no draw at this scale
        low, high = target_bounds(t)
        observed = (low + high) / 2
        relative = CONFIDENCE_SD[t["confidence"]] * abs(observed)
        scale = math.sqrt(relative**2 + (high - low) ** 2 / 12)
        keep.append(
            {
                "target": t["target"],
                "quantity": t["quantity"],
                "scope": t["scope"],
                "unit": t["unit"],
                "confidence": t["confidence"],
                "observed": observed,
                "low": low,
                "high": high,
                "scale": scale if scale > 0 else 1.0,
            }
        )
    return pd.DataFrame(keep)


def simulated_values(run: RunResult, fit: pd.DataFrame, city: str) -> dict[str, float]:
    """Each fitted target's simulated value in one run: its draws' mean over the years.

    Args:
        run: The run's ``city`` and ``annual`` tables (:func:`asnsim.evaluators.evaluate`).
        fit: From :func:`fit_targets`.
        city: The scenario's city key.
    """
    rows_, units = _frames(run, city)
    values = {}
    for _, t in fit.iterrows():
        if t["scope"] in ("national", "kab_kota"):  # one city pooled is the city itself
            draws = rows_[t["quantity"]].to_numpy()
        else:
            draws = simulated_draws(t, rows_, units, [city])[0][1]
        finite = np.asarray(draws, dtype=float)
        finite = finite[np.isfinite(finite)]
        values[t["target"]] = float(finite.mean()) if len(finite) else math.nan
    return values


def distance(simulated: Mapping[str, float], observed: Mapping[str, float], scale) -> float:
    """Root mean square of ``(simulated - observed) / scale`` over the targets.

    A target the run could not compute (NaN) counts as 10 scales away.
    """
    z = np.array([(simulated[k] - observed[k]) / scale[k] for k in observed], dtype=float)
    z = np.where(np.isfinite(z), z, 10.0)
    return float(np.sqrt(np.mean(z**2)))
