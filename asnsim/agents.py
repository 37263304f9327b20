"""Mesa agents: employees are views of one row of the workforce arrays; units and programmes.

``Employee`` holds no state of its own: each attribute reads and writes its row of
:class:`~asnsim.workforce.Workforce`, so mesa idioms (``model.agents_by_type[Employee]``,
``select``, ``agg``, agent reporters) see the same numbers the vectorised model uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from asnsim.vocab import EDUCATION_LEVELS, FUNCTIONAL_LEVELS, POSITION_TYPES

if TYPE_CHECKING:
    from asnsim.model import ASNModel
    from asnsim.scenario import TrainingProgramSpec

__all__ = ["Employee", "ServiceUnit", "TrainingProgram"]


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
