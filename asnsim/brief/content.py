"""What a brief says about each kind of result: a comparison, a robust study, a Pareto front.

Each ``*_blocks`` function returns the sections of the brief as :mod:`asnsim.brief.document`
blocks: the question, the options, the answer in plain words, costs, figures, what the answer
depends on, the assumptions with their sources and the command that reproduces the result.
"""

from __future__ import annotations

import json
import math
from pathlib import PurePosixPath
from typing import Any

import pandas as pd

from asnsim.analysis import COST_PER_POINT
from asnsim.brief.document import Block, Code, Figure, Heading, Items, Para, Table
from asnsim.brief.folders import ResultFolder
from asnsim.brief.words import (
    better_when_higher,
    bounds,
    detected,
    difference_sentence,
    interval,
    outcome_name,
    plain,
    rupiah,
    scaled,
    share,
    size,
)
from asnsim.labels import REASONS_ID, label
from asnsim.priors import as_prior, parse_prior
from asnsim.scenario import Assumptions
from asnsim.version import __version__

__all__ = ["blocks", "answer_sentence", "main_outcome"]

# outcomes described in words, in this order, when a study has them
KEY_OUTCOMES = ("ikm_true", "ikm", "wait_mean_days", "abandon_rate", "matched_share")

_TEXT: dict[str, tuple[str, str]] = {
    "as_is": ("the scenario as it is", "skenario apa adanya"),
    "compare_facts": (
        "Paired comparison: every option ran with the same {n} replications (the same "
        "citizens and chance events), for {years} years at scale {scale}; numbers are the "
        "final year's means.",
        "Perbandingan berpasangan: setiap pilihan dijalankan dengan {n} replikasi yang sama "
        "(warga dan kejadian acak yang sama), selama {years} tahun pada skala {scale}; angka "
        "adalah rata-rata tahun terakhir.",
    ),
    "compare_best": (
        "Answer: {variant} gives the highest {outcome}: {mean} against {base_mean} with "
        "{baseline}, {size} more ({interval}).",
        "Jawaban: {variant} memberi {outcome} tertinggi: {mean} dibanding {base_mean} dengan "
        "{baseline}, lebih tinggi {size} ({interval}).",
    ),
    "compare_none_better": (
        "Answer: no option raised {outcome} above {baseline}; the differences found are: {list}.",
        "Jawaban: tidak ada pilihan yang menaikkan {outcome} di atas {baseline}; selisih yang "
        "ditemukan: {list}.",
    ),
    "compare_none": (
        "Answer: no difference in {outcome} between the options and {baseline} was detected: "
        "every 95% interval includes 0 ({list}). This does not show that the options make no "
        "difference; more replications would narrow the intervals.",
        "Jawaban: tidak terdeteksi perbedaan {outcome} antara pilihan-pilihan dan {baseline}: "
        "setiap interval 95% mencakup 0 ({list}). Ini tidak berarti pilihan-pilihan itu tidak "
        "berpengaruh; replikasi yang lebih banyak akan mempersempit intervalnya.",
    ),
    "spend": (
        "{variant} spends {amount} {more} than {baseline} over the horizon ({interval}).",
        "{variant} membelanjakan {amount} {more} daripada {baseline} selama periode ({interval}).",
    ),
    "more": ("more", "lebih banyak"),
    "less": ("less", "lebih sedikit"),
    "same_spend": (
        "{variant} spends the same as {baseline} over the horizon.",
        "{variant} membelanjakan sama dengan {baseline} selama periode.",
    ),
    "cost_point": (
        "{variant}: {cost} per point of expected IKM gained ({interval}, Fieller's interval).",
        "{variant}: {cost} per poin IKM (nilai harapan) yang diperoleh ({interval}, interval "
        "Fieller).",
    ),
    "cost_undefined_ikm": (
        "{variant}: cost per IKM point not computed: the IKM difference was not detected "
        "(its interval includes 0).",
        "{variant}: biaya per poin IKM tidak dihitung: selisih IKM tidak terdeteksi "
        "(intervalnya mencakup 0).",
    ),
    "cost_undefined_n": (
        "{variant}: cost per IKM point not computed: fewer than 2 paired replications.",
        "{variant}: biaya per poin IKM tidak dihitung: kurang dari 2 replikasi berpasangan.",
    ),
    "compare_depends": (
        "This comparison holds every assumption at its value in the scenario: its intervals "
        "carry chance only, not what is unknown about the assumptions. Run `asnsim robust` "
        "(or `asnsim sensitivity`) to see under which assumptions the answer changes.",
        "Perbandingan ini menahan setiap asumsi pada nilainya di skenario: intervalnya hanya "
        "memuat keacakan, bukan ketidakpastian asumsi. Jalankan `asnsim robust` (atau "
        "`asnsim sensitivity`) untuk melihat pada asumsi mana jawabannya berubah.",
    ),
    "compare_depends_posterior": (
        "Each replication of this comparison drew its assumptions from the calibrated "
        "posterior ({posterior}), the same draw for every option: its intervals carry both "
        "chance and what the observed figures leave unknown about those assumptions. Other "
        "assumptions stay at their values in the scenario; run `asnsim robust` (or `asnsim "
        "sensitivity`) to see under which of them the answer changes.",
        "Setiap replikasi perbandingan ini mengambil asumsinya dari posterior hasil kalibrasi "
        "({posterior}), sama untuk setiap pilihan: intervalnya memuat keacakan sekaligus "
        "ketidakpastian asumsi yang tersisa setelah dicocokkan dengan data teramati. Asumsi "
        "lain tetap pada nilainya di skenario; jalankan `asnsim robust` (atau `asnsim "
        "sensitivity`) untuk melihat pada asumsi mana jawabannya berubah.",
    ),
    "uncertain_declared": (
        "The scenario declares these assumptions uncertain (range tested by robust and "
        "sensitivity studies): {list}.",
        "Skenario menyatakan asumsi berikut tidak pasti (rentang yang diuji studi robust dan "
        "sensitivitas): {list}.",
    ),
    "robust_answer": (
        "Answer: across {n} plausible worlds, {option} is the best option for {outcome} in "
        "{p} of them (expected value {expected}); its regret, what is lost against the "
        "best option of each world, is {regret_mean} on average and {regret_max} at worst.",
        "Jawaban: dalam {n} kemungkinan kondisi (world), {option} adalah pilihan terbaik "
        "untuk {outcome} pada {p} di antaranya (nilai harapan {expected}); penyesalannya "
        "(regret), yaitu selisih dengan pilihan terbaik di tiap kondisi, rata-rata "
        "{regret_mean} dan paling buruk {regret_max}.",
    ),
    "robust_split": (
        "No option is best in most worlds: the choice depends on assumptions that are not "
        "known well enough (see below).",
        "Tidak ada pilihan yang terbaik di sebagian besar kondisi: pilihannya bergantung pada "
        "asumsi yang belum cukup diketahui (lihat di bawah).",
    ),
    "robust_row": (
        "{option}, {outcome}: expected value {expected}; best in {p} of the worlds; regret "
        "{mean} on average, {max} at worst.",
        "{option}, {outcome}: nilai harapan {expected}; terbaik pada {p} kondisi; regret "
        "rata-rata {mean}, paling buruk {max}.",
    ),
    "meets": (
        "{option} meets the target '{target}' in {p} of the worlds.",
        "{option} memenuhi target '{target}' pada {p} kondisi.",
    ),
    "robust_cost": (
        "{option}, {outcome}: expected value {value}.",
        "{option}, {outcome}: nilai harapan {value}.",
    ),
    "robust_cost_point": (
        "{option}: about {cost} per point of expected IKM against {baseline} (from expected "
        "values; no interval).",
        "{option}: sekitar {cost} per poin IKM (nilai harapan) dibanding {baseline} (dari "
        "nilai harapan; tanpa interval).",
    ),
    "box": (
        "{option} loses its lead when {conditions}: {coverage} of the worlds where it loses "
        "lie in this range (coverage), and it loses in {density} of the worlds inside it "
        "(density).",
        "{option} kehilangan keunggulannya bila {conditions}: {coverage} kondisi tempat ia "
        "kalah berada dalam rentang ini (coverage), dan ia kalah pada {density} kondisi di "
        "dalamnya (density).",
    ),
    "between": ("{parameter} is between {low} and {high}", "{parameter} antara {low} dan {high}"),
    "and": (" and ", " dan "),
    "no_discovery": (
        "Scenario discovery found no range of the assumptions under which an option loses its "
        "lead (an option best in every world, or in none, has none; with few worlds, read this "
        "as a hint).",
        "Penemuan skenario tidak menemukan rentang asumsi yang membuat suatu pilihan kehilangan "
        "keunggulannya (pilihan yang terbaik di semua kondisi, atau di tidak satu pun, tidak "
        "memilikinya; dengan sedikit kondisi, anggap ini petunjuk).",
    ),
    "pareto_answer": (
        "Answer: {n} policies are on the Pareto front: none of them can be improved on one "
        "objective ({objectives}) without losing on another.",
        "Jawaban: {n} kebijakan berada di garis Pareto: tidak satu pun dapat diperbaiki pada "
        "satu tujuan ({objectives}) tanpa memburuk pada tujuan lain.",
    ),
    "pareto_current_on": (
        "The current policy is on the front: no point found does better on every objective.",
        "Kebijakan saat ini berada di garis Pareto: tidak ada titik yang lebih baik pada semua "
        "tujuan.",
    ),
    "pareto_current_off": (
        "{k} point(s) do at least as well as the current policy on every objective and better "
        "on one; for example {point}: {changes}.",
        "{k} titik sama baik atau lebih baik daripada kebijakan saat ini pada setiap tujuan dan "
        "lebih baik pada salah satunya; misalnya {point}: {changes}.",
    ),
    "pareto_no_current": (
        "The front does not mark the current policy.",
        "Garis Pareto ini tidak menandai kebijakan saat ini.",
    ),
    "instead_of": ("{name} {value} instead of {old}", "{name} {value} alih-alih {old}"),
    "pareto_cost_point": (
        "{point}: {cost} per point of IKM gained over the current policy.",
        "{point}: {cost} per poin IKM yang diperoleh dibanding kebijakan saat ini.",
    ),
    "pareto_depends": (
        "Each point was estimated from a limited number of paired replications; points close "
        "to one another may swap places in a new search. Check the chosen point with "
        "`asnsim compare` or `asnsim robust` before deciding.",
        "Setiap titik diperkirakan dari sejumlah terbatas replikasi berpasangan; titik yang "
        "berdekatan bisa bertukar tempat pada pencarian baru. Periksa titik yang dipilih "
        "dengan `asnsim compare` atau `asnsim robust` sebelum memutuskan.",
    ),
    "pareto_files": (
        "Each point is a runnable variant file: {files}.",
        "Setiap titik adalah berkas varian yang dapat dijalankan: {files}.",
    ),
    "the_city": ("the city", "kota ini"),
    "ask_compare": (
        "How do {variants} change IKM, waiting times and cost in {city}, compared with {base}?",
        "Bagaimana {variants} mengubah IKM, waktu tunggu dan biaya di {city}, dibandingkan "
        "dengan {base}?",
    ),
    "ask_robust": (
        "Which of {options} holds up best in {city} across {n} plausible worlds, whatever the "
        "uncertain assumptions turn out to be?",
        "Pilihan mana di antara {options} yang paling andal di {city} pada {n} kemungkinan "
        "keadaan, berapa pun nilai asumsi yang belum pasti?",
    ),
    "ask_robust_worlds": (
        "Which of {options} holds up best in {city}, whatever the uncertain assumptions turn "
        "out to be?",
        "Pilihan mana di antara {options} yang paling andal di {city}, berapa pun nilai asumsi "
        "yang belum pasti?",
    ),
    "ask_optimise": (
        "Which combination of policies gives {city} the best {objectives}?",
        "Kombinasi kebijakan mana yang memberi {city} {objectives} terbaik?",
    ),
    "ask_optimise_budget": (
        "Which combination of policies gives {city} the best {objectives}, spending at most "
        "{budget} a year?",
        "Kombinasi kebijakan mana yang memberi {city} {objectives} terbaik, dengan belanja "
        "paling banyak {budget} per tahun?",
    ),
    "scenario_note": (
        "The scenario, as its file describes it: {text}",
        "Skenario, sebagaimana dijelaskan dalam berkasnya: {text}",
    ),
    "key_assumptions": (
        "The assumptions below are the ones this study sets differently from the model's "
        "defaults, declares uncertain or tests; reasons are quoted from the scenario schema.",
        "Asumsi di bawah adalah yang diatur berbeda dari nilai bawaan model, dinyatakan tidak "
        "pasti, atau diuji oleh studi ini; alasannya diterjemahkan dari skema skenario.",
    ),
    "city_source": (
        "Where the city's figures come from: {source}",
        "Sumber angka kota: {source}",
    ),
    "no_key_assumptions": (
        "This study sets every assumption at the model's default.",
        "Studi ini memakai nilai bawaan model untuk setiap asumsi.",
    ),
    "no_scenario": (
        "The folder holds no record of the scenario, so its assumptions cannot be listed.",
        "Folder ini tidak menyimpan catatan skenario, sehingga asumsinya tidak dapat dicantumkan.",
    ),
    "no_command": (
        "The folder does not record the command that made it.",
        "Folder ini tidak mencatat perintah yang membuatnya.",
    ),
    "check_runs": (
        "To check that the stored runs are made again bit for bit:",
        "Untuk memeriksa bahwa hasil yang tersimpan terulang persis sama:",
    ),
    "brief_again": ("The brief itself:", "Ringkasan ini sendiri:"),
    "figure": ("Figure: {name}", "Gambar: {name}"),
    "no_figures": ("The folder holds no figure.", "Folder ini tidak memuat gambar."),
    # table headers
    "h_outcome": ("outcome", "hasil"),
    "h_option": ("option", "pilihan"),
    "h_mean": ("mean", "rata-rata"),
    "h_diff": ("difference", "selisih"),
    "h_interval": ("95% interval", "interval 95%"),
    "h_verdict": ("verdict", "kesimpulan"),
    "h_expected": ("expected", "nilai harapan"),
    "h_p_best": ("best in", "terbaik pada"),
    "h_regret_mean": ("mean regret", "regret rata-rata"),
    "h_regret_max": ("worst regret", "regret terburuk"),
    "h_key": ("assumption", "asumsi"),
    "h_value": ("value", "nilai"),
    "h_default": ("default", "bawaan"),
    "h_reason": ("unit and reason", "satuan dan alasan"),
    "h_point": ("point", "titik"),
    "v_detected": ("detected", "terdeteksi"),
    "v_not_detected": ("not detected", "tidak terdeteksi"),
    "yes": ("yes", "ya"),
}


def _t(key: str, lang: str, **fields: object) -> str:
    text = _TEXT[key][0 if lang == "en" else 1]
    return text.format(**fields) if fields else text


def _finite(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


# --------------------------------------------------------------------------- shared sections


def _title(result: ResultFolder, lang: str) -> str:
    city = ((result.scenario or {}).get("city") or {}).get("name")
    title = label("brief_title", lang)
    return f"{title}: {city}" if city else title


def _question(result: ResultFolder, lang: str) -> list[Block]:
    """The question: as the person wrote it, else made from the study in ``lang``."""
    text = result.question or _asked(result, lang) or label("brief_no_question", lang)
    out: list[Block] = [Heading(label("brief_question", lang)), Para(text)]
    if result.description:
        out.append(Para(_t("scenario_note", lang, text=result.description)))
    return out


def _listed(names: list[str], lang: str) -> str:
    """``a, b and c`` (en) or ``a, b dan c`` (id)."""
    names = [str(n) for n in names]
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {'and' if lang == 'en' else 'dan'} {names[-1]}"


def _asked(result: ResultFolder, lang: str) -> str:
    """The question a study of this kind answers, in ``lang`` (empty if it cannot be told)."""
    city = ((result.scenario or {}).get("city") or {}).get("name") or _t("the_city", lang)
    manifest = result.manifest
    if result.kind == "compare":
        experiment = manifest.get("experiment") or {}
        baseline = result.baseline or "base"
        variants = [v for v in experiment.get("variants") or {} if v != baseline]
        variants = variants or [
            str(v) for v in dict.fromkeys(result.table.get("variant", [])) if v != baseline
        ]
        if not variants:
            return ""
        return _t("ask_compare", lang, variants=_listed(variants, lang), city=city, base=baseline)
    if result.kind == "robust":
        options = list(manifest.get("options") or dict.fromkeys(result.table["option"]))
        worlds = len(manifest.get("world_seeds") or []) or (
            result.worlds["world"].nunique() if result.worlds is not None else 0
        )
        key = "ask_robust" if worlds else "ask_robust_worlds"
        return _t(key, lang, options=_listed(options, lang), city=city, n=worlds)
    budget = manifest.get("budget_per_year")
    names = _listed([_objective_name(o, lang) for o in _objectives(result)], lang)
    if not _finite(budget):
        return _t("ask_optimise", lang, objectives=names, city=city)
    money = rupiah(float(budget), lang)
    return _t("ask_optimise_budget", lang, objectives=names, city=city, budget=money)


def _figures(result: ResultFolder, lang: str) -> list[Block]:
    out: list[Block] = [Heading(label("brief_figures", lang))]
    if not result.figures:
        return out + [Para(_t("no_figures", lang))]
    for path in result.figures:
        out.append(Figure(path, _t("figure", lang, name=path.name)))
    return out


def _short(value: Any, width: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def _reason(name: str, lang: str = "en") -> str:
    """An assumption's unit and reason: the schema's (en) or its translation (id)."""
    if lang == "id" and name in REASONS_ID:
        return REASONS_ID[name]
    field = Assumptions.model_fields.get(name)
    return (field.description or "").strip() if field is not None else ""


def _assumption_rows(
    scenario: dict[str, Any], names: list[str], ranges: dict[str, str], lang: str = "en"
) -> list[tuple[str, ...]]:
    defaults = Assumptions().model_dump(mode="json")
    values = scenario.get("assumptions") or {}
    rows = []
    for name in names:
        value = _short(values.get(name, defaults.get(name)))
        if name in ranges:
            value = f"{value} ({ranges[name]})"
        rows.append((name, value, _short(defaults.get(name)), _reason(name, lang)))
    return rows


def _assumption_name(key: str) -> str | None:
    """The top-level assumption a dotted key belongs to (None for keys outside assumptions)."""
    parts = str(key).split(".")
    if parts[0] == "assumptions" and len(parts) > 1:
        return parts[1]
    return parts[0] if parts[0] in Assumptions.model_fields else None


def _assumptions(result: ResultFolder, lang: str, tested: dict[str, str]) -> list[Block]:
    """Key assumptions (set, declared uncertain or tested) and the appendix with all of them."""
    out: list[Block] = [Heading(label("brief_assumptions", lang))]
    scenario = result.scenario
    if not scenario:
        return out + [Para(_t("no_scenario", lang))]
    defaults = Assumptions().model_dump(mode="json")
    values = scenario.get("assumptions") or {}
    ranges = dict(tested)
    for key, span in (scenario.get("uncertainties") or {}).items():
        name = _assumption_name(key)
        if name and name not in ranges and isinstance(span, list | tuple) and len(span) == 2:
            ranges[name] = f"{key}: {span[0]} – {span[1]}"
    key_names = [n for n in defaults if n in ranges or (n in values and values[n] != defaults[n])]
    source = " ".join(str((scenario.get("city") or {}).get("source", "-")).split())
    header = (
        _t("h_key", lang),
        _t("h_value", lang),
        _t("h_default", lang),
        _t("h_reason", lang),
    )
    out += [Para(_t("city_source", lang, source=source)), Para(_t("key_assumptions", lang))]
    if key_names:
        out.append(Table(header, tuple(_assumption_rows(scenario, key_names, ranges, lang))))
    else:
        out.append(Para(_t("no_key_assumptions", lang)))
    out += [
        Heading(label("brief_all_assumptions", lang), 3),
        Table(header, tuple(_assumption_rows(scenario, list(defaults), {}, lang))),
    ]
    return out


def _reproduce(result: ResultFolder, lang: str, brief_lang: str) -> list[Block]:
    out: list[Block] = [Heading(label("brief_reproduce", lang))]
    command = result.command()
    out.append(Code(command) if command else Para(_t("no_command", lang)))
    if result.kind == "compare":
        out += [Para(_t("check_runs", lang)), Code(f"asnsim reproduce {result.path}")]
    out += [
        Para(_t("brief_again", lang)),
        Code(f"asnsim brief {result.path} --lang {brief_lang}"),
        Para(label("brief_generated", lang, version=__version__, folder=str(result.path))),
    ]
    return out


# --------------------------------------------------------------------------- comparison


def main_outcome(outcomes: list[str]) -> str:
    """The outcome the answer is about: expected IKM, else surveyed IKM, else the first."""
    for name in ("ikm_true", "ikm"):
        if name in outcomes:
            return name
    return outcomes[0]


def _rows(table: pd.DataFrame, outcome: str) -> pd.DataFrame:
    return table[table["outcome"] == outcome]


def _compare_answer(result: ResultFolder, lang: str) -> str:
    table, baseline = result.table, _compare_baseline(result)
    outcome = main_outcome([o for o in table["outcome"].unique() if o != COST_PER_POINT])
    rows = _rows(table, outcome)
    base = rows[rows["variant"] == baseline]
    others = rows[rows["variant"] != baseline]
    higher = better_when_higher(outcome)
    good = [
        r for r in others.itertuples() if detected(r.ci_low, r.ci_high) and (r.diff > 0) == higher
    ]
    name = outcome_name(outcome, lang)
    if good:
        best = max(good, key=lambda r: r.diff if higher else -r.diff)
        return _t(
            "compare_best",
            lang,
            variant=best.variant,
            outcome=name,
            mean=scaled(best.mean, outcome, lang),
            base_mean=scaled(base["mean"].iloc[0], outcome, lang) if len(base) else "-",
            baseline=baseline,
            size=size(best.diff, outcome, lang),
            interval=interval(best.ci_low, best.ci_high, outcome, lang),
        )
    listed = "; ".join(
        f"{r.variant} {scaled(r.diff, outcome, lang, sign=True)}, "
        f"{interval(r.ci_low, r.ci_high, outcome, lang)}"
        for r in others.itertuples()
    )
    if any(detected(r.ci_low, r.ci_high) for r in others.itertuples()):
        return _t("compare_none_better", lang, outcome=name, baseline=baseline, list=listed)
    return _t("compare_none", lang, outcome=name, baseline=baseline, list=listed)


def _compare_baseline(result: ResultFolder) -> str:
    if result.baseline:
        return result.baseline
    zero = result.table[(result.table["diff"] == 0) & result.table["share_better"].isna()]
    return str(zero["variant"].iloc[0]) if len(zero) else "base"


def _compare_options(result: ResultFolder, lang: str) -> list[Block]:
    baseline = _compare_baseline(result)
    variants = (result.manifest.get("experiment") or {}).get("variants") or {
        v: {} for v in result.table["variant"].unique()
    }
    items = []
    for name, overrides in variants.items():
        what = ", ".join(f"{k} = {_short(v, 40)}" for k, v in overrides.items())
        what = what or _t("as_is", lang)
        mark = f" ({label('brief_baseline', lang)})" if name == baseline else ""
        items.append(f"{name}{mark}: {what}")
    return [Heading(label("brief_options", lang)), Items(tuple(items))]


def _compare_facts(result: ResultFolder, lang: str) -> str:
    experiment = result.manifest.get("experiment") or {}
    scenario = result.scenario or {}
    n = experiment.get("replications") or int(result.table["n"].max())
    years = scenario.get("horizon_years", "?")
    scale = scenario.get("scale")
    return _t("compare_facts", lang, n=n, years=years, scale=plain(scale, lang) if scale else "?")


def _compare_details(result: ResultFolder, lang: str) -> list[Block]:
    table, baseline = result.table, _compare_baseline(result)
    sentences = [
        difference_sentence(r.variant, o, r.diff, r.ci_low, r.ci_high, lang)
        for o in KEY_OUTCOMES
        for r in _rows(table, o).itertuples()
        if r.variant != baseline
    ]
    rows = []
    for r in table[table["outcome"] != COST_PER_POINT].itertuples():
        is_base = r.variant == baseline
        verdict = (
            ""
            if is_base
            else _t("v_detected" if detected(r.ci_low, r.ci_high) else "v_not_detected", lang)
        )
        rows.append(
            (
                outcome_name(r.outcome, lang),
                r.variant,
                scaled(r.mean, r.outcome, lang),
                "" if is_base else scaled(r.diff, r.outcome, lang, sign=True),
                "" if is_base else bounds(r.ci_low, r.ci_high, r.outcome, lang),
                verdict,
            )
        )
    header = tuple(
        _t(k, lang) for k in ("h_outcome", "h_option", "h_mean", "h_diff", "h_interval")
    ) + (_t("h_verdict", lang),)
    return [
        Heading(label("brief_details", lang)),
        Items(tuple(sentences)),
        Table(header, tuple(rows)),
    ]


def _compare_costs(result: ResultFolder, lang: str) -> list[Block]:
    table, baseline = result.table, _compare_baseline(result)
    items = []
    for r in _rows(table, "cum_total_spend").itertuples():
        if r.variant == baseline:
            continue
        if r.diff == 0 and r.ci_low == 0 and r.ci_high == 0:
            items.append(_t("same_spend", lang, variant=r.variant, baseline=baseline))
            continue
        items.append(
            _t(
                "spend",
                lang,
                variant=r.variant,
                amount=rupiah(abs(r.diff), lang),
                more=_t("more" if r.diff > 0 else "less", lang),
                baseline=baseline,
                interval=interval(r.ci_low, r.ci_high, "cum_total_spend", lang),
            )
        )
    for r in _rows(table, COST_PER_POINT).itertuples():
        note = r.note if isinstance(r.note, str) else ""
        if note or not _finite(r.mean):
            key = "cost_undefined_n" if "fewer" in note else "cost_undefined_ikm"
            items.append(_t(key, lang, variant=r.variant))
            continue
        lo, hi = (rupiah(v, lang) for v in (r.ci_low, r.ci_high))
        span = f"{lo} – {hi}"
        items.append(
            _t("cost_point", lang, variant=r.variant, cost=rupiah(r.mean, lang), interval=span)
        )
    if not items:
        return []
    return [Heading(label("brief_costs", lang)), Items(tuple(items))]


def _declared_uncertain(result: ResultFolder, lang: str) -> list[Block]:
    declared = (result.scenario or {}).get("uncertainties") or {}
    if not declared:
        return []
    listed = ", ".join(f"{k} {_range_text(v)}" for k, v in declared.items())
    return [Para(_t("uncertain_declared", lang, list=listed))]


def _range_text(value: Any) -> str:
    """A declared uncertainty as text: ``[low, high]`` or the prior (a mapping) described."""
    if isinstance(value, list | tuple):
        return f"[{value[0]}, {value[1]}]"
    return as_prior(parse_prior(value)).describe()


def _depends(result: ResultFolder, lang: str) -> Para:
    """What the comparison's intervals carry: chance only, or a posterior's draws as well."""
    posterior = (result.manifest.get("experiment") or {}).get("posterior")
    if posterior is None:
        return Para(_t("compare_depends", lang))
    return Para(_t("compare_depends_posterior", lang, posterior=posterior))


def _compare_blocks(result: ResultFolder, lang: str) -> list[Block]:
    return [
        *_compare_options(result, lang),
        Heading(label("brief_answer", lang)),
        Para(answer_sentence(result, lang), strong=True),
        Para(_compare_facts(result, lang)),
        *_compare_details(result, lang),
        *_compare_costs(result, lang),
        *_figures(result, lang),
        Heading(label("brief_depends", lang)),
        _depends(result, lang),
        *_declared_uncertain(result, lang),
        *_assumptions(result, lang, {}),
    ]


# --------------------------------------------------------------------------- robust study


def _robust_leader(rows: pd.DataFrame, outcome: str) -> Any:
    sign = 1 if better_when_higher(outcome) else -1
    ranked = rows.assign(_e=sign * rows["expected"]).sort_values(
        ["p_best", "_e"], ascending=False, kind="stable"
    )
    return ranked.iloc[0]


def _worlds(result: ResultFolder) -> int | None:
    if result.worlds is None:
        return None
    if "world" in result.worlds.columns:
        return int(result.worlds["world"].nunique())
    return len(result.worlds)


def _robust_answer(result: ResultFolder, lang: str) -> str:
    outcome = main_outcome(list(result.table["outcome"].unique()))
    rows = _rows(result.table, outcome)
    top = _robust_leader(rows, outcome)
    text = _t(
        "robust_answer",
        lang,
        n=_worlds(result) or "?",
        option=top["option"],
        outcome=outcome_name(outcome, lang),
        p=share(top["p_best"], lang),
        expected=scaled(top["expected"], outcome, lang),
        regret_mean=size(top["regret_mean"], outcome, lang),
        regret_max=size(top["regret_max"], outcome, lang),
    )
    if top["p_best"] < 0.5:
        text += " " + _t("robust_split", lang)
    return text


def _meets_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if str(c).startswith("meets:")]


def _robust_details(result: ResultFolder, lang: str) -> list[Block]:
    table = result.table
    items = []
    for outcome in [o for o in KEY_OUTCOMES if o in set(table["outcome"])]:
        for r in _rows(table, outcome).itertuples(index=False):
            items.append(
                _t(
                    "robust_row",
                    lang,
                    option=r.option,
                    outcome=outcome_name(outcome, lang),
                    expected=scaled(r.expected, outcome, lang),
                    p=share(r.p_best, lang),
                    mean=size(r.regret_mean, outcome, lang),
                    max=size(r.regret_max, outcome, lang),
                )
            )
    for column in _meets_columns(table):
        target = column.split(":", 1)[1]
        seen = table[table[column].notna()].drop_duplicates("option")
        for _, r in seen.iterrows():
            items.append(
                _t("meets", lang, option=r["option"], target=target, p=share(r[column], lang))
            )
    meets = _meets_columns(table)
    header = (
        _t("h_option", lang),
        _t("h_outcome", lang),
        _t("h_expected", lang),
        _t("h_p_best", lang),
        _t("h_regret_mean", lang),
        _t("h_regret_max", lang),
        *meets,
    )
    rows = tuple(
        (
            str(r["option"]),
            outcome_name(r["outcome"], lang),
            scaled(r["expected"], r["outcome"], lang),
            share(r["p_best"], lang),
            scaled(r["regret_mean"], r["outcome"], lang),
            scaled(r["regret_max"], r["outcome"], lang),
            *(share(r[c], lang) if _finite(r[c]) else "" for c in meets),
        )
        for _, r in table.iterrows()
    )
    return [Heading(label("brief_details", lang)), Items(tuple(items)), Table(header, rows)]


def _robust_costs(result: ResultFolder, lang: str) -> list[Block]:
    table = result.table
    present = set(table["outcome"])
    spend = next((o for o in ("cum_total_spend", "cost", "total_spend") if o in present), None)
    if spend is None:
        return []
    items = [
        _t(
            "robust_cost",
            lang,
            option=r["option"],
            outcome=outcome_name(spend, lang),
            value=rupiah(r["expected"], lang),
        )
        for _, r in _rows(table, spend).iterrows()
    ]
    ikm = next((o for o in ("ikm_true", "ikm") if o in set(table["outcome"])), None)
    baseline = result.baseline or ("base" if "base" in set(table["option"]) else None)
    if ikm and baseline:
        cost = _rows(table, spend).set_index("option")["expected"]
        gain = _rows(table, ikm).set_index("option")["expected"]
        for option in cost.index:
            if option == baseline or option not in gain or baseline not in gain:
                continue
            points = gain[option] - gain[baseline]
            if points > 0:
                per = (cost[option] - cost[baseline]) / points
                items.append(
                    _t(
                        "robust_cost_point",
                        lang,
                        option=option,
                        cost=rupiah(per, lang),
                        baseline=baseline,
                    )
                )
    return [Heading(label("brief_costs", lang)), Items(tuple(items))]


def _boxes(result: ResultFolder, lang: str) -> list[str]:
    found = result.discovery
    if found is None or found.empty:
        return [_t("no_discovery", lang)]
    items = []
    for (option, coverage, density), box in found.groupby(
        ["option", "coverage", "density"], sort=False
    ):
        conditions = _t("and", lang).join(
            _t(
                "between",
                lang,
                parameter=r["parameter"],
                low=plain(r["low"], lang),
                high=plain(r["high"], lang),
            )
            for _, r in box.iterrows()
        )
        items.append(
            _t(
                "box",
                lang,
                option=option,
                conditions=conditions,
                coverage=share(coverage, lang),
                density=share(density, lang),
            )
        )
    return items


def _tested_ranges(result: ResultFolder) -> dict[str, str]:
    """Assumptions a robust study tested: the discovery boxes' parameters, with their boxes."""
    found = result.discovery
    if found is None or found.empty:
        return {}
    out: dict[str, str] = {}
    for _, r in found.iterrows():
        name = _assumption_name(r["parameter"])
        if name:
            out.setdefault(name, f"{r['parameter']}: {r['low']:g} – {r['high']:g}")
    return out


def _robust_options(result: ResultFolder, lang: str) -> list[Block]:
    options = list(dict.fromkeys(result.table["option"]))
    variants = result.manifest.get("options") or result.manifest.get("variants") or {}
    items = []
    for name in options:
        overrides = variants.get(name) if isinstance(variants, dict) else None
        what = (
            ", ".join(f"{k} = {_short(v, 40)}" for k, v in overrides.items())
            if isinstance(overrides, dict) and overrides
            else ""
        )
        items.append(f"{name}: {what}" if what else str(name))
    return [Heading(label("brief_options", lang)), Items(tuple(items))]


def _robust_blocks(result: ResultFolder, lang: str) -> list[Block]:
    return [
        *_robust_options(result, lang),
        Heading(label("brief_answer", lang)),
        Para(answer_sentence(result, lang), strong=True),
        *_robust_details(result, lang),
        *_robust_costs(result, lang),
        *_figures(result, lang),
        Heading(label("brief_depends", lang)),
        Items(tuple(_boxes(result, lang))),
        *_declared_uncertain(result, lang),
        *_assumptions(result, lang, _tested_ranges(result)),
    ]


# --------------------------------------------------------------------------- Pareto front


def _objectives(result: ResultFolder) -> list[str]:
    recorded = result.manifest.get("objectives")
    if isinstance(recorded, str):
        recorded = [o.strip() for o in recorded.split(",")]
    table = result.table
    if isinstance(recorded, list):
        found = [str(o) for o in recorded if str(o) in table.columns]
        if found:
            return found
    skip = {"current", "point", "id", "index"}
    return [
        c
        for c in table.columns
        if c not in skip and pd.api.types.is_numeric_dtype(table[c]) and "share" not in c
    ]


def _objective_name(objective: str, lang: str) -> str:
    """An objective's name: ``ikm`` of a Pareto front is IKM, whichever IKM the search used."""
    if objective == "ikm":
        return "IKM"
    return outcome_name("wait_mean_days" if objective == "wait" else objective, lang)


def _point_names(table: pd.DataFrame) -> list[str]:
    if "variant" in table.columns:  # the point's variant file: variants/point_00.yaml
        return [PurePosixPath(str(v)).stem for v in table["variant"]]
    if "point" in table.columns:
        return [f"point_{int(p):02d}" if _finite(p) else str(p) for p in table["point"].tolist()]
    return [f"point_{i:02d}" for i in range(len(table))]


def _current_mask(table: pd.DataFrame) -> pd.Series:
    values = table["current"]
    if values.dtype == bool:
        return values
    return values.astype(str).str.strip().str.lower().isin(("true", "1", "yes"))


def _dominates(a: pd.Series, b: pd.Series, objectives: list[str]) -> bool:
    """``a`` is at least as good as ``b`` on every objective and better on one."""
    signs = [1 if better_when_higher(o) else -1 for o in objectives]
    deltas = [s * (float(a[o]) - float(b[o])) for o, s in zip(objectives, signs, strict=True)]
    return all(d >= 0 for d in deltas) and any(d > 0 for d in deltas)


def _pareto_answer(result: ResultFolder, lang: str) -> str:
    table, objectives = result.table, _objectives(result)
    names = _point_names(table)
    current = _current_mask(table)
    on_front = table["pareto"].astype(bool) if "pareto" in table.columns else ~current
    text = _t(
        "pareto_answer",
        lang,
        n=int(on_front.sum()),
        objectives=", ".join(_objective_name(o, lang) for o in objectives),
    )
    if not current.any():
        return f"{text} {_t('pareto_no_current', lang)}"
    now = table[current].iloc[0]
    better = [i for i in range(len(table)) if not current.iloc[i]]
    better = [i for i in better if _dominates(table.iloc[i], now, objectives)]
    if not better:
        return f"{text} {_t('pareto_current_on', lang)}"
    cost = next((o for o in objectives if "cost" in o), None)
    pick = min(better, key=lambda i: float(table.iloc[i][cost])) if cost else better[0]
    changes = ", ".join(
        _t(
            "instead_of",
            lang,
            name=_objective_name(o, lang),
            value=scaled(table.iloc[pick][o], o, lang),
            old=scaled(now[o], o, lang),
        )
        for o in objectives
    )
    off = _t("pareto_current_off", lang, k=len(better), point=names[pick], changes=changes)
    return f"{text} {off}"


def _pareto_table(result: ResultFolder, lang: str) -> list[Block]:
    table, objectives = result.table, _objectives(result)
    names = _point_names(table)
    current = _current_mask(table)
    bookkeeping = {"current", "point", "n", "feasible", "pareto", "variant"}
    choices = [
        c
        for c in table.columns
        if c not in objectives
        and c not in bookkeeping
        and not str(c).endswith(("_low", "_high"))
        and table[c].notna().any()  # an option no point's policy has
    ]
    header = (
        _t("h_point", lang),
        *(_choice_name(c) for c in choices),
        *(_objective_name(o, lang) for o in objectives),
        label("brief_current", lang),
    )
    rows = tuple(
        (
            names[i],
            *(_choice(table.iloc[i][c], c, lang) for c in choices),
            *(scaled(table.iloc[i][o], o, lang) for o in objectives),
            _t("yes", lang) if current.iloc[i] else "",
        )
        for i in range(len(table))
    )
    return [Heading(label("brief_details", lang)), Table(header, rows)]


def _choice_name(column: str) -> str:
    """A searched option's column as shown: ``change: coverage``."""
    parts = str(column).split(".")
    if len(parts) == 4 and parts[0] == "policies" and parts[2] == "options":
        return f"{parts[1]}: {parts[3]}"
    return str(column)


def _choice(value: Any, column: str, lang: str) -> str:
    """A lever choice as shown: money in rupiah, a number plainly, ``-`` where unused."""
    if isinstance(value, float) and math.isnan(value):
        return "-"
    if any(word in str(column) for word in ("budget", "investment")) and _finite(value):
        return rupiah(float(value), lang)
    if isinstance(value, float):
        return plain(value, lang)
    return _short(value, 40)


def _pareto_costs(result: ResultFolder, lang: str) -> list[Block]:
    table, objectives = result.table, _objectives(result)
    cost = next((o for o in objectives if "cost" in o), "cost" if "cost" in table else None)
    ikm = next((o for o in objectives if "ikm" in o), None)
    current = _current_mask(table)
    if cost is None or ikm is None or not current.any():
        return []
    now = table[current].iloc[0]
    names = _point_names(table)
    items = []
    for i in range(len(table)):
        row = table.iloc[i]
        points = float(row[ikm]) - float(now[ikm])
        if current.iloc[i] or points <= 0:
            continue
        per = (float(row[cost]) - float(now[cost])) / points
        items.append(_t("pareto_cost_point", lang, point=names[i], cost=rupiah(per, lang)))
    return [Heading(label("brief_costs", lang)), Items(tuple(items))] if items else []


def _pareto_blocks(result: ResultFolder, lang: str) -> list[Block]:
    files = ", ".join(p.relative_to(result.path).as_posix() for p in result.variant_files)
    return [
        Heading(label("brief_answer", lang)),
        Para(answer_sentence(result, lang), strong=True),
        *_pareto_table(result, lang),
        *_pareto_costs(result, lang),
        *_figures(result, lang),
        Heading(label("brief_depends", lang)),
        Para(_t("pareto_depends", lang)),
        *_assumptions(result, lang, {}),
        *([Para(_t("pareto_files", lang, files=files))] if files else []),
    ]


# --------------------------------------------------------------------------- entry points


def answer_sentence(result: ResultFolder, lang: str = "id") -> str:
    """The answer in one or two plain sentences (``lang`` ``id`` or ``en``)."""
    label("brief_answer", lang)  # checks lang
    if result.kind == "compare":
        return _compare_answer(result, lang)
    if result.kind == "robust":
        return _robust_answer(result, lang)
    return _pareto_answer(result, lang)


def blocks(result: ResultFolder, lang: str = "id") -> tuple[str, list[Block]]:
    """The brief's title and blocks for a result folder."""
    label("brief_answer", lang)  # checks lang
    title = _title(result, lang)
    body = {"compare": _compare_blocks, "robust": _robust_blocks, "optimise": _pareto_blocks}[
        result.kind
    ](result, lang)
    return title, [
        Heading(title, 1),
        *_question(result, lang),
        *body,
        *_reproduce(result, lang, lang),
    ]
