"""Citizen participation: forums and complaint channels."""

from __future__ import annotations

from asnsim.policies import Policy, register

__all__ = ["ParticipationPolicy", "ParticipationStatusQuo"]


class ParticipationPolicy(Policy):
    """Base of participation policies."""

    kind = "participation"


@register
class ParticipationStatusQuo(ParticipationPolicy):
    """Status quo: this lever is not used."""

    name = "none"
