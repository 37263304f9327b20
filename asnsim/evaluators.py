"""Where runs execute: any ``concurrent.futures.Executor``.

- :class:`InlineExecutor`: in this process, one run after another (debugging, notebooks).
- ``ProcessPoolExecutor``: the default, one worker per core.
- Dask: ``distributed.Client(address).get_executor()`` when a study outgrows one machine.

Results do not depend on the executor: every run carries its own seed.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

__all__ = ["InlineExecutor", "SchedulerError", "make_executor"]


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
        # forkserver: no fork of a process that may hold threads (Dask, Jupyter)
        context = multiprocessing.get_context("forkserver")
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
