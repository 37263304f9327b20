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
"$MUTMUT" results --all true | "${PYTHON:-.venv/bin/python}" scripts/mutation_report.py "${modules[@]}"
