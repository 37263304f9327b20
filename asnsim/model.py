"""ASNModel: a local government's civil servants serving its citizens, one working day a step.

Daily: arrivals → each unit's capacity from its staff → FIFO service → errors and rework →
abandonment → learning by doing → motivation drift. Each month's first day: retirements at
the BUP and PPPK contract ends (renewed or not). Each semester: the SKM survey and IKM. Each
year: the personnel cycle (decay of unused skills, ageing, resignations, promotion,
recruitment, placement of newcomers, training).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import mesa
import numpy as np
from tqdm import tqdm

from asnsim.agents import (
    Employee,
    ServiceUnit,
    TrainingProgram,
    add_employees,
    remove_employees,
)
from asnsim.demand import Queues, wait_quantile
from asnsim.ip_asn import ip_asn
from asnsim.outcomes import (
    EXPECTED_COLUMNS,
    NRR_COLUMNS,
    Outcomes,
    band_of,
    expected_complaints,
    personnel_rates,
    seekers_ikm,
    stratified_ikm,
    unit_ikm,
    unit_ikm_spread,
    workforce_mix,
)
from asnsim.people import (
    is_manager,
    is_teacher,
    learning_rate,
    month_start,
    newcomer_resigns,
    rank_caps,
    retirement_age,
    retirement_day,
    sector_posts,
    synthetic_people,
    to_workforce,
)
from asnsim.policies import Policy, Result, make_policy
from asnsim.policies.contract import Actions, Snapshot
from asnsim.policies.levers import LEVERS
from asnsim.rng import streams
from asnsim.scenario import POSITION_TYPES, Scenario, load_scenario
from asnsim.survey import (
    ELEMENTS,
    kinder_answers,
    krejcie_morgan,
    propensities,
    survey_totals,
    wait_driver,
)
from asnsim.units import ServiceState, build_units
from asnsim.vocab import JP_RIGHT_PER_YEAR
from asnsim.workday import drift_motivation, effective_hours, overload
from asnsim.workforce import (
    PNS,
    PPPK,
    Workforce,
    apportion,
    exit_shares,
    qualification_table,
    zero_flows,
)

__all__ = ["ASNModel"]

_U3 = ELEMENTS.index("U3")


class ASNModel(mesa.Model):
    """A city's ASN workforce serving citizen demand, with IKM measured per PermenPANRB 14/2017.

    Args:
        scenario: A :class:`~asnsim.scenario.Scenario` or the path of a scenario YAML file.
        rng: An integer seed overriding the scenario's (mesa's ``rng`` keyword, so
            ``mesa.batch_run`` can pass seeds).
        roster: A :class:`~asnsim.roster.Roster` (from :func:`~asnsim.roster.load_roster`)
            giving the starting workforce instead of the synthetic one.
        **params: Dotted overrides of the scenario with ``__`` for dots, e.g.
            ``policies__placement__name="random"`` or ``scale=0.05``.

    Attributes:
        spec: The validated scenario actually run (``model.scenario`` is mesa's own).
        workforce: Employee state as arrays.
        units: Per-unit constants.
        service: The unit attributes levers change (effort, digital maturity, complaint
            handling), with the scenario's values as baseline.
        policies: The policy acting for each lever kind, in the yearly order of ``LEVERS``.
        spend: Rupiah each lever committed at the last year's end.
        feedback_weight: How far complaints and forums sharpen the IKM signal (0 unless a
            lever sets it through ``Actions.set_feedback_weight``).
        queues: Citizens waiting, served and lost.
        outcomes: What the run records.
    """

    def __init__(
        self,
        scenario: Scenario | str | Path,
        *,
        rng: Any = None,
        roster: Any = None,
        **params: Any,
    ):
        scenario = _resolve(scenario, rng, params)
        super().__init__(rng=scenario.seed)
        self.spec = scenario
        self.rngs = streams(scenario.seed)
        a = scenario.assumptions
        self.days_per_year = scenario.days_per_year
        self.n_days = scenario.horizon_years * scenario.days_per_year
        self.day = 0
        self._month_days = frozenset(month_start(np.arange(12), self.days_per_year).tolist())

        self.units = build_units(scenario, self.rngs["units"])
        self.field_names, self.qualifies = qualification_table(scenario)
        self.queues = Queues(self.units, a, self.days_per_year, scenario.city.seasonality)
        self._init_levers()
        self._day_events: dict[int, list[Callable[[], None]]] = {}
        self.learning_rate = learning_rate(a)
        self.skill_retention_year = 0.5 ** (self.days_per_year / a.skill_half_life_days)
        self.training_retention_year = 0.5 ** (1.0 / a.training_half_life_years)
        self._service_share = np.array([a.service_share[p] for p in POSITION_TYPES])
        self.outcomes = Outcomes(
            unit_names=self.units.name,
            unit_sectors=[self.units.sectors[s] for s in self.units.sector],
            n_days=self.n_days,
            days_per_year=self.days_per_year,
        )
        self._init_agents(roster)
        self._plan_first_year()
        self.datacollector = mesa.DataCollector(
            model_reporters={key: _city_reporter(key) for key in _REPORTED}
        )

    # ------------------------------------------------------------------ set-up

    def _init_levers(self) -> None:
        """A policy per row of ``LEVERS`` (each with its stream) and what the levers change."""
        self.service = ServiceState.of(self.units)
        self.policies: dict[str, Policy] = {}
        for row in LEVERS:
            choice = getattr(self.spec.policies, row.kind)
            self.policies[row.kind] = make_policy(
                row.kind, choice.name, choice.options, self.rngs[row.stream]
            )
        self.spend = dict.fromkeys(self.policies, 0.0)
        self.training_spend = 0.0
        self.feedback_weight = 0.0
        self._diagnostics: dict[str, float] = {}
        self._professionalism: dict[str, float | str] = {}  # IP ASN of the year (ip_asn.py)
        self._known: dict[str, np.ndarray] = {}  # the year's figures per unit, for the levers
        self._newcomers = np.zeros(0, dtype=np.int64)  # recruits awaiting placement
        self._hired_by: str | None = None

    def _plan_first_year(self) -> None:
        """The training plan of year 1, made before the run as later ones are at a year's end.

        Without it the first year would have no development in any strategy (issue 11, item 4).
        """
        self._act("training")
        self.training_spend = self.spend["training"]
        self._diagnostics = {}

    def _init_agents(self, roster: Any) -> None:
        """The mesa agents (units, programmes, employees) and the first year's counters."""
        for u in range(len(self.units)):
            ServiceUnit(self, u)
        programs = self.spec.training.programs
        self.training_programs = [TrainingProgram(self, p) for p in programs]
        self.workforce = Workforce.empty(len(self.units.sectors))
        self._employees: dict[int, Employee] = {}
        self._build_workforce(roster)
        self._year_start = self._counters()
        self._period_surveys: list[dict[str, np.ndarray]] = []
        self._survey_cache: dict[str, np.ndarray] = {}  # see _survey_constants
        self._flows = zero_flows()
        self._headcount_start = len(self.workforce)

    def _build_workforce(self, roster: Any = None) -> None:
        """The start workforce: the roster's people table or a synthetic one.

        Either way :func:`asnsim.people.to_workforce` turns it into workforce rows.
        """
        people = self._synthetic_start() if roster is None else self._roster_start(roster)
        self._hire(to_workforce(people, self.spec, self.units, day=0))
        self._ramping = np.zeros(0, dtype=np.int64)
        self._ramp_cohort: tuple[np.ndarray | None, int | None] = (None, None)  # rows, hire day
        self._refresh_base_hours()

    def _synthetic_start(self) -> dict[str, np.ndarray]:
        wf_spec = self.spec.city.workforce
        headcount = max(1, round(wf_spec.headcount * self.spec.scale))
        caps = self.units.formation
        staff = apportion(headcount, caps * self.units.staffing_weight, caps)
        # shuffled: rows in unit order would make the daily per-unit sums (bincount) a
        # chain of dependent additions, 2.5x slower than in mixed order
        unit_of = self.rngs["workforce"].permutation(np.repeat(np.arange(len(self.units)), staff))
        return synthetic_people(
            self.spec, self.units, unit_of, self.rngs["workforce"], newcomers=False
        )

    def _roster_start(self, roster: Any) -> dict[str, np.ndarray]:
        people = {k: np.array(v, copy=True) for k, v in roster.people.items()}
        staff = np.bincount(people["unit"], minlength=len(self.units))
        if (
            people["unit"].max(initial=-1) >= len(self.units)
            or (staff > self.units.formation).any()
        ):
            over = [self.units.name[u] for u in np.flatnonzero(staff > self.units.formation)]
            raise ValueError(
                f"the roster does not fit this scenario's units (at this scale): units "
                f"over formation {over[:5]}{'...' if len(over) > 5 else ''}"
            )
        return people

    def _hire(self, people: dict[str, np.ndarray]) -> np.ndarray:
        agents = add_employees(self, len(people["uid"]))
        people["uid"] = np.array([ag.unique_id for ag in agents], dtype=np.int64)
        self._employees.update(zip(people["uid"].tolist(), agents, strict=True))
        return self.workforce.append(people)

    def _refresh_base_hours(self) -> None:
        """Hours each employee gives the unit's citizens on a full-strength day."""
        a = self.spec.assumptions
        wf = self.workforce
        digital = 1.0 + a.digital_support * self.service.digital_maturity[wf.unit] * wf.digital
        self._base_hours = (
            a.hours_per_day
            * self._service_share[wf.position]
            * (1.0 - a.absence_rate)
            * digital
            * self._management_factor()[wf.unit]
        )

    def _management_factor(self) -> np.ndarray:
        """Per unit: 1 + managerial_effect × (managers' mean managerial − managerial_reference).

        Managers are the unit's JPT, administrator and pengawas; a unit without one gets 1.
        """
        wf, n_units, a = self.workforce, len(self.units), self.spec.assumptions
        managers = is_manager(wf.position)
        count = np.bincount(wf.unit[managers], minlength=n_units)
        total = np.bincount(wf.unit[managers], weights=wf.managerial[managers], minlength=n_units)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = np.where(count > 0, total / count, a.managerial_reference)
        return 1.0 + a.managerial_effect * (mean - a.managerial_reference)

    # ------------------------------------------------------------------ the day

    def step(self) -> None:
        """Simulate one working day (and the survey / personnel cycle when due)."""
        for event in self._day_events.pop(self.day, ()):
            event()
        if self.day % self.days_per_year in self._month_days:
            self._month_exits()
        wf, q = self.workforce, self.queues
        new = self.rngs["demand"].poisson(q.demand_rate(self.day))
        rework = int(q.rework_due.sum())
        q.arrive(new)

        hours, competency = self._unit_capacity(record=True)
        capacity = hours / self.service.effort_hours
        served = q.serve(capacity, competency, self.rngs["service"])
        abandoned = q.abandon_and_age(self.rngs["service"])

        waiting = q.waiting
        wf.learn(self.learning_rate)
        self._drift_motivation(self._overload(waiting, capacity))
        self._ramp_up()

        self.outcomes.record_day(
            self.day,
            arrivals=new.sum(),
            rework_arrivals=rework,
            served=served.sum(),
            abandoned=abandoned.sum(),
            waiting=waiting.sum(),
            capacity_requests=capacity.sum(),
            motivation_mean=wf.motivation.sum() / len(wf) if len(wf) else np.nan,  # the mean
            headcount=len(wf),
        )

        self.day += 1
        day_in_year = self.day % self.days_per_year
        if day_in_year in (0, self.days_per_year // 2):
            self._survey()
        if day_in_year == 0:
            self._end_of_year()
        if self.day >= self.n_days:
            self.running = False

    def _drift_motivation(self, load: np.ndarray) -> None:
        """Motivation moves toward its settled level, lowered by the unit's overload."""
        a, wf = self.spec.assumptions, self.workforce
        pressure = load.take(wf.unit)  # as load[wf.unit], about twice as fast
        drift_motivation(
            wf.motivation,
            wf.motivation_offset,
            pressure,
            a.motivation_target,
            a.overload_weight,
            a.motivation_rate,
        )

    def _overload(self, waiting: np.ndarray, capacity: np.ndarray) -> np.ndarray:
        """Standard-days of backlog above one per unit (:func:`asnsim.workday.overload`)."""
        cap = self.spec.assumptions.overload_cap
        return overload(waiting, capacity, self.units.standard_days, cap)

    def _effective_hours(self) -> np.ndarray:
        a, wf = self.spec.assumptions, self.workforce
        return effective_hours(
            self._base_hours,
            wf.cur,
            wf.motivation,
            wf.ramp,
            wf.present,
            a.motivation_target,
            a.motivation_productivity,
        )

    def sector_signal(self) -> dict[str, float]:
        """What the government knows of each sector's service quality at the year's end.

        The latest year's surveyed IKM per sector; with citizen participation
        (``feedback_weight`` > 0), complaints and forums add direct evidence, modelled as a
        shift toward the true value: ``(1 − w) × surveyed + w × true``. Empty before the
        first year ends.
        """
        known = self._known
        if not known:
            return {}
        w = self.feedback_weight
        values = (1.0 - w) * known["sector_ikm"] + w * known["sector_ikm_true"]
        return dict(zip(self.units.sectors, values.tolist(), strict=True))

    def at_day(self, day: int, event: Callable[[], None]) -> None:
        """Run ``event()`` at the start of model day ``day`` (e.g. a trainee's return)."""
        if day < self.day:
            raise ValueError(f"day {day} is in the past (today is {self.day})")
        self._day_events.setdefault(day, []).append(event)

    def _unit_capacity(self, record: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Staff hours per unit today and their hours-weighted competency."""
        wf = self.workforce
        n_units = len(self.units)
        eff = self._effective_hours()
        if record:
            wf.output_year += eff
        hours = np.bincount(wf.unit, weights=eff, minlength=n_units)
        skill = np.bincount(wf.unit, weights=eff * wf.cur, minlength=n_units)
        competency = skill / np.where(hours > 0, hours, 1.0)  # 0 where nobody serves
        return hours, competency

    def _ramp_up(self) -> None:
        """Newcomers' productivity rises from ``ramp_start`` to 1 in ``ramp_days`` days.

        Those ramping were as a rule hired on one day (the year's newcomers): their factor
        is then one number a day, written to them all at once.
        """
        rows = self._ramping
        if len(rows) == 0:
            return
        a, wf = self.spec.assumptions, self.workforce
        if self._ramp_cohort[0] is not rows:  # placement or exits rebound who ramps
            hired = np.unique(wf.hire_day[rows])
            self._ramp_cohort = (rows, int(hired[0]) if len(hired) == 1 else None)
        hired = self._ramp_cohort[1]
        if hired is None:  # hired on different days: each their own factor
            days = self.day - wf.hire_day[rows]
            wf.ramp[rows] = np.minimum(
                1.0, a.ramp_start + (1.0 - a.ramp_start) * days / a.ramp_days
            )
            self._ramping = rows[wf.ramp[rows] < 1.0]
            return
        # the same arithmetic on one number (a Python float is a float64)
        ramp = min(1.0, a.ramp_start + (1.0 - a.ramp_start) * (self.day - hired) / a.ramp_days)
        wf.ramp[rows] = ramp
        if not ramp < 1.0:
            self._ramping = rows[:0]

    # ------------------------------------------------------------------ the survey

    def _unit_means(self, values: np.ndarray) -> np.ndarray:
        wf = self.workforce
        n = np.bincount(wf.unit, minlength=len(self.units))
        total = np.bincount(wf.unit, weights=values, minlength=len(self.units))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(n > 0, total / n, np.nan)

    def _survey(self) -> None:
        """The semester's SKM: sample served citizens, score 9 elements, compute IKM."""
        a = self.spec.assumptions
        q = self.queues
        rng = self.rngs["survey"]
        hist = q.served_hist_period
        served = hist.sum(axis=1)
        n = np.minimum(krejcie_morgan(served), a.survey_max_respondents).astype(np.int64)
        with np.errstate(divide="ignore", invalid="ignore"):
            p = np.where(served[:, None] > 0, hist / served[:, None], 1.0 / hist.shape[1])
        respondents = rng.multinomial(n, p)
        const = self._survey_constants(hist.shape[1])
        # chance of a good score per unit and element
        q_units = propensities(self._survey_drivers(), const["intercept"], const["slope"])
        answers = kinder_answers(q_units, self._regime_shift())
        totals = survey_totals(rng, respondents, answers, const["answers_wait"])
        with np.errstate(divide="ignore", invalid="ignore"):
            nrr = np.where(n[:, None] > 0, totals / n[:, None], np.nan)
            expected = 1.0 + 3.0 * q_units
            scores = (hist * const["scores_wait"]).sum(axis=1)
            expected[:, _U3] = np.where(served > 0, scores / served, np.nan)
        self._period_surveys.append(
            {"served": served, "n": n, "totals": totals, "expected": expected}
        )
        self.outcomes.survey_records.append(self._survey_record(served, n, nrr, expected))
        q.reset_period()

    def _survey_constants(self, n_waits: int) -> dict[str, np.ndarray]:
        """What the survey's propensities use that depends on the scenario and units alone.

        Computed once a run: the elements' intercepts and slopes, and per unit and days
        waited U3's chance of a good score (``q_wait``), of a good answer under the survey
        regime (``answers_wait``) and its expected score ``1 + 3q`` (``scores_wait``).
        """
        cached = self._survey_cache
        if cached and cached["q_wait"].shape[1] == n_waits:
            return cached
        a = self.spec.assumptions
        el = a.elements
        intercept = np.array([el[e].intercept for e in ELEMENTS])
        slope = np.array([el[e].slope for e in ELEMENTS])
        waits = np.arange(n_waits)[None, :]
        standard = self.units.standard_days[:, None]
        q_wait = propensities(
            wait_driver(waits, standard, a.u3_tolerance, a.u3_steepness),
            intercept[_U3],
            slope[_U3],
        )
        self._survey_cache = {
            "intercept": intercept,
            "slope": slope,
            "q_wait": q_wait,
            "answers_wait": kinder_answers(q_wait, self._regime_shift()),
            "scores_wait": 1.0 + 3.0 * q_wait,
        }
        return self._survey_cache

    def _regime_shift(self) -> float:
        """How much kinder the answers are under the city's survey regime (0: independent)."""
        a = self.spec.assumptions
        return {
            "independent": 0.0,
            "university": a.survey_shift_university,
            "unit_run": a.survey_shift_unit_run,
        }[self.spec.city.survey_regime]

    def _survey_drivers(self) -> np.ndarray:
        """(units × 9) what drives each SKM element in each unit this semester."""
        q, units, service = self.queues, self.units, self.service
        _, competency = self._unit_capacity()
        drivers = np.empty((len(units), len(ELEMENTS)))
        drivers[:, 0] = service.digital_maturity  # U1 requirements published and checked online
        drivers[:, 1] = service.digital_maturity  # U2 procedure
        drivers[:, 2] = 0.0  # U3 comes from each respondent's own wait
        drivers[:, 3] = units.fee_burden  # U4 cost
        served = q.served_period
        # U5 product right first time (0 where nobody was served)
        np.divide(q.wrong_period, served, out=drivers[:, 4], where=served > 0)
        drivers[served <= 0, 4] = 0.0
        drivers[:, 5] = competency  # U6 staff competence
        motivation = self._unit_means(self.workforce.motivation)  # U7 behaviour
        drivers[:, 6] = np.where(np.isnan(motivation), 0.0, motivation)  # 0 without staff
        drivers[:, 7] = service.complaint_handling  # U8 complaint handling
        drivers[:, 8] = units.facilities  # U9 facilities
        return drivers

    def _survey_record(self, served, n, nrr, expected) -> dict[str, Any]:
        """The semester's survey table (as columns): one row per unit."""
        units = self.units
        n_units = len(units)
        # both at once: each unit's surveyed NRRs (weight 1), then its expected scores
        both = unit_ikm(
            np.concatenate([nrr, expected]), np.concatenate([np.ones(n_units), served])
        )
        ikm_u, true_u = both[:n_units], both[n_units:]
        return {
            "year": (self.day - 1) // self.days_per_year + 1,
            "semester": 1 if self.day % self.days_per_year else 2,
            "unit": np.arange(n_units),
            "unit_name": units.name,
            "sector": self.outcomes.unit_sectors,
            "served": served,
            "respondents": n,
            **{c: nrr[:, i] for i, c in enumerate(NRR_COLUMNS)},
            **{c: expected[:, i] for i, c in enumerate(EXPECTED_COLUMNS)},
            "ikm": ikm_u,
            "ikm_true": true_u,
            "ikm_band": band_of(ikm_u),
        }

    # ------------------------------------------------------------------ the year

    def _counters(self) -> dict[str, np.ndarray]:
        q = self.queues
        return {
            "arrived_new": q.arrived_new.copy(),
            "arrived_rework": q.arrived_rework.copy(),
            "served": q.served.copy(),
            "abandoned": q.abandoned.copy(),
            "wrong": q.wrong.copy(),
            "capped": q.capped.copy(),
        }

    def _end_of_year(self) -> None:
        year = self.day // self.days_per_year
        self._record_year(year, self._year_state())  # service outcomes of the year
        self._personnel_cycle()  # policies see this year's results
        self._record_personnel()
        self.datacollector.collect(self)  # yearly, for mesa.batch_run and mesa users
        self._year_start = self._counters()
        self._period_surveys = []
        self.queues.reset_year()

    def _year_state(self) -> dict[str, np.ndarray | float]:
        """Staff state at the end of the year, before the personnel cycle."""
        wf = self.workforce
        matched = self.qualifies[self.units.sector[wf.unit], wf.field].astype(float)
        pns = wf.status == PNS
        return {
            "matched": self._unit_means(matched),
            "competency": self._unit_means(wf.cur),
            "motivation": self._unit_means(wf.motivation),
            "matched_all": matched.mean() if len(wf) else np.nan,
            "competency_all": wf.cur.mean() if len(wf) else np.nan,
            "motivation_all": wf.motivation.mean() if len(wf) else np.nan,
            "jp20_share": (wf.jp_year[pns] >= JP_RIGHT_PER_YEAR).mean() if pns.any() else np.nan,
        }

    def _personnel_cycle(self) -> None:
        """The year's end: every lever acts once, in the order of ``LEVERS``.

        The levers marked ``before_exits`` (appraisal) act first; then ageing, retirement,
        resignation and promotion; then the others (recruitment, placement of newcomers and
        transfers, change management, digitalisation, citizen participation, the next
        year's training).
        """
        self.workforce.decay_unused(self.units, self.skill_retention_year)
        self.workforce.decay_training(self.units, self.training_retention_year)
        self.spend = dict.fromkeys(self.policies, 0.0)
        self._diagnostics = {}
        before, after = _yearly_order()
        for kind in before:
            self._act(kind)
        self._professionalism = self._ip_asn()  # the year's ratings and JP, before exits
        self._age_and_exit()
        # levers act at every year end, the last included, so a run can be continued; the
        # spend of the last row is committed for a year beyond the horizon
        for kind in after:
            self._act(kind)
        self.workforce.motivation_offset = self.workforce.motivation_target_offset()
        self.training_spend = self.spend.get("training", 0.0)
        self._refresh_base_hours()

    def _age_and_exit(self) -> None:
        """A year older; resignations, promotion (retirement is monthly: ``_month_exits``)."""
        a = self.spec.assumptions
        wf = self.workforce
        wf.motivation_offset = wf.motivation_target_offset()  # after the rating's terms
        wf.age += 1.0
        wf.tenure += 1.0
        wf.jp_year[:] = 0.0
        wf.output_year[:] = 0.0
        rate = np.where(wf.status == PNS, a.pns_exit_rate, a.pppk_exit_rate)
        hazard = (
            rate
            * wf.exit_multiplier()
            * np.exp(-a.exit_motivation_elasticity * (wf.motivation - a.motivation_target))
        )
        resign = self.rngs["personnel"].random(len(wf)) < 1.0 - np.exp(-hazard)
        wf.promote(a.promotion_interval_years, rank_caps(a))
        self._flows["resignations"] += int(resign.sum())
        self._remove(resign)

    def _month_exits(self) -> None:
        """A month's first day: retirement of those due, and PPPK contracts that end.

        Retirement on ``retire_day`` (the first day of the month after the BUP). A contract
        whose term ends is renewed for another ``pppk_contract_years`` with probability
        ``pppk_renewal_probability``; otherwise the person leaves (a non-renewal).
        """
        a, wf, day = self.spec.assumptions, self.workforce, self.day
        retire = wf.retire_day <= day
        ends = wf.contract_end
        due = np.flatnonzero(~retire & (ends >= 0) & (ends <= day))
        retiring = np.count_nonzero(retire)
        if not retiring and not len(due):
            return
        renew = self.rngs["contracts"].random(len(due)) < a.pppk_renewal_probability
        ends[due[renew]] += round(a.pppk_contract_years * self.days_per_year)
        not_renewed = len(due) - np.count_nonzero(renew)
        self._flows["retirements"] += retiring
        if retiring:
            self._flows["teacher_retirements"] += np.count_nonzero(retire & wf.teacher)
        self._flows["non_renewals"] += not_renewed
        if retiring or not_renewed:
            leaving = retire  # and those not renewed (retire is not read again)
            leaving[due[~renew]] = True
            # the stayers keep their base hours: a leaving manager changes the unit's
            # management factor at the year's end, like every mid-year change (7.2)
            base_hours = self._base_hours[~leaving]
            self._remove(leaving)
            self._base_hours = base_hours

    def _take_up_posts(self, rows: np.ndarray) -> np.ndarray:
        """Newcomers ``rows``, just placed, take up their posts; return who resigns instead.

        Each takes the post of the unit's kind (``people.sector_posts``: a school's recruit is
        most likely a teacher) and its retirement age and day. Those placed where their field
        does not fit (not what they applied for) resign with
        ``unwanted_placement_resignation_probability``, the others with
        ``newcomer_resignation_probability`` (``people.newcomer_resigns``). Stream
        ``recruits``.
        """
        wf, spec, units, rng = self.workforce, self.spec, self.units, self.rngs["recruits"]
        unit = wf.unit[rows]
        position, level = sector_posts(rng, spec, units, unit)
        teacher = is_teacher(position, unit, units, spec)
        wf.position[rows], wf.level[rows], wf.teacher[rows] = position, level, teacher
        wf.retire_at[rows] = retirement_age(position, level, teacher)
        wf.retire_day[rows] = retirement_day(
            wf.age[rows], wf.retire_at[rows], self.day, self.days_per_year
        )
        matched = self.qualifies[units.sector[unit], wf.field[rows]]
        return newcomer_resigns(matched, spec.assumptions, rng)

    def _ip_asn(self) -> dict[str, float | str]:
        """The Indeks Profesionalitas ASN of the rated PNS (``asnsim.ip_asn``)."""
        wf = self.workforce
        pns = wf.status == PNS
        return ip_asn(
            wf.education[pns],
            wf.jp_year[pns],
            wf.last_rating[pns],
            self.spec.assumptions.discipline_sanctioned_share,
        )

    def _act(self, kind: str) -> None:
        """One lever's act: its result's spend and diagnostics are recorded."""
        policy = self.policies[kind]
        result = policy.act(Snapshot(self), Actions(self, kind))
        if not isinstance(result, Result):
            raise TypeError(f"{kind} policy returned {type(result).__name__}, not a Result")
        spent = float(result.spend)
        if spent < 0:
            raise ValueError(f"{kind} policy reported negative spend {spent}")
        self.spend[kind] += spent
        for name in policy.reports:
            self._diagnostics[f"{kind}_{name}"] = float(result.diagnostics.get(name, np.nan))
        if len(self._newcomers) and self._hired_by != kind:
            # newcomers wait for one lever's act; nobody placed them: they are not taken on
            Actions(self, kind).place_newcomers(np.full(len(self._newcomers), -1))

    def _remove(self, leaving: np.ndarray) -> None:
        wf = self.workforce
        remove_employees(self, [self._employees.pop(uid) for uid in wf.uid[leaving].tolist()])
        keep = ~leaving
        if len(self._ramping):  # the newcomers still ramping up, at their rows after
            old_rows = np.flatnonzero(keep)
            self._ramping = np.searchsorted(old_rows, self._ramping[keep[self._ramping]])
        wf.keep(keep)

    def _record_year(self, year: int, pre: dict[str, Any]) -> None:
        """The year's unit, sector and city outcomes; what the levers will know of it."""
        y = self._year_figures()
        self._year_ikm(y)
        y["complaints"] = self._complaints(y["flow"])
        frame = self._unit_year_record(year, pre, y)
        self.outcomes.annual_records.append(frame)
        flow = y["flow"]
        self._known = {
            "arrivals": flow["arrived_new"],
            "rework_arrivals": flow["arrived_rework"],
            "served": flow["served"],
            "backlog": self.queues.waiting.copy(),
            "unit_ikm": y["unit_ikm"],
            "unit_ikm_true": y["unit_ikm_true"],
            "sector_ikm": y["sector_ikm"],
            "sector_ikm_true": y["sector_ikm_true"],
        }
        self.outcomes.sector_records.append(
            {
                "year": year,
                "sector": self.units.sectors,
                "ikm": y["sector_ikm"],
                "ikm_true": y["sector_ikm_true"],
                "ikm_band": y["sector_band"],
            }
        )
        self.outcomes.city_rows.append(self._city_year_row(year, pre, y))

    def _year_ikm(self, y: dict[str, Any]) -> None:
        """The year's IKM (surveyed and true) per unit, per sector and of the city, and bands.

        Adds to ``y``: ``unit_ikm``, ``unit_ikm_true``, ``sector_ikm``, ``sector_ikm_true``,
        ``city_ikm``, ``city_nrr``, ``city_ikm_true`` and the bands ``unit_band``,
        ``sector_band``, ``city_band`` (banded in one call: the rule is elementwise).
        """
        units = self.units
        n_units, n_sec = len(units), len(units.sectors)
        y["unit_ikm"] = unit_ikm(y["nrr"], np.ones(n_units))
        y["unit_ikm_true"] = unit_ikm(y["expected"], y["weight"])
        # one call for four groupings: the sectors and the city (one more group holding every
        # unit), of the surveyed and of the true scores; a group sums its rows in their order,
        # so each figure is the one a call of its own gives
        group = np.concatenate([units.sector, np.full(n_units, n_sec)])
        ikm, nrr = stratified_ikm(
            np.concatenate([y["nrr"], y["nrr"], y["expected"], y["expected"]]),
            np.tile(y["weight"], 4),
            np.concatenate([group, group + n_sec + 1]),
            2 * (n_sec + 1),
        )
        true = n_sec + 1  # first group of the true scores
        y["sector_ikm"], y["sector_ikm_true"] = ikm[:n_sec], ikm[true : true + n_sec]
        y["city_ikm"], y["city_nrr"] = ikm[n_sec:true], nrr[n_sec:true]
        y["city_ikm_true"] = ikm[true + n_sec :]
        bands = band_of(np.concatenate([y["unit_ikm"], y["sector_ikm"], y["city_ikm"]]))
        y["unit_band"], y["sector_band"], y["city_band"] = np.split(
            bands, [len(units), len(units) + n_sec]
        )

    def _year_figures(self) -> dict[str, Any]:
        """Per unit, the year's flows, waits and both semesters' survey combined."""
        q = self.queues
        flow = {k: getattr(q, k) - v for k, v in self._year_start.items()}
        hist = q.served_hist_year
        served = hist.sum(axis=1)
        days = np.arange(hist.shape[1])
        with np.errstate(divide="ignore", invalid="ignore"):
            wait_mean = np.where(served > 0, (hist * days).sum(1) / served, np.nan)
            in_time = days[None, :] <= self.units.standard_days[:, None]
            on_time = np.where(served > 0, (hist * in_time).sum(1) / served, np.nan)
        surveys = self._period_surveys
        totals = sum(s["totals"] for s in surveys)
        n = sum(s["n"] for s in surveys)
        pserved = [s["served"].astype(float) for s in surveys]
        weight = sum(pserved)
        with np.errstate(divide="ignore", invalid="ignore"):
            nrr = np.where(n[:, None] > 0, totals / n[:, None], np.nan)
            expected = (
                sum(
                    np.nan_to_num(s["expected"]) * w[:, None]
                    for s, w in zip(surveys, pserved, strict=True)
                )
                / weight[:, None]
            )
        return {
            "flow": flow,
            "hist": hist,
            "served": served,
            "wait_mean": wait_mean,
            "on_time": on_time,
            "n": n,
            "weight": weight,
            "nrr": nrr,
            "expected": expected,
        }

    def _unit_year_record(self, year: int, pre: dict[str, Any], y: dict[str, Any]) -> dict:
        """The year's table (as columns): one row per unit."""
        units, flow = self.units, y["flow"]
        n_units = len(units)
        ikm_u, true_u = y["unit_ikm"], y["unit_ikm_true"]
        with np.errstate(divide="ignore", invalid="ignore"):
            lost = flow["abandoned"] / (flow["served"] + flow["abandoned"])
            rework = flow["wrong"] / flow["served"]
        a = self.spec.assumptions
        return {
            "year": year,
            "unit": np.arange(n_units),
            "unit_name": units.name,
            "sector": self.outcomes.unit_sectors,
            "arrivals": flow["arrived_new"],
            "rework_arrivals": flow["arrived_rework"],
            "served": flow["served"],
            "abandoned": flow["abandoned"],
            "backlog": self.queues.waiting,
            "wait_mean_days": y["wait_mean"],
            "wait_p90_days": wait_quantile(y["hist"], 0.9),
            "on_time_share": y["on_time"],
            "abandon_rate": lost,
            "rework_rate": rework,
            "complaints": y["complaints"],
            "waits_capped": flow["capped"],
            "formation": units.formation,
            "matched_share": pre["matched"],
            "competency_mean": pre["competency"],
            "motivation_mean": pre["motivation"],
            "respondents": y["n"],
            "ikm": ikm_u,
            "ikm_true": true_u,
            "ikm_band": y["unit_band"],
            "ikm_seekers": seekers_ikm(
                flow["served"], true_u, flow["abandoned"], a.abandoned_score
            ),
        }

    def _complaints(self, flow: dict[str, np.ndarray]) -> np.ndarray:
        """Expected complaints of the year per unit (``outcomes.expected_complaints``)."""
        a = self.spec.assumptions
        return expected_complaints(
            flow["abandoned"],
            flow["wrong"],
            self.service.complaint_handling,
            a.complaint_share_abandoned,
            a.complaint_share_wrong,
            a.complaint_voice_min,
        )

    def _city_year_row(self, year: int, pre: dict[str, Any], y: dict[str, Any]) -> dict:
        """The year's row for the whole city."""
        flow, hist, served = y["flow"], y["hist"], y["served"]
        city_ikm, city_nrr, city_true = y["city_ikm"], y["city_nrr"], y["city_ikm_true"]
        all_hist = hist.sum(axis=0)[None, :]
        total_served = flow["served"].sum()
        total_lost = flow["abandoned"].sum()
        return {
            "year": year,
            "ikm": city_ikm[0],
            "ikm_true": city_true[0],
            "ikm_band": y["city_band"][0],
            "ikm_seekers": float(
                seekers_ikm(
                    total_served, city_true[0], total_lost, self.spec.assumptions.abandoned_score
                )
            ),
            **{c: city_nrr[0, i] for i, c in enumerate(NRR_COLUMNS)},
            "wait_mean_days": (all_hist[0] * np.arange(hist.shape[1])).sum()
            / max(1, served.sum()),
            "wait_p90_days": wait_quantile(all_hist, 0.9)[0],
            "on_time_share": np.nansum(y["on_time"] * served) / max(1, served.sum()),
            "abandon_rate": total_lost / max(1, total_served + total_lost),
            "rework_rate": flow["wrong"].sum() / max(1, total_served),
            "complaints": float(y["complaints"].sum()),
            "waits_capped": int(flow["capped"].sum()),
            "arrivals": flow["arrived_new"].sum(),
            "served": total_served,
            "abandoned": total_lost,
            "backlog": self.queues.waiting.sum(),
            "matched_share": pre["matched_all"],
            "competency_mean": pre["competency_all"],
            "motivation_mean": pre["motivation_all"],
            "jp20_share": pre["jp20_share"],
            "respondents": int(y["n"].sum()),
            **unit_ikm_spread(y["unit_ikm"]),
        }

    def _record_personnel(self) -> None:
        """Staffing after the year's personnel cycle, its flows and the money committed."""
        wf, units = self.workforce, self.units
        staff = np.bincount(wf.unit, minlength=len(units))
        frame = self.outcomes.annual_records[-1]
        frame["headcount"] = staff
        frame["vacancies"] = np.maximum(units.formation - staff, 0)
        self.outcomes.city_rows[-1] |= {
            "headcount_start": self._headcount_start,
            "headcount": len(wf),
            "formation": int(units.formation.sum()),
            "vacancies": int(np.maximum(units.formation - staff, 0).sum()),
            **self._flows,
            "training_spend": self.training_spend,
            **{f"spend_{kind}": value for kind, value in self.spend.items()},
            "total_spend": sum(self.spend.values()),
            **personnel_rates(
                self._flows["retirements"], self._flows["resignations"], self._headcount_start
            ),
            **exit_shares(self._flows),
            **workforce_mix(wf.status == PPPK, wf.age),
            **self._professionalism,
            **self._diagnostics,
        }
        self._headcount_start = len(wf)
        self._flows = zero_flows()

    # ------------------------------------------------------------------ running

    def run(self, years: int | None = None, progress: bool | None = None) -> Outcomes:
        """Run to the horizon (or ``years`` more years) and return the outcomes.

        Args:
            years: Years to simulate from now; default: up to the scenario's horizon.
            progress: Show a progress bar; by default one appears if the run takes over 2 s.
        """
        days = self.n_days - self.day if years is None else years * self.days_per_year
        days = min(days, self.n_days - self.day)
        bar = tqdm(
            total=days,
            unit="day",
            desc=self.spec.city.name,
            delay=2.0,
            disable=progress is False,
            leave=False,
            mininterval=0.5,
        )
        with bar:
            for _ in range(days):
                self.step()
                bar.update()
        return self.outcomes


_REPORTED = (
    "ikm",
    "ikm_true",
    "ikm_band",
    "wait_mean_days",
    "abandon_rate",
    "matched_share",
    "competency_mean",
    "jp20_share",
    "headcount",
    "total_spend",
)


def _yearly_order() -> tuple[list[str], list[str]]:
    """The lever kinds acting before the year's exits, and after, in ``LEVERS`` order."""
    before = [row.kind for row in LEVERS if row.before_exits]
    if [row.kind for row in LEVERS[: len(before)]] != before:
        raise ValueError("LEVERS: the levers acting before exits (before_exits) must come first")
    return before, [row.kind for row in LEVERS if not row.before_exits]


def _city_reporter(key: str) -> Callable[[ASNModel], Any]:
    def report(model: ASNModel) -> Any:
        rows = model.outcomes.city_rows
        return rows[-1][key] if rows else None

    report.__name__ = f"city_{key}"
    return report


def _resolve(scenario: Scenario | str | Path, rng: Any, params: dict[str, Any]) -> Scenario:
    """The scenario to run: loaded if a path, with the seed and dotted overrides applied."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    overrides = {k.replace("__", "."): v for k, v in params.items()}
    if rng is not None:
        overrides["seed"] = _as_seed(rng)
    return scenario.with_overrides(overrides) if overrides else scenario


def _as_seed(rng: Any) -> int:
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return int(rng)
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(0, 2**63 - 1))
    raise TypeError(f"rng must be an integer seed or a numpy Generator, got {type(rng).__name__}")
