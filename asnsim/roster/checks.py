"""Record checks: each row of a roster read into values, and every problem found with it.

A record's value is None where the row does not say (blank cell or no such column; the
profile fills it later) and -1 where it says something that is not a value (a problem).
Problems name the row, the column and the kind of problem, never the cell's value.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import numpy as np

from asnsim.people import MIN_AGE, TEACHER_BUP, retirement_age
from asnsim.roster.cells import (
    cell_text,
    match_field,
    nip_digits,
    norm,
    parse_date,
    parse_education,
    parse_level,
    parse_position,
    parse_rank,
    parse_sex,
    parse_status,
    years_between,
)
from asnsim.roster.nip import NIP_EXPECTED, decode_nip, mismatches
from asnsim.roster.report import RowProblem
from asnsim.scenario import FUNCTIONAL_LEVELS, POSITION_TYPES
from asnsim.units import Units

__all__ = [
    "Context",
    "allowed_posts",
    "check_records",
    "option_bup",
    "post_options",
    "teaching_units",
]

_F = POSITION_TYPES.index("fungsional")


class Context:
    """What every record is checked against: the file's columns, the city, the date."""

    def __init__(self, cols, headers, units: Units, field_names, overrides, scenario, as_of):
        self.cols, self.headers = cols, headers
        self.unit_index = {norm(n): u for u, n in enumerate(units.name)}
        self.field_names, self.overrides = field_names, overrides
        self.scenario, self.as_of = scenario, as_of
        wf = scenario.city.workforce
        self.options = post_options(wf.position_mix, wf.functional_level_mix)
        self.teaching = teaching_units(scenario, units)


class _Row:
    """One record being read: its cells and the problems found so far."""

    def __init__(self, row_no: int, cells: list[Any], ctx: Context, problems: list[RowProblem]):
        self.row_no, self.cells, self.ctx, self.problems = row_no, cells, ctx, problems

    def has(self, canon: str) -> bool:
        return canon in self.ctx.cols and bool(cell_text(self.cell(canon)))

    def cell(self, canon: str) -> Any:
        j = self.ctx.cols.get(canon)
        if j is None or j >= len(self.cells):
            return ""
        v = self.cells[j]
        return v if isinstance(v, datetime | date | int | float) else str(v).strip()

    def bad(self, canon: str, reason: str, detail: str = "") -> None:
        column = self.ctx.headers[self.ctx.cols[canon]] if canon in self.ctx.cols else canon
        self.problems.append(RowProblem(self.row_no, column, reason, detail))

    def categorical(self, canon: str, parse, reason: str, detail: str) -> int | None:
        """None if blank or absent; -1 (and a problem) if not recognised."""
        if not self.has(canon):
            return None
        v = parse(self.cell(canon))
        if v is None:
            self.bad(canon, reason, detail)
            return -1
        return v


def check_records(records, ctx: Context) -> tuple[list[dict[str, Any]], list[RowProblem]]:
    """Every record read into values; every problem of every row (row, column, kind)."""
    problems: list[RowProblem] = []
    parsed = []
    first_row_of_nip: dict[str, int] = {}
    for row_no, cells in records:
        row = _Row(row_no, cells, ctx, problems)
        r: dict[str, Any] = {"row": row_no}
        nip = _read_nip(row, r, first_row_of_nip)
        _read_birth(row, r, nip)
        _read_categories(row, r)
        _check_nip_agrees(row, r, nip)
        _check_retirement(row, r)
        _read_start(row, r, nip)
        parsed.append(r)
    return parsed, problems


def _read_nip(row: _Row, r: dict[str, Any], first_row_of_nip: dict[str, int]):
    r["nip"] = nip_digits(cell_text(row.cell("nip"))) if "nip" in row.ctx.cols else ""
    if not r["nip"]:
        return None
    if r["nip"] in first_row_of_nip:
        row.bad("nip", "repeated NIP", f"same as row {first_row_of_nip[r['nip']]}")
    else:
        first_row_of_nip[r["nip"]] = row.row_no
    nip = decode_nip(r["nip"])
    if nip is None:
        row.bad("nip", "malformed NIP", f"expected {NIP_EXPECTED}")
    return nip


def _read_birth(row: _Row, r: dict[str, Any], nip) -> None:
    """Date of birth (the column's, else the NIP's) and the age at ``as_of``."""
    r["born"], r["born_from_nip"], r["age"] = None, False, None
    r["age_col"] = "tanggal_lahir" if row.has("tanggal_lahir") else "nip"
    if row.has("tanggal_lahir"):
        r["born"] = parse_date(row.cell("tanggal_lahir"))
        if r["born"] is None:
            row.bad("tanggal_lahir", "date not readable", "expected e.g. 17-05-1980")
    elif nip is not None:
        r["born"], r["born_from_nip"] = nip.born, True
    elif "tanggal_lahir" in row.ctx.cols:
        row.bad("tanggal_lahir", "no date of birth", "blank, and no valid NIP to read it from")
    elif not r["nip"]:
        row.bad("nip", "no date of birth", "blank NIP and no tanggal_lahir column")
    if r["born"] is None:
        return
    as_of = row.ctx.as_of
    if r["born"] > as_of:
        row.bad(r["age_col"], "date in the future", f"after {as_of.isoformat()}")
        return
    r["age"] = years_between(r["born"], as_of)
    if r["age"] < MIN_AGE:
        row.bad(r["age_col"], "younger than 18", "PP 11/2017 art. 23")


def _read_categories(row: _Row, r: dict[str, Any]) -> None:
    ctx = row.ctx
    r["status"] = row.categorical("status", parse_status, "unknown status", "expected PNS or PPPK")
    r["sex"] = row.categorical("jenis_kelamin", parse_sex, "unknown sex", "expected L or P")
    r["rank"] = row.categorical(
        "golongan", parse_rank, "unknown rank", "expected I/a ... IV/e, or a PPPK grade I ... XVII"
    )
    grade = re.fullmatch(r"[IVXivx]+|\d{1,2}", cell_text(row.cell("golongan")))
    if r["status"] == 0 and r["rank"] is not None and r["rank"] >= 0 and grade:
        row.bad("golongan", "unknown rank", "a PPPK grade, but status is PNS")
        r["rank"] = -1
    r["position"] = row.categorical(
        "jenis_jabatan",
        parse_position,
        "unknown position type",
        "expected JPT, Administrator, Pengawas, Fungsional or Pelaksana",
    )
    _read_level(row, r)
    r["education"] = row.categorical(
        "pendidikan",
        parse_education,
        "unknown education level",
        "expected SLTA/SMA/SMK, D3, S1/D4, S2 or S3",
    )
    r["unit"] = ctx.unit_index.get(norm(cell_text(row.cell("unit_kerja"))))
    if r["unit"] is None:
        row.bad("unit_kerja", "unit not in the city", f"a unit of {ctx.scenario.city.name}")
    _read_field(row, r)


def _read_level(row: _Row, r: dict[str, Any]) -> None:
    r["level"] = None
    if r["position"] not in (None, _F) or not row.has("jenjang"):
        return
    level = parse_level(row.cell("jenjang"))
    if level is not None:
        r["level"] = level
        if r["position"] is None:  # a functional level says the post is fungsional
            r["position"] = _F
    elif r["position"] == _F:
        row.bad(
            "jenjang",
            "unknown functional level",
            "expected Ahli Pertama/Muda/Madya/Utama or Pemula/Terampil/Mahir/Penyelia",
        )
        r["level"] = -1


def _read_field(row: _Row, r: dict[str, Any]) -> None:
    ctx = row.ctx
    r["jurusan"] = cell_text(row.cell("jurusan")) if "jurusan" in ctx.cols else ""
    r["field"], r["jurusan_unmatched"] = None, False
    if r["jurusan"]:
        r["field"] = match_field(r["jurusan"], ctx.field_names, ctx.overrides)
        if r["field"] is None:
            r["jurusan_unmatched"] = True
            if "other" in ctx.field_names:
                r["field"] = ctx.field_names.index("other")


def _check_nip_agrees(row: _Row, r: dict[str, Any], nip) -> None:
    """The NIP's birth date, start of service, sex and kind against the row's own columns."""
    if nip is None:
        return
    start = parse_date(row.cell("tmt_cpns")) if row.has("tmt_cpns") else None
    born = r["born"] if not r["born_from_nip"] else None
    sex = r["sex"] if r["sex"] not in (None, -1) else None
    status = r["status"] if r["status"] not in (None, -1) else None
    for column in mismatches(nip, born, start, sex, status):
        row.bad("nip", f"NIP does not match {column}", "BKN: the NIP encodes it")


def _check_retirement(row: _Row, r: dict[str, Any]) -> None:
    """The person must be below the BUP of some post they may hold."""
    age = r["age"]
    if age is None or age < MIN_AGE or r["position"] == -1 or r["level"] == -1:
        return
    allowed = allowed_posts(row.ctx.options, r["position"], r["level"])
    drawable = [o for o in allowed if o[2] > 0] or allowed
    teaching = r["unit"] not in (None, -1) and bool(row.ctx.teaching[r["unit"]])
    bup = max(option_bup(o, teaching) for o in drawable)
    if age >= bup:
        what = POSITION_TYPES[r["position"]] if r["position"] is not None else "any post"
        if r["level"] is not None and r["level"] >= 0:
            what = FUNCTIONAL_LEVELS[r["level"]]
        row.bad(r["age_col"], "at or past retirement age", f"BUP {bup:g} for {what}")


def _read_start(row: _Row, r: dict[str, Any], nip) -> None:
    """Years of service from tmt_cpns, else from the NIP when it is plausible."""
    r["tenure"], r["tenure_from_nip"] = None, False
    if row.has("tmt_cpns"):
        start = parse_date(row.cell("tmt_cpns"))
        if start is None:
            row.bad("tmt_cpns", "date not readable", "expected e.g. 01-03-2005")
        elif start > row.ctx.as_of:
            row.bad("tmt_cpns", "date in the future", f"after {row.ctx.as_of.isoformat()}")
        elif (r["age"] or 0.0) >= MIN_AGE and years_between(r["born"], start) < MIN_AGE:
            row.bad("tmt_cpns", "start of service before age 18", "PP 11/2017 art. 23")
        else:
            r["tenure"] = years_between(start, row.ctx.as_of)
    elif nip is not None and r["born"] is not None:
        start = nip.start  # a start we cannot trust is estimated instead
        if start <= row.ctx.as_of and years_between(r["born"], start) >= MIN_AGE:
            r["tenure"], r["tenure_from_nip"] = years_between(start, row.ctx.as_of), True


def post_options(position_mix, level_mix) -> list[tuple[int, int, float, float]]:
    """Every (position, level, weight, BUP) a person can hold, weighted by the city mix."""
    out = []
    for p, pname in enumerate(POSITION_TYPES):
        levels = range(len(FUNCTIONAL_LEVELS)) if p == _F else (-1,)
        for lv in levels:
            w = position_mix.get(pname, 0.0)
            if lv >= 0:
                w *= level_mix.get(FUNCTIONAL_LEVELS[lv], 0.0)
            bup = retirement_age(np.array([p]), np.array([lv]))[0]
            out.append((p, lv, w, float(bup)))
    return out


def teaching_units(scenario, units: Units) -> np.ndarray:
    """Per unit, whether it is in one of ``city.workforce.teacher_sectors`` (a school)."""
    return np.isin(units.sectors, scenario.city.workforce.teacher_sectors)[units.sector]


def option_bup(option: tuple[int, int, float, float], teaching: bool) -> float:
    """The BUP of a post option (:func:`post_options`) in a school or elsewhere.

    A functional post in a school is a teacher's: BUP 60 (UU 14/2005 art. 30(4)).
    """
    return TEACHER_BUP if teaching and option[0] == _F else option[3]


def allowed_posts(options, position: int | None, level: int | None):
    """The options compatible with a known position and/or functional level."""
    keep = []
    for o in options:
        if position is not None and o[0] != position:
            continue
        if level is not None and o[0] == _F and o[1] != level:
            continue
        if position is None and level is not None and o[0] != _F:
            continue
        keep.append(o)
    return keep
