"""The version has one source and reaches the CLI, the manifest, CITATION.cff and the changelog."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

import asnsim
from asnsim.cli import main
from asnsim.results import versions
from asnsim.version import __version__

ROOT = Path(__file__).resolve().parents[1]


def test_the_version_is_semantic_and_exported():
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    assert asnsim.__version__ == __version__
    assert "__version__" in asnsim.__all__


def test_pyproject_reads_the_version_from_its_one_source():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "asnsim.version.__version__"


def test_cli_shows_the_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"asnsim {__version__}"


def test_every_manifest_records_the_version():
    assert versions()["asnsim"] == __version__


def test_citation_file_names_this_version():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    assert str(cff["version"]) == __version__
    assert cff["title"].startswith("asnsim")
    assert cff["authors"] and all("name" in a or "family-names" in a for a in cff["authors"])


def test_changelog_has_an_entry_for_this_version():
    text = (ROOT / "CHANGELOG.md").read_text()
    assert re.search(rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", text, re.M)
    assert "## [Unreleased]" in text


def test_the_package_says_it_is_typed():
    assert (ROOT / "asnsim" / "py.typed").exists()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "py.typed" in project["tool"]["setuptools"]["package-data"]["asnsim"]
