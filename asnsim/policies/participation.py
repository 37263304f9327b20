"""Citizen participation: forums and complaint channels.

The Lubuk Begalung document (../shared/seeds/000) holds discussion forums where staff and
citizens raise the problems of public service, the Medan document (003) lets citizens send
suggestions that feed the government's evaluation, and the Palembang document (002) argues
that involving citizens in oversight raises accountability. Once a year, after recruitment
and transfers, this lever

* raises each unit's complaint handling (the service attribute ``complaint_handling``, SKM
  U8) toward a target, closing a share of the gap each year;
* lets the evaluation loop see more than the survey: ``do.set_feedback_weight`` shifts the
  IKM the government sees (``gov.sector_signal()``, ``gov.unit_signal()``) toward the truth.
  It acts before training in ``LEVERS``, so this year's training already sees it;
* puts accountability pressure on staff motivation: the workforce column
  ``motivation_participation`` adds to each employee's settled motivation in proportion to
  how much complaint handling in their unit has risen above the scenario's;

and costs money per formation post (forums, complaint desk, follow-up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict

from asnsim.policies import NoOptions, Policy, Result, option, register

if TYPE_CHECKING:
    from asnsim.policies.contract import Actions, Snapshot

__all__ = [
    "CitizenForums",
    "CitizenForumsOptions",
    "MOTIVATION_COLUMN",
    "ParticipationOptions",
    "ParticipationPolicy",
    "ParticipationStatusQuo",
    "accountability_offset",
    "complaint_handling_step",
]

MOTIVATION_COLUMN = "motivation_participation"


# --------------------------------------------------------------------------- pure rules


def complaint_handling_step(current: np.ndarray, target: float, rate: float) -> np.ndarray:
    """Complaint handling after one year of forums and complaint channels.

    Closes ``rate`` of the gap to ``target`` (never lowers a unit already above it):
    ``h + rate × max(0, target − h)``.
    """
    return current + rate * np.maximum(0.0, target - current)


def accountability_offset(
    handling: np.ndarray, base_handling: np.ndarray, per_unit: float
) -> np.ndarray:
    """Motivation added by public oversight: ``per_unit × (handling − base)``, per unit.

    Only what participation added above the scenario's complaint handling counts: the status
    quo's pressure is already in each employee's settled motivation.
    """
    return per_unit * np.maximum(0.0, handling - base_handling)


# --------------------------------------------------------------------------- options


class ParticipationOptions(BaseModel):
    """Behavioural constants of citizen participation (assumptions, each with its reason)."""

    model_config = ConfigDict(extra="forbid")

    complaint_handling_target: float = option(
        0.8,
        "0-1",
        "Complaint handling a unit reaches with forums and a working SP4N-LAPOR! desk "
        "(assumption; scenario units start at 0.4-0.55).",
        ge=0,
        le=1,
    )
    complaint_handling_rate: float = option(
        0.5,
        "1/year",
        "Share of the gap to the target closed each year: channels take a couple of years to "
        "become known and trusted (assumption).",
        gt=0,
        le=1,
    )
    feedback_weight: float = option(
        0.5,
        "share",
        "Share of the gap between surveyed and true sector IKM that complaints and forums "
        "close for the evaluation loop (Lubuk Begalung, Medan documents; assumption).",
        ge=0,
        le=1,
    )
    accountability_motivation: float = option(
        0.05,
        "motivation per unit of complaint handling",
        "Settled motivation added per unit of complaint handling gained: public oversight "
        "raises accountability (Palembang document); +0.09-0.11 SD from a community "
        "scorecard (KIAT Guru, Gaduh et al. 2019); ~+0.02 at the default target. Negative: "
        "pressure that demoralises.",
        ge=-0.2,
        le=0.2,
    )


class CitizenForumsOptions(ParticipationOptions):
    """What the city spends on participation."""

    cost_per_post: float = option(
        100_000.0,
        "rupiah/year per formation post",
        "Forums a few times a year per unit, a complaint desk and follow-up (assumption: "
        "about Rp 1.7 bn a year for Medan's 16,750 posts).",
        ge=0,
    )


# --------------------------------------------------------------------------- policies


class ParticipationPolicy(Policy):
    """Base of participation policies: behavioural constants in :class:`ParticipationOptions`.

    Diagnostics: mean ``complaint_handling`` of the units for the coming year, and the
    ``feedback_weight`` the evaluation loop gets.
    """

    kind = "participation"
    Options = ParticipationOptions
    reports = ("complaint_handling", "feedback_weight")


@register
class ParticipationStatusQuo(ParticipationPolicy):
    """Status quo: this lever is not used (survey only; scenario's complaint handling)."""

    name = "none"
    Options = NoOptions

    def act(self, gov: Snapshot, do: Actions) -> Result:  # noqa: D102
        handling = float(gov.service("complaint_handling").mean())
        return Result(0.0, {"complaint_handling": handling, "feedback_weight": 0.0})


@register
class CitizenForums(ParticipationPolicy):
    """Citizen forums and complaint channels (U8, sharper evaluation, accountability).

    Each year's end: complaint handling closes part of its gap to the target; the evaluation
    loop's ``feedback_weight`` is set; the accountability column of every employee follows
    the rise in their unit's complaint handling. Returns ``cost_per_post × formation``.
    """

    name = "forums"
    Options = CitizenForumsOptions

    def act(self, gov: Snapshot, do: Actions) -> Result:  # noqa: D102 (see the class docstring)
        o: CitizenForumsOptions = self.options
        handling = complaint_handling_step(
            gov.service("complaint_handling"),
            o.complaint_handling_target,
            o.complaint_handling_rate,
        )
        do.set_service("complaint_handling", handling)
        do.set_feedback_weight(o.feedback_weight)
        offset = accountability_offset(
            handling, gov.baseline("complaint_handling"), o.accountability_motivation
        )
        do.set_column(MOTIVATION_COLUMN, offset[gov.staff.unit])
        numbers = {
            "complaint_handling": float(handling.mean()),
            "feedback_weight": o.feedback_weight,
        }
        return Result(o.cost_per_post * float(gov.formation.sum()), numbers)
