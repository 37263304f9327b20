"""The ensemble engine: each run bit-identical to the same scenario run alone."""

import pandas as pd

from asnsim.ensemble import run_ensemble
from asnsim.model import ASNModel
from asnsim.scenario import load_scenario


def _small(seed: int, years: int = 1):
    return load_scenario(
        "scenarios/kupang.yaml", ["scale=0.03", f"horizon_years={years}", f"seed={seed}"]
    )


def test_each_run_equals_the_run_alone():
    scenarios = [_small(1), _small(2, years=2)]
    got = dict(run_ensemble(scenarios))
    assert sorted(got) == [0, 1]
    for position, scenario in enumerate(scenarios):
        alone = ASNModel(scenario).run(progress=False)
        pd.testing.assert_frame_equal(got[position].city(), alone.city())
        pd.testing.assert_frame_equal(got[position].annual(), alone.annual())


def test_a_failing_run_leaves_the_others(monkeypatch):
    scenarios = [_small(1), _small(2)]
    import asnsim.model as model

    real = model.ASNModel.run

    def run(self, *args, **kwargs):
        if self.spec.seed == 2:
            raise RuntimeError("boom")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(model.ASNModel, "run", run)
    got = dict(run_ensemble(scenarios))
    assert isinstance(got[1], RuntimeError)
    assert not isinstance(got[0], Exception)
    assert len(got[0].city()) == 1
