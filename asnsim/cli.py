"""The ``asnsim`` command.

``asnsim run SCENARIO.yaml [--years N] [--seed S] [--set KEY=VALUE ...] [--out DIR]``
``asnsim validate SCENARIO.yaml [--set KEY=VALUE ...]``

Exit codes: 0 success; 2 a refusal: invalid input or an output folder asnsim may not use
(one message naming the file, option or key and what was expected, no traceback); 1 any
other failure (a one-line message; the traceback goes to ``asnsim-error.log`` in the output
folder, or in a temporary folder when there is none, and the message gives its path).

Output folders (``--out``) must be new, empty, or hold an earlier asnsim result of the same
kind; ``--force`` replaces such a result (files asnsim did not write stay). See
:mod:`asnsim.outfolder`.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import secrets
import sys
import tempfile
import textwrap
import traceback
import warnings
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from asnsim.brief import command as brief_command
from asnsim.calibration import cli as calibration_cli
from asnsim.catalog import resolve_roster
from asnsim.decide import cli as decide_cli
from asnsim.labels import LANGS, label
from asnsim.outfolder import (
    KIND_FILES,
    LOG_NAME,
    OutputFolderError,
    atomic_write,
    claim,
    folder_lock,
    write_csv,
    write_png,
)
from asnsim.scenario import Scenario, ScenarioError, load_scenario, parse_override
from asnsim.version import __version__

__all__ = ["main", "format_summary"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="asnsim",
        description="Agent-based simulation of ASN personnel policy in Indonesian local "
        "governments.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def scenario_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "scenario",
            help="scenario YAML file, or a shipped scenario's name (kotabumi, "
            "kotabumi/seniority; `asnsim scenarios` lists them)",
        )
        sp.add_argument(
            "--set",
            dest="overrides",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="dotted override, e.g. --set policies.placement.name=random (repeatable)",
        )
        sp.add_argument(
            "--allow-extends-anywhere",
            action="store_true",
            help="let 'extends' read files outside the scenario's folder and scenarios/",
        )

    def posterior_arg(sp: argparse.ArgumentParser, paired: bool = True) -> None:
        sp.add_argument(
            "--posterior",
            metavar="DIR",
            help="a calibrated posterior (asnsim calibrate's --out, or a shipped city's name: "
            "data/calibrated/<city>)"
            + (
                ": replication r runs under draw r // --seeds-per-draw, the same for every variant"
                if paired
                else ""
            ),
        )
        if paired:
            sp.add_argument(
                "--seeds-per-draw",
                type=int,
                default=None,
                help="seeds per posterior draw (default 2 in compare, the experiment's in sweep)",
            )

    def force_arg(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--force",
            action="store_true",
            help="replace an earlier asnsim result of this kind in --out (only asnsim's files)",
        )

    run = sub.add_parser("run", help="run a scenario, print a summary and write results")
    scenario_args(run)
    run.add_argument("--years", type=int, help="simulated years (default: the scenario's)")
    run.add_argument("--seed", type=int, help="master seed (default: the scenario's)")
    run.add_argument("--scale", type=float, help="shrink the city, e.g. 0.05 (default: 1)")
    run.add_argument("--out", default=None, help="output folder (default: results/<name>)")
    run.add_argument("--no-figure", action="store_true", help="do not draw the figure")
    posterior_arg(run, paired=False)
    force_arg(run)
    run.add_argument(
        "--roster", help="employee roster (CSV/Excel) as the starting workforce, or 'sample'"
    )
    run.add_argument("--as-of", help="date of the roster, YYYY-MM-DD (default: today)")
    run.add_argument(
        "--strict", action="store_true", help="with --roster: refuse (exit 2) any bad row"
    )
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.add_argument(
        "--lang",
        choices=LANGS,
        default="en",
        help="labels in English (en) or Bahasa Indonesia (id)",
    )

    val = sub.add_parser("validate", help="check a scenario file; exit 0 if valid, 2 if not")
    scenario_args(val)
    _roster_parser(sub)

    def executor_args(sp: argparse.ArgumentParser, chunks: bool = True) -> None:
        g = sp.add_argument_group("where runs execute")
        g.add_argument("--workers", type=int, help="worker processes (default: one per core)")
        g.add_argument("--serial", action="store_true", help="run in this process, one by one")
        g.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
        g.add_argument(
            "--scheduler-timeout",
            type=float,
            default=10.0,
            help="seconds to wait for the scheduler (default 10)",
        )
        if chunks:
            g.add_argument(
                "--chunk-runs", type=_runs, help="most runs a worker gets at once (default 64)"
            )
        sp.add_argument("--quiet", action="store_true", help="no progress bar")

    cmp_ = sub.add_parser(
        "compare", help="paired comparison of policy variants over seeded replications"
    )
    scenario_args(cmp_)
    cmp_.add_argument(
        "--variant",
        nargs="+",
        action="append",
        default=[],
        metavar=("NAME", "KEY=VALUE"),
        help="a variant: its name, then dotted overrides (repeatable)",
    )
    cmp_.add_argument("--replications", type=int, default=10, help="replications (default 10)")
    cmp_.add_argument("--baseline", default="base", help="variant compared against")
    cmp_.add_argument("--seed", type=int, help="master seed of the replications")
    cmp_.add_argument("--years", type=int, help="simulated years")
    cmp_.add_argument("--scale", type=float, help="shrink the city, e.g. 0.05")
    cmp_.add_argument(
        "--out", default=None, help="output folder (default: results/compare-<name>)"
    )
    posterior_arg(cmp_)
    force_arg(cmp_)
    executor_args(cmp_)

    sweep = sub.add_parser(
        "sweep", help="run an experiment file (variants × design × replications)"
    )
    sweep.add_argument("experiment", help="experiment YAML file, or a shipped one's name")
    sweep.add_argument("--out", default=None, help="output folder (default: results/<name>)")
    sweep.add_argument(
        "--allow-extends-anywhere",
        action="store_true",
        help="let 'extends' read files outside the scenario's folder and scenarios/",
    )
    posterior_arg(sweep)
    force_arg(sweep)
    executor_args(sweep)

    sub.add_parser(
        "dashboard",
        help="interactive dashboard in the browser (mesa SolaraViz); see 'asnsim dashboard -h'",
        add_help=False,
    )

    nat = sub.add_parser(
        "national", help="every regional government (synthetic, ~540) for 10 years"
    )
    nat.add_argument("--regions", type=int, default=540, help="regions (default 540)")
    nat.add_argument("--total", type=int, default=4_300_000, help="ASN in all (default 4.3 m)")
    nat.add_argument("--years", type=int, default=10, help="simulated years (default 10)")
    nat.add_argument("--seed", type=int, default=0, help="seed of the regions and their runs")
    nat.add_argument("--out", default="results/national", help="output folder")
    force_arg(nat)
    executor_args(nat)

    sens = sub.add_parser("sensitivity", help="global sensitivity to the declared uncertainties")
    scenario_args(sens)
    sens.add_argument("--method", choices=("morris", "sobol"), default="morris")
    sens.add_argument("--samples", type=int, default=8, help="SALib's N (default 8)")
    sens.add_argument("--outcome", action="append", default=None, help="outcome (repeatable)")
    sens.add_argument("--seed", type=int, default=0, help="seed of the sampler")
    sens.add_argument("--years", type=int, help="simulated years")
    sens.add_argument("--scale", type=float, help="shrink the city, e.g. 0.05")
    sens.add_argument("--out", default=None, help="output folder")
    sens.add_argument(
        "--posterior",
        metavar="DIR",
        help="a calibrated posterior: its parameters are sampled over their 90 %% intervals",
    )
    force_arg(sens)
    executor_args(sens)

    vld = sub.add_parser(
        "validation", help="run the five cities and compare them with the observed targets"
    )
    vld.add_argument("--replications", type=int, default=5, help="per city (default 5)")
    vld.add_argument("--scale", type=float, default=0.25, help="city size (default 0.25)")
    vld.add_argument("--years", type=int, default=5, help="simulated years (default 5)")
    vld.add_argument("--seed", type=int, default=0, help="master seed (default 0)")
    vld.add_argument("--targets", help="target CSV or folder (default: data/observed)")
    vld.add_argument("--city", action="append", help="only this city (repeatable)")
    vld.add_argument("--out", default="results/validation", help="output folder")
    vld.add_argument(
        "--posterior",
        metavar="DIR",
        help="a folder of calibrated posteriors, one per city (<city>/), or 'shipped' for "
        "data/calibrated: targets are compared with the posterior predictive",
    )
    force_arg(vld)
    executor_args(vld, chunks=False)
    calibration_cli.add_parser(sub, scenario_args, force_arg, executor_args)
    sub.add_parser("scenarios", help="list the shipped scenarios, each with its question")
    rep = sub.add_parser(
        "reproduce",
        help="re-run a stored run or study from its records; exit 0 if identical, 3 if not",
    )
    rep.add_argument("folder", help="a folder written by run, compare, sweep, national ...")
    rep.add_argument("--roster", help="the roster file the run started from, if any")
    rep.add_argument("--limit", type=int, help="re-make at most this many of a study's runs")
    rep.add_argument("--csv", help="also write the verdicts to this new CSV file")
    decide_cli.add_parsers(sub, scenario_args, force_arg, executor_args)
    brief_command.add_parser(sub)
    return p


def _load(args: argparse.Namespace) -> Scenario:
    overrides = list(args.overrides)
    for key in ("years", "seed", "scale"):
        value = getattr(args, key, None)
        if value is not None:
            name = "horizon_years" if key == "years" else key
            overrides.append(f"{name}={value}")
    return load_scenario(args.scenario, overrides, extends_anywhere=args.allow_extends_anywhere)


def _claim(args: argparse.Namespace, out: Path, kind: str) -> Path:
    """Check ``--out`` before any work; remember it for the error log."""
    resume = kind not in ("run", "roster")  # studies resume; single results need --force
    claim(out, kind, force=getattr(args, "force", False), resume=resume)
    args.out_dir = out
    return out


def format_summary(city, scenario: Scenario, lang: str = "en") -> str:
    """A readable table of the yearly city outcomes (``lang`` ``en`` or ``id``)."""
    t = lambda key: label(key, lang)  # noqa: E731
    standard = ", ".join(
        sorted({f"{u.service_standard_days:g}" for u in scenario.city.units}, key=float)
    )
    years = t("years") if lang == "id" or scenario.horizon_years != 1 else t("year")
    lines = [
        f"{scenario.city.name} — {t('scenario')} '{scenario.name}', {t('seed')} "
        f"{scenario.seed}, {t('scale')} {scenario.scale:g}, {scenario.horizon_years} {years}",
        f"{t('lever_placement')}: {scenario.policies.placement.name}, {t('lever_training')}: "
        f"{scenario.policies.training.name}; {t('standards')} {standard} {t('working_days')}",
        "",
        f"{t('col_year'):>5} {'IKM':>6} {t('col_band'):>4} {t('col_true'):>7} "
        f"{t('col_seekers'):>7} {t('col_wait'):>6} {'p90':>4} {t('col_on_time'):>7} "
        f"{t('col_lost'):>6} "
        f"{t('col_backlog'):>8} {t('col_in_field'):>8} {t('col_staff'):>7}",
    ]
    for r in city.itertuples():
        lines.append(
            f"{r.year:>5} {r.ikm:6.2f} {r.ikm_band:>4} {r.ikm_true:7.2f} "
            f"{r.ikm_seekers:7.2f} {r.wait_mean_days:6.2f} {r.wait_p90_days:4.0f} "
            f"{100 * r.on_time_share:6.1f}% "
            f"{100 * r.abandon_rate:5.1f}% {r.backlog:8d} {100 * r.matched_share:7.1f}% "
            f"{r.headcount:7d}"
        )
    lines.append("")
    lines.append(t("summary_note"))
    capped = int(city["waits_capped"].sum()) if "waits_capped" in city else 0
    if capped:
        days = scenario.assumptions.queue_max_days
        lines.append(label("waits_capped_warning", lang, n=f"{capped:,}", days=days))
    return "\n".join(lines)


def _cmd_run(args: argparse.Namespace) -> int:
    from asnsim.model import ASNModel
    from asnsim.results import write_results

    scenario = _load(args)
    draw = None
    if args.posterior:  # one run: the posterior's weighted draw 0 from the scenario's seed
        from asnsim.calibration.posterior import load_posterior

        posterior = load_posterior(args.posterior)
        posterior.check(scenario, args.scenario)
        draw = posterior.draws(1, scenario.seed, scenario)[0]
        scenario = scenario.with_overrides(draw)
    out = _claim(args, Path(args.out) if args.out else Path("results") / scenario.name, "run")
    roster = None
    if args.roster:
        args.roster = str(resolve_roster(args.roster))
        roster = _import_roster(args, scenario, args.roster)
        print(roster.report.summary())
    try:
        model = ASNModel(scenario, roster=roster)
    except ValueError as err:
        raise ScenarioError([str(err)], args.roster) from None
    with folder_lock(out):
        outcomes = model.run(progress=None if not args.quiet else False)
        extra = {"lang": args.lang}  # the figure's language, so that it can be re-made
        if draw is not None:
            extra |= {"posterior": str(args.posterior), "posterior_draw": draw}
        if roster is not None:  # the roster file's hash, never its contents
            digest = hashlib.sha256(Path(args.roster).read_bytes()).hexdigest()
            extra |= {
                "roster_sha256": digest,
                "roster_rows_used": len(roster),
                "roster_options": {  # what the import needs to give the same people again
                    "as_of": roster.as_of.isoformat(),
                    "mapping": _pairs(getattr(args, "mapping", []), "--map") or None,
                    "fields": _pairs(getattr(args, "fields", []), "--field") or None,
                    "strict": bool(args.strict),
                },
            }
        write_results(
            outcomes,
            scenario,
            out,
            figure=not args.no_figure,
            lang=args.lang,
            extra_manifest=extra,
            force=args.force,
        )
    print(format_summary(outcomes.city(), scenario, args.lang))
    print(
        f"\n{label('results_written', args.lang)} {out}/ (summary.json, annual.parquet, "
        f"city.parquet, sectors.parquet, manifest.json"
        f"{'' if args.no_figure else ', outcomes.png'})"
    )
    return 0


def _cmd_scenarios(args: argparse.Namespace) -> int:
    from asnsim.catalog import SCENARIOS_DIR, shipped_scenarios

    print(f"Shipped scenarios ({SCENARIOS_DIR}); run one with `asnsim run NAME`:\n")
    for entry in shipped_scenarios():
        indent = "  " if "/" in entry.name else ""
        print(f"{indent}{entry.name}")
        pad = indent + "    "
        print(textwrap.fill(entry.question, 96, initial_indent=pad, subsequent_indent=pad))
    return 0


def _cmd_reproduce(args: argparse.Namespace) -> int:
    from asnsim.reproduce import reproduce

    if args.limit is not None and args.limit < 1:
        raise ScenarioError([f"--limit {args.limit}: expected a whole number of runs, 1 or more"])
    csv = Path(args.csv) if args.csv else None
    if csv is not None and (csv.exists() or not csv.parent.is_dir()):
        problem = "exists (asnsim never overwrites a file)" if csv.exists() else "has no folder"
        raise ScenarioError([f"--csv {csv}: {problem}"])
    report = reproduce(args.folder, roster=args.roster, limit=args.limit)
    print(report.text())
    if csv is not None:
        write_csv(report.table(), csv)
    return 0 if report.reproduced else 3


def _cmd_validate(args: argparse.Namespace) -> int:
    from asnsim.model import ASNModel

    scenario = _load(args)
    try:  # a dry build: what the schema cannot see but the model would trip on
        ASNModel(scenario)
    except Exception as err:  # noqa: BLE001 - any failure to build is a refusal here
        raise ScenarioError(
            [f"the model cannot be built from this scenario ({type(err).__name__}: {err})"],
            args.scenario,
        ) from None
    print(f"{args.scenario}: valid (scenario '{scenario.name}', hash {scenario.hash()[:12]})")
    return 0


@contextlib.contextmanager
def _executor(args: argparse.Namespace):
    """The executor the options ask for, shut down (or its client closed) at the end."""
    from asnsim.evaluators import make_executor

    kind = "serial" if args.serial else "processes"
    executor, client = make_executor(
        kind, workers=args.workers, scheduler=args.scheduler, timeout=args.scheduler_timeout
    )
    try:
        yield executor
    finally:
        executor.shutdown() if client is None else client.close()


def _posterior_folder(value: str | None) -> Path | None:
    """``--posterior`` of the validation: a folder of per-city posteriors, or 'shipped'."""
    if value is None:
        return None
    from asnsim.catalog import CALIBRATED_DIR

    return CALIBRATED_DIR if value == "shipped" else Path(value)


def _report_failures(failures: dict[str, str], out: Path) -> int:
    if not failures:
        return 0
    print(
        f"\n{len(failures)} run(s) failed (tracebacks in {out}/runs/<run>/failed.json):",
        file=sys.stderr,
    )
    for run_id, text in sorted(failures.items()):
        print(f"  {run_id}: {text.strip().splitlines()[-1]}", file=sys.stderr)
    return 1


def _cmd_compare(args: argparse.Namespace) -> int:
    from asnsim.analysis import compare_table
    from asnsim.experiment import ExperimentSpec, plan_runs
    from asnsim.plots import plot_comparison
    from asnsim.store import RunStore

    scenario = _load(args)
    variants: dict[str, dict] = {}
    for name, *items in args.variant:
        if "=" in name:
            raise ScenarioError([f"--variant {name}: expected a NAME first, then KEY=VALUE"])
        overrides = dict(_parse(items))
        if name in variants:
            raise ScenarioError([f"--variant {name}: given twice"])
        variants[name] = overrides
    if args.baseline not in variants:
        variants = {args.baseline: {}} | variants
    spec = ExperimentSpec(
        name=f"compare-{scenario.name}",
        scenario=str(args.scenario),
        overrides=dict(_parse(_effective_overrides(args))),
        variants=variants,
        baseline=args.baseline,
        replications=args.replications,
        master_seed=scenario.seed if args.seed is None else args.seed,
        **_posterior_fields(args, default_seeds=2),
    )
    runs = plan_runs(spec, ".", base=scenario.with_overrides({}))  # validates every variant
    out = Path(args.out) if args.out else Path("results") / f"compare-{scenario.name}"
    _claim(args, out, "compare")
    with _executor(args) as executor, folder_lock(out):
        store = RunStore(out, kind="compare", force=args.force)
        result = _run_study(args, spec, store, executor, runs=runs)
        table = compare_table(result.summaries, args.baseline)
        write_csv(table, out / "comparison.csv")
        title = f"{scenario.city.name}: paired differences"
        write_png(plot_comparison(table, args.baseline, title=title), out / "comparison.png")
        split = _uncertainty_split(spec, result.summaries, table, out)
    print(format_comparison(table, args.baseline, args.replications))
    if split is not None:
        print(format_split(split, spec))
    print(f"\nwritten to {out}/ (comparison.csv, comparison.png, runs/, manifest.json)")
    return _report_failures(result.failures, out)


def _posterior_fields(args: argparse.Namespace, default_seeds: int | None) -> dict[str, Any]:
    """The experiment's posterior keys from --posterior and --seeds-per-draw."""
    seeds = getattr(args, "seeds_per_draw", None)
    if seeds is not None and seeds < 1:
        raise ScenarioError([f"--seeds-per-draw {seeds}: expected a whole number, 1 or more"])
    if not getattr(args, "posterior", None):
        if seeds is not None:
            raise ScenarioError(["--seeds-per-draw: needs --posterior"])
        return {}
    fields: dict[str, Any] = {"posterior": str(args.posterior)}
    if seeds is not None or default_seeds is not None:
        fields["seeds_per_draw"] = seeds if seeds is not None else default_seeds
    return fields


def _uncertainty_split(spec, summaries, table, out: Path):
    """Under a posterior: the variance split of each difference, written to uncertainty.csv."""
    from asnsim.calibration.variance import split_table

    if spec.posterior is None or "posterior_draw" not in summaries:
        return None
    outcomes = [o for o in dict.fromkeys(table["outcome"]) if o in summaries]
    split = split_table(summaries, spec.baseline, outcomes)
    if not split.empty:
        write_csv(split, out / "uncertainty.csv")
    return split


def format_split(split, spec) -> str:
    """The variance split as text: the difference, its 90 % interval, the parameter share."""
    if split.empty:
        return (
            "\nparameter vs chance: needs at least 2 posterior draws with 2 seeds each "
            "(raise --replications or --seeds-per-draw)"
        )
    lines = [
        "",
        f"under the posterior {spec.posterior} ({int(split['draws'].iloc[0])} draws x "
        f"{int(split['seeds_per_draw'].iloc[0])} seeds): 90% interval of the difference "
        "with both kinds of uncertainty, and how much of its variance is parameter "
        "uncertainty (the rest is chance)",
        "",
        f"{'outcome':<16} {'variant':<20} {'difference':>11} {'90% interval':>24} "
        f"{'parameter':>9} {'chance':>7}",
    ]
    for r in split.itertuples():
        share = r.parameter_share
        shares = (
            f"{'-':>9} {'-':>7}"
            if share != share  # NaN: the difference does not vary at all
            else f"{100 * share:8.0f}% {100 * (1 - share):6.0f}%"
        )
        lines.append(
            f"{r.outcome:<16} {r.variant:<20} {r.diff:>+11.3f} [{r.low:>+10.3f}, "
            f"{r.high:>+10.3f}] {shares}"
        )
    return "\n".join(lines)


def _run_study(args: argparse.Namespace, spec, store, executor, **kwargs):
    from asnsim.experiment import run_experiment

    progress = False if args.quiet else None
    return run_experiment(spec, store, executor, progress=progress, chunk=_chunk(args), **kwargs)


def _chunk(args: argparse.Namespace):
    """The chunking ``--chunk-runs`` asks for (None: the default)."""
    from asnsim.evaluators import Chunking

    return None if args.chunk_runs is None else Chunking(runs=args.chunk_runs)


def _runs(text: str) -> int:
    """A number of runs (``--chunk-runs``): a whole number >= 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got '{text}'")
    return int(text)


def _parse(items: list[str]):
    return [parse_override(i) for i in items]


def _effective_overrides(args: argparse.Namespace) -> list[str]:
    items = list(args.overrides)
    for key, name in (("years", "horizon_years"), ("scale", "scale")):
        value = getattr(args, key, None)
        if value is not None:
            items.append(f"{name}={value}")
    return items


def format_comparison(table, baseline: str, replications: int) -> str:
    """The comparison as text: per outcome, each variant's mean and difference with its CI.

    The cost per IKM point rows give rupiah per point with Fieller's interval, or say why the
    cost is undefined.
    """
    from asnsim.analysis import COST_PER_POINT

    lines = [
        f"paired comparison against '{baseline}', {replications} replications, final year",
        "",
        f"{'outcome':<16} {'variant':<20} {'mean':>10} {'difference':>11} "
        f"{'95% CI':>22} {'better in':>9}",
    ]
    order = {o: i for i, o in enumerate(dict.fromkeys(table["outcome"]))}
    table = table.assign(
        _o=table["outcome"].map(order), _b=(table["variant"] != baseline).astype(int)
    ).sort_values(["_o", "_b"], kind="stable")
    for r in table.itertuples():
        big = abs(r.mean) >= 1e5
        num = (
            (lambda v, sign="": f"{v:{sign},.0f}")
            if big
            else (lambda v, sign="": f"{v:{sign}.3f}")
        )
        if r.outcome == COST_PER_POINT:
            lines.append(_cost_line(r, num))
        elif r.variant == baseline:
            lines.append(f"{r.outcome:<16} {r.variant:<20} {num(r.mean):>10}")
        else:
            lines.append(
                f"{'':<16} {r.variant:<20} {num(r.mean):>10} {num(r.diff, '+'):>11} "
                f"[{num(r.ci_low, '+'):>9}, {num(r.ci_high, '+'):>9}] "
                f"{100 * r.share_better:8.0f}%"
            )
    return "\n".join(lines)


def _cost_line(r, num) -> str:
    """A cost per IKM point row: rupiah per point and Fieller's interval, or why undefined."""
    if isinstance(r.note, str) and r.note:
        return f"{r.outcome:<16} {r.variant:<20} {r.note}"
    return (
        f"{r.outcome:<16} {r.variant:<20} {num(r.mean):>10} {'':>11} "
        f"[{num(r.ci_low, '+'):>9}, {num(r.ci_high, '+'):>9}] rupiah per IKM point"
    )


def _cmd_sweep(args: argparse.Namespace) -> int:
    from asnsim.experiment import load_experiment, plan_runs
    from asnsim.store import RunStore

    spec, base_dir = load_experiment(args.experiment)
    fields = _posterior_fields(args, default_seeds=None)
    if fields:
        spec = spec.model_copy(update=fields)
    runs = plan_runs(spec, base_dir, extends_anywhere=args.allow_extends_anywhere)
    out = _claim(args, Path(args.out) if args.out else Path("results") / spec.name, "sweep")
    with _executor(args) as executor, folder_lock(out):
        store = RunStore(out, kind="sweep", force=args.force)
        result = _run_study(args, spec, store, executor, base_dir=base_dir, runs=runs)
        table = _sweep_table(spec, result.summaries)
        write_csv(table, out / "sweep.csv")
    print(f"{spec.name}: {len(runs)} runs ({result.computed} computed, {result.reused} reused)")
    print(table.round(3).to_string(index=False))
    print(f"\nwritten to {out}/ (sweep.csv, runs/, manifest.json)")
    return _report_failures(result.failures, out)


def _sweep_table(spec, summaries):
    """Mean outcomes per variant and design point."""
    keys = ["variant", "point", *(spec.design.factors if spec.design else [])]
    cols = [
        c
        for c in (
            "ikm_true",
            "ikm",
            "wait_mean_days",
            "abandon_rate",
            "matched_share",
            "total_spend",
        )
        if c in summaries
    ]
    return summaries.groupby(keys, sort=False)[cols].mean().reset_index()


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    from asnsim.plots import plot_sensitivity
    from asnsim.sensitivity import sensitivity, sensitivity_problem
    from asnsim.store import RunStore

    scenario = _load(args)
    posterior = None
    if args.posterior:
        from asnsim.calibration.posterior import load_posterior

        posterior = load_posterior(args.posterior)
        posterior.check(scenario, args.scenario)
    try:
        sensitivity_problem(scenario, posterior)
    except ValueError as err:
        raise ScenarioError([f"uncertainties: {err}"], args.scenario) from None
    outcomes = tuple(args.outcome or ("ikm_true", "wait_mean_days", "matched_share"))
    out = Path(args.out) if args.out else Path("results") / f"sensitivity-{scenario.name}"
    _claim(args, out, "sensitivity")
    with _executor(args) as executor, folder_lock(out):
        table = sensitivity(
            scenario,
            args.method,
            args.samples,
            RunStore(out, kind="sensitivity", force=args.force),
            executor,
            outcomes=outcomes,
            seed=args.seed,
            progress=False if args.quiet else None,
            source=args.scenario,
            posterior=posterior,
            chunk=_chunk(args),
        )
        write_csv(table, out / "sensitivity.csv")
        fig = plot_sensitivity(table, title=f"{scenario.city.name}: {args.method}")
        write_png(fig, out / "sensitivity.png")
    print(table.round(4).to_string(index=False))
    print(f"\nwritten to {out}/ (sensitivity.csv, sensitivity.png, runs/, manifest.json)")
    return 0


def _cmd_national(args: argparse.Namespace) -> int:
    from asnsim.national import national_summary, plot_national, run_national
    from asnsim.store import RunStore

    out = _claim(args, Path(args.out), "national")
    with _executor(args) as executor, folder_lock(out):
        table, failures = run_national(
            RunStore(out, kind="national", force=args.force),
            executor,
            args.regions,
            args.total,
            args.years,
            args.seed,
            progress=False if args.quiet else None,
            chunk=_chunk(args),
        )
        write_csv(table, out / "national.csv")
        summary = national_summary(table)
        text = json.dumps(summary, indent=2, sort_keys=True)
        atomic_write(out / "national_summary.json", lambda tmp: tmp.write_text(text))
        write_png(plot_national(table), out / "national.png")
    print(
        f"{summary['regions_finished']} of {summary['regions']} synthetic regions, "
        f"{summary['asn_start']:,} ASN at the start, {args.years} years"
    )
    print(
        f"IKM across regions: p10 {summary['ikm_p10']:.2f}, median "
        f"{summary['ikm_median']:.2f}, p90 {summary['ikm_p90']:.2f}; staff-weighted "
        f"{summary['ikm_staff_weighted']:.2f}; bands {summary['ikm_band_counts']}"
    )
    print(
        f"staff in their field {100 * summary['matched_share_staff_weighted']:.1f}%, "
        f"spend over the horizon Rp {summary['total_spend_horizon']:,.0f}"
    )
    print(f"\nwritten to {out}/ (national.csv, national_summary.json, national.png, runs/)")
    return _report_failures(failures, out)


def _cmd_validation(args: argparse.Namespace) -> int:
    from asnsim.validation import CITIES, run_validation

    if args.replications < 1 or args.years < 1:
        raise ScenarioError(["--replications and --years must be >= 1"])
    unknown = sorted(set(args.city or ()) - set(CITIES))
    if unknown:
        raise ScenarioError([f"--city: unknown {unknown}; expected one of {list(CITIES)}"])
    cities = tuple(args.city or CITIES)
    out = args.out_dir = Path(args.out)  # the folder's rules are run_validation's own
    with _executor(args) as executor:
        table, failures = run_validation(
            out,
            executor,
            replications=args.replications,
            scale=args.scale,
            years=args.years,
            seed=args.seed,
            cities=cities,
            targets=args.targets,
            progress=False if args.quiet else None,
            force=args.force,
            posterior=_posterior_folder(args.posterior),
        )
    compared = table[table.verdict != "anchor"]
    print(compared.groupby(["use", "verdict"]).size().to_string())
    print(f"\nwritten to {out}/ (validation.csv, validation.json, validation.png, <city>/runs/)")
    print(f"docs: python -m asnsim.validation --doc {out}")
    return _report_failures(failures, out)


# --------------------------------------------------------------------------- roster import


def _roster_parser(subparsers: Any) -> argparse.ArgumentParser:
    """``roster import FILE --scenario SCENARIO.yaml ...``."""
    from asnsim.roster import CANONICAL_COLUMNS

    p = subparsers.add_parser("roster", help="work with an employee roster (SIASN-like CSV/XLSX)")
    sub = p.add_subparsers(dest="roster_command", required=True)
    imp = sub.add_parser(
        "import",
        help="read a roster as a scenario's starting workforce; print and write a summary",
        description="Read an employee roster (CSV or .xlsx, columns like SIASN's) for a "
        "scenario, report every bad row (row number, column, kind of problem; never a "
        "value) and write DIR/roster_summary.json (counts only, no names or NIPs). Exit 0, "
        "or 2 on a file that cannot be a roster, missing required columns or (with "
        "--strict) any bad row.",
    )
    imp.add_argument(
        "file",
        help="roster file (.csv or .xlsx; the first row holds the headers), or 'sample' for "
        "the shipped synthetic roster of Lampung Utara",
    )
    imp.add_argument("--scenario", required=True, help="scenario YAML file or shipped name")
    imp.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="dotted scenario override, e.g. --set scale=0.05 (repeatable)",
    )
    imp.add_argument("--scale", type=float, help="the scenario's scale, e.g. 0.05")
    imp.add_argument(
        "--map",
        dest="mapping",
        action="append",
        default=[],
        metavar="CANONICAL=HEADER",
        help=f"the file's header of a column, e.g. --map nip='NIP BARU' (repeatable); "
        f"columns: {', '.join(CANONICAL_COLUMNS)}",
    )
    imp.add_argument(
        "--field",
        dest="fields",
        action="append",
        default=[],
        metavar="JURUSAN=FIELD",
        help="map a field of study to a scenario field, e.g. --field 'Ilmu Pemerintahan=law'",
    )
    imp.add_argument("--as-of", help="date of the roster, YYYY-MM-DD (default: today)")
    imp.add_argument("--strict", action="store_true", help="fail (exit 2) on any bad row")
    imp.add_argument("--out", default=None, help="output folder (default: results/roster)")
    imp.add_argument(
        "--force",
        action="store_true",
        help="replace an earlier roster import in --out (only asnsim's files)",
    )
    return p


def _pairs(items: list[str], option: str) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ScenarioError([f"{option} {item!r}: expected NAME=VALUE"])
        out[key.strip()] = value.strip()
    return out


def _cmd_roster(args: argparse.Namespace) -> int:
    """``asnsim roster import``: exit 0, or 2 (by a ScenarioError) on bad input.

    ``--out`` follows the output-folder rules of the ``roster`` kind: new, empty, or an
    earlier roster import (replaced with ``--force``).
    """
    overrides = list(args.overrides)
    if args.scale is not None:
        overrides.append(f"scale={args.scale}")
    scenario = load_scenario(args.scenario, overrides)
    out = _claim(args, Path(args.out) if args.out else Path("results") / "roster", "roster")
    args.file = str(resolve_roster(args.file))
    roster = _import_roster(args, scenario, args.file)
    print(roster.format_summary())
    summary = roster.summary()
    summary["input_sha256"] = hashlib.sha256(Path(args.file).read_bytes()).hexdigest()
    text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    manifest = json.dumps({"kind": "roster", "files": list(KIND_FILES["roster"])}) + "\n"
    with folder_lock(out):
        atomic_write(out / "manifest.json", lambda tmp: tmp.write_text(manifest))
        atomic_write(out / "roster_summary.json", lambda tmp: tmp.write_text(text, "utf-8"))
    print(f"\nsummary written to {out / 'roster_summary.json'} (counts only)")
    return 0


def _import_roster(args: argparse.Namespace, scenario: Scenario, path: str):
    """The roster of ``roster import`` or ``run --roster``, its warnings printed.

    A file that cannot be used (or, with ``--strict``, any bad row) is a ScenarioError.
    """
    from asnsim.roster import SALT_ENV, RosterError, RosterWarning, load_roster

    mapping = _pairs(getattr(args, "mapping", []), "--map")
    fields = _pairs(getattr(args, "fields", []), "--field")
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError:
        raise ScenarioError([f"--as-of {args.as_of!r}: expected a date YYYY-MM-DD"]) from None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RosterWarning)
        try:
            roster = load_roster(
                path,
                scenario,
                mapping=mapping or None,
                strict=args.strict,
                # keys are not written by the command, so no salt needs to be kept
                salt=os.environ.get(SALT_ENV) or secrets.token_hex(16),
                as_of=as_of,
                fields=fields or None,
            )
        except (RosterError, OSError, ImportError) as err:
            raise ScenarioError([str(err)]) from None
    for w in caught:
        if issubclass(w.category, RosterWarning):
            print(f"warning: {w.message}", file=sys.stderr)
    return roster


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``asnsim`` command; returns the exit code."""
    from asnsim.evaluators import SchedulerError

    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["dashboard"]:  # imported only when asked: solara is an optional extra
        from asnsim import app

        return app.main(argv[1:])
    args = _parser().parse_args(argv)
    args.argv = argv
    commands = {
        "run": _cmd_run,
        "validate": _cmd_validate,
        "compare": _cmd_compare,
        "sweep": _cmd_sweep,
        "sensitivity": _cmd_sensitivity,
        "national": _cmd_national,
        "validation": _cmd_validation,
        "roster": _cmd_roster,
        "reproduce": _cmd_reproduce,
        "scenarios": _cmd_scenarios,
        "robust": lambda a: decide_cli.handle_robust(a, _executor, _chunk),
        "optimise": lambda a: decide_cli.handle_optimise(a, _executor, _chunk),
        "brief": brief_command.handle,
        "calibrate": lambda a: calibration_cli.handle(a, _load, _executor, _chunk),
    }
    try:
        return commands[args.command](args)
    except BrokenPipeError:  # the reader went away (``asnsim scenarios | head``): not a failure
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (ScenarioError, SchedulerError, OutputFolderError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # noqa: BLE001 - any other failure: one line here, the rest logged
        log = _log_failure(getattr(args, "out_dir", None))
        summary = f"{type(err).__name__}: {err}".splitlines()[0][:300]
        print(f"error: asnsim failed ({summary}); the traceback is in {log}", file=sys.stderr)
        return 1


def _log_failure(out: Path | None) -> Path:
    """Write the current exception's traceback to the output folder (or a temporary one)."""
    text = traceback.format_exc()
    if out is not None and out.is_dir():
        with contextlib.suppress(OSError):
            (out / LOG_NAME).write_text(text, encoding="utf-8")
            return out / LOG_NAME
    path = Path(tempfile.mkdtemp(prefix="asnsim-")) / LOG_NAME
    path.write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":
    sys.exit(main())
