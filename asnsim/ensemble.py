"""Many runs as one: the ensemble engine.

``run_ensemble(scenarios)`` runs independent scenarios (replications, variants, parameter sets,
regions) and yields each run's :class:`~asnsim.outcomes.Outcomes` as it ends. Every run keeps
its own random streams, so each result is bit-identical to the same scenario run alone with
:class:`~asnsim.model.ASNModel`. A run that fails yields its exception; the others go on.

How: each run is a full :class:`~asnsim.model.ASNModel` (its streams, agents, levers, survey
and yearly cycle, all its own code). Only the working day is shared. The per-employee state the
day reads and writes (``cur``, ``motivation``, ``ramp``, ...) and every unit's queue and
counters live in arrays concatenated over the runs, run after run with each run's rows in its
own order, and each run's fields are *views* (slices) of them: an update of the big arrays is
each run's own update, element for element the same arithmetic (per-run assumptions become
per-row and per-unit arrays). Per-unit sums are ``bincount`` over global unit ids, which adds
each unit's rows in the run's own order. What cannot be shared stays per run on the run's
slice: its random draws (demand, errors, rework, abandonment, from its own generators, in the
same order and shapes as alone) and the floating-point sums of the day's record (pairwise
summation depends on the array). When a run's own code rebinds one of its arrays (exits,
hires, the year's end), the arrays are gathered again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from asnsim.demand import demand_rate
from asnsim.outcomes import DAILY_COLUMNS, Outcomes
from asnsim.scenario import Scenario
from asnsim.workday import drift_motivation, effective_hours, overload

__all__ = ["run_ensemble"]

# the per-employee arrays each run sees as views: (owner, attribute) with owner "wf" (its
# Workforce) or "m" (the model itself)
_ROW_FIELDS = (
    ("wf", "cur"),
    ("wf", "ceil"),
    ("wf", "motivation"),
    ("wf", "motivation_offset"),
    ("wf", "ramp"),
    ("wf", "present"),
    ("wf", "output_year"),
    ("m", "_base_hours"),
)
# per-unit arrays of the queues ("q") and of the levers' service state ("service")
_UNIT_FIELDS = (
    ("q", "queue"),
    ("q", "carry"),
    ("q", "rework_due"),
    ("q", "arrived_new"),
    ("q", "arrived_rework"),
    ("q", "served"),
    ("q", "abandoned"),
    ("q", "wrong"),
    ("q", "capped"),
    ("q", "served_today"),
    ("q", "served_hist_period"),
    ("q", "served_hist_year"),
    ("q", "wrong_period"),
    ("q", "served_period"),
    ("service", "effort_hours"),
)
# days of arrivals each run draws at once: one Poisson call per run per block, not per day
_ARRIVAL_DAYS = 50
# per-run scalar assumptions the day uses, spread over each run's rows
_ROW_PARAMS = (
    "motivation_target",
    "motivation_productivity",
    "overload_weight",
    "motivation_rate",
)


def run_ensemble(
    scenarios: Sequence[Scenario], *, rosters: Sequence[Any] | None = None
) -> Iterator[tuple[int, Outcomes | Exception]]:
    """Run ``scenarios`` as one ensemble; yield ``(position, outcomes or error)`` as each ends.

    Runs whose queues differ in length (``assumptions.queue_max_days``) are stepped in
    separate groups, one group after the other.

    Args:
        scenarios: Validated scenarios (each with its own seed, size and horizon).
        rosters: Optional starting roster per scenario (``None`` for a synthetic start), as
            :class:`~asnsim.model.ASNModel` takes it.

    Yields:
        The scenario's position in ``scenarios`` and its outcomes, or the exception that
        stopped it (the other runs are not affected).
    """
    if rosters is not None and len(rosters) != len(scenarios):
        raise ValueError(
            f"rosters: expected one per scenario ({len(scenarios)}), got {len(rosters)}"
        )
    groups: dict[int, list[int]] = {}
    for position, scenario in enumerate(scenarios):
        groups.setdefault(scenario.assumptions.queue_max_days, []).append(position)
    for positions in groups.values():
        batch = _Batch()
        for position in positions:
            roster = None if rosters is None else rosters[position]
            ended = batch.add(position, scenarios[position], roster)
            if ended is not None:
                yield position, ended
        yield from batch.run()


@dataclass
class _Run:
    """One run of the ensemble: its model and where its rows and units are."""

    position: int
    model: Any
    index: int = 0
    rows: slice = slice(0, 0)
    units: slice = slice(0, 0)
    views: list[tuple[Any, str, np.ndarray]] = field(default_factory=list)
    demand_rng: Any = None
    service_rng: Any = None
    daily: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    slot: int = 0  # its place in the batch's record of the days (fixed for the run's life)
    arrivals: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))

    def owners(self) -> dict[str, Any]:
        m = self.model
        return {"m": m, "wf": m.workforce, "q": m.queues, "service": m.service}

    def changed(self) -> bool:
        """Whether the run's own code rebound one of the arrays it sees as views."""
        return any(getattr(owner, name) is not view for owner, name, view in self.views)


class _Batch:
    """The runs stepped together, and the arrays of their working day."""

    def __init__(self) -> None:
        self.runs: list[_Run] = []
        self.day = 0
        self.stale = True
        self.moved: list[_Run] = []  # runs whose own code may have moved staff today
        self.g: dict[str, np.ndarray] = {}
        self.width = 0  # queue columns that can hold anyone
        self.today = np.zeros(0, dtype=np.intp)  # the cells yesterday's service counts are in
        self.waiting: tuple = ()  # the non-zero queue counts after service
        self.block_start = self.block_stop = 0  # the days the runs' arrivals are drawn for
        self.arrivals: np.ndarray | None = None  # (days of the block x every run's units)
        self.daily = np.zeros((0, 0, len(DAILY_COLUMNS)))  # (run slot x day x column)
        self.slots = np.zeros(0, dtype=np.intp)  # the gathered runs' slots in it, in order
        self.layout: dict[str, tuple] = {}  # the runs and their sizes at the last gather
        self.parts: dict[str, list[np.ndarray]] = {}  # what each gathered array was made of

    def add(self, position: int, scenario: Scenario, roster: Any) -> Outcomes | Exception | None:
        """Build the run's model; return what to yield at once (an error, an empty run)."""
        from asnsim.model import ASNModel

        try:
            model = ASNModel(scenario, roster=roster)
        except Exception as error:  # noqa: BLE001 - isolated per run, reported to the caller
            return error
        run = _Run(position, model)
        run.demand_rng, run.service_rng = model.rngs["demand"], model.rngs["service"]
        if model.n_days <= 0:
            return model.outcomes
        self.runs.append(run)
        return None

    def _record_days(self) -> None:
        """One array for every run's record of its days; each run's columns are views of it.

        The day's record is then written for all runs at once (``daily[slots, day]``).
        """
        days = max((run.model.n_days for run in self.runs), default=0)
        self.daily = np.zeros((len(self.runs), days, len(DAILY_COLUMNS)))
        for slot, run in enumerate(self.runs):
            run.slot = slot
            run.daily = self.daily[slot, : run.model.n_days]
            run.model.outcomes.daily_values = {
                c: run.daily[:, i] for i, c in enumerate(DAILY_COLUMNS)
            }

    # ------------------------------------------------------------------ running

    def run(self) -> Iterator[tuple[int, Outcomes | Exception]]:
        """Step every run to its horizon; yield each as it ends (or fails)."""
        if len(self.runs) == 1:  # nothing to share: the model's own step is quicker
            run = self.runs[0]
            try:
                run.model.run(progress=False)
            except Exception as error:  # noqa: BLE001 - isolated per run
                yield self._drop(run, error)
            else:
                yield self._finish(run)
        self._record_days()
        while self.runs:
            done = self._step()
            yield from done

    def _step(self) -> list[tuple[int, Outcomes | Exception]]:
        """One working day of every run; return the runs that ended (or failed)."""
        done: list[tuple[int, Outcomes | Exception]] = []
        day = self.day
        for run in list(self.runs):  # the run's own start of day: events, month exits
            m = run.model
            try:
                events = m._day_events.pop(day, ())
                month = day % m.days_per_year in m._month_days
                if events or month:
                    _sync(run, day, day + 1)
                for event in events:
                    event()
                if month:
                    m._month_exits()
                if events or month:
                    # rebound arrays: gather again; else a transfer may have written units
                    self.stale = self.stale or run.changed()
                    self.moved.append(run)
            except Exception as error:  # noqa: BLE001 - isolated per run
                done.append(self._drop(run, error))
        if not self.runs:
            return done
        if self.stale:
            self._gather()
        elif self.moved:
            self._refresh_unit_ids()
        g = self.g
        self._arrivals(done)
        eff = self._effective_hours()
        g["output_year"] += eff
        n_units = len(g["effort_hours"])
        hours = np.bincount(g["unit"], weights=eff, minlength=n_units)
        skill = np.bincount(g["unit"], weights=eff * g["cur"], minlength=n_units)
        competency = skill / np.where(hours > 0, hours, 1.0)
        capacity = hours / g["effort_hours"]
        served, p_wrong = self._serve(capacity, competency)
        abandoned, waiting = self._abandon(self._draws(served, p_wrong, done))
        self._learn()
        self._drift_motivation(self._overload(waiting, capacity))
        self._end_of_day(served, abandoned, waiting, capacity, done)
        self.day += 1
        return done

    def _binomials(self, n: np.ndarray, p: np.ndarray, lo: np.ndarray, hi: np.ndarray, done):
        """Each run's binomial draws on its slice ``lo:hi`` of ``n`` and ``p``, run after run.

        The draws come from the run's service stream; a run whose draw fails is dropped
        (into ``done``) and the others go on.
        """
        out = np.zeros_like(n)
        starts, stops = lo.tolist(), hi.tolist()
        for run in list(self.runs):
            a, b = starts[run.index], stops[run.index]
            if b > a:
                try:
                    out[a:b] = run.service_rng.binomial(n[a:b], p[a:b])
                except Exception as error:  # noqa: BLE001 - isolated per run
                    done.append(self._drop(run, error))
        return out

    def _drop(self, run: _Run, error: Exception) -> tuple[int, Exception]:
        if run in self.runs:
            self.runs.remove(run)
        self.stale = True
        return run.position, error

    # ------------------------------------------------------------------ gathering

    def _gather(self) -> None:
        """Concatenate the runs' arrays and make each run's fields views of them."""
        rows: dict[str, list[np.ndarray]] = {name: [] for _, name in _ROW_FIELDS}
        units: dict[str, list[np.ndarray]] = {name: [] for _, name in _UNIT_FIELDS}
        # per-run scalars: each run's value, spread over its rows or units below
        params: dict[str, list[float]] = {name: [] for name in (*_ROW_PARAMS, "keep")}
        unit_params: dict[str, list[float]] = {
            name: []
            for name in ("error_novice", "error_expert", "cap", "rework_return", "seasonality")
        }
        unit_arrays: dict[str, list[np.ndarray]] = {
            name: [] for name in ("standard_days", "hazard", "demand_per_day", "demand_growth")
        }
        per_year: list[int] = []
        n_rows, n_units_of = [], []
        unit_ids: list[np.ndarray] = []
        row0 = unit0 = 0
        for index, run in enumerate(self.runs):
            run.index = index
            m = run.model
            owners = run.owners()
            n, n_units = len(m.workforce), len(m.units)
            if len(m._base_hours) != n:
                raise RuntimeError("a run's base hours do not match its workforce")
            for owner, name in _ROW_FIELDS:
                rows[name].append(getattr(owners[owner], name))
            for owner, name in _UNIT_FIELDS:
                units[name].append(getattr(owners[owner], name))
            a = m.spec.assumptions
            for name in _ROW_PARAMS:
                params[name].append(getattr(a, name))
            params["keep"].append((1.0 - m.learning_rate) ** 1)
            q = m.queues
            for name, value in (
                ("error_novice", q.error_novice),
                ("error_expert", q.error_expert),
                ("cap", a.overload_cap),
                ("rework_return", q.rework_return),
                ("seasonality", q.seasonality),
            ):
                unit_params[name].append(value)
            per_year.append(m.days_per_year)
            unit_arrays["standard_days"].append(m.units.standard_days)
            unit_arrays["hazard"].append(q.hazard)
            unit_arrays["demand_per_day"].append(m.units.demand_per_day)
            unit_arrays["demand_growth"].append(m.units.demand_growth)
            n_rows.append(n)
            n_units_of.append(n_units)
            unit_ids.append(m.workforce.unit + unit0)
            run.rows = slice(row0, row0 + n)
            run.units = slice(unit0, unit0 + n_units)
            row0, unit0 = row0 + n, unit0 + n_units
        # a shared array whose views no run rebound since the last gather (same runs, same
        # sizes) holds every run's data still (their writes went into it): kept, not copied
        # again (e.g. the queues after a month's exits, which rebind only the workforce's)
        positions = [run.position for run in self.runs]
        layout = {"rows": (positions, n_rows), "units": (positions, n_units_of)}
        g: dict[str, Any] = {}
        for kind, fields in (("rows", rows), ("units", units)):
            same = layout[kind] == self.layout.get(kind)
            for name, parts in fields.items():
                keep = same and _same(parts, self.parts[name])
                g[name] = self.g[name] if keep else np.concatenate(parts)
        g |= {name: np.concatenate(parts) for name, parts in unit_arrays.items()}
        self.layout = layout
        self.parts = {}
        g |= {name: _spread(values, n_rows) for name, values in params.items()}
        g |= {name: _spread(values, n_units_of) for name, values in unit_params.items()}
        g["days_per_year"] = np.repeat(per_year, n_units_of)
        g["run"] = np.repeat(np.arange(len(self.runs), dtype=np.intp), n_units_of)
        g["unit"] = np.concatenate(unit_ids).astype(np.intp, copy=False)
        self.slots = np.array([run.slot for run in self.runs], dtype=np.intp)
        g["unit_start"] = np.array([run.units.start for run in self.runs], dtype=np.intp)
        g["unit_stop"] = np.array([run.units.stop for run in self.runs], dtype=np.intp)
        self.g = g
        for run in self.runs:
            owners = run.owners()
            run.views = []
            for fields, part in ((_ROW_FIELDS, run.rows), (_UNIT_FIELDS, run.units)):
                for owner, name in fields:
                    view = g[name][part]
                    setattr(owners[owner], name, view)
                    run.views.append((owners[owner], name, view))
                    self.parts.setdefault(name, []).append(view)
            run.views.append((run.model, "workforce", run.model.workforce))
            # the run's own queue code is not called here: every column may hold requests
            run.model.queues.depth = run.model.queues.queue.shape[1]
        self.stale = False
        self.moved = []
        self.arrivals = None  # the runs' drawn arrivals side by side again, when next needed
        self.width = g["queue"].shape[1]
        self.today = np.flatnonzero(g["served_today"])
        # flat views of the (units x waits) arrays: one index per cell is cheaper than two
        cells = ("queue", "served_today", "served_hist_period", "served_hist_year", "hazard")
        self.flat = {name: g[name].reshape(-1) for name in cells}  # views: fresh arrays

    def _refresh_unit_ids(self) -> None:
        """Global unit ids again from the runs' own (a transfer writes them in place)."""
        for run in self.moved:
            if run in self.runs:
                self.g["unit"][run.rows] = run.model.workforce.unit + run.units.start
        self.moved = []

    # ------------------------------------------------------------------ the day

    def _arrivals(self, done: list) -> None:
        """Each run's new requests from its demand stream; due rework joins."""
        g = self.g
        if self.day >= self.block_stop:
            self._draw_arrivals(done)
        if self.arrivals is None:
            self.arrivals = np.concatenate([run.arrivals for run in self.runs], axis=1)
        new = self.arrivals[self.day - self.block_start]
        self.rework = np.add.reduceat(g["rework_due"], g["unit_start"])
        self.new = np.add.reduceat(new, g["unit_start"])
        g["queue"][:, 0] += new + g["rework_due"]
        g["arrived_new"] += new
        g["arrived_rework"] += g["rework_due"]
        g["rework_due"][:] = 0

    def _draw_arrivals(self, done: list) -> None:
        """The next :data:`_ARRIVAL_DAYS` days of every run's arrivals, one call per run.

        A Poisson call on a (days x units) array of rates draws in row-major order: day by
        day, unit by unit, the numbers the run draws alone with one call per day (its demand
        stream serves nothing else). The rates are :func:`asnsim.demand.demand_rate`, day by
        day as alone, for every run's units at once.
        """
        g, start = self.g, self.day
        days = np.arange(start, start + _ARRIVAL_DAYS)
        rates = np.empty((len(days), len(g["demand_per_day"])))
        for per_year in np.unique(g["days_per_year"]).tolist():
            units = np.flatnonzero(g["days_per_year"] == per_year)
            args = (g["demand_per_day"][units], g["demand_growth"][units])
            seasonality = _at(g["seasonality"], units)
            for i, day in enumerate(days.tolist()):
                rates[i, units] = demand_rate(*args, seasonality, day / per_year)
        runs = list(self.runs)  # the runs whose units the arrays hold, in order
        for run in runs:
            run.arrivals = np.zeros((len(days), run.units.stop - run.units.start), np.int64)
            left = min(len(days), run.model.n_days - start)  # none drawn beyond the horizon
            try:
                run.arrivals[:left] = run.demand_rng.poisson(rates[:left, run.units])
            except Exception as error:  # noqa: BLE001 - isolated per run
                done.append(self._drop(run, error))  # its units stay (idle) until regathered
        self.block_start, self.block_stop = start, start + len(days)
        self.arrivals = np.concatenate([run.arrivals for run in runs], axis=1)

    def _effective_hours(self) -> np.ndarray:
        """:func:`asnsim.workday.effective_hours` over every run's rows."""
        g = self.g
        return effective_hours(
            g["_base_hours"],
            g["cur"],
            g["motivation"],
            g["ramp"],
            g["present"],
            g["motivation_target"],
            g["motivation_productivity"],
        )

    def _serve(self, capacity: np.ndarray, competency: np.ndarray) -> tuple:
        """``Queues.serve`` up to its random draws, for every unit of every run.

        Queues are sparse (a unit's waiting citizens sit in a few of its columns), so the
        non-zero counts are taken once, in row-major order, and FIFO service works on them
        alone: zeros neither serve nor change a running sum, so every count is the same as
        ``fifo_serve`` gives. Only the first ``width`` columns can hold anyone.
        """
        g, k = self.g, self.width
        n_units = len(capacity)
        available = capacity + g["carry"]
        whole = np.floor(available).astype(np.int64)
        occupied = np.flatnonzero(g["queue"][:, :k] > 0)  # a bool copy: faster than nonzero
        rows, cols = np.divmod(occupied, k)
        flat = self.flat
        cells = rows * g["queue"].shape[1] + cols
        count = flat["queue"].take(cells)
        by_age = _fifo(rows, count, whole)
        served = np.bincount(rows, weights=by_age, minlength=n_units).astype(np.int64)
        today = flat["served_today"]
        today[self.today] = 0
        today[cells] = by_age
        self.today = cells
        g["carry"][:] = np.where(served < whole, 0.0, available - whole)
        left = count - by_age
        flat["queue"][cells] = left
        g["served"] += served
        self._add_capped(rows, cols, by_age)
        g["served_period"] += served
        flat["served_hist_period"][cells] += by_age  # each cell once
        flat["served_hist_year"][cells] += by_age
        novice = g["error_novice"]
        p_wrong = novice - (novice - g["error_expert"]) * competency
        waiting = np.flatnonzero(left)  # (flatnonzero + take: quicker than a boolean mask)
        self.waiting = (
            rows.take(waiting),
            cols.take(waiting),
            cells.take(waiting),
            left.take(waiting),
        )
        return served, np.minimum(np.maximum(p_wrong, 0.0), 1.0)

    def _add_capped(self, rows: np.ndarray, cols: np.ndarray, counts: np.ndarray) -> None:
        """Counts taken from the open last column add to ``capped``."""
        g = self.g
        if self.width == g["queue"].shape[1]:
            last = cols == g["queue"].shape[1] - 1
            if last.any():
                n_units = len(g["capped"])
                g["capped"] += np.bincount(
                    rows[last], weights=counts[last], minlength=n_units
                ).astype(np.int64)

    def _draws(self, served: np.ndarray, p_wrong: np.ndarray, done: list) -> np.ndarray:
        """Each run's service draws in its own order: errors, then rework and abandonment.

        Alone, a run makes three binomial calls on its service stream: errors on every
        unit's served count, rework on every unit's errors, abandonment on its waiting
        counts. A binomial with ``n = 0`` draws nothing from the generator, and a call on
        an array draws element after element, as consecutive calls on its parts would. So
        here each run makes two calls: errors on its units that served, then one on its
        errors and its waiting counts, side by side: the same numbers, in the same order.
        """
        g = self.g
        rows, _, cells, waiting = self.waiting
        busy = np.flatnonzero(served)
        run_of = g["run"]
        n_busy, n_wait = len(busy), len(rows)
        busy_lo = np.searchsorted(busy, g["unit_start"])
        busy_hi = np.searchsorted(busy, g["unit_stop"])
        wait_lo = np.searchsorted(rows, g["unit_start"])
        wait_hi = np.searchsorted(rows, g["unit_stop"])
        n_served, p_busy = served[busy], p_wrong[busy]
        wrong_busy = self._binomials(n_served, p_busy, busy_lo, busy_hi, done)
        # each run's errors, then its waiting counts: run after run in one array
        at_busy = np.arange(n_busy) + wait_lo[run_of[busy]]
        at_wait = np.arange(n_wait) + busy_hi[run_of[rows]]
        n = np.empty(n_busy + n_wait, dtype=np.int64)
        p = np.empty(n_busy + n_wait)
        n[at_busy], n[at_wait] = wrong_busy, waiting
        p[at_busy], p[at_wait] = _at(g["rework_return"], busy), self.flat["hazard"].take(cells)
        drawn = self._binomials(n, p, busy_lo + wait_lo, busy_hi + wait_hi, done)
        wrong = np.zeros_like(served)
        wrong[busy] = wrong_busy
        g["wrong"] += wrong
        g["wrong_period"] += wrong
        g["rework_due"][:] = 0
        g["rework_due"][busy] = drawn[at_busy]
        return drawn[at_wait]

    def _abandon(self, gone: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``Queues.abandon_and_age`` after its draws: the gone leave, the rest age a day.

        Returns:
            Per unit, the requests abandoned today and those still waiting.
        """
        g = self.g
        queue = g["queue"]
        n_units, n_cols = queue.shape
        rows, cols, cells, waiting = self.waiting
        abandoned = np.bincount(rows, weights=gone, minlength=n_units).astype(np.int64)
        g["abandoned"] += abandoned
        self._add_capped(rows, cols, gone)
        flat = self.flat["queue"]
        flat[cells] = 0
        stay = np.flatnonzero(waiting > gone)
        rows, cols, cells = rows.take(stay), cols.take(stay), cells.take(stay)
        left = waiting.take(stay) - gone.take(stay)
        still = np.bincount(rows, weights=left, minlength=n_units).astype(np.int64)
        # a day older: each count moves one column on; the last column keeps its own and
        # takes the one before (at most two counts per unit meet there)
        older = np.minimum(cols + 1, n_cols - 1)
        merge = cols >= n_cols - 2
        if merge.any():
            moved, met = np.flatnonzero(~merge), np.flatnonzero(merge)
            flat[cells.take(moved) + 1] = left.take(moved)
            np.add.at(flat, cells.take(met) + (older - cols).take(met), left.take(met))
        else:
            flat[cells + 1] = left
        # tomorrow's arrivals join column 0; nobody can be beyond the last occupied column
        self.width = int(min(n_cols, older.max(initial=0) + 1))
        return abandoned, still

    def _learn(self) -> None:
        """:meth:`asnsim.workforce.Workforce.learn` (one day) over every run's rows, in place."""
        g = self.g
        gap = np.subtract(g["ceil"], g["cur"])
        gap *= g["keep"]
        np.subtract(g["ceil"], gap, out=g["cur"])

    def _overload(self, waiting: np.ndarray, capacity: np.ndarray) -> np.ndarray:
        """:func:`asnsim.workday.overload` for every unit of every run."""
        return overload(waiting, capacity, self.g["standard_days"], self.g["cap"])

    def _drift_motivation(self, load: np.ndarray) -> None:
        """:func:`asnsim.workday.drift_motivation` over every run's rows."""
        g = self.g
        drift_motivation(
            g["motivation"],
            g["motivation_offset"],
            load.take(g["unit"]),  # take: as load[unit], about twice as fast
            g["motivation_target"],
            g["overload_weight"],
            g["motivation_rate"],
        )

    def _end_of_day(self, served, abandoned, waiting, capacity, done: list) -> None:
        """Each run: ramp-up, the day's record, then its survey and year's end when due."""
        g, day = self.g, self.day
        starts = g["unit_start"]
        record = np.zeros((len(starts), len(DAILY_COLUMNS)))
        record[:, 0] = self.new
        record[:, 1] = self.rework
        record[:, 2] = np.add.reduceat(served, starts)
        record[:, 3] = np.add.reduceat(abandoned, starts)
        record[:, 4] = np.add.reduceat(waiting, starts)
        motivation = g["motivation"]
        runs = list(self.runs)
        for run in runs:
            row = record[run.index]
            row[5] = np.add.reduce(capacity[run.units])
            n = run.rows.stop - run.rows.start
            # what ndarray.mean computes: the pairwise sum over the run's own rows, / n
            row[6] = np.add.reduce(motivation[run.rows]) / n if n else np.nan
            row[7] = n
        # every run's row at once (a run's record is a view of the batch's)
        self.daily[self.slots, day] = record
        for run in runs:
            m = run.model
            try:
                if len(m._ramping):
                    _sync(run, day, day + 1)  # alone: ramp-up comes before the day ends
                    m._ramp_up()
                in_year = (day + 1) % m.days_per_year
                survey = in_year in (0, m.days_per_year // 2)
                if survey or day + 1 >= m.n_days:
                    _sync(run, day + 1, day + 1)
                if survey:
                    m._survey()
                    self.stale = self.stale or run.changed()
                if in_year == 0:
                    m._end_of_year()
                    self.stale = True
                if day + 1 >= m.n_days:
                    m.running = False
                    done.append(self._finish(run))
            except Exception as error:  # noqa: BLE001 - isolated per run
                done.append(self._drop(run, error))

    def _finish(self, run: _Run) -> tuple[int, Outcomes]:
        """The run reached its horizon: its outcomes, detached from the shared arrays."""
        self.runs.remove(run)
        self.stale = True
        out = run.model.outcomes
        out.daily_values = {c: np.array(v) for c, v in out.daily_values.items()}
        return run.position, out


def _sync(run: _Run, day: int, steps: int) -> None:
    """Set the run's clock (model day, days recorded, Mesa's steps and time) before its own code.

    Only the shared day moves a run's clock on: the run's own code reads it, so it is brought
    up to date just before that code runs, as alone (Mesa counts a step, and moves ``time`` on,
    as the day starts). Setting ``model.time`` notifies Mesa's observers: once, not daily.
    """
    m = run.model
    m.day = day
    m.outcomes.days_recorded = day
    if steps != m.steps:
        m.time = m.time + (steps - m.steps)  # whole steps: exact, as one at a time
        m.steps = steps


def _fifo(rows: np.ndarray, count: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """:func:`~asnsim.demand.fifo_serve` on a queue's non-zero counts (row-major order).

    Each unit serves up to ``capacity`` of its counts, the oldest (rightmost) first.
    """
    r, c = rows[::-1], count[::-1]  # each unit's counts, oldest first
    before = np.cumsum(c) - c
    first = np.ones(len(r), dtype=bool)
    first[1:] = r[1:] != r[:-1]
    before -= before[first][np.cumsum(first) - 1]
    return np.minimum(np.maximum(capacity.take(r) - before, 0), c)[::-1]


def _same(parts: list[np.ndarray], before: list[np.ndarray]) -> bool:
    """Whether ``parts`` are the very arrays (not copies) of ``before``, in order."""
    return len(parts) == len(before) and all(a is b for a, b in zip(parts, before, strict=True))


def _spread(values: list[float], counts: list[int]) -> Any:
    """Each run's value over its rows (or units); one scalar when every run's is the same.

    An operation with a scalar computes each element exactly as with an array holding that
    value everywhere, and reads less memory.
    """
    if len({float(value).hex() for value in values}) == 1:  # the same bits (0.0 is not -0.0)
        return values[0]
    return np.repeat(np.asarray(values, dtype=float), counts)


def _at(value: Any, index: np.ndarray) -> Any:
    """``value[index]`` of a spread value (a scalar is the same everywhere)."""
    return value if np.ndim(value) == 0 else value[index]
