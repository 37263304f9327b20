"""What an import gives back: the roster, its report of every row, its errors and warnings.

Nothing here holds a name, a NIP or a birth date: a bad row is reported by its row number,
its column and the kind of problem, never by its value.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from asnsim.scenario import EDUCATION_LEVELS, FUNCTIONAL_LEVELS, POSITION_TYPES, RANK_NAMES

__all__ = ["Roster", "RosterError", "RosterReport", "RosterWarning", "RowProblem"]


class RosterWarning(UserWarning):
    """Columns (or cells) of a roster were filled from the city profile."""


class RosterError(ValueError):
    """A roster that cannot be used as asked; ``problems`` lists every reason."""

    def __init__(self, problems: list[Any], source: str | None = None):
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        rows = {p.row for p in self.problems if isinstance(p, RowProblem)}
        in_rows = f" in {len(rows)} row{'s' if len(rows) > 1 else ''}" if rows else ""
        if len(self.problems) == 1:
            text = f"{head}{self.problems[0]}"
        else:
            text = f"{head}{len(self.problems)} problems{in_rows}\n" + "\n".join(
                f"  {p}" for p in self.problems
            )
        super().__init__(text)


@dataclass(frozen=True)
class RowProblem:
    """Why a row cannot be used: spreadsheet row (header = 1), column, kind of problem.

    The cell's value is never kept: it may hold a name, a NIP or a birth date.
    """

    row: int
    column: str  # the file's header
    reason: str  # the kind of problem, short and stable, e.g. "date in the future"
    detail: str = ""  # what was expected; never a value of the file

    def __str__(self) -> str:
        more = f" ({self.detail})" if self.detail else ""
        return f"row {self.row}, column {self.column}: {self.reason}{more}"


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
        people: The people table (:data:`asnsim.people.COLUMNS`), as the synthetic
            generator makes it; :func:`asnsim.people.to_workforce` turns it into workers.
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
