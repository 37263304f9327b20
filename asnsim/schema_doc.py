"""Generate the scenario reference (docs/scenarios.md) from the schema itself.

``python -m asnsim.schema_doc > docs/scenarios.md`` — a test checks that the committed file
equals what this prints, so the reference cannot drift from the code.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from pydantic import BaseModel

from asnsim.policies import PLANNER, REGISTRY
from asnsim.policies.levers import LEVERS
from asnsim.scenario import (
    Assumptions,
    CitySpec,
    RoutineDevelopmentSpec,
    Scenario,
    TrainingProgramSpec,
    TrainingSpec,
    UnitSpec,
    WorkforceSpec,
)

__all__ = ["render"]

_SECTIONS: list[tuple[str, type[BaseModel], str]] = [
    ("Scenario (top level)", Scenario, ""),
    ("city", CitySpec, "city."),
    ("city.workforce", WorkforceSpec, "city.workforce."),
    ("city.units[]", UnitSpec, "city.units.N."),
    ("training", TrainingSpec, "training."),
    ("training.programs[]", TrainingProgramSpec, "training.programs.N."),
    ("training.routine", RoutineDevelopmentSpec, "training.routine."),
    ("assumptions", Assumptions, "assumptions."),
]


def _default(field) -> str:
    if field.is_required():
        return "**required**"
    value = field.default_factory() if field.default_factory else field.default
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    elif isinstance(value, dict):
        value = {
            k: v.model_dump(mode="json") if isinstance(v, BaseModel) else v
            for k, v in value.items()
        }
    text = json.dumps(value, ensure_ascii=False) if value is not None else "none"
    return f"`{text}`" if len(text) < 70 else f"`{text[:66]}...`"


def _bounds(field) -> str:
    parts = []
    for meta in field.metadata:
        for name, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            value = getattr(meta, name, None)
            if value is not None:
                parts.append(f"{sign} {value}")
        if getattr(meta, "min_length", None):
            parts.append(f"at least {meta.min_length}")
    return ", ".join(parts)


def _type(field) -> str:
    text = str(field.annotation).replace("typing.", "")
    for long, short in (("<class '", ""), ("'>", ""), ("asnsim.scenario.", "")):
        text = text.replace(long, short)
    text = re.sub(r"Annotated\[(.*?), BeforeValidator\(.*?\)\]", r"\1", text)  # its checker
    return text.replace("asnsim.priors.", "")


def _planner(field) -> str:
    """A planner's choice (what ``asnsim optimise`` searches), in words; '' for an assumption."""
    extra = field.json_schema_extra
    mark = extra.get(PLANNER) if isinstance(extra, dict) else None
    if not mark:
        return ""
    if "amount" in mark:
        scope = (
            "rupiah a year for the city" if mark["amount"] == "city" else "rupiah a year a post"
        )
        what = f"an amount ({scope}) given a share of the budget `optimise` splits"
    elif "low" in mark:
        what = f"searched by `optimise` from {mark['low']} to {mark['high']}"
    else:
        what = "searched by `optimise`"
    return f"**Planner's choice**, {what}: {mark['why']} "


def _table(model: type[BaseModel], prefix: str) -> list[str]:
    lines = ["| key | type | default | allowed | meaning |", "|---|---|---|---|---|"]
    for name, field in model.model_fields.items():
        desc = _planner(field) + (field.description or "")
        desc = desc.replace("|", "/").replace("\n", " ")
        lines.append(
            f"| `{prefix}{name}` | {_type(field)} | {_default(field)} | {_bounds(field)} "
            f"| {desc} |"
        )
    return lines


def _load_policies() -> None:
    """Register every built-in policy: validating the default choices imports the levers."""
    Scenario.model_fields["policies"].default_factory()


def _policies() -> list[str]:
    _load_policies()
    lines = [
        "## policies",
        "",
        "Each lever is chosen by `name` with `options`; unknown names and options are "
        "rejected with the allowed values. The levers act each year's end in this order "
        "(the rows of `LEVERS`). An option marked **Planner's choice** is something a city "
        "decides, with the range `asnsim optimise` searches; every other option is an "
        "assumption about how the world works, never searched. Defaults: "
        + ", ".join(f"`{row.kind}: {row.default}`" for row in LEVERS)
        + ".",
        "",
    ]
    for kind in (row.kind for row in LEVERS):
        lines += [f"### policies.{kind}", ""]
        for name, cls in sorted(REGISTRY.get(kind, {}).items()):
            doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
            lines += [f"**`{name}`** — {doc}", ""]
            if cls.Options.model_fields:
                lines += _table(cls.Options, f"policies.{kind}.options.") + [""]
            else:
                lines += ["No options.", ""]
    return lines


def render() -> str:
    """The whole reference as Markdown."""
    lines: list[str] = [
        "# Scenario reference",
        "",
        "Generated from the schema by `python -m asnsim.schema_doc`; do not edit by hand.",
        "A scenario is a YAML file; unknown keys are errors. `extends: other.yaml` merges "
        "another file under this one; `--set key.path=value` (or keyword overrides in Python) "
        "changes one key over the defaults. Units are in brackets in each meaning; every "
        "behavioural assumption gives its evidence.",
        "",
    ]
    for title, model, prefix in _SECTIONS:
        doc = (model.__doc__ or "").strip().splitlines()[0]
        lines += [f"## {title}", "", doc, "", *_table(model, prefix), ""]
    lines += _policies()
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the reference (or write it to the path given)."""
    parser = argparse.ArgumentParser(
        prog="python -m asnsim.schema_doc",
        description="Render the scenario reference (docs/scenarios.md) from the schema.",
    )
    parser.add_argument("out", nargs="?", help="write it here (default: print it)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    text = render()
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
