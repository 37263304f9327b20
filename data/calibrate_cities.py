"""Calibrate the five cities and write their posteriors to ``data/calibrated/<city>/``.

``python data/calibrate_cities.py [--simulations N] [--city NAME ...]`` runs ``asnsim
calibrate``'s code (:func:`asnsim.calibration.run.calibrate`) on each city's scenario with the
priors below, against the calibration targets of ``data/observed/targets.csv`` (the held-out
validation targets are never fitted; they appear only in each city's predictive check). It
keeps ``posterior.parquet``, ``manifest.json``, ``generations.csv``, ``predictive.csv`` and
the two figures; pyabc's database stays in a temporary folder. The runs go to a process pool
(``--workers``, default one per core; the posteriors are the same on any number of workers).
The budget is small, so that it runs on a laptop in minutes: the posteriors are a first
calibration, not a final one (docs/calibration.md).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from asnsim.calibration.run import calibrate
from asnsim.catalog import CALIBRATED_DIR, SCENARIOS_DIR
from asnsim.evaluators import make_executor
from asnsim.scenario import load_scenario, scenario_from_dict
from asnsim.validation import CITIES

PRIORS = {
    # routine development reaches this share of staff a year; centred on the default (0.35,
    # the LAN figure it was set from), a beta(3.5, 6.5) spans about 0.13-0.6 (assumption)
    "training.routine.share": {"dist": "beta", "a": 3.5, "b": 6.5},
    # voluntary PPPK exits during a contract, a year. DOMAIN.md gives 2-5 %/yr with no
    # Indonesian figure; the scenario's default (1 %/yr) reads that range as all PPPK exits,
    # non-renewal included, which the model counts apart (pppk_renewal_probability). The prior
    # spans both readings, 0.5-5 %/yr (assumption; no fitted target constrains it over 3 years)
    "assumptions.pppk_exit_rate": [0.005, 0.05],
    # competency a mismatched employee can reach: DOMAIN.md's 0.75-0.90 (Yuen 2010; Nordin 2010)
    "assumptions.mismatch_ceiling": [0.75, 0.9],
}
EXCLUDED = (
    # mechanisms the model does not hold yet (issue 11, item 2; data/README.md)
    "kab_kota_teacher_share_of_retirees",
    "national_newcomer_resignation_rate_2021",
)
SETTINGS = {"scale": 0.05, "horizon_years": 3}
KEPT = (
    "posterior.parquet",
    "manifest.json",
    "generations.csv",
    "predictive.csv",
    "predictive.png",
    "prior_posterior.png",
)


def city_scenario(city: str):
    """The city's scenario at the calibration's size, with the priors as its uncertainties."""
    scenario = load_scenario(SCENARIOS_DIR / f"{city}.yaml", SETTINGS)
    data = scenario.canonical() | {"uncertainties": PRIORS}
    return scenario_from_dict(data)


def main(argv: list[str] | None = None) -> int:
    """Calibrate the cities asked for (default: all five)."""
    p = argparse.ArgumentParser(prog="python data/calibrate_cities.py")
    p.add_argument("--simulations", type=int, default=240, help="per city (default 240)")
    p.add_argument("--predictive", type=int, default=10, help="predictive runs (default 10)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--city", action="append", choices=CITIES)
    p.add_argument("--out", default=str(CALIBRATED_DIR), help="default: data/calibrated")
    p.add_argument("--workers", type=int, help="processes (default: one per core)")
    args = p.parse_args(argv)
    executor, _ = make_executor("processes", workers=args.workers)
    with executor:
        for city in args.city or CITIES:
            _calibrate(city, args, executor)
    return 0


def _calibrate(city: str, args: argparse.Namespace, executor) -> None:
    """Calibrate one city in a temporary folder and copy what is kept to ``--out/<city>``."""
    start = time.time()
    work = Path(tempfile.mkdtemp(prefix=f"asnsim-calibrate-{city}-")) / "out"
    result = calibrate(
        city_scenario(city),
        work,
        city=city,
        simulations=args.simulations,
        seed=args.seed,
        exclude=EXCLUDED,
        predictive=args.predictive,
        executor=executor,
        command=f"python data/calibrate_cities.py --simulations {args.simulations} "
        f"--predictive {args.predictive} --seed {args.seed} --city {city}",
    )
    target = Path(args.out) / city
    target.mkdir(parents=True, exist_ok=True)
    for name in KEPT:
        shutil.copyfile(work / name, target / name)
    shutil.rmtree(work.parent, ignore_errors=True)
    print(f"{city}: {result.simulations} simulations in {time.time() - start:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
