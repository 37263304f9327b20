"""Training allocation: who is trained in which programme each year, within budget and seats.

At each year's end a training policy fills the seats of the scenario's programme catalogue
(``training.programs``) for the coming year within the yearly budget
(``training.budget_per_year``). Budget and seats are the real city's: a run at ``scale`` < 1
is a miniature of the city, so both are multiplied by ``scale`` (seats rounded at random, up
or down, with the right mean).

Each cohort of a programme starts on a day drawn in the coming year; its trainees are away
from their desk (``present`` = 0) for ``JP × 45 min ÷ hours_per_day`` working days, and when
the cohort ends their competency rises by the retained training effect:

    gain = headroom × min(1, d × retention × sd × mode × effectiveness
                             × (1 − damping × resistance) ÷ reference_headroom)

where ``headroom`` = ceiling − level of the trained competency. A typical trainee (headroom
equal to the reference) gains ``d × retention`` SD: d ≈ 0.6 (Arthur, Bennett, Edens & Bell
2003) of which ≈ 0.35 is still applied after a year (Saks & Belcourt 2006); someone closer to
the ceiling gains less (diminishing returns), staff who resist change gain less.

Strategies differ only in the order of programmes and who gets a seat first:

- ``none``: no structured training (learning on the job only).
- ``uniform``: everyone toward the 20 JP right of every PNS (PP 11/2017): the staff with the
  fewest JP this year first, the cheapest JP first.
- ``needs_based``: the largest competency gap to the post first (training needs analysis).
- ``evaluation_driven``: the sectors, and within them the units, with the lowest IKM the
  government sees (``model.sector_signal()``) first.

PPPK never exceed 24 JP a year (PP 49/2018 art. 40).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from asnsim.policies import NoOptions, Policy, register
from asnsim.workforce import PPPK

if TYPE_CHECKING:
    from asnsim.model import ASNModel
    from asnsim.scenario import TrainingProgramSpec
    from asnsim.workforce import Workforce

__all__ = [
    "DIGITAL",
    "MANAGERIAL",
    "MODES",
    "EvaluationDrivenTraining",
    "ModeMultipliers",
    "NeedsBasedTraining",
    "NoTraining",
    "ReferenceHeadroom",
    "TrainingOptions",
    "TrainingPolicy",
    "UniformTraining",
    "UniformTrainingOptions",
    "away_profile",
    "post_gap",
    "retained_gain",
    "stochastic_round",
    "training_days",
]

Mode = Literal["classroom", "workshop", "e_learning", "coaching", "partnership"]
MODES: tuple[str, ...] = ("classroom", "workshop", "e_learning", "coaching", "partnership")
"""Delivery modes of the catalogue."""

DIGITAL, MANAGERIAL = -1, -2
"""Target codes of the non-sector competencies (a sector target is its sector index)."""

MINUTES_PER_JP = 45.0
"""1 JP (jam pelajaran) = 45 minutes (PerLAN 5/2018; DOMAIN.md)."""

MANAGERIAL_POSTS = (0, 1, 2)
"""Position indices of the managerial posts (JPT, administrator, pengawas; UU 20/2023)."""

AWAY_COLUMN = "training_away"
"""Workforce column: share of today's working day each employee spends in training."""


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
    partnership: float = Field(
        1.0,
        ge=0,
        le=3,
        description="[x] A classroom course run by a university or NGO: same methods, same "
        "effect (assumption; Palembang paper, seed 002).",
    )


class ReferenceHeadroom(BaseModel):
    """Headroom (ceiling − level) of a typical trainee, who gains exactly the mean effect."""

    model_config = ConfigDict(extra="forbid")
    technical: float = Field(
        0.15,
        gt=0,
        le=1,
        description="[0-1] Staff start near 0.85 in their own sector and practise toward "
        "1 (workforce.py); the typical trainee's headroom (assumption).",
    )
    digital: float = Field(
        0.6,
        gt=0,
        le=1,
        description="[0-1] Staff digital competency averages 0.4 (city profiles), headroom "
        "0.6 (assumption).",
    )
    managerial: float = Field(
        0.5,
        gt=0,
        le=1,
        description="[0-1] Managerial competency averages 0.5 (workforce.py), headroom 0.5 "
        "(assumption).",
    )


class TrainingOptions(BaseModel):
    """Behavioural constants and limits shared by every training strategy."""

    model_config = ConfigDict(extra="forbid")
    effect_size: float = Field(
        0.6,
        ge=0,
        le=2,
        description="[SD] Mean training effect on the trained competency, 0.4-0.8 "
        "(Arthur, Bennett, Edens & Bell 2003, JAP 88).",
    )
    retention: float = Field(
        0.35,
        ge=0,
        le=1,
        description="[share] Of the effect, still applied a year later, 0.30-0.45 "
        "(Saks & Belcourt 2006, HRM 45(4)).",
    )
    competency_sd: float = Field(
        0.15,
        gt=0,
        le=0.5,
        description="[0-1 per SD] One SD of a competency among staff: digital is drawn with SD "
        "0.15, sector competency has SD ≈ 0.125 (workforce.py).",
    )
    reference_headroom: ReferenceHeadroom = Field(
        default_factory=ReferenceHeadroom,
        description="[0-1] Headroom of a typical trainee; gains scale with headroom "
        "(diminishing returns; assumption).",
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
        ge=1,
        le=10,
        description="[programmes/year] Seats one employee may take in a year, so seats are "
        "spread (assumption).",
    )
    modes: list[Mode] = Field(
        default_factory=lambda: list(MODES),
        min_length=1,
        description="[modes] Delivery modes the government buys; leave out 'partnership' to "
        "ask what university/NGO partnerships add (Palembang paper, seed 002).",
    )


class UniformTrainingOptions(TrainingOptions):
    """Options of ``uniform`` training."""

    target_jp: float = Field(
        20.0,
        gt=0,
        le=200,
        description="[JP/year] Seats go to staff below this: every PNS has the right to 20 JP "
        "a year (PP 11/2017; PerLAN 5/2018).",
    )


class EvaluationDrivenOptions(TrainingOptions):
    """Options of ``evaluation_driven`` training."""

    cross_cutting: Literal["weakest_first", "spread"] = Field(
        "weakest_first",
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
    whole = int(np.floor(days + 1e-9))
    frac = days - whole
    out = np.ones(whole)
    if frac > 1e-9:
        out = np.append(out, frac)
    return out


def stochastic_round(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Round ``x`` down or up at random (up with probability ``x − floor(x)``; ``u`` uniform).

    Keeps the mean: seats of a scaled-down city are neither inflated nor lost on average.
    """
    x = np.asarray(x, dtype=float)
    low = np.floor(x)
    return (low + (u < x - low)).astype(np.int64)


def retained_gain(
    level: np.ndarray,
    ceiling: np.ndarray,
    resistance: np.ndarray,
    *,
    effect_size: float,
    retention: float,
    competency_sd: float,
    reference_headroom: float,
    multiplier: float,
    resistance_damping: float,
) -> np.ndarray:
    """Competency gained (0-1 scale) and still applied a year after a programme.

    ``headroom × min(1, d × retention × sd × multiplier × (1 − damping × resistance) ÷
    reference_headroom)``: a trainee whose headroom (ceiling − level) equals the reference
    gains ``d × retention`` SD (Arthur et al. 2003; Saks & Belcourt 2006), less if closer to
    the ceiling, never past it.

    Args:
        level: Current level of the trained competency.
        ceiling: What the trainee can reach in it.
        resistance: Resistance to change, 0-1.
        effect_size: Mean effect d, in SD.
        retention: Share of the effect applied after a year.
        competency_sd: One SD on the 0-1 scale.
        reference_headroom: Headroom of a typical trainee.
        multiplier: Mode × programme effectiveness.
        resistance_damping: Loss of gain per unit of resistance.
    """
    headroom = np.maximum(0.0, np.asarray(ceiling, dtype=float) - level)
    damp = np.clip(1.0 - resistance_damping * np.asarray(resistance, dtype=float), 0.0, 1.0)
    share = effect_size * retention * competency_sd * multiplier * damp / reference_headroom
    return headroom * np.minimum(1.0, share)


def post_gap(model: ASNModel, target: int) -> np.ndarray:
    """Each employee's gap to what their post needs in a target competency.

    Sector ``s`` (index ≥ 0): ceiling − current competency for staff of that sector, 0 for
    the others (they do not practise it). ``DIGITAL``: the unit's digital maturity − the
    employee's digital competency (a post needs what its unit's systems demand;
    assumption). ``MANAGERIAL``: 1 − managerial competency for managerial posts (JPT,
    administrator, pengawas), 0 for the others.
    """
    wf, units = model.workforce, model.units
    if target == DIGITAL:
        return np.maximum(0.0, units.digital_maturity[wf.unit] - wf.digital)
    if target == MANAGERIAL:
        managers = np.isin(wf.position, MANAGERIAL_POSTS)
        return np.where(managers, np.maximum(0.0, 1.0 - wf.managerial), 0.0)
    here = units.sector[wf.unit] == target
    return np.where(here, np.maximum(0.0, wf.ceil - wf.cur), 0.0)


# --------------------------------------------------------------------------- the policies


@dataclass
class _Program:
    """A catalogue entry as the allocation sees it this year."""

    index: int
    spec: TrainingProgramSpec
    agent: object | None
    target: int  # sector index, DIGITAL or MANAGERIAL; -99 if no unit serves the sector
    seats: int  # seats this year, at scale
    cohort_starts: np.ndarray  # model day of each cohort's start


class TrainingPolicy(Policy):
    """Base of training policies: fills the catalogue's seats, schedules and applies training.

    Subclasses choose the order of programmes (:meth:`program_order`) and who gets a seat
    first (:meth:`priority`, :meth:`eligible`).

    Attributes:
        plans: One row per year, programme and sector of the trainees: trainees, JP, spend.
        gains: One row per completed cohort: trainees and total competency gained.
    """

    kind = "training"
    Options = TrainingOptions

    def __init__(self, options: BaseModel, rng: np.random.Generator):
        super().__init__(options, rng)
        # Separate child streams, spawned before any draw: seat rounding and cohort dates are
        # the same under every strategy with the same seed (common random numbers).
        self._seat_rng, self._date_rng, self._pick_rng = rng.spawn(3)
        self.plans: list[dict] = []
        self.gains: list[dict] = []

    # ------------------------------------------------------------------ strategy hooks

    def program_order(
        self, model: ASNModel, programs: list[_Program], state: _State
    ) -> list[_Program]:
        """Order in which programmes are filled (the budget may run out on the way)."""
        return programs

    def priority(self, model: ASNModel, program: _Program, state: _State) -> np.ndarray:
        """Score of each employee for a seat of ``program`` (higher first; ties at random)."""
        return np.zeros(len(model.workforce))

    def eligible(self, model: ASNModel, program: _Program, state: _State) -> np.ndarray:
        """Strategy-specific eligibility on top of the common rules."""
        return np.ones(len(model.workforce), dtype=bool)

    # ------------------------------------------------------------------ the year

    def plan_year(self, model: ASNModel) -> float:
        """Fill next year's seats within the budget, schedule the cohorts; return the spend."""
        opts: TrainingOptions = self.options
        wf = model.workforce
        wf.add_column(AWAY_COLUMN, 0.0)
        programs = self._catalogue(model)
        for prog in programs:
            if prog.agent is not None:
                prog.agent.seats_used = 0
        if not programs or len(wf) == 0:
            return 0.0
        state = _State(
            planned_jp=np.zeros(len(wf)),
            n_programs=np.zeros(len(wf), dtype=np.int64),
            budget_left=model.spec.training.budget_per_year * model.spec.scale,
        )
        jp_cap = np.where(wf.status == PPPK, opts.pppk_max_jp, np.inf) + 1e-9
        spent = 0.0
        year = model.day // model.days_per_year + 1  # the year the training happens in
        sector_of = model.units.sector[wf.unit]
        n_sectors = len(model.units.sectors)
        for prog in self.program_order(model, programs, state):
            spec = prog.spec
            if prog.target < MANAGERIAL or prog.seats <= 0 or spec.mode not in opts.modes:
                continue
            affordable = (
                prog.seats
                if spec.cost_per_seat <= 0
                else int(np.floor(state.budget_left / spec.cost_per_seat + 1e-9))
            )
            k = min(prog.seats, affordable)
            if k <= 0:
                continue
            ok = (state.planned_jp + spec.jp <= jp_cap) & (
                state.n_programs < opts.max_programs_per_employee
            )
            if prog.target >= 0:
                ok &= sector_of == prog.target
            ok &= self.eligible(model, prog, state)
            candidates = np.flatnonzero(ok)
            if len(candidates) == 0:
                continue
            rows = candidates[
                _top(self.priority(model, prog, state)[candidates], k, self._pick_rng)
            ]
            state.planned_jp[rows] += spec.jp
            state.n_programs[rows] += 1
            cost = len(rows) * spec.cost_per_seat
            state.budget_left -= cost
            spent += cost
            if prog.agent is not None:
                prog.agent.seats_used = len(rows)
            self._schedule(model, prog, rows)
            trainees = np.bincount(sector_of[rows], minlength=n_sectors)
            for s in np.flatnonzero(trainees):
                self.plans.append(
                    {
                        "year": year,
                        "program": spec.name,
                        "target": spec.target,
                        "mode": spec.mode,
                        "sector": model.units.sectors[s],
                        "trainees": int(trainees[s]),
                        "jp": float(trainees[s] * spec.jp),
                        "spend": float(trainees[s] * spec.cost_per_seat),
                    }
                )
        return spent

    def plan_frame(self) -> pd.DataFrame:
        """Yearly plans: year, program, target, mode, sector, trainees, jp, spend."""
        cols = ["year", "program", "target", "mode", "sector", "trainees", "jp", "spend"]
        return pd.DataFrame(self.plans, columns=cols)

    def gain_frame(self) -> pd.DataFrame:
        """Completed cohorts as a table (year, program, target, trainees, gain)."""
        return pd.DataFrame(self.gains, columns=["year", "program", "target", "trainees", "gain"])

    # ------------------------------------------------------------------ internals

    def _catalogue(self, model: ASNModel) -> list[_Program]:
        from asnsim.agents import TrainingProgram

        specs = model.spec.training.programs
        try:
            agents = {id(a.spec): a for a in model.agents_by_type[TrainingProgram]}
        except KeyError:
            agents = {}
        # draws of a fixed size every year, whatever the strategy does
        u_seats = self._seat_rng.random(len(specs))
        dpy = model.days_per_year
        hours = model.spec.assumptions.hours_per_day
        year_start = model.day
        sectors = model.units.sectors
        out = []
        for i, spec in enumerate(specs):
            span = len(away_profile(training_days(spec.jp, hours)))
            starts = year_start + self._date_rng.integers(
                0, max(1, dpy - span), size=max(1, spec.cohorts_per_year)
            )
            if spec.target == "digital":
                target = DIGITAL
            elif spec.target == "managerial":
                target = MANAGERIAL
            else:
                target = sectors.index(spec.target) if spec.target in sectors else -99
            total = spec.seats_per_cohort * spec.cohorts_per_year * model.spec.scale
            seats = int(stochastic_round(np.array([total]), u_seats[i : i + 1])[0])
            out.append(_Program(i, spec, agents.get(id(spec)), target, seats, starts))
        return out

    def _schedule(self, model: ASNModel, prog: _Program, rows: np.ndarray) -> None:
        """Split trainees into cohorts; each cohort is away, then gains, on its own dates."""
        wf = model.workforce
        profile = away_profile(training_days(prog.spec.jp, model.spec.assumptions.hours_per_day))
        n_cohorts = max(1, prog.spec.cohorts_per_year)
        for c, chunk in enumerate(np.array_split(rows, n_cohorts)):
            if len(chunk) == 0:
                continue
            uids = wf.uid[chunk].copy()
            start = int(prog.cohort_starts[c])
            previous = 0.0
            for offset, share in enumerate(profile):
                if share != previous:
                    model.at_day(start + offset, _away_event(model, uids, share - previous))
                previous = share
            model.at_day(start + len(profile), self._end_event(model, uids, prog, -previous))

    def _end_event(
        self, model: ASNModel, uids: np.ndarray, prog: _Program, back: float
    ) -> Callable[[], None]:
        def event() -> None:
            rows = _live_rows(model.workforce, uids)
            _shift_away(model.workforce, rows, back)
            gain = self._apply_gain(model, rows, prog)
            model.workforce.jp_year[rows] += prog.spec.jp
            self.gains.append(
                {
                    "year": model.day // model.days_per_year + 1,
                    "program": prog.spec.name,
                    "target": prog.spec.target,
                    "trainees": len(rows),
                    "gain": float(gain.sum()),
                }
            )

        return event

    def _apply_gain(self, model: ASNModel, rows: np.ndarray, prog: _Program) -> np.ndarray:
        """Raise the trained competency of ``rows`` by the retained gain; return the gains."""
        opts: TrainingOptions = self.options
        wf, units = model.workforce, model.units
        spec = prog.spec
        mult = getattr(opts.mode_multiplier, spec.mode) * spec.effectiveness

        def gain(level, ceiling, reference):
            return retained_gain(
                level,
                ceiling,
                wf.resistance[rows],
                effect_size=opts.effect_size,
                retention=opts.retention,
                competency_sd=opts.competency_sd,
                reference_headroom=reference,
                multiplier=mult,
                resistance_damping=opts.resistance_damping,
            )

        ref = opts.reference_headroom
        if prog.target == DIGITAL:
            g = gain(wf.digital[rows], 1.0, ref.digital)
            wf.digital[rows] += g
            return g
        if prog.target == MANAGERIAL:
            g = gain(wf.managerial[rows], 1.0, ref.managerial)
            wf.managerial[rows] += g
            return g
        s = prog.target
        current = units.sector[wf.unit[rows]] == s
        level = np.where(current, wf.cur[rows], wf.competency[rows, s])
        other_ceiling = np.maximum(
            np.where(
                model.qualifies[s, wf.field[rows]], 1.0, model.spec.assumptions.mismatch_ceiling
            ),
            wf.floor[rows, s],
        )
        ceiling = np.where(current, wf.ceil[rows], other_ceiling)
        g = gain(level, ceiling, ref.technical)
        wf.cur[rows[current]] += g[current]
        wf.competency[rows[~current], s] += g[~current]
        return g


@dataclass
class _State:
    """What this year's allocation has committed so far (and gaps computed once)."""

    planned_jp: np.ndarray
    n_programs: np.ndarray
    budget_left: float
    gaps: dict[int, np.ndarray] = field(default_factory=dict)

    def gap(self, model: ASNModel, target: int) -> np.ndarray:
        """``post_gap`` of a target, computed once per plan (state does not change meanwhile)."""
        if target not in self.gaps:
            self.gaps[target] = post_gap(model, target)
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


def _live_rows(wf: Workforce, uids: np.ndarray) -> np.ndarray:
    """Rows of the employees with these ids who are still employed."""
    if len(wf) == 0:
        return np.zeros(0, dtype=np.int64)
    rows = np.asarray(wf.rows_of(uids))
    clipped = np.minimum(rows, len(wf) - 1)
    return clipped[(rows < len(wf)) & (wf.uid[clipped] == uids)]


def _shift_away(wf: Workforce, rows: np.ndarray, delta: float) -> None:
    away = wf.extra[AWAY_COLUMN]
    new = away[rows] + delta
    new[np.abs(new) < 1e-9] = 0.0
    away[rows] = new
    wf.present[rows] = np.clip(1.0 - new, 0.0, 1.0)


def _away_event(model: ASNModel, uids: np.ndarray, delta: float) -> Callable[[], None]:
    def event() -> None:
        _shift_away(model.workforce, _live_rows(model.workforce, uids), delta)

    return event


@register
class NoTraining(TrainingPolicy):
    """Status quo of this model: no structured training beyond learning on the job."""

    name = "none"
    Options = NoOptions

    def plan_year(self, model) -> float:  # noqa: D102
        return 0.0


@register
class UniformTraining(TrainingPolicy):
    """Everyone toward the 20 JP right: fewest JP first, cheapest JP first."""

    name = "uniform"
    Options = UniformTrainingOptions

    def program_order(self, model, programs, state):  # noqa: D102
        return sorted(programs, key=lambda p: p.spec.cost_per_seat / p.spec.jp)

    def priority(self, model, program, state):  # noqa: D102
        return -state.planned_jp

    def eligible(self, model, program, state):  # noqa: D102
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

    def program_order(self, model, programs, state):  # noqa: D102
        opts: TrainingOptions = self.options

        def value(p: _Program) -> float:
            if p.target < MANAGERIAL or p.seats <= 0:
                return -np.inf
            gap = state.gap(model, p.target)
            top = np.sort(gap[gap > 0])[::-1][: p.seats]
            if len(top) == 0:
                return -np.inf
            mult = getattr(opts.mode_multiplier, p.spec.mode) * p.spec.effectiveness
            return top.mean() * mult / max(p.spec.cost_per_seat, 1.0)

        return sorted(programs, key=value, reverse=True)

    def priority(self, model, program, state):  # noqa: D102
        return state.gap(model, program.target)

    def eligible(self, model, program, state):  # noqa: D102
        return state.gap(model, program.target) > 0


@register
class EvaluationDrivenTraining(TrainingPolicy):
    """The sectors (then units) with the lowest IKM the government sees first.

    Programmes for sectors are filled weakest sector first (``model.sector_signal()``), then
    the digital and managerial programmes. Within a programme, staff of the weakest units
    come first. Digital and managerial seats go to the weakest sectors' staff first
    (``cross_cutting: weakest_first``) or to those with the fewest JP (``spread``).
    """

    name = "evaluation_driven"
    Options = EvaluationDrivenOptions

    def program_order(self, model, programs, state):  # noqa: D102
        signal = model.sector_signal()
        sectors = model.units.sectors

        def key(p: _Program) -> tuple[int, float]:
            if p.target >= 0:
                return (0, signal.get(sectors[p.target], np.inf))
            return (1, 0.0)

        return sorted(programs, key=key)

    def priority(self, model, program, state):  # noqa: D102
        unit_signal = _unit_signal(model)
        sector_signal = _sector_signal_array(model)
        wf = model.workforce
        unit_score = -unit_signal[wf.unit]
        if program.target >= 0:
            return unit_score
        if self.options.cross_cutting == "spread":
            return -state.planned_jp
        # weakest sector first, then weakest unit (IKM ≤ 100, so the sector rank dominates)
        rank = np.argsort(np.argsort(sector_signal, kind="stable"), kind="stable")
        return -rank[model.units.sector[wf.unit]] * 1000.0 + unit_score


def _sector_signal_array(model: ASNModel) -> np.ndarray:
    signal = model.sector_signal()
    values = np.array([signal.get(s, np.nan) for s in model.units.sectors], dtype=float)
    fill = np.nanmean(values) if np.isfinite(values).any() else 0.0
    return np.where(np.isfinite(values), values, fill)


def _unit_signal(model: ASNModel) -> np.ndarray:
    """Each unit's IKM as the government sees it (as ``sector_signal``, per unit)."""
    frames = model.outcomes.annual_frames
    sector = _sector_signal_array(model)[model.units.sector]
    if not frames:
        return sector
    last = frames[-1]
    w = model.feedback_weight
    values = (1.0 - w) * last["ikm"].to_numpy(dtype=float) + w * last["ikm_true"].to_numpy(
        dtype=float
    )
    return np.where(np.isfinite(values), values, sector)
