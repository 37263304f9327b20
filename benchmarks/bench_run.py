"""Time a full run of a city scaled to a given number of employees.

Usage: python benchmarks/bench_run.py [SCENARIO] [--employees N] [--repeat R] [--years Y]

Prints set-up time, run time (best and median of R), and employee-days per second.
Run by hand; no test asserts a time.
"""

import argparse
import platform
import statistics
import time
from pathlib import Path

from asnsim.model import ASNModel
from asnsim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios" / "palembang.yaml"))
    p.add_argument("--employees", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--years", type=int, default=10)
    p.add_argument("--set", dest="overrides", action="append", default=[])
    args = p.parse_args()
    base = load_scenario(args.scenario)
    scale = args.employees / base.city.workforce.headcount
    scenario = load_scenario(
        args.scenario, [f"scale={scale}", f"horizon_years={args.years}", *args.overrides]
    )
    setups, runs = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        model = ASNModel(scenario)
        t1 = time.perf_counter()
        model.run(progress=False)
        t2 = time.perf_counter()
        setups.append(t1 - t0)
        runs.append(t2 - t1)
    n = len(model.workforce)
    days = model.n_days
    print(
        f"machine: {platform.machine()}, {platform.processor() or '?'}, "
        f"python {platform.python_version()}"
    )
    print(
        f"scenario: {scenario.name} at scale {scale:.3f}: {n} employees at the end, "
        f"{len(model.units)} units, {args.years} years ({days} days)"
    )
    print(
        f"set-up: {min(setups):.3f} s; run: best {min(runs):.3f} s, "
        f"median {statistics.median(runs):.3f} s over {args.repeat}"
    )
    print(f"employee-days per second: {n * days / min(runs):,.0f}")


if __name__ == "__main__":
    main()
