"""asnsim installed as a user installs it: a wheel in a fresh environment, used from elsewhere.

The wheel is built from this checkout and installed (without its dependencies) into a new
virtual environment outside the repository. The dependencies are the development
environment's own, made visible with a ``.pth`` line, so the test needs no network and takes
seconds; the package itself, its scenarios and its data come from the wheel only (the test
checks that ``asnsim`` is imported from the new environment). Every command then runs from an
empty folder, where the repository's ``scenarios/`` and ``data/`` cannot be found.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from asnsim.version import __version__

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(asnsim command, python, a work folder) of a fresh environment holding the wheel."""
    base = tmp_path_factory.mktemp("install")
    wheels = base / "wheels"
    pip = [sys.executable, "-m", "pip"]
    build = [*pip, "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(wheels)]
    subprocess.run([*build, str(ROOT)], check=True, capture_output=True)
    (wheel,) = wheels.glob("asnsim-*.whl")
    env_dir = base / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    install = [*pip, "--python", str(python), "install", "-q", "--no-deps", "--no-index"]
    subprocess.run([*install, str(wheel)], check=True, capture_output=True)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "_asnsim_test_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    work = base / "elsewhere"
    work.mkdir()
    return env_dir / "bin" / "asnsim", python, work, wheel


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["MPLBACKEND"] = "Agg"
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _ok(command: list[str], cwd: Path) -> str:
    done = _run(command, cwd)
    assert done.returncode == 0, f"{command}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_wheel_holds_the_code_the_scenarios_and_the_data(installed):
    *_, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        f"asnsim/{p.relative_to(ROOT).as_posix()}" for p in ROOT.glob("scenarios/**/*.yaml")
    }
    assert shipped and shipped <= names
    assert {"asnsim/data/observed/targets.csv", "asnsim/data/sample_roster.csv"} <= names
    experiments = {f"asnsim/experiments/{p.name}" for p in (ROOT / "experiments").iterdir()}
    assert "asnsim/experiments/reproduce_kotabumi.expected.csv" in experiments <= names
    assert "asnsim/data/calibrated/kotabumi/posterior.parquet" in names
    assert "asnsim/py.typed" in names
    assert not any(n.startswith(("tests/", "notebooks/", "benchmarks/")) for n in names)


def test_the_package_is_imported_from_the_new_environment(installed):
    _, python, work, _ = installed
    where = _ok([str(python), "-c", "import asnsim; print(asnsim.__file__)"], work)
    assert Path(where.strip()).is_relative_to(python.parents[1])
    assert not Path(where.strip()).is_relative_to(ROOT)


def test_the_main_commands_work_from_another_folder(installed):
    asnsim, _, work, _ = installed
    cmd = str(asnsim)
    assert _ok([cmd, "--version"], work).strip() == f"asnsim {__version__}"
    listing = _ok([cmd, "scenarios"], work)
    assert "kotabumi/competency_match" in listing and "palembang" in listing
    _ok([cmd, "validate", "kotabumi/seniority"], work)
    load = "from asnsim.experiment import load_experiment as x; print(x('reproduce_kotabumi'))"
    assert "reproduce-kotabumi" in _ok([str(Path(cmd).parent / "python"), "-c", load], work)

    small = ["--scale", "0.05", "--years", "1"]
    printed = _ok([cmd, "run", "kotabumi", *small, "--out", "run"], work)
    assert "IKM" in printed
    summary = json.loads((work / "run" / "summary.json").read_text())
    assert 25 <= summary["ikm"] <= 100
    assert "REPRODUCED" in _ok([cmd, "reproduce", "run"], work)

    variant = ["--variant", "cm", "policies.placement.name=competency_match"]
    compare = [cmd, "compare", "kotabumi", *variant, "--replications", "2", *small]
    _ok([*compare, "--serial", "--out", "cmp"], work)
    assert (work / "cmp" / "comparison.csv").is_file()

    national = [cmd, "national", "--regions", "2", "--years", "1", "--total", "20000"]
    _ok([*national, "--serial", "--out", "nat"], work)
    assert (work / "nat" / "national.csv").is_file()

    roster = [cmd, "roster", "import", "sample", "--scenario", "kotabumi", "--scale", "0.05"]
    _ok([*roster, "--as-of", "2025-01-01", "--out", "roster"], work)
    assert json.loads((work / "roster" / "roster_summary.json").read_text())["rows_read"] > 0
