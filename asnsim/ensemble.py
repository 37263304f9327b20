"""Many runs as one: the ensemble engine's public entry point.

``run_ensemble(scenarios)`` runs independent scenarios (replications, variants, parameter sets,
regions) and yields each run's :class:`~asnsim.outcomes.Outcomes` as it ends. Every run keeps
its own random streams, so each result is bit-identical to the same scenario run alone with
:class:`~asnsim.model.ASNModel`. A run that fails yields its exception; the others go on.

This first version steps the runs one after the other (the reference behaviour the vectorised
engine must reproduce).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from asnsim.outcomes import Outcomes
from asnsim.scenario import Scenario

__all__ = ["run_ensemble"]


def run_ensemble(scenarios: Sequence[Scenario]) -> Iterator[tuple[int, Outcomes | Exception]]:
    """Run ``scenarios`` as one ensemble; yield ``(position, outcomes or error)`` as each ends.

    Args:
        scenarios: Validated scenarios (each with its own seed, size and horizon).

    Yields:
        The scenario's position in ``scenarios`` and its outcomes, or the exception that
        stopped it (the other runs are not affected).
    """
    from asnsim.model import ASNModel

    for position, scenario in enumerate(scenarios):
        try:
            outcomes = ASNModel(scenario).run(progress=False)
        except Exception as error:  # noqa: BLE001 - isolated per run, reported to the caller
            yield position, error
        else:
            yield position, outcomes
