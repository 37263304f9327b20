"""Where an ensemble's run-day goes: CPU µs per run per simulated day, phase by phase.

Usage:
    python benchmarks/profile_ensemble.py [--runs 64] [--years 2] [--scale 0.05]
        [--scenario scenarios/kotabumi.yaml] [--national 6]

Times each phase of ``asnsim.ensemble._Batch`` (and the run's own model code it calls) with
``time.process_time`` around it, in one process, and prints a table of µs per run-day (and
ns per employee-day). ``--national N`` steps the first N regions of the national study
(``asnsim.national``) instead of seeds of one scenario. Run by hand; no test asserts a time.
"""

import argparse
import functools
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPENT: dict[str, float] = defaultdict(float)


def _timed(owner, name: str, label: str) -> None:
    inner = getattr(owner, name)

    @functools.wraps(inner)
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            SPENT[label] += time.process_time() - start

    setattr(owner, name, wrapper)


def _scenarios(args):
    from asnsim.scenario import Scenario, load_scenario

    if args.national:
        from asnsim.national import national_runs, region_table

        template = load_scenario(ROOT / "scenarios" / "padang.yaml")
        table = region_table(template_headcount=template.city.workforce.headcount)
        runs = national_runs(table.head(args.national), template, args.years)
        return [Scenario.model_validate_json(run.scenario_json) for run in runs]
    base = load_scenario(
        ROOT / args.scenario, [f"scale={args.scale}", f"horizon_years={args.years}"]
    )
    return [base.with_overrides({"seed": seed}) for seed in range(args.runs)]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=64)
    p.add_argument("--years", type=int, default=2)
    p.add_argument("--scale", type=float, default=0.05)
    p.add_argument("--scenario", default="scenarios/kotabumi.yaml")
    p.add_argument("--national", type=int, default=0, help="first N national regions")
    args = p.parse_args()

    from asnsim import ensemble
    from asnsim.model import ASNModel

    scenarios = _scenarios(args)
    batch = ensemble._Batch
    phases = [name for name in vars(batch) if name.startswith("_") and not name.startswith("__")]
    for name in phases:
        _timed(batch, name, name.lstrip("_"))
    model_parts = ("_survey", "_end_of_year", "_month_exits", "_ramp_up", "__init__")
    for name in model_parts:
        _timed(ASNModel, name, f"model.{name.strip('_')}")
    start = time.process_time()
    run_days = employee_days = 0
    for _, out in ensemble.run_ensemble(scenarios):
        if isinstance(out, Exception):
            raise out
        daily = out.daily()
        run_days += len(daily)
        employee_days += int(daily["headcount"].sum())
    total = time.process_time() - start
    print(
        f"{len(scenarios)} runs, {run_days} run-days, {employee_days / run_days:.0f} staff a "
        f"run on average: {total:.2f} s CPU, {1e6 * total / run_days:.1f} µs a run-day, "
        f"{1e9 * total / employee_days:.1f} ns an employee-day "
        f"({employee_days / total / 1e6:.1f} million employee-days a second)"
    )
    print("| phase | µs a run-day | share |")
    print("|---|---:|---:|")
    # nested phases (step holds the day's phases; end_of_day the model's survey and year end)
    for label, spent in sorted(SPENT.items(), key=lambda kv: -kv[1]):
        print(f"| {label} | {1e6 * spent / run_days:.1f} | {spent / total:.0%} |")


if __name__ == "__main__":
    main()
