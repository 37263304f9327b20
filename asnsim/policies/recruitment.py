"""Recruitment: how many are hired each year, with which fields of study and status.

A recruitment policy decides the number of hires (:meth:`RecruitmentPolicy.hires`, up to a
quota and the open posts), their fields of study (:meth:`RecruitmentPolicy.fields`) and which
are PPPK rather than PNS (:meth:`RecruitmentPolicy.is_pppk`), and hires them through
``do.hire``. In a year the scenario plans a formasi (``city.workforce.formasi``, e.g. a PPPK
wave), its volumes replace the quota and the PPPK share (:func:`planned_hires`). Where the
recruits go is the placement policy's decision (it acts next, see ``LEVERS``): recruits
chosen for the open posts' sectors (``needs_matched``) only end up in those posts if
placement looks at fit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from asnsim.policies import Policy, Result, planner, register
from asnsim.rng import choose
from asnsim.workforce import apportion

if TYPE_CHECKING:
    from asnsim.policies.contract import Actions, Snapshot

__all__ = [
    "NeedsMatchedRecruitment",
    "RecruitmentOptions",
    "RecruitmentPolicy",
    "StatusQuoRecruitment",
    "fields_for_posts",
    "planned_hires",
]


class RecruitmentOptions(BaseModel):
    """Options every recruitment strategy shares: the quota and the PNS/PPPK mix."""

    model_config = ConfigDict(extra="forbid")
    quota_share: float = Field(
        0.06,
        ge=0,
        le=1,
        description="[share of headcount/year] Most hires a year (the national formation "
        "quota). Assumption: about what leaves each year, so that posts stay filled: "
        "retirement ~4.5%/yr (OBSERVED.md §1.6, national 2023-2027) plus resignations and "
        "PPPK contracts not renewed (~1.5%).",
    )
    pppk_share: float = Field(
        0.5,
        json_schema_extra=planner(
            "The region proposes its formasi split between CPNS and PPPK; either may be all "
            "of it.",
            0.0,
            1.0,
        ),
        ge=0,
        le=1,
        description="[share] Hires taken on as PPPK. Assumption: recent national hiring was "
        "mostly PPPK (50,553 PPPK in Dec 2021, 487,127 in Jun 2023 while PNS fell; DOMAIN.md); "
        "half is a middle course.",
    )


class RecruitmentPolicy(Policy):
    """Base of recruitment policies: hire up to the quota and the open posts.

    Subclasses choose the recruits' fields of study (:meth:`fields`; by default the
    graduate pool). Diagnostics: ``hired`` (recruits taken on, before placement) and
    ``pppk`` (of them, PPPK).
    """

    kind = "recruitment"
    Options = RecruitmentOptions
    reports = ("hired", "pppk")

    def act(self, gov: Snapshot, do: Actions) -> Result:
        """Hire this year's recruits (they await placement); recruitment itself is free."""
        open_posts = gov.open_posts()
        planned = gov.formasi()
        if planned is None:
            n = self.hires(int(open_posts.sum()), len(gov.staff))
        else:
            pppk = planned_hires(*planned, int(open_posts.sum()), self.rng)
            n = len(pppk)
        if n == 0:
            return Result(0.0, {"hired": 0, "pppk": 0})
        mix = gov.graduate_mix
        open_by_sector = np.bincount(
            gov.unit_sector, weights=open_posts, minlength=len(gov.sectors)
        ).astype(np.int64)
        fields = self.fields(n, mix / mix.sum(), open_by_sector, gov.qualifies)
        if planned is None:
            pppk = self.is_pppk(n)
        do.hire(fields, pppk)
        return Result(0.0, {"hired": n, "pppk": int(pppk.sum())})

    def hires(self, vacancies: int, headcount: int) -> int:
        """Number of people hired this year given the open posts and current headcount."""
        quota = int(np.floor(self.options.quota_share * headcount + 0.5))
        return max(0, min(vacancies, quota))

    def fields(
        self, n: int, field_mix: np.ndarray, open_sectors: np.ndarray, sector_fields: np.ndarray
    ) -> np.ndarray:
        """Fields of study of ``n`` recruits (indices into the field list): the graduate pool.

        Args:
            n: Recruits.
            field_mix: (fields,) shares of each field among graduates (sums to 1).
            open_sectors: (sectors,) open posts in each sector.
            sector_fields: (sectors, fields) whether a field qualifies for a sector.
        """
        return choose(self.rng, field_mix, n).astype(np.int16)

    def is_pppk(self, n: int) -> np.ndarray:
        """Which recruits are PPPK (contract) rather than PNS."""
        return self.rng.random(n) < self.options.pppk_share


def planned_hires(pns: int, pppk: int, vacancies: int, rng: np.random.Generator) -> np.ndarray:
    """Which of a year's formasi hires are PPPK, at most one hire per open post.

    A formasi larger than the open posts is cut to them, PNS and PPPK in proportion
    (largest remainder); a wave that grows the workforce needs the formation to grow too.

    Args:
        pns: The year's planned PNS hires (``city.workforce.formasi``, at scale).
        pppk: The year's planned PPPK hires.
        vacancies: Open posts.
        rng: Random stream (the order of the hires).

    Returns:
        (hires,) True for each PPPK hire, in random order.
    """
    cut = apportion(
        min(pns + pppk, vacancies), np.array([pns, pppk], float), np.array([pns, pppk])
    )
    return rng.permutation(np.repeat([False, True], cut))


def fields_for_posts(
    n: int,
    field_mix: np.ndarray,
    open_sectors: np.ndarray,
    sector_fields: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Fields of ``n`` recruits chosen for the open posts: for each post a qualifying field.

    The recruits are shared among the sectors in proportion to their open posts
    (largest-remainder rounding, at most a sector's open posts each); each recruit for sector
    ``s`` has a field that qualifies for ``s``, drawn in proportion to the graduate pool
    (``field_mix`` restricted to the qualifying fields). Recruits beyond the open posts, and
    those for a sector no field qualifies for, come from the whole pool.

    Args:
        n: Recruits.
        field_mix: (fields,) shares of each field among graduates.
        open_sectors: (sectors,) open posts per sector.
        sector_fields: (sectors, fields) whether a field qualifies for a sector.
        rng: Random stream.

    Returns:
        (n,) field of each recruit (int16), in random order.
    """
    open_sectors = np.asarray(open_sectors, dtype=np.int64)
    per_sector = apportion(n, open_sectors.astype(float), open_sectors)
    out = []
    for s in np.flatnonzero(per_sector):  # a loop over sectors
        p = np.where(sector_fields[s], field_mix, 0.0)
        p = p if p.sum() > 0 else field_mix
        out.append(choose(rng, p / p.sum(), int(per_sector[s])))
    rest = n - int(per_sector.sum())
    if rest > 0:
        out.append(choose(rng, field_mix / field_mix.sum(), rest))
    fields = np.concatenate(out) if out else np.zeros(0, dtype=np.int64)
    return rng.permutation(fields).astype(np.int16)


@register
class StatusQuoRecruitment(RecruitmentPolicy):
    """Hire up to the quota; recruits' fields follow the graduate pool, not the open posts."""

    name = "status_quo"


@register
class NeedsMatchedRecruitment(RecruitmentPolicy):
    """Formation matched to needs: recruit, for each open post, a field that qualifies for it.

    The quota and PNS/PPPK mix are those of the status quo; only the fields differ (see
    :func:`fields_for_posts`). Whether the recruits then sit in posts they fit is up to the
    placement policy: with ``seniority`` or ``random`` placement they take open posts
    regardless of field, and gain only by chance.
    """

    name = "needs_matched"

    def fields(self, n, field_mix, open_sectors, sector_fields):  # noqa: D102
        open_sectors = np.asarray(open_sectors)
        if len(open_sectors) != sector_fields.shape[0]:
            raise ValueError(
                f"needs_matched recruitment needs open posts per sector ({sector_fields.shape[0]}"
                f" values), got {len(open_sectors)} values (open posts per unit?): the model "
                "must pass np.bincount(units.sector, weights=open_posts, minlength=n_sectors)"
            )
        return fields_for_posts(n, field_mix, open_sectors, sector_fields, self.rng)
