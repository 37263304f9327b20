"""The dashboard (asnsim.app), headless: it builds, steps, redraws and rebuilds from its widgets.

The pages are rendered with ``solara.render`` (as mesa's own SolaraViz tests do), inside
``solara.AppLayout`` so that the sidebar's controls and widgets are part of the widget tree;
buttons are clicked and widgets changed on that tree, which runs the same code as a browser
does. The real-browser check is ``scripts/dashboard_screenshot.py`` (docs/dashboard.md).
"""

import argparse
from pathlib import Path

import numpy as np
import pytest

solara = pytest.importorskip("solara")  # the optional 'dashboard' extra
pytest.importorskip("altair")

import ipyvuetify as v  # noqa: E402
import ipywidgets  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from asnsim import ASNModel, app  # noqa: E402
from asnsim.labels import label  # noqa: E402
from asnsim.scenario import ScenarioError  # noqa: E402
from asnsim.survey import band_label  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CITIES = ("kotabumi", "kupang", "medan", "padang", "palembang")
FIGURES = (
    app.ikm_figure,
    app.wait_figure,
    app.backlog_figure,
    app.staff_figure,
    app.training_figure,
)


def render(element):
    """Render a page with its sidebar; return the render context."""
    _, rc = solara.render(solara.AppLayout(children=[element]), handle_error=False)
    return rc


def click(rc, text: str) -> None:
    rc.find(v.Btn, children=[text]).widget.click()


def status_text(rc) -> str:
    return " ".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets)


def plots(rc) -> list:
    return [w for w in rc.find(ipywidgets.Image).widgets if len(w.value) > 1000]


def test_page_builds_for_each_city():
    for city in CITIES:
        page = app.make_page(ROOT / "scenarios" / f"{city}.yaml")
        rc = render(page)
        model = page.kwargs["model"].value
        assert isinstance(model, app.DashboardModel)
        assert model.day == 0
        assert model.spec.scale == 0.05
        select = rc.find(v.Select, label="City (scenario)").widget
        assert select.v_model == city
        assert list(select.items) == list(CITIES)
        for kind in app.dashboard_levers():
            assert (
                rc.find(v.Select, label=label(f"policy_{kind}", "en")).widget.v_model
                == getattr(model.spec.policies, kind).name
            )
        assert len(plots(rc)) == 5
        assert model.spec.city.name in status_text(rc)


def test_step_button_advances_the_model_and_redraws():
    page = app.make_page("scenarios/kotabumi.yaml", render_interval=250)
    rc = render(page)
    model = page.kwargs["model"]
    before = [bytes(w.value) for w in plots(rc)]
    click(rc, "Step")  # what the browser's Step button does: render_interval days
    assert model.value.day == 250
    assert len(model.value.outcomes.city()) == 1
    after = [bytes(w.value) for w in plots(rc)]
    assert len(after) == 5
    assert all(a != b for a, b in zip(after, before, strict=True))  # every plot redrawn
    click(rc, "Step")
    assert model.value.day == 500
    assert not rc.find(v.Alert).widgets  # no error shown
    assert "working day 500 of 2500" in status_text(rc)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_components_render_after_0_days_and_after_a_year(lang):
    model = app.DashboardModel("kupang", training="needs_based", scale=0.05, rng=3)
    for days in (0, 260):
        for _ in range(days):
            model.step()
        for component in app.components(lang):
            element = component(model)
            assert element.component is not None  # a solara element
        for draw in FIGURES:
            fig = draw(model, lang)
            assert isinstance(fig, Figure) and fig.axes
        html = app.status_html(model, lang)
        assert model.spec.city.name in html
        _, rc = solara.render(app.Panels(model=model, lang=lang), handle_error=False)
        assert len(plots(rc)) == 5
    # a year ran: the status shows that year's city IKM, its band and the true IKM
    last = model.outcomes.city().iloc[-1]
    assert last["ikm_band"] in "ABCD" and len(last["ikm_band"]) == 1
    band = f"{last['ikm_band']}, {band_label(last['ikm_band'], lang)}"
    assert f"<b>{last['ikm']:.2f}</b> ({band})" in html
    assert f"{label('ikm_true', lang)} {last['ikm_true']:.2f}" in html
    assert f"{label('latest_ikm', lang)} ({label('year', lang)} 1)" in html


def test_policy_and_city_widgets_rebuild_the_model():
    page = app.make_page("scenarios/kotabumi.yaml", render_interval=25)
    rc = render(page)
    model = page.kwargs["model"]
    click(rc, "Step")
    assert model.value.day == 25
    rc.find(v.Select, label="Placement policy").widget.v_model = "competency_match"
    rc.find(v.Select, label="Training policy").widget.v_model = "needs_based"
    rc.find(v.Select, label="Digitalisation policy").widget.v_model = "e_government"
    rc.find(v.Select, label="City (scenario)").widget.v_model = "padang"
    rc.find(v.Slider, label="Seed").widget.v_model = 7
    rc.find(v.Slider, label="Scale (share of the real city)").widget.v_model = 0.03
    click(rc, "Reset")
    spec = model.value.spec
    assert model.value.day == 0
    assert spec.policies.placement.name == "competency_match"
    assert spec.policies.training.name == "needs_based"
    assert spec.policies.digital.name == "e_government"
    assert spec.policies.appraisal.name == "status_quo"  # untouched widget: the scenario's
    assert spec.city.name == "Kota Padang"
    assert (spec.seed, spec.scale) == (7, 0.03)
    click(rc, "Step")  # the rebuilt model steps and draws
    assert model.value.day == 25
    assert len(plots(rc)) == 5


def test_dashboard_model_is_the_asn_model_with_overrides():
    dash = app.DashboardModel("medan", placement="needs_based", scale=0.05, rng=2)
    plain = ASNModel(
        ROOT / "scenarios" / "medan.yaml",
        rng=2,
        scale=0.05,
        policies__placement__name="needs_based",
    )
    assert dash.spec.hash() == plain.spec.hash()
    assert "serve" not in vars(dash.queues)  # the queues run as they are: nothing patched
    for _ in range(250):
        dash.step()
        plain.step()
    a, b = dash.outcomes.city(), plain.outcomes.city()
    assert a.drop(columns="ikm_band").equals(b.drop(columns="ikm_band"))
    # the daily waits, weighted by the citizens served, add up to the year's mean wait
    served = dash.outcomes.daily()["served"].to_numpy()
    wait = np.nan_to_num(dash.dashboard_daily["wait_mean"][:250])
    assert np.isclose((wait * served).sum() / served.sum(), a["wait_mean_days"].iloc[0])
    assert np.isclose(dash.dashboard_daily["matched"][249], a["matched_share"].iloc[0], atol=0.05)


def test_stepping_past_the_horizon_is_harmless(tmp_path):
    short = tmp_path / "short.yaml"
    short.write_text(f"extends: {ROOT / 'scenarios' / 'kupang.yaml'}\nhorizon_years: 1\n")
    model = app.DashboardModel(str(short), scale=0.02)
    assert app.city_choices(short)[1] == str(short)  # a file outside scenarios/ is its path
    for _ in range(model.n_days + 30):  # SolaraViz may ask for more steps than remain
        model.step()
    assert model.day == model.n_days and not model.running


def test_unknown_city_is_rejected():
    with pytest.raises(ScenarioError, match="city"):
        app.DashboardModel("atlantis")


def test_page_for_solara_run_reads_the_environment(monkeypatch):
    monkeypatch.setenv(app.ENV_SCENARIO, str(ROOT / "scenarios" / "padang.yaml"))
    monkeypatch.setenv(app.ENV_LANG, "id")
    monkeypatch.setenv(app.ENV_SCALE, "0.02")
    monkeypatch.setenv(app.ENV_YEARS, "0.2")
    rc = render(app.page())
    assert rc.find(v.Select, label="Kebijakan penempatan").widget.v_model == "seniority"
    assert rc.find(v.Select, label="Kota/kabupaten (skenario)").widget.v_model == "padang"
    status = status_text(rc)
    assert "Kota Padang" in status and "hari kerja ke-50 dari" in status
    assert len(plots(rc)) == 5


def test_cli_parser_and_run(launched, capsys):
    parser = argparse.ArgumentParser(prog="asnsim")
    app.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["dashboard", "scenarios/kupang.yaml", "--lang", "id", "--port", "0"])
    assert (args.command, args.lang, args.port, args.host) == ("dashboard", "id", 0, "127.0.0.1")

    assert app.run(args) == 0
    cmd, env = launched["cmd"], launched["env"]
    assert cmd[1:5] == ["-m", "solara", "run", "asnsim.app:page"]
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == "0"
    assert env[app.ENV_SCENARIO] == str((ROOT / "scenarios" / "kupang.yaml").resolve())
    assert env[app.ENV_LANG] == "id" and float(env[app.ENV_SCALE]) == 0.05
    assert "http://127.0.0.1:0/" in capsys.readouterr().out

    bad = parser.parse_args(["dashboard", "no/such/file.yaml"])
    launched.clear()
    assert app.run(bad) == 2
    assert not launched
    assert "error" in capsys.readouterr().err
    assert app.main(["scenarios/kupang.yaml", "--scale", "3"]) == 2
