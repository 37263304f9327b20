"""Interactive dashboard: pick a city and policies, watch IKM, waits, backlog, staff and training.

Built on Mesa's SolaraViz. Three ways to open it:

- ``asnsim dashboard scenarios/kotabumi.yaml [--lang id] [--port 8765]`` (or
  ``python -m asnsim.app scenarios/kotabumi.yaml``) starts ``solara run asnsim.app:page``;
- in a notebook, ``from asnsim.app import make_page; make_page("scenarios/kotabumi.yaml")`` as
  the cell's last line displays it;
- ``solara run asnsim.app:page`` directly, with the scenario, language, scale and years to
  simulate before showing in the environment variables ``ASNSIM_DASHBOARD_SCENARIO``,
  ``ASNSIM_DASHBOARD_LANG``, ``ASNSIM_DASHBOARD_SCALE`` and ``ASNSIM_DASHBOARD_YEARS``.

The model is a :class:`DashboardModel`, an :class:`~asnsim.model.ASNModel` built from widget
values (city, the five policy levers, scale, seed) through dotted overrides, which also records
a few daily series the yearly outcomes lack (the wait of the citizens served each day, staff fit,
training). One step is one working day; the Step button advances ``render_interval`` days (25 by
default), ▶ keeps stepping, Reset rebuilds the model from the widgets. Plots are drawn with
matplotlib on the server, so the page needs no chart library in the browser.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from asnsim.catalog import SCENARIOS_DIR
from asnsim.labels import LANGS, label
from asnsim.model import ASNModel
from asnsim.outcomes import EXPECTED_COLUMNS, NRR_COLUMNS, stratified_ikm
from asnsim.policies import REGISTRY
from asnsim.policies.levers import LEVERS, lever
from asnsim.scenario import ScenarioError, load_scenario
from asnsim.survey import BAND_EDGES, band_label
from asnsim.vocab import JP_RIGHT_PER_YEAR
from asnsim.workforce import PNS

__all__ = [
    "ENV_LANG",
    "ENV_SCALE",
    "ENV_SCENARIO",
    "ENV_YEARS",
    "dashboard_levers",
    "Dashboard",
    "DashboardModel",
    "Page",
    "Panels",
    "add_parser",
    "backlog_figure",
    "city_choices",
    "components",
    "ikm_figure",
    "main",
    "make_page",
    "model_params",
    "page",
    "run",
    "staff_figure",
    "status_html",
    "training_figure",
    "wait_figure",
]

ENV_SCENARIO = "ASNSIM_DASHBOARD_SCENARIO"
ENV_LANG = "ASNSIM_DASHBOARD_LANG"
ENV_SCALE = "ASNSIM_DASHBOARD_SCALE"
ENV_YEARS = "ASNSIM_DASHBOARD_YEARS"

DEFAULT_SCENARIO = "scenarios/kotabumi.yaml"
WORST_UNITS = 15
SMOOTH_DAYS = 25

_SCENARIOS_DIR = SCENARIOS_DIR

_BAND_COLOURS = {"A": "#d8f0d8", "B": "#eef6d8", "C": "#fbeed5", "D": "#f6d8d8"}
_FIGSIZE = (5.6, 3.5)
_DPI = 100


# --------------------------------------------------------------------------- the model


def dashboard_levers() -> list[str]:
    """Lever kinds with a widget, in their yearly order: the ``dashboard`` rows of ``LEVERS``.

    Recruitment and change management have none: they keep the scenario's choice.
    """
    return [row.kind for row in LEVERS if row.dashboard]


def _policy_names(kind: str) -> list[str]:
    importlib.import_module(lever(kind).module)  # registers the kind's policies
    return list(REGISTRY[kind])


def _widget_label(kind: str, lang: str) -> str:
    return label(f"policy_{kind}", lang, default=kind)


def _scenario_path(city: str | Path) -> Path:
    """A city name of the bundled scenarios (``kotabumi``) or a scenario file's path."""
    path = Path(city)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return path
    bundled = _SCENARIOS_DIR / f"{city}.yaml"
    if bundled.exists():
        return bundled
    if path.suffix in (".yaml", ".yml") and (_SCENARIOS_DIR / path.name).exists():
        return _SCENARIOS_DIR / path.name  # e.g. scenarios/kotabumi.yaml from another folder
    if path.suffix in (".yaml", ".yml"):
        raise ScenarioError([f"no such scenario file: {path}"])
    known = ", ".join(p.stem for p in sorted(_SCENARIOS_DIR.glob("*.yaml")))
    raise ScenarioError(
        [f"city: got {str(city)!r}; expected one of {known} or a scenario YAML file"]
    )


def city_choices(scenario: str | Path = DEFAULT_SCENARIO) -> tuple[list[str], str]:
    """The city widget's values and the one for ``scenario``.

    The values are the names of the bundled city scenarios (``scenarios/*.yaml``); a scenario
    file that is not one of them is added by its path.
    """
    bundled = [p.stem for p in sorted(_SCENARIOS_DIR.glob("*.yaml"))]
    path = _scenario_path(scenario)
    if path.resolve() == (_SCENARIOS_DIR / path.name).resolve() and path.stem in bundled:
        return bundled, path.stem
    value = str(path)
    return [*bundled, value], value


class DashboardModel(ASNModel):
    """An :class:`~asnsim.model.ASNModel` built from the dashboard's widget values.

    Mesa's SolaraViz re-creates the model with ``type(model)(**widget_values)``, so the
    constructor takes exactly the widgets (all keyword arguments with defaults) and passes
    them to :class:`~asnsim.model.ASNModel` as dotted overrides
    (``policies__placement__name=...``, ``scale=...``) and ``rng`` (the seed).

    Args:
        city: A bundled city (``kotabumi``, ``kupang``, ``medan``, ``padang``, ``palembang``)
            or the path of a scenario YAML file.
        scale: Share of the real city simulated (0.05 = a 5% city).
        rng: Seed; None keeps the scenario's.
        **choices: A policy name per lever of :func:`dashboard_levers` (``placement``,
            ``training``, ``appraisal``, ``digital``, ``participation``); None keeps the
            scenario's.

    Attributes:
        city: The ``city`` argument.
        dashboard_daily: Daily series (arrays over the horizon, NaN for days not yet run):
            ``wait_mean`` (mean days waited by the citizens served that day), ``standard_mean``
            (their units' service standard, same weights), ``matched`` (share of staff in
            their field), ``competency``, ``jp20`` (share of PNS with 20 JP this year) and
            ``away`` (share of staff away on training).
    """

    def __init__(
        self,
        city: str = "kotabumi",
        scale: float = 0.05,
        rng: Any = None,
        **choices: str | None,
    ):
        choices.pop("scenario", None)  # mesa's own scenario object: SolaraViz passes it to **kw
        unknown = sorted(set(choices) - set(dashboard_levers()))
        if unknown:
            raise TypeError(f"no lever widget {unknown}; levers: {dashboard_levers()}")
        overrides = {
            f"policies__{kind}__name": name for kind, name in choices.items() if name is not None
        }
        super().__init__(_scenario_path(city), rng=rng, scale=float(scale), **overrides)
        self.city = city
        n = self.n_days
        self.dashboard_daily = {
            key: np.full(n, np.nan)
            for key in ("wait_mean", "standard_mean", "matched", "competency", "jp20", "away")
        }

    def step(self) -> None:
        """One working day; nothing once the horizon is reached (SolaraViz may ask for more)."""
        if not self.running or self.day >= self.n_days:
            self.running = False
            return
        day = self.day
        super().step()
        self._record_dashboard_day(day)

    def _record_dashboard_day(self, day: int) -> None:
        rec = self.dashboard_daily
        by_age = self.queues.served_today
        served = by_age.sum(axis=1)
        total = served.sum()
        if total > 0:
            ages = np.arange(by_age.shape[1])
            rec["wait_mean"][day] = (by_age * ages).sum() / total
            rec["standard_mean"][day] = (served * self.units.standard_days).sum() / total
        wf = self.workforce
        if len(wf):
            matched = self.qualifies[self.units.sector[wf.unit], wf.field]
            rec["matched"][day] = matched.mean()
            rec["competency"][day] = wf.cur.mean()
            rec["away"][day] = 1.0 - wf.present.mean()
            pns = wf.status == PNS
            if pns.any():
                rec["jp20"][day] = (wf.jp_year[pns] >= JP_RIGHT_PER_YEAR).mean()


# --------------------------------------------------------------------------- the plots


def _figure() -> tuple[Figure, Any]:
    fig = Figure(figsize=_FIGSIZE, dpi=_DPI, layout="constrained")
    return fig, fig.subplots()


def _years(model: ASNModel, days: np.ndarray) -> np.ndarray:
    return days / model.days_per_year


def _no_data(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="grey")


def _x_limits(ax, model: ASNModel) -> None:
    ax.set_xlim(0, max(1.0, np.ceil(model.day / model.days_per_year)))


def _semester_ikm(model: ASNModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """City IKM of each semester's survey: time (years), surveyed, true (stratified)."""
    x, surveyed, true = [], [], []
    for frame in model.outcomes.survey_frames:
        served = frame["served"].to_numpy(dtype=float)
        ikm, _ = stratified_ikm(frame[list(NRR_COLUMNS)].to_numpy(dtype=float), served)
        ikm_true, _ = stratified_ikm(frame[list(EXPECTED_COLUMNS)].to_numpy(dtype=float), served)
        x.append(frame["year"].iloc[0] - 1 + frame["semester"].iloc[0] / 2)
        surveyed.append(ikm[0])
        true.append(ikm_true[0])
    return np.array(x), np.array(surveyed), np.array(true)


def ikm_figure(model: ASNModel, lang: str = "en") -> Figure:
    """City IKM, surveyed and true, each year (lines) and semester (dots), with the bands."""
    fig, ax = _figure()
    city = model.outcomes.city()
    sx, s_ikm, _ = _semester_ikm(model)
    values = [v for v in (*s_ikm, *city.get("ikm", []), *city.get("ikm_true", [])) if v == v]
    lo, hi = (min(values) - 3, max(values) + 3) if values else (60.0, 95.0)
    edges = sorted(BAND_EDGES.items(), key=lambda kv: kv[1])
    right = max(1.0, np.ceil(model.day / model.days_per_year))
    for i, (band, start) in enumerate(edges):
        stop = edges[i + 1][1] if i + 1 < len(edges) else 100.0
        if stop > lo and start < hi:
            ax.axhspan(max(start, lo), min(stop, hi), color=_BAND_COLOURS[band], zorder=0)
            ax.text(
                0.99,
                (max(start, lo) + min(stop, hi)) / 2,
                f"{band} {band_label(band, 'id')}",
                transform=ax.get_yaxis_transform(),
                ha="right",
                va="center",
                fontsize=7,
                color="grey",
            )
    if len(sx):
        ax.plot(sx, s_ikm, "x", color="C0", alpha=0.6, label=label("ikm_semester", lang))
    if not city.empty:
        ax.plot(city["year"], city["ikm"], "o-", color="C0", label=label("ikm_survey", lang))
        ax.plot(city["year"], city["ikm_true"], "k--", label=label("ikm_true", lang))
    if not len(sx):
        days = model.days_per_year // 2
        _no_data(ax, label("first_survey", lang, days=days))
    else:
        ax.legend(loc="lower left", fontsize=7)
    ax.set_ylim(lo, hi)
    ax.set_xlim(0, right)
    ax.set(title=label("ikm_title", lang), xlabel=label("year", lang))
    ax.set_ylabel(label("ikm_axis", lang), fontsize=8)
    return fig


def _rolling(values: np.ndarray, n: int) -> np.ndarray:
    """Mean of the last ``n`` values that are not NaN (NaN while none)."""
    ok = ~np.isnan(values)
    total = np.convolve(np.where(ok, values, 0.0), np.ones(n))[: len(values)]
    count = np.convolve(ok.astype(float), np.ones(n))[: len(values)]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / count, np.nan)


def wait_figure(model: DashboardModel, lang: str = "en") -> Figure:
    """Mean wait of the citizens served each day, smoothed, vs their service standard."""
    fig, ax = _figure()
    n = model.day
    rec = model.dashboard_daily
    if n == 0:
        _no_data(ax, label("no_data", lang))
    else:
        x = _years(model, np.arange(1, n + 1))
        wait = rec["wait_mean"][:n]
        ax.plot(x, wait, color="C0", lw=0.5, alpha=0.35, label=label("wait_daily", lang))
        ax.plot(
            x,
            _rolling(wait, SMOOTH_DAYS),
            color="C0",
            lw=1.8,
            label=label("wait_smooth", lang, n=SMOOTH_DAYS),
        )
        ax.plot(
            x,
            _rolling(rec["standard_mean"][:n], SMOOTH_DAYS),
            "--",
            color="C3",
            lw=1.2,
            label=label("standard", lang),
        )
        city = model.outcomes.city()
        if not city.empty:
            ax.plot(city["year"], city["wait_mean_days"], "o", color="C1", ms=5)
            ax.plot([], [], "o", color="C1", ms=5, label=label("wait_year", lang))
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=7, loc="upper left")
    _x_limits(ax, model)
    ax.set_title(label("wait_title", lang), fontsize=10)
    ax.set_xlabel(label("year", lang))
    return fig


def backlog_figure(model: ASNModel, lang: str = "en") -> Figure:
    """City requests waiting each day (top) and now in the worst units (bars), split by age."""
    fig = Figure(figsize=_FIGSIZE, dpi=_DPI, layout="constrained")
    top, ax = fig.subplots(2, 1, height_ratios=[1, 3.2])
    n = model.day
    daily = model.outcomes.daily_values["waiting"][:n]
    if n:
        top.plot(_years(model, np.arange(1, n + 1)), daily, lw=0.8, color="C0")
    top.set_xlim(0, max(1.0, np.ceil(n / model.days_per_year)))
    top.set_title(label("backlog_title", lang), fontsize=9)
    top.tick_params(labelsize=7)
    top.set_ylim(bottom=0)

    queue = model.queues.queue
    waiting = queue.sum(axis=1)
    ages = np.arange(queue.shape[1])[None, :]
    late = (queue * (ages > model.units.standard_days[:, None])).sum(axis=1)
    order = [u for u in np.argsort(-waiting, kind="stable")[:WORST_UNITS] if waiting[u] > 0]
    if not order:
        _no_data(ax, label("no_data", lang) if n == 0 else "0")
        ax.set_yticks([])
    else:
        order = order[::-1]  # the worst at the top
        y = np.arange(len(order))
        names = [_short(model.units.name[u]) for u in order]
        on_time = waiting[order] - late[order]
        ax.barh(y, on_time, color="#9ecae1", label=label("within_standard", lang))
        ax.barh(y, late[order], left=on_time, color="#de2d26", label=label("past_standard", lang))
        ax.set_yticks(y, names, fontsize=6)
        ax.legend(fontsize=7, loc="lower right")
    ax.tick_params(axis="x", labelsize=7)
    ax.set_title(label("backlog_units", lang, n=WORST_UNITS), fontsize=9)
    ax.set_xlabel(label("requests", lang), fontsize=8)
    return fig


def _short(name: str, width: int = 30) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def staff_figure(model: DashboardModel, lang: str = "en") -> Figure:
    """Share of staff working in their field, mean competency and motivation, each day."""
    fig, ax = _figure()
    n = model.day
    rec = model.dashboard_daily
    if n == 0:
        _no_data(ax, label("no_data", lang))
    else:
        x = _years(model, np.arange(1, n + 1))
        ax.plot(x, 100 * rec["matched"][:n], color="C2", lw=1.8, label=label("in_field_pct", lang))
        ax.plot(
            x, 100 * rec["competency"][:n], "--", color="C4", label=label("competency_x100", lang)
        )
        motivation = model.outcomes.daily_values["motivation_mean"][:n]
        ax.plot(x, 100 * motivation, ":", color="C5", label=label("motivation_x100", lang))
        ax.set_ylim(0, 100)
        ax.legend(fontsize=7, loc="lower left")
    _x_limits(ax, model)
    ax.set(title=label("staff_fit_title", lang), xlabel=label("year", lang), ylabel="%")
    return fig


def training_figure(model: DashboardModel, lang: str = "en") -> Figure:
    """PNS reaching their 20 JP and staff away on training (daily); spend per year (bars)."""
    fig, ax = _figure()
    n = model.day
    rec = model.dashboard_daily
    city = model.outcomes.city()
    if n == 0:
        _no_data(ax, label("no_data", lang))
    else:
        x = _years(model, np.arange(1, n + 1))
        ax.plot(x, 100 * rec["jp20"][:n], color="C1", lw=1.8, label=label("jp20", lang))
        ax.plot(x, 100 * rec["away"][:n], ":", color="C0", label=label("away", lang))
        ax.set_ylim(0, 100)
        ax.legend(fontsize=7, loc="upper left")
        if model.spec.policies.training.name == "none":
            _no_data(ax, label("no_training", lang))
    if not city.empty and city["training_spend"].sum() > 0:
        twin = ax.twinx()
        # spend committed at a year's end is the budget of the following year
        twin.bar(
            city["year"] + 0.5,
            city["training_spend"] / 1e6,
            width=0.5,
            color="C7",
            alpha=0.2,
            zorder=0,
        )
        twin.set_ylabel(label("spend", lang), fontsize=7)
        twin.tick_params(labelsize=7)
        twin.set_ylim(bottom=0)
    _x_limits(ax, model)
    ax.set(title=label("training_title", lang), xlabel=label("year", lang), ylabel="%")
    return fig


def status_html(model: DashboardModel, lang: str = "en") -> str:
    """Key facts of the run so far (city, day, policies, latest IKM, backlog), as HTML."""
    spec = model.spec
    year = -(-model.day // model.days_per_year)
    day = label("day_of", lang, day=model.day, n=model.n_days, year=year)
    run = (
        f"{day} · {label('scale', lang)} {spec.scale:g} · {label('seed', lang)} {spec.seed} · "
        f"{label('headcount', lang)} {len(model.workforce):,}"
    )
    policies = ", ".join(
        f"{_lever(kind, lang)} <i>{escape(getattr(spec.policies, kind).name)}</i>"
        for kind in (row.kind for row in LEVERS)
    )
    facts = []
    city = model.outcomes.city()
    if not city.empty:
        last = city.iloc[-1]
        band = (
            f"{last['ikm_band']}, {band_label(last['ikm_band'], lang)}"
            if last["ikm_band"]
            else "-"
        )
        facts.append(
            f"{label('latest_ikm', lang)} ({label('year', lang)} {int(last['year'])}): "
            f"<b>{last['ikm']:.2f}</b> ({escape(band)}); "
            f"{label('ikm_true', lang)} {last['ikm_true']:.2f}"
        )
        wait = f"{last['wait_mean_days']:.2f} {label('working_days', lang)}"
        facts.append(f"{label('wait_mean', lang)} ({label('year', lang)}): {wait}")
    facts.append(f"{label('waiting_now', lang)}: <b>{int(model.queues.queue.sum()):,}</b>")
    return (
        f'<div style="padding: 8px 4px; line-height: 1.6">'
        f'<h3 style="margin-bottom: 8px">{escape(spec.city.name)}</h3>'
        f"<p>{escape(run)}</p>"
        f"<p><b>{label('policies', lang)}</b>: {policies}</p>"
        f"<p>{'<br>'.join(facts)}</p></div>"
    )


def _lever(kind: str, lang: str) -> str:
    return label(f"lever_{kind}", lang, default=kind)


def components(lang: str = "en") -> list[Callable[[DashboardModel], Any]]:
    """The dashboard's components: functions of the model returning a solara element.

    In order: status (HTML), IKM, waiting time, backlog per unit, staff fit, training.
    :func:`Panels` redraws them after every Step (``render_interval`` days).
    """

    def Status(model):  # noqa: N802 (named like the components they are)
        return solara.HTML(tag="div", unsafe_innerHTML=status_html(model, lang))

    def plot(draw: Callable[[Any, str], Figure], name: str):
        def component(model):
            fig = draw(model, lang)
            return solara.FigureMatplotlib(
                fig, dependencies=[id(model), model.day, lang], format="png"
            )

        component.__name__ = component.__qualname__ = name
        return component

    return [
        Status,
        plot(ikm_figure, "IKM"),
        plot(wait_figure, "Waiting"),
        plot(backlog_figure, "Backlog"),
        plot(staff_figure, "StaffFit"),
        plot(training_figure, "Training"),
    ]


# --------------------------------------------------------------------------- the page


def model_params(
    scenario: str | Path = DEFAULT_SCENARIO,
    lang: str = "en",
    scale: float = 0.05,
    seed: int | None = None,
) -> dict[str, dict[str, Any]]:
    """SolaraViz's ``model_params``: the widgets, named like :class:`DashboardModel`'s arguments.

    Defaults come from ``scenario``: its city, its policy choices and (unless ``seed`` is
    given) its seed.
    """
    cities, city = city_choices(scenario)
    spec = load_scenario(_scenario_path(scenario))
    params: dict[str, dict[str, Any]] = {
        "city": {
            "type": "Select",
            "value": city,
            "values": cities,
            "label": label("widget_city", lang),
        },
    }
    for kind in dashboard_levers():
        params[kind] = {
            "type": "Select",
            "value": getattr(spec.policies, kind).name,
            "values": _policy_names(kind),
            "label": _widget_label(kind, lang),
        }
    params["scale"] = {
        "type": "SliderFloat",
        "value": float(scale),
        "min": 0.01,
        "max": 0.5,
        "step": 0.01,
        "label": label("widget_scale", lang),
    }
    params["rng"] = {
        "type": "SliderInt",
        "value": int(spec.seed if seed is None else seed),
        "min": 0,
        "max": 999,
        "step": 1,
        "label": label("widget_seed", lang),
    }
    return params


def _build_model(
    scenario: str | Path, scale: float, seed: int | None, years: float = 0.0
) -> DashboardModel:
    params = model_params(scenario, "en", scale, seed)
    model = DashboardModel(**{k: v["value"] for k, v in params.items()})
    for _ in range(min(round(years * model.days_per_year), model.n_days)):
        model.step()
    return model


def make_page(
    scenario: str | Path = DEFAULT_SCENARIO,
    lang: str = "en",
    scale: float = 0.05,
    *,
    seed: int | None = None,
    render_interval: int = 25,
    years: float = 0.0,
):
    """The dashboard as a solara element: display it in a notebook, or serve it.

    Args:
        scenario: The scenario shown first: a bundled city's file or name, or any scenario YAML.
        lang: ``en`` or ``id`` for the labels (official terms stay Indonesian).
        scale: Share of the real city simulated; 0.05 steps a year in well under a second.
        seed: Seed; default: the scenario's.
        render_interval: Working days per Step (and between redraws while playing).
        years: Years to simulate before showing the page.

    Returns:
        A :func:`Dashboard` element (mesa's ``SolaraViz`` with the panels);
        ``element.kwargs["model"]`` is the ``solara.Reactive`` holding the current
        :class:`DashboardModel` (Reset replaces it).
    """
    if solara is None:
        raise ImportError("the dashboard needs solara: pip install 'asnsim[dashboard]'")
    label("widget_city", lang)  # checks lang
    params = model_params(scenario, lang, scale, seed)
    model = solara.reactive(_build_model(scenario, scale, seed, years))
    return Dashboard(model=model, model_params=params, lang=lang, render_interval=render_interval)


def _settings_from_env() -> tuple[str, str, float, float]:
    return (
        os.environ.get(ENV_SCENARIO, DEFAULT_SCENARIO),
        os.environ.get(ENV_LANG, "en"),
        float(os.environ.get(ENV_SCALE, "0.05")),
        float(os.environ.get(ENV_YEARS, "0")),
    )


try:  # solara is the optional ``dashboard`` extra; the rest of the module works without it
    import solara
except ImportError:  # pragma: no cover - exercised only without solara
    solara = None

if solara is not None:

    @solara.component
    def Panels(model: DashboardModel, lang: str = "en"):  # noqa: N802 (a solara component)
        """The six panels of :func:`components`, two per row on wide screens.

        Redrawn whenever SolaraViz's controls step or rebuild the model.
        """
        from mesa.visualization.utils import update_counter

        update_counter.get()  # mesa bumps it after each Step, while playing and on Reset
        with solara.ColumnsResponsive(12, large=6, gutters_dense=True):
            for component in components(lang):
                with solara.Card(style={"min-height": "370px"}):
                    component(model)

    @solara.component
    def Dashboard(  # noqa: N802 (a solara component)
        model: solara.Reactive,
        model_params: dict[str, Any],
        lang: str = "en",
        render_interval: int = 25,
    ):
        """Mesa's SolaraViz (title bar; sidebar with controls and widgets) and the panels.

        The panels are drawn here rather than passed to SolaraViz as ``components``: SolaraViz
        places components in solara's ``GridDraggable``, whose browser code
        (vue-grid-layout 2) fails to load with the Vue 3 front end of ipyvuetify 3
        ("GlobalVue.use is not a function"), which leaves the main area empty.
        """
        from mesa.visualization import SolaraViz

        SolaraViz(
            model=model,
            components=[],
            model_params=model_params,
            render_interval=render_interval,
            play_interval=50,
            name=label("app_title", lang),
        )
        Panels(model=model.value, lang=lang)

    @solara.component
    def Page():  # noqa: N802 (solara's name for an app's page)
        """The dashboard for ``solara run asnsim.app:page``: one model per browser session.

        Scenario, language, scale and years simulated before showing come from the
        environment (``ASNSIM_DASHBOARD_SCENARIO``, ``_LANG``, ``_SCALE``, ``_YEARS``).
        """
        scenario, lang, scale, years = _settings_from_env()
        params = solara.use_memo(lambda: model_params(scenario, lang, scale), [])
        model = solara.use_reactive(
            solara.use_memo(lambda: _build_model(scenario, scale, None, years), [])
        )
        return Dashboard(model=model, model_params=params, lang=lang, render_interval=25)

else:  # pragma: no cover
    Panels = Dashboard = Page = None

page = Page


# --------------------------------------------------------------------------- the command


def _add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "scenario",
        nargs="?",
        help="scenario YAML file shown first, e.g. scenarios/kotabumi.yaml (not with --results)",
    )
    p.add_argument(
        "--results",
        metavar="DIR",
        help="open the results page instead: a saved comparison, robust study or Pareto front",
    )
    p.add_argument(
        "--lang", choices=LANGS, default="en", help="labels in English (en) or Bahasa Indonesia"
    )
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument(
        "--scale", type=float, default=0.05, help="share of the real city (default 0.05)"
    )
    p.add_argument(
        "--years",
        type=float,
        default=0.0,
        help="years to simulate before the page opens (default 0)",
    )
    p.add_argument(
        "--open", action="store_true", help="open a browser tab (default: just print the URL)"
    )


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``dashboard SCENARIO.yaml [--lang en|id] [--port N] [--host ADDR]`` to ``asnsim``."""
    p = subparsers.add_parser(
        "dashboard",
        help="interactive dashboard in the browser (mesa SolaraViz)",
        description="Serve the interactive dashboard (needs the 'dashboard' extra: solara, "
        "altair). Pick a city and policies, press Step or ▶ and watch IKM, waiting times, "
        "backlog per unit, staff fit and training. Stop with Ctrl+C.",
    )
    _add_arguments(p)
    return p


def _solara_command(args: argparse.Namespace) -> list[str]:
    page = "asnsim.brief.page:results_page" if args.results else "asnsim.app:page"
    cmd = [
        sys.executable,
        "-m",
        "solara",
        "run",
        page,
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--production",
        "--open" if args.open else "--no-open",
    ]
    return cmd


def run(args: argparse.Namespace) -> int:
    """Serve the dashboard with ``solara run asnsim.app:page`` until interrupted.

    The scenario is checked first (exit 2 with the problem if it is invalid); the page reads
    it, the language, scale and years from ``ASNSIM_DASHBOARD_*`` environment variables set for
    the server process. With ``--results DIR`` the results page
    (``asnsim.brief.page:results_page``) is served instead, showing ``DIR`` first (exit 2 if
    it is not a result folder). Returns the server's exit code (0 after Ctrl+C).
    """
    try:
        if args.results is not None:
            shown, env = _results_settings(args)
        else:
            shown, env = _dashboard_settings(args)
    except (ScenarioError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return _serve(args, shown, env)


def _dashboard_settings(args: argparse.Namespace) -> tuple[Path, dict[str, str]]:
    if args.scenario is None:
        raise ScenarioError(["give a scenario file (or --results DIR for the results page)"])
    path = _scenario_path(args.scenario)
    load_scenario(path)
    label("widget_city", args.lang)
    if not 0 < args.scale <= 1:
        raise ScenarioError([f"--scale: got {args.scale}; expected a share in (0, 1]"])
    if args.years < 0:
        raise ScenarioError([f"--years: got {args.years}; expected 0 or more"])
    return path, {
        ENV_SCENARIO: str(path.resolve()),
        ENV_LANG: args.lang,
        ENV_SCALE: repr(float(args.scale)),
        ENV_YEARS: repr(float(args.years)),
    }


def _results_settings(args: argparse.Namespace) -> tuple[Path, dict[str, str]]:
    from asnsim.brief.folders import read_result
    from asnsim.brief.page import ENV_RESULTS

    if args.scenario is not None:
        raise ScenarioError(["give a scenario or --results DIR, not both"])
    folder = read_result(args.results).path.resolve()
    return folder, {ENV_RESULTS: str(folder), ENV_LANG: args.lang}


def _serve(args: argparse.Namespace, shown: Path, settings: dict[str, str]) -> int:
    """Run the solara server with ``settings`` in its environment until interrupted."""
    try:
        importlib.import_module("solara")
        importlib.import_module("altair")
    except ImportError as err:
        print(
            f"error: the dashboard needs the 'dashboard' extra ({err}); "
            "install it with: pip install 'asnsim[dashboard]'",
            file=sys.stderr,
        )
        return 1
    env = dict(os.environ) | settings
    url_host = f"[{args.host}]" if ":" in args.host else args.host
    print(
        f"asnsim dashboard: {shown} on http://{url_host}:{args.port}/ (Ctrl+C to stop)",
        flush=True,
    )
    proc = subprocess.Popen(_solara_command(args), env=env)
    previous = None
    try:
        if sys.platform != "win32":
            previous = signal.signal(signal.SIGTERM, _raise_interrupt)
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m asnsim.app SCENARIO.yaml [--lang en|id] [--port N] [--host ADDR]``."""
    p = argparse.ArgumentParser(
        prog="python -m asnsim.app", description="Serve the asnsim dashboard."
    )
    _add_arguments(p)
    return run(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
