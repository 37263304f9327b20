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
import math
import types
import typing
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from asnsim.catalog import SCENARIOS_DIR, is_scenario_name, resolve_scenario
from asnsim.people import age_band_bounds
from asnsim.policies import REGISTRY, choice_problems, planner, validate_choice
from asnsim.policies.levers import LEVERS
from asnsim.priors import Prior, UncertaintyValue, as_prior
from asnsim.vocab import (  # re-exported: the schema's vocabulary
    EDUCATION_LEVELS,
    FUNCTIONAL_LEVELS,
    MANAGERIAL_POSITIONS,
    POSITION_TYPES,
    RANK_NAMES,
    TRAINING_MODES,
)

__all__ = [
    "Assumptions",
    "CitySpec",
    "Formasi",
    "POSITION_TYPES",
    "RANK_NAMES",
    "EDUCATION_LEVELS",
    "FUNCTIONAL_LEVELS",
    "MANAGERIAL_POSITIONS",
    "Policies",
    "PolicyChoice",
    "Scenario",
    "ScenarioError",
    "UnitSpec",
    "WorkforceSpec",
    "age_band_bounds",
    "apply_overrides",
    "format_validation_error",
    "load_scenario",
    "parse_override",
    "policies_model",
    "read_yaml_file",
    "rebuild_policies",
    "scenario_from_dict",
]


class ScenarioError(ValueError):
    """A scenario that cannot be used, with every problem found, each naming file and key."""

    def __init__(self, problems: list[str], source: str | None = None):
        self.problems = problems
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__("\n".join(f"{where}{p}" for p in problems))


class _Strict(BaseModel):
    """Base for every scenario section: unknown keys are errors, values are checked.

    Numbers must be finite (no NaN or infinity) and a boolean is never taken for a number
    (``seed: true`` is refused, not read as 1).
    """

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, frozen=False, allow_inf_nan=False
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_number(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and _bool_for_number(value, field.annotation):
            raise ValueError("expected a number, not a boolean (true/false)")
        return value


@cache
def _numeric(annotation: Any) -> bool:
    """Whether a value of this type may be a number but not a boolean."""
    if annotation in (int, float):
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = typing.get_args(annotation)
        return bool not in args and any(_numeric(a) for a in args)
    return False


def _bool_for_number(value: Any, annotation: Any) -> bool:
    """Whether ``value`` holds a boolean where ``annotation`` wants a number (one level in)."""
    if isinstance(value, bool):
        return _numeric(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is dict and isinstance(value, dict) and len(args) == 2:
        return any(_bool_for_number(v, args[1]) for v in value.values())
    if origin in (list, tuple) and isinstance(value, list | tuple) and args:
        return any(_bool_for_number(v, args[0]) for v in value)
    return False


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
    attribute_spread: float | None = Field(
        None,
        ge=0.0,
        lt=1.0,
        description="[share] Override of assumptions.unit_attribute_spread for this kind of "
        "unit; 0 keeps its digital_maturity, facilities, complaint_handling and fee_burden "
        "exactly as given.",
    )
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


class Formasi(_Strict):
    """One year's recruitment volumes (formasi), at full scale."""

    pns: int = Field(0, ge=0, description="[people] CPNS taken on.")
    pppk: int = Field(0, ge=0, description="[people] PPPK taken on.")


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
    position_mix_by_sector: dict[str, dict[str, float]] = Field(
        default_factory=lambda: {
            "education": {"pengawas": 0.02, "fungsional": 0.88, "pelaksana": 0.10},
            "health": {
                "administrator": 0.01,
                "pengawas": 0.04,
                "fungsional": 0.75,
                "pelaksana": 0.20,
            },
        },
        description="[shares] Position-type mix of the units of a sector (sectors not named "
        "use position_mix). Schools are mostly teachers on functional posts, health units "
        "mostly health functionals (OBSERVED.md §1.4-1.5: Padang 2021, 3,476 teachers and "
        "1,141 health functionals of 8,671 ASN; teachers 42.6% of ASN in 2024); the shares "
        "within a sector are an assumption.",
    )
    teacher_sectors: list[str] = Field(
        default_factory=lambda: ["education"],
        description="Sectors whose functional staff are teachers (guru), who retire at 60 "
        "(UU 14/2005 art. 30(4)); must be keys of `sectors`.",
    )
    age_bands: dict[str, float] = Field(
        default_factory=lambda: {"19_30": 0.09, "31_40": 0.24, "41_50": 0.33, "51_60": 0.34},
        description="[shares] Starting ages by band of completed years ('low_high', uniform "
        "within a band, below each person's BUP). National PNS, 30 Jun 2023: 51-60 34%, "
        "41-50 33%, 31-40 24%, the rest (about 9%) 30 or younger (OBSERVED.md §1.2).",
    )
    formasi: dict[int, Formasi] = Field(
        default_factory=dict,
        description="Recruitment volumes (formasi) by simulated year (1 = the first year's "
        "end), at full scale, e.g. {3: {pns: 0, pppk: 2825}} for a PPPK wave (OBSERVED.md "
        "§1.7); they replace the recruitment quota in those years. Empty: the quota.",
    )
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

    @field_validator("position_mix_by_sector")
    @classmethod
    def _sector_positions(cls, v: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for sector, mix in v.items():
            _known_keys(f"position_mix_by_sector.{sector}", mix, POSITION_TYPES)
            _mix_sums_to_one(f"position_mix_by_sector.{sector}", mix)
        return v

    @field_validator("age_bands")
    @classmethod
    def _age_bands(cls, v: dict[str, float]) -> dict[str, float]:
        bands = sorted(age_band_bounds(k) for k in v)
        for (_, high), (low, _) in zip(bands, bands[1:], strict=False):
            if low < high:
                raise ValueError(f"age_bands overlap: {sorted(v)}")
        return _mix_sums_to_one("age_bands", v)

    @field_validator("formasi")
    @classmethod
    def _formasi_years(cls, v: dict[int, Formasi]) -> dict[int, Formasi]:
        early = sorted(y for y in v if y < 1)
        if early:
            raise ValueError(
                f"formasi years {early}: expected simulated years from 1 (the first year's end)"
            )
        return v


def _known_keys(name: str, mix: dict[str, float], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(mix) - set(allowed))
    if unknown:
        raise ValueError(f"{name} has unknown keys {unknown}; expected some of {list(allowed)}")


SurveyRegime = Literal["unit_run", "university", "independent"]
"""Who runs a city's SKM surveys (``city.survey_regime``)."""


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
    survey_regime: SurveyRegime = Field(
        "independent",
        description="Who runs the units' SKM: 'unit_run' (the unit itself), 'university' (a "
        "university partner, e.g. an LPPM) or 'independent' (an independent surveyor, the "
        "model's reference); the first two answer more kindly "
        "(assumptions.survey_shift_unit_run, survey_shift_university; OBSERVED.md §2.2).",
    )
    workforce: WorkforceSpec = Field(description="Who works there (section city.workforce).")
    units: list[UnitSpec] = Field(min_length=1, description="Service units of the city.")


# --------------------------------------------------------------------------- policies


class PolicyChoice(_Strict):
    """A policy picked by name, with options checked against the policy's own schema."""

    name: str
    options: dict[str, Any] = Field(default_factory=dict)


def _check_policies(self: BaseModel) -> BaseModel:
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


def policies_model() -> type[BaseModel]:
    """The ``policies`` section's schema, built from the lever table.

    One field per row of :data:`~asnsim.policies.levers.LEVERS`, in the table's (yearly)
    order, defaulting to the lever's status-quo policy; each name must be in that lever's
    registry and its options valid for that policy.
    """
    fields: dict[str, Any] = {
        row.kind: (
            PolicyChoice,
            Field(
                default_factory=lambda d=row.default: PolicyChoice(name=d),
                description=f"The {row.kind} policy (default {row.default}).",
            ),
        )
        for row in LEVERS
    }
    return create_model(
        "Policies",
        __base__=_Strict,
        __doc__="The policy chosen for each lever; each name must be in that lever's registry.",
        __validators__={"_known_policies": model_validator(mode="after")(_check_policies)},
        **fields,
    )


Policies = policies_model()


def rebuild_policies() -> None:
    """Rebuild the ``policies`` schema after ``LEVERS`` changed at run time.

    The built-in levers need no call (the schema is built from the table at import); a lever
    added while the program runs (a plugin, a test) does.
    """
    global Policies
    Policies = policies_model()
    field = Scenario.model_fields["policies"]
    field.annotation = Policies
    field.default_factory = Policies
    Scenario.model_rebuild(force=True)


class TrainingProgramSpec(_Strict):
    """An entry of the training catalogue (used by the training policies)."""

    name: str = Field(min_length=1)
    target: str = Field(description="A sector name, 'digital' or 'managerial'.")
    mode: Literal[TRAINING_MODES] = Field(
        "classroom", description="Form of development (PerLAN 10/2018), see vocab.TRAINING_MODES."
    )
    jp: float = Field(gt=0, description="[JP] Length in jam pelajaran (1 JP = 45 minutes).")
    cost_per_seat: float = Field(ge=0, description="[rupiah] Cost of one participant.")
    seats_per_cohort: int = Field(gt=0, description="[people] Seats in one cohort.")
    cohorts_per_year: int = Field(1, ge=0, description="[cohorts/year] Cohorts offered a year.")
    effectiveness: float = Field(
        1.0, ge=0, le=2, description="[x] Multiplier on the mean training effect."
    )


def _default_routine_forms() -> dict[str, float]:
    return {"e_learning": 8.0, "coaching": 4.0, "mentoring": 4.0, "seminar": 4.0}


class RoutineDevelopmentSpec(_Strict):
    """Development staff get every year outside the catalogue (the status quo's JP).

    Every training strategy but ``none`` gives it; its cost is not in the training budget.
    """

    share: float = Field(
        0.35,
        ge=0,
        le=1,
        description="[share of staff/year] Staff who get their JP through routine forms: LAN "
        "reports 35.23 % of ASN meeting competency standards in 2022 (OBSERVED.md §3), the proxy "
        "calibration target national_competency_fulfilment_2022.",
    )
    forms: dict[Literal[TRAINING_MODES], float] = Field(
        default_factory=_default_routine_forms,
        description="[JP/year by form] JP of each routine form a participant gets; they sum to "
        "the 20 JP right (PP 11/2017 art. 203(4)) through e-learning, coaching, mentoring and "
        "seminars (PerLAN 10/2018; the split is an assumption).",
    )
    effectiveness: float = Field(
        0.5,
        ge=0,
        le=2,
        description="[x] Effect of routine development relative to a designed programme "
        "(assumption: untargeted, no needs analysis; range 0.25-1).",
    )
    cohorts_per_year: int = Field(
        12,
        ge=1,
        le=250,
        description="[groups/year] Participants are split into this many groups, each away on "
        "its own dates (assumption: monthly).",
    )

    @field_validator("forms")
    @classmethod
    def _forms(cls, v: dict[str, float]) -> dict[str, float]:
        bad = {k: jp for k, jp in v.items() if not (jp >= 0 and math.isfinite(jp))}
        if bad:
            raise ValueError(f"JP per form must be finite and >= 0, got {bad}")
        return v


class TrainingSpec(_Strict):
    """Yearly training budget, programme catalogue and routine development."""

    budget_per_year: float = Field(
        0.0,
        ge=0,
        description="[rupiah/year] Training budget.",
        json_schema_extra=planner("The city's yearly training budget (APBD).", amount="city"),
    )
    programs: list[TrainingProgramSpec] = Field(default_factory=list)
    routine: RoutineDevelopmentSpec = Field(
        default_factory=RoutineDevelopmentSpec,
        description="Routine development outside the catalogue (every strategy but 'none').",
    )


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
    training_lasting_share: float = _a(
        0.35,
        "share",
        "Of a training gain on the job, the part that lasts (raises what practice can reach): "
        "62/44/34 % of trainees apply training at 0/6/12 months (Saks & Belcourt 2006) fit a "
        "plateau of 21.5/62 ≈ 0.35 plus a part gone within about a year; range 0.2-0.5.",
        ge=0,
        le=1,
    )
    training_half_life_years: float = _a(
        3.0,
        "years",
        "Half-life of the lasting part of a training gain (assumption: Saks & Belcourt 2006 "
        "follow trainees for one year only); range 1-6.",
        gt=0,
    )
    training_lasting_max_sd: float = _a(
        1.0,
        "SD",
        "Training keeps no one more than this many SD of the trained competency above what "
        "practice alone reaches: repeated courses top up, they do not stack (assumption; "
        "range 0.5-2).",
        ge=0,
        le=5,
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
    overload_cap: float = _a(
        5.0,
        "standard-days of backlog",
        "Overload beyond which motivation falls no further, and the overload of a unit with "
        "requests waiting and nobody to serve them (assumption).",
        gt=0,
        le=100,
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
        "Citizens' mean patience in multiples of the service standard (Zohar et al. 2002); "
        "the Weibull scale is this / Γ(1 + 1/patience_shape).",
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
    complaint_share_abandoned: float = _a(
        0.1,
        "share",
        "Share of citizens who gave up that lodge a complaint where complaint handling is full "
        "(assumption; range 0.02-0.3).",
        ge=0,
        le=1,
    )
    complaint_share_wrong: float = _a(
        0.2,
        "share",
        "Share of wrongly served citizens that lodge a complaint where complaint handling is "
        "full (assumption; range 0.05-0.4).",
        ge=0,
        le=1,
    )
    complaint_voice_min: float = _a(
        0.5,
        "share",
        "Part of those complaints lodged where a unit has no complaint handling at all; the "
        "rest need a working channel (assumption; range 0.2-0.8).",
        ge=0,
        le=1,
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
    managerial_reference: float = _a(
        0.5,
        "0-1",
        "Managers' mean managerial competency at which management neither raises nor lowers a "
        "unit's productivity; a unit without managers is taken to be here (assumption: the "
        "middle of the scale).",
        ge=0,
        le=1,
    )
    pns_exit_rate: float = _a(
        0.005, "1/year", "Voluntary PNS exits 0.5%/year (0.2-1%; BLS JOLTS analogue).", ge=0, le=1
    )
    pppk_exit_rate: float = _a(
        0.01,
        "1/year",
        "Voluntary PPPK exits during a contract; non-renewal is apart (pppk_renewal_probability)."
        " Assumption: twice the PNS rate (DOMAIN.md: PPPK exits 2-5%/year in all).",
        ge=0,
        le=1,
    )
    pppk_contract_years: float = _a(
        5.0,
        "years",
        "Length of a PPPK contract, renewed term by term from the hire day (PP 49/2018 art. 37: "
        "1-5 years; assumption: the longest).",
        ge=1,
        le=5,
    )
    pppk_renewal_probability: float = _a(
        0.9,
        "share",
        "Chance a PPPK contract is renewed at its end; otherwise the person leaves (counted as a "
        "non-renewal). Assumption: with 5-year terms, about 2%/year leave by non-renewal, which "
        "with voluntary exits gives DOMAIN.md's 2-5%/year.",
        ge=0,
        le=1,
    )
    newcomer_resignation_probability: float = _a(
        0.0008,
        "share",
        "Newcomers placed in a post that fits their field who resign before taking it up "
        "(OBSERVED.md §1.8: 90 of 112,513 CPNS 2021).",
        ge=0,
        le=1,
    )
    unwanted_placement_resignation_probability: float = _a(
        0.12,
        "share",
        "Newcomers placed outside what they applied for (the model: a post their field does not "
        "fit) who resign before taking it up (OBSERVED.md §1.8: 1,967 of 16,167 CPNS 2024 placed "
        "by optimalisasi).",
        ge=0,
        le=1,
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
    recruit_years_before_bup: float = _a(
        1.0,
        "years",
        "Recruits are drawn at least this far below their post's retirement age (assumption).",
        ge=0,
        le=30,
    )
    serving_age_min: float = _a(
        19.0,
        "years",
        "Youngest serving employee of the start workforce; ASN are at least 18 on entry "
        "(PP 11/2017 art. 23; assumption).",
        ge=18,
        le=40,
    )
    entry_age_min: float = _a(
        20.0,
        "years",
        "Youngest age at entry into service, for staff whose start is not known "
        "(uniform; PP 11/2017 art. 23 allows 18-35; assumption).",
        ge=18,
        le=60,
    )
    entry_age_max: float = _a(
        30.0,
        "years",
        "Oldest age at entry into service, for staff whose start is not known "
        "(uniform; most enter after a degree; assumption).",
        ge=18,
        le=60,
    )
    pppk_tenure_max: float = _a(
        6.0,
        "years",
        "PPPK service is drawn up to this: the first PPPK were appointed in 2019 "
        "(PP 49/2018; DOMAIN.md: 50,553 PPPK in Dec 2021).",
        ge=0,
        le=40,
    )
    posting_years_max: float = _a(
        5.0,
        "years",
        "Time in the current post is drawn up to this: a posting lasts at most 5 years "
        "(DOMAIN.md, mutasi).",
        gt=0,
        le=40,
    )
    prior_practice_years: float = _a(
        1.0,
        "years",
        "Serving staff practised their sector up to this long before the current posting "
        "(uniform; assumption).",
        ge=0,
        le=40,
    )
    rank_cap_by_education: dict[str, str] = Field(
        default_factory=lambda: {
            "slta": "III/d",
            "d3": "IV/a",
            "s1": "IV/c",
            "s2": "IV/d",
            "s3": "IV/e",
        },
        description="[rank] Highest rank of regular promotion by education: 6-7 steps above "
        "the entry rank (PP 99/2000), the ceiling without a structural post (assumption).",
    )
    digital_sd: float = _a(
        0.15, "0-1", "Individual spread of initial digital competency (assumption).", ge=0, le=0.5
    )
    managerial_mean: float = _a(
        0.5, "0-1", "Mean initial managerial competency (assumption).", ge=0, le=1
    )
    managerial_sd: float = _a(
        0.15,
        "0-1",
        "Individual spread of initial managerial competency (assumption).",
        ge=0,
        le=0.5,
    )
    resistance_sd: float = _a(
        0.15,
        "0-1",
        "Individual spread of initial resistance to change (assumption).",
        ge=0,
        le=0.5,
    )
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
    survey_shift_unit_run: float = _a(
        0.125,
        "propensity",
        "Kinder answers when the unit surveys itself: Dukcapil central's own survey 91.69 "
        "against 82.3, the mean third-party kab/kota level (Luwu Utara, Lampung Barat, Madiun; "
        "OBSERVED.md §2.2), is 9.4 IKM points = 75 × 0.125.",
        ge=0,
        le=1,
    )
    survey_shift_university: float = _a(
        0.155,
        "propensity",
        "Kinder answers in a university partner's survey: Payakumbuh 93.88 (LPPM Unand) against "
        "82.3, the mean third-party kab/kota level (OBSERVED.md §2.2), is 11.6 IKM points = "
        "75 × 0.155.",
        ge=0,
        le=1,
    )
    unit_attribute_spread: float = _a(
        0.2,
        "share of m(1 - m)",
        "Spread of a unit's digital maturity, facilities, complaint handling and fee burden "
        "around the scenario's value m (Beta, variance spread × m(1 - m)); set with "
        "unit_attribute_correlation so units spread as Madiun's (84-94.45, OBSERVED.md §2.2).",
        ge=0,
        lt=1,
    )
    unit_attribute_correlation: float = _a(
        0.5,
        "-",
        "Share of a unit's attribute draws owed to one quality factor of the unit (a unit run "
        "well tends to be good at all four; assumption).",
        ge=0,
        le=1,
    )
    survey_max_respondents: int = Field(
        400,
        ge=1,
        description="[people] Respondents per unit per semester at most (Krejcie-Morgan "
        "needs at most 384).",
    )
    abandoned_score: float = _a(
        1.0,
        "SKM score 1-4",
        "Score on every element given, in ikm_seekers, to a citizen who gave up: the lowest "
        "(tidak baik, PermenPANRB 14/2017; assumption; range 1-2).",
        ge=1,
        le=4,
    )
    discipline_sanctioned_share: float = _a(
        0.02,
        "share",
        "Share of PNS with a disciplinary sentence on record, who lose the 5 discipline "
        "points of the IP ASN; the model has no sanctions (assumption; range 0-0.05).",
        ge=0,
        le=1,
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

    @field_validator("rank_cap_by_education")
    @classmethod
    def _rank_caps(cls, v: dict[str, str]) -> dict[str, str]:
        missing = sorted(set(EDUCATION_LEVELS) - set(v))
        _known_keys("rank_cap_by_education", v, EDUCATION_LEVELS)
        if missing:
            raise ValueError(f"rank_cap_by_education misses {missing}")
        wrong = {k: r for k, r in v.items() if r not in RANK_NAMES}
        if wrong:
            raise ValueError(
                f"rank_cap_by_education: {wrong} are not ranks; expected I/a ... IV/e"
            )
        return v

    @model_validator(mode="after")
    def _entry_ages(self) -> Assumptions:
        if self.entry_age_min > self.entry_age_max:
            raise ValueError("entry_age_min must not exceed entry_age_max")
        return self

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
    uncertainties: dict[str, UncertaintyValue] = Field(
        default_factory=dict,
        description="Uncertain assumptions for sensitivity analysis and calibration: dotted "
        "key → [low, high] (uniform; e.g. assumptions.mismatch_ceiling: [0.75, 0.9], "
        "DOMAIN.md's ranges) or a prior {dist: uniform|normal|lognormal|beta, ...} "
        "(docs/calibration.md).",
    )

    @model_validator(mode="wrap")
    @classmethod
    def _one_pass(cls, data: Any, handler) -> Scenario:
        """Every rule once: the fields' own, then the cross-field and policy rules on the data.

        The rules on several keys read the plain data, so they run even where a field is
        invalid and every problem of a file is reported at once. A policy section whose
        choices are already found invalid is not validated a second time.
        """
        if not isinstance(data, dict):
            return handler(data)
        found = cross_field_problems(data)
        by_kind = _policy_problems_by_kind(data)
        if by_kind:  # checked already: the schema validates only the other choices
            found += [p for problems in by_kind.values() for p in problems]
            data = data | {
                "policies": {k: v for k, v in data["policies"].items() if k not in by_kind}
            }
        errors: list[Any] = []
        try:
            scenario = handler(data)
        except ValidationError as err:
            errors = list(err.errors())
        else:
            found += _uncertainty_problems(scenario)
        if not found and not errors:
            return scenario
        raise ValidationError.from_exception_data(cls.__name__, errors + _as_errors(found))

    def canonical(self) -> dict[str, Any]:
        """The scenario as plain data with every default filled in (what the hash covers)."""
        return self.model_dump(mode="json")

    def canonical_json(self) -> str:
        """Canonical JSON text, no spaces; stable across runs and machines.

        Keys keep their order (the schema's order for fields, the file's for mappings such as
        ``sectors`` or ``position_mix``): that order decides indices and draws, so sorting it
        would make another run of the same-looking scenario.
        """
        return json.dumps(self.canonical(), separators=(",", ":"))

    def hash(self) -> str:
        """SHA-256 of the canonical JSON, stored with every result."""
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()

    def with_overrides(self, overrides: dict[str, Any] | list[str]) -> Scenario:
        """A copy with dotted overrides applied, e.g. ``{"city.scale": 0.05}``."""
        data = apply_overrides(self.canonical(), overrides)
        return scenario_from_dict(data)

    def priors(self) -> dict[str, Prior]:
        """The declared uncertainties as priors (``[low, high]`` is uniform), in file order."""
        return {key: as_prior(value) for key, value in self.uncertainties.items()}

    @property
    def sector_names(self) -> list[str]:
        """Sectors in use by the city's units, in their order of first appearance."""
        return list(dict.fromkeys(u.sector for u in self.city.units))


# --------------------------------------------------------------------------- checks on plain data


def _uncertainty_problems(scenario: Scenario) -> list[str]:
    problems = []
    data = scenario.canonical()
    for key, value in scenario.uncertainties.items():
        low, high = as_prior(value).bounds() if isinstance(value, Prior) else value
        if not low < high:
            problems.append(f"uncertainties.{key}: got [{low}, {high}]; expected low < high")
            continue
        node = _get(data, *(int(p) if p.isdigit() else p for p in key.split(".")))
        if not isinstance(node, int | float) or isinstance(node, bool):
            problems.append(
                f"uncertainties.{key}: not a numeric key of the scenario; expected a dotted "
                "path such as assumptions.mismatch_ceiling"
            )
    return problems


def _as_errors(problems: list[str]) -> list[InitErrorDetails]:
    """Problems written ``key.path: text`` as pydantic errors located at their key path."""
    errors = []
    for problem in problems:
        where, _, text = problem.partition(": ")
        loc = tuple(int(p) if p.isdigit() else p for p in where.split("."))
        errors.append(
            InitErrorDetails(
                type=PydanticCustomError("scenario_rule", "{text}", {"text": text}),
                loc=loc,
                input=None,
            )
        )
    return errors


def _get(data: Any, *path: str | int) -> Any:
    for key in path:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


def _workforce_sector_problems(data: dict[str, Any], sectors: dict) -> list[str]:
    """Sectors named in ``city.workforce`` that are not keys of ``sectors``."""
    problems = []
    named = {
        "position_mix_by_sector": _get(data, "city", "workforce", "position_mix_by_sector"),
        "teacher_sectors": _get(data, "city", "workforce", "teacher_sectors"),
    }
    for key, value in named.items():
        if isinstance(value, dict | list):
            unknown = sorted(set(map(str, value)) - set(sectors))
            if unknown:
                problems.append(
                    f"city.workforce.{key}: sectors {unknown} are not in `sectors`; expected "
                    f"some of {sorted(sectors)}"
                )
    return problems


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
    problems += _workforce_sector_problems(data, sectors)
    programs = _get(data, "training", "programs")
    targets = set(sectors) | {"digital", "managerial"}
    for i, program in enumerate(programs if isinstance(programs, list) else []):
        target = _get(program, "target")
        if isinstance(target, str) and target not in targets:
            problems.append(
                f"training.programs.{i}.target: got '{target}'; expected one of {sorted(targets)}"
            )
    problems += _duplicate_units(units) + _size_problems(data, units)
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


MAX_STAFF = 2_000_000
"""Most staff a scenario may hold after ``scale`` (the largest Indonesian pemda has ~100,000)."""
MAX_SERVICE_POINTS = 100_000
"""Most service points (units × count) a scenario may hold."""
MAX_REQUESTS_PER_DAY = 1e7
"""Most expected requests a day at one service point over the horizon (growth and cycle
included); far above any real counter, and far below where the Poisson draw fails."""


def _number(value: Any) -> float | None:
    """A finite number as the schema would read it (``"1e300"`` is text in YAML 1.1)."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = float(value.strip())
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok and math.isfinite(value) else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _duplicate_units(units: list[Any]) -> list[str]:
    first: dict[str, int] = {}
    problems = []
    for i, unit in enumerate(units):
        name = _get(unit, "name")
        if not isinstance(name, str):
            continue
        if name in first:
            problems.append(
                f"city.units.{i}.name: got '{name}', already the name of city.units."
                f"{first[name]}; expected unique unit names (use count for identical points)"
            )
        first.setdefault(name, i)
    return problems


def _size_problems(data: dict[str, Any], units: list[Any]) -> list[str]:
    """Sizes the model cannot run: too many staff or points, demand beyond any real counter."""
    scale = _number(_get(data, "scale"))
    scale = 1.0 if scale is None or scale <= 0 else scale
    problems = []
    headcount = _get(data, "city", "workforce", "headcount")
    if _is_int(headcount) and headcount * scale > MAX_STAFF:
        problems.append(
            f"city.workforce.headcount: got {headcount} (× scale {scale:g}); expected at most "
            f"{MAX_STAFF:,} staff in one scenario"
        )
    for i, unit in enumerate(units):
        formation = _get(unit, "formation")
        if _is_int(formation) and formation * scale > MAX_STAFF:
            problems.append(
                f"city.units.{i}.formation: got {formation} (× scale {scale:g}); expected at "
                f"most {MAX_STAFF:,} posts"
            )
    points = sum(c for u in units if _is_int(c := _get(u, "count")) and c > 0)
    if points > MAX_SERVICE_POINTS:
        problems.append(
            f"city.units: {points:,} service points; expected at most "
            f"{MAX_SERVICE_POINTS:,} (lower the units' count)"
        )
    return problems + _demand_problems(data, units, scale)


def _demand_problems(data: dict[str, Any], units: list[Any], scale: float) -> list[str]:
    """Units whose expected requests a day grow past :data:`MAX_REQUESTS_PER_DAY`."""

    def given(value: Any, default: Any) -> float:
        number = _number(value)
        return default if number is None else number

    years = max(
        given(_get(data, "horizon_years"), Scenario.model_fields["horizon_years"].default), 0
    )
    city = CitySpec.model_fields
    city_growth = given(_get(data, "city", "demand_growth"), city["demand_growth"].default)
    season = given(_get(data, "city", "seasonality"), city["seasonality"].default)
    problems = []
    for i, unit in enumerate(units):
        demand = _number(_get(unit, "demand_per_day"))
        growth = given(_get(unit, "demand_growth"), city_growth)
        if demand is None or demand <= 0 or growth <= -1:
            continue
        with contextlib.suppress(OverflowError):
            peak = demand * scale * (1 + growth) ** years * (1 + abs(season))
            if peak <= MAX_REQUESTS_PER_DAY:
                continue
        problems.append(
            f"city.units.{i}.demand_per_day: got {demand:g}, which grows to over "
            f"{MAX_REQUESTS_PER_DAY:.0e} requests a day within the horizon; expected less"
        )
    return problems


def policy_problems(data: dict[str, Any]) -> list[str]:
    """Every problem of the policy choices in plain scenario data, with full key paths.

    Besides each policy's own option schema, option values must be finite numbers where
    numbers are expected and never booleans in their place.
    """
    return [p for problems in _policy_problems_by_kind(data).values() for p in problems]


def _policy_problems_by_kind(data: dict[str, Any]) -> dict[str, list[str]]:
    """Lever kind → the problems of its choice, for the kinds that have any."""
    policies = _get(data, "policies")
    if not isinstance(policies, dict):
        return {}
    out = {}
    for kind in Policies.model_fields:
        choice = policies.get(kind)
        if not (isinstance(choice, dict) and "name" in choice):
            continue
        options = choice.get("options", {})
        where = f"policies.{kind}"
        found = [f"{where}.{p}" for p in choice_problems(kind, choice["name"], options)]
        if not found and isinstance(options, dict):
            schema = REGISTRY[kind][choice["name"]].Options.model_fields
            for key, value in options.items():
                if isinstance(value, float) and not math.isfinite(value):
                    found.append(f"{where}.options.{key}: got {value}; expected a finite number")
                elif key in schema and _bool_for_number(value, schema[key].annotation):
                    found.append(
                        f"{where}.options.{key}: got {str(value).lower()}; expected a number, "
                        "not a boolean"
                    )
        if found:
            out[kind] = found
    return out


# --------------------------------------------------------------------------- loading


PROJECT_SCENARIOS = SCENARIOS_DIR
"""The shipped scenarios; any scenario may extend a file in this folder tree (or name one)."""
MAX_YAML_BYTES = 1_000_000
"""Largest scenario file read (the biggest shipped scenario is a few kilobytes)."""
MAX_YAML_NODES = 100_000
"""Most values a scenario file may hold once its aliases (``*name``) are expanded."""


def format_validation_error(
    err: ValidationError, shown: set[str] | None = None, extended: str = ""
) -> list[str]:
    """Pydantic's errors as ``key.path: got value; expected`` lines.

    Args:
        err: The error.
        shown: Key paths whose values the user wrote (the named file, overrides); a value
            elsewhere came from an extended file and is not quoted. None: all are shown.
        extended: How to name the extended file(s) in messages.
    """
    problems = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"])
        hidden = shown is not None and not _user_path(loc, shown)
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            if hidden:
                where = ".".join(str(p) for p in e["loc"][:-1]) or "top level"
                problems.append(f"{where}: an unknown key in {extended or 'an extended file'}")
            else:
                problems.append(f"{loc}: unknown key (not part of the scenario schema)")
        elif e["type"] == "missing":
            problems.append(f"{loc}: required key is missing")
        elif hidden:
            detail = "" if e["type"] == "scenario_rule" else f"; {msg}"
            problems.append(
                f"{loc}: the value set in {extended or 'an extended file'} is not valid{detail}"
            )
        elif e["type"] == "scenario_rule":
            problems.append(f"{loc}: {msg}" if loc else msg)
        else:
            value = e.get("input")
            shown_value = (
                type(value).__name__
                if isinstance(value, dict | list)
                else str(value).lower()
                if isinstance(value, bool)
                else repr(value)
            )
            if len(shown_value) > 60:
                shown_value = shown_value[:57] + "..."
            problems.append(f"{loc}: got {shown_value}; {msg}" if loc else msg)
    return problems


def _user_path(loc: str, shown: set[str]) -> bool:
    if loc.startswith("uncertainties."):  # an entry is checked whole (a prior's mapping)
        return any(loc == p or p.startswith(f"{loc}.") or loc.startswith(f"{p}.") for p in shown)
    return any(loc == p or loc.startswith(f"{p}.") for p in shown)


def _leaf_paths(data: Any, prefix: str = "") -> set[str]:
    """Dotted paths of every value that is not a mapping (a list counts as one value)."""
    if not isinstance(data, dict) or (prefix and not data):
        return {prefix} if prefix else set()
    out: set[str] = set()
    for key, value in data.items():
        out |= _leaf_paths(value, f"{prefix}.{key}" if prefix else str(key))
    return out


def scenario_from_dict(
    data: dict[str, Any],
    source: str | None = None,
    shown: set[str] | None = None,
    extended: str = "",
) -> Scenario:
    """Validate plain data as a :class:`Scenario`, reporting every problem at once.

    Args:
        data: The scenario as nested dicts (``extends`` already resolved).
        source: File name to name in error messages.
        shown: Key paths whose values may be quoted in messages (None: all); values from
            files the user did not name are not.
        extended: How to name the extended file(s) in messages.

    Raises:
        ScenarioError: Naming every invalid key path, the value and what was expected.
    """
    if not isinstance(data, dict):
        raise ScenarioError(
            [f"expected a mapping at the top level, got {type(data).__name__}"], source
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(format_validation_error(err, shown, extended), source) from None


class _Refused(yaml.YAMLError):
    """YAML that parses but is refused (a key twice, too many values after aliases)."""

    def __init__(self, problem: str, mark: Any):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class _Loader(yaml.SafeLoader):
    """YAML's safe loader that refuses duplicate keys and alias expansions beyond a limit."""

    def compose_document(self):  # noqa: D102 - PyYAML's hook
        node = super().compose_document()
        _expanded_size(node, {}, set())
        return node

    def construct_mapping(self, node, deep=False):  # noqa: D102 - PyYAML's hook
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                with contextlib.suppress(TypeError):  # unhashable keys: PyYAML's own error
                    if key in seen:
                        raise _Refused(
                            f"key {key!r} is given twice; expected each key once",
                            key_node.start_mark,
                        )
                    seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _expanded_size(node: yaml.Node, memo: dict[int, int], active: set[int]) -> int:
    """Values in ``node`` with every alias expanded; refuses loops and sizes over the limit."""
    key = id(node)
    if key in memo:
        return memo[key]
    if key in active:
        raise _Refused("an alias refers to its own anchor; expected no loops", node.start_mark)
    active.add(key)
    children = node.value if isinstance(node.value, list) else []
    size = 1
    for child in children:
        pair = child if isinstance(child, tuple) else (child,)
        size += sum(_expanded_size(c, memo, active) for c in pair)
        if size > MAX_YAML_NODES:
            raise _Refused(
                f"more than {MAX_YAML_NODES:,} values once aliases (*name) are expanded; "
                "expected a plain scenario",
                node.start_mark,
            )
    active.discard(key)
    memo[key] = size
    return size


def read_yaml_file(path: Path, named: bool = True) -> dict[str, Any]:
    """One YAML file as a mapping, read safely: size and alias limits, UTF-8, no duplicate keys.

    Args:
        path: The file.
        named: Whether the user named this file; if not, no content of it appears in messages.

    Raises:
        ScenarioError: Naming the file, the line and what was expected.
    """
    if not path.is_file():
        hint = (
            "; nor is it the name of a shipped scenario (`asnsim scenarios` lists them)"
            if is_scenario_name(str(path))
            else ""
        )
        raise ScenarioError([f"no such scenario file: {path}{hint}"], str(path))
    if path.stat().st_size > MAX_YAML_BYTES:
        raise ScenarioError(
            [f"file of {path.stat().st_size:,} bytes; expected at most {MAX_YAML_BYTES:,}"],
            str(path),
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError(
            [f"not UTF-8 text (byte {err.start}); expected a YAML file saved as UTF-8"],
            str(path),
        ) from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        if isinstance(err, _Refused):
            what = problem if named else "refused (a key given twice or too many aliases)"
        else:
            what = f"malformed YAML ({problem})" if named else "malformed YAML"
        raise ScenarioError([f"{where}{what}"], str(path)) from None
    except RecursionError:
        raise ScenarioError(["values nested too deeply; expected a scenario"], str(path)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(
            [f"expected a mapping of keys at the top level, got {type(data).__name__}"], str(path)
        )
    return data


def _read_yaml(
    path: Path,
    chain: tuple[Path, ...] = (),
    roots: tuple[Path, ...] | None = None,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A scenario file with its ``extends`` chain merged in.

    Args:
        path: The file.
        chain: Files that extend this one (to refuse loops).
        roots: Folders an ``extends`` may point into (None: anywhere).
        data: The file's content if already read.
    """
    if path in chain:
        raise ScenarioError([f"extends: circular chain {' -> '.join(map(str, chain))}"], str(path))
    named = not chain
    data = dict(data) if data is not None else read_yaml_file(path, named)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        shown = repr(parent) if named else type(parent).__name__
        raise ScenarioError([f"extends: expected a file name, got {shown}"], str(path))
    parent_path = (path.parent / parent).resolve()
    if not parent_path.is_file() and is_scenario_name(parent):  # a shipped scenario's name?
        shipped = resolve_scenario(parent)
        parent_path = shipped.resolve() if shipped.is_file() else parent_path
    said = parent if named else "the file it names"
    if roots is not None and not any(parent_path.is_relative_to(r) for r in roots):
        raise ScenarioError(
            [
                f"extends: {said} is outside the scenario's folder and the project's "
                "scenarios/ folder; expected a file there (or pass --allow-extends-anywhere)"
            ],
            str(path),
        )
    if not parent_path.is_file():
        raise ScenarioError(
            [f"extends: no such file {said} (looked for {parent_path})"], str(path)
        )
    base = _read_yaml(parent_path, (*chain, path), roots)
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


def parse_override(item: str) -> tuple[str, Any]:
    """One ``KEY=VALUE`` override as ``(key, value)``; the value is read as YAML.

    Digits alone stay a decimal integer (YAML would read ``010`` as octal); text that is not
    YAML stays text.

    Raises:
        ScenarioError: If ``item`` has no ``=``.
    """
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
        [parse_override(o) for o in overrides]
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
    path: str | Path,
    overrides: dict[str, Any] | list[str] | None = None,
    extends_anywhere: bool = False,
    **kwargs: Any,
) -> Scenario:
    """Load, merge (``extends``), override and validate a scenario file.

    Overrides apply to the scenario with its defaults filled in, so one key of a section the
    file leaves to its defaults changes that key only. Naming another policy
    (``policies.placement.name``) drops the old policy's options unless options are given too.

    ``extends`` is read relative to the file and must stay inside the file's own folder tree
    or the project's ``scenarios/`` folder, unless ``extends_anywhere``. Messages never quote
    a value that comes from an extended file.

    Args:
        path: YAML file.
        overrides: Dotted overrides as a dict or a list of ``KEY=VALUE`` strings.
        extends_anywhere: Let ``extends`` read any file.
        **kwargs: Further overrides; use ``__`` for dots, e.g. ``policies__placement__name=
            "random"``, or plain top-level keys such as ``seed=3``, ``scale=0.05``.

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: For a missing, oversized, undecodable or malformed file or any invalid
            key, naming the file, the key path, the value and what was expected.
    """
    path = resolve_scenario(path)
    source = str(path)
    real = path.resolve() if path.exists() else path
    roots = None if extends_anywhere else (real.parent, PROJECT_SCENARIOS)
    own = read_yaml_file(real)
    data = _read_yaml(real, roots=roots, data=own)
    shown = _leaf_paths(own) - {"extends"} if "extends" in own else None
    try:
        merged: dict[str, Any] = {}
        if isinstance(overrides, list):
            merged.update(dict(parse_override(o) for o in overrides))
        elif overrides:
            merged.update(overrides)
        merged.update({k.replace("__", "."): v for k, v in kwargs.items()})
        if merged:
            # fill in defaults first; if the file itself is invalid its problems are
            # reported below, with the overrides applied to it as written
            with contextlib.suppress(ValidationError):
                data = Scenario.model_validate(data).canonical()
            data = apply_overrides(data, merged)
            if shown is not None:
                shown |= set(merged)
    except ScenarioError as err:
        raise ScenarioError(err.problems, source) from None
    return scenario_from_dict(data, source, shown, "the file it extends")
