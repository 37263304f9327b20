"""Cell parsers: one roster cell (text, number or Excel date) to the model's value.

Each returns None when it does not recognise the cell; the record checks
(:mod:`asnsim.roster.checks`) turn that into a reported problem.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from asnsim.roster.vocab import (
    EDUCATION_SPELLINGS,
    FIELD_KEYWORDS,
    MONTHS,
    PANGKAT,
    ROMAN,
    SEX_WORDS,
)
from asnsim.scenario import EDUCATION_LEVELS, FUNCTIONAL_LEVELS, POSITION_TYPES

__all__ = [
    "add_years",
    "cell_text",
    "compact",
    "match_field",
    "nip_digits",
    "norm",
    "parse_date",
    "parse_education",
    "parse_level",
    "parse_position",
    "parse_rank",
    "parse_sex",
    "parse_status",
    "years_between",
]


def cell_text(value: Any) -> str:
    """A cell as text (dates as ``YYYY-MM-DD``), stripped."""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value).strip()


def norm(text: Any) -> str:
    """Lower-case, punctuation and underscores as single spaces."""
    return re.sub(r"[\W_]+", " ", str(text).lower()).strip()


def compact(text: Any) -> str:
    """Lower-case with spaces and punctuation removed ("D-III" -> "diii")."""
    return re.sub(r"[\W_]+", "", str(text).lower())


def years_between(start: date, end: date) -> float:
    """Years from ``start`` to ``end``: whole birthdays passed plus the share of the next."""
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    last = add_years(start, years)
    nxt = add_years(start, years + 1)
    return years + (end - last).days / (nxt - last).days


def add_years(d: date, years: int) -> date:
    """The same day ``years`` later (29 February: the 28th)."""
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
        mo = MONTHS.get(m.group(2).lower())
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
    grade = ROMAN.get(s.upper()) if s.isalpha() else None
    if grade is None and s.isdigit() and 1 <= int(s) <= 17:
        grade = int(s)
    if grade is not None:
        return grade - 1
    name = norm(s).replace("tk i", "tingkat i").replace("tkt i", "tingkat i")
    return PANGKAT.get(name)


def parse_position(value: Any) -> int | None:
    """Index into ``POSITION_TYPES`` of a jenis jabatan; None if not recognised.

    Read: "Jabatan Fungsional", "JPT Pratama", "Eselon III.a", "Fungsional Umum" (the old
    name of pelaksana posts), "Pelaksana" ...
    """
    s = norm(value)
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
    s = norm(value)
    s = re.sub(r"^(jabatan\s+)?(fungsional\s+)?(jenjang\s+)?", "", s)
    for word in ("utama", "madya", "muda", "pertama"):
        if re.fullmatch(rf"(ahli\s+)?{word}", s):
            return FUNCTIONAL_LEVELS.index(f"ahli_{word}")
    if re.match(r"(keterampilan|terampil|mahir|penyelia|pemula|pelaksana)\b", s):
        return FUNCTIONAL_LEVELS.index("keterampilan")
    return None


def parse_education(value: Any) -> int | None:
    """Index into ``EDUCATION_LEVELS`` of a pendidikan value (see ``EDUCATION_SPELLINGS``)."""
    level = EDUCATION_SPELLINGS.get(compact(value))
    return None if level is None else EDUCATION_LEVELS.index(level)


def parse_status(value: Any) -> int | None:
    """0 PNS (also CPNS), 1 PPPK (also P3K); None for anything else (honorer, THL ...)."""
    s = norm(value)
    if s in ("pns", "cpns", "pegawai negeri sipil", "calon pegawai negeri sipil", "calon pns"):
        return 0
    if re.match(r"(pppk|p3k|pegawai pemerintah dengan perjanjian kerja)\b", s):
        return 1
    return None


def match_field(value: Any, field_names: list[str], overrides: dict[str, str]) -> int | None:
    """Index into ``field_names`` of a jurusan, by ``overrides`` then ``FIELD_KEYWORDS``."""
    s = norm(value)
    if s in overrides:
        return field_names.index(overrides[s])
    for keyword, name in FIELD_KEYWORDS:
        if re.search(rf"\b{keyword}", s) and name in field_names:
            return field_names.index(name)
    return None


def nip_digits(value: Any) -> str:
    """A NIP cell without spaces, dots and dashes."""
    return re.sub(r"[\s.\-]", "", str(value).strip())


def parse_sex(value: Any) -> int | None:
    """1 male, 2 female (the NIP's sex digit) from L/P, Laki-laki/Perempuan, M/F, 1/2."""
    return SEX_WORDS.get(norm(value))
