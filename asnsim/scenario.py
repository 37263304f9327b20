"""Scenario files: schema, YAML loading, ``extends``, dotted overrides, canonical hash.

A scenario names a city profile, the policies with their options, the behavioural
assumptions, the horizon, the seed and a ``scale`` factor. It is validated by pydantic with
unknown keys forbidden; every problem is reported as ``file: key.path: what was found;
what was expected`` through :class:`ScenarioError`.

Every behavioural constant lives in :class:`Assumptions` with a default, a unit and a
one-line reason (the ``description`` of each field), never as a literal in the model code.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

__all__ = [
    "Assumptions",
    "CitySpec",
    "POSITION_TYPES",
    "EDUCATION_LEVELS",
    "FUNCTIONAL_LEVELS",
    "Policies",
    "PolicyChoice",
    "Scenario",
    "ScenarioError",
    "UnitSpec",
    "WorkforceSpec",
    "apply_overrides",
    "load_scenario",
    "scenario_from_dict",
]

POSITION_TYPES = ("jpt", "administrator", "pengawas", "fungsional", "pelaksana")
"""Position types of UU 20/2023: managerial (JPT, administrator, pengawas) and not."""

EDUCATION_LEVELS = ("slta", "d3", "s1", "s2", "s3")
"""Education levels, lowest first (SLTA = upper secondary, D3 diploma, S1/S2/S3 degrees)."""

FUNCTIONAL_LEVELS = ("keterampilan", "ahli_pertama", "ahli_muda", "ahli_madya", "ahli_utama")
"""Levels of functional (fungsional) posts; they set the retirement age (PP 11/2017)."""


class ScenarioError(ValueError):
    """A scenario that cannot be used, with every problem found, each naming file and key."""

    def __init__(self, problems: list[str], source: str | None = None):
        self.problems = problems
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__("\n".join(f"{where}{p}" for p in problems))


class _Strict(BaseModel):
    """Base for every scenario section: unknown keys are errors, values are checked."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


def _share(default: float, reason: str) -> Any:
    return Field(default, ge=0.0, le=1.0, description=f"[share 0-1] {reason}")


def _mix_sums_to_one(name: str, mix: dict[str, float]) -> dict[str, float]:
    total = sum(mix.values())
    if any(v < 0 for v in mix.values()):
        raise ValueError(f"{name} shares must be >= 0, got {mix}")
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"{name} shares must sum to 1, they sum to {total:.6g}")
    return mix


# --------------------------------------------------------------------------- city profile


class UnitSpec(_Strict):
    """A kind of service unit (an OPD or service point), possibly repeated ``count`` times."""

    name: str = Field(min_length=1, description="Unit name, e.g. 'Puskesmas Lubuk Begalung'.")
    sector: str = Field(min_length=1, description="Sector; must be a key of `sectors`.")
    count: int = Field(1, ge=1, description="Number of identical service points of this kind.")
    formation: int = Field(
        gt=0, description="[posts] Staffing formation (posts) of each service point."
    )
    demand_per_day: float = Field(
        ge=0.0, description="[requests/day] Mean citizen requests per day at each point."
    )
    effort_hours: float = Field(gt=0.0, description="[staff hours] Mean work per request.")
    service_standard_days: float = Field(
        gt=0.0, description="[working days] Completion time promised by the service standard."
    )
    digital_maturity: float = _share(0.3, "Digital maturity of the unit's services.")
    facilities: float = _share(0.6, "Quality of facilities (sarana & prasarana), drives U9.")
    complaint_handling: float = _share(0.4, "Complaint-handling capacity, drives U8.")
    fee_burden: float = _share(0.0, "Fees charged relative to what citizens accept; drives U4.")
    staffing_weight: float = Field(
        1.0,
        gt=0.0,
        le=2.0,
        description="[x] Staffing of this unit relative to the city's average fill (1 = average).",
    )
    field_match_share: float | None = Field(
        None, ge=0.0, le=1.0, description="[share] Override of the city's field match share."
    )
    demand_growth: float | None = Field(
        None, ge=-0.5, le=1.0, description="[1/year] Override of the city's demand growth."
    )


class WorkforceSpec(_Strict):
    """Size and make-up of the city's ASN workforce at the start of the run."""

    headcount: int = Field(gt=0, description="[people] ASN employed at the start.")
    pppk_share: float = _share(0.3, "Share of PPPK (contract) staff among the ASN.")
    position_mix: dict[str, float] = Field(
        default_factory=lambda: {
            "jpt": 0.005,
            "administrator": 0.025,
            "pengawas": 0.08,
            "fungsional": 0.51,
            "pelaksana": 0.38,
        },
        description="[shares] Position-type mix; BKN 2021: structural 11%, fungsional 51%, "
        "pelaksana 38%.",
    )
    education_mix: dict[str, float] = Field(
        default_factory=lambda: {"slta": 0.172, "d3": 0.151, "s1": 0.58, "s2": 0.09, "s3": 0.007},
        description="[shares] Education levels; BKN 2021: S1-S3 67.6%, D1-D4 15.1%, SD-SMA 17.2%.",
    )
    functional_level_mix: dict[str, float] = Field(
        default_factory=lambda: {
            "keterampilan": 0.3,
            "ahli_pertama": 0.35,
            "ahli_muda": 0.25,
            "ahli_madya": 0.09,
            "ahli_utama": 0.01,
        },
        description="[shares] Levels of fungsional staff (assumption; sets retirement ages).",
    )
    field_mix: dict[str, float] = Field(
        default_factory=lambda: {
            "health": 0.15,
            "education": 0.2,
            "law": 0.08,
            "economics": 0.17,
            "administration": 0.15,
            "social_science": 0.1,
            "engineering": 0.08,
            "information_technology": 0.04,
            "other": 0.03,
        },
        description="[shares] Fields of study among graduates recruited without regard to need "
        "(assumption).",
    )
    field_match_share: float = _share(
        0.7, "Share of staff whose field of study fits their unit's sector (assumption)."
    )
    age_mean: float = Field(43.0, ge=20, le=60, description="[years] Mean age (assumption).")
    age_sd: float = Field(9.0, gt=0, le=20, description="[years] Age spread (assumption).")
    motivation_mean: float = _share(0.62, "Mean initial motivation (assumption).")
    resistance_mean: float = _share(0.4, "Mean initial resistance to change (assumption).")
    digital_mean: float = _share(0.4, "Mean initial digital competency (assumption).")

    @field_validator("position_mix")
    @classmethod
    def _positions(cls, v: dict[str, float]) -> dict[str, float]:
        _known_keys("position_mix", v, POSITION_TYPES)
        return _mix_sums_to_one("position_mix", v)

    @field_validator("education_mix")
    @classmethod
    def _education(cls, v: dict[str, float]) -> dict[str, float]:
        _known_keys("education_mix", v, EDUCATION_LEVELS)
        return _mix_sums_to_one("education_mix", v)

    @field_validator("functional_level_mix")
    @classmethod
    def _functional(cls, v: dict[str, float]) -> dict[str, float]:
        _known_keys("functional_level_mix", v, FUNCTIONAL_LEVELS)
        return _mix_sums_to_one("functional_level_mix", v)

    @field_validator("field_mix")
    @classmethod
    def _fields(cls, v: dict[str, float]) -> dict[str, float]:
        return _mix_sums_to_one("field_mix", v)


def _known_keys(name: str, mix: dict[str, float], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(mix) - set(allowed))
    if unknown:
        raise ValueError(f"{name} has unknown keys {unknown}; expected some of {list(allowed)}")


class CitySpec(_Strict):
    """A local government (pemda): its people, its service units and its citizens' demand."""

    name: str = Field(min_length=1, description="Name of the city or regency.")
    province: str = Field("", description="Province.")
    population: int = Field(gt=0, description="[people] Population (cite the source).")
    source: str = Field("", description="Where the figures come from; what is assumed.")
    demand_growth: float = Field(
        0.02, ge=-0.5, le=1.0, description="[1/year] Growth of citizen demand per year."
    )
    seasonality: float = Field(
        0.1, ge=0.0, lt=1.0, description="[share] Amplitude of the yearly demand cycle."
    )
    workforce: WorkforceSpec = Field(description="Who works there (section city.workforce).")
    units: list[UnitSpec] = Field(min_length=1, description="Service units of the city.")


# --------------------------------------------------------------------------- policies


class PolicyChoice(_Strict):
    """A policy picked by name, with options checked against the policy's own schema."""

    name: str
    options: dict[str, Any] = Field(default_factory=dict)


class Policies(_Strict):
    """The policy chosen for each lever; each name must be in that lever's registry."""

    placement: PolicyChoice = Field(default_factory=lambda: PolicyChoice(name="seniority"))
    training: PolicyChoice = Field(default_factory=lambda: PolicyChoice(name="none"))
    recruitment: PolicyChoice = Field(default_factory=lambda: PolicyChoice(name="status_quo"))
    appraisal: PolicyChoice = Field(default_factory=lambda: PolicyChoice(name="status_quo"))
    change: PolicyChoice = Field(default_factory=lambda: PolicyChoice(name="none"))
    digital: PolicyChoice = Field(default_factory=lambda: PolicyChoice(name="none"))
    participation: PolicyChoice = Field(default_factory=lambda: PolicyChoice(name="none"))

    @model_validator(mode="after")
    def _known_policies(self) -> Policies:
        from asnsim.policies import validate_choice

        problems = []
        for kind in type(self).model_fields:
            choice = getattr(self, kind)
            try:
                choice.options = validate_choice(kind, choice.name, choice.options)
            except ValueError as err:
                problems.append(f"{kind}: {err}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class TrainingProgramSpec(_Strict):
    """An entry of the training catalogue (used by the training policies)."""

    name: str = Field(min_length=1)
    target: str = Field(description="A sector name, 'digital' or 'managerial'.")
    mode: Literal["classroom", "workshop", "e_learning", "coaching", "partnership"] = "classroom"
    jp: float = Field(gt=0, description="[JP] Length in jam pelajaran (1 JP = 45 minutes).")
    cost_per_seat: float = Field(ge=0, description="[rupiah] Cost of one participant.")
    seats_per_cohort: int = Field(gt=0, description="[people] Seats in one cohort.")
    cohorts_per_year: int = Field(1, ge=0, description="[cohorts/year] Cohorts offered a year.")
    effectiveness: float = Field(
        1.0, ge=0, le=2, description="[x] Multiplier on the mean training effect."
    )


class TrainingSpec(_Strict):
    """Yearly training budget and programme catalogue."""

    budget_per_year: float = Field(0.0, ge=0, description="[rupiah/year] Training budget.")
    programs: list[TrainingProgramSpec] = Field(default_factory=list)


# --------------------------------------------------------------------------- assumptions


def _a(default: float, unit: str, reason: str, **bounds: float) -> Any:
    return Field(default, description=f"[{unit}] {reason}", **bounds)


class ElementResponse(_Strict):
    """How an SKM element's expected score follows its driver: q = intercept + slope × driver.

    The expected score of the element is 1 + 3q (scores run 1-4), q clipped to [0, 1].
    """

    intercept: float = Field(ge=-1, le=1)
    slope: float = Field(ge=-2, le=2)


def _default_elements() -> dict[str, ElementResponse]:
    # Calibrated so a typical unit scores an IKM of about 78-88 (DOMAIN.md, IKM baselines).
    values = {
        "U1": (0.60, 0.30),  # requirements: clearer when published online (digital maturity)
        "U2": (0.55, 0.35),  # procedure: simpler with digital channels (digital maturity)
        "U3": (0.05, 0.90),  # completion time: the driver is the wait curve (u3_* assumptions)
        "U4": (0.90, -0.60),  # cost: fees felt as a burden lower the score
        "U5": (0.92, -1.50),  # product: errors that need rework lower the score
        "U6": (0.25, 0.65),  # competence: staff competency in the unit's sector
        "U7": (0.30, 0.60),  # behaviour: staff motivation
        "U8": (0.45, 0.45),  # complaint handling capacity
        "U9": (0.40, 0.45),  # facilities and their digital support
    }
    return {k: ElementResponse(intercept=i, slope=s) for k, (i, s) in values.items()}


class Assumptions(_Strict):
    """Behavioural constants. Each is an assumption: default, unit and reason in its text."""

    hours_per_day: float = _a(
        7.5, "hours/day", "Working hours: 37.5 h a week for ASN (Perpres 21/2023).", gt=0, le=12
    )
    service_share: dict[str, float] = Field(
        default_factory=lambda: {
            "jpt": 0.05,
            "administrator": 0.25,
            "pengawas": 0.5,
            "fungsional": 0.8,
            "pelaksana": 0.8,
        },
        description="[share] Share of hours spent on the unit's citizen services by position "
        "type; managers mostly manage (assumption).",
    )
    absence_rate: float = _a(
        0.06,
        "share",
        "Days away on leave or sick: 12 leave days of 250 plus sickness.",
        ge=0,
        le=1,
    )
    ramp_start: float = _a(
        0.4,
        "x",
        "Productivity of a newcomer on day one relative to a proficient peer.",
        ge=0,
        le=1,
    )
    ramp_days: float = _a(
        80.0,
        "working days",
        "Newcomers reach full productivity in 3-5 months (Rollag 2005).",
        gt=0,
    )
    competency_by_education: dict[str, float] = Field(
        default_factory=lambda: {"slta": 0.3, "d3": 0.38, "s1": 0.42, "s2": 0.46, "s3": 0.5},
        description="[0-1] Technical competency in any sector from general schooling "
        "(assumption; the floor that never decays).",
    )
    field_match_bonus: float = _a(
        0.25, "0-1", "Extra lasting competency in sectors matching one's field (assumption).", ge=0
    )
    mismatch_ceiling: float = _a(
        0.85,
        "0-1",
        "Competency a mismatched employee can reach by practice; 0.75-0.90 (Yuen 2010; "
        "Nordin et al. 2010).",
        ge=0,
        le=1,
    )
    learning_half_life_days: float = _a(
        250.0, "working days", "Practice closes half the gap to the ceiling in a year.", gt=0
    )
    skill_half_life_days: float = _a(
        200.0,
        "working days",
        "Unused skill loses half its excess over the floor in 6.5-13 months (Arthur et al. 1998).",
        gt=0,
    )
    competency_sd: float = _a(
        0.08, "0-1", "Individual spread of initial competency.", ge=0, le=0.5
    )
    motivation_sd: float = _a(0.1, "0-1", "Individual spread of initial motivation.", ge=0, le=0.5)
    motivation_rate: float = _a(
        0.01,
        "1/day",
        "Daily pull of motivation toward its target (~70-day half-life).",
        ge=0,
        le=1,
    )
    motivation_target: float = _a(
        0.65,
        "0-1",
        "Reference motivation: productivity and exit hazard are normal here; each employee "
        "settles at their own level (city mean ± spread) less overload (assumption).",
        ge=0,
        le=1,
    )
    overload_weight: float = _a(
        0.15,
        "0-1 per day of backlog",
        "Motivation lost per standard-day of backlog above one (assumption).",
        ge=0,
        le=1,
    )
    motivation_productivity: float = _a(
        0.5,
        "x per unit",
        "Productivity = 1 + this × (motivation − target); effort ±0.15 SD (Hasnain et al. 2012).",
        ge=0,
        le=2,
    )
    patience_multiple: float = _a(
        3.0,
        "x standard",
        "Citizens' mean patience in multiples of the service standard (Zohar et al. 2002).",
        gt=0,
    )
    patience_shape: float = _a(
        1.5, "Weibull shape", "Hazard of giving up rises with the wait (Gans et al. 2003).", gt=0
    )
    queue_max_days: int = Field(
        60,
        ge=5,
        le=1000,
        description="[working days] Longest wait tracked one day at a time; longer waits share "
        "the last day (numerical, not behavioural).",
    )
    error_rate_novice: float = _a(
        0.25, "share", "Share of requests served wrongly by a zero-competency server.", ge=0, le=1
    )
    error_rate_expert: float = _a(
        0.02, "share", "Share of requests served wrongly by a fully competent server.", ge=0, le=1
    )
    rework_return_share: float = _a(
        0.7, "share", "Share of wrongly served citizens who come back (rework).", ge=0, le=1
    )
    digital_support: float = _a(
        0.2,
        "x",
        "Extra productivity at full unit digital maturity and employee digital competency.",
        ge=0,
        le=2,
    )
    managerial_effect: float = _a(
        0.1,
        "x per unit",
        "A unit's productivity × (1 + this × (its managers' mean managerial competency − 0.5)); "
        "management practices go with output in civil services (Rasul & Rogger 2018, "
        "Economic Journal 128).",
        ge=0,
        le=1,
    )
    pns_exit_rate: float = _a(
        0.005, "1/year", "Voluntary PNS exits 0.5%/year (0.2-1%; BLS JOLTS analogue).", ge=0, le=1
    )
    pppk_exit_rate: float = _a(
        0.03, "1/year", "PPPK exits and non-renewals 2-5%/year (assumption).", ge=0, le=1
    )
    exit_motivation_elasticity: float = _a(
        3.0,
        "1/unit",
        "Exit hazard × exp(−this × (motivation − target)); satisfaction-intention r≈−0.5.",
        ge=0,
        le=20,
    )
    promotion_interval_years: int = Field(
        4, ge=1, le=10, description="[years] Regular rank promotion every 4 years (PP 99/2000)."
    )
    newcomer_age_mean: float = _a(27.0, "years", "Mean age of recruits (assumption).", ge=18)
    newcomer_age_sd: float = _a(3.5, "years", "Age spread of recruits (assumption).", ge=0)
    u3_tolerance: float = _a(
        1.8,
        "x standard",
        "Wait, in multiples of the standard, at which U3 satisfaction halves (Maister 1985).",
        gt=0,
    )
    u3_steepness: float = _a(
        2.5, "-", "How sharply U3 satisfaction falls past tolerance (assumption).", gt=0
    )
    elements: dict[str, ElementResponse] = Field(
        default_factory=_default_elements,
        description="[q = intercept + slope × driver] SKM element responses; calibrated to "
        "IKM 78-88 (DOMAIN.md baselines).",
    )
    survey_max_respondents: int = Field(
        400,
        ge=1,
        description="[people] Respondents per unit per semester at most (Krejcie-Morgan "
        "needs at most 384).",
    )

    @field_validator("service_share")
    @classmethod
    def _service_share(cls, v: dict[str, float]) -> dict[str, float]:
        missing = sorted(set(POSITION_TYPES) - set(v))
        _known_keys("service_share", v, POSITION_TYPES)
        if missing:
            raise ValueError(f"service_share misses {missing}")
        if any(not 0 <= x <= 1 for x in v.values()):
            raise ValueError("service_share values must be within 0-1")
        return v

    @field_validator("competency_by_education")
    @classmethod
    def _comp_edu(cls, v: dict[str, float]) -> dict[str, float]:
        missing = sorted(set(EDUCATION_LEVELS) - set(v))
        _known_keys("competency_by_education", v, EDUCATION_LEVELS)
        if missing:
            raise ValueError(f"competency_by_education misses {missing}")
        return v

    @field_validator("elements")
    @classmethod
    def _elements(cls, v: dict[str, ElementResponse]) -> dict[str, ElementResponse]:
        expected = [f"U{i}" for i in range(1, 10)]
        if sorted(v) != expected:
            raise ValueError(f"elements must have exactly the keys {expected}, got {sorted(v)}")
        return {k: v[k] for k in expected}


def _default_sectors() -> dict[str, list[str]]:
    return {
        "health": ["health"],
        "education": ["education"],
        "civil_registry": ["law", "administration", "information_technology"],
        "licensing": ["law", "economics", "administration"],
        "social": ["social_science", "health"],
        "public_works": ["engineering"],
        "administration": ["administration", "economics", "law", "social_science"],
    }


# --------------------------------------------------------------------------- scenario


class Scenario(_Strict):
    """A complete, validated scenario: what to simulate, under which policies and assumptions."""

    name: str = Field(min_length=1, description="Short name of the scenario.")
    description: str = Field("", description="What the scenario asks.")
    seed: int = Field(0, ge=0, description="Master seed; every random stream derives from it.")
    horizon_years: int = Field(10, ge=1, le=100, description="[years] Simulated years.")
    days_per_year: int = Field(250, ge=10, le=366, description="[days] Working days a year.")
    scale: float = Field(
        1.0, gt=0.0, le=10.0, description="[x] Shrinks headcount, formation and demand together."
    )
    sectors: dict[str, list[str]] = Field(
        default_factory=_default_sectors,
        description="Sectors and the fields of study that qualify for each.",
    )
    city: CitySpec = Field(description="The city profile (section city).")
    policies: Policies = Field(
        default_factory=Policies, description="The lever chosen for each kind (section policies)."
    )
    training: TrainingSpec = Field(
        default_factory=TrainingSpec,
        description="Training budget and catalogue (section training).",
    )
    assumptions: Assumptions = Field(
        default_factory=Assumptions, description="Behavioural assumptions (section assumptions)."
    )
    uncertainties: dict[str, tuple[float, float]] = Field(
        default_factory=dict,
        description="Uncertain assumptions for sensitivity analysis: dotted key → [low, high] "
        "(e.g. assumptions.mismatch_ceiling: [0.75, 0.9], DOMAIN.md's ranges).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        data = self.model_dump(mode="json")
        problems = cross_field_problems(data)
        for key, (low, high) in self.uncertainties.items():
            if not low < high:
                problems.append(f"uncertainties.{key}: got [{low}, {high}]; expected low < high")
                continue
            node: Any = data
            for part in key.split("."):
                node = (
                    node[int(part)]
                    if isinstance(node, list) and part.isdigit()
                    else (node.get(part) if isinstance(node, dict) else None)
                )
            if not isinstance(node, int | float) or isinstance(node, bool):
                problems.append(
                    f"uncertainties.{key}: not a numeric key of the scenario; expected a dotted "
                    "path such as assumptions.mismatch_ceiling"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def canonical(self) -> dict[str, Any]:
        """The scenario as plain data with every default filled in (what the hash covers)."""
        return self.model_dump(mode="json")

    def canonical_json(self) -> str:
        """Canonical JSON text: sorted keys, no spaces; stable across runs and machines."""
        return json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"))

    def hash(self) -> str:
        """SHA-256 of the canonical JSON, stored with every result."""
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()

    def with_overrides(self, overrides: dict[str, Any] | list[str]) -> Scenario:
        """A copy with dotted overrides applied, e.g. ``{"city.scale": 0.05}``."""
        data = apply_overrides(self.canonical(), overrides)
        return scenario_from_dict(data)

    @property
    def sector_names(self) -> list[str]:
        """Sectors in use by the city's units, in their order of first appearance."""
        return list(dict.fromkeys(u.sector for u in self.city.units))


# --------------------------------------------------------------------------- checks on plain data


def _get(data: Any, *path: str | int) -> Any:
    for key in path:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


def cross_field_problems(data: dict[str, Any]) -> list[str]:
    """Problems that involve several keys, found in plain scenario data.

    Tolerant of missing or mistyped keys (those are reported by the schema), so it can run
    next to the schema's own checks and every problem of a file is reported at once.
    """
    problems: list[str] = []
    sectors = _get(data, "sectors")
    if not isinstance(sectors, dict):
        sectors = _default_sectors()
    units = _get(data, "city", "units")
    units = units if isinstance(units, list) else []
    for i, unit in enumerate(units):
        sector = _get(unit, "sector")
        if isinstance(sector, str) and sector not in sectors:
            problems.append(
                f"city.units.{i}.sector: got '{sector}'; expected one of {sorted(sectors)}"
            )
    field_mix = _get(data, "city", "workforce", "field_mix")
    fields = (
        set(field_mix)
        if isinstance(field_mix, dict)
        else set(WorkforceSpec.model_fields["field_mix"].default_factory())
    )
    for sector, qualifying in sectors.items():
        if isinstance(qualifying, list):
            unknown = sorted(set(map(str, qualifying)) - fields)
            if unknown:
                problems.append(
                    f"sectors.{sector}: fields {unknown} are not in city.workforce.field_mix; "
                    f"expected some of {sorted(fields)}"
                )
    programs = _get(data, "training", "programs")
    targets = set(sectors) | {"digital", "managerial"}
    for i, program in enumerate(programs if isinstance(programs, list) else []):
        target = _get(program, "target")
        if isinstance(target, str) and target not in targets:
            problems.append(
                f"training.programs.{i}.target: got '{target}'; expected one of {sorted(targets)}"
            )
    headcount = _get(data, "city", "workforce", "headcount")
    sizes = [(_get(u, "formation"), _get(u, "count") or 1) for u in units]
    if (
        isinstance(headcount, int)
        and sizes
        and all(isinstance(f, int) and isinstance(c, int) for f, c in sizes)
    ):
        formation = sum(f * c for f, c in sizes)
        if headcount > formation:
            problems.append(
                f"city.workforce.headcount: got {headcount}; expected at most the total "
                f"formation {formation} of city.units"
            )
    return problems


def policy_problems(data: dict[str, Any]) -> list[str]:
    """Every problem of the policy choices in plain scenario data, with full key paths."""
    from asnsim.policies import choice_problems

    problems = []
    policies = _get(data, "policies")
    if not isinstance(policies, dict):
        return problems
    for kind in Policies.model_fields:
        choice = policies.get(kind)
        if isinstance(choice, dict) and "name" in choice:
            problems += [
                f"policies.{kind}.{p}"
                for p in choice_problems(kind, choice["name"], choice.get("options", {}))
            ]
    return problems


# --------------------------------------------------------------------------- loading


def _format_validation_error(err: ValidationError) -> list[str]:
    problems = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"])
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            problems.append(f"{loc}: unknown key (not part of the scenario schema)")
            continue
        if e["type"] == "missing":
            problems.append(f"{loc}: required key is missing")
            continue
        value = e.get("input")
        shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
        if len(shown) > 60:
            shown = shown[:57] + "..."
        msg = msg.removeprefix("Value error, ")
        problems.append(f"{loc}: got {shown}; {msg}" if loc else msg)
    return problems


def scenario_from_dict(data: dict[str, Any], source: str | None = None) -> Scenario:
    """Validate plain data as a :class:`Scenario`, reporting every problem at once.

    Args:
        data: The scenario as nested dicts (``extends`` already resolved).
        source: File name to name in error messages.

    Raises:
        ScenarioError: Naming every invalid key path, the value and what was expected.
    """
    if not isinstance(data, dict):
        raise ScenarioError(
            [f"expected a mapping at the top level, got {type(data).__name__}"], source
        )
    extra = policy_problems(data) + cross_field_problems(data)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        # the schema's whole-model checks (loc "" or "policies") repeat ``extra``'s findings
        field_errors = [e for e in err.errors() if e["loc"] not in ((), ("policies",))]
        schema = (
            _format_validation_error(ValidationError.from_exception_data(err.title, field_errors))
            if field_errors
            else []
        )
        if not extra and not schema:
            schema = _format_validation_error(err)
        raise ScenarioError(schema + extra, source) from None
    if extra:
        raise ScenarioError(extra, source)
    return scenario


def _read_yaml(path: Path, chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    if not path.is_file():
        raise ScenarioError([f"no such scenario file: {path}"], str(path))
    if path in chain:
        raise ScenarioError([f"extends: circular chain {' -> '.join(map(str, chain))}"], str(path))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ScenarioError([f"{where}malformed YAML ({problem})"], str(path)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(
            [f"expected a mapping of keys at the top level, got {type(data).__name__}"], str(path)
        )
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError([f"extends: expected a file name, got {parent!r}"], str(path))
    parent_path = (path.parent / parent).resolve()
    if not parent_path.is_file():
        raise ScenarioError(
            [f"extends: no such file {parent} (looked for {parent_path})"], str(path)
        )
    base = _read_yaml(parent_path, (*chain, path))
    return deep_merge(base, data)


def deep_merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """Merge ``update`` into a copy of ``base``: mappings merge key by key, the rest replaces.

    A list can be patched item by item with a mapping of indices, e.g. in a variant file
    ``city: {units: {3: {staffing_weight: 0.5}}}`` changes the fourth unit only.
    """
    out = copy.deepcopy(base)
    for key, value in update.items():
        here = out.get(key)
        if isinstance(value, dict) and isinstance(here, dict):
            out[key] = deep_merge(here, value)
        elif isinstance(value, dict) and isinstance(here, list) and _is_index_map(value, here):
            for index, patch in value.items():
                i = int(index)
                if isinstance(patch, dict) and isinstance(here[i], dict):
                    here[i] = deep_merge(here[i], patch)
                else:
                    here[i] = copy.deepcopy(patch)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _is_index_map(patch: dict[Any, Any], items: list[Any]) -> bool:
    return all(str(k).isdigit() and int(k) < len(items) for k in patch)


def _parse_override(item: str) -> tuple[str, Any]:
    if "=" not in item:
        raise ScenarioError([f"override '{item}': expected KEY=VALUE, e.g. seed=3"])
    key, text = item.split("=", 1)
    if text.strip().isdigit():
        return key.strip(), int(text)  # decimal, even with leading zeros (YAML reads octal)
    try:
        value = yaml.safe_load(text) if text.strip() else ""
    except yaml.YAMLError:
        value = text
    return key.strip(), value


def apply_overrides(data: dict[str, Any], overrides: dict[str, Any] | list[str]) -> dict[str, Any]:
    """Apply dotted overrides to scenario data; list items are addressed by index.

    Args:
        data: Scenario data (not modified).
        overrides: ``{"policies.placement.name": "random"}`` or ``["seed=3", ...]``; string
            values are parsed as YAML, so ``scale=0.05`` gives a float.

    Raises:
        ScenarioError: If a path runs through something that is not a mapping or list.
    """
    out = copy.deepcopy(data)
    items = (
        [_parse_override(o) for o in overrides]
        if isinstance(overrides, list)
        else list(overrides.items())
    )
    keys = [k for k, _ in items]
    for key, value in items:
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "policies" and parts[2] == "name":
            choice = _get(out, "policies", parts[1])
            renamed = isinstance(choice, dict) and choice.get("name") != value
            if renamed and not any(k.startswith(f"policies.{parts[1]}.options") for k in keys):
                choice["options"] = {}
    for key, value in items:
        parts = key.split(".")
        node: Any = out
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            here = ".".join(parts[: depth + 1])
            if isinstance(node, list):
                if not part.isdigit() or int(part) >= len(node):
                    raise ScenarioError(
                        [f"override {key}: {here} is not an index of a list of {len(node)}"]
                    )
                if last:
                    node[int(part)] = value
                else:
                    node = node[int(part)]
            elif isinstance(node, dict):
                if last:
                    node[part] = value
                else:
                    node = node.setdefault(part, {})
            else:
                raise ScenarioError(
                    [f"override {key}: {'.'.join(parts[:depth])} holds a value, not a mapping"]
                )
    return out


def load_scenario(
    path: str | Path, overrides: dict[str, Any] | list[str] | None = None, **kwargs: Any
) -> Scenario:
    """Load, merge (``extends``), override and validate a scenario file.

    Overrides apply to the scenario with its defaults filled in, so one key of a section the
    file leaves to its defaults changes that key only. Naming another policy
    (``policies.placement.name``) drops the old policy's options unless options are given too.

    Args:
        path: YAML file.
        overrides: Dotted overrides as a dict or a list of ``KEY=VALUE`` strings.
        **kwargs: Further overrides; use ``__`` for dots, e.g. ``policies__placement__name=
            "random"``, or plain top-level keys such as ``seed=3``, ``scale=0.05``.

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: For a missing file, malformed YAML or any invalid key, naming the
            file, the key path, the value and what was expected.
    """
    path = Path(path)
    source = str(path)
    data = _read_yaml(path.resolve() if path.exists() else path)
    try:
        merged: dict[str, Any] = {}
        if isinstance(overrides, list):
            merged.update(dict(_parse_override(o) for o in overrides))
        elif overrides:
            merged.update(overrides)
        merged.update({k.replace("__", "."): v for k, v in kwargs.items()})
        if merged:
            # fill in defaults first; if the file itself is invalid its problems are
            # reported below, with the overrides applied to it as written
            with contextlib.suppress(ValidationError):
                data = Scenario.model_validate(data).canonical()
            data = apply_overrides(data, merged)
    except ScenarioError as err:
        raise ScenarioError(err.problems, source) from None
    return scenario_from_dict(data, source)
