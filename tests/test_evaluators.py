"""Chunked execution: chunks planned within their bounds, results the same as one by one,
failures isolated within a chunk, and memory bounded by the chunking, not the study."""

from concurrent.futures import Future
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asnsim.evaluators import (
    Chunking,
    InlineExecutor,
    RunFailed,
    RunResult,
    evaluate,
    make_executor,
    summary_row,
)
from asnsim.scenario import load_scenario

TINY = Path(__file__).parent / "data" / "tiny.yaml"


def _tiny(seed: int, years: int = 1, scale: float = 1.0):
    return load_scenario(TINY, [f"seed={seed}", f"horizon_years={years}", f"scale={scale}"])


def _positions(chunks):
    return [p for chunk in chunks for p in chunk]


def test_chunks_respect_their_bounds_and_keep_every_run_once_in_order():
    staff = [100] * 10 + [900] + [100] * 5
    chunks = Chunking(runs=4, employees=450).plan(staff)
    assert _positions(chunks) == list(range(16))
    assert max(len(c) for c in chunks) == 4
    assert all(sum(staff[p] for p in c) <= 450 or len(c) == 1 for c in chunks)
    assert [10] in chunks  # a run above the staff budget makes a chunk of its own
    assert [len(c) for c in chunks] == [4, 4, 2, 1, 4, 1]


def test_runs_are_shared_so_that_the_workers_finish_together():
    assert [len(c) for c in Chunking(runs=64).plan([10] * 300, workers=2)] == [50] * 6
    sizes = [len(c) for c in Chunking(runs=64).plan([10] * 1000, workers=2)]
    assert len(sizes) == 16 and max(sizes) == 63 and sum(sizes) == 1000
    assert Chunking(runs=64).plan([10] * 6, workers=2) == [[0, 1, 2], [3, 4, 5]]
    assert Chunking(runs=64).plan([10] * 6, workers=8) == [[p] for p in range(6)]
    assert Chunking(runs=1).plan([10] * 3, workers=1) == [[0], [1], [2]]
    assert Chunking().plan([], workers=2) == []


@pytest.mark.parametrize("field, value", [("runs", 0), ("employees", -5), ("runs", 2.5)])
def test_a_bad_chunking_is_a_clear_error(field, value):
    with pytest.raises(ValueError, match=f"Chunking.{field}: expected a whole number >= 1"):
        Chunking(**{field: value})


def _results(scenarios, executor, chunk):
    got = dict(evaluate(scenarios, executor, chunk, tables=("annual", "city")))
    assert sorted(got) == list(range(len(scenarios)))
    assert all(isinstance(r, RunResult) for r in got.values())
    return got


def _assert_same(a, b):
    for position in a:
        assert a[position].summary == b[position].summary
        for name in ("annual", "city"):
            pd.testing.assert_frame_equal(a[position].tables[name], b[position].tables[name])


def test_chunked_runs_equal_runs_one_by_one_inline_and_on_a_process_pool():
    """Runs of different seeds, sizes and horizons; chunks of 1, 2 and 5 runs."""
    scenarios = [_tiny(1), _tiny(2, years=2), _tiny(3, scale=0.5), _tiny(4), _tiny(5)]
    one_by_one = _results(scenarios, InlineExecutor(), Chunking(runs=1))
    assert len({r.summary["ikm"] for r in one_by_one.values()}) == 5  # the runs do differ
    assert len(one_by_one[1].tables["city"]) == 2
    _assert_same(one_by_one, _results(scenarios, InlineExecutor(), Chunking(runs=5)))
    with make_executor("processes", workers=2)[0] as pool:
        _assert_same(one_by_one, _results(scenarios, pool, Chunking(runs=2)))


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc (Linux)")
def test_a_pools_workers_start_with_the_engine_already_loaded():
    """The pool's server imports the engine once; each worker forks from it with numpy,
    pandas and the model loaded, instead of importing them all itself (~1.5 s a worker)."""
    with make_executor("processes", workers=1)[0] as pool:
        # the task itself imports nothing of asnsim: what is loaded came from the server
        loaded = pool.submit(Path("/proc/self/maps").read_text).result()
    assert "/numpy/" in loaded and "/pandas/" in loaded


def test_summary_row_is_the_last_year_and_the_mean_of_every_number_column():
    city = pd.DataFrame(
        {
            "year": [1, 2, 3],
            "ikm": [80.0, np.nan, 90.0],  # a year without a value is left out of the mean
            "hires": [1, 2, 6],
            "ikm_band": ["B", "", "A"],  # text: no mean
            "growing": [True, False, True],  # a boolean is no number: no mean
            "total_spend": [1.5, 2.0, 2.5],
        }
    )
    row = summary_row(city)
    assert row == {
        "year": 3,
        "ikm": 90.0,
        "hires": 6,
        "ikm_band": "A",
        "growing": True,
        "total_spend": 2.5,
        "mean_ikm": 85.0,
        "mean_hires": 3.0,
        "mean_total_spend": 2.0,
        "cum_total_spend": 6.0,
    }
    assert list(row) == list(city.columns) + [
        "mean_ikm",
        "mean_hires",
        "mean_total_spend",
        "cum_total_spend",
    ]
    assert all(type(v) in (int, float, str, bool) for v in row.values())  # plain, for JSON


def test_only_the_tables_asked_for_come_back():
    [(_, result)] = evaluate([_tiny(1)], tables=())
    assert result.tables == {} and "ikm" in result.summary
    with pytest.raises(ValueError, match="tables: unknown"):
        next(evaluate([_tiny(1)], tables=("weekly",)))


def test_a_run_that_fails_leaves_the_rest_of_its_chunk(monkeypatch):
    import asnsim.ensemble as ensemble

    real = ensemble.run_ensemble

    def run_ensemble(scenarios):
        for position, result in real(scenarios):
            yield position, RuntimeError("boom") if scenarios[position].seed == 2 else result

    monkeypatch.setattr(ensemble, "run_ensemble", run_ensemble)
    got = dict(evaluate([_tiny(1), _tiny(2), _tiny(3)], chunk=Chunking(runs=3)))
    assert isinstance(got[1], RunFailed) and "RuntimeError: boom" in got[1].traceback
    assert isinstance(got[0], RunResult) and isinstance(got[2], RunResult)


class LosesChunks(InlineExecutor):
    """A chunk of more than ``most`` runs fails as a whole (as if its worker died)."""

    def __init__(self, most):
        self.most = most
        self.sizes = []

    def submit(self, fn, /, *args, **kwargs):
        self.sizes.append(len(args[0]))
        if len(args[0]) > self.most:
            future = Future()
            future.set_exception(MemoryError("worker lost"))
            return future
        return super().submit(fn, *args, **kwargs)


def test_a_chunk_that_fails_whole_is_retried_run_by_run():
    executor = LosesChunks(most=1)
    got = dict(evaluate([_tiny(1), _tiny(2), _tiny(3)], executor, Chunking(runs=3)))
    assert executor.sizes == [3, 1, 1, 1]
    assert all(isinstance(r, RunResult) for r in got.values())
    executor = LosesChunks(most=0)  # a run whose task fails alone is reported with the error
    got = dict(evaluate([_tiny(1), _tiny(2)], executor, Chunking(runs=2)))
    assert executor.sizes == [2, 1, 1]
    assert all("MemoryError: worker lost" in got[p].traceback for p in (0, 1))


class Counting(InlineExecutor):
    """Counts the runs handed out and not yet given back to the caller."""

    def __init__(self):
        self.out = 0
        self.most = 0

    def submit(self, fn, /, *args, **kwargs):
        self.out += len(args[0])
        self.most = max(self.most, self.out)
        return super().submit(fn, *args, **kwargs)


@pytest.mark.parametrize("chunk, in_flight", [(Chunking(runs=2), 2), (Chunking(runs=3), 1)])
def test_runs_held_at_once_are_bounded_by_the_chunking_not_the_study(chunk, in_flight):
    most = {}
    for n in (6, 12):
        executor = Counting()
        for _ in evaluate([_tiny(s) for s in range(n)], executor, chunk, (), in_flight):
            executor.out -= 1
        most[n] = executor.most
    assert most[6] == most[12] == chunk.runs * in_flight
