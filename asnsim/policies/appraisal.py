"""Performance appraisal (PermenPANRB 6/2022) and allowance (tunjangan kinerja / TPP)."""

from __future__ import annotations

from asnsim.policies import Policy, register

__all__ = ["AppraisalPolicy", "AppraisalStatusQuo"]


class AppraisalPolicy(Policy):
    """Base of appraisal policies."""

    kind = "appraisal"


@register
class AppraisalStatusQuo(AppraisalPolicy):
    """Status quo: this lever is not used."""

    name = "status_quo"
