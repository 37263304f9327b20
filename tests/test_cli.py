"""Contract tests of the ``asnsim`` command: exit codes, messages, result files, determinism.

The command is called in-process through :func:`asnsim.cli.main` and, to check the installed
entry point, once or twice as the ``asnsim`` console script in a subprocess. Runs use
``tests/data/tiny.yaml`` for one or two years to stay fast.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pandas as pd
import pytest

from asnsim.cli import main
from asnsim.scenario import Scenario, load_scenario
from asnsim.survey import ikm_band

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny.yaml"
BAD = DATA / "bad"
BAD_FILES = sorted(BAD.glob("*.yaml"))
RESULT_FILES = {
    "summary.json",
    "annual.parquet",
    "city.parquet",
    "sectors.parquet",
    "manifest.json",
    "outcomes.png",
}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
N_POINTS = 3 + 1 + 2 + 2  # service points of tiny.yaml (sum of unit counts)
FORMATION = 3 * 30 + 40 + 2 * 60 + 2 * 30


def expectations(path: Path) -> list[str]:
    """Fragments the error about a bad fixture must contain (its ``# expect:`` lines)."""
    return re.findall(r"^# expect: (.+)$", path.read_text(encoding="utf-8"), flags=re.M)


def console_script() -> str:
    """Path of the installed ``asnsim`` console script of this interpreter's environment."""
    found = shutil.which("asnsim", path=str(Path(sys.executable).parent))
    found = found or shutil.which("asnsim", path=sysconfig.get_path("scripts"))
    assert found, "the asnsim console script is not installed"
    return found


def run_cli(out: Path, *extra: str, years: int = 2) -> int:
    return main(["run", str(TINY), "--years", str(years), "--out", str(out), "--quiet", *extra])


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """One two-year run of tiny.yaml with the figure: (out dir, exit code, stdout)."""
    out = tmp_path_factory.mktemp("run") / "tiny"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = run_cli(out)
    return out, code, buffer.getvalue()


@pytest.fixture(scope="module")
def summary(tiny_run):
    return json.loads((tiny_run[0] / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def manifest(tiny_run):
    return json.loads((tiny_run[0] / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def annual(tiny_run):
    return pd.read_parquet(tiny_run[0] / "annual.parquet")


# --------------------------------------------------------------------------- validate


def test_validate_tiny(capsys):
    assert main(["validate", str(TINY)]) == 0
    out, err = capsys.readouterr()
    # "valid" alone would also match "invalid": check the whole line
    assert out == f"{TINY}: valid (scenario 'tiny', hash {load_scenario(TINY).hash()[:12]})\n"
    assert err == ""


def test_validate_applies_overrides(capsys):
    assert main(["validate", str(TINY), "--set", "seed=8"]) == 0
    out = capsys.readouterr().out
    assert load_scenario(TINY, {"seed": 8}).hash()[:12] in out
    assert load_scenario(TINY).hash()[:12] not in out


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.stem for p in BAD_FILES])
def test_validate_bad_file_exits_2_naming_file_and_key(path, capsys):
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("error: ")
    assert path.name in err
    fragments = expectations(path)
    assert fragments
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} not in {err!r}"


def test_validate_missing_file(tmp_path, capsys):
    path = tmp_path / "absent.yaml"
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err
    assert "no such scenario file" in err


def test_validate_bad_override(capsys):
    assert main(["validate", str(TINY), "--set", "city.units.0.demnd_per_day=5"]) == 2
    err = capsys.readouterr().err
    assert str(TINY) in err
    assert "city.units.0.demnd_per_day" in err
    assert "unknown key" in err


def test_validate_override_index_out_of_range(capsys):
    assert main(["validate", str(TINY), "--set", "city.units.7.demand_per_day=5"]) == 2
    err = capsys.readouterr().err
    assert "city.units.7" in err
    assert "list of 4" in err


def test_validate_override_index_out_of_range_names_the_file(capsys):
    assert main(["validate", str(TINY), "--set", "city.units.7.demand_per_day=5"]) == 2
    assert str(TINY) in capsys.readouterr().err


@pytest.mark.parametrize(
    "override",
    ["policies.recruitment.options.quota_share=0.05", "assumptions.elements.U7.slope=0.5"],
)
def test_validate_override_inside_default_section(override, capsys):
    assert main(["validate", str(TINY), "--set", override]) == 0


def test_console_script_validate():
    script = console_script()
    ok = subprocess.run(
        [script, "validate", str(TINY)], capture_output=True, text=True, timeout=120
    )
    assert ok.returncode == 0, ok.stderr
    assert "valid" in ok.stdout
    bad = BAD / "negative_demand.yaml"
    fail = subprocess.run(
        [script, "validate", str(bad)], capture_output=True, text=True, timeout=120
    )
    assert fail.returncode == 2
    assert "Traceback" not in fail.stderr
    assert bad.name in fail.stderr
    assert "city.units.1.demand_per_day" in fail.stderr


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["simulate", str(TINY)])
    assert info.value.code == 2


# --------------------------------------------------------------------------- run


def test_run_exits_0_and_writes_all_files(tiny_run):
    out, code, _ = tiny_run
    assert code == 0
    assert {p.name for p in out.iterdir()} == RESULT_FILES
    # The hidden staging folder is gone.
    assert [p.name for p in out.parent.iterdir()] == [out.name]


def test_run_prints_a_yearly_table_consistent_with_the_files(tiny_run, summary):
    out, _, stdout = tiny_run
    lines = stdout.splitlines()
    header = next(line for line in lines if "IKM" in line and "band" in line)
    assert header.split()[:3] == ["year", "IKM", "band"]
    rows = [line.split() for line in lines if re.match(r"^\s*\d+\s+\d+\.\d\d\s+[A-D]\s", line)]
    assert [int(r[0]) for r in rows] == [1, 2]
    city = pd.read_parquet(out / "city.parquet")
    for row, (_, expected) in zip(rows, city.iterrows(), strict=True):
        assert row[1] == f"{expected['ikm']:.2f}"
        assert row[2] == expected["ikm_band"] == ikm_band(expected["ikm"])
    assert rows[-1][1] == f"{summary['ikm']:.2f}"
    assert rows[-1][2] == summary["ikm_band"]
    assert str(out) in stdout


def test_summary_keys_types_and_ranges(summary):
    floats = (
        "ikm",
        "ikm_true",
        "wait_mean_days",
        "wait_p90_days",
        "abandon_rate",
        "matched_share",
        "jp20_share",
        "training_spend",
    )
    for key in floats:
        assert isinstance(summary[key], int | float) and not isinstance(summary[key], bool), key
    assert isinstance(summary["ikm_band"], str)
    assert isinstance(summary["headcount"], int)
    assert summary["year"] == 2
    # IKM on the PermenPANRB 14/2017 scale, band from its interval table.
    assert 25 <= summary["ikm"] <= 100
    assert 25 <= summary["ikm_true"] <= 100
    assert summary["ikm_band"] in {"A", "B", "C", "D"}
    assert summary["ikm_band"] == ikm_band(summary["ikm"])
    # Thousands of respondents: the surveyed IKM is close to its expected value.
    assert abs(summary["ikm"] - summary["ikm_true"]) < 2.0
    for key in ("abandon_rate", "matched_share", "jp20_share", "on_time_share", "rework_rate"):
        assert 0.0 <= summary[key] <= 1.0, key
    assert summary["wait_mean_days"] >= 0.0
    assert summary["wait_p90_days"] >= 0.0
    # Staff fill the 310 posts at most; nobody is trained under the 'none' policy.
    assert 0 < summary["headcount"] <= FORMATION
    assert summary["training_spend"] == 0.0
    assert summary["jp20_share"] == 0.0


def test_annual_has_one_row_per_year_and_unit(annual):
    assert len(annual) == 2 * N_POINTS
    assert sorted(annual["year"].unique()) == [1, 2]
    assert annual.groupby("year").size().tolist() == [N_POINTS, N_POINTS]
    assert not annual.duplicated(["year", "unit"]).any()
    assert sorted(annual["unit"].unique()) == list(range(N_POINTS))
    per_sector = annual[annual["year"] == 1]["sector"].value_counts().to_dict()
    assert per_sector == {"health": 3, "civil_registry": 1, "education": 2, "administration": 2}
    assert annual.groupby("year")["formation"].sum().tolist() == [FORMATION, FORMATION]


def test_annual_is_consistent_with_summary(annual, summary):
    last = annual[annual["year"] == 2]
    assert int(last["headcount"].sum()) == summary["headcount"]
    assert (last["headcount"] <= last["formation"]).all()
    bands = last.dropna(subset=["ikm"])
    assert all(b == ikm_band(v) for v, b in zip(bands["ikm"], bands["ikm_band"], strict=True))


def test_annual_conserves_citizens(annual):
    # In = new arrivals + returns for rework; out = served + gave up; the rest waits.
    totals = annual.groupby("year")[
        ["arrivals", "rework_arrivals", "served", "abandoned", "backlog"]
    ].sum()
    backlog_before = totals["backlog"].shift(fill_value=0)
    inflow = totals["arrivals"] + totals["rework_arrivals"]
    outflow = totals["served"] + totals["abandoned"]
    assert (inflow - outflow).tolist() == (totals["backlog"] - backlog_before).tolist()
    assert (totals["arrivals"] > 0).all()


def test_manifest(manifest):
    effective = load_scenario(TINY, ["horizon_years=2"])
    assert manifest["scenario_hash"] == effective.hash()
    assert manifest["scenario_hash"] != load_scenario(TINY).hash()
    assert manifest["seed"] == 7
    assert manifest["horizon_years"] == 2
    assert manifest["scenario_name"] == "tiny"
    for name in ("asnsim", "python", "mesa", "numpy"):
        assert re.match(r"^\d+\.\d+", manifest["versions"][name]), name
    assert manifest["versions"]["python"] == ".".join(map(str, sys.version_info[:3]))
    # The stored scenario is the full canonical one and reproduces the hash.
    stored = Scenario.model_validate(manifest["scenario"])
    assert stored.hash() == manifest["scenario_hash"]
    assert manifest["scenario"] == effective.canonical()


def test_png_figure(tiny_run):
    data = (tiny_run[0] / "outcomes.png").read_bytes()
    assert data[:8] == PNG_MAGIC
    assert len(data) > 1000


def test_same_seed_is_byte_identical_across_processes(tiny_run, tmp_path):
    """The console script in a fresh process (new hash seed) gives the very same files."""
    first = tiny_run[0]
    second = tmp_path / "again"
    done = subprocess.run(
        [console_script(), "run", str(TINY), "--years", "2", "--out", str(second), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert {p.name for p in second.iterdir()} == RESULT_FILES
    for name in sorted(RESULT_FILES):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert "IKM" in done.stdout


def test_different_seed_gives_different_results(tiny_run, summary, tmp_path, capsys):
    out = tmp_path / "seed8"
    assert run_cli(out, "--seed", "8", "--no-figure") == 0
    capsys.readouterr()
    assert not (out / "outcomes.png").exists()
    other = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert other != summary
    assert (out / "summary.json").read_bytes() != (tiny_run[0] / "summary.json").read_bytes()
    meta = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert meta["seed"] == 8
    assert meta["scenario_hash"] == load_scenario(TINY, {"horizon_years": 2, "seed": 8}).hash()


def test_set_policy_is_run_and_recorded(tmp_path, capsys):
    out = tmp_path / "random"
    code = run_cli(out, "--set", "policies.placement.name=random", "--no-figure", years=1)
    assert code == 0
    stdout = capsys.readouterr().out
    assert "placement: random" in stdout
    meta = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert meta["scenario"]["policies"]["placement"]["name"] == "random"
    expected = load_scenario(TINY, ["policies.placement.name=random", "horizon_years=1"])
    assert meta["scenario_hash"] == expected.hash()


@pytest.mark.parametrize(
    "args",
    [
        ["--set", "city.bogus=1"],
        ["--set", "city.units.9.demand_per_day=5"],
        ["--set", "policies.placement.name=bogus"],
        ["--years", "0"],
        ["--scale", "-1"],
    ],
    ids=["unknown-key", "bad-index", "bad-policy", "zero-years", "negative-scale"],
)
def test_bad_run_exits_2_and_writes_nothing(tmp_path, capsys, args):
    out = tmp_path / "nested" / "out"
    code = main(["run", str(TINY), "--out", str(out), "--quiet", *args])
    assert code == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error: ")
    assert "results written" not in captured.out
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_bad_run_names_key_on_stderr(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(TINY), "--out", str(out), "--set", "city.bogus=1"]) == 2
    err = capsys.readouterr().err
    assert str(TINY) in err
    assert "city.bogus" in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("path", [BAD / "negative_demand.yaml", BAD / "malformed_yaml.yaml"])
def test_bad_scenario_file_run_writes_nothing(tmp_path, capsys, path):
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--quiet"]) == 2
    assert path.name in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_one_year(tmp_path, capsys):
    out = tmp_path / "one"
    assert run_cli(out, "--no-figure", years=1) == 0
    stdout = capsys.readouterr().out
    assert "seed 7, scale 1, 1 year" in stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["year"] == 1
    annual = pd.read_parquet(out / "annual.parquet")
    assert len(annual) == N_POINTS
    assert annual["year"].unique().tolist() == [1]
    assert len(pd.read_parquet(out / "city.parquet")) == 1
    assert set(pd.read_parquet(out / "sectors.parquet")["year"]) == {1}
    meta = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert meta["horizon_years"] == 1


def test_rerun_into_same_folder_leaves_no_stale_files(tmp_path, capsys):
    out = tmp_path / "out"
    assert run_cli(out, years=1) == 0
    assert (out / "outcomes.png").exists()
    assert run_cli(out, "--seed", "8", "--no-figure", years=1) == 2  # replacing needs --force
    assert "--force" in capsys.readouterr().err
    assert run_cli(out, "--seed", "8", "--no-figure", "--force", years=1) == 0
    capsys.readouterr()
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["seed"] == 8
    assert not (out / "outcomes.png").exists()


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("policies.training.name=bogus", "policies.training.name: got 'bogus'; expected one of"),
        ("training.budget_per_year=-5", "training.budget_per_year: got -5"),
        (
            "training.programs=[{name: x, target: health, jp: 8, cost_per_seat: 1, "
            "seats_per_cohort: 0}]",
            "training.programs.0.seats_per_cohort: got 0",
        ),
        ("policies.placement.options.max_moves_share=2", "policies.placement.options"),
    ],
)
def test_validate_rejects_bad_policy_options(override, expected, capsys):
    assert main(["validate", str(TINY), "--set", override]) == 2
    err = capsys.readouterr().err
    assert expected in err and str(TINY) in err
