"""Performance appraisal (PermenPANRB 6/2022) and allowance (tunjangan kinerja / TPP).

Each year's end, before anyone leaves, every employee is rated:

1. **True performance.** Results (*hasil kerja*) are the service hours the employee delivered
   this year (``wf.output_year``) as a z-score among peers of the same position type in the
   same sector (city-wide position type if fewer than ``min_peers`` such peers). Behaviour
   (*perilaku*, the BerAKHLAK values) is the employee's motivation as a z-score over the
   whole workforce.
2. **What the rater sees.** Each z-score plus rater noise (``rater_noise_sd``, in SD of true
   performance), rescaled to unit variance so the share of each level does not depend on the
   noise, only who gets it: ``(z + σ·ε) / √(1 + σ²)``. Its correlation with the truth, the
   rater's *accuracy*, is ``1 / √(1 + σ²)``.
3. **Levels and predikat.** Each perceived score is above expectation (top ``above_share``),
   below (bottom ``below_share``) or as expected; :func:`predikat` combines the two levels by
   the matrix of PermenPANRB 6/2022 (DOMAIN.md). An optional quota caps the share rated
   Sangat Baik in each unit (``sangat_baik_cap``); those over it, lowest perceived score
   first, become Baik. The rating is stored in ``wf.last_rating`` (coding: :data:`PREDIKAT`).
4. **Allowance.** ``status_quo`` pays everyone the same TPP; ``performance_linked`` pays a
   performance part (60%) scaled by the rating and an attendance part (40%) in full.
   ``act`` returns the whole allowance bill of the year (rupiah), not only the extra
   cost over a flat allowance.
5. **Motivation** (column ``motivation_appraisal``, in motivation units = SD × the scenario's
   ``motivation_sd``): perceived fairness (rater accuracy, raised by a participatory design)
   moves motivation around the status quo's level; performance-linked pay adds effort in
   countable services in proportion to fairness, and crowds it out in the others.
6. **Retention** (column ``exit_appraisal``): the true top performers (top ``above_share`` of
   results) have a higher exit hazard unless their allowance exceeds the average: the excess
   shrinks in proportion to their realised allowance premium, and vanishes at
   ``retention_premium``. The multipliers are normalised so the average exit hazard under a
   flat allowance stays the calibrated one.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy import stats

from asnsim.policies import Policy, Result, planner, register

if TYPE_CHECKING:
    from asnsim.policies.contract import Actions, Snapshot

__all__ = [
    "ABOVE",
    "AS_EXPECTED",
    "AppraisalOptions",
    "AppraisalPolicy",
    "AppraisalStatusQuo",
    "BAIK",
    "BELOW",
    "BUTUH_PERBAIKAN",
    "KURANG",
    "PREDIKAT",
    "PerformanceLinkedAllowance",
    "PerformanceLinkedOptions",
    "SANGAT_BAIK",
    "SANGAT_KURANG",
    "allowance_factor",
    "cap_top_rating",
    "level_of",
    "peer_z",
    "perceived_fairness",
    "predikat",
    "rater_accuracy",
]

PREDIKAT = ("sangat_kurang", "kurang", "butuh_perbaikan", "baik", "sangat_baik")
"""Ratings (predikat kinerja, PermenPANRB 6/2022), worst first: the value in
``wf.last_rating`` is the index here (0 Sangat Kurang ... 4 Sangat Baik; -1 not yet rated)."""

SANGAT_KURANG, KURANG, BUTUH_PERBAIKAN, BAIK, SANGAT_BAIK = range(5)
BELOW, AS_EXPECTED, ABOVE = range(3)
"""Levels of results and of behaviour against expectation."""

# PermenPANRB 6/2022 (DOMAIN.md): rows are results, columns behaviour, each BELOW,
# AS_EXPECTED, ABOVE.
_MATRIX = np.array(
    [
        [SANGAT_KURANG, BUTUH_PERBAIKAN, BUTUH_PERBAIKAN],  # results below expectation
        [KURANG, BAIK, BAIK],  # results as expected
        [KURANG, BAIK, SANGAT_BAIK],  # results above expectation
    ],
    dtype=np.int8,
)


# --------------------------------------------------------------------------- pure rules


def predikat(results: np.ndarray | int, behaviour: np.ndarray | int) -> np.ndarray:
    """Rating from the levels of results and behaviour (PermenPANRB 6/2022, DOMAIN.md).

    Args:
        results: Level of results (hasil kerja): ``BELOW``, ``AS_EXPECTED`` or ``ABOVE``.
        behaviour: Level of behaviour (perilaku), same coding.

    Returns:
        Index into :data:`PREDIKAT` (int8).
    """
    return _MATRIX[np.asarray(results), np.asarray(behaviour)]


def level_of(score: np.ndarray, above_share: float, below_share: float) -> np.ndarray:
    """Level of standard-normal scores: the top ``above_share`` above, the bottom below."""
    above_z = _norm_ppf(1.0 - above_share)
    below_z = _norm_ppf(below_share)
    out = np.full(len(score), AS_EXPECTED, dtype=np.int8)
    out[score >= above_z] = ABOVE
    out[score < below_z] = BELOW
    return out


@functools.lru_cache(maxsize=64)
def _norm_ppf(p: float) -> float:
    """``stats.norm.ppf(p)``, once per share (a scipy call costs more than a year's ratings)."""
    return stats.norm.ppf(p)


def peer_z(
    values: np.ndarray,
    groups: np.ndarray,
    fallback: np.ndarray | None = None,
    min_peers: int = 2,
) -> np.ndarray:
    """Z-score of each value within its group of peers.

    Args:
        values: One value per employee.
        groups: Non-negative group index per employee.
        fallback: A coarser group per employee, used where the group has fewer than
            ``min_peers`` members (None: no fallback).
        min_peers: Smallest group to compare within.

    Returns:
        ``(value − group mean) / group SD`` (population SD); 0 where the group has no
        spread or fewer than ``min_peers`` members even after the fallback.
    """
    z, n = _group_z(values, groups)
    if fallback is not None:
        small = n < min_peers
        if small.any():
            z_fb, n_fb = _group_z(values, fallback)
            z = np.where(small, z_fb, z)
            n = np.where(small, n_fb, n)
    return np.where(n >= min_peers, z, 0.0)


def _group_z(values: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    count = np.bincount(groups)
    total = np.bincount(groups, weights=values)
    mean = total / np.maximum(count, 1)
    dev = values - mean[groups]
    var = np.bincount(groups, weights=dev * dev) / np.maximum(count, 1)
    sd = np.sqrt(var)[groups]
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sd > 1e-12 * (1.0 + np.abs(mean[groups])), dev / sd, 0.0)
    return z, count[groups]


def rater_accuracy(noise_sd: float) -> float:
    """Correlation of the perceived score with the true one: ``1 / √(1 + σ²)``."""
    return float(1.0 / np.sqrt(1.0 + noise_sd**2))


def perceived_fairness(noise_sd: float, participatory: bool, participatory_gain: float) -> float:
    """Perceived fairness of the appraisal, 0-1: rater accuracy, plus a participatory design.

    Accuracy stands for procedural fairness (ratings that follow real work); involving staff
    in designing the appraisal adds ``participatory_gain`` (ownership, Kupang document),
    capped at 1.
    """
    return float(min(1.0, rater_accuracy(noise_sd) + participatory_gain * bool(participatory)))


def cap_top_rating(
    rating: np.ndarray, score: np.ndarray, unit: np.ndarray, cap: float
) -> np.ndarray:
    """Quota: in each unit at most ``floor(cap × staff)`` keep Sangat Baik; the rest are Baik.

    Those with the highest perceived ``score`` keep Sangat Baik (DOMAIN.md: the
    organisation's own rating caps the share of its staff rated Sangat Baik).
    """
    if cap >= 1.0:
        return rating
    out = rating.copy()
    sb = np.flatnonzero(rating == SANGAT_BAIK)
    if len(sb) == 0:
        return out
    allowed = np.floor(cap * np.bincount(unit) + 1e-9).astype(np.int64)
    order = sb[np.lexsort((-score[sb], unit[sb]))]  # by unit, best score first
    u = unit[order]
    first = np.searchsorted(u, u, side="left")
    rank_in_unit = np.arange(len(order)) - first
    out[order[rank_in_unit >= allowed[u]]] = BAIK
    return out


def allowance_factor(
    rating: np.ndarray, factors: np.ndarray, performance_share: float
) -> np.ndarray:
    """Allowance of each employee as a multiple of the base amount.

    ``performance_share × factors[rating] + (1 − performance_share)``: the performance part
    scaled by the rating, the attendance part paid in full (the model has no unexcused
    absence). Unrated employees (-1) get the base amount.
    """
    f = np.where(rating >= 0, factors[np.maximum(rating, 0)], 1.0)
    return performance_share * f + (1.0 - performance_share)


# --------------------------------------------------------------------------- options


class AppraisalOptions(BaseModel):
    """Options shared by every appraisal policy: the rating process and how staff react."""

    model_config = ConfigDict(extra="forbid")

    rater_noise_sd: float = Field(
        1.0,
        ge=0.0,
        le=10.0,
        description="[SD of true performance] Rater noise; 1.0 gives reliability 0.5, as "
        "supervisors' ratings (interrater reliability .52, Viswesvaran, Ones & Schmidt 1996, "
        "JAP 81(5)); 0 is a fully objective appraisal.",
    )
    participatory: bool = Field(
        False,
        json_schema_extra=planner("The city decides whether staff help design the appraisal."),
        description="[yes/no] Staff take part in designing the appraisal (Kupang document: "
        "involvement creates ownership).",
    )
    sangat_baik_cap: float = Field(
        1.0,
        json_schema_extra=planner(
            "The organisation's rating caps Sangat Baik (PermenPANRB 6/2022); a cap below "
            "half would rate most top staff down.",
            0.5,
            1.0,
        ),
        ge=0.0,
        le=1.0,
        description="[share of a unit's staff] Most that may be rated Sangat Baik; 1 = no "
        "quota (DOMAIN.md: the organisation's rating caps it, e.g. at 0.7).",
    )
    above_share: float = Field(
        0.2,
        gt=0.0,
        lt=1.0,
        description="[share] Staff a rater judges above expectation, in results and in "
        "behaviour (assumption: most staff are rated as expected).",
    )
    below_share: float = Field(
        0.1,
        gt=0.0,
        lt=1.0,
        description="[share] Staff a rater judges below expectation (assumption).",
    )
    min_peers: int = Field(
        5,
        ge=2,
        le=1000,
        description="[people] Fewest peers (same position type and sector) to compare "
        "results with; fewer: the position type city-wide (assumption).",
    )
    allowance_per_year: float = Field(
        24_000_000.0,
        ge=0.0,
        description="[rupiah/employee/year] Base TPP; set by the regional head (PP 12/2019); "
        "Rp 2 million a month is an assumption, no Kupang figure found.",
    )
    fairness_weight_sd: float = Field(
        0.5,
        ge=0.0,
        le=2.0,
        description="[SD of motivation per unit of fairness] Perceived fairness of appraisal "
        "lifts motivation; procedural justice correlates ≈0.4-0.5 with satisfaction and "
        "commitment (Colquitt et al. 2001, JAP 86(3)); assumption.",
    )
    reference_fairness: float = Field(
        float(1.0 / np.sqrt(2.0)),
        ge=0.0,
        le=1.0,
        description="[0-1] Fairness at which appraisal leaves motivation where the city's "
        "calibration put it: the status quo's (rater noise 1.0, no participation).",
    )
    participatory_fairness_gain: float = Field(
        0.2,
        ge=0.0,
        le=1.0,
        description="[0-1] Fairness added by a participatory design; participation relates "
        "strongly to perceived fairness of appraisal (Cawley, Keeping & Levy 1998, JAP 83(4)) "
        "and lowers resistance 0.2-0.3 SD (Oreg et al. 2011); assumption.",
    )
    pay_effect_sd: float = Field(
        0.15,
        ge=0.0,
        le=1.0,
        description="[SD of motivation] Effort gain from performance pay in countable "
        "services at full fairness, 0.05-0.2 (Hasnain, Manning & Pierskalla 2012; DOMAIN.md).",
    )
    crowding_out_sd: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="[SD of motivation] Effort lost to performance pay in hard-to-measure, "
        "prosocial services, 0-0.15 (Bellé 2015, PAR 75(2); DOMAIN.md).",
    )
    countable_sectors: list[str] = Field(
        default_factory=lambda: ["civil_registry", "licensing", "administration", "public_works"],
        description="[sector names] Services with countable output where performance pay "
        "raises effort (Hasnain et al. 2012); the other sectors (health, education, social) "
        "are prosocial and hard to measure. Names not in the scenario are ignored.",
    )
    talent_exit_excess: float = Field(
        1.0,
        ge=0.0,
        le=10.0,
        description="[x] Extra exit hazard of the top performers when pay ignores performance "
        "(1 = twice the others'); high performers quit more when pay growth is low (Trevor, "
        "Gerhart & Boudreau 1997, JAP 82(1)); assumption, 0.5-1.5.",
    )
    retention_premium: float = Field(
        0.15,
        gt=0.0,
        le=5.0,
        description="[share of the mean allowance] Allowance premium of the top performers "
        "at which their extra exit hazard vanishes (assumption).",
    )

    @model_validator(mode="after")
    def _shares(self) -> AppraisalOptions:
        if self.above_share + self.below_share >= 1.0:
            raise ValueError(
                f"above_share + below_share must be below 1, got "
                f"{self.above_share} + {self.below_share}"
            )
        return self


class PerformanceLinkedOptions(AppraisalOptions):
    """Options of the performance-linked allowance: the pay rule on top of the rating."""

    performance_share: float = Field(
        0.6,
        json_schema_extra=planner(
            "The regional head sets the TPP rule (PP 12/2019); attendance keeps at least a "
            "fifth, performance at least a fifth.",
            0.2,
            0.8,
        ),
        ge=0.0,
        le=1.0,
        description="[share] Part of the allowance that follows the rating; the rest follows "
        "attendance (60/40 in one ministry's rule, DOMAIN.md).",
    )
    factor_sangat_baik: float = Field(
        1.2,
        json_schema_extra=planner(
            "The TPP rule may pay Sangat Baik a bonus; more than half again is beyond any "
            "rule found.",
            1.0,
            1.5,
        ),
        ge=0.0,
        le=3.0,
        description="[x] Performance part for Sangat Baik; a 20% bonus for top performers "
        "(assumption: TPP may reward prestasi kerja, PP 12/2019).",
    )
    factor_baik: float = Field(
        1.0, ge=0.0, le=3.0, description="[x] Performance part for Baik: paid in full."
    )
    factor_butuh_perbaikan: float = Field(
        0.9,
        ge=0.0,
        le=3.0,
        description="[x] Performance part for Butuh Perbaikan: cut to 90% (ministry rule, "
        "DOMAIN.md).",
    )
    factor_kurang: float = Field(
        0.85,
        ge=0.0,
        le=3.0,
        description="[x] Performance part for Kurang: cut to 85% (ministry rule, DOMAIN.md).",
    )
    factor_sangat_kurang: float = Field(
        0.8,
        ge=0.0,
        le=3.0,
        description="[x] Performance part for Sangat Kurang: cut to 80% (ministry rule, "
        "DOMAIN.md).",
    )

    def factors(self) -> np.ndarray:
        """Performance-part factor of each rating, indexed like :data:`PREDIKAT`."""
        return np.array([getattr(self, f"factor_{p}") for p in PREDIKAT])


# --------------------------------------------------------------------------- policies


class AppraisalPolicy(Policy):
    """Base of appraisal policies: rate everyone, pay the allowance, set the staff's reaction.

    Attributes:
        fairness: Perceived fairness of the appraisal (0-1), set at the first appraisal.
        diagnostics: The last appraisal's intermediate quantities (shares of each rating,
            fairness, the top performers' allowance premium, their agent ids, ...).
    """

    kind = "appraisal"
    Options: ClassVar[type[BaseModel]] = AppraisalOptions
    reports = (
        "fairness",
        "accuracy",
        "top_premium",
        *(f"share_{p}" for p in PREDIKAT),
    )
    linked: ClassVar[bool] = False  # whether pay follows the rating

    def __init__(self, options: BaseModel, rng: np.random.Generator):
        super().__init__(options, rng)
        self.fairness = perceived_fairness(
            options.rater_noise_sd, options.participatory, options.participatory_fairness_gain
        )
        self.diagnostics: dict[str, Any] = {}

    def allowance(self, rating: np.ndarray) -> np.ndarray:
        """Allowance of each employee this year as a multiple of the base amount."""
        return np.ones(len(rating))

    def rate(self, gov: Snapshot) -> tuple[np.ndarray, np.ndarray]:
        """Rate every employee; return (ratings, true results z-scores)."""
        o = self.options
        staff = gov.staff
        n = len(staff)
        n_sec = len(gov.sectors)
        sector = gov.unit_sector[staff.unit]
        position = staff.position.astype(np.int64)
        results_true = peer_z(
            staff.output_year, position * n_sec + sector, fallback=position, min_peers=o.min_peers
        )
        behaviour_true = peer_z(staff.motivation, np.zeros(n, dtype=np.int64))
        sigma = o.rater_noise_sd
        noise = self.rng.standard_normal((2, n))
        scale = np.sqrt(1.0 + sigma**2)
        results_seen = (results_true + sigma * noise[0]) / scale
        behaviour_seen = (behaviour_true + sigma * noise[1]) / scale
        rating = predikat(
            level_of(results_seen, o.above_share, o.below_share),
            level_of(behaviour_seen, o.above_share, o.below_share),
        )
        seen = results_seen + behaviour_seen
        rating = cap_top_rating(rating, seen, staff.unit, o.sangat_baik_cap)
        return rating, results_true

    def act(self, gov: Snapshot, do: Actions) -> Result:
        """Rate, pay, and set the columns ``motivation_appraisal`` and ``exit_appraisal``.

        Returns:
            The year's allowance bill (rupiah): the whole TPP of the staff rated; the rater's
            ``accuracy``, the ``fairness`` staff perceive, the share of each rating
            (``share_<predikat>``) and the top performers' allowance ``top_premium``.
        """
        o = self.options
        n = len(gov.staff)
        if n == 0:
            return Result(0.0, {"fairness": self.fairness})
        rating, results_true = self.rate(gov)
        do.rate(rating)
        pay = self.allowance(rating)
        effect_sd = self._motivation_effect_sd(gov)
        do.set_column("motivation_appraisal", effect_sd * gov.assumptions.motivation_sd)
        premium, top, exit_top = self._retention(results_true, pay)
        do.set_column(
            "exit_appraisal", np.where(top, exit_top, 1.0 / self._norm(top)), default=1.0
        )
        shares = np.bincount(rating, minlength=len(PREDIKAT)) / n
        self.diagnostics = {
            "fairness": self.fairness,
            "accuracy": rater_accuracy(o.rater_noise_sd),
            "rating_shares": shares,
            "top_premium": premium,
            "top_exit_multiplier": exit_top,
            "top_uids": gov.staff.uid[top].copy(),
            "motivation_sd_effect": effect_sd,
        }
        numbers = {k: self.diagnostics[k] for k in ("fairness", "accuracy", "top_premium")}
        numbers |= {f"share_{p}": float(v) for p, v in zip(PREDIKAT, shares, strict=True)}
        return Result(float(pay.sum() * o.allowance_per_year), numbers)

    def _motivation_effect_sd(self, gov: Snapshot) -> np.ndarray:
        """Motivation (SD) from fairness around the status quo, and pay for performance."""
        o = self.options
        sector = gov.unit_sector[gov.staff.unit]
        is_countable = np.array([s in o.countable_sectors for s in gov.sectors], dtype=bool)
        countable = is_countable[sector]
        pay_sd = np.where(countable, o.pay_effect_sd * self.fairness, -o.crowding_out_sd)
        return o.fairness_weight_sd * (self.fairness - o.reference_fairness) + (
            self.linked * pay_sd
        )

    def _norm(self, top: np.ndarray) -> float:
        return 1.0 + top.mean() * self.options.talent_exit_excess  # mean 1 under flat pay

    def _retention(self, results_true: np.ndarray, pay: np.ndarray):
        """The true top performers leave more unless pay follows their results.

        Returns:
            Their allowance premium, who they are, and their exit-hazard multiplier.
        """
        o = self.options
        top = results_true >= _norm_ppf(1.0 - o.above_share)
        premium = float(pay[top].mean() / pay.mean() - 1.0) if top.any() else 0.0
        unpaid = 1.0 - float(np.clip(premium / o.retention_premium, 0.0, 1.0))
        return premium, top, (1.0 + o.talent_exit_excess * unpaid) / self._norm(top)


@register
class AppraisalStatusQuo(AppraisalPolicy):
    """Status quo: yearly rating with ordinary rater noise; everyone gets the same allowance."""

    name = "status_quo"


@register
class PerformanceLinkedAllowance(AppraisalPolicy):
    """Allowance follows the rating (tunjangan kinerja / TPP for prestasi kerja).

    The performance part (60%) is scaled by the predikat: cuts to 90/85/80% for weak ratings,
    a bonus for Sangat Baik; the attendance part (40%) is paid in full.
    """

    name = "performance_linked"
    Options = PerformanceLinkedOptions
    linked = True

    def allowance(self, rating: np.ndarray) -> np.ndarray:  # noqa: D102
        o = self.options
        return allowance_factor(rating, o.factors(), o.performance_share)
