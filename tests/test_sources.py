"""Scenarios and notebooks say only what their source documents say, and every number says where
it comes from.

A quotation of a source document is marked ``seed NNN §n: "..." (gloss)``: ``NNN`` names the seed
file (``../shared/seeds/NNN_*.txt``), ``n`` its section (§1 is the first heading after the title;
data/README.md lists them), the quotation is verbatim up to whitespace (`` ... `` marks words left
out) and an English gloss follows in parentheses. In notebooks the quotation may be in italics
(``*"..."*``). The seeds live beside the repository, not in it: the quotation checks look for them
in ``$ASNSIM_SEEDS`` or a ``shared/seeds`` folder above the repository and skip if there is none.
"""

import json
import os
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[1]
SCENARIOS = ROOT / "scenarios"
NOTEBOOKS = ROOT / "notebooks"
CITY_SEED = {
    "padang": "000",
    "kotabumi": "001",
    "palembang": "002",
    "medan": "003",
    "kupang": "004",
}
NOTEBOOK_CITY = {
    "01_padang_lubuk_begalung": "padang",
    "02_kotabumi": "kotabumi",
    "03_palembang": "palembang",
    "04_medan": "medan",
    "05_kupang": "kupang",
}
SCENARIO_FILES = sorted(SCENARIOS.glob("**/*.yaml"))
NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))

MARKER = re.compile(r'seed (\d{3}) §(\d+): \*?"([^"]+)"\*? \(([^)]+)\)')
"""A marked quotation: seed, section, the quoted words, the English gloss."""
ANY_MARKER = re.compile(r"seed \d{3}\W{0,3}§\d")
PROVENANCE = ("DOMAIN.md", "OBSERVED.md", "DERIVED", "calibrated", "assumption")
"""The tags of data/README.md: one of them in the comment of every number in a scenario file."""
RUN_SETTINGS = {"seed", "horizon_years", "scale"}
"""Top-level keys that set up a run rather than describe the place; they need no source."""


def _flat(text: str) -> str:
    """Whitespace-normalised text, with YAML comment lines joined into one run of prose."""
    return " ".join(re.sub(r"\n\s*#", " ", text).split())


def _markdown(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _first_markdown_cell(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return next("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _text(path: Path) -> str:
    return _flat(_markdown(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8"))


def _city_of(path: Path) -> str:
    """The city a scenario file belongs to: its own name, or its variant folder's."""
    return path.stem if path.parent == SCENARIOS else path.parent.name


def _seeds_dir() -> Path | None:
    if os.environ.get("ASNSIM_SEEDS"):
        return Path(os.environ["ASNSIM_SEEDS"])
    for folder in [ROOT, *ROOT.parents]:
        if (folder / "shared" / "seeds").is_dir():
            return folder / "shared" / "seeds"
    return None


def seed_sections(path: Path) -> list[tuple[str, str]]:
    """A seed's sections as (heading, whitespace-normalised text); the title line is dropped.

    A heading is a short line (at most eight words) that does not end a sentence.
    """
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    sections: list[tuple[str, list[str]]] = []
    for line in lines[1:]:
        if not line.endswith((".", "!", "?")) and len(line.split()) <= 8:
            sections.append((line, []))
        elif sections:
            sections[-1][1].append(line)
    return [(heading, " ".join(" ".join(body).split())) for heading, body in sections]


@pytest.fixture(scope="module")
def seeds() -> dict[str, list[tuple[str, str]]]:
    folder = _seeds_dir()
    if folder is None:
        pytest.skip("source documents not found: set ASNSIM_SEEDS or keep ../shared/seeds")
    found = {p.name[:3]: seed_sections(p) for p in sorted(folder.glob("[0-9][0-9][0-9]_*.txt"))}
    assert set(CITY_SEED.values()) <= set(found), f"{folder} lacks some of the five seeds"
    return found


def _found_in_order(quote: str, section: str) -> bool:
    """Every part of ``quote`` (split at `...`) occurs in ``section``, in order."""
    start = 0
    for part in (p.strip() for p in quote.split("...")):
        if not part:
            continue
        at = section.find(part, start)
        if at < 0:
            return False
        start = at + len(part)
    return True


# --------------------------------------------------------------------------- the seeds themselves


def test_seed_sections_are_read_as_the_documents_lay_them_out(seeds):
    for name, sections in seeds.items():
        headings = [h for h, _ in sections]
        assert 5 <= len(sections) <= 9, (name, headings)
        assert headings[0] == "Pendahuluan" and headings[-1] == "Kesimpulan", (name, headings)
        assert all(len(body) > 200 for _, body in sections), (name, headings)


def test_data_readme_numbers_the_sections_as_the_test_reads_them(seeds):
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for name, sections in seeds.items():
        for n, (heading, _) in enumerate(sections, start=1):
            assert f"§{n} {heading}" in readme, f"data/README.md: seed {name} lacks §{n} {heading}"


def test_data_readme_names_each_citys_seed():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for city, seed in CITY_SEED.items():
        row = next(ln for ln in readme.splitlines() if ln.startswith(f"| `scenarios/{city}.yaml`"))
        assert f"seed {seed}" in row, row


def test_the_checker_catches_what_it_should(seeds):
    section = seeds["000"][4][1]  # §5 Evaluasi dan Peningkatan Kebijakan
    assert _found_in_order(
        "jika ditemukan bahwa pelayanan di bidang kesehatan belum optimal", section
    )
    assert _found_in_order("Contohnya, jika ditemukan ... pelatihan pegawai", section)
    # a claim the document does not make, and right words in the wrong order
    assert not _found_in_order("pelayanan kesehatan di Lubuk Begalung buruk", section)
    assert not _found_in_order("pelatihan pegawai ... Contohnya", section)
    text = _flat(
        'x # seed 000 §5: "jika ditemukan\n  # bahwa" (if it is found) and seed 000 §5: "y"'
    )
    assert [m[2] for m in MARKER.findall(text)] == ["jika ditemukan bahwa"]
    assert len(ANY_MARKER.findall(text)) == 2  # the second has no gloss: malformed


# --------------------------------------------------------------------------- quotations


@pytest.mark.parametrize(
    "path", SCENARIO_FILES + NOTEBOOK_FILES, ids=lambda p: str(p.relative_to(ROOT))
)
def test_every_quotation_is_verbatim_in_its_section(path, seeds):
    text = _text(path)
    markers = MARKER.findall(text)
    assert len(markers) == len(ANY_MARKER.findall(text)), (
        f'{path.name}: a `seed NNN §n` marker lacks its "quotation" (gloss)'
    )
    for seed, n, quote, gloss in markers:
        sections = seeds[seed]
        assert 1 <= int(n) <= len(sections), f"{path.name}: seed {seed} has no §{n}"
        heading, body = sections[int(n) - 1]
        assert _found_in_order(quote, body), (
            f'{path.name}: not in seed {seed} §{n} ({heading}): "{quote}"'
        )
        assert len(gloss.split()) >= 2, f'{path.name}: "{quote}" needs an English gloss'


# --------------------------------------------------------------------------- stated questions


@pytest.mark.parametrize("city", CITY_SEED)
def test_each_city_states_its_documents_question_in_its_words(city):
    data = yaml.safe_load((SCENARIOS / f"{city}.yaml").read_text(encoding="utf-8"))
    own = CITY_SEED[city]
    for where, text in [
        ("description", data["description"]),
        ("city.source", data["city"]["source"]),
    ]:
        seeds_quoted = {m[0] for m in MARKER.findall(_flat(text))}
        assert own in seeds_quoted, f"{city}.yaml {where}: quote seed {own}"
    assert "Question" in data["description"], f"{city}.yaml: description states no question"


@pytest.mark.parametrize(
    "path",
    [p for p in SCENARIO_FILES if p.parent != SCENARIOS],
    ids=lambda p: str(p.relative_to(SCENARIOS)),
)
def test_each_variant_states_its_question_and_seed(path):
    description = _flat(yaml.safe_load(path.read_text(encoding="utf-8"))["description"])
    assert "Question" in description or "Baseline" in description, path.name
    assert f"seed {CITY_SEED[_city_of(path)]}" in description, path.name


@pytest.mark.parametrize("stem", NOTEBOOK_CITY)
def test_each_city_notebook_opens_with_its_documents_words(stem):
    opening = _flat(_first_markdown_cell(NOTEBOOKS / f"{stem}.ipynb"))
    seeds_quoted = {m[0] for m in MARKER.findall(opening)}
    assert CITY_SEED[NOTEBOOK_CITY[stem]] in seeds_quoted, stem


# --------------------------------------------------------------------------- provenance of numbers


def _numbers(node: yaml.Node, top: bool = False):
    """Every int or float scalar under ``node``, but not the top-level run settings."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if not (top and key.value in RUN_SETTINGS):
                yield from _numbers(value)
    elif isinstance(node, yaml.SequenceNode):
        for value in node.value:
            yield from _numbers(value)
    elif node.tag.endswith((":int", ":float")):
        yield node


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_number_says_where_it_comes_from(path):
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    bare = []
    for node in _numbers(yaml.compose(text), top=True):
        line = lines[node.start_mark.line]
        comment = line.split("#", 1)[1] if "#" in line else ""
        if not any(tag in comment for tag in PROVENANCE):
            bare.append(f"line {node.start_mark.line + 1}: {line.strip()}")
    assert not bare, f"{path.name}: numbers without {' / '.join(PROVENANCE)}: {bare}"


def test_the_provenance_rule_sees_a_bare_number():
    text = "seed: 0\ncity:\n  population: 5  # census (DOMAIN.md)\n  units: [{formation: 3}]\n"
    assert [n.value for n in _numbers(yaml.compose(text), top=True)] == ["5", "3"]
