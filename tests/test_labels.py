"""Labels in English and Bahasa Indonesia; official terms stay Indonesian in both."""

import re
from pathlib import Path

import pytest

from asnsim.cli import main
from asnsim.labels import _LABELS, label, sector_label
from asnsim.survey import band_label


def test_every_label_has_both_languages():
    for key, (en, idn) in _LABELS.items():
        assert en and idn, key
        assert label(key, "en") == en and label(key, "id") == idn


def test_unknown_language_is_rejected():
    with pytest.raises(ValueError, match="lang must be one of"):
        label("year", "fr")


def test_official_terms_keep_indonesian_names():
    assert "IKM" in label("ikm_title", "en") and "IKM" in label("ikm_title", "id")
    assert band_label("A", "en").startswith("Sangat Baik")
    assert band_label("A", "id") == "Sangat Baik"
    assert sector_label("health", "id") == "kesehatan"
    assert "Dukcapil" in sector_label("civil_registry", "en")


def test_cli_summary_in_bahasa_indonesia(tmp_path, capsys):
    from conftest import TINY

    assert (
        main(
            [
                "run",
                str(TINY),
                "--years",
                "1",
                "--lang",
                "id",
                "--quiet",
                "--out",
                str(tmp_path / "o"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.lstrip().startswith("tahun"))
    assert header.split() == [
        "tahun", "IKM", "mutu", "harapan", "pemohon", "tunggu", "p90", "tepat", "batal", "antrean",
        "sesuai", "pegawai",
    ]  # fmt: skip
    assert "penempatan:" in out and "pelatihan:" in out and "hasil ditulis ke" in out
    assert "year" not in out and "placement" not in out  # nothing left in English


def test_fields_are_filled_in():
    assert label("wait_smooth", "en", n=25) == "mean wait, 25-day mean"
    assert label("day_of", "id", day=3, n=250, year=1) == "hari kerja ke-3 dari 250 (tahun ke-1)"
    with pytest.raises(KeyError):
        label("day_of", "en", day=3)  # a field missing


def test_sectors_come_from_the_same_table():
    assert sector_label("education", "en") == label("sector_education", "en") == "education"
    assert sector_label("public_works", "id") == "pekerjaan umum"
    assert sector_label("fisheries", "id") == "fisheries"  # unknown: its own name


def test_every_label_the_package_asks_for_exists():
    """Each literal key passed to label() in asnsim/ is in the table (and the lever keys)."""
    root = Path(__file__).resolve().parents[1] / "asnsim"
    used = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\blabel\(\s*[\"']([a-z0-9_]+)[\"']\s*[,)]", text))
        used |= set(re.findall(r"\bt\(\s*[\"']([a-z0-9_]+)[\"']\s*[,)]", text))
    assert {"app_title", "widget_city", "ikm_title", "results_written"} <= used
    assert sorted(used - set(_LABELS)) == []
    from asnsim.policies.levers import LEVERS

    # every shipped lever has its names; a new one shows its kind until it gets them
    for kind in (row.kind for row in LEVERS):
        assert f"lever_{kind}" in _LABELS and f"policy_{kind}" in _LABELS
    assert label("lever_no_such_lever", "id", default="no_such_lever") == "no_such_lever"
