"""One seed per run, one random stream per component.

Each stream is a child of the run's seed, keyed by the component's name (the same
construction as ``numpy.random.SeedSequence.spawn``, with a key derived from the name rather
than from the order of spawning). Changing one component's draws never shifts another's:
two policies run with the same seed see the same citizens (common random numbers).

The model's own components are :data:`MODEL_STREAMS`; each lever of
:data:`asnsim.policies.levers.LEVERS` adds its own stream.
"""

from __future__ import annotations

import zlib

import numpy as np

from asnsim.policies.levers import LEVERS

__all__ = ["MODEL_STREAMS", "choose", "stream", "stream_names", "streams"]

MODEL_STREAMS = (
    "workforce",
    "demand",
    "service",
    "survey",
    "personnel",
    "recruits",
    "units",
    "contracts",
)
"""The model's own components that draw random numbers (``recruits``: newcomers' attributes and
their resignation on placement; ``units``: each service point's attributes around the
scenario's values; ``contracts``: PPPK renewals, apart from ``personnel``'s resignations so
that two policies' runs keep drawing the same resignations)."""


def stream_names() -> tuple[str, ...]:
    """Every stream of a run: the model's own, then one per lever (in :data:`LEVERS` order)."""
    return MODEL_STREAMS + tuple(row.stream for row in LEVERS)


def stream(seed: int, name: str) -> np.random.Generator:
    """The generator of component ``name`` for a run with master seed ``seed``."""
    key = zlib.crc32(name.encode("utf-8"))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(key,))))


def streams(seed: int) -> dict[str, np.random.Generator]:
    """Every component's generator for a run with master seed ``seed``."""
    return {name: stream(seed, name) for name in stream_names()}


def choose(rng: np.random.Generator, p: np.ndarray, n: int) -> np.ndarray:
    """``n`` indices drawn with probabilities ``p``: ``rng.choice(len(p), size=n, p=p)``.

    The same draws from the same stream as numpy's ``choice`` (its inverse-CDF sampling: one
    ``rng.random(n)`` searched in the normalised cumulative ``p``), without its checks of
    ``p``, which cost more than the draw for the few dozen people of a year's end. ``p``
    must be non-negative with a positive sum.
    """
    cdf = np.cumsum(p)
    cdf /= cdf[-1]
    return cdf.searchsorted(rng.random(n), side="right")
