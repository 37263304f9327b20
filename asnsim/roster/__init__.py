"""A planner's own employee roster as the model's starting workforce.

:func:`load_roster` reads a CSV or Excel (``.xlsx``) file with columns like those BKN's SIASN
holds for each employee (Peraturan BKN 7/2023; DOMAIN.md) and returns a :class:`Roster`
whose ``people`` is a people table (:mod:`asnsim.people`), the same table the synthetic
generator makes; :func:`asnsim.people.to_workforce` turns either into workers.

Canonical columns (``mapping`` maps them to the file's own headers; common Indonesian header
spellings are recognised without it):

================= =======================================================================
``nip``           NIP (18 digits, BKN: birth date, TMT CPNS, sex, sequence). Checked
                  against the row, hashed with a salt into ``employee_key``, never stored.
``nama``          name. Only read so that it can be kept out of messages; never stored.
``tanggal_lahir`` date of birth; read from the NIP (its first 8 digits) when absent.
``golongan``      rank ``I/a`` ... ``IV/e`` (also ``III/A``, ``3a``, ``Penata Muda (III/a)``);
                  a PPPK pay grade ``I`` ... ``XVII`` (or 1-17) counts as the rank of the
                  same step (grade IX = III/a).
``jenis_jabatan`` JPT / administrator / pengawas / fungsional / pelaksana, in the usual
                  spellings ("Jabatan Fungsional", "JPT Pratama", "Eselon III", ...).
``jenjang``       functional level (Ahli Pertama/Muda/Madya/Utama; Pemula, Terampil, Mahir,
                  Penyelia are the keterampilan levels); read for fungsional staff only.
``unit_kerja``    the unit: one of the scenario's expanded unit names ("Puskesmas 3").
``pendidikan``    SLTA/SMA/SMK, D3, S1/D4, S2, S3 (see ``EDUCATION_SPELLINGS``).
``jurusan``       field of study, mapped to the scenario's fields by ``FIELD_KEYWORDS``.
``status``        PNS or PPPK.
``tmt_cpns``      start of service; read from the NIP (digits 9-14) when absent.
``jenis_kelamin`` L/P; only checked against the NIP's sex digit.
================= =======================================================================

Ages and years of service are counted at ``as_of``, the date of the roster, which is the
run's day 0. ``unit_kerja`` is required, and at least one of ``nip`` / ``tanggal_lahir``.
Any other missing column is drawn from the city profile exactly as the synthetic workforce
is drawn, with one :class:`RosterWarning` naming the columns. Rows that cannot be used are
all collected with their spreadsheet row number (header = row 1), column and kind of
problem; ``strict=True`` raises :class:`RosterError` listing them, the default skips them
and :class:`RosterReport` says how many and why. Every non-blank row is either in
``people`` or in the report.

Personal data: names are read only to keep them out of messages, NIPs only to check them,
derive dates and the salted key. No name, NIP or birth date appears in the
:class:`Roster`, its report or the command's output: bad rows are reported without values.

The package by job: :mod:`~asnsim.roster.vocab` (spelling tables),
:mod:`~asnsim.roster.cells` (cell parsers), :mod:`~asnsim.roster.nip` (the NIP's
structure), :mod:`~asnsim.roster.read` (file reading), :mod:`~asnsim.roster.report`
(result types), :mod:`~asnsim.roster.checks` (record checks), :mod:`~asnsim.roster.fill`
(the people table), :mod:`~asnsim.roster.load` (orchestration). The command
``asnsim roster import`` is in :mod:`asnsim.cli`.
"""

from asnsim.roster.cells import (
    match_field,
    parse_date,
    parse_education,
    parse_level,
    parse_position,
    parse_rank,
    parse_sex,
    parse_status,
)
from asnsim.roster.load import SALT_ENV, employee_key, load_roster
from asnsim.roster.nip import decode_nip
from asnsim.roster.report import Roster, RosterError, RosterReport, RosterWarning, RowProblem
from asnsim.roster.vocab import (
    CANONICAL_COLUMNS,
    EDUCATION_SPELLINGS,
    FIELD_KEYWORDS,
    HEADER_ALIASES,
)

__all__ = [
    "CANONICAL_COLUMNS",
    "EDUCATION_SPELLINGS",
    "FIELD_KEYWORDS",
    "HEADER_ALIASES",
    "SALT_ENV",
    "Roster",
    "RosterError",
    "RosterReport",
    "RosterWarning",
    "RowProblem",
    "decode_nip",
    "employee_key",
    "load_roster",
    "match_field",
    "parse_date",
    "parse_education",
    "parse_level",
    "parse_position",
    "parse_rank",
    "parse_sex",
    "parse_status",
]
