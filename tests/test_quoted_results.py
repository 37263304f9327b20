"""Results quoted in printed sentences, and the notebooks that quote them under posteriors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asnsim.analysis import compare_table, difference_text
from asnsim.calibration.variance import split_table, split_text

ROOT = Path(__file__).resolve().parents[1]


def _results() -> pd.DataFrame:
    # 2 draws x 2 seeds; variant b is a above base by 1 + draw effect (+-0.5) + seed noise
    rows = []
    for r, (draw, noise) in enumerate([(0, 0.1), (0, -0.1), (1, 0.1), (1, -0.1)]):
        rows.append({"variant": "base", "replication": r, "posterior_draw": draw, "y": 10.0})
        effect = 1.0 + (0.5 if draw else -0.5) + noise
        rows.append({"variant": "b", "replication": r, "posterior_draw": draw, "y": 10.0 + effect})
    return pd.DataFrame(rows)


def test_difference_text_quotes_the_paired_difference_and_its_interval():
    table = compare_table(_results(), baseline="base", outcomes=["y"])
    row = table.set_index(["outcome", "variant"]).loc[("y", "b")]
    assert difference_text(table, "y", "b") == (
        f"{row['diff']:+.2f} ({row['ci_low']:+.2f} to {row['ci_high']:+.2f})"
    )
    assert difference_text(table, "y", "b").startswith("+1.00 (")
    assert difference_text(table, "y", "b", "+.1f").startswith("+1.0 (")


def test_split_text_quotes_the_interval_and_the_parameter_share():
    split = split_table(_results(), "base", ["y"])
    row = split.iloc[0]
    # MS_within = 0.02, MS_between = 2 x 0.5 = 1.0: s2_param = (1.0 - 0.02) / 2 = 0.49
    assert np.isclose(row["parameter_share"], 0.49 / 0.51)
    text = split_text(split, "y", "b")
    assert text == (
        f"interval with parameter uncertainty {row['low']:+.2f} to {row['high']:+.2f}, "
        "96% of its variance from the parameters"
    )


CITY_NOTEBOOKS = {
    "01_padang_lubuk_begalung": "padang",
    "02_kotabumi": "kotabumi",
    "03_palembang": "palembang",
    "04_medan": "medan",
    "05_kupang": "kupang",
}


@pytest.mark.parametrize(("notebook", "city"), sorted(CITY_NOTEBOOKS.items()))
def test_city_notebooks_compare_under_the_citys_posterior_and_print_the_split(notebook, city):
    """Each city notebook runs its comparisons under its shipped posterior (issue 13)."""
    cells = json.loads((ROOT / "notebooks" / f"{notebook}.ipynb").read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert f'POSTERIOR = shipped_posterior("{city}")' in code
    assert "posterior=POSTERIOR" in code or "posterior.draws(" in code
    assert "split_table(results" in code and "split_text(split" in code
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "calibrated posterior" in prose and "### What changed under the calibrated" in prose


def test_the_planner_notebook_compares_under_kotabumis_posterior():
    cells = json.loads((ROOT / "notebooks" / "08_planner_brief.ipynb").read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert '"--posterior", "kotabumi"' in code
