"""The ASN workforce as arrays: one row per employee, kept in order of the agents' ids.

Daily work is a handful of vectorised operations over these arrays; the mesa ``Employee``
agents (``asnsim.agents``) are views of one row each. Rows are removed (exits, at a month's
start and in the yearly personnel cycle) and appended (hires, yearly) in order, so the row of
an employee is found by a binary search of its ``unique_id`` in :attr:`Workforce.uid`.

Removing rows compacts each column when it is next read (:meth:`Workforce.keep`): the few
columns a working day reads are compacted at once, the many read only at a year's end (age,
the competency matrices, ...) once for all the month's exits since.

Competency is a matrix (employee × sector) of technical competency. During a year only the
column of the employee's current sector is read, so it is kept in :attr:`Workforce.cur` and
learns daily; the other columns decay toward the employee's lasting floor, which is applied
exactly, in closed form, whenever the current sector changes or the year ends.

Training leaves a lasting part (:attr:`Workforce.boost`, per sector) that raises what
practice can reach: ``ceil`` is the practice ceiling plus the boost in the current sector,
and the boost decays at each year's end (:meth:`Workforce.decay_training`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

import numpy as np

from asnsim.people import (
    PNS,
    PPPK,
    RANK_NAMES,
    competency_ceiling,
    qualification_table,
    retirement_age,
    synthetic_people,
    to_workforce,
)
from asnsim.units import Units

if TYPE_CHECKING:
    from asnsim.scenario import Scenario

__all__ = [
    "PNS",
    "PPPK",
    "RANK_NAMES",
    "FLOWS",
    "Workforce",
    "apportion",
    "draw_people",
    "exit_shares",
    "qualification_table",
    "retirement_age",
    "zero_flows",
]

FLOWS = (
    "hires",
    "retirements",
    "teacher_retirements",
    "resignations",
    "non_renewals",
    "newcomer_resignations",
)
"""A year's personnel flows (people): hires (newcomers who took up a post), retirements at
the BUP (of them, teachers), resignations of serving staff, PPPK contracts not renewed, and
newcomers who resigned on placement (neither hired nor resigned serving staff)."""


def zero_flows() -> dict[str, int]:
    """The year's flows (:data:`FLOWS`) before anyone came or went."""
    return dict.fromkeys(FLOWS, 0)


def exit_shares(flows: dict[str, int]) -> dict[str, float]:
    """Shares of a year's flows with an observed counterpart (NaN where nobody counts).

    ``teacher_share_of_retirees``: teachers among retirements. ``newcomer_resignation_rate``:
    newcomers who resigned on placement among all newcomers placed.
    """
    retired = flows["retirements"]
    placed = flows["hires"] + flows["newcomer_resignations"]
    return {
        "teacher_share_of_retirees": flows["teacher_retirements"] / retired if retired else np.nan,
        "newcomer_resignation_rate": flows["newcomer_resignations"] / placed if placed else np.nan,
    }


def apportion(total: int, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights``, none above its cap.

    Largest-remainder rounding; what a capped unit cannot take goes to the others.
    """
    out = np.zeros(len(weights), dtype=np.int64)
    total = min(int(total), int(caps.sum()))
    while out.sum() < total:
        room = caps - out
        w = np.where(room > 0, weights, 0.0)
        if w.sum() <= 0:
            w = (room > 0).astype(float)
        left = total - out.sum()
        raw = left * w / w.sum()
        add = np.minimum(np.floor(raw).astype(np.int64), room)
        short = left - add.sum()
        if short > 0:
            frac = np.where(room - add > 0, raw - np.floor(raw), -1.0)
            for u in np.argsort(-frac, kind="stable")[:short]:
                if room[u] - add[u] > 0:
                    add[u] += 1
        out += add
    return out


@dataclass
class Workforce:
    """Employee state as arrays (one row per current employee, rows ordered by ``uid``)."""

    uid: np.ndarray  # int64, the mesa agent's unique_id
    status: np.ndarray  # int8, 0 PNS, 1 PPPK
    position: np.ndarray  # int8, index into POSITION_TYPES
    level: np.ndarray  # int8, index into FUNCTIONAL_LEVELS, -1 if not fungsional
    rank: np.ndarray  # int8, index into RANK_NAMES (PPPK: equivalent grade)
    education: np.ndarray  # int8, index into EDUCATION_LEVELS
    field: np.ndarray  # int16, index into the scenario's field list
    age: np.ndarray  # years
    tenure: np.ndarray  # years in service
    teacher: np.ndarray  # bool, a teacher (guru): BUP 60
    retire_at: np.ndarray  # years, BUP
    retire_day: np.ndarray  # int64, model day of retirement (first day of the month after BUP)
    contract_end: np.ndarray  # int64, model day the PPPK contract's term ends; -1 for PNS
    unit: np.ndarray  # intp, index into Units (intp: numpy indexes and bins it without a copy)
    post_start: np.ndarray  # int64, model day the current posting began
    hire_day: np.ndarray  # int64, model day of hiring (negative: before the run)
    competency: np.ndarray  # (n, sectors) technical competency; current column is stale
    floor: np.ndarray  # (n, sectors) lasting competency from schooling and field
    cur: np.ndarray  # competency in the current unit's sector (live)
    ceil: np.ndarray  # what practice in the current sector can reach, boost included
    boost: np.ndarray  # (n, sectors) lasting part of training gains; raises the ceiling
    boost_digital: np.ndarray  # lasting part of digital training in ``digital``
    boost_managerial: np.ndarray  # lasting part of managerial training in ``managerial``
    digital: np.ndarray
    managerial: np.ndarray
    motivation: np.ndarray
    motivation_offset: np.ndarray  # settled level − reference: disposition + policy terms
    disposition: np.ndarray  # own settled motivation − reference (fixed per person)
    resistance: np.ndarray
    ramp: np.ndarray  # newcomer productivity factor, 1 when proficient
    jp_year: np.ndarray  # JP of training this year
    last_rating: np.ndarray  # int8, -1 none yet
    present: np.ndarray  # 1 at the desk, 0 away (training)
    output_year: np.ndarray  # effective service hours delivered so far this year
    extra: dict[str, np.ndarray] = field(default_factory=dict)  # policies' own columns
    extra_default: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # columns not yet compacted since rows left: name -> (column as it was, its epoch).
        # An epoch, [rows kept since, columns waiting on it], is shared by the columns that
        # left at the same exits, so later exits compose its rows once for all of them.
        self._stale: dict[str, tuple[np.ndarray, list]] = {}
        self._epochs: list[list] = []  # the epochs made, while a column may wait on them

    def __getattr__(self, name: str) -> np.ndarray:
        """A column whose compaction :meth:`keep` left for its first reading: compact it now."""
        stale = self.__dict__.get("_stale")
        if not stale or name not in stale:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        column, epoch = stale.pop(name)
        epoch[1] -= 1
        value = column.take(epoch[0], axis=0)
        setattr(self, name, value)
        return value

    # ------------------------------------------------------------------ building

    @classmethod
    def empty(cls, n_sectors: int) -> Workforce:
        """A workforce with no one in it (rows are added by :meth:`append`)."""
        kw = {}
        for f in fields(cls):
            if f.name not in ("extra", "extra_default"):
                kw[f.name] = _empty_column(f.name, n_sectors)
        return cls(**kw)

    def add_column(self, name: str, default: float = 0.0) -> np.ndarray:
        """A policy's own per-employee column (kept through hires and exits); created once.

        Columns named ``motivation_*`` add to each employee's settled motivation, columns
        named ``exit_*`` multiply their exit hazard (see :meth:`motivation_target_offset`).
        """
        if name not in self.extra:
            self.extra[name] = np.full(len(self), default, dtype=float)
            self.extra_default[name] = default
        return self.extra[name]

    def motivation_target_offset(self) -> np.ndarray:
        """Disposition plus every policy's ``motivation_*`` term."""
        out = self.disposition.copy()
        for name, values in self.extra.items():
            if name.startswith("motivation_"):
                out += values
        return out

    def exit_multiplier(self) -> np.ndarray:
        """Product of every policy's ``exit_*`` multiplier of the exit hazard."""
        out = np.ones(len(self))
        for name, values in self.extra.items():
            if name.startswith("exit_"):
                out *= values
        return out

    def __len__(self) -> int:
        return len(self.uid)

    def columns(self) -> dict[str, np.ndarray]:
        """Every per-employee column by name (the policies' own ``extra`` not included)."""
        return {name: getattr(self, name) for name in _COLUMNS}

    def append(self, new: dict[str, np.ndarray]) -> np.ndarray:
        """Append rows given as column arrays; return their row indices."""
        n0 = len(self)
        n_new = len(new["uid"])
        for name, values in self.columns().items():
            setattr(self, name, np.concatenate([values, new[name]]))
        for name, values in self.extra.items():
            fill = new.get(name, np.full(n_new, self.extra_default[name]))
            self.extra[name] = np.concatenate([values, fill])
        return np.arange(n0, len(self))

    def keep(self, mask: np.ndarray) -> None:
        """Keep only the rows where ``mask`` is true (exits leave the arrays).

        Each column is compacted when it is next read (``__getattr__``), so a column read
        only at a year's end is compacted once for all the exits since, not at each month's.
        """
        rows = np.flatnonzero(mask)
        self._epochs = [epoch for epoch in self._epochs if epoch[1]]  # still waited on
        for epoch in self._epochs:  # the rows kept since, composed once for its columns
            epoch[0] = epoch[0][rows]
        now, stale = self.__dict__, self._stale
        fresh = [name for name in _COLUMNS if name in now]  # compacted (or set) since
        if fresh:
            epoch = [rows, len(fresh)]
            self._epochs.append(epoch)
            for name in fresh:
                if name in stale:  # set while stale: the value set is the one kept
                    stale[name][1][1] -= 1
                stale[name] = (now.pop(name), epoch)
        for name, values in self.extra.items():
            self.extra[name] = values.take(rows, axis=0)

    def rows_of(self, uids: np.ndarray | int) -> np.ndarray | int:
        """Row index of the employees with these agent ids."""
        return np.searchsorted(self.uid, uids)

    # ------------------------------------------------------------------ derived views

    def sector(self, units: Units) -> np.ndarray:
        """Sector index of each employee's unit."""
        return units.sector[self.unit]

    def matched(self, units: Units, qualifies: np.ndarray) -> np.ndarray:
        """Whether each employee's field qualifies for their unit's sector."""
        return qualifies[self.sector(units), self.field]

    def competency_now(self, units: Units) -> np.ndarray:
        """Competency matrix with the current column filled from the live ``cur``."""
        comp = self.competency.copy()
        comp[np.arange(len(self)), self.sector(units)] = self.cur
        return comp

    # ------------------------------------------------------------------ dynamics

    def learn(self, rate: float, days: int = 1) -> None:
        """Learning by doing: ``cur`` closes ``rate`` of its gap to ``ceil`` each day."""
        keep = (1.0 - rate) ** days
        # ceil − (ceil − cur) × keep, on one fresh array (the same operations in the same order)
        cur = np.subtract(self.ceil, self.cur)
        cur *= keep
        np.subtract(self.ceil, cur, out=cur)
        self.cur = cur

    def decay_unused(self, units: Units, factor: float) -> None:
        """Apply the decay of unused sectors (``factor`` = retention since last applied).

        The current sector's column is set from the live ``cur`` (it was practised, not
        unused), the others move toward the floor.
        """
        floor = self.floor
        competency = np.subtract(self.competency, floor)  # floor + (competency − floor) × factor
        competency *= factor
        competency += floor
        competency[np.arange(len(self)), self.sector(units)] = self.cur
        self.competency = competency

    def decay_training(self, units: Units, factor: float) -> None:
        """Decay the lasting part of training gains (``factor`` = what is left after a year).

        The current sector's ceiling and the digital and managerial levels lose what their
        boost loses; what practice alone reaches is untouched.
        """
        current = self.boost[np.arange(len(self)), self.sector(units)]
        self.ceil = self.ceil - current * (1.0 - factor)
        self.boost = self.boost * factor
        self.digital = self.digital - self.boost_digital * (1.0 - factor)
        self.boost_digital = self.boost_digital * factor
        self.managerial = self.managerial - self.boost_managerial * (1.0 - factor)
        self.boost_managerial = self.boost_managerial * factor

    def promote(self, interval_years: float, caps: np.ndarray) -> None:
        """Regular promotion: one rank up each time tenure passes a multiple of the interval.

        Capped by the rank ceiling of the employee's education (``caps``, per education
        level: :func:`asnsim.people.rank_caps`). Call after tenure += 1.
        """
        promoted = np.floor(self.tenure / interval_years) > np.floor(
            (self.tenure - 1.0) / interval_years
        )
        cap = caps[self.education]
        self.rank = np.where(promoted, np.minimum(self.rank + 1, cap), self.rank).astype(np.int8)

    def move(
        self,
        rows: np.ndarray,
        new_units: np.ndarray,
        units: Units,
        day: int,
        qualifies: np.ndarray,
        mismatch_ceiling: float,
    ) -> None:
        """Post ``rows`` to ``new_units``: write back the old sector, load the new one.

        Call after :meth:`decay_unused` so the competency matrix is up to date.
        """
        old_sector = units.sector[self.unit[rows]]
        valid = self.unit[rows] >= 0
        self.competency[rows[valid], old_sector[valid]] = self.cur[rows[valid]]
        self.unit[rows] = new_units
        self.post_start[rows] = day
        sector = units.sector[new_units]
        self.cur[rows] = self.competency[rows, sector]
        match = qualifies[sector, self.field[rows]]
        practice = competency_ceiling(match, self.floor[rows, sector], mismatch_ceiling)
        self.ceil[rows] = practice + self.boost[rows, sector]


_COLUMNS = tuple(f.name for f in fields(Workforce) if f.name not in ("extra", "extra_default"))
"""The per-employee columns (all fields but the policies' own ``extra``)."""


def _empty_column(name: str, n_sectors: int) -> np.ndarray:
    ints = {
        "uid": np.int64,
        "status": np.int8,
        "position": np.int8,
        "level": np.int8,
        "rank": np.int8,
        "education": np.int8,
        "field": np.int16,
        "unit": np.intp,
        "post_start": np.int64,
        "hire_day": np.int64,
        "retire_day": np.int64,
        "contract_end": np.int64,
        "last_rating": np.int8,
        "teacher": np.bool_,
    }
    if name in ("competency", "floor", "boost"):
        return np.zeros((0, n_sectors))
    return np.zeros(0, dtype=ints.get(name, np.float64))


def draw_people(
    scenario: Scenario,
    units: Units,
    unit_of: np.ndarray,
    rng: np.random.Generator,
    *,
    newcomers: bool,
    day: int,
    field: np.ndarray | None = None,
    pppk: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Workforce rows of ``len(unit_of)`` people drawn from the city profile.

    :func:`asnsim.people.synthetic_people` then :func:`asnsim.people.to_workforce`; the
    arguments are theirs (``day``: model day of hiring / of the start workforce).
    """
    people = synthetic_people(
        scenario, units, unit_of, rng, newcomers=newcomers, field=field, pppk=pppk
    )
    return to_workforce(people, scenario, units, day)
