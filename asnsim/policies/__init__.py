"""Policy levers: one small base class per kind, a registry, options validated by pydantic.

A scenario picks each lever by name (``policies.placement.name: seniority``) with options
(``policies.placement.options``). :func:`register` adds a policy class to the registry;
:func:`validate_choice` checks a name and its options and :func:`make_policy` builds it.
"""

from __future__ import annotations

from abc import ABC
from typing import Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

__all__ = [
    "NoOptions",
    "Policy",
    "REGISTRY",
    "choice_problems",
    "make_policy",
    "register",
    "validate_choice",
]


class NoOptions(BaseModel):
    """Options of a policy that takes none: any key given is an error."""

    model_config = ConfigDict(extra="forbid")


class Policy(ABC):  # noqa: B024 (kinds add the abstract methods)
    """Base of every policy: a kind, a registered name, an options schema and a random stream."""

    kind: ClassVar[str] = ""
    name: ClassVar[str] = ""
    Options: ClassVar[type[BaseModel]] = NoOptions

    def __init__(self, options: BaseModel, rng: np.random.Generator):
        self.options = options
        self.rng = rng

    def plan_year(self, model) -> float:
        """Act at the year's end (see ``ASNModel._personnel_cycle`` for the order of kinds).

        Returns:
            Money spent on this lever for the coming year (rupiah).
        """
        return 0.0


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
    # Importing the modules registers their policies.
    from asnsim.policies import (  # noqa: F401
        appraisal,
        change,
        digital,
        participation,
        placement,
        recruitment,
        training,
    )
