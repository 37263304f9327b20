"""Careless hands and hostile files: nothing of the user's lost, nothing leaked, clean refusals.

Output folders: asnsim writes only into a new or empty folder or one holding its own earlier
result of the same kind (``--force`` to replace it), never touches a file it did not write,
holds a lock while it writes and cleans up a killed job's temporaries. Scenario files: size,
alias, encoding and duplicate-key limits, finite numbers, no booleans for numbers, unique unit
names, sizes the model can run, ``extends`` confined and never quoting a file the user did not
name. Every refusal exits 2 with one message; any other failure exits 1 and logs its
traceback. CSV cells cannot become spreadsheet formulas. Runs use ``tiny.yaml`` for one year
at a small scale.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import os
import re
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from asnsim.cli import main
from asnsim.outfolder import LOG_NAME, TMP_PREFIX, folder_lock, spreadsheet_safe
from asnsim.scenario import MAX_YAML_BYTES, ScenarioError, load_scenario

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny.yaml"
TINY_TEXT = TINY.read_text(encoding="utf-8")
SMALL = ["--years", "1", "--scale", "0.2", "--quiet"]
STUDY = [*SMALL, "--serial"]
UNCERTAIN = "uncertainties:\n  assumptions.mismatch_ceiling: [0.75, 0.9]\n"


# --------------------------------------------------------------------------- helpers


def snapshot(folder: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``folder``."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def user_files(folder: Path, *names: str) -> dict[str, str]:
    """Write the user's own files into ``folder``; return their snapshot."""
    for i, name in enumerate(names):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"the user's own {name} #{i}\n".encode())
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in names}


def unchanged(folder: Path, before: dict[str, str]) -> bool:
    return all(
        hashlib.sha256((folder / n).read_bytes()).hexdigest() == h for n, h in before.items()
    )


def scenario_file(folder: Path, text: str = TINY_TEXT, name: str = "s.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def experiment_file(folder: Path) -> Path:
    scenario_file(folder)
    path = folder / "exp.yaml"
    path.write_text(
        "name: hostile-sweep\nscenario: s.yaml\n"
        "overrides: {horizon_years: 1, scale: 0.2}\nreplications: 1\n",
        encoding="utf-8",
    )
    return path


def command(kind: str, out: Path, tmp: Path, *extra: str) -> list[str]:
    """A cheap command line of ``kind`` writing into ``out``."""
    if kind == "run":
        return ["run", str(TINY), *SMALL, "--no-figure", "--out", str(out), *extra]
    if kind == "compare":
        return ["compare", str(TINY), "--replications", "1", *STUDY, "--out", str(out), *extra]
    if kind == "sweep":
        exp = experiment_file(tmp / "exp")
        return ["sweep", str(exp), "--serial", "--quiet", "--out", str(out), *extra]
    if kind == "sensitivity":
        s = scenario_file(tmp / "sens", TINY_TEXT + UNCERTAIN)
        return ["sensitivity", str(s), "--samples", "1", *STUDY, "--out", str(out), *extra]
    raise ValueError(kind)


KINDS = ["run", "compare", "sweep", "sensitivity"]


# --------------------------------------------------------------------------- output folders


OTHER_COMMANDS = {
    "national": ["national", "--regions", "2", "--years", "1", "--serial", "--quiet"],
    "validation": ["validation", "--city", "padang", "--replications", "1", "--years", "1"],
}


@pytest.mark.parametrize("kind", [*KINDS, *OTHER_COMMANDS])
def test_folder_with_foreign_files_is_refused_before_work(tmp_path, capsys, kind, monkeypatch):
    out = tmp_path / "mine"
    before = user_files(out, "notes.txt", "outcomes.png", "runs/keep/data.csv")
    monkeypatch.setattr("asnsim.model.ASNModel.run", _must_not_run)
    monkeypatch.setattr("asnsim.experiment.execute_run", _must_not_run)
    if kind in OTHER_COMMANDS:
        args = [*OTHER_COMMANDS[kind], "--serial", "--quiet", "--out", str(out)]
    else:
        args = command(kind, out, tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "did not write" in err and "Traceback" not in err
    assert unchanged(out, before)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "outcomes.png", "runs"]


def _must_not_run(*args, **kwargs):
    raise AssertionError("the simulation ran before the output folder was checked")


def test_run_no_figure_keeps_the_users_outcomes_png(tmp_path, capsys):
    out = tmp_path / "out"
    before = user_files(out, "outcomes.png")
    assert main(command("run", out, tmp_path)) == 2
    assert unchanged(out, before)
    assert main(command("run", out, tmp_path, "--force")) == 2  # force never covers foreign
    assert unchanged(out, before)


@pytest.mark.parametrize(("first", "second"), [(a, b) for a in KINDS for b in KINDS if a != b])
def test_a_result_of_another_kind_is_refused_and_kept(tmp_path, capsys, first, second):
    out = tmp_path / "out"
    assert main(command(first, out, tmp_path)) == 0
    before = snapshot(out)
    assert main(command(second, out, tmp_path, "--force")) == 2
    err = capsys.readouterr().err
    assert f"asnsim {first} result" in err and "another --out" in err
    assert snapshot(out) == before


def test_run_into_its_own_earlier_result_needs_force(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(command("run", out, tmp_path)) == 0
    before = snapshot(out)
    assert main(command("run", out, tmp_path, "--seed", "9")) == 2
    assert "--force" in capsys.readouterr().err
    assert snapshot(out) == before


@pytest.mark.parametrize("kind", KINDS)
def test_users_files_survive_a_forced_rerun_byte_for_byte(tmp_path, capsys, kind):
    out = tmp_path / "out"
    assert main(command(kind, out, tmp_path)) == 0
    mine = ["notes.txt", "sub/keep.bin"]
    if kind != "run":
        run_folder = next(p.name for p in (out / "runs").iterdir())
        mine.append(f"runs/{run_folder}/mine.txt")
    before = user_files(out, *mine)
    assert main(command(kind, out, tmp_path, "--force")) == 0  # replaces asnsim's own files
    assert unchanged(out, before)
    assert main(command("run" if kind != "run" else "compare", out, tmp_path)) == 2
    assert unchanged(out, before)


def test_forced_run_that_draws_no_figure_removes_only_its_own_png(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(TINY), *SMALL, "--out", str(out)]) == 0
    assert (out / "outcomes.png").exists()
    assert main(command("run", out, tmp_path, "--force")) == 0  # --no-figure
    assert not (out / "outcomes.png").exists()  # asnsim's own, listed in its manifest
    before = user_files(out, "outcomes.png")  # now the user's
    assert main(["run", str(TINY), *SMALL, "--force", "--out", str(out)]) == 2
    assert "outcomes.png was not written by asnsim" in capsys.readouterr().err
    assert unchanged(out, before)


@pytest.mark.parametrize("where", ["file", "under-a-file"])
def test_out_that_is_a_file_is_refused_before_the_simulation(tmp_path, capsys, monkeypatch, where):
    target = tmp_path / "results.txt"
    target.write_text("keep me\n")
    monkeypatch.setattr("asnsim.model.ASNModel.run", _must_not_run)
    out = target if where == "file" else target / "sub"
    assert main(["run", str(TINY), "--quiet", "--out", str(out)]) == 2
    assert "is a file" in capsys.readouterr().err
    assert target.read_text() == "keep me\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_out_is_refused_before_the_simulation(tmp_path, capsys, monkeypatch):
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o555)
    monkeypatch.setattr("asnsim.model.ASNModel.run", _must_not_run)
    assert main(["run", str(TINY), "--quiet", "--out", str(locked / "x")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_single_run_cannot_replace_a_studys_manifest(tmp_path, capsys):
    out = tmp_path / "study"
    assert main(command("compare", out, tmp_path)) == 0
    manifest = (out / "manifest.json").read_bytes()
    assert main(["run", str(TINY), *SMALL, "--force", "--out", str(out)]) == 2
    assert (out / "manifest.json").read_bytes() == manifest
    capsys.readouterr()
    assert main(command("compare", out, tmp_path)) == 0  # the study still resumes: all reused
    assert (out / "manifest.json").read_bytes() == manifest


def test_study_resumes_without_force_and_refuses_another_experiment(tmp_path, capsys):
    out = tmp_path / "study"
    assert main(command("compare", out, tmp_path)) == 0
    assert main(command("compare", out, tmp_path)) == 0  # same experiment: resumed
    before = snapshot(out)
    capsys.readouterr()
    assert main(command("compare", out, tmp_path, "--seed", "3")) == 2
    err = capsys.readouterr().err
    assert "another experiment" in err and "--force" in err
    assert snapshot(out) == before
    assert main(command("compare", out, tmp_path, "--seed", "3", "--force")) == 0


def test_recomputed_run_keeps_a_users_file_in_its_folder(tmp_path, capsys):
    out = tmp_path / "study"
    assert main(command("compare", out, tmp_path)) == 0
    folder = out / "runs" / "base__r0000"
    before = user_files(folder, "mine.txt")
    (folder / "done.json").unlink()  # as if the run had not finished: it is computed again
    assert main(command("compare", out, tmp_path)) == 0
    assert unchanged(folder, before)
    assert (folder / "done.json").exists() and (folder / "city.parquet").exists()


def test_stale_temporaries_of_a_killed_study_are_removed_on_the_next_open(tmp_path, capsys):
    out = tmp_path / "study"
    assert main(command("compare", out, tmp_path)) == 0
    stale = [out / f"{TMP_PREFIX}abc", out / "runs" / f"{TMP_PREFIX}base__r0000.xyz"]
    stale[0].write_text("half a manifest")
    stale[1].mkdir()
    (stale[1] / "annual.parquet").write_bytes(b"half")
    before = user_files(out, ".hidden-but-mine")
    assert main(command("compare", out, tmp_path)) == 0
    assert not any(p.exists() for p in stale)
    assert unchanged(out, before)


def _hold_lock(folder: str, ready, release) -> None:
    with folder_lock(folder):
        ready.set()
        release.wait(30)


@pytest.mark.parametrize("kind", KINDS)
def test_a_second_job_on_a_locked_folder_is_refused_cleanly(tmp_path, capsys, kind):
    out = tmp_path / "busy"
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(out), ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        assert main(command(kind, out, tmp_path)) == 2
        err = capsys.readouterr().err
        assert "another asnsim job is writing there" in err and "Traceback" not in err
    finally:
        release.set()
        holder.join(30)
    assert main(command(kind, out, tmp_path)) == 0  # free again once the other job ended


def test_lock_file_is_gone_after_the_job(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(command("compare", out, tmp_path)) == 0
    assert not (out / ".asnsim.lock").exists()


# --------------------------------------------------------------------------- exit codes


def test_unexpected_failure_exits_1_with_the_traceback_in_a_log(tmp_path, capsys, monkeypatch):
    def boom(self, *args, **kwargs):
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr("asnsim.model.ASNModel.run", boom)
    out = tmp_path / "out"
    assert main(["run", str(TINY), "--quiet", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "disk on fire" in err and "Traceback" not in err and str(out / LOG_NAME) in err
    log = (out / LOG_NAME).read_text()
    assert "Traceback" in log and "disk on fire" in log
    # a failed run's folder holds only asnsim's log: the next run may use it
    monkeypatch.undo()
    assert main(["run", str(TINY), *SMALL, "--no-figure", "--out", str(out)]) == 0


def test_failure_without_an_output_folder_logs_to_a_temporary_folder(capsys, monkeypatch):
    def boom(*args, **kwargs):
        raise OSError("no such device")

    monkeypatch.setattr("asnsim.cli._cmd_validate", boom)
    assert main(["validate", str(TINY)]) == 1
    err = capsys.readouterr().err
    log = Path(err.rsplit(" in ", 1)[1].strip())
    assert log.name == LOG_NAME and "no such device" in log.read_text()


# --------------------------------------------------------------------------- spreadsheets


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("base", "base"),
        ("a=b", "a=b"),
    ],
)
def test_text_cells_cannot_become_formulas(cell, written):
    frame = pd.DataFrame({"variant": [cell], "mean": [-1.5], "n": [3]})
    safe = spreadsheet_safe(frame)
    assert safe.loc[0, "variant"] == written
    assert safe.loc[0, "mean"] == -1.5 and safe["mean"].dtype == float  # numbers stay numbers
    assert safe.loc[0, "n"] == 3


def test_comparison_csv_escapes_a_variant_name(tmp_path, capsys):
    out = tmp_path / "out"
    args = ["compare", str(TINY), "--replications", "1", *STUDY, "--out", str(out)]
    assert (
        main([*args, "--variant", "+cmd|calc", "seed=1", "--variant", "@SUM(A1)", "seed=2"]) == 0
    )
    table = pd.read_csv(out / "comparison.csv")
    assert {"'+cmd|calc", "'@SUM(A1)", "base"} == set(table["variant"])
    assert pd.api.types.is_float_dtype(table["mean"])


def test_sweep_csv_escapes_a_variant_name(tmp_path, capsys):
    exp = experiment_file(tmp_path / "exp")
    exp.write_text(exp.read_text() + "variants: {'=1+2': {}}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["sweep", str(exp), "--serial", "--quiet", "--out", str(out)]) == 0
    assert pd.read_csv(out / "sweep.csv")["variant"].tolist() == ["'=1+2"]


# --------------------------------------------------------------------------- scenario files


def edited(old: str, new: str) -> str:
    assert old in TINY_TEXT
    return TINY_TEXT.replace(old, new, 1)


def alias_bomb(levels: int = 9) -> str:
    text = 'a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]\n'
    for i in range(1, levels):
        text += f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]\n"
    return text


HOSTILE = {
    "alias-bomb": (alias_bomb(), "once aliases (*name) are expanded"),
    "alias-loop": ("a: &a [*a]\n", "refers to its own anchor"),
    "duplicate-top-key": (edited("seed: 7", "seed: 7\nseed: 8"), "key 'seed' is given twice"),
    "duplicate-nested-key": (
        edited("    headcount: 300", "    headcount: 300\n    headcount: 200"),
        "key 'headcount' is given twice",
    ),
    "nan-in-mix": (
        edited(
            "    headcount: 300",
            "    headcount: 300\n    position_mix: {jpt: .nan, administrator: 0.025, "
            "pengawas: 0.08, fungsional: 0.51, pelaksana: 0.385}",
        ),
        "city.workforce.position_mix.jpt: got nan",
    ),
    "nan-demand": (
        edited("demand_per_day: 60", "demand_per_day: .nan"),
        "demand_per_day: got nan",
    ),
    "inf-demand": (
        edited("demand_per_day: 60", "demand_per_day: .inf"),
        "demand_per_day: got inf",
    ),
    "minus-inf-assumption": (
        TINY_TEXT + "assumptions:\n  ramp_days: -.inf\n",
        "assumptions.ramp_days: got -inf",
    ),
    "nan-uncertainty": (
        TINY_TEXT + "uncertainties:\n  assumptions.ramp_days: [.nan, 100]\n",
        "uncertainties.assumptions.ramp_days: got list; expected [low, high] as two finite "
        "numbers (found [nan, 100",
    ),
    "nan-policy-option": (
        TINY_TEXT + "policies:\n  training:\n    name: uniform\n    options: {jp_target: .nan}\n",
        "policies.training.options.jp_target",
    ),
    "huge-demand": (
        edited("demand_per_day: 60", "demand_per_day: 1.0e300"),
        "city.units.0.demand_per_day: got 1e+300",
    ),
    "huge-demand-as-text": (
        edited("demand_per_day: 60", "demand_per_day: 1e300"),
        "city.units.0.demand_per_day",
    ),
    "exploding-growth": (
        edited("horizon_years: 3", "horizon_years: 100") + "  demand_growth: 1.0\n",
        "requests a day within the horizon",
    ),
    "huge-headcount": (
        edited("headcount: 300", "headcount: 100000000"),
        "city.workforce.headcount: got 100000000",
    ),
    "huge-count": (
        edited("      count: 3", "      count: 1000000"),
        "service points; expected at most",
    ),
    "seed-true": (edited("seed: 7", "seed: true"), "seed: got true; expected a number"),
    "years-false": (
        edited("horizon_years: 3", "horizon_years: false"),
        "horizon_years: got false",
    ),
    "float-bool": (TINY_TEXT + "scale: true\n", "scale: got true"),
    "mix-bool": (
        edited(
            "    headcount: 300",
            "    headcount: 300\n    education_mix: {slta: true, d3: 0, s1: 0, s2: 0, s3: 0}",
        ),
        "city.workforce.education_mix: got dict; expected a number",
    ),
    "policy-option-bool": (
        TINY_TEXT + "policies:\n  placement:\n    name: competency_match\n"
        "    options: {max_moves_share: true}\n",
        "policies.placement.options.max_moves_share: got true",
    ),
    "duplicate-unit-names": (
        edited("name: Disdukcapil", "name: Puskesmas"),
        "city.units.1.name: got 'Puskesmas', already the name of city.units.0",
    ),
    "top-level-list": ("- a\n- b\n", "expected a mapping"),
    "deep-nesting": ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    "binary-garbage": (None, "not UTF-8"),
    "utf16": (None, "not UTF-8"),
    "too-large": (None, f"expected at most {MAX_YAML_BYTES:,}"),
}


def hostile_file(folder: Path, case: str) -> Path:
    text, _ = HOSTILE[case]
    path = folder / f"{case}.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    if case == "binary-garbage":
        path.write_bytes(bytes(range(256)) * 4)
    elif case == "utf16":
        path.write_bytes(TINY_TEXT.encode("utf-16"))
    elif case == "too-large":
        path.write_text("# " + "x" * MAX_YAML_BYTES + "\n" + TINY_TEXT, encoding="utf-8")
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_scenario_is_refused_fast_with_exit_2(tmp_path, capsys, case):
    path = hostile_file(tmp_path, case)
    start = time.process_time()  # CPU time: another job on the machine does not count
    assert main(["validate", str(path)]) == 2
    assert time.process_time() - start < 5  # refused before any runaway work
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert HOSTILE[case][1] in err
    assert path.name in err


@pytest.mark.parametrize(
    "case", ["nan-demand", "huge-demand", "seed-true", "duplicate-unit-names"]
)
def test_run_refuses_what_validate_refuses_and_writes_nothing(tmp_path, capsys, case):
    path = hostile_file(tmp_path / "in", case)
    out = tmp_path / "out"
    assert main(["run", str(path), "--quiet", "--out", str(out)]) == 2
    assert not out.exists()


def test_a_nan_does_not_slip_through_the_sum_to_one_check():
    # sum([nan, ...]) is nan, and abs(nan - 1) > 1e-6 is False: the finite check comes first
    with pytest.raises(ScenarioError, match="position_mix.jpt: got nan"):
        load_scenario(
            TINY,
            {
                "city.workforce.position_mix": {
                    "jpt": math.nan,
                    "fungsional": 0.6,
                    "pelaksana": 0.4,
                }
            },
        )


@pytest.mark.parametrize(
    ("target", "allowed"),
    [
        ("/etc/passwd", False),
        ("../outside/base.yaml", False),
        ("link/base.yaml", False),  # a symlink inside pointing outside
        ("sub/base.yaml", True),
        ("PROJECT", True),  # the project's scenarios/ folder
    ],
)
def test_extends_stays_in_the_scenarios_tree(tmp_path, capsys, target, allowed):
    outside = scenario_file(tmp_path / "outside", name="base.yaml")
    scenario_file(tmp_path / "proj" / "sub", name="base.yaml")
    (tmp_path / "proj" / "link").symlink_to(outside.parent, target_is_directory=True)
    if target == "PROJECT":
        target = str(Path(__file__).resolve().parents[1] / "scenarios" / "kupang.yaml")
    child = scenario_file(tmp_path / "proj", f"extends: {target}\nseed: 5\nhorizon_years: 1\n")
    code = main(["validate", str(child)])
    err = capsys.readouterr().err
    assert code == (0 if allowed else 2)
    if not allowed:
        assert "outside the scenario's folder" in err and "--allow-extends-anywhere" in err
        if target != "/etc/passwd":
            assert main(["validate", str(child), "--allow-extends-anywhere"]) == 0


SECRET = "hunter2-not-for-your-eyes"


@pytest.mark.parametrize(
    "parent",
    [
        f"name: x\ncity:\n  name: y\n  population: 5\n  token: {SECRET}\n  workforce: "
        "{headcount: 3}\n  units: [{name: a, sector: health, formation: 5, demand_per_day: 1, "
        "effort_hours: 1, service_standard_days: 1}]\n",
        f"name: x\nseed: {SECRET}\n",
        f"name: x\ncity: {{units: [{{sector: {SECRET}}}]}}\n",
        f"name: x\npolicies: {{training: {{name: {SECRET}}}}}\n",
        f"name: x\nkey: [unclosed {SECRET}\n",
        f"{SECRET}: 1\n{SECRET}: 2\n",
        f"just one line: of a private {SECRET} file\n",
    ],
    ids=["unknown-key", "bad-value", "cross-field", "policy", "malformed", "duplicate", "text"],
)
def test_errors_never_quote_a_file_the_user_did_not_name(tmp_path, capsys, parent):
    scenario_file(tmp_path / "private", parent, name="secret.yaml")
    child = scenario_file(tmp_path / "proj", "extends: ../private/secret.yaml\nhorizon_years: 1\n")
    assert main(["validate", str(child), "--allow-extends-anywhere"]) == 2
    err = capsys.readouterr().err
    assert SECRET not in err and "hunter" not in err
    assert err.startswith("error: ")


def test_errors_still_quote_what_the_user_wrote(tmp_path, capsys):
    scenario_file(tmp_path / "p", TINY_TEXT, name="base.yaml")
    child = scenario_file(tmp_path / "p", "extends: base.yaml\nseed: -4\n")
    assert main(["validate", str(child), "--set", "scale=-2"]) == 2
    err = capsys.readouterr().err
    assert "seed: got -4" in err and "scale: got -2" in err


def test_one_pass_reports_each_problem_once(tmp_path, capsys):
    text = (
        edited("demand_per_day: 60", "demand_per_day: -1")
        + "policies:\n  training: {name: bogus}\n  placement: {name: random, options: {x: 1}}\n"
    ).replace("sector: health", "sector: police", 1)
    path = scenario_file(tmp_path, text)
    assert main(["validate", str(path)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == len(set(lines)) == 4
    for fragment in (
        "city.units.0.demand_per_day",
        "city.units.0.sector",
        "policies.training.name",
        "policies.placement.options.x",
    ):
        assert sum(fragment in line for line in lines) == 1


# --------------------------------------------------------------------------- property test

BASE = yaml.safe_load(TINY_TEXT)
PROTECTED = {"scale", "horizon_years"}  # the small run sets them


def _paths(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield (*prefix, i)
            yield from _paths(value, (*prefix, i))


PATHS = [p for p in _paths(BASE) if p[0] not in PROTECTED]
VALUES = st.sampled_from(
    [
        math.nan,
        math.inf,
        -math.inf,
        1e300,
        -1,
        0,
        0.5,
        10**30,
        True,
        False,
        "text",
        "",
        None,
        [],
        {},
    ]
)


@st.composite
def mutated(draw):
    import copy

    data = copy.deepcopy(BASE)
    touched = []
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(PATHS))
        node = data
        for part in path[:-1]:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        if not isinstance(node, dict | list):
            continue
        key = path[-1]
        if isinstance(node, list) and not (isinstance(key, int) and key < len(node)):
            continue
        if isinstance(node, dict) and key not in node:
            continue
        action = draw(st.sampled_from(["replace", "drop", "unknown-key", "duplicate-item"]))
        touched.append(".".join(map(str, path[:2])))
        if action == "replace":
            node[key] = draw(VALUES)
        elif action == "drop":
            del node[key]
        elif action == "unknown-key" and isinstance(node, dict):
            node[f"{key}_typo"] = 1
        elif action == "duplicate-item" and isinstance(node, list):
            node.append(copy.deepcopy(node[key]))
    text = yaml.safe_dump(data, sort_keys=False)
    if draw(st.integers(0, 3)) == 0:  # a key written twice, as a careless edit would
        lines = text.splitlines(keepends=True)
        keys = [i for i, line in enumerate(lines) if re.match(r"^ *\w+:", line)]
        i = draw(st.sampled_from(keys))
        lines.insert(i + 1, lines[i])
        touched.append(lines[i].split(":")[0].strip())
        text = "".join(lines)
    return text, touched


@settings(
    max_examples=50,
    deadline=20_000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=mutated())
def test_what_validate_accepts_runs_and_what_it_refuses_names_the_key(tmp_path, capsys, case):
    from asnsim.model import ASNModel

    text, touched = case
    path = tmp_path / "mutant.yaml"
    path.write_text(text, encoding="utf-8")
    small = ["--set", "scale=0.02", "--set", "horizon_years=1"]
    capsys.readouterr()
    code = main(["validate", str(path), *small])
    err = capsys.readouterr().err
    event("accepted" if code == 0 else "refused")
    if code == 0:
        scenario = load_scenario(path, ["scale=0.02", "horizon_years=1"])
        ASNModel(scenario).run(progress=False)  # must not raise
    else:
        assert code == 2, err
        assert "Traceback" not in err
        # every line names the file, then a key path (or a line of the file) and a reason
        lines = err.strip().removeprefix("error: ").splitlines()
        for line in lines:
            where = r"(line \d+, column \d+|[\w.]+)"
            assert re.match(rf"{re.escape(str(path))}: {where}[:,] ", line), line
        assert any(key in err for key in touched), (touched, err)


def test_docs_state_the_limits_the_code_applies():
    from asnsim import scenario

    text = (Path(__file__).parents[1] / "docs" / "files.md").read_text(encoding="utf-8")
    assert f"{scenario.MAX_STAFF:,} staff" in text
    assert f"{scenario.MAX_SERVICE_POINTS:,} service points" in text
    assert f"{scenario.MAX_YAML_NODES:,} values" in text
    assert scenario.MAX_YAML_BYTES == 1_000_000 and "at most 1 MB" in text
    assert scenario.MAX_REQUESTS_PER_DAY == 1e7 and "10 million requests a day" in text
    for option in ("--force", "--allow-extends-anywhere", "asnsim-error.log", ".asnsim.lock"):
        assert option in text


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("REPLACE", "replications"),
        ("master_seed: .nan\n", "master_seed"),
        ("design: {kind: lhs, samples: 2, factors: {seed: [0, .inf]}}\n", "seed: got inf"),
        ("name: again\n", "key 'name' is given twice"),
        (alias_bomb(), "once aliases (*name) are expanded"),
    ],
    ids=["bool-replications", "nan-seed", "inf-factor", "duplicate-key", "alias-bomb"],
)
def test_hostile_experiment_file_is_refused_with_exit_2(tmp_path, capsys, extra, expected):
    exp = experiment_file(tmp_path / "exp")
    text = exp.read_text()
    text = (
        text.replace("replications: 1", "replications: true")
        if extra == "REPLACE"
        else text + extra
    )
    exp.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["sweep", str(exp), "--serial", "--quiet", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert not out.exists()


def test_validation_folder_resumes_and_is_refused_to_other_kinds(tmp_path, capsys):
    out = tmp_path / "val"
    args = [*OTHER_COMMANDS["validation"], "--scale", "0.05", "--serial", "--quiet"]
    assert main([*args, "--out", str(out)]) == 0
    before = user_files(out, "notes.txt")
    assert main([*args, "--out", str(out)]) == 0  # resumed: its runs are reused
    assert main(command("run", out, tmp_path, "--force")) == 2
    assert "asnsim validation result" in capsys.readouterr().err
    assert unchanged(out, before)
    capsys.readouterr()
    # Other settings: the city's earlier runs are kept unless --force replaces them.
    other = [*args[:-3], "0.06", "--serial", "--quiet", "--out", str(out)]
    city = out / "padang" / "manifest.json"
    first = city.read_bytes()
    assert main(other) == 2
    assert "--force" in capsys.readouterr().err
    assert city.read_bytes() == first
    assert main([*other, "--force"]) == 0
    assert json.loads(city.read_bytes())["experiment_hash"] != json.loads(first)["experiment_hash"]
    assert json.loads((out / "validation.json").read_text())["scale"] == 0.06
    assert unchanged(out, before)
    assert not list(out.rglob(".asnsim-tmp-*"))


def test_validation_writes_through_the_folder_rules_itself(tmp_path, monkeypatch):
    """run_validation claims its folder: a folder of the user's files is refused by it."""
    from asnsim.outfolder import OutputFolderError
    from asnsim.validation import run_validation

    before = user_files(tmp_path, "notes.txt")
    monkeypatch.setattr("asnsim.experiment.execute_run", _must_not_run)
    with pytest.raises(OutputFolderError, match="did not write"):
        run_validation(tmp_path, executor=None, cities=("padang",))
    assert unchanged(tmp_path, before) and sorted(os.listdir(tmp_path)) == ["notes.txt"]
