"""The lever table: the one place that names the policy levers.

Each row of :data:`LEVERS` is a lever kind: the key under ``policies:`` in a scenario, its
status-quo policy, the module whose import registers its policies, its random stream and
whether the dashboard offers a choice. The table's order is the order in which the levers
act at each year's end. Everything else is derived from it:

- the scenario schema's ``Policies`` section (:func:`asnsim.scenario.policies_model`);
- the random streams (:func:`asnsim.rng.stream_names`);
- the model's yearly order (``ASNModel._personnel_cycle``);
- the dashboard's lever choices (:func:`asnsim.app.lever_choices`).

Adding a lever is one module (its base class and policies, see ``docs/policies.md``) and one
line here. This module imports nothing of the package, so every other module may import it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LEVERS", "Lever", "lever"]


@dataclass(frozen=True)
class Lever:
    """One lever kind.

    Attributes:
        kind: Key under ``policies:`` (``policies.<kind>.name``) and the policies' ``kind``.
        default: The status-quo policy, chosen when a scenario names none.
        module: Module whose import registers the kind's policies.
        stream: Name of the lever's random stream (its key is the CRC-32 of the name, so the
            same name gives the same draws); the kind itself unless given.
        before_exits: Acts before the year's ageing, retirements and resignations (the
            appraisal sets the exit hazard); the other levers act after them.
        dashboard: The dashboard offers a choice of this lever (else the scenario's holds).
    """

    kind: str
    default: str
    module: str
    stream: str = ""
    before_exits: bool = False
    dashboard: bool = True

    def __post_init__(self) -> None:
        if not self.stream:
            object.__setattr__(self, "stream", self.kind)


LEVERS: list[Lever] = [
    # the rating and allowance set motivation and the exit hazard of the year's exits
    Lever("appraisal", "status_quo", "asnsim.policies.appraisal", before_exits=True),
    # hires the newcomers that placement then places
    Lever("recruitment", "status_quo", "asnsim.policies.recruitment", dashboard=False),
    Lever("placement", "seniority", "asnsim.policies.placement"),
    # lowers resistance before digital adoption and training gains are reckoned
    Lever("change", "none", "asnsim.policies.change", dashboard=False),
    Lever("digital", "none", "asnsim.policies.digital"),
    # sharpens the IKM signal that evaluation-driven training reads: it must act first
    Lever("participation", "none", "asnsim.policies.participation"),
    Lever("training", "none", "asnsim.policies.training"),
]
"""The lever kinds, in the order they act at each year's end."""


def lever(kind: str) -> Lever:
    """The row of ``kind`` in :data:`LEVERS`.

    Raises:
        KeyError: If no lever has that kind.
    """
    for row in LEVERS:
        if row.kind == kind:
            return row
    raise KeyError(f"no lever '{kind}'; levers: {[row.kind for row in LEVERS]}")
