"""Coverage and speed of the calibration.

``python benchmarks/bench_calibration.py standin|model [--datasets 100]``: do 90 % posterior
intervals cover the truth 90 % of the time? Each data set draws a true parameter set from the
prior, makes synthetic targets with the simulator at that truth (one seed), calibrates against
them with :func:`asnsim.calibration.abc.run_abc` (the code path of ``asnsim calibrate``), and
counts how often each parameter's weighted 90 % interval covers its true value. ``standin``
is a cheap simulator with two parameters and four noisy targets; ``model`` is the model itself
(Kotabumi at 5 %, ``--years`` 2, two parameters, its calibration targets, the runs in batches
on ``--workers`` processes). Writes ``benchmarks/calibration_coverage_<kind>.png`` and prints
a Markdown table for ``RESULTS.md``.

``python benchmarks/bench_calibration.py speed``: wall and CPU (this process and its workers)
of ``asnsim calibrate``'s code on Kotabumi at 5 %, 3 years, 300 simulations, 10 predictive
runs, on ``--workers`` processes.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from asnsim.calibration.abc import one_by_one, run_abc
from asnsim.calibration.posterior import Posterior
from asnsim.evaluators import make_executor
from asnsim.priors import Prior

HERE = Path(__file__).resolve().parent
EXCLUDED = (  # as data/calibrate_cities.py: mechanisms the model does not hold yet (issue 11)
    "kab_kota_teacher_share_of_retirees",
    "national_newcomer_resignation_rate_2021",
)
PRIORS = {
    "training.routine.share": {"dist": "beta", "a": 3.5, "b": 6.5},
    "assumptions.pppk_exit_rate": [0.02, 0.05],
}


def standin(parameters: dict[str, float], seed: int) -> dict[str, float]:
    """Four noisy targets of two parameters (noise sd 0.05 each)."""
    rng = np.random.default_rng(seed)
    a, b = parameters["a"], parameters["b"]
    clean = {"t1": a, "t2": a + b, "t3": b, "t4": 0.5 * a - b}
    return {k: v + rng.normal(0, 0.05) for k, v in clean.items()}


def _standin_setup(years: int, executor):
    priors = {"a": Prior(dist="uniform", low=0, high=1), "b": Prior(dist="beta", a=2, b=2)}
    scales = dict.fromkeys(("t1", "t2", "t3", "t4"), 0.05)
    return priors, one_by_one(standin), standin, scales


def _model_setup(years: int, executor):
    from asnsim.calibration.run import ModelSimulator
    from asnsim.calibration.targets import fit_targets
    from asnsim.evaluators import evaluate
    from asnsim.observed import load_targets
    from asnsim.scenario import load_scenario, scenario_from_dict

    base = load_scenario("kotabumi", {"scale": 0.05, "horizon_years": years})
    scenario = scenario_from_dict(base.canonical() | {"uncertainties": PRIORS})
    sample = next(evaluate([scenario]))[1]
    table = load_targets(use="calibration")
    fit = fit_targets(table[~table["target"].isin(EXCLUDED)], "kotabumi", sample)
    simulator = ModelSimulator(scenario, fit, "kotabumi", executor)
    scales = dict(zip(fit["target"], fit["scale"], strict=True))
    return scenario.priors(), simulator, simulator.one, scales


def coverage(
    kind: str,
    datasets: int,
    simulations: int,
    population: int,
    seed: int,
    years: int = 2,
    executor=None,
    csv: Path | None = None,
):
    """One row per data set and parameter: truth, interval, covered (to ``csv`` as it goes)."""
    setup = _standin_setup if kind == "standin" else _model_setup
    priors, simulator, one_run, scales = setup(years, executor)
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(datasets):
        truth = {k: float(p.sample(rng, 1)[0]) for k, p in priors.items()}
        observed = one_run(truth, int(rng.integers(2**31)))
        if not all(math.isfinite(v) for v in observed.values()):
            continue
        with tempfile.TemporaryDirectory() as folder:
            result = run_abc(
                priors, simulator, observed, scales, folder, simulations, population, seed + i
            )
        frame = result.posterior
        post = Posterior(frame.drop(columns="weight"), frame["weight"].to_numpy(), {})
        low, high = post.quantiles(0.05), post.quantiles(0.95)
        for name, value in truth.items():
            prior_low, prior_high = priors[name].rv().ppf([0.05, 0.95])
            rows.append(
                {
                    "dataset": i,
                    "parameter": name,
                    "truth": value,
                    "low": low[name],
                    "high": high[name],
                    "covered": bool(low[name] <= value <= high[name]),
                    "width_vs_prior": (high[name] - low[name]) / (prior_high - prior_low),
                }
            )
        if csv is not None:
            pd.DataFrame(rows).to_csv(csv, index=False)
        print(f"data set {i + 1}/{datasets}", file=sys.stderr)
    return pd.DataFrame(rows)


def plot(table: pd.DataFrame, title: str) -> Figure:
    """Each data set's 90 % interval (sorted by truth) and the truth, a panel per parameter."""
    names = list(dict.fromkeys(table["parameter"]))
    fig = Figure(figsize=(4.5 * len(names), 3.6), layout="constrained")
    for ax, name in zip(fig.subplots(1, len(names), squeeze=False)[0], names, strict=True):
        g = table[table["parameter"] == name].sort_values("truth").reset_index(drop=True)
        colour = np.where(g["covered"], "#2a9d4a", "#c0392b")
        ax.vlines(g.index, g["low"], g["high"], colors=colour, lw=2)
        ax.scatter(g.index, g["truth"], color="black", s=6, zorder=3)
        ax.set_title(f"{name}: coverage {100 * g['covered'].mean():.0f} %", fontsize=9)
        ax.set_xlabel("data set (sorted by true value)", fontsize=8)
    fig.suptitle(title, fontsize=9)
    return fig


def speed(workers: int, simulations: int, seed: int) -> None:
    """Wall and CPU (this process and its workers) of a calibration of Kotabumi at 5 %."""
    from bench_experiment import _cpu_of  # benchmarks/, the script's folder

    from asnsim.calibration.run import calibrate
    from asnsim.catalog import SCENARIOS_DIR
    from asnsim.scenario import load_scenario, scenario_from_dict

    base = load_scenario(SCENARIOS_DIR / "kotabumi.yaml", {"scale": 0.05, "horizon_years": 3})
    scenario = scenario_from_dict(
        base.canonical()
        | {"uncertainties": PRIORS | {"assumptions.mismatch_ceiling": [0.75, 0.9]}}
    )
    executor, _ = make_executor("serial" if workers == 0 else "processes", workers=workers)
    cpu, wall = time.process_time(), time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, executor:
        result = calibrate(
            scenario,
            Path(folder) / "out",
            simulations=simulations,
            seed=seed,
            exclude=EXCLUDED,
            predictive=10,
            executor=executor,
        )
        pids = list(getattr(executor, "_processes", None) or {})
        workers_cpu = sum(_cpu_of(pid) for pid in pids)  # before the pool shuts down
        wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu + workers_cpu
        runs = json.loads((Path(folder) / "out" / "manifest.json").read_text())["model_runs"]
    print(
        f"{result.simulations} simulations ({runs} runs, + 10 predictive) on "
        f"{workers or 'no'} workers: wall {wall:.1f} s, CPU {cpu:.1f} s "
        f"(workers {workers_cpu:.1f} s), load average {os.getloadavg()[0]:.1f}"
    )


def report(table: pd.DataFrame, kind: str, header: str) -> None:
    """The figure, and the Markdown table of nominal against achieved coverage."""
    from scipy.stats import binomtest

    fig = plot(table, f"{kind}: 90 % posterior intervals against the truth")
    fig.savefig(HERE / f"calibration_coverage_{kind}.png", dpi=90)
    print(f"\n{header}\n")
    print(
        "| parameter | data sets | nominal | achieved (95 % interval) "
        "| mean width / prior's 90 % width |"
    )
    print("|---|---:|---:|---|---:|")
    for name, g in table.groupby("parameter", sort=False):
        hits, n = int(g["covered"].sum()), len(g)
        ci = binomtest(hits, n).proportion_ci(0.95)
        print(
            f"| {name} | {n} | 90 % | {100 * hits / n:.0f} % ({100 * ci.low:.0f}-"
            f"{100 * ci.high:.0f} %) | {g['width_vs_prior'].mean():.2f} |"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the coverage check (or the speed measurement) and print its Markdown table."""
    p = argparse.ArgumentParser(prog="python benchmarks/bench_calibration.py")
    p.add_argument("kind", choices=("standin", "model", "speed"))
    p.add_argument("--datasets", type=int, default=100)
    p.add_argument("--simulations", type=int, default=600)
    p.add_argument("--population", type=int, default=60)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--years", type=int, default=2, help="model: simulated years")
    p.add_argument("--workers", type=int, default=2, help="model, speed: processes (0: serial)")
    p.add_argument("--report", action="store_true", help="report the data sets done so far")
    args = p.parse_args(argv)
    if args.kind == "speed":
        speed(args.workers, args.simulations, args.seed)
        return 0
    csv = HERE / f"calibration_coverage_{args.kind}.csv"
    command = " ".join(["python benchmarks/bench_calibration.py", *sys.argv[1:]])
    if args.report:
        report(pd.read_csv(csv), args.kind, f"`{command}` (from {csv.name})")
        return 0
    start = time.time()
    kind = "serial" if args.kind == "standin" or args.workers == 0 else "processes"
    executor, _ = make_executor(kind, workers=args.workers)
    with executor:
        table = coverage(
            args.kind,
            args.datasets,
            args.simulations,
            args.population,
            args.seed,
            args.years,
            executor,
            csv,
        )
    header = (
        f"`{command}`: {table['dataset'].nunique()} data sets, {args.simulations} simulations "
        f"and {args.population} particles each, {time.time() - start:.0f} s"
    )
    report(table, args.kind, header)
    return 0


if __name__ == "__main__":
    sys.exit(main())
