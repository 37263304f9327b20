"""``asnsim brief RESULT_DIR [--lang id|en] [--out FILE]``: write the brief of a result folder.

Writes ``brief.html`` (self-contained) and ``brief.md`` into the result folder, or ``FILE``
and its twin (the same name with ``.md`` or ``.html``) with ``--out``. A file already there is
replaced only if an earlier ``asnsim brief`` wrote it; anything else is refused (exit 2).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from asnsim.brief.content import answer_sentence, blocks
from asnsim.brief.document import to_html, to_markdown
from asnsim.brief.folders import ResultFolder, read_result
from asnsim.labels import LANGS
from asnsim.outfolder import atomic_write
from asnsim.scenario import ScenarioError

__all__ = ["MD_MARK", "add_parser", "handle", "render", "write_brief"]

MD_MARK = "<!-- written by asnsim brief -->"
"""First line of a Markdown brief: tells a brief asnsim may replace from a user's file."""
_HTML_MARK = '<meta name="generator" content="asnsim brief">'


def render(result: ResultFolder, lang: str = "id", where: Path | None = None) -> tuple[str, str]:
    """The brief of ``result`` as (HTML page, Markdown); Markdown links figures from ``where``."""
    title, body = blocks(result, lang)
    markdown = MD_MARK + "\n\n" + to_markdown(body, where or result.path)
    return to_html(body, lang, title), markdown


def _targets(result: ResultFolder, out: str | Path | None) -> tuple[Path, Path]:
    if out is None:
        return result.path / "brief.html", result.path / "brief.md"
    path = Path(out)
    if path.suffix.lower() == ".md":
        return path.with_suffix(".html"), path
    if path.suffix.lower() not in (".html", ".htm"):
        raise ScenarioError([f"--out {path}: expected a file name ending in .html or .md"])
    return path, path.with_suffix(".md")


def _ours(path: Path) -> bool:
    """True if ``path`` is absent or an earlier brief (asnsim's mark in its first lines)."""
    if not path.exists():
        return True
    if not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8") as f:
            head = f.read(2000)
    except (OSError, UnicodeDecodeError):
        return False
    return MD_MARK in head or _HTML_MARK in head


def write_brief(
    folder: str | Path, lang: str = "id", out: str | Path | None = None, question: str = ""
) -> tuple[Path, Path]:
    """Write the brief of a result folder as HTML and Markdown; return both paths.

    Args:
        folder: A folder written by ``asnsim compare``, ``asnsim robust`` or ``asnsim optimise``.
        lang: ``id`` (Bahasa Indonesia, the default) or ``en``.
        out: The HTML (or Markdown) file to write; its twin gets the other suffix. Default:
            ``brief.html`` and ``brief.md`` in ``folder``.
        question: The question as the planner puts it, shown as written (default: the
            question the study answers, worded in ``lang``).

    Raises:
        ScenarioError: If the folder cannot be briefed, ``out``'s folder does not exist, or a
            file there was not written by ``asnsim brief``.
    """
    if lang not in LANGS:
        raise ScenarioError([f"--lang {lang!r}: expected one of {list(LANGS)}"])
    result = read_result(folder)
    result.asked = question
    html_path, md_path = _targets(result, out)
    for path in (html_path, md_path):
        if not path.parent.is_dir():
            raise ScenarioError([f"{path}: its folder {path.parent} does not exist"])
        if not _ours(path):
            raise ScenarioError(
                [
                    f"{path}: exists and was not written by asnsim brief; asnsim never "
                    "overwrites a user's file: move it away or give another --out"
                ]
            )
    html, markdown = render(result, lang, md_path.parent)
    atomic_write(html_path, lambda tmp: tmp.write_text(html, encoding="utf-8"))
    atomic_write(md_path, lambda tmp: tmp.write_text(markdown, encoding="utf-8"))
    return html_path, md_path


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``brief RESULT_DIR [--lang id|en] [--out FILE]`` to the ``asnsim`` command."""
    p = subparsers.add_parser(
        "brief",
        help="a planner's brief (HTML and Markdown) of a comparison, robust study or Pareto front",
        description="Write a self-contained HTML page and its Markdown twin that a planner can "
        "print or send: the question, the options, the answer with its intervals in plain "
        "words, costs, figures, what the answer depends on, the assumptions with their sources "
        "and the command that reproduces the result.",
    )
    p.add_argument("folder", help="a folder written by asnsim compare, robust or optimise")
    p.add_argument(
        "--lang",
        choices=LANGS,
        default="id",
        help="Bahasa Indonesia (id, the default) or English (en)",
    )
    p.add_argument(
        "--out",
        help="the HTML file to write (its .md twin beside it); default: brief.html and "
        "brief.md in the folder",
    )
    p.add_argument(
        "--question",
        default="",
        help="the question as the planner puts it, shown as written (default: the question "
        "the study answers, in the brief's language)",
    )
    return p


def handle(args: argparse.Namespace) -> int:
    """Run ``asnsim brief``: print the answer and where the brief was written."""
    html, md = write_brief(args.folder, args.lang, args.out, args.question)
    print(answer_sentence(read_result(args.folder), args.lang))
    print(f"\n{html}\n{md}")
    return 0
