"""Designs of experiments: which points of the factor space to run.

Each sampler turns factors (dotted scenario keys) into a list of design points, each a dict of
overrides. ``FullFactorial`` takes lists of levels; ``LatinHypercube`` takes ``[low, high]``
ranges (scipy's ``qmc.LatinHypercube``, seeded); the Morris and Sobol samplers of SALib live
in :mod:`asnsim.sensitivity`.
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from typing import Any

import numpy as np
from scipy.stats import qmc

__all__ = ["FullFactorial", "LatinHypercube", "Sampler", "make_sampler"]


class Sampler(ABC):
    """Base of designs: ``points()`` gives one dict of overrides per design point."""

    def __init__(self, factors: dict[str, Any]):
        self.factors = factors

    @abstractmethod
    def points(self) -> list[dict[str, Any]]:
        """The design points, in a fixed order."""


class FullFactorial(Sampler):
    """Every combination of the factors' levels (lists)."""

    def points(self) -> list[dict[str, Any]]:  # noqa: D102
        keys = list(self.factors)
        return [
            dict(zip(keys, combo, strict=True))
            for combo in itertools.product(*(self.factors[k] for k in keys))
        ]


class LatinHypercube(Sampler):
    """``samples`` points spread over ``[low, high]`` ranges (integers stay integers)."""

    def __init__(self, factors: dict[str, Any], samples: int, seed: int = 0):
        super().__init__(factors)
        self.samples = samples
        self.seed = seed

    def points(self) -> list[dict[str, Any]]:  # noqa: D102
        keys = list(self.factors)
        lows = np.array([self.factors[k][0] for k in keys], dtype=float)
        highs = np.array([self.factors[k][1] for k in keys], dtype=float)
        unit = qmc.LatinHypercube(d=len(keys), rng=np.random.default_rng(self.seed)).random(
            self.samples
        )
        values = qmc.scale(unit, lows, highs)
        out = []
        for row in values:
            point = {}
            for k, v in zip(keys, row, strict=True):
                is_int = all(isinstance(b, int) for b in self.factors[k])
                point[k] = int(round(v)) if is_int else float(v)
            out.append(point)
        return out


def make_sampler(
    kind: str, factors: dict[str, Any], samples: int | None = None, seed: int = 0
) -> Sampler:
    """A sampler by name: ``factorial`` or ``lhs``."""
    if kind == "factorial":
        return FullFactorial(factors)
    if kind == "lhs":
        if not samples:
            raise ValueError("an lhs design needs samples > 0")
        return LatinHypercube(factors, samples, seed)
    raise ValueError(f"unknown design '{kind}'; expected factorial or lhs")
