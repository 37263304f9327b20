"""A national study: every regional government (about 540 kabupaten/kota) in one experiment.

The regions are SYNTHETIC: their sizes are drawn (log-normal, rescaled so the total is about
4.3 million ASN, DOMAIN.md's national figure) and their make-up varies around a template city
(default: Padang), each region a scaled copy with its own field match, motivation, digital
skills, PPPK share and demand growth drawn within plausible ranges. Nothing here describes a
real kabupaten or kota. Each region is one run of the experiment machinery, so the study runs
in chunks of regions on a process pool or a Dask cluster and resumes after a crash.
"""

from __future__ import annotations

from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from asnsim.catalog import SCENARIOS_DIR
from asnsim.evaluators import Chunking
from asnsim.experiment import ExperimentSpec, RunSpec, run_experiment
from asnsim.scenario import Scenario, load_scenario

__all__ = ["national_runs", "national_summary", "plot_national", "region_table", "run_national"]

TEMPLATE = SCENARIOS_DIR / "padang.yaml"

# Ranges of what varies between regions (assumptions; DOMAIN.md gives national totals only).
RANGES = {
    "city.workforce.field_match_share": (0.45, 0.80),
    "city.workforce.motivation_mean": (0.55, 0.68),
    "city.workforce.digital_mean": (0.25, 0.55),
    "city.workforce.pppk_share": (0.10, 0.45),
    "city.demand_growth": (0.0, 0.05),
}


def region_table(
    regions: int = 540, total: int = 4_300_000, seed: int = 0, template_headcount: int = 10441
) -> pd.DataFrame:
    """Synthetic regions: name, ASN headcount (summing to about ``total``) and make-up.

    Sizes are log-normal (median about 6,000, a few above 40,000), clipped to 800-100,000
    and rescaled so they add up to ``total``; a region's ``scale`` is its size over the
    template's headcount.
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
    raw = rng.lognormal(mean=np.log(6000), sigma=0.65, size=regions)
    sizes = np.clip(raw * total / raw.sum(), 800, 100_000)
    sizes = np.round(sizes * total / sizes.sum()).astype(int)
    table = pd.DataFrame(
        {
            "region": [f"Region {i + 1:03d} (synthetic)" for i in range(regions)],
            "headcount": sizes,
            "scale": sizes / template_headcount,
        }
    )
    for key, (low, high) in RANGES.items():
        table[key] = rng.uniform(low, high, regions).round(4)
    table["seed"] = rng.integers(0, 2**31 - 1, regions)
    return table


def national_runs(table: pd.DataFrame, template: Scenario, years: int) -> list[RunSpec]:
    """One run per region: the template scaled and varied as the table says."""
    runs = []
    for i, row in enumerate(table.itertuples(index=False)):
        overrides: dict[str, Any] = {
            "name": f"region-{i + 1:03d}",
            "city.name": row.region,
            "scale": float(row.scale),
            "horizon_years": years,
            "seed": int(row.seed),
        }
        for key in RANGES:
            overrides[key] = float(table.iloc[i][key])
        scenario = template.with_overrides(overrides)
        factors = {"region": row.region}
        runs.append(
            RunSpec.of_scenario(scenario, f"region__{i + 1:03d}", "national", i, 0, factors)
        )
    return runs


def run_national(
    store,
    executor: Executor,
    regions: int = 540,
    total: int = 4_300_000,
    years: int = 10,
    seed: int = 0,
    template: str | Path = TEMPLATE,
    progress: bool | None = None,
    chunk: Chunking | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Run every region; return a row per region (its final-year outcomes) and failures.

    ``chunk`` says how many regions a worker gets at once (default: see
    :class:`~asnsim.evaluators.Chunking`; its staff budget keeps a worker's memory flat).
    """
    table = region_table(regions, total, seed, load_scenario(template).city.workforce.headcount)
    base = load_scenario(template)
    runs = national_runs(table, base, years)
    spec = ExperimentSpec(
        name=f"national-{regions}-{total}-{years}y-seed{seed}",
        scenario=str(template),
        variants={"national": {}},
    )
    result = run_experiment(spec, store, executor, runs=runs, progress=progress, chunk=chunk)
    summaries = result.summaries
    keep = [
        "point",
        "ikm",
        "ikm_true",
        "ikm_band",
        "wait_mean_days",
        "abandon_rate",
        "matched_share",
        "competency_mean",
        "headcount",
        "total_spend",
        "cum_total_spend",
    ]
    out = table.reset_index(drop=True).rename(columns={"headcount": "headcount_start"})
    if not summaries.empty:
        out = out.join(summaries[keep].set_index("point"), how="left")
    return out, result.failures


def national_summary(table: pd.DataFrame) -> dict[str, Any]:
    """National figures: IKM distribution across regions, staff fit, headcount, spend."""
    done = table.dropna(subset=["ikm"])
    w = done["headcount"].to_numpy(dtype=float)
    q = done["ikm"].quantile([0.1, 0.25, 0.5, 0.75, 0.9])
    return {
        "regions": int(len(table)),
        "regions_finished": int(len(done)),
        "asn_start": int(table["headcount_start"].sum()),
        "asn_end": int(done["headcount"].sum()),
        "ikm_staff_weighted": float(np.average(done["ikm"], weights=w)),
        "ikm_p10": float(q[0.1]),
        "ikm_p25": float(q[0.25]),
        "ikm_median": float(q[0.5]),
        "ikm_p75": float(q[0.75]),
        "ikm_p90": float(q[0.9]),
        "ikm_band_counts": {
            str(k): int(v) for k, v in done["ikm_band"].value_counts().sort_index().items()
        },
        "matched_share_staff_weighted": float(np.average(done["matched_share"], weights=w)),
        "wait_mean_days_staff_weighted": float(np.average(done["wait_mean_days"], weights=w)),
        "total_spend_final_year": float(done["total_spend"].sum()),
        "total_spend_horizon": float(done["cum_total_spend"].sum()),
    }


def plot_national(table: pd.DataFrame):
    """Two panels: IKM across regions (histogram with bands), staff fit against IKM."""
    from matplotlib.figure import Figure

    from asnsim.survey import BAND_EDGES

    done = table.dropna(subset=["ikm"])
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    a, b = fig.subplots(1, 2)
    a.hist(done["ikm"], bins=30, color="#4c72b0")
    for band, edge in BAND_EDGES.items():
        if done["ikm"].min() - 2 < edge < done["ikm"].max() + 2:
            a.axvline(edge, color="grey", ls="--", lw=0.8)
            a.text(edge, a.get_ylim()[1] * 0.95, f" {band}", color="grey", fontsize=8)
    a.set(
        title=f"IKM of {len(done)} synthetic regions (final year)", xlabel="IKM", ylabel="regions"
    )
    sizes = 10 + 200 * done["headcount"] / done["headcount"].max()
    b.scatter(100 * done["matched_share"], done["ikm"], s=sizes, alpha=0.5)
    b.set(
        title="Staff in their field vs IKM (size = ASN)",
        xlabel="staff in their field (%)",
        ylabel="IKM",
    )
    return fig
