"""Digitalisation: SIMPEG/SIASN, online channels, unit digital maturity."""

from __future__ import annotations

from asnsim.policies import Policy, register

__all__ = ["DigitalisationPolicy", "DigitalisationStatusQuo"]


class DigitalisationPolicy(Policy):
    """Base of digital policies."""

    kind = "digital"


@register
class DigitalisationStatusQuo(DigitalisationPolicy):
    """Status quo: this lever is not used."""

    name = "none"
