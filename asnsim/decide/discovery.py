"""Scenario discovery: under which assumptions an option loses its lead (PRIM).

PRIM, the patient rule induction method (Friedman & Fisher 1999), finds a box in the space of
the uncertain parameters where the cases of interest (here: the worlds in which an option is
not the best) are concentrated. It peels thin slices off the box while that raises the share
of cases inside, then pastes back what it can. Along the way it traces a trajectory of boxes
from large (high *coverage*: the share of all cases that fall in the box) to small (high
*density*: the share of worlds in the box that are cases). Following Bryant & Lempert (2010)
we take the largest box whose density reaches ``min_density``, or the densest box if none
does. The implementation is the EMA Workbench's (Kwakkel 2017), the reference for scenario
discovery; it is BSD-licensed and maintained.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Box", "describe", "discover", "prim_box"]


@dataclass(frozen=True)
class Box:
    """A PRIM box: bounds on the restricted parameters and how well it holds the cases.

    Attributes:
        limits: Parameter → (low, high), only the parameters the box restricts.
        coverage: Share of all cases of interest that lie in the box.
        density: Share of the worlds in the box that are cases of interest.
        mass: Share of all worlds that lie in the box.
    """

    limits: dict[str, tuple[float, float]]
    coverage: float
    density: float
    mass: float


def _prim():
    """EMA Workbench's PRIM, imported quietly (its package import warns about extras)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from ema_workbench.analysis import prim
    except ImportError as err:  # pragma: no cover - depends on the extra
        raise ImportError("install the extra: pip install 'asnsim[decide]'") from err
    logging.getLogger("EMA").setLevel(logging.WARNING)
    return prim


def prim_box(
    x: pd.DataFrame,
    y: np.ndarray,
    min_density: float = 0.8,
    peel_alpha: float = 0.05,
    mass_min: float = 0.05,
) -> Box | None:
    """The PRIM box of the cases ``y`` in the parameter space ``x``.

    Args:
        x: One row per world, one numeric column per parameter.
        y: Whether each world is a case of interest.
        min_density: Density the chosen box should reach (the largest such box is chosen).
        peel_alpha: Share of the worlds peeled off at each step.
        mass_min: Smallest share of the worlds a box may hold.

    Returns:
        The box, or None when there are no cases, or every world is one (nothing to find).
    """
    y = np.asarray(y, dtype=bool)
    if not y.any() or y.all():
        return None
    prim = _prim()
    x = x.astype(float).reset_index(drop=True)
    with warnings.catch_warnings():  # pandas deprecations inside the workbench
        warnings.simplefilter("ignore")
        finder = prim.Prim(x, y.astype(int), peel_alpha=peel_alpha, mass_min=mass_min)
        found = finder.find_box()
    trajectory = found.peeling_trajectory
    dense = trajectory[trajectory["density"] >= min_density]
    i = int(dense["coverage"].idxmax() if len(dense) else trajectory["density"].idxmax())
    lims, init = found.box_lims[i], finder.box_init
    limits = {
        str(c): (float(lims[c].iloc[0]), float(lims[c].iloc[1]))
        for c in x.columns
        if lims[c].iloc[0] > init[c].iloc[0] or lims[c].iloc[1] < init[c].iloc[1]
    }
    row = trajectory.loc[i]
    return Box(limits, float(row["coverage"]), float(row["density"]), float(row["mass"]))


def describe(box: Box | None, option: str, outcome: str, share_lost: float) -> str:
    """The box in plain words."""
    if share_lost == 0:
        return f"'{option}' is best on {outcome} in every world."
    if share_lost == 1:
        return f"'{option}' is best on {outcome} in no world."
    if box is None or not box.limits:
        return (
            f"'{option}' is not best on {outcome} in {share_lost:.0%} of the worlds, with no "
            "clear pattern in the uncertain parameters."
        )
    bounds = " and ".join(
        f"{k} is between {lo:.4g} and {hi:.4g}" for k, (lo, hi) in box.limits.items()
    )
    return (
        f"'{option}' loses its lead on {outcome} when {bounds}: it is not best in "
        f"{box.density:.0%} of such worlds, and they hold {box.coverage:.0%} of the worlds "
        f"where it loses ({share_lost:.0%} of all worlds)."
    )


def discover(
    worlds: pd.DataFrame,
    parameters: list[str],
    outcome: str,
    higher: bool = True,
    min_density: float = 0.8,
) -> tuple[pd.DataFrame, list[str]]:
    """For each option: the box of worlds where it is not the best on ``outcome``.

    Args:
        worlds: A row per world and option (``world``, ``option``, parameters, outcome).
        parameters: The uncertain parameters (columns of ``worlds``).
        outcome: The outcome the lead is judged on.
        higher: Whether a higher value of the outcome is better.
        min_density: See :func:`prim_box`.

    Returns:
        A row per option and restricted parameter (``option, outcome, parameter, low, high,
        coverage, density``) and one plain sentence per option.
    """
    from asnsim.decide.robust import regrets

    table = worlds.pivot(index="world", columns="option", values=outcome)
    options = list(dict.fromkeys(worlds["option"]))
    x = worlds.drop_duplicates("world").set_index("world").loc[table.index, parameters]
    regret = regrets(table[options].to_numpy(dtype=float), higher)
    rows, sentences = [], []
    for i, option in enumerate(options):
        lost = regret[:, i] > 0
        box = prim_box(x, lost, min_density) if parameters else None
        sentences.append(describe(box, option, outcome, float(lost.mean())))
        for parameter, (low, high) in (box.limits if box else {}).items():
            rows.append(
                {
                    "option": option,
                    "outcome": outcome,
                    "parameter": parameter,
                    "low": low,
                    "high": high,
                    "coverage": box.coverage,
                    "density": box.density,
                }
            )
    columns = ["option", "outcome", "parameter", "low", "high", "coverage", "density"]
    return pd.DataFrame(rows, columns=columns), sentences
