"""``asnsim calibrate SCENARIO --targets FILE --out DIR [--simulations N] [--seed S]``.

The parser and the handler of the subcommand; :mod:`asnsim.cli` registers them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from asnsim.scenario import ScenarioError

__all__ = ["add_parser", "handle"]


def add_parser(sub, scenario_args, force_arg, executor_args) -> argparse.ArgumentParser:
    """Add ``calibrate`` to the ``asnsim`` subcommands (the helpers are asnsim.cli's)."""
    cal = sub.add_parser(
        "calibrate",
        help="learn the scenario's uncertain assumptions from observed targets (ABC-SMC)",
        description="Bayesian calibration (ABC-SMC, pyabc) of the scenario's uncertainties "
        "(their priors) against the calibration targets; writes posterior.parquet, "
        "manifest.json and diagnostics to --out. A second call with the same --out continues "
        "the first (raise --simulations to go further). Each generation's candidates run in "
        "batches on the executor; the result is the same on any executor, number of workers "
        "or chunking. See docs/calibration.md.",
    )
    scenario_args(cal)
    cal.add_argument("--targets", help="target CSV or folder (default: data/observed)")
    cal.add_argument("--out", required=True, help="output folder (resumable)")
    cal.add_argument(
        "--simulations", type=int, default=300, help="total budget of runs (default 300)"
    )
    cal.add_argument("--population", type=int, help="particles per generation (default N/6)")
    cal.add_argument("--seed", type=int, default=0, help="seed of the calibration (default 0)")
    cal.add_argument("--city", help="whose own targets apply (default: the scenario's name)")
    cal.add_argument(
        "--exclude", action="append", default=[], metavar="TARGET", help="leave a target out"
    )
    cal.add_argument(
        "--predictive", type=int, default=20, help="posterior predictive runs (default 20)"
    )
    cal.add_argument("--years", type=int, help="simulated years")
    cal.add_argument("--scale", type=float, help="shrink the city, e.g. 0.05")
    executor_args(cal)
    force_arg(cal)
    return cal


def handle(args: argparse.Namespace, load, executor_of, chunk_of) -> int:
    """Run ``asnsim calibrate``; Ctrl-C keeps the finished generations (rerun to continue).

    ``load(args)`` gives the scenario, ``executor_of(args)`` is a context manager giving the
    executor the options ask for and ``chunk_of(args)`` the chunking (all from ``asnsim.cli``).
    """
    from asnsim.calibration.run import calibrate

    for option in ("simulations", "workers", "predictive", "population"):
        value = getattr(args, option)
        if value is not None and value < (0 if option == "predictive" else 1):
            raise ScenarioError([f"--{option} {value}: expected a positive whole number"])
    scenario = load(args)
    out = args.out_dir = Path(args.out)
    try:
        with executor_of(args) as executor:
            result = calibrate(
                scenario,
                out,
                targets=args.targets,
                city=args.city,
                simulations=args.simulations,
                population=args.population,
                seed=args.seed,
                executor=executor,
                chunk=chunk_of(args),
                exclude=tuple(args.exclude),
                predictive=args.predictive,
                progress=not args.quiet,
                force=args.force,
                command="asnsim " + " ".join(sys.argv[1:]),
            )
    except KeyboardInterrupt:
        print(
            f"\ninterrupted: the finished generations are kept in {out}/calibration.db; "
            "run the same command again to continue",
            file=sys.stderr,
        )
        return 130
    except ImportError as err:
        raise ScenarioError([str(err)]) from None
    g = result.generations.iloc[-1]
    print(
        f"{result.simulations} simulations, {len(result.generations)} generations; last: "
        f"epsilon {g.epsilon:.3g}, acceptance {100 * g.acceptance_rate:.0f} %, "
        f"ESS {g.ess:.0f}"
    )
    low, high = result.posterior.quantiles(0.05), result.posterior.quantiles(0.95)
    for name in result.posterior.names:
        print(f"  {name}: 90 % interval [{low[name]:.4g}, {high[name]:.4g}]")
    if not result.predictive.empty:
        counts = result.predictive.groupby(["use", "verdict"]).size()
        print("posterior predictive check:\n" + counts.to_string())
    print(
        f"\nwritten to {out}/ (posterior.parquet, manifest.json, generations.csv, "
        "prior_posterior.png, predictive.csv, predictive.png, calibration.db)"
    )
    return 0
