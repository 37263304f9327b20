"""The validation report: the five cities against the observed targets (``data/observed``).

``asnsim validation`` runs every city with replications through the experiment machinery (so
runs go to the process pool or a Dask cluster), then compares each target whose scope the
runs can speak to:

- a modelled city (``padang``) or one of its units (``padang/Puskesmas Lubuk Begalung``);
- ``kab_kota``: a typical kabupaten/kota, compared with each city in turn (one row per city);
- ``national``: the five cities pooled, each year of each replication (rates weighted by
  headcount, PNS shares by PNS, IKM by citizens served); ``national/<sector>`` pools the units
  of one sector.

Targets of other places are anchors (they fed a derived ``kab_kota`` target, or wait for later
model work) and are listed, not compared.

Every simulated year of every replication is one draw of the quantity; the 90 % interval is
the 5th to 95th percentile of the draws. A target is a ``hit`` when its observed value or
range overlaps that interval, else ``miss_low`` (the model is below) or ``miss_high``; a
quantity the model does not compute yet is ``not_simulated``. Each miss carries the likely
reason from :data:`LIKELY_REASONS`.

``python -m asnsim.validation --doc RUN_DIR`` writes ``docs/validation.md`` (with the run's
``validation.csv``, ``validation.json`` and figure) from a finished run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from asnsim.catalog import SCENARIOS_DIR
from asnsim.observed import load_targets, target_bounds
from asnsim.outfolder import KIND_FILES, atomic_write, claim, folder_lock, write_csv, write_png
from asnsim.scenario import ScenarioError

__all__ = [
    "CITIES",
    "LIKELY_REASONS",
    "VALIDATION_COLUMNS",
    "compare_targets",
    "draws_from_store",
    "fitted_targets",
    "likely_reason",
    "plot_validation",
    "render_doc",
    "run_validation",
    "simulated_draws",
    "with_derived_columns",
    "verdict",
    "write_doc",
]

ROOT = Path(__file__).resolve().parents[1]
CITIES = ("padang", "kotabumi", "palembang", "medan", "kupang")
"""The scenarios (``scenarios/<city>.yaml``) of the five source documents."""

DOCS = ROOT / "docs"

VALIDATION_COLUMNS = (
    "target",
    "use",
    "quantity",
    "scope",
    "compared_with",
    "year",
    "unit",
    "confidence",
    "observed_low",
    "observed_high",
    "simulated_mean",
    "simulated_p05",
    "simulated_p95",
    "draws",
    "verdict",
    "likely_reason",
    "source",
    "observed_ref",
    "fitted",
)

# Pooling across cities: the weight of each city's value in a national figure.
_WEIGHTS = {
    "retirement_rate": "headcount_start",
    "resignation_rate": "headcount_start",
    "pppk_share": "headcount",
    "age_51_60_share": "headcount",
    "teacher_share_of_retirees": "retirements",
    "newcomer_resignation_rate": "hires",
    "age_mean_pns": "pns",
    "age_31_40_share_pns": "pns",
    "age_41_50_share_pns": "pns",
    "age_51_60_share_pns": "pns",
    "jp20_share": "pns",
    "ikm": "served",
}

LIKELY_REASONS: tuple[tuple[str, str, str, str], ...] = (
    # (quantity prefix, verdict or "*", "unit" for a named unit's target or "*", reason)
    (
        "retirement_rate",
        "miss_low",
        "*",
        "Starting ages are the national 2023 bands, not the city's, flat within a band; "
        "young recruits then lower the age mix.",
    ),
    (
        "retirement_rate",
        "miss_high",
        "*",
        "Starting ages are the national 2023 bands, not the city's: too many start at 51-60.",
    ),
    (
        "age_",
        "*",
        "*",
        "Starting ages are the national 2023 PNS bands for PNS and PPPK alike, flat within a "
        "band (OBSERVED.md §1.2); later years follow the model's hires and exits.",
    ),
    (
        "pppk_share",
        "*",
        "*",
        "A scenario input that recruitment's PPPK share, contract non-renewals and exits "
        "drift; the city's PPPK waves are not replayed unless city.workforce.formasi says so.",
    ),
    (
        "teacher_share_of_retirees",
        "*",
        "*",
        "Teachers are the functional staff of the scenario's schools (about 36% of these "
        "cities' staff; 64% of local PNS nationally, OBSERVED.md §1.5) and start with the "
        "same age bands as the others.",
    ),
    (
        "newcomer_resignation_rate",
        "miss_high",
        "*",
        "An unwanted placement is a post outside one's field; status-quo recruitment and "
        "placement ignore field, so many newcomers land there and 12% of them resign.",
    ),
    (
        "unwanted_placement_resignation_rate",
        "not_simulated",
        "*",
        "An input, not an outcome: assumptions.unwanted_placement_resignation_probability.",
    ),
    (
        "jp20_share",
        "miss_low",
        "*",
        "Routine development (training.routine.share, calibrated on this figure) reaches too "
        "few PNS, or too few reach 20 JP; the observed figure is a proxy, not a head-count.",
    ),
    (
        "ikm",
        "miss_low",
        "unit",
        "A neutral unit: no source says how it differs from the city's others of its kind, so "
        "its attributes are drawn like theirs; under an independent survey the model's level is "
        "about 82, and the city's own survey found this unit higher.",
    ),
    (
        "ikm_unit_spread",
        "miss_high",
        "*",
        "The unit attribute spread is set at full scale; at a small scale units with a "
        "handful of staff spread more (ODD 7.7).",
    ),
    (
        "ikm_unit_",
        "*",
        "*",
        "Under an independent survey the model's level is the mean third-party kab/kota level "
        "(about 82, OBSERVED.md §2.2); this city's own survey found its units higher.",
    ),
    (
        "band_a_share",
        "*",
        "*",
        "Under an independent survey the model's level (about 82, the mean third-party "
        "kab/kota level) leaves units below band A; this city's survey found more.",
    ),
    (
        "ikm",
        "miss_high",
        "*",
        "The five cities' units are assumed better equipped than the average region, and the "
        "model's independent level is the mean third-party kab/kota survey (about 82), "
        "above the one national independent survey.",
    ),
    (
        "ikm",
        "miss_low",
        "*",
        "Under an independent survey the model's level is the mean third-party kab/kota level "
        "(about 82, OBSERVED.md §2.2); this city's survey found more.",
    ),
    ("", "not_simulated", "*", "Not computed by the model."),
)
"""Likely reason of a miss, by quantity (prefix), verdict and scope; the first match wins."""


# ---------------------------------------------------------------------- comparing


def verdict(obs_low: float, obs_high: float, sim_low: float, sim_high: float) -> str:
    """``hit`` if the observed range overlaps the simulated interval, else the miss's side.

    Returns:
        ``hit``, ``miss_low`` (simulated below observed), ``miss_high`` (above), or
        ``not_simulated`` when the simulated interval is undefined (NaN).
    """
    if np.isnan(sim_low) or np.isnan(sim_high):
        return "not_simulated"
    if sim_high < obs_low:
        return "miss_low"
    if sim_low > obs_high:
        return "miss_high"
    return "hit"


def likely_reason(quantity: str, result: str, unit_scope: bool = False) -> str:
    """The likely reason of a verdict other than ``hit`` (from :data:`LIKELY_REASONS`).

    Args:
        quantity: The target's quantity.
        result: Its verdict.
        unit_scope: Whether the target is a named unit's (``city/unit``).
    """
    if result in ("hit", "anchor"):
        return ""
    for prefix, which, scope, reason in LIKELY_REASONS:
        if quantity.startswith(prefix) and which in ("*", result) and (scope == "*" or unit_scope):
            return reason
    return "Not yet diagnosed."


def _interval(values: np.ndarray) -> tuple[float, float, float, int]:
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if not len(values):
        return np.nan, np.nan, np.nan, 0
    low, high = np.quantile(values, [0.05, 0.95])
    return float(values.mean()), float(low), float(high), len(values)


def _pooled(frame: pd.DataFrame, quantity: str) -> np.ndarray:
    """Per (replication, year): the cities' values pooled with the quantity's weight."""
    weight = _WEIGHTS.get(quantity)
    if weight is None or quantity not in frame:
        return np.array([])
    df = frame[["replication", "year", quantity, weight]].dropna()
    df = df.assign(_wv=df[quantity] * df[weight])
    grouped = df.groupby(["replication", "year"])[["_wv", weight]].sum()
    return (grouped["_wv"] / grouped[weight]).to_numpy()


def _sector_ikm(units: pd.DataFrame, sector: str, cities: Sequence[str] | None) -> np.ndarray:
    """Per (replication, year): citizens-served-weighted IKM of one sector's units."""
    df = units[(units["sector"] == sector) & units["ikm"].notna() & (units["served"] > 0)]
    if cities is not None:
        df = df[df["city"].isin(cities)]
    df = df.assign(_wv=df["ikm"] * df["served"])
    grouped = df.groupby(["replication", "year"])[["_wv", "served"]].sum()
    return (grouped["_wv"] / grouped["served"]).to_numpy()


def simulated_draws(
    target: pd.Series, city: pd.DataFrame, units: pd.DataFrame, cities: Sequence[str]
) -> list[tuple[str, np.ndarray | None]]:
    """(compared_with, draws) pairs of a target.

    Draws are None where the model lacks the quantity; the list is empty for another place.
    """
    q = target["quantity"]
    scope, _, part = target["scope"].partition("/")
    has = q in city.columns
    if scope == "kab_kota":
        return [(c, city.loc[city["city"] == c, q].to_numpy() if has else None) for c in cities]
    if scope == "national" and not part:
        return [("5 cities pooled", _pooled(city, q) if has else None)]
    if scope == "national" and q == "ikm":
        return [(f"{part} units of 5 cities", _sector_ikm(units, part, None))]
    if scope in cities and not part:
        return [(scope, city.loc[city["city"] == scope, q].to_numpy() if has else None)]
    if scope in cities and q in units.columns:
        rows = units[(units["city"] == scope) & (units["unit_name"] == part)]
        return [(f"{scope}: {part}", rows[q].to_numpy())]
    if scope in cities or scope == "national":
        return [(target["scope"], None)]
    return []


def _is_unit_scope(scope: str, cities: Sequence[str]) -> bool:
    head, _, part = scope.partition("/")
    return head in cities and bool(part)


def compare_targets(
    targets: pd.DataFrame,
    city: pd.DataFrame,
    units: pd.DataFrame,
    cities: Sequence[str],
    fitted: Mapping[str, Collection[str]] | None = None,
) -> pd.DataFrame:
    """One row per target and place compared (see the module docstring).

    Args:
        targets: From :func:`~asnsim.observed.load_targets`.
        city: City rows of every run: ``city``, ``replication``, ``year`` and the city columns
            (see :func:`draws_from_store`).
        units: Unit rows of every run: ``city``, ``replication``, ``year``, ``unit_name``,
            ``sector``, ``ikm``, ``served``.
        cities: The cities that were run.
        fitted: Under calibrated posteriors, each city's fitted targets (its manifest's
            ``settings.targets``): a row is ``fitted`` ``yes`` when every city it speaks for
            (one city; all of them for a ``national`` target) was fitted to it, else ``no``.
            Without posteriors the column is empty.

    Returns:
        The columns of :data:`VALIDATION_COLUMNS`.
    """
    rows = []
    for _, t in targets.iterrows():
        low, high = target_bounds(t)
        base = {
            "target": t["target"],
            "use": t["use"],
            "quantity": t["quantity"],
            "scope": t["scope"],
            "year": t["year"],
            "unit": t["unit"],
            "confidence": t["confidence"],
            "observed_low": low,
            "observed_high": high,
            "source": t["source"],
            "observed_ref": t["observed_ref"],
        }
        compared = simulated_draws(t, city, units, cities)

        if not compared:
            rows.append(base | {"compared_with": "", "draws": 0, "verdict": "anchor"})
            continue
        for where, values in compared:
            mean, p05, p95, n = _interval(values if values is not None else [])
            result = "not_simulated" if values is None else verdict(low, high, p05, p95)
            if fitted is not None:
                base["fitted"] = _fitted(t, where, cities, fitted)
            rows.append(
                base
                | {
                    "compared_with": where,
                    "simulated_mean": mean,
                    "simulated_p05": p05,
                    "simulated_p95": p95,
                    "draws": n,
                    "verdict": result,
                    "likely_reason": likely_reason(
                        t["quantity"], result, _is_unit_scope(t["scope"], cities)
                    ),
                }
            )
    return _with_text_cells(pd.DataFrame(rows).reindex(columns=list(VALIDATION_COLUMNS)))


def _with_text_cells(table: pd.DataFrame) -> pd.DataFrame:
    """Empty text cells as '' (a column read back from CSV may be all NaN)."""
    text = ("compared_with", "likely_reason", "fitted")
    return table.assign(**{c: table[c].astype(object).fillna("") for c in text})


def _fitted(
    target: pd.Series, where: str, cities: Sequence[str], fitted: Mapping[str, Collection[str]]
) -> str:
    """``yes`` if every city the comparison reads was fitted to the target, else ``no``.

    A ``kab_kota`` comparison reads the city compared with, a city's target that city, and a
    national target every city.
    """
    head = target["scope"].partition("/")[0]
    own = [where] if head == "kab_kota" else [head]
    speaks_for = own if head == "kab_kota" or head in cities else list(cities)
    return "yes" if all(target["target"] in fitted.get(c, ()) for c in speaks_for) else "no"


# ---------------------------------------------------------------------- running


def _write_manifest(out: Path, cities: Sequence[str]) -> None:
    """The validation folder's manifest: its kind and the files and city folders it holds."""
    text = json.dumps({"kind": "validation", "files": [*KIND_FILES["validation"], *cities]})
    atomic_write(out / "manifest.json", lambda tmp: tmp.write_text(text + "\n"))


def _city_spec(
    city: str,
    replications: int,
    scale: float,
    years: int,
    seed: int,
    posterior: str | Path | None = None,
):
    from asnsim.experiment import ExperimentSpec

    extra = {} if posterior is None else {"posterior": str(Path(posterior) / city)}
    return ExperimentSpec(
        name=f"validation-{city}",
        scenario=str(SCENARIOS_DIR / f"{city}.yaml"),
        overrides={"scale": scale, "horizon_years": years},
        replications=replications,
        master_seed=seed,
        **extra,
    )


def draws_from_store(store, city: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The city and unit rows of one city's finished runs, tagged for pooling.

    Adds ``city``, ``replication``, ``pns`` (PNS at the year's end), ``ikm_unit_spread``
    (max - min of unit IKM) to the city rows.
    """
    summaries = store.summaries()
    replication = dict(zip(summaries["run_id"], summaries["replication"], strict=True))
    frames = []
    for name in ("city", "annual"):
        df = store.table(name)
        df = df.assign(city=city, replication=df["run_id"].map(replication))
        frames.append(df)
    city_rows, units = frames
    return with_derived_columns(city_rows), units[UNIT_COLUMNS]


UNIT_COLUMNS = ["city", "replication", "year", "unit_name", "sector", "ikm", "served"]
"""The unit columns :func:`compare_targets` reads."""


def with_derived_columns(city_rows: pd.DataFrame) -> pd.DataFrame:
    """City rows with ``pns`` (PNS at the year's end) and ``ikm_unit_spread`` added."""
    return city_rows.assign(
        pns=city_rows["headcount"] * (1.0 - city_rows["pppk_share"]),
        ikm_unit_spread=city_rows["ikm_unit_max"] - city_rows["ikm_unit_min"],
    )


def run_validation(
    out: str | Path,
    executor: Executor,
    replications: int = 5,
    scale: float = 0.25,
    years: int = 5,
    seed: int = 0,
    cities: Sequence[str] = CITIES,
    targets: str | Path | None = None,
    progress: bool | None = None,
    force: bool = False,
    posterior: str | Path | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Run the cities and write ``validation.csv``, ``validation.json`` and ``validation.png``.

    The folder follows the output-folder rules (:mod:`asnsim.outfolder`): it must be new,
    empty or an earlier validation (which resumes); it is locked while the cities run, and
    every file is written atomically, the CSV with its text cells escaped for spreadsheets.

    Args:
        out: Output folder (each city's runs are stored in ``out/<city>/``; a rerun resumes).
        executor: Where runs execute.
        replications: Replications per city.
        scale: Size of each city (1 = full).
        years: Simulated years; each year of each replication is one draw.
        seed: Master seed of the replications (replication r has the same seed in every city).
        cities: Scenario names under ``scenarios/``.
        targets: Target table or folder (default ``data/observed``).
        progress: Show progress bars.
        force: Replace a city's earlier runs made with other settings (``--force``).
        posterior: A folder holding a calibrated posterior per city (``<city>/``; e.g.
            ``data/calibrated``): replication r of a city runs under its posterior's draw r,
            so every target is compared with the posterior predictive.

    Returns:
        The validation table and the failed runs (run id → traceback).

    Raises:
        asnsim.outfolder.OutputFolderError: If ``out`` may not be used (before any run).
    """
    table_targets = load_targets(targets)
    out = Path(out)
    claim(out, "validation", force=force, resume=True)
    with folder_lock(out):
        _write_manifest(out, cities)  # first, so that a killed validation resumes
        table, meta, failures = _run_cities(
            out,
            executor,
            table_targets,
            replications,
            scale,
            years,
            seed,
            cities,
            progress,
            force,
            posterior,
        )
        write_csv(table, out / "validation.csv")
        text = json.dumps(meta, indent=2) + "\n"
        atomic_write(out / "validation.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))
        write_png(plot_validation(table), out / "validation.png", dpi=100)
    return table, failures


def _run_cities(
    out: Path,
    executor: Executor,
    table_targets: pd.DataFrame,
    replications: int,
    scale: float,
    years: int,
    seed: int,
    cities: Sequence[str],
    progress: bool | None,
    force: bool,
    posterior: str | Path | None = None,
) -> tuple[pd.DataFrame, dict[str, Any], dict[str, str]]:
    """Run (or resume) each city's runs in ``out/<city>/`` and compare them with the targets."""
    from asnsim.experiment import run_experiment
    from asnsim.store import RunStore

    city_frames, unit_frames, failures = [], [], {}
    for city in cities:
        store = RunStore(out / city, force=force)
        spec = _city_spec(city, replications, scale, years, seed, posterior)
        try:
            result = run_experiment(spec, store, executor, progress=progress)
        except ValueError as err:  # a bad override, or the folder holds other runs
            raise ScenarioError([f"{city}: {err}"]) from None
        failures |= {f"{city}/{k}": v for k, v in result.failures.items()}
        if not result.summaries.empty:
            c, u = draws_from_store(store, city)
            city_frames.append(c)
            unit_frames.append(u)
    if not city_frames:
        raise RuntimeError(f"every validation run failed; tracebacks under {out}/")
    fitted = None if posterior is None else fitted_targets(posterior, cities)
    table = compare_targets(
        table_targets, pd.concat(city_frames), pd.concat(unit_frames), list(cities), fitted
    )
    meta = {
        "command": (
            f"asnsim validation --replications {replications} --scale {scale:g} "
            f"--years {years} --seed {seed}"
            + (f" --posterior {posterior}" if posterior is not None else "")
        ),
        "replications": replications,
        "scale": scale,
        "years": years,
        "seed": seed,
        "cities": list(cities),
        "failed_runs": len(failures),
    }
    if fitted is not None:
        meta["posterior"] = str(posterior)
        meta["fitted"] = fitted
    return table, meta, failures


def fitted_targets(posterior: str | Path, cities: Sequence[str]) -> dict[str, list[str]]:
    """Each city's fitted targets, from its posterior's manifest (``<posterior>/<city>``)."""
    from asnsim.calibration.posterior import load_posterior

    manifests = {c: load_posterior(Path(posterior) / c).manifest for c in cities}
    return {c: list(m.get("settings", {}).get("targets", [])) for c, m in manifests.items()}


# ---------------------------------------------------------------------- figure

_UNIT_LABELS = {
    "ikm_points": "IKM points",
    "share": "share",
    "share_per_year": "share per year",
    "years": "years",
}
_VERDICT_COLOURS = {"hit": "#2a9d4a", "miss_low": "#c0392b", "miss_high": "#c0392b"}


def plot_validation(table: pd.DataFrame) -> Figure:
    """Observed value or range against the simulated 90 % interval, a panel per unit.

    Observed in black; the simulated interval and mean in green (hit) or red (miss).
    """
    shown = table[table["verdict"].isin(list(_VERDICT_COLOURS))]
    panel = shown["unit"].where(
        ~shown["quantity"].str.endswith("_spread"), shown["unit"] + " (spread)"
    )
    groups = list(shown.groupby(panel, sort=True))
    heights = [max(1.5, 0.32 * len(g) + 0.8) for _, g in groups] or [1.5]
    fig = Figure(figsize=(10, sum(heights) + 0.6), layout="constrained")
    axes = fig.subplots(len(heights), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)
    for ax, (unit, g) in zip(axes[:, 0], groups, strict=False):
        y = np.arange(len(g))[::-1]
        colour = [_VERDICT_COLOURS[v] for v in g["verdict"]]
        ax.hlines(y, g["simulated_p05"], g["simulated_p95"], colors=colour, lw=5, alpha=0.6)
        ax.scatter(g["simulated_mean"], y, color=colour, s=18, zorder=3, label="simulated")
        ax.hlines(y, g["observed_low"], g["observed_high"], colors="black", lw=2)
        ax.scatter(g["observed_low"], y, marker="|", color="black", s=120, label="observed")
        ax.scatter(g["observed_high"], y, marker="|", color="black", s=120)
        labels = [
            f"{t} [{c}]" if c and not c.startswith(s) else t
            for t, c, s in zip(g["target"], g["compared_with"], g["scope"], strict=True)
        ]
        ax.set_yticks(y, labels, fontsize=7)
        ax.set_xlabel(_UNIT_LABELS.get(unit, unit.replace("ikm_points", "IKM points")), fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", alpha=0.3)
    axes[0, 0].set_title(
        "Observed (black) vs simulated 90 % interval (green hit, red miss)", fontsize=9
    )
    return fig


# ---------------------------------------------------------------------- the doc


def _fmt(value: float, unit: str) -> str:
    if pd.isna(value):
        return "–"
    if unit in ("share", "share_per_year"):
        return f"{100 * value:.1f} %"
    return f"{value:.2f}" if unit == "ikm_points" else f"{value:.1f}"


def _observed(row) -> str:
    low, high = _fmt(row.observed_low, row.unit), _fmt(row.observed_high, row.unit)
    return low if low == high else f"{low} – {high}"


def _simulated_text(row) -> str:
    if row.verdict in ("not_simulated", "anchor"):
        return "–"
    return (
        f"{_fmt(row.simulated_mean, row.unit)} "
        f"[{_fmt(row.simulated_p05, row.unit)}, {_fmt(row.simulated_p95, row.unit)}]"
    )


_VERDICT_TEXT = {
    "hit": "hit",
    "miss_low": "**miss** (model low)",
    "miss_high": "**miss** (model high)",
    "not_simulated": "not simulated",
    "anchor": "anchor",
}


_SHORT_VERDICT = {
    "hit": "hit",
    "miss_low": "miss (low)",
    "miss_high": "miss (high)",
    "not_simulated": "not simulated",
}


def _short(verdict_: str) -> str:
    return _SHORT_VERDICT.get(verdict_, verdict_)


def _key(row) -> tuple[str, str]:
    return (row.target, row.compared_with)


def _fixed_text(row, fixed: dict[tuple[str, str], Any] | None) -> str:
    """The fixed-assumption model's mean and verdict for the same comparison."""
    old = fixed.get(_key(row)) if fixed else None
    if old is None:
        return "–"
    if old.verdict in ("not_simulated", "anchor"):
        return _short(old.verdict)
    return f"{_fmt(old.simulated_mean, old.unit)}, {_short(old.verdict)}"


def _result_table(
    rows: pd.DataFrame,
    fixed: dict[tuple[str, str], Any] | None = None,
    show_fitted: bool = False,
) -> list[str]:
    head = ["target", "compared with", "year", "observed", "simulated mean [90 % interval]"]
    head += ["verdict"] + (["fitted"] if show_fitted else [])
    head += (["fixed assumptions"] if fixed else []) + ["likely reason"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows.itertuples():
        cells = [
            f"`{r.target}`",
            r.compared_with,
            r.year,
            _observed(r),
            _simulated_text(r),
            _VERDICT_TEXT.get(r.verdict, r.verdict),
        ]
        cells += [r.fitted or "no"] if show_fitted else []
        cells += [_fixed_text(r, fixed)] if fixed else []
        cells.append(r.likely_reason if isinstance(r.likely_reason, str) else "")
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return lines


def _clean(table: pd.DataFrame) -> pd.DataFrame:
    """A validation table read back from CSV, with empty text cells as ''."""
    return _with_text_cells(table.reindex(columns=list(VALIDATION_COLUMNS)))


def _counts(table: pd.DataFrame, use: str) -> tuple[int, int, int]:
    """Hits, misses and not simulated among one use's comparisons."""
    verdicts = table.loc[(table["use"] == use) & (table["verdict"] != "anchor"), "verdict"]
    misses = int(verdicts.isin(["miss_low", "miss_high"]).sum())
    return int((verdicts == "hit").sum()), misses, int((verdicts == "not_simulated").sum())


def verdict_changes(table: pd.DataFrame, fixed: pd.DataFrame) -> pd.DataFrame:
    """The comparisons whose verdict differs between two validation tables.

    Args:
        table: The validation under the calibrated posteriors.
        fixed: The validation of the fixed-assumption model (same targets and cities).

    Returns:
        ``target``, ``use``, ``compared_with``, ``fitted``, ``fixed`` (the fixed model's
        verdict) and ``posterior`` (the verdict under the posteriors), one row per change.
    """
    keys = ["target", "compared_with"]
    both = _clean(table).merge(_clean(fixed)[[*keys, "verdict"]], on=keys, suffixes=("", "_fixed"))
    changed = both[both["verdict"] != both["verdict_fixed"]]
    return changed.rename(columns={"verdict_fixed": "fixed", "verdict": "posterior"})[
        ["target", "use", "compared_with", "fitted", "fixed", "posterior"]
    ].reset_index(drop=True)


def render_doc(
    table: pd.DataFrame,
    meta: dict[str, Any],
    fixed: pd.DataFrame | None = None,
    fixed_meta: dict[str, Any] | None = None,
) -> str:
    """``docs/validation.md`` from a validation table and its run's metadata.

    Args:
        table: The validation table (:func:`compare_targets`).
        meta: Its run's ``validation.json``.
        fixed: Under calibrated posteriors, the fixed-assumption model's table of the same
            targets: each row then shows its verdict beside, and a section lists the changes.
        fixed_meta: That run's ``validation.json``.
    """
    table = _clean(table)
    compared = table[table["verdict"] != "anchor"]
    under_posterior = bool(meta.get("posterior"))
    lookup = None if fixed is None else {_key(r): r for r in _clean(fixed).itertuples()}
    produced = [f"{meta['command']} --out results/validation"]
    doc_command = "python -m asnsim.validation --doc results/validation"
    if fixed_meta is not None:
        produced.append(f"{fixed_meta['command']} --out results/validation-fixed")
        doc_command += " --fixed results/validation-fixed"
    model = "under the cities' calibrated posteriors" if under_posterior else "as it stands"
    lines = [
        "# Validation against observed figures",
        "",
        "<!-- Generated by `python -m asnsim.validation --doc RUN_DIR` from validation.csv; "
        "do not edit by hand. -->",
        "",
        f"How far the model, {model}, reproduces the published figures of "
        "`data/observed/targets.csv` (sources and the row of `OBSERVED.md` for each are in "
        "that file and in [validation/validation.csv](validation/validation.csv)). "
        "`data/README.md` explains which figures set defaults (calibration) and which were "
        "held out to test the model (validation).",
        "",
        "Produced with:",
        "",
        "```",
        *produced,
        doc_command,
        "```",
        "",
        f"Cities: {', '.join(meta['cities'])}; {meta['replications']} replications at scale "
        f"{meta['scale']:g}, {meta['years']} simulated years, master seed {meta['seed']}; "
        f"{meta['failed_runs']} failed runs.",
        "",
        "## How to read it",
        "",
        "- Each simulated year of each replication is one draw of a quantity; the interval is "
        "the 5th to 95th percentile of the draws. Simulated years are not calendar years: the "
        "scenarios describe the cities as of about 2025, and each observed year is compared "
        "with the whole simulated window.",
        "- **hit**: the observed value (or range) overlaps the 90 % interval; **miss**: it "
        "does not, with the side the model is on and the likely reason (the table at the "
        "end). **not simulated**: the model does not compute the quantity yet. **anchor**: "
        "a figure of another place, kept as a reference (for a derived `kab_kota` target or "
        "for later model work), not compared.",
        "- `kab_kota` targets (a typical kabupaten/kota) are compared with each city; "
        "`national` targets with the five cities pooled (rates weighted by headcount, PNS "
        "shares by PNS, IKM by citizens served). National figures include central "
        "government, which the model does not hold.",
        "- Unit IKM (`ikm_unit_min`, `ikm_unit_max`, `band_a_share`, a named unit) is the "
        "surveyed one, sampling noise included, as the published figures are.",
        "- Some defaults are anchored on calibration rows, each saying which in its reason "
        "(`docs/scenarios.md`): the starting age bands, the retirement ages and the "
        "recruitment quota (retirement and age rows), the survey regimes' shifts (the other "
        "places' IKM levels), the units' spread (Madiun's unit range) and routine "
        "development (competency fulfilment). The validation rows were never used to set a "
        "default nor fitted, so a hit or a miss there is a test of the model.",
        "- A miss is shown as a miss, with its likely reason.",
        *_posterior_note(meta, fixed is not None),
        "",
        "## Summary",
        "",
        "| targets | hit | miss | not simulated |",
        "|---|---|---|---|",
    ]
    for use in ("validation", "calibration"):
        lines.append("| {} | {} | {} | {} |".format(use, *_counts(table, use)))
        if fixed is not None:
            lines.append(
                "| {}, fixed assumptions | {} | {} | {} |".format(use, *_counts(fixed, use))
            )
    lines += ["", "Counted per comparison (a `kab_kota` target counts once per city).", ""]
    lines += ["![Observed vs simulated](img/validation.png)", ""]
    if fixed is not None:
        lines += _changes_section(verdict_changes(table, fixed))
    for use, title in (
        ("validation", "Held-out targets (validation)"),
        ("calibration", "Calibration targets"),
    ):
        rows = compared[compared["use"] == use]
        show_fitted = under_posterior and use == "calibration"
        lines += [f"## {title}", ""] + _result_table(rows, lookup, show_fitted) + [""]
    anchors = table[table["verdict"] == "anchor"]
    if not anchors.empty:
        lines += ["## Anchors (other places, not compared)", ""]
        lines += ["| target | scope | year | observed | source |", "|---|---|---|---|---|"]
        lines += [
            f"| `{r.target}` | {r.scope} | {r.year} | {_observed(r)} | {r.source} |"
            for r in anchors.itertuples()
        ]
        lines.append("")
    lines += [
        "## Likely reasons of misses",
        "",
        "The first row matching the quantity (prefix), verdict and scope applies "
        "(`asnsim.validation.LIKELY_REASONS`).",
        "",
        "| quantity | verdict | scope | likely reason |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{q or '(any)'}` | {w if w != '*' else 'any miss'} | "
        f"{'a named unit' if where == 'unit' else 'any'} | {reason} |"
        for q, w, where, reason in LIKELY_REASONS
    ]
    lines += [
        "",
        "Simulated but not compared: `ikm_seekers` (satisfaction over everyone who sought "
        "service, those who gave up included; no survey measures it), `complaints` (no "
        "count per region was found) and `ip_asn` (Indeks Profesionalitas ASN; no national "
        "or regional value was found, OBSERVED.md §3). See docs/ODD.md 4.11.",
        "",
    ]
    return "\n".join(lines)


def _changes_section(changes: pd.DataFrame) -> list[str]:
    """What calibration changed: the comparisons whose verdict moved, by direction."""
    gained = changes["posterior"].eq("hit") & changes["fixed"].ne("hit")
    lost = changes["fixed"].eq("hit") & changes["posterior"].ne("hit")
    lines = [
        "## What calibration changed",
        "",
        f"{len(changes)} comparison{'s' if len(changes) != 1 else ''} changed verdict "
        f"between the fixed-assumption model and the posterior predictive: "
        f"{int(gained.sum())} from miss to hit, {int(lost.sum())} "
        f"from hit to miss, {int((~gained & ~lost).sum())} from one side of a miss to the "
        "other. The other comparisons kept their verdict (their intervals moved; the tables "
        "below show both).",
        "",
    ]
    if changes.empty:
        return lines
    lines += [
        "| target | use | compared with | fitted | fixed assumptions | posterior predictive |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| `{r.target}` | {r.use} | {r.compared_with} | {r.fitted or 'no'} | "
        f"{_short(r.fixed)} | {_short(r.posterior)} |"
        for r in changes.itertuples()
    ]
    return [*lines, ""]


def _posterior_note(meta: dict[str, Any], with_fixed: bool) -> list[str]:
    if not meta.get("posterior"):
        return [
            "- Every assumption is held at its scenario value: nothing is fitted by an "
            "algorithm. `asnsim validation --posterior data/calibrated` runs the cities under "
            "their calibrated posteriors (docs/calibration.md)."
        ]
    beside = (
        " The column *fixed assumptions* gives, for the same comparison, the mean and verdict "
        "of the model with every assumption at its scenario value (the second command), and "
        "*What calibration changed* lists the verdicts that moved."
        if with_fixed
        else ""
    )
    return [
        f"- **Under calibrated posteriors** (`{meta['posterior']}`, one per city, "
        "docs/calibration.md): replication r of each city ran under its posterior's draw r, "
        "so each interval is the posterior predictive, carrying what is still unknown of the "
        "calibrated assumptions as well as chance. A calibration row is *fitted* when ABC "
        "fitted every city it is compared with to it (each posterior's manifest lists its "
        "targets); the others (another city's row, or one left out because the model lacks "
        "its mechanism) were not. The validation rows were not fitted: they test the "
        "calibrated model." + beside
    ]


def write_doc(
    run_dir: str | Path, docs: str | Path = DOCS, fixed_dir: str | Path | None = None
) -> Path:
    """Copy a run's validation files under ``docs`` and write ``docs/validation.md``.

    Args:
        run_dir: A finished validation (under posteriors, or not).
        docs: The docs folder.
        fixed_dir: A finished validation of the fixed-assumption model with the same settings,
            shown beside a run under posteriors (copied to ``docs/validation/fixed/``).

    Returns:
        The path of the written document.
    """
    run_dir, docs = Path(run_dir), Path(docs)
    folder = docs / "validation"
    copies = {run_dir: folder}
    if fixed_dir is not None:
        copies[Path(fixed_dir)] = folder / "fixed"
    elif (folder / "fixed").is_dir():
        shutil.rmtree(folder / "fixed")
    for source, target in copies.items():
        target.mkdir(parents=True, exist_ok=True)
        for name in ("validation.csv", "validation.json"):
            shutil.copyfile(source / name, target / name)
    (docs / "img").mkdir(exist_ok=True)
    shutil.copyfile(run_dir / "validation.png", docs / "img" / "validation.png")
    path = docs / "validation.md"
    path.write_text(doc_from_folder(folder), encoding="utf-8")
    return path


def _read(folder: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    table = pd.read_csv(folder / "validation.csv", keep_default_na=True, dtype={"year": str})
    return table, json.loads((folder / "validation.json").read_text(encoding="utf-8"))


def doc_from_folder(folder: str | Path) -> str:
    """The document rendered from ``validation.csv`` and ``validation.json`` in ``folder``.

    A ``fixed/`` subfolder (the fixed-assumption model's run) is shown beside it.
    """
    folder = Path(folder)
    table, meta = _read(folder)
    if not (folder / "fixed" / "validation.csv").is_file():
        return render_doc(table, meta)
    fixed, fixed_meta = _read(folder / "fixed")
    return render_doc(table, meta, fixed, fixed_meta)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m asnsim.validation --doc RUN_DIR``: write docs/validation.md from a run."""
    p = argparse.ArgumentParser(prog="python -m asnsim.validation")
    p.add_argument("--doc", required=True, metavar="RUN_DIR", help="folder of a finished run")
    p.add_argument(
        "--fixed",
        metavar="RUN_DIR",
        help="a finished run of the fixed-assumption model, shown beside a run under posteriors",
    )
    p.add_argument("--docs", default=str(DOCS), help="docs folder (default: the repo's)")
    args = p.parse_args(argv)
    print(f"wrote {write_doc(args.doc, args.docs, args.fixed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
