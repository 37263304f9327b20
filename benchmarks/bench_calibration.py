"""Coverage of the calibration: do 90 % posterior intervals cover the truth 90 % of the time?

``python benchmarks/bench_calibration.py standin [--datasets 100]`` draws a true parameter
set from the prior, makes synthetic targets with the simulator at that truth (one seed),
calibrates against them with :func:`asnsim.calibration.abc.run_abc` (the code path of
``asnsim calibrate``), and counts how often each parameter's weighted 90 % interval covers
its true value. ``standin`` is a cheap simulator with two parameters and four noisy targets;
``model`` uses the model itself (Kotabumi at 5 %, 2 years, two parameters, its calibration
targets), which takes minutes per data set. Writes ``benchmarks/calibration_coverage.png``
and prints a Markdown table for ``RESULTS.md``.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from asnsim.calibration.abc import run_abc
from asnsim.calibration.posterior import Posterior
from asnsim.priors import Prior

HERE = Path(__file__).resolve().parent


def standin(parameters: dict[str, float], seed: int) -> dict[str, float]:
    """Four noisy targets of two parameters (noise sd 0.05 each)."""
    rng = np.random.default_rng(seed)
    a, b = parameters["a"], parameters["b"]
    clean = {"t1": a, "t2": a + b, "t3": b, "t4": 0.5 * a - b}
    return {k: v + rng.normal(0, 0.05) for k, v in clean.items()}


def _standin_setup():
    priors = {"a": Prior(dist="uniform", low=0, high=1), "b": Prior(dist="beta", a=2, b=2)}
    return priors, standin, dict.fromkeys(("t1", "t2", "t3", "t4"), 0.05)


def _model_setup():
    from asnsim.calibration.run import ModelSimulator
    from asnsim.calibration.targets import fit_targets
    from asnsim.ensemble import run_ensemble
    from asnsim.observed import load_targets
    from asnsim.scenario import load_scenario, scenario_from_dict

    base = load_scenario("kotabumi", {"scale": 0.05, "horizon_years": 2})
    priors_data = {
        "training.routine.share": {"dist": "beta", "a": 3.5, "b": 6.5},
        "assumptions.pppk_exit_rate": [0.02, 0.05],
    }
    scenario = scenario_from_dict(base.canonical() | {"uncertainties": priors_data})
    sample = next(run_ensemble([scenario]))[1]
    fit = fit_targets(load_targets(use="calibration"), "kotabumi", sample)
    simulator = ModelSimulator(scenario, fit, "kotabumi")
    return scenario.priors(), simulator, dict(zip(fit["target"], fit["scale"], strict=True))


def coverage(kind: str, datasets: int, simulations: int, population: int, seed: int):
    """One row per data set and parameter: truth, interval, covered."""
    priors, simulator, scales = _standin_setup() if kind == "standin" else _model_setup()
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(datasets):
        truth = {k: float(p.sample(rng, 1)[0]) for k, p in priors.items()}
        observed = simulator(truth, int(rng.integers(2**31)))
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


def main(argv: list[str] | None = None) -> int:
    """Run the coverage check and print its Markdown table."""
    p = argparse.ArgumentParser(prog="python benchmarks/bench_calibration.py")
    p.add_argument("kind", choices=("standin", "model"))
    p.add_argument("--datasets", type=int, default=100)
    p.add_argument("--simulations", type=int, default=600)
    p.add_argument("--population", type=int, default=60)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    start = time.time()
    table = coverage(args.kind, args.datasets, args.simulations, args.population, args.seed)
    fig = plot(table, f"{args.kind}: 90 % posterior intervals against the truth")
    fig.savefig(HERE / f"calibration_coverage_{args.kind}.png", dpi=90)
    summary = table.groupby("parameter").agg(
        coverage=("covered", "mean"), width=("width_vs_prior", "mean"), n=("covered", "size")
    )
    n = int(summary["n"].iloc[0])
    band = 1.96 * math.sqrt(0.9 * 0.1 / n)
    print(
        f"\n`{' '.join(['python benchmarks/bench_calibration.py', *sys.argv[1:]])}`: "
        f"{n} data sets, {args.simulations} simulations and {args.population} particles "
        f"each, {time.time() - start:.0f} s\n"
    )
    print("| parameter | coverage of the 90 % interval | mean width / prior's 90 % width |")
    print("|---|---|---|")
    for name, r in summary.iterrows():
        print(f"| {name} | {100 * r.coverage:.0f} % | {r.width:.2f} |")
    print(f"\n(binomial 95 % band around 90 % with {n} data sets: ± {100 * band:.0f} points)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
