"""The decision space of ``asnsim optimise``: what a planner may choose, and its encoding.

What is a planner's choice is declared once, in the lever schemas: an option marked with
:func:`asnsim.policies.planner` (its admissible range and a one-line reason) is something a
city decides; every other option is an assumption about how the world works and is never
searched. A candidate is

- one policy per searched lever kind (a pymoo ``Choice``);
- the value of every marked option of the chosen policies (``Real``, ``Integer``, or a
  ``Choice`` for yes/no and named options); an option of a policy not chosen is ignored;
- a share of the budget for every *amount* (money the city sets: the training budget, the
  digital investment). The shares come from one weight per amount and one for money left
  unspent: ``share_i = floor(100 w_i / sum w) / 100``, so they are whole percents that never
  sum to more than 1 (a Dirichlet-like encoding, symmetric in the amounts). An amount whose
  policy is not chosen is not spent.

The planner may narrow, widen (within the option's own bounds) or switch off any of it with
``--search KEY=LOW:HIGH``, ``--search KEY=a,b`` or ``--search KEY=off``
(:func:`parse_search`).
"""

from __future__ import annotations

import math
import typing
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import yaml

from asnsim.policies import PLANNER, REGISTRY, validate_choice
from asnsim.policies.levers import LEVERS
from asnsim.scenario import Scenario, ScenarioError
from asnsim.units import build_units

__all__ = ["Amount", "Knob", "Space", "decision_space", "parse_search", "read_search_file"]

UNSPENT = "share:unspent"
"""Variable of the weight of the money left unspent."""


@dataclass(frozen=True)
class Knob:
    """A planner's choice among a policy's options.

    Attributes:
        key: Its dotted scenario key, ``policies.<kind>.options.<option>``.
        kind: The lever kind.
        option: The option's name.
        policies: The policies of the kind that have the option.
        why: Who decides it, and why the range is admissible.
        low, high: The range of a number (None for a choice).
        integer: Whether the number is whole.
        values: The values of a yes/no or named choice (empty for a number).
    """

    key: str
    kind: str
    option: str
    policies: tuple[str, ...]
    why: str
    low: float | None = None
    high: float | None = None
    integer: bool = False
    values: tuple[Any, ...] = ()

    @property
    def fixed(self) -> bool:
        """Whether only one value is left (then it is set, not searched)."""
        return len(self.values) == 1 if self.values else self.low == self.high

    def value(self, raw: Any) -> Any:
        """A searched value made plain and tidy: whole numbers, or 3 significant digits of span."""
        if self.values:
            if self.fixed:
                return self.values[0]
            return raw.item() if isinstance(raw, np.generic) else raw
        number = float(self.low if self.fixed else raw)
        if self.integer:
            return int(round(number))
        span = float(self.high - self.low) or abs(number) or 1.0
        return round(number, max(0, 3 - math.ceil(math.log10(span))))


@dataclass(frozen=True)
class Amount:
    """Money a city sets, searched as a share of the budget.

    Attributes:
        key: Its dotted scenario key (``training.budget_per_year``,
            ``policies.digital.options.investment_per_post``).
        kind: The lever kind that spends it.
        policies: The policies of the kind that spend it.
        per: ``city`` (rupiah a year for the real city) or ``post`` (a year per post).
        why: Who decides it.
    """

    key: str
    kind: str
    policies: tuple[str, ...]
    per: str
    why: str

    def value(self, spend: float, scenario: Scenario) -> float:
        """The amount that spends ``spend`` rupiah a year in the city as simulated."""
        if self.per == "city":  # a real city's amount, spent at the run's scale
            return float(round(spend / scenario.scale))
        posts = int(build_units(scenario).formation.sum())  # every point, as the model has them
        return float(round(spend / posts))


@dataclass
class Space:
    """The decision space: the policies per searched kind, the knobs and the amounts."""

    levers: dict[str, list[str]]
    knobs: list[Knob] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)

    def variables(self) -> dict[str, Any]:
        """The pymoo variables of the searched parts (fixed parts have none)."""
        from pymoo.core.variable import Choice, Integer, Real

        out: dict[str, Any] = {
            f"lever:{kind}": Choice(options=names)
            for kind, names in self.levers.items()
            if len(names) > 1
        }
        for knob in self.knobs:
            if knob.fixed:
                continue
            if knob.values:
                out[knob.key] = Choice(options=list(knob.values))
            elif knob.integer:
                out[knob.key] = Integer(bounds=(int(knob.low), int(knob.high)))
            else:
                out[knob.key] = Real(bounds=(float(knob.low), float(knob.high)))
        if self.amounts:
            for amount in self.amounts:
                out[f"share:{amount.key}"] = Real(bounds=(0.0, 1.0))
            out[UNSPENT] = Real(bounds=(0.0, 1.0))
        return out

    def shares(self, x: dict[str, Any]) -> list[float]:
        """The budget share of each amount: whole percents summing to at most 1."""
        weights = [float(x[f"share:{a.key}"]) for a in self.amounts]
        total = sum(weights) + float(x.get(UNSPENT, 0.0))
        if total <= 0:
            return [0.0] * len(weights)
        return [math.floor(100 * w / total) / 100 for w in weights]

    def decode(self, x: dict[str, Any], scenario: Scenario, budget: float) -> dict[str, Any]:
        """The dotted overrides of candidate ``x`` (a dict of pymoo variable values)."""
        overrides: dict[str, Any] = {}
        for kind, names in self.levers.items():
            name = str(x[f"lever:{kind}"]) if len(names) > 1 else names[0]
            choice = _choice(kind, name, scenario)
            for knob in self.knobs:
                if knob.kind == kind and name in knob.policies:
                    choice["options"][knob.option] = knob.value(x.get(knob.key))
            overrides[f"policies.{kind}"] = choice
        for amount, share in zip(self.amounts, self.shares(x), strict=True):
            name = overrides[f"policies.{amount.kind}"]["name"]
            spent = name in amount.policies
            value = amount.value(share * budget, scenario) if spent else 0.0
            prefix = f"policies.{amount.kind}.options."
            if amount.key.startswith(prefix):
                if spent:
                    overrides[f"policies.{amount.kind}"]["options"][
                        amount.key.removeprefix(prefix)
                    ] = value
            else:
                overrides[amount.key] = value
        return overrides

    def describe(self) -> dict[str, Any]:
        """The space as plain data (for the manifest and the docs)."""
        return {
            "levers": self.levers,
            "knobs": {
                k.key: (list(k.values) if k.values else [k.low, k.high]) for k in self.knobs
            },
            "amounts": [a.key for a in self.amounts],
        }


def _choice(kind: str, name: str, scenario: Scenario) -> dict[str, Any]:
    """Policy ``name`` for ``kind``, keeping the scenario's options that it accepts."""
    current = scenario.canonical()["policies"][kind]
    if current["name"] == name:
        return {"name": name, "options": dict(current["options"])}
    fields = REGISTRY[kind][name].Options.model_fields
    return {"name": name, "options": {k: v for k, v in current["options"].items() if k in fields}}


def _load() -> list[str]:
    from importlib import import_module

    for row in LEVERS:
        import_module(row.module)  # importing a lever's module registers its policies
    return [row.kind for row in LEVERS]


def _knob(key: str, kind: str, option: str, info, mark: dict, policies: list[str]) -> Knob:
    annotation = info.annotation
    if annotation is bool:
        return Knob(key, kind, option, tuple(policies), mark["why"], values=(False, True))
    if typing.get_origin(annotation) is typing.Literal:
        values = typing.get_args(annotation)
        return Knob(key, kind, option, tuple(policies), mark["why"], values=values)
    return Knob(
        key,
        kind,
        option,
        tuple(policies),
        mark["why"],
        low=mark["low"],
        high=mark["high"],
        integer=annotation is int,
    )


def _declared(kinds: list[str]) -> tuple[list[Knob], list[Amount]]:
    """Every marked option of the kinds' policies, and the amounts."""
    knobs: dict[str, Knob] = {}
    amounts: dict[str, Amount] = {}
    for kind in kinds:
        for name in sorted(REGISTRY[kind]):
            for option, info in REGISTRY[kind][name].Options.model_fields.items():
                mark = (info.json_schema_extra or {}).get(PLANNER)
                if not isinstance(mark, dict):
                    continue
                key = f"policies.{kind}.options.{option}"
                if "amount" in mark:
                    old = amounts.get(key)
                    policies = (*old.policies, name) if old else (name,)
                    amounts[key] = Amount(key, kind, policies, mark["amount"], mark["why"])
                    continue
                old = knobs.get(key)
                policies = [*old.policies, name] if old else [name]
                knobs[key] = _knob(key, kind, option, info, mark, policies)
        section = Scenario.model_fields.get(kind)  # a scenario section named as the kind
        model = getattr(section, "annotation", None)
        for option, info in getattr(model, "model_fields", {}).items():
            mark = (info.json_schema_extra or {}).get(PLANNER)
            if isinstance(mark, dict) and "amount" in mark:
                spenders = tuple(n for n in sorted(REGISTRY[kind]) if n != "none")
                key = f"{kind}.{option}"
                amounts[key] = Amount(key, kind, spenders, mark["amount"], mark["why"])
    return list(knobs.values()), list(amounts.values())


def decision_space(kinds: list[str] | None = None, search: dict[str, str] | None = None) -> Space:
    """The decision space of the searched lever kinds (all by default), narrowed by ``search``.

    Args:
        kinds: Lever kinds to search.
        search: ``KEY`` → ``LOW:HIGH``, ``a,b`` or ``off`` (see :func:`parse_search`).

    Raises:
        ScenarioError: For an unknown kind, or a search entry that names no planner's choice
            or asks for values the option does not accept.
    """
    all_kinds = _load()
    kinds = all_kinds if kinds is None else kinds
    unknown = [k for k in kinds if k not in all_kinds]
    if unknown:
        raise ScenarioError([f"--levers: unknown {unknown}; expected some of {all_kinds}"])
    knobs, amounts = _declared(kinds)
    space = Space({kind: sorted(REGISTRY[kind]) for kind in kinds}, knobs, amounts)
    for key, text in (search or {}).items():
        _narrow(space, key, text)
    return space


def _narrow(space: Space, key: str, text: str) -> None:
    """Apply one ``--search KEY=...`` to the space."""
    where = f"--search {key}={text}"
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "policies" and parts[2] == "name":
        kind = parts[1]
        if kind not in space.levers:
            raise ScenarioError([f"{where}: lever '{kind}' is not searched (see --levers)"])
        names = [n.strip() for n in text.split(",") if n.strip()]
        bad = [n for n in names if n not in space.levers[kind]]
        if bad or not names:
            raise ScenarioError(
                [f"{where}: expected some of {space.levers[kind]} (comma-separated)"]
            )
        space.levers[kind] = names
        return
    off = text.strip().lower() == "off"
    for i, amount in enumerate(space.amounts):
        if amount.key == key:
            if not off:
                raise ScenarioError([f"{where}: an amount is split from --budget; only 'off'"])
            del space.amounts[i]
            return
    for i, knob in enumerate(space.knobs):
        if knob.key != key:
            continue
        if off:
            del space.knobs[i]
        elif knob.values:
            values = tuple(yaml.safe_load(v.strip()) for v in text.split(",") if v.strip())
            if not values or any(v not in knob.values for v in values):
                raise ScenarioError([f"{where}: expected some of {list(knob.values)}"])
            space.knobs[i] = replace(knob, values=values)
        else:
            space.knobs[i] = _range(knob, text, where)
        return
    declared = sorted(
        [f"policies.{k}.name" for k in space.levers]
        + [k.key for k in space.knobs]
        + [a.key for a in space.amounts]
    )
    raise ScenarioError(
        [
            f"{where}: not a planner's choice of the searched levers (the other options are "
            f"assumptions, which optimise does not search); expected one of {declared}"
        ]
    )


def _range(knob: Knob, text: str, where: str) -> Knob:
    """A knob with the range ``LOW:HIGH`` (each end checked against the option's bounds)."""
    try:
        low, high = (float(v) for v in text.split(":"))
    except ValueError:
        low = high = math.nan
    if not (math.isfinite(low) and math.isfinite(high) and low <= high):
        raise ScenarioError([f"{where}: expected LOW:HIGH, two numbers with LOW <= HIGH"])
    if knob.integer and not (low.is_integer() and high.is_integer()):
        raise ScenarioError([f"{where}: expected whole numbers"])
    for value in (low, high):
        try:
            validate_choice(knob.kind, knob.policies[0], {knob.option: value})
        except ValueError as err:
            raise ScenarioError([f"{where}: {err}"]) from None
    return replace(knob, low=low, high=high)


def parse_search(items: list[str]) -> dict[str, str]:
    """``--search KEY=VALUE`` items as a mapping (a key given twice is refused)."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ScenarioError([f"--search {item}: expected KEY=LOW:HIGH, KEY=a,b or KEY=off"])
        if key.strip() in out:
            raise ScenarioError([f"--search {key.strip()}: given twice"])
        out[key.strip()] = value.strip()
    return out


def read_search_file(path: str) -> list[str]:
    """``--search-file``: a YAML mapping of the same keys, as ``--search`` items.

    A value is ``[LOW, HIGH]`` (or ``"LOW:HIGH"``; one number fixes it), a list of values of
    a choice, or ``off``.

    Raises:
        ScenarioError: Naming the file when it cannot be read or is not such a mapping.
    """
    from pathlib import Path

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ScenarioError([f"cannot be read as YAML ({type(err).__name__})"], path) from None
    if not isinstance(data, dict) or not data:
        raise ScenarioError(["expected a mapping KEY: [LOW, HIGH] | [a, b] | off"], path)
    items = []
    for key, value in data.items():
        if value is False or value == "off":  # YAML reads a bare off as false
            text = "off"
        elif isinstance(value, list):
            numbers = len(value) == 2 and all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in value
            )
            text = f"{value[0]}:{value[1]}" if numbers else ",".join(str(v) for v in value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            text = f"{value}:{value}"
        else:
            text = str(value)
        items.append(f"{key}={text}")
    return items
