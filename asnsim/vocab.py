"""The civil service's vocabulary: position types, education and functional levels, ranks.

These tuples fix the order of categorical codes everywhere (a position, education level,
functional level or rank is stored as its index here). They are regulation, not assumptions,
and import nothing of the package, so every module may import them.
"""

from __future__ import annotations

__all__ = [
    "JP_RIGHT_PER_YEAR",
    "EDUCATION_LEVELS",
    "FUNCTIONAL_LEVELS",
    "MANAGERIAL_POSITIONS",
    "POSITION_TYPES",
    "RANK_NAMES",
    "TRAINING_MODES",
]

POSITION_TYPES = ("jpt", "administrator", "pengawas", "fungsional", "pelaksana")
"""Position types of UU 20/2023: managerial (JPT, administrator, pengawas) and not."""

MANAGERIAL_POSITIONS = ("jpt", "administrator", "pengawas")
"""The managerial position types (UU 20/2023 art. 13: JPT, administrator, pengawas)."""

EDUCATION_LEVELS = ("slta", "d3", "s1", "s2", "s3")
"""Education levels, lowest first (SLTA = upper secondary, D3 diploma, S1/S2/S3 degrees)."""

FUNCTIONAL_LEVELS = ("keterampilan", "ahli_pertama", "ahli_muda", "ahli_madya", "ahli_utama")
"""Levels of functional (fungsional) posts; they set the retirement age (PP 11/2017)."""

RANK_NAMES = tuple(
    f"{g}/{r}"
    for g, rs in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
    for r in rs
)
"""PNS ranks (golongan/ruang) I/a ... IV/e, lowest first; a rank is its index here."""

TRAINING_MODES = (
    "classroom",
    "workshop",
    "seminar",
    "e_learning",
    "coaching",
    "mentoring",
    "partnership",
)
"""Forms of competency development that count toward a person's JP (PerLAN 10/2018: classical
training, workshops and seminars; non-classical e-learning, coaching and mentoring), plus
``partnership``: a classical course run with a university or NGO (Palembang paper, seed 002)."""


JP_RIGHT_PER_YEAR = 20
"""JP of competency development every PNS has a right to each year (PP 11/2017;
PerLAN 5/2018; DOMAIN.md): ``jp20_share`` is the share of PNS who reached it, and it fills
the competency dimension of the Indeks Profesionalitas ASN."""
