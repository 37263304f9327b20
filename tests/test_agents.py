"""Employees registered with mesa many at a time are what mesa registers one at a time."""

from mesa.experimental.mesa_signals.signal_types import ModelSignals

from asnsim import agents
from asnsim.agents import Employee, ServiceUnit
from asnsim.model import ASNModel


def _registry(model: ASNModel) -> dict:
    """Everything mesa keeps of the model's agents, in mesa's own order."""
    return {
        "all": [(type(a).__name__, a.unique_id) for a in model.agents],
        "by_type": {t.__name__: [a.unique_id for a in s] for t, s in model.agents_by_type.items()},
        "counter": model.agent_id_counter,
        "attributes": sorted({tuple(vars(a)) for a in model.agents_by_type[Employee]}),
        "models": {id(a.model) for a in model.agents} == {id(model)},
    }


def test_many_at_once_equals_one_at_a_time(tiny, monkeypatch):
    scenario = tiny.with_overrides({"horizon_years": 2})
    at_once = ASNModel(scenario)
    assert agents._at_once(at_once, "AGENT_ADDED") and agents._at_once(at_once, "AGENT_REMOVED")
    at_once.run(progress=False)
    monkeypatch.setattr(agents, "_at_once", lambda model, signal: False)
    one_by_one = ASNModel(scenario)
    one_by_one.run(progress=False)
    expected = _registry(one_by_one)
    assert expected["counter"] > len(one_by_one.workforce) + len(one_by_one.units)  # exits
    assert _registry(at_once) == expected
    # an employee registered at once is a full mesa agent: it can leave through mesa
    employee = next(iter(at_once.agents_by_type[Employee]))
    employee.remove()
    assert employee not in at_once.agents and employee not in at_once.agents_by_type[Employee]
    assert len(at_once.agents_by_type[ServiceUnit]) == len(at_once.units)


def test_an_observer_of_the_agents_hears_every_hire_and_exit(tiny):
    model = ASNModel(tiny.with_overrides({"horizon_years": 1}))
    heard = {"added": 0, "removed": 0}

    def added(signal):
        heard["added"] += 1

    def removed(signal):
        heard["removed"] += 1

    model.observe("agents", ModelSignals.AGENT_ADDED, added)
    model.observe("agents", ModelSignals.AGENT_REMOVED, removed)
    assert not agents._at_once(model, "AGENT_ADDED")
    counter, staff = model.agent_id_counter, len(model.workforce)
    model.run(progress=False)
    hired = model.agent_id_counter - counter
    assert hired > 0 and heard["added"] == hired
    assert heard["removed"] == staff + hired - len(model.workforce) > 0
