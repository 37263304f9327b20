"""Reading a saved result folder: a comparison, a robust study or a Pareto front.

The kind is told by the files present: ``comparison.csv`` (``asnsim compare``), ``robust.csv``
(``asnsim robust``) or ``pareto.csv`` (``asnsim optimise``). Anything else is refused with a
message naming the folder and the files expected.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from asnsim.scenario import ScenarioError

__all__ = ["KIND_TABLES", "ResultFolder", "read_result"]

KIND_TABLES = {"compare": "comparison.csv", "robust": "robust.csv", "optimise": "pareto.csv"}
"""The table that tells each kind of result folder, in the order they are looked for."""

_ROBUST_COLUMNS = ("option", "outcome", "expected", "p_best", "regret_mean", "regret_max")
_COMPARE_COLUMNS = ("outcome", "variant", "mean", "diff", "ci_low", "ci_high")
_DISCOVERY_COLUMNS = ("option", "parameter", "low", "high", "coverage", "density")


@dataclass
class ResultFolder:
    """A result folder as read: its kind, main table, extra tables, figures and records.

    Attributes:
        path: The folder.
        kind: ``compare``, ``robust`` or ``optimise``.
        table: The main table (``comparison.csv``, ``robust.csv`` or ``pareto.csv``).
        manifest: ``manifest.json`` as a dict (empty if absent).
        scenario: The scenario the study ran (a run's ``scenario.json``), or None if no
            record of it was found.
        figures: The folder's PNG figures, sorted by name.
        worlds: ``worlds.csv`` of a robust study (None otherwise).
        discovery: ``discovery.csv`` of a robust study (None if absent).
        variant_files: A Pareto front's ``variants/*.yaml``, sorted.
        asked: The question as the person who asked for the brief wrote it (may be empty).
    """

    path: Path
    kind: str
    table: pd.DataFrame
    manifest: dict[str, Any] = field(default_factory=dict)
    scenario: dict[str, Any] | None = None
    figures: list[Path] = field(default_factory=list)
    worlds: pd.DataFrame | None = None
    discovery: pd.DataFrame | None = None
    variant_files: list[Path] = field(default_factory=list)
    asked: str = ""

    @property
    def question(self) -> str:
        """The question as a person wrote it (``asnsim brief --question`` or the manifest's)."""
        for text in (self.asked, self.manifest.get("question")):
            if isinstance(text, str) and text.strip():
                return " ".join(text.split())
        return ""

    @property
    def description(self) -> str:
        """The scenario's own description, as its file gives it (or the manifest's)."""
        for source in (self.scenario or {}, self.manifest):
            text = source.get("description")
            if isinstance(text, str) and text.strip():
                return " ".join(text.split())
        return ""

    @property
    def baseline(self) -> str | None:
        """The option the others are compared with, if the study names one."""
        experiment = self.manifest.get("experiment") or {}
        value = experiment.get("baseline") or self.manifest.get("baseline")
        return str(value) if value else None

    def command(self) -> str:
        """The command that reproduces the folder: the manifest's, or one rebuilt from it."""
        recorded = self.manifest.get("command")
        if isinstance(recorded, list):
            return shlex.join(str(a) for a in recorded)
        if isinstance(recorded, str) and recorded.strip():
            return recorded.strip()
        if self.kind == "compare" and "experiment" in self.manifest:
            return _compare_command(self.manifest["experiment"], self.path)
        return ""


def _csv(path: Path, needed: tuple[str, ...] = ()) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError, UnicodeDecodeError) as err:
        raise ScenarioError([f"cannot read it as a CSV table ({err})"], str(path)) from None
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ScenarioError(
            [f"missing columns {missing}; expected at least {list(needed)}"], str(path)
        )
    return frame


def _json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ScenarioError([f"not valid JSON ({err})"], str(path)) from None
    if not isinstance(data, dict):
        raise ScenarioError(["expected a JSON object"], str(path))
    return data


def _scenario_record(folder: Path, manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The scenario the study ran: the manifest's own record, else its first run's."""
    recorded = manifest.get("scenario")
    if isinstance(recorded, dict):
        return recorded
    runs = folder / "runs"
    baseline = (manifest.get("experiment") or {}).get("baseline", "base")
    found = sorted(runs.glob(f"{baseline}__*/scenario.json"))
    found = found or sorted(runs.glob("*/scenario.json"))
    return _json(found[0]) if found else None


def read_result(folder: str | Path) -> ResultFolder:
    """Read a comparison, robust study or Pareto front folder.

    Args:
        folder: The folder written by ``asnsim compare``, ``asnsim robust`` or
            ``asnsim optimise``.

    Raises:
        ScenarioError: If the folder does not exist, is none of the three kinds, or a table
            in it lacks the columns its kind writes (the message names file and columns).
    """
    path = Path(folder)
    if not path.is_dir():
        raise ScenarioError([f"{path}: no such folder; expected a result folder"])
    kind = next((k for k, name in KIND_TABLES.items() if (path / name).is_file()), None)
    if kind is None:
        expected = ", ".join(f"{name} ({k})" for k, name in KIND_TABLES.items())
        raise ScenarioError(
            [f"{path}: not a result folder asnsim can brief; expected one of {expected}"]
        )
    needed = {"compare": _COMPARE_COLUMNS, "robust": _ROBUST_COLUMNS, "optimise": ()}[kind]
    table = _csv(path / KIND_TABLES[kind], needed)
    manifest = _json(path / "manifest.json")
    result = ResultFolder(
        path=path,
        kind=kind,
        table=table,
        manifest=manifest,
        scenario=_scenario_record(path, manifest),
        figures=sorted(path.glob("*.png")),
    )
    if kind == "robust":
        if (path / "worlds.csv").is_file():
            result.worlds = _csv(path / "worlds.csv")
        if (path / "discovery.csv").is_file():
            result.discovery = _csv(path / "discovery.csv", _DISCOVERY_COLUMNS)
    if kind == "optimise":
        if "current" not in table.columns:
            raise ScenarioError(
                ["missing column 'current' (true for the planner's current policy)"],
                str(path / "pareto.csv"),
            )
        result.variant_files = sorted((path / "variants").glob("*.yaml"))
    return result


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _compare_command(experiment: dict[str, Any], folder: Path) -> str:
    """``asnsim compare ...`` rebuilt from a comparison's recorded experiment."""
    args = ["asnsim", "compare", str(experiment.get("scenario", "SCENARIO"))]
    baseline = experiment.get("baseline", "base")
    for name, overrides in (experiment.get("variants") or {}).items():
        if name == baseline and not overrides:
            continue
        args += ["--variant", name, *(f"{k}={_value(v)}" for k, v in overrides.items())]
    for key, value in (experiment.get("overrides") or {}).items():
        args += ["--set", f"{key}={_value(value)}"]
    args += ["--replications", str(experiment.get("replications", 10))]
    if baseline != "base":
        args += ["--baseline", baseline]
    if experiment.get("master_seed") is not None:
        args += ["--seed", str(experiment["master_seed"])]
    if experiment.get("posterior") is not None:
        args += ["--posterior", str(experiment["posterior"])]
        args += ["--seeds-per-draw", str(experiment.get("seeds_per_draw", 1))]
    args += ["--out", str(folder)]
    return shlex.join(args)
