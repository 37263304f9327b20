"""Placement and transfer (mutasi): who fills which open post.

A placement policy gets the candidates (rows of the workforce arrays) and the open posts
(one unit index per vacant post) and returns the unit given to each candidate (-1: none).
"""

from __future__ import annotations

from abc import abstractmethod

import numpy as np

from asnsim.policies import Policy, register

__all__ = ["PlacementPolicy", "RandomPlacement", "SeniorityPlacement"]


class PlacementPolicy(Policy):
    """Base of placement policies."""

    kind = "placement"

    @abstractmethod
    def place(self, workforce, candidates: np.ndarray, posts: np.ndarray, model) -> np.ndarray:
        """Assign candidates to posts.

        Args:
            workforce: The model's :class:`~asnsim.workforce.Workforce`.
            candidates: Rows of the workforce arrays to place.
            posts: One unit index per open post.
            model: The running model (for unit state such as backlog).

        Returns:
            For each candidate, the unit it is placed in, or -1 if it gets no post.
        """


def _fill_in_order(order: np.ndarray, posts: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, -1, dtype=np.int32)
    k = min(len(order), len(posts))
    out[order[:k]] = posts[:k]
    return out


@register
class SeniorityPlacement(PlacementPolicy):
    """Status quo: the most senior (rank, then tenure) fill vacancies first; field is ignored."""

    name = "seniority"

    def place(self, workforce, candidates, posts, model):  # noqa: D102
        rank = workforce.rank[candidates]
        tenure = workforce.tenure[candidates]
        order = np.lexsort((-tenure, -rank))  # highest rank first, then longest tenure
        return _fill_in_order(order, self.rng.permutation(posts), len(candidates))


@register
class RandomPlacement(PlacementPolicy):
    """Candidates take open posts in random order."""

    name = "random"

    def place(self, workforce, candidates, posts, model):  # noqa: D102
        order = self.rng.permutation(len(candidates))
        return _fill_in_order(order, self.rng.permutation(posts), len(candidates))
