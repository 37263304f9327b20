"""Roster import: counts, every kind of bad row, mapping, filled columns, personal data, CLI.

Most tests read ``data/sample_roster.csv`` (synthetic; see data/sample_roster_README.md) for
``scenarios/kotabumi.yaml`` at scale 0.05, dated 1 January 2025.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
import warnings
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from asnsim.cli import main as cli
from asnsim.people import COLUMNS, check_people, retirement_age, to_workforce
from asnsim.roster import (
    Roster,
    RosterError,
    RosterWarning,
    load_roster,
    match_field,
    parse_date,
    parse_education,
    parse_level,
    parse_position,
    parse_rank,
)
from asnsim.scenario import EDUCATION_LEVELS, FUNCTIONAL_LEVELS, POSITION_TYPES, load_scenario
from asnsim.units import build_units
from asnsim.workforce import RANK_NAMES, Workforce

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample_roster.csv"
KOTABUMI = ROOT / "scenarios" / "kotabumi.yaml"
AS_OF = date(2025, 1, 1)
N_ROWS, N_GOOD = 425, 415

# every bad row of the sample: (row, column, kind of problem)
SAMPLE_PROBLEMS = {
    (7, "tanggal_lahir", "date not readable"),
    (58, "tanggal_lahir", "date in the future"),
    (119, "tanggal_lahir", "younger than 18"),
    (176, "tanggal_lahir", "at or past retirement age"),
    (233, "golongan", "unknown rank"),
    (290, "jenis_jabatan", "unknown position type"),
    (347, "pendidikan", "unknown education level"),
    (404, "golongan", "unknown rank"),
    (404, "unit_kerja", "unit not in the city"),
    (418, "NIP", "malformed NIP"),
    (424, "NIP", "NIP does not match jenis_kelamin"),
}
N_BAD = len({row for row, *_ in SAMPLE_PROBLEMS})


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(KOTABUMI, scale=0.05)


@pytest.fixture(scope="module")
def sample(scenario):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RosterWarning)  # the sample has every column
        return load_roster(SAMPLE, scenario, salt="test-salt", as_of=AS_OF, rng=0)


def read_sample() -> tuple[list[str], list[list[str]]]:
    with SAMPLE.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def personal_values() -> list[str]:
    """Every NIP, name and birth date of the sample."""
    header, rows = read_sample()
    columns = [header.index(c) for c in ("NIP", "nama", "tanggal_lahir")]
    return [r[j] for r in rows for j in columns if r[j]]


def row_index(roster: Roster, row: int) -> int:
    (k,) = np.flatnonzero(roster.rows == row)
    return int(k)


# --------------------------------------------------------------------------- counts


def test_sample_loads_with_the_right_counts(sample):
    report = sample.report
    assert report.rows_read == N_ROWS
    assert report.rows_used == len(sample) == N_GOOD
    assert report.rows_skipped == N_ROWS - N_GOOD == N_BAD == 10
    assert report.rows_used + report.rows_skipped == report.rows_read
    assert report.filled_columns == [] and report.filled_cells == {}
    assert report.ignored_columns == ["catatan"]


def test_nothing_is_silently_dropped(sample):
    used = set(sample.rows.tolist())
    skipped = set(sample.report.skipped_rows)
    assert used.isdisjoint(skipped)
    assert used | skipped == set(range(2, N_ROWS + 2))  # spreadsheet rows, header = row 1


def test_every_kind_of_bad_row_is_reported_at_once(sample):
    got = {(p.row, p.column, p.reason) for p in sample.report.problems}
    assert got == SAMPLE_PROBLEMS
    text = str(sample.report)
    assert "10 skipped" in text
    for row, column, reason in SAMPLE_PROBLEMS:
        assert f"row {row}, column {column}: {reason}" in text
    assert sample.report.skipped_by_reason()["unknown rank"] == 2
    assert sum(sample.report.to_dict()["problems_by_column"].values()) == 11
    for value in ("31-02-1985", "14-08-2031", "V/a", "Tenaga Honorer", "Puskesmas 28"):
        assert value not in text  # no cell is echoed: it may hold personal data


def test_strict_raises_listing_every_problem(scenario):
    with pytest.raises(RosterError) as err:
        load_roster(SAMPLE, scenario, strict=True, as_of=AS_OF, salt="s")
    assert isinstance(err.value, ValueError)
    got = {(p.row, p.column, p.reason) for p in err.value.problems}
    assert got == SAMPLE_PROBLEMS
    message = str(err.value)
    assert "11 problems in 10 rows" in message
    for row, *_ in SAMPLE_PROBLEMS:
        assert f"row {row}," in message


# --------------------------------------------------------------------------- columns


def test_mapping_reads_renamed_headers(tmp_path, scenario, sample):
    header, rows = read_sample()
    renamed = {
        "NIP": "Nomor Pegawai",
        "nama": "Nama Pegawai Lengkap",
        "tanggal_lahir": "Tgl. Lahir (dd-mm-yyyy)",
        "golongan": "Pangkat",
        "jenis_jabatan": "Jenis",
        "jenjang": "Tingkat",
        "unit_kerja": "Kantor",
        "pendidikan": "Ijazah",
        "jurusan": "Prodi Asal",
        "status": "Kepegawaian",
        "tmt_cpns": "Mulai Bekerja",
    }
    path = write_csv(tmp_path / "renamed.csv", [renamed.get(h, h) for h in header], rows)
    mapping = {("nip" if k == "NIP" else k): v for k, v in renamed.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("error", RosterWarning)
        got = load_roster(path, scenario, mapping=mapping, salt="test-salt", as_of=AS_OF, rng=0)
    assert got.report.columns["unit_kerja"] == "Kantor"
    assert {(p.row, p.reason) for p in got.report.problems} == {
        (p.row, p.reason) for p in sample.report.problems
    }
    for key in sample.people:
        np.testing.assert_array_equal(got.people[key], sample.people[key], err_msg=key)
    np.testing.assert_array_equal(got.employee_key, sample.employee_key)

    # without the mapping the renamed file lacks its required columns
    with pytest.raises(RosterError, match="missing required column"):
        load_roster(path, scenario, as_of=AS_OF)
    with pytest.raises(RosterError, match="not a roster column"):
        load_roster(path, scenario, mapping={**mapping, "gaji": "Pangkat"}, as_of=AS_OF)
    with pytest.raises(RosterError, match="no such header"):
        load_roster(path, scenario, mapping={**mapping, "golongan": "Gol."}, as_of=AS_OF)


def test_missing_columns_are_filled_with_one_warning_naming_them(tmp_path, scenario):
    header, rows = read_sample()
    drop = {"golongan", "jurusan", "status"}
    keep = [j for j, h in enumerate(header) if h not in drop]
    path = write_csv(
        tmp_path / "short.csv", [header[j] for j in keep], [[r[j] for j in keep] for r in rows]
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = load_roster(path, scenario, salt="s", as_of=AS_OF, rng=1)
    roster_warnings = [w for w in caught if issubclass(w.category, RosterWarning)]
    assert len(roster_warnings) == 1
    message = str(roster_warnings[0].message)
    for column in drop:
        assert column in message
    assert "tanggal_lahir" not in message and "pendidikan" not in message
    assert got.report.filled_columns == ["golongan", "jurusan", "status"]
    # the rows with a bad rank are good now; the other bad rows are still skipped
    assert got.report.rows_skipped == N_BAD - 1 and len(got) == N_GOOD + 1
    p = got.people
    assert set(np.unique(p["status"])) <= {0, 1} and 0 < p["status"].mean() < 0.6
    assert (p["rank"] >= 0).all() and (p["rank"] < len(RANK_NAMES)).all()


def test_a_roster_of_only_nip_and_unit_reads_dates_from_the_nip(tmp_path, scenario, sample):
    header, rows = read_sample()
    i_nip, i_unit = header.index("NIP"), header.index("unit_kerja")
    path = write_csv(
        tmp_path / "nip.csv", ["NIP", "Unit Kerja"], [[r[i_nip], r[i_unit]] for r in rows]
    )
    with pytest.warns(RosterWarning) as caught:
        got = load_roster(path, scenario, salt="test-salt", as_of=AS_OF)
    assert len(caught) == 1
    assert "tmt_cpns" not in got.report.filled_columns  # every NIP holds a start date
    assert "golongan" in got.report.filled_columns
    assert any("read from the NIP" in n for n in got.report.notes)
    # row 3: NIP 19830914 2010 07 ... -> born 14-09-1983, in service since 1-07-2010
    k = row_index(got, 3)
    assert got.people["age"][k] == pytest.approx(41 + 109 / 365)
    assert got.people["tenure"][k] == pytest.approx(14 + 184 / 365)
    # the same person as in the full sample: same key
    assert got.employee_key[k] == sample.employee_key[row_index(sample, 3)]


def test_required_columns_and_unreadable_files(tmp_path, scenario):
    header, rows = read_sample()
    no_unit = [j for j, h in enumerate(header) if h != "unit_kerja"]
    path = write_csv(
        tmp_path / "a.csv", [header[j] for j in no_unit], [[r[j] for j in no_unit] for r in rows]
    )
    with pytest.raises(RosterError, match="unit_kerja"):
        load_roster(path, scenario, as_of=AS_OF)
    no_dates = [j for j, h in enumerate(header) if h not in ("NIP", "tanggal_lahir")]
    path = write_csv(
        tmp_path / "b.csv", [header[j] for j in no_dates], [[r[j] for j in no_dates] for r in rows]
    )
    with pytest.raises(RosterError, match="nip or tanggal_lahir"):
        load_roster(path, scenario, as_of=AS_OF)
    with pytest.raises(RosterError, match="cannot read"):
        load_roster(tmp_path / "missing.csv", scenario, as_of=AS_OF)
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    with pytest.raises(RosterError, match="the file is empty"):
        load_roster(empty, scenario, as_of=AS_OF)


def test_a_headerless_file_does_not_echo_its_first_row(tmp_path, scenario):
    _, rows = read_sample()
    path = write_csv(tmp_path / "headless.csv", rows[0], rows[1:])
    with pytest.raises(RosterError) as err:
        load_roster(path, scenario, as_of=AS_OF)
    for value in rows[0][:2]:  # its NIP and name
        assert value not in str(err.value)


# --------------------------------------------------------------------------- values


def test_hand_checked_rows(sample, scenario):
    p = sample.people
    units = build_units(scenario)
    fields = sample.field_names
    pos = {name: i for i, name in enumerate(POSITION_TYPES)}
    lvl = {name: i for i, name in enumerate(FUNCTIONAL_LEVELS)}
    edu = {name: i for i, name in enumerate(EDUCATION_LEVELS)}
    expected = {
        # row 2: PPPK, 01-01-1973, grade V, Pelaksana, Puskesmas 1, SMK, IPS, TMT 01-07-2024
        2: dict(age=52.0, tenure=184 / 365, retire_at=58, rank="II/a", status=1,
                position="pelaksana", level=None, unit="Puskesmas 1", education="slta",
                field="other"),
        # row 3: PNS, 1983-09-14, III/d, Fungsional Ahli Muda, S-1, Kesejahteraan Sosial
        3: dict(age=41 + 109 / 365, tenure=14 + 184 / 365, retire_at=58, rank="III/d",
                status=0, position="fungsional", level="ahli_muda", unit="Puskesmas 1",
                education="s1", field="social_science"),
        # row 34: Ahli Madya aged 59.3 (BUP 60), Pendidikan Dokter = a health degree
        34: dict(age=59 + 112 / 365, tenure=24 + 335 / 366, retire_at=60, rank="IV/c",
                 status=0, position="fungsional", level="ahli_madya", unit="Puskesmas 16",
                 education="s1", field="health"),
        # row 260: Ahli Utama aged 61.4 (BUP 65), S3, Teknik Mesin
        260: dict(age=61 + 135 / 365, tenure=27.0, retire_at=65, rank="IV/e", status=0,
                  position="fungsional", level="ahli_utama", unit="Dinas PUPR Lampung Utara",
                  education="s3", field="engineering"),
        # row 332: JPT Pratama born 02-01-1980 (a day short of 45), IV/c, S2
        332: dict(age=44 + 365 / 366, tenure=22 + 61 / 365, retire_at=60, rank="IV/c",
                  status=0, position="jpt", level=None,
                  unit="Satpol PP dan Damkar Lampung Utara", education="s2",
                  field="administration"),
    }  # fmt: skip
    for row, e in expected.items():
        k = row_index(sample, row)
        assert p["age"][k] == pytest.approx(e["age"]), row
        assert p["tenure"][k] == pytest.approx(e["tenure"]), row
        assert retirement_age(p["position"][k : k + 1], p["level"][k : k + 1]) == e["retire_at"]
        assert RANK_NAMES[p["rank"][k]] == e["rank"], row
        assert p["status"][k] == e["status"], row
        assert p["position"][k] == pos[e["position"]], row
        assert p["level"][k] == (-1 if e["level"] is None else lvl[e["level"]]), row
        assert units.name[p["unit"][k]] == e["unit"], row
        assert p["education"][k] == edu[e["education"]], row
        assert fields[p["field"][k]] == e["field"], row
    workers = to_workforce(p, scenario, units, day=0)
    for row, e in expected.items():
        k = row_index(sample, row)
        assert workers["hire_day"][k] == -round(e["tenure"] * scenario.days_per_year), row
        assert workers["retire_at"][k] == e["retire_at"], row


def test_people_is_a_people_table_the_model_can_take(sample, scenario):
    units = build_units(scenario)
    p = sample.people
    assert list(p) == list(COLUMNS)
    assert check_people(p, len(units), len(sample.field_names)) == []
    assert all(len(v) == N_GOOD for v in p.values())
    assert (p["tenure"] >= 0).all() and (p["tenure"] <= p["age"] - 18 + 1e-9).all()
    workers = to_workforce(p, scenario, units, day=0)
    assert (workers["age"] < workers["retire_at"]).all() and (workers["age"] >= 18).all()
    rows = np.arange(N_GOOD)
    sector = units.sector[p["unit"]]
    assert (workers["cur"] >= workers["floor"][rows, sector] - 1e-12).all()
    assert (workers["cur"] <= workers["ceil"] + 1e-12).all()
    np.testing.assert_allclose(workers["competency"][rows, sector], workers["cur"])
    wf = Workforce.empty(len(units.sectors))
    wf.append({**workers, "uid": np.arange(N_GOOD, dtype=np.int64)})
    assert len(wf) == N_GOOD


def test_fungsional_level_and_post_are_drawn_within_the_retirement_age(tmp_path, scenario):
    header = ["NIP", "tanggal_lahir", "jenis_jabatan", "unit_kerja"]
    rows = [
        ["", "01-01-1963", "Fungsional", "Puskesmas 1"],  # 62: only ahli utama (BUP 65)
        ["", "01-01-1966", "", "Puskesmas 2"],  # 59: JPT or ahli madya/utama
        ["", "01-01-1966", "Pelaksana", "Puskesmas 3"],  # 59 > BUP 58: reported
        ["", "01-01-1958", "", "Puskesmas 4"],  # 67: past every BUP
    ]
    path = write_csv(tmp_path / "old.csv", header, rows)
    with pytest.warns(RosterWarning, match="jenjang"):
        got = load_roster(path, scenario, as_of=AS_OF, salt="s", rng=3)
    assert got.rows.tolist() == [2, 3]
    assert got.people["level"][0] == FUNCTIONAL_LEVELS.index("ahli_utama")
    retire_at = retirement_age(got.people["position"], got.people["level"])
    assert (retire_at > got.people["age"]).all()
    assert [(p.row, p.reason) for p in got.report.problems] == [
        (4, "at or past retirement age"),
        (5, "at or past retirement age"),
    ]
    assert any("no NIP" in n for n in got.report.notes)


def test_repeated_nip_and_blank_cells(tmp_path, scenario):
    header, rows = read_sample()
    rows = [list(r) for r in rows[:5]]
    rows[3][0] = rows[1][0]  # row 5 repeats row 3's NIP
    rows[0][header.index("pendidikan")] = ""  # row 2: blank education, drawn
    path = write_csv(tmp_path / "dup.csv", header, rows)
    with pytest.warns(RosterWarning, match=r"pendidikan \(1\)"):
        got = load_roster(path, scenario, as_of=AS_OF, salt="s")
    (problem,) = [p for p in got.report.problems if p.reason == "repeated NIP"]
    assert (problem.row, problem.column) == (5, "NIP") and "row 3" in problem.detail
    # the copied NIP also contradicts row 5's own birth date: it is reported, not shown
    assert {p.row for p in got.report.problems} == {5}
    assert rows[1][0] not in str(got.report)
    assert got.report.filled_cells == {"pendidikan": 1}


def test_parsers_accept_common_spellings(scenario):
    assert parse_rank("III/a") == parse_rank("III/A") == parse_rank("3a") == 8
    assert parse_rank("Penata Muda (III/a)") == parse_rank("penata muda") == 8
    assert parse_rank("Penata Muda Tk. I") == 9
    assert parse_rank("IV/e") == 16 and parse_rank("IX") == 8 and parse_rank("17") == 16
    assert parse_rank("V/a") is parse_rank("III/e") is parse_rank("XVIII") is None
    f, pl, jpt = (POSITION_TYPES.index(x) for x in ("fungsional", "pelaksana", "jpt"))
    assert parse_position("Jabatan Fungsional") == parse_position("FUNGSIONAL") == f
    assert parse_position("Pelaksana") == parse_position("Jabatan Fungsional Umum") == pl
    assert parse_position("JPT Pratama") == parse_position("Eselon II.b") == jpt
    assert parse_position("Eselon III.a") == POSITION_TYPES.index("administrator")
    assert parse_position("Struktural") is parse_position("Honorer") is None
    assert parse_level("Ahli Madya") == parse_level("madya") == 3
    assert parse_level("Penyelia") == parse_level("Terampil") == 0
    assert parse_education("SMA") == parse_education("SMK") == 0
    assert parse_education("D-III") == 1 and parse_education("D-IV") == parse_education("S-1") == 2
    assert parse_education("Magister") == 3 and parse_education("S3") == 4
    assert parse_education("Kursus") is None
    assert parse_date("17-05-1980") == parse_date("1980-05-17") == date(1980, 5, 17)
    assert parse_date("17 Mei 1980") == parse_date("17/05/1980") == date(1980, 5, 17)
    assert parse_date("31-02-1980") is parse_date("17-05-80") is parse_date("kemarin") is None
    fields = list(scenario.city.workforce.field_mix)
    for text, name in [
        ("Kesehatan Masyarakat", "health"),
        ("Pendidikan Dokter", "health"),
        ("Ekonomi", "economics"),
        ("Pendidikan Ekonomi", "education"),
        ("Teknik Informatika", "information_technology"),
        ("Teknik Sipil", "engineering"),
        ("Ilmu Hukum", "law"),
        ("Administrasi Negara", "administration"),
    ]:
        assert fields[match_field(text, fields, {})] == name, text
    assert match_field("Sastra Jawa", fields, {}) is None
    assert fields[match_field("Sastra Jawa", fields, {"sastra jawa": "education"})] == "education"


def test_field_overrides_and_unmatched_fields(tmp_path, scenario):
    header = ["tanggal_lahir", "unit_kerja", "jurusan"]
    rows = [["01-01-1980", "Puskesmas 1", "Sastra Jawa"], ["01-01-1980", "Puskesmas 1", "Gizi"]]
    path = write_csv(tmp_path / "f.csv", header, rows)
    with pytest.warns(RosterWarning):
        got = load_roster(path, scenario, as_of=AS_OF, salt="s")
    assert [got.field_names[f] for f in got.people["field"]] == ["other", "health"]
    assert any("'Sastra Jawa' (1)" in n for n in got.report.notes)
    with pytest.warns(RosterWarning):
        got = load_roster(path, scenario, as_of=AS_OF, salt="s", fields={"Sastra Jawa": "law"})
    assert [got.field_names[f] for f in got.people["field"]] == ["law", "health"]
    with pytest.raises(RosterError, match="expected one of"):
        load_roster(path, scenario, as_of=AS_OF, fields={"Sastra Jawa": "poetry"})


def test_same_input_same_people(scenario, sample):
    again = load_roster(SAMPLE, scenario, salt="test-salt", as_of=AS_OF, rng=0)
    for key in sample.people:
        np.testing.assert_array_equal(again.people[key], sample.people[key])


def test_xlsx_roster(tmp_path, scenario, sample):
    openpyxl = pytest.importorskip("openpyxl")
    header, rows = read_sample()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Daftar pegawai (data sintetis)"])  # a title above the headers
    sheet.append(header)
    for r in rows:
        r = list(r)
        born = parse_date(r[2])
        if born is not None:
            r[2] = born  # a real Excel date
        sheet.append(r)
    book.save(tmp_path / "roster.xlsx")
    got = load_roster(tmp_path / "roster.xlsx", scenario, salt="test-salt", as_of=AS_OF, rng=0)
    assert got.report.rows_read == N_ROWS and got.report.rows_used == N_GOOD
    assert {p.row - 1 for p in got.report.problems} == {p.row for p in sample.report.problems}
    np.testing.assert_allclose(got.people["age"], sample.people["age"])


def test_xlsx_without_openpyxl_says_how_to_install(tmp_path, scenario, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(ImportError, match="pip install openpyxl"):
        load_roster(path, scenario, as_of=AS_OF)


# --------------------------------------------------------------------------- personal data


def test_salted_key_is_stable_and_salt_dependent(scenario, sample):
    header, rows = read_sample()
    k = row_index(sample, 2)
    nip = rows[0][header.index("NIP")]
    assert sample.employee_key[k] == hashlib.sha256(f"test-salt{nip}".encode()).hexdigest()[:16]
    same = load_roster(SAMPLE, scenario, salt="test-salt", as_of=AS_OF, rng=5)
    other = load_roster(SAMPLE, scenario, salt="another-salt", as_of=AS_OF, rng=0)
    np.testing.assert_array_equal(same.employee_key, sample.employee_key)
    assert not np.any(other.employee_key == sample.employee_key)
    assert len(set(sample.employee_key.tolist())) == N_GOOD
    assert sample.employee_key.dtype == np.dtype("<U16")


def test_no_nip_or_name_in_roster_or_report(sample, scenario, tmp_path):
    secrets_ = personal_values()
    texts = [
        repr(sample),
        str(sample.report),
        repr(sample.report),
        json.dumps(sample.summary()),
        sample.format_summary(),
    ]
    for text in texts:
        for value in secrets_:
            assert value not in text
    for key, values in sample.people.items():
        assert values.dtype.kind in "ifb", key  # numbers only
    # a wrong mapping that points the unit column at the names: every row is bad, no name shown
    with pytest.raises(RosterError) as err:
        load_roster(SAMPLE, scenario, mapping={"unit_kerja": "nama"}, strict=True, as_of=AS_OF)
    reported = [p for p in err.value.problems if p.column == "nama"]
    assert len(reported) == N_ROWS and {p.reason for p in reported} == {"unit not in the city"}
    for value in secrets_:
        assert value not in str(err.value)


# --------------------------------------------------------------------------- command line


def test_cli_import_writes_counts_only(tmp_path, capsys):
    out = tmp_path / "out"
    code = cli(
        ["roster", "import", str(SAMPLE), "--scenario", str(KOTABUMI), "--scale", "0.05",
         "--as-of", "2025-01-01", "--out", str(out)]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0
    assert "425 rows read, 415 used, 10 skipped" in captured.out
    assert "row 404, column unit_kerja: unit not in the city" in captured.out
    assert "Puskesmas 28" not in captured.out
    assert "Puskesmas 1 " in captured.out  # the headcount-vs-formation table
    assert sorted(f.name for f in out.iterdir()) == ["manifest.json", "roster_summary.json"]
    assert json.loads((out / "manifest.json").read_text())["kind"] == "roster"
    summary = json.loads((out / "roster_summary.json").read_text())
    assert summary["rows_read"] == N_ROWS and summary["rows_used"] == N_GOOD
    assert summary["rows_skipped"] == N_BAD and summary["headcount"] == N_GOOD
    assert summary["skipped_by_reason"]["unknown rank"] == 2
    assert sum(u["headcount"] for u in summary["units"]) == N_GOOD
    assert len(summary["units"]) == 59
    written = (out / "roster_summary.json").read_text()
    for value in personal_values():
        assert value not in captured.out and value not in captured.err
        assert value not in written


def test_cli_exit_codes(tmp_path, capsys):
    base = ["roster", "import", "--scenario", str(KOTABUMI), "--scale", "0.05"]
    base += ["--as-of", "2025-01-01", "--out", str(tmp_path / "out")]
    assert cli([*base, str(SAMPLE), "--strict"]) == 2
    captured = capsys.readouterr()
    assert "11 problems in 10 rows" in captured.err
    assert not (tmp_path / "out").exists()
    for value in personal_values():
        assert value not in captured.out + captured.err

    header, rows = read_sample()
    keep = [j for j, h in enumerate(header) if h != "unit_kerja"]
    no_unit = write_csv(
        tmp_path / "no_unit.csv", [header[j] for j in keep], [[r[j] for j in keep] for r in rows]
    )
    assert cli([*base, str(no_unit)]) == 2
    assert "missing required column(s): unit_kerja" in capsys.readouterr().err
    assert cli([*base, str(tmp_path / "missing.csv")]) == 2
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"not a zip file")
    assert cli([*base, str(garbage)]) == 2
    assert cli([*base, str(SAMPLE), "--map", "nonsense"]) == 2

    bad_rows = {row for row, *_ in SAMPLE_PROBLEMS}
    good_rows = [r for i, r in enumerate(rows, start=2) if i not in bad_rows]
    clean = write_csv(tmp_path / "clean.csv", header, good_rows[:20])
    renamed = write_csv(
        tmp_path / "renamed.csv", ["Kantor" if h == "unit_kerja" else h for h in header], good_rows
    )
    assert cli([*base, str(clean)]) == 0
    assert cli([*base, str(clean), "--strict"]) == 2  # an earlier import needs --force
    assert "--force" in capsys.readouterr().err
    assert cli([*base, str(clean), "--strict", "--force"]) == 0
    assert cli([*base, str(renamed), "--map", "unit_kerja=Kantor", "--force"]) == 0
    capsys.readouterr()


def test_model_runs_from_the_roster_and_keeps_personal_data_out(tmp_path, capsys):
    """The roster is the starting workforce; no NIP or name reaches any result file."""
    import csv

    from asnsim import ASNModel, load_scenario
    from asnsim.cli import main as cli_main
    from asnsim.roster import load_roster

    root = Path(__file__).parents[1]
    scenario = load_scenario(root / "scenarios" / "kotabumi.yaml", scale=0.05, horizon_years=1)
    sample = root / "data" / "sample_roster.csv"
    roster = load_roster(sample, scenario, as_of="2025-01-01")
    model = ASNModel(scenario, roster=roster)
    assert len(model.workforce) == len(roster)
    np.testing.assert_array_equal(model.workforce.unit, roster.people["unit"])
    np.testing.assert_allclose(model.workforce.age, roster.people["age"])
    model.run(progress=False)

    out = tmp_path / "run"
    code = cli_main(
        [
            "run",
            str(root / "scenarios" / "kotabumi.yaml"),
            "--scale",
            "0.05",
            "--years",
            "1",
            "--roster",
            str(sample),
            "--as-of",
            "2025-01-01",
            "--quiet",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    with open(sample, newline="", encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    secrets = {r[k].strip() for r in rows for k in ("NIP", "nama") if r.get(k, "").strip()}
    assert secrets
    blobs = [printed.encode()] + [p.read_bytes() for p in out.iterdir()]
    for secret in secrets:
        assert not any(secret.encode() in blob for blob in blobs), "personal data leaked"
    manifest = (out / "manifest.json").read_text()
    assert "roster_sha256" in manifest
