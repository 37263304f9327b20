"""Runs per second of many small runs: one after the other with ASNModel vs one ensemble.

Usage:
    python benchmarks/bench_ensemble.py [--runs 1 8 64 256] [--alone-max 16] [--years 10]

Kotabumi at 5% scale, ten years, seeds 0..N-1, one process, CPU time (``process_time``).
Each measurement runs in a fresh process that reports its own peak resident memory. Runs
alone cost the same each, so at most ``--alone-max`` of them are timed and their rate stands
for N. Run by hand; no test asserts a time.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _scenarios(n: int, years: int, scale: float):
    from asnsim.scenario import load_scenario

    base = load_scenario(
        ROOT / "scenarios" / "kotabumi.yaml", [f"scale={scale}", f"horizon_years={years}"]
    )
    return [base.with_overrides({"seed": seed}) for seed in range(n)]


def measure(mode: str, n: int, years: int, scale: float) -> dict:
    """Time ``n`` runs ``alone`` or as one ``ensemble`` in this process."""
    from asnsim.ensemble import run_ensemble
    from asnsim.model import ASNModel

    scenarios = _scenarios(n, years, scale)
    start = time.process_time()
    if mode == "alone":
        for scenario in scenarios:
            ASNModel(scenario).run(progress=False)
    else:
        for _, out in run_ensemble(scenarios):
            if isinstance(out, Exception):
                raise out
    seconds = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "runs": n, "cpu_s": seconds, "runs_per_s": n / seconds, "peak_mb": peak}


def _fresh(mode: str, n: int, years: int, scale: float) -> dict:
    cmd = [sys.executable, __file__, "--one", mode, str(n), str(years), str(scale)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, nargs="+", default=[1, 8, 64, 256])
    parser.add_argument("--alone-max", type=int, default=16)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        mode, n, years, scale = args.one
        print(json.dumps(measure(mode, int(n), int(years), float(scale))))
        return
    print("| runs | alone: runs/s | ensemble: runs/s | speed-up | peak RSS alone | ensemble |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in args.runs:
        alone = _fresh("alone", min(n, args.alone_max), args.years, args.scale)
        together = _fresh("ensemble", n, args.years, args.scale)
        print(
            f"| {n} | {alone['runs_per_s']:.2f} | {together['runs_per_s']:.2f} | "
            f"{together['runs_per_s'] / alone['runs_per_s']:.2f}x | "
            f"{alone['peak_mb']:.0f} MB | {together['peak_mb']:.0f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
