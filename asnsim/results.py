"""Write one run's results: summary.json, annual.parquet, city.parquet, manifest.json, a figure.

Files are first written into a hidden folder beside the target and moved into place only
when all of them are complete, so a failed run never leaves partial results. Same scenario
and seed give byte-identical files (no timestamps; sorted JSON; deterministic Parquet).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from asnsim.outcomes import Outcomes
from asnsim.scenario import Scenario

__all__ = ["manifest", "versions", "write_results"]

_PACKAGES = ("asnsim", "mesa", "numpy", "pandas", "scipy", "pyarrow", "pydantic")
RESULT_FILES = (
    "summary.json",
    "annual.parquet",
    "city.parquet",
    "sectors.parquet",
    "manifest.json",
    "outcomes.png",
)
"""The files a run writes; a rerun into the same folder replaces all of them."""


def versions() -> dict[str, str]:
    """Versions of Python and of the packages that shape a result."""
    out = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def manifest(scenario: Scenario, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """What is needed to reproduce a run: scenario (canonical), its hash, seed, versions."""
    return (extra or {}) | {
        "scenario_name": scenario.name,
        "scenario_hash": scenario.hash(),
        "seed": scenario.seed,
        "horizon_years": scenario.horizon_years,
        "scale": scenario.scale,
        "versions": versions(),
        "scenario": scenario.canonical(),
    }


def _dump_json(data: Any, path: Path) -> None:
    path.write_text(
        json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def write_results(
    outcomes: Outcomes,
    scenario: Scenario,
    out_dir: str | Path,
    figure: bool = True,
    lang: str = "en",
    extra_manifest: dict[str, Any] | None = None,
) -> Path:
    """Write a run's result files into ``out_dir`` (created; existing files replaced).

    ``lang`` sets the figure's labels (``en`` or ``id``).

    Returns:
        The output folder.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        _dump_json(outcomes.summary(), tmp / "summary.json")
        outcomes.annual().to_parquet(tmp / "annual.parquet", index=False)
        outcomes.city().to_parquet(tmp / "city.parquet", index=False)
        outcomes.sectors().to_parquet(tmp / "sectors.parquet", index=False)
        _dump_json(manifest(scenario, extra_manifest), tmp / "manifest.json")
        if figure:
            from asnsim.plots import plot_run

            fig = plot_run(outcomes, title=scenario.city.name, lang=lang)
            fig.savefig(tmp / "outcomes.png", dpi=110, metadata={"Software": None})
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in RESULT_FILES:  # no stale file of an earlier run stays beside new ones
            if not (tmp / name).exists():
                (out_dir / name).unlink(missing_ok=True)
        for item in sorted(tmp.iterdir()):
            os.replace(item, out_dir / item.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir
