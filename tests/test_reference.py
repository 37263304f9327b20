"""The plain-Mesa reference (benchmarks/reference.py) is an oracle for asnsim's daily path."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from asnsim.model import ASNModel
from asnsim.rng import stream
from asnsim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
KOTABUMI = ROOT / "scenarios" / "kotabumi.yaml"


def _load_reference():
    name = "asnsim_benchmarks_reference"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "reference.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


ref_mod = _load_reference()

INT_QUEUE = ("arrived_new", "arrived_rework", "served", "abandoned", "wrong", "rework_due")
# the reference is an oracle for the daily path: staff who leave on a month's first day
# (retirement, contracts not renewed; tests/test_workforce_observed.py) are kept out of it,
# and the cities run without training (the reference has no day events, and the status quo's
# routine development takes staff away from their desks)
NO_MONTHLY_EXITS = [
    "assumptions.pppk_renewal_probability=1.0",
    'city.workforce.age_bands={"19_30": 0.5, "31_40": 0.5}',
]
NO_TRAINING = "policies.training.name=none"
CITIES = {
    "tiny": (TINY, NO_MONTHLY_EXITS),
    "kotabumi": (KOTABUMI, ["scale=0.03", NO_TRAINING, *NO_MONTHLY_EXITS]),
    "kotabumi-seed-11": (KOTABUMI, ["scale=0.03", "seed=11", NO_TRAINING, *NO_MONTHLY_EXITS]),
    "palembang": (
        ROOT / "scenarios" / "palembang.yaml",
        ["scale=0.02", NO_TRAINING, *NO_MONTHLY_EXITS],
    ),
    # one unit left without staff: zero capacity, a growing backlog, overload at its cap
    "unstaffed": (
        TINY,
        [
            "city.units.1.staffing_weight=0.000001",
            "city.workforce.headcount=200",
            *NO_MONTHLY_EXITS,
        ],
    ),
}


def assert_same(asn: ASNModel, ref) -> None:
    """Queues and employee state of the two models agree."""
    q, wf = asn.queues, asn.workforce
    u = ref.unit_arrays()
    for name in INT_QUEUE:
        np.testing.assert_array_equal(u[name], getattr(q, name), err_msg=name)
    np.testing.assert_array_equal(u["queue"], q.queue)
    np.testing.assert_array_equal(u["waiting"], q.waiting)
    np.testing.assert_allclose(u["carry"], q.carry, rtol=1e-12, atol=0)
    e = ref.employee_arrays()
    np.testing.assert_array_equal(e["uid"], wf.uid)
    for name in ("cur", "motivation", "ramp", "output_year"):
        np.testing.assert_allclose(e[name], getattr(wf, name), rtol=1e-12, atol=0, err_msg=name)


def run_both(asn: ASNModel, ref, days: int) -> None:
    for _ in range(days):
        asn.step()
        ref.step()
        try:
            assert_same(asn, ref)
        except AssertionError as err:
            raise AssertionError(f"differs after model day {asn.day - 1}") from err


def test_scalar_draws_reproduce_array_draws():
    """numpy draws array arguments element by element: scalar calls in order are the same."""
    a, b = stream(3, "service"), stream(3, "service")
    gen = np.random.default_rng(0)
    for _ in range(200):
        lam = gen.uniform(0.0, 400.0, 12)
        lam[::4] = gen.uniform(0.0, 9.0, 3)  # both Poisson algorithms (small and large mean)
        np.testing.assert_array_equal(a.poisson(lam), [b.poisson(x) for x in lam])
        n = gen.integers(0, 5000, 12)
        n[::3] = 0  # n = 0 draws nothing, in either form
        p = gen.uniform(0.0, 1.0, 12)
        p[1] = 0.0
        np.testing.assert_array_equal(
            a.binomial(n, p), [b.binomial(int(k), float(x)) for k, x in zip(n, p, strict=True)]
        )
        np.testing.assert_array_equal(a.binomial(n, 0.4), [b.binomial(int(k), 0.4) for k in n])
    assert a.bit_generator.state == b.bit_generator.state


def test_built_at_day_zero_starts_identical(tiny):
    asn = ASNModel(tiny)
    ref = ref_mod.ReferenceModel(asn)
    assert_same(asn, ref)
    # the same base hours, bit for bit (management factor summed in the same order)
    np.testing.assert_array_equal(ref.employee_arrays()["base_hours"], asn._base_hours)
    assert len(ref.agents_by_type[ref_mod.RefEmployee]) == len(asn.workforce)
    assert len(ref.agents_by_type[ref_mod.RefUnit]) == len(asn.units)
    # fresh streams from the seed: asnsim has not drawn from its own yet
    for name in ("demand", "service"):
        fresh = stream(tiny.seed, name).bit_generator.state
        assert asn.rngs[name].bit_generator.state == fresh


@pytest.mark.parametrize("city", sorted(CITIES))
def test_first_year_matches_day_by_day(city):
    """From day 0 to the day before the year's end, through the mid-year survey."""
    path, sets = CITIES[city]
    asn = ASNModel(load_scenario(path, sets))
    ref = ref_mod.ReferenceModel(asn)
    days = asn.days_per_year - 1
    run_both(asn, ref, days)
    assert len(asn.outcomes.survey_frames) == 1  # the survey ran and shifted nothing
    assert asn.queues.served.sum() > 0 and asn.queues.abandoned.sum() > 0
    if city != "tiny":
        assert max(u.overload for u in ref.units) > 0  # the motivation path saw overload


def test_next_year_matches_with_ramp_up():
    """Built afresh after a year end: recruits ramp up, and the next year matches too."""
    asn = ASNModel(load_scenario(KOTABUMI, ["scale=0.03", NO_TRAINING, *NO_MONTHLY_EXITS]))
    for _ in range(asn.days_per_year):
        asn.step()
    assert (asn.workforce.ramp < 1.0).any()
    ref = ref_mod.ReferenceModel(asn)  # continues the model's demand and service streams
    assert_same(asn, ref)
    run_both(asn, ref, asn.days_per_year - 1)
    assert (asn.workforce.ramp == 1.0).all()


def test_refuses_day_events(tiny):
    asn = ASNModel(tiny)
    asn.at_day(3, lambda: None)
    with pytest.raises(ValueError, match="day events"):
        ref_mod.ReferenceModel(asn)


@pytest.mark.parametrize("model", ["asnsim", "reference"])
def test_employee_days_per_second_runs(model):
    assert ref_mod.employee_days_per_second(200, 2, model) > 0


def test_employee_days_per_second_checks_arguments():
    with pytest.raises(ValueError, match="days"):
        ref_mod.employee_days_per_second(200, 250)
    with pytest.raises(ValueError, match="model"):
        ref_mod.employee_days_per_second(200, 2, "netlogo")
