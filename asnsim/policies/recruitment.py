"""Recruitment: how many are hired each year, with which fields of study and status."""

from __future__ import annotations

from abc import abstractmethod

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from asnsim.policies import Policy, register

__all__ = ["RecruitmentPolicy", "StatusQuoRecruitment"]


class RecruitmentOptions(BaseModel):
    """Options of the status-quo recruitment."""

    model_config = ConfigDict(extra="forbid")
    quota_share: float = Field(
        0.04,
        ge=0,
        le=1,
        description="[share of headcount] Most hires a year (national formation quota).",
    )
    pppk_share: float = Field(0.5, ge=0, le=1, description="[share] Hires taken on as PPPK.")


class RecruitmentPolicy(Policy):
    """Base of recruitment policies."""

    kind = "recruitment"

    def hires(self, vacancies: int, headcount: int) -> int:
        """Number of people hired this year given the open posts and current headcount."""
        quota = int(np.floor(self.options.quota_share * headcount + 0.5))
        return max(0, min(vacancies, quota))

    @abstractmethod
    def fields(self, n: int, field_mix: np.ndarray, open_sectors: np.ndarray, sector_fields):
        """Fields of study of ``n`` recruits (indices into the field list)."""

    def is_pppk(self, n: int) -> np.ndarray:
        """Which recruits are PPPK (contract) rather than PNS."""
        return self.rng.random(n) < self.options.pppk_share


@register
class StatusQuoRecruitment(RecruitmentPolicy):
    """Hire up to the quota; recruits' fields follow the graduate pool, not the open posts."""

    name = "status_quo"
    Options = RecruitmentOptions

    def fields(self, n, field_mix, open_sectors, sector_fields):  # noqa: D102
        return self.rng.choice(len(field_mix), size=n, p=field_mix).astype(np.int16)
