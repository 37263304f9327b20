"""Parquet files of a run's tables: the bytes ``to_parquet`` writes, with less work a column.

``frame.to_parquet(path, index=False)`` converts the frame with
``pyarrow.Table.from_pandas``, which inspects every column anew on every call (a pandas
Series each, its Arrow type, pandas' metadata): about 60 µs a column, 5 ms for a run's city
table of 93 columns, more than writing the file. A study's runs all have tables of the same
columns and dtypes, so :func:`write_parquet` converts the first frame of each layout that way,
keeps the schema it made (pandas' metadata included), and converts later frames of the same
layout column by column against it. Frames with columns of other kinds (object, category,
dates) or with ``attrs`` take ``to_parquet``'s own path. Either way the file is byte-identical
to ``to_parquet``'s (``tests/test_parquet.py``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["write_parquet"]

_SCHEMAS: dict[tuple, pa.Schema] = {}
_MOST_LAYOUTS = 256  # the kept schemas are forgotten beyond this many layouts


def write_parquet(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` as ``frame.to_parquet(path, index=False)`` does, byte for byte.

    Args:
        frame: The table (its index is not written).
        path: The file to write.
    """
    layout = _layout(frame)
    if layout is None:
        frame.to_parquet(path, index=False)
        return
    schema = _SCHEMAS.get(layout)
    if schema is None:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if len(_SCHEMAS) >= _MOST_LAYOUTS:
            _SCHEMAS.clear()
        _SCHEMAS[layout] = table.schema
    else:
        arrays = [
            pa.array(
                column.array if isinstance(column.dtype, pd.StringDtype) else column.to_numpy(),
                type=field.type,
                from_pandas=True,
            )
            for (_, column), field in zip(frame.items(), schema, strict=True)
        ]
        table = pa.Table.from_arrays(arrays, schema=schema)
    sink = pa.BufferOutputStream()  # one write of the finished file: less than pyarrow's own
    pq.write_table(table, sink, compression="snappy")
    Path(path).write_bytes(sink.getvalue())


def _layout(frame: pd.DataFrame) -> tuple | None:
    """The frame's column names and dtypes, if every column is a plain kind (else None).

    Plain: numbers and booleans in numpy arrays, and pandas' Arrow-backed strings; for these
    pandas' metadata and the Arrow type follow from the dtype alone, not from the values.
    """
    if frame.attrs or frame.columns.empty or not frame.columns.is_unique:
        return None
    names = tuple(frame.columns.tolist())
    dtypes = tuple(frame.dtypes.tolist())
    for name, dtype in zip(names, dtypes, strict=True):
        plain = (
            dtype.storage == "pyarrow"
            if isinstance(dtype, pd.StringDtype)
            else isinstance(dtype, np.dtype) and dtype.kind in "biuf"
        )
        if not plain or not isinstance(name, str):
            return None
    return names, dtypes
