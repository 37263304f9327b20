"""Shipped scenarios by name: ``asnsim run kotabumi``, ``asnsim scenarios``, ``extends``."""

from __future__ import annotations

import pytest
import yaml

from asnsim.catalog import (
    EXPERIMENTS_DIR,
    OBSERVED_DIR,
    SAMPLE_ROSTER,
    SCENARIOS_DIR,
    is_scenario_name,
    resolve_experiment,
    resolve_scenario,
    shipped_scenarios,
)
from asnsim.cli import main
from asnsim.scenario import ScenarioError, load_scenario

CITIES = ["kotabumi", "kupang", "medan", "padang", "palembang"]


def test_every_city_and_variant_is_listed_once_with_its_question():
    entries = shipped_scenarios()
    names = [e.name for e in entries]
    assert len(names) == len(set(names))
    assert [n for n in names if "/" not in n] == CITIES
    files = sorted(SCENARIOS_DIR.rglob("*.yaml"))
    assert len(entries) == len(files)
    for entry in entries:
        assert entry.path.is_file()
        assert len(entry.question) > 40, entry.name
        assert entry.city in CITIES


def test_the_shipped_data_is_found():
    assert (OBSERVED_DIR / "targets.csv").is_file()
    assert SAMPLE_ROSTER.is_file()


@pytest.mark.parametrize(
    ("text", "is_name"),
    [
        ("kotabumi", True),
        ("kotabumi/competency_match", True),
        ("kotabumi.yaml", False),
        ("scenarios/kotabumi.yaml", False),
        ("../kotabumi", False),
        ("a/b/c", False),
        ("/etc/passwd", False),
        ("Kotabumi", False),
    ],
)
def test_what_counts_as_a_name(text, is_name):
    assert is_scenario_name(text) is is_name


def test_a_name_loads_the_same_scenario_as_its_file_from_any_folder(tmp_path, monkeypatch):
    by_path = load_scenario(SCENARIOS_DIR / "kotabumi" / "seniority.yaml")
    monkeypatch.chdir(tmp_path)
    assert resolve_scenario("kotabumi/seniority") == SCENARIOS_DIR / "kotabumi" / "seniority.yaml"
    assert load_scenario("kotabumi/seniority").hash() == by_path.hash()


def test_a_file_of_the_same_name_wins_over_the_shipped_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kotabumi").write_text("name: mine\n")
    assert resolve_scenario("kotabumi") == tmp_path.joinpath("kotabumi").relative_to(tmp_path)


def test_an_unknown_name_says_how_to_list_the_shipped_ones(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "kotabum"]) == 2
    err = capsys.readouterr().err
    assert "no such scenario file: kotabum" in err and "asnsim scenarios" in err


def test_a_planners_file_may_extend_a_shipped_scenario_by_name(tmp_path):
    own = tmp_path / "my_city.yaml"
    own.write_text(yaml.safe_dump({"extends": "kotabumi", "name": "my-kotabumi", "seed": 3}))
    mine = load_scenario(own)
    shipped = load_scenario("kotabumi")
    assert mine.name == "my-kotabumi" and mine.seed == 3
    assert mine.city == shipped.city


def test_extends_by_name_fails_clearly_for_an_unknown_name(tmp_path):
    own = tmp_path / "my_city.yaml"
    own.write_text("extends: atlantis\nname: x\n")
    with pytest.raises(ScenarioError, match="extends: no such file atlantis"):
        load_scenario(own)


def test_the_scenarios_command_lists_every_name_and_question(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for entry in shipped_scenarios():
        assert entry.name in out
    assert "Lampung Utara" in out


def test_run_by_name_from_another_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = main(["run", "kupang", "--scale", "0.05", "--years", "1", "--no-figure", "--out", "r"])
    assert code == 0
    assert (tmp_path / "r" / "summary.json").is_file()
    assert "Kupang" in capsys.readouterr().out


def test_a_folder_of_the_same_name_does_not_hide_the_shipped_scenario(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kotabumi").mkdir()  # as in scenarios/, where each city has a variant folder
    assert resolve_scenario("kotabumi") == SCENARIOS_DIR / "kotabumi.yaml"


def test_an_experiment_file_may_name_a_shipped_scenario(tmp_path):
    from asnsim.experiment import ExperimentSpec, plan_runs

    spec = ExperimentSpec(name="e", scenario="kupang", overrides={"horizon_years": 1})
    (run,) = plan_runs(spec, base_dir=tmp_path)
    expected = load_scenario("kupang", {"horizon_years": 1, "seed": run.seed})
    assert run.scenario_hash == expected.hash()


def test_a_shipped_experiment_is_found_by_name_from_any_folder(tmp_path, monkeypatch):
    from asnsim.experiment import load_experiment, plan_runs

    monkeypatch.chdir(tmp_path)
    assert resolve_experiment("reproduce_kotabumi") == EXPERIMENTS_DIR / "reproduce_kotabumi.yaml"
    spec, base_dir = load_experiment("reproduce_kotabumi")
    assert spec.scenario == "kotabumi" and base_dir == EXPERIMENTS_DIR
    runs = plan_runs(spec, base_dir)
    assert len(runs) == len(spec.variants) * spec.replications
    (tmp_path / "reproduce_kotabumi").mkdir()  # a folder of that name is not an experiment
    assert resolve_experiment("reproduce_kotabumi") == EXPERIMENTS_DIR / "reproduce_kotabumi.yaml"
    (tmp_path / "reproduce_kotabumi.yaml").write_text("name: mine")
    assert resolve_experiment("reproduce_kotabumi.yaml").parent != EXPERIMENTS_DIR


def test_every_shipped_experiment_names_a_shipped_scenario():
    from asnsim.experiment import load_experiment

    files = sorted(EXPERIMENTS_DIR.glob("*.yaml"))
    assert len(files) >= 3
    for path in files:
        spec, _ = load_experiment(path)
        assert is_scenario_name(spec.scenario), path.name
        assert resolve_scenario(spec.scenario).is_file(), path.name


def test_every_city_has_a_shipped_posterior_found_from_its_name_or_a_variant():
    from asnsim.calibration.posterior import load_posterior
    from asnsim.catalog import CALIBRATED_DIR, shipped_posterior

    for city in CITIES:
        folder = shipped_posterior(city)
        assert folder == CALIBRATED_DIR / city
        posterior = load_posterior(folder)
        assert posterior.manifest["settings"]["city"] == city
        posterior.check(load_scenario(city))  # its parameters are keys of the city's scenario
    assert shipped_posterior("kotabumi/competency_match") == CALIBRATED_DIR / "kotabumi"
    with pytest.raises(FileNotFoundError, match=r"'jakarta'.*'kotabumi'"):
        shipped_posterior("jakarta")
