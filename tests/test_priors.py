"""Priors of the uncertain assumptions: parsing, errors naming file and key, known moments."""

from pathlib import Path

import numpy as np
import pytest

from asnsim import load_scenario
from asnsim.priors import Prior, as_prior
from asnsim.scenario import ScenarioError
from asnsim.sensitivity import sensitivity_problem

TINY = Path(__file__).parent / "data" / "tiny.yaml"


def _write(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(f"extends: {TINY}\nuncertainties:\n{entries}")
    return path


def test_ranges_and_priors_load_and_keep_the_sensitivity_bounds(tmp_path):
    path = _write(
        tmp_path,
        "  assumptions.mismatch_ceiling: [0.75, 0.9]\n"
        "  assumptions.pppk_exit_rate: {dist: normal, mean: 0.035, sd: 0.01, low: 0, high: 0.1}\n"
        "  training.routine.share: {dist: beta, a: 4, b: 7}\n"
        "  assumptions.motivation_productivity: {dist: lognormal, median: 0.5, sigma: 0.3}\n",
    )
    scenario = load_scenario(path, extends_anywhere=True)
    priors = scenario.priors()
    assert priors["assumptions.mismatch_ceiling"] == Prior(dist="uniform", low=0.75, high=0.9)
    # a [low, high] entry is still written as a list: the hash of old scenarios is unchanged
    assert scenario.canonical()["uncertainties"]["assumptions.mismatch_ceiling"] == [0.75, 0.9]
    problem = sensitivity_problem(scenario)
    bounds = dict(zip(problem["names"], problem["bounds"], strict=True))
    assert bounds["assumptions.mismatch_ceiling"] == [0.75, 0.9]
    assert bounds["assumptions.pppk_exit_rate"] == [0.0, 0.1]
    assert bounds["training.routine.share"] == [0.0, 1.0]
    low, high = bounds["assumptions.motivation_productivity"]
    assert low == pytest.approx(0.5 * np.exp(-2.5758 * 0.3), rel=1e-3)  # 0.5 % quantile
    assert high == pytest.approx(0.5 * np.exp(2.5758 * 0.3), rel=1e-3)


def test_prior_draws_have_the_analytical_moments():
    rng = np.random.default_rng(1)
    beta = Prior(dist="beta", a=4, b=7, low=0.2, high=0.4).sample(rng, 40_000)
    assert beta.mean() == pytest.approx(0.2 + 0.2 * 4 / 11, abs=5e-4)
    assert beta.min() >= 0.2 and beta.max() <= 0.4
    truncated = Prior(dist="normal", mean=0.0, sd=1.0, low=0.0, high=10.0).sample(rng, 40_000)
    assert truncated.mean() == pytest.approx(np.sqrt(2 / np.pi), abs=0.02)  # half-normal
    lognormal = Prior(dist="lognormal", median=2.0, sigma=0.5).sample(rng, 40_000)
    assert np.median(lognormal) == pytest.approx(2.0, rel=0.02)
    assert as_prior((0.1, 0.3)).rv().mean() == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("{dist: beta, a: 4}", "a beta prior needs ['b']"),
        ("{dist: gamma, k: 2}", "dist: Input should be 'uniform', 'normal', 'lognormal'"),
        ("{dist: normal, mean: 0.03, sd: -1}", "sd must be > 0"),
        ("{dist: lognormal, median: 0.5, sigma: 0.3, low: 0}", "takes only ['median', 'sigma']"),
        ("{dist: uniform, low: 0.5, high: 0.1}", "expected low < high"),
        ("[0.3, 0.1]", "expected low < high"),
        ("[0.1, .nan]", "expected [low, high] as two finite numbers"),
        ("3", "expected [low, high] or a mapping"),
    ],
)
def test_a_bad_prior_is_refused_naming_file_and_key(tmp_path, entry, expected):
    path = _write(tmp_path, f"  assumptions.pppk_exit_rate: {entry}\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path, extends_anywhere=True)
    text = str(err.value)
    assert str(path) in text
    assert "uncertainties.assumptions.pppk_exit_rate" in text
    assert expected in text
    assert "extends is not valid" not in text  # the value is this file's, and is quoted so
