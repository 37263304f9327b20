"""Placement and transfer (mutasi): who fills which open post, and who moves each year.

A placement policy's ``act`` does two things at each year's end, right after recruitment
(see ``LEVERS``):

- :meth:`PlacementPolicy.place` gives the newcomers posts: it gets the candidates (rows of
  ``gov.staff``) and the open posts (one unit index per vacant post) and returns the unit
  given to each candidate (-1: none, so not taken on); ``do.place_newcomers`` posts them.
- :meth:`PlacementPolicy.transfer` transfers serving staff (mutasi). Every strategy honours
  the posting rule of PP 11/2017 art. 190 (DOMAIN.md): nobody moves before
  ``min_years_in_post`` (2), anyone past ``max_years_in_post`` (5) is due to move, and at most
  ``max_moves_share`` of the headcount moves in a year. Transfers are drawn from a *pool* —
  the staff due to move first, then (for the fit- and need-driven strategies) staff allowed to
  move who would gain — never from the whole workforce, so the optimal assignment stays small
  (DESIGN.md). The pool is never larger than the cap, so moves never exceed it; pool members
  swap the posts they vacate (and, where the strategy allows, take vacancies), so no unit
  rises above its formation.

Strategies: ``seniority`` (status quo: fill vacancies by rank, rotate the staff due to move
without regard to fit), ``random``, ``competency_match`` (optimal assignment by fit with
:func:`scipy.optimize.linear_sum_assignment`) and ``needs_based`` (the units with the most work per
staff member, backlog included, are staffed first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from asnsim.policies import Policy, Result, planner, register
from asnsim.vocab import POSITION_TYPES

if TYPE_CHECKING:
    from asnsim.policies.contract import Actions, Snapshot

__all__ = [
    "CompetencyMatchPlacement",
    "NeedsBasedPlacement",
    "PlacementOptions",
    "PlacementPolicy",
    "RandomPlacement",
    "SeniorityPlacement",
    "dhondt_quotients",
    "fit_matrix",
    "match_to_targets",
    "rank_within",
    "rotation",
    "staff_needed",
]

_EPS = 1e-9  # years: tolerance when comparing time in post with the rule's bounds
_FORBIDDEN = 1e6  # value units: an assignment that the rule forbids (a due move back home)


# --------------------------------------------------------------------------- options


class PlacementOptions(BaseModel):
    """Options every placement strategy shares: the posting rule, the cap, the cost of a move."""

    model_config = ConfigDict(extra="forbid")
    min_years_in_post: float = Field(
        2.0,
        ge=0.0,
        le=40.0,
        description="[years] Nobody is transferred before this long in a post: 2 years "
        "(PP 11/2017 art. 190; Peraturan BKN 5/2019; DOMAIN.md).",
    )
    max_years_in_post: float = Field(
        5.0,
        gt=0.0,
        le=40.0,
        description="[years] Staff this long in a post are due to move: 5 years "
        "(PP 11/2017 art. 190; DOMAIN.md).",
    )
    max_moves_share: float = Field(
        0.05,
        json_schema_extra=planner(
            "The BKPSDM decides how many mutasi it processes a year; a fifth is the pace of "
            "the 5-year rule.",
            0.0,
            0.2,
        ),
        ge=0.0,
        le=1.0,
        description="[share of headcount/year] Most transfers a year. Assumption: the BKPSDM "
        "processes mutasi in a few batches a year; no published rate found (the 2-5 year rule "
        "alone would imply 20-50%). 0 turns transfers off.",
    )
    cost_per_move: float = Field(
        0.0,
        ge=0.0,
        description="[rupiah/move] Money a transfer costs. Assumption 0: a move within one "
        "regional government carries no relocation allowance; set it to price the "
        "administration and relocation of a move.",
    )

    @field_validator("max_years_in_post")
    @classmethod
    def _max_after_min(cls, v: float, info: ValidationInfo) -> float:
        low = info.data.get("min_years_in_post")
        if low is not None and v < low:
            raise ValueError(f"must be at least min_years_in_post ({low})")
        return v


class CompetencyMatchOptions(PlacementOptions):
    """Options of ``competency_match``: what fit is worth, and when a move is worth making."""

    field_weight: float = Field(
        1.0,
        ge=0.0,
        le=10.0,
        description="[fit points] Value of a field of study that qualifies for the post's "
        "sector: posts are filled by matching qualification to the job (PP 11/2017 art. 190).",
    )
    competency_weight: float = Field(
        1.0,
        ge=0.0,
        le=10.0,
        description="[fit points per competency point] Value of the technical competency the "
        "person has in the post's sector (what they bring on day one).",
    )
    min_fit_gain: float = Field(
        0.1,
        json_schema_extra=planner(
            "The BKPSDM's rule for moving someone not yet due; half a fit point is a large gain.",
            0.0,
            0.5,
        ),
        ge=0.0,
        description="[fit points] Someone not yet due moves only for a larger gain in fit: a "
        "move costs the team a familiar colleague (assumption; about a year of learning on "
        "the job at the default learning rate).",
    )
    into_vacancies: bool = Field(
        False,
        json_schema_extra=planner(
            "Whether a transfer for fit may fill a vacancy is the BKPSDM's rule."
        ),
        description="Transfers may move people into vacancies (not only swap posts). Off: a "
        "transfer for fit should not strip a unit of staff; ``needs_based`` moves headcount.",
    )


class NeedsBasedOptions(PlacementOptions):
    """Options of ``needs_based``: when a move toward need is worth making."""

    min_need_gain: float = Field(
        0.1,
        json_schema_extra=planner(
            "The BKPSDM's rule for moving someone not yet due; 0.5 is a gap of half a post "
            "per person.",
            0.0,
            0.5,
        ),
        ge=0.0,
        description="[staff needed per staff member] Someone not yet due moves only if the "
        "receiving unit's need per staff member exceeds their own unit's by more than this "
        "(assumption: a 10% gap, so noise in one year's figures moves nobody).",
    )


# --------------------------------------------------------------------------- pure parts


def fit_matrix(
    field: np.ndarray,
    competency: np.ndarray,
    qualifies: np.ndarray,
    field_weight: float,
    competency_weight: float,
) -> np.ndarray:
    """How well each person fits each sector.

    ``fit[i, s] = field_weight × qualifies[s, field_i] + competency_weight × competency[i, s]``.

    Args:
        field: (n,) field of study of each person (index into the field list).
        competency: (n, sectors) technical competency of each person in each sector.
        qualifies: (sectors, fields) whether a field qualifies for a sector.
        field_weight: Value of a qualifying field.
        competency_weight: Value of one point of competency.

    Returns:
        (n, sectors) fit.
    """
    return field_weight * qualifies[:, field].T + competency_weight * competency


def rank_within(groups: np.ndarray) -> np.ndarray:
    """Position of each element among the elements of its group, in the order given.

    Example: ``rank_within([3, 1, 3, 3, 1]) == [0, 0, 1, 2, 1]``.
    """
    groups = np.asarray(groups)
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(groups, kind="stable")
    g = groups[order]
    start = np.r_[0, np.flatnonzero(g[1:] != g[:-1]) + 1]
    counts = np.diff(np.r_[start, len(g)])
    out = np.empty(len(g), dtype=np.int64)
    out[order] = np.arange(len(g)) - np.repeat(start, counts)
    return out


def rotation(units: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Rotate people among the posts they hold, each to another unit where possible.

    People are sorted by unit (units in random order, people in random order within a unit)
    and each takes the post of the person ``m`` places further on, cyclically, where ``m`` is
    the size of the largest group: then nobody lands in their own unit as long as no unit
    holds more than half of the people (those that would, keep their unit).

    Args:
        units: (n,) unit of each person.
        rng: Random stream.

    Returns:
        (n,) the unit each person moves to: a permutation of ``units``.
    """
    n = len(units)
    if n < 2:
        return units.copy()
    _, group = np.unique(units, return_inverse=True)
    unit_key = rng.permutation(group.max() + 1)[group]
    order = np.lexsort((rng.random(n), unit_key))
    shift = int(np.bincount(group).max())
    if shift >= n:
        return units.copy()
    shift = max(shift, 1)
    out = np.empty_like(units)
    out[order] = units[order][(np.arange(n) + shift) % n]
    return out


def staff_needed(
    work_hours: np.ndarray, capacity_hours: np.ndarray, staff: np.ndarray
) -> np.ndarray:
    """Staff each unit needs for its work at its staff's present productivity.

    ``needed = staff × work_hours / capacity_hours``: a unit whose staff can give as many hours
    as its work takes needs the staff it has; one with half the hours it needs, twice as many.
    A unit with work and no capacity needs infinitely many (it is staffed first).

    Args:
        work_hours: (units,) staff hours its work takes in a year.
        capacity_hours: (units,) staff hours its present staff can give in a year.
        staff: (units,) present staff.
    """
    work = np.asarray(work_hours, dtype=float)
    cap = np.asarray(capacity_hours, dtype=float)
    staff = np.asarray(staff, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(cap > 0, staff * work / cap, np.where(work > 0, np.inf, 0.0))


def dhondt_quotients(
    needed: np.ndarray, staff: np.ndarray, open_posts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Need per staff member of each open post if it were filled (D'Hondt quotients).

    The ``k``-th open post of unit ``u`` (k = 1, 2, ...) has quotient
    ``needed[u] / (staff[u] + k)``: filling posts in decreasing order of quotient always gives
    the next person to the unit with the most need per staff member.

    Args:
        needed: (units,) staff needed (:func:`staff_needed`).
        staff: (units,) staff now.
        open_posts: (units,) open posts.

    Returns:
        (unit of each open post, its quotient), posts of a unit in order of ``k``.
    """
    open_posts = np.asarray(open_posts, dtype=np.int64)
    unit = np.repeat(np.arange(len(open_posts)), open_posts)
    k = rank_within(unit) + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.asarray(needed, dtype=float)[unit] / (np.asarray(staff)[unit] + k)
    return unit, np.nan_to_num(q, nan=0.0)


def _fill_in_order(order: np.ndarray, posts: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, -1, dtype=np.int32)
    k = min(len(order), len(posts))
    out[order[:k]] = posts[:k]
    return out


def _take_best(fit: np.ndarray, col_sector: np.ndarray) -> np.ndarray | None:
    """Everyone's best sector, if it has room for all who want it (then that is optimal).

    Args:
        fit: (n, sectors) fit of each person to each sector.
        col_sector: (posts,) sector of each post, posts of a sector together.

    Returns:
        The post (column) of each person, or None if a sector is over-asked.
    """
    n_sectors = fit.shape[1]
    best = fit.argmax(axis=1)
    room = np.bincount(col_sector, minlength=n_sectors)
    if (np.bincount(best, minlength=n_sectors) > room).any():
        return None
    first = np.r_[0, np.cumsum(room)[:-1]]
    return first[best] + rank_within(best)


def _assign(value: np.ndarray) -> np.ndarray:
    """Column given to each row by the assignment maximising the total value (-1: none)."""
    out = np.full(value.shape[0], -1, dtype=np.int64)
    if value.size:
        rows, cols = linear_sum_assignment(value, maximize=True)
        out[rows] = cols
    return out


# --------------------------------------------------------------------------- base


class PlacementPolicy(Policy):
    """Base of placement policies: newcomers' posts, and transfers under the posting rule.

    :meth:`act` places the newcomers recruitment hired (:meth:`place`), then transfers
    serving staff (:meth:`transfer`). Subclasses may override :meth:`place` (by default the
    status quo: most senior first, field ignored), :meth:`_pool` (who may move this year, in
    priority order) and :meth:`_transfer` (where they go). ``history`` keeps a dict per year:
    staff due, pool size, moves and the cap; the same numbers are the diagnostics.
    """

    kind = "placement"
    Options = PlacementOptions
    reports = ("placed", "due", "pool", "moves", "cap")

    def __init__(self, options: BaseModel, rng: np.random.Generator):
        super().__init__(options, rng)
        self.history: list[dict[str, Any]] = []
        self._need_cache: tuple[int, np.ndarray] | None = None

    def act(self, gov: Snapshot, do: Actions) -> Result:
        """Place the year's newcomers in the open posts, then transfer serving staff."""
        new = gov.newcomers
        placed = 0
        if len(new):
            posts = np.repeat(np.arange(gov.n_units), gov.open_posts()).astype(np.int32)
            units = self.place(gov, new, posts)
            placed = int((units >= 0).sum())
            do.place_newcomers(units)
        result = self.transfer(gov, do)
        return Result(result.spend, {"placed": placed, **result.diagnostics})

    def place(self, gov: Snapshot, candidates: np.ndarray, posts: np.ndarray) -> np.ndarray:
        """Assign candidates to posts: the most senior (rank, then tenure) first.

        Args:
            gov: What the government knows.
            candidates: Rows of the staff to place.
            posts: One unit index per open post.

        Returns:
            For each candidate, the unit it is placed in, or -1 if it gets no post.
        """
        staff = gov.staff
        order = np.lexsort((-staff.tenure[candidates], -staff.rank[candidates]))
        return _fill_in_order(order, self.rng.permutation(posts), len(candidates))

    # ------------------------------------------------------------------ transfers

    def transfer(self, gov: Snapshot, do: Actions) -> Result:
        """Transfer (mutasi) serving staff at the year's end under the posting rule.

        Returns:
            ``cost_per_move`` × the number of people moved (rupiah), and the year's
            ``due``, ``pool``, ``moves`` and ``cap``.
        """
        o = self.options
        staff = gov.staff
        cap = int(np.floor(o.max_moves_share * len(staff) + _EPS))
        years = (gov.day - staff.post_start) / gov.days_per_year
        allowed = years >= o.min_years_in_post - _EPS
        due = allowed & (years >= o.max_years_in_post - _EPS)
        pool = self._pool(gov, years, allowed, due, cap) if cap > 0 else np.zeros(0, int)
        pool = np.asarray(pool, dtype=np.int64)[:cap]
        moved = 0
        if len(pool):
            new_units = self._transfer(gov, pool, due[pool])
            go = new_units != staff.unit[pool]
            moved = int(go.sum())
            if moved:
                do.move(pool[go], new_units[go].astype(np.int32))
        year = {"due": int(due.sum()), "pool": len(pool), "moves": moved, "cap": cap}
        self.history.append(
            {"day": gov.day, "due": year["due"], "pool": len(pool), "moved": moved, "cap": cap}
        )
        return Result(moved * o.cost_per_move, year)

    def _pool(self, gov: Snapshot, years, allowed, due, cap: int) -> np.ndarray:
        """Who may move this year, first first: the status quo takes the staff due to move.

        Most overdue first; among equals, the most senior (rank, then tenure).
        """
        staff = gov.staff
        rows = np.flatnonzero(due)
        order = np.lexsort((-staff.tenure[rows], -staff.rank[rows], -years[rows]))
        return rows[order][:cap]

    def _transfer(self, gov: Snapshot, pool: np.ndarray, due: np.ndarray) -> np.ndarray:
        """Unit each pool member goes to (the status quo rotates them, field ignored)."""
        return rotation(gov.staff.unit[pool], self.rng)

    # ------------------------------------------------------------------ shared helpers

    def _needed(self, gov: Snapshot) -> np.ndarray:
        """Staff each unit needs (:func:`staff_needed`), reckoned once per year-end.

        Work: last year's requests (new and rework) and the backlog left, × the unit's effort
        per request. Capacity: what a planner can see of the present staff — each one's
        service hours (hours a day × the position's service share × (1 − absence) × days a
        year) × competency in the unit's sector; motivation and digital support are left out.
        Before any year has ended, every unit needs the staff it has.
        """
        if self._need_cache is not None and self._need_cache[0] == gov.day:
            return self._need_cache[1]
        staff = gov.staff
        count = gov.staff_per_unit()
        flows = gov.year_flows()
        if flows is None:
            needed = count.astype(float)
        else:
            a = gov.assumptions
            requests = flows["arrivals"] + flows["rework_arrivals"] + flows["backlog"]
            share = np.array([a.service_share[p] for p in POSITION_TYPES])
            placed = staff.unit >= 0
            hours = (
                a.hours_per_day
                * gov.days_per_year
                * (1.0 - a.absence_rate)
                * share[staff.position[placed]]
                * staff.cur[placed]
            )
            capacity = np.bincount(staff.unit[placed], weights=hours, minlength=gov.n_units)
            needed = staff_needed(requests * gov.service("effort_hours"), capacity, count)
            needed = np.where(np.isinf(needed), gov.formation, needed)
        self._need_cache = (gov.day, needed)
        return needed

    def _assign_to_posts(
        self,
        gov: Snapshot,
        pool: np.ndarray,
        due: np.ndarray,
        col_unit: np.ndarray,
        value: np.ndarray,
        stay_bonus: float,
    ) -> np.ndarray:
        """Optimal assignment of pool members to posts, honouring the posting rule.

        Args:
            gov: What the government knows.
            pool: Rows of the people who may move.
            due: Which of them are due to move (they may not stay in their unit).
            col_unit: Unit of each post (the posts the pool vacates, and any vacancies).
            value: (pool, posts) value of each person in each post.
            stay_bonus: Added to the value of a post in one's own unit (not due): a move must
                gain more than this.

        Returns:
            The unit each pool member goes to.
        """
        own = gov.staff.unit[pool]
        home = col_unit[None, :] == own[:, None]
        value = value + np.where(home, np.where(due[:, None], -_FORBIDDEN, stay_bonus), 0.0)
        cols = _assign(value)
        return np.where(cols >= 0, col_unit[np.maximum(cols, 0)], own)


# --------------------------------------------------------------------------- strategies


@register
class SeniorityPlacement(PlacementPolicy):
    """Status quo: the most senior (rank, then tenure) fill vacancies first; field is ignored.

    Transfers: the staff due to move (most overdue, then most senior first, under the cap)
    rotate among the posts they vacate, each to another unit, without regard to fit.
    """

    name = "seniority"


@register
class RandomPlacement(PlacementPolicy):
    """Candidates take open posts in random order; transfers rotate due staff at random."""

    name = "random"

    def place(self, gov, candidates, posts):  # noqa: D102
        order = self.rng.permutation(len(candidates))
        return _fill_in_order(order, self.rng.permutation(posts), len(candidates))

    def _pool(self, gov, years, allowed, due, cap):  # noqa: D102
        return self.rng.permutation(np.flatnonzero(due))[:cap]


@register
class CompetencyMatchPlacement(PlacementPolicy):
    """Optimal assignment of people to posts by fit (scipy ``linear_sum_assignment``).

    Fit of person ``i`` to a post of sector ``s`` is :func:`fit_matrix`: whether their field
    qualifies for ``s`` and the competency they have in ``s``. Newcomers take the open posts
    that maximise the total fit. Transfers: the pool is the staff due to move (most overdue
    first), then staff allowed to move whose best fit elsewhere beats their current fit by
    ``min_fit_gain`` (largest gain first), under the cap; they are assigned among the posts
    they vacate (and vacancies if ``into_vacancies``) to maximise total fit, the due ones
    each to another unit.
    """

    name = "competency_match"
    Options = CompetencyMatchOptions

    def _fit(self, gov, rows: np.ndarray) -> np.ndarray:
        staff = gov.staff
        comp = staff.competency[rows].copy()  # current after decay_unused (see Workforce.move)
        placed = staff.unit[rows] >= 0
        comp[np.flatnonzero(placed), gov.unit_sector[staff.unit[rows[placed]]]] = staff.cur[
            rows[placed]
        ]
        o = self.options
        return fit_matrix(
            staff.field[rows], comp, gov.qualifies, o.field_weight, o.competency_weight
        )

    def place(self, gov, candidates, posts):  # noqa: D102
        n = len(candidates)
        if n == 0 or len(posts) == 0:
            return np.full(n, -1, dtype=np.int32)
        posts = self.rng.permutation(posts)  # ties (same sector) go to a random unit
        sector = gov.unit_sector[posts]
        keep = rank_within(sector) < n  # posts of a sector are alike: n of each suffice
        posts, sector = posts[keep], sector[keep]
        order = np.argsort(sector, kind="stable")  # grouped columns: the solver runs faster
        posts, sector = posts[order], sector[order]
        fit = self._fit(gov, candidates)
        cols = _take_best(fit, sector)
        if cols is None:
            cols = _assign(fit[:, sector])
        out = np.full(n, -1, dtype=np.int32)
        got = cols >= 0
        out[got] = posts[cols[got]]
        return out

    def _pool(self, gov, years, allowed, due, cap):  # noqa: D102
        first = super()._pool(gov, years, allowed, due, cap)
        room = cap - len(first)
        if room <= 0:
            return first
        rows = np.flatnonzero(allowed & ~due)
        fit = self._fit(gov, rows)
        current = fit[np.arange(len(rows)), gov.unit_sector[gov.staff.unit[rows]]]
        gain = fit.max(axis=1) - current
        keep = gain > self.options.min_fit_gain
        rows, gain = rows[keep], gain[keep]
        return np.concatenate([first, rows[np.argsort(-gain, kind="stable")][:room]])

    def _transfer(self, gov, pool, due):  # noqa: D102
        col_unit = gov.staff.unit[pool]
        if self.options.into_vacancies:
            vacant = gov.open_posts()
            extra = self.rng.permutation(np.repeat(np.arange(len(vacant)), vacant))
            extra = extra[rank_within(gov.unit_sector[extra]) < len(pool)]
            col_unit = np.concatenate([col_unit, extra])
        col_unit = col_unit[np.lexsort((col_unit, gov.unit_sector[col_unit]))]  # grouped
        fit = self._fit(gov, pool)
        value = fit[:, gov.unit_sector[col_unit]]
        return self._assign_to_posts(gov, pool, due, col_unit, value, self.options.min_fit_gain)


@register
class NeedsBasedPlacement(PlacementPolicy):
    """Staff the units with the most work per staff member (backlog, overload) first.

    Need: the staff each unit needs for a year's work like the last one plus its backlog, at
    its present staff's productivity (:func:`staff_needed`); open posts are filled in
    decreasing order of need per staff member (:func:`dhondt_quotients`); field of study is
    ignored. Newcomers (most senior first) take the posts of highest need.
    Transfers: the staff due to move, then staff allowed to move from the units with the least
    need per staff member, as long as a vacancy elsewhere has a need per staff member larger
    by ``min_need_gain``; they take the posts of highest need among the posts they vacate and
    the vacancies (the due ones in another unit).
    """

    name = "needs_based"
    Options = NeedsBasedOptions

    def place(self, gov, candidates, posts):  # noqa: D102
        n = len(candidates)
        if n == 0 or len(posts) == 0:
            return np.full(n, -1, dtype=np.int32)
        open_posts = np.bincount(posts, minlength=gov.n_units)
        unit, q = dhondt_quotients(self._needed(gov), gov.staff_per_unit(), open_posts)
        tie = self.rng.random(len(q))
        best = unit[np.lexsort((tie, -q))]
        rank = gov.staff.rank[candidates]
        tenure = gov.staff.tenure[candidates]
        order = np.lexsort((-tenure, -rank))  # seniors first, as in the status quo
        return _fill_in_order(order, best, n)

    def _pool(self, gov, years, allowed, due, cap):  # noqa: D102
        first = super()._pool(gov, years, allowed, due, cap)
        room = cap - len(first)
        if room <= 0:
            return first
        unit = gov.staff.unit
        needed = self._needed(gov)
        staff = gov.staff_per_unit()
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(staff > 0, needed / staff, np.inf)
        rows = np.flatnonzero(allowed & ~due)
        own = ratio[unit[rows]]
        rows = rows[np.lexsort((self.rng.random(len(rows)), own))]  # least need first
        _, q = dhondt_quotients(needed, staff, gov.open_posts())
        q = -np.sort(-q)[:room]
        k = min(room, len(rows), len(q))
        worth = q[:k] > ratio[unit[rows[:k]]] + self.options.min_need_gain
        n_extra = int(np.argmin(worth)) if not worth.all() else k
        return np.concatenate([first, rows[:n_extra]])

    def _transfer(self, gov, pool, due):  # noqa: D102
        n_units = gov.n_units
        own = gov.staff.unit[pool]
        staff = gov.staff_per_unit()
        leaving = np.bincount(own, minlength=n_units)
        vacant = np.maximum(gov.formation - staff, 0)
        col_unit, q = dhondt_quotients(self._needed(gov), staff - leaving, leaving + vacant)
        # a member not yet due keeps their post unless a post elsewhere is needier by the gap
        keepers = np.bincount(own[~due], minlength=n_units)
        q = q + np.where(rank_within(col_unit) < keepers[col_unit], self.options.min_need_gain, 0)
        target = col_unit[np.lexsort((self.rng.random(len(q)), -q))[: len(pool)]]
        return match_to_targets(own, due, target, self.rng)


def match_to_targets(
    own: np.ndarray, due: np.ndarray, target: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Send people to target posts: those not due stay if their unit has a target post.

    The others take the remaining targets by a maximum bipartite matching in which nobody
    goes back to their own unit (so every due person who can leave does); whoever cannot be
    matched keeps their post, and the target it would have taken stays open.

    Args:
        own: (n,) unit of each person.
        due: (n,) whether each person is due to move.
        target: (n,) unit of each post to be filled.
        rng: Random stream (which mover takes which target is arbitrary).

    Returns:
        (n,) the unit each person ends up in.
    """
    n_units = int(max(own.max(initial=-1), target.max(initial=-1))) + 1
    out = own.copy()
    slots = np.bincount(target, minlength=n_units)
    keep = np.flatnonzero(~due)
    keep = keep[rank_within(own[keep]) < slots[own[keep]]]
    kept = np.bincount(own[keep], minlength=n_units)
    left = target[rank_within(target) >= kept[target]]
    movers = np.setdiff1d(np.arange(len(own)), keep)
    if len(movers) == 0 or len(left) == 0:
        return out
    movers = rng.permutation(movers)
    left = rng.permutation(left)
    allowed = csr_matrix(own[movers][:, None] != left[None, :])
    match = maximum_bipartite_matching(allowed, perm_type="column")
    got = match >= 0
    out[movers[got]] = left[match[got]]
    return out
