"""The result store of an experiment: one folder per run, written atomically, resumable.

Layout of ``ROOT``::

    manifest.json                 experiment spec, runs (id, variant, seed, scenario hash),
                                  package versions
    runs/<run_id>/annual.parquet  a row per year and unit
    runs/<run_id>/city.parquet    a row per year
    runs/<run_id>/daily.parquet   a row per day (only when the experiment asks for it)
    runs/<run_id>/scenario.json   the run's canonical scenario, in its own order (for reproduce)
    runs/<run_id>/done.json       written last: the run's key and its summary row
    runs/<run_id>/failed.json     instead of done.json when the run raised: the traceback

A run's files are written into a temporary folder and moved into place with one rename, so a
crash leaves either a complete run or none. A run counts as done only when ``done.json``
carries the key (scenario hash and seed) expected for it, so a rerun computes only what is
missing or what changed.

The store holds the folder's lock from :meth:`RunStore.open` to :meth:`RunStore.close`, so a
second study on the same folder is refused; temporaries of a killed study are removed when the
store is next opened. The folder must be new, empty, or hold a store of the same kind (see
:mod:`asnsim.outfolder`); a store of another experiment is replaced only with ``force``, and
then only the files asnsim wrote are removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from asnsim.outfolder import (
    KIND_FILES,
    TMP_PREFIX,
    OutputFolderError,
    atomic_write,
    claim,
    folder_lock,
)
from asnsim.parquet import write_parquet

__all__ = ["RUN_FILES", "RunStore"]

RUN_FILES = (
    "annual.parquet",
    "city.parquet",
    "daily.parquet",
    "scenario.json",
    "done.json",
    "failed.json",
)
"""What the store writes in a run's folder; nothing else there is ever removed."""


def _write_json(path: Path, data: Any) -> None:
    path.write_text(
        json.dumps(data, sort_keys=True, indent=2, default=_jsonable) + "\n", encoding="utf-8"
    )


def _remove_run(folder: Path) -> None:
    """Remove what the store wrote in a run's folder (marker first); the folder if empty."""
    for name in ("done.json", "failed.json", *RUN_FILES):
        (folder / name).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder.rmdir()


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class RunStore:
    """Runs of one experiment on disk.

    Args:
        root: The store's folder.
        kind: The kind of job (``compare``, ``sweep``, ``sensitivity``, ``national`` or
            ``experiment``), recorded in the manifest; a folder of another kind is refused.
        force: Replace a store of another experiment of the same kind.
    """

    def __init__(self, root: str | Path, kind: str = "experiment", force: bool = False):
        self.root = Path(root)
        self.runs = self.root / "runs"
        self.kind = kind
        self.force = force
        self._lock: contextlib.ExitStack | None = None

    # ------------------------------------------------------------------ manifest

    def open(self, manifest: dict[str, Any]) -> None:
        """Lock the folder and create the store, or check it holds the same experiment.

        Raises:
            asnsim.outfolder.OutputFolderError: If the folder holds files asnsim did not
                write, a result of another kind, or (without ``force``) another experiment;
                or if another job holds its lock.
        """
        claim(self.root, self.kind, resume=True)
        if self._lock is None:
            stack = contextlib.ExitStack()
            stack.enter_context(folder_lock(self.root))
            self._lock = stack
        try:
            old = claim(self.root, self.kind, resume=True)
            if old is not None and old.get("experiment_hash") != manifest["experiment_hash"]:
                if not self.force:
                    raise OutputFolderError(
                        f"{self.root} holds results of another experiment "
                        f"('{old.get('experiment', {}).get('name')}', hash "
                        f"{str(old.get('experiment_hash'))[:12]}); add --force to replace "
                        "them or use another --out folder"
                    )
                self._clear(old)
            self.runs.mkdir(parents=True, exist_ok=True)
            data = manifest | {"kind": self.kind, "files": list(KIND_FILES[self.kind])}
            atomic_write(self.root / "manifest.json", lambda tmp: _write_json(tmp, data))
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Release the folder's lock (the store can be opened again)."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _clear(self, old: dict[str, Any]) -> None:
        """Remove an earlier experiment's files; files asnsim did not write stay."""
        if self.runs.is_dir():
            for folder in self.runs.iterdir():
                if folder.is_dir() and not folder.is_symlink():
                    _remove_run(folder)
        for name in old["files"]:
            path = self.root / name
            if name not in ("runs", "manifest.json") and path.is_file():
                path.unlink()

    def manifest(self) -> dict[str, Any]:
        """The stored manifest."""
        return json.loads((self.root / "manifest.json").read_text(encoding="utf-8"))

    # ------------------------------------------------------------------ runs

    def done(self, run_id: str, key: str) -> bool:
        """Whether the run finished with this key (same scenario and seed)."""
        return self.summary(run_id, key) is not None

    def summary(self, run_id: str, key: str) -> dict[str, Any] | None:
        """The summary of the run if it finished with this key (else None)."""
        path = self.runs / run_id / "done.json"
        if not path.exists():
            return None
        record = json.loads(path.read_text(encoding="utf-8"))
        return record.get("summary") if record.get("key") == key else None

    def write(
        self,
        run_id: str,
        key: str,
        tables: dict[str, pd.DataFrame],
        summary: dict[str, Any],
        scenario: dict[str, Any] | None = None,
    ) -> None:
        """Store a finished run: its tables, then ``done.json``; one atomic rename.

        ``scenario`` (the run's canonical scenario) is kept in ``scenario.json``, keys in
        their order, so that ``asnsim reproduce`` can re-run it without the files it came
        from.
        """
        self._publish(run_id, lambda d: self._fill(d, key, tables, summary, scenario))

    def write_failure(self, run_id: str, key: str, error: str) -> None:
        """Store the traceback of a run that raised."""
        self._publish(
            run_id, lambda d: _write_json(d / "failed.json", {"key": key, "error": error})
        )

    def _fill(
        self,
        folder: Path,
        key: str,
        tables: dict[str, pd.DataFrame],
        summary: dict[str, Any],
        scenario: dict[str, Any] | None,
    ) -> None:
        for name, frame in tables.items():
            write_parquet(frame, folder / f"{name}.parquet")
        if scenario is not None:
            text = json.dumps(scenario, indent=2, ensure_ascii=False) + "\n"
            (folder / "scenario.json").write_text(text, encoding="utf-8")
        _write_json(folder / "done.json", {"key": key, "summary": summary})

    def _publish(self, run_id: str, fill) -> None:
        self.runs.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{run_id}.", dir=self.runs))
        try:
            fill(tmp)
            final = self.runs / run_id
            if final.exists():
                _remove_run(final)
            if final.exists():  # files asnsim did not write stay; ours move in, marker last
                for item in sorted(tmp.iterdir(), key=lambda p: p.name.endswith(".json")):
                    os.replace(item, final / item.name)
            else:
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
