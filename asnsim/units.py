"""Service units as arrays: one row per service point, expanded from the scenario's unit kinds.

:class:`Units` holds each point's values and never changes during a run. The attributes behind
the SKM elements (:data:`DRAWN_ATTRIBUTES`) are drawn per point around the scenario's value
(:func:`draw_attributes`), so two points of one kind differ as a city's units do. The
attributes a lever may change (:data:`SERVICE_ATTRIBUTES`) live in :class:`ServiceState`, which
keeps the drawn values as its baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.special import betaincinv, ndtr

if TYPE_CHECKING:
    from asnsim.scenario import Scenario

__all__ = [
    "DRAWN_ATTRIBUTES",
    "SERVICE_ATTRIBUTES",
    "ServiceState",
    "Units",
    "build_units",
    "draw_attributes",
]

DRAWN_ATTRIBUTES = ("digital_maturity", "facilities", "complaint_handling", "fee_burden")
"""Unit attributes behind SKM elements (U1, U2, U9, U8, U4) drawn per service point."""

_WORSE_WHEN_HIGH = ("fee_burden",)
"""Drawn attributes where a better-run unit has a lower value."""

SERVICE_ATTRIBUTES = ("effort_hours", "digital_maturity", "complaint_handling")
"""Unit attributes that levers change (through ``Actions.set_service``)."""


@dataclass
class Units:
    """Per-unit constants of a city (index ``u`` is the same everywhere in the model).

    ``digital_maturity``, ``facilities``, ``complaint_handling`` and ``fee_burden`` are drawn
    around the scenario's values (:func:`draw_attributes`); ``effort_hours``,
    ``digital_maturity`` and ``complaint_handling`` are where a run starts, what it uses now is
    in :class:`ServiceState`.
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


def build_units(scenario: Scenario, rng: np.random.Generator | None = None) -> Units:
    """Expand the scenario's unit kinds (``count`` each) into per-point arrays at ``scale``.

    Args:
        scenario: The scenario.
        rng: The run's ``units`` stream: each point's :data:`DRAWN_ATTRIBUTES` are drawn
            around the scenario's values (:func:`draw_attributes`). ``None`` keeps the
            scenario's values (for readers that need the units' names and sizes only).
    """
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

    a = scenario.assumptions
    given = {name: col(lambda s, name=name: getattr(s, name)) for name in DRAWN_ATTRIBUTES}
    if rng is None:
        drawn = given
    else:
        spread = col(
            lambda s: (
                s.attribute_spread if s.attribute_spread is not None else a.unit_attribute_spread
            )
        )
        drawn = draw_attributes(given, spread, a.unit_attribute_correlation, rng)
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
        **drawn,
    )


def draw_attributes(
    given: dict[str, np.ndarray],
    spread: np.ndarray,
    correlation: float,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Each point's attributes, drawn around the scenario's values.

    An attribute with scenario value ``m`` is Beta distributed with mean ``m`` and variance
    ``spread × m(1 − m)`` (concentration ``1/spread − 1``): spread 0 gives ``m`` exactly,
    spread near 1 puts the points near 0 or 1. The draws of one point are tied by a quality
    factor of the point: each is the Beta quantile of ``Φ(√c × z + √(1 − c) × e)`` with ``z``
    the point's factor, ``e`` the attribute's own normal and ``c`` the ``correlation``; a
    better-run point has more of every attribute and a lower ``fee_burden``. Values of exactly
    0 or 1 stay. Every point uses the same number of draws whatever its spread, so changing
    one kind's spread does not move another's values.

    Args:
        given: Scenario value per attribute, one array (points) each, in [0, 1].
        spread: Spread per point, in [0, 1).
        correlation: Share of the draws' variance owed to the point's quality factor, 0-1.
        rng: The run's ``units`` stream.

    Returns:
        The drawn values, same keys and shapes as ``given``.
    """
    spread = np.asarray(spread, dtype=float)
    quality = rng.standard_normal(len(spread))
    out = {}
    for name, m in given.items():
        z = np.sqrt(correlation) * quality + np.sqrt(1.0 - correlation) * rng.standard_normal(
            len(spread)
        )
        if name in _WORSE_WHEN_HIGH:
            z = -z
        varies = (spread > 0) & (m > 0) & (m < 1)
        values = np.asarray(m, dtype=float).copy()
        if varies.any():
            kappa = 1.0 / spread[varies] - 1.0
            mv = m[varies]
            # the Beta quantile: what scipy.stats.beta.ppf computes, without its overhead
            values[varies] = betaincinv(mv * kappa, (1.0 - mv) * kappa, ndtr(z[varies]))
        out[name] = values
    return out


@dataclass
class ServiceState:
    """The unit attributes levers change during a run, with the scenario's values kept.

    Attributes:
        effort_hours: Staff hours per request, now.
        digital_maturity: Digital maturity (0-1), now: SKM U1 and U2, digital support.
        complaint_handling: Complaint handling (0-1), now: SKM U8.
        baseline: Each attribute's value at the start of the run (from :class:`Units`).
    """

    effort_hours: np.ndarray
    digital_maturity: np.ndarray
    complaint_handling: np.ndarray
    baseline: dict[str, np.ndarray]

    @classmethod
    def of(cls, units: Units) -> ServiceState:
        """The state at the start of a run: the units' own (drawn) values."""
        base = {name: getattr(units, name) for name in SERVICE_ATTRIBUTES}
        return cls(**{name: values.copy() for name, values in base.items()}, baseline=base)
