"""The benchmark command: asnsim against the plain-Mesa reference, scale, and the cities.

Usage: python benchmarks/run.py [--quick] [--out benchmarks/RESULTS.md]

Prints, in one run on this machine:
1. employee-days per second of asnsim and of the reference (benchmarks/reference.py) at
   1,000, 10,000 and 100,000 employees, with the ratio and each measurement's peak memory;
2. the time and peak memory of a full 10-year run of a 10,000-employee city and of a
   100,000-employee province (Palembang scaled);
3. the time of a full 10-year run of each city scenario at its real size.
Every measurement runs in a fresh Python process so its peak memory (max RSS) is its own.
Run by hand; no test asserts a time. ``--out`` also writes the table as Markdown.
"""

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {bench!r})
from reference import employee_days_per_second, city_of
from asnsim import ASNModel, load_scenario
kind, arg, days = sys.argv[1], sys.argv[2], int(sys.argv[3])
if kind in ("asnsim", "reference"):
    value = max(employee_days_per_second(int(arg), days, kind) for _ in range({repeat}))
    out = {{"rate": value}}
elif kind == "full":
    model = city_of(int(arg))
    t0 = time.perf_counter()
    model.run(progress=False)
    out = {{"seconds": time.perf_counter() - t0, "employees": len(model.workforce)}}
else:
    t0 = time.perf_counter()
    model = ASNModel(load_scenario(arg)); t1 = time.perf_counter()
    model.run(progress=False)
    out = {{"seconds": time.perf_counter() - t1, "setup": t1 - t0,
        "employees": len(model.workforce)}}
out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def measure(kind: str, arg: str, days: int = 0, repeat: int = 1) -> dict:
    code = _CHILD.format(bench=str(ROOT / "benchmarks"), repeat=repeat)
    proc = subprocess.run(
        [sys.executable, "-c", code, kind, arg, str(days)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{platform.machine()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="fewer days and repeats")
    p.add_argument("--out", help="also write the results as Markdown to this file")
    args = p.parse_args()
    # both stay before the mid-year survey (day 125): the reference has no survey
    days, ref_days, repeat = (100, 20, 1) if args.quick else (120, 60, 3)
    lines = [f"machine: {machine()}", ""]

    lines += [
        "## Daily update: asnsim vs the plain-Mesa reference",
        "",
        f"asnsim {days} days, reference {ref_days} days (first year, set-up not timed), "
        f"best of {repeat}.",
        "",
        "| employees | asnsim employee-days/s | peak MB | reference employee-days/s "
        "| peak MB | ratio |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for n in (1_000, 10_000, 100_000):
        fast = measure("asnsim", str(n), days, repeat)
        slow = measure("reference", str(n), ref_days if n < 100_000 else 5, 1)
        lines.append(
            f"| {n:,} | {fast['rate']:,.0f} | {fast['max_rss_mb']:.0f} "
            f"| {slow['rate']:,.0f} | {slow['max_rss_mb']:.0f} "
            f"| {fast['rate'] / slow['rate']:.1f}x |"
        )
        print(lines[-1], flush=True)

    lines += [
        "",
        "## Full 10-year runs (Palembang scaled)",
        "",
        "| employees | seconds | peak MB |",
        "|---:|---:|---:|",
    ]
    for n in (10_000, 100_000):
        r = measure("full", str(n))
        lines.append(
            f"| {r['employees']:,} at the end | {r['seconds']:.2f} | {r['max_rss_mb']:.0f} |"
        )
        print(lines[-1], flush=True)

    lines += [
        "",
        "## Each city scenario, 10 years at its real size",
        "",
        "| scenario | employees at the end | set-up s | run s | peak MB |",
        "|---|---:|---:|---:|---:|",
    ]
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        r = measure("city", str(path))
        lines.append(
            f"| {path.stem} | {r['employees']:,} | {r['setup']:.2f} "
            f"| {r['seconds']:.2f} | {r['max_rss_mb']:.0f} |"
        )
        print(lines[-1], flush=True)

    text = "\n".join(lines) + "\n"
    print()
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
