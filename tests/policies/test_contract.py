"""The levers' contract, checked for every row of LEVERS and every registered policy.

- a bad option is rejected with its key path;
- each lever moves its outcome the way it should (paired CI over common random numbers), and
  a case where it cannot help leaves every service outcome exactly as it was;
- spend and diagnostics reach ``outcomes.city()`` as columns;
- changing a lever leaves the demand stream bit-identical;
- the order of LEVERS is what the levers see (participation before training);
- adding a lever is one module and one LEVERS line.
"""

from __future__ import annotations

import ast
import importlib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

import annotated_types as at
import numpy as np
import pytest

import asnsim.scenario as scenario_module
from asnsim.analysis import paired_difference, run_variants
from asnsim.app import dashboard_levers, model_params
from asnsim.model import ASNModel, _yearly_order
from asnsim.policies import REGISTRY, Policy, Result, _load_builtin, register
from asnsim.policies.levers import LEVERS, Lever
from asnsim.rng import MODEL_STREAMS, stream, stream_names
from asnsim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "tiny.yaml"

_load_builtin()
KINDS = [row.kind for row in LEVERS]
POLICIES = [(kind, name) for kind in KINDS for name in sorted(REGISTRY[kind])]
SERVICE = ["ikm_true", "wait_mean_days", "matched_share", "competency_mean", "motivation_mean"]

# a catalogue for tiny (which has none): one health course and one digital course
PROGRAMS = [
    {"name": "health", "target": "health", "mode": "classroom", "jp": 24,
     "cost_per_seat": 1_000_000, "seats_per_cohort": 20, "cohorts_per_year": 2},
    {"name": "digital", "target": "digital", "mode": "e_learning", "jp": 12,
     "cost_per_seat": 300_000, "seats_per_cohort": 40, "cohorts_per_year": 1},
]  # fmt: skip
WITH_PROGRAMS = {"training.programs": PROGRAMS, "training.budget_per_year": 1e9}


def _bad_values() -> list[tuple[str, str, str, Any, str]]:
    """(kind, policy, option, a bad value, what the error says) for every option with a
    bound (a value beyond it) or a set of choices (a value not among them)."""
    out = []
    for kind, name in POLICIES:
        for field, info in REGISTRY[kind][name].Options.model_fields.items():
            if typing.get_origin(info.annotation) is Literal:
                out.append((kind, name, field, "no_such_choice", "Input should be"))
            for bound in info.metadata:
                if isinstance(bound, at.Ge | at.Gt):
                    bad = bound.ge - 1 if isinstance(bound, at.Ge) else bound.gt
                    out.append((kind, name, field, bad, "Input should be greater than"))
                    break
                if isinstance(bound, at.Le | at.Lt):
                    bad = bound.le + 1 if isinstance(bound, at.Le) else bound.lt
                    out.append((kind, name, field, bad, "Input should be less than"))
                    break
    return out


# --------------------------------------------------------------------------- options


@pytest.mark.parametrize(("kind", "name"), POLICIES)
def test_unknown_option_is_rejected_with_its_key_path(kind, name):
    with pytest.raises(ScenarioError) as err:
        load_scenario(
            TINY, {f"policies.{kind}.name": name, f"policies.{kind}.options.no_such_option": 1}
        )
    text = str(err.value)
    assert f"policies.{kind}.options.no_such_option: unknown option of {kind} policy" in text
    allowed = sorted(REGISTRY[kind][name].Options.model_fields) or "none"
    assert f"allowed: {allowed}" in text


@pytest.mark.parametrize(("kind", "name", "option", "value", "says"), _bad_values())
def test_bad_option_value_is_rejected_with_its_key_path(kind, name, option, value, says):
    with pytest.raises(ScenarioError) as err:
        load_scenario(
            TINY, {f"policies.{kind}.name": name, f"policies.{kind}.options.{option}": value}
        )
    text = str(err.value)
    assert f"policies.{kind}.options.{option}: got {value!r}; {says}" in text


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_policy_name_is_rejected_with_the_names_allowed(kind):
    with pytest.raises(ScenarioError) as err:
        load_scenario(TINY, {f"policies.{kind}.name": "no_such_policy"})
    text = str(err.value)
    assert f"policies.{kind}.name: got 'no_such_policy'" in text
    assert str(sorted(REGISTRY[kind])) in text


def test_every_lever_has_bad_values_to_reject():
    """The bad-value test reaches every lever and the choices (not only the bounds)."""
    cases = _bad_values()
    assert {kind for kind, *_ in cases} == set(KINDS)
    assert {("change", "priority"), ("training", "cross_cutting")} <= {
        (kind, option) for kind, _, option, value, _ in cases if value == "no_such_choice"
    }


# --------------------------------------------------------------------------- direction


@dataclass(frozen=True)
class Case:
    """A lever's direction case (``variant`` moves ``outcome`` by ``sign``) and a case where
    the lever cannot help (``idle`` leaves every service outcome unchanged)."""

    base: dict[str, Any]
    variant: dict[str, Any]
    outcome: str
    sign: int
    idle: dict[str, Any]
    idle_base: dict[str, Any] | None = None


P = "policies"
CASES = {
    # objective appraisal is fairer, so staff are more motivated
    "appraisal": Case(
        {}, {f"{P}.appraisal.options.rater_noise_sd": 0.0}, "mean_motivation_mean", 1,
        # pay that does not follow the rating, no pay effect: nothing changes but the name
        {f"{P}.appraisal.name": "performance_linked", **{
            f"{P}.appraisal.options.{k}": v for k, v in {
                "pay_effect_sd": 0.0, "crowding_out_sd": 0.0, "factor_sangat_baik": 1.0,
                "factor_butuh_perbaikan": 1.0, "factor_kurang": 1.0,
                "factor_sangat_kurang": 1.0}.items()}},
    ),
    # recruits chosen for the open posts fit them (when placement looks at fit)
    "recruitment": Case(
        {f"{P}.placement.name": "competency_match", f"{P}.recruitment.options.quota_share": 0.1},
        {f"{P}.recruitment.name": "needs_matched"}, "mean_matched_share", 1,
        # nobody is hired: the fields recruits would have had cannot matter
        {f"{P}.recruitment.name": "needs_matched", f"{P}.recruitment.options.quota_share": 0},
        {f"{P}.recruitment.options.quota_share": 0},
    ),
    "placement": Case(
        {}, {f"{P}.placement.name": "competency_match"}, "mean_matched_share", 1,
        # no transfers and no newcomers: nobody to place by fit
        {f"{P}.placement.name": "competency_match", f"{P}.placement.options.max_moves_share": 0,
         f"{P}.recruitment.options.quota_share": 0},
        {f"{P}.placement.options.max_moves_share": 0, f"{P}.recruitment.options.quota_share": 0},
    ),
    "change": Case(
        {}, {f"{P}.change.name": "socialisation"}, "mean_change_resistance", -1,
        # no training, no digital adoption: lower resistance damps nothing
        {f"{P}.change.name": "socialisation"},
    ),
    "digital": Case(
        {}, {f"{P}.digital.name": "e_government"}, "mean_ikm_true", 1,
        # no money, no SIMPEG, no online channel: nothing to adopt
        {f"{P}.digital.name": "e_government", f"{P}.digital.options.investment_per_post": 0,
         f"{P}.digital.options.simpeg": False, f"{P}.digital.options.online_channels": False},
    ),
    "participation": Case(
        {}, {f"{P}.participation.name": "forums"}, "mean_ikm_true", 1,
        # a target below every unit's handling, no feedback, no pressure
        {f"{P}.participation.name": "forums",
         f"{P}.participation.options.complaint_handling_target": 0.0,
         f"{P}.participation.options.feedback_weight": 0.0,
         f"{P}.participation.options.accountability_motivation": 0.0},
    ),
    "training": Case(
        WITH_PROGRAMS, {f"{P}.training.name": "uniform"}, "mean_jp20_share", 1,
        # no budget and no routine development: no seat can be paid for, nobody trains
        {f"{P}.training.name": "uniform", "training.budget_per_year": 0,
         "training.routine.share": 0},
        {"training.budget_per_year": 0},
    ),
}  # fmt: skip


def test_every_lever_has_a_direction_case():
    assert set(CASES) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_lever_moves_its_outcome_with_a_paired_ci(kind):
    case = CASES[kind]
    spec = load_scenario(TINY, case.base)
    res = run_variants(spec, {"base": {}, kind: case.variant}, replications=5, master_seed=3)
    d = paired_difference(res, case.outcome, kind)
    assert d.excludes_zero() and np.sign(d.mean) == case.sign, d


@pytest.mark.parametrize("kind", KINDS)
def test_lever_that_cannot_help_changes_no_service_outcome(kind):
    case = CASES[kind]
    spec = load_scenario(TINY, case.base | (case.idle_base or {}))
    res = run_variants(spec, {"base": {}, kind: case.idle}, replications=2, master_seed=5)
    for outcome in SERVICE:
        d = paired_difference(res, f"mean_{outcome}", kind)
        assert d.mean == 0.0 and not d.excludes_zero(), d


# --------------------------------------------------------------------------- outcomes


@pytest.mark.parametrize(("kind", "name"), POLICIES)
def test_spend_and_diagnostics_are_outcome_columns(kind, name):
    spec = load_scenario(TINY, WITH_PROGRAMS | {f"policies.{kind}.name": name, "horizon_years": 2})
    model = ASNModel(spec)
    city = model.run(progress=False).city()
    assert (city[f"spend_{kind}"] >= 0).all()
    np.testing.assert_allclose(
        city["total_spend"], city[[f"spend_{k}" for k in KINDS]].sum(axis=1), rtol=1e-12
    )
    reports = type(model.policies[kind]).reports
    assert reports, f"{kind} reports no diagnostics"
    for report in reports:
        column = city[f"{kind}_{report}"]
        assert column.notna().all(), (kind, name, report)


def test_diagnostics_say_what_the_lever_did(tiny):
    spec = tiny.with_overrides(WITH_PROGRAMS | {"policies.training.name": "uniform"})
    model = ASNModel(spec)
    city = model.run(progress=False).city()
    history = model.policies["placement"].history
    assert city["placement_moves"].tolist() == [h["moved"] for h in history]
    plans = model.policies["training"].plan_frame().groupby("year")["trainees"].sum()
    assert city["training_trained"].tolist() == plans.reindex(city["year"] + 1).tolist()
    assert (city["recruitment_hired"] >= city["hires"]).all() and city["hires"].sum() > 0


@pytest.mark.parametrize("kind", KINDS)
def test_changing_a_lever_leaves_the_demand_stream_identical(kind):
    names = sorted(REGISTRY[kind])
    other = next(n for n in names if n != getattr(load_scenario(TINY).policies, kind).name)
    runs = []
    for overrides in ({}, {f"policies.{kind}.name": other}):
        model = ASNModel(load_scenario(TINY, WITH_PROGRAMS | overrides))
        daily = model.run(progress=False).daily()
        runs.append((daily["arrivals"].to_numpy(), model.rngs["demand"].bit_generator.state))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]


def test_every_lever_has_its_own_stream():
    streams = [row.stream for row in LEVERS]
    assert len(set(streams)) == len(streams)
    assert not set(streams) & set(MODEL_STREAMS)
    assert stream_names() == MODEL_STREAMS + tuple(streams)


MODEL_INSIDES = {
    "workforce", "units", "outcomes", "annual_frames", "sector_frames", "annual_records",
    "sector_records", "survey_records", "rngs", "policies",
    "queues", "at_day", "plan_year", "_known", "_newcomers",
}  # fmt: skip


@pytest.mark.parametrize("row", LEVERS, ids=lambda row: row.kind)
def test_levers_see_only_the_snapshot_and_act_only_through_actions(row):
    """No lever module reaches into the model: no model attribute, no result table."""
    tree = ast.parse(Path(importlib.import_module(row.module).__file__).read_text())
    reached = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in MODEL_INSIDES
    }
    params = {
        a.arg for node in ast.walk(tree) if isinstance(node, ast.arguments) for a in node.args
    }
    assert not reached and "model" not in params, (row.module, reached)


def test_a_newcomer_count_mismatch_is_refused(tiny):
    from asnsim.policies.contract import Actions

    model = ASNModel(tiny)
    with pytest.raises(ValueError, match="1 units for 0 newcomers"):
        Actions(model, "placement").place_newcomers(np.array([0]))


# --------------------------------------------------------------------------- order


def test_participation_sharpens_the_signal_training_sees_the_same_year(tiny, monkeypatch):
    """Participation acts before training (LEVERS), so year 1's training plan already reads
    the signal shifted toward the true IKM; in the other order it would read the survey."""
    spec = tiny.with_overrides(
        WITH_PROGRAMS
        | {"horizon_years": 1, "policies.training.name": "evaluation_driven"}
        | {"policies.participation.name": "forums"}
    )

    def seen_by_training() -> tuple[float, dict[str, float], ASNModel]:
        model = ASNModel(spec)
        seen = {}
        act = model.policies["training"].act

        def spy(gov, do):
            seen["w"], seen["signal"] = gov.feedback_weight, gov.sector_signal()
            return act(gov, do)

        model.policies["training"].act = spy
        model.run(progress=False)
        return seen["w"], seen["signal"], model

    w, signal, model = seen_by_training()
    sectors = model.outcomes.sectors()
    expected = 0.5 * sectors["ikm"] + 0.5 * sectors["ikm_true"]
    assert w == 0.5
    np.testing.assert_allclose(list(signal.values()), expected.to_numpy())

    order = [row for row in LEVERS if row.kind != "participation"]
    order.append(next(row for row in LEVERS if row.kind == "participation"))
    monkeypatch.setattr("asnsim.policies.levers.LEVERS", order)
    monkeypatch.setattr("asnsim.model.LEVERS", order)
    w, signal, _ = seen_by_training()
    assert w == 0.0
    np.testing.assert_allclose(list(signal.values()), sectors["ikm"].to_numpy())


# --------------------------------------------------------------------------- a new lever


class SteadyToy(Policy):
    """A toy lever: counts its acts, spends a rupiah a year, draws from its own stream."""

    kind = "toy"
    name = "steady"
    reports: ClassVar[tuple[str, ...]] = ("acts", "draw")

    def __init__(self, options, rng):
        super().__init__(options, rng)
        self.acts = 0

    def act(self, gov, do):
        self.acts += 1
        return Result(1.0, {"acts": self.acts, "draw": self.rng.random()})


@pytest.fixture
def toy_lever():
    """A lever added as a newcomer would: its class and one LEVERS line (before training)."""
    register(SteadyToy)
    LEVERS.insert(len(LEVERS) - 1, Lever("toy", "steady", __name__))
    scenario_module.rebuild_policies()
    yield
    LEVERS.pop(len(LEVERS) - 2)
    del REGISTRY["toy"]
    scenario_module.rebuild_policies()


def test_a_new_lever_is_one_class_and_one_levers_line(toy_lever):
    assert "toy" in scenario_module.Policies.model_fields
    assert "toy" in stream_names()
    assert _yearly_order()[1][-2:] == ["toy", "training"]
    assert "toy" in dashboard_levers()
    assert model_params("scenarios/kotabumi.yaml")["toy"]["values"] == ["steady"]
    with pytest.raises(ScenarioError, match="policies.toy.options.speed: unknown option"):
        load_scenario(TINY, {"policies.toy.options.speed": 2})

    spec = load_scenario(TINY)
    assert spec.policies.toy.name == "steady"
    model = ASNModel(spec)
    city = model.run(progress=False).city()
    assert city["toy_acts"].tolist() == [1, 2, 3]
    assert (city["spend_toy"] == 1.0).all()
    assert city["toy_draw"].iloc[0] == stream(spec.seed, "toy").random()  # its own stream


def test_the_toy_lever_is_gone_after_the_test():
    assert "toy" not in scenario_module.Policies.model_fields
    assert "toy" not in stream_names() and "toy" not in REGISTRY
