"""Reading a roster file: its rows, its header row, and which column is which.

A file that cannot be a roster (not found, not text, not decodable, empty, headers only, an
``.xls`` or damaged ``.xlsx``) is refused with one :class:`RosterError` naming the file and
what was expected; nothing of its content is quoted.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from asnsim.roster.cells import cell_text, norm, parse_date
from asnsim.roster.report import RosterError
from asnsim.roster.vocab import CANONICAL_COLUMNS, HEADER_ALIASES

__all__ = ["Table", "read_table", "resolve_columns"]

_ENCODINGS = ("utf-8-sig", "cp1252")
_HEADER_SEARCH_ROWS = 10  # a title may stand above the headers


@dataclass
class Table:
    """The file as read: its header row, its records below and how many blank rows."""

    header_row: int  # spreadsheet row number of the headers (first row = 1)
    headers: list[str]
    records: list[tuple[int, list[Any]]]  # (spreadsheet row number, cells), non-blank only
    blank_rows: int
    numeric_nip: bool  # an .xlsx whose large numbers may be NIPs stored as numbers


def read_table(path: Path, mapping: dict[str, str] | None) -> Table:
    """Read ``path`` (CSV or .xlsx) and find its header row (the one naming the unit)."""
    try:
        rows, numeric = _read_rows(path)
    except (OSError, csv.Error) as err:
        raise RosterError([f"cannot read the file ({type(err).__name__})"], path.name) from None
    table = [(i, row) for i, row in rows if any(cell_text(c) for c in row)]
    if not table:
        raise RosterError(["the file is empty; expected a header row and one row a person"])
    at = _header_index(table, mapping)
    header_row, headers = table[at]
    records = table[at + 1 :]
    if not records:
        raise RosterError(["the file has a header row but no rows of people"])
    blank = sum(1 for i, _ in rows if i > header_row) - len(records)
    return Table(header_row, [cell_text(h) for h in headers], records, blank, numeric)


def _header_index(table: list[tuple[int, list[Any]]], mapping: dict[str, str] | None) -> int:
    unit_names = {norm(h) for h in HEADER_ALIASES["unit_kerja"]}
    for key, header in (mapping or {}).items():
        if norm(key) == "unit kerja":
            unit_names.add(norm(header))
    for k, (_, row) in enumerate(table[:_HEADER_SEARCH_ROWS]):
        if unit_names & {norm(cell_text(c)) for c in row}:
            return k
    return 0


def _read_rows(path: Path) -> tuple[list[tuple[int, list[Any]]], bool]:
    """Every row of the file as (spreadsheet row number, cells); whether NIPs were numbers."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".xls", ".ods"):
        raise RosterError([f"{suffix} files are not read; save the sheet as .xlsx or .csv"])
    text = _decode(path.read_bytes())
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t", "|"), key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(i, row) for i, row in enumerate(reader, start=1)], False


def _decode(raw: bytes) -> str:
    """The file's text (UTF-8 or Windows-1252); a binary file is refused."""
    if raw.startswith(b"PK\x03\x04"):
        raise RosterError(["this is a zip (an .xlsx?) file, not CSV text; name it .xlsx"])
    if b"\x00" in raw:
        raise RosterError(["not a text file (it holds NUL bytes); expected CSV or .xlsx"])
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError(["the text is neither UTF-8 nor Windows-1252; save it as UTF-8 CSV"])


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
    except OSError:
        raise
    except Exception as err:  # zip or XML errors of a damaged file; their text is not shown
        raise RosterError([f"not a readable .xlsx file ({type(err).__name__})"]) from None
    try:
        sheet = book.worksheets[0]
        rows = [(i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
    except Exception as err:
        raise RosterError([f"not a readable .xlsx file ({type(err).__name__})"]) from None
    finally:
        book.close()
    numeric = False
    for k, (i, row) in enumerate(rows):
        cells = [_xlsx_cell(v) for v in row]
        numeric = numeric or any(isinstance(v, int) and abs(v) >= 1e15 for v in cells)
        rows[k] = (i, cells)
    return rows, numeric


def _xlsx_cell(v: Any) -> Any:
    """Blank as "", whole numbers as int, dates kept, anything else as read."""
    if v is None:
        return ""
    if isinstance(v, datetime | date):
        return v
    if isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer():
        return int(v)
    return v


def resolve_columns(headers: list[str], mapping: dict[str, str] | None) -> dict[str, int]:
    """Column index of each canonical column found (``mapping`` first, then aliases)."""
    problems: list[str] = []
    by_norm: dict[str, list[int]] = {}
    for j, h in enumerate(headers):
        by_norm.setdefault(norm(h), []).append(j)
    cols = _mapped(headers, by_norm, mapping or {}, problems)
    taken = set(cols.values())
    for canon in CANONICAL_COLUMNS:
        if canon in cols or (mapping and any(norm(k) == norm(canon) for k in mapping)):
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
    problems += _missing(cols, headers)
    if problems:
        raise RosterError(problems)
    return cols


def _mapped(headers, by_norm, mapping: dict[str, str], problems: list[str]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for key, header in mapping.items():
        canon = norm(key).replace(" ", "_")
        if canon not in CANONICAL_COLUMNS:
            problems.append(
                f"mapping: '{key}' is not a roster column; expected one of "
                f"{list(CANONICAL_COLUMNS)}"
            )
        elif header in headers:
            cols[canon] = headers.index(header)
        elif len(by_norm.get(norm(header), [])) == 1:
            cols[canon] = by_norm[norm(header)][0]
        else:
            problems.append(
                f"mapping: {canon} = '{header}': no such header in the file; {show(headers)}"
            )
    return cols


def _missing(cols: dict[str, int], headers: list[str]) -> list[str]:
    missing = []
    if "unit_kerja" not in cols:
        missing.append("unit_kerja")
    if "nip" not in cols and "tanggal_lahir" not in cols:
        missing.append("nip or tanggal_lahir")
    if not missing:
        return []
    return [
        f"missing required column(s): {', '.join(missing)}; {show(headers)} "
        "(name them with mapping= or --map CANONICAL=HEADER)"
    ]


def show(headers: list[str]) -> str:
    """The headers for a message, unless the row looks like an employee's data."""
    known = {a for aliases in HEADER_ALIASES.values() for a in aliases}
    if any(parse_date(h) or re.search(r"\d{6}", h) for h in headers) or not (
        known & {norm(h) for h in headers}
    ):
        return "the first row does not look like headers (not shown)"
    return f"headers are {headers}"
