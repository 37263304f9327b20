"""Policy levers: one base class per kind, one contract, a registry, options by pydantic.

The lever kinds, their yearly order and their random streams are named once, in
:data:`asnsim.policies.levers.LEVERS`. A scenario picks each lever by name
(``policies.placement.name: seniority``) with options (``policies.placement.options``).
:func:`register` adds a policy class to the registry; :func:`validate_choice` checks a name
and its options and :func:`make_policy` builds it.

The contract: once a year every policy's :meth:`Policy.act` gets a read-only
:class:`~asnsim.policies.contract.Snapshot` of what the government knows and the
:class:`~asnsim.policies.contract.Actions` through which alone it changes the world, and
returns a :class:`Result`: the money it spent and its diagnostics, which the model records
as columns ``<kind>_<name>`` of ``outcomes.city()``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from asnsim.policies.levers import LEVERS

if TYPE_CHECKING:
    from asnsim.policies.contract import Actions, Snapshot

__all__ = [
    "NoOptions",
    "Policy",
    "REGISTRY",
    "Result",
    "choice_problems",
    "make_policy",
    "PLANNER",
    "option",
    "planner",
    "register",
    "validate_choice",
]


def option(
    default: float, unit: str, reason: str, choice: dict[str, Any] | None = None, **bounds: float
) -> Any:
    """A behavioural option of a policy: default, unit and one-line reason, with bounds.

    The description reads ``[unit] reason``, as every scenario parameter's does. ``choice``
    marks the option as a planner's choice (:func:`planner`).
    """
    return Field(default, description=f"[{unit}] {reason}", json_schema_extra=choice, **bounds)


PLANNER = "planner_choice"
"""Key of the mark (in a field's ``json_schema_extra``) of an option that is a planner's choice."""


def planner(
    why: str, low: float | None = None, high: float | None = None, amount: str | None = None
) -> dict[str, Any]:
    """Mark an option as a planner's choice, for ``Field(json_schema_extra=...)``.

    Options without the mark are assumptions (how the world works), which ``asnsim optimise``
    never searches; a marked option is something a city decides. ``asnsim.decide.space``
    reads the marks.

    Args:
        why: One line: who decides it and why the range is admissible.
        low: Least admissible value of a number (None for a yes/no or a named choice, whose
            values are all admissible).
        high: Most admissible value of a number.
        amount: For money the city sets: ``"city"`` (rupiah a year for the real city) or
            ``"post"`` (rupiah a year per formation post). An amount is not searched on its
            own: it gets a share of the budget being split.
    """
    mark: dict[str, Any] = {"why": why}
    if low is not None or high is not None:
        if low is None or high is None or low > high:
            raise ValueError(f"planner(): expected low <= high, got {low}, {high}")
        mark |= {"low": low, "high": high}
    if amount is not None:
        if amount not in ("city", "post"):
            raise ValueError(f"planner(): amount '{amount}'; expected 'city' or 'post'")
        mark["amount"] = amount
    return {PLANNER: mark}


class NoOptions(BaseModel):
    """Options of a policy that takes none: any key given is an error."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Result:
    """What a lever did in a year: the money it spent and numbers describing what it did.

    Attributes:
        spend: Rupiah committed for the coming year (never negative).
        diagnostics: Numbers by name (e.g. ``moves``); the model records each as the column
            ``<kind>_<name>`` of ``outcomes.city()``.
    """

    spend: float = 0.0
    diagnostics: Mapping[str, float] = field(default_factory=dict)


class Policy(ABC):
    """Base of every policy: a kind, a registered name, an options schema and a random stream.

    Attributes:
        kind: The lever kind (a row of ``LEVERS``).
        name: The name a scenario picks it by.
        Options: The pydantic schema of its options (validated, defaults filled in).
        reports: Names of the numbers :meth:`act` reports in :attr:`Result.diagnostics`
            (every policy of a kind reports the same names, so runs compare column by column;
            a name missing from a result is recorded as NaN).
    """

    kind: ClassVar[str] = ""
    name: ClassVar[str] = ""
    Options: ClassVar[type[BaseModel]] = NoOptions
    reports: ClassVar[tuple[str, ...]] = ()

    def __init__(self, options: BaseModel, rng: np.random.Generator):
        self.options = options
        self.rng = rng

    @abstractmethod
    def act(self, gov: Snapshot, do: Actions) -> Result:
        """Act once, at a year's end (in the order of ``LEVERS``).

        Args:
            gov: What the government knows now (read-only; it reflects the levers that acted
                before this one this year).
            do: The only way to change the world: move staff, hire, schedule time away, change
                a unit's service, adjust people.

        Returns:
            The money spent for the coming year and the diagnostics named in
            :attr:`reports`.
        """


REGISTRY: dict[str, dict[str, type[Policy]]] = {}


def register[P: type[Policy]](cls: P) -> P:
    """Class decorator adding a policy to the registry under its kind and name."""
    if not cls.kind or not cls.name:
        raise TypeError(f"{cls.__name__} needs class attributes kind and name")
    REGISTRY.setdefault(cls.kind, {})[cls.name] = cls
    return cls


def _lookup(kind: str, name: str) -> type[Policy]:
    _load_builtin()
    options = REGISTRY.get(kind, {})
    if name not in options:
        raise ValueError(f"got '{name}'; expected one of {sorted(options)}")
    return options[name]


def choice_problems(kind: str, name: Any, options: Any) -> list[str]:
    """Every problem of a policy choice, each as ``key.path: what; expected what``.

    Paths are relative to the choice (``name``, ``options.quota_share``).
    """
    if not isinstance(name, str):
        return [f"name: got {name!r}; expected a {kind} policy name"]
    try:
        cls = _lookup(kind, name)
    except ValueError as err:
        return [f"name: {err}"]
    if not isinstance(options, dict):
        return [f"options: got {type(options).__name__}; expected a mapping of options"]
    try:
        cls.Options.model_validate(options)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            loc = ".".join(str(p) for p in e["loc"])
            if e["type"] == "extra_forbidden":
                allowed = sorted(cls.Options.model_fields) or "none"
                problems.append(
                    f"options.{loc}: unknown option of {kind} policy '{name}'; allowed: {allowed}"
                )
            else:
                problems.append(f"options.{loc}: got {e.get('input')!r}; {e['msg']}")
        return problems
    return []


def validate_choice(kind: str, name: str, options: dict[str, Any]) -> dict[str, Any]:
    """Check a policy name and options; return the options with defaults filled in.

    Raises:
        ValueError: naming the unknown policy (with the allowed names) or the bad options.
    """
    problems = choice_problems(kind, name, options)
    if problems:
        raise ValueError("; ".join(problems))
    return _lookup(kind, name).Options.model_validate(options).model_dump(mode="json")


def make_policy(kind: str, name: str, options: dict[str, Any], rng: np.random.Generator) -> Policy:
    """Build the policy ``name`` of ``kind`` with validated ``options`` and its own stream."""
    cls = _lookup(kind, name)
    return cls(cls.Options.model_validate(options), rng)


def _load_builtin() -> None:
    """Import every lever's module (importing a module registers its policies)."""
    for row in LEVERS:
        import_module(row.module)
