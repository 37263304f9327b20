"""Starting load of every service unit of a scenario, to calibrate ``demand_per_day`` by hand.

Load of a unit = expected new requests per day × effort_hours ÷ the staff hours it can give
that day (hours × share on service × competency × motivation × digital support, as the model
computes them), i.e. ``queues.demand_rate(0) / (hours / effort_hours)``. A load above 1 means the
queue grows from the first day. Rework and the yearly demand cycle (``city.seasonality``) come
on top of this, so a unit calibrated at 0.95 runs near 1 at the seasonal peak.

The script only reads and prints; the YAML numbers are edited by hand (keep them round).

Usage (from the repository root)::

    .venv/bin/python data/calibrate.py scenarios/padang.yaml [more.yaml ...]
    .venv/bin/python data/calibrate.py scenarios/padang.yaml --target 0.9   # suggest demand
    .venv/bin/python data/calibrate.py scenarios/*.yaml --run --scale 0.1   # full run too
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd

from asnsim.model import ASNModel
from asnsim.scenario import load_scenario


def unit_kinds(scenario) -> list[int]:
    """Index of the scenario's unit kind (``city.units`` entry) of every service point."""
    return [i for i, spec in enumerate(scenario.city.units) for _ in range(spec.count)]


def start_loads(model: ASNModel) -> pd.DataFrame:
    """One row per service point: staff, capacity in requests/day, demand and load at day 0."""
    hours, competency = model._unit_capacity()
    units = model.units
    capacity = hours / model.service.effort_hours
    demand = model.queues.demand_rate(0)
    staff = np.bincount(model.workforce.unit, minlength=len(units))
    with np.errstate(divide="ignore", invalid="ignore"):
        load = np.where(capacity > 0, demand / capacity, np.inf)
    return pd.DataFrame(
        {
            "kind": unit_kinds(model.spec),
            "unit": units.name,
            "sector": [units.sectors[s] for s in units.sector],
            "formation": units.formation,
            "staff": staff,
            "competency": competency,
            "capacity": capacity,
            "demand": demand,
            "load": load,
        }
    )


def by_kind(frame: pd.DataFrame, scenario, target: float | None) -> pd.DataFrame:
    """Loads summarised per unit kind, with the demand that would give ``target`` load."""
    g = frame.groupby("kind")
    out = pd.DataFrame(
        {
            "name": [scenario.city.units[k].name for k in g.groups],
            "sector": g["sector"].first(),
            "n": g.size(),
            "staff": g["staff"].mean().round(1),
            "comp": g["competency"].mean().round(3),
            "cap/day": g["capacity"].mean().round(1),
            "dem/day": g["demand"].mean().round(1),
            "load": g["load"].mean().round(3),
            "load_min": g["load"].min().round(3),
            "load_max": g["load"].max().round(3),
        }
    )
    if target is not None:
        scale = scenario.scale
        out[f"demand@{target}"] = (target * g["capacity"].mean() / scale).round(1)
    return out


def sector_shares(model: ASNModel) -> pd.DataFrame:
    """Formation and starting staff by sector, as counts and shares."""
    units = model.units
    staff = np.bincount(model.workforce.unit, minlength=len(units))
    frame = (
        pd.DataFrame(
            {
                "sector": [units.sectors[s] for s in units.sector],
                "formation": units.formation,
                "staff": staff,
            }
        )
        .groupby("sector", sort=False)
        .sum()
    )
    frame["formation_share"] = (frame["formation"] / frame["formation"].sum()).round(3)
    frame["staff_share"] = (frame["staff"] / frame["staff"].sum()).round(3)
    return frame


def report(path: str, scale: float, target: float | None, run: bool) -> None:
    """Print a scenario's sizes, sector shares and starting loads; optionally run it."""
    scenario = load_scenario(path, scale=scale)
    model = ASNModel(scenario)
    frame = start_loads(model)
    wf = scenario.city.workforce
    formation = int(model.units.formation.sum())
    print(f"\n=== {path}  (scale {scale})")
    print(
        f"{scenario.city.name}: population {scenario.city.population:,}, headcount "
        f"{len(model.workforce):,} (scenario {wf.headcount:,}), formation {formation:,}, "
        f"fill {len(model.workforce) / formation:.3f}, service points {len(model.units)}, "
        f"ASN per 1,000 people {wf.headcount / scenario.city.population * 1000:.2f}"
    )
    print(sector_shares(model).to_string())
    print(by_kind(frame, scenario, target).to_string(index=False))
    city_load = frame["demand"].sum() / frame["capacity"].sum()
    print(
        f"city load (demand-weighted) {city_load:.3f}; points with load > 0.95: "
        f"{(frame['load'] > 0.95).sum()}, > 1.0: {(frame['load'] > 1.0).sum()}"
    )
    if not run:
        return
    t0 = time.perf_counter()
    outcomes = model.run(progress=False)
    city = outcomes.city()
    cols = [
        "year",
        "ikm_true",
        "ikm",
        "wait_mean_days",
        "wait_p90_days",
        "abandon_rate",
        "rework_rate",
        "backlog",
        "headcount",
        "vacancies",
        "motivation_mean",
        "competency_mean",
        "matched_share",
    ]
    print(f"run: {time.perf_counter() - t0:.1f} s")
    print(city[cols].round(3).to_string(index=False))
    annual = outcomes.annual()
    annual["kind"] = np.tile(unit_kinds(scenario), annual["year"].nunique())
    last = annual["year"].max()
    per_kind = (
        annual[annual["year"].isin([1, last])]
        .groupby(["kind", "year"])[["ikm_true", "wait_mean_days", "abandon_rate", "backlog"]]
        .mean()
        .unstack("year")
        .round(3)
    )
    per_kind.columns = [f"{col}_y{year}" for col, year in per_kind.columns]
    per_kind.insert(0, "name", [scenario.city.units[k].name for k in per_kind.index])
    print(per_kind.to_string(index=False))


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="scenario YAML files")
    parser.add_argument("--scale", type=float, default=1.0, help="scenario scale (default 1)")
    parser.add_argument(
        "--target",
        type=float,
        default=None,
        help="print the demand_per_day (at scale 1) giving this load",
    )
    parser.add_argument("--run", action="store_true", help="also run to the horizon")
    args = parser.parse_args(argv)
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 40)
    for path in args.paths:
        report(path, args.scale, args.target, args.run)


if __name__ == "__main__":
    sys.exit(main())
