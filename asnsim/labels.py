"""Labels for people, in English (``en``, the default) or Bahasa Indonesia (``id``).

Official terms keep their Indonesian names in both languages: IKM and its bands (Sangat Baik,
Baik, Kurang Baik, Tidak Baik), the SKM elements (U1-U9), position types (JPT, administrator,
pengawas, fungsional, pelaksana), PNS and PPPK.

One table for the whole package: figures, the printed summary, the dashboard, policy
levers and sectors; :func:`label` is the one lookup.
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
    "ikm_seekers": (
        "satisfaction of all who sought service",
        "kepuasan seluruh pemohon layanan",
    ),
    "complaints": ("complaints", "pengaduan"),
    "ip_asn": ("Indeks Profesionalitas ASN", "Indeks Profesionalitas ASN"),
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
    "standards": ("service standards", "standar pelayanan"),
    "working_days": ("working days", "hari kerja"),
    "col_year": ("year", "tahun"),
    "col_band": ("band", "mutu"),
    "col_true": ("true", "harapan"),
    "col_seekers": ("seekers", "pemohon"),
    "col_wait": ("wait", "tunggu"),
    "col_on_time": ("on time", "tepat"),
    "col_lost": ("lost", "batal"),
    "col_backlog": ("backlog", "antrean"),
    "col_in_field": ("in field", "sesuai"),
    "col_staff": ("staff", "pegawai"),
    "summary_note": (
        "IKM: citizen satisfaction index (PermenPANRB 14/2017), surveyed each semester; 'true' "
        "is its expected value; 'seekers' counts everyone who sought service, those who gave "
        "up at the lowest score. Waits in working days; 'lost' = citizens who gave up.",
        "IKM: indeks kepuasan masyarakat (PermenPANRB 14/2017), disurvei tiap semester; "
        "'harapan' adalah nilai harapannya; 'pemohon' menghitung semua yang mencari layanan, "
        "yang menyerah dengan nilai terendah. Waktu tunggu dalam hari kerja; 'batal' = warga "
        "yang menyerah menunggu.",
    ),
    "waits_capped_warning": (
        "warning: {n} citizens waited {days} working days or more; their waits are counted as "
        "{days} (raise assumptions.queue_max_days)",
        "peringatan: {n} warga menunggu {days} hari kerja atau lebih; waktu tunggunya dihitung "
        "{days} (naikkan assumptions.queue_max_days)",
    ),
    "results_written": ("results written to", "hasil ditulis ke"),
    # policy levers, by the kind's name in the scenario (``lever_<kind>``)
    "lever_placement": ("placement", "penempatan"),
    "lever_training": ("training", "pelatihan"),
    "lever_appraisal": ("appraisal", "penilaian kinerja"),
    "lever_digital": ("digitalisation", "digitalisasi"),
    "lever_participation": ("participation", "partisipasi"),
    "lever_recruitment": ("recruitment", "rekrutmen"),
    "lever_change": ("change management", "manajemen perubahan"),
    # dashboard widgets (``policy_<kind>`` for a lever's choice)
    "app_title": ("asnsim: ASN personnel policy", "asnsim: kebijakan kepegawaian ASN"),
    "widget_city": ("City (scenario)", "Kota/kabupaten (skenario)"),
    "widget_scale": ("Scale (share of the real city)", "Skala (bagian dari kota sebenarnya)"),
    "widget_seed": ("Seed", "Seed"),
    "policy_placement": ("Placement policy", "Kebijakan penempatan"),
    "policy_training": ("Training policy", "Kebijakan pelatihan"),
    "policy_appraisal": ("Appraisal & allowance policy", "Kebijakan penilaian & tunjangan"),
    "policy_digital": ("Digitalisation policy", "Kebijakan digitalisasi"),
    "policy_participation": ("Citizen participation policy", "Kebijakan partisipasi masyarakat"),
    "policy_recruitment": ("Recruitment policy", "Kebijakan rekrutmen"),
    "policy_change": ("Change management policy", "Kebijakan manajemen perubahan"),
    # dashboard panels; ``{name}`` fields are filled by ``label(key, lang, name=...)``
    "ikm_semester": ("IKM (survey, each semester)", "IKM (survei, tiap semester)"),
    "first_survey": (
        "first SKM survey after {days} working days",
        "survei SKM pertama setelah {days} hari kerja",
    ),
    "no_data": ("no data yet: press Step or ▶", "belum ada data: tekan Step atau ▶"),
    "wait_title": (
        "Waiting time of citizens served (working days)",
        "Waktu tunggu warga terlayani (hari kerja)",
    ),
    "wait_daily": ("mean wait, each day", "rata-rata tunggu, harian"),
    "wait_smooth": ("mean wait, {n}-day mean", "rata-rata tunggu, rerata {n} hari"),
    "wait_year": ("mean wait, year", "rata-rata tunggu, tahunan"),
    "standard": ("service standard", "standar pelayanan"),
    "backlog_units": (
        "Waiting now: the {n} units with most requests",
        "Menunggu saat ini: {n} unit dengan permohonan terbanyak",
    ),
    "within_standard": ("within the standard", "dalam standar"),
    "past_standard": ("past the standard", "melewati standar"),
    "staff_fit_title": ("Staff fit", "Kesesuaian pegawai"),
    "motivation_x100": ("motivation (x100)", "motivasi (x100)"),
    "training_title": ("Training (JP)", "Pelatihan (JP)"),
    "jp20": ("PNS with 20 JP this year (%)", "PNS dengan 20 JP tahun ini (%)"),
    "away": ("staff away on training (%)", "pegawai sedang pelatihan (%)"),
    "spend": ("training spend, Rp million (bars)", "belanja pelatihan, juta Rp (batang)"),
    "no_training": (
        "training policy 'none': no courses planned",
        "kebijakan pelatihan 'none': tidak ada pelatihan",
    ),
    "day_of": (
        "working day {day} of {n} (year {year})",
        "hari kerja ke-{day} dari {n} (tahun ke-{year})",
    ),
    "latest_ikm": ("latest IKM", "IKM terakhir"),
    "waiting_now": ("requests waiting now", "permohonan menunggu saat ini"),
    "policies": ("policies", "kebijakan"),
    # sectors (``sector_<name>``; see sector_label)
    "sector_health": ("health", "kesehatan"),
    "sector_education": ("education", "pendidikan"),
    "sector_civil_registry": ("civil registry (Dukcapil)", "kependudukan (Dukcapil)"),
    "sector_licensing": ("licensing (DPMPTSP)", "perizinan (DPMPTSP)"),
    "sector_social": ("social affairs", "sosial"),
    "sector_public_works": ("public works", "pekerjaan umum"),
    "sector_administration": ("general administration", "administrasi umum"),
    # the brief (asnsim brief): outcomes, by their column name (``outcome_<name>``)
    "outcome_ikm": ("IKM (survey)", "IKM (survei)"),
    "outcome_ikm_true": ("expected IKM", "IKM (nilai harapan)"),
    "outcome_ikm_seekers": (
        "satisfaction of all who sought service",
        "kepuasan seluruh pemohon layanan",
    ),
    "outcome_wait_mean_days": ("mean wait", "rata-rata waktu tunggu"),
    "outcome_wait_p90_days": ("wait, 90th percentile", "waktu tunggu, persentil ke-90"),
    "outcome_on_time_share": ("share served within the standard", "bagian dilayani tepat waktu"),
    "outcome_abandon_rate": ("share who gave up waiting", "bagian yang batal dilayani"),
    "outcome_rework_rate": ("share served again (rework)", "bagian yang dilayani ulang"),
    "outcome_backlog": ("requests waiting", "permohonan menunggu"),
    "outcome_matched_share": ("staff in their field", "pegawai sesuai bidang"),
    "outcome_competency_mean": ("mean competency", "rata-rata kompetensi"),
    "outcome_motivation_mean": ("mean motivation", "rata-rata motivasi"),
    "outcome_jp20_share": ("PNS with 20 JP", "PNS dengan 20 JP"),
    "outcome_ip_asn": ("Indeks Profesionalitas ASN", "Indeks Profesionalitas ASN"),
    "outcome_headcount": ("headcount", "jumlah pegawai"),
    "outcome_vacancies": ("vacancies", "formasi kosong"),
    "outcome_total_spend": ("spend in the final year", "belanja tahun terakhir"),
    "outcome_cum_total_spend": ("spend over the horizon", "belanja selama periode"),
    "outcome_cost": ("cost", "biaya"),
    "outcome_cost_per_ikm_point": ("cost per IKM point", "biaya per poin IKM"),
    # the brief's units
    "unit_points": ("points", "poin"),
    "unit_days": ("working days", "hari kerja"),
    "unit_pp": ("percentage points", "poin persen"),
    # the brief's sections
    "brief_title": ("Policy brief", "Ringkasan kebijakan"),
    "brief_question": ("The question", "Pertanyaan"),
    "brief_options": ("The options", "Pilihan kebijakan"),
    "brief_answer": ("The answer", "Jawaban"),
    "brief_details": ("Each option, outcome by outcome", "Setiap pilihan, per hasil"),
    "brief_costs": ("Costs", "Biaya"),
    "brief_figures": ("Figures", "Gambar"),
    "brief_depends": ("What the answer depends on", "Jawaban ini bergantung pada"),
    "brief_assumptions": ("Assumptions and their sources", "Asumsi dan sumbernya"),
    "brief_all_assumptions": (
        "Appendix: every assumption of the model",
        "Lampiran: seluruh asumsi model",
    ),
    "brief_reproduce": ("How to reproduce it", "Cara mengulanginya"),
    "brief_no_question": (
        "The folder does not record the question.",
        "Folder ini tidak mencatat pertanyaannya.",
    ),
    "brief_baseline": ("the comparison's reference", "pembanding"),
    "brief_current": ("the current policy", "kebijakan saat ini"),
    # the dashboard's results page
    "results_title": ("Saved results", "Hasil tersimpan"),
    "results_folder": ("Result folder", "Folder hasil"),
    "results_hint": (
        "Type the path of a folder written by asnsim compare, robust or optimise, then Enter.",
        "Ketik path folder yang ditulis asnsim compare, robust atau optimise, lalu Enter.",
    ),
    "results_kind_compare": ("Paired comparison", "Perbandingan berpasangan"),
    "results_kind_robust": ("Robust study", "Studi robust"),
    "results_kind_optimise": ("Pareto front", "Garis Pareto"),
    "results_write_brief": ("Write the brief", "Tulis ringkasan"),
    "results_brief_written": ("brief written:", "ringkasan ditulis:"),
    "brief_generated": (
        "Written by asnsim {version} from {folder}.",
        "Ditulis oleh asnsim {version} dari {folder}.",
    ),
}


def _check(lang: str) -> int:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    return LANGS.index(lang)


def label(key: str, lang: str = "en", default: str | None = None, **fields: object) -> str:
    """The label ``key`` in ``lang`` (``en`` or ``id``), its ``{name}`` fields filled in.

    Args:
        key: The label's key.
        lang: ``en`` or ``id``.
        default: Returned when there is no label ``key`` (e.g. a new lever's own name).
        **fields: Values of the label's ``{name}`` fields.

    Raises:
        ValueError: If ``lang`` is not ``en`` or ``id``.
        KeyError: If there is no label ``key`` and no ``default``.
    """
    i = _check(lang)
    if key not in _LABELS and default is not None:
        return default
    text = _LABELS[key][i]
    return text.format(**fields) if fields else text


def sector_label(sector: str, lang: str = "en") -> str:
    """A sector's name in ``lang``; unknown sectors keep their own name."""
    key = f"sector_{sector}"
    return label(key, lang) if key in _LABELS else sector
