"""The ``asnsim`` command.

``asnsim run SCENARIO.yaml [--years N] [--seed S] [--set KEY=VALUE ...] [--out DIR]``
``asnsim validate SCENARIO.yaml [--set KEY=VALUE ...]``

Exit codes: 0 success, 2 invalid input (the message names file, key, value, expectation),
1 an unexpected failure.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from asnsim.scenario import Scenario, ScenarioError, load_scenario

__all__ = ["main", "format_summary"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="asnsim",
        description="Agent-based simulation of ASN personnel policy in Indonesian local "
        "governments.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    def scenario_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("scenario", help="scenario YAML file")
        sp.add_argument(
            "--set",
            dest="overrides",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="dotted override, e.g. --set policies.placement.name=random (repeatable)",
        )

    run = sub.add_parser("run", help="run a scenario, print a summary and write results")
    scenario_args(run)
    run.add_argument("--years", type=int, help="simulated years (default: the scenario's)")
    run.add_argument("--seed", type=int, help="master seed (default: the scenario's)")
    run.add_argument("--scale", type=float, help="shrink the city, e.g. 0.05 (default: 1)")
    run.add_argument("--out", default=None, help="output folder (default: results/<name>)")
    run.add_argument("--no-figure", action="store_true", help="do not draw the figure")
    run.add_argument("--quiet", action="store_true", help="no progress bar")

    val = sub.add_parser("validate", help="check a scenario file; exit 0 if valid, 2 if not")
    scenario_args(val)
    return p


def _load(args: argparse.Namespace) -> Scenario:
    overrides = list(args.overrides)
    for key in ("years", "seed", "scale"):
        value = getattr(args, key, None)
        if value is not None:
            name = "horizon_years" if key == "years" else key
            overrides.append(f"{name}={value}")
    return load_scenario(args.scenario, overrides)


def format_summary(city, scenario: Scenario) -> str:
    """A readable table of the yearly city outcomes."""
    standard = ", ".join(
        sorted({f"{u.service_standard_days:g}" for u in scenario.city.units}, key=float)
    )
    lines = [
        f"{scenario.city.name} — scenario '{scenario.name}', seed {scenario.seed}, "
        f"scale {scenario.scale:g}, {scenario.horizon_years} "
        f"{'year' if scenario.horizon_years == 1 else 'years'}",
        f"placement: {scenario.policies.placement.name}, training: "
        f"{scenario.policies.training.name}; service standards {standard} working days",
        "",
        f"{'year':>4} {'IKM':>6} {'band':>4} {'true':>6} {'wait':>5} {'p90':>4} "
        f"{'on time':>7} {'lost':>6} {'backlog':>8} {'in field':>8} {'staff':>6}",
    ]
    for r in city.itertuples():
        lines.append(
            f"{r.year:>4} {r.ikm:6.2f} {r.ikm_band:>4} {r.ikm_true:6.2f} "
            f"{r.wait_mean_days:5.2f} {r.wait_p90_days:4.0f} {100 * r.on_time_share:6.1f}% "
            f"{100 * r.abandon_rate:5.1f}% {r.backlog:8d} {100 * r.matched_share:7.1f}% "
            f"{r.headcount:6d}"
        )
    lines.append("")
    lines.append(
        "IKM: citizen satisfaction index (PermenPANRB 14/2017), surveyed each semester; "
        "'true' is its expected value. Waits in working days; 'lost' = citizens who gave up."
    )
    return "\n".join(lines)


def _cmd_run(args: argparse.Namespace) -> int:
    from asnsim.model import ASNModel
    from asnsim.results import write_results

    scenario = _load(args)
    out = Path(args.out) if args.out else Path("results") / scenario.name
    model = ASNModel(scenario)
    outcomes = model.run(progress=None if not args.quiet else False)
    write_results(outcomes, scenario, out, figure=not args.no_figure)
    print(format_summary(outcomes.city(), scenario))
    print(
        f"\nresults written to {out}/ (summary.json, annual.parquet, city.parquet, "
        f"sectors.parquet, manifest.json{'' if args.no_figure else ', outcomes.png'})"
    )
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    scenario = _load(args)
    print(f"{args.scenario}: valid (scenario '{scenario.name}', hash {scenario.hash()[:12]})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``asnsim`` command; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "run":
            return _cmd_run(args)
        return _cmd_validate(args)
    except ScenarioError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
