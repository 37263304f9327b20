"""Change management: socialisation that lowers resistance to change."""

from __future__ import annotations

from asnsim.policies import Policy, register

__all__ = ["ChangeManagementPolicy", "ChangeManagementStatusQuo"]


class ChangeManagementPolicy(Policy):
    """Base of change policies."""

    kind = "change"


@register
class ChangeManagementStatusQuo(ChangeManagementPolicy):
    """Status quo: this lever is not used."""

    name = "none"
