"""Hostile rosters, in CSV and Excel: every one refused with exit 2, one clear message, no
traceback, and no name, NIP or birth date of the file in anything printed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from asnsim.cli import main

ROOT = Path(__file__).resolve().parent.parent
KOTABUMI = ROOT / "scenarios" / "kotabumi.yaml"
HEADER = ["NIP", "nama", "tanggal_lahir", "golongan", "jenis_jabatan", "jenjang"]
HEADER += ["unit_kerja", "pendidikan", "jurusan", "status", "tmt_cpns", "jenis_kelamin"]
GOOD = [  # three consistent rows: each NIP agrees with its birth date, TMT, sex and status
    ["198309142010071343", "Sari Marlina", "14-09-1983", "III/d", "Fungsional", "Ahli Muda",
     "Puskesmas 1", "S1", "Kesehatan Masyarakat", "PNS", "01-07-2010", "P"],
    ["198503122022212219", "Siti Wulandari", "12-03-1985", "IX", "Fungsional",
     "Ahli Pertama", "Puskesmas 2", "D-IV", "Farmasi", "PPPK", "01-01-2022", "P"],
    ["197711232001031005", "Budi Santoso", "23-11-1977", "III/c", "Pelaksana", "",
     "Puskesmas 3", "SMA", "IPS", "PNS", "01-03-2001", "L"],
]  # fmt: skip
NAME = "Rudi Hartono Saputra"

# a bad second row: (case, column -> new value, the kind of problem reported)
ROW_CASES = [
    ("nip_17_digits", {"NIP": "19850312202221221"}, "malformed NIP"),
    ("nip_19_digits", {"NIP": "1985031220222122190"}, "malformed NIP"),
    ("nip_letters", {"NIP": "19850312202221221X"}, "malformed NIP"),
    ("nip_sex_digit_3", {"NIP": "198503122022213219"}, "malformed NIP"),
    (
        "nip_month_13",
        {"NIP": "198503122022132219", "status": "PNS", "golongan": "III/a"},
        "malformed NIP",
    ),
    ("nip_sequence_000", {"NIP": "198503122022212000"}, "malformed NIP"),
    ("nip_not_birth_date", {"tanggal_lahir": "13-03-1985"}, "NIP does not match tanggal_lahir"),
    ("nip_not_tmt", {"tmt_cpns": "01-01-2021"}, "NIP does not match tmt_cpns"),
    ("nip_not_sex", {"jenis_kelamin": "L"}, "NIP does not match jenis_kelamin"),
    ("pppk_nip_but_pns", {"status": "PNS", "golongan": "III/a"}, "NIP does not match status"),
    ("repeated_nip", {"NIP": GOOD[0][0], "nama": NAME}, "repeated NIP"),
    ("name_in_unit", {"unit_kerja": NAME}, "unit not in the city"),
    ("name_in_rank", {"golongan": NAME}, "unknown rank"),
    ("birth_date_in_education", {"pendidikan": "12-03-1985"}, "unknown education level"),
    ("nip_in_status", {"status": "198503122022212219"}, "unknown status"),
    ("name_in_birth_date", {"tanggal_lahir": NAME}, "date not readable"),
    ("name_in_jenjang", {"jenjang": NAME}, "unknown functional level"),
    ("birth_in_future", {"tanggal_lahir": "12-03-2085"}, "date in the future"),
]


def _write(path: Path, rows: list[list[str]]) -> Path:
    if path.suffix == ".xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    else:
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
    return path


def _secrets(rows: list[list[str]]) -> set[str]:
    """Every name, NIP and birth date in the file."""
    cols = [HEADER.index(c) for c in ("NIP", "nama", "tanggal_lahir")]
    return {r[j] for r in rows[1:] for j in cols if j < len(r) and r[j]} | {NAME}


def _refused(argv: list[str], capsys, secrets: set[str]) -> str:
    code = main(argv)
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 2, text
    assert "Traceback" not in text
    assert out.err.count("error:") == 1, out.err
    for secret in secrets:
        assert secret not in text, "personal data printed"
    return out.err


def _import(path: Path, tmp_path: Path, *more: str) -> list[str]:
    return ["roster", "import", str(path), "--scenario", str(KOTABUMI), "--scale", "0.05",
            "--as-of", "2025-01-01", "--out", str(tmp_path / "out"), *more]  # fmt: skip


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize(("case", "change", "kind"), ROW_CASES, ids=[c[0] for c in ROW_CASES])
def test_a_bad_row_fails_strict_by_row_column_and_kind(
    tmp_path, capsys, suffix, case, change, kind
):
    bad = list(GOOD[1])
    for column, value in change.items():
        bad[HEADER.index(column)] = value
    rows = [HEADER, GOOD[0], bad, GOOD[2]]
    path = _write(tmp_path / f"{case}{suffix}", rows)
    err = _refused(_import(path, tmp_path, "--strict"), capsys, _secrets(rows))
    assert "row 3, column " in err and kind in err
    for value in change.values():
        assert value not in err
    assert not (tmp_path / "out").exists()


FILE_CASES = [
    ("empty", b"", "the file is empty"),
    ("blank_lines", b"\n \n\n", "the file is empty"),
    ("header_only", (",".join(HEADER) + "\n").encode(), "header row but no rows"),
    ("nul_bytes", b"NIP,unit_kerja\n\x00\x01\x02\x03", "not a text file"),
    ("undecodable", ",".join(HEADER).encode() + b"\n\x81\x8d\xff\xfe,\x90\n", "neither UTF-8"),
    ("zip_named_csv", b"PK\x03\x04\x14\x00 junk", "zip"),
]


@pytest.mark.parametrize(
    ("case", "content", "message"), FILE_CASES, ids=[c[0] for c in FILE_CASES]
)
def test_a_csv_that_cannot_be_a_roster_is_refused(tmp_path, capsys, case, content, message):
    path = tmp_path / f"{case}.csv"
    path.write_bytes(content)
    err = _refused(_import(path, tmp_path), capsys, set())
    assert f"{case}.csv" in err and message in err


XLSX_CASES = [
    ("empty_sheet", [], "the file is empty"),
    ("header_only", [HEADER], "header row but no rows"),
    ("headerless", [GOOD[0], GOOD[1]], "missing required column"),
]


@pytest.mark.parametrize(("case", "rows", "message"), XLSX_CASES, ids=[c[0] for c in XLSX_CASES])
def test_an_xlsx_that_cannot_be_a_roster_is_refused(tmp_path, capsys, case, rows, message):
    path = _write(tmp_path / f"{case}.xlsx", rows)
    err = _refused(_import(path, tmp_path), capsys, _secrets([HEADER, *rows]))
    assert message in err


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04 truncated"])
def test_a_damaged_xlsx_is_refused(tmp_path, capsys, content):
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(content)
    err = _refused(_import(path, tmp_path), capsys, set())
    assert "not a readable .xlsx file" in err


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_roster_without_one_usable_row_is_refused(tmp_path, capsys, suffix):
    bad = [list(r) for r in GOOD]
    for r in bad:
        r[HEADER.index("unit_kerja")] = NAME
    rows = [HEADER, *bad]
    path = _write(tmp_path / f"all_bad{suffix}", rows)
    err = _refused(_import(path, tmp_path), capsys, _secrets(rows))
    assert "no row can be used" in err and "row 4, column unit_kerja" in err


def test_roster_import_never_overwrites_a_file_it_did_not_write(tmp_path, capsys):
    path = _write(tmp_path / "ok.csv", [HEADER, *GOOD])
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "roster_summary.json"
    mine.write_text("my own notes", encoding="utf-8")
    err = _refused(_import(path, tmp_path), capsys, _secrets([HEADER, *GOOD]))
    assert "did not write" in err and mine.read_text(encoding="utf-8") == "my own notes"
    mine.unlink()
    assert main(_import(path, tmp_path)) == 0
    capsys.readouterr()
    assert main(_import(path, tmp_path)) == 2  # an earlier import is kept without --force
    assert "--force" in capsys.readouterr().err
    assert main(_import(path, tmp_path, "--force")) == 0  # its own summary is replaced
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "roster_summary.json"]
    capsys.readouterr()


def test_roster_import_keeps_the_users_files_and_other_results(tmp_path, capsys):
    path = _write(tmp_path / "ok.csv", [HEADER, *GOOD])
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    err = _refused(_import(path, tmp_path), capsys, _secrets([HEADER, *GOOD]))
    assert "notes.txt" in err and sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    (out / "notes.txt").unlink()
    (out / "manifest.json").write_text('{"kind": "run", "files": ["manifest.json"]}')
    err = _refused(_import(path, tmp_path, "--force"), capsys, _secrets([HEADER, *GOOD]))
    assert "asnsim run result" in err and sorted(p.name for p in out.iterdir()) == [
        "manifest.json"
    ]


def test_a_headerless_csv_does_not_echo_its_first_row(tmp_path, capsys):
    rows = [GOOD[0], GOOD[1]]
    path = _write(tmp_path / "headerless.csv", rows)
    err = _refused(_import(path, tmp_path), capsys, _secrets([HEADER, *rows]))
    assert "missing required column" in err and "not shown" in err


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_run_roster_strict_refuses_before_running(tmp_path, capsys, suffix):
    bad = list(GOOD[1])
    bad[0] = "19850312202221221"
    rows = [HEADER, GOOD[0], bad]
    path = _write(tmp_path / f"r{suffix}", rows)
    argv = ["run", str(KOTABUMI), "--scale", "0.05", "--years", "1", "--quiet", "--strict"]
    argv += ["--roster", str(path), "--as-of", "2025-01-01", "--out", str(tmp_path / "run")]
    err = _refused(argv, capsys, _secrets(rows))
    assert "row 3, column NIP: malformed NIP" in err
    assert not (tmp_path / "run").exists()
