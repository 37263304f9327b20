"""Training allocation: who is trained in which programme each year, within the budget."""

from __future__ import annotations

from asnsim.policies import Policy, register

__all__ = ["NoTraining", "TrainingPolicy"]


class TrainingPolicy(Policy):
    """Base of training policies."""

    kind = "training"

    def plan_year(self, model) -> float:
        """Plan and apply the year's training; return the money spent."""
        return 0.0


@register
class NoTraining(TrainingPolicy):
    """Status quo of this model: no structured training beyond learning on the job."""

    name = "none"
