"""What a run records, and the tidy tables built from it.

- ``daily()``: one row per day, city totals (arrivals, served, abandoned, waiting, ...).
- ``surveys()``: one row per semester and unit: respondents, the nine NRRs, IKM surveyed and
  true (expected).
- ``annual()``: one row per year and unit: demand, service, waits, staff, IKM.
- ``city()``: one row per year for the whole city, including personnel flows and spend.
- ``sectors()``: one row per year and sector: IKM surveyed and true.
- ``summary()``: the final year's city outcomes as a flat dict (``summary.json``).

Beside IKM (unchanged, per regulation: the SKM surveys those served) the city row holds what
IKM misses: ``ikm_seekers`` (:func:`seekers_ikm`, satisfaction over everyone who sought
service, those who gave up scoring ``abandoned_score``), ``complaints``
(:func:`expected_complaints`) and ``waits_capped`` (citizens whose wait reached the last
tracked day); and the Indeks Profesionalitas ASN (``ip_asn``, :mod:`asnsim.ip_asn`).

The quantities that published figures are compared with (``OBSERVED_KEYS``: retirement and
resignation rates, PPPK share, age mix, spread of unit IKM) are columns of ``city()`` too,
computed by :func:`personnel_rates`, :func:`workforce_mix` and :func:`unit_ikm_spread`.

City and sector IKM are stratified estimates: each unit's NRRs are weighted by the citizens it
served, so the surveyed value estimates the true one without bias whatever the sample sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from asnsim.survey import ELEMENTS, ikm_bands, ikm_from_nrr

__all__ = [
    "DAILY_COLUMNS",
    "OBSERVED_KEYS",
    "Outcomes",
    "SUMMARY_KEYS",
    "expected_complaints",
    "personnel_rates",
    "seekers_ikm",
    "stratified_ikm",
    "unit_ikm",
    "unit_ikm_spread",
    "workforce_mix",
]

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

OBSERVED_KEYS = (
    "retirement_rate",
    "resignation_rate",
    "pppk_share",
    "age_mean_pns",
    "age_31_40_share_pns",
    "age_41_50_share_pns",
    "age_51_60_share_pns",
    "age_51_60_share",
    "teacher_share_of_retirees",
    "newcomer_resignation_rate",
    "ikm_unit_min",
    "ikm_unit_max",
    "band_a_share",
)
"""City-row quantities with an observed counterpart (``data/observed``); also in the summary."""

SUMMARY_KEYS = (
    "year",
    "ikm",
    "ikm_true",
    "ikm_band",
    "ikm_seekers",
    "wait_mean_days",
    "wait_p90_days",
    "on_time_share",
    "abandon_rate",
    "rework_rate",
    "complaints",
    "backlog",
    "waits_capped",
    "matched_share",
    "competency_mean",
    "motivation_mean",
    "jp20_share",
    "ip_asn",
    "headcount",
    "vacancies",
    "hires",
    "retirements",
    "resignations",
    "training_spend",
    *OBSERVED_KEYS,
)


AGE_BANDS = {"31_40": (31.0, 41.0), "41_50": (41.0, 51.0), "51_60": (51.0, 61.0)}
"""Ten-year age bands as BKN reports them, in completed years: "51-60" is 51 <= age < 61."""


def personnel_rates(retirements: int, resignations: int, headcount_start: int) -> dict:
    """Retirements and resignations of a year per head of the year's starting headcount."""
    if headcount_start <= 0:
        return {"retirement_rate": np.nan, "resignation_rate": np.nan}
    return {
        "retirement_rate": retirements / headcount_start,
        "resignation_rate": resignations / headcount_start,
    }


def workforce_mix(pppk: np.ndarray, age: np.ndarray) -> dict:
    """PPPK share and age mix of a workforce (NaN where a group is empty).

    Args:
        pppk: Boolean per employee, True for PPPK.
        age: Age in years per employee.

    Returns:
        ``pppk_share``; over PNS: ``age_mean_pns`` and the share in each band of
        :data:`AGE_BANDS` (``age_51_60_share_pns`` ...); over all ASN: ``age_51_60_share``.
    """
    pppk = np.asarray(pppk, dtype=bool)
    age = np.asarray(age, dtype=float)
    pns_age = age[~pppk]

    def share(values: np.ndarray, band: str) -> float:
        low, high = AGE_BANDS[band]
        return float(((values >= low) & (values < high)).mean()) if len(values) else np.nan

    out = {
        "pppk_share": float(pppk.mean()) if len(pppk) else np.nan,
        "age_mean_pns": float(pns_age.mean()) if len(pns_age) else np.nan,
    }
    out |= {f"age_{band}_share_pns": share(pns_age, band) for band in AGE_BANDS}
    out["age_51_60_share"] = share(age, "51_60")
    return out


def seekers_ikm(
    served: np.ndarray, ikm_true: np.ndarray, abandoned: np.ndarray, abandoned_score: float
) -> np.ndarray:
    """Satisfaction over everyone who sought service: the served and those who gave up.

    ``(served × ikm_true + abandoned × 25 × abandoned_score) / (served + abandoned)``: the
    served count with their expected IKM, each citizen who gave up as a respondent scoring
    ``abandoned_score`` on all nine elements (IKM = 25 × score). Linear in the groups, so the
    city's value is the same formula over city totals with the city's true IKM. NaN where
    nobody sought service.

    Args:
        served: Citizens served (per unit or city).
        ikm_true: Their expected IKM (NaN allowed where nobody was served).
        abandoned: Citizens who gave up.
        abandoned_score: SKM score (1-4) given by one who gave up.
    """
    served = np.asarray(served, dtype=float)
    abandoned = np.asarray(abandoned, dtype=float)
    seekers = served + abandoned
    part_served = np.where(served > 0, served * np.nan_to_num(ikm_true), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            seekers > 0, (part_served + abandoned * 25.0 * abandoned_score) / seekers, np.nan
        )


def expected_complaints(
    abandoned: np.ndarray,
    wrong: np.ndarray,
    complaint_handling: np.ndarray,
    share_abandoned: float,
    share_wrong: float,
    voice_min: float,
) -> np.ndarray:
    """Expected complaints lodged: the aggrieved times the share who find a channel.

    ``(share_abandoned × abandoned + share_wrong × wrong) × (voice_min + (1 − voice_min) ×
    complaint_handling)``. Those who gave up and those served wrongly are the aggrieved; a
    unit that handles complaints well also makes them easier to lodge, so better handling
    raises the count recorded: it measures voice, not only grievance. The expected value, not
    a draw: a measure adds no noise of its own.
    """
    aggrieved = share_abandoned * np.asarray(abandoned, float) + share_wrong * np.asarray(
        wrong, float
    )
    return aggrieved * (voice_min + (1.0 - voice_min) * np.asarray(complaint_handling, float))


def unit_ikm_spread(ikm: np.ndarray) -> dict:
    """Lowest and highest surveyed unit IKM of a year, and the share of units in band A.

    Units without respondents (IKM NaN) are left out; all NaN if no unit has one.
    """
    ikm = np.asarray(ikm, dtype=float)
    ikm = ikm[~np.isnan(ikm)]
    if not len(ikm):
        return {"ikm_unit_min": np.nan, "ikm_unit_max": np.nan, "band_a_share": np.nan}
    return {
        "ikm_unit_min": float(ikm.min()),
        "ikm_unit_max": float(ikm.max()),
        "band_a_share": float((ikm_bands(ikm) == "A").mean()),
    }


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
    weighted = np.where(ok[:, None], nrr, 0.0) * w[:, None]
    n_cols = nrr.shape[1]
    # each group's sum, unit after unit from 0.0: what np.add.at adds, in one bincount
    cells = (np.asarray(groups, dtype=np.intp)[:, None] * n_cols + np.arange(n_cols)).reshape(-1)
    num = np.bincount(cells, weighted.reshape(-1), n_groups * n_cols).reshape(n_groups, n_cols)
    den = np.bincount(groups, weights=w, minlength=n_groups)
    with np.errstate(invalid="ignore"):  # 0 / 0 = NaN for a group without data
        group_nrr = num / den[:, None]
    return ikm_from_nrr(group_nrr), group_nrr


def unit_ikm(nrr: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Each unit's IKM: :func:`stratified_ikm` with every unit a group of its own.

    The same arithmetic without the grouping: a group's weighted NRR is its one unit's
    ``(nrr × w) / w`` (``0.0 + x`` is the sum of a group of one), NaN where the unit has
    no data.
    """
    ok = ~np.isnan(nrr).any(axis=1) & (weight > 0)
    w = np.where(ok, weight, 0.0)
    num = 0.0 + np.where(ok[:, None], nrr, 0.0) * w[:, None]
    with np.errstate(invalid="ignore"):  # 0 / 0 = NaN for a unit without data
        return ikm_from_nrr(num / w[:, None])


@dataclass
class Outcomes:
    """Records filled by :class:`~asnsim.model.ASNModel` as it runs.

    A survey, a year's units and a year's sectors are each recorded as a dict of columns
    (equal-length arrays; a scalar stands for a column of one repeated value), one dict per
    survey or year in ``survey_records``, ``annual_records`` and ``sector_records``. The
    tables are built from them only when asked for: a pandas frame per survey would cost
    more than the survey itself.
    """

    unit_names: list[str]
    unit_sectors: list[str]
    n_days: int
    days_per_year: int = 250
    daily_values: dict[str, np.ndarray] = field(default_factory=dict)
    survey_records: list[dict[str, Any]] = field(default_factory=list)
    annual_records: list[dict[str, Any]] = field(default_factory=list)
    city_rows: list[dict[str, Any]] = field(default_factory=list)
    sector_records: list[dict[str, Any]] = field(default_factory=list)
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
        return _table(self.survey_records)

    def annual(self) -> pd.DataFrame:
        """One row per year and unit."""
        return _table(self.annual_records)

    def sectors(self) -> pd.DataFrame:
        """One row per year and sector."""
        return _table(self.sector_records)

    @property
    def survey_frames(self) -> list[pd.DataFrame]:
        """The table of each survey so far, in order (built when asked for)."""
        return [_table([record]) for record in self.survey_records]

    @property
    def annual_frames(self) -> list[pd.DataFrame]:
        """The unit table of each year so far, in order (built when asked for)."""
        return [_table([record]) for record in self.annual_records]

    @property
    def sector_frames(self) -> list[pd.DataFrame]:
        """The sector table of each year so far, in order (built when asked for)."""
        return [_table([record]) for record in self.sector_records]

    def city(self) -> pd.DataFrame:
        """One row per year for the whole city."""
        return pd.DataFrame(self.city_rows)

    def summary(self) -> dict[str, Any]:
        """The final year's city outcomes, JSON-ready (floats rounded to 6 decimals)."""
        if not self.city_rows:
            return {}
        last = self.city_rows[-1]
        return {k: _plain(last[k]) for k in SUMMARY_KEYS}


def _table(records: list[dict[str, Any]]) -> pd.DataFrame:
    """One frame of the records' columns, stacked in order (the first record's columns)."""
    if not records:
        return pd.DataFrame()
    lengths = [_length(record) for record in records]
    return pd.DataFrame(
        {
            name: np.concatenate(
                [_repeated(record[name], n) for record, n in zip(records, lengths, strict=True)]
            )
            for name in records[0]
        }
    )


def _length(record: dict[str, Any]) -> int:
    """Rows of a record: the length of its first column that is not a scalar."""
    return next((len(v) for v in record.values() if np.ndim(v)), 1)


def _repeated(value: Any, n: int) -> np.ndarray:
    """A column of ``n`` rows: a scalar repeated, an array or list as it is."""
    return np.full(n, value) if np.ndim(value) == 0 else np.asarray(value)


def _plain(value: Any) -> Any:
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if np.isnan(value) else round(float(value), 6)
    return value


def band_of(values: np.ndarray) -> np.ndarray:
    """IKM band letters, '' where the IKM is undefined (no respondents)."""
    values = np.atleast_1d(np.asarray(values, dtype=float))
    ok = ~np.isnan(values)
    if ok.all():
        return ikm_bands(values).astype(object)
    out = np.full(values.shape, "", dtype=object)
    if ok.any():
        out[ok] = ikm_bands(values[ok])
    return out


NRR_COLUMNS = tuple(f"nrr_{e}" for e in ELEMENTS)
EXPECTED_COLUMNS = tuple(f"expected_{e}" for e in ELEMENTS)
