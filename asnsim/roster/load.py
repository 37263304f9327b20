"""``load_roster``: read, map and check a roster file, and give back its people table."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import warnings
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np

from asnsim.people import qualification_table
from asnsim.rng import stream
from asnsim.roster.cells import cell_text, nip_digits, norm
from asnsim.roster.checks import Context, check_records
from asnsim.roster.fill import people_table
from asnsim.roster.read import Table, read_table, resolve_columns
from asnsim.roster.report import Roster, RosterError, RosterReport, RosterWarning
from asnsim.roster.vocab import HEADER_ALIASES
from asnsim.scenario import Scenario, load_scenario
from asnsim.units import build_units

__all__ = ["SALT_ENV", "employee_key", "load_roster"]

SALT_ENV = "ASNSIM_ROSTER_SALT"
"""Environment variable read for the salt when ``load_roster`` is given none."""


def employee_key(nip: str, salt: str) -> str:
    """Salted key of an employee: the first 16 hex digits of ``sha256(salt + NIP)``.

    ``load_roster`` passes the NIP's digits only (spaces, dots and dashes removed), so the
    same NIP written two ways gets the same key.
    """
    return hashlib.sha256((salt + nip).encode("utf-8")).hexdigest()[:16]


def load_roster(
    path: str | Path,
    scenario: Scenario | str | Path,
    mapping: dict[str, str] | None = None,
    strict: bool = False,
    salt: str | None = None,
    rng: np.random.Generator | int | None = None,
    *,
    as_of: date | str | None = None,
    fields: dict[str, str] | None = None,
) -> Roster:
    """Read an employee roster (CSV or .xlsx) as the starting workforce of ``scenario``.

    Args:
        path: The roster file; the first row naming the unit column holds the headers.
        scenario: The scenario (or its YAML file) whose units and profile the roster fills.
        mapping: Canonical column name (``CANONICAL_COLUMNS``) → the file's header, for
            headers not in ``HEADER_ALIASES``.
        strict: Raise :class:`RosterError` on any bad row instead of skipping it.
        salt: Secret prefixed to the NIP before hashing into ``employee_key``; keep it to
            follow employees across imports. Default: ``$ASNSIM_ROSTER_SALT``, else random
            (keys then match within this import only).
        rng: Generator (or seed) for what the roster does not hold; default the scenario's
            ``workforce`` stream, the one the model draws its synthetic workforce from.
        as_of: Date of the roster (the run's day 0): ages and years of service are computed
            at it; a date or ``YYYY-MM-DD``; default today.
        fields: Overrides of ``FIELD_KEYWORDS``: exact jurusan → the scenario's field name.

    Returns:
        The :class:`Roster`; its ``people`` is a people table (:mod:`asnsim.people`).

    Raises:
        RosterError: A file that cannot be a roster (unreadable, not text, empty, headers
            only, no usable row), a wrong ``mapping``, missing required columns, or
            (``strict``) any bad row, listing every problem.
        ImportError: An .xlsx file without openpyxl installed (the message says how).
    """
    path = Path(path)
    source = path.name
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    as_of = date.fromisoformat(as_of) if isinstance(as_of, str) else (as_of or date.today())
    units = build_units(scenario)
    field_names, _ = qualification_table(scenario)
    table, cols, overrides = _read(path, mapping, fields, field_names)
    report = _new_report(source, table, cols)
    ctx = Context(cols, table.headers, units, field_names, overrides, scenario, as_of)
    parsed, problems = check_records(table.records, ctx)
    if strict and problems:
        raise RosterError(problems, source)
    report.problems = problems
    bad = {p.row for p in problems}
    good = [r for r in parsed if r["row"] not in bad]
    if not good:
        raise RosterError([*problems, "no row can be used: every row has a problem"], source)
    report.rows_used = len(good)
    _note_unmatched(report, good, table, cols, field_names)
    keys, salted = _keys(good, cols, salt, report)
    people, report.filled_columns, report.filled_cells = people_table(
        good, cols, scenario, units, _generator(rng, scenario)
    )
    _note_dates(report, good, cols)
    _warn_filled(report, scenario)
    return Roster(
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


def _read(path: Path, mapping, fields, field_names: list[str]):
    """The file's table, its canonical columns, and the field overrides; or RosterError."""
    try:
        overrides = _field_overrides(fields, field_names)
        table = read_table(path, mapping)
        return table, resolve_columns(table.headers, mapping), overrides
    except RosterError as err:
        raise RosterError(err.problems, path.name) from None


def _generator(rng, scenario: Scenario) -> np.random.Generator:
    if rng is None:
        return stream(scenario.seed, "workforce")
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def _new_report(source: str, table: Table, cols: dict[str, int]) -> RosterReport:
    report = RosterReport(source=source)
    report.blank_rows = table.blank_rows
    report.rows_read = len(table.records)
    if table.header_row > 1:
        report.notes.append(f"headers read from row {table.header_row}; rows above it ignored")
    report.columns = {c: table.headers[j] for c, j in cols.items()}
    used = set(cols.values())
    report.ignored_columns = [h for j, h in enumerate(table.headers) if j not in used and h]
    if table.numeric_nip:
        report.notes.append(
            "the NIP column holds numbers, not text: Excel keeps 15 significant digits, so "
            "the last digits of 18-digit NIPs are lost; store NIPs as text"
        )
    return report


def _field_overrides(fields: dict[str, str] | None, field_names: list[str]) -> dict[str, str]:
    wrong = [
        f"fields: '{text}' -> '{name}': expected one of {field_names}"
        for text, name in (fields or {}).items()
        if name not in field_names
    ]
    if wrong:
        raise RosterError(wrong)
    return {norm(text): name for text, name in (fields or {}).items()}


def _personal_values(table: Table, cols: dict[str, int]) -> set[str]:
    """Every value of a NIP or name column of the file (whatever the mapping says)."""
    personal = {cols[c] for c in ("nip", "nama") if c in cols}
    aliases = {a for c in ("nip", "nama") for a in HEADER_ALIASES[c]}
    personal |= {j for j, h in enumerate(table.headers) if norm(h) in aliases}
    secret = set()
    for j in personal:
        for _, row in table.records:
            v = cell_text(row[j]) if j < len(row) else ""
            if v:
                secret.update({v.lower(), nip_digits(v).lower()})
    return secret


def _note_unmatched(report, good, table: Table, cols, field_names: list[str]) -> None:
    """Name the jurusan values no keyword matches, unless one could be personal data."""
    unmatched = Counter(r["jurusan"] for r in good if r["jurusan_unmatched"])
    if not unmatched:
        return
    secret = _personal_values(table, cols)
    shown = [
        f"'{v}' ({k})"
        for v, k in unmatched.most_common(10)
        if v.lower() not in secret and not re.search(r"\d", v)
    ]
    where = "put in 'other'" if "other" in field_names else "drawn from the city's mix"
    report.notes.append(
        f"jurusan: {unmatched.total()} values match no field of study in FIELD_KEYWORDS, "
        f"{where} (map them with fields= or --field)" + (": " + ", ".join(shown) if shown else "")
    )


def _keys(good, cols, salt: str | None, report: RosterReport) -> tuple[np.ndarray, bool]:
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
    blank = sum(1 for r in good if not r["nip"])
    if "nip" in cols and blank:
        report.notes.append(f"{blank} rows have no NIP, so no employee key")
    return keys, salted


def _note_dates(report: RosterReport, good, cols) -> None:
    from_nip = sum(1 for r in good if r["tenure_from_nip"])
    if "tmt_cpns" not in cols and from_nip:
        report.notes.append(
            f"tmt_cpns: read from the NIP for {from_nip} rows, estimated for "
            f"{len(good) - from_nip}"
        )
    born_nip = sum(1 for r in good if r["born_from_nip"])
    if born_nip:
        report.notes.append(f"tanggal_lahir: read from the NIP for {born_nip} rows")


def _warn_filled(report: RosterReport, scenario: Scenario) -> None:
    if not (report.filled_columns or report.filled_cells):
        return
    parts = []
    if report.filled_columns:
        parts.append("no column(s) " + ", ".join(report.filled_columns))
    if report.filled_cells:
        cells = ", ".join(f"{c} ({n})" for c, n in report.filled_cells.items())
        parts.append(f"blank cells in {cells}")
    warnings.warn(
        f"{report.source}: {'; '.join(parts)}: filled from the city profile of "
        f"{scenario.city.name} as for a synthetic workforce",
        RosterWarning,
        stacklevel=3,
    )
