"""The working day's per-employee and per-unit rules, shared by ASNModel and the ensemble.

Each takes its parameters as scalars (one run, :class:`~asnsim.model.ASNModel`) or as arrays
aligned with the rows (many runs side by side, :mod:`asnsim.ensemble`); the operations and their
order are the same either way, so each run's numbers are bit-identical in both.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["drift_motivation", "effective_hours", "overload"]


def effective_hours(
    base_hours: np.ndarray,
    cur: np.ndarray,
    motivation: np.ndarray,
    ramp: np.ndarray,
    present: np.ndarray,
    motivation_target: Any,
    motivation_productivity: Any,
) -> np.ndarray:
    """Hours each employee serves today: base × competency × drive × ramp-up × presence.

    drive = max(0, 1 + motivation_productivity × (motivation − motivation_target)).
    """
    # in place on fresh arrays, in the order of base × cur × drive × ramp × present
    drive = motivation - motivation_target
    drive *= motivation_productivity
    drive += 1.0
    np.maximum(drive, 0.0, out=drive)
    eff = base_hours * cur
    eff *= drive
    eff *= ramp
    eff *= present
    return eff


def overload(
    waiting: np.ndarray, capacity: np.ndarray, standard_days: np.ndarray, cap: Any
) -> np.ndarray:
    """Standard-days of backlog above one per unit, in [0, cap].

    A unit where requests wait and nobody serves is at the cap.
    """
    days = capacity * standard_days
    staffed = days > 0
    out = np.where(waiting > 0, cap, 0.0)
    out[staffed] = waiting[staffed] / days[staffed] - 1.0
    np.maximum(out, 0.0, out=out)  # clipped to [0, cap]: cheaper than np.clip per unit
    return np.minimum(out, cap, out=out)


def drift_motivation(
    motivation: np.ndarray,
    motivation_offset: np.ndarray,
    pressure: np.ndarray,
    motivation_target: Any,
    overload_weight: Any,
    motivation_rate: Any,
) -> None:
    """Motivation moves toward its settled level, lowered by its unit's overload (in place).

    target = clip(motivation_target + offset − overload_weight × pressure, 0, 1) and
    motivation += motivation_rate × (target − motivation). ``pressure`` (each row's unit
    overload, a fresh array) is overwritten.
    """
    pressure *= overload_weight
    target = motivation_offset + motivation_target
    target -= pressure
    np.clip(target, 0.0, 1.0, out=target)
    target -= motivation
    target *= motivation_rate
    motivation += target
