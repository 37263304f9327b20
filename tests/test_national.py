"""The national study: synthetic regions adding up to the national total, run and summarised."""

import json

import numpy as np
import pandas as pd

from asnsim.cli import main
from asnsim.national import RANGES, region_table


def test_region_sizes_add_up_and_vary():
    table = region_table(regions=540, total=4_300_000, seed=0)
    assert len(table) == 540
    assert abs(table["headcount"].sum() - 4_300_000) < 540  # rounding only
    assert table["headcount"].min() >= 700 and table["headcount"].max() <= 100_500
    assert table["headcount"].max() > 5 * table["headcount"].median()
    assert (table["scale"] <= 10).all()
    for key, (low, high) in RANGES.items():
        assert table[key].between(low, high).all()
    assert table["region"].str.contains("synthetic").all()
    again = region_table(regions=540, total=4_300_000, seed=0)
    pd.testing.assert_frame_equal(table, again)


def test_national_cli_runs_and_summarises(tmp_path, capsys):
    out = tmp_path / "nat"
    assert (
        main(
            [
                "national",
                "--regions",
                "4",
                "--total",
                "12000",
                "--years",
                "1",
                "--serial",
                "--quiet",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    table = pd.read_csv(out / "national.csv")
    assert len(table) == 4 and table["ikm"].between(25, 100).all()
    summary = json.loads((out / "national_summary.json").read_text())
    assert summary["regions_finished"] == 4
    assert summary["asn_start"] == table["headcount_start"].sum()
    weighted = np.average(table["ikm"], weights=table["headcount"])
    assert summary["ikm_staff_weighted"] == weighted
    assert (out / "national.png").exists()
    assert "synthetic regions" in capsys.readouterr().out
