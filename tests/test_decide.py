"""asnsim.decide: regret and p_best on known tables, targets, PRIM, paired worlds, commands."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from asnsim.cli import main
from asnsim.decide.optimise import non_dominated, parse_objectives
from asnsim.decide.robust import Target, best_shares, parse_target, regrets, robust_table
from asnsim.decide.worlds import draw_worlds, latin_hypercube, read_posterior, run_in_worlds
from asnsim.model import ASNModel
from asnsim.scenario import ScenarioError, load_scenario
from tests.conftest import TINY

# worlds × options; higher is better
TOY = np.array([[1.0, 3.0, 2.0], [4.0, 2.0, 4.0], [2.0, 2.0, 5.0]])

UNCERTAIN = (
    f"extends: {TINY}\nhorizon_years: 1\nscale: 0.5\nuncertainties:\n"
    "  assumptions.mismatch_ceiling: [0.6, 0.95]\n"
    "  assumptions.elements.U4.intercept: [0.7, 0.9]\n"
)


@pytest.fixture
def uncertain(tmp_path):
    path = tmp_path / "uncertain.yaml"
    path.write_text(UNCERTAIN)
    return path


def test_regret_and_p_best_on_a_hand_computed_table():
    # world bests: option 1 (3), options 0 and 2 tied (4), option 2 (5)
    r = regrets(TOY, higher=True)
    np.testing.assert_array_equal(r, [[2, 0, 1], [0, 2, 0], [3, 3, 0]])
    np.testing.assert_allclose(best_shares(TOY, True), [1 / 6, 1 / 3, 1 / 2])
    # lower is better: bests option 0 (1), option 1 (2), options 0 and 1 tied (2)
    np.testing.assert_array_equal(regrets(TOY, higher=False), [[0, 2, 1], [2, 0, 2], [0, 0, 3]])
    np.testing.assert_allclose(best_shares(TOY, False), [1 / 2, 1 / 2, 0])


def test_robust_table_expected_regret_p_best_and_target_shares():
    worlds = pd.DataFrame(
        [
            {"world": w, "option": o, "ikm_true": TOY[w, i], "wait_mean_days": TOY[w, i]}
            for w in range(3)
            for i, o in enumerate(["a", "b", "c"])
        ]
    )
    table = robust_table(
        worlds, ["ikm_true", "wait_mean_days"], [Target("ikm_true", ">=", 3)]
    ).set_index(["outcome", "option"])
    ikm = table.loc["ikm_true"]
    np.testing.assert_allclose(ikm["expected"], [7 / 3, 7 / 3, 11 / 3])
    np.testing.assert_allclose(ikm["regret_mean"], [5 / 3, 5 / 3, 1 / 3])
    np.testing.assert_allclose(ikm["regret_max"], [3, 3, 1])
    np.testing.assert_allclose(ikm["p_best"], [1 / 6, 1 / 3, 1 / 2])
    np.testing.assert_allclose(ikm["meets:ikm_true>=3"], [1 / 3, 1 / 3, 2 / 3])
    wait = table.loc["wait_mean_days"]  # lower is better for waits
    np.testing.assert_allclose(wait["p_best"], [1 / 2, 1 / 2, 0])
    np.testing.assert_allclose(wait["regret_max"], [2, 2, 3])


def test_targets_parse_in_one_or_three_words_and_refuse_nonsense():
    assert parse_target(["ikm_true", ">=", "88.31"]) == Target("ikm_true", ">=", 88.31)
    assert parse_target("cost_per_year<=2e9").value == 2e9
    assert list(Target("w", "<", 1).met(np.array([0.5, 1.0, np.nan]))) == [True, False, False]
    for bad in (["ikm", "=>", "88"], ["ikm", ">=", "band A"], ["ikm>=nan"], [">=", "3"]):
        with pytest.raises(ScenarioError, match="expected OUTCOME OP VALUE"):
            parse_target(bad)
    with pytest.raises(ScenarioError, match="unknown outcome 'ikn'"):
        parse_target(["ikn", ">=", "88"], known={"ikm"})


def test_prim_finds_a_known_box():
    pytest.importorskip("ema_workbench")
    from asnsim.decide.discovery import prim_box

    rng = np.random.default_rng(1)
    x = pd.DataFrame(rng.uniform(0, 1, (400, 3)), columns=["a", "b", "c"])
    y = ((x.a > 0.6) & (x.b < 0.3)).to_numpy()
    box = prim_box(x, y, min_density=0.9)
    assert set(box.limits) == {"a", "b"}  # c does not matter
    assert box.limits["a"][0] == pytest.approx(0.6, abs=0.05)
    assert box.limits["b"][1] == pytest.approx(0.3, abs=0.05)
    assert box.density >= 0.9 and box.coverage >= 0.8
    assert prim_box(x, np.zeros(400, bool)) is None


def test_discovery_says_where_an_option_loses_its_lead():
    pytest.importorskip("ema_workbench")
    from asnsim.decide.discovery import discover

    p = np.linspace(0, 1, 200)
    rows = []
    for w, v in enumerate(p):  # 'a' is best while p < 0.5, 'b' after
        rows.append({"world": w, "p": v, "q": (w * 7919 % 200) / 200, "option": "a", "y": 1.0})
        rows.append({"world": w, "p": v, "q": 0.0, "option": "b", "y": 2 * v})
    boxes, sentences = discover(pd.DataFrame(rows), ["p", "q"], "y", True, min_density=0.99)
    a = boxes[boxes.option == "a"].set_index("parameter")
    assert list(a.index) == ["p"] and a.loc["p", "low"] == pytest.approx(0.5, abs=0.03)
    assert "'a' loses its lead on y when p is between" in sentences[0]


def test_latin_hypercube_fills_each_stratum_once_within_the_ranges(uncertain):
    scenario = load_scenario(uncertain, extends_anywhere=True)
    frame = latin_hypercube(scenario, 10, seed=3)
    for key, (low, high) in scenario.uncertainties.items():
        strata = np.floor((frame[key] - low) / (high - low) * 10).astype(int)
        assert sorted(strata) == list(range(10))
    pd.testing.assert_frame_equal(frame, latin_hypercube(scenario, 10, seed=3))


def test_every_option_runs_in_the_same_worlds(uncertain):
    scenario = load_scenario(uncertain, extends_anywhere=True)
    worlds = draw_worlds(scenario, 3, seed=5)
    options = {"base": {}, "uniform": {"policies.training.name": "uniform"}}
    runs = run_in_worlds(scenario, options, worlds)
    keys = ["seed", *scenario.uncertainties]
    per_world = runs.groupby("world")[keys].nunique()
    assert (per_world == 1).all().all()  # same parameters and seed for every option
    assert runs.drop_duplicates("world")["seed"].nunique() == 3  # worlds differ
    alone = ASNModel(scenario.with_overrides(worlds.overrides(1))).run(progress=False).city()
    ours = runs[(runs.world == 1) & (runs.option == "base")]
    assert ours["ikm_true"].item() == alone["ikm_true"].iloc[-1]
    with pytest.raises(ScenarioError, match="which the worlds vary"):
        run_in_worlds(scenario, {"x": {"assumptions.mismatch_ceiling": 0.7}}, worlds)


def test_posterior_is_read_and_drawn_by_weight(tmp_path, uncertain):
    scenario = load_scenario(uncertain, extends_anywhere=True)
    pd.DataFrame(
        {"assumptions.mismatch_ceiling": [0.7, 0.8, 0.9], "weight": [0.0, 1.0, 0.0]}
    ).to_parquet(tmp_path / "posterior.parquet")
    worlds = draw_worlds(scenario, 5, 0, read_posterior(tmp_path))
    assert list(worlds.parameters.columns) == ["assumptions.mismatch_ceiling"]
    assert (worlds.parameters["assumptions.mismatch_ceiling"] == 0.8).all()
    bad = tmp_path / "bad.parquet"
    pd.DataFrame({"assumptions.mismatch_ceiling": [0.7]}).to_parquet(bad)
    with pytest.raises(ScenarioError, match="bad.parquet: no 'weight' column"):
        read_posterior(bad)
    pd.DataFrame({"assumptions.nonsense": [0.7], "weight": [1.0]}).to_parquet(bad)
    with pytest.raises(ScenarioError, match="'assumptions.nonsense' is not a numeric key"):
        draw_worlds(scenario, 2, 0, read_posterior(bad))
    pd.DataFrame({"assumptions.mismatch_ceiling": [0.7], "weight": [-1.0]}).to_parquet(bad)
    with pytest.raises(ScenarioError, match="non-negative weights"):
        read_posterior(bad)


def test_non_dominated_on_a_known_set():
    f = np.array([[1, 5], [2, 2], [3, 3], [5, 1], [2, 2], [4, 4]])  # minimise both
    assert list(non_dominated(f)) == [True, True, False, True, True, False]
    assert [o.outcome for o in parse_objectives("ikm,wait,cost")] == [
        "ikm_true",
        "wait_mean_days",
        "cost_per_year",
    ]


def test_robust_command_writes_its_tables(uncertain, tmp_path, capsys):
    pytest.importorskip("ema_workbench")
    out = tmp_path / "robust"
    code = main(
        ["robust", str(uncertain), "--allow-extends-anywhere", "--worlds", "6"]
        + ["--variant", "uniform", "policies.training.name=uniform"]
        + ["--target", "ikm_true", ">=", "80", "--target", "wait_mean_days<=1", "--out", str(out)]
    )
    assert code == 0
    table = pd.read_csv(out / "robust.csv")
    assert {"meets:ikm_true>=80", "meets:wait_mean_days<=1", "regret_max"} <= set(table.columns)
    assert set(table.option) == {"base", "uniform"}
    sums = table.groupby("outcome")["p_best"].sum()
    np.testing.assert_allclose(sums, 1.0)
    worlds = pd.read_csv(out / "worlds.csv")
    assert len(worlds) == 12 and worlds.groupby("world")["seed"].nunique().max() == 1
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "robust" and len(manifest["world_seeds"]) == 6
    assert manifest["command"][:2] == ["asnsim", "robust"]
    assert "ikm_true over 6 worlds" in capsys.readouterr().out


def test_robust_gives_the_same_worlds_on_a_process_pool_as_in_this_process(uncertain, tmp_path):
    pytest.importorskip("ema_workbench")
    base = ["robust", str(uncertain), "--allow-extends-anywhere", "--worlds", "3"]
    base += ["--variant", "uniform", "policies.training.name=uniform"]
    assert main([*base, "--serial", "--out", str(tmp_path / "serial")]) == 0
    pool = ["--workers", "2", "--chunk-runs", "2", "--out", str(tmp_path / "pool")]
    assert main([*base, *pool]) == 0
    serial = pd.read_csv(tmp_path / "serial" / "worlds.csv")
    pd.testing.assert_frame_equal(serial, pd.read_csv(tmp_path / "pool" / "worlds.csv"))


def test_optimise_returns_non_dominated_points_and_runnable_variants(tmp_path):
    pytest.importorskip("pymoo")
    out, city = tmp_path / "opt", tmp_path / "city.yaml"
    city.write_text(f"extends: {TINY}\nhorizon_years: 1\nscale: 0.5\n")
    args = ["optimise", str(city), "--allow-extends-anywhere", "--budget", "5e9", "--serial"]
    args += ["--levers", "placement,change,digital,training", "--evaluations", "16"]
    assert main([*args, "--replications", "1", "--out", str(out)]) == 0
    pareto = pd.read_csv(out / "pareto.csv")
    assert pareto.current.sum() == 1
    front = pareto[pareto.pareto]
    assert len(front) >= 1 and front.feasible.all() and (front.cost_per_year <= 5e9).all()
    assert not front.current.all()  # the search found a point besides the current policy
    f = front[["ikm_true", "wait_mean_days", "cost_per_year"]].to_numpy() * [-1, 1, 1]
    assert non_dominated(f).all()
    searched = [
        c for c in pareto.columns if c.startswith("policies.") or c.startswith("training.")
    ]
    assert "policies.change.options.coverage" in searched
    for row in pareto.to_dict("records"):  # each file holds the point's choices
        data = load_scenario(out / row["variant"], extends_anywhere=True).canonical()
        for key in searched:
            if pd.notna(row[key]):
                kind, rest = key.split(".", 1) if key.startswith("training.") else (None, key)
                value = data["training"][rest] if kind else _at(data, key)
                assert str(value) == str(row[key]) or value == pytest.approx(row[key]), key
    seed = json.loads((out / "manifest.json").read_text())["world_seeds"][0]
    point = front.sort_values("current").iloc[0]  # a searched point when there is one
    run = tmp_path / "run"
    rerun = ["run", str(out / point.variant), "--allow-extends-anywhere", "--seed", str(seed)]
    assert main([*rerun, "--out", str(run)]) == 0
    city = pd.read_parquet(run / "city.parquet")
    assert city["ikm_true"].iloc[-1] == pytest.approx(point.ikm_true, rel=1e-12)
    assert city["total_spend"].sum() == pytest.approx(point.cost_per_year, rel=1e-12)


def _at(data, key):
    for part in key.split("."):
        data = data[part]
    return data


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["robust", "kotabumi", "--variant", "a=b"], "expected a NAME first"),
        (["robust", "kotabumi", "--variant", "x", "policies.nope=1"], "--variant x"),
        (["robust", "kotabumi", "--variant", "x", "seed=1"], "declares none"),
        (["robust", "kotabumi", "--variant", "x", "seed=2", "--target", "ikm", "~", "8"], "OP"),
        (["optimise", "kotabumi", "--budget", "-5"], "--budget -5: expected rupiah"),
        (["optimise", "kotabumi", "--budget", "lots"], "--budget lots"),
        (["optimise", "kotabumi", "--budget", "1e9", "--objectives", "ikm,joy"], "'joy'"),
        (["optimise", "kotabumi", "--budget", "1e9", "--levers", "luck"], "--levers"),
    ],
)
def test_bad_options_are_refused_clearly(argv, message, capsys, tmp_path):
    assert main([*argv, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_the_cheaper_option_is_best_on_cost():
    worlds = pd.DataFrame(
        {
            "world": [0, 0, 1, 1],
            "option": ["cheap", "dear", "cheap", "dear"],
            "cost_per_year": [1.0e9, 3.0e9, 2.0e9, 2.5e9],
        }
    )
    table = robust_table(worlds, ["cost_per_year"]).set_index("option")
    assert table.loc["cheap", "p_best"] == 1.0 and table.loc["dear", "p_best"] == 0.0
    assert table.loc["cheap", "regret_max"] == 0.0
    assert table.loc["dear", "regret_mean"] == pytest.approx((2.0e9 + 0.5e9) / 2)


def _interrupt_after(monkeypatch, runs: int) -> dict[str, int]:
    """Make the worlds' runs raise KeyboardInterrupt (Ctrl-C) once ``runs`` have returned."""
    import asnsim.decide.worlds as worlds

    real, seen = worlds.evaluate, {"runs": 0}

    def evaluate(*args, **kwargs):
        for item in real(*args, **kwargs):
            if seen["runs"] == runs:
                raise KeyboardInterrupt
            seen["runs"] += 1
            yield item

    monkeypatch.setattr(worlds, "evaluate", evaluate)
    return seen


def _cut_and_resume(monkeypatch, argv: list[str], out, after: int) -> int:
    """Interrupt a study once ``after`` runs are stored, then resume it; the runs it made."""
    with monkeypatch.context() as patch:
        _interrupt_after(patch, after)
        with pytest.raises(KeyboardInterrupt):
            main([*argv, "--out", str(out)])
    assert len(list((out / "runs").iterdir())) == after  # each run stored as it returned
    with monkeypatch.context() as patch:
        ran = _interrupt_after(patch, -1)  # counts, never interrupts
        assert main([*argv, "--out", str(out)]) == 0
    return ran["runs"]


def test_an_interrupted_robust_study_resumes_to_the_same_tables(uncertain, tmp_path, monkeypatch):
    pytest.importorskip("ema_workbench")
    argv = ["robust", str(uncertain), "--allow-extends-anywhere", "--worlds", "4", "--serial"]
    argv += ["--variant", "uniform", "policies.training.name=uniform"]
    assert main([*argv, "--out", str(tmp_path / "whole")]) == 0
    assert _cut_and_resume(monkeypatch, argv, tmp_path / "cut", 3) == 8 - 3  # the missing runs
    for name in ("robust.csv", "worlds.csv", "discovery.csv"):
        whole = (tmp_path / "whole" / name).read_bytes()
        assert (tmp_path / "cut" / name).read_bytes() == whole, name
    assert main(["reproduce", str(tmp_path / "cut"), "--limit", "2"]) == 0  # runs re-made
    other = [*argv[:4], "5", *argv[5:], "--out", str(tmp_path / "cut")]
    assert main(other) == 2  # other settings: refused, the study is kept


def test_an_interrupted_search_resumes_to_the_same_front(uncertain, tmp_path, monkeypatch, capsys):
    pytest.importorskip("pymoo")
    argv = ["optimise", str(uncertain), "--allow-extends-anywhere", "--budget", "5e9"]
    argv += ["--levers", "change,training", "--evaluations", "8", "--replications", "2"]
    argv += ["--search", "policies.change.options.sessions_per_year=1:3", "--serial"]
    assert main([*argv, "--out", str(tmp_path / "whole")]) == 0
    total = len(list((tmp_path / "whole" / "runs").iterdir()))
    assert _cut_and_resume(monkeypatch, argv, tmp_path / "cut", 7) == total - 7
    whole = pd.read_csv(tmp_path / "whole" / "pareto.csv")
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "cut" / "pareto.csv"), whole)
    for path in sorted((tmp_path / "whole" / "variants").iterdir()):
        assert (tmp_path / "cut" / "variants" / path.name).read_bytes() == path.read_bytes()
    assert main([*argv, "--budget", "6e9", "--out", str(tmp_path / "cut")]) == 2
    assert "holds results of another experiment" in capsys.readouterr().err
