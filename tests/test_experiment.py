"""Experiments: executors agree byte for byte, the store resumes and keeps failures, paired
comparisons and sensitivity indices match known answers."""

import filecmp
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asnsim import load_scenario
from asnsim.analysis import COST_PER_POINT, compare_table, paired_difference
from asnsim.cli import main
from asnsim.evaluators import Chunking, InlineExecutor, make_executor
from asnsim.experiment import ExperimentSpec, load_experiment, plan_runs, run_experiment
from asnsim.sensitivity import sensitivity
from asnsim.store import RunStore

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny.yaml"

SPEC = ExperimentSpec(
    name="exec-check",
    scenario=str(TINY),
    overrides={"horizon_years": 1},
    variants={"base": {}, "random": {"policies.placement.name": "random"}},
    replications=3,
    master_seed=11,
)


def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in (root / "runs").rglob("*") if p.is_file())


def _same_tree(a: Path, b: Path) -> None:
    assert _files(a) == _files(b)
    for rel in _files(a):
        assert filecmp.cmp(a / rel, b / rel, shallow=False), rel


def test_serial_processes_and_dask_give_identical_files(tmp_path):
    """One run per task (as before the ensemble engine) and chunked: the same files."""
    one = Chunking(runs=1)
    serial = run_experiment(
        SPEC, RunStore(tmp_path / "serial"), InlineExecutor(), progress=False, chunk=one
    )
    assert serial.computed == 6 and not serial.failures
    run_experiment(SPEC, RunStore(tmp_path / "inline"), InlineExecutor(), progress=False)
    _same_tree(tmp_path / "serial", tmp_path / "inline")  # one chunk of 6
    with make_executor("processes", workers=2)[0] as pool:
        run_experiment(SPEC, RunStore(tmp_path / "pool"), pool, progress=False)
    _same_tree(tmp_path / "serial", tmp_path / "pool")  # two chunks of 3, one per worker

    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        run_experiment(SPEC, RunStore(tmp_path / "dask"), client.get_executor(), progress=False)
    _same_tree(tmp_path / "serial", tmp_path / "dask")


def test_replications_share_seeds_across_variants(tmp_path):
    runs = plan_runs(SPEC)
    by_rep = {}
    for run in runs:
        by_rep.setdefault(run.replication, set()).add(run.seed)
    assert all(len(seeds) == 1 for seeds in by_rep.values())
    assert len({run.seed for run in runs}) == SPEC.replications
    manifest_seeds = None
    run_experiment(SPEC, RunStore(tmp_path), InlineExecutor(), progress=False)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest_seeds = {r["run_id"]: r["seed"] for r in manifest["runs"]}
    assert manifest_seeds == {r.run_id: r.seed for r in runs}
    assert {"asnsim", "mesa", "numpy", "python"} <= set(manifest["versions"])


class CrashAfter(InlineExecutor):
    """An executor whose process 'dies' after ``n`` chunks; counts the runs it was given."""

    def __init__(self, n):
        self.left = n
        self.runs = 0

    def submit(self, fn, /, *args, **kwargs):
        if self.left == 0:
            raise KeyboardInterrupt("simulated crash")
        self.left -= 1
        self.runs += len(args[0])
        return super().submit(fn, *args, **kwargs)


def test_resume_after_crash_computes_only_missing(tmp_path):
    pairs = Chunking(runs=2)
    with pytest.raises(KeyboardInterrupt):
        run_experiment(SPEC, RunStore(tmp_path / "a"), CrashAfter(2), progress=False, chunk=pairs)
    assert len(RunStore(tmp_path / "a").summaries()) == 4  # two chunks of two
    executor = CrashAfter(-1)
    resumed = run_experiment(SPEC, RunStore(tmp_path / "a"), executor, progress=False, chunk=pairs)
    assert (resumed.computed, resumed.reused) == (2, 4)
    assert executor.runs == 2  # only the missing runs were handed to a worker
    run_experiment(SPEC, RunStore(tmp_path / "b"), InlineExecutor(), progress=False)
    _same_tree(tmp_path / "a", tmp_path / "b")
    again = run_experiment(SPEC, RunStore(tmp_path / "a"), InlineExecutor(), progress=False)
    assert again.computed == 0


def failing_ensemble(monkeypatch, fails, message="boom in a worker", kind=RuntimeError):
    """Make the ensemble engine fail the runs for which ``fails(scenario)`` holds."""
    import asnsim.ensemble as ensemble

    real = ensemble.run_ensemble

    def run_ensemble(scenarios):
        for position, result in real(scenarios):
            if fails(scenarios[position]):
                try:
                    raise kind(message)
                except kind as err:
                    result = err
            yield position, result

    monkeypatch.setattr(ensemble, "run_ensemble", run_ensemble)
    return real


def test_a_failing_run_is_recorded_and_the_rest_of_its_chunk_stored(tmp_path, monkeypatch):
    import asnsim.ensemble as ensemble

    bad_seed = plan_runs(SPEC)[1].seed
    real = failing_ensemble(monkeypatch, lambda s: s.seed == bad_seed)
    # one chunk of all six runs: two fail (replication 1 of both variants), four are stored
    result = run_experiment(SPEC, RunStore(tmp_path), InlineExecutor(), progress=False)
    assert len(result.failures) == 2
    assert len(result.summaries) == 4
    text = next(iter(RunStore(tmp_path).failures().values()))
    assert "RuntimeError: boom in a worker" in text and "Traceback" in text
    # a rerun retries only the failed runs
    monkeypatch.setattr(ensemble, "run_ensemble", real)
    rerun = run_experiment(SPEC, RunStore(tmp_path), InlineExecutor(), progress=False)
    assert rerun.computed == 2 and not rerun.failures


def test_cli_compare_exits_nonzero_and_names_failed_runs(tmp_path, monkeypatch, capsys):
    random = lambda s: s.policies.placement.name == "random"  # noqa: E731
    failing_ensemble(monkeypatch, random, "bad luck", ValueError)
    code = main(
        [
            "compare",
            str(TINY),
            "--variant",
            "random",
            "policies.placement.name=random",
            "--replications",
            "2",
            "--years",
            "1",
            "--serial",
            "--quiet",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "2 run(s) failed" in err and "random__r0000" in err and "ValueError: bad luck" in err


def test_variant_compared_with_itself_differs_by_exactly_zero(tmp_path):
    spec = SPEC.model_copy(update={"variants": {"base": {}, "same": {}}})
    result = run_experiment(spec, RunStore(tmp_path), InlineExecutor(), progress=False)
    table = compare_table(result.summaries, "base")
    cost = table[table.outcome == COST_PER_POINT]
    same = table[(table.variant == "same") & (table.outcome != COST_PER_POINT)]
    assert (same["diff"] == 0).all() and (same["ci_low"] == 0).all()
    assert (same["ci_high"] == 0).all()
    # no IKM gained: the cost of a point is undefined, and the table says so
    assert len(cost) == 1 and cost["diff"].isna().all()
    assert cost["note"].iloc[0] == "undefined: the IKM difference's interval contains 0"


def test_paired_interval_covers_the_truth_at_the_stated_rate():
    """Synthetic experiments with a known difference: 95% intervals cover it ~95% of times."""
    rng = np.random.default_rng(2026)
    truth, n, trials = 0.7, 12, 2000
    covered = 0
    for _ in range(trials):
        common = rng.normal(80, 3, n)  # shared by both variants: common random numbers
        base = common + rng.normal(0, 0.5, n)
        variant = common + truth + rng.normal(0, 0.5, n)
        frame = pd.DataFrame(
            {
                "variant": ["base"] * n + ["v"] * n,
                "replication": list(range(n)) * 2,
                "y": np.concatenate([base, variant]),
            }
        )
        d = paired_difference(frame, "y", "v")
        covered += d.low <= truth <= d.high
    rate = covered / trials
    # binomial sd at 2000 trials is 0.5 points: 93.5-96.5% holds at > 3 sd
    assert 0.935 <= rate <= 0.965


def test_comparison_recovers_an_effect_fixed_by_construction(tmp_path):
    """Fees only move SKM element U4: expected IKM falls by exactly 25/9 × 3 × 0.6 × Δfee."""
    tiny = load_scenario(TINY)
    fee = {f"city.units.{i}.fee_burden": 0.5 for i in range(len(tiny.city.units))}
    exact = {"assumptions.unit_attribute_spread": 0.0}  # every unit's fee exactly as given
    variants = {"base": exact, "fees": exact | fee}
    spec = SPEC.model_copy(update={"variants": variants, "replications": 8})
    result = run_experiment(spec, RunStore(tmp_path), InlineExecutor(), progress=False)
    slope = tiny.assumptions.elements["U4"].slope  # -0.6
    truth = 25 / 9 * 3 * slope * 0.5
    true_diff = paired_difference(result.summaries, "ikm_true", "fees")
    assert true_diff.mean == pytest.approx(truth, abs=1e-9)  # nothing else moves
    measured = paired_difference(result.summaries, "ikm", "fees")
    assert measured.low <= truth <= measured.high
    assert measured.excludes_zero()


def test_sweep_factorial_and_lhs(tmp_path):
    path = tmp_path / "sweep.yaml"
    path.write_text(
        f"name: sweep-check\nscenario: {TINY}\noverrides: {{horizon_years: 1}}\n"
        "replications: 2\nmaster_seed: 3\n"
        "design:\n  kind: factorial\n  factors:\n"
        "    assumptions.mismatch_ceiling: [0.75, 0.9]\n"
        "    policies.placement.name: [seniority, random]\n"
    )
    assert main(["sweep", str(path), "--serial", "--quiet", "--out", str(tmp_path / "o")]) == 0
    table = pd.read_csv(tmp_path / "o" / "sweep.csv")
    assert len(table) == 4 and set(table["assumptions.mismatch_ceiling"]) == {0.75, 0.9}
    spec, _ = load_experiment(path)
    lhs = spec.model_copy(
        update={
            "design": spec.design.model_copy(
                update={
                    "kind": "lhs",
                    "samples": 5,
                    "factors": {
                        "assumptions.mismatch_ceiling": [0.75, 0.9],
                        "assumptions.survey_max_respondents": [100, 400],
                    },
                }
            )
        }
    )
    runs = plan_runs(lhs)
    values = sorted({r.factors["assumptions.mismatch_ceiling"] for r in runs})
    assert len(values) == 5 and values[0] >= 0.75 and values[-1] <= 0.9
    # each fifth of the range holds one point (Latin hypercube)
    assert sorted(int((v - 0.75) / 0.03) for v in values) == [0, 1, 2, 3, 4]
    assert all(isinstance(r.factors["assumptions.survey_max_respondents"], int) for r in runs)


def test_morris_indices_match_analytical_values(tmp_path):
    """U4's intercept moves expected IKM linearly by 25/3 per unit; the survey size not at all."""
    scenario = load_scenario(
        TINY,
        {
            "horizon_years": 1,
            "uncertainties": {
                "assumptions.elements.U4.intercept": [0.7, 0.9],
                "assumptions.survey_max_respondents": [100, 400],
            },
        },
    )
    table = sensitivity(
        scenario,
        "morris",
        4,
        RunStore(tmp_path),
        InlineExecutor(),
        outcomes=("ikm_true",),
        progress=False,
    ).set_index("factor")
    assert table.loc["assumptions.elements.U4.intercept", "mu_star"] == pytest.approx(
        25 / 3 * 0.2, rel=1e-9
    )
    assert table.loc["assumptions.elements.U4.intercept", "sigma"] == pytest.approx(0, abs=1e-9)
    assert table.loc["assumptions.survey_max_respondents", "mu_star"] == 0


def test_sobol_cli_writes_indices(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        f"extends: {TINY}\nhorizon_years: 1\nuncertainties:\n"
        "  assumptions.elements.U4.intercept: [0.7, 0.9]\n"
        "  assumptions.elements.U9.intercept: [0.3, 0.5]\n"
    )
    code = main(
        [
            "sensitivity",
            str(scenario),
            "--method",
            "sobol",
            "--samples",
            "8",
            "--outcome",
            "ikm_true",
            "--serial",
            "--quiet",
            "--out",
            str(tmp_path / "o"),
            "--allow-extends-anywhere",
        ]
    )
    assert code == 0
    table = pd.read_csv(tmp_path / "o" / "sensitivity.csv").set_index("factor")
    # both factors act additively with equal slopes on equal ranges: half the variance each
    assert table["S1"].to_numpy() == pytest.approx([0.5, 0.5], abs=0.15)
    assert (tmp_path / "o" / "sensitivity.png").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sweep", str(DATA / "experiments" / "unknown_key.yaml")], "replicatons: unknown"),
        (
            ["compare", str(TINY), "--variant", "x", "policies.placement.nam=random"],
            "variant 'x': policies.placement.nam: unknown key",
        ),
        (
            [
                "compare",
                str(TINY),
                "--variant",
                "x",
                "seed=1",
                "--scheduler",
                "tcp://127.0.0.1:9",
                "--scheduler-timeout",
                "1",
            ],
            "did not answer",
        ),
        (["sensitivity", str(TINY)], "uncertainties"),
    ],
)
def test_bad_experiment_input_is_a_clear_error_and_writes_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert main([*args, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_cli_comparison_prints_the_baseline_first_whatever_its_name(tmp_path, capsys):
    code = main(
        [
            "compare",
            str(TINY),
            "--baseline",
            "z_base",
            "--variant",
            "z_base",
            "--variant",
            "a_random",
            "policies.placement.name=random",
            "--replications",
            "2",
            "--years",
            "1",
            "--serial",
            "--quiet",
            "--out",
            str(tmp_path / "o"),
        ]
    )
    assert code == 0
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("ikm ")]
    assert lines and "z_base" in lines[0]
