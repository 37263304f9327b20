"""Per-module summary of `mutmut results --all true` (read from standard input).

Usage: ``mutmut results --all true | python scripts/mutation_report.py survey demand ...``
"""

import sys
from collections import Counter


def main(modules: list[str]) -> None:
    counts = {m: Counter() for m in modules}
    left = []
    for line in sys.stdin:
        name, _, status = line.strip().rpartition(": ")
        module = next((m for m in modules if name.startswith(f"asnsim.{m}.")), None)
        if module is None:
            continue
        counts[module][status] += 1
        if status != "killed":
            left.append(f"  {status:12} {name}")
    print(
        f"{'module':12} {'mutants':>7} {'killed':>7} {'survived':>8} {'other':>6} {'killed %':>9}"
    )
    for module, c in counts.items():
        total = sum(c.values())
        other = total - c["killed"] - c["survived"]
        share = f"{100 * c['killed'] / total:.1f}" if total else "-"
        print(f"{module:12} {total:7} {c['killed']:7} {c['survived']:8} {other:6} {share:>9}")
    print("not killed:")
    print("\n".join(left) if left else "  none")


if __name__ == "__main__":
    main(sys.argv[1:])
