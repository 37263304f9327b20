"""A run's tables written by ``write_parquet`` are byte for byte what ``to_parquet`` writes,
on its quick path (a layout seen before) and on pandas' own path alike."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asnsim import parquet
from asnsim.model import ASNModel
from asnsim.parquet import write_parquet
from asnsim.scenario import load_scenario

TINY = Path(__file__).parent / "data" / "tiny.yaml"


def _same_bytes(frame: pd.DataFrame, folder: Path) -> bool:
    frame.to_parquet(folder / "pandas.parquet", index=False)
    write_parquet(frame, folder / "ours.parquet")
    return (folder / "pandas.parquet").read_bytes() == (folder / "ours.parquet").read_bytes()


def _mixed(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = 6
    ikm = rng.uniform(60, 90, rows)
    ikm[1] = np.nan  # missing values are nulls in the file, as pandas writes them
    band = pd.Series(["A", "B", None, "C", "", "B"], dtype="str")
    return pd.DataFrame(
        {
            "year": np.arange(1, rows + 1),
            "ikm": ikm,
            "band": band,
            "matched": rng.random(rows) < 0.5,
            "hires": rng.integers(0, 9, rows).astype(np.int32),
        },
        index=np.arange(10, 10 + rows),  # not written
    )


def test_a_runs_tables_are_written_byte_for_byte_as_pandas_writes_them(tmp_path):
    parquet._SCHEMAS.clear()
    for seed in (1, 2):  # the second run's tables take the quick path: their layout is known
        scenario = load_scenario(TINY, [f"seed={seed}", "horizon_years=2", "scale=0.3"])
        outcomes = ASNModel(scenario).run(progress=False)
        for frame in (outcomes.annual(), outcomes.city(), outcomes.sectors(), outcomes.daily()):
            assert _same_bytes(frame, tmp_path)
    assert len(parquet._SCHEMAS) == 4  # one kept schema per table's layout


def test_numbers_booleans_text_and_missing_values_on_the_quick_path(tmp_path):
    parquet._SCHEMAS.clear()
    first, second = _mixed(1), _mixed(2)
    assert _same_bytes(first, tmp_path)  # pandas' path, which keeps the schema
    assert parquet._layout(second) in parquet._SCHEMAS
    assert _same_bytes(second, tmp_path)  # the quick path, other values
    assert pd.read_parquet(tmp_path / "ours.parquet").equals(second.reset_index(drop=True))
    assert _same_bytes(_mixed(3).iloc[:0], tmp_path)  # no rows


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"name": pd.Series(["a", None, "b"], dtype=object)}),
        pd.DataFrame({"when": pd.to_datetime(["2026-01-01", "2026-06-30"])}),
        pd.DataFrame({"kind": pd.Categorical(["x", "y", "x"])}),
        pd.DataFrame({"n": pd.array([1, None], dtype="Int64")}),
        pd.DataFrame({"year": [1, 2]}).rename(columns={"year": 2026}),
        pd.DataFrame(),
    ],
    ids=["object", "datetime", "category", "nullable-int", "number-name", "empty"],
)
def test_other_kinds_of_columns_take_pandas_own_path(tmp_path, frame):
    assert parquet._layout(frame) is None
    assert _same_bytes(frame, tmp_path)


def test_a_frame_with_attrs_keeps_them_as_pandas_does(tmp_path):
    frame = _mixed(4)
    frame.attrs = {"source": "test"}
    assert parquet._layout(frame) is None
    assert _same_bytes(frame, tmp_path)
