"""The ``asnsim robust`` and ``asnsim optimise`` commands (parsers and handlers)."""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from importlib import metadata
from pathlib import Path
from typing import Any

from asnsim.analysis import HIGHER_IS_BETTER
from asnsim.outfolder import KIND_FILES, atomic_write, claim, folder_lock, write_csv, write_png
from asnsim.scenario import Scenario, ScenarioError, load_scenario, parse_override

__all__ = ["add_parsers", "handle_optimise", "handle_robust"]


def add_parsers(sub: Any, scenario_args, force_arg, executor_args) -> None:
    """Add ``robust`` and ``optimise`` to the ``asnsim`` subcommands.

    ``scenario_args``, ``force_arg`` and ``executor_args`` add the options every study shares
    (``asnsim.cli``): the scenario, ``--force``, and where runs execute (``--workers``,
    ``--serial``, ``--scheduler``, ``--chunk-runs``).
    """
    rob = sub.add_parser(
        "robust", help="rank options over many plausible worlds (regret, targets, PRIM)"
    )
    scenario_args(rob)
    rob.add_argument(
        "--variant",
        nargs="+",
        action="append",
        default=[],
        metavar=("NAME", "KEY=VALUE"),
        help="an option: its name, then dotted overrides (repeatable)",
    )
    rob.add_argument("--baseline", default="base", help="name of the scenario as given")
    rob.add_argument("--posterior", help="folder with posterior.parquet (else: uncertainties)")
    rob.add_argument("--worlds", type=int, default=20, help="plausible worlds (default 20)")
    rob.add_argument(
        "--target",
        nargs="+",
        action="append",
        default=[],
        metavar="OUTCOME OP VALUE",
        help="a target, e.g. --target ikm_true '>=' 88.31 (repeatable)",
    )
    rob.add_argument("--outcome", default="ikm_true", help="outcome of the discovery")
    _common(rob, "robust")
    force_arg(rob)
    executor_args(rob)

    opt = sub.add_parser("optimise", help="Pareto front of lever choices within a budget")
    scenario_args(opt)
    opt.add_argument(
        "--budget",
        required=True,
        help="yearly budget in rupiah for everything the levers spend, the TPP bill included "
        "(compare the status quo's cost_per_year), e.g. 3.5e10",
    )
    opt.add_argument("--objectives", default="ikm,wait,cost", help="default ikm,wait,cost")
    opt.add_argument("--evaluations", type=int, default=40, help="candidates (default 40)")
    opt.add_argument("--replications", type=int, default=3, help="worlds each (default 3)")
    opt.add_argument("--posterior", help="folder with posterior.parquet")
    opt.add_argument("--levers", help="lever kinds to search, comma-separated (default all)")
    opt.add_argument(
        "--search",
        action="append",
        default=[],
        metavar="KEY=LOW:HIGH",
        help="narrow or widen a planner's choice (KEY=LOW:HIGH, KEY=a,b, KEY=off; repeatable)",
    )
    opt.add_argument("--search-file", help="the same as a YAML mapping KEY: [LOW, HIGH]")
    _common(opt, "optimise")
    force_arg(opt)
    executor_args(opt)


def _common(sp: argparse.ArgumentParser, kind: str) -> None:
    sp.add_argument("--seed", type=int, help="master seed (default: the scenario's)")
    sp.add_argument("--years", type=int, help="simulated years")
    sp.add_argument("--scale", type=float, help="shrink the city, e.g. 0.05")
    sp.add_argument("--out", default=None, help=f"output folder (default: results/{kind}-<name>)")


def _load(args: argparse.Namespace) -> Scenario:
    """The scenario with ``--set``, ``--years``, ``--seed`` and ``--scale`` applied."""
    overrides = list(args.overrides)
    for key, name in (("years", "horizon_years"), ("seed", "seed"), ("scale", "scale")):
        if getattr(args, key) is not None:
            overrides.append(f"{name}={getattr(args, key)}")
    return load_scenario(args.scenario, overrides, extends_anywhere=args.allow_extends_anywhere)


def _claim(args: argparse.Namespace, out: Path, kind: str) -> None:
    """Check ``--out`` before any run (an earlier study of the kind resumes); remember it."""
    claim(out, kind, force=args.force, resume=True)
    args.out_dir = out


def _study_hash(settings: dict[str, Any]) -> str:
    """SHA-256 of what decides a study's runs: a second call resumes only if it is the same."""
    text = json.dumps(settings, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _open_store(args, out: Path, kind: str, name: str, settings: dict[str, Any]):
    """The study's run store, opened (locked); refuses a folder holding another study."""
    from asnsim.store import RunStore

    store = RunStore(out, kind=kind, force=args.force)
    store.open({"experiment": {"name": name}, "experiment_hash": _study_hash(settings)})
    return store


def _parse(items: list[str]) -> list[tuple[str, Any]]:
    return [parse_override(item) for item in items]


def _options(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    options: dict[str, dict[str, Any]] = {args.baseline: {}}
    for name, *items in args.variant:
        if "=" in name:
            raise ScenarioError([f"--variant {name}: expected a NAME first, then KEY=VALUE"])
        if name in options:
            raise ScenarioError([f"--variant {name}: given twice (or named as the baseline)"])
        if not items:
            raise ScenarioError([f"--variant {name}: expected at least one KEY=VALUE"])
        options[name] = dict(_parse(items))
    if len(options) < 2:
        raise ScenarioError(["--variant: expected at least one option besides the baseline"])
    return options


def _posterior(args: argparse.Namespace):
    from asnsim.decide.worlds import read_posterior

    return None if args.posterior is None else read_posterior(args.posterior)


def _manifest(args, kind: str, scenario: Scenario, worlds, extra: dict) -> dict[str, Any]:
    from asnsim.results import versions

    found = {}
    for name in ("ema_workbench", "pymoo"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    posterior = None
    if args.posterior:
        path = Path(args.posterior)
        file = path / "posterior.parquet" if path.is_dir() else path
        posterior = {"path": str(file), "sha256": hashlib.sha256(file.read_bytes()).hexdigest()}
    return {
        "kind": kind,
        "files": list(KIND_FILES[kind]),
        "command": ["asnsim", *getattr(args, "argv", [])],
        "scenario_name": scenario.name,
        "scenario_hash": scenario.hash(),
        "master_seed": scenario.seed if args.seed is None else args.seed,
        "world_seeds": worlds.seeds,
        "worlds_from": worlds.source,
        "posterior": posterior,
        "versions": versions() | found,
        "scenario": scenario.canonical(),
    } | extra


def _write_json(data: dict, path: Path) -> None:
    text = json.dumps(data, indent=2, default=str) + "\n"
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _written(kind: str) -> str:
    """The files a study writes for people (its ``runs/`` store is for resuming)."""
    return ", ".join(name for name in KIND_FILES[kind] if name != "runs")


def _known_outcomes() -> set[str]:
    from asnsim.outcomes import SUMMARY_KEYS

    plain = set(HIGHER_IS_BETTER) | set(SUMMARY_KEYS) | {"cost_per_year", "cum_total_spend"}
    return plain | {f"mean_{k}" for k in plain}


def handle_robust(args: argparse.Namespace, executor_of, chunk_of) -> int:
    """``asnsim robust``: every option in the same worlds; robust.csv, discovery, figures.

    ``executor_of(args)`` is a context manager giving the executor the options ask for and
    ``chunk_of(args)`` the chunking (both from ``asnsim.cli``).
    """
    from asnsim.decide.robust import parse_target
    from asnsim.decide.worlds import draw_worlds, run_in_worlds

    scenario = _load(args)
    options = _options(args)
    known = _known_outcomes()
    targets = [parse_target(t, known) for t in args.target]
    if args.outcome not in known:
        raise ScenarioError([f"--outcome {args.outcome}: unknown; expected e.g. ikm_true"])
    for name, overrides in options.items():  # refuse a bad option before any run
        try:
            scenario.with_overrides(overrides)
        except ScenarioError as err:
            raise ScenarioError([f"--variant {name}: {p}" for p in err.problems]) from None
    seed = scenario.seed if args.seed is None else args.seed
    worlds = draw_worlds(scenario, args.worlds, seed, _posterior(args))
    out = Path(args.out) if args.out else Path("results") / f"robust-{scenario.name}"
    _claim(args, out, "robust")
    settings = {
        "scenario": scenario.hash(),
        "options": options,
        "worlds": worlds.parameters.to_dict("list"),
        "seeds": worlds.seeds,
    }
    store = _open_store(args, out, "robust", f"robust-{scenario.name}", settings)
    try:
        with executor_of(args) as executor:
            runs = run_in_worlds(scenario, options, worlds, executor, chunk_of(args), store)
        _write_robust(args, out, scenario, worlds, runs, options, targets, settings)
    finally:
        store.close()
    return 0


def _write_robust(args, out, scenario, worlds, runs, options, targets, settings) -> None:
    """robust.csv, worlds.csv, the discovery, the figure and the manifest; the summary."""
    from asnsim.decide.discovery import discover
    from asnsim.decide.figures import plot_robust
    from asnsim.decide.robust import LOWER_COST, robust_table

    outcomes = [o for o in [*HIGHER_IS_BETTER, "cost_per_year"] if o in runs]
    outcomes += [t.outcome for t in targets if t.outcome not in outcomes]
    if args.outcome not in outcomes:
        outcomes.append(args.outcome)
    table = robust_table(runs, outcomes, targets)
    params = list(worlds.parameters.columns)
    higher = (HIGHER_IS_BETTER | LOWER_COST).get(args.outcome, True)
    boxes, sentences = discover(runs, params, args.outcome, higher)
    columns = ["world", "seed", *params, "option", *outcomes]
    with folder_lock(out):
        write_csv(table, out / "robust.csv")
        write_csv(runs[columns], out / "worlds.csv")
        write_csv(boxes, out / "discovery.csv")
        text = "\n".join(sentences) + "\n"
        atomic_write(out / "discovery.txt", lambda tmp: tmp.write_text(text, encoding="utf-8"))
        title = f"{scenario.city.name}: {len(worlds)} worlds"
        write_png(plot_robust(runs, table, args.outcome, title), out / "robust.png")
        extra = {"options": options, "targets": [t.label for t in targets]}
        extra |= {"experiment_hash": _study_hash(settings)}
        _write_json(_manifest(args, "robust", scenario, worlds, extra), out / "manifest.json")
    print(format_robust(table, args.outcome, len(worlds)))
    print("\n" + "\n".join(sentences))
    print(f"\nwritten to {out}/ ({_written('robust')})")


def format_robust(table, outcome: str, worlds: int) -> str:
    """The rows of one outcome as text."""
    rows = table[table.outcome == outcome]
    meets = [c for c in table.columns if c.startswith("meets:")]
    lines = [
        f"{outcome} over {worlds} worlds",
        f"{'option':<20} {'expected':>10} {'p_best':>7} {'regret':>9} {'worst':>9}"
        + "".join(f" {c:>20}" for c in meets),
    ]
    for r in rows.to_dict("records"):
        lines.append(
            f"{r['option']:<20} {r['expected']:>10.3f} {r['p_best']:>7.2f} "
            f"{r['regret_mean']:>9.3f} {r['regret_max']:>9.3f}"
            + "".join(f" {r[c]:>20.0%}" for c in meets)
        )
    return "\n".join(lines)


def _budget(text: str) -> float:
    try:
        value = float(str(text).replace("_", ""))
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ScenarioError([f"--budget {text}: expected rupiah per year, a number above 0"])
    return value


def handle_optimise(args: argparse.Namespace, executor_of, chunk_of) -> int:
    """``asnsim optimise``: NSGA-II over lever choices; pareto.csv, figure, variant files.

    ``executor_of`` and ``chunk_of`` as for :func:`handle_robust`.
    """
    from asnsim.decide.optimise import optimise, parse_objectives
    from asnsim.decide.space import decision_space, parse_search, read_search_file
    from asnsim.decide.worlds import draw_worlds

    scenario = _load(args)
    budget = _budget(args.budget)
    objectives = parse_objectives(args.objectives)
    kinds = None if not args.levers else [k.strip() for k in args.levers.split(",") if k.strip()]
    searched = read_search_file(args.search_file) if args.search_file else []
    space = decision_space(kinds, parse_search(searched + args.search))  # before any run
    if args.replications < 1:
        raise ScenarioError([f"--replications: got {args.replications}; expected at least 1"])
    if args.evaluations < 4:
        raise ScenarioError([f"--evaluations: got {args.evaluations}; expected at least 4"])
    seed = scenario.seed if args.seed is None else args.seed
    worlds = draw_worlds(scenario, args.replications, seed, _posterior(args), False)
    out = Path(args.out) if args.out else Path("results") / f"optimise-{scenario.name}"
    _claim(args, out, "optimise")
    settings = {
        "scenario": scenario.hash(),
        "budget": budget,
        "objectives": [o.outcome for o in objectives],
        "evaluations": args.evaluations,
        "space": space.describe(),
        "worlds": worlds.parameters.to_dict("list"),
        "seeds": worlds.seeds,
        "seed": seed,
    }
    store = _open_store(args, out, "optimise", f"optimise-{scenario.name}", settings)
    try:
        with executor_of(args) as executor:
            frontier = optimise(
                scenario,
                budget,
                objectives,
                worlds,
                args.evaluations,
                space,
                seed,
                executor=executor,
                chunk=chunk_of(args),
                store=store,
            )
        _write_frontier(args, out, scenario, worlds, frontier, budget, settings)
    finally:
        store.close()
    points = frontier.points
    front = int(points.pareto.sum())
    within = int(points.feasible[~points.current].sum())
    print(f"{len(points) - 1} candidates besides the current policy, {within} within budget")
    on_it = bool(points.pareto[points.current].any())
    print(f"{front} on the Pareto front; the current policy is {'' if on_it else 'not '}on it")
    print(f"\nwritten to {out}/ ({_written('optimise')})")
    return 0


def _write_frontier(args, out, scenario, worlds, frontier, budget, settings) -> None:
    """pareto.csv, the variant files, the figure and the manifest."""
    from asnsim.decide.figures import plot_frontier
    from asnsim.decide.optimise import write_variants

    objectives = frontier.objectives
    with folder_lock(out):
        files = write_variants(frontier, scenario, out / "variants")
        points = frontier.points
        shown = points[points.pareto | points.current].copy()
        shown["variant"] = shown["point"].map(files)
        write_csv(shown, out / "pareto.csv")
        x, y = (o.outcome for o in (objectives * 2)[:2])
        if x == y:
            y = "cost_per_year" if x != "cost_per_year" else "ikm_true"
        title = f"{scenario.city.name}: budget Rp {budget:,.0f} a year"
        write_png(plot_frontier(points, x, y, title), out / "pareto.png")
        extra = {
            "budget_per_year": budget,
            "objectives": [o.outcome for o in objectives],
            "evaluations": args.evaluations,
            "levers": list(settings["space"]["levers"]),
            "space": settings["space"],
            "experiment_hash": _study_hash(settings),
        }
        _write_json(_manifest(args, "optimise", scenario, worlds, extra), out / "manifest.json")
