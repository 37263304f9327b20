"""Indeks Profesionalitas ASN (IP ASN), PermenPANRB 38/2018, computed from the workforce.

The regulation scores each civil servant on four dimensions whose maxima are their weights:
qualification 25, competency 40, performance 30, discipline 5 (DOMAIN.md), so a person's
index is the sum of the four scores (0-100) and an agency's index the mean over its PNS. The
bands are Sangat Tinggi 91-100, Tinggi 81-90, Sedang 71-80, Rendah 61-70, Sangat Rendah
<= 60.

What the model knows of each dimension, and how it is scored here:

- **qualification**: the highest education, with the regulation's points (S3 25, S2 20,
  S1/D4 15, D3 10, SLTA 5; DOMAIN.md);
- **competency**: the regulation counts the competency development a person completed; the
  model's record of it is the JP of the year against the 20-JP right (PP 11/2017), so the
  score is ``40 × min(1, JP / 20)``;
- **performance**: the year's rating (predikat, PermenPANRB 6/2022) scored Sangat Baik 30,
  Baik 25, Butuh Perbaikan 20, Kurang 15, Sangat Kurang 5: the points BKN's instrument gives
  the five ratings of the former PP 46/2011 (sangat baik ... buruk), read across to the
  2022 predikat (not in DOMAIN.md: low confidence, to be checked against Peraturan BKN
  8/2019);
- **discipline**: the model has no disciplinary sanctions, so every PNS scores the expected
  ``5 × (1 − discipline_sanctioned_share)`` (an assumption).

Only rated PNS are measured (the IP ASN covers PNS; a newcomer has no rating yet).
"""

from __future__ import annotations

import numpy as np

from asnsim.vocab import EDUCATION_LEVELS, JP_RIGHT_PER_YEAR

__all__ = [
    "BANDS",
    "PERFORMANCE_POINTS",
    "QUALIFICATION_POINTS",
    "WEIGHTS",
    "ip_asn",
    "ip_asn_band",
    "ip_asn_scores",
]

WEIGHTS = {"qualification": 25.0, "competency": 40.0, "performance": 30.0, "discipline": 5.0}
"""Weight (= most points) of each dimension, PermenPANRB 38/2018 (DOMAIN.md)."""

QUALIFICATION_POINTS = {"s3": 25.0, "s2": 20.0, "s1": 15.0, "d3": 10.0, "slta": 5.0}
"""Points of the qualification dimension by education (PermenPANRB 38/2018, DOMAIN.md)."""

PERFORMANCE_POINTS = (5.0, 15.0, 20.0, 25.0, 30.0)
"""Points of the performance dimension by rating index, worst first (the order of
``asnsim.policies.appraisal.PREDIKAT``: Sangat Kurang, Kurang, Butuh Perbaikan, Baik,
Sangat Baik); low confidence, see the module docstring."""


BANDS = (("Sangat Tinggi", 91), ("Tinggi", 81), ("Sedang", 71), ("Rendah", 61))
"""Lower edges of the IP ASN bands; below 61 is Sangat Rendah (PermenPANRB 38/2018)."""


def ip_asn_scores(
    education: np.ndarray,
    jp_year: np.ndarray,
    rating: np.ndarray,
    sanctioned_share: float,
) -> dict[str, np.ndarray]:
    """Each person's score on the four dimensions (NaN performance where not rated).

    Args:
        education: Index into ``EDUCATION_LEVELS`` per person.
        jp_year: JP of development this year per person.
        rating: Index into the appraisal's ``PREDIKAT`` per person, -1 if not rated.
        sanctioned_share: Share of PNS with a disciplinary sentence (they score 0 of 5).

    Returns:
        ``qualification``, ``competency``, ``performance``, ``discipline`` arrays.
    """
    qual = np.array([QUALIFICATION_POINTS[e] for e in EDUCATION_LEVELS])
    perf = np.array(PERFORMANCE_POINTS)
    rating = np.asarray(rating)
    rated = rating >= 0
    n = len(rating)
    return {
        "qualification": qual[np.asarray(education)],
        "competency": WEIGHTS["competency"]
        * np.minimum(1.0, np.asarray(jp_year, dtype=float) / JP_RIGHT_PER_YEAR),
        "performance": np.where(rated, perf[np.where(rated, rating, 0)], np.nan),
        "discipline": np.full(n, WEIGHTS["discipline"] * (1.0 - sanctioned_share)),
    }


def ip_asn(
    education: np.ndarray,
    jp_year: np.ndarray,
    rating: np.ndarray,
    sanctioned_share: float,
) -> dict[str, float | str]:
    """The IP ASN of a group of PNS: the mean over its rated members, and each dimension.

    Arguments as :func:`ip_asn_scores`.

    Returns:
        ``ip_asn`` (0-100), ``ip_asn_band``, and ``ip_asn_<dimension>`` (its mean points);
        NaN (band '') when nobody is rated.
    """
    scores = ip_asn_scores(education, jp_year, rating, sanctioned_share)
    rated = np.asarray(rating) >= 0
    if not rated.any():
        return {"ip_asn": np.nan, "ip_asn_band": ""} | {f"ip_asn_{k}": np.nan for k in WEIGHTS}
    means = {k: float(v[rated].mean()) for k, v in scores.items()}
    total = sum(means.values())
    return {"ip_asn": total, "ip_asn_band": ip_asn_band(total)} | {
        f"ip_asn_{k}": v for k, v in means.items()
    }


def ip_asn_band(value: float) -> str:
    """Band of an IP ASN value, rounded half-up to a whole point first (the bands are whole)."""
    points = np.floor(value + 0.5)
    for name, edge in BANDS:
        if points >= edge:
            return name
    return "Sangat Rendah"
