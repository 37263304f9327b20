"""Approximate Bayesian computation (ABC-SMC, pyabc) for any simulator of target values.

:func:`run_abc` is the one code path: the model's calibration (:mod:`asnsim.calibration.run`)
and the coverage check's cheap stand-in simulator both go through it. A simulator maps a
parameter set and a seed to the simulated value of each target.

pyabc keeps every finished generation in ``calibration.db`` (SQLite) in the output folder; a
second call with the same folder loads it and goes on until the total number of simulations
(earlier calls' included) reaches the budget. An interrupted call loses only the generation in
flight. pyabc draws its proposals from numpy's global generator, so :func:`run_abc` seeds it
(from the seed and the number of generations already done); each simulation gets its own
seed from the same source. With one worker a calibration is reproducible from its seed; with
several, pyabc accepts particles in the order workers finish them, so it is not.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from asnsim.priors import Prior

__all__ = ["DB_NAME", "AbcResult", "generations", "run_abc"]

DB_NAME = "calibration.db"
"""pyabc's database in the output folder (what a second call resumes from)."""

Simulator = Callable[[dict[str, float], int], dict[str, float]]


@dataclass
class AbcResult:
    """A finished (or resumed) ABC-SMC: the weighted posterior and each generation's figures."""

    posterior: pd.DataFrame
    """One row per particle: a column per parameter (dotted key) and ``weight`` (sums to 1)."""
    generations: pd.DataFrame
    """Per generation: ``t``, ``epsilon``, ``samples``, ``accepted``, ``acceptance_rate``,
    ``ess`` (effective sample size of the weights)."""
    simulations: int
    """Simulations done in all calls (pyabc's count, the calibration sample included)."""


class _Model:
    """pyabc's model: draws a seed, maps pyabc's parameter names back, runs the simulator."""

    def __init__(self, simulator: Simulator, names: list[str], bar=None):
        self.simulator = simulator
        self.names = names
        self.bar = bar

    def __call__(self, parameters) -> dict[str, float]:
        seed = int(np.random.randint(0, 2**31 - 1))  # noqa: NPY002 - pyabc's own source
        values = {name: float(parameters[f"p{i}"]) for i, name in enumerate(self.names)}
        out = self.simulator(values, seed)
        if self.bar is not None:
            self.bar.update()
        return out


class _Distance:
    """Root mean square of the scaled differences; a value not computed counts 10 scales."""

    def __init__(self, scales: Mapping[str, float]):
        self.scales = dict(scales)

    def __call__(self, x: Mapping[str, float], x0: Mapping[str, float]) -> float:
        z = np.array([(x[k] - x0[k]) / s for k, s in self.scales.items()], dtype=float)
        z = np.where(np.isfinite(z), z, 10.0)
        return float(np.sqrt(np.mean(z**2)))


def _pyabc():
    try:
        import pyabc
    except ImportError as err:  # pragma: no cover - depends on the extra
        raise ImportError("install the extra: pip install 'asnsim[calibrate]'") from err
    return pyabc


def _prior(priors: Mapping[str, Prior]):
    pyabc = _pyabc()
    parts = {}
    for i, prior in enumerate(priors.values()):
        name, args, kwargs = prior.scipy_spec()
        parts[f"p{i}"] = pyabc.RV(name, *args, **kwargs)
    return pyabc.Distribution(**parts)


def _sampler(workers: int, executor):
    pyabc = _pyabc()
    if executor is not None:
        return pyabc.sampler.ConcurrentFutureSampler(executor, client_max_jobs=2 * workers)
    if workers > 1:
        return pyabc.sampler.MulticoreEvalParallelSampler(n_procs=workers)
    return pyabc.sampler.SingleCoreSampler()


def generations(history) -> pd.DataFrame:
    """Each generation of a pyabc history: epsilon, samples, acceptance rate, ESS."""
    pyabc = _pyabc()
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0].reset_index(drop=True)
    ess = []
    for t in pops["t"]:
        _, w = history.get_distribution(m=0, t=int(t))
        ess.append(float(pyabc.weighted_statistics.effective_sample_size(w)))
    return pd.DataFrame(
        {
            "t": pops["t"].astype(int),
            "epsilon": pops["epsilon"].astype(float),
            "samples": pops["samples"].astype(int),
            "accepted": pops["particles"].astype(int),
            "acceptance_rate": pops["particles"] / pops["samples"],
            "ess": ess,
        }
    )


def run_abc(
    priors: Mapping[str, Prior],
    simulator: Simulator,
    observed: Mapping[str, float],
    scales: Mapping[str, float],
    out: str | Path,
    simulations: int,
    population: int,
    seed: int = 0,
    workers: int = 1,
    executor=None,
    progress: bool = False,
) -> AbcResult:
    """ABC-SMC of ``priors`` against ``observed``, resumable from ``out/calibration.db``.

    Args:
        priors: Parameter (dotted key) → prior, in a fixed order.
        simulator: ``(parameters, seed) → {target: simulated value}``.
        observed: Target → observed value.
        scales: Target → scale of its difference (see :mod:`asnsim.calibration.targets`).
        out: Folder of the database (it must exist).
        simulations: Total budget of simulations, earlier calls' included.
        population: Particles per generation.
        seed: Seed of the proposals and of the simulations' seeds.
        workers: Processes (pyabc's multicore sampler) when no executor is given.
        executor: A ``concurrent.futures`` executor (pyabc's ConcurrentFutureSampler).
        progress: Show each generation (pyabc's log) and a bar of simulations.

    Returns:
        The posterior of the last generation and every generation's diagnostics.
    """
    pyabc = _pyabc()
    from tqdm import tqdm

    db = Path(out) / DB_NAME
    names = list(priors)
    logging.getLogger("ABC").setLevel(logging.INFO if progress else logging.WARNING)
    bar = tqdm(total=simulations, unit="sim", disable=not progress or workers > 1, delay=1.0)
    abc = pyabc.ABCSMC(
        _Model(simulator, names, bar),
        _prior(priors),
        _Distance(scales),
        population_size=population,
        sampler=_sampler(workers, executor),
    )
    url = f"sqlite:///{db}"
    if db.exists():
        history = abc.load(url, 1)
        bar.update(min(simulations, int(history.total_nr_simulations or 0)))
    else:
        history = abc.new(url, dict(observed))
    np.random.seed([seed, max(0, history.max_t + 1)])  # noqa: NPY002 - pyabc draws from it
    try:
        with bar:
            if (history.total_nr_simulations or 0) < simulations:
                history = abc.run(max_total_nr_simulations=simulations)
    finally:
        logging.getLogger("ABC").setLevel(logging.WARNING)
    if history.max_t < 0:
        raise RuntimeError(f"the budget of {simulations} simulations ended before a generation")
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    posterior = pd.DataFrame(
        {name: frame[f"p{i}"].to_numpy(dtype=float) for i, name in enumerate(names)}
    )
    posterior["weight"] = np.asarray(weights, dtype=float) / math.fsum(weights)
    return AbcResult(posterior, generations(history), int(history.total_nr_simulations))
