"""Plausible worlds and paired runs of options in them.

A *world* is one draw of the uncertain assumptions plus one seed. Worlds come from the
scenario's declared ``uncertainties`` ranges (a seeded Latin hypercube, McKay et al. 1979) or
from a calibration posterior (``posterior.parquet``: one column per dotted parameter key and a
``weight`` column; worlds are drawn from it with probability proportional to the weight). Every
option runs in every world with that world's parameters and seed, so two options differ in a
world only by what the options change (common random numbers: a paired design).
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from asnsim.analysis import replication_seeds
from asnsim.evaluators import Chunking, RunFailed, evaluate
from asnsim.scenario import Scenario, ScenarioError
from asnsim.store import RunStore

__all__ = [
    "Worlds",
    "draw_worlds",
    "latin_hypercube",
    "read_posterior",
    "resample_posterior",
    "run_in_worlds",
    "value_at",
]

WEIGHT = "weight"
"""Column of a posterior file holding each row's (unnormalised) weight."""


@dataclass(frozen=True)
class Worlds:
    """The worlds of a study: one row of ``parameters`` and one seed each.

    Attributes:
        parameters: One row per world, one column per dotted scenario key (no columns when
            the worlds differ only by seed).
        seeds: The run seed of each world.
        source: Where the parameters come from: ``uncertainties``, ``posterior`` or ``seeds``.
    """

    parameters: pd.DataFrame
    seeds: list[int]
    source: str

    def __len__(self) -> int:
        return len(self.seeds)

    def overrides(self, world: int) -> dict[str, Any]:
        """The dotted overrides that make world ``world``: its parameters and its seed."""
        row = self.parameters.iloc[world].to_dict() if len(self.parameters.columns) else {}
        return {k: _plain(v) for k, v in row.items()} | {"seed": self.seeds[world]}


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def value_at(data: Any, key: str) -> Any:
    """The value at a dotted ``key`` of plain scenario data (None if there is none)."""
    for part in key.split("."):
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return None
    return data


def _numeric_kinds(scenario: Scenario, keys: list[str], where: str) -> dict[str, bool]:
    """Whether each key is an integer key (True) or a float key; refuse other keys."""
    canonical = scenario.canonical()
    kinds = {}
    for key in keys:
        value = value_at(canonical, key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ScenarioError(
                [
                    f"{where}: '{key}' is not a numeric key of the scenario; expected dotted "
                    "keys such as assumptions.mismatch_ceiling"
                ]
            )
        kinds[key] = isinstance(value, int)
    return kinds


def latin_hypercube(scenario: Scenario, n: int, seed: int) -> pd.DataFrame:
    """``n`` worlds spread over the scenario's ``uncertainties`` ranges (seeded).

    Integer keys are rounded to the nearest integer.

    Raises:
        ScenarioError: If the scenario declares no uncertainties.
    """
    if not scenario.uncertainties:
        raise ScenarioError(
            [
                "uncertainties: the scenario declares none; add e.g. uncertainties: "
                "{assumptions.mismatch_ceiling: [0.75, 0.9]} or give --posterior"
            ]
        )
    keys = list(scenario.uncertainties)
    integer = _numeric_kinds(scenario, keys, "uncertainties")
    priors = scenario.priors()  # a prior's range: its bounds (asnsim.priors.Prior.bounds)
    low, high = np.array([priors[k].bounds() for k in keys], dtype=float).T
    unit = qmc.LatinHypercube(d=len(keys), rng=np.random.default_rng(seed)).random(n)
    frame = pd.DataFrame(qmc.scale(unit, low, high), columns=keys)
    for key in keys:
        if integer[key]:
            frame[key] = frame[key].round().astype(int)
    return frame


def read_posterior(path: str | Path) -> pd.DataFrame:
    """A posterior: a folder holding ``posterior.parquet``, or that file.

    Returns:
        The parameter columns and ``weight`` (finite, non-negative, not all zero).

    Raises:
        ScenarioError: Naming the file and what is wrong with it.
    """
    path = Path(path)
    file = path / "posterior.parquet" if path.is_dir() else path
    if not file.is_file():
        raise ScenarioError([f"--posterior: no file {file}; expected posterior.parquet"])
    try:
        frame = pd.read_parquet(file)
    except Exception as err:  # noqa: BLE001 - any unreadable file is the same refusal
        raise ScenarioError([f"not a Parquet file ({type(err).__name__})"], str(file)) from None
    problems = []
    if WEIGHT not in frame:
        problems.append("no 'weight' column; expected parameter columns and a 'weight' column")
    params = [c for c in frame.columns if c != WEIGHT]
    if not params:
        problems.append("no parameter column; expected dotted keys such as assumptions.x")
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]) or pd.api.types.is_bool_dtype(
            frame[column]
        ):
            problems.append(f"column '{column}': expected numbers")
        elif not np.isfinite(frame[column].to_numpy(dtype=float)).all():
            problems.append(f"column '{column}': expected finite numbers (found NaN or inf)")
    if not problems and ((frame[WEIGHT] < 0).any() or frame[WEIGHT].sum() <= 0):
        problems.append("column 'weight': expected non-negative weights, not all zero")
    if frame.empty:
        problems.append("no rows")
    if problems:
        raise ScenarioError(problems, str(file))
    return frame


def resample_posterior(posterior: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` worlds drawn from a posterior with probability proportional to ``weight``."""
    weights = posterior[WEIGHT].to_numpy(dtype=float)
    rows = np.random.default_rng(seed).choice(len(weights), size=n, p=weights / weights.sum())
    return posterior.drop(columns=WEIGHT).iloc[rows].reset_index(drop=True)


def draw_worlds(
    scenario: Scenario,
    n: int,
    seed: int,
    posterior: pd.DataFrame | None = None,
    need_parameters: bool = True,
) -> Worlds:
    """``n`` worlds, each with its parameters (posterior or declared ranges) and seed.

    The parameters and the seeds come from separate children of ``seed``, so asking for more
    worlds keeps the seeds of the first ones.

    Args:
        scenario: The scenario (its ``uncertainties`` when there is no posterior).
        n: Worlds (at least 1).
        seed: Master seed of the draws and of the worlds' run seeds.
        posterior: A posterior from :func:`read_posterior`, or None.
        need_parameters: Refuse a scenario without uncertainties (else such worlds differ by
            seed only, i.e. they are replications).

    Raises:
        ScenarioError: If ``n`` < 1, or no uncertainties are declared and none are given.
    """
    if n < 1:
        raise ScenarioError([f"--worlds: got {n}; expected at least 1"])
    draw_seed, run_seed = (
        int(c.generate_state(1)[0]) for c in np.random.SeedSequence(seed).spawn(2)
    )
    seeds = replication_seeds(run_seed, n)
    if posterior is not None:
        params = resample_posterior(posterior, n, draw_seed)
        integer = _numeric_kinds(scenario, list(params.columns), "--posterior")
        for key, is_int in integer.items():
            if is_int:
                params[key] = params[key].round().astype(int)
        return Worlds(params, seeds, "posterior")
    if scenario.uncertainties or need_parameters:
        return Worlds(latin_hypercube(scenario, n, draw_seed), seeds, "uncertainties")
    return Worlds(pd.DataFrame(index=range(n)), seeds, "seeds")


def run_in_worlds(
    scenario: Scenario,
    options: dict[str, dict[str, Any]],
    worlds: Worlds,
    executor: Executor | None = None,
    chunk: Chunking | None = None,
    store: RunStore | None = None,
    ids: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Run every option in every world (paired) through the ensemble engine.

    Args:
        scenario: The base scenario.
        options: Option name → dotted overrides of ``scenario``.
        worlds: The worlds, from :func:`draw_worlds`.
        executor: Where the runs execute (default: this process), in chunks of runs stepped
            together (:func:`asnsim.evaluators.evaluate`).
        chunk: How many runs a worker gets at once (default: see
            :class:`~asnsim.evaluators.Chunking`).
        store: An open :class:`~asnsim.store.RunStore`: runs it holds (same scenario and
            seed) are read from it, not run again, and each new run is stored as it returns
            (its outcomes and scenario), so an interrupted study resumes where it stopped
            and ``asnsim reproduce`` can re-run it.
        ids: The stored name of each option (default ``o000``, ``o001`` ... in order); a run
            is stored as ``<id>-w<world>``.

    Returns:
        A row per world and option: ``world``, ``seed``, the world's parameters, ``option``,
        then the outcomes of :func:`asnsim.analysis.summary_row` and ``cost_per_year``
        (spend over the horizon / years).

    Raises:
        ScenarioError: If an option sets an uncertain parameter or makes an invalid scenario.
        RuntimeError: If any run fails (the first failure is named).
    """
    uncertain = set(worlds.parameters.columns) | {"seed"}
    for name, overrides in options.items():
        clash = sorted(uncertain & set(overrides))
        if clash:
            raise ScenarioError(
                [f"--variant {name}: sets {clash}, which the worlds vary; an option may not"]
            )
    ids = ids or {name: f"o{i:03d}" for i, name in enumerate(options)}
    runs, labels, names = [], [], []
    for world in range(len(worlds)):
        fixed = worlds.overrides(world)
        for name, overrides in options.items():
            runs.append(scenario.with_overrides(overrides | fixed))
            labels.append({"world": world, "seed": worlds.seeds[world]} | fixed | {"option": name})
            names.append(f"{ids[name]}-w{world:04d}")
    keys = [f"{run.hash()}:{run.seed}" for run in runs] if store is not None else []
    summaries: list[dict[str, Any] | None] = [
        store.summary(names[p], keys[p]) if store is not None else None for p in range(len(runs))
    ]
    todo = [p for p, summary in enumerate(summaries) if summary is None]
    for i, result in evaluate([runs[p] for p in todo], executor, chunk, tables=()):
        position = todo[i]
        if isinstance(result, RunFailed):
            label = labels[position]
            if store is not None:
                store.write_failure(names[position], keys[position], result.traceback)
            last = str(result).strip().splitlines()[-1] if str(result).strip() else "failed"
            raise RuntimeError(
                f"option '{label['option']}' failed in world {label['world']}: {last}"
            ) from result
        summaries[position] = dict(sorted(result.summary.items()))  # as the store keeps it
        if store is not None:
            scenario_record = runs[position].canonical()  # for asnsim reproduce
            store.write(names[position], keys[position], {}, summaries[position], scenario_record)
    rows = []
    for position, summary in enumerate(summaries):
        cost = summary.get("cum_total_spend", 0.0) / runs[position].horizon_years
        rows.append(labels[position] | summary | {"cost_per_year": cost})
    return pd.DataFrame(rows)
