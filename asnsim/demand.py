"""Citizen demand: arrivals, FIFO queues, service, abandonment and rework, for all units at once.

Each unit's queue is a row of counts by days waited (``queue[u, a]``: requests that have waited
``a`` working days; the last column holds every longer wait). A day is a few array operations
over (units × days), whatever the number of citizens:

1. new requests arrive (Poisson, with growth and a yearly cycle) and yesterday's rework returns;
2. each unit serves as many requests as its staff hours allow, oldest first (FIFO);
3. some served requests were done wrongly, and part of those return tomorrow (rework);
4. waiting citizens give up with a hazard that grows with their wait relative to the service
   standard (Weibull patience whose mean is ``patience_multiple`` standards; Gans, Koole &
   Mandelbaum 2003);
5. everyone still waiting has waited one more day.

Counters make the balance checkable: arrivals = served + abandoned + waiting, every day.
Citizens served or lost from the open last column (a wait of ``queue_max_days`` or more,
recorded as ``queue_max_days``) are counted in ``capped``, so a truncated wait is never silent.
"""

from __future__ import annotations

from math import gamma
from typing import TYPE_CHECKING, Any

import numpy as np

from asnsim.units import Units

if TYPE_CHECKING:
    from asnsim.scenario import Assumptions

__all__ = [
    "Queues",
    "abandonment_hazard",
    "demand_rate",
    "fifo_serve",
    "patience_scale",
    "wait_quantile",
]


def patience_scale(mean: float, shape: float) -> float:
    """Weibull scale of a patience whose mean is ``mean``: ``mean / Γ(1 + 1/shape)``.

    A Weibull with scale λ and shape k has mean λ·Γ(1 + 1/k) (for k = 1.5, 0.903 λ).
    """
    return mean / gamma(1.0 + 1.0 / shape)


def abandonment_hazard(
    standard_days: np.ndarray, n_days: int, multiple: float, shape: float
) -> np.ndarray:
    """Probability that a citizen who has waited ``a`` days gives up before the next day.

    Patience is Weibull with mean ``multiple × standard`` and the given shape (scale
    :func:`patience_scale`), so the hazard is ``1 − S(a+1)/S(a)`` with
    ``S(x) = exp(−(x/scale)^shape)``.

    Returns:
        Array (units × n_days).
    """
    scale = patience_scale(multiple, shape) * standard_days[:, None]
    a = np.arange(n_days)[None, :]
    log_s = lambda x: -((x / scale) ** shape)  # noqa: E731
    return 1.0 - np.exp(log_s(a + 1.0) - log_s(a))


def demand_rate(
    per_day: np.ndarray, growth: np.ndarray, seasonality: Any, years: float
) -> np.ndarray:
    """Expected new requests per unit ``years`` into a run (growth and yearly cycle).

    ``per_day × (1 + growth) ** years × (1 + seasonality × sin(2π years))``. ``seasonality``
    is one city's (a scalar, :meth:`Queues.demand_rate`) or one per unit (many runs side by
    side, :mod:`asnsim.ensemble`): each unit's number is the same either way.
    """
    cycle = 1.0 + seasonality * np.sin(2.0 * np.pi * years)
    return per_day * (1.0 + growth) ** years * cycle


def fifo_serve(queue: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Serve up to ``capacity`` requests per unit, longest-waiting first.

    Args:
        queue: Counts by days waited (units × days).
        capacity: Whole requests each unit can serve today.

    Returns:
        Served counts by days waited (same shape as ``queue``).
    """
    oldest_first = queue[:, ::-1]
    before = np.cumsum(oldest_first, axis=1) - oldest_first
    served = np.minimum(np.maximum(capacity[:, None] - before, 0), oldest_first)  # a clip
    return served[:, ::-1]


def wait_quantile(hist: np.ndarray, q: float) -> np.ndarray:
    """The ``q`` quantile of waiting days from histograms (units × days); NaN where empty."""
    total = hist.sum(axis=1)
    cum = np.cumsum(hist, axis=1)
    idx = (cum < q * total[:, None]).sum(axis=1)
    out = np.minimum(idx, hist.shape[1] - 1).astype(float)
    out[total == 0] = np.nan
    return out


class Queues:
    """The waiting lines of every unit, with cumulative counters and wait histograms.

    Attributes:
        queue: Requests waiting by days waited (units × days); the last column holds every
            wait of ``queue_max_days`` or more.
        capped: Citizens served or lost from that last column, cumulative per unit: their
            wait is recorded as ``queue_max_days`` and may have been longer.
        served_today: Requests served on the latest day, by days waited (units × days); what a
            viewer needs for the waits of each day (the histograms add it up by period and year).
        served_hist_period: Served requests by days waited since the last survey.
        served_hist_year: Served requests by days waited since the year began.
        depth: Columns of ``queue`` that may hold requests; those from ``depth`` on are all 0.
            Only ``Queues`` writes ``queue``, so the daily work is done on the first ``depth``
            columns (usually 1 or 2 of 61: most requests are served the day they arrive).
    """

    def __init__(
        self, units: Units, assumptions: Assumptions, days_per_year: int, seasonality: float
    ):
        self.units = units
        self.days_per_year = days_per_year
        self.seasonality = seasonality
        n_days = assumptions.queue_max_days + 1
        n = len(units)
        self.queue = np.zeros((n, n_days), dtype=np.int64)
        self.depth = 0
        self.hazard = abandonment_hazard(
            units.standard_days, n_days, assumptions.patience_multiple, assumptions.patience_shape
        )
        self.hazard[:, -1] = self.hazard[:, -2]  # the open last column keeps the last hazard
        self.error_novice = assumptions.error_rate_novice
        self.error_expert = assumptions.error_rate_expert
        self.rework_return = assumptions.rework_return_share
        self.carry = np.zeros(n)
        self.rework_due = np.zeros(n, dtype=np.int64)
        # cumulative since the start
        self.arrived_new = np.zeros(n, dtype=np.int64)
        self.arrived_rework = np.zeros(n, dtype=np.int64)
        self.served = np.zeros(n, dtype=np.int64)
        self.abandoned = np.zeros(n, dtype=np.int64)
        self.wrong = np.zeros(n, dtype=np.int64)
        self.capped = np.zeros(n, dtype=np.int64)  # served or lost after queue_max_days or more
        # served counts by days waited: today, and since the last reset (a survey period, a year)
        self.served_today = np.zeros((n, n_days), dtype=np.int64)
        self.served_hist_period = np.zeros((n, n_days), dtype=np.int64)
        self.served_hist_year = np.zeros((n, n_days), dtype=np.int64)
        self.wrong_period = np.zeros(n, dtype=np.int64)
        self.served_period = np.zeros(n, dtype=np.int64)

    @property
    def waiting(self) -> np.ndarray:
        """Requests waiting in each unit."""
        return self.queue[:, : self.depth].sum(axis=1)

    @property
    def arrived(self) -> np.ndarray:
        """All arrivals so far, new and rework."""
        return self.arrived_new + self.arrived_rework

    def demand_rate(self, day: int) -> np.ndarray:
        """Expected new requests per unit on model day ``day`` (growth and yearly cycle).

        ``demand_per_day × (1 + growth) ** t × (1 + seasonality × sin(2π t))`` with ``t`` in
        years (``day / days_per_year``): a year multiplies the rate by exactly ``1 + growth``;
        the cycle averages 1 over a year, peaks a quarter into it and bottoms out at three
        quarters.
        """
        units = self.units
        years = day / self.days_per_year
        return demand_rate(units.demand_per_day, units.demand_growth, self.seasonality, years)

    def arrive(self, new: np.ndarray) -> None:
        """New requests (drawn by the caller from the demand stream) and due rework join."""
        self.queue[:, 0] += new + self.rework_due
        self.depth = max(self.depth, 1)
        self.arrived_new += new
        self.arrived_rework += self.rework_due
        self.rework_due = np.zeros_like(self.rework_due)

    def serve(
        self, capacity_requests: np.ndarray, competency: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        """Serve FIFO, draw errors and tomorrow's rework; return served counts per unit.

        Args:
            capacity_requests: Requests each unit's staff can complete today (fractional).
            competency: Hours-weighted competency of each unit's servers (drives errors).
            rng: The service stream.
        """
        available = capacity_requests + self.carry
        whole = np.floor(available).astype(np.int64)
        d = self.depth
        part = fifo_serve(self.queue[:, :d], whole)  # the columns from d on are empty
        served = part.sum(axis=1)
        self.served_today = by_age = np.zeros_like(self.queue)
        by_age[:, :d] = part
        # unused capacity does not bank beyond a fraction of one request
        self.carry = np.where(served < whole, 0.0, available - whole)
        self.queue[:, :d] -= part
        self.served += served
        self.capped += by_age[:, -1]
        self.served_period += served
        self.served_hist_period[:, :d] += part
        self.served_hist_year[:, :d] += part
        p_wrong = self.error_novice - (self.error_novice - self.error_expert) * competency
        wrong = rng.binomial(served, np.minimum(np.maximum(p_wrong, 0.0), 1.0))
        self.wrong += wrong
        self.wrong_period += wrong
        self.rework_due = rng.binomial(wrong, self.rework_return)
        return served

    def abandon_and_age(self, rng: np.random.Generator) -> np.ndarray:
        """Citizens give up by the hazard of their wait; the rest wait a day more."""
        q, d = self.queue, self.depth
        live = q[:, :d]  # the columns from d on are empty: nothing to lose or age there
        gone = np.zeros_like(live)
        nz = live > 0
        gone[nz] = rng.binomial(live[nz], self.hazard[:, :d][nz])
        live -= gone
        lost = gone.sum(axis=1)
        self.abandoned += lost
        if d == q.shape[1]:
            self.capped += gone[:, -1]
        self._age(q, d)
        return lost

    def _age(self, q: np.ndarray, d: int) -> None:
        """Everyone still waiting waits a day more; the last column keeps every longer wait."""
        if d + 1 >= q.shape[1]:
            q[:, -1] += q[:, -2]
            q[:, 1:-1] = q[:, :-2]
            q[:, 0] = 0
            d = q.shape[1]
        else:
            q[:, 1 : d + 1] = q[:, :d]
            q[:, 0] = 0
            d += 1
        filled = np.flatnonzero(q[:, :d].any(axis=0))
        self.depth = int(filled[-1]) + 1 if len(filled) else 0

    def reset_period(self) -> None:
        """Start a new survey period (served-wait histogram and error counts)."""
        self.served_hist_period[:] = 0
        self.wrong_period[:] = 0
        self.served_period[:] = 0

    def reset_year(self) -> None:
        """Start a new year's wait histogram."""
        self.served_hist_year[:] = 0
