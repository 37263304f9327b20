"""Change management: socialisation that lowers resistance to change.

Resistance to change (``workforce.resistance``, 0-1) damps what staff take from training (and
from digital tools). Participation, communication and demonstrated benefit lower it (Oreg,
Vakola & Armenakis 2011, a review of 79 studies); the Palembang paper (seed 002) asks for
"sosialisasi yang intensif dan demonstrasi manfaat".

``socialisation`` reaches a share of the staff each year with a number of sessions. Each
session closes a share of the gap between what an employee's resistance has already fallen
and the most it can fall (``max_effect_sd``, 0.2-0.3 SD), so repeated years of socialisation
lower resistance over time, with diminishing returns, toward that limit. Newcomers arrive
with their own resistance and must be reached in turn. The reduction lasts (assumption).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from asnsim.policies import Policy, Result, planner, register

if TYPE_CHECKING:
    from asnsim.policies.contract import Actions, Snapshot

__all__ = [
    "ChangeManagementPolicy",
    "ChangeManagementStatusQuo",
    "ChangeOptions",
    "Socialisation",
    "SocialisationOptions",
    "socialised_drop",
]

DROP_COLUMN = "change_resistance_drop"
"""Workforce column: how far (in SD) each employee's resistance has been lowered so far."""


class ChangeOptions(BaseModel):
    """Behavioural constants shared by change-management strategies."""

    model_config = ConfigDict(extra="forbid")
    max_effect_sd: float = Field(
        0.25,
        ge=0,
        le=2,
        description="[SD] Most that socialisation and participation lower resistance, 0.2-0.3 "
        "SD (Oreg, Vakola & Armenakis 2011; DOMAIN.md).",
    )
    share_per_session: float = Field(
        0.2,
        ge=0,
        le=1,
        description="[share] Of the remaining possible reduction, closed by each session "
        "attended: two sessions a year reach ~90% of the limit in 5 years (assumption).",
    )
    resistance_sd: float = Field(
        0.15,
        gt=0,
        le=0.5,
        description="[0-1 per SD] One SD of resistance among staff (drawn with SD 0.15, "
        "workforce.py).",
    )


class SocialisationOptions(ChangeOptions):
    """Options of ``socialisation``."""

    coverage: float = Field(
        0.5,
        json_schema_extra=planner(
            "The city decides whom it invites each year, from a tenth of staff to all.", 0.1, 1.0
        ),
        ge=0,
        le=1,
        description="[share of staff/year] Staff reached each year (assumption: half the "
        "staff attend in a year).",
    )
    sessions_per_year: int = Field(
        2,
        json_schema_extra=planner(
            "How intensive socialisation is: one session a year to one every two months.", 1, 6
        ),
        ge=0,
        le=24,
        description="[sessions/year] Effort: sessions each reached employee attends; "
        "'intensive' socialisation means more (Palembang paper, seed 002).",
    )
    cost_per_person_session: float = Field(
        50_000.0,
        ge=0,
        description="[rupiah] One employee at one in-house half-day session: snacks and "
        "materials, a speaker shared by ~50 (assumption).",
    )
    priority: Literal["random", "most_resistant"] = Field(
        "random",
        json_schema_extra=planner("The city decides whom it reaches first."),
        description="[-] Who is reached: whoever attends (random) or the most resistant first.",
    )


def socialised_drop(
    drop: np.ndarray, sessions: int, share_per_session: float, max_effect: float
) -> np.ndarray:
    """Cumulative drop of resistance (SD) after ``sessions`` more sessions.

    Each session closes ``share_per_session`` of the gap to ``max_effect``:
    ``max − (max − drop) × (1 − share)^sessions``.

    >>> round(float(socialised_drop(np.array([0.0]), 2, 0.2, 0.25)[0]), 4)
    0.09
    """
    return max_effect - (max_effect - drop) * (1.0 - share_per_session) ** sessions


class ChangeManagementPolicy(Policy):
    """Base of change policies.

    Diagnostics: ``reached`` (staff reached this year) and ``resistance`` (the staff's mean
    resistance to change after the act).
    """

    kind = "change"
    reports = ("reached", "resistance")

    def act(self, gov: Snapshot, do: Actions) -> Result:
        """The status quo: nobody is reached, nothing is spent."""
        return Result(0.0, {"reached": 0, "resistance": _mean(gov.staff.resistance)})


@register
class ChangeManagementStatusQuo(ChangeManagementPolicy):
    """Status quo: this lever is not used."""

    name = "none"


@register
class Socialisation(ChangeManagementPolicy):
    """Yearly socialisation sessions that lower resistance to change over time.

    Returns as spend: staff reached × sessions × cost per person and session.
    """

    name = "socialisation"
    Options = SocialisationOptions

    def act(self, gov: Snapshot, do: Actions) -> Result:
        """Reach this year's share of staff; lower their resistance; return the cost."""
        opts: SocialisationOptions = self.options
        n = len(gov.staff)
        reach = int(np.floor(opts.coverage * n + 0.5))
        drop = gov.staff.column(DROP_COLUMN)
        if reach == 0 or opts.sessions_per_year == 0:
            return Result(0.0, {"reached": 0, "resistance": _mean(gov.staff.resistance)})
        tie = self.rng.random(n)
        if opts.priority == "most_resistant":
            order = np.lexsort((tie, -gov.staff.resistance))
        else:
            order = np.argsort(tie)
        rows = order[:reach]
        new = socialised_drop(
            drop[rows], opts.sessions_per_year, opts.share_per_session, opts.max_effect_sd
        )
        lowered = (new - drop[rows]) * opts.resistance_sd
        do.set_resistance(rows, np.clip(gov.staff.resistance[rows] - lowered, 0.0, 1.0))
        do.set_column(DROP_COLUMN, new, rows)
        return Result(
            float(reach * opts.sessions_per_year * opts.cost_per_person_session),
            {"reached": reach, "resistance": _mean(gov.staff.resistance)},
        )


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else float("nan")
