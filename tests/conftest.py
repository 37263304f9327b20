from pathlib import Path

import pytest

from asnsim.scenario import load_scenario

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny.yaml"


@pytest.fixture
def tiny():
    """The small synthetic town used across the tests (3 years, 300 staff)."""
    return load_scenario(TINY)


@pytest.fixture
def launched(monkeypatch):
    """What the dashboard would start: ``{"cmd": ..., "env": ...}`` (no server is started)."""
    pytest.importorskip("solara")
    from asnsim import app

    seen = {}

    class FakeServer:
        def __init__(self, cmd, env):
            seen.update(cmd=cmd, env=env)

        def wait(self):
            return 0

        def poll(self):
            return 0

    monkeypatch.setattr(app.subprocess, "Popen", FakeServer)
    return seen
