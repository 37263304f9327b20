"""Labels for people, in English (``en``, the default) or Bahasa Indonesia (``id``).

Official terms keep their Indonesian names in both languages: IKM and its bands (Sangat Baik,
Baik, Kurang Baik, Tidak Baik), the SKM elements (U1-U9), position types (JPT, administrator,
pengawas, fungsional, pelaksana), PNS and PPPK.

One table for the whole package: figures, the printed summary, the dashboard, policy
levers and sectors; :func:`label` is the one lookup.
"""

from __future__ import annotations

__all__ = ["LANGS", "REASONS_ID", "label", "sector_label"]

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
    "outcome_cost_per_year": ("cost per year", "biaya per tahun"),
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


REASONS_ID: dict[str, str] = {
    "hours_per_day": "[jam/hari] Jam kerja: 37,5 jam seminggu bagi ASN (Perpres 21/2023).",
    "service_share": "[proporsi] Bagian jam kerja untuk layanan masyarakat unit, menurut jenis "
    "jabatan; pejabat sebagian besar mengelola (asumsi).",
    "absence_rate": "[proporsi] Hari tidak masuk karena cuti atau sakit: 12 hari cuti dari 250, "
    "ditambah sakit.",
    "ramp_start": "[x] Produktivitas pegawai baru pada hari pertama dibandingkan rekan yang "
    "sudah mahir.",
    "ramp_days": "[hari kerja] Pegawai baru mencapai produktivitas penuh dalam 3-5 bulan "
    "(Rollag 2005).",
    "competency_by_education": "[0-1] Kompetensi teknis di sektor mana pun dari pendidikan umum "
    "(asumsi; batas bawah yang tidak pernah menurun).",
    "field_match_bonus": "[0-1] Tambahan kompetensi yang menetap di sektor yang sesuai dengan "
    "bidang pendidikan (asumsi).",
    "mismatch_ceiling": "[0-1] Kompetensi yang dapat dicapai lewat praktik oleh pegawai yang "
    "tidak sesuai bidangnya; 0,75-0,90 (Yuen 2010; Nordin dkk. 2010).",
    "learning_half_life_days": "[hari kerja] Praktik menutup separuh jarak ke batas atas dalam "
    "setahun.",
    "skill_half_life_days": "[hari kerja] Keterampilan yang tidak dipakai kehilangan separuh "
    "kelebihannya di atas batas bawah dalam 6,5-13 bulan (Arthur dkk. 1998).",
    "training_lasting_share": "[proporsi] Bagian hasil pelatihan di tempat kerja yang menetap "
    "(menaikkan batas yang dapat dicapai lewat praktik): 62/44/34 % peserta menerapkan "
    "pelatihan pada bulan 0/6/12 (Saks & Belcourt 2006), sesuai dengan dataran 21,5/62 ≈ 0,35 "
    "ditambah bagian yang hilang dalam sekitar setahun; rentang 0,2-0,5.",
    "training_half_life_years": "[tahun] Waktu paruh bagian hasil pelatihan yang menetap "
    "(asumsi: Saks & Belcourt 2006 hanya mengikuti peserta selama setahun); rentang 1-6.",
    "training_lasting_max_sd": "[SD] Pelatihan tidak menahan siapa pun lebih dari sekian SD "
    "kompetensi yang dilatih di atas capaian praktik saja: pelatihan berulang menambah, tidak "
    "bertumpuk (asumsi; rentang 0,5-2).",
    "competency_sd": "[0-1] Sebaran individual kompetensi awal.",
    "motivation_sd": "[0-1] Sebaran individual motivasi awal.",
    "motivation_rate": "[1/hari] Tarikan harian motivasi menuju targetnya (waktu paruh sekitar "
    "70 hari).",
    "motivation_target": "[0-1] Motivasi acuan: produktivitas dan risiko keluar normal pada "
    "tingkat ini; tiap pegawai menetap pada tingkatnya sendiri (rata-rata kota ± sebaran) "
    "dikurangi beban berlebih (asumsi).",
    "overload_weight": "[0-1 per hari tunggakan] Motivasi yang hilang per hari-standar "
    "tunggakan di atas satu (asumsi).",
    "overload_cap": "[hari-standar tunggakan] Beban berlebih yang tidak lagi menurunkan "
    "motivasi, juga beban unit yang memiliki permohonan menunggu tanpa pegawai yang melayani "
    "(asumsi).",
    "motivation_productivity": "[x per satuan] Produktivitas = 1 + nilai ini × (motivasi − "
    "target); usaha ±0,15 SD (Hasnain dkk. 2012).",
    "patience_multiple": "[x standar] Rata-rata kesabaran warga dalam kelipatan standar "
    "pelayanan (Zohar dkk. 2002); skala Weibull adalah nilai ini / Γ(1 + 1/patience_shape).",
    "patience_shape": "[bentuk Weibull] Risiko menyerah naik seiring lamanya menunggu (Gans "
    "dkk. 2003).",
    "queue_max_days": "[hari kerja] Waktu tunggu terpanjang yang dicatat per hari; tunggu yang "
    "lebih lama berbagi hari terakhir (numerik, bukan perilaku).",
    "error_rate_novice": "[proporsi] Bagian permohonan yang dilayani keliru oleh pegawai tanpa "
    "kompetensi.",
    "error_rate_expert": "[proporsi] Bagian permohonan yang dilayani keliru oleh pegawai yang "
    "sepenuhnya kompeten.",
    "rework_return_share": "[proporsi] Bagian warga yang dilayani keliru yang datang kembali "
    "(pengerjaan ulang).",
    "complaint_share_abandoned": "[proporsi] Bagian warga yang menyerah yang menyampaikan "
    "pengaduan bila penanganan pengaduan berjalan penuh (asumsi; rentang 0,02-0,3).",
    "complaint_share_wrong": "[proporsi] Bagian warga yang dilayani keliru yang menyampaikan "
    "pengaduan bila penanganan pengaduan berjalan penuh (asumsi; rentang 0,05-0,4).",
    "complaint_voice_min": "[proporsi] Bagian pengaduan tersebut yang tetap disampaikan di unit "
    "tanpa penanganan pengaduan sama sekali; sisanya memerlukan saluran yang berfungsi "
    "(asumsi; rentang 0,2-0,8).",
    "digital_support": "[x] Tambahan produktivitas pada kematangan digital unit dan kompetensi "
    "digital pegawai yang penuh.",
    "managerial_effect": "[x per satuan] Produktivitas unit × (1 + nilai ini × (rata-rata "
    "kompetensi manajerial pejabatnya − 0,5)); praktik manajemen sejalan dengan keluaran "
    "layanan sipil (Rasul & Rogger 2018, Economic Journal 128).",
    "managerial_reference": "[0-1] Rata-rata kompetensi manajerial pejabat yang tidak menaikkan "
    "maupun menurunkan produktivitas unit; unit tanpa pejabat dianggap berada di sini (asumsi: "
    "tengah skala).",
    "pns_exit_rate": "[1/tahun] PNS keluar atas kemauan sendiri 0,5%/tahun (0,2-1%; analog BLS "
    "JOLTS).",
    "pppk_exit_rate": "[1/tahun] PPPK keluar atas kemauan sendiri selama kontrak; kontrak yang "
    "tidak diperpanjang dihitung terpisah (pppk_renewal_probability). Asumsi: dua kali tingkat "
    "PNS (DOMAIN.md: PPPK keluar 2-5%/tahun seluruhnya).",
    "pppk_contract_years": "[tahun] Lama kontrak PPPK, diperpanjang per masa sejak tanggal "
    "pengangkatan (PP 49/2018 pasal 37: 1-5 tahun; asumsi: yang terpanjang).",
    "pppk_renewal_probability": "[proporsi] Peluang kontrak PPPK diperpanjang di akhir masanya; "
    "jika tidak, pegawai keluar (dihitung sebagai tidak diperpanjang). Asumsi: dengan masa 5 "
    "tahun, sekitar 2%/tahun keluar karena tidak diperpanjang, yang bersama keluar sukarela "
    "memberi 2-5%/tahun menurut DOMAIN.md.",
    "newcomer_resignation_probability": "[proporsi] Pegawai baru yang ditempatkan sesuai "
    "bidangnya tetapi mengundurkan diri sebelum bertugas (OBSERVED.md §1.8: 90 dari 112.513 "
    "CPNS 2021).",
    "unwanted_placement_resignation_probability": "[proporsi] Pegawai baru yang ditempatkan di "
    "luar formasi yang dilamarnya (dalam model: jabatan yang tidak sesuai bidangnya) dan "
    "mengundurkan diri sebelum bertugas (OBSERVED.md §1.8: 1.967 dari 16.167 CPNS 2024 yang "
    "ditempatkan lewat optimalisasi).",
    "exit_motivation_elasticity": "[1/satuan] Risiko keluar × exp(−nilai ini × (motivasi − "
    "target)); korelasi kepuasan dengan niat keluar r≈−0,5.",
    "promotion_interval_years": "[tahun] Kenaikan pangkat reguler setiap 4 tahun (PP 99/2000).",
    "newcomer_age_mean": "[tahun] Rata-rata usia pegawai baru (asumsi).",
    "newcomer_age_sd": "[tahun] Sebaran usia pegawai baru (asumsi).",
    "recruit_years_before_bup": "[tahun] Pegawai baru berusia paling sedikit sekian tahun di "
    "bawah batas usia pensiun (BUP) jabatannya (asumsi).",
    "serving_age_min": "[tahun] Usia termuda pegawai yang bertugas pada tenaga kerja awal; ASN "
    "berusia paling rendah 18 tahun saat masuk (PP 11/2017 pasal 23; asumsi).",
    "entry_age_min": "[tahun] Usia termuda saat masuk dinas bagi pegawai yang tanggal masuknya "
    "tidak diketahui (seragam; PP 11/2017 pasal 23 membolehkan 18-35; asumsi).",
    "entry_age_max": "[tahun] Usia tertua saat masuk dinas bagi pegawai yang tanggal masuknya "
    "tidak diketahui (seragam; kebanyakan masuk setelah lulus sarjana; asumsi).",
    "pppk_tenure_max": "[tahun] Masa kerja PPPK diambil sampai batas ini: PPPK pertama diangkat "
    "tahun 2019 (PP 49/2018; DOMAIN.md: 50.553 PPPK pada Desember 2021).",
    "posting_years_max": "[tahun] Lama di jabatan sekarang diambil sampai batas ini: satu "
    "penempatan paling lama 5 tahun (DOMAIN.md, mutasi).",
    "prior_practice_years": "[tahun] Pegawai yang bertugas telah berpraktik di sektornya sampai "
    "selama ini sebelum penempatan sekarang (seragam; asumsi).",
    "rank_cap_by_education": "[pangkat] Pangkat tertinggi kenaikan pangkat reguler menurut "
    "pendidikan: 6-7 tingkat di atas pangkat awal (PP 99/2000), batas tanpa jabatan struktural "
    "(asumsi).",
    "digital_sd": "[0-1] Sebaran individual kompetensi digital awal (asumsi).",
    "managerial_mean": "[0-1] Rata-rata kompetensi manajerial awal (asumsi).",
    "managerial_sd": "[0-1] Sebaran individual kompetensi manajerial awal (asumsi).",
    "resistance_sd": "[0-1] Sebaran individual resistensi awal terhadap perubahan (asumsi).",
    "u3_tolerance": "[x standar] Waktu tunggu, dalam kelipatan standar pelayanan, saat kepuasan "
    "U3 tinggal separuh (Maister 1985).",
    "u3_steepness": "[-] Seberapa tajam kepuasan U3 turun setelah melewati batas toleransi "
    "(asumsi).",
    "elements": "[q = intersep + kemiringan × pendorong] Tanggapan unsur SKM; dikalibrasi pada "
    "IKM 78-88 (nilai dasar DOMAIN.md).",
    "survey_shift_unit_run": "[kecenderungan] Jawaban lebih ramah bila unit menyurvei dirinya "
    "sendiri: survei internal Dukcapil pusat 91,69 dibandingkan 82,3, rata-rata tingkat "
    "kab/kota oleh pihak ketiga (Luwu Utara, Lampung Barat, Madiun; OBSERVED.md §2.2), selisih "
    "9,4 poin IKM = 75 × 0,125.",
    "survey_shift_university": "[kecenderungan] Jawaban lebih ramah dalam survei oleh mitra "
    "perguruan tinggi: Payakumbuh 93,88 (LPPM Unand) dibandingkan 82,3, rata-rata tingkat "
    "kab/kota oleh pihak ketiga (OBSERVED.md §2.2), selisih 11,6 poin IKM = 75 × 0,155.",
    "unit_attribute_spread": "[proporsi dari m(1 - m)] Sebaran kematangan digital, sarana, "
    "penanganan pengaduan dan beban biaya suatu unit di sekitar nilai skenario m (Beta, "
    "varians = sebaran × m(1 - m)); ditetapkan bersama unit_attribute_correlation agar unit "
    "tersebar seperti di Madiun (84-94,45, OBSERVED.md §2.2).",
    "unit_attribute_correlation": "[-] Bagian undian atribut unit yang berasal dari satu faktor "
    "mutu unit (unit yang dikelola dengan baik cenderung baik pada keempatnya; asumsi).",
    "survey_max_respondents": "[orang] Responden paling banyak per unit per semester "
    "(Krejcie-Morgan memerlukan paling banyak 384).",
    "abandoned_score": "[skor SKM 1-4] Nilai pada setiap unsur, dalam ikm_seekers, bagi warga "
    "yang menyerah: terendah (tidak baik, PermenPANRB 14/2017; asumsi; rentang 1-2).",
    "discipline_sanctioned_share": "[proporsi] Bagian PNS dengan catatan hukuman disiplin, yang "
    "kehilangan 5 poin disiplin IP ASN; model tidak memuat sanksi (asumsi; rentang 0-0,05).",
}
"""The reason of every model assumption (``assumptions.<name>``) in Bahasa Indonesia: the
English one is the field's description in :class:`asnsim.scenario.Assumptions`; sources and
figures are the same (``tests/test_brief.py`` checks that every assumption has one)."""
