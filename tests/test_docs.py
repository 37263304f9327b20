"""The documentation must not drift from the code.

- docs/ODD.md names every behavioural assumption (``Assumptions``) with the code's default,
  the SKM element responses, the ODD elements and the order in which the levers act;
- docs/policies.md names every registered policy in its lever's section, and every option of
  each policy is named there or in docs/policies/<kind>.md;
- docs/scenarios.md is what ``asnsim.schema_doc.render()`` prints;
- the README's two set-up commands open its first bash block, and CI runs the second.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from asnsim.policies import REGISTRY, _load_builtin
from asnsim.policies.levers import LEVERS
from asnsim.scenario import Assumptions
from asnsim.survey import ELEMENTS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
ODD = DOCS / "ODD.md"
POLICIES = DOCS / "policies.md"


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _registry() -> dict[str, dict[str, type]]:
    _load_builtin()
    return {kind: dict(names) for kind, names in sorted(REGISTRY.items())}


def _table_row(text: str, key: str) -> list[str] | None:
    """Cells of the first Markdown table row whose first cell is ``key``."""
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and cells and cells[0] == key:
            return cells
    return None


def _number(cell: str) -> float:
    return float(cell.replace("−", "-").replace(",", "").replace("_", ""))


def _sections(text: str) -> dict[str, str]:
    """Level-2 sections of a Markdown text: heading line → body."""
    out: dict[str, str] = {}
    heading = ""
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line
            out[heading] = ""
        elif heading:
            out[heading] += line + "\n"
    return out


# --------------------------------------------------------------------------- docs/ODD.md


@pytest.mark.parametrize("name", list(Assumptions.model_fields))
def test_every_assumption_is_named_in_the_odd(name):
    assert f"`assumptions.{name}`" in _text(ODD), (
        f"docs/ODD.md does not name assumptions.{name}; describe it in its submodel and add "
        "it to Appendix A"
    )


@pytest.mark.parametrize("name", list(Assumptions.model_fields))
def test_assumption_defaults_in_the_odd_table_are_the_codes(name):
    field = Assumptions.model_fields[name]
    row = _table_row(_text(ODD), f"`assumptions.{name}`")
    assert row is not None, f"Appendix A of docs/ODD.md has no row for assumptions.{name}"
    default = field.default_factory() if field.default_factory else field.default
    if isinstance(default, bool):
        pytest.fail(f"assumptions.{name}: a yes/no assumption; extend this test")
    if isinstance(default, int | float):
        assert _number(row[1]) == pytest.approx(default), (
            f"docs/ODD.md gives assumptions.{name} = {row[1]}, the code {default}"
        )
    elif isinstance(default, dict) and all(isinstance(v, int | float) for v in default.values()):
        for key, value in default.items():
            assert f"{key} {value:g}" in row[1], (
                f"docs/ODD.md: assumptions.{name} should show '{key} {value:g}', got {row[1]!r}"
            )


def test_skm_element_responses_in_the_odd_are_the_codes():
    text = _text(ODD)
    for element in ELEMENTS:
        response = Assumptions().elements[element]
        row = _table_row(text, element)
        assert row is not None, f"docs/ODD.md 7.7 has no table row for {element}"
        numbers = [_number(c) for c in row[3:5]]
        assert numbers == pytest.approx([response.intercept, response.slope]), (
            f"docs/ODD.md: {element} intercept/slope {row[3:5]}, the code "
            f"{response.intercept}/{response.slope}"
        )


def test_the_odd_has_the_seven_elements_in_order():
    headings = [line for line in _text(ODD).splitlines() if line.startswith("## ")]
    expected = [
        "## 1 Purpose and patterns",
        "## 2 Entities, state variables and scales",
        "## 3 Process overview and scheduling",
        "## 4 Design concepts",
        "## 5 Initialisation",
        "## 6 Input data",
        "## 7 Submodels",
    ]
    found = [h for h in headings if re.match(r"## \d ", h)]
    assert found == expected


def test_the_odd_states_the_order_in_which_the_levers_act():
    in_code = [row.kind for row in LEVERS]
    text = _text(ODD)
    marker = "Lever order (the rows of `LEVERS`):"
    assert marker in text, f"docs/ODD.md 3.3 lost the line '{marker}'"
    paragraph = text.split(marker, 1)[1].split("\n\n", 1)[0]
    assert re.findall(r"`(\w+)`", paragraph) == in_code


# --------------------------------------------------------------------------- docs/policies.md


def _policy_cases() -> list[tuple[str, str]]:
    return [(kind, name) for kind, names in _registry().items() for name in sorted(names)]


def _kind_section(kind: str) -> str:
    sections = _sections(_text(POLICIES))
    matches = [body for heading, body in sections.items() if f"`policies.{kind}`" in heading]
    assert matches, f"docs/policies.md has no '## ... (`policies.{kind}`)' section"
    return matches[0]


def _option_names(model: type[BaseModel]) -> list[tuple[str, bool]]:
    """Option names of a policy, with nested option models' fields (flagged True)."""
    out = []
    for name, field in model.model_fields.items():
        out.append((name, False))
        for arg in (field.annotation, *typing.get_args(field.annotation)):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                out += [(sub, True) for sub in arg.model_fields]
    return out


@pytest.mark.parametrize(("kind", "name"), _policy_cases())
def test_every_registered_policy_is_in_its_levers_section(kind, name):
    assert f"`{name}`" in _kind_section(kind), (
        f"docs/policies.md: policy '{name}' of policies.{kind} is not named in its section"
    )


@pytest.mark.parametrize("kind", sorted(_registry()))
def test_every_lever_has_its_long_page_linked(kind):
    page = DOCS / "policies" / f"{kind}.md"
    assert page.is_file(), f"{page.relative_to(ROOT)} is missing"
    assert f"policies/{kind}.md" in _kind_section(kind)


@pytest.mark.parametrize(("kind", "name"), _policy_cases())
def test_every_option_is_documented(kind, name):
    cls = _registry()[kind][name]
    text = _text(POLICIES) + _text(DOCS / "policies" / f"{kind}.md")
    missing = []
    for option, nested in _option_names(cls.Options):
        pattern = rf"\b{re.escape(option)}\b" if nested else re.escape(f"`{option}`")
        if not re.search(pattern, text):
            missing.append(option)
    assert not missing, (
        f"options of policies.{kind} '{name}' named neither in docs/policies.md nor in "
        f"docs/policies/{kind}.md: {missing}"
    )


# --------------------------------------------------------------------------- docs/scenarios.md


def test_scenario_reference_is_generated_from_the_schema():
    path = DOCS / "scenarios.md"
    if not path.is_file():
        pytest.skip("docs/scenarios.md is not generated yet (python -m asnsim.schema_doc)")
    from asnsim.schema_doc import render

    assert _text(path) == render(), (
        "docs/scenarios.md differs from the schema; regenerate it with "
        "python -m asnsim.schema_doc docs/scenarios.md"
    )


def test_scenario_reference_flags_exactly_the_planners_choices():
    """Every option a city decides (a ``planner()`` mark) says so, with its range; no
    assumption does (the reference's tables are ``_table``'s, row for row)."""
    from asnsim.policies import PLANNER, REGISTRY
    from asnsim.schema_doc import _SECTIONS, _load_policies, _table

    _load_policies()
    models = [(model, prefix) for _, model, prefix in _SECTIONS] + [
        (cls.Options, f"policies.{kind}.options.")
        for kind, names in REGISTRY.items()
        for cls in names.values()
    ]
    marked = unmarked = 0
    for model, prefix in models:
        rows = _table(model, prefix)[2:]
        for (name, field), row in zip(model.model_fields.items(), rows, strict=True):
            assert row.startswith(f"| `{prefix}{name}` |")
            mark = (field.json_schema_extra or {}).get(PLANNER)
            assert ("**Planner's choice**" in row) == bool(mark), row
            if mark and "low" in mark:
                assert f"from {mark['low']} to {mark['high']}" in row
            marked, unmarked = marked + bool(mark), unmarked + (not mark)
    assert marked >= 19 and unmarked > marked  # 17 searched options and 2 amounts at least


# --------------------------------------------------------------------------- README and CI


def _setup_commands() -> tuple[str, str]:
    readme = _text(ROOT / "README.md")
    block = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert block, "README.md has no bash code block"
    lines = [line.strip() for line in block.group(1).splitlines() if line.strip()]
    assert len(lines) >= 2, "the README's first bash block should hold the two set-up commands"
    return lines[0], lines[1]


def test_readme_opens_with_the_two_setup_commands():
    run, test = _setup_commands()
    venv = "python3 -m venv .venv && .venv/bin/pip install -q -c requirements.lock -e "
    assert run.startswith(venv) and test.startswith(venv)
    scenario = re.search(r"\.venv/bin/asnsim run (\S+\.yaml)", run)
    assert scenario, f"the first set-up command should run a scenario: {run!r}"
    assert (ROOT / scenario.group(1)).is_file(), f"{scenario.group(1)} does not exist"
    assert re.search(r"&& \.venv/bin/pytest\b", test), (
        f"the second set-up command should run the test suite: {test!r}"
    )
    assert (ROOT / "requirements.lock").is_file()


def test_ci_runs_the_readmes_test_command():
    _, test = _setup_commands()
    pip_and_pytest = test[test.index(".venv/bin/pip") :]
    ci = _text(ROOT / ".ci" / "run")
    commands = [line.strip() for line in ci.splitlines() if not line.lstrip().startswith("#")]
    assert any(pip_and_pytest in line for line in commands), (
        f".ci/run does not run the README's command {pip_and_pytest!r}"
    )


def test_schema_doc_help_writes_no_file(tmp_path, monkeypatch, capsys):
    """``python -m asnsim.schema_doc --help`` once wrote the reference to a file named --help."""
    from asnsim.schema_doc import main as schema_main

    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        schema_main(["--help"])
    assert stop.value.code == 0
    assert "scenario reference" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []
