"""Training allocation: who is trained in which programme each year, within the budget."""

from __future__ import annotations

from asnsim.policies import Policy, register

__all__ = ["NoTraining", "TrainingPolicy"]


class TrainingPolicy(Policy):
    """Base of training policies."""

    kind = "training"


@register
class NoTraining(TrainingPolicy):
    """Status quo of this model: no structured training beyond learning on the job."""

    name = "none"
