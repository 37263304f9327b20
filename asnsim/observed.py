"""Observed targets: the published figures the model is calibrated or validated against.

The figures live in ``data/observed/*.csv`` (one row per figure; ``data/README.md`` explains
which are used for calibration and which are held out for validation). Each row names the
quantity the model computes, its scope (``national``, ``kab_kota``, a modelled city such as
``padang``, a unit such as ``padang/Puskesmas Lubuk Begalung``, a sector across cities such as
``national/civil_registry``, or another place, kept as an anchor), the year, a value or a
``low``/``high`` range, the source and the row of ``OBSERVED.md`` it comes from.

The table is validated like a scenario: unknown or missing columns, unknown enum values,
a row with neither a value nor a range, ``low > high`` or a non-finite number are refused
with the file, the row and the column.
"""

from __future__ import annotations

import csv
import math
from enum import StrEnum
from pathlib import Path

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from asnsim.catalog import OBSERVED_DIR
from asnsim.scenario import ScenarioError

__all__ = [
    "COLUMNS",
    "DEFAULT_PATH",
    "ObservedError",
    "Target",
    "load_targets",
    "target_bounds",
]

DEFAULT_PATH = OBSERVED_DIR
"""The folder of the shipped target tables (``data/observed``)."""


class ObservedError(ScenarioError):
    """A target table that cannot be used; every problem names the file, row and column."""


class Confidence(StrEnum):
    """Confidence grade of OBSERVED.md: H primary or two outlets, M one outlet, L weak."""

    H = "H"
    M = "M"
    L = "L"


class Use(StrEnum):
    """What a target is for: setting defaults (calibration) or testing the model."""

    calibration = "calibration"
    validation = "validation"


class Unit(StrEnum):
    """Units of target values."""

    share = "share"
    share_per_year = "share_per_year"
    ikm_points = "ikm_points"
    years = "years"


class Target(BaseModel):
    """One observed figure (a row of a target table)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    target: str = Field(pattern=r"^[a-z0-9_]+$", description="Stable id.")
    quantity: str = Field(pattern=r"^[a-z0-9_]+$", description="What the model computes.")
    scope: str = Field(min_length=1, description="national, kab_kota, a city, city/unit ...")
    year: str = Field(pattern=r"^\d{4}(-\d{4})?$", description="Year or YYYY-YYYY.")
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: Unit
    source: str = Field(min_length=1, description="Outlet and document.")
    observed_ref: str = Field(min_length=1, description="Section and row of OBSERVED.md.")
    confidence: Confidence
    use: Use
    note: str = ""

    @field_validator("value", "low", "high")
    @classmethod
    def _finite(cls, v: float | None) -> float | None:
        if v is not None and not math.isfinite(v):
            raise ValueError("expected a finite number")
        return v

    @model_validator(mode="after")
    def _value_or_range(self) -> Target:
        has_range = self.low is not None or self.high is not None
        if self.value is None and not has_range:
            raise ValueError("needs a value or a low/high range")
        if self.value is not None and has_range:
            raise ValueError("give either a value or a low/high range, not both")
        if has_range and (self.low is None or self.high is None):
            raise ValueError("a range needs both low and high")
        if has_range and self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        return self


COLUMNS = tuple(Target.model_fields)
"""The columns of a target table, in order."""


def target_bounds(row) -> tuple[float, float]:
    """The observed interval of a target row: (value, value) or (low, high)."""
    value = getattr(row, "value", None)
    if value is not None and not pd.isna(value):
        return float(value), float(value)
    return float(row.low), float(row.high)


def _read_file(path: Path) -> list[Target]:
    problems: list[str] = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        unknown = [c for c in header if c not in COLUMNS]
        missing = [c for c in COLUMNS if c not in header and c != "note"]
        if unknown:
            problems.append(f"unknown column(s) {unknown}; expected {list(COLUMNS)}")
        if missing:
            problems.append(f"missing column(s) {missing}")
        if problems:
            raise ObservedError(problems, str(path))
        rows = []
        for line, raw in enumerate(reader, start=2):
            if None in raw:  # more cells than headers
                problems.append(f"line {line}: more cells than columns")
                continue
            data = {k: (v.strip() if v is not None else "") for k, v in raw.items()}
            for key in ("value", "low", "high"):
                if data.get(key) == "":
                    data[key] = None
            name = data.get("target") or "?"
            try:
                rows.append(Target.model_validate(data))
            except ValidationError as err:
                for e in err.errors():
                    column = ".".join(str(p) for p in e["loc"]) or "row"
                    msg = e["msg"].removeprefix("Value error, ")
                    shown = e.get("input")
                    got = f"got {shown!r}; " if column != "row" and shown is not None else ""
                    problems.append(f"line {line} (target {name}), {column}: {got}{msg}")
    seen: dict[str, int] = {}
    for t in rows:
        seen[t.target] = seen.get(t.target, 0) + 1
    problems += [f"target {t!r} appears {n} times" for t, n in seen.items() if n > 1]
    if problems:
        raise ObservedError(problems, str(path))
    return rows


def load_targets(path: str | Path | None = None, use: str | None = None) -> pd.DataFrame:
    """Load and validate observed targets.

    Args:
        path: A target CSV, or a folder whose ``*.csv`` files are read (default:
            ``data/observed``).
        use: Keep only ``calibration`` or ``validation`` targets (default: all).

    Returns:
        One row per target with the columns of :data:`COLUMNS` (``value``, ``low``, ``high``
        as floats, NaN where not given).

    Raises:
        ObservedError: naming the file, the line and the column of every problem.
    """
    path = DEFAULT_PATH if path is None else Path(path)
    if use is not None and use not in Use.__members__:
        raise ObservedError([f"use: got {use!r}; expected one of {list(Use.__members__)}"])
    if path.is_dir():
        files = sorted(path.glob("*.csv"))
        if not files:
            raise ObservedError(["no *.csv target table in this folder"], str(path))
    elif path.is_file():
        files = [path]
    else:
        raise ObservedError(["no such target table or folder"], str(path))
    targets: list[Target] = []
    for f in files:
        targets += _read_file(f)
    ids = [t.target for t in targets]
    dupes = sorted({t for t in ids if ids.count(t) > 1})
    if dupes:
        raise ObservedError([f"target id(s) {dupes} appear in more than one file"], str(path))
    frame = pd.DataFrame([t.model_dump(mode="json") for t in targets], columns=list(COLUMNS))
    frame[["value", "low", "high"]] = frame[["value", "low", "high"]].astype(float)
    if use is not None:
        frame = frame[frame["use"] == use].reset_index(drop=True)
    return frame
