"""Output folders: asnsim writes only where it may, and never loses a file it did not write.

A folder is used for a job only if it is new, empty, or holds an earlier asnsim result of the
same kind (recognised by its ``manifest.json``, which records the job's ``kind`` and the
``files`` it wrote). Anything else is refused before any work starts. Replacing an earlier
result needs ``force``, and even then only the files that result's manifest names are
replaced; files asnsim did not write stay untouched. While a job writes, it holds a lock on
the folder (``.asnsim.lock``, :func:`fcntl.flock`), so a second job on the same folder is
refused cleanly. Files are written to a temporary name in the folder and renamed into place;
temporaries left by a killed job (``.asnsim-tmp-*``) are removed the next time the folder is
opened under the lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "KINDS",
    "KIND_FILES",
    "LOCK_NAME",
    "LOG_NAME",
    "OutputFolderError",
    "TMP_PREFIX",
    "claim",
    "folder_lock",
    "read_manifest",
    "remove_stale_temporaries",
    "spreadsheet_safe",
    "write_csv",
    "write_png",
]

KINDS = (
    "run",
    "compare",
    "sweep",
    "sensitivity",
    "national",
    "validation",
    "experiment",
    "roster",
    "robust",
    "optimise",
    "calibration",
)
"""Kinds of job that write a folder; a folder written by one kind is refused to the others."""

KIND_FILES = {
    "run": (
        "summary.json",
        "annual.parquet",
        "city.parquet",
        "sectors.parquet",
        "manifest.json",
        "outcomes.png",
    ),
    "compare": ("manifest.json", "runs", "comparison.csv", "comparison.png", "uncertainty.csv"),
    "sweep": ("manifest.json", "runs", "sweep.csv"),
    "sensitivity": ("manifest.json", "runs", "sensitivity.csv", "sensitivity.png"),
    "national": ("manifest.json", "runs", "national.csv", "national_summary.json", "national.png"),
    "validation": ("manifest.json", "validation.csv", "validation.json", "validation.png"),
    "experiment": ("manifest.json", "runs"),
    "roster": ("manifest.json", "roster_summary.json"),
    "robust": (
        "manifest.json",
        "runs",
        "robust.csv",
        "worlds.csv",
        "discovery.csv",
        "discovery.txt",
        "robust.png",
    ),
    "optimise": ("manifest.json", "runs", "pareto.csv", "pareto.png", "variants"),
    "calibration": (
        "manifest.json",
        "calibration.db",
        "posterior.parquet",
        "generations.csv",
        "prior_posterior.png",
        "predictive.csv",
        "predictive.png",
    ),
}
"""What each kind of job may write at the top of its folder."""

LOCK_NAME = ".asnsim.lock"
LOG_NAME = "asnsim-error.log"
TMP_PREFIX = ".asnsim-tmp-"
_HOUSEKEEPING = {LOCK_NAME, LOG_NAME}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class OutputFolderError(Exception):
    """An output folder asnsim must not use (or cannot write); the message says what to do."""


# --------------------------------------------------------------------------- manifests


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The asnsim manifest of ``folder`` with its ``kind`` and ``files``; None if there is none.

    Manifests written before kinds were recorded are recognised by their keys.
    """
    path = folder / "manifest.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    if "kind" not in data:  # an older asnsim manifest
        if "scenario_hash" in data and "experiment_hash" not in data:
            data["kind"] = "run"
        elif "experiment_hash" in data:
            name = str(data.get("experiment", {}).get("name", ""))
            data["kind"] = next(
                (k for k in ("compare", "sensitivity", "national") if name.startswith(f"{k}-")),
                "sweep",
            )
        else:
            return None
    if not isinstance(data.get("files"), list):
        data["files"] = list(KIND_FILES.get(data["kind"], ()))
    return data


def _entries(folder: Path) -> list[str]:
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name not in _HOUSEKEEPING and not p.name.startswith(TMP_PREFIX)
    )


def _check_writable(folder: Path, option: str) -> None:
    """Refuse a path that is a file, or whose nearest existing folder is not writable."""
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(
            f"{option} {folder}: is a file, not a folder; give a folder path (new or empty)"
        )
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise OutputFolderError(f"{option} {folder}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputFolderError(
            f"{option} {folder}: cannot write in {existing} (permission denied); "
            "choose a folder you can write to"
        )


def claim(
    folder: str | Path,
    kind: str,
    force: bool = False,
    resume: bool = False,
    option: str = "--out",
) -> dict[str, Any] | None:
    """Check that a job of ``kind`` may write into ``folder``; refuse otherwise.

    Args:
        folder: The output folder.
        kind: The job's kind (one of :data:`KINDS`).
        force: Allow replacing an earlier asnsim result of the same kind.
        resume: A study that may continue an earlier one of the same kind (its store checks
            that it is the same experiment).
        option: How the user named the folder, for the messages.

    Returns:
        The earlier result's manifest (same kind) or None for a new or empty folder.

    Raises:
        OutputFolderError: Naming the folder, what was found and what to do.
    """
    folder = Path(folder)
    _check_writable(folder, option)
    if not folder.exists():
        return None
    entries = _entries(folder)
    if not entries:
        return None
    old = read_manifest(folder)
    if old is None:
        shown = ", ".join(entries[:3]) + (
            f" and {len(entries) - 3} more" if len(entries) > 3 else ""
        )
        raise OutputFolderError(
            f"{option} {folder}: holds files asnsim did not write ({shown}); asnsim writes only "
            "into a new or empty folder or one holding its own earlier result; choose another "
            f"{option}"
        )
    if old["kind"] != kind:
        raise OutputFolderError(
            f"{option} {folder}: holds an asnsim {old['kind']} result (manifest.json), not a "
            f"{kind} result; choose another {option} so that result is kept"
        )
    if not (force or resume):
        raise OutputFolderError(
            f"{option} {folder}: holds an earlier asnsim {kind} result; add --force to replace "
            f"it (files asnsim did not write stay) or choose another {option}"
        )
    foreign = [n for n in KIND_FILES[kind] if n in entries and n not in old["files"]]
    if foreign:
        raise OutputFolderError(
            f"{option} {folder}: {', '.join(foreign)} was not written by asnsim and would be "
            f"replaced; move it away or choose another {option}"
        )
    return old


# --------------------------------------------------------------------------- locking


_HELD: dict[Path, tuple[int, int]] = {}


@contextlib.contextmanager
def folder_lock(folder: str | Path, option: str = "--out") -> Iterator[None]:
    """Hold the folder's lock (created with the folder); re-entrant within one process.

    Raises:
        OutputFolderError: If another process holds the lock.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    key = folder.resolve()
    if key in _HELD:
        fd, count = _HELD[key]
        _HELD[key] = (fd, count + 1)
    else:
        _HELD[key] = (_acquire(folder / LOCK_NAME, option, folder), 1)
        remove_stale_temporaries(folder)
    try:
        yield
    finally:
        fd, count = _HELD[key]
        if count > 1:
            _HELD[key] = (fd, count - 1)
        else:
            del _HELD[key]
            with contextlib.suppress(OSError):  # unlinked while held: a waiter retries
                os.unlink(folder / LOCK_NAME)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _acquire(path: Path, option: str, folder: Path) -> int:
    """Lock ``path`` (created if need be) and return its descriptor; refuse if it is held."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputFolderError(
                f"{option} {folder}: another asnsim job is writing there now; wait for it to "
                f"finish or choose another {option}"
            ) from None
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # the holder removed the file as it finished: lock the new one


def remove_stale_temporaries(folder: Path) -> None:
    """Remove temporaries a killed asnsim job left in ``folder`` and its ``runs/``.

    Call only under the folder's lock: then no other job is writing them.
    """
    for parent in (folder, folder / "runs"):
        if not parent.is_dir():
            continue
        for item in parent.iterdir():
            if item.name.startswith(TMP_PREFIX):
                if item.is_dir() and not item.is_symlink():
                    shutil.rmtree(item, ignore_errors=True)
                else:
                    item.unlink(missing_ok=True)


# --------------------------------------------------------------------------- writing


def atomic_write(path: Path, write) -> None:
    """Write ``path`` through ``write(tmp_path)`` and a rename, so it is complete or absent."""
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as spreadsheet formulas (OWASP CSV injection).

    A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading ``'``; numbers stay numbers. Column names are escaped the same way.
    """

    def safe(value: Any) -> Any:
        if isinstance(value, str) and value.startswith(_FORMULA_START):
            return "'" + value
        return value

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe)
    out.columns = [safe(c) for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a CSV atomically with its text cells escaped against formula injection."""
    path = Path(path)
    atomic_write(path, lambda tmp: spreadsheet_safe(frame).to_csv(tmp, index=False))


def write_png(fig, path: str | Path, dpi: int = 110) -> None:
    """Save a matplotlib figure as PNG atomically, without a software stamp (same bytes)."""
    atomic_write(
        Path(path),
        lambda tmp: fig.savefig(tmp, format="png", dpi=dpi, metadata={"Software": None}),
    )
