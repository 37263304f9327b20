"""``asnsim calibrate``: the scenario's uncertain assumptions learned from observed targets.

:func:`calibrate` fits the priors of the scenario's ``uncertainties`` to the calibration
targets a run of the city can speak to (:mod:`asnsim.calibration.targets`) by ABC-SMC
(:mod:`asnsim.calibration.abc`); every simulation is one run of the scenario, with the
parameter set and its own seed; each batch of a generation's candidates runs through
:func:`asnsim.evaluators.evaluate` (ensemble chunks on any executor), and the result does not
depend on the executor or the chunking. It writes to the output folder (the rules of
:mod:`asnsim.outfolder`, kind ``calibration``):

- ``calibration.db``: pyabc's database (a second call resumes from it);
- ``posterior.parquet``: the last generation's parameter sets and weights;
- ``generations.csv``: epsilon, samples, acceptance rate and effective sample size per
  generation;
- ``prior_posterior.png``: prior against posterior, a panel per parameter;
- ``predictive.csv`` and ``predictive.png``: the posterior predictive check of every target
  (runs under posterior draws with fresh seeds; observed against the simulated 90 % interval);
- ``manifest.json``: targets file hash, priors, settings, seed, scenario hash and versions.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from asnsim.calibration.abc import DB_NAME, AbcResult, run_abc
from asnsim.calibration.posterior import POSTERIOR_FILE, Posterior
from asnsim.calibration.targets import fit_targets, simulated_values
from asnsim.catalog import OBSERVED_DIR
from asnsim.evaluators import Chunking, RunFailed, evaluate
from asnsim.observed import load_targets
from asnsim.outfolder import KIND_FILES, atomic_write, claim, folder_lock, write_csv, write_png
from asnsim.results import versions
from asnsim.scenario import Scenario, ScenarioError
from asnsim.validation import verdict

__all__ = ["Calibration", "ModelSimulator", "calibrate", "posterior_predictive"]


class ModelSimulator:
    """Runs of the scenario under parameter sets and seeds → the targets' values.

    Calling it with a batch runs the batch through :func:`asnsim.evaluators.evaluate` (ensemble
    chunks on ``executor``) and yields each run's values as its chunk returns; a run that
    fails, or a parameter set the scenario refuses, gives NaN for every target.

    Args:
        scenario: The scenario calibrated (its size, horizon and uncertainties).
        fit: The fitted targets (:func:`~asnsim.calibration.targets.fit_targets`).
        city: Whose own targets apply.
        executor: Where runs execute (default: this process).
        chunk: How runs are grouped into chunks (default: :class:`~asnsim.evaluators.Chunking`).
    """

    def __init__(
        self,
        scenario: Scenario,
        fit: pd.DataFrame,
        city: str,
        executor: Executor | None = None,
        chunk: Chunking | None = None,
    ):
        self.scenario = scenario
        self.fit = fit
        self.city = city
        self.executor = executor
        self.chunk = chunk
        canonical = scenario.canonical()
        self.integer = {k for k in scenario.uncertainties if type(_value_at(canonical, k)) is int}

    def scenario_of(self, parameters: dict[str, float], seed: int) -> Scenario:
        """The scenario with the parameter set (integers rounded) and the seed."""
        values = {k: int(round(v)) if k in self.integer else v for k, v in parameters.items()}
        return self.scenario.with_overrides({**values, "seed": seed})

    def __call__(
        self, parameter_sets: Sequence[dict[str, float]], seeds: Sequence[int]
    ) -> Iterator[tuple[int, dict[str, float]]]:
        """Each run's position in the batch and simulated target values, as runs finish."""
        failed = dict.fromkeys(self.fit["target"], math.nan)
        positions, scenarios = [], []
        for position, (parameters, seed) in enumerate(zip(parameter_sets, seeds, strict=True)):
            try:
                scenarios.append(self.scenario_of(parameters, seed))
            except ScenarioError:
                yield position, dict(failed)
            else:
                positions.append(position)
        for index, run in evaluate(scenarios, self.executor, self.chunk):
            if isinstance(run, RunFailed):
                yield positions[index], dict(failed)
            else:
                yield positions[index], simulated_values(run, self.fit, self.city)

    def one(self, parameters: dict[str, float], seed: int) -> dict[str, float]:
        """One run's simulated target values (e.g. synthetic targets at a known truth)."""
        return next(iter(self([parameters], [seed])))[1]


def _value_at(data: Any, key: str) -> Any:
    for part in key.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


@dataclass
class Calibration:
    """What :func:`calibrate` wrote: the posterior, diagnostics and predictive check."""

    posterior: Posterior
    generations: pd.DataFrame
    predictive: pd.DataFrame
    simulations: int
    out: Path


def _targets_file(targets: str | Path | None) -> Path:
    return Path(targets) if targets is not None else OBSERVED_DIR / "targets.csv"


def _sha256(path: Path) -> str:
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.read_bytes())
    return digest.hexdigest()


def _settings(
    scenario: Scenario,
    targets: Path,
    fit: pd.DataFrame,
    city: str,
    population: int,
    seed: int,
    exclude: list[str],
) -> dict[str, Any]:
    """What must match for a second call to continue the first."""
    return {
        "scenario_hash": scenario.hash(),
        "city": city,
        "targets_file": "data/observed/targets.csv (shipped)"
        if targets == OBSERVED_DIR / "targets.csv"
        else str(targets),
        "targets_sha256": _sha256(targets),
        "targets": list(fit["target"]),
        "excluded_targets": exclude,
        "priors": {k: p.model_dump(exclude_none=True) for k, p in scenario.priors().items()},
        "population": population,
        "seed": seed,
    }


def _check_resume(out: Path, settings: dict[str, Any], old: dict[str, Any] | None) -> None:
    if old is None or not (out / DB_NAME).exists():
        return
    previous = old.get("settings", {})
    differ = sorted(k for k in settings if previous.get(k) != settings[k])
    if differ:
        raise ScenarioError(
            [
                f"--out {out}: holds a calibration with other settings ({', '.join(differ)}); "
                "a second call continues only the same calibration; add --force to start "
                "afresh or choose another --out"
            ]
        )


def calibrate(
    scenario: Scenario,
    out: str | Path,
    targets: str | Path | None = None,
    city: str | None = None,
    simulations: int = 300,
    population: int | None = None,
    seed: int = 0,
    executor: Executor | None = None,
    chunk: Chunking | None = None,
    exclude: tuple[str, ...] = (),
    predictive: int = 20,
    progress: bool = False,
    force: bool = False,
    command: str = "",
) -> Calibration:
    """Calibrate the scenario's uncertainties to the observed targets (see the module doc).

    Args:
        scenario: A scenario with ``uncertainties`` (the priors).
        out: Output folder (new, empty, or an earlier calibration, which is continued).
        targets: Target CSV or folder (default ``data/observed/targets.csv``).
        city: Which city's own targets apply (default: the scenario's name).
        simulations: Total budget of ABC simulations (earlier calls' included).
        population: Particles per generation (default: a sixth of the budget, 20-200).
        seed: Seed of the calibration.
        executor: Where the runs execute (default: this process); the result is the same
            on any executor.
        chunk: How runs are grouped into chunks (default: :class:`~asnsim.evaluators.Chunking`).
        exclude: Target ids left out of the fit.
        predictive: Runs of the posterior predictive check.
        progress: Show progress.
        force: Start afresh in a folder holding an earlier calibration.
        command: The command line, recorded in the manifest.

    Raises:
        ScenarioError: No uncertainties, unknown excluded targets, no target to fit, or a
            folder holding another calibration.
        asnsim.outfolder.OutputFolderError: If ``out`` may not be used.
    """
    priors = scenario.priors()
    if not priors:
        raise ScenarioError(
            [
                "uncertainties: the scenario declares none; calibration needs a prior per "
                "uncertain assumption, e.g. uncertainties: {training.routine.share: [0.2, 0.5]}"
            ]
        )
    out = Path(out)
    city = city or scenario.name
    table = load_targets(targets)
    unknown = sorted(set(exclude) - set(table["target"]))
    if unknown:
        raise ScenarioError([f"--exclude: unknown target(s) {unknown}"])
    old = claim(out, "calibration", force=force, resume=True)
    _, sample = next(evaluate([scenario]))
    if isinstance(sample, RunFailed):
        raise RuntimeError(f"the scenario's own run failed:\n{sample.traceback}")
    fit = fit_targets(table[~table["target"].isin(exclude)], city, sample)
    if fit.empty:
        raise ScenarioError([f"no calibration target applies to city '{city}'"])
    population = population or int(np.clip(simulations // 6, 20, 200))
    settings = _settings(
        scenario, _targets_file(targets), fit, city, population, seed, list(exclude)
    )
    with folder_lock(out):
        if force:
            (out / DB_NAME).unlink(missing_ok=True)
        else:
            _check_resume(out, settings, old)
        resumed = old is not None and (out / DB_NAME).exists()
        runs_before = (old.get("model_runs") or 0) if resumed else 0
        _write_manifest(out, settings, simulations, command, scenario, {"model_runs": runs_before})
        simulator = ModelSimulator(scenario, fit, city, executor, chunk)
        result = run_abc(
            priors,
            simulator,
            dict(zip(fit["target"], fit["observed"], strict=True)),
            dict(zip(fit["target"], fit["scale"], strict=True)),
            out,
            simulations,
            population,
            seed,
            progress,
        )
        posterior = Posterior(
            result.posterior.drop(columns="weight"),
            result.posterior["weight"].to_numpy(),
            {},
            str(out),
        )
        check = posterior_predictive(
            posterior, scenario, table, city, predictive, seed, executor=executor, chunk=chunk
        )
        _write_outputs(out, result, posterior, priors, check, seed)
        done = {
            "simulations_done": result.simulations,
            "model_runs": runs_before + result.runs,
            "predictive_runs": predictive,
        }
        _write_manifest(out, settings, simulations, command, scenario, done)
    return Calibration(posterior, result.generations, check, result.simulations, out)


def posterior_predictive(
    posterior: Posterior,
    scenario: Scenario,
    table: pd.DataFrame,
    city: str,
    runs: int,
    seed: int,
    use: str = "all",
    executor: Executor | None = None,
    chunk: Chunking | None = None,
) -> pd.DataFrame:
    """Observed against the simulated 90 % interval of every target, under posterior draws.

    Run ``i`` takes posterior draw ``i`` and a fresh seed (spawned from ``seed``). Targets
    of both uses are checked by default: calibration targets show the fit, validation targets
    (never fitted) test it. The runs go through :func:`asnsim.evaluators.evaluate` on
    ``executor`` (default: this process).
    """
    if runs < 1:
        return pd.DataFrame()
    draws = posterior.draws(runs, seed + 1, scenario)
    seeds = np.random.SeedSequence([seed, 0x5050]).generate_state(runs)
    scenarios = [
        scenario.with_overrides({**d, "seed": int(s)}) for d, s in zip(draws, seeds, strict=True)
    ]
    finished = sorted(
        (i, r) for i, r in evaluate(scenarios, executor, chunk) if not isinstance(r, RunFailed)
    )
    outcomes = [r for _, r in finished]
    if not outcomes:
        raise RuntimeError("every posterior predictive run failed")
    fit = fit_targets(table, city, outcomes[0], use=use)
    values = pd.DataFrame([simulated_values(o, fit, city) for o in outcomes])
    rows = []
    for t in fit.itertuples():
        sim = values[t.target].dropna().to_numpy()
        p05, p95 = np.percentile(sim, [5, 95]) if len(sim) else (math.nan, math.nan)
        use_of = table.loc[table["target"] == t.target, "use"].iloc[0]
        rows.append(
            {
                "target": t.target,
                "use": use_of,
                "quantity": t.quantity,
                "unit": t.unit,
                "observed_low": t.low,
                "observed_high": t.high,
                "scale": t.scale,
                "simulated_mean": float(sim.mean()) if len(sim) else math.nan,
                "simulated_p05": float(p05),
                "simulated_p95": float(p95),
                "runs": len(sim),
                "verdict": verdict(t.low, t.high, float(p05), float(p95)),
            }
        )
    return pd.DataFrame(rows)


def _write_manifest(
    out: Path,
    settings: dict[str, Any],
    simulations: int,
    command: str,
    scenario: Scenario,
    done: dict[str, int],
) -> None:
    """Write the manifest.

    ``done``: ``simulations_done`` (pyabc's count of candidates judged), ``model_runs`` (runs
    made, candidates dropped after a generation's last particle included), ``predictive_runs``.
    """
    from importlib import metadata

    try:
        pyabc_version = metadata.version("pyabc")
    except metadata.PackageNotFoundError:  # pragma: no cover - depends on the extra
        pyabc_version = "not installed"
    manifest = {
        "kind": "calibration",
        "files": list(KIND_FILES["calibration"]),
        "command": command,
        "method": "ABC-SMC (pyabc; asnsim's batch sampler, candidates accepted in their "
        "order), distance: RMS of target differences scaled by their "
        "uncertainty (asnsim.calibration.targets)",
        "settings": settings,
        "simulations_budget": simulations,
        "simulations_done": done.get("simulations_done"),
        "model_runs": done.get("model_runs"),
        "predictive_runs": done.get("predictive_runs"),
        "scenario": scenario.canonical(),
        "versions": versions() | {"pyabc": pyabc_version},
    }
    text = json.dumps(manifest, indent=2) + "\n"
    atomic_write(out / "manifest.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _write_outputs(out: Path, result: AbcResult, posterior, priors, check, seed: int) -> None:
    frame = result.posterior
    atomic_write(out / POSTERIOR_FILE, lambda tmp: frame.to_parquet(tmp, index=False))
    write_csv(result.generations, out / "generations.csv")
    write_png(plot_prior_posterior(posterior, priors, seed), out / "prior_posterior.png")
    if not check.empty:
        write_csv(check, out / "predictive.csv")
        write_png(plot_predictive(check), out / "predictive.png")


def plot_prior_posterior(posterior: Posterior, priors, seed: int = 0) -> Figure:
    """Prior density (line) against the weighted posterior histogram, a panel per parameter."""
    names = posterior.names
    fig = Figure(figsize=(3.2 * len(names), 2.8), layout="constrained")
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    for ax, name in zip(axes, names, strict=True):
        prior = priors[name]
        low, high = prior.bounds()
        x = np.linspace(low, high, 200)
        ax.plot(x, prior.rv().pdf(x), color="grey", label="prior")
        values = posterior.parameters[name].to_numpy()
        ax.hist(
            values,
            bins=20,
            range=(low, high),
            weights=posterior.weights,
            density=True,
            color="#2a6f97",
            alpha=0.7,
            label="posterior",
        )
        ax.set_title(name, fontsize=8)
        ax.tick_params(labelsize=7)
    axes[0].legend(fontsize=7)
    return fig


_CLIP = 8.0  # scales: a target farther off is drawn at the edge


def plot_predictive(check: pd.DataFrame) -> Figure:
    """Each target's simulated 90 % interval and observed value, in units of its scale."""
    colours = {"hit": "#2a9d4a", "miss_low": "#c0392b", "miss_high": "#c0392b"}
    mid = (check["observed_low"] + check["observed_high"]) / 2
    z = lambda v: ((v - mid) / check["scale"]).clip(-_CLIP, _CLIP)  # noqa: E731
    y = np.arange(len(check))[::-1]
    fig = Figure(figsize=(8, 0.3 * len(check) + 1.2), layout="constrained")
    ax = fig.subplots()
    colour = [colours.get(v, "grey") for v in check["verdict"]]
    ax.hlines(
        y, z(check["simulated_p05"]), z(check["simulated_p95"]), colors=colour, lw=5, alpha=0.6
    )
    ax.scatter(z(check["simulated_mean"]), y, color=colour, s=14, zorder=3)
    ax.hlines(y, z(check["observed_low"]), z(check["observed_high"]), colors="black", lw=2)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlim(-_CLIP - 0.5, _CLIP + 0.5)
    labels = [f"{t} ({u[0]})" for t, u in zip(check["target"], check["use"], strict=True)]
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_xlabel(
        f"(simulated - observed) / scale, clipped at ±{_CLIP:g}; c calibration, v validation",
        fontsize=8,
    )
    ax.set_title(
        "Posterior predictive: 90 % interval (green hit, red miss), observed black", fontsize=9
    )
    return fig
