"""Training allocation: who is trained in which programme each year, within budget and seats.

At each year's end a training policy fills the seats of the scenario's programme catalogue
(``training.programs``) for the coming year within the yearly budget
(``training.budget_per_year``). Budget and seats are the real city's: a run at ``scale`` < 1
is a miniature of the city, so both are multiplied by ``scale`` (seats rounded at random, up
or down, with the right mean).

Each cohort of a programme starts on a day drawn in the coming year; its trainees are away
from their desk (``present`` = 0) for ``JP × 45 min ÷ hours_per_day`` working days, and when
the cohort ends they gain, in the programme's target competency, the meta-analytic effect on
the job, converted from SD to the model's 0-1 scale:

    gain = d × sd × mode × effectiveness × (1 − damping × resistance)

d ≈ 0.6 is the mean effect on job behaviour (Arthur, Bennett, Edens & Bell 2003): measured on
the job, it already counts transfer, so nothing discounts it again. Of the gain a share
(``assumptions.training_lasting_share``, 0.35 from Saks & Belcourt 2006) lasts: in a sector it
raises what practice can reach (the ceiling), for digital and managerial competency it stays
in the level; it decays with ``assumptions.training_half_life_years`` and never exceeds
``assumptions.training_lasting_max_sd`` SD. The rest of a sector gain is a head start that
learning by doing relaxes toward the (raised) ceiling; digital and managerial competency have
no practice dynamics and get the lasting part only.

Every strategy but ``none`` also gives routine development (``training.routine``): a share of
the staff (0.35, anchored on LAN's 35.23 % meeting competency standards) get their 20 JP a
year through e-learning, coaching, mentoring and seminars, in their own sector, at no cost to
the training budget.

Strategies differ only in the order of programmes and who gets a seat first:

- ``none``: no development at all (learning on the job only).
- ``status_quo``: routine development only, no catalogue seats.
- ``uniform``: everyone toward the 20 JP right of every PNS (PP 11/2017): the staff with the
  fewest JP this year first, the cheapest JP first.
- ``needs_based``: the largest competency gap to the post first (training needs analysis).
- ``evaluation_driven``: the sectors, and within them the units, with the lowest IKM the
  government sees (``gov.sector_signal()``; citizen participation, acting before training,
  sharpens it) first.

PPPK never exceed 24 JP a year (PP 49/2018 art. 40).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from asnsim.policies import NoOptions, Policy, Result, planner, register
from asnsim.policies.contract import DIGITAL, MANAGERIAL
from asnsim.vocab import POSITION_TYPES, TRAINING_MODES
from asnsim.workforce import PPPK

if TYPE_CHECKING:
    from asnsim.policies.contract import Actions, Snapshot
    from asnsim.scenario import TrainingProgramSpec

__all__ = [
    "DIGITAL",
    "MANAGERIAL",
    "MODES",
    "CompetencySD",
    "EvaluationDrivenTraining",
    "ModeMultipliers",
    "NeedsBasedTraining",
    "ROUTINE",
    "NoTraining",
    "StatusQuoTraining",
    "TrainingOptions",
    "TrainingPolicy",
    "UniformTraining",
    "UniformTrainingOptions",
    "away_profile",
    "cohorts",
    "lasting_part",
    "post_gap",
    "stochastic_round",
    "training_days",
    "training_gain",
]

Mode = Literal[TRAINING_MODES]
MODES: tuple[str, ...] = TRAINING_MODES
"""Forms of development a programme may take (``vocab.TRAINING_MODES``)."""

ROUTINE = "routine development"
"""Programme name of routine development in the plan and gain tables."""

MINUTES_PER_JP = 45.0
"""1 JP (jam pelajaran) = 45 minutes (PerLAN 5/2018; DOMAIN.md)."""

_EPS = 1e-9  # rupiah, JP or days: tolerance of comparisons against budgets and caps
_KINDS = {DIGITAL: "digital", MANAGERIAL: "managerial"}  # the other targets are sectors
_NO_UNIT = -99  # target of a programme for a sector no unit of the city serves
_SECTOR_FIRST = 1000.0  # IKM points: a sector's rank outweighs any unit's IKM (IKM ≤ 100)

MANAGERIAL_POSTS = tuple(POSITION_TYPES.index(p) for p in ("jpt", "administrator", "pengawas"))
"""Position indices of the managerial posts (JPT, administrator, pengawas; UU 20/2023)."""


# --------------------------------------------------------------------------- options


class ModeMultipliers(BaseModel):
    """Training effect of each delivery mode relative to the classroom."""

    model_config = ConfigDict(extra="forbid")
    classroom: float = Field(1.0, ge=0, le=3, description="[x] The reference mode.")
    workshop: float = Field(
        1.0,
        ge=0,
        le=3,
        description="[x] Same methods as the classroom, no evidence of a difference (assumption).",
    )
    seminar: float = Field(
        1.0,
        ge=0,
        le=3,
        description="[x] A classical form of lectures and discussion; no evidence of a "
        "difference (assumption).",
    )
    e_learning: float = Field(
        1.0,
        ge=0,
        le=3,
        description="[x] Web-based ≈ classroom when methods are equal, 0.95-1.1 "
        "(Sitzmann et al. 2006).",
    )
    coaching: float = Field(
        1.1,
        ge=0,
        le=3,
        description="[x] Blended, on-the-job learning somewhat better (Sitzmann et al. 2006).",
    )
    mentoring: float = Field(
        1.1,
        ge=0,
        le=3,
        description="[x] On-the-job learning with a senior, as coaching (Sitzmann et al. 2006; "
        "assumption).",
    )
    partnership: float = Field(
        1.0,
        ge=0,
        le=3,
        description="[x] A classroom course run by a university or NGO: same methods, same "
        "effect (assumption; Palembang paper, seed 002).",
    )


class CompetencySD(BaseModel):
    """One SD of each kind of competency among staff: converts an effect d to the 0-1 scale."""

    model_config = ConfigDict(extra="forbid")
    technical: float = Field(
        0.125,
        gt=0,
        le=0.5,
        description="[0-1 per SD] Staff competency in their own sector has SD ≈ 0.125 at the "
        "start of the city runs (floor spread plus practice; workforce.py).",
    )
    digital: float = Field(
        0.15,
        gt=0,
        le=0.5,
        description="[0-1 per SD] Digital competency is drawn with SD 0.15 "
        "(assumptions.digital_sd).",
    )
    managerial: float = Field(
        0.15,
        gt=0,
        le=0.5,
        description="[0-1 per SD] Managerial competency is drawn with SD 0.15 "
        "(assumptions.managerial_sd).",
    )


class TrainingOptions(BaseModel):
    """Behavioural constants and limits shared by every training strategy."""

    model_config = ConfigDict(extra="forbid")
    effect_size: float = Field(
        0.6,
        ge=0,
        le=2,
        description="[SD] Mean training effect on job behaviour, 0.4-0.8 (Arthur, Bennett, "
        "Edens & Bell 2003, JAP 88); measured on the job, so transfer is already counted.",
    )
    competency_sd: CompetencySD = Field(
        default_factory=CompetencySD,
        description="[0-1 per SD] One SD of each kind of competency among staff.",
    )
    mode_multiplier: ModeMultipliers = Field(
        default_factory=ModeMultipliers,
        description="[x] Effect of each delivery mode relative to the classroom "
        "(Sitzmann et al. 2006).",
    )
    resistance_damping: float = Field(
        0.5,
        ge=0,
        le=1,
        description="[x per unit resistance] Gain × (1 − this × resistance): reluctant staff "
        "apply less of what they learn (Oreg, Vakola & Armenakis 2011; assumption).",
    )
    pppk_max_jp: float = Field(
        24.0,
        ge=0,
        le=24,
        description="[JP/year] PPPK get at most 24 JP a year (PP 49/2018 art. 40).",
    )
    max_programs_per_employee: int = Field(
        2,
        json_schema_extra=planner(
            "The BKPSDM's rule spreading seats: one to four programmes a person a year.", 1, 4
        ),
        ge=1,
        le=10,
        description="[programmes/year] Seats one employee may take in a year, so seats are "
        "spread (assumption).",
    )
    modes: list[Mode] = Field(
        default_factory=lambda: list(MODES),
        min_length=1,
        description="[modes] Forms of the catalogue the government buys; leave out "
        "'partnership' to ask what university/NGO partnerships add (Palembang paper, seed 002).",
    )


class UniformTrainingOptions(TrainingOptions):
    """Options of ``uniform`` training."""

    target_jp: float = Field(
        20.0,
        json_schema_extra=planner(
            "The city may aim above the 20 JP every PNS has a right to, up to three times it.",
            20.0,
            60.0,
        ),
        gt=0,
        le=200,
        description="[JP/year] Seats go to staff below this: every PNS has the right to 20 JP "
        "a year (PP 11/2017; PerLAN 5/2018).",
    )


class EvaluationDrivenOptions(TrainingOptions):
    """Options of ``evaluation_driven`` training."""

    cross_cutting: Literal["weakest_first", "spread"] = Field(
        "weakest_first",
        json_schema_extra=planner(
            "The BKPSDM decides who gets the digital and managerial seats first."
        ),
        description="[-] Digital and managerial seats: to the weakest sectors' staff first "
        "(Lubuk Begalung paper, seed 000: more attention to the weak sector), or spread to "
        "the staff with the fewest JP, as uniform does.",
    )


# --------------------------------------------------------------------------- pure rules


def training_days(jp: float, hours_per_day: float) -> float:
    """Working days away from the desk for a programme of ``jp`` JP (1 JP = 45 minutes).

    >>> training_days(40, 7.5)
    4.0
    """
    return jp * MINUTES_PER_JP / 60.0 / hours_per_day


def away_profile(days: float) -> np.ndarray:
    """Share of each working day spent in training, from the start day on.

    Whole days first, the remainder on the last day: 2.5 days → ``[1, 1, 0.5]``.
    """
    whole = int(np.floor(days + _EPS))
    frac = days - whole
    out = np.ones(whole + (frac > _EPS))
    if frac > _EPS:
        out[-1] = frac
    return out


def cohorts(rows: np.ndarray, k: int) -> list[np.ndarray]:
    """``rows`` split into ``k`` cohorts in order, the first ``len(rows) % k`` one larger.

    The split of ``np.array_split(rows, k)``, by slicing (``array_split`` costs about as much
    as the rest of a year's routine plan).
    """
    each, extra = divmod(len(rows), k)
    ends = np.cumsum([each + 1] * extra + [each] * (k - extra)).tolist()
    return [rows[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]


def stochastic_round(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Round ``x`` down or up at random (up with probability ``x − floor(x)``; ``u`` uniform).

    Keeps the mean: seats of a scaled-down city are neither inflated nor lost on average.
    """
    x = np.asarray(x, dtype=float)
    low = np.floor(x)
    return (low + (u < x - low)).astype(np.int64)


def training_gain(
    resistance: np.ndarray,
    *,
    effect_size: float,
    competency_sd: float,
    multiplier: float,
    resistance_damping: float,
) -> np.ndarray:
    """Competency gained on the job (0-1 scale) right after a programme.

    ``effect_size × competency_sd × multiplier × (1 − damping × resistance)``: the mean
    effect d on job behaviour (Arthur et al. 2003), in SD of the trained competency among
    staff, so a typical trainee gains d SD. It does not depend on how far the trainee is
    from their ceiling: the effect is measured against untrained peers, whatever their level.

    Args:
        resistance: Resistance to change, 0-1.
        effect_size: Mean effect d, in SD.
        competency_sd: One SD of the trained competency on the 0-1 scale.
        multiplier: Mode × programme effectiveness.
        resistance_damping: Loss of gain per unit of resistance.
    """
    damp = np.clip(1.0 - resistance_damping * np.asarray(resistance, dtype=float), 0.0, 1.0)
    return effect_size * competency_sd * multiplier * damp


def lasting_part(
    gain: np.ndarray, boost: np.ndarray, *, lasting_share: float, cap: float
) -> np.ndarray:
    """The part of ``gain`` that lasts: ``lasting_share`` of it, topping ``boost`` up to ``cap``.

    Args:
        gain: Gain on the job right after training.
        boost: The trainee's lasting part from earlier training (still left).
        lasting_share: Share of a gain that lasts (Saks & Belcourt 2006).
        cap: Most a trainee may keep above what practice alone reaches.
    """
    room = np.maximum(0.0, cap - np.asarray(boost, dtype=float))
    return np.minimum(lasting_share * np.asarray(gain, dtype=float), room)


def post_gap(gov: Snapshot, target: int) -> np.ndarray:
    """Each employee's gap to what their post needs in a target competency.

    Sector ``s`` (index ≥ 0): ceiling − current competency for staff of that sector, 0 for
    the others (they do not practise it). ``DIGITAL``: the unit's digital maturity − the
    employee's digital competency (a post needs what its unit's systems demand;
    assumption). ``MANAGERIAL``: 1 − managerial competency for managerial posts (JPT,
    administrator, pengawas), 0 for the others.
    """
    staff = gov.staff
    if target == DIGITAL:
        return np.maximum(0.0, gov.service("digital_maturity")[staff.unit] - staff.digital)
    if target == MANAGERIAL:
        managers = np.isin(staff.position, MANAGERIAL_POSTS)
        return np.where(managers, np.maximum(0.0, 1.0 - staff.managerial), 0.0)
    here = gov.unit_sector[staff.unit] == target
    return np.where(here, np.maximum(0.0, staff.ceil - staff.cur), 0.0)


# --------------------------------------------------------------------------- the policies


@dataclass
class _Program:
    """A catalogue entry as the allocation sees it this year."""

    index: int
    spec: TrainingProgramSpec
    target: int  # sector index, DIGITAL or MANAGERIAL; _NO_UNIT if no unit serves the sector
    seats: int  # seats this year, at scale
    cohort_starts: np.ndarray  # model day of each cohort's start


class TrainingPolicy(Policy):
    """Base of training policies: fills the catalogue's seats, schedules and applies training.

    Subclasses choose the order of programmes (:meth:`program_order`) and who gets a seat
    first (:meth:`priority`, :meth:`eligible`). After the catalogue, routine development
    (``training.routine``) goes to a random share of the staff within the PPPK JP cap.
    Diagnostics: ``trained`` (seats filled plus routine participants for the coming year),
    ``jp`` (their JP) and ``seats`` (catalogue seats on offer at scale).

    Attributes:
        plans: One row per year, programme and sector of the trainees: trainees, JP, spend.
        gains: One row per completed cohort: trainees and total competency gained.
    """

    kind = "training"
    Options = TrainingOptions
    reports = ("trained", "jp", "seats")

    def __init__(self, options: BaseModel, rng: np.random.Generator):
        super().__init__(options, rng)
        # Separate child streams, spawned before any draw: seat rounding and cohort dates are
        # the same under every strategy with the same seed (common random numbers).
        self._seat_rng, self._date_rng, self._pick_rng, self._routine_rng = rng.spawn(4)
        # routine development draws per person (by uid) and year, so a variant that keeps
        # or loses someone else does not reshuffle everybody's routine (common random numbers)
        self._routine_seed = int(self._routine_rng.integers(2**63))
        self.plans: list[dict] = []
        self.gains: list[dict] = []

    # ------------------------------------------------------------------ strategy hooks

    def program_order(
        self, gov: Snapshot, programs: list[_Program], state: _State
    ) -> list[_Program]:
        """Order in which programmes are filled (the budget may run out on the way)."""
        return programs

    def priority(self, gov: Snapshot, program: _Program, state: _State) -> np.ndarray:
        """Score of each employee for a seat of ``program`` (higher first; ties at random)."""
        return np.zeros(len(gov.staff))

    def eligible(self, gov: Snapshot, program: _Program, state: _State) -> np.ndarray:
        """Strategy-specific eligibility on top of the common rules."""
        return np.ones(len(gov.staff), dtype=bool)

    # ------------------------------------------------------------------ the year

    def act(self, gov: Snapshot, do: Actions) -> Result:
        """Fill next year's seats within the budget, schedule the cohorts; return the spend."""
        programs = self._catalogue(gov)
        for prog in programs:
            do.book_seats(prog.index, 0)
        state = _State(
            planned_jp=np.zeros(len(gov.staff)),
            n_programs=np.zeros(len(gov.staff), dtype=np.int64),
            budget_left=gov.training.budget_per_year * gov.scale,
        )
        spent, trained = self._fill(gov, do, programs, state)
        trained += self._routine(gov, do, state)
        seats = sum(p.seats for p in programs)
        return Result(
            spent, {"trained": trained, "jp": float(state.planned_jp.sum()), "seats": seats}
        )

    def _fill(
        self, gov: Snapshot, do: Actions, programs: list[_Program], state: _State
    ) -> tuple[float, int]:
        """Seat the catalogue in the strategy's order; return the spend and seats filled."""
        spent, trained = 0.0, 0
        if not programs or len(gov.staff) == 0:
            return spent, trained
        for prog in self.program_order(gov, programs, state):
            rows = self._seat(gov, prog, state)
            if len(rows) == 0:
                continue
            cost = len(rows) * prog.spec.cost_per_seat
            state.budget_left -= cost
            spent += cost
            trained += len(rows)
            do.book_seats(prog.index, len(rows))
            self._schedule(gov, do, prog, rows)
            self._record_plan(gov, prog, rows)
        return spent, trained

    def _seat(self, gov: Snapshot, prog: _Program, state: _State) -> np.ndarray:
        """Rows given a seat of ``prog`` (within seats, budget and the JP and programme caps)."""
        opts: TrainingOptions = self.options
        spec = prog.spec
        if prog.target < MANAGERIAL or prog.seats <= 0 or spec.mode not in opts.modes:
            return np.zeros(0, dtype=np.int64)
        affordable = (
            prog.seats
            if spec.cost_per_seat <= 0
            else int(np.floor(state.budget_left / spec.cost_per_seat + _EPS))
        )
        k = min(prog.seats, affordable)
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        jp_cap = np.where(gov.staff.status == PPPK, opts.pppk_max_jp, np.inf) + _EPS
        ok = (state.planned_jp + spec.jp <= jp_cap) & (
            state.n_programs < opts.max_programs_per_employee
        )
        if prog.target >= 0:
            ok &= gov.unit_sector[gov.staff.unit] == prog.target
        ok &= self.eligible(gov, prog, state)
        candidates = np.flatnonzero(ok)
        if len(candidates) == 0:
            return candidates
        score = self.priority(gov, prog, state)[candidates]
        rows = candidates[_top(score, k, self._pick_rng)]
        state.planned_jp[rows] += spec.jp
        state.n_programs[rows] += 1
        return rows

    def _record_plan(self, gov: Snapshot, prog: _Program, rows: np.ndarray) -> None:
        spec = prog.spec
        self._plan_rows(gov, rows, spec.name, spec.target, spec.mode, spec.jp, spec.cost_per_seat)

    def _plan_rows(self, gov, rows, name, target, mode, jp, cost_per_seat) -> None:
        sector_of = gov.unit_sector[gov.staff.unit[rows]]
        trainees = np.bincount(sector_of, minlength=len(gov.sectors))
        for s in np.flatnonzero(trainees):
            self.plans.append(
                {
                    "year": gov.year + 1,  # the year the training happens in
                    "program": name,
                    "target": target,
                    "mode": mode,
                    "sector": gov.sectors[s],
                    "trainees": int(trainees[s]),
                    "jp": float(trainees[s] * jp),
                    "spend": float(trainees[s] * cost_per_seat),
                }
            )

    def plan_frame(self) -> pd.DataFrame:
        """Yearly plans: year, program, target, mode, sector, trainees, jp, spend."""
        cols = ["year", "program", "target", "mode", "sector", "trainees", "jp", "spend"]
        return pd.DataFrame(self.plans, columns=cols)

    def gain_frame(self) -> pd.DataFrame:
        """Completed cohorts as a table (year, program, target, trainees, gain)."""
        return pd.DataFrame(self.gains, columns=["year", "program", "target", "trainees", "gain"])

    # ------------------------------------------------------------------ internals

    def _catalogue(self, gov: Snapshot) -> list[_Program]:
        specs = gov.training.programs
        # draws of a fixed size every year, whatever the strategy does
        u_seats = self._seat_rng.random(len(specs))
        hours = gov.assumptions.hours_per_day
        totals = [spec.seats_per_cohort * spec.cohorts_per_year * gov.scale for spec in specs]
        seats = stochastic_round(np.array(totals, dtype=float), u_seats).tolist()
        out = []
        for i, spec in enumerate(specs):
            span = len(away_profile(training_days(spec.jp, hours)))
            starts = gov.day + self._date_rng.integers(
                0, max(1, gov.days_per_year - span), size=max(1, spec.cohorts_per_year)
            )
            if spec.target == "digital":
                target = DIGITAL
            elif spec.target == "managerial":
                target = MANAGERIAL
            else:
                target = gov.sectors.index(spec.target) if spec.target in gov.sectors else _NO_UNIT
            out.append(_Program(i, spec, target, seats[i], starts))
        return out

    def _schedule(self, gov: Snapshot, do: Actions, prog: _Program, rows: np.ndarray) -> None:
        """Split trainees into cohorts; each cohort is away, then gains, on its own dates."""
        profile = away_profile(training_days(prog.spec.jp, gov.assumptions.hours_per_day))
        n_cohorts = max(1, prog.spec.cohorts_per_year)
        for c, chunk in enumerate(cohorts(rows, n_cohorts)):
            if len(chunk) == 0:
                continue
            start = int(prog.cohort_starts[c])
            do.time_away(gov.staff.uid[chunk], start, profile, self._on_return(prog))

    def _on_return(self, prog: _Program) -> Callable[[Snapshot, Actions, np.ndarray], None]:
        def back(gov: Snapshot, do: Actions, rows: np.ndarray) -> None:
            mult = getattr(self.options.mode_multiplier, prog.spec.mode) * prog.spec.effectiveness
            gain = float(self._apply_gain(gov, do, rows, prog.target, mult, prog.spec.jp).sum())
            self.gains.append(
                {
                    "year": gov.year + 1,
                    "program": prog.spec.name,
                    "target": prog.spec.target,
                    "trainees": len(rows),
                    "gain": gain,
                }
            )

        return back

    def _apply_gain(
        self,
        gov: Snapshot,
        do: Actions,
        rows: np.ndarray,
        target: int | np.ndarray,
        mult: float,
        jp: float,
    ) -> np.ndarray:
        """Give ``rows`` the gain of ``jp`` JP in ``target`` (its lasting part included).

        ``target``: as :meth:`Actions.train` takes it (one sector per row: technical).
        Returns each one's gain on the job right after training.
        """
        opts: TrainingOptions = self.options
        a = gov.assumptions
        staff = gov.staff
        kind = "technical" if np.ndim(target) else _KINDS.get(int(target), "technical")
        sd = getattr(opts.competency_sd, kind)
        gain = training_gain(
            staff.resistance[rows],
            effect_size=opts.effect_size,
            competency_sd=sd,
            multiplier=mult,
            resistance_damping=opts.resistance_damping,
        )
        if kind == "technical":  # each read only when needed: a read may compact the column
            boost = staff.boost[rows, target]
        else:
            boost = getattr(staff, f"boost_{kind}")[rows]
        lasting = lasting_part(
            gain, boost, lasting_share=a.training_lasting_share, cap=a.training_lasting_max_sd * sd
        )
        if kind != "technical":
            gain = lasting  # no practice dynamics to carry a head start
        do.train(rows, target, gain, jp, lasting)
        return gain

    # ------------------------------------------------------------------ routine development

    def _routine(self, gov: Snapshot, do: Actions, state: _State) -> int:
        """Routine development for the coming year: who, when; return how many take part."""
        spec = gov.training.routine
        n = len(gov.staff)
        jp = float(sum(spec.forms.values()))
        profile = away_profile(training_days(jp, gov.assumptions.hours_per_day))
        dates, takes, order = (
            np.random.default_rng([self._routine_seed, gov.year, k]) for k in range(3)
        )
        starts = gov.day + dates.integers(
            0, max(1, gov.days_per_year - len(profile)), size=spec.cohorts_per_year
        )
        if n == 0 or jp <= 0 or spec.share <= 0:
            return 0
        uid = gov.staff.uid
        top = int(uid.max()) + 1
        u, key = takes.random(top)[uid], order.random(top)[uid]  # one draw per person
        opts: TrainingOptions = self.options
        cap = np.where(gov.staff.status == PPPK, opts.pppk_max_jp, np.inf) + _EPS
        taking = np.flatnonzero((u < spec.share) & (state.planned_jp + jp <= cap))
        state.planned_jp[taking] += jp
        rows = taking[np.argsort(key[taking], kind="stable")]  # groups in a random order
        for c, chunk in enumerate(cohorts(rows, spec.cohorts_per_year)):
            if len(chunk):
                do.time_away(gov.staff.uid[chunk], int(starts[c]), profile, self._routine_back)
        self._plan_rows(gov, taking, ROUTINE, "own sector", "routine", jp, 0.0)
        return len(rows)

    def _routine_multiplier(self, gov: Snapshot) -> float:
        """JP-weighted mean of the routine forms' mode multipliers × routine effectiveness."""
        spec = gov.training.routine
        jp = sum(spec.forms.values())
        modes = self.options.mode_multiplier
        mean = sum(getattr(modes, form) * j for form, j in spec.forms.items()) / jp
        return mean * spec.effectiveness

    def _routine_back(self, gov: Snapshot, do: Actions, rows: np.ndarray) -> None:
        """Routine development ends: each participant gains in their own sector."""
        jp = float(sum(gov.training.routine.forms.values()))
        mult = self._routine_multiplier(gov)
        sector = gov.unit_sector[gov.staff.unit[rows]]
        gain = self._apply_gain(gov, do, rows, sector, mult, jp)  # everyone at once
        # summed sector by sector, as each sector was trained: each sector's gains in
        # their order (a stable sort), in order of sector
        order = np.argsort(sector, kind="stable")
        by_sector, sorted_sector = gain[order], sector[order]
        ends = [*(np.flatnonzero(sorted_sector[1:] != sorted_sector[:-1]) + 1).tolist(), len(rows)]
        total, start = 0.0, 0
        for end in ends:
            total += float(by_sector[start:end].sum())
            start = end
        self.gains.append(
            {
                "year": gov.year + 1,
                "program": ROUTINE,
                "target": "own sector",
                "trainees": len(rows),
                "gain": total,
            }
        )


@dataclass
class _State:
    """What this year's allocation has committed so far (and gaps computed once)."""

    planned_jp: np.ndarray
    n_programs: np.ndarray
    budget_left: float
    gaps: dict[int, np.ndarray] = field(default_factory=dict)

    def gap(self, gov: Snapshot, target: int) -> np.ndarray:
        """``post_gap`` of a target, computed once per plan (state does not change meanwhile)."""
        if target not in self.gaps:
            self.gaps[target] = post_gap(gov, target)
        return self.gaps[target]


def _top(score: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of the ``k`` highest scores, ties broken at random, best first."""
    key = -np.asarray(score, dtype=float)
    tie = rng.random(len(key))
    if k < len(key):
        # a tie-break far below any real difference in score, then an exact sort of the few
        cut = np.argpartition(key + tie * 1e-9, k - 1)[:k]
        return cut[np.lexsort((tie[cut], key[cut]))]
    return np.lexsort((tie, key))


@register
class NoTraining(TrainingPolicy):
    """No development at all: learning on the job only (not even routine development)."""

    name = "none"
    Options = NoOptions

    def act(self, gov: Snapshot, do: Actions) -> Result:  # noqa: D102
        return Result(0.0, {"trained": 0, "jp": 0.0, "seats": 0})


@register
class StatusQuoTraining(TrainingPolicy):
    """The status quo: routine development only (``training.routine``), no catalogue seats."""

    name = "status_quo"

    def program_order(self, gov, programs, state):  # noqa: D102
        return []


@register
class UniformTraining(TrainingPolicy):
    """Everyone toward the 20 JP right: fewest JP first, cheapest JP first."""

    name = "uniform"
    Options = UniformTrainingOptions

    def program_order(self, gov, programs, state):  # noqa: D102
        return sorted(programs, key=lambda p: p.spec.cost_per_seat / p.spec.jp)

    def priority(self, gov, program, state):  # noqa: D102
        return -state.planned_jp

    def eligible(self, gov, program, state):  # noqa: D102
        return state.planned_jp < self.options.target_jp


@register
class NeedsBasedTraining(TrainingPolicy):
    """The largest competency gap to the post first (a training needs analysis).

    Programmes are filled in order of the gap their seats can close per rupiah (mean gap of
    the neediest who would take them × mode × effectiveness ÷ cost); within a programme the
    staff with the largest gap in its target competency come first. Staff with no gap in a
    programme's target are not sent to it.
    """

    name = "needs_based"

    def program_order(self, gov, programs, state):  # noqa: D102
        opts: TrainingOptions = self.options

        def value(p: _Program) -> float:
            if p.target < MANAGERIAL or p.seats <= 0:
                return -np.inf
            gap = state.gap(gov, p.target)
            top = np.sort(gap[gap > 0])[::-1][: p.seats]
            if len(top) == 0:
                return -np.inf
            mult = getattr(opts.mode_multiplier, p.spec.mode) * p.spec.effectiveness
            return top.mean() * mult / max(p.spec.cost_per_seat, 1.0)

        return sorted(programs, key=value, reverse=True)

    def priority(self, gov, program, state):  # noqa: D102
        return state.gap(gov, program.target)

    def eligible(self, gov, program, state):  # noqa: D102
        return state.gap(gov, program.target) > 0


@register
class EvaluationDrivenTraining(TrainingPolicy):
    """The sectors (then units) with the lowest IKM the government sees first.

    Programmes for sectors are filled weakest sector first (``gov.sector_signal()``, which
    citizen participation sharpens: it acts before training), then the digital and
    managerial programmes. Within a programme, staff of the weakest units come first. Digital
    and managerial seats go to the weakest sectors' staff first (``cross_cutting:
    weakest_first``) or to those with the fewest JP (``spread``).
    """

    name = "evaluation_driven"
    Options = EvaluationDrivenOptions

    def program_order(self, gov, programs, state):  # noqa: D102
        signal = gov.sector_signal()

        def key(p: _Program) -> tuple[int, float]:
            if p.target >= 0:
                return (0, signal.get(gov.sectors[p.target], np.inf))
            return (1, 0.0)

        return sorted(programs, key=key)

    def priority(self, gov, program, state):  # noqa: D102
        unit_signal = _unit_signal(gov)
        sector_signal = _sector_signal_array(gov)
        unit = gov.staff.unit
        unit_score = -unit_signal[unit]
        if program.target >= 0:
            return unit_score
        if self.options.cross_cutting == "spread":
            return -state.planned_jp
        # weakest sector first, then weakest unit
        rank = np.argsort(np.argsort(sector_signal, kind="stable"), kind="stable")
        return -rank[gov.unit_sector[unit]] * _SECTOR_FIRST + unit_score


def _sector_signal_array(gov: Snapshot) -> np.ndarray:
    signal = gov.sector_signal()
    values = np.array([signal.get(s, np.nan) for s in gov.sectors], dtype=float)
    fill = np.nanmean(values) if np.isfinite(values).any() else 0.0
    return np.where(np.isfinite(values), values, fill)


def _unit_signal(gov: Snapshot) -> np.ndarray:
    """Each unit's IKM as the government sees it (as ``sector_signal``, per unit)."""
    sector = _sector_signal_array(gov)[gov.unit_sector]
    values = gov.unit_signal()
    if values is None:
        return sector
    return np.where(np.isfinite(values), values, sector)
