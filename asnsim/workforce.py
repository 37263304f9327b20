"""The ASN workforce as arrays: one row per employee, kept in order of the agents' ids.

Daily work is a handful of vectorised operations over these arrays; the mesa ``Employee``
agents (``asnsim.agents``) are views of one row each. Rows are removed (exits) and appended
(hires) only in the yearly personnel cycle, so the row of an employee is found by a binary
search of its ``unique_id`` in :attr:`Workforce.uid`.

Competency is a matrix (employee × sector) of technical competency. During a year only the
column of the employee's current sector is read, so it is kept in :attr:`Workforce.cur` and
learns daily; the other columns decay toward the employee's lasting floor, which is applied
exactly, in closed form, whenever the current sector changes or the year ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
from scipy import stats

from asnsim.scenario import EDUCATION_LEVELS, FUNCTIONAL_LEVELS, POSITION_TYPES, Scenario
from asnsim.units import Units

__all__ = ["Workforce", "retirement_age", "RANK_NAMES"]

PNS, PPPK = 0, 1

RANK_NAMES = tuple(
    f"{g}/{r}"
    for g, rs in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
    for r in rs
)
"""PNS ranks (golongan/ruang) I/a ... IV/e, lowest first; index is the ``rank`` value."""

# Entry rank by education (PP 99/2000 and PP 11/2017): SLTA II/a, D3 II/c, S1 III/a,
# S2 III/b, S3 III/c; rank caps by education (6-7 steps above entry, at most IV/e) are
# an assumption standing for the ceiling of regular promotions without a structural post.
_ENTRY_RANK = {"slta": 4, "d3": 6, "s1": 8, "s2": 9, "s3": 10}
_RANK_CAP = {"slta": 11, "d3": 12, "s1": 14, "s2": 15, "s3": 16}
_RANK_CAP_BY_LEVEL = np.array([_RANK_CAP[e] for e in EDUCATION_LEVELS])

# Batas Usia Pensiun (PP 11/2017; UU 20/2023 art. 55), DOMAIN.md: 58 administrator, pengawas,
# pelaksana and functional keterampilan / ahli pertama / ahli muda; 60 JPT and ahli madya;
# 65 ahli utama. PPPK follow the same ages by post.
_BUP_POSITION = {"jpt": 60.0, "administrator": 58.0, "pengawas": 58.0, "pelaksana": 58.0}
_BUP_FUNCTIONAL = {
    "keterampilan": 58.0,
    "ahli_pertama": 58.0,
    "ahli_muda": 58.0,
    "ahli_madya": 60.0,
    "ahli_utama": 65.0,
}


def retirement_age(position: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Retirement age (BUP) by position type and functional level (DOMAIN.md, PP 11/2017).

    Args:
        position: Index into ``POSITION_TYPES``.
        level: Index into ``FUNCTIONAL_LEVELS`` for fungsional staff, -1 otherwise.
    """
    by_position = np.array([_BUP_POSITION.get(p, 0.0) for p in POSITION_TYPES])
    by_level = np.array([_BUP_FUNCTIONAL[lv] for lv in FUNCTIONAL_LEVELS])
    fungsional = POSITION_TYPES.index("fungsional")
    out = by_position[position]
    is_f = position == fungsional
    out[is_f] = by_level[level[is_f]]
    return out


def _choice(rng: np.random.Generator, mix: dict[str, float], keys: tuple[str, ...], n: int):
    p = np.array([mix.get(k, 0.0) for k in keys])
    return rng.choice(len(keys), size=n, p=p / p.sum())


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
    retire_at: np.ndarray  # years, BUP
    unit: np.ndarray  # intp, index into Units (intp: numpy indexes and bins it without a copy)
    post_start: np.ndarray  # int64, model day the current posting began
    hire_day: np.ndarray  # int64, model day of hiring (negative: before the run)
    competency: np.ndarray  # (n, sectors) technical competency; current column is stale
    floor: np.ndarray  # (n, sectors) lasting competency from schooling and field
    cur: np.ndarray  # competency in the current unit's sector (live)
    ceil: np.ndarray  # what practice in the current sector can reach
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

    def append(self, new: dict[str, np.ndarray]) -> np.ndarray:
        """Append rows given as column arrays; return their row indices."""
        n0 = len(self)
        n_new = len(new["uid"])
        for f in fields(self):
            if f.name not in ("extra", "extra_default"):
                setattr(self, f.name, np.concatenate([getattr(self, f.name), new[f.name]]))
        for name, values in self.extra.items():
            fill = new.get(name, np.full(n_new, self.extra_default[name]))
            self.extra[name] = np.concatenate([values, fill])
        return np.arange(n0, len(self))

    def keep(self, mask: np.ndarray) -> None:
        """Keep only the rows where ``mask`` is true (exits leave the arrays)."""
        for f in fields(self):
            if f.name not in ("extra", "extra_default"):
                setattr(self, f.name, getattr(self, f.name)[mask])
        for name, values in self.extra.items():
            self.extra[name] = values[mask]

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
        self.cur = self.ceil - (self.ceil - self.cur) * keep

    def decay_unused(self, units: Units, factor: float) -> None:
        """Apply the decay of unused sectors (``factor`` = retention since last applied).

        The current sector's column is set from the live ``cur`` (it was practised, not
        unused), the others move toward the floor.
        """
        self.competency = self.floor + (self.competency - self.floor) * factor
        self.competency[np.arange(len(self)), self.sector(units)] = self.cur

    def promote(self, interval_years: float) -> None:
        """Regular promotion: one rank up each time tenure passes a multiple of the interval.

        Capped by the rank ceiling of the employee's education (call after tenure += 1).
        """
        promoted = np.floor(self.tenure / interval_years) > np.floor(
            (self.tenure - 1.0) / interval_years
        )
        cap = _RANK_CAP_BY_LEVEL[self.education]
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
        self.ceil[rows] = np.maximum(
            np.where(match, 1.0, mismatch_ceiling), self.floor[rows, sector]
        )


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
        "last_rating": np.int8,
    }
    if name in ("competency", "floor"):
        return np.zeros((0, n_sectors))
    return np.zeros(0, dtype=ints.get(name, np.float64))


def qualification_table(scenario: Scenario) -> tuple[list[str], np.ndarray]:
    """Fields of study and a (sector × field) table of which fields qualify for which sector."""
    field_names = list(scenario.city.workforce.field_mix)
    sectors = scenario.sector_names
    table = np.zeros((len(sectors), len(field_names)), dtype=bool)
    for s, sector in enumerate(sectors):
        for f in scenario.sectors[sector]:
            table[s, field_names.index(f)] = True
    return field_names, table


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
    """Draw the attributes of ``len(unit_of)`` people (the start workforce or recruits).

    Args:
        scenario: The scenario (city make-up and assumptions).
        units: The unit table.
        unit_of: Unit index of each person (-1: not yet placed, recruits only).
        rng: The stream to draw from.
        newcomers: Recruits (young, no tenure, ramping up) rather than serving staff.
        day: Model day (hire day of recruits; serving staff were hired before day 0).
        field: Fields of study, if already chosen (recruitment policy); drawn otherwise.
        pppk: Which are PPPK, if already chosen; drawn from the city mix otherwise.
    """
    wf = scenario.city.workforce
    a = scenario.assumptions
    n = len(unit_of)
    dpy = scenario.days_per_year
    _, qualifies = qualification_table(scenario)

    position = _choice(rng, wf.position_mix, POSITION_TYPES, n).astype(np.int8)
    level = np.full(n, -1, dtype=np.int8)
    is_f = position == POSITION_TYPES.index("fungsional")
    level[is_f] = _choice(rng, wf.functional_level_mix, FUNCTIONAL_LEVELS, int(is_f.sum()))
    retire_at = retirement_age(position, level)
    education = _choice(rng, wf.education_mix, EDUCATION_LEVELS, n).astype(np.int8)
    if pppk is None:
        pppk = rng.random(n) < wf.pppk_share
    status = np.where(pppk, PPPK, PNS).astype(np.int8)

    if newcomers:
        lo, hi = 18.0, retire_at - 1.0
        mean, sd = a.newcomer_age_mean, max(a.newcomer_age_sd, 1e-6)
    else:
        lo, hi = 19.0, retire_at - 1e-3
        mean, sd = wf.age_mean, wf.age_sd
    age = stats.truncnorm.rvs(
        (lo - mean) / sd, (hi - mean) / sd, loc=mean, scale=sd, size=n, random_state=rng
    )
    if newcomers:
        tenure = np.zeros(n)
        days_in_post = np.zeros(n)
    else:
        entry_age = rng.uniform(20.0, 30.0, n)
        tenure = np.maximum(0.0, age - entry_age)
        tenure = np.where(pppk, np.minimum(tenure, rng.uniform(0.0, 6.0, n)), tenure)
        days_in_post = np.floor(rng.uniform(0, 1, n) * np.minimum(tenure, 5.0) * dpy)
    edu_names = [EDUCATION_LEVELS[e] for e in range(len(EDUCATION_LEVELS))]
    entry = np.array([_ENTRY_RANK[e] for e in edu_names])[education]
    cap = np.array([_RANK_CAP[e] for e in edu_names])[education]
    rank = np.minimum(entry + np.floor(tenure / a.promotion_interval_years), cap).astype(np.int8)

    if field is None:
        field = _draw_fields(rng, wf.field_mix, qualifies, units, unit_of)
    base = np.array([a.competency_by_education[e] for e in edu_names])[education]
    floor = base[:, None] + a.field_match_bonus * qualifies[:, field].T
    floor = np.clip(floor + rng.normal(0.0, a.competency_sd, (n, 1)), 0.0, 1.0)
    competency = floor.copy()
    cur = np.zeros(n)
    ceil = np.ones(n)
    placed = unit_of >= 0
    if placed.any():
        rows = np.flatnonzero(placed)
        sector = units.sector[unit_of[rows]]
        match = qualifies[sector, field[rows]]
        ceil[rows] = np.maximum(np.where(match, 1.0, a.mismatch_ceiling), floor[rows, sector])
        lr = 1.0 - 0.5 ** (1.0 / a.learning_half_life_days)
        practised = days_in_post[rows] + (0 if newcomers else rng.uniform(0, 1, len(rows)) * dpy)
        learned = ceil[rows] - (ceil[rows] - floor[rows, sector]) * (1 - lr) ** practised
        cur[rows] = np.clip(learned, floor[rows, sector], ceil[rows])
        competency[rows, sector] = cur[rows]

    hire_day = np.full(n, day, dtype=np.int64)
    if not newcomers:
        hire_day = (day - np.round(tenure * dpy)).astype(np.int64)
    motivation = np.clip(rng.normal(wf.motivation_mean, a.motivation_sd, n), 0.0, 1.0)
    ramp = np.ones(n)
    if newcomers:
        ramp[:] = a.ramp_start
    return {
        "uid": np.zeros(n, dtype=np.int64),
        "status": status,
        "position": position,
        "level": level,
        "rank": rank,
        "education": education,
        "field": field.astype(np.int16),
        "age": age,
        "tenure": tenure,
        "retire_at": retire_at,
        "unit": unit_of.astype(np.intp),
        "post_start": (day - days_in_post).astype(np.int64),
        "hire_day": hire_day,
        "competency": competency,
        "floor": floor,
        "cur": cur,
        "ceil": ceil,
        "digital": np.clip(rng.normal(wf.digital_mean, 0.15, n), 0.0, 1.0),
        "managerial": np.clip(rng.normal(0.5, 0.15, n), 0.0, 1.0),
        "motivation": motivation,
        # each person's own settled level (city mean + their disposition) against the reference
        "motivation_offset": motivation - a.motivation_target,
        "disposition": motivation - a.motivation_target,
        "present": np.ones(n),
        "output_year": np.zeros(n),
        "resistance": np.clip(rng.normal(wf.resistance_mean, 0.15, n), 0.0, 1.0),
        "ramp": ramp,
        "jp_year": np.zeros(n),
        "last_rating": np.full(n, -1, dtype=np.int8),
    }


def _draw_fields(
    rng, field_mix: dict[str, float], qualifies: np.ndarray, units: Units, unit_of: np.ndarray
) -> np.ndarray:
    """Fields of study: a unit's staff fit its sector with the unit's field-match share."""
    p_all = np.array(list(field_mix.values()))
    n = len(unit_of)
    out = rng.choice(len(p_all), size=n, p=p_all / p_all.sum())
    placed = np.flatnonzero(unit_of >= 0)
    if len(placed) == 0:
        return out
    u = unit_of[placed]
    fits = rng.random(len(placed)) < units.field_match_share[u]
    sector = units.sector[u]
    for s in np.unique(sector):  # a loop over sectors, not employees
        ok = qualifies[s]
        here = sector == s
        for want, allowed in ((True, ok), (False, ~ok)):
            pick = here & (fits == want)
            p = np.where(allowed, p_all, 0.0)
            if pick.any() and p.sum() > 0:
                out[placed[pick]] = rng.choice(len(p), size=int(pick.sum()), p=p / p.sum())
    return out
