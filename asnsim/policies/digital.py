"""Digitalisation: SIMPEG/SIASN, online channels and investment in units' digital maturity.

The Medan and Kupang documents (../shared/seeds/003, 004) describe personnel information
systems (SIMPEG/SIASN, online leave and appraisal portals) that cut administrative work, and
online public services. This lever acts once a year, after recruitment and transfers, through
two unit service attributes (``do.set_service``; the scenario's values stay the baseline):

* ``effort_hours`` (staff hours per request): recomputed every year from the scenario's own
  effort (``gov.baseline``), so effects never compound by accident —
  ``effort = base × online mix / (1 + hours freed by SIMPEG)``;
* ``digital_maturity``: raised by the yearly investment with diminishing returns; it drives
  SKM U1 and U2 and the digital support of productivity in the model.

Staff adoption (technology acceptance: usefulness and ease of use, damped by resistance to
change) scales what SIMPEG frees and how much of the investment turns into maturity. An
online request saves staff effort only in proportion to the unit's staff digital competency;
with little competency it costs more than a counter request (fixing wrong uploads, re-entry).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from asnsim.policies import NoOptions, Policy, Result, option, planner, register

if TYPE_CHECKING:
    from asnsim.policies.contract import Actions, Snapshot

__all__ = [
    "DigitalOptions",
    "DigitalisationPolicy",
    "DigitalisationStatusQuo",
    "EGovernment",
    "EGovernmentOptions",
    "adoption",
    "effort_multiplier",
    "maturity_gain",
    "online_effort_factor",
    "unit_means",
]


# --------------------------------------------------------------------------- pure rules


def adoption(
    usefulness: np.ndarray,
    ease: np.ndarray,
    resistance: np.ndarray,
    usefulness_weight: float,
    resistance_damping: float,
) -> np.ndarray:
    """Each employee's use of the digital systems, 0-1 (technology acceptance).

    ``(w × usefulness + (1 − w) × ease) × (1 − damping × resistance)``, clipped to 0-1:
    intention to use weighs perceived usefulness by ``w`` (β ≈ 0.29 in a meta-analysis of
    e-government adoption in emerging economies; DOMAIN.md) and ease of use (own digital
    competency) by the rest; resistance to change damps it (Oreg, Vakola & Armenakis 2011).

    Args:
        usefulness: Perceived usefulness, 0-1 (the digital maturity of one's unit).
        ease: Perceived ease of use, 0-1 (one's digital competency).
        resistance: Resistance to change, 0-1.
        usefulness_weight: Weight ``w`` of usefulness.
        resistance_damping: Share of adoption lost at full resistance.
    """
    intention = usefulness_weight * usefulness + (1.0 - usefulness_weight) * ease
    return np.clip(intention * (1.0 - resistance_damping * resistance), 0.0, 1.0)


def online_effort_factor(
    competency: np.ndarray | float, saving: float, overhead: float
) -> np.ndarray | float:
    """Staff effort of an online request relative to a counter request.

    ``1 + overhead × (1 − c) − saving × c`` for the unit's mean staff digital competency
    ``c``: the saving grows in proportion to competency, and staff with none spend
    ``overhead`` more (wrong uploads fixed by hand, data typed twice). Break-even at
    ``c* = overhead / (overhead + saving)``.
    """
    return 1.0 + overhead * (1.0 - competency) - saving * competency


def maturity_gain(
    maturity: np.ndarray,
    spend_per_post: float,
    cost_scale_per_post: float,
    unit_adoption: np.ndarray,
) -> np.ndarray:
    """Rise in a unit's digital maturity from a year's investment (diminishing returns).

    ``(1 − m) × (1 − exp(−spend / scale)) × adoption``: each rupiah buys less than the one
    before (exponential saturation), the gap left to full maturity shrinks as maturity
    rises, and systems the staff do not use do not mature the service.

    Args:
        maturity: Current digital maturity per unit, 0-1.
        spend_per_post: Rupiah invested per formation post this year.
        cost_scale_per_post: Rupiah per post that closes 1 − 1/e (63%) of the gap at full
            adoption.
        unit_adoption: Mean adoption of each unit's staff, 0-1.
    """
    saturation = 1.0 - np.exp(-spend_per_post / cost_scale_per_post)
    return (1.0 - maturity) * saturation * unit_adoption


def effort_multiplier(
    online_share: np.ndarray, online_factor: np.ndarray, admin_freed: np.ndarray
) -> np.ndarray:
    """Effort per request relative to the scenario's, from the online mix and SIMPEG.

    ``((1 − s) + s × f) / (1 + a)``: a share ``s`` of requests arrives online and costs
    ``f`` times a counter request; SIMPEG/SIASN frees a share ``a`` more of staff hours for
    service, which is the same as each request needing ``1 / (1 + a)`` of the hours.
    """
    return ((1.0 - online_share) + online_share * online_factor) / (1.0 + admin_freed)


def unit_means(unit: np.ndarray, values: np.ndarray, n_units: int, empty: float = 0.0):
    """Mean of ``values`` over each unit's staff; ``empty`` for a unit with no staff."""
    n = np.bincount(unit, minlength=n_units)
    total = np.bincount(unit, weights=values, minlength=n_units)
    out = np.full(n_units, empty, dtype=float)
    np.divide(total, n, out=out, where=n > 0)
    return out


# --------------------------------------------------------------------------- options


class DigitalOptions(BaseModel):
    """Behavioural constants of digitalisation (assumptions, each with its reason)."""

    model_config = ConfigDict(extra="forbid")

    usefulness_weight: float = option(
        0.3,
        "weight",
        "Weight of perceived usefulness in staff adoption; the rest is ease of use "
        "(e-government adoption meta-analysis, beta ~0.29, Administrative Sciences 16(2):83).",
        ge=0,
        le=1,
    )
    resistance_damping: float = option(
        0.5,
        "share",
        "Share of adoption lost at full resistance to change (Oreg, Vakola & Armenakis "
        "2011; assumption).",
        ge=0,
        le=1,
    )
    admin_time_freed: float = option(
        0.05,
        "share of service hours",
        "Service hours gained at full adoption: ~10% of hours on paper leave, attendance and "
        "appraisal files, SIMPEG/SIASN saves about half (Medan, Kupang documents; assumption).",
        ge=0,
        le=1,
    )
    online_share_max: float = option(
        0.6,
        "share of requests",
        "Requests made online at full digital maturity; the share is this times the unit's "
        "maturity (assumption).",
        ge=0,
        le=1,
    )
    online_saving: float = option(
        0.5,
        "share of effort",
        "Effort an online request saves when staff have full digital competency: no counter, "
        "data already entered (assumption).",
        ge=0,
        le=1,
    )
    online_overhead: float = option(
        0.25,
        "share of effort",
        "Extra effort of an online request for staff with no digital competency: wrong "
        "uploads fixed by hand, data typed twice (assumption; break-even competency 1/3).",
        ge=0,
        le=2,
    )
    cost_scale_per_post: float = option(
        1_500_000.0,
        "rupiah per post",
        "Investment per formation post closing 63% of the gap to full maturity at full "
        "adoption; the default budget then gains ~0.05 a year, the pace of the national SPBE "
        "index 2022-24 (2.34 to 3.12 on 1-5; DOMAIN.md).",
        gt=0,
    )


class EGovernmentOptions(DigitalOptions):
    """What the city does: SIMPEG/SIASN, online channels, yearly investment."""

    simpeg: bool = Field(
        True,
        json_schema_extra=planner(
            "The city decides whether personnel administration runs on SIMPEG/SIASN."
        ),
        description="[switch] Personnel administration (leave, attendance, appraisal) runs on "
        "SIMPEG/SIASN (Medan and Kupang documents).",
    )
    online_channels: bool = Field(
        True,
        json_schema_extra=planner("The city decides whether citizens may file requests online."),
        description="[switch] Citizens may file requests online (digital public services, "
        "Medan document).",
    )
    investment_per_post: float = option(
        500_000.0,
        "rupiah/year per formation post",
        "Yearly investment in the units' digital services, spread by formation (assumption: "
        "about Rp 8.4 bn a year for Medan's 16,750 posts).",
        choice=planner("The city's yearly digital budget (APBD).", amount="post"),
        ge=0,
    )
    simpeg_cost_per_employee: float = option(
        60_000.0,
        "rupiah/year per employee",
        "Running cost of SIMPEG (hosting, licences, help desk); SIASN itself is BKN's "
        "(assumption: about Rp 1 bn a year for 15,000 ASN).",
        ge=0,
    )


# --------------------------------------------------------------------------- policies


class DigitalisationPolicy(Policy):
    """Base of digital policies: behavioural constants in :class:`DigitalOptions`.

    Diagnostics (means over units, for the coming year): staff ``adoption``, the
    ``online_share`` of requests and the digital ``maturity``.
    """

    kind = "digital"
    Options = DigitalOptions
    reports = ("adoption", "online_share", "maturity")


@register
class DigitalisationStatusQuo(DigitalisationPolicy):
    """Status quo: this lever is not used (units keep the scenario's effort and maturity)."""

    name = "none"
    Options = NoOptions

    def act(self, gov: Snapshot, do: Actions) -> Result:  # noqa: D102
        maturity = gov.service("digital_maturity")
        return Result(0.0, {"adoption": 0.0, "online_share": 0.0, "maturity": maturity.mean()})


@register
class EGovernment(DigitalisationPolicy):
    """SIMPEG/SIASN, online channels and a yearly investment in digital maturity.

    Each year's end, for the coming year: staff adoption per unit from the current
    maturity, staff digital competency and resistance; investment raises maturity
    (diminishing returns, scaled by adoption); the online share follows the new maturity;
    effort per request is recomputed from the scenario's own effort. Returns the investment
    plus SIMPEG's running cost.
    """

    name = "e_government"
    Options = EGovernmentOptions

    def __init__(self, options: EGovernmentOptions, rng: np.random.Generator):
        super().__init__(options, rng)
        self.last_adoption: np.ndarray | None = None  # per unit, for inspection
        self.last_online_share: np.ndarray | None = None

    def act(self, gov: Snapshot, do: Actions) -> Result:  # noqa: D102 (see the class docstring)
        o: EGovernmentOptions = self.options
        staff, n_units = gov.staff, gov.n_units
        maturity = gov.service("digital_maturity")
        uses = adoption(
            maturity[staff.unit],
            staff.digital,
            staff.resistance,
            o.usefulness_weight,
            o.resistance_damping,
        )
        unit_adoption = unit_means(staff.unit, uses, n_units)
        competency = unit_means(staff.unit, staff.digital, n_units)
        gain = maturity_gain(maturity, o.investment_per_post, o.cost_scale_per_post, unit_adoption)
        maturity = np.minimum(1.0, maturity + gain)
        do.set_service("digital_maturity", maturity)

        if o.online_channels:
            share = o.online_share_max * maturity
            factor = online_effort_factor(competency, o.online_saving, o.online_overhead)
        else:
            share = np.zeros(n_units)
            factor = np.ones(n_units)
        freed = o.admin_time_freed * unit_adoption if o.simpeg else np.zeros(n_units)
        base = gov.baseline("effort_hours")
        do.set_service("effort_hours", base * effort_multiplier(share, factor, freed))
        self.last_adoption = unit_adoption
        self.last_online_share = share

        investment = o.investment_per_post * float(gov.formation.sum())
        running = o.simpeg_cost_per_employee * len(staff) if o.simpeg else 0.0
        return Result(investment + running, self._numbers(unit_adoption, share, maturity))

    @staticmethod
    def _numbers(unit_adoption, share, maturity) -> dict[str, float]:
        return {
            "adoption": float(unit_adoption.mean()),
            "online_share": float(share.mean()),
            "maturity": float(maturity.mean()),
        }
