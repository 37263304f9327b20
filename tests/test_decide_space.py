"""asnsim.decide.space: the declared planner's choices, their encoding and --search."""

from __future__ import annotations

import math

import numpy as np
import pytest

from asnsim.decide.space import decision_space, parse_search
from asnsim.policies import PLANNER, REGISTRY, validate_choice
from asnsim.scenario import ScenarioError, load_scenario
from asnsim.units import build_units
from tests.conftest import TINY


@pytest.fixture(scope="module")
def space():
    return decision_space()


def test_planners_choices_are_declared_and_assumptions_are_not(space):
    keys = {k.key for k in space.knobs}
    assert {
        "policies.change.options.coverage",
        "policies.change.options.sessions_per_year",
        "policies.placement.options.max_moves_share",
        "policies.appraisal.options.performance_share",
        "policies.training.options.target_jp",
        "policies.digital.options.simpeg",
    } <= keys
    # how the world works is never searched: effects, noise, prices
    for assumption in (
        "policies.training.options.effect_size",
        "policies.appraisal.options.rater_noise_sd",
        "policies.change.options.cost_per_person_session",
        "policies.appraisal.options.allowance_per_year",  # no behaviour follows its level
    ):
        assert assumption not in keys
    amounts = {a.key: a for a in space.amounts}
    assert set(amounts) == {
        "training.budget_per_year",
        "policies.digital.options.investment_per_post",
    }
    assert "none" not in amounts["training.budget_per_year"].policies
    assert amounts["policies.digital.options.investment_per_post"].policies == ("e_government",)
    coverage = next(k for k in space.knobs if k.key == "policies.change.options.coverage")
    assert coverage.policies == ("socialisation",) and not coverage.integer
    sessions = next(k for k in space.knobs if k.option == "sessions_per_year")
    assert sessions.integer
    priority = next(k for k in space.knobs if k.option == "priority")
    assert set(priority.values) == {"random", "most_resistant"}


def test_every_declared_range_is_admissible_for_every_policy_that_has_it(space):
    for knob in space.knobs:
        assert knob.why.strip(), knob.key
        ends = knob.values or (knob.low, knob.high)
        for name in knob.policies:
            for value in ends:
                validate_choice(knob.kind, name, {knob.option: value})  # raises if not
    for kind in REGISTRY:  # a mark on an option names a reason and, for a number, a range
        for cls in REGISTRY[kind].values():
            for info in cls.Options.model_fields.values():
                mark = (info.json_schema_extra or {}).get(PLANNER)
                if mark is not None:
                    assert mark["why"] and (
                        "amount" in mark or info.annotation is not float or "low" in mark
                    )


def test_budget_shares_are_whole_percents_that_never_exceed_the_budget(space):
    rng = np.random.default_rng(0)
    names = [f"share:{a.key}" for a in space.amounts] + ["share:unspent"]
    for weights in rng.uniform(0, 1, (500, len(names))):
        shares = space.shares(dict(zip(names, weights, strict=True)))
        assert sum(shares) <= 1.0 + 1e-12
        assert all(s >= 0 and math.isclose(100 * s, round(100 * s)) for s in shares)
    only_training = dict.fromkeys(names, 0.0) | {"share:training.budget_per_year": 1.0}
    training = [a.key for a in space.amounts].index("training.budget_per_year")
    assert space.shares(only_training)[training] == 1.0
    assert space.shares(dict.fromkeys(names, 0.0)) == [0.0] * len(space.amounts)


def test_a_share_becomes_the_amount_that_spends_it_at_the_runs_scale():
    scenario = load_scenario(TINY).with_overrides({"scale": 0.5})
    space = decision_space(["training", "digital"])
    x = {
        "lever:training": "uniform",
        "lever:digital": "e_government",
        "share:training.budget_per_year": 0.3,
        "share:policies.digital.options.investment_per_post": 0.2,
        "share:unspent": 0.5,
        "policies.training.options.max_programs_per_employee": 3,
        "policies.training.options.target_jp": 31.4159,
        "policies.digital.options.simpeg": np.True_,
        "policies.digital.options.online_channels": False,
    }
    overrides = space.decode(x, scenario, budget=1e9)
    assert overrides["training.budget_per_year"] * scenario.scale == pytest.approx(0.3e9)
    posts = build_units(scenario).formation.sum()
    digital = overrides["policies.digital"]["options"]
    assert digital["investment_per_post"] * posts == pytest.approx(0.2e9, rel=1e-6)
    # a city whose unit kinds have many points (Kotabumi: 27 puskesmas, ...) counts every point
    kotabumi = load_scenario("kotabumi", {"scale": 0.05})
    assert any(u.count > 1 for u in kotabumi.city.units)
    per_post = space.decode(x, kotabumi, budget=1e9)["policies.digital"]["options"]
    posts = build_units(kotabumi).formation.sum()
    assert per_post["investment_per_post"] * posts == pytest.approx(0.2e9, rel=1e-3)
    assert digital["simpeg"] is True and digital["online_channels"] is False
    training = overrides["policies.training"]["options"]
    assert training["target_jp"] == 31.4 and training["max_programs_per_employee"] == 3
    scenario.with_overrides(overrides)  # a valid scenario
    off = space.decode(x | {"lever:training": "none", "lever:digital": "none"}, scenario, 1e9)
    assert off["training.budget_per_year"] == 0.0  # a lever not used spends nothing
    assert off["policies.digital"] == {"name": "none", "options": {}}


def test_search_narrows_fixes_and_switches_off_and_refuses_assumptions():
    space = decision_space(
        ["change", "training"],
        parse_search(
            [
                "policies.change.options.coverage=0.4:0.6",
                "policies.change.options.sessions_per_year=2:2",
                "policies.change.options.priority=random",
                "policies.training.name=none,uniform",
                "training.budget_per_year=off",
            ]
        ),
    )
    knobs = {k.key: k for k in space.knobs}
    assert (
        knobs["policies.change.options.coverage"].low,
        knobs["policies.change.options.coverage"].high,
    ) == (0.4, 0.6)
    assert knobs["policies.change.options.sessions_per_year"].fixed
    assert knobs["policies.change.options.priority"].values == ("random",)
    assert space.levers["training"] == ["none", "uniform"] and space.amounts == []
    variables = space.variables()
    assert "policies.change.options.sessions_per_year" not in variables
    assert "policies.change.options.coverage" in variables and "share:unspent" not in variables
    for item, message in [
        ("policies.training.options.effect_size=0.1:0.9", "not a planner's choice"),
        ("policies.change.options.coverage=0.7:0.2", "LOW <= HIGH"),
        ("policies.change.options.coverage=0.5:1.5", "less than or equal to 1"),
        ("policies.change.options.sessions_per_year=1.5:3", "whole numbers"),
        ("policies.change.options.priority=loudest", "expected some of"),
        ("policies.training.name=lottery", "expected some of"),
        ("training.budget_per_year=0:1e9", "only 'off'"),
    ]:
        with pytest.raises(ScenarioError, match=message):
            decision_space(["change", "training"], parse_search([item]))
    with pytest.raises(ScenarioError, match="expected KEY=LOW:HIGH"):
        parse_search(["coverage"])


def test_a_search_file_says_the_same_as_search_options(tmp_path):
    from asnsim.decide.space import read_search_file

    path = tmp_path / "search.yaml"
    path.write_text(
        "policies.change.options.coverage: [0.4, 0.6]\n"
        "policies.change.options.sessions_per_year: 2\n"
        "policies.change.options.priority: [random]\n"
        "training.budget_per_year: off\n"
    )
    items = read_search_file(str(path))
    assert items == [
        "policies.change.options.coverage=0.4:0.6",
        "policies.change.options.sessions_per_year=2:2",
        "policies.change.options.priority=random",
        "training.budget_per_year=off",
    ]
    space = decision_space(["change", "training"], parse_search(items))
    assert [a.key for a in space.amounts] == []
    with pytest.raises(ScenarioError, match="given twice"):
        parse_search([*items, "training.budget_per_year=off"])
    path.write_text("- just a list\n")
    with pytest.raises(ScenarioError, match="search.yaml: expected a mapping"):
        read_search_file(str(path))
