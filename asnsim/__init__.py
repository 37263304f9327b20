"""asnsim: agent-based simulation of ASN personnel policy in Indonesian local governments."""

from asnsim.model import ASNModel
from asnsim.scenario import Scenario, ScenarioError, load_scenario

__all__ = ["ASNModel", "Scenario", "ScenarioError", "load_scenario", "__version__"]

__version__ = "0.1.0"
