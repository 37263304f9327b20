"""A planner's own employee roster as the model's starting workforce.

:func:`load_roster` reads a CSV or Excel (``.xlsx``) file with columns like those BKN's SIASN
holds for each employee (Peraturan BKN 7/2023; DOMAIN.md) and returns a :class:`Roster`
whose ``people`` has exactly the columns of :func:`asnsim.workforce.draw_people`, so it can
stand in for the synthetic start workforce.

Canonical columns (``mapping`` maps them to the file's own headers; common Indonesian header
spellings are recognised without it):

============== ==========================================================================
``nip``          NIP (18 digits). Hashed with a salt into ``employee_key``, never stored.
``nama``         name. Only read so that it can be kept out of messages; never stored.
``tanggal_lahir`` date of birth; read from the NIP (its first 8 digits) when absent.
``golongan``     rank ``I/a`` ... ``IV/e`` (also ``III/A``, ``3a``, ``Penata Muda (III/a)``);
                 a PPPK pay grade ``I`` ... ``XVII`` (or 1-17) counts as the rank of the same
                 step (grade IX = III/a), as :mod:`asnsim.workforce` treats PPPK.
``jenis_jabatan`` JPT / administrator / pengawas / fungsional / pelaksana, in the usual
                 spellings ("Jabatan Fungsional", "JPT Pratama", "Eselon III", ...).
``jenjang``      functional level (Ahli Pertama/Muda/Madya/Utama; Pemula, Terampil, Mahir,
                 Penyelia are the keterampilan levels); read for fungsional staff only.
``unit_kerja``   the unit: one of the scenario's expanded unit names ("Puskesmas 3").
``pendidikan``   SLTA/SMA/SMK, D3, S1/D4, S2, S3 (see ``EDUCATION_SPELLINGS``).
``jurusan``      field of study, mapped to the scenario's fields by ``FIELD_KEYWORDS``.
``status``       PNS or PPPK.
``tmt_cpns``     start of service; read from the NIP (digits 9-14) when absent.
============== ==========================================================================

Ages and years of service are counted at ``as_of``, the date of the roster, which is the
run's day 0 (the scenario has no calendar date of its own).

``unit_kerja`` is required, and at least one of ``nip`` / ``tanggal_lahir``. Any other
missing column is drawn from the city profile exactly as ``draw_people`` draws it, with one
:class:`RosterWarning` naming the columns. Rows that cannot be used (impossible dates, unknown
ranks, position types, units, education levels or statuses, a repeated NIP) are all collected
with their spreadsheet row number (header = row 1), column and value; ``strict=True`` raises
:class:`RosterError` listing them, the default skips them and :class:`RosterReport` says how
many and why. Every non-blank input row is either in ``people`` or in the report.

Personal data: names are read only to keep them out of messages, and NIPs only to derive
dates and the salted key. Neither appears in the :class:`Roster`, its ``repr``, the report or
the CLI's output (a NIP cell shown in the report is masked, and so is any reported value that
equals a NIP or a name of the file).

The command ``asnsim roster import FILE --scenario SCENARIO.yaml`` is :func:`add_parser` and
:func:`run`.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import re
import secrets
import sys
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from asnsim.rng import stream
from asnsim.scenario import (
    EDUCATION_LEVELS,
    FUNCTIONAL_LEVELS,
    POSITION_TYPES,
    Scenario,
    ScenarioError,
    load_scenario,
)
from asnsim.units import build_units
from asnsim.workforce import (
    _ENTRY_RANK,
    _RANK_CAP,
    PPPK,
    RANK_NAMES,
    _draw_fields,
    draw_people,
    qualification_table,
    retirement_age,
)

__all__ = [
    "CANONICAL_COLUMNS",
    "EDUCATION_SPELLINGS",
    "FIELD_KEYWORDS",
    "HEADER_ALIASES",
    "Roster",
    "RosterError",
    "RosterReport",
    "RosterWarning",
    "RowProblem",
    "add_parser",
    "employee_key",
    "load_roster",
    "run",
]

SALT_ENV = "ASNSIM_ROSTER_SALT"
"""Environment variable read for the salt when ``load_roster`` is given none."""

MIN_AGE = 18.0
"""Minimum age of an ASN (PP 11/2017 art. 23: applicants are at least 18)."""

# --------------------------------------------------------------------------- tables

CANONICAL_COLUMNS = (
    "nip",
    "nama",
    "tanggal_lahir",
    "golongan",
    "jenis_jabatan",
    "jenjang",
    "unit_kerja",
    "pendidikan",
    "jurusan",
    "status",
    "tmt_cpns",
)
"""The columns a roster may have, by their canonical (SIASN-like) names."""

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    # headers are compared lower-case with punctuation and underscores read as spaces
    "nip": ("nip", "nip baru", "nomor induk pegawai", "ni pppk", "nip ni pppk"),
    "nama": ("nama", "nama lengkap", "nama pegawai", "nama asn"),
    "tanggal_lahir": ("tanggal lahir", "tgl lahir", "tgl lhr", "tanggal lhr"),
    "golongan": ("golongan", "gol", "golongan ruang", "gol ruang", "pangkat golongan"),
    "jenis_jabatan": ("jenis jabatan", "jenis jab", "jabatan jenis", "tipe jabatan"),
    "jenjang": ("jenjang", "jenjang jabatan", "jenjang fungsional", "kelas jabatan jenjang"),
    "unit_kerja": ("unit kerja", "unor", "unit organisasi", "unit", "satuan kerja", "satker"),
    "pendidikan": (
        "pendidikan",
        "tingkat pendidikan",
        "pendidikan terakhir",
        "jenjang pendidikan",
    ),
    "jurusan": ("jurusan", "program studi", "prodi", "jurusan pendidikan", "bidang studi"),
    "status": ("status", "status pegawai", "status asn", "jenis asn", "jenis pegawai"),
    "tmt_cpns": ("tmt cpns", "tmt pns", "tmt pengangkatan", "tmt pppk"),
}
"""Header spellings recognised for each canonical column without a ``mapping``."""

_EDUCATION_WORDS = {
    # compared lower-case with spaces and punctuation removed ("D-III" -> "diii", "S-1" -> "s1")
    "slta": "slta sma smu smk stm smea ma man spk paketc sltasederajat smasederajat"
    # below upper secondary: the model's lowest level (BKN counts SD-SMA as one group)
    " sd smp sltp mts paketa paketb",
    # diplomas D1-D3 (BKN groups D1-D4; D4 counts as S1 in the Indeks Profesionalitas)
    "d3": "d3 diii diploma3 diplomaiii d2 dii diploma2 diplomaii d1 di diploma1 diplomai "
    "sarjanamuda akademi",
    "s1": "s1 strata1 sarjana d4 div diploma4 diplomaiv profesi ners s1profesi",
    "s2": "s2 strata2 magister master spesialis sp1",
    "s3": "s3 strata3 doktor doktoral phd sp2",
}
EDUCATION_SPELLINGS: dict[str, str] = {
    word: level for level, words in _EDUCATION_WORDS.items() for word in words.split()
}
"""Spellings of the education levels (``pendidikan``), mapped to ``EDUCATION_LEVELS``."""

FIELD_KEYWORDS: tuple[tuple[str, str], ...] = (
    # First match wins; a keyword matches the start of a word of the jurusan, lower-case.
    # information technology before "teknik" and "manajemen" (Teknik/Manajemen Informatika)
    ("informatika", "information_technology"),
    ("sistem informasi", "information_technology"),
    ("ilmu komputer", "information_technology"),
    ("komputer", "information_technology"),
    ("teknologi informasi", "information_technology"),
    # health before "pendidikan" (the medical degree is "Pendidikan Dokter")
    ("kesehatan", "health"),  # Kesehatan Masyarakat, Kesehatan Lingkungan, Analis Kesehatan
    ("kedokteran", "health"),
    ("dokter", "health"),
    ("keperawatan", "health"),
    ("perawat", "health"),
    ("ners", "health"),
    ("kebidanan", "health"),
    ("bidan", "health"),
    ("farmasi", "health"),
    ("apoteker", "health"),
    ("gizi", "health"),
    ("fisioterapi", "health"),
    ("rekam medis", "health"),
    ("radiologi", "health"),
    ("epidemiologi", "health"),
    # education: teacher training
    ("pendidikan", "education"),  # Pendidikan Matematika, Pendidikan Guru SD, ...
    ("keguruan", "education"),
    ("pgsd", "education"),
    ("pgmi", "education"),
    ("paud", "education"),
    ("tarbiyah", "education"),
    ("bimbingan konseling", "education"),
    # law
    ("hukum", "law"),
    ("syariah", "law"),
    # administration and government
    ("administrasi", "administration"),
    ("pemerintahan", "administration"),
    ("kebijakan publik", "administration"),
    ("perkantoran", "administration"),
    ("kesekretariatan", "administration"),
    ("sekretari", "administration"),
    ("kearsipan", "administration"),
    # economics and business
    ("ekonomi", "economics"),
    ("akuntansi", "economics"),
    ("manajemen", "economics"),
    ("keuangan", "economics"),
    ("perbankan", "economics"),
    ("perpajakan", "economics"),
    ("bisnis", "economics"),
    ("pemasaran", "economics"),
    # social sciences
    ("sosial", "social_science"),  # Kesejahteraan Sosial, Ilmu Sosial
    ("sosiologi", "social_science"),
    ("psikologi", "social_science"),
    ("komunikasi", "social_science"),
    ("politik", "social_science"),
    ("hubungan internasional", "social_science"),
    ("antropologi", "social_science"),
    # engineering
    ("teknik", "engineering"),  # Teknik Sipil, Teknik Lingkungan, Teknik Mesin, ...
    ("arsitektur", "engineering"),
    ("planologi", "engineering"),
    ("perencanaan wilayah", "engineering"),
    ("geodesi", "engineering"),
    ("sipil", "engineering"),
    # everything else the model does not tell apart
    ("pertanian", "other"),
    ("agro", "other"),  # Agroteknologi, Agronomi
    ("agribisnis", "other"),
    ("peternakan", "other"),
    ("kehutanan", "other"),
    ("perikanan", "other"),
    ("ipa", "other"),  # upper-secondary streams (SMA IPA / IPS / Bahasa)
    ("ips", "other"),
    ("bahasa", "other"),
    ("umum", "other"),
)
"""Default mapping of a field of study (``jurusan``) to the scenario's field names.

Values the table does not match go to ``other`` (when the scenario has that field) and are
listed in the report; ``load_roster(..., fields={"Ilmu Pemerintahan": "law"})`` overrides it.
"""

_PANGKAT = {
    "juru muda": 0,
    "juru muda tingkat i": 1,
    "juru": 2,
    "juru tingkat i": 3,
    "pengatur muda": 4,
    "pengatur muda tingkat i": 5,
    "pengatur": 6,
    "pengatur tingkat i": 7,
    "penata muda": 8,
    "penata muda tingkat i": 9,
    "penata": 10,
    "penata tingkat i": 11,
    "pembina": 12,
    "pembina tingkat i": 13,
    "pembina utama muda": 14,
    "pembina utama madya": 15,
    "pembina utama": 16,
}
_ROMAN_NUMERALS = "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII"
_ROMAN = {r: i + 1 for i, r in enumerate(_ROMAN_NUMERALS.split())}
_MONTHS = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "february", "feb", "pebruari"), 2),
    **dict.fromkeys(("maret", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "aug", "agu", "agt", "ags"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nov", "nop", "nopember"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}


# --------------------------------------------------------------------------- results


class RosterWarning(UserWarning):
    """Columns (or cells) of a roster were filled from the city profile."""


class RosterError(ValueError):
    """A roster that cannot be used as asked; ``problems`` lists every reason."""

    def __init__(self, problems: list[Any], source: str | None = None):
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        rows = {p.row for p in self.problems if isinstance(p, RowProblem)}
        in_rows = f" in {len(rows)} rows" if rows else ""
        if len(self.problems) == 1:
            text = f"{head}{self.problems[0]}"
        else:
            text = f"{head}{len(self.problems)} problems{in_rows}\n" + "\n".join(
                f"  {p}" for p in self.problems
            )
        super().__init__(text)


@dataclass(frozen=True)
class RowProblem:
    """Why a row cannot be used: spreadsheet row (header = 1), column, value, reason."""

    row: int
    column: str  # the file's header
    value: str  # the cell as read; masked for NIP cells and personal values
    reason: str  # short and stable, e.g. "date in the future"; counted in the report
    detail: str = ""  # what was expected, or the numbers behind the reason

    def __str__(self) -> str:
        more = f" ({self.detail})" if self.detail else ""
        return f"row {self.row}, {self.column} = {self.value!r}: {self.reason}{more}"


@dataclass
class RosterReport:
    """What happened to every row of the file; holds no names and no NIPs."""

    source: str
    rows_read: int = 0  # non-blank rows below the header
    rows_used: int = 0
    blank_rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    filled_columns: list[str] = field(default_factory=list)  # absent, drawn from the profile
    filled_cells: dict[str, int] = field(default_factory=dict)  # blank cells drawn, by column
    columns: dict[str, str] = field(default_factory=dict)  # canonical -> the file's header
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def skipped_rows(self) -> list[int]:
        """Row numbers (as in a spreadsheet) of the rows left out."""
        return sorted({p.row for p in self.problems})

    @property
    def rows_skipped(self) -> int:
        """Number of rows left out."""
        return len(self.skipped_rows)

    def skipped_by_reason(self) -> dict[str, int]:
        """Rows left out per reason (a row with two reasons counts under each)."""
        seen = {(p.row, p.reason) for p in self.problems}
        return dict(sorted(Counter(r for _, r in seen).items(), key=lambda kv: (-kv[1], kv[0])))

    def to_dict(self) -> dict[str, Any]:
        """Counts only (no values, no row contents): safe to write next to results."""
        by_column = Counter(p.column for p in self.problems)
        return {
            "source": self.source,
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_skipped": self.rows_skipped,
            "blank_rows": self.blank_rows,
            "skipped_by_reason": self.skipped_by_reason(),
            "problems_by_column": dict(sorted(by_column.items())),
            "columns_filled_from_profile": list(self.filled_columns),
            "blank_cells_filled": dict(self.filled_cells),
            "columns": dict(self.columns),
            "ignored_columns": list(self.ignored_columns),
        }

    def summary(self) -> str:
        """The report in plain words, one problem per line."""
        lines = [
            f"{self.source}: {self.rows_read} rows read, {self.rows_used} used, "
            f"{self.rows_skipped} skipped"
            + (f" ({self.blank_rows} blank rows ignored)" if self.blank_rows else "")
        ]
        if self.problems:
            reasons = ", ".join(f"{r}: {n}" for r, n in self.skipped_by_reason().items())
            lines.append(f"skipped rows by reason: {reasons}")
            lines += [f"  {p}" for p in self.problems]
        if self.filled_columns:
            lines.append("columns filled from the city profile: " + ", ".join(self.filled_columns))
        if self.filled_cells:
            cells = ", ".join(f"{c} ({n})" for c, n in self.filled_cells.items())
            lines.append(f"blank cells filled from the city profile: {cells}")
        if self.ignored_columns:
            lines.append("columns not used: " + ", ".join(self.ignored_columns))
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    __str__ = summary


@dataclass(repr=False)
class Roster:
    """A roster turned into the model's start workforce, with no personal data in it.

    Attributes:
        people: Column arrays with exactly the keys and dtypes of ``draw_people``.
        employee_key: Per person, ``sha256(salt + NIP)`` as 16 hex digits ("" without NIP).
        report: Rows read, used, skipped (with reasons), columns filled.
        rows: Per person, the spreadsheet row (header = 1) it came from.
        unit_names: The scenario's expanded unit names (``people["unit"]`` indexes them).
        formation: Posts per unit at the scenario's scale.
        field_names: The scenario's fields of study (``people["field"]`` indexes them).
        as_of: Date at which ages and years of service were computed (the run's day 0).
        scenario_name: Name of the scenario the roster was read for.
        scale: The scenario's scale (the formation is at it).
        salted: Whether a salt was given (keys stable across imports) or drawn at random.
    """

    people: dict[str, np.ndarray]
    employee_key: np.ndarray
    report: RosterReport
    rows: np.ndarray
    unit_names: list[str]
    formation: np.ndarray
    field_names: list[str]
    as_of: date
    scenario_name: str
    scale: float = 1.0
    salted: bool = True

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        r = self.report
        return (
            f"Roster(source={r.source!r}, scenario={self.scenario_name!r}, "
            f"as_of={self.as_of.isoformat()}, people={len(self)}, rows_read={r.rows_read}, "
            f"rows_skipped={r.rows_skipped}, filled_columns={r.filled_columns})"
        )

    def headcount_by_unit(self) -> np.ndarray:
        """People per unit (index as ``unit_names``)."""
        return np.bincount(self.people["unit"], minlength=len(self.unit_names))

    def summary(self) -> dict[str, Any]:
        """Counts only: the report's counts, the make-up and headcount vs formation per unit."""
        p = self.people

        def counts(values: np.ndarray, names) -> dict[str, int]:
            c = np.bincount(values.astype(np.int64), minlength=len(names))
            return {str(n): int(k) for n, k in zip(names, c, strict=True)}

        staff = self.headcount_by_unit()
        levels = p["level"][p["level"] >= 0]
        out = self.report.to_dict()
        out.update(
            {
                "scenario": self.scenario_name,
                "scale": self.scale,
                "as_of": self.as_of.isoformat(),
                "headcount": int(len(self)),
                "formation": int(self.formation.sum()),
                "by_status": counts(p["status"], ("PNS", "PPPK")),
                "by_position": counts(p["position"], POSITION_TYPES),
                "by_functional_level": counts(levels, FUNCTIONAL_LEVELS),
                "by_education": counts(p["education"], EDUCATION_LEVELS),
                "by_field": counts(p["field"], self.field_names),
                "by_rank": counts(p["rank"], RANK_NAMES),
                "mean_age": round(float(p["age"].mean()), 2) if len(self) else None,
                "units": [
                    {"unit": n, "headcount": int(s), "formation": int(f)}
                    for n, s, f in zip(self.unit_names, staff, self.formation, strict=True)
                ],
            }
        )
        return out

    def format_summary(self) -> str:
        """The report and the headcount of each unit against its formation, as text."""
        staff = self.headcount_by_unit()
        width = max([len(n) for n in self.unit_names] + [4])
        total_f = int(self.formation.sum())
        lines = [
            self.report.summary(),
            "",
            f"scenario '{self.scenario_name}', ages at {self.as_of.isoformat()}: "
            f"{len(self)} people in {int((staff > 0).sum())} of {len(self.unit_names)} units, "
            f"formation {total_f} ({100 * len(self) / max(total_f, 1):.1f}% filled)",
        ]
        if total_f and not 0.5 <= len(self) / total_f <= 1.5:
            fit = self.scale * len(self) / (0.9 * total_f)
            lines.append(
                f"hint: is the scenario's scale ({self.scale:g}) right for this roster? "
                f"About {fit:.2g} would fill 90% of the posts."
            )
        lines += ["", f"{'unit':<{width}} {'staff':>6} {'posts':>6} {'fill':>6}"]
        for name, s, f in zip(self.unit_names, staff, self.formation, strict=True):
            lines.append(f"{name:<{width}} {int(s):>6} {int(f):>6} {s / max(f, 1):>6.0%}")
        return "\n".join(lines)


def employee_key(nip: str, salt: str) -> str:
    """Salted key of an employee: the first 16 hex digits of ``sha256(salt + NIP)``.

    ``load_roster`` passes the NIP's digits only (spaces, dots and dashes removed), so the
    same NIP written two ways gets the same key.
    """
    return hashlib.sha256((salt + nip).encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- parsing cells


def _norm(text: Any) -> str:
    """Lower-case, punctuation and underscores as single spaces."""
    return re.sub(r"[\W_]+", " ", str(text).lower()).strip()


def _compact(text: Any) -> str:
    return re.sub(r"[\W_]+", "", str(text).lower())


def _years_between(start: date, end: date) -> float:
    """Years from ``start`` to ``end``: whole birthdays passed plus the share of the next."""
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    last = _add_years(start, years)
    nxt = _add_years(start, years + 1)
    return years + (end - last).days / (nxt - last).days


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def parse_date(value: Any) -> date | None:
    """A date from a cell, or None if it is not a real date.

    Read: ISO ``1980-05-17``, day-first ``17-05-1980`` / ``17/05/1980`` / ``17.05.1980``,
    ``17 Mei 1980`` (Indonesian or English month), ``19800517``, an Excel date or serial.
    Returns None when the cell is not a real date (e.g. ``31-02-1980``) or has a two-digit
    year.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, int) and 19000101 <= value <= 22001231:
            return parse_date(str(value))
        if 1 < value < 80000:  # an Excel serial day number
            return date(1899, 12, 30) + timedelta(days=int(value))
        return None
    s = str(value).strip()
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    elif m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", s):
        d, mo, y = (int(g) for g in m.groups())
    elif m := re.fullmatch(r"(\d{1,2})[-\s]+([A-Za-z]+)\.?[-\s]+(\d{4})", s):
        mo = _MONTHS.get(m.group(2).lower())
        if mo is None:
            return None
        d, y = int(m.group(1)), int(m.group(3))
    elif m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s):
        y, mo, d = (int(g) for g in m.groups())
    else:
        return None
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def parse_rank(value: Any) -> int | None:
    """Index into ``RANK_NAMES`` of a golongan or PPPK grade; None if not recognised.

    Read: ``III/a``, ``3a``, ``Penata (III/c)``, ``Penata Muda Tk. I``; a PPPK grade ``IX``
    or ``9`` is the rank of the same step (grade IX = III/a).
    """
    s = str(value).strip()
    inner = re.search(r"\(([^)]*)\)", s)
    if inner:
        s = inner.group(1).strip()
    m = re.fullmatch(r"(IV|III|II|I|[1-4])\s*[/\-.]?\s*([A-Ea-e])", s, flags=re.IGNORECASE)
    if m:
        g = m.group(1).upper()
        group = {"I": 1, "II": 2, "III": 3, "IV": 4}.get(g) or int(g)
        letter = "abcde".index(m.group(2).lower())
        if letter == 4 and group != 4:
            return None
        return (group - 1) * 4 + letter
    grade = _ROMAN.get(s.upper()) if s.isalpha() else None
    if grade is None and s.isdigit() and 1 <= int(s) <= 17:
        grade = int(s)
    if grade is not None:
        return grade - 1
    name = _norm(s).replace("tk i", "tingkat i").replace("tkt i", "tingkat i")
    return _PANGKAT.get(name)


def parse_position(value: Any) -> int | None:
    """Index into ``POSITION_TYPES`` of a jenis jabatan; None if not recognised.

    Read: "Jabatan Fungsional", "JPT Pratama", "Eselon III.a", "Fungsional Umum" (the old
    name of pelaksana posts), "Pelaksana" ...
    """
    s = _norm(value)
    s = re.sub(r"^jabatan\s+", "", s)
    m = re.match(r"eselon\s+(iv|iii|ii|i|[1-4])\b", s)
    if m:
        return POSITION_TYPES.index(
            {"i": "jpt", "1": "jpt", "ii": "jpt", "2": "jpt", "iii": "administrator",
             "3": "administrator", "iv": "pengawas", "4": "pengawas"}[m.group(1)]
        )  # fmt: skip
    rules = (
        (r"(jpt|pimpinan tinggi)\b", "jpt"),
        (r"administrator\b", "administrator"),
        (r"pengawas\b", "pengawas"),
        (r"(fungsional umum|jfu)\b", "pelaksana"),  # the old name of pelaksana posts
        (r"(fungsional|jft|jf)\b", "fungsional"),
        (r"pelaksana\b", "pelaksana"),
    )
    for pattern, name in rules:
        if re.match(pattern, s):
            return POSITION_TYPES.index(name)
    return None


def parse_level(value: Any) -> int | None:
    """Index into ``FUNCTIONAL_LEVELS`` of a jenjang (Ahli Muda, Terampil, Penyelia ...)."""
    s = _norm(value)
    s = re.sub(r"^(jabatan\s+)?(fungsional\s+)?(jenjang\s+)?", "", s)
    for word in ("utama", "madya", "muda", "pertama"):
        if re.fullmatch(rf"(ahli\s+)?{word}", s):
            return FUNCTIONAL_LEVELS.index(f"ahli_{word}")
    if re.match(r"(keterampilan|terampil|mahir|penyelia|pemula|pelaksana)\b", s):
        return FUNCTIONAL_LEVELS.index("keterampilan")
    return None


def parse_education(value: Any) -> int | None:
    """Index into ``EDUCATION_LEVELS`` of a pendidikan value (see ``EDUCATION_SPELLINGS``)."""
    level = EDUCATION_SPELLINGS.get(_compact(value))
    return None if level is None else EDUCATION_LEVELS.index(level)


def parse_status(value: Any) -> int | None:
    """0 PNS (also CPNS), 1 PPPK (also P3K); None for anything else (honorer, THL ...)."""
    s = _norm(value)
    if s in ("pns", "cpns", "pegawai negeri sipil", "calon pegawai negeri sipil", "calon pns"):
        return 0
    if re.match(r"(pppk|p3k|pegawai pemerintah dengan perjanjian kerja)\b", s):
        return 1
    return None


def match_field(value: Any, field_names: list[str], overrides: dict[str, str]) -> int | None:
    """Index into ``field_names`` of a jurusan, by ``overrides`` then ``FIELD_KEYWORDS``."""
    s = _norm(value)
    if s in overrides:
        return field_names.index(overrides[s])
    for keyword, name in FIELD_KEYWORDS:
        if re.search(rf"\b{keyword}", s) and name in field_names:
            return field_names.index(name)
    return None


def _nip_digits(value: Any) -> str:
    return re.sub(r"[\s.\-]", "", str(value).strip())


def _nip_dates(nip: str) -> tuple[date | None, date | None]:
    """Birth date and start of service held in an 18-digit NIP.

    A PNS NIP is birth date (8 digits), TMT CPNS year and month (6), sex (1) and a serial
    (3). In a PPPK number the two digits after the year are not a month (a code); then only
    the year is read and the start of service is taken as 1 July of that year (assumption).
    """
    if not re.fullmatch(r"\d{18}", nip):
        return None, None
    born = parse_date(nip[:8])
    year, month = int(nip[8:12]), int(nip[12:14])
    start = None
    if 1900 < year < 2200:
        try:
            start = date(year, month if 1 <= month <= 12 else 7, 1)
        except ValueError:
            start = None
    return born, start


# --------------------------------------------------------------------------- reading files


def _read_rows(path: Path) -> tuple[list[tuple[int, list[Any]]], bool]:
    """Every row of the file as (spreadsheet row number, cells); whether NIPs were numbers."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".xls", ".ods"):
        raise RosterError([f"{suffix} files are not read; save the sheet as .xlsx or .csv"])
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t", "|"), key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(i, row) for i, row in enumerate(reader, start=1)], False


def _read_xlsx(path: Path) -> tuple[list[tuple[int, list[Any]]], bool]:
    try:
        import openpyxl
    except ImportError as err:
        raise ImportError(
            "reading .xlsx rosters needs openpyxl, which is not installed: "
            "run `.venv/bin/pip install openpyxl` (or save the sheet as CSV)"
        ) from err
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # zip or XML errors of a damaged file
        raise RosterError([f"not a readable .xlsx file ({type(err).__name__}: {err})"]) from err
    try:
        sheet = book.worksheets[0]
        rows = [(i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    numeric = False
    for i, row in enumerate(rows):
        cells = []
        for v in row[1]:
            if v is None:
                cells.append("")
            elif isinstance(v, datetime | date):
                cells.append(v)
            elif isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer():
                cells.append(int(v))
                numeric = numeric or abs(v) >= 1e15  # an 18-digit NIP stored as a number
            else:
                cells.append(v)
        rows[i] = (row[0], cells)
    return rows, numeric


def _cell_text(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value).strip()


# --------------------------------------------------------------------------- loading


def load_roster(
    path: str | Path,
    scenario: Scenario | str | Path,
    mapping: dict[str, str] | None = None,
    strict: bool = False,
    salt: str | None = None,
    day: int = 0,
    rng: np.random.Generator | int | None = None,
    *,
    as_of: date | str | None = None,
    fields: dict[str, str] | None = None,
) -> Roster:
    """Read an employee roster (CSV or .xlsx) as the starting workforce of ``scenario``.

    Args:
        path: The roster file; the first non-blank row holds the headers.
        scenario: The scenario (or its YAML file) whose units and profile the roster fills.
        mapping: Canonical column name (``CANONICAL_COLUMNS``) → the file's header, for
            headers not in ``HEADER_ALIASES``.
        strict: Raise :class:`RosterError` on any bad row instead of skipping it.
        salt: Secret prefixed to the NIP before hashing into ``employee_key``; keep it to
            follow employees across imports. Default: ``$ASNSIM_ROSTER_SALT``, else random
            (keys then match within this import only).
        day: Model day the roster describes (hire and posting days are counted from it).
        rng: Generator (or seed) for what the roster does not hold; default the scenario's
            ``workforce`` stream, the one the model draws its synthetic workforce from.
        as_of: Date of the roster (the run's day 0): ages and years of service are computed
            at it; a date or ``YYYY-MM-DD``; default today.
        fields: Overrides of ``FIELD_KEYWORDS``: exact jurusan → the scenario's field name.

    Returns:
        The :class:`Roster`.

    Raises:
        RosterError: An unreadable file, a wrong ``mapping``, missing required columns, or
            (``strict``) any bad row, listing every problem.
        ImportError: An .xlsx file without openpyxl installed (the message says how).
    """
    path = Path(path)
    source = path.name
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if isinstance(as_of, str):
        as_of = date.fromisoformat(as_of)
    as_of = as_of or date.today()
    if rng is None:
        rng = stream(scenario.seed, "workforce")
    elif not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(rng)
    units = build_units(scenario)
    field_names, _ = qualification_table(scenario)
    overrides = _field_overrides(fields, field_names, source)

    try:
        raw_rows, numeric_nip = _read_rows(path)
    except (OSError, UnicodeError, csv.Error) as err:
        raise RosterError([f"cannot read the file ({err})"], source) from err
    except RosterError as err:
        raise RosterError(err.problems, source) from err

    table = [(i, row) for i, row in raw_rows if any(_cell_text(c) for c in row)]
    if not table:
        raise RosterError(["the file has no header row"], source)
    # the header row: the first row naming the unit column (a title may stand above it)
    unit_names = {_norm(h) for h in HEADER_ALIASES["unit_kerja"]}
    for key, header in (mapping or {}).items():
        if _norm(key) == "unit kerja":
            unit_names.add(_norm(header))
    at = next(
        (
            k
            for k, (_, row) in enumerate(table[:10])
            if unit_names & {_norm(_cell_text(c)) for c in row}
        ),
        0,
    )
    header_row, headers = table[at]
    headers = [_cell_text(h) for h in headers]
    records = table[at + 1 :]
    report = RosterReport(source=source)
    report.blank_rows = sum(1 for i, _ in raw_rows if i > header_row) - len(records)
    if header_row > 1:
        report.notes.append(f"headers read from row {header_row}; rows above it ignored")
    cols = _resolve_columns(headers, mapping, source)
    report.columns = {c: headers[j] for c, j in cols.items()}
    used = set(cols.values())
    report.ignored_columns = [h for j, h in enumerate(headers) if j not in used and h]
    report.rows_read = len(records)

    # what must not appear in any message: every NIP and name in the file
    # (the columns found, and any header that reads as one of them, whatever the mapping says)
    personal = {cols[c] for c in ("nip", "nama") if c in cols}
    aliases = {a for c in ("nip", "nama") for a in HEADER_ALIASES[c]}
    personal |= {j for j, h in enumerate(headers) if _norm(h) in aliases}
    secret = set()
    for j in personal:
        for _, row in records:
            v = _cell_text(row[j]) if j < len(row) else ""
            if v:
                secret.update({v.lower(), _nip_digits(v).lower()})

    def mask(value: str) -> str:
        if value and (value.lower() in secret or re.search(r"\d{15}", _nip_digits(value))):
            return f"<hidden, {len(value)} characters>"
        return value

    parsed, problems = _parse_records(
        records, cols, headers, units, field_names, overrides, scenario, as_of, mask
    )
    if numeric_nip:
        report.notes.append(
            "the NIP column holds numbers, not text: Excel keeps 15 significant digits, so "
            "the last digits of 18-digit NIPs are lost and keys may collide; store NIPs as "
            "text"
        )
    if strict and problems:
        raise RosterError(problems, source)
    report.problems = problems

    bad = {p.row for p in problems}
    good = [r for r in parsed if r["row"] not in bad]
    report.rows_used = len(good)
    unmatched = Counter(mask(r["jurusan"]) for r in good if r["jurusan_unmatched"])
    if unmatched:
        where = "put in 'other'" if "other" in field_names else "drawn from the city's mix"
        listed = ", ".join(f"'{v}' ({k})" for v, k in unmatched.most_common(10))
        report.notes.append(
            f"jurusan: {unmatched.total()} values match no field of study in FIELD_KEYWORDS, "
            f"{where} (map them with fields= or --field): {listed}"
        )

    if salt is None:
        salt = os.environ.get(SALT_ENV)
    salted = salt is not None
    if not salted:
        salt = secrets.token_hex(16)
        report.notes.append(
            f"no salt given (salt= or ${SALT_ENV}): employee keys are random for this import "
            "and will not match another year's"
        )
    keys = np.array([employee_key(r["nip"], salt) if r["nip"] else "" for r in good], dtype="<U16")
    if "nip" in cols and any(not r["nip"] for r in good):
        n = sum(1 for r in good if not r["nip"])
        report.notes.append(f"{n} rows have no NIP, so no employee key")

    people, filled = _build_people(good, cols, scenario, units, field_names, rng, day, report)
    report.filled_columns = filled["columns"]
    report.filled_cells = filled["cells"]
    if report.filled_columns or report.filled_cells:
        parts = []
        if report.filled_columns:
            parts.append("no column(s) " + ", ".join(report.filled_columns))
        if report.filled_cells:
            parts.append(
                "blank cells in " + ", ".join(f"{c} ({n})" for c, n in report.filled_cells.items())
            )
        warnings.warn(
            f"{source}: {'; '.join(parts)}: filled from the city profile of "
            f"{scenario.city.name} as for a synthetic workforce",
            RosterWarning,
            stacklevel=2,
        )
    roster = Roster(
        people=people,
        employee_key=keys,
        report=report,
        rows=np.array([r["row"] for r in good], dtype=np.int64),
        unit_names=list(units.name),
        formation=units.formation.copy(),
        field_names=field_names,
        as_of=as_of,
        scenario_name=scenario.name,
        scale=scenario.scale,
        salted=salted,
    )
    return roster


def _field_overrides(
    fields: dict[str, str] | None, field_names: list[str], source: str
) -> dict[str, str]:
    out = {}
    wrong = []
    for text, name in (fields or {}).items():
        if name not in field_names:
            wrong.append(f"fields: '{text}' -> '{name}': expected one of {field_names}")
        out[_norm(text)] = name
    if wrong:
        raise RosterError(wrong, source)
    return out


def _resolve_columns(
    headers: list[str], mapping: dict[str, str] | None, source: str
) -> dict[str, int]:
    """Column index of each canonical column found (``mapping`` first, then aliases)."""
    problems = []
    cols: dict[str, int] = {}
    by_norm: dict[str, list[int]] = {}
    for j, h in enumerate(headers):
        by_norm.setdefault(_norm(h), []).append(j)
    for key, header in (mapping or {}).items():
        canon = _norm(key).replace(" ", "_")
        if canon not in CANONICAL_COLUMNS:
            problems.append(
                f"mapping: '{key}' is not a roster column; expected one of "
                f"{list(CANONICAL_COLUMNS)}"
            )
            continue
        if header in headers:
            cols[canon] = headers.index(header)
        elif len(by_norm.get(_norm(header), [])) == 1:
            cols[canon] = by_norm[_norm(header)][0]
        else:
            problems.append(
                f"mapping: {canon} = '{header}': no such header in the file; {_show(headers)}"
            )
    taken = set(cols.values())
    for canon in CANONICAL_COLUMNS:
        if canon in cols or (mapping and any(_norm(k) == _norm(canon) for k in mapping)):
            continue
        hits = [j for a in HEADER_ALIASES[canon] for j in by_norm.get(a, []) if j not in taken]
        hits = list(dict.fromkeys(hits))
        if len(hits) > 1:
            problems.append(
                f"{canon}: several headers could be it ({[headers[j] for j in hits]}); say "
                f"which with mapping={{'{canon}': HEADER}} (--map {canon}=HEADER)"
            )
        elif hits:
            cols[canon] = hits[0]
            taken.add(hits[0])
    missing = []
    if "unit_kerja" not in cols:
        missing.append("unit_kerja")
    if "nip" not in cols and "tanggal_lahir" not in cols:
        missing.append("nip or tanggal_lahir")
    if missing:
        problems.append(
            f"missing required column(s): {', '.join(missing)}; {_show(headers)} "
            "(name them with mapping= or --map CANONICAL=HEADER)"
        )
    if problems:
        raise RosterError(problems, source)
    return cols


def _show(headers: list[str]) -> str:
    """The headers for a message, unless the row looks like an employee's data."""
    if any(parse_date(h) or re.search(r"\d{8}", h) for h in headers):
        return "the first row looks like data, not headers (not shown)"
    return f"headers are {headers}"


def _post_options(position_mix, level_mix) -> list[tuple[int, int, float, float]]:
    """Every (position, level, weight, BUP) a person can hold, weighted by the city mix."""
    out = []
    f_idx = POSITION_TYPES.index("fungsional")
    for p, pname in enumerate(POSITION_TYPES):
        if p == f_idx:
            for lv, lname in enumerate(FUNCTIONAL_LEVELS):
                w = position_mix.get(pname, 0.0) * level_mix.get(lname, 0.0)
                bup = retirement_age(np.array([p]), np.array([lv]))[0]
                out.append((p, lv, w, float(bup)))
        else:
            bup = retirement_age(np.array([p]), np.array([-1]))[0]
            out.append((p, -1, position_mix.get(pname, 0.0), float(bup)))
    return out


def _allowed(options, position: int | None, level: int | None):
    f_idx = POSITION_TYPES.index("fungsional")
    keep = []
    for o in options:
        if position is not None and o[0] != position:
            continue
        if level is not None and o[0] == f_idx and o[1] != level:
            continue
        if position is None and level is not None and o[0] != f_idx:
            continue
        keep.append(o)
    return keep


def _parse_records(records, cols, headers, units, field_names, overrides, scenario, as_of, mask):
    """Parse every record; collect all problems (row, column, value, reason)."""
    unit_index = {_norm(n): u for u, n in enumerate(units.name)}
    wf = scenario.city.workforce
    options = _post_options(wf.position_mix, wf.functional_level_mix)
    f_idx = POSITION_TYPES.index("fungsional")
    problems: list[RowProblem] = []
    parsed = []
    first_row_of_nip: dict[str, int] = {}

    for row_no, cells in records:

        def cell(canon: str, cells=cells) -> str | Any:
            j = cols.get(canon)
            if j is None or j >= len(cells):
                return ""
            v = cells[j]
            return v if isinstance(v, datetime | date | int | float) else str(v).strip()

        def bad(canon, value, reason, detail="", row_no=row_no):
            text = _cell_text(value)
            shown = f"<hidden, {len(text)} characters>" if canon == "nip" and text else mask(text)
            if not text:
                detail = f"blank; {detail}" if detail else "blank"
            problems.append(RowProblem(row_no, headers[cols[canon]], shown, reason, detail))

        r: dict[str, Any] = {"row": row_no}
        nip = _nip_digits(_cell_text(cell("nip"))) if "nip" in cols else ""
        r["nip"] = nip
        nip_born, nip_start = _nip_dates(nip)
        if nip:
            if nip in first_row_of_nip:
                bad("nip", nip, "repeated NIP", f"same as row {first_row_of_nip[nip]}")
            else:
                first_row_of_nip[nip] = row_no

        # date of birth and age
        born = None
        r["born_from_nip"] = False
        raw = cell("tanggal_lahir")
        if "tanggal_lahir" in cols and _cell_text(raw):
            born = parse_date(raw)
            if born is None:
                bad("tanggal_lahir", raw, "date not readable", "expected e.g. 17-05-1980")
        elif nip_born is not None:
            born, r["born_from_nip"] = nip_born, True
        elif "tanggal_lahir" in cols:
            bad("tanggal_lahir", raw, "no date of birth", "and no NIP to read it from")
        else:
            bad("nip", nip, "no date of birth", "the NIP holds no readable birth date")
        age_col = "tanggal_lahir" if "tanggal_lahir" in cols and _cell_text(raw) else "nip"
        age = None
        if born is not None:
            if born > as_of:
                bad(age_col, raw or nip, "date in the future", f"after {as_of.isoformat()}")
            else:
                age = _years_between(born, as_of)
                if age < MIN_AGE:
                    bad(age_col, raw or nip, "younger than 18", f"age {age:.1f}")
        r["age"] = age

        # categorical cells: None = blank (drawn), -1 = unknown (a problem)
        def categorical(canon, parse, reason, detail):
            if canon not in cols or not _cell_text(cell(canon)):
                return None
            v = parse(cell(canon))
            if v is None:
                bad(canon, cell(canon), reason, detail)
                return -1
            return v

        r["status"] = categorical("status", parse_status, "unknown status", "expected PNS or PPPK")
        r["rank"] = categorical(
            "golongan",
            parse_rank,
            "unknown rank",
            "expected I/a ... IV/e, or a PPPK grade I ... XVII",
        )
        if r["status"] == 0 and r["rank"] is not None and r["rank"] >= 0:
            text = _cell_text(cell("golongan"))
            if re.fullmatch(r"[IVXivx]+|\d{1,2}", text):
                bad("golongan", text, "unknown rank", "a PPPK grade, but status is PNS")
                r["rank"] = -1
        r["position"] = categorical(
            "jenis_jabatan",
            parse_position,
            "unknown position type",
            "expected JPT, Administrator, Pengawas, Fungsional or Pelaksana",
        )
        r["level"] = None
        if r["position"] in (None, f_idx) and "jenjang" in cols and _cell_text(cell("jenjang")):
            level = parse_level(cell("jenjang"))
            if level is not None:
                r["level"] = level
                if r["position"] is None:  # a functional level says the post is fungsional
                    r["position"] = f_idx
            elif r["position"] == f_idx:
                bad(
                    "jenjang",
                    cell("jenjang"),
                    "unknown functional level",
                    "expected Ahli Pertama/Muda/Madya/Utama or Pemula/Terampil/Mahir/Penyelia",
                )
                r["level"] = -1
        r["education"] = categorical(
            "pendidikan",
            parse_education,
            "unknown education level",
            "expected SLTA/SMA/SMK, D3, S1/D4, S2 or S3",
        )
        u = unit_index.get(_norm(_cell_text(cell("unit_kerja"))))
        if u is None:
            bad("unit_kerja", cell("unit_kerja"), "unit not in the city", scenario.city.name)
        r["unit"] = u
        r["jurusan"] = _cell_text(cell("jurusan")) if "jurusan" in cols else ""
        r["field"] = None
        r["jurusan_unmatched"] = False
        if r["jurusan"]:
            r["field"] = match_field(r["jurusan"], field_names, overrides)
            if r["field"] is None:
                r["jurusan_unmatched"] = True
                if "other" in field_names:
                    r["field"] = field_names.index("other")

        # retirement age: the person must be below the BUP of some post they may hold
        if age is not None and age >= MIN_AGE and r["position"] != -1 and r["level"] != -1:
            allowed = _allowed(options, r["position"], r["level"])
            drawable = [o for o in allowed if o[2] > 0] or allowed
            bup = max(o[3] for o in drawable)
            if age >= bup:
                what = (
                    POSITION_TYPES[r["position"]]
                    if r["position"] is not None
                    else "any post of the city's mix"
                )
                if r["level"] is not None and r["level"] >= 0:
                    what = FUNCTIONAL_LEVELS[r["level"]]
                bad(
                    age_col,
                    raw or nip,
                    "at or past retirement age",
                    f"age {age:.1f}, BUP {bup:g} for {what}",
                )

        # start of service
        r["tenure"] = None
        r["tenure_from_nip"] = False
        raw_start = cell("tmt_cpns")
        start = None
        if "tmt_cpns" in cols and _cell_text(raw_start):
            start = parse_date(raw_start)
            col = "tmt_cpns"
            if start is None:
                bad("tmt_cpns", raw_start, "date not readable", "expected e.g. 01-03-2005")
        elif nip_start is not None and born is not None:
            start, col, r["tenure_from_nip"] = nip_start, "nip", True
        if start is not None:
            value = raw_start if col == "tmt_cpns" else nip
            if start > as_of:
                if col == "tmt_cpns":
                    bad(col, value, "date in the future", f"after {as_of.isoformat()}")
                else:  # a NIP's start we cannot trust is estimated instead
                    start, r["tenure_from_nip"] = None, False
            elif age is not None and age >= MIN_AGE and _years_between(born, start) < MIN_AGE:
                if col == "tmt_cpns":
                    bad(col, value, "start of service before age 18", "PP 11/2017 art. 23")
                else:
                    start, r["tenure_from_nip"] = None, False
            if start is not None and start <= as_of:
                r["tenure"] = _years_between(start, as_of)
        parsed.append(r)
    return parsed, problems


def _build_people(good, cols, scenario, units, field_names, rng, day, report):
    """draw_people for the good rows, then the roster's own columns written over it."""
    wf = scenario.city.workforce
    a = scenario.assumptions
    dpy = scenario.days_per_year
    n = len(good)
    _, qualifies = qualification_table(scenario)
    f_idx = POSITION_TYPES.index("fungsional")
    unit_of = np.array([r["unit"] for r in good], dtype=np.intp)
    # absent columns whose values are drawn (a birth date is never drawn: without the column
    # it comes from the NIP, or the row is reported)
    filled_cols: list[str] = [
        c for c in CANONICAL_COLUMNS if c not in cols and c not in ("nip", "nama", "tanggal_lahir")
    ]
    cells: Counter = Counter()

    def given(key: str) -> np.ndarray:
        return np.array([r[key] is not None for r in good], dtype=bool)

    # fields of study: the roster's where it has them, the rest drawn as draw_people does
    field_arr = None
    if "jurusan" in cols:
        field_arr = np.array(
            [-1 if r["field"] is None else r["field"] for r in good], dtype=np.int64
        )
        cells["jurusan"] += int(sum(1 for r in good if r["field"] is None))
        todo = np.flatnonzero(field_arr < 0)
        if len(todo):
            field_arr[todo] = _draw_fields(rng, wf.field_mix, qualifies, units, unit_of[todo])
    pppk = None
    if "status" in cols:
        has = given("status")
        pppk = np.array([r["status"] == 1 for r in good], dtype=bool)
        if (~has).any():
            cells["status"] += int((~has).sum())
            pppk[~has] = rng.random(int((~has).sum())) < wf.pppk_share

    people = draw_people(
        scenario, units, unit_of, rng, newcomers=False, day=day, field=field_arr, pppk=pppk
    )

    age = np.array([r["age"] for r in good], dtype=float)
    people["age"] = age

    # position and functional level
    position = people["position"].astype(np.int64)
    level = people["level"].astype(np.int64)
    options = _post_options(wf.position_mix, wf.functional_level_mix)
    for k, r in enumerate(good):
        if r["position"] is not None:
            if r["position"] != position[k]:
                position[k], level[k] = r["position"], -1
            if r["level"] is not None:
                level[k] = r["level"]
        elif "jenis_jabatan" in cols:
            cells["jenis_jabatan"] += 1
        bup = retirement_age(position[k : k + 1], np.maximum(level[k : k + 1], 0))[0]
        ok = (position[k] != f_idx or level[k] >= 0) and age[k] < bup
        if not ok:  # draw a post the person can hold at their age, from the city's mix
            allowed = [o for o in _allowed(options, r["position"], r["level"]) if o[3] > age[k]]
            w = np.array([o[2] for o in allowed])
            w = w / w.sum() if w.sum() > 0 else np.full(len(allowed), 1 / len(allowed))
            pick = allowed[int(rng.choice(len(allowed), p=w))]
            position[k], level[k] = pick[0], pick[1]
        if r["position"] == f_idx and r["level"] is None and "jenjang" in cols:
            cells["jenjang"] += 1
    people["position"] = position.astype(np.int8)
    people["level"] = level.astype(np.int8)
    people["retire_at"] = retirement_age(people["position"], people["level"])

    # education
    education = people["education"].astype(np.int64)
    for k, r in enumerate(good):
        if r["education"] is not None:
            education[k] = r["education"]
        elif "pendidikan" in cols:
            cells["pendidikan"] += 1
    people["education"] = education.astype(np.int8)

    # years of service: from tmt_cpns (or the NIP), else estimated as draw_people does
    tenure = np.array([np.nan if r["tenure"] is None else r["tenure"] for r in good])
    todo = np.flatnonzero(np.isnan(tenure))
    if len(todo):
        entry_age = rng.uniform(20.0, 30.0, len(todo))
        est = np.maximum(0.0, age[todo] - entry_age)
        is_pppk = people["status"][todo] == PPPK
        est = np.where(is_pppk, np.minimum(est, rng.uniform(0.0, 6.0, len(todo))), est)
        tenure[todo] = est
    if "tmt_cpns" in cols:
        blank_tmt = sum(1 for r in good if r["tenure"] is None)
        if blank_tmt:
            cells["tmt_cpns"] += blank_tmt
    from_nip = sum(1 for r in good if r["tenure_from_nip"])
    if "tmt_cpns" not in cols and from_nip == n:
        filled_cols.remove("tmt_cpns")
    if "tmt_cpns" not in cols and from_nip:
        report.notes.append(
            f"tmt_cpns: read from the NIP for {from_nip} rows, estimated for "
            f"{len(good) - from_nip}"
        )
    born_nip = sum(1 for r in good if r["born_from_nip"])
    if born_nip:
        report.notes.append(f"tanggal_lahir: read from the NIP for {born_nip} rows")
    people["tenure"] = tenure
    days_in_post = np.floor(rng.uniform(0, 1, n) * np.minimum(tenure, 5.0) * dpy)
    people["post_start"] = (day - days_in_post).astype(np.int64)
    people["hire_day"] = (day - np.round(tenure * dpy)).astype(np.int64)

    # rank: the roster's, else from education and years of service (as draw_people)
    edu_names = list(EDUCATION_LEVELS)
    entry = np.array([_ENTRY_RANK[e] for e in edu_names])[education]
    cap = np.array([_RANK_CAP[e] for e in edu_names])[education]
    rank = np.minimum(entry + np.floor(tenure / a.promotion_interval_years), cap)
    for k, r in enumerate(good):
        if r["rank"] is not None:
            rank[k] = r["rank"]
        elif "golongan" in cols:
            cells["golongan"] += 1
    people["rank"] = rank.astype(np.int8)

    # competency from education, field and time in post (the formulas of draw_people)
    field = people["field"].astype(np.int64)
    base = np.array([a.competency_by_education[e] for e in edu_names])[education]
    floor = base[:, None] + a.field_match_bonus * qualifies[:, field].T
    floor = np.clip(floor + rng.normal(0.0, a.competency_sd, (n, 1)), 0.0, 1.0)
    competency = floor.copy()
    cur = np.zeros(n)
    ceil = np.ones(n)
    if n:
        rows = np.arange(n)
        sector = units.sector[unit_of]
        match = qualifies[sector, field]
        ceil = np.maximum(np.where(match, 1.0, a.mismatch_ceiling), floor[rows, sector])
        lr = 1.0 - 0.5 ** (1.0 / a.learning_half_life_days)
        practised = days_in_post + rng.uniform(0, 1, n) * dpy
        learned = ceil - (ceil - floor[rows, sector]) * (1 - lr) ** practised
        cur = np.clip(learned, floor[rows, sector], ceil)
        competency[rows, sector] = cur
    people["floor"] = floor
    people["competency"] = competency
    people["cur"] = cur
    people["ceil"] = ceil

    order = {c: i for i, c in enumerate(CANONICAL_COLUMNS)}
    filled = {
        "columns": filled_cols,
        "cells": {c: int(k) for c, k in sorted(cells.items(), key=lambda kv: order[kv[0]]) if k},
    }
    return people, filled


# --------------------------------------------------------------------------- command line


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``roster import FILE --scenario SCENARIO.yaml ...`` to the ``asnsim`` command."""
    p = subparsers.add_parser("roster", help="work with an employee roster (SIASN-like CSV/XLSX)")
    sub = p.add_subparsers(dest="roster_command", required=True)
    imp = sub.add_parser(
        "import",
        help="read a roster as a scenario's starting workforce; print and write a summary",
        description="Read an employee roster (CSV or .xlsx, columns like SIASN's) for a "
        "scenario, report every bad row (row number, column, value) and write "
        "DIR/roster_summary.json (counts only, no names or NIPs). Exit 0, or 2 on an "
        "unreadable file, missing required columns or (with --strict) any bad row.",
    )
    imp.add_argument("file", help="roster file (.csv or .xlsx); the first row holds the headers")
    imp.add_argument("--scenario", required=True, help="scenario YAML file")
    imp.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="dotted scenario override, e.g. --set scale=0.05 (repeatable)",
    )
    imp.add_argument("--scale", type=float, help="the scenario's scale, e.g. 0.05")
    imp.add_argument(
        "--map",
        dest="mapping",
        action="append",
        default=[],
        metavar="CANONICAL=HEADER",
        help=f"the file's header of a column, e.g. --map nip='NIP BARU' (repeatable); "
        f"columns: {', '.join(CANONICAL_COLUMNS)}",
    )
    imp.add_argument(
        "--field",
        dest="fields",
        action="append",
        default=[],
        metavar="JURUSAN=FIELD",
        help="map a field of study to a scenario field, e.g. --field 'Ilmu Pemerintahan=law'",
    )
    imp.add_argument("--as-of", help="date of the roster, YYYY-MM-DD (default: today)")
    imp.add_argument("--strict", action="store_true", help="fail (exit 2) on any bad row")
    imp.add_argument("--out", default=None, help="output folder (default: results/roster)")
    return p


def _pairs(items: list[str], option: str) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"{option} {item!r}: expected NAME=VALUE")
        out[key.strip()] = value.strip()
    return out


def run(args: argparse.Namespace) -> int:
    """Run ``asnsim roster import``; return the exit code (0 ok, 2 bad input)."""
    try:
        mapping = _pairs(args.mapping, "--map")
        fields = _pairs(args.fields, "--field")
        as_of = date.fromisoformat(args.as_of) if args.as_of else None
        overrides = list(args.overrides)
        if args.scale is not None:
            overrides.append(f"scale={args.scale}")
        scenario = load_scenario(args.scenario, overrides)
    except (ScenarioError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RosterWarning)
        try:
            roster = load_roster(
                args.file,
                scenario,
                mapping=mapping or None,
                strict=args.strict,
                # keys are not written by the command, so no salt needs to be kept
                salt=os.environ.get(SALT_ENV) or secrets.token_hex(16),
                as_of=as_of,
                fields=fields or None,
            )
        except RosterError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        except (OSError, ImportError) as err:
            print(f"error: {Path(args.file).name}: {err}", file=sys.stderr)
            return 2
    for w in caught:
        if issubclass(w.category, RosterWarning):
            print(f"warning: {w.message}", file=sys.stderr)
    print(roster.format_summary())
    out = Path(args.out) if args.out else Path("results") / "roster"
    out.mkdir(parents=True, exist_ok=True)
    summary = roster.summary()
    summary["input_sha256"] = hashlib.sha256(Path(args.file).read_bytes()).hexdigest()
    (out / "roster_summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"\nsummary written to {out / 'roster_summary.json'} (counts only)")
    return 0
