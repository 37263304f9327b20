"""What the budget search finds, and what a resumed search costs (run by hand).

    python benchmarks/bench_decide.py [--evaluations 40] [--out /tmp/bench-decide]

Runs ``asnsim optimise`` in this process (``--serial``, so ``time.process_time`` counts every
run) on Palembang at scale 0.02 over 2 years, then runs the same command again on the same
folder (a resume with every run stored). Prints the CPU seconds of both calls, the number of
candidates and of Pareto points, and the best feasible expected IKM, mean wait and cost found
against the current policy's. Numbers are in ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import time
from pathlib import Path

import pandas as pd

from asnsim.cli import main


def _call(argv: list[str]) -> float:
    start = time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    if code != 0:
        raise SystemExit(f"asnsim {' '.join(argv)} exited {code}")
    return time.process_time() - start


def bench(evaluations: int, out: Path, budget: float) -> None:
    """Search, resume, and print what was found."""
    shutil.rmtree(out, ignore_errors=True)
    argv = ["optimise", "palembang", "--scale", "0.02", "--years", "2", "--seed", "7"]
    argv += ["--budget", f"{budget:g}", "--evaluations", str(evaluations)]
    argv += ["--replications", "2", "--serial", "--out", str(out)]
    first = _call(argv)
    resumed = _call(argv) if (out / "runs").is_dir() else float("nan")
    pareto = pd.read_csv(out / "pareto.csv")
    now = pareto[pareto.current].iloc[0]
    front = pareto[pareto.pareto & ~pareto.current]
    print(f"search: {first:.1f} s CPU; the same command again (resume): {resumed:.1f} s CPU")
    print(f"front: {len(front)} searched point(s) besides the current policy")
    print(
        f"current policy: IKM {now.ikm_true:.3f}, wait {now.wait_mean_days:.3f} days, "
        f"cost Rp {now.cost_per_year / 1e9:.3f} bn a year"
    )
    if not front.empty:
        best = front.sort_values("ikm_true").iloc[-1]
        print(
            f"best IKM on the front: {best.ikm_true:.3f} (wait {best.wait_mean_days:.3f}, "
            f"cost Rp {best.cost_per_year / 1e9:.3f} bn)"
        )
        print(best.dropna().to_string())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=40)
    parser.add_argument("--budget", type=float, default=7e9)
    parser.add_argument("--out", default="/tmp/bench-decide")
    args = parser.parse_args()
    bench(args.evaluations, Path(args.out), args.budget)
