"""Citizen satisfaction survey (SKM) and its index (IKM) per PermenPANRB 14/2017.

The Indonesian *Survei Kepuasan Masyarakat* (SKM, citizen satisfaction survey) is
regulated by Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi
Birokrasi (PermenPANRB) Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei
Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik. It replaced the 14-element
scheme of KepMenPAN 25/2004 with nine service elements (*unsur pelayanan*) U1..U9.

Every respondent scores each element on a four-point scale (1 *tidak baik*,
2 *kurang baik*, 3 *baik*, 4 *sangat baik*). The regulation then computes:

* NRR (*nilai rata-rata*): the mean score of each element over respondents;
* IKM (*Indeks Kepuasan Masyarakat*): the weighted mean of the nine NRRs, each
  element having the same weight 1/9, converted to a 25..100 scale by the
  factor 25 (*nilai dasar*);
* the service-quality band (*mutu pelayanan*) A..D from the conversion table
  of NRR intervals and IKM intervals.

This module holds pure, side-effect-free numpy functions for those
calculations, plus the Krejcie & Morgan (1970) sample-size rule referred to by
the regulation's sampling guidance, and a respondent-score sampler used by the
simulation. It deliberately imports nothing from the rest of the model.

Official Indonesian terms (SKM, IKM, NRR, band labels such as *Sangat Baik*)
are kept in Indonesian; English glosses are given alongside.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "BAND_EDGES",
    "ELEMENTS",
    "ELEMENT_NAMES",
    "band_label",
    "expected_scores_to_ikm",
    "ikm",
    "ikm_band",
    "ikm_bands",
    "ikm_from_nrr",
    "ikm_weighted_0111",
    "krejcie_morgan",
    "nrr",
    "nrr_band",
    "sample_scores",
]

ELEMENTS: Final[tuple[str, ...]] = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
"""The nine SKM service elements (*unsur pelayanan*) of PermenPANRB 14/2017."""

ELEMENT_NAMES: Final[dict[str, dict[str, str]]] = {
    "U1": {"id": "Persyaratan", "en": "requirements"},
    "U2": {
        "id": "Sistem, Mekanisme, dan Prosedur",
        "en": "systems, mechanisms and procedures",
    },
    "U3": {"id": "Waktu Penyelesaian", "en": "completion time"},
    "U4": {"id": "Biaya/Tarif", "en": "cost/fee"},
    "U5": {
        "id": "Produk Spesifikasi Jenis Pelayanan",
        "en": "product specification of the type of service",
    },
    "U6": {"id": "Kompetensi Pelaksana", "en": "competence of service staff"},
    "U7": {"id": "Perilaku Pelaksana", "en": "conduct of service staff"},
    "U8": {
        "id": "Penanganan Pengaduan, Saran dan Masukan",
        "en": "handling of complaints, suggestions and feedback",
    },
    "U9": {"id": "Sarana dan Prasarana", "en": "facilities and infrastructure"},
}
"""Official Indonesian name (key ``"id"``) and English gloss (``"en"``) per element."""

BAND_EDGES: Final[dict[str, float]] = {"A": 88.31, "B": 76.61, "C": 65.00, "D": 25.00}
"""Lower IKM edge (inclusive, 2-decimal IKM) of each band, per PermenPANRB 14/2017.

A *Sangat Baik* 88.31-100.00; B *Baik* 76.61-88.30; C *Kurang Baik* 65.00-76.60;
D *Tidak Baik* 25.00-64.99.
"""

_N_ELEMENTS: Final[int] = len(ELEMENTS)
_SCORE_MIN: Final[int] = 1
_SCORE_MAX: Final[int] = 4
_BASE_VALUE: Final[float] = 25.0  # "nilai dasar": converts mean score 1..4 to IKM 25..100
_ROUNDED_WEIGHT: Final[float] = 0.111  # common spreadsheet shortcut for 1/9; not exact

# Lower band edges in integer hundredths of an IKM point (exact integer comparison).
_BAND_EDGES_CENTS: Final[tuple[tuple[str, int], ...]] = (
    ("A", 8831),
    ("B", 7661),
    ("C", 6500),
    ("D", 2500),
)
# the same from the lowest band up: the lower edges of C, B, A and the letters D, C, B, A
_UPPER_EDGES_CENTS: Final[np.ndarray] = np.array([edge for _, edge in _BAND_EDGES_CENTS[-2::-1]])
_LETTERS_UP: Final[np.ndarray] = np.array([letter for letter, _ in _BAND_EDGES_CENTS[::-1]])
# NRR interval table of the regulation (lower edges, in ten-thousandths of a point).
# These are exactly the IKM edges divided by 25: 88.31/25 = 3.5324, 76.61/25 = 3.0644,
# 65.00/25 = 2.60.
_NRR_EDGES_1E4: Final[tuple[tuple[str, int], ...]] = (
    ("A", 35324),
    ("B", 30644),
    ("C", 26000),
    ("D", 10000),
)

_BAND_LABELS: Final[dict[str, tuple[str, str]]] = {
    "A": ("Sangat Baik", "very good"),
    "B": ("Baik", "good"),
    "C": ("Kurang Baik", "poor"),
    "D": ("Tidak Baik", "not good"),
}


def _check_last_axis(values: np.ndarray, what: str) -> None:
    """Raise ValueError unless ``values`` has at least one axis and its last axis is 9."""
    if values.ndim == 0 or values.shape[-1] != _N_ELEMENTS:
        raise ValueError(
            f"{what} must have a last axis of length {_N_ELEMENTS} (elements U1..U9), "
            f"got shape {values.shape}"
        )


def _round_half_up(values: np.ndarray, decimals: int) -> np.ndarray:
    """Round half-up to ``decimals`` and return integer multiples of 10**-decimals.

    The scaled value is first rounded to 6 further decimals to remove binary
    floating-point noise (88.305 is stored as 88.30499999..., but is meant as
    88.305 and must round to 88.31).
    """
    scaled = np.round(np.asarray(values, dtype=float) * 10.0**decimals, 6)
    return np.floor(scaled + 0.5).astype(np.int64)


def nrr(scores: ArrayLike) -> np.ndarray:
    """Per-element mean score NRR (*nilai rata-rata*) of an SKM response table.

    PermenPANRB 14/2017: the NRR of each of the nine elements is the sum of the
    respondents' scores for that element divided by the number of respondents.

    Args:
        scores: Integer scores of shape ``(respondents, 9)``, each in 1..4
            (1 *tidak baik*, 2 *kurang baik*, 3 *baik*, 4 *sangat baik*).

    Returns:
        Float array of shape ``(9,)`` with the NRR of U1..U9, each in [1, 4].

    Raises:
        ValueError: If the table is not 2-D with 9 columns, has no respondents,
            or holds values that are not integers in 1..4.
    """
    arr = np.asarray(scores)
    if arr.ndim != 2 or arr.shape[1] != _N_ELEMENTS:
        raise ValueError(
            f"scores must have shape (respondents, {_N_ELEMENTS}) for elements U1..U9, "
            f"got shape {arr.shape}"
        )
    if arr.shape[0] == 0:
        raise ValueError("scores has zero respondents; NRR is undefined")
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise ValueError(f"scores must be numeric integers 1..4, got dtype {arr.dtype}")
    as_float = arr.astype(float)
    bad = ~np.isfinite(as_float) | (as_float != np.round(as_float))
    bad |= (as_float < _SCORE_MIN) | (as_float > _SCORE_MAX)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"scores must be integers in {_SCORE_MIN}..{_SCORE_MAX} "
            f"(PermenPANRB 14/2017 four-point scale); found {arr[idx]!r} at "
            f"(respondent, element) index {idx} and {int(bad.sum())} invalid value(s) in total"
        )
    return as_float.mean(axis=0)


def ikm_from_nrr(nrr_values: ArrayLike) -> np.ndarray | float:
    """IKM (*Indeks Kepuasan Masyarakat*) from the nine per-element NRRs.

    PermenPANRB 14/2017: every element carries the same weight 1/9 (one over the
    number of elements), so IKM = sum(NRR_i * 1/9) * 25 = mean(NRR) * 25. The
    exact weight 1/9 is used here, not the rounded 0.111 (see
    :func:`ikm_weighted_0111`). The range is 25 (all 1) to 100 (all 4).

    Args:
        nrr_values: NRRs whose last axis has length 9 (U1..U9); leading axes
            are vectorised over (e.g. ``(units, 9)`` gives one IKM per unit).

    Returns:
        The IKM as a float for a single ``(9,)`` input, otherwise an array of
        the leading shape.

    Raises:
        ValueError: If the last axis is not of length 9.
    """
    arr = np.asarray(nrr_values, dtype=float)
    _check_last_axis(arr, "nrr_values")
    out = arr.mean(axis=-1) * _BASE_VALUE
    return float(out) if out.ndim == 0 else out


def ikm(scores: ArrayLike) -> float:
    """IKM of an SKM response table: ``ikm_from_nrr(nrr(scores))``.

    PermenPANRB 14/2017: per-element NRRs over respondents, equally weighted
    (1/9) and multiplied by 25.

    Args:
        scores: Integer scores of shape ``(respondents, 9)`` in 1..4.

    Returns:
        The IKM, a float in [25, 100].

    Raises:
        ValueError: As :func:`nrr`.
    """
    return float(ikm_from_nrr(nrr(scores)))


def ikm_weighted_0111(nrr_values: ArrayLike) -> np.ndarray | float:
    """IKM with the rounded weight 0.111 -- a common but *wrong* variant.

    PermenPANRB 14/2017 defines the weight of each element as 1/9. Many survey
    spreadsheets instead type the decimal 0.111, computing
    ``sum(NRR_i * 0.111) * 25``. Because 0.111 * 9 = 0.999 the result is the
    correct IKM times 0.999, i.e. 0.1 % (about 0.08 IKM points at IKM ~ 80)
    too low, which can move a unit across a band edge. (A weight of 0.11 would
    give 0.99, a 1 % shift of ~0.8 points.) This function is kept only so that
    tests can demonstrate the discrepancy; do not use it for reporting.

    Args:
        nrr_values: NRRs whose last axis has length 9; leading axes vectorised.

    Returns:
        The (biased) IKM as a float or an array of the leading shape.

    Raises:
        ValueError: If the last axis is not of length 9.
    """
    arr = np.asarray(nrr_values, dtype=float)
    _check_last_axis(arr, "nrr_values")
    out = (arr * _ROUNDED_WEIGHT).sum(axis=-1) * _BASE_VALUE
    return float(out) if out.ndim == 0 else out


def ikm_bands(values: ArrayLike) -> np.ndarray:
    """Vectorised service-quality band (*mutu pelayanan*) A..D of IKM values.

    PermenPANRB 14/2017 reports IKM to two decimals and bands it as
    A *Sangat Baik* 88.31-100.00, B *Baik* 76.61-88.30, C *Kurang Baik*
    65.00-76.60, D *Tidak Baik* 25.00-64.99. Values are therefore rounded
    half-up to two decimals first (88.305 -> 88.31 -> A; 88.3049 -> 88.30 -> B)
    and then compared with the lower edges in :data:`BAND_EDGES`.

    Args:
        values: IKM values of any shape, each in [25, 100].

    Returns:
        Array of the same shape with single-letter strings ``"A"`` to ``"D"``.

    Raises:
        ValueError: If a value is NaN or, after rounding, outside [25, 100].
    """
    arr = np.asarray(values, dtype=float)
    if np.isnan(arr).any():
        raise ValueError("IKM values must not be NaN")
    cents = _round_half_up(arr, 2)
    if ((cents < 2500) | (cents > 10000)).any():
        raise ValueError(
            "IKM values must lie in [25, 100] (PermenPANRB 14/2017 scale), "
            f"got min {arr.min()!r}, max {arr.max()!r}"
        )
    # how many of the edges of C, B and A each value reaches: 0 is D, 3 is A
    reached = np.searchsorted(_UPPER_EDGES_CENTS, cents.reshape(-1), side="right")
    return _LETTERS_UP[reached].reshape(cents.shape)


def ikm_band(value: float) -> str:
    """Service-quality band letter A..D of a single IKM value.

    PermenPANRB 14/2017 IKM interval table; see :func:`ikm_bands` for the
    two-decimal half-up rounding applied before comparing with the edges.

    Args:
        value: An IKM value in [25, 100].

    Returns:
        ``"A"``, ``"B"``, ``"C"`` or ``"D"``.

    Raises:
        ValueError: If ``value`` is not a scalar, is NaN or lies outside [25, 100].
    """
    if np.ndim(value) != 0:
        raise ValueError("ikm_band takes a single value; use ikm_bands for arrays")
    return str(ikm_bands(value)[()])


def nrr_band(nrr_value: float) -> str:
    """Service-quality band letter A..D of a single (mean) NRR value.

    PermenPANRB 14/2017 NRR interval table: 1.00-2.5996 D, 2.60-3.064 C,
    3.0644-3.532 B, 3.5324-4.00 A. The lower edges are exactly the IKM edges
    divided by 25, so ``nrr_band(x)`` agrees with ``ikm_band(25 * x)`` except
    for NRRs within a few ten-thousandths of an edge. The value is rounded
    half-up to four decimals (the table's precision) and compared with the
    lower edges, so the small gaps in the printed table (e.g. 3.0641-3.0643)
    fall in the lower band.

    Args:
        nrr_value: A mean element score (or mean of the nine NRRs) in [1, 4].

    Returns:
        ``"A"``, ``"B"``, ``"C"`` or ``"D"``.

    Raises:
        ValueError: If the value is not a scalar, is NaN or lies outside [1, 4].
    """
    if np.ndim(nrr_value) != 0:
        raise ValueError("nrr_band takes a single value")
    value = float(nrr_value)
    if np.isnan(value):
        raise ValueError("NRR value must not be NaN")
    units = int(_round_half_up(np.asarray(value), 4))
    if not 10000 <= units <= 40000:
        raise ValueError(f"NRR value must lie in [1, 4], got {value!r}")
    for letter, edge in _NRR_EDGES_1E4[:-1]:  # A, B, C; everything else in range is D
        if units >= edge:
            return letter
    return "D"


def band_label(letter: str, lang: str = "en") -> str:
    """Official label of a service-quality band (PermenPANRB 14/2017).

    The official Indonesian term is always kept; ``lang="en"`` appends an
    English gloss in parentheses.

    Args:
        letter: Band letter ``"A"`` to ``"D"``.
        lang: ``"id"`` for the Indonesian label only (e.g. ``"Sangat Baik"``),
            ``"en"`` for label plus gloss (e.g. ``"Sangat Baik (very good)"``).

    Returns:
        The label.

    Raises:
        ValueError: For an unknown band letter or language.
    """
    if letter not in _BAND_LABELS:
        raise ValueError(f"unknown band letter {letter!r}; expected one of A, B, C, D")
    official, gloss = _BAND_LABELS[letter]
    if lang == "id":
        return official
    if lang == "en":
        return f"{official} ({gloss})"
    raise ValueError(f"unknown lang {lang!r}; expected 'en' or 'id'")


def krejcie_morgan(population: ArrayLike) -> np.ndarray | int:
    """Required sample size by Krejcie & Morgan (1970), as used for SKM sampling.

    PermenPANRB 14/2017 refers to the Krejcie & Morgan table for the minimum
    number of SKM respondents given the population (service users) N:

        n = chi2 * N * P * (1 - P) / (d**2 * (N - 1) + chi2 * P * (1 - P))

    with chi2 = 3.841 (1 d.f., 95 %), P = 0.5 and d = 0.05.

    Rounding: the published table (Krejcie & Morgan 1970, Table 1) is
    reproduced by rounding the formula to the *nearest* integer (half-up), not
    by ``ceil``: ``ceil`` is one too high for many rows (e.g. N=50 gives 44.34
    -> table 44, ceil 45; N=500 gives 217.47 -> table 217, ceil 218). Rounding
    to nearest matches every row from N=10 to N=75,000 and the final row
    N=1,000,000 -> 384. Note that many reprints of the table print that last
    row as "100000 384"; the formula gives 382.63 -> 383 for N=100,000 and 384
    is the limit for N -> infinity (384.1), so the reprint is a typo for
    1,000,000.

    Args:
        population: Population size(s) N, non-negative integers (any shape).

    Returns:
        The sample size(s) n with ``0 <= n <= N`` (N=0 gives 0): a Python int
        for scalar input, else an int64 array of the same shape.

    Raises:
        ValueError: If a population is negative, NaN or not integral.
    """
    arr = np.asarray(population)
    pop = arr.astype(float)
    if np.issubdtype(arr.dtype, np.integer):  # whole and finite: only the sign to check
        bad = (arr < 0).any()
    else:
        bad = (~np.isfinite(pop)).any() or (pop != np.round(pop)).any() or (pop < 0).any()
    if bad:
        raise ValueError("population must be non-negative integers")
    chi2, p, d = 3.841, 0.5, 0.05
    # the denominator is at least chi2 P (1 - P) - d**2 > 0.95 for N >= 0; N = 0 gives 0
    raw = chi2 * pop * p * (1 - p) / (d**2 * (pop - 1) + chi2 * p * (1 - p))
    n = np.floor(np.round(raw, 9) + 0.5).astype(np.int64)
    n = np.minimum(n, pop.astype(np.int64))
    return int(n) if n.ndim == 0 else n


def expected_scores_to_ikm(expected_element_scores: ArrayLike) -> np.ndarray | float:
    """The "true" IKM from expected per-element scores (PermenPANRB 14/2017 formula).

    Applies the IKM formula (mean of the nine elements times 25, weight 1/9) to
    expected scores E[score] rather than sample means, giving the population IKM
    that an infinitely large survey would estimate.

    Args:
        expected_element_scores: Floats in [1, 4] with last axis of length 9;
            leading axes are vectorised over.

    Returns:
        IKM in [25, 100] as a float or an array of the leading shape.

    Raises:
        ValueError: If the last axis is not 9 or a value is NaN or outside [1, 4].
    """
    arr = np.asarray(expected_element_scores, dtype=float)
    _check_last_axis(arr, "expected_element_scores")
    if np.isnan(arr).any() or (arr < _SCORE_MIN).any() or (arr > _SCORE_MAX).any():
        raise ValueError(
            f"expected element scores must lie in [{_SCORE_MIN}, {_SCORE_MAX}], "
            f"got min {np.nanmin(arr)!r}, max {np.nanmax(arr)!r}"
        )
    return ikm_from_nrr(arr)


def sample_scores(rng: np.random.Generator, q: ArrayLike, n: int) -> np.ndarray:
    """Draw ``n`` respondents' SKM scores (PermenPANRB 14/2017 four-point scale).

    Each score is ``1 + Binomial(3, q)``, so it lies in 1..4 and
    E[score] = 1 + 3q; the expected IKM is therefore
    ``expected_scores_to_ikm(1 + 3 * q)``.

    Args:
        rng: A numpy ``Generator``; no global random state is used.
        q: Per-element satisfaction propensities in [0, 1], shape ``(9,)``
            (shared by all respondents) or ``(n, 9)`` (one row per respondent).
        n: Number of respondents, >= 0.

    Returns:
        ``int8`` array of shape ``(n, 9)`` with scores in 1..4.

    Raises:
        TypeError: If ``rng`` is not a ``numpy.random.Generator``.
        ValueError: If ``n`` is negative or ``q`` has a wrong shape or values
            outside [0, 1].
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if int(n) != n or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    n = int(n)
    q_arr = np.asarray(q, dtype=float)
    if q_arr.shape not in ((_N_ELEMENTS,), (n, _N_ELEMENTS)):
        raise ValueError(
            f"q must have shape ({_N_ELEMENTS},) or ({n}, {_N_ELEMENTS}), got {q_arr.shape}"
        )
    if np.isnan(q_arr).any() or (q_arr < 0).any() or (q_arr > 1).any():
        raise ValueError("q must lie in [0, 1]")
    draws = rng.binomial(3, q_arr, size=(n, _N_ELEMENTS))
    return (draws + 1).astype(np.int8)


# ------------------------------------------------------------ the survey in the model


def wait_driver(
    wait_days: ArrayLike, standard_days: ArrayLike, tolerance: float, steepness: float
) -> np.ndarray:
    """Driver of U3 (waktu penyelesaian) in [0, 1] for a wait relative to the standard.

    ``1 / (1 + (wait / (standard × tolerance)) ** steepness)``: 1 for an immediate answer,
    one half at ``tolerance`` times the standard; satisfaction follows perceived against
    expected wait (Maister 1985; Davis & Heineke 1998).
    """
    ratio = np.asarray(wait_days, dtype=float) / (
        np.asarray(standard_days, dtype=float) * tolerance
    )
    return 1.0 / (1.0 + ratio**steepness)


def propensities(drivers: np.ndarray, intercept: np.ndarray, slope: np.ndarray) -> np.ndarray:
    """Per-element propensity ``q = clip(intercept + slope × driver, 0, 1)`` (E[score] = 1+3q).

    Args:
        drivers: (..., 9) drivers in [0, 1], in element order U1..U9.
        intercept: (9,) intercepts.
        slope: (9,) slopes.
    """
    return np.clip(intercept + slope * drivers, 0.0, 1.0)


def kinder_answers(q: np.ndarray, shift: float) -> np.ndarray:
    """Propensity of a good answer under a survey regime: ``clip(q + shift, 0, 1)``.

    ``q`` is what an independent surveyor would find; a unit surveying itself, or a
    university partner, hears kinder answers (``shift`` > 0: courtesy to the one asking,
    respondents picked at the counter). Wherever no element reaches 1 the expected IKM rises by
    exactly ``75 × shift`` (E[score] = 1 + 3q, IKM = 25 × mean score).
    """
    return np.clip(q + shift, 0.0, 1.0)


def survey_totals(
    rng: np.random.Generator,
    respondents_by_wait: np.ndarray,
    q_units: np.ndarray,
    q_wait: np.ndarray,
) -> np.ndarray:
    """Draw the summed scores of each unit's respondents, element by element.

    Respondents of one unit with the same wait have the same propensities, so the sum of their
    ``1 + Binomial(3, q)`` scores is ``n + Binomial(3n, q)`` exactly; this draws every unit's
    totals at once without a loop over respondents.

    Args:
        rng: The survey stream.
        respondents_by_wait: (units × days) respondents by days waited.
        q_units: (units × 9) propensities; the U3 column is ignored.
        q_wait: (units × days) U3 propensity for each wait.

    Returns:
        (units × 9) summed scores; divide by the respondent count for the NRR.
    """
    n = respondents_by_wait.sum(axis=1)
    # a binomial of n = 0 draws nothing from the generator, so the draws are made on the
    # units and waits that have respondents alone: the same numbers, in the same order
    asked = np.flatnonzero(n)
    totals = np.repeat(n[:, None], _N_ELEMENTS, axis=1)
    totals[asked] += rng.binomial(3 * n[asked, None], q_units[asked])
    cells = np.flatnonzero(respondents_by_wait)
    count = respondents_by_wait.reshape(-1)[cells]
    u3 = count + rng.binomial(3 * count, q_wait.reshape(-1)[cells])
    unit = cells // respondents_by_wait.shape[1]
    totals[:, ELEMENTS.index("U3")] = np.bincount(unit, u3, len(n)).astype(np.int64)
    return totals
