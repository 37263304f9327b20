"""A reference to measure asnsim against: the daily update written the plain Mesa way.

``ReferenceModel`` re-implements what :meth:`asnsim.model.ASNModel.step` does each working day
(arrivals, each unit's capacity from its staff, FIFO service, errors and rework, abandonment,
learning by doing, motivation drift, ramp-up) with one Mesa agent per employee and per service
unit, each holding its own state as Python attributes, employees scheduled with
``model.agents_by_type[RefEmployee].shuffle_do("step")``. It is

* the baseline for speed: ``employee_days_per_second(n, days, "asnsim" | "reference")``;
* an oracle: built from an ``ASNModel`` before its first step, it draws the same random numbers
  in the same order, so both give identical queues and employee states day after day
  (``tests/test_reference.py``).

It covers the daily path only: no survey (which draws from its own stream and changes neither
queues nor staff, so days through the mid-year survey still match) and no yearly personnel
cycle (stop before day ``days_per_year``; a reference built afresh after a year end matches the
next year). Policies that act during the year (training's time away, ``ASNModel.at_day``) are
not modelled: building from a model with pending day events raises.

Random numbers. asnsim draws, each day, from the ``demand`` stream one ``poisson(rates)`` over
all units, and from the ``service`` stream ``binomial(served, p_wrong)`` over all units, then
``binomial(wrong, rework_share)`` over all units, then ``binomial(queue[q > 0], hazard[q > 0])``
over every non-empty (unit, days-waited) cell in row-major order. numpy's ``Generator`` draws
array arguments element by element in order, and a scalar call per element makes the same draws
(checked for poisson and binomial, including ``n = 0``, which draws nothing, by
``tests/test_reference.py::test_scalar_draws_reproduce_array_draws``). So here each unit makes
its own scalar draws, and the model calls the units in index order once per phase (arrive;
serve and errors; rework; abandonment). What does *not* hold element by element is ``**`` with
an array: numpy's vectorised ``pow`` can differ from a scalar ``pow`` in the last bit, which
would shift a Poisson mean. The demand rates (growth and yearly cycle) are therefore computed
once a day at the model level with the same array expression as asnsim and each unit is handed
its element. Every other operation of the daily step is +, −, ×, ÷, floor, min/max: correctly
rounded, the same on a scalar as on an array element.

Usage: python benchmarks/reference.py [--employees 1000 10000] [--days 200] [--reference-days 50]
       [--repeat 3]
"""

from __future__ import annotations

import argparse
import math
import platform
import time
from pathlib import Path

import mesa
import numpy as np

from asnsim.model import ASNModel
from asnsim.rng import stream
from asnsim.scenario import POSITION_TYPES, load_scenario

ROOT = Path(__file__).resolve().parents[1]
PALEMBANG = ROOT / "scenarios" / "palembang.yaml"
PALEMBANG_HEADCOUNT = 13870
_FUNGSIONAL = POSITION_TYPES.index("fungsional")

__all__ = ["RefEmployee", "RefUnit", "ReferenceModel", "employee_days_per_second"]


class RefEmployee(mesa.Agent):
    """An employee holding its own state; one ``step()`` per working day."""

    model: ReferenceModel

    def __init__(self, model: ReferenceModel, unit: RefUnit, **state: float | int):
        super().__init__(model)
        self.unit = unit
        self.asn_uid: int = state["asn_uid"]  # the asnsim agent it copies (fixes sum order)
        self.position: int = state["position"]
        self.digital: float = state["digital"]
        self.managerial: float = state["managerial"]
        self.cur: float = state["cur"]  # competency in the unit's sector
        self.ceil: float = state["ceil"]  # what practice here can reach
        self.motivation: float = state["motivation"]
        self.motivation_offset: float = state["motivation_offset"]
        self.ramp: float = state["ramp"]
        self.hire_day: int = state["hire_day"]
        self.present: float = state["present"]
        self.output_year: float = state["output_year"]
        self.base_hours = 0.0  # set by set_base_hours once the units know their managers
        self.hours = 0.0  # effective hours offered the unit on the next working day

    def set_base_hours(self) -> None:
        """Hours given the unit's citizens on a full-strength day (as ``_refresh_base_hours``)."""
        m = self.model
        digital = 1.0 + m.digital_support * self.unit.digital_maturity * self.digital
        self.base_hours = (
            m.hours_per_day
            * m.service_share[self.position]
            * (1.0 - m.absence_rate)
            * digital
            * self.unit.management_factor
        )

    def effective_hours(self) -> float:
        """Today's hours: base × competency × motivation drive × ramp-up × presence."""
        m = self.model
        drive = max(0.0, 1.0 + m.motivation_productivity * (self.motivation - m.motivation_target))
        return self.base_hours * self.cur * drive * self.ramp * self.present

    def step(self) -> None:
        """End of the working day: learn, drift toward target motivation, ramp up."""
        m = self.model
        self.cur = self.ceil - (self.ceil - self.cur) * m.learning_keep
        target = (
            m.motivation_target + self.motivation_offset - m.overload_weight * self.unit.overload
        )
        target = min(max(target, 0.0), 1.0)
        self.motivation += m.motivation_rate * (target - self.motivation)
        if self.ramp < 1.0:
            days = m.day - self.hire_day
            self.ramp = min(1.0, m.ramp_start + (1.0 - m.ramp_start) * days / m.ramp_days)
        self.hours = self.effective_hours()


class RefUnit(mesa.Agent):
    """A service unit: its queue by days waited (a list), counters, and its staff."""

    model: ReferenceModel

    def __init__(self, model: ReferenceModel, index: int, **state):
        super().__init__(model)
        self.index = index
        self.effort_hours: float = state["effort_hours"]
        self.standard_days: float = state["standard_days"]
        self.digital_maturity: float = state["digital_maturity"]
        self.hazard: list[float] = state["hazard"]  # of giving up, by days waited
        self.queue: list[int] = state["queue"]  # requests by days waited; last: any longer
        self.carry: float = state["carry"]
        self.rework_due: int = state["rework_due"]
        self.arrived_new: int = state["arrived_new"]
        self.arrived_rework: int = state["arrived_rework"]
        self.served: int = state["served"]
        self.abandoned: int = state["abandoned"]
        self.wrong: int = state["wrong"]
        self.staff: list[RefEmployee] = []
        self.management_factor = 1.0
        self.wrong_today = 0
        self.capacity = 0.0
        self.overload = 0.0

    def set_management_factor(self) -> None:
        """1 + managerial_effect × (mean managerial competency of its managers − 0.5)."""
        total, count = 0.0, 0
        for e in self.staff:  # in asnsim id order, the order np.bincount sums in
            if e.position < _FUNGSIONAL:
                total += e.managerial
                count += 1
        mean = total / count if count else 0.5
        self.management_factor = 1.0 + self.model.managerial_effect * (mean - 0.5)

    def arrive(self) -> None:
        """New requests (drawn from the demand stream) and yesterday's rework join the queue."""
        new = int(self.model.demand.poisson(self.model.rates_today[self.index]))
        self.queue[0] += new + self.rework_due
        self.arrived_new += new
        self.arrived_rework += self.rework_due
        self.rework_due = 0

    def serve(self) -> None:
        """Gather the staff's hours, serve oldest first, draw the requests done wrongly."""
        m = self.model
        # Sum in a fixed order (asnsim id order, as np.bincount does): floating-point sums in
        # the shuffled agent order could differ in the last bit and flip the floor() below.
        hours = skill = 0.0
        for e in self.staff:
            hours += e.hours
            skill += e.hours * e.cur
            e.output_year += e.hours
        competency = skill / hours if hours > 0 else 0.0
        self.capacity = hours / self.effort_hours
        available = self.capacity + self.carry
        whole = math.floor(available)
        served = 0
        for age in range(len(self.queue) - 1, -1, -1):  # FIFO: longest wait first
            if served >= whole:
                break
            take = min(whole - served, self.queue[age])
            self.queue[age] -= take
            served += take
        self.carry = 0.0 if served < whole else available - whole
        self.served += served
        p_wrong = m.error_novice - (m.error_novice - m.error_expert) * competency
        self.wrong_today = int(m.service.binomial(served, min(max(p_wrong, 0.0), 1.0)))
        self.wrong += self.wrong_today

    def draw_rework(self) -> None:
        """Part of today's wrong products come back tomorrow."""
        self.rework_due = int(self.model.service.binomial(self.wrong_today, self.model.rework))

    def abandon_and_age(self) -> None:
        """Waiting citizens give up by the hazard of their wait; the rest wait a day more."""
        q = self.queue
        for age, waiting in enumerate(q):
            if waiting > 0:
                gone = int(self.model.service.binomial(waiting, self.hazard[age]))
                q[age] -= gone
                self.abandoned += gone
        self.queue = [0, *q[:-2], q[-2] + q[-1]]

    def update_overload(self) -> None:
        """Backlog over what the staff clear within the service standard (0-5)."""
        waiting = sum(self.queue)
        days_work = self.capacity * self.standard_days
        if days_work > 0:
            load = waiting / days_work
            self.overload = min(max(load - 1.0, 0.0), 5.0)
        else:  # asnsim: 0/0 is no overload, x/0 the most
            self.overload = 5.0 if waiting > 0 else 0.0


class ReferenceModel(mesa.Model):
    """The daily update of ``asnsim`` written the plain Mesa way, started from an ``ASNModel``.

    Args:
        source: The model to copy: every employee's row and every unit's queue and counters.
            Built at day 0 (before the first step) the demand and service streams are created
            fresh from the scenario seed; built later they continue from the source's streams'
            current state. The source is not kept.
    """

    def __init__(self, source: ASNModel):
        seed = source.spec.seed
        super().__init__(rng=seed)  # only orders shuffle_do: nothing depends on the order
        if any(source._day_events.values()):
            raise ValueError("the reference does not model day events (training time away)")
        self.day = source.day
        self.days_per_year = source.days_per_year
        if source.day == 0:
            self.demand = stream(seed, "demand")
            self.service = stream(seed, "service")
        else:
            self.demand = np.random.Generator(np.random.PCG64())
            self.service = np.random.Generator(np.random.PCG64())
            self.demand.bit_generator.state = source.rngs["demand"].bit_generator.state
            self.service.bit_generator.state = source.rngs["service"].bit_generator.state

        a = source.spec.assumptions
        self.hours_per_day = a.hours_per_day
        self.service_share = [a.service_share[p] for p in POSITION_TYPES]
        self.absence_rate = a.absence_rate
        self.digital_support = a.digital_support
        self.managerial_effect = a.managerial_effect
        self.motivation_productivity = a.motivation_productivity
        self.motivation_target = a.motivation_target
        self.motivation_rate = a.motivation_rate
        self.overload_weight = a.overload_weight
        self.ramp_start = a.ramp_start
        self.ramp_days = a.ramp_days
        self.learning_keep = (1.0 - source.learning_rate) ** 1
        self.error_novice = a.error_rate_novice
        self.error_expert = a.error_rate_expert
        self.rework = a.rework_return_share

        units, q = source.units, source.queues
        self.seasonality = q.seasonality
        self.demand_per_day = units.demand_per_day.copy()
        self.demand_growth = units.demand_growth.copy()
        self.rates_today = np.zeros(len(units))
        self.units: list[RefUnit] = [
            RefUnit(
                self,
                u,
                effort_hours=float(units.effort_hours[u]),
                standard_days=float(units.standard_days[u]),
                digital_maturity=float(units.digital_maturity[u]),
                hazard=q.hazard[u].tolist(),
                queue=q.queue[u].tolist(),
                carry=float(q.carry[u]),
                rework_due=int(q.rework_due[u]),
                arrived_new=int(q.arrived_new[u]),
                arrived_rework=int(q.arrived_rework[u]),
                served=int(q.served[u]),
                abandoned=int(q.abandoned[u]),
                wrong=int(q.wrong[u]),
            )
            for u in range(len(units))
        ]
        wf = source.workforce
        columns = {
            "asn_uid": wf.uid,
            "position": wf.position,
            "digital": wf.digital,
            "managerial": wf.managerial,
            "cur": wf.cur,
            "ceil": wf.ceil,
            "motivation": wf.motivation,
            "motivation_offset": wf.motivation_offset,
            "ramp": wf.ramp,
            "hire_day": wf.hire_day,
            "present": wf.present,
            "output_year": wf.output_year,
        }
        rows = {k: v.tolist() for k, v in columns.items()}
        for r, u in enumerate(wf.unit.tolist()):  # rows are in id order: staff lists are too
            unit = self.units[u]
            unit.staff.append(RefEmployee(self, unit, **{k: v[r] for k, v in rows.items()}))
        for unit in self.units:
            unit.set_management_factor()
            for e in unit.staff:
                e.set_base_hours()
                e.hours = e.effective_hours()

    def demand_rates(self, day: int) -> np.ndarray:
        """Expected new requests per unit (as ``Queues.demand_rate``, as an array: see top)."""
        years = day / self.days_per_year
        cycle = 1.0 + self.seasonality * np.sin(2.0 * np.pi * years)
        return self.demand_per_day * (1.0 + self.demand_growth) ** years * cycle

    def step(self) -> None:
        """One working day. Units act in index order, phase by phase (the draw order)."""
        units = self.agents_by_type[RefUnit]  # insertion order: unit index order
        self.rates_today = self.demand_rates(self.day)
        units.do("arrive")
        units.do("serve")
        units.do("draw_rework")
        units.do("abandon_and_age")
        units.do("update_overload")
        if RefEmployee in self.agents_by_type:
            self.agents_by_type[RefEmployee].shuffle_do("step")
        self.day += 1

    # ------------------------------------------------------------------ to compare with asnsim

    def unit_arrays(self) -> dict[str, np.ndarray]:
        """Queue state per unit, named as the attributes of ``asnsim.demand.Queues``."""
        out = {
            name: np.array([getattr(u, name) for u in self.units])
            for name in (
                "arrived_new",
                "arrived_rework",
                "served",
                "abandoned",
                "wrong",
                "carry",
                "rework_due",
            )
        }
        out["queue"] = np.array([u.queue for u in self.units], dtype=np.int64)
        out["waiting"] = out["queue"].sum(axis=1)
        return out

    def employee_arrays(self) -> dict[str, np.ndarray]:
        """Employee state in asnsim's row order, named as ``asnsim.workforce.Workforce``."""
        staff = sorted(self.agents_by_type.get(RefEmployee, []), key=lambda e: e.asn_uid)
        names = ("cur", "motivation", "ramp", "output_year")
        out = {name: np.array([getattr(e, name) for e in staff], dtype=float) for name in names}
        out["base_hours"] = np.array([e.base_hours for e in staff], dtype=float)
        out["uid"] = np.array([e.asn_uid for e in staff], dtype=np.int64)
        return out


# ---------------------------------------------------------------------- speed


def city_of(n_employees: int, **overrides) -> ASNModel:
    """Palembang scaled to ``n_employees`` (``scale = n / 13870``)."""
    scale = n_employees / PALEMBANG_HEADCOUNT
    sets = [f"scale={scale}", *(f"{k}={v}" for k, v in overrides.items())]
    return ASNModel(load_scenario(PALEMBANG, sets))


def employee_days_per_second(n_employees: int, days: int, model: str = "asnsim") -> float:
    """Employee-days simulated per second by ``model`` ("asnsim" or "reference").

    Both start from the same freshly built city (set-up is not timed) and step ``days`` days
    within the first year (``days`` < days_per_year: no personnel cycle; asnsim's mid-year
    survey is included when ``days`` passes it, the reference has none).
    """
    asn = city_of(n_employees, **{"policies.training.name": "none"})  # no day events
    if not 0 < days < asn.days_per_year:
        raise ValueError(f"days must be in 1..{asn.days_per_year - 1}, got {days}")
    if model == "asnsim":
        sim = asn
    elif model == "reference":
        sim = ReferenceModel(asn)
        del asn
    else:
        raise ValueError(f"model must be 'asnsim' or 'reference', got {model!r}")
    headcount = len(sim.workforce) if model == "asnsim" else len(sim.agents_by_type[RefEmployee])
    t0 = time.perf_counter()
    for _ in range(days):
        sim.step()
    return headcount * days / (time.perf_counter() - t0)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--employees", type=int, nargs="+", default=[1_000, 10_000])
    p.add_argument("--days", type=int, default=200, help="days asnsim runs (< 250)")
    p.add_argument("--reference-days", type=int, default=50, help="days the reference runs")
    p.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = p.parse_args()
    print(
        f"machine: {platform.machine()}, {platform.processor() or '?'}, "
        f"python {platform.python_version()}"
    )
    print(f"{'employees':>10} {'asnsim emp-days/s':>18} {'reference emp-days/s':>21} {'ratio':>7}")
    for n in args.employees:
        fast = max(employee_days_per_second(n, args.days) for _ in range(args.repeat))
        slow = max(
            employee_days_per_second(n, args.reference_days, "reference")
            for _ in range(args.repeat)
        )
        print(f"{n:>10,} {fast:>18,.0f} {slow:>21,.0f} {fast / slow:>6.1f}x")


if __name__ == "__main__":
    main()
