#!/usr/bin/env bash
# Mutation testing with mutmut (config: [tool.mutmut] in pyproject.toml; see docs/testing.md).
#
#   scripts/mutation.sh                      the model's core modules (survey, demand, outcomes,
#                                            store, units, rng)
#   scripts/mutation.sh policies workforce   other modules, by name under asnsim/ (the module
#                                            must be listed in only_mutate; policies = the
#                                            whole asnsim/policies/ package)
#
# Mutants and results go to mutants/ (not in git). Prints killed / survived / no-test counts
# per module and the surviving mutants; `mutmut show NAME` shows one as a diff.
# MUTMUT_JOBS sets the number of parallel workers (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
MUTMUT=${MUTMUT:-.venv/bin/mutmut}
JOBS=${MUTMUT_JOBS:-2}
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
    modules=(survey demand outcomes store units rng)
fi
patterns=()
for m in "${modules[@]}"; do
    patterns+=("asnsim.${m}.*")
done
mkdir -p mutants
"$MUTMUT" run --max-children "$JOBS" "${patterns[@]}" >mutants/run.log 2>&1 || {
    tail -20 mutants/run.log
    exit 1
}
"$MUTMUT" results --all true | "${PYTHON:-.venv/bin/python}" -c '
import sys
from collections import Counter
mods = sys.argv[1:]
counts, survivors = {}, []
for line in sys.stdin:
    name, _, status = line.strip().rpartition(": ")
    mod = next((m for m in mods if name.startswith(f"asnsim.{m}.")), None)
    if mod is None:
        continue
    counts.setdefault(mod, Counter())[status] += 1
    if status != "killed":
        survivors.append(f"  {status:10} {name}")
print(f"{\"module\":12} {\"mutants\":>7} {\"killed\":>7} {\"survived\":>8} {\"other\":>6}  killed %")
for mod in mods:
    c = counts.get(mod, Counter())
    total = sum(c.values())
    other = total - c["killed"] - c["survived"]
    pct = 100 * c["killed"] / total if total else float("nan")
    print(f"{mod:12} {total:7} {c[\"killed\"]:7} {c[\"survived\"]:8} {other:6}  {pct:6.1f}")
print("not killed:")
print("\n".join(survivors) or "  none")
' "${modules[@]}"
