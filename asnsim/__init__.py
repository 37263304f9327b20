"""asnsim: agent-based simulation of ASN personnel policy in Indonesian local governments."""

from asnsim.model import ASNModel
from asnsim.scenario import Scenario, ScenarioError, load_scenario
from asnsim.version import __version__

__all__ = ["ASNModel", "Scenario", "ScenarioError", "load_scenario", "__version__"]
