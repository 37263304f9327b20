"""Where a study's run goes after the simulation: CPU ms a run in the worker and the parent.

Usage:
    python benchmarks/profile_study.py make CACHE [--runs 63] [--scale 0.05] [--years 10]
        [--national 12 --total 100000]
    python benchmarks/profile_study.py time CACHE [--repeat 3] [--profile]

``make`` steps one chunk of a study with the ensemble engine (Kotabumi at ``--scale`` as
``bench_experiment.py sweep`` plans it, or ``--national N`` regions of ``asnsim national``)
and keeps the runs' outcomes in ``CACHE`` (a pickle), so that ``time`` can replay what
follows the simulation as often as needed without stepping it again:

- worker: the chunk's scenarios read back from JSON (``Scenario.model_validate_json``),
  each run's tables and summary (``evaluators.result_of``), the chunk's results pickled;
- parent: the results unpickled, and each run written to a run store with its progress
  (``experiment._execute``, the code a study runs, fed the replayed chunk).

Each phase is timed with ``time.process_time`` (CPU of this one process) and printed as ms a
run; ``--profile`` adds cProfile's top functions of the worker and of the parent. Run by
hand; no test asserts a time.
"""

import argparse
import cProfile
import pickle
import pstats
import tempfile
import time
from concurrent.futures import Executor, Future
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make(args) -> None:
    """Step the chunk once and keep the plan and the outcomes."""
    from asnsim import ensemble
    from asnsim.scenario import Scenario

    spec, runs = _plan(args)
    scenarios = [Scenario.model_validate_json(r.scenario_json) for r in runs]
    start = time.process_time()
    outcomes = [None] * len(runs)
    for position, out in ensemble.run_ensemble(scenarios):
        if isinstance(out, BaseException):
            raise out
        outcomes[position] = out
    seconds = time.process_time() - start
    with open(args.cache, "wb") as f:
        pickle.dump({"spec": spec, "runs": runs, "outcomes": outcomes}, f, protocol=5)
    each = 1000 * seconds / len(runs)
    print(f"{len(runs)} runs stepped in {seconds:.1f} s CPU ({each:.0f} ms a run)")


def _plan(args):
    from asnsim.experiment import ExperimentSpec, plan_runs

    if args.national:
        from asnsim.national import TEMPLATE, national_runs, region_table
        from asnsim.scenario import load_scenario

        base = load_scenario(TEMPLATE)
        table = region_table(args.national, args.total, 0, base.city.workforce.headcount)
        spec = ExperimentSpec(name="profile-national", scenario=str(TEMPLATE))
        return spec, national_runs(table, base, args.years)
    spec = ExperimentSpec(
        name="profile-sweep",
        scenario=str(ROOT / "scenarios" / "kotabumi.yaml"),
        overrides={"scale": args.scale, "horizon_years": args.years},
        replications=args.runs,
    )
    return spec, plan_runs(spec)


class _Replay(Executor):
    """Hands back a chunk's results already made (the parent's side of a study alone)."""

    def __init__(self, texts, results):
        self.by_text = {texts[index]: result for index, result in results}

    def submit(self, fn, texts, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_result([(i, self.by_text[text]) for i, text in enumerate(texts)])
        return future


def time_it(args) -> None:
    """Replay the post-simulation work ``--repeat`` times; print ms a run per phase."""
    from asnsim import ensemble, evaluators
    from asnsim.experiment import _execute
    from asnsim.scenario import Scenario
    from asnsim.store import RunStore

    cached = Path(args.cache).read_bytes()
    data = pickle.loads(cached)
    spec, runs = data["spec"], data["runs"]
    n = len(runs)
    texts = [r.scenario_json for r in runs]
    tables = ("annual", "city", "daily") if spec.daily else ("annual", "city")
    rows = []
    for _ in range(args.repeat):
        outcomes = pickle.loads(cached)["outcomes"]  # fresh, as the ensemble hands them over
        ensemble.run_ensemble = lambda scenarios, outcomes=outcomes: enumerate(outcomes)
        worker = cProfile.Profile() if args.profile else None
        t0 = time.process_time()
        for text in texts:
            Scenario.model_validate_json(text)
        t1 = time.process_time()
        if worker:
            worker.enable()
        results = evaluators.run_chunk(texts, tables)
        if worker:
            worker.disable()
        t2 = time.process_time()
        sent = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
        t3 = time.process_time()
        received = pickle.loads(sent)
        t4 = time.process_time()
        parent = cProfile.Profile() if args.profile else None
        with tempfile.TemporaryDirectory() as out:
            store = RunStore(out)
            t5 = time.process_time()
            if parent:
                parent.enable()
            _execute(spec, store, _Replay(texts, received), runs, n, False, None, None)
            if parent:
                parent.disable()
            t6 = time.process_time()
        rows.append(
            {
                "worker: scenarios from JSON": t1 - t0,
                "worker: tables and summaries (run_chunk less the JSON)": t2 - t1 - (t1 - t0),
                "worker: pickling the chunk's results": t3 - t2,
                "worker in all": t3 - t1,
                "parent: unpickling": t4 - t3,
                "parent: the store's writes and progress": t6 - t5,
                "parent in all": t4 - t3 + t6 - t5,
            }
        )
        if args.profile:
            for name, prof in (("worker", worker), ("parent", parent)):
                print(f"--- {name}")
                pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    print(f"{n} runs, {len(sent) / n / 1024:.0f} KiB pickled a run; ms a run, each repeat:")
    for key in rows[0]:
        values = " / ".join(f"{1000 * row[key] / n:6.2f}" for row in rows)
        print(f"  {key:<58} {values}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="what", required=True)
    m = sub.add_parser("make")
    m.add_argument("cache")
    m.add_argument("--runs", type=int, default=63)
    m.add_argument("--scale", type=float, default=0.05)
    m.add_argument("--years", type=int, default=10)
    m.add_argument("--national", type=int, default=0, help="N regions of the national study")
    m.add_argument("--total", type=int, default=100_000, help="ASN in the N regions")
    t = sub.add_parser("time")
    t.add_argument("cache")
    t.add_argument("--repeat", type=int, default=3)
    t.add_argument("--profile", action="store_true")
    args = p.parse_args()
    make(args) if args.what == "make" else time_it(args)


if __name__ == "__main__":
    main()
