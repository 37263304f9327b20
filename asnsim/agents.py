"""Mesa agents: employees are views of one row of the workforce arrays; units and programmes.

``Employee`` holds no state of its own: each attribute reads and writes its row of
:class:`~asnsim.workforce.Workforce`, so mesa idioms (``model.agents_by_type[Employee]``,
``select``, ``agg``, agent reporters) see the same numbers the vectorised model uses.

Employees come and go by the thousand (a start workforce, a year's hires, a month's
retirements): :func:`add_employees` and :func:`remove_employees` register them with mesa
many at a time, as mesa registers each (mesa 3.5 has no call for many).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import mesa

from asnsim.vocab import EDUCATION_LEVELS, FUNCTIONAL_LEVELS, POSITION_TYPES

try:  # mesa's own agent registries, to register many employees at once
    from mesa.agentset import _HardKeyAgentSet
    from mesa.experimental.mesa_signals.signal_types import ModelSignals
except ImportError:  # another mesa: one agent at a time, through mesa's own calls
    _HardKeyAgentSet = ModelSignals = None

# what an Agent's construction sets may change between mesa releases: many at once only with
# the release whose Agent.__init__ tests/test_agents.py checks it against
_TESTED_MESA = mesa.__version__.startswith("3.5.")

if TYPE_CHECKING:
    from asnsim.model import ASNModel
    from asnsim.scenario import TrainingProgramSpec

__all__ = ["Employee", "ServiceUnit", "TrainingProgram", "add_employees", "remove_employees"]


def _column(name: str, doc: str) -> property:
    def get(self: Employee):
        return getattr(self.model.workforce, name)[self.row].item()

    def set_(self: Employee, value) -> None:
        getattr(self.model.workforce, name)[self.row] = value

    return property(get, set_, doc=doc)


class Employee(mesa.Agent):
    """An ASN employee (PNS or PPPK): a live view of one row of the workforce arrays."""

    model: ASNModel

    @property
    def row(self) -> int:
        """Row of this employee in the workforce arrays (found by agent id)."""
        return int(self.model.workforce.rows_of(self.unique_id))

    age = _column("age", "Age in years.")
    tenure = _column("tenure", "Years in service.")
    rank = _column("rank", "Rank index (see ``RANK_NAMES``).")
    unit = _column("unit", "Index of the service unit the employee works in.")
    motivation = _column("motivation", "Motivation, 0-1.")
    resistance = _column("resistance", "Resistance to change, 0-1.")
    digital = _column("digital", "Digital competency, 0-1.")
    competency = _column("cur", "Technical competency in the current unit's sector, 0-1.")
    jp_year = _column("jp_year", "JP of training this year.")
    retire_at = _column("retire_at", "Retirement age (BUP) of the employee's post.")

    @property
    def status(self) -> str:
        """'PNS' or 'PPPK'."""
        return ("PNS", "PPPK")[self.model.workforce.status[self.row]]

    @property
    def position(self) -> str:
        """Position type (jpt, administrator, pengawas, fungsional, pelaksana)."""
        return POSITION_TYPES[self.model.workforce.position[self.row]]

    @property
    def functional_level(self) -> str | None:
        """Level of a fungsional post, None for other posts."""
        lv = self.model.workforce.level[self.row]
        return FUNCTIONAL_LEVELS[lv] if lv >= 0 else None

    @property
    def education(self) -> str:
        """Education level."""
        return EDUCATION_LEVELS[self.model.workforce.education[self.row]]

    @property
    def field(self) -> str:
        """Field of study."""
        return self.model.field_names[self.model.workforce.field[self.row]]

    @property
    def matched(self) -> bool:
        """Whether the field of study qualifies for the current unit's sector."""
        wf, m = self.model.workforce, self.model
        return bool(m.qualifies[m.units.sector[wf.unit[self.row]], wf.field[self.row]])


class ServiceUnit(mesa.Agent):
    """A service point (an OPD, a puskesmas, a Dukcapil counter, ...): a view of unit ``index``."""

    model: ASNModel

    def __init__(self, model: ASNModel, index: int):
        super().__init__(model)
        self.index = index

    @property
    def name(self) -> str:
        """Unit name."""
        return self.model.units.name[self.index]

    @property
    def sector(self) -> str:
        """Sector of the unit."""
        return self.model.units.sectors[self.model.units.sector[self.index]]

    @property
    def formation(self) -> int:
        """Posts in the unit's formation."""
        return int(self.model.units.formation[self.index])

    @property
    def headcount(self) -> int:
        """Staff currently posted here."""
        return int((self.model.workforce.unit == self.index).sum())

    @property
    def backlog(self) -> int:
        """Requests waiting."""
        return int(self.model.queues.queue[self.index].sum())

    @property
    def digital_maturity(self) -> float:
        """Digital maturity, 0-1."""
        return float(self.model.service.digital_maturity[self.index])


class TrainingProgram(mesa.Agent):
    """A programme of the training catalogue (its spec, and the seats used this year)."""

    def __init__(self, model: ASNModel, spec: TrainingProgramSpec):
        super().__init__(model)
        self.spec = spec
        self.seats_used = 0

    @property
    def name(self) -> str:
        """Programme name."""
        return self.spec.name


def add_employees(model: ASNModel, n: int) -> list[Employee]:
    """``n`` new employees, registered with ``model`` as ``mesa.Agent.__init__`` does it.

    The same agents with the same ids in the same registries as ``Employee(model)`` called
    ``n`` times, at a fraction of the cost; one at a time where :func:`_at_once` says no.
    """
    if not _at_once(model, "AGENT_ADDED"):
        return [Employee(model) for _ in range(n)]
    first = model.agent_id_counter
    # thousands of new objects would set off dozens of garbage collections, some of them
    # of every object in the process; paused, the collector takes them all in one pass after
    collecting = gc.isenabled()
    gc.disable()
    try:
        agents = [Employee.__new__(Employee) for _ in range(n)]
        for unique_id, agent in enumerate(agents, first):
            agent.model, agent.unique_id, agent.pos = model, unique_id, None
    finally:
        if collecting:
            gc.enable()
    model.agent_id_counter = first + n
    new = dict.fromkeys(agents)
    model._all_agents._agents.update(new)
    if Employee in model._agents_by_type:
        model._agents_by_type[Employee]._agents.update(new)
    elif agents:
        model._agents_by_type[Employee] = _HardKeyAgentSet(agents, random=model.random)
    return agents


def remove_employees(model: ASNModel, agents: Iterable[Employee]) -> None:
    """Deregister ``agents`` from ``model`` as ``mesa.Agent.remove`` does, many at once."""
    if not _at_once(model, "AGENT_REMOVED"):
        for agent in agents:
            agent.remove()
        return
    everyone = model._all_agents._agents
    employees = model._agents_by_type[Employee]._agents
    for agent in agents:
        del employees[agent]
        del everyone[agent]


def _at_once(model: Any, signal: str) -> bool:
    """Whether employees can be registered (or removed) many at once in ``model``.

    Only with mesa 3.5's registries (hard-keyed agent sets, an id counter), when nobody
    observes the ``signal`` of the model's ``agents`` (so no signal is lost), no batch of
    signals is open and no dataset tracks employees; otherwise mesa's own calls, one agent
    at a time.
    """
    if _HardKeyAgentSet is None or not _TESTED_MESA or Employee._datasets:
        return False
    by_type = getattr(model, "_agents_by_type", None)
    if not isinstance(by_type, dict) or not isinstance(
        getattr(model, "agent_id_counter", None), int
    ):
        return False
    registries = [getattr(model, "_all_agents", None)]
    if Employee in by_type:
        registries.append(by_type[Employee])
    known = all(
        type(r) is _HardKeyAgentSet and isinstance(getattr(r, "_agents", None), dict)
        for r in registries
    )
    return (
        known
        and getattr(model, "_batch_context", True) is None
        and not model._has_subscribers("agents", getattr(ModelSignals, signal))
    )
