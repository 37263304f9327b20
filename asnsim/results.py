"""Write one run's results: summary.json, annual.parquet, city.parquet, manifest.json, a figure.

Files are first written into a hidden temporary folder inside the target and moved into
place only when all of them are complete, ``manifest.json`` last, so a failed run never leaves
partial results. The folder must be new, empty or hold an earlier run (``force`` to replace
it); only files an earlier run wrote are replaced or removed (see :mod:`asnsim.outfolder`).
Same scenario and seed give byte-identical files (no timestamps; sorted JSON; deterministic
Parquet).
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from asnsim.outcomes import Outcomes
from asnsim.outfolder import KIND_FILES, TMP_PREFIX, claim, folder_lock
from asnsim.parquet import write_parquet
from asnsim.scenario import Scenario
from asnsim.version import __version__

__all__ = ["manifest", "versions", "write_results"]

_PACKAGES = ("mesa", "numpy", "pandas", "scipy", "pyarrow", "pydantic")
RESULT_FILES = KIND_FILES["run"]
"""The files a run writes; a rerun into the same folder (``force``) replaces all of them."""


def versions() -> dict[str, str]:
    """Versions of Python and of the packages that shape a result."""
    out = {"python": platform.python_version(), "asnsim": __version__}
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


def _dump_json(data: dict[str, Any], path: Path) -> None:
    """Strict JSON: a NaN or infinity becomes ``null`` (JSON has no such numbers).

    Top-level keys are sorted; nested mappings keep their order (a scenario's order matters).
    """
    path.write_text(
        json.dumps(
            _finite(dict(sorted(data.items()))), indent=2, ensure_ascii=False, allow_nan=False
        )
        + "\n",
        encoding="utf-8",
    )


def _finite(data: Any) -> Any:
    if isinstance(data, float) and not math.isfinite(data):
        return None
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(v) for v in data]
    return data


def write_results(
    outcomes: Outcomes,
    scenario: Scenario,
    out_dir: str | Path,
    figure: bool = True,
    lang: str = "en",
    extra_manifest: dict[str, Any] | None = None,
    force: bool = False,
) -> Path:
    """Write a run's result files into ``out_dir``.

    ``out_dir`` must be new, empty or hold an earlier run's result; replacing that result
    needs ``force``, and only the files it wrote are replaced or removed.

    Args:
        outcomes: The run's outcomes.
        scenario: The run's scenario (recorded in the manifest).
        out_dir: Output folder.
        figure: Draw ``outcomes.png``.
        lang: The figure's labels (``en`` or ``id``).
        extra_manifest: More manifest entries (a roster's hash, say).
        force: Replace an earlier run's result.

    Returns:
        The output folder.

    Raises:
        asnsim.outfolder.OutputFolderError: If the folder may not be used.
    """
    out_dir = Path(out_dir)
    claim(out_dir, "run", force=force)
    with folder_lock(out_dir):
        old = claim(out_dir, "run", force=force)
        tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=out_dir))
        try:
            written = _write_files(tmp, outcomes, scenario, figure, lang, extra_manifest)
            ours = set(old["files"]) & set(RESULT_FILES) if old else set()
            for name in sorted(ours - set(written)):  # no stale file of an earlier run stays
                (out_dir / name).unlink(missing_ok=True)
            for name in sorted(written, key=lambda n: n == "manifest.json"):  # manifest last
                os.replace(tmp / name, out_dir / name)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def _write_files(
    folder: Path,
    outcomes: Outcomes,
    scenario: Scenario,
    figure: bool,
    lang: str,
    extra_manifest: dict[str, Any] | None,
) -> list[str]:
    """Write a run's files into ``folder``; return their names, ``manifest.json`` included."""
    _dump_json(outcomes.summary(), folder / "summary.json")
    write_parquet(outcomes.annual(), folder / "annual.parquet")
    write_parquet(outcomes.city(), folder / "city.parquet")
    write_parquet(outcomes.sectors(), folder / "sectors.parquet")
    if figure:
        from asnsim.plots import plot_run

        fig = plot_run(outcomes, title=scenario.city.name, lang=lang)
        fig.savefig(folder / "outcomes.png", dpi=110, metadata={"Software": None})
    written = sorted([p.name for p in folder.iterdir()] + ["manifest.json"])
    meta = manifest(scenario, extra_manifest) | {"kind": "run", "files": written}
    _dump_json(meta, folder / "manifest.json")
    return written
