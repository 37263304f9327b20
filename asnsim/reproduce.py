"""Re-run a stored run or study from what it recorded, and say file by file whether it reproduces.

A run's ``manifest.json`` holds its canonical scenario (seed included); a study keeps each
run's canonical scenario in ``runs/<run_id>/scenario.json``. :func:`reproduce` re-runs them from
there, so neither the scenario files nor the command line are needed, and compares what it gets
with what is stored:

- tables (``*.parquet``) cell by cell, JSON files value by value, and a figure pixel by pixel;
- a study's own tables (``comparison.csv`` and the like) are derived from its runs by the
  analysis, so they are reported as ``derived``: identical runs give identical tables;
- the versions of Python and of the packages that shape a result, then and now.

Nothing is written in the folder being checked; a run is re-made in a temporary folder.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from asnsim.catalog import resolve_roster
from asnsim.outfolder import read_manifest
from asnsim.results import versions
from asnsim.scenario import Scenario, ScenarioError

__all__ = ["Check", "Report", "reproduce"]

IDENTICAL = "identical"
DIFFERS = "differs"
MISSING = "missing"
DERIVED = "derived"
NOT_COMPARED = "not compared"

_RUN_META = ("run_id", "variant", "point", "replication", "seed")
_EXTRA = ("lang", "roster_sha256", "roster_rows_used", "roster_options")


@dataclass
class Check:
    """The verdict on one stored file.

    Attributes:
        path: The file, relative to the folder checked.
        verdict: ``identical``, ``differs``, ``missing`` (stored but not re-made, or the
            other way round), ``derived`` (a study's table computed from its runs) or
            ``not compared`` (with the reason in ``detail``).
        detail: What differs, or why it was not compared.
    """

    path: str
    verdict: str
    detail: str = ""


@dataclass
class Report:
    """What :func:`reproduce` found.

    Attributes:
        folder: The folder checked.
        kind: The kind of job that wrote it (``run``, ``compare`` ...).
        checks: One verdict per file.
        versions: Python and package versions that differ: name → (stored, now).
        runs_checked: Runs re-made (a study may be checked in part with ``limit``).
        runs_stored: Runs the folder holds.
    """

    folder: Path
    kind: str
    checks: list[Check] = field(default_factory=list)
    versions: dict[str, tuple[str, str]] = field(default_factory=dict)
    runs_checked: int = 0
    runs_stored: int = 0

    @property
    def reproduced(self) -> bool:
        """True when every file compared is identical and none is missing."""
        return all(c.verdict in (IDENTICAL, DERIVED, NOT_COMPARED) for c in self.checks)

    def table(self) -> pd.DataFrame:
        """The checks as a table (path, verdict, detail)."""
        return pd.DataFrame([vars(c) for c in self.checks], columns=["path", "verdict", "detail"])

    def text(self) -> str:
        """The report in plain words, one line per file."""
        width = max([len(c.path) for c in self.checks] + [4])
        lines = [f"{self.folder} ({self.kind}):"]
        lines += [
            f"  {c.path:<{width}}  {c.verdict}{': ' + c.detail if c.detail else ''}"
            for c in self.checks
        ]
        if self.runs_stored:
            lines.append(f"runs re-made: {self.runs_checked} of {self.runs_stored}")
        if self.versions:
            lines.append("versions that differ (stored → now):")
            lines += [
                f"  {k}: {a} → {b}"
                for k, a, b in ((k, *v) for k, v in sorted(self.versions.items()))
            ]
        else:
            lines.append("versions: the same as when it was stored")
        verdict = "REPRODUCED" if self.reproduced else "NOT REPRODUCED"
        different = sum(c.verdict in (DIFFERS, MISSING) for c in self.checks)
        lines.append(verdict + ("" if self.reproduced else f": {different} file(s) differ"))
        return "\n".join(lines)


def reproduce(
    folder: str | Path,
    roster: str | Path | None = None,
    limit: int | None = None,
    progress: bool | None = None,
) -> Report:
    """Re-run what ``folder`` holds and compare it with what is stored.

    Args:
        folder: A folder written by ``asnsim run`` or by a study (``compare``, ``sweep``,
            ``sensitivity``, ``national``, ``validation``, an experiment).
        roster: The roster file a run was started from (its hash must match the manifest's).
        limit: Re-make at most this many of a study's runs (the first by run id).
        progress: Show a progress bar (default: when it takes over 2 s).

    Returns:
        The :class:`Report`.

    Raises:
        ScenarioError: If the folder holds no asnsim result, its records cannot be read, or
            the roster is missing or not the one recorded.
    """
    folder = Path(folder)
    manifest = read_manifest(folder) if folder.is_dir() else None
    if manifest is None:
        raise ScenarioError(
            [f"{folder}: no asnsim result here (expected a folder with its manifest.json)"]
        )
    report = Report(folder, manifest["kind"], versions=_version_changes(manifest))
    if manifest["kind"] == "run":
        report.checks = _reproduce_run(folder, manifest, roster)
    else:
        _reproduce_study(folder, manifest, report, limit, progress)
    return report


def _version_changes(manifest: dict[str, Any]) -> dict[str, tuple[str, str]]:
    stored = manifest.get("versions") or {}
    now = versions()
    return {k: (str(stored.get(k, "?")), now[k]) for k in now if stored.get(k) != now[k]}


# --------------------------------------------------------------------------- a run


def _reproduce_run(folder: Path, manifest: dict[str, Any], roster: Any) -> list[Check]:
    from asnsim.model import ASNModel
    from asnsim.results import write_results

    scenario = _stored_scenario(manifest.get("scenario"), folder / "manifest.json")
    checks = []
    if scenario.hash() != manifest.get("scenario_hash"):
        checks.append(
            Check(
                "manifest.json",
                DIFFERS,
                "the stored scenario no longer hashes to its "
                "recorded hash (the scenario's schema or defaults changed)",
            )
        )
    people = _stored_roster(manifest, roster, scenario, folder)
    outcomes = ASNModel(scenario, roster=people).run(progress=False)
    with tempfile.TemporaryDirectory(prefix="asnsim-reproduce-") as tmp:
        again = write_results(
            outcomes,
            scenario,
            Path(tmp) / "run",
            figure="outcomes.png" in manifest["files"],
            lang=manifest.get("lang", "en"),
            extra_manifest={k: manifest[k] for k in _EXTRA if k in manifest},
        )
        for name in sorted(set(manifest["files"]) - {"manifest.json"}):
            checks.append(_compare_file(name, folder / name, again / name))
    return checks


def _stored_scenario(data: Any, where: Path) -> Scenario:
    if not isinstance(data, dict):
        raise ScenarioError(
            [f"{where}: no scenario recorded (written by an older asnsim): cannot re-run it"]
        )
    try:
        return Scenario.model_validate(data)
    except ValueError as err:
        first = str(err).splitlines()[0]
        raise ScenarioError(
            [f"{where}: the recorded scenario is not valid for this asnsim ({first})"]
        ) from None


def _stored_roster(manifest: dict[str, Any], roster: Any, scenario: Scenario, folder: Path):
    digest = manifest.get("roster_sha256")
    if digest is None:
        if roster is not None:
            raise ScenarioError([f"--roster {roster}: the run in {folder} used no roster"])
        return None
    if roster is None:
        raise ScenarioError(
            [f"{folder}: the run started from a roster; give it with --roster FILE"]
        )
    path = resolve_roster(roster)
    if not path.is_file():
        raise ScenarioError([f"--roster {roster}: no such file"])
    if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
        raise ScenarioError(
            [
                f"--roster {roster}: not the roster the run used (its SHA-256 differs from the "
                "manifest's roster_sha256)"
            ]
        )
    from asnsim.roster import load_roster

    options = manifest.get("roster_options") or {}
    return load_roster(
        path,
        scenario,
        mapping=options.get("mapping"),
        strict=bool(options.get("strict", False)),
        salt=secrets.token_hex(16),  # keys are not part of the results
        as_of=options.get("as_of"),
        fields=options.get("fields"),
    )


# --------------------------------------------------------------------------- a study


SUMMARY_ONLY = ("robust", "optimise")
"""Kinds of study that store each run's outcomes and scenario, not its tables."""


def _reproduce_study(
    folder: Path, manifest: dict[str, Any], report: Report, limit: int | None, progress: Any
) -> None:
    from asnsim.experiment import execute_run

    done = sorted(folder.glob("runs/*/done.json")) + sorted(folder.glob("*/runs/*/done.json"))
    failed = sorted(folder.glob("runs/*/failed.json")) + sorted(
        folder.glob("*/runs/*/failed.json")
    )
    report.runs_stored = len(done)
    for name in sorted(set(manifest["files"]) - {"manifest.json", "runs"}):
        if (folder / name).is_file():
            report.checks.append(Check(name, DERIVED, "computed from the runs below"))
    for path in failed:
        report.checks.append(Check(_rel(path.parent, folder), NOT_COMPARED, "the run failed"))
    factors = {r["run_id"]: set(r.get("factors") or {}) for r in manifest.get("runs") or []}
    chosen = done if limit is None else done[:limit]
    for path in tqdm(chosen, unit="run", delay=2.0, disable=progress is False, desc="reproduce"):
        record = json.loads(path.read_text(encoding="utf-8"))
        run = path.parent
        scenario = _stored_scenario(_read_json(run / "scenario.json"), run / "scenario.json")
        stored_hash = str(record.get("key", "")).split(":")[0]
        if scenario.hash() != stored_hash:
            report.checks.append(
                Check(
                    _rel(run, folder),
                    DIFFERS,
                    "the stored scenario no longer hashes to the "
                    "run's key (the scenario's schema or defaults changed)",
                )
            )
        daily = (run / "daily.parquet").exists()
        result = execute_run(scenario.canonical_json(), daily)
        tables = {} if manifest["kind"] in SUMMARY_ONLY else result["tables"]
        for name, frame in tables.items():
            report.checks.append(
                _compare_frame(
                    _rel(run / f"{name}.parquet", folder), run / f"{name}.parquet", frame
                )
            )
        report.checks.append(
            _compare_values(
                _rel(path, folder),
                _summary_of(record, factors.get(run.name, set()) - set(result["summary"])),
                result["summary"],
            )
        )
        report.runs_checked += 1


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        raise ScenarioError([f"{path}: cannot be read as JSON ({err})"]) from None


def _summary_of(record: dict[str, Any], factors: set[str]) -> dict[str, Any]:
    """The stored summary without the run's labels (id, variant, ...) and its ``factors``."""
    labels = set(_RUN_META) | factors
    return {k: v for k, v in record.get("summary", {}).items() if k not in labels}


def _rel(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix()


# --------------------------------------------------------------------------- comparing


def _compare_file(name: str, stored: Path, again: Path) -> Check:
    if not stored.exists() or not again.exists():
        where = "stored" if not stored.exists() else "re-made"
        return Check(name, MISSING, f"not {where}")
    if name.endswith(".parquet"):
        return _compare_frame(name, stored, pd.read_parquet(again))
    if name.endswith(".json"):
        return _compare_values(
            name,
            json.loads(stored.read_text(encoding="utf-8")),
            json.loads(again.read_text(encoding="utf-8")),
        )
    if name.endswith(".png"):
        return _compare_image(name, stored, again)
    same = stored.read_bytes() == again.read_bytes()
    return Check(name, IDENTICAL if same else DIFFERS)


def _compare_frame(name: str, stored: Path, frame: pd.DataFrame) -> Check:
    if not stored.exists():
        return Check(name, MISSING, "not stored")
    old = pd.read_parquet(stored)
    if list(old.columns) != list(frame.columns):
        gone = [c for c in old.columns if c not in frame.columns]
        new = [c for c in frame.columns if c not in old.columns]
        return Check(name, DIFFERS, f"columns differ (gone: {gone[:5]}, new: {new[:5]})")
    if old.shape != frame.shape:
        return Check(name, DIFFERS, f"shape {old.shape} → {frame.shape}")
    for column in old.columns:
        a, b = old[column].to_numpy(), frame[column].to_numpy()
        if not _same_array(a, b):
            rows = int((~_equal_cells(a, b)).sum())
            return Check(name, DIFFERS, f"column {column!r} differs in {rows} row(s)")
    return Check(name, IDENTICAL)


def _equal_cells(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype.kind in "fc" and b.dtype.kind in "fc":
        return (a == b) | (np.isnan(a) & np.isnan(b))
    return np.array([x == y or (_is_nan(x) and _is_nan(y)) for x, y in zip(a, b, strict=True)])


def _same_array(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(_equal_cells(a, b).all())


def _is_nan(x: Any) -> bool:
    return isinstance(x, float) and math.isnan(x)


def _compare_values(name: str, old: Any, new: Any) -> Check:
    differing = _differing_keys(old, new)
    if not differing:
        return Check(name, IDENTICAL)
    shown = ", ".join(differing[:5]) + (" ..." if len(differing) > 5 else "")
    return Check(name, DIFFERS, f"{len(differing)} value(s) differ: {shown}")


def _differing_keys(old: Any, new: Any, prefix: str = "") -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new)):
            where = f"{prefix}{key}"
            if key not in old or key not in new:
                out.append(where)
            else:
                out += _differing_keys(old[key], new[key], where + ".")
        return out
    same = old == new or (old is None and _is_nan(new)) or (_is_nan(old) and new is None)
    same = same or (_is_nan(old) and _is_nan(new))
    return [] if same else [prefix.rstrip(".") or "(value)"]


def _compare_image(name: str, stored: Path, again: Path) -> Check:
    from matplotlib.image import imread

    a, b = imread(stored), imread(again)
    if a.shape == b.shape and np.array_equal(a, b):
        return Check(name, IDENTICAL)
    return Check(name, DIFFERS, "pixels differ (a figure, not a result: fonts or matplotlib)")
