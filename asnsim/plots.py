"""Standard figures of a run."""

from __future__ import annotations

from matplotlib.figure import Figure

from asnsim.labels import label
from asnsim.outcomes import Outcomes
from asnsim.survey import BAND_EDGES

__all__ = ["plot_run"]

_BAND_COLOURS = {"A": "#d8f0d8", "B": "#eef6d8", "C": "#fbeed5", "D": "#f6d8d8"}


def plot_run(outcomes: Outcomes, title: str = "", lang: str = "en") -> Figure:
    """Four panels: IKM (surveyed, true, over all seekers; bands), waits, backlog, staff.

    Args:
        outcomes: A finished (or partial) run's outcomes.
        title: Figure title, e.g. the city name.
        lang: ``en`` or ``id`` (Bahasa Indonesia); official terms stay Indonesian.
    """
    t = lambda key: label(key, lang)  # noqa: E731
    city = outcomes.city()
    daily = outcomes.daily()
    fig = Figure(figsize=(10, 7), layout="constrained")
    axes = fig.subplots(2, 2)
    ax = axes[0, 0]
    if not city.empty:
        shown = [c for c in ("ikm", "ikm_true", "ikm_seekers") if c in city]
        lo = min(city[c].min() for c in shown) - 3
        hi = max(city[c].max() for c in shown) + 3
        edges = sorted(BAND_EDGES.items(), key=lambda kv: kv[1])
        for i, (band, start) in enumerate(edges):
            stop = edges[i + 1][1] if i + 1 < len(edges) else 100.0
            if stop > lo and start < hi:
                ax.axhspan(max(start, lo), min(stop, hi), color=_BAND_COLOURS[band], zorder=0)
                ax.text(
                    city["year"].max() + 0.1,
                    (max(start, lo) + min(stop, hi)) / 2,
                    band,
                    va="center",
                    fontsize=8,
                    color="grey",
                )
        ax.plot(city["year"], city["ikm"], "o-", label=t("ikm_survey"))
        ax.plot(city["year"], city["ikm_true"], "k--", label=t("ikm_true"))
        if "ikm_seekers" in city:  # what IKM misses: those who gave up count too
            ax.plot(city["year"], city["ikm_seekers"], "r:", label=t("ikm_seekers"))
        ax.set_ylim(lo, hi)
    ax.set(title=t("ikm_title"), xlabel=t("year"), ylabel=t("ikm_axis"))
    ax.legend(loc="lower left", fontsize=8)

    ax = axes[0, 1]
    if not city.empty:
        ax.plot(city["year"], city["wait_mean_days"], "o-", label=t("wait_mean"))
        ax.plot(city["year"], city["wait_p90_days"], "s--", label=t("wait_p90"))
        ax.plot(city["year"], 100 * city["abandon_rate"], "^:", label=t("abandoned_pct"))
    ax.set(title=t("waiting_title"), xlabel=t("year"), ylabel=t("days_pct"))
    ax.legend(fontsize=8)

    ax = axes[1, 0]
    if not daily.empty:
        ax.plot(daily["day"] / outcomes.days_per_year, daily["waiting"], lw=0.8)
    ax.set(title=t("backlog_title"), xlabel=t("year"), ylabel=t("requests"))

    ax = axes[1, 1]
    if not city.empty:
        ax.plot(city["year"], 100 * city["matched_share"], "o-", label=t("in_field_pct"))
        ax.plot(city["year"], 100 * city["competency_mean"], "s--", label=t("competency_x100"))
        ax.set_ylabel("%")
        twin = ax.twinx()
        twin.plot(city["year"], city["headcount"], "g:", label=t("headcount"))
        twin.set_ylabel(t("headcount"), color="g")
    ax.set(title=t("staff_title"), xlabel=t("year"))
    ax.legend(fontsize=8, loc="lower left")
    if title:
        fig.suptitle(title)
    return fig


def plot_comparison(table, baseline: str, title: str = "") -> Figure:
    """Paired differences from the baseline with 95% intervals, one panel per outcome.

    Args:
        table: The output of :func:`asnsim.analysis.compare_table`.
        baseline: Name of the baseline variant (left out of the panels).
        title: Figure title.
    """
    outcomes = list(dict.fromkeys(table["outcome"]))
    cols = min(3, len(outcomes))
    rows = -(-len(outcomes) // cols)
    fig = Figure(figsize=(4 * cols, 2.6 * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, outcome in zip(axes, outcomes, strict=False):
        sub = table[(table.outcome == outcome) & (table.variant != baseline)]
        sub = sub[sub["diff"].notna()]  # an undefined cost per IKM point has no value
        y = range(len(sub))
        ax.errorbar(
            sub["diff"],
            list(y),
            xerr=[sub["diff"] - sub["ci_low"], sub["ci_high"] - sub["diff"]],
            fmt="o",
            capsize=3,
        )
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_yticks(list(y), sub["variant"])
        ax.set_title(outcome, fontsize=9)
    for ax in axes[len(outcomes) :]:
        ax.set_visible(False)
    fig.suptitle(title or f"difference from '{baseline}' (95% CI)")
    return fig


def plot_sensitivity(indices, title: str = "") -> Figure:
    """Sensitivity indices per outcome: Morris μ* or Sobol ST (and S1), with intervals."""
    outcomes = list(dict.fromkeys(indices["outcome"]))
    fig = Figure(
        figsize=(4.5 * len(outcomes), 3 + 0.3 * indices["factor"].nunique()), layout="constrained"
    )
    axes = fig.subplots(1, len(outcomes), squeeze=False).ravel()
    for ax, outcome in zip(axes, outcomes, strict=True):
        sub = indices[indices.outcome == outcome]
        y = list(range(len(sub)))
        if "mu_star" in sub:
            ax.barh(y, sub["mu_star"], xerr=sub["mu_star_conf"], capsize=3, label="μ*")
            ax.plot(sub["sigma"], y, "k^", label="σ")
        else:
            ax.barh(y, sub["ST"], xerr=sub["ST_conf"], capsize=3, label="ST", alpha=0.6)
            ax.plot(sub["S1"], y, "ko", label="S1")
        ax.set_yticks(y, sub["factor"], fontsize=8)
        ax.set_title(outcome, fontsize=9)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    return fig
