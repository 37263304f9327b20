"""Build hook: the wheel ships the scenarios, experiment files and observed data in the package.

In the repository they live at its root (``scenarios/``, ``experiments/``, ``data/``), where
researchers read and edit them; the wheel carries a copy in ``asnsim/scenarios``,
``asnsim/experiments`` and ``asnsim/data``, where :mod:`asnsim.catalog` finds them once
installed. Everything else is in ``pyproject.toml``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = (
    "scenarios",
    "experiments",
    "data/observed",
    "data/calibrated",
    "data/sample_roster.csv",
    "data/sample_roster_README.md",
)


class BuildWithData(build_py):
    """``build_py`` that also copies :data:`SHIPPED` into the built package."""

    def run(self):
        """Build the package, then add the shipped files (not for an editable install)."""
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads the clone
            return
        package = Path(self.build_lib) / "asnsim"
        for name in SHIPPED:
            source, target = ROOT / name, package / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.rmtree(target, ignore_errors=True)  # no stale file of an earlier build
                shutil.copytree(source, target)
            else:
                shutil.copy2(source, target)


setup(cmdclass={"build_py": BuildWithData})
