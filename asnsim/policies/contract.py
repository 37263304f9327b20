"""The levers' contract: what the government knows (Snapshot), what it can do (Actions).

Once a year, in the order of :data:`~asnsim.policies.levers.LEVERS`, the model calls each
lever's ``act(gov, do)``. ``gov`` is a read-only view of what the government knows; it is
live, so a lever sees what the levers before it changed this year (placement sees the
newcomers recruitment hired; training sees the feedback participation added to the IKM
signal). ``do`` holds the only actions that change the world:

=========================  ====================================================================
``hire``                   take on recruits (fields of study, PPPK or PNS); they await placement
``place_newcomers``        give the year's newcomers posts; those without one are not taken on,
                           some placed against their wish resign
``move``                   transfer serving staff (mutasi)
``time_away``              schedule days away from the desk, then call back on return
``train``                  raise a competency (sector, digital or managerial) and count JP
``rate``                   record the year's performance ratings
``set_column``             a lever's own per-person column (``motivation_*`` adds to settled
                           motivation, ``exit_*`` multiplies the exit hazard, others are memory)
``set_resistance``         lower (or raise) resistance to change
``set_service``            change a unit's service attribute (the scenario's value is kept)
``set_feedback_weight``    how far complaints and forums sharpen the IKM signal
``book_seats``             seats used of a training programme this year (its mesa agent)
=========================  ====================================================================

Neither class copies the model's arrays: ``gov`` hands out read-only views.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import TYPE_CHECKING, Any

import numpy as np

from asnsim.units import SERVICE_ATTRIBUTES
from asnsim.workforce import Workforce, draw_people

if TYPE_CHECKING:
    from asnsim.model import ASNModel

__all__ = ["DIGITAL", "MANAGERIAL", "Actions", "Snapshot", "Staff"]

DIGITAL, MANAGERIAL = -1, -2
"""Target codes of the non-sector competencies (a sector target is its sector index)."""

AWAY_COLUMN = "training_away"
"""Workforce column: share of today's working day each employee spends away (training)."""

_STAFF_COLUMNS = frozenset(f.name for f in fields(Workforce)) - {"extra", "extra_default"}


def _ro(a: np.ndarray) -> np.ndarray:
    view = a.view()
    view.flags.writeable = False
    return view


class Staff:
    """Read-only view of the staff: one row per employee, as in the model's arrays.

    Attributes (arrays, read-only): ``uid``, ``status`` (0 PNS, 1 PPPK), ``position``,
    ``level``, ``rank``, ``education``, ``field``, ``age``, ``tenure`` (years), ``retire_at``,
    ``unit`` (-1: a newcomer awaiting placement), ``post_start`` and ``hire_day`` (model days),
    ``competency`` and ``floor`` (employees × sectors), ``cur`` and ``ceil`` (in the current
    unit's sector), ``digital``, ``managerial``, ``motivation``, ``resistance``, ``ramp``,
    ``jp_year``, ``last_rating``, ``present``, ``output_year`` (service hours this year).
    """

    def __init__(self, model: ASNModel):
        self._wf = model.workforce

    def __len__(self) -> int:
        return len(self._wf)

    def __getattr__(self, name: str) -> np.ndarray:
        if name in _STAFF_COLUMNS:
            return _ro(getattr(self._wf, name))
        raise AttributeError(f"staff have no attribute '{name}'")

    def column(self, name: str, default: float = 0.0) -> np.ndarray:
        """A lever's own column (see :meth:`Actions.set_column`); ``default`` if never set."""
        values = self._wf.extra.get(name)
        return np.full(len(self._wf), default) if values is None else _ro(values)


class Snapshot:
    """What the government knows at a year's end (read-only, live).

    Attributes:
        staff: The staff and their attributes (:class:`Staff`).
        day: Today (model day); ``year``: years completed; ``days_per_year``.
        scale: The run's scale (budgets and seats of the real city are multiplied by it).
        assumptions: The scenario's behavioural assumptions.
        training: The scenario's training catalogue and budget (``programs``,
            ``budget_per_year`` of the real city).
        sectors, field_names: Names of the sectors and fields of study.
        qualifies: (sectors, fields) whether a field qualifies for a sector.
        unit_sector, formation, standard_days: Per-unit constants.
        graduate_mix: (fields,) shares of each field among graduates (not normalised).
    """

    def __init__(self, model: ASNModel):
        self._m = model
        self.staff = Staff(model)
        self.day = model.day
        self.year = model.day // model.days_per_year
        self.days_per_year = model.days_per_year
        self.scale = model.spec.scale
        self.assumptions = model.spec.assumptions
        self.training = model.spec.training
        self.sectors = list(model.units.sectors)
        self.field_names = list(model.field_names)
        self.qualifies = _ro(model.qualifies)
        self.unit_sector = _ro(model.units.sector)
        self.formation = _ro(model.units.formation)
        self.standard_days = _ro(model.units.standard_days)
        mix = model.spec.city.workforce.field_mix
        self.graduate_mix = np.array(list(mix.values()))

    @property
    def n_units(self) -> int:
        """Number of units."""
        return len(self.formation)

    def service(self, name: str) -> np.ndarray:
        """A unit service attribute as it is now (see ``units.SERVICE_ATTRIBUTES``)."""
        return _ro(getattr(self._m.service, name))

    def baseline(self, name: str) -> np.ndarray:
        """A unit service attribute as the scenario set it."""
        return _ro(self._m.service.baseline[name])

    def staff_per_unit(self) -> np.ndarray:
        """Staff posted in each unit (newcomers awaiting placement not counted)."""
        unit = self._m.workforce.unit
        return np.bincount(unit[unit >= 0], minlength=self.n_units)

    def open_posts(self) -> np.ndarray:
        """Vacant posts per unit: formation − staff, never below 0."""
        return np.maximum(self.formation - self.staff_per_unit(), 0)

    @property
    def newcomers(self) -> np.ndarray:
        """Rows of this year's recruits awaiting placement (empty once placed)."""
        return _ro(self._m._newcomers)

    def formasi(self) -> tuple[int, int] | None:
        """This year's planned hires (PNS, PPPK) from ``city.workforce.formasi``, at scale.

        None in a year the scenario plans none (recruitment then follows its quota).
        """
        planned = self._m.spec.city.workforce.formasi.get(self.year)
        if planned is None:
            return None
        return round(planned.pns * self.scale), round(planned.pppk * self.scale)

    def year_flows(self) -> dict[str, np.ndarray] | None:
        """Per unit, the year just ended: arrivals, rework arrivals, served and backlog.

        Keys ``arrivals``, ``rework_arrivals``, ``served``, ``backlog`` (requests waiting
        now); None before a year has ended.
        """
        known = self._m._known
        return None if not known else {k: _ro(known[k]) for k in _FLOWS}

    def sector_signal(self) -> dict[str, float]:
        """Each sector's IKM as the government sees it (``ASNModel.sector_signal``)."""
        return self._m.sector_signal()

    def unit_signal(self) -> np.ndarray | None:
        """Each unit's IKM as the government sees it, like :meth:`sector_signal`.

        NaN where a unit had no respondents; None before a year has ended.
        """
        known, w = self._m._known, self._m.feedback_weight
        if not known:
            return None
        return (1.0 - w) * known["unit_ikm"] + w * known["unit_ikm_true"]

    @property
    def feedback_weight(self) -> float:
        """Share of the survey's error that complaints and forums close (0 without them)."""
        return self._m.feedback_weight


_FLOWS = ("arrivals", "rework_arrivals", "served", "backlog")


class Actions:
    """The only ways a lever changes the world (see the module docstring).

    Args:
        model: The running model.
        kind: The lever acting (its callbacks act as that lever).
    """

    def __init__(self, model: ASNModel, kind: str):
        self._m = model
        self.kind = kind

    # ------------------------------------------------------------------ who works where

    def hire(self, fields: np.ndarray, pppk: np.ndarray) -> None:
        """Take on ``len(fields)`` recruits with these fields of study and statuses.

        Their other attributes are drawn from the ``recruits`` stream; they await placement
        (``gov.newcomers``) until the next lever's act, and are not taken on without a post.
        """
        m = self._m
        people = draw_people(
            m.spec,
            m.units,
            np.full(len(fields), -1, dtype=np.int32),
            m.rngs["recruits"],
            newcomers=True,
            day=m.day,
            field=fields,
            pppk=pppk,
        )
        m._newcomers = m._hire(people)
        m._hired_by = self.kind

    def place_newcomers(self, units: np.ndarray) -> None:
        """Post each of ``gov.newcomers`` to ``units`` (-1: no post, so not taken on).

        The placed take up their posts (``ASNModel._take_up_posts``: the post of the unit's
        kind, its retirement age, and resignation on an unwanted placement); those who
        resign leave before taking up the post and are counted as newcomer resignations.
        """
        m = self._m
        wf, rows = m.workforce, m._newcomers
        if len(units) != len(rows):
            raise ValueError(f"{len(units)} units for {len(rows)} newcomers awaiting placement")
        unplaced = units < 0
        placed = rows[~unplaced]
        wf.move(
            placed,
            units[~unplaced],
            m.units,
            m.day,
            m.qualifies,
            m.spec.assumptions.mismatch_ceiling,
        )
        resigns = m._take_up_posts(placed)
        leaving = np.zeros(len(wf), dtype=bool)
        leaving[rows[unplaced]] = True
        leaving[placed[resigns]] = True
        if leaving.any():
            m._remove(leaving)
            placed = np.flatnonzero(wf.hire_day == m.day)
        m._ramping = np.concatenate([m._ramping, placed])
        m._flows["hires"] += len(placed)
        m._flows["newcomer_resignations"] += int(resigns.sum())
        m._newcomers = np.zeros(0, dtype=np.int64)

    def move(self, rows: np.ndarray, units: np.ndarray) -> None:
        """Transfer serving staff ``rows`` to ``units`` (their posting starts today)."""
        m = self._m
        m.workforce.move(
            rows, units, m.units, m.day, m.qualifies, m.spec.assumptions.mismatch_ceiling
        )

    # ------------------------------------------------------------------ time away

    def time_away(
        self,
        uids: np.ndarray,
        start: int,
        profile: np.ndarray,
        then: Callable[[Snapshot, Actions, np.ndarray], None],
    ) -> None:
        """Keep employees ``uids`` away from the desk from day ``start``, then call back.

        ``profile[k]`` is the share of day ``start + k`` spent away. On the day after, they
        are back and ``then(gov, do, rows)`` runs with the rows of those still employed.
        """
        m = self._m
        uids = np.array(uids, copy=True)
        previous = 0.0
        for offset, share in enumerate(profile):
            if share != previous:
                m.at_day(start + offset, self._away_event(uids, share - previous))
            previous = share
        m.at_day(start + len(profile), self._return_event(uids, -previous, then))

    def _away_event(self, uids: np.ndarray, delta: float) -> Callable[[], None]:
        def event() -> None:
            _shift_away(self._m.workforce, _live_rows(self._m.workforce, uids), delta)

        return event

    def _return_event(self, uids, back: float, then) -> Callable[[], None]:
        def event() -> None:
            rows = _live_rows(self._m.workforce, uids)
            _shift_away(self._m.workforce, rows, back)
            then(Snapshot(self._m), Actions(self._m, self.kind), rows)

        return event

    # ------------------------------------------------------------------ people

    def train(
        self,
        rows: np.ndarray,
        target: int | np.ndarray,
        gains: np.ndarray,
        jp: float,
        lasting: np.ndarray | None = None,
    ) -> None:
        """Raise ``rows``' competency in ``target`` by ``gains``; add ``jp`` to their JP.

        ``target``: a sector index, :data:`DIGITAL` or :data:`MANAGERIAL`, or one sector
        index per row (each trained in their own, say). ``lasting``
        (default none) is the part of ``gains`` that lasts: in a sector it raises what
        practice can reach (``boost``, ``ceil``); digital and managerial keep it as their
        boost. Lasting parts decay at each year's end (``Workforce.decay_training``).
        """
        wf, units = self._m.workforce, self._m.units
        lasting = np.zeros(len(rows)) if lasting is None else np.asarray(lasting, dtype=float)
        if np.ndim(target) == 0 and target in (DIGITAL, MANAGERIAL):
            name = "digital" if target == DIGITAL else "managerial"
            level, boost = getattr(wf, name), getattr(wf, f"boost_{name}")
            added = np.minimum(level[rows] + gains, 1.0) - level[rows]  # a 0-1 scale
            level[rows] += added
            boost[rows] += np.clip(lasting, 0.0, np.maximum(added, 0.0))
        else:
            current = units.sector[wf.unit[rows]] == target
            wf.cur[rows[current]] += gains[current]
            wf.ceil[rows[current]] += lasting[current]
            if not current.all():  # the matrix is read (compacted) only when it changes
                elsewhere = np.broadcast_to(target, rows.shape)[~current]
                wf.competency[rows[~current], elsewhere] += gains[~current]
            wf.boost[rows, target] += lasting
        wf.jp_year[rows] += jp

    def rate(self, ratings: np.ndarray) -> None:
        """Record every employee's rating of the year (``appraisal.PREDIKAT`` index)."""
        self._m.workforce.last_rating[:] = ratings

    def set_column(
        self, name: str, values: Any, rows: np.ndarray | None = None, default: float = 0.0
    ) -> None:
        """Set a lever's own per-employee column (created with ``default`` the first time).

        Columns follow hires (who get ``default``) and exits. ``motivation_*`` columns add to
        each employee's settled motivation, ``exit_*`` columns multiply the exit hazard; any
        other name is the lever's memory (read back with ``gov.staff.column``).
        """
        column = self._m.workforce.add_column(name, default)
        column[slice(None) if rows is None else rows] = values

    def set_resistance(self, rows: np.ndarray, values: np.ndarray) -> None:
        """Set the resistance to change (0-1) of ``rows``."""
        self._m.workforce.resistance[rows] = values

    # ------------------------------------------------------------------ units, evaluation

    def set_service(self, name: str, values: np.ndarray) -> None:
        """Set a unit service attribute (``units.SERVICE_ATTRIBUTES``) for the coming year."""
        if name not in SERVICE_ATTRIBUTES:
            raise ValueError(f"'{name}' is not one of {SERVICE_ATTRIBUTES}")
        setattr(self._m.service, name, np.asarray(values, dtype=float))

    def set_feedback_weight(self, weight: float) -> None:
        """Share of the survey's error that complaints and forums close (``sector_signal``)."""
        self._m.feedback_weight = float(weight)

    def book_seats(self, program: int, seats: int) -> None:
        """Seats used this year of catalogue entry ``program`` (shown by its mesa agent)."""
        self._m.training_programs[program].seats_used = seats


def _live_rows(wf, uids: np.ndarray) -> np.ndarray:
    """Rows of the employees with these ids who are still employed."""
    if len(wf) == 0:
        return np.zeros(0, dtype=np.int64)
    rows = np.asarray(wf.rows_of(uids))
    clipped = np.minimum(rows, len(wf) - 1)
    return clipped[(rows < len(wf)) & (wf.uid[clipped] == uids)]


def _shift_away(wf, rows: np.ndarray, delta: float) -> None:
    away = wf.add_column(AWAY_COLUMN, 0.0)
    new = away[rows] + delta
    new[np.abs(new) < 1e-9] = 0.0
    away[rows] = new
    wf.present[rows] = np.minimum(np.maximum(1.0 - new, 0.0), 1.0)  # np.clip, cheaper
