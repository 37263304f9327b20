"""Experiments: scenarios × policy variants (or design points) × replications.

Replication ``r`` of every variant runs with the same seed, derived from the experiment's
master seed with ``SeedSequence.spawn`` (common random numbers); the seeds are recorded in the
store's manifest. Runs go in chunks to any ``concurrent.futures.Executor`` through
:func:`asnsim.evaluators.evaluate`; each run is written to the store as soon as its chunk
returns, a run that raises is recorded with its traceback and the rest of its chunk is stored,
and a rerun computes only the runs that are missing. The parent process holds one summary row
per run, never the runs' series.
"""

from __future__ import annotations

import hashlib
import json
import re
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from tqdm import tqdm

from asnsim.analysis import replication_seeds
from asnsim.catalog import is_scenario_name, resolve_experiment, resolve_scenario
from asnsim.evaluators import Chunking, RunFailed, evaluate, run_chunk
from asnsim.results import versions
from asnsim.samplers import make_sampler
from asnsim.scenario import (
    Scenario,
    ScenarioError,
    format_validation_error,
    load_scenario,
    read_yaml_file,
)

__all__ = ["Design", "ExperimentSpec", "RunSpec", "load_experiment", "plan_runs", "run_experiment"]


class Design(BaseModel):
    """A design over factors (dotted scenario keys): full factorial or Latin hypercube."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    kind: str = Field("factorial", pattern="^(factorial|lhs)$")
    factors: dict[str, list[Any]] = Field(
        min_length=1, description="Key → levels (factorial) or [low, high] (lhs)."
    )
    samples: int | None = Field(None, gt=0, strict=True, description="Points of an lhs design.")

    @model_validator(mode="after")
    def _shape(self) -> Design:
        for key, values in self.factors.items():
            if self.kind == "lhs" and len(values) != 2:
                raise ValueError(f"factors.{key}: an lhs factor is [low, high], got {values}")
            if not values:
                raise ValueError(f"factors.{key}: needs at least one level")
        if self.kind == "lhs" and not self.samples:
            raise ValueError("samples: an lhs design needs samples > 0")
        return self


class ExperimentSpec(BaseModel):
    """What to run; also the YAML schema of ``experiments/*.yaml``."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    name: str = Field(min_length=1)
    scenario: str = Field(
        description="Scenario file (relative to the experiment file) or a shipped scenario's name."
    )
    overrides: dict[str, Any] = Field(default_factory=dict, description="Applied to all runs.")
    variants: dict[str, dict[str, Any]] = Field(
        default_factory=lambda: {"base": {}}, description="Variant name → dotted overrides."
    )
    baseline: str | None = Field(None, description="Variant compared against (default: first).")
    design: Design | None = Field(None, description="A sweep design crossed with the variants.")
    replications: int = Field(1, ge=1, le=100_000, strict=True)
    master_seed: int = Field(0, ge=0, strict=True)
    daily: bool = Field(False, description="Also store each run's daily series.")
    posterior: str | None = Field(
        None,
        description="A calibrated posterior (folder, or a shipped city's name): replication r "
        "runs under its weighted draw r // seeds_per_draw, the same for every variant.",
    )
    seeds_per_draw: int = Field(1, ge=1, le=10_000, strict=True)

    @model_validator(mode="after")
    def _baseline(self) -> ExperimentSpec:
        if not self.variants:
            raise ValueError("variants: at least one variant is needed")
        if self.baseline is None:
            self.baseline = next(iter(self.variants))
        elif self.baseline not in self.variants:
            raise ValueError(
                f"baseline: '{self.baseline}' is not a variant; expected one of "
                f"{list(self.variants)}"
            )
        return self

    def dump(self) -> dict[str, Any]:
        """The spec as plain data; without the posterior keys when there is none."""
        data = self.model_dump(mode="json")
        if data["posterior"] is None:  # specs without a posterior keep their earlier hash
            del data["posterior"], data["seeds_per_draw"]
        return data

    def hash(self) -> str:
        """Hash of the canonical spec (names the experiment in its store)."""
        text = json.dumps(self.dump(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class RunSpec:
    """One run: a fully resolved scenario and its seed."""

    run_id: str
    variant: str
    point: int
    replication: int
    seed: int
    scenario_json: str
    scenario_hash: str
    factors: dict[str, Any]

    @property
    def key(self) -> str:
        """What must match for a stored run to count as this run."""
        return f"{self.scenario_hash}:{self.seed}"

    @classmethod
    def of_scenario(
        cls,
        scenario: Scenario,
        run_id: str,
        variant: str,
        point: int,
        replication: int,
        factors: dict[str, Any],
    ) -> RunSpec:
        """The run of a resolved ``scenario`` with its own seed, canonical JSON and hash."""
        return cls(
            run_id=run_id,
            variant=variant,
            point=point,
            replication=replication,
            seed=scenario.seed,
            scenario_json=scenario.canonical_json(),
            scenario_hash=scenario.hash(),
            factors=factors,
        )


def load_experiment(path: str | Path) -> tuple[ExperimentSpec, Path]:
    """Read an experiment YAML; return the spec and the folder its paths are relative to.

    ``path`` may also name a shipped experiment (``reproduce_kotabumi``; see
    :func:`asnsim.catalog.resolve_experiment`).

    Raises:
        ScenarioError: naming the file, the key path and what was expected.
    """
    path = resolve_experiment(path)
    if not path.is_file():
        raise ScenarioError([f"no such experiment file: {path}"], str(path))
    data = read_yaml_file(path)
    try:
        spec = ExperimentSpec.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(format_validation_error(err), str(path)) from None
    return spec, path.parent


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name)


def plan_runs(
    spec: ExperimentSpec,
    base_dir: str | Path = ".",
    base: Scenario | None = None,
    extends_anywhere: bool = False,
) -> list[RunSpec]:
    """Resolve every run of the experiment (validating every variant's overrides).

    ``extends_anywhere`` lets the scenario's ``extends`` read any file (see
    :func:`~asnsim.scenario.load_scenario`).

    Raises:
        ScenarioError: If the scenario or a variant's overrides are invalid; the message names
            the variant.
    """
    if base is None:
        path = Path(base_dir) / spec.scenario
        if not path.is_file():  # a shipped scenario's name (``scenario: kotabumi``)?
            path = resolve_scenario(spec.scenario) if is_scenario_name(spec.scenario) else path
        base = load_scenario(path, spec.overrides or None, extends_anywhere)
    elif spec.overrides:
        base = base.with_overrides(spec.overrides)
    points = (
        make_sampler(
            spec.design.kind, spec.design.factors, spec.design.samples, spec.master_seed
        ).points()
        if spec.design
        else [{}]
    )
    seeds = replication_seeds(spec.master_seed, spec.replications)
    assumption_sets = _assumption_sets(spec, base_dir, base)
    runs = []
    for variant, overrides in spec.variants.items():
        for p, point in enumerate(points):
            try:
                scenario = base.with_overrides({**overrides, **point})
            except ScenarioError as err:
                where = f"variant '{variant}'" + (f", design point {p}" if point else "")
                raise ScenarioError(
                    [f"{where}: {x}" for x in err.problems], spec.scenario
                ) from None
            for r, seed in enumerate(seeds):
                draw, values = assumption_sets[r]
                if values:  # the variant's own overrides win over the posterior draw
                    seeded = base.with_overrides({**values, **overrides, **point, "seed": seed})
                else:
                    seeded = scenario.with_overrides({"seed": seed})
                factors = point if draw is None else point | {"posterior_draw": draw}
                tag = f"{_safe(variant)}__p{p:04d}" if spec.design else _safe(variant)
                runs.append(
                    RunSpec.of_scenario(seeded, f"{tag}__r{r:04d}", variant, p, r, factors)
                )
    return runs


def _assumption_sets(
    spec: ExperimentSpec, base_dir: str | Path, base: Scenario
) -> list[tuple[int | None, dict[str, Any]]]:
    """Per replication: the posterior draw's position and its overrides (none: no posterior).

    Replication ``r`` takes draw ``r // seeds_per_draw`` of the posterior's weighted draws
    from the master seed (:meth:`~asnsim.calibration.posterior.Posterior.draws`).
    """
    if spec.posterior is None:
        return [(None, {})] * spec.replications
    from asnsim.calibration.posterior import load_posterior

    path = Path(spec.posterior)
    if not path.is_absolute() and (Path(base_dir) / path).exists():
        path = Path(base_dir) / path
    posterior = load_posterior(path)
    posterior.check(base, spec.scenario)
    count = -(-spec.replications // spec.seeds_per_draw)
    draws = posterior.draws(count, spec.master_seed, base)
    return [
        (r // spec.seeds_per_draw, draws[r // spec.seeds_per_draw])
        for r in range(spec.replications)
    ]


def execute_run(scenario_json: str, daily: bool) -> dict[str, Any]:
    """Run one scenario here; return its tables and summary (``asnsim reproduce`` uses it).

    Raises:
        RunFailed: If the run raised (its message is the run's traceback).
    """
    tables = ("annual", "city", "daily") if daily else ("annual", "city")
    [(_, result)] = run_chunk([scenario_json], tables)
    if isinstance(result, RunFailed):
        raise result
    return {"tables": result.tables, "summary": result.summary}


def manifest_of(spec: ExperimentSpec, runs: list[RunSpec]) -> dict[str, Any]:
    """The store's manifest: spec, runs with seeds and scenario hashes, versions."""
    return {
        "experiment": spec.dump(),
        "experiment_hash": spec.hash(),
        "runs": [
            {
                "run_id": r.run_id,
                "variant": r.variant,
                "point": r.point,
                "replication": r.replication,
                "seed": r.seed,
                "scenario_hash": r.scenario_hash,
                "factors": r.factors,
            }
            for r in runs
        ],
        "versions": versions(),
    }


@dataclass
class ExperimentResult:
    """What an experiment produced: a summary row per finished run, and the failures."""

    summaries: pd.DataFrame
    failures: dict[str, str]
    computed: int
    reused: int


def run_experiment(
    spec: ExperimentSpec,
    store,
    executor: Executor,
    base_dir: str | Path = ".",
    progress: bool | None = None,
    runs: list[RunSpec] | None = None,
    max_in_flight: int | None = None,
    chunk: Chunking | None = None,
) -> ExperimentResult:
    """Run what the store lacks, writing each run as its chunk returns.

    Args:
        spec: The experiment.
        store: A :class:`~asnsim.store.RunStore`.
        executor: Where runs execute.
        base_dir: Folder the spec's scenario path is relative to.
        progress: Show a progress bar (default: when the experiment takes over 2 s).
        runs: Pre-planned runs (default: :func:`plan_runs`).
        max_in_flight: Chunks submitted at once (default: one per worker and one more); bounds
            the memory of results waiting to be written.
        chunk: How many runs a worker gets at once (default: :class:`Chunking`'s defaults).

    Returns:
        Summaries of every finished run (this call's and earlier ones'), and the failures.
    """
    runs = plan_runs(spec, base_dir) if runs is None else runs
    store.open(manifest_of(spec, runs))  # locks the folder until the runs are stored
    try:
        todo = [r for r in runs if not store.done(r.run_id, r.key)]
        failed = _execute(spec, store, executor, todo, len(runs), progress, chunk, max_in_flight)
    finally:
        store.close()
    summaries = store.summaries()
    if not summaries.empty:
        wanted = {r.run_id for r in runs}
        summaries = summaries[summaries.run_id.isin(wanted)].reset_index(drop=True)
    return ExperimentResult(summaries, failed, len(todo), len(runs) - len(todo))


def _execute(
    spec: ExperimentSpec,
    store,
    executor: Executor,
    todo: list[RunSpec],
    total: int,
    progress: bool | None,
    chunk: Chunking | None,
    max_in_flight: int | None,
) -> dict[str, str]:
    """Run ``todo`` in chunks, store each run as its chunk returns; the failures."""
    failed: dict[str, str] = {}
    bar = tqdm(
        total=total,
        initial=total - len(todo),
        unit="run",
        delay=2.0,
        disable=progress is False,
        desc=spec.name,
    )
    tables = ("annual", "city", "daily") if spec.daily else ("annual", "city")
    scenarios = [run.scenario_json for run in todo]
    with bar:
        for position, result in evaluate(scenarios, executor, chunk, tables, max_in_flight):
            run = todo[position]
            if isinstance(result, RunFailed):
                store.write_failure(run.run_id, run.key, result.traceback)
                failed[run.run_id] = result.traceback
            else:
                meta = {
                    "run_id": run.run_id,
                    "variant": run.variant,
                    "point": run.point,
                    "replication": run.replication,
                    "seed": run.seed,
                }
                store.write(
                    run.run_id,
                    run.key,
                    result.tables,
                    meta | run.factors | result.summary,
                    scenario=json.loads(run.scenario_json),
                )
            bar.update()
            bar.set_postfix(failed=len(failed), refresh=False)
    return failed
