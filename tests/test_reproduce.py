"""``asnsim reproduce``: a stored run or study re-made from its records, compared file by file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from asnsim import ASNModel
from asnsim.cli import main
from asnsim.experiment import execute_run
from asnsim.reproduce import reproduce

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
KOTABUMI = ROOT / "scenarios" / "kotabumi.yaml"
SAMPLE = ROOT / "data" / "sample_roster.csv"


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def stored_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "tiny"
    assert main(["run", str(TINY), "--years", "1", "--quiet", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def stored_study(tmp_path_factory):
    out = tmp_path_factory.mktemp("study") / "cmp"
    args = ["compare", str(TINY), "--variant", "cm", "policies.placement.name=competency_match"]
    args += ["--replications", "2", "--years", "1", "--out", str(out)]
    assert main(args) == 0
    return out


def _copy(folder: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(folder, tmp_path / folder.name))


def test_a_run_reproduces_file_by_file_and_nothing_is_written(stored_run, capsys):
    before = _snapshot(stored_run)
    assert main(["reproduce", str(stored_run)]) == 0
    printed = capsys.readouterr().out
    report = reproduce(stored_run)
    assert report.reproduced
    verdicts = dict(zip(report.table().path, report.table().verdict, strict=True))
    assert verdicts == {
        "annual.parquet": "identical",
        "city.parquet": "identical",
        "outcomes.png": "identical",
        "sectors.parquet": "identical",
        "summary.json": "identical",
    }
    assert "REPRODUCED" in printed and "NOT REPRODUCED" not in printed
    assert _snapshot(stored_run) == before


def test_a_changed_cell_is_named_and_the_exit_code_is_3(stored_run, tmp_path, capsys):
    run = _copy(stored_run, tmp_path)
    city = pd.read_parquet(run / "city.parquet")
    city.loc[0, "ikm"] += 1e-9
    city.to_parquet(run / "city.parquet", index=False)
    assert main(["reproduce", str(run)]) == 3
    printed = capsys.readouterr().out
    assert "city.parquet" in printed and "column 'ikm' differs in 1 row(s)" in printed
    assert "NOT REPRODUCED: 1 file(s) differ" in printed


def test_a_changed_summary_value_and_a_missing_file_are_reported(stored_run, tmp_path):
    run = _copy(stored_run, tmp_path)
    summary = json.loads((run / "summary.json").read_text())
    summary["headcount"] += 1
    (run / "summary.json").write_text(json.dumps(summary))
    (run / "sectors.parquet").unlink()
    checks = {c.path: c for c in reproduce(run).checks}
    assert checks["summary.json"].verdict == "differs"
    assert checks["summary.json"].detail == "1 value(s) differ: headcount"
    assert checks["sectors.parquet"].verdict == "missing"
    assert checks["city.parquet"].verdict == "identical"


def test_a_changed_scenario_in_the_manifest_is_caught(stored_run, tmp_path):
    run = _copy(stored_run, tmp_path)
    manifest = json.loads((run / "manifest.json").read_text())
    manifest["scenario"]["seed"] += 1
    (run / "manifest.json").write_text(json.dumps(manifest))
    report = reproduce(run)
    assert not report.reproduced
    assert report.checks[0].path == "manifest.json" and "hash" in report.checks[0].detail


def test_versions_that_differ_are_listed(stored_run, tmp_path):
    run = _copy(stored_run, tmp_path)
    manifest = json.loads((run / "manifest.json").read_text())
    manifest["versions"]["numpy"] = "0.0.1"
    (run / "manifest.json").write_text(json.dumps(manifest))
    report = reproduce(run)
    assert report.versions == {"numpy": ("0.0.1", manifest_now("numpy"))}
    assert "numpy: 0.0.1 →" in report.text()


def manifest_now(name: str) -> str:
    from asnsim.results import versions

    return versions()[name]


def test_a_manifest_without_its_scenario_is_a_clear_error(stored_run, tmp_path, capsys):
    run = _copy(stored_run, tmp_path)
    manifest = json.loads((run / "manifest.json").read_text())
    del manifest["scenario"]
    (run / "manifest.json").write_text(json.dumps(manifest))
    assert main(["reproduce", str(run)]) == 2
    err = capsys.readouterr().err
    assert "manifest.json: no scenario recorded" in err and "Traceback" not in err


def test_a_folder_without_a_result_is_a_clear_error(tmp_path, capsys):
    assert main(["reproduce", str(tmp_path)]) == 2
    assert "no asnsim result here" in capsys.readouterr().err


def test_csv_of_the_verdicts_never_overwrites(stored_run, tmp_path, capsys):
    target = tmp_path / "verdicts.csv"
    assert main(["reproduce", str(stored_run), "--csv", str(target)]) == 0
    table = pd.read_csv(target)
    assert set(table.verdict) == {"identical"} and len(table) == 5
    assert main(["reproduce", str(stored_run), "--csv", str(target)]) == 2
    assert "exists" in capsys.readouterr().err


def test_a_study_reproduces_run_by_run(stored_study):
    before = _snapshot(stored_study)
    report = reproduce(stored_study)
    assert report.reproduced
    assert report.runs_checked == report.runs_stored == 4
    verdicts = report.table().set_index("path").verdict
    assert verdicts["comparison.csv"] == "derived"
    assert verdicts["runs/cm__r0001/city.parquet"] == "identical"
    assert verdicts["runs/base__r0000/done.json"] == "identical"
    assert _snapshot(stored_study) == before


def test_a_study_whose_runs_have_factors_reproduces(tmp_path):
    """A design's factors (and a region's name) are labels of the run, stored with its
    summary: not outcomes to re-make."""
    spec = tmp_path / "sweep.yaml"
    spec.write_text(
        f"name: factors\nscenario: {TINY}\noverrides: {{horizon_years: 1}}\n"
        "design: {factors: {city.workforce.motivation_mean: [0.55, 0.65]}}\n"
    )
    out = tmp_path / "sweep"
    assert main(["sweep", str(spec), "--serial", "--quiet", "--out", str(out)]) == 0
    stored = json.loads((out / "runs" / "base__p0001__r0000" / "done.json").read_text())
    assert stored["summary"]["city.workforce.motivation_mean"] == 0.65
    report = reproduce(out)
    assert report.reproduced and report.runs_checked == 2
    done = out / "runs" / "base__p0001__r0000" / "done.json"
    stored["summary"]["ikm"] += 1  # an outcome that differs is still found
    done.write_text(json.dumps(stored))
    bad = [c.path for c in reproduce(out).checks if c.verdict == "differs"]
    assert bad == ["runs/base__p0001__r0000/done.json"]


def test_a_study_can_be_checked_in_part_and_a_changed_run_is_found(stored_study, tmp_path):
    study = _copy(stored_study, tmp_path)
    annual = pd.read_parquet(study / "runs" / "base__r0000" / "annual.parquet")
    annual.loc[3, "served"] += 1
    annual.to_parquet(study / "runs" / "base__r0000" / "annual.parquet", index=False)
    report = reproduce(study, limit=1)
    assert report.runs_checked == 1
    bad = [c for c in report.checks if c.verdict == "differs"]
    assert [c.path for c in bad] == ["runs/base__r0000/annual.parquet"]
    assert "'served'" in bad[0].detail


def test_a_study_run_without_its_scenario_is_a_clear_error(stored_study, tmp_path, capsys):
    study = _copy(stored_study, tmp_path)
    os.remove(study / "runs" / "base__r0000" / "scenario.json")
    assert main(["reproduce", str(study), "--limit", "1"]) == 2
    assert "no scenario recorded" in capsys.readouterr().err


def test_a_study_run_is_the_run_made_alone(tiny):
    """Regression: a study ran a key-sorted copy of the scenario, so mappings (mixes, sectors)
    changed order and a replication differed from the same run made alone."""
    alone = ASNModel(tiny).run(progress=False).city()
    in_study = execute_run(tiny.canonical_json(), daily=False)["tables"]["city"]
    pd.testing.assert_frame_equal(alone, in_study, check_exact=True)


def test_the_order_of_a_mapping_is_part_of_the_scenario(tiny):
    mix = tiny.city.workforce.position_mix
    reordered = tiny.with_overrides(
        {"city.workforce.position_mix": dict(reversed(list(mix.items())))}
    )
    assert reordered.hash() != tiny.hash()


def test_a_roster_run_needs_its_roster_and_reproduces_with_it(tmp_path, capsys):
    out = tmp_path / "roster-run"
    args = ["run", str(KOTABUMI), "--scale", "0.05", "--years", "1", "--roster", str(SAMPLE)]
    assert main([*args, "--as-of", "2025-01-01", "--quiet", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["reproduce", str(out)]) == 2
    assert "give it with --roster" in capsys.readouterr().err
    assert main(["reproduce", str(out), "--roster", str(TINY)]) == 2
    assert "not the roster the run used" in capsys.readouterr().err
    assert reproduce(out, roster=SAMPLE).reproduced
