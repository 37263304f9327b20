"""What a run records, and the tidy tables built from it.

- ``daily()``: one row per day, city totals (arrivals, served, abandoned, waiting, ...).
- ``surveys()``: one row per semester and unit: respondents, the nine NRRs, IKM surveyed and
  true (expected).
- ``annual()``: one row per year and unit: demand, service, waits, staff, IKM.
- ``city()``: one row per year for the whole city, including personnel flows and spend.
- ``sectors()``: one row per year and sector: IKM surveyed and true.
- ``summary()``: the final year's city outcomes as a flat dict (``summary.json``).

City and sector IKM are stratified estimates: each unit's NRRs are weighted by the citizens it
served, so the surveyed value estimates the true one without bias whatever the sample sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from asnsim.survey import ELEMENTS, ikm_bands, ikm_from_nrr

__all__ = ["DAILY_COLUMNS", "Outcomes", "SUMMARY_KEYS", "stratified_ikm"]

DAILY_COLUMNS = (
    "arrivals",
    "rework_arrivals",
    "served",
    "abandoned",
    "waiting",
    "capacity_requests",
    "motivation_mean",
    "headcount",
)

SUMMARY_KEYS = (
    "year",
    "ikm",
    "ikm_true",
    "ikm_band",
    "wait_mean_days",
    "wait_p90_days",
    "on_time_share",
    "abandon_rate",
    "rework_rate",
    "backlog",
    "matched_share",
    "competency_mean",
    "motivation_mean",
    "jp20_share",
    "headcount",
    "vacancies",
    "hires",
    "retirements",
    "resignations",
    "training_spend",
)


def stratified_ikm(
    nrr: np.ndarray, weight: np.ndarray, groups: np.ndarray | None = None, n_groups: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """IKM of groups of units, each unit's NRRs weighted by the citizens it served.

    Args:
        nrr: (units × 9) NRRs; rows of NaN (no respondents) are left out.
        weight: (units,) citizens served.
        groups: Group index of each unit (all in group 0 if None).
        n_groups: Number of groups.

    Returns:
        (IKM per group, NRR per group (groups × 9)); NaN for a group with no data.
    """
    if groups is None:
        groups = np.zeros(len(weight), dtype=int)
    ok = ~np.isnan(nrr).any(axis=1) & (weight > 0)
    w = np.where(ok, weight, 0.0)
    num = np.zeros((n_groups, nrr.shape[1]))
    np.add.at(num, groups, np.where(ok[:, None], nrr, 0.0) * w[:, None])
    den = np.bincount(groups, weights=w, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        group_nrr = num / den[:, None]
    group_nrr[den == 0] = np.nan
    values = np.full(n_groups, np.nan)
    has = den > 0
    if has.any():
        values[has] = ikm_from_nrr(group_nrr[has])
    return values, group_nrr


@dataclass
class Outcomes:
    """Records filled by :class:`~asnsim.model.ASNModel` as it runs."""

    unit_names: list[str]
    unit_sectors: list[str]
    n_days: int
    days_per_year: int = 250
    daily_values: dict[str, np.ndarray] = field(default_factory=dict)
    survey_frames: list[pd.DataFrame] = field(default_factory=list)
    annual_frames: list[pd.DataFrame] = field(default_factory=list)
    city_rows: list[dict[str, Any]] = field(default_factory=list)
    sector_frames: list[pd.DataFrame] = field(default_factory=list)
    days_recorded: int = 0

    def __post_init__(self) -> None:
        if not self.daily_values:
            self.daily_values = {c: np.zeros(self.n_days) for c in DAILY_COLUMNS}

    def record_day(self, day: int, **values: float) -> None:
        """Store one day's city totals."""
        for key, value in values.items():
            self.daily_values[key][day] = value
        self.days_recorded = day + 1

    # ------------------------------------------------------------------ tables

    def daily(self) -> pd.DataFrame:
        """One row per simulated day (city totals)."""
        n = self.days_recorded
        df = pd.DataFrame({k: v[:n] for k, v in self.daily_values.items()})
        df.insert(0, "day", np.arange(1, n + 1))
        return df

    def surveys(self) -> pd.DataFrame:
        """One row per survey (semester) and unit."""
        return _concat(self.survey_frames)

    def annual(self) -> pd.DataFrame:
        """One row per year and unit."""
        return _concat(self.annual_frames)

    def sectors(self) -> pd.DataFrame:
        """One row per year and sector."""
        return _concat(self.sector_frames)

    def city(self) -> pd.DataFrame:
        """One row per year for the whole city."""
        return pd.DataFrame(self.city_rows)

    def summary(self) -> dict[str, Any]:
        """The final year's city outcomes, JSON-ready (floats rounded to 6 decimals)."""
        if not self.city_rows:
            return {}
        last = self.city_rows[-1]
        return {k: _plain(last[k]) for k in SUMMARY_KEYS}


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def _plain(value: Any) -> Any:
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if np.isnan(value) else round(float(value), 6)
    return value


def band_of(values: np.ndarray) -> np.ndarray:
    """IKM band letters, '' where the IKM is undefined (no respondents)."""
    values = np.atleast_1d(np.asarray(values, dtype=float))
    out = np.full(values.shape, "", dtype=object)
    ok = ~np.isnan(values)
    if ok.any():
        out[ok] = ikm_bands(values[ok])
    return out


NRR_COLUMNS = tuple(f"nrr_{e}" for e in ELEMENTS)
EXPECTED_COLUMNS = tuple(f"expected_{e}" for e in ELEMENTS)
