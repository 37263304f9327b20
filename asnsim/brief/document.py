"""A brief as a list of blocks, written out as Markdown or as one self-contained HTML page.

The two forms say the same thing from the same blocks. The HTML page embeds its figures as
``data:`` URIs and its style inline, so it needs no network and no other file; it prints on
A4 with each figure kept whole.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from html import escape
from pathlib import Path

__all__ = [
    "Block",
    "Code",
    "Figure",
    "Heading",
    "Items",
    "Para",
    "Table",
    "to_html",
    "to_markdown",
]


@dataclass(frozen=True)
class Heading:
    """A section title (level 1 is the page's title)."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Para:
    """A paragraph of plain text; ``strong`` for the answer sentence."""

    text: str
    strong: bool = False


@dataclass(frozen=True)
class Items:
    """A bulleted list of plain-text items."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of plain-text cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Figure:
    """A PNG figure and its caption."""

    path: Path
    caption: str


@dataclass(frozen=True)
class Code:
    """A command to type, shown as it is."""

    text: str


Block = Heading | Para | Items | Table | Figure | Code


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(blocks: list[Block], where: Path) -> str:
    """The blocks as Markdown; figures are linked relative to ``where`` (the .md's folder)."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out += ["#" * b.level + " " + b.text, ""]
        elif isinstance(b, Para):
            out += [f"**{b.text}**" if b.strong else b.text, ""]
        elif isinstance(b, Items):
            out += [f"- {item}" for item in b.items] + [""]
        elif isinstance(b, Table):
            out.append("| " + " | ".join(_md_cell(h) for h in b.header) + " |")
            out.append("|" + "---|" * len(b.header))
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b.rows]
            out.append("")
        elif isinstance(b, Figure):
            link = Path(os.path.relpath(b.path.resolve(), where.resolve())).as_posix()
            out += [f"![{b.caption}]({link})", "", f"*{b.caption}*", ""]
        elif isinstance(b, Code):
            out += ["```bash", b.text, "```", ""]
    return "\n".join(out).rstrip() + "\n"


_STYLE = """
body { font-family: system-ui, "Segoe UI", Arial, sans-serif; max-width: 52em; margin: 2em auto;
  padding: 0 1em; line-height: 1.45; color: #1a1a1a; }
h1 { font-size: 1.6em; border-bottom: 2px solid #2c5f8a; padding-bottom: .2em; }
h2 { font-size: 1.2em; color: #2c5f8a; margin-top: 1.6em; }
p.answer { font-size: 1.1em; background: #eef4fa; border-left: 4px solid #2c5f8a;
  padding: .6em .8em; }
table { border-collapse: collapse; font-size: .85em; margin: .6em 0; }
th, td { border: 1px solid #ccd; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #f0f3f7; }
figure { margin: 1em 0; page-break-inside: avoid; break-inside: avoid; }
figure img { max-width: 100%; }
figcaption { font-size: .85em; color: #555; }
pre { background: #f6f6f6; padding: .6em; white-space: pre-wrap; word-break: break-all; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; } }
"""


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def to_html(blocks: list[Block], lang: str, title: str) -> str:
    """The blocks as one self-contained HTML page (figures as data URIs, no external file)."""
    body: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            body.append(f"<h{b.level}>{escape(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            attr = ' class="answer"' if b.strong else ""
            body.append(f"<p{attr}>{escape(b.text)}</p>")
        elif isinstance(b, Items):
            body.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            head = "".join(f"<th>{escape(h)}</th>" for h in b.header)
            rows = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in b.rows
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif isinstance(b, Figure):
            body.append(
                f'<figure><img src="{_data_uri(b.path)}" alt="{escape(b.caption)}">'
                f"<figcaption>{escape(b.caption)}</figcaption></figure>"
            )
        elif isinstance(b, Code):
            body.append(f"<pre><code>{escape(b.text)}</code></pre>")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="generator" content="asnsim brief">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
