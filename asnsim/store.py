"""The result store of an experiment: one folder per run, written atomically, resumable.

Layout of ``ROOT``::

    manifest.json                 experiment spec, runs (id, variant, seed, scenario hash),
                                  package versions
    runs/<run_id>/annual.parquet  a row per year and unit
    runs/<run_id>/city.parquet    a row per year
    runs/<run_id>/daily.parquet   a row per day (only when the experiment asks for it)
    runs/<run_id>/done.json       written last: the run's key and its summary row
    runs/<run_id>/failed.json     instead of done.json when the run raised: the traceback

A run's files are written into a temporary folder and moved into place with one rename, so a
crash leaves either a complete run or none. A run counts as done only when ``done.json``
carries the key (scenario hash and seed) expected for it, so a rerun computes only what is
missing or what changed.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["RunStore"]


def _write_json(path: Path, data: Any) -> None:
    path.write_text(
        json.dumps(data, sort_keys=True, indent=2, default=_jsonable) + "\n", encoding="utf-8"
    )


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class RunStore:
    """Runs of one experiment on disk."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.runs = self.root / "runs"

    # ------------------------------------------------------------------ manifest

    def open(self, manifest: dict[str, Any]) -> None:
        """Create the store, or check that an existing one holds the same experiment.

        Raises:
            ValueError: If ``ROOT`` holds another experiment (its spec differs).
        """
        path = self.root / "manifest.json"
        if path.exists():
            old = json.loads(path.read_text(encoding="utf-8"))
            if old.get("experiment_hash") != manifest["experiment_hash"]:
                raise ValueError(
                    f"{self.root} holds results of another experiment "
                    f"('{old.get('experiment', {}).get('name')}', hash "
                    f"{str(old.get('experiment_hash'))[:12]}); use another --out folder"
                )
        self.runs.mkdir(parents=True, exist_ok=True)
        tmp = self.root / ".manifest.json.tmp"
        _write_json(tmp, manifest)
        os.replace(tmp, path)

    def manifest(self) -> dict[str, Any]:
        """The stored manifest."""
        return json.loads((self.root / "manifest.json").read_text(encoding="utf-8"))

    # ------------------------------------------------------------------ runs

    def done(self, run_id: str, key: str) -> bool:
        """Whether the run finished with this key (same scenario and seed)."""
        path = self.runs / run_id / "done.json"
        if not path.exists():
            return False
        return json.loads(path.read_text(encoding="utf-8")).get("key") == key

    def write(
        self, run_id: str, key: str, tables: dict[str, pd.DataFrame], summary: dict[str, Any]
    ) -> None:
        """Store a finished run: its tables, then ``done.json``; one atomic rename."""
        self._publish(run_id, lambda d: self._fill(d, key, tables, summary))

    def write_failure(self, run_id: str, key: str, error: str) -> None:
        """Store the traceback of a run that raised."""
        self._publish(
            run_id, lambda d: _write_json(d / "failed.json", {"key": key, "error": error})
        )

    def _fill(
        self, folder: Path, key: str, tables: dict[str, pd.DataFrame], summary: dict[str, Any]
    ) -> None:
        for name, frame in tables.items():
            frame.to_parquet(folder / f"{name}.parquet", index=False)
        _write_json(folder / "done.json", {"key": key, "summary": summary})

    def _publish(self, run_id: str, fill) -> None:
        self.runs.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{run_id}.", dir=self.runs))
        try:
            fill(tmp)
            final = self.runs / run_id
            if final.exists():
                shutil.rmtree(final)
            os.replace(tmp, final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    # ------------------------------------------------------------------ reading

    def _records(self, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if not self.runs.exists():
            return
        for folder in sorted(self.runs.iterdir()):
            path = folder / name
            if folder.name.startswith(".") or not path.exists():
                continue
            yield folder.name, json.loads(path.read_text(encoding="utf-8"))

    def summaries(self) -> pd.DataFrame:
        """A row per finished run (its summary), sorted by run id."""
        rows = [{"run_id": rid} | rec["summary"] for rid, rec in self._records("done.json")]
        return pd.DataFrame(rows)

    def failures(self) -> dict[str, str]:
        """Run id → traceback of every run that raised."""
        return {rid: rec["error"] for rid, rec in self._records("failed.json")}

    def table(self, name: str) -> pd.DataFrame:
        """One table (``annual``, ``city`` or ``daily``) of all finished runs, with ``run_id``."""
        frames = []
        for rid, _ in self._records("done.json"):
            path = self.runs / rid / f"{name}.parquet"
            if path.exists():
                frames.append(pd.read_parquet(path).assign(run_id=rid))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
