"""Approximate Bayesian computation (ABC-SMC, pyabc) for any simulator of target values.

:func:`run_abc` is the one code path: the model's calibration (:mod:`asnsim.calibration.run`)
and the coverage checks (the model's and a cheap stand-in's) all go through it. A simulator
takes a batch of parameter sets with a seed each and yields each one's simulated target
values, in any order (:func:`one_by_one` makes one from a function of one run).

pyabc keeps the statistics: the prior, the proposal (its multivariate normal transition), the
epsilon schedule, the importance weights, and every finished generation in ``calibration.db``
(SQLite) in the output folder, which a second call resumes from until the total number of
simulations (earlier calls' included) reaches the budget. An interrupted call loses only the
generation in flight.

asnsim's batch sampler (:func:`batch_sampler`) is pyabc's sampler here. pyabc hands a sampler its
``simulate_one``: propose a parameter set, simulate it, compute its distance, accept or
reject, weight it. The batch sampler calls these steps with pyabc's own functions
(``generate_valid_proposal``, ``evaluate_proposal``) but splits them: it proposes a batch of
candidates in a fixed order (each with its seed), simulates the whole batch in one call (the
model's: :func:`asnsim.evaluators.evaluate`, ensemble chunks on any executor), then judges the
candidates in their order until the generation has its particles. Candidates after the last
one needed are dropped and numpy's global generator (pyabc draws its proposals from it) is
put back to where it stood after that candidate, so the candidates and their seeds are those
pyabc's one-by-one :class:`~pyabc.sampler.SingleCoreSampler` would make: a calibration is
reproducible from its seed whatever the batch size, the executor, the number of workers or
the chunking.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from asnsim.priors import Prior

__all__ = ["DB_NAME", "AbcResult", "batch_sampler", "generations", "one_by_one", "run_abc"]

DB_NAME = "calibration.db"
"""pyabc's database in the output folder (what a second call resumes from)."""

Values = dict[str, float]
Simulator = Callable[[Sequence[Values], Sequence[int]], Iterable[tuple[int, Values]]]
"""``(parameter sets, seeds) → (position, {target: simulated value})`` for each, any order."""


def one_by_one(simulate: Callable[[Values, int], Values]) -> Simulator:
    """A batch simulator that runs ``simulate(parameters, seed)`` on each set in turn."""

    def batch(parameter_sets: Sequence[Values], seeds: Sequence[int]):
        for position, (parameters, seed) in enumerate(zip(parameter_sets, seeds, strict=True)):
            yield position, simulate(parameters, seed)

    return batch


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
    runs: int = 0
    """Runs of the simulator in this call, candidates dropped after a generation's last
    particle included."""


def batch_sampler(simulate: Callable[[list, list[int]], list], smallest: int = 8):
    """The pyabc sampler of asnsim: batches of candidates, accepted in candidate order.

    Candidates are proposed in batches, each batch is simulated at once, and they are judged
    in their order (see the module doc).

    Args:
        simulate: ``(pyabc parameter sets, seeds) → their summary statistics``, in order.
        smallest: Fewest candidates in a batch.
    """
    return _sampler_class()(simulate, smallest)


@functools.cache
def _sampler_class():
    pyabc = _pyabc()
    from pyabc.inference_util import inference_util as steps

    class BatchSampler(pyabc.sampler.Sampler):
        def __init__(self, simulate, smallest: int):
            super().__init__()
            self.simulate = simulate
            self.smallest = smallest
            self.rate = 0.5  # the acceptance rate a generation's first batch expects
            self.runs = 0

        def sample_until_n_accepted(
            self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None
        ):
            propose, judge = _steps(simulate_one, steps)
            sample = self._create_empty_sample()
            judged = 0
            rate = 1.0 if all_accepted else self.rate
            while sample.n_accepted < n and judged < max_eval:
                wanted = math.ceil((n - sample.n_accepted) / max(rate, 0.01))
                size = max(self.smallest, min(wanted, 4 * n))
                if math.isfinite(max_eval):  # pyabc's cap, when it sets a least acceptance
                    size = min(size, math.ceil(max_eval - judged))
                candidates = []
                for _ in range(size):
                    m, theta = propose()
                    seed = int(np.random.randint(0, 2**31 - 1))  # noqa: NPY002 - pyabc's
                    candidates.append((m, theta, seed, np.random.get_state()))  # noqa: NPY002
                results = self.simulate([c[1] for c in candidates], [c[2] for c in candidates])
                self.runs += size
                for (m, theta, _, after), result in zip(candidates, results, strict=True):
                    sample.append(judge(m, theta, result))
                    judged += 1
                    state = after
                    if sample.n_accepted == n:
                        break
                np.random.set_state(state)  # noqa: NPY002 - as after the last candidate judged
                rate = sample.n_accepted / judged
            if not all_accepted and judged:
                self.rate = sample.n_accepted / judged
            self.nr_evaluations_ = judged
            if sample.n_accepted < n:
                sample.ok = False
            return sample

    return BatchSampler


def _steps(simulate_one, steps):
    """Split pyabc's ``simulate_one`` into its proposal and its judgement of a result."""
    func = getattr(simulate_one, "func", None)
    kw = getattr(simulate_one, "keywords", {})
    given = lambda result: [_given_model(result)] * len(kw["models"])  # noqa: E731
    if func is steps._simulate_one and kw.get("evaluate", False):

        def propose():
            return steps.generate_valid_proposal(
                **{k: kw[k] for k in ("t", "m", "p", "model_prior", "parameter_priors")},
                model_perturbation_kernel=kw["model_perturbation_kernel"],
                transitions=kw["transitions"],
            )

        def judge(m, theta, result):
            names = ("t", "summary_statistics", "distance_function", "eps", "acceptor", "x_0")
            return steps.evaluate_proposal(
                m,
                theta,
                models=given(result),
                weight_function=kw["weight_function"],
                proposal_id=kw["proposal_id"],
                **{k: kw[k] for k in names},
            )

        return propose, judge
    if func is steps._simulate_one_from_prior:

        def propose_from_prior():
            m = int(kw["model_prior"].rvs())
            return m, kw["parameter_priors"][m].rvs()

        def judge_from_prior(m, theta, result):
            from pyabc.population import Particle

            stats = given(result)[m].summary_statistics(0, theta, kw["summary_statistics"])
            return Particle(
                m=m,
                parameter=theta,
                weight=1.0,
                sum_stat=stats.sum_stat,
                distance=np.inf,
                accepted=True,
                proposal_id=0,
                preliminary=False,
            )

        return propose_from_prior, judge_from_prior
    raise RuntimeError(
        "this pyabc's simulate function is not the one asnsim's batch sampler splits "
        "(written for pyabc 0.13); install pyabc 0.13"
    )


def _given_model(result):
    """A pyabc model whose every sample is ``result`` (a candidate simulated beforehand)."""
    from pyabc.model import FunctionModel

    return FunctionModel(lambda _parameters: result, name="asnsim")


class _NotHere:
    """pyabc's model: never called, the batch sampler simulates (``__name__`` for pyabc)."""

    __name__ = "asnsim"

    def __call__(self, parameters):
        raise AssertionError("asnsim's BatchSampler simulates; pyabc's model is not called")


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
    progress: bool = False,
    batch: int = 8,
) -> AbcResult:
    """ABC-SMC of ``priors`` against ``observed``, resumable from ``out/calibration.db``.

    Args:
        priors: Parameter (dotted key) → prior, in a fixed order.
        simulator: A batch of ``(parameters, seed)`` → each one's ``{target: value}``
            (:data:`Simulator`; :func:`one_by_one` for a function of one run).
        observed: Target → observed value.
        scales: Target → scale of its difference (see :mod:`asnsim.calibration.targets`).
        out: Folder of the database (it must exist).
        simulations: Total budget of simulations, earlier calls' included.
        population: Particles per generation.
        seed: Seed of the proposals and of the simulations' seeds.
        progress: Show each generation (pyabc's log) and a bar of simulations.
        batch: Fewest candidates simulated at once (a batch is otherwise sized by the
            acceptance rate to give the particles still missing); it changes the work, never
            the result.

    Returns:
        The posterior of the last generation and every generation's diagnostics.
    """
    pyabc = _pyabc()
    from tqdm import tqdm

    db = Path(out) / DB_NAME
    names = list(priors)
    logging.getLogger("ABC").setLevel(logging.INFO if progress else logging.WARNING)
    bar = tqdm(total=simulations, unit="run", disable=not progress, delay=1.0)

    def simulate(parameter_sets, seeds: list[int]) -> list[Values]:
        named = [{name: float(p[f"p{i}"]) for i, name in enumerate(names)} for p in parameter_sets]
        results: list[Values | None] = [None] * len(named)
        for position, values in simulator(named, seeds):
            results[position] = values
            bar.total = max(bar.total, bar.n + 1)  # the last generation may pass the budget
            bar.update()
        return results

    sampler = batch_sampler(simulate, batch)
    abc = pyabc.ABCSMC(
        _NotHere(), _prior(priors), _Distance(scales), population_size=population, sampler=sampler
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
    result = generations(history)
    return AbcResult(posterior, result, int(history.total_nr_simulations), sampler.runs)
