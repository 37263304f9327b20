"""Write data/sample_roster.csv: a SYNTHETIC employee roster for scenarios/kotabumi.yaml.

Every row is invented (names, NIPs, dates); no real person is described. The roster is the
starting workforce of Kabupaten Lampung Utara at ``scale=0.05`` (415 people over the
scenario's 59 expanded units, split as the model splits its own synthetic workforce), dated
1 January 2025, with Kotabumi's challenge built in: only about 35% of health staff studied a
health field (45% elsewhere). Ten deliberately bad rows follow the kinds the importer
reports (see data/sample_roster_README.md). Every good row's NIP agrees with its birth date,
start of service (TMT CPNS), sex and status, as BKN builds NIPs.

    .venv/bin/python data/make_sample_roster.py      # rewrites data/sample_roster.csv

The output depends only on SEED and the scenario file.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np

from asnsim.people import ENTRY_RANK, RANK_NAMES, retirement_age
from asnsim.roster import CANONICAL_COLUMNS
from asnsim.scenario import FUNCTIONAL_LEVELS, POSITION_TYPES, load_scenario
from asnsim.units import build_units
from asnsim.workforce import apportion

SEED = 20250101
AS_OF = date(2025, 1, 1)
SCALE = 0.05
HERE = Path(__file__).parent
SCENARIO = HERE.parent / "scenarios" / "kotabumi.yaml"
OUT = HERE / "sample_roster.csv"
HEADERS = ["NIP", *CANONICAL_COLUMNS[1:], "catatan"]  # as a SIASN export spells them
SEX = {1: "L", 2: "P"}  # laki-laki, perempuan: the NIP's sex digit
NOTE = "data sintetis / synthetic"

_FIRST = (
    "Agus Andi Ahmad Budi Dedi Eko Fajar Hendra Irfan Joko Rudi Slamet Wahyu Yusuf Rizki "
    "Ani Dewi Fitri Indah Lestari Maya Nur Putri Rina Sari Siti Sri Wulan Yuni Ratna"
)
_LAST = (
    "Saputra Wijaya Pratama Hidayat Kurniawan Setiawan Santoso Nugroho Susanto Gunawan "
    "Rahmawati Handayani Lestari Wulandari Permata Safitri Anggraini Yulianti Marlina Utami"
)
_MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
FIRST, LAST, MONTHS_ID = _FIRST.split(), _LAST.split(), _MONTHS.split()

# jurusan written in the roster, by the scenario's field names
JURUSAN = {
    "health": ["Kesehatan Masyarakat", "Keperawatan", "Kebidanan", "Farmasi", "Gizi",
               "Pendidikan Dokter", "Analis Kesehatan"],
    "education": ["Pendidikan Guru Sekolah Dasar", "Pendidikan Matematika",
                  "Pendidikan Bahasa Indonesia", "Pendidikan Agama Islam", "PGSD"],
    "law": ["Ilmu Hukum", "Hukum Tata Negara", "Syariah"],
    "economics": ["Ekonomi", "Akuntansi", "Manajemen", "Ekonomi Pembangunan"],
    "administration": ["Administrasi Negara", "Ilmu Administrasi Publik", "Ilmu Pemerintahan",
                       "Administrasi Perkantoran"],
    "social_science": ["Sosiologi", "Ilmu Komunikasi", "Kesejahteraan Sosial", "Psikologi"],
    "engineering": ["Teknik Sipil", "Arsitektur", "Teknik Lingkungan", "Teknik Mesin"],
    "information_technology": ["Teknik Informatika", "Sistem Informasi", "Manajemen Informatika"],
    "other": ["Agroteknologi", "Peternakan", "IPA", "IPS"],
}  # fmt: skip
JURUSAN_SLTA = {  # SMA streams and SMK programmes
    "health": ["Farmasi", "Keperawatan"],
    "economics": ["Akuntansi", "Pemasaran"],
    "administration": ["Administrasi Perkantoran"],
    "engineering": ["Teknik Bangunan", "Teknik Mesin"],
    "information_technology": ["Teknik Komputer dan Jaringan"],
    "other": ["IPA", "IPS", "Bahasa"],
}
JURUSAN_D3 = {
    "health": ["Keperawatan", "Kebidanan", "Farmasi", "Gizi", "Analis Kesehatan"],
    "education": ["PGSD"],
}
FUNCTIONAL_EDU = {"slta": 0.08, "d3": 0.22, "s1": 0.55, "s2": 0.13, "s3": 0.02}
POSITION_TEXT = {
    "jpt": ["JPT Pratama", "Jabatan Pimpinan Tinggi Pratama"],
    "administrator": ["Jabatan Administrator", "Administrator"],
    "pengawas": ["Jabatan Pengawas", "Pengawas"],
    "fungsional": ["Jabatan Fungsional", "Fungsional"],
    "pelaksana": ["Jabatan Pelaksana", "Pelaksana"],
}
EDU_TEXT = {
    "slta": ["SLTA", "SMA", "SMK"],
    "d3": ["D-III", "D3"],
    "s1": ["S1", "S-1", "D-IV"],
    "s2": ["S2"],
    "s3": ["S3"],
}
_ROMAN = "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII"
RANKS, ROMAN = list(RANK_NAMES), _ROMAN.split()  # PNS ranks; PPPK grades I ... XVII
# the ten deliberately bad rows, each a copy of a good row with one thing wrong (one with
# two), inserted at fixed places: (spreadsheet row, change)
BAD = [
    (7, {"tanggal_lahir": "31-02-1985"}),  # not a date
    (58, {"tanggal_lahir": "14-08-2031"}),  # in the future
    (119, {"tanggal_lahir": "03-04-2010"}),  # 14 years old
    (
        176,
        {"tanggal_lahir": "15-06-1964", "jenis_jabatan": "Jabatan Pelaksana", "jenjang": ""},
    ),  # 60.5, past the BUP of 58
    (233, {"golongan": "V/a"}),  # no such rank
    (290, {"jenis_jabatan": "Tenaga Honorer"}),  # not an ASN position type
    (347, {"pendidikan": "Kursus"}),  # not an education level
    (404, {"unit_kerja": "Puskesmas 28", "golongan": "III/f"}),  # 27 puskesmas; no III/f
    (418, {"NIP": "17 digits"}),  # a NIP one digit short
    (424, {"jenis_kelamin": "swap"}),  # the NIP's sex digit says otherwise
]


def dmy(d: date) -> str:
    """A date as SIASN-style exports write it: dd-mm-yyyy."""
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def _bad_row_nip(template: dict, change: dict, rng, used_nips: set[str]) -> str:
    """A new NIP for a bad row, agreeing with its (changed) date of birth where it can.

    A birth date that cannot head a NIP (unreadable, or after the start of service) keeps
    the template's NIP if unreadable (nothing to compare), else gets no NIP at all.
    """
    nip = template["NIP"]
    if "NIP" in change:
        return nip[:17]
    born = change.get("tanggal_lahir")
    if born is not None:
        d, m, y = born.split("-")
        if not (1 <= int(m) <= 12 and 1 <= int(d) <= 28):
            pass  # unreadable: keep the NIP
        elif f"{y}{m}" > nip[8:14]:
            return ""  # born after the NIP's start of service: no NIP could say so
        else:
            nip = f"{y}{m}{d}{nip[8:]}"
    while True:
        new = f"{nip[:15]}{int(rng.integers(1, 1000)):03d}"
        if new not in used_nips:
            used_nips.add(new)
            return new


def main() -> None:
    """Draw the roster and write it."""
    rng = np.random.default_rng(SEED)
    scenario = load_scenario(SCENARIO, scale=SCALE)
    units = build_units(scenario)
    wf = scenario.city.workforce
    headcount = round(wf.headcount * SCALE)
    staff = apportion(headcount, units.formation * units.staffing_weight, units.formation)
    used_nips: set[str] = set()
    rows = [
        _person(rng, scenario, units, u, used_nips) for u, n in enumerate(staff) for _ in range(n)
    ]
    for row_no, change in BAD:
        template = dict(rows[row_no % len(rows)])
        template.update(change, NIP=_bad_row_nip(template, change, rng, used_nips))
        template["nama"] = f"{FIRST[row_no % len(FIRST)]} Kusuma"
        if change.get("jenis_kelamin") == "swap":
            template["jenis_kelamin"] = "P" if template["NIP"][14] == "1" else "L"
        rows.insert(row_no - 2, template)  # row 1 is the header
    with OUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=HEADERS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {OUT}: {len(rows)} rows ({headcount} good, {len(BAD)} bad), as of {AS_OF}")


def _person(rng, scenario, units, u: int, used_nips: set[str]) -> dict[str, str]:
    """One good row of unit ``u`` (the order of the draws is the roster's definition)."""
    wf = scenario.city.workforce
    sector = units.sectors[units.sector[u]]
    pppk = rng.random() < wf.pppk_share
    position, edu = _post(rng, wf, pppk, frontline=sector in ("health", "education"))
    fld = _field(rng, scenario, units, u, sector)
    age, born, start = _dates(rng, position, pppk)
    rank, golongan = _rank(rng, scenario, edu, position, pppk, start)
    level = _level(position, edu, rank)
    # a few staff in JPT and senior functional posts are older than 58 (BUP 60/65)
    bup = _bup(position, level)
    if bup > 58 and not pppk and rng.random() < 0.3:
        age = float(rng.uniform(58.2, bup - 0.3))
        born = date.fromordinal(AS_OF.toordinal() - round(age * 365.2425))
    sex = int(rng.integers(1, 3))
    nip = _new_nip(rng, born, start, pppk, sex, used_nips)
    name = f"{FIRST[rng.integers(len(FIRST))]} {LAST[rng.integers(len(LAST))]}"
    return {
        "NIP": nip,
        "nama": name,
        "tanggal_lahir": _born_text(rng, born),
        "golongan": golongan,
        "jenis_jabatan": "",  # drawn below, in the order of the original generator
        "jenjang": "",
        "unit_kerja": _unit_text(rng, units.name[u]),
        **_texts(rng, position, level, edu, fld),
        "status": "PPPK" if pppk else "PNS",
        "tmt_cpns": dmy(start),
        "jenis_kelamin": SEX[sex],
        "catatan": NOTE,
    }


def _post(rng, wf, pppk: bool, frontline: bool) -> tuple[str, str]:
    """Position type and education: PPPK are frontline staff; managers have degrees."""
    if pppk:
        position = rng.choice(["fungsional", "pelaksana"], p=[0.7, 0.3])
    elif frontline:
        position = rng.choice(
            ["administrator", "pengawas", "fungsional", "pelaksana"], p=[0.01, 0.04, 0.75, 0.20]
        )
    else:
        position = rng.choice(
            ["jpt", "administrator", "pengawas", "fungsional", "pelaksana"],
            p=[0.015, 0.05, 0.12, 0.3, 0.515],
        )
    mix = FUNCTIONAL_EDU if position == "fungsional" else wf.education_mix
    edu = rng.choice(list(mix), p=list(mix.values()))
    if position in ("jpt", "administrator") and edu in ("slta", "d3"):
        edu = "s1"
    if position == "jpt":
        edu = "s2"
    return str(position), str(edu)


def _field(rng, scenario, units, u: int, sector: str) -> str:
    """Field of study: Kotabumi's mismatch (35% match in health, 45% elsewhere)."""
    wf = scenario.city.workforce
    fields = list(wf.field_mix)
    field_p = np.array([wf.field_mix[f] for f in fields])
    ok = np.array([f in scenario.sectors[sector] for f in fields])
    fits = rng.random() < units.field_match_share[u]
    p = np.where(ok == fits, field_p, 0.0)
    return fields[rng.choice(len(fields), p=p / p.sum())]


def _dates(rng, position: str, pppk: bool) -> tuple[float, date, date]:
    """Age, birth date and start of service (PPPK since 2019)."""
    # managers are senior: JPT from 45, administrator from 38, pengawas from 30
    lo = {"jpt": 45.0, "administrator": 38.0, "pengawas": 30.0}.get(position, 23.0)
    lo, hi = (24.0, 52.0) if pppk else (lo, 57.7)
    age = float(np.clip(rng.normal(43.0, 9.0), lo, hi))
    born = date.fromordinal(AS_OF.toordinal() - round(age * 365.2425))
    if pppk:
        start = date(int(rng.integers(2019, 2025)), int(rng.choice([1, 3, 7])), 1)
    else:
        back = max(0.2, age - rng.uniform(22.0, 30.0))
        s = date.fromordinal(AS_OF.toordinal() - round(back * 365.2425))
        start = date(s.year, s.month, 1)
    return age, born, start


def _rank(rng, scenario, edu: str, position: str, pppk: bool, start: date) -> tuple[int, str]:
    """Rank (PPPK: the grade of their education) and how the roster writes it."""
    if pppk:
        rank = ENTRY_RANK[edu]  # grade V ... XI
        return rank, ROMAN[rank]
    tenure = (AS_OF - start).days / 365.2425
    cap = RANKS.index(scenario.assumptions.rank_cap_by_education[edu])
    rank = min(ENTRY_RANK[edu] + int(tenure // 4), cap)
    rank = max(rank, {"jpt": 14, "administrator": 11, "pengawas": 9}.get(position, 0))
    golongan = RANKS[rank]
    if rng.random() < 0.1:
        golongan = golongan.upper()
    return rank, golongan


def _level(position: str, edu: str, rank: int) -> str:
    """Functional level: keterampilan below S1; the ahli levels follow the rank."""
    if position != "fungsional":
        return ""
    if edu in ("slta", "d3"):
        return "keterampilan"
    return ("ahli_pertama", "ahli_muda", "ahli_madya", "ahli_utama")[
        (rank >= 10) + (rank >= 12) + (rank >= 15)
    ]


def _bup(position: str, level: str) -> float:
    lv = FUNCTIONAL_LEVELS.index(level) if level else -1
    return float(retirement_age(np.array([POSITION_TYPES.index(position)]), np.array([lv]))[0])


def _new_nip(rng, born: date, start: date, pppk: bool, sex: int, used_nips: set[str]) -> str:
    """A NIP as BKN builds it: birth date, TMT (PPPK: year and 21), sex, sequence."""
    while True:
        middle = f"{start.year}21" if pppk else f"{start.year}{start.month:02d}"
        nip = f"{born:%Y%m%d}{middle}{sex}{int(rng.integers(1, 1000)):03d}"
        if nip not in used_nips:
            used_nips.add(nip)
            return nip


def _born_text(rng, born: date) -> str:
    style = rng.random()
    if style < 0.9:
        return dmy(born)
    if style < 0.95:
        return born.isoformat()
    return f"{born.day} {MONTHS_ID[born.month - 1]} {born.year}"


def _unit_text(rng, name: str) -> str:
    return name.lower() if rng.random() < 0.01 else name  # a hand-typed cell; case is ignored


def _texts(rng, position: str, level: str, edu: str, fld: str) -> dict[str, str]:
    """The position, level, education and jurusan cells, in a roster's spellings."""
    jenjang = ""
    if level == "keterampilan":
        jenjang = str(rng.choice(["Terampil", "Mahir", "Penyelia"]))
    elif level:
        jenjang = level.replace("_", " ").title()
    words = JURUSAN_SLTA if edu == "slta" else JURUSAN
    if edu == "d3":
        words = {**JURUSAN, **JURUSAN_D3}
    choices = words.get(fld) or JURUSAN_SLTA["other"]
    return {
        "jenis_jabatan": str(rng.choice(POSITION_TEXT[position])),
        "jenjang": jenjang,
        "pendidikan": str(rng.choice(EDU_TEXT[edu])),
        "jurusan": str(rng.choice(choices)),
    }


if __name__ == "__main__":
    main()
