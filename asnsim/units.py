"""Service units as arrays: one row per service point, expanded from the scenario's unit kinds.

:class:`Units` holds the scenario's values and never changes during a run. The attributes a
lever may change (:data:`SERVICE_ATTRIBUTES`) live in :class:`ServiceState`, which keeps the
scenario's values as its baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from asnsim.scenario import Scenario

__all__ = ["SERVICE_ATTRIBUTES", "ServiceState", "Units", "build_units"]

SERVICE_ATTRIBUTES = ("effort_hours", "digital_maturity", "complaint_handling")
"""Unit attributes that levers change (through ``Actions.set_service``)."""


@dataclass
class Units:
    """Per-unit constants of a city (index ``u`` is the same everywhere in the model).

    ``effort_hours``, ``digital_maturity`` and ``complaint_handling`` are the scenario's
    values; what a run uses now is in :class:`ServiceState`.
    """

    name: list[str]
    sector: np.ndarray  # int, index into sectors
    sectors: list[str]
    formation: np.ndarray  # int, posts
    staffing_weight: np.ndarray
    field_match_share: np.ndarray
    demand_per_day: np.ndarray  # at scale, in year 0
    demand_growth: np.ndarray  # per year
    effort_hours: np.ndarray
    standard_days: np.ndarray
    digital_maturity: np.ndarray
    facilities: np.ndarray
    complaint_handling: np.ndarray
    fee_burden: np.ndarray

    def __len__(self) -> int:
        return len(self.name)


def build_units(scenario: Scenario) -> Units:
    """Expand the scenario's unit kinds (``count`` each) into per-point arrays at ``scale``."""
    city = scenario.city
    sectors = scenario.sector_names
    rows = []
    for spec in city.units:
        for k in range(spec.count):
            name = spec.name if spec.count == 1 else f"{spec.name} {k + 1}"
            rows.append((name, spec))
    scale = scenario.scale

    def col(fn, dtype=float) -> np.ndarray:
        return np.array([fn(s) for _, s in rows], dtype=dtype)

    return Units(
        name=[n for n, _ in rows],
        sector=col(lambda s: sectors.index(s.sector), np.intp),
        sectors=sectors,
        formation=col(lambda s: max(1, round(s.formation * scale)), np.int64),
        staffing_weight=col(lambda s: s.staffing_weight),
        field_match_share=col(
            lambda s: (
                s.field_match_share
                if s.field_match_share is not None
                else city.workforce.field_match_share
            )
        ),
        demand_per_day=col(lambda s: s.demand_per_day * scale),
        demand_growth=col(
            lambda s: s.demand_growth if s.demand_growth is not None else city.demand_growth
        ),
        effort_hours=col(lambda s: s.effort_hours),
        standard_days=col(lambda s: s.service_standard_days),
        digital_maturity=col(lambda s: s.digital_maturity),
        facilities=col(lambda s: s.facilities),
        complaint_handling=col(lambda s: s.complaint_handling),
        fee_burden=col(lambda s: s.fee_burden),
    )


@dataclass
class ServiceState:
    """The unit attributes levers change during a run, with the scenario's values kept.

    Attributes:
        effort_hours: Staff hours per request, now.
        digital_maturity: Digital maturity (0-1), now: SKM U1 and U2, digital support.
        complaint_handling: Complaint handling (0-1), now: SKM U8.
        baseline: The scenario's value of each attribute (from :class:`Units`).
    """

    effort_hours: np.ndarray
    digital_maturity: np.ndarray
    complaint_handling: np.ndarray
    baseline: dict[str, np.ndarray]

    @classmethod
    def of(cls, units: Units) -> ServiceState:
        """The state at the start of a run: the scenario's values."""
        base = {name: getattr(units, name) for name in SERVICE_ATTRIBUTES}
        return cls(**{name: values.copy() for name, values in base.items()}, baseline=base)
