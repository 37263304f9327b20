"""Figures of robust studies and budget frontiers."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

__all__ = ["plot_frontier", "plot_robust"]


def plot_robust(
    worlds: pd.DataFrame, table: pd.DataFrame, outcome: str, title: str = ""
) -> Figure:
    """Left: the outcome of each option over the worlds; right: p_best and mean regret."""
    options = list(dict.fromkeys(worlds["option"]))
    fig = Figure(figsize=(10, 4), layout="constrained")
    left, right = fig.subplots(1, 2)
    left.boxplot([worlds.loc[worlds.option == o, outcome] for o in options], tick_labels=options)
    left.set_ylabel(outcome)
    left.set_title("over the worlds")
    rows = table[table.outcome == outcome].set_index("option").loc[options]
    right.bar(options, rows["p_best"], color="#4477aa")
    right.set_ylim(0, 1)
    right.set_ylabel("probability of being best")
    twin = right.twinx()
    twin.plot(options, rows["regret_mean"], "o", color="#cc6677")
    twin.set_ylabel("mean regret", color="#cc6677")
    right.set_title("best and regret")
    fig.suptitle(title)
    return fig


def plot_frontier(points: pd.DataFrame, x: str, y: str, title: str = "") -> Figure:
    """Feasible candidates (grey), the Pareto front (blue) and the current policy (red)."""
    fig = Figure(figsize=(6, 4.5), layout="constrained")
    ax = fig.subplots()
    seen = points[points.feasible & ~points.pareto]
    front = points[points.pareto].sort_values(x)
    now = points[points.current]
    ax.scatter(seen[x], seen[y], color="#bbbbbb", label="evaluated")
    ax.plot(front[x], front[y], "o-", color="#4477aa", label="Pareto front")
    ax.scatter(now[x], now[y], marker="*", s=200, color="#cc3311", label="current policy")
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.legend()
    fig.suptitle(title)
    return fig
