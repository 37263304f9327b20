from pathlib import Path

import pytest

from asnsim.scenario import load_scenario

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny.yaml"


@pytest.fixture
def tiny():
    """The small synthetic town used across the tests (3 years, 300 staff)."""
    return load_scenario(TINY)
