"""Global sensitivity of outcomes to the scenario's declared uncertain assumptions (SALib).

The uncertain assumptions are the scenario's ``uncertainties`` (dotted key → [low, high] or a
prior, sampled uniformly over its bounds: :meth:`asnsim.priors.Prior.bounds`).
``morris`` screens them with elementary effects (μ*, its confidence interval, σ); ``sobol``
apportions the outcome's variance (first-order S1 and total ST indices with intervals). Every
sample point runs with the scenario's own seed (common random numbers), so the indices measure
the assumptions' effects rather than run-to-run noise.
"""

from __future__ import annotations

from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from asnsim.evaluators import Chunking
from asnsim.experiment import ExperimentSpec, RunSpec, run_experiment
from asnsim.scenario import Scenario

__all__ = ["sensitivity", "sensitivity_problem"]


def sensitivity_problem(scenario: Scenario, posterior=None) -> dict[str, Any]:
    """SALib's problem definition from the scenario's declared uncertainties.

    With a calibrated ``posterior`` (:class:`~asnsim.calibration.posterior.Posterior`), a
    parameter it holds is sampled over its posterior 90 % interval instead of its prior's
    bounds: the analysis then asks what the assumptions that stay uncertain do.
    """
    if not scenario.uncertainties:
        raise ValueError(
            "the scenario declares no uncertainties; add e.g. "
            "uncertainties: {assumptions.mismatch_ceiling: [0.75, 0.9]}"
        )
    priors = scenario.priors()
    bounds = {name: list(prior.bounds()) for name, prior in priors.items()}
    if posterior is not None:
        low, high = posterior.quantiles(0.05), posterior.quantiles(0.95)
        for name in set(bounds) & set(posterior.names):
            if low[name] < high[name]:
                bounds[name] = [float(low[name]), float(high[name])]
    return {"num_vars": len(priors), "names": list(priors), "bounds": list(bounds.values())}


def _sample(method: str, problem: dict[str, Any], samples: int, seed: int) -> np.ndarray:
    try:
        from SALib.sample import morris, sobol
    except ImportError as err:  # pragma: no cover - depends on the extra
        raise ImportError("install the extra: pip install 'asnsim[sensitivity]'") from err
    if method == "morris":
        return morris.sample(problem, samples, num_levels=4, seed=seed)
    if method == "sobol":
        return sobol.sample(problem, samples, calc_second_order=False, seed=seed)
    raise ValueError(f"unknown method '{method}'; expected morris or sobol")


def _analyse(method: str, problem, x: np.ndarray, y: np.ndarray, seed: int) -> pd.DataFrame:
    from SALib.analyze import morris, sobol

    if method == "morris":
        res = morris.analyze(problem, x, y, num_levels=4, conf_level=0.95, seed=seed)
        return pd.DataFrame(
            {
                "factor": problem["names"],
                "mu": res["mu"],
                "mu_star": res["mu_star"],
                "mu_star_conf": res["mu_star_conf"],
                "sigma": res["sigma"],
            }
        )
    res = sobol.analyze(problem, y, calc_second_order=False, conf_level=0.95, seed=seed)
    return pd.DataFrame(
        {
            "factor": problem["names"],
            "S1": res["S1"],
            "S1_conf": res["S1_conf"],
            "ST": res["ST"],
            "ST_conf": res["ST_conf"],
        }
    )


def _value_at(data: Any, key: str) -> Any:
    for part in key.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def sensitivity(
    scenario: Scenario,
    method: str,
    samples: int,
    store,
    executor: Executor,
    outcomes: tuple[str, ...] = ("ikm_true", "wait_mean_days", "matched_share"),
    seed: int = 0,
    progress: bool | None = None,
    source: str | Path = "",
    posterior=None,
    chunk: Chunking | None = None,
) -> pd.DataFrame:
    """Run the sample and return the indices, a row per outcome and factor.

    Args:
        scenario: Scenario with ``uncertainties``.
        method: ``morris`` or ``sobol``.
        samples: SALib's N (trajectories for Morris; base samples for Sobol, a power of 2).
        store: A :class:`~asnsim.store.RunStore` for the runs (resumable).
        executor: Where runs execute.
        outcomes: Final-year city outcomes to analyse.
        seed: Seed of the sampler and of the bootstrap intervals.
        progress: Progress bar (default: when the runs take over 2 s).
        source: The scenario's file, recorded in the manifest.
        posterior: A calibrated posterior: its parameters are sampled over their posterior
            90 % intervals (:func:`sensitivity_problem`).
        chunk: How many runs a worker gets at once (default: see
            :class:`~asnsim.evaluators.Chunking`).
    """
    problem = sensitivity_problem(scenario, posterior)
    x = _sample(method, problem, samples, seed)
    spec = ExperimentSpec(
        name=f"sensitivity-{method}-{samples}-seed{seed}",
        scenario=str(source) or scenario.name,
        variants={"base": {}},
    )
    canonical = scenario.canonical()
    integer = {name: isinstance(_value_at(canonical, name), int) for name in problem["names"]}
    runs = []
    for i, row in enumerate(x):
        point = {
            k: int(round(v)) if integer[k] else float(v)
            for k, v in zip(problem["names"], row, strict=True)
        }
        s = scenario.with_overrides(point)
        runs.append(RunSpec.of_scenario(s, f"point__p{i:05d}", "base", i, 0, point))
    result = run_experiment(spec, store, executor, runs=runs, progress=progress, chunk=chunk)
    if result.failures:
        raise RuntimeError(
            f"{len(result.failures)} of {len(runs)} runs failed; "
            f"see {store.root}/runs/*/failed.json"
        )
    table = result.summaries.sort_values("point")
    frames = []
    for outcome in outcomes:
        y = table[outcome].to_numpy(dtype=float)
        frames.append(_analyse(method, problem, x, y, seed).assign(outcome=outcome))
    out = pd.concat(frames, ignore_index=True)
    return out[["outcome", *[c for c in out.columns if c != "outcome"]]]
