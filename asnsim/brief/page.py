"""The dashboard's results page: open a saved comparison, robust study or Pareto front.

A folder path typed in the page is read with :func:`~asnsim.brief.read_result`; the page shows
the kind of result, the answer in plain words, the main table and the folder's figures, and
writes the folder's brief (``brief.html`` and ``brief.md``) on request. ``asnsim dashboard
--results DIR`` serves it; in a notebook, :func:`make_results_page` displays it.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from asnsim.brief.command import write_brief
from asnsim.brief.content import answer_sentence
from asnsim.brief.folders import KIND_TABLES, ResultFolder, read_result
from asnsim.labels import label
from asnsim.scenario import ScenarioError

__all__ = ["ENV_RESULTS", "ResultsPage", "ResultsView", "make_results_page", "results_page"]

ENV_RESULTS = "ASNSIM_DASHBOARD_RESULTS"
"""The folder the results page opens first when served (``asnsim dashboard --results DIR``)."""

TABLE_DIGITS = 4


def _load(folder: str) -> tuple[ResultFolder | None, str]:
    """The result in ``folder`` and no error, or None and the error's text."""
    try:
        return read_result(folder), ""
    except ScenarioError as err:
        return None, str(err)


def shown_table(result: ResultFolder) -> Any:
    """The main table as the page shows it: numbers rounded to ``TABLE_DIGITS`` decimals."""
    table = result.table.round(TABLE_DIGITS)
    text = [c for c in table.columns if c == "note" or not pd.api.types.is_numeric_dtype(table[c])]
    return table.fillna({c: "" for c in text})


try:  # solara is the optional ``dashboard`` extra
    import solara
except ImportError:  # pragma: no cover - exercised only without solara
    solara = None

if solara is not None:

    @solara.component
    def ResultsView(result: ResultFolder, lang: str = "en"):  # noqa: N802 (a solara component)
        """One result: its kind, the answer, the main table, the figures and a brief button."""
        written, set_written = solara.use_state("")
        failed, set_failed = solara.use_state("")

        def brief() -> None:
            try:
                html, md = write_brief(result.path, lang)
            except ScenarioError as err:
                set_failed(str(err))
                return
            set_failed("")
            set_written(f"{label('results_brief_written', lang)} {html}, {md}")

        with solara.Column():
            kind = escape(label(f"results_kind_{result.kind}", lang))
            where = f"<code>{escape(str(result.path))}</code> ({KIND_TABLES[result.kind]})"
            solara.HTML(tag="p", unsafe_innerHTML=f"<b>{kind}</b>: {where}")
            solara.Success(answer_sentence(result, lang))
            solara.Button(label("results_write_brief", lang), on_click=brief, color="primary")
            if written:
                solara.Info(written)
            if failed:
                solara.Error(failed)
            with solara.ColumnsResponsive(12, large=6):
                for path in result.figures:
                    with solara.Card(path.name):
                        solara.Image(path.read_bytes(), width="100%")
            solara.DataFrame(shown_table(result), items_per_page=40)

    @solara.component
    def ResultsPage(folder: str = "", lang: str = "en"):  # noqa: N802 (a solara component)
        """A folder path input and, once a result folder is given, its :func:`ResultsView`."""
        path = solara.use_reactive(folder)
        with solara.Column(style={"padding": "12px"}):
            solara.HTML(tag="h2", unsafe_innerHTML=escape(label("results_title", lang)))
            solara.InputText(label("results_folder", lang), value=path)
            if not path.value.strip():
                solara.Info(label("results_hint", lang))
                return
            result, error = _load(path.value.strip())
            if result is None:
                solara.Error(error)
            else:
                ResultsView(result=result, lang=lang)

    @solara.component
    def results_page():  # noqa: N802 (solara's page for ``solara run asnsim.brief.page:...``)
        """The results page for ``solara run``: folder and language from the environment."""
        folder = os.environ.get(ENV_RESULTS, "")
        lang = os.environ.get("ASNSIM_DASHBOARD_LANG", "en")
        return ResultsPage(folder=folder, lang=lang)

else:  # pragma: no cover
    ResultsView = ResultsPage = results_page = None


def make_results_page(folder: str | Path = "", lang: str = "en"):
    """The results page as a solara element (display it in a notebook, or serve it).

    Args:
        folder: The result folder shown first ("" for none: the page asks for one).
        lang: ``en`` or ``id``.
    """
    if solara is None:
        raise ImportError("the dashboard needs solara: pip install 'asnsim[dashboard]'")
    label("results_title", lang)  # checks lang
    return ResultsPage(folder=str(folder), lang=lang)
