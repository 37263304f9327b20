"""The NIP's structure (BKN) and whether it agrees with the rest of its row.

An 18-digit NIP is: date of birth ``YYYYMMDD`` (8 digits), start of service (TMT CPNS)
``YYYYMM`` (6), sex ``1`` male or ``2`` female (1), a sequence number ``001``-``999`` (3).
In a PPPK number (NI PPPK) the two digits after the year are the code ``21``, not a month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from asnsim.roster.cells import parse_date
from asnsim.roster.vocab import PPPK_NIP_CODE

__all__ = ["NIP_EXPECTED", "Nip", "decode_nip", "mismatches"]

NIP_EXPECTED = "18 digits: birth date YYYYMMDD, TMT YYYYMM (PPPK: YYYY21), sex 1/2, sequence"
"""What a NIP must look like, for messages."""


@dataclass(frozen=True)
class Nip:
    """What an 18-digit NIP holds."""

    born: date
    start_year: int
    start_month: int | None  # None in a PPPK number (code 21 instead of a month)
    sex: int

    @property
    def pppk(self) -> bool:
        """Whether this is a PPPK number."""
        return self.start_month is None

    @property
    def start(self) -> date:
        """Start of service; a PPPK number holds no month, so 1 July (assumption)."""
        return date(self.start_year, self.start_month or 7, 1)


def decode_nip(digits: str) -> Nip | None:
    """The parts of a NIP given as its digits; None if it does not have BKN's structure."""
    if not re.fullmatch(r"\d{18}", digits):
        return None
    born = parse_date(digits[:8])
    year, code, sex, seq = int(digits[8:12]), digits[12:14], digits[14], digits[15:]
    month = None if code == PPPK_NIP_CODE else int(code)
    ok_start = 1900 < year < 2200 and (month is None or 1 <= month <= 12)
    if born is None or not ok_start or sex not in "12" or seq == "000":
        return None
    if date(year, month or 12, 1) < born:
        return None
    return Nip(born=born, start_year=year, start_month=month, sex=int(sex))


def mismatches(
    nip: Nip, born: date | None, start: date | None, sex: int | None, status: int | None
) -> list[str]:
    """The row's columns that contradict its NIP (each given value None = not in the row).

    Args:
        nip: The decoded NIP.
        born: The row's date of birth.
        start: The row's start of service (tmt_cpns): its year and month must be the NIP's
            (the year only, for a PPPK number).
        sex: The row's sex, 1 or 2.
        status: The row's status, 0 PNS or 1 PPPK.
    """
    out = []
    if born is not None and born != nip.born:
        out.append("tanggal_lahir")
    if start is not None and (
        start.year != nip.start_year or (not nip.pppk and start.month != nip.start_month)
    ):
        out.append("tmt_cpns")
    if sex is not None and sex != nip.sex:
        out.append("jenis_kelamin")
    if status is not None and status == 0 and nip.pppk:
        out.append("status")
    return out
