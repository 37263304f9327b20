"""Calibration: the CLI on a tiny budget (and its resume), coverage of the truth on a stand-in
simulator through the same ABC code path, paired posterior draws, the variance split against
a known case, and the shipped posteriors."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asnsim import load_scenario
from asnsim.calibration.posterior import Posterior, load_posterior
from asnsim.calibration.variance import split_table, variance_split
from asnsim.catalog import CALIBRATED_DIR
from asnsim.cli import main
from asnsim.experiment import ExperimentSpec, plan_runs
from asnsim.priors import Prior
from asnsim.validation import CITIES

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny.yaml"


def _scenario_with_priors(tmp_path: Path) -> Path:
    path = tmp_path / "tiny_priors.yaml"
    path.write_text(
        f"extends: {TINY}\nhorizon_years: 1\nscale: 0.2\nuncertainties:\n"
        "  training.routine.share: {dist: beta, a: 3.5, b: 6.5}\n"
        "  assumptions.pppk_exit_rate: [0.02, 0.05]\n"
    )
    return path


def test_calibrate_cli_writes_posterior_and_manifest_and_resumes(tmp_path, capsys):
    pytest.importorskip("pyabc")
    scenario = _scenario_with_priors(tmp_path)
    out = tmp_path / "cal"
    args = ["calibrate", str(scenario), "--allow-extends-anywhere", "--out", str(out)]
    args += ["--population", "4", "--predictive", "2", "--quiet", "--serial"]
    assert main([*args, "--simulations", "8"]) == 0
    first = pd.read_parquet(out / "posterior.parquet")
    assert list(first.columns) == [
        "training.routine.share",
        "assumptions.pppk_exit_rate",
        "weight",
    ]
    assert first["weight"].sum() == pytest.approx(1.0)
    assert first["assumptions.pppk_exit_rate"].between(0.02, 0.05).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "calibration"
    assert manifest["settings"]["seed"] == 0
    assert len(manifest["settings"]["targets_sha256"]) == 64
    assert manifest["settings"]["priors"]["assumptions.pppk_exit_rate"] == {
        "dist": "uniform",
        "low": 0.02,
        "high": 0.05,
    }
    assert "pyabc" in manifest["versions"]
    generations = pd.read_csv(out / "generations.csv")
    assert {"epsilon", "acceptance_rate", "ess"} <= set(generations.columns)
    predictive = pd.read_csv(out / "predictive.csv")
    fitted = set(manifest["settings"]["targets"])
    assert set(predictive.loc[predictive["use"] == "calibration", "target"]) == fitted
    held_out = set(predictive.loc[predictive["use"] == "validation", "target"])
    assert held_out and held_out.isdisjoint(fitted)  # checked, never fitted
    assert (out / "prior_posterior.png").is_file() and (out / "predictive.png").is_file()
    done = manifest["simulations_done"]
    # a second call with a larger budget continues the same database
    assert main([*args, "--simulations", str(done + 5)]) == 0
    resumed = pd.read_csv(out / "generations.csv")
    assert len(resumed) > len(generations)
    assert resumed.iloc[: len(generations)].equals(generations)
    # another calibration in the same folder is refused, naming what differs
    assert main([*args, "--simulations", "40", "--seed", "3"]) == 2
    assert "seed" in capsys.readouterr().err


def test_calibrate_refuses_a_scenario_without_priors_and_a_foreign_folder(tmp_path, capsys):
    assert main(["calibrate", str(TINY), "--out", str(tmp_path / "a"), "--quiet"]) == 2
    assert "uncertainties" in capsys.readouterr().err
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    scenario = _scenario_with_priors(tmp_path)
    code = main(["calibrate", str(scenario), "--allow-extends-anywhere", "--out", str(foreign)])
    assert code == 2
    assert "did not write" in capsys.readouterr().err
    assert (foreign / "notes.txt").read_text() == "mine"


def _stand_in(parameters: dict[str, float], seed: int) -> dict[str, float]:
    """A cheap simulator: two noisy readings of theta (noise sd 0.1)."""
    rng = np.random.default_rng(seed)
    theta = parameters["theta"]
    return {"y1": theta + rng.normal(0, 0.1), "y2": theta + rng.normal(0, 0.1)}


def test_posterior_intervals_cover_the_truth_at_about_the_nominal_rate(tmp_path):
    pytest.importorskip("pyabc")
    from asnsim.calibration.abc import one_by_one, run_abc

    priors = {"theta": Prior(dist="uniform", low=0.0, high=1.0)}
    rng = np.random.default_rng(2024)
    covered, widths = [], []
    for i in range(6):  # the full check (100 data sets): benchmarks/bench_calibration.py
        truth = float(rng.uniform(0.1, 0.9))
        observed = _stand_in({"theta": truth}, int(rng.integers(2**31)))
        result = run_abc(
            priors,
            one_by_one(_stand_in),
            observed,
            {"y1": 0.1, "y2": 0.1},
            _folder(tmp_path, i),
            120,
            20,
            i,
        )
        post = Posterior(result.posterior[["theta"]], result.posterior["weight"].to_numpy(), {})
        low, high = post.quantiles(0.05)["theta"], post.quantiles(0.95)["theta"]
        covered.append(low <= truth <= high)
        widths.append(high - low)
    # the exact posterior's 90 % interval is about 2 * 1.645 * 0.1 / sqrt(2) = 0.23 wide; ABC's
    # tolerance widens it, so coverage should be at least nominal and the interval informative
    assert sum(covered) >= 4  # P(>= 4 of 6 | coverage 0.9) = 0.98
    assert np.mean(widths) < 0.6


def _two_readings(parameters: dict[str, float], seed: int) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    theta, phi = parameters["theta"], parameters["phi"]
    return {"y1": theta + rng.normal(0, 0.1), "y2": theta * phi + rng.normal(0, 0.1)}


def test_batches_accept_exactly_what_pyabcs_one_by_one_sampler_accepts(tmp_path):
    """The batch sampler proposes the same candidates with the same seeds as pyabc's
    SingleCoreSampler and accepts in candidate order, so the whole calibration is identical,
    whatever the batch size."""
    pyabc = pytest.importorskip("pyabc")
    from asnsim.calibration import abc

    priors = {"theta": Prior(dist="uniform", low=0, high=1), "phi": Prior(dist="beta", a=2, b=2)}
    observed, scales = {"y1": 0.4, "y2": 0.2}, {"y1": 0.1, "y2": 0.1}

    def model(parameters):  # the seed drawn where the one-by-one path drew it
        seed = int(np.random.randint(0, 2**31 - 1))  # noqa: NPY002 - pyabc's source
        return _two_readings({"theta": parameters["p0"], "phi": parameters["p1"]}, seed)

    model.__name__ = "model"
    one_by_one_abc = pyabc.ABCSMC(
        model,
        abc._prior(priors),
        abc._Distance(scales),
        population_size=15,
        sampler=pyabc.sampler.SingleCoreSampler(),
    )
    one_by_one_abc.new(f"sqlite:///{tmp_path / 'single.db'}", observed)
    np.random.seed([5, 0])  # noqa: NPY002 - as run_abc seeds it
    history = one_by_one_abc.run(max_total_nr_simulations=120)
    expected, weights = history.get_distribution(m=0, t=history.max_t)
    for batch in (1, 60):
        result = abc.run_abc(
            priors,
            abc.one_by_one(_two_readings),
            observed,
            scales,
            _folder(tmp_path, batch),
            120,
            15,
            seed=5,
            batch=batch,
        )
        assert result.simulations == history.total_nr_simulations
        np.testing.assert_array_equal(result.posterior["theta"], expected["p0"])
        np.testing.assert_array_equal(result.posterior["phi"], expected["p1"])
        np.testing.assert_allclose(result.posterior["weight"], weights / weights.sum())
        assert result.runs >= result.simulations  # candidates after the last needed dropped


def test_calibration_is_the_same_on_a_process_pool_in_chunks_of_one(tmp_path):
    pytest.importorskip("pyabc")
    from asnsim.calibration.run import calibrate
    from asnsim.evaluators import Chunking, make_executor
    from asnsim.scenario import load_scenario as load

    scenario = load(_scenario_with_priors(tmp_path), extends_anywhere=True)
    settings = {"simulations": 14, "population": 3, "predictive": 0, "seed": 4}
    inline = calibrate(scenario, tmp_path / "inline", **settings)
    pool, _ = make_executor("processes", workers=2)
    with pool:
        pooled = calibrate(
            scenario, tmp_path / "pool", executor=pool, chunk=Chunking(runs=1), **settings
        )
    pd.testing.assert_frame_equal(inline.generations, pooled.generations)
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "inline" / "posterior.parquet"),
        pd.read_parquet(tmp_path / "pool" / "posterior.parquet"),
    )
    assert len(inline.generations) >= 2  # the prior's generation and a proposed one


def test_the_model_calibrated_to_its_own_synthetic_targets_recovers_the_truth(tmp_path):
    """Coverage on the model itself, small: synthetic targets made by the model at a known
    routine-training share, calibrated back through run_abc (the full check, 90 % coverage
    over many data sets: benchmarks/bench_calibration.py model)."""
    pytest.importorskip("pyabc")
    from asnsim.calibration.abc import run_abc
    from asnsim.calibration.run import ModelSimulator
    from asnsim.calibration.targets import fit_targets
    from asnsim.evaluators import evaluate
    from asnsim.observed import load_targets

    path = tmp_path / "tiny_share.yaml"
    path.write_text(
        f"extends: {TINY}\nhorizon_years: 1\nscale: 0.5\npolicies:\n"
        "  training: {name: status_quo}\nuncertainties:\n"  # routine development on
        "  training.routine.share: {dist: beta, a: 3.5, b: 6.5}\n"
    )
    scenario = load_scenario(path, extends_anywhere=True)
    fit = fit_targets(load_targets(use="calibration"), "tiny", next(evaluate([scenario]))[1])
    fit = fit[fit["quantity"] == "jp20_share"]  # the target that speaks to routine training
    simulator = ModelSimulator(scenario, fit, "tiny")
    prior = scenario.priors()["training.routine.share"]
    prior_width = np.subtract(*prior.rv().ppf([0.95, 0.05]))
    for i, truth in enumerate((0.25, 0.5)):
        observed = simulator.one({"training.routine.share": truth}, 100 + i)
        scales = dict(zip(fit["target"], fit["scale"], strict=True))
        result = run_abc(
            scenario.priors(), simulator, observed, scales, _folder(tmp_path, i), 60, 12, i
        )
        post = Posterior(
            result.posterior.drop(columns="weight"), result.posterior["weight"].to_numpy(), {}
        )
        low, high = (post.quantiles(q)["training.routine.share"] for q in (0.005, 0.995))
        assert low <= truth <= high
        width = (
            post.quantiles(0.95)["training.routine.share"]
            - post.quantiles(0.05)["training.routine.share"]
        )
        assert width < 0.5 * prior_width


def _folder(root: Path, i: int) -> Path:
    folder = root / f"abc{i}"
    folder.mkdir()
    return folder


def _posterior(n: int = 50) -> Posterior:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"assumptions.pppk_exit_rate": rng.uniform(0.02, 0.05, n)})
    return Posterior(frame, np.full(n, 1 / n), {})


def test_posterior_draws_are_weighted_and_reproducible():
    post = _posterior()
    assert post.draws(5, seed=1) == post.draws(5, seed=1)
    assert post.draws(5, seed=1) != post.draws(5, seed=2)
    weights = np.zeros(50)
    weights[[3, 7]] = [0.25, 0.75]
    heavy = Posterior(post.parameters, weights, {})
    rows = heavy.draw_indices(4000, seed=0)
    assert set(rows) == {3, 7}
    assert np.mean(rows == 7) == pytest.approx(0.75, abs=0.03)


def test_every_variant_of_a_replication_runs_under_the_same_draw(tmp_path):
    folder = tmp_path / "post"
    folder.mkdir()
    frame = _posterior().parameters.assign(weight=1.0)
    frame.to_parquet(folder / "posterior.parquet")
    spec = ExperimentSpec(
        name="paired",
        scenario=str(TINY),
        variants={"base": {}, "cm": {"policies.placement.name": "competency_match"}},
        replications=6,
        master_seed=11,
        posterior=str(folder),
        seeds_per_draw=2,
    )
    runs = plan_runs(spec)
    rate = {
        (r.variant, r.replication): json.loads(r.scenario_json)["assumptions"]["pppk_exit_rate"]
        for r in runs
    }
    for rep in range(6):
        assert rate[("base", rep)] == rate[("cm", rep)]  # paired across variants
    draws = [r.factors["posterior_draw"] for r in runs if r.variant == "base"]
    assert draws == [0, 0, 1, 1, 2, 2]  # nested: 3 draws x 2 seeds
    assert len({rate[("base", r)] for r in (0, 2, 4)}) == 3  # different across draws
    seeds = {r.seed for r in runs if r.variant == "base"}
    assert len(seeds) == 6  # every replication its own seed
    again = {(r.variant, r.replication): r.scenario_hash for r in plan_runs(spec)}
    assert again == {(r.variant, r.replication): r.scenario_hash for r in runs}
    # without a posterior the spec's hash is the one it had before posteriors existed
    plain = spec.model_copy(update={"posterior": None, "seeds_per_draw": 1})
    assert "posterior" not in plain.dump()


def test_variance_split_recovers_known_components():
    # d_km = 2 + b_k + e_km, b ~ N(0, 0.6^2), e ~ N(0, 0.3^2): parameter share 0.8
    rng = np.random.default_rng(5)
    k, m = 400, 5
    d = 2 + rng.normal(0, 0.6, (k, 1)) + rng.normal(0, 0.3, (k, m))
    s = variance_split(d)
    assert s.var_param == pytest.approx(0.36, rel=0.15)
    assert s.var_chance == pytest.approx(0.09, rel=0.05)
    assert s.param_share == pytest.approx(0.8, abs=0.04)
    assert (s.low, s.high) == pytest.approx(
        (2 - 1.645 * 0.45**0.5, 2 + 1.645 * 0.45**0.5), abs=0.1
    )
    # a hand-computed case: rows (0, 2) and (4, 6): MS_within = 2, MS_between = 16
    exact = variance_split(np.array([[0.0, 2.0], [4.0, 6.0]]))
    assert (exact.var_chance, exact.var_param, exact.mean) == (2.0, 7.0, 3.0)
    # no parameter effect: the share is (about) zero, never negative
    flat = variance_split(rng.normal(0, 1, (300, 4)))
    assert 0.0 <= flat.param_share < 0.05
    with pytest.raises(ValueError, match="2 draws x 2 seeds"):
        variance_split(np.ones((5, 1)))


def test_split_table_groups_replications_by_draw():
    rows = []
    for rep in range(8):
        draw = rep // 2
        rows.append({"variant": "base", "replication": rep, "posterior_draw": draw, "y": 0.0})
        y = 1.0 + draw + 0.1 * (rep % 2)
        rows.append({"variant": "new", "replication": rep, "posterior_draw": draw, "y": y})
    table = split_table(pd.DataFrame(rows), "base", ["y"])
    row = table.iloc[0]
    assert (row.draws, row.seeds_per_draw) == (4, 2)
    assert row["diff"] == pytest.approx(2.55)
    assert row.sd_chance == pytest.approx((0.005) ** 0.5)  # within-draw spread of 0.1 steps
    assert row.parameter_share > 0.99


@pytest.mark.parametrize("city", CITIES)
def test_shipped_posteriors_load_with_their_provenance(city):
    post = load_posterior(city)
    assert post.source == str(CALIBRATED_DIR / city)
    assert post.weights.sum() == pytest.approx(1.0)
    settings = post.manifest["settings"]
    assert settings["city"] == city
    assert set(post.names) == set(settings["priors"])
    assert not any(t.startswith("padang_") and "ikm" in t for t in settings["targets"])
    post.check(load_scenario(city))


def test_run_with_a_shipped_posterior_uses_its_draw(tmp_path):
    out = tmp_path / "run"
    args = ["run", "kupang", "--scale", "0.02", "--years", "1", "--quiet", "--no-figure"]
    assert main([*args, "--posterior", "kupang", "--out", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    draw = manifest["posterior_draw"]
    post = load_posterior("kupang")
    assert draw == post.draws(1, load_scenario("kupang").seed)[0]
    assert (
        manifest["scenario"]["assumptions"]["pppk_exit_rate"] == draw["assumptions.pppk_exit_rate"]
    )


def test_run_variants_takes_a_posterior_and_pairs_its_draws():
    from asnsim.analysis import run_variants

    scenario = load_scenario(TINY, {"horizon_years": 1, "scale": 0.1})
    variants = {"base": {}, "cm": {"policies.placement.name": "competency_match"}}
    post = _posterior()
    table = run_variants(scenario, variants, 4, master_seed=3, posterior=post, seeds_per_draw=2)
    assert list(table.loc[table.variant == "cm", "posterior_draw"]) == [0, 0, 1, 1]
    assert table.groupby("replication")["seed"].nunique().eq(1).all()  # paired seeds
    assert table.groupby("variant")["seed"].nunique().eq(4).all()
