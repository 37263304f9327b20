"""The scenarios and data asnsim ships, found by name.

A scenario can be given as a path (``scenarios/kotabumi.yaml``, ``my_city.yaml``) or by the name
of a shipped one: ``kotabumi`` for a city, ``kotabumi/competency_match`` for one of its variant
files. :func:`shipped_scenarios` lists them with each one's question. Every place in asnsim that
needs a shipped file (the national study's template, the validation's cities, the observed
targets, the sample roster, the dashboard's choices) asks this module, so they are found the
same way from a clone and from an installed package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = [
    "CALIBRATED_DIR",
    "EXPERIMENTS_DIR",
    "OBSERVED_DIR",
    "SAMPLE_ROSTER",
    "SCENARIOS_DIR",
    "ShippedScenario",
    "is_scenario_name",
    "resolve_experiment",
    "resolve_roster",
    "resolve_scenario",
    "shipped_posterior",
    "shipped_scenarios",
]


def _data_root() -> Path:
    """Where the shipped files are: inside the package when installed, else the clone's root."""
    package = Path(__file__).resolve().parent
    inside = package / "scenarios"
    return package if inside.is_dir() else package.parent


SCENARIOS_DIR = _data_root() / "scenarios"
"""The shipped scenarios: one file per city, its variant files in a folder of the same name."""
OBSERVED_DIR = _data_root() / "data" / "observed"
"""The shipped observed targets (``targets.csv``; see ``data/README.md``)."""
CALIBRATED_DIR = _data_root() / "data" / "calibrated"
"""The shipped calibrated posteriors, one folder per city (``data/calibrated/README.md``)."""
SAMPLE_ROSTER = _data_root() / "data" / "sample_roster.csv"
"""A synthetic roster of Lampung Utara for the roster importer (every row invented)."""
EXPERIMENTS_DIR = _data_root() / "experiments"
"""The shipped experiment files (``asnsim sweep reproduce_kotabumi``), with reference tables."""

_NAME = re.compile(r"[a-z0-9_]+(/[a-z0-9_]+)?")


@dataclass(frozen=True)
class ShippedScenario:
    """One shipped scenario file.

    Attributes:
        name: What to type: ``kotabumi`` or ``kotabumi/competency_match``.
        path: The file.
        question: The scenario's ``description``: the question it asks, with its source.
    """

    name: str
    path: Path
    question: str

    @property
    def city(self) -> str:
        """The city the scenario belongs to (the part of the name before ``/``)."""
        return self.name.split("/")[0]


def is_scenario_name(text: str) -> bool:
    """True if ``text`` has the form of a shipped scenario's name (not a file path)."""
    return bool(_NAME.fullmatch(text))


def resolve_scenario(name_or_path: str | Path) -> Path:
    """The file of a scenario given by path or by a shipped scenario's name.

    An existing file wins; otherwise a name such as ``kotabumi`` or
    ``kotabumi/competency_match`` is looked up among the shipped scenarios. Anything else is
    returned unchanged, so the caller's error names what the user typed.
    """
    path = Path(name_or_path)
    if path.is_file() or not is_scenario_name(str(name_or_path)):
        return path
    shipped = SCENARIOS_DIR / f"{name_or_path}.yaml"
    return shipped if shipped.is_file() else path


def resolve_experiment(name_or_path: str | Path) -> Path:
    """An experiment file given by path or by a shipped one's name (``reproduce_kotabumi``).

    An existing file wins; anything that is not a shipped name is returned unchanged, so the
    caller's error names what the user typed.
    """
    path = Path(name_or_path)
    if path.is_file() or not re.fullmatch(r"[a-z0-9_]+", str(name_or_path)):
        return path
    shipped = EXPERIMENTS_DIR / f"{name_or_path}.yaml"
    return shipped if shipped.is_file() else path


def resolve_roster(name_or_path: str | Path) -> Path:
    """A roster file, or ``sample`` for the shipped synthetic roster (a file of that name wins)."""
    path = Path(name_or_path)
    return SAMPLE_ROSTER if str(name_or_path) == "sample" and not path.is_file() else path


def shipped_posterior(name: str) -> Path:
    """The shipped calibrated posterior of a city: ``data/calibrated/<city>``.

    Args:
        name: A city's scenario name, or one of its variants' (``kotabumi/competency_match``
            gives Kotabumi's posterior).

    Raises:
        FileNotFoundError: If no posterior is shipped for that city (the message lists those
            that are).
    """
    city = str(name).split("/")[0]
    folder = CALIBRATED_DIR / city
    if not (folder / "posterior.parquet").is_file():
        shipped = sorted(p.parent.name for p in CALIBRATED_DIR.glob("*/posterior.parquet"))
        raise FileNotFoundError(
            f"no calibrated posterior is shipped for {city!r} (data/calibrated/); "
            f"expected one of {shipped}"
        )
    return folder


def shipped_scenarios() -> list[ShippedScenario]:
    """Every shipped scenario, cities first (alphabetically), each followed by its variants."""
    out = []
    for city in sorted(SCENARIOS_DIR.glob("*.yaml")):
        out.append(_entry(city.stem, city))
        for variant in sorted((SCENARIOS_DIR / city.stem).glob("*.yaml")):
            out.append(_entry(f"{city.stem}/{variant.stem}", variant))
    return out


def _entry(name: str, path: Path) -> ShippedScenario:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    question = " ".join(str(data.get("description", "")).split())
    return ShippedScenario(name, path, question)
