"""Where runs execute: any ``concurrent.futures.Executor``, handed chunks of runs.

- :class:`InlineExecutor`: in this process (debugging, notebooks).
- ``ProcessPoolExecutor``: the default, one worker per core.
- Dask: ``distributed.Client(address).get_executor()`` when a study outgrows one machine.

:func:`evaluate` is the engine behind every study (``compare``, ``sweep``, ``sensitivity``,
``national``, calibration): it groups the runs into chunks (:class:`Chunking`), runs each
chunk in a worker as one :func:`~asnsim.ensemble.run_ensemble` call, and yields each run's
summary and tables as its chunk returns. Results do not depend on the executor or the
chunking: every run carries its own seed.
"""

from __future__ import annotations

import contextlib
import json
import math
import multiprocessing
import os
import traceback
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pandas.api.types import is_bool_dtype

from asnsim.outcomes import Outcomes
from asnsim.scenario import Scenario

__all__ = [
    "TABLES",
    "Chunking",
    "InlineExecutor",
    "RunFailed",
    "RunResult",
    "SchedulerError",
    "evaluate",
    "make_executor",
    "result_of",
    "run_chunk",
    "worker_count",
]


class SchedulerError(RuntimeError):
    """A Dask scheduler that could not be reached."""


class InlineExecutor(Executor):
    """Run each submitted call at once, in this process (a drop-in serial executor)."""

    def submit(self, fn, /, *args: Any, **kwargs: Any) -> Future:
        """Call ``fn(*args, **kwargs)`` now; its result (or exception) in a done future."""
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # noqa: BLE001 - handed to the caller via the future
            future.set_exception(err)
        return future


def make_executor(
    kind: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    timeout: float = 10.0,
) -> tuple[Executor, Any]:
    """Build an executor.

    Args:
        kind: ``serial``, ``processes`` or ``dask`` (``dask`` is implied by ``scheduler``).
        workers: Worker processes (default: one per core) for ``processes``.
        scheduler: Address of a Dask scheduler, e.g. ``tcp://10.0.0.5:8786``.
        timeout: Seconds to wait for the scheduler to answer.

    Returns:
        ``(executor, client)``; ``client`` is the Dask client to close, or None.

    Raises:
        SchedulerError: If the Dask scheduler does not answer within ``timeout``.
    """
    if scheduler:
        kind = "dask"
    if kind == "serial":
        return InlineExecutor(), None
    if kind == "processes":
        # forkserver: no fork of a process that may hold threads (Dask, Jupyter). The server
        # imports what a worker needs once, and each worker forks from it with those modules
        # loaded (else every worker imports numpy, pandas, scipy and mesa itself: ~1.5 s each)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(WORKER_MODULES))
        return ProcessPoolExecutor(
            max_workers=workers or os.cpu_count() or 1, mp_context=context
        ), None
    if kind == "dask":
        try:
            from distributed import Client
        except ImportError as err:
            raise SchedulerError(
                "Dask is not installed; install the extra: pip install 'asnsim[dask]'"
            ) from err
        try:
            client = (
                Client(scheduler, timeout=timeout)
                if scheduler
                else Client(
                    n_workers=workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
            )
        except (OSError, TimeoutError) as err:
            raise SchedulerError(
                f"the Dask scheduler at {scheduler} did not answer within {timeout:g} s ({err})"
            ) from None
        return client.get_executor(), client
    raise ValueError(f"unknown executor '{kind}'; expected serial, processes or dask")


WORKER_MODULES = ("asnsim.evaluators", "asnsim.ensemble")
"""What a process pool's server imports once for all its workers (see :func:`make_executor`)."""

# --------------------------------------------------------------------------- chunked runs


@dataclass(frozen=True)
class Chunking:
    """How many runs a worker gets at once (executed there as one ensemble).

    A chunk holds consecutive runs of a study, at most ``runs`` of them and at most
    ``employees`` staff in all (a run's staff at the start: headcount × scale; a run above the
    budget makes a chunk of its own). The memory a worker needs grows with the staff stepped
    together, so it stays flat however many runs a study has. So that the workers finish
    together, the runs are shared into a multiple of ``workers`` chunks of equal count
    (1,000 runs on 2 workers: 16 chunks of at most 63; 300 runs: 6 of 50; 6 runs: 2 of 3).

    Args:
        runs: Most runs in a chunk (``1``: one run per task, as before the ensemble engine).
        employees: Most staff, summed over a chunk's runs.
    """

    runs: int = 64
    employees: int = 50_000

    def __post_init__(self) -> None:
        for name in ("runs", "employees"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"Chunking.{name}: expected a whole number >= 1, got {value!r}")

    def plan(self, staff: Sequence[int], workers: int = 1) -> list[list[int]]:
        """Group positions ``0 .. len(staff) - 1`` into chunks, in order.

        Args:
            staff: Each run's staff at the start.
            workers: Workers sharing the runs.

        Returns:
            The positions of each chunk.
        """
        workers = max(1, workers)
        count = max(1, math.ceil(math.ceil(len(staff) / self.runs) / workers)) * workers
        most = max(1, math.ceil(len(staff) / count))
        chunks: list[list[int]] = []
        chunk: list[int] = []
        total = 0
        for position, size in enumerate(staff):
            if chunk and (len(chunk) == most or total + size > self.employees):
                chunks.append(chunk)
                chunk, total = [], 0
            chunk.append(position)
            total += size
        if chunk:
            chunks.append(chunk)
        return chunks


@dataclass(frozen=True)
class RunResult:
    """A finished run: its summary row and the tables asked for."""

    summary: dict[str, Any]
    tables: dict[str, pd.DataFrame]


class RunFailed(Exception):
    """A run that raised; ``traceback`` is the text of the error where it happened."""

    @property
    def traceback(self) -> str:
        """The formatted traceback (it names the error on its last line)."""
        return str(self.args[0]) if self.args else ""


TABLES = ("annual", "city", "daily")
"""The tables a run can return (the :class:`~asnsim.outcomes.Outcomes` methods of these names)."""


def evaluate(
    scenarios: Sequence[Scenario | str],
    executor: Executor | None = None,
    chunk: Chunking | None = None,
    tables: Sequence[str] = ("annual", "city"),
    max_in_flight: int | None = None,
) -> Iterator[tuple[int, RunResult | RunFailed]]:
    """Run scenarios in chunks on ``executor``; yield each run's result as its chunk returns.

    Each chunk is one :func:`~asnsim.ensemble.run_ensemble` call in a worker. Results are
    the same whatever the executor and chunking (every run carries its own seed). At most
    ``max_in_flight`` chunks are submitted at once, so at most that many chunks' results wait
    in this process: memory is bounded by the chunking, not by the number of runs. A run that
    raises yields a :class:`RunFailed` and the rest of its chunk is unaffected; a chunk that
    fails as a whole (its worker died, its results could not be sent back) is retried one run
    per task, so only the runs that fail alone are reported failed.

    Args:
        scenarios: Validated scenarios, or their canonical JSON (``Scenario.canonical_json``).
        executor: Where chunks run (default: :class:`InlineExecutor`, this process).
        chunk: How runs are grouped (default: :class:`Chunking`'s defaults).
        tables: Tables to return with each run (any of :data:`TABLES`; ``()`` for the summary
            alone, the least to send back).
        max_in_flight: Chunks submitted at once (default: one per worker and one more, so
            a worker that finishes finds the next chunk waiting).

    Yields:
        ``(position in scenarios, RunResult or RunFailed)``, each run exactly once, in the
        order chunks finish.
    """
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise ValueError(f"tables: unknown {unknown}; expected some of {list(TABLES)}")
    executor = executor or InlineExecutor()
    texts = [s if isinstance(s, str) else s.canonical_json() for s in scenarios]
    workers = worker_count(executor)
    plan = (chunk or Chunking()).plan([_staff(s) for s in scenarios], workers)
    queue = deque(plan)
    limit = max_in_flight or workers + 1
    pending: dict[Future, list[int]] = {}
    try:
        while queue or pending:
            while queue and len(pending) < limit:
                positions = queue.popleft()
                chunk_texts = [texts[p] for p in positions]
                pending[executor.submit(run_chunk, chunk_texts, tuple(tables))] = positions
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in done:
                positions = pending.pop(future)
                error = future.exception()
                if error is None:
                    for index, result in future.result():
                        yield positions[index], result
                elif len(positions) > 1:  # retry alone, so one bad run cannot sink its chunk
                    queue.extendleft([p] for p in reversed(positions))
                else:
                    yield positions[0], RunFailed("".join(traceback.format_exception(error)))
    finally:
        for future in pending:
            future.cancel()


def run_chunk(
    scenario_jsons: Sequence[str], tables: Sequence[str] = ("annual", "city")
) -> list[tuple[int, RunResult | RunFailed]]:
    """Run one chunk as one ensemble (in a worker); each run's result or failure, by index.

    Args:
        scenario_jsons: The chunk's scenarios as canonical JSON.
        tables: Tables to return with each run.
    """
    from asnsim import ensemble

    out: list[tuple[int, RunResult | RunFailed]] = []
    indices, scenarios = [], []
    for index, text in enumerate(scenario_jsons):
        try:
            scenarios.append(Scenario.model_validate_json(text))
        except Exception as error:  # noqa: BLE001 - this run fails, the chunk goes on
            out.append((index, _failed(error)))
        else:
            indices.append(index)
    for position, outcomes in ensemble.run_ensemble(scenarios):
        if isinstance(outcomes, BaseException):
            out.append((indices[position], _failed(outcomes)))
            continue
        try:
            result = result_of(outcomes, tables)
        except Exception as error:  # noqa: BLE001 - this run fails, the chunk goes on
            result = _failed(error)
        out.append((indices[position], result))
    return out


def result_of(outcomes: Outcomes, tables: Sequence[str] = ("annual", "city")) -> RunResult:
    """A finished run's summary row (:func:`~asnsim.analysis.summary_row`) and tables."""
    city = outcomes.city()
    made = {"city": lambda: city, "annual": outcomes.annual, "daily": outcomes.daily}
    return RunResult(summary_row(city), {name: made[name]() for name in tables})


# documented with asnsim.analysis (its public home), which imports it from here
def summary_row(city: pd.DataFrame) -> dict[str, Any]:
    """One replication's outcomes: the final year's city row and ``mean_*`` over all years."""
    last = city.iloc[-1].to_dict()
    means = city.mean(numeric_only=True).to_dict()  # booleans too: left out below
    dtypes = dict(zip(city.columns.tolist(), city.dtypes.tolist(), strict=True))
    cumulative = (
        {"cum_total_spend": float(city["total_spend"].sum())} if "total_spend" in city else {}
    )
    return (
        last
        | {
            f"mean_{k}": v
            for k, v in means.items()
            if k != "year" and not is_bool_dtype(dtypes[k])
        }
        | cumulative
    )


def worker_count(executor: Executor) -> int:
    """How many runs ``executor`` works on at once (1 if it cannot tell)."""
    workers = getattr(executor, "_max_workers", None)
    if workers:
        return int(workers)
    client = getattr(executor, "_client", None)  # Dask's ClientExecutor
    if client is not None:
        with contextlib.suppress(Exception):
            return max(1, sum(client.nthreads().values()))
    return 1


def _staff(scenario: Scenario | str) -> int:
    """A run's staff at the start (headcount × scale), the measure of a chunk's size."""
    if isinstance(scenario, str):
        data = json.loads(scenario)
        headcount, scale = data["city"]["workforce"]["headcount"], data["scale"]
    else:
        headcount, scale = scenario.city.workforce.headcount, scenario.scale
    return max(1, round(headcount * scale))


def _failed(error: BaseException) -> RunFailed:
    return RunFailed("".join(traceback.format_exception(error)))
