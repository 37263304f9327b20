"""Contract tests of asnsim.scenario: loading, extends, overrides, canonical hash, errors.

Bad inputs live in ``tests/data/bad/*.yaml``; each file says in ``# expect:`` comment lines
which fragments the error message must contain (file name, key path, bad value, what was
expected), so the same cases drive the ``asnsim validate`` tests in ``test_cli.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from asnsim.policies import REGISTRY, validate_choice
from asnsim.scenario import (
    Assumptions,
    Scenario,
    ScenarioError,
    apply_overrides,
    load_scenario,
)

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny.yaml"
BAD = DATA / "bad"
BAD_FILES = sorted(BAD.glob("*.yaml"))


def expectations(path: Path) -> tuple[list[str], int | None]:
    """Fragments the error of a bad fixture must contain, and its number of problems."""
    text = path.read_text(encoding="utf-8")
    fragments = re.findall(r"^# expect: (.+)$", text, flags=re.M)
    count = re.search(r"^# problems: (\d+)$", text, flags=re.M)
    return fragments, int(count.group(1)) if count else None


def tiny_data() -> dict[str, Any]:
    return yaml.safe_load(TINY.read_text(encoding="utf-8"))


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def reversed_keys(node: Any) -> Any:
    """The same data with every mapping's keys in reverse order (lists keep their order)."""
    if isinstance(node, dict):
        return {k: reversed_keys(node[k]) for k in reversed(list(node))}
    if isinstance(node, list):
        return [reversed_keys(x) for x in node]
    return node


@pytest.fixture(scope="module")
def tiny() -> Scenario:
    return load_scenario(TINY)


# --------------------------------------------------------------------------- loading


def test_tiny_loads_with_its_values(tiny):
    assert tiny.name == "tiny"
    assert tiny.seed == 7
    assert tiny.horizon_years == 3
    assert tiny.city.workforce.headcount == 300
    assert [u.name for u in tiny.city.units] == [
        "Puskesmas",
        "Disdukcapil",
        "Sekolah",
        "Kantor Camat",
    ]
    assert [u.count for u in tiny.city.units] == [3, 1, 2, 2]
    # 3 x 30 + 40 + 2 x 60 + 2 x 30 posts; the headcount fits in them.
    assert sum(u.formation * u.count for u in tiny.city.units) == 310
    assert tiny.sector_names == ["health", "civil_registry", "education", "administration"]


def test_tiny_gets_defaults(tiny):
    assert tiny.policies.placement.name == "seniority"
    assert tiny.policies.training.name == "none"
    assert tiny.policies.recruitment.name == "status_quo"
    # Policy options are returned with their defaults filled in.
    assert tiny.policies.recruitment.options == validate_choice("recruitment", "status_quo", {})
    assert set(tiny.policies.recruitment.options) == {"quota_share", "pppk_share"}
    assert tiny.assumptions == Assumptions()
    assert tiny.assumptions.hours_per_day == 7.5
    assert sorted(tiny.assumptions.elements) == [f"U{i}" for i in range(1, 10)]
    assert tiny.scale == 1.0
    assert tiny.days_per_year == 250
    assert tiny.training.budget_per_year == 0.0
    assert tiny.training.programs == []
    # Unit defaults and the default mixes, which must be proper shares.
    assert tiny.city.units[0].digital_maturity == 0.3
    assert tiny.city.units[0].staffing_weight == 1.0
    for mix in ("position_mix", "education_mix", "functional_level_mix", "field_mix"):
        assert sum(getattr(tiny.city.workforce, mix).values()) == pytest.approx(1.0)
    # Every sector qualifies at least one field that recruits actually have.
    fields = set(tiny.city.workforce.field_mix)
    assert all(set(q) <= fields and q for q in tiny.sectors.values())


def test_every_assumption_documents_unit_and_reason():
    for name, info in Assumptions.model_fields.items():
        assert info.description, name
        assert re.match(r"^\[[^\]]+\] \S", info.description), (name, info.description)


def test_registry_holds_the_default_policies():
    validate_choice("placement", "seniority", {})  # loads the built-in policies
    assert {"seniority", "random"} <= set(REGISTRY["placement"])
    assert "none" in REGISTRY["training"]
    assert "status_quo" in REGISTRY["recruitment"]
    with pytest.raises(ValueError, match="expected one of"):
        validate_choice("placement", "bogus", {})


# --------------------------------------------------------------------------- extends


def test_extends_changes_one_nested_key_and_keeps_the_rest(tmp_path, tiny):
    child = tmp_path / "child.yaml"
    child.write_text(
        f"extends: {TINY.resolve()}\nname: child\ncity:\n  workforce:\n    pppk_share: 0.5\n",
        encoding="utf-8",
    )
    s = load_scenario(child, extends_anywhere=True)
    assert s.name == "child"
    assert s.city.workforce.pppk_share == 0.5
    # Siblings of the changed key and everything else come from the parent.
    assert s.city.workforce.headcount == 300
    assert s.city.name == "Tiny Town"
    assert s.city.units == tiny.city.units
    assert s.seed == tiny.seed
    assert s.horizon_years == tiny.horizon_years
    # Exactly the same scenario as the parent with those two overrides.
    same = load_scenario(TINY, {"name": "child", "city.workforce.pppk_share": 0.5})
    assert s.hash() == same.hash()


def test_extends_relative_to_the_child_file(tmp_path, tiny):
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "tiny.yaml").write_text(TINY.read_text(encoding="utf-8"))
    child = tmp_path / "child.yaml"
    child.write_text("extends: base/tiny.yaml\nseed: 11\n", encoding="utf-8")
    s = load_scenario(child)
    assert s.seed == 11
    assert s.hash() == tiny.with_overrides({"seed": 11}).hash()


def test_extends_chain_of_three(tmp_path):
    mid = tmp_path / "mid.yaml"
    mid.write_text(f"extends: {TINY.resolve()}\nhorizon_years: 5\nseed: 1\n", encoding="utf-8")
    leaf = tmp_path / "leaf.yaml"
    leaf.write_text("extends: mid.yaml\nseed: 2\n", encoding="utf-8")
    s = load_scenario(leaf, extends_anywhere=True)
    assert (s.horizon_years, s.seed, s.city.workforce.headcount) == (5, 2, 300)


def test_extends_circular_is_a_clear_error(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("extends: b.yaml\nname: a\n", encoding="utf-8")
    b.write_text("extends: a.yaml\nname: b\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(a)
    msg = str(info.value)
    assert "circular" in msg
    assert "extends" in msg
    assert "a.yaml" in msg and "b.yaml" in msg


def test_extends_itself_is_circular(tmp_path):
    me = tmp_path / "me.yaml"
    me.write_text("extends: me.yaml\nname: me\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="circular"):
        load_scenario(me)


def test_extends_missing_parent_names_it(tmp_path):
    child = tmp_path / "child.yaml"
    child.write_text("extends: nowhere.yaml\nname: c\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="nowhere.yaml"):
        load_scenario(child)


# --------------------------------------------------------------------------- overrides


def test_override_by_dict(tiny):
    s = load_scenario(TINY, {"policies.placement.name": "random", "city.workforce.headcount": 250})
    assert s.policies.placement.name == "random"
    assert s.city.workforce.headcount == 250
    assert s.city.workforce.pppk_share == tiny.city.workforce.pppk_share


def test_override_by_strings_parses_yaml_values():
    s = load_scenario(
        TINY,
        ["scale=0.5", "seed=3", "description=a=b", "policies.placement.name=random"],
    )
    assert isinstance(s.scale, float) and s.scale == 0.5
    assert isinstance(s.seed, int) and s.seed == 3
    assert s.description == "a=b"  # only the first '=' separates key from value
    assert s.policies.placement.name == "random"


def test_override_by_kwargs_with_double_underscore():
    s = load_scenario(TINY, policies__placement__name="random", seed=3, scale=0.25)
    assert s.policies.placement.name == "random"
    assert (s.seed, s.scale) == (3, 0.25)


def test_override_list_index():
    s = load_scenario(TINY, ["city.units.0.demand_per_day=5"])
    assert s.city.units[0].demand_per_day == 5.0
    assert s.city.units[1].demand_per_day == 80.0
    s = load_scenario(TINY, {"city.units.3.formation": 35})
    assert s.city.units[3].formation == 35


def test_apply_overrides_does_not_modify_its_input():
    data = tiny_data()
    before = json.dumps(data, sort_keys=True)
    out = apply_overrides(data, ["city.units.0.demand_per_day=5", "seed=9"])
    assert json.dumps(data, sort_keys=True) == before
    assert out["city"]["units"][0]["demand_per_day"] == 5
    assert out["seed"] == 9


@pytest.mark.parametrize("index", ["4", "9", "-1", "x"])
def test_override_bad_list_index_names_the_key(index):
    key = f"city.units.{index}.demand_per_day"
    with pytest.raises(ScenarioError) as info:
        load_scenario(TINY, [f"{key}=5"])
    msg = str(info.value)
    assert key in msg
    assert f"city.units.{index}" in msg
    assert "list of 4" in msg


def test_override_without_equals_is_an_error():
    with pytest.raises(ScenarioError, match="KEY=VALUE"):
        load_scenario(TINY, ["seed"])


def test_override_through_a_value_is_an_error():
    with pytest.raises(ScenarioError, match="name holds a value"):
        load_scenario(TINY, ["name.first=x"])


def test_override_with_unknown_key_is_rejected():
    with pytest.raises(ScenarioError, match=r"city\.bogus: unknown key"):
        load_scenario(TINY, ["city.bogus=1"])


def test_override_with_invalid_value_is_validated():
    with pytest.raises(ScenarioError, match=r"seed: got -1; .*greater than or equal to 0"):
        load_scenario(TINY, {"seed": -1})


def test_override_error_names_the_file():
    with pytest.raises(ScenarioError) as info:
        load_scenario(TINY, ["city.units.9.demand_per_day=5"])
    assert str(TINY) in str(info.value)


# --------------------------------------------------------------------------- canonical hash


def test_hash_is_stable_for_the_same_content(tiny, tmp_path):
    assert load_scenario(TINY).hash() == tiny.hash()
    assert re.fullmatch(r"[0-9a-f]{64}", tiny.hash())
    # Same content, every mapping's keys reversed and integers written as floats.
    data = reversed_keys(tiny_data())
    for unit in data["city"]["units"]:
        unit["demand_per_day"] = float(unit["demand_per_day"])
    shuffled = write_yaml(tmp_path / "shuffled.yaml", data)
    assert list(data)[0] != list(tiny_data())[0]
    assert load_scenario(shuffled).hash() == tiny.hash()


def test_hash_covers_defaults_filled_in(tiny):
    # Writing a default out explicitly is the same scenario.
    explicit = load_scenario(
        TINY,
        {
            "policies.placement.name": "seniority",
            "assumptions.absence_rate": 0.06,
            "scale": 1,
            "city.units.0.digital_maturity": 0.3,
        },
    )
    assert explicit.hash() == tiny.hash()


@pytest.mark.parametrize(
    "override",
    [
        {"seed": 8},
        {"scale": 0.5},
        {"horizon_years": 2},
        {"policies.placement.name": "random"},
        {"policies.recruitment.options.quota_share": 0.05},
        {"city.units.0.demand_per_day": 61},
        {"city.units.3.sector": "licensing"},
        {"assumptions.absence_rate": 0.07},
        {"assumptions.elements.U7.slope": 0.5},
        {"description": "another text"},
    ],
    ids=lambda o: next(iter(o)),
)
def test_hash_changes_with_any_override(tiny, override):
    changed = tiny.with_overrides(override)
    assert changed.hash() != tiny.hash()
    key, value = next(iter(override.items()))
    node: Any = changed.canonical()
    for part in key.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    assert node == value


@pytest.mark.parametrize(
    "override",
    [
        {"seed": 8},
        {"city.units.0.demand_per_day": 61},
        {"policies.placement.name": "random"},
        {"assumptions.absence_rate": 0.07},
        {"assumptions.elements.U7.slope": 0.5},
        {"assumptions.service_share.jpt": 0.1},
        {"policies.recruitment.options.quota_share": 0.05},
    ],
    ids=lambda o: next(iter(o)),
)
def test_load_override_equals_with_overrides(tiny, override):
    assert load_scenario(TINY, override).hash() == tiny.with_overrides(override).hash()


def test_canonical_json_round_trips(tiny):
    text = tiny.canonical_json()
    assert text == json.dumps(json.loads(text), separators=(",", ":"))
    again = Scenario.model_validate(json.loads(text))
    assert again.hash() == tiny.hash()
    assert again == tiny
    modified = tiny.with_overrides(["policies.placement.name=random", "scale=0.5"])
    assert Scenario.model_validate(json.loads(modified.canonical_json())).hash() == (
        modified.hash()
    )


def test_with_overrides_returns_a_copy(tiny):
    before = tiny.hash()
    other = tiny.with_overrides(["seed=99"])
    assert other.seed == 99
    assert tiny.seed == 7
    assert tiny.hash() == before


# --------------------------------------------------------------------------- bad input


def test_bad_fixtures_are_present():
    names = {p.stem for p in BAD_FILES}
    assert {
        "malformed_yaml",
        "unknown_key_top",
        "unknown_key_nested",
        "wrong_type",
        "negative_demand",
        "zero_formation",
        "missing_formation",
        "headcount_above_formation",
        "unknown_sector",
        "unknown_policy",
        "unknown_policy_option",
        "position_mix_sum",
        "two_problems",
        "circular_a",
    } <= names
    assert all(expectations(p)[0] for p in BAD_FILES)


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.stem for p in BAD_FILES])
def test_bad_scenario_error_names_file_key_value_and_expectation(path):
    fragments, count = expectations(path)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    msg = str(err)
    assert path.name in msg
    assert path.name in err.source
    for fragment in fragments:
        assert fragment in msg, f"{fragment!r} not in {msg!r}"
    # Every line of the message starts with the file.
    assert all(line.startswith(err.source) for line in msg.splitlines())
    assert len(err.problems) == (count or 1)
    assert isinstance(err, ValueError)


def test_missing_file(tmp_path):
    path = tmp_path / "absent.yaml"
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(path) in str(info.value)
    assert "no such scenario file" in str(info.value)


def test_directory_is_not_a_scenario(tmp_path):
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario(tmp_path)


def test_top_level_must_be_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="mapping"):
        load_scenario(path)


def test_empty_file_reports_required_keys(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    problems = info.value.problems
    assert "name: required key is missing" in problems
    assert "city: required key is missing" in problems


def test_several_bad_keys_are_all_reported(tmp_path):
    data = tiny_data()
    data["colour"] = "blue"
    data["city"]["units"][0]["demnd_per_day"] = 3
    data["city"]["units"][2]["demand_per_day"] = -1
    data["city"]["workforce"]["pppk_share"] = 1.5
    path = write_yaml(tmp_path / "many.yaml", data)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    problems = info.value.problems
    assert len(problems) == 4
    joined = "\n".join(problems)
    for key in (
        "colour",
        "city.units.0.demnd_per_day",
        "city.units.2.demand_per_day",
        "city.workforce.pppk_share",
    ):
        assert key in joined


def test_position_mix_with_unknown_type(tmp_path):
    data = tiny_data()
    data["city"]["workforce"]["position_mix"] = {"jpt": 0.5, "kepala": 0.5}
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_yaml(tmp_path / "mix.yaml", data))
    msg = str(info.value)
    assert "city.workforce.position_mix" in msg
    assert "kepala" in msg
    assert "pelaksana" in msg  # the allowed keys are listed


@pytest.mark.parametrize(
    ("stem", "key"),
    [
        ("unknown_policy", "policies.placement.name"),
        ("unknown_policy_option", "policies.recruitment.options.quota"),
    ],
)
def test_policy_error_names_the_full_key_path(stem, key):
    with pytest.raises(ScenarioError) as info:
        load_scenario(BAD / f"{stem}.yaml")
    assert key in str(info.value)


def test_two_bad_policies_are_both_reported(tmp_path):
    data = tiny_data()
    data["policies"] = {"placement": {"name": "bogus"}, "training": {"name": "nope"}}
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_yaml(tmp_path / "policies.yaml", data))
    msg = str(info.value)
    assert "'bogus'" in msg
    assert "'nope'" in msg


def test_cross_field_problems_are_separate_entries(tmp_path):
    data = tiny_data()
    data["city"]["units"][3]["sector"] = "police"
    data["city"]["workforce"]["headcount"] = 1000
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_yaml(tmp_path / "cross.yaml", data))
    problems = info.value.problems
    assert len(problems) == 2
    assert problems[0].startswith("city.units.3.sector")
    assert problems[1].startswith("city.workforce.headcount")


def test_field_error_does_not_hide_cross_field_error(tmp_path):
    data = tiny_data()
    data["colour"] = "blue"
    data["city"]["units"][3]["sector"] = "police"
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_yaml(tmp_path / "mixed.yaml", data))
    msg = str(info.value)
    assert "colour" in msg
    assert "city.units.3.sector" in msg


def test_extends_can_patch_one_list_item(tmp_path):
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {TINY}\ncity:\n  units:\n    1: {{staffing_weight: 0.5}}\n")
    scenario = load_scenario(child, extends_anywhere=True)
    base = load_scenario(TINY)
    assert scenario.city.units[1].staffing_weight == 0.5
    assert scenario.city.units[1].name == base.city.units[1].name
    assert len(scenario.city.units) == len(base.city.units)
    assert scenario.city.units[0] == base.city.units[0]
