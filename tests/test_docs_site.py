"""The reference documentation builds with warnings as errors (Sphinx, MyST, autodoc)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

sphinx_main = pytest.importorskip("sphinx.cmd.build").main


# Sphinx's own deprecation notices about its extensions (not warnings of our build, which -W
# turns into errors) are not ours to fix
@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::PendingDeprecationWarning")
def test_the_documentation_builds_without_a_warning(tmp_path):
    out = tmp_path / "html"
    args = ["-q", "-W", "--keep-going", "-c", str(ROOT / "docs"), str(ROOT), str(out)]
    args += ["-d", str(tmp_path / "doctrees")]
    assert sphinx_main(args) == 0
    assert (out / "index.html").exists()
    api = (out / "docs" / "api" / "model.html").read_text(encoding="utf-8")
    assert "ASNModel" in api and "load_scenario" in api  # autodoc read the docstrings
    notebook = (out / "notebooks" / "00_quickstart.html").read_text(encoding="utf-8")
    assert "IKM" in notebook
    for page in ("ODD", "scenarios", "policies", "validation", "files"):
        assert (out / "docs" / f"{page}.html").exists(), page
