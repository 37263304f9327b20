"""Budget frontiers: a multi-objective search over lever choices, their options and a budget split.

A candidate is one policy per searched lever kind, the value of every option the lever
schemas mark as a planner's choice, and a share of the yearly budget for every amount the city
sets (:mod:`asnsim.decide.space`). Every candidate runs in the same worlds (paired seeds, and
the posterior's parameters when given); its objectives are the worlds' means with t
intervals, and it is infeasible when its mean yearly spend (every lever, allowances included,
as the cost model reckons it) exceeds the budget. A mixed-variable genetic algorithm with
NSGA-II's survival (rank and crowding; Deb et al. 2002, pymoo's implementation) searches the
space; the Pareto front is then taken over every feasible candidate evaluated, so no point on
it is dominated by another one the search saw. With a run store, every run is kept as it
returns and a second call resumes: the seeded search takes the same path, and the runs it
already made are read back instead of run again.
"""

from __future__ import annotations

import math
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy import stats

from asnsim.analysis import HIGHER_IS_BETTER
from asnsim.decide.space import Space, decision_space
from asnsim.decide.worlds import Worlds, run_in_worlds, value_at
from asnsim.evaluators import Chunking
from asnsim.scenario import Scenario, ScenarioError, apply_overrides
from asnsim.store import RunStore

__all__ = [
    "OBJECTIVES",
    "Frontier",
    "Objective",
    "non_dominated",
    "optimise",
    "parse_objectives",
    "write_variants",
]

OBJECTIVES = {"ikm": "ikm_true", "wait": "wait_mean_days", "cost": "cost_per_year"}
"""Short names of the usual objectives and the outcomes they stand for."""

TRAINING_BUDGET = "training.budget_per_year"


@dataclass(frozen=True)
class Objective:
    """An objective: its name, the outcome column and whether higher is better."""

    name: str
    outcome: str
    higher: bool


def parse_objectives(text: str) -> list[Objective]:
    """Objectives from ``ikm,wait,cost`` (short names or outcome names).

    Raises:
        ScenarioError: For an unknown or repeated name.
    """
    names = [n.strip() for n in text.split(",") if n.strip()]
    known = sorted(set(OBJECTIVES) | set(HIGHER_IS_BETTER) | {"cost_per_year"})
    out: list[Objective] = []
    for name in names:
        outcome = OBJECTIVES.get(name, name)
        if outcome not in known:
            raise ScenarioError(
                [f"--objectives: unknown objective '{name}'; expected some of {known}"]
            )
        if any(o.outcome == outcome for o in out):
            raise ScenarioError([f"--objectives: '{name}' given twice"])
        out.append(Objective(name, outcome, HIGHER_IS_BETTER.get(outcome, False)))
    if not out:
        raise ScenarioError(["--objectives: expected e.g. ikm,wait,cost"])
    return out


def _key(overrides: dict[str, Any]) -> str:
    return yaml.safe_dump(overrides, sort_keys=True)


def _summarise(values: pd.DataFrame, objectives: list[Objective]) -> dict[str, float]:
    """Mean and t interval of each objective over the worlds (and the yearly cost)."""
    out: dict[str, float] = {}
    n = len(values)
    t = float(stats.t.ppf(0.975, n - 1)) if n > 1 else math.nan
    for column in dict.fromkeys([o.outcome for o in objectives] + ["cost_per_year"]):
        v = values[column].to_numpy(dtype=float)
        half = t * v.std(ddof=1) / math.sqrt(n) if n > 1 else math.nan
        out |= {
            column: v.mean(),
            f"{column}_low": v.mean() - half,
            f"{column}_high": v.mean() + half,
        }
    return out | {"n": n}


def non_dominated(f: np.ndarray) -> np.ndarray:
    """Mask of the rows of ``f`` (to minimise, one column per objective) no row dominates."""
    f = np.asarray(f, dtype=float)
    no_worse = (f[:, None, :] <= f[None, :, :]).all(axis=2)
    better = (f[:, None, :] < f[None, :, :]).any(axis=2)
    dominated_by = no_worse & better  # [i, j]: i dominates j
    return ~dominated_by.any(axis=0)


@dataclass
class Frontier:
    """What the search found.

    Attributes:
        points: Every candidate evaluated (and the current policy, ``current`` True): its
            choices, objectives with intervals, ``cost_per_year``, ``feasible``, ``pareto``.
        overrides: The overrides of each row of ``points``, by its ``point`` id.
        objectives: The objectives.
    """

    points: pd.DataFrame
    overrides: dict[str, dict[str, Any]]
    objectives: list[Objective]


def optimise(
    scenario: Scenario,
    budget: float,
    objectives: list[Objective],
    worlds: Worlds,
    evaluations: int = 40,
    space: Space | None = None,
    seed: int = 0,
    executor: Executor | None = None,
    chunk: Chunking | None = None,
    store: RunStore | None = None,
) -> Frontier:
    """Search the decision space with NSGA-II's survival over mixed variables.

    Args:
        scenario: The planner's scenario (its policies are the current policy).
        budget: Yearly budget in rupiah (the city as simulated, i.e. at its ``scale``).
        objectives: What to optimise.
        worlds: The paired worlds every candidate runs in.
        evaluations: Candidates the search may evaluate (at least 4).
        space: What is searched (default: every lever kind, :func:`decision_space`).
        seed: Seed of the search.
        executor: Where each generation's runs execute (default: this process).
        chunk: How many runs a worker gets at once (:class:`~asnsim.evaluators.Chunking`).
        store: An open :class:`~asnsim.store.RunStore` keeping every run (resume).
    """
    from pymoo.algorithms.moo.nsga2 import RankAndCrowding
    from pymoo.core.mixed import MixedVariableGA
    from pymoo.core.problem import Problem
    from pymoo.optimize import minimize
    from pymoo.util.display.multi import MultiObjectiveOutput

    if not (math.isfinite(budget) and budget > 0):
        raise ScenarioError([f"--budget: got {budget}; expected rupiah per year, above 0"])
    if evaluations < 4:
        raise ScenarioError([f"--evaluations: got {evaluations}; expected at least 4"])
    space = space or decision_space()
    variables = space.variables()
    if not variables:
        raise ScenarioError(["--search: nothing left to search; every choice is fixed or off"])
    seen: dict[str, dict[str, Any]] = {}
    overrides_of: dict[str, dict[str, Any]] = {}

    def evaluate(candidates: list[dict[str, Any]], label: str = "") -> list[dict[str, Any]]:
        new = {_key(c): c for c in candidates if _key(c) not in seen}
        if new:
            labels = {label or f"p{len(seen) + i:04d}": c for i, c in enumerate(new.values())}
            ids = {name: name for name in labels}
            runs = run_in_worlds(scenario, labels, worlds, executor, chunk, store, ids)
            for label, (key, c) in zip(labels, new.items(), strict=True):
                summary = _summarise(runs[runs.option == label], objectives)
                seen[key] = {"point": label} | summary
                overrides_of[label] = c
        return [seen[_key(c)] for c in candidates]

    sign = np.array([-1.0 if o.higher else 1.0 for o in objectives])

    class Search(Problem):
        def _evaluate(self, x, out, *args, **kwargs):
            rows = evaluate([space.decode(row, scenario, budget) for row in x])
            out["F"] = np.array([[r[o.outcome] for o in objectives] for r in rows]) * sign
            out["G"] = np.array([[r["cost_per_year"] - budget] for r in rows])

    problem = Search(vars=variables, n_obj=len(objectives), n_ieq_constr=1)
    pop = max(4, min(40, evaluations // 4))
    evaluate([{}], label="current")  # the planner's policy, as the scenario gives it
    algorithm = MixedVariableGA(
        pop_size=pop, survival=RankAndCrowding(), output=MultiObjectiveOutput()
    )
    minimize(problem, algorithm, ("n_eval", evaluations), seed=seed, verbose=False)
    points = pd.DataFrame(list(seen.values()))
    points.insert(1, "current", points["point"] == "current")
    choices = pd.DataFrame([_choices(overrides_of[p], scenario, space) for p in points["point"]])
    points = pd.concat([points.iloc[:, :2], choices, points.iloc[:, 2:]], axis=1)
    points["feasible"] = points["cost_per_year"] <= budget
    f = points[[o.outcome for o in objectives]].to_numpy(dtype=float) * sign
    pareto = np.zeros(len(points), dtype=bool)
    feasible = points["feasible"].to_numpy()
    pareto[feasible] = non_dominated(f[feasible])
    # candidates with the same objectives are one point: the current policy, else the cheapest
    front = points[pareto].assign(_same=[tuple(row) for row in f[pareto]])
    front = front.sort_values(["current", "cost_per_year", "point"], ascending=[0, 1, 1])
    points["pareto"] = points.index.isin(front.drop_duplicates("_same").index)
    return Frontier(points, overrides_of, objectives)


def _choices(overrides: dict[str, Any], scenario: Scenario, space: Space) -> dict[str, Any]:
    """What a candidate chose: the policy per kind, each knob and amount (None if unused)."""
    data = apply_overrides(scenario.canonical(), overrides)
    out: dict[str, Any] = {kind: data["policies"][kind]["name"] for kind in space.levers}
    for key in [k.key for k in space.knobs] + [a.key for a in space.amounts]:
        out[key] = value_at(data, key)
    return out


def write_variants(frontier: Frontier, scenario: Scenario, folder: Path) -> dict[str, str]:
    """Write each Pareto point and the current policy as a runnable scenario file.

    ``base.yaml`` holds the scenario as evaluated without its ``policies``; each
    ``point_XX.yaml`` (and ``current.yaml``) extends it with a whole ``policies`` section
    and the training budget, so ``asnsim run`` and ``compare`` accept it as it is.

    Returns:
        The file name (relative to ``folder``'s parent) of each written point id.
    """
    folder.mkdir(parents=True, exist_ok=True)
    base = scenario.canonical()
    policies = base.pop("policies")
    base["name"] = f"{scenario.name}-frontier-base"
    (folder / "base.yaml").write_text(yaml.safe_dump(base, sort_keys=False), encoding="utf-8")
    written = {}
    shown = frontier.points[frontier.points["pareto"] | frontier.points["current"]]
    number = iter(range(len(shown)))
    for point in shown["point"]:
        overrides = frontier.overrides[point]
        name = "current" if point == "current" else f"point_{next(number):02d}"
        chosen = policies | {
            k.removeprefix("policies."): v
            for k, v in overrides.items()
            if k.startswith("policies.")
        }
        budget = overrides.get(TRAINING_BUDGET, base["training"]["budget_per_year"])
        data = {
            "extends": "base.yaml",
            "name": f"{scenario.name}-{name.replace('_', '-')}",
            "description": "A point of the budget frontier (asnsim optimise): "
            + ", ".join(f"{k} {v['name']}" for k, v in chosen.items())
            + f"; training budget Rp {budget:,.0f} a year.",
            "policies": chosen,
            "training": {"budget_per_year": budget},
        }
        path = folder / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        written[point] = f"{folder.name}/{path.name}"
    return written
