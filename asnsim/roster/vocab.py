"""Spelling tables of roster files: column headers, education levels, fields, ranks, months.

Every table maps what a SIASN-like export (or a hand-made sheet) writes to the model's own
names; the cell parsers (:mod:`asnsim.roster.cells`) read them.
"""

from __future__ import annotations

__all__ = [
    "CANONICAL_COLUMNS",
    "EDUCATION_SPELLINGS",
    "FIELD_KEYWORDS",
    "HEADER_ALIASES",
    "MONTHS",
    "PANGKAT",
    "PPPK_NIP_CODE",
    "ROMAN",
    "SEX_WORDS",
]

CANONICAL_COLUMNS = (
    "nip",
    "nama",
    "tanggal_lahir",
    "golongan",
    "jenis_jabatan",
    "jenjang",
    "unit_kerja",
    "pendidikan",
    "jurusan",
    "status",
    "tmt_cpns",
    "jenis_kelamin",
)
"""The columns a roster may have, by their canonical (SIASN-like) names."""

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    # headers are compared lower-case with punctuation and underscores read as spaces
    "nip": ("nip", "nip baru", "nomor induk pegawai", "ni pppk", "nip ni pppk"),
    "nama": ("nama", "nama lengkap", "nama pegawai", "nama asn"),
    "tanggal_lahir": ("tanggal lahir", "tgl lahir", "tgl lhr", "tanggal lhr"),
    "golongan": ("golongan", "gol", "golongan ruang", "gol ruang", "pangkat golongan"),
    "jenis_jabatan": ("jenis jabatan", "jenis jab", "jabatan jenis", "tipe jabatan"),
    "jenjang": ("jenjang", "jenjang jabatan", "jenjang fungsional", "kelas jabatan jenjang"),
    "unit_kerja": ("unit kerja", "unor", "unit organisasi", "unit", "satuan kerja", "satker"),
    "pendidikan": (
        "pendidikan",
        "tingkat pendidikan",
        "pendidikan terakhir",
        "jenjang pendidikan",
    ),
    "jurusan": ("jurusan", "program studi", "prodi", "jurusan pendidikan", "bidang studi"),
    "status": ("status", "status pegawai", "status asn", "jenis asn", "jenis pegawai"),
    # not "tmt pns": a PNS is appointed a year or more after the start of service (TMT CPNS)
    "tmt_cpns": ("tmt cpns", "tmt pengangkatan", "tmt pppk"),
    "jenis_kelamin": ("jenis kelamin", "kelamin", "jk", "l p", "sex", "gender"),
}
"""Header spellings recognised for each canonical column without a ``mapping``."""

_EDUCATION_WORDS = {
    # compared lower-case with spaces and punctuation removed ("D-III" -> "diii", "S-1" -> "s1")
    "slta": "slta sma smu smk stm smea ma man spk paketc sltasederajat smasederajat"
    # below upper secondary: the model's lowest level (BKN counts SD-SMA as one group)
    " sd smp sltp mts paketa paketb",
    # diplomas D1-D3 (BKN groups D1-D4; D4 counts as S1 in the Indeks Profesionalitas)
    "d3": "d3 diii diploma3 diplomaiii d2 dii diploma2 diplomaii d1 di diploma1 diplomai "
    "sarjanamuda akademi",
    "s1": "s1 strata1 sarjana d4 div diploma4 diplomaiv profesi ners s1profesi",
    "s2": "s2 strata2 magister master spesialis sp1",
    "s3": "s3 strata3 doktor doktoral phd sp2",
}
EDUCATION_SPELLINGS: dict[str, str] = {
    word: level for level, words in _EDUCATION_WORDS.items() for word in words.split()
}
"""Spellings of the education levels (``pendidikan``), mapped to ``EDUCATION_LEVELS``."""

FIELD_KEYWORDS: tuple[tuple[str, str], ...] = (
    # First match wins; a keyword matches the start of a word of the jurusan, lower-case.
    # information technology before "teknik" and "manajemen" (Teknik/Manajemen Informatika)
    ("informatika", "information_technology"),
    ("sistem informasi", "information_technology"),
    ("ilmu komputer", "information_technology"),
    ("komputer", "information_technology"),
    ("teknologi informasi", "information_technology"),
    # health before "pendidikan" (the medical degree is "Pendidikan Dokter")
    ("kesehatan", "health"),  # Kesehatan Masyarakat, Kesehatan Lingkungan, Analis Kesehatan
    ("kedokteran", "health"),
    ("dokter", "health"),
    ("keperawatan", "health"),
    ("perawat", "health"),
    ("ners", "health"),
    ("kebidanan", "health"),
    ("bidan", "health"),
    ("farmasi", "health"),
    ("apoteker", "health"),
    ("gizi", "health"),
    ("fisioterapi", "health"),
    ("rekam medis", "health"),
    ("radiologi", "health"),
    ("epidemiologi", "health"),
    # education: teacher training
    ("pendidikan", "education"),  # Pendidikan Matematika, Pendidikan Guru SD, ...
    ("keguruan", "education"),
    ("pgsd", "education"),
    ("pgmi", "education"),
    ("paud", "education"),
    ("tarbiyah", "education"),
    ("bimbingan konseling", "education"),
    # law
    ("hukum", "law"),
    ("syariah", "law"),
    # administration and government
    ("administrasi", "administration"),
    ("pemerintahan", "administration"),
    ("kebijakan publik", "administration"),
    ("perkantoran", "administration"),
    ("kesekretariatan", "administration"),
    ("sekretari", "administration"),
    ("kearsipan", "administration"),
    # economics and business
    ("ekonomi", "economics"),
    ("akuntansi", "economics"),
    ("manajemen", "economics"),
    ("keuangan", "economics"),
    ("perbankan", "economics"),
    ("perpajakan", "economics"),
    ("bisnis", "economics"),
    ("pemasaran", "economics"),
    # social sciences
    ("sosial", "social_science"),  # Kesejahteraan Sosial, Ilmu Sosial
    ("sosiologi", "social_science"),
    ("psikologi", "social_science"),
    ("komunikasi", "social_science"),
    ("politik", "social_science"),
    ("hubungan internasional", "social_science"),
    ("antropologi", "social_science"),
    # engineering
    ("teknik", "engineering"),  # Teknik Sipil, Teknik Lingkungan, Teknik Mesin, ...
    ("arsitektur", "engineering"),
    ("planologi", "engineering"),
    ("perencanaan wilayah", "engineering"),
    ("geodesi", "engineering"),
    ("sipil", "engineering"),
    # everything else the model does not tell apart
    ("pertanian", "other"),
    ("agro", "other"),  # Agroteknologi, Agronomi
    ("agribisnis", "other"),
    ("peternakan", "other"),
    ("kehutanan", "other"),
    ("perikanan", "other"),
    ("ipa", "other"),  # upper-secondary streams (SMA IPA / IPS / Bahasa)
    ("ips", "other"),
    ("bahasa", "other"),
    ("umum", "other"),
)
"""Default mapping of a field of study (``jurusan``) to the scenario's field names.

Values the table does not match go to ``other`` (when the scenario has that field) and are
listed in the report; ``load_roster(..., fields={"Ilmu Pemerintahan": "law"})`` overrides it.
"""

PANGKAT = {
    "juru muda": 0,
    "juru muda tingkat i": 1,
    "juru": 2,
    "juru tingkat i": 3,
    "pengatur muda": 4,
    "pengatur muda tingkat i": 5,
    "pengatur": 6,
    "pengatur tingkat i": 7,
    "penata muda": 8,
    "penata muda tingkat i": 9,
    "penata": 10,
    "penata tingkat i": 11,
    "pembina": 12,
    "pembina tingkat i": 13,
    "pembina utama muda": 14,
    "pembina utama madya": 15,
    "pembina utama": 16,
}
_ROMAN_NUMERALS = "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII"
ROMAN = {r: i + 1 for i, r in enumerate(_ROMAN_NUMERALS.split())}
"""PPPK pay grades I ... XVII and their numbers."""
MONTHS = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "february", "feb", "pebruari"), 2),
    **dict.fromkeys(("maret", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "aug", "agu", "agt", "ags"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nov", "nop", "nopember"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}
"""Month names (Indonesian and English, full and short) and their numbers."""

SEX_WORDS = {
    **dict.fromkeys(("l", "lk", "laki laki", "laki", "pria", "male", "m", "1"), 1),
    **dict.fromkeys(("p", "pr", "perempuan", "wanita", "female", "f", "w", "2"), 2),
}
"""Spellings of ``jenis_kelamin``; the number is the NIP's sex digit (1 male, 2 female)."""

PPPK_NIP_CODE = "21"
"""In a PPPK number (NI PPPK) the two digits after the year of appointment are this code,
not a month (BKN)."""
