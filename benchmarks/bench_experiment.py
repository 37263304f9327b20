"""Throughput and memory of experiments.

Usage:
    python benchmarks/bench_experiment.py compare [--replications 30] [--scale 1.0]
    python benchmarks/bench_experiment.py sweep [--runs 1000] [--scale 0.05] [--chunk-runs 1 64]

``compare``: runs per minute of a paired comparison of two Kotabumi variants (seniority vs
random placement) with 1 worker and with 2 workers, and the speed-up.
``sweep``: runs per second and peak resident memory of the parent process (and the largest
worker) during a sweep of many runs of Kotabumi at small scale for ten years on 2 workers,
sampled every 0.2 s, to show it stays flat; once for each chunk size (runs a worker gets at
once: 1 is one run per task, as before the ensemble engine; 64 is the default). The whole
study's memory is reported twice: the largest sampled sum of the resident memory of the
parent and all its workers, and the sum of each process's own peak (``VmHWM``, exact, an
upper bound since the peaks need not coincide).
Run by hand; no test asserts a time.
"""

import argparse
import contextlib
import os
import tempfile
import threading
import time
from pathlib import Path

from asnsim.evaluators import Chunking, make_executor
from asnsim.experiment import ExperimentSpec, plan_runs, run_experiment
from asnsim.store import RunStore

ROOT = Path(__file__).resolve().parents[1]
KOTABUMI = str(ROOT / "scenarios" / "kotabumi.yaml")


def _rss_mb(pid: int, field: str = "VmRSS") -> float:
    """A process's resident memory now (``VmRSS``) or at its peak so far (``VmHWM``), in MB."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


def _descendants(pid: int) -> list[int]:
    out = []
    for child in _children(pid):
        out += [child, *_descendants(child)]
    return out


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            out += [int(c) for c in (task / "children").read_text().split()]
    return out


class PeakMemory(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.parent = 0.0
        self.worker = 0.0
        self.total = 0.0  # the largest sampled sum over the parent and its workers
        self.hwm = {}  # pid -> its own peak RSS (VmHWM) last seen
        self.samples = []
        self.stop = False
        self.cpu = {}  # pid -> CPU seconds last seen (this process and its workers)
        self.cpu_start = _cpu_of(os.getpid())

    def run(self):
        me = os.getpid()
        start = time.perf_counter()
        while not self.stop:
            p = _rss_mb(me)
            children = _descendants(me)
            for pid in [me, *children]:
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), _cpu_of(pid))
            rss = [_rss_mb(c) for c in children]
            for pid in [me, *children]:
                self.hwm[pid] = max(self.hwm.get(pid, 0.0), _rss_mb(pid, "VmHWM"))
            w = max(rss, default=0.0)
            self.parent, self.worker = max(self.parent, p), max(self.worker, w)
            self.total = max(self.total, p + sum(rss))
            self.samples.append((time.perf_counter() - start, p))
            time.sleep(0.2)


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def compare(replications: int, scale: float) -> None:
    spec = ExperimentSpec(
        name="bench-compare",
        scenario=KOTABUMI,
        overrides={"scale": scale},
        variants={"base": {}, "random": {"policies.placement.name": "random"}},
        replications=replications,
    )
    runs = plan_runs(spec)
    rates = {}
    for workers in (1, 2):
        executor, _ = make_executor("processes", workers=workers)
        with tempfile.TemporaryDirectory() as out, executor:
            t0 = time.perf_counter()
            run_experiment(spec, RunStore(out), executor, runs=runs, progress=False)
            seconds = time.perf_counter() - t0
        rates[workers] = len(runs) / seconds * 60
        print(
            f"{workers} worker(s): {len(runs)} runs in {seconds:.1f} s = "
            f"{rates[workers]:.1f} runs/minute"
        )
    print(f"speed-up with 2 workers: {rates[2] / rates[1]:.2f}x")


def sweep(n_runs: int, scale: float, chunk_runs: list[int]) -> None:
    spec = ExperimentSpec(
        name="bench-sweep",
        scenario=KOTABUMI,
        overrides={"scale": scale, "horizon_years": 10},
        variants={"base": {}},
        replications=n_runs,
    )
    runs = plan_runs(spec)
    for size in chunk_runs:
        _sweep_once(spec, runs, Chunking(runs=size))


def _sweep_once(spec: ExperimentSpec, runs: list, chunk: Chunking) -> None:
    monitor = PeakMemory()
    monitor.start()
    executor, _ = make_executor("processes", workers=2)
    with tempfile.TemporaryDirectory() as out, executor:
        t0 = time.perf_counter()
        run_experiment(spec, RunStore(out), executor, runs=runs, progress=False, chunk=chunk)
        seconds = time.perf_counter() - t0
    monitor.stop = True
    monitor.join()
    cpu = sum(monitor.cpu.values()) - monitor.cpu_start
    parent_cpu = monitor.cpu.get(os.getpid(), 0.0) - monitor.cpu_start
    early = [p for t, p in monitor.samples if t < seconds * 0.2]
    late = [p for t, p in monitor.samples if t > seconds * 0.8]
    print(
        f"chunks of {chunk.runs} run(s): {len(runs)} runs in {seconds:.1f} s "
        f"({len(runs) / seconds:.2f} runs/second); CPU of parent and workers {cpu:.1f} s "
        f"({1000 * cpu / len(runs):.0f} ms a run, of which the parent {parent_cpu:.1f} s)"
    )
    others = sorted((c for pid, c in monitor.cpu.items() if pid != os.getpid()), reverse=True)
    print(
        "  CPU of each other process (workers, forkserver ...): "
        + ", ".join(f"{c:.1f} s" for c in others)
    )
    print(
        f"  peak RSS: parent {monitor.parent:.0f} MB, largest worker {monitor.worker:.0f} MB; "
        f"parent RSS in the first fifth {max(early, default=0):.0f} MB, "
        f"in the last fifth {max(late, default=0):.0f} MB"
    )
    print(
        f"  whole study (parent + workers): largest sampled sum {monitor.total:.0f} MB; "
        f"sum of each process's own peak {sum(monitor.hwm.values()):.0f} MB "
        f"over {len(monitor.hwm)} processes"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="what", required=True)
    c = sub.add_parser("compare")
    c.add_argument("--replications", type=int, default=30)
    c.add_argument("--scale", type=float, default=1.0)
    s = sub.add_parser("sweep")
    s.add_argument("--runs", type=int, default=1000)
    s.add_argument("--scale", type=float, default=0.05)
    s.add_argument("--chunk-runs", type=int, nargs="+", default=[1, Chunking().runs])
    args = p.parse_args()
    if args.what == "compare":
        compare(args.replications, args.scale)
    else:
        sweep(args.runs, args.scale, args.chunk_runs)


if __name__ == "__main__":
    main()
