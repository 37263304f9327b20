"""Labels in English and Bahasa Indonesia; official terms stay Indonesian in both."""

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
    assert "tahun" in out and "harapan" in out and "hasil ditulis ke" in out
    assert "IKM" in out
