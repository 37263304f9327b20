"""Labels for people, in English (``en``, the default) or Bahasa Indonesia (``id``).

Official terms keep their Indonesian names in both languages: IKM and its bands (Sangat Baik,
Baik, Kurang Baik, Tidak Baik), the SKM elements (U1-U9), position types (JPT, administrator,
pengawas, fungsional, pelaksana), PNS and PPPK.
"""

from __future__ import annotations

__all__ = ["LANGS", "label", "sector_label"]

LANGS = ("en", "id")

_LABELS: dict[str, tuple[str, str]] = {
    # figure titles and axes
    "ikm_title": ("Citizen satisfaction (IKM)", "Kepuasan masyarakat (IKM)"),
    "ikm_axis": ("IKM (25-100)", "IKM (25-100)"),
    "ikm_survey": ("IKM (survey)", "IKM (survei)"),
    "ikm_true": ("IKM (true)", "IKM (nilai harapan)"),
    "waiting_title": ("Waiting", "Waktu tunggu"),
    "wait_mean": ("mean wait", "rata-rata tunggu"),
    "wait_p90": ("90th percentile", "persentil ke-90"),
    "abandoned_pct": ("abandoned (%)", "batal dilayani (%)"),
    "days_pct": ("working days / %", "hari kerja / %"),
    "backlog_title": ("Requests waiting (city)", "Permohonan menunggu (kota)"),
    "requests": ("requests", "permohonan"),
    "staff_title": ("Staff", "Pegawai"),
    "in_field_pct": ("staff in their field (%)", "pegawai sesuai bidang (%)"),
    "competency_x100": ("competency (x100)", "kompetensi (x100)"),
    "headcount": ("headcount", "jumlah pegawai"),
    "year": ("year", "tahun"),
    # printed summary
    "scenario": ("scenario", "skenario"),
    "seed": ("seed", "seed"),
    "scale": ("scale", "skala"),
    "years": ("years", "tahun"),
    "placement": ("placement", "penempatan"),
    "training": ("training", "pelatihan"),
    "standards": ("service standards", "standar pelayanan"),
    "working_days": ("working days", "hari kerja"),
    "col_year": ("year", "tahun"),
    "col_band": ("band", "mutu"),
    "col_true": ("true", "harapan"),
    "col_wait": ("wait", "tunggu"),
    "col_on_time": ("on time", "tepat"),
    "col_lost": ("lost", "batal"),
    "col_backlog": ("backlog", "antrean"),
    "col_in_field": ("in field", "sesuai"),
    "col_staff": ("staff", "pegawai"),
    "summary_note": (
        "IKM: citizen satisfaction index (PermenPANRB 14/2017), surveyed each semester; 'true' "
        "is its expected value. Waits in working days; 'lost' = citizens who gave up.",
        "IKM: indeks kepuasan masyarakat (PermenPANRB 14/2017), disurvei tiap semester; "
        "'harapan' adalah nilai harapannya. Waktu tunggu dalam hari kerja; 'batal' = warga "
        "yang menyerah menunggu.",
    ),
    "results_written": ("results written to", "hasil ditulis ke"),
}

_SECTORS: dict[str, tuple[str, str]] = {
    "health": ("health", "kesehatan"),
    "education": ("education", "pendidikan"),
    "civil_registry": ("civil registry (Dukcapil)", "kependudukan (Dukcapil)"),
    "licensing": ("licensing (DPMPTSP)", "perizinan (DPMPTSP)"),
    "social": ("social affairs", "sosial"),
    "public_works": ("public works", "pekerjaan umum"),
    "administration": ("general administration", "administrasi umum"),
}


def _check(lang: str) -> int:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    return LANGS.index(lang)


def label(key: str, lang: str = "en") -> str:
    """The label ``key`` in ``lang`` (``en`` or ``id``)."""
    return _LABELS[key][_check(lang)]


def sector_label(sector: str, lang: str = "en") -> str:
    """A sector's name in ``lang``; unknown sectors keep their own name."""
    i = _check(lang)
    return _SECTORS[sector][i] if sector in _SECTORS else sector
