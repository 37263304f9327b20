"""asnsim brief: the words, numbers and files of a planner's brief, on hand-made result folders.

Each folder is built by hand with known numbers, so the sentences can be checked word for word:
an effect is named only when its interval excludes 0, and an interval containing 0 is said to
be "not detected" (never "no effect"). The browser test opens the HTML page in headless
chromium and checks that it loads without errors, shows the answer and decodes every figure.
"""

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from asnsim import cli  # noqa: E402
from asnsim.brief import answer_sentence, read_result, render, write_brief  # noqa: E402
from asnsim.brief.command import MD_MARK  # noqa: E402
from asnsim.brief.words import difference_sentence, num, rupiah  # noqa: E402
from asnsim.scenario import Assumptions, ScenarioError  # noqa: E402

QUESTION = "Question: does placement by competency raise IKM in Kota Uji?"
SCENARIO = {
    "name": "uji",
    "description": QUESTION,
    "horizon_years": 5,
    "scale": 0.1,
    "city": {"name": "Kota Uji", "source": "Invented for the test (no real place)."},
    "assumptions": {"ramp_days": 60.0},
    "uncertainties": {"assumptions.mismatch_ceiling": [0.75, 0.9]},
}


def _png(path: Path, colour: str = "C0") -> None:
    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=50)
    ax.plot([0, 1], [0, 1], color=colour)
    fig.savefig(path)
    plt.close(fig)


def _row(outcome, variant, mean, diff=0.0, lo=0.0, hi=0.0, share=float("nan"), note=""):
    return {
        "outcome": outcome,
        "variant": variant,
        "mean": mean,
        "sd": 0.1,
        "diff": diff,
        "ci_low": lo,
        "ci_high": hi,
        "share_better": share,
        "n": 10,
        "note": note,
    }


def make_comparison(folder: Path, detected: bool = True) -> Path:
    """base, match (+0.50 IKM [0.20, 0.80] if detected) and train (+0.10 [-0.30, 0.50])."""
    match = (0.5, 0.2, 0.8) if detected else (0.5, -0.1, 1.1)
    rows = [
        _row("ikm_true", "base", 81.0),
        _row("ikm_true", "match", 81.0 + match[0], *match, share=0.9),
        _row("ikm_true", "train", 81.1, 0.1, -0.3, 0.5, share=0.6),
        _row("wait_mean_days", "base", 2.0),
        _row("wait_mean_days", "match", 1.75, -0.25, -0.4, -0.1, share=0.8),
        _row("wait_mean_days", "train", 2.0, 0.0, -0.2, 0.2, share=0.4),
        _row("matched_share", "base", 0.4),
        _row("matched_share", "match", 0.46, 0.06, 0.04, 0.08, share=1.0),
        _row("matched_share", "train", 0.4, 0.0, -0.01, 0.01, share=0.5),
        _row("cum_total_spend", "base", 10e9),
        _row("cum_total_spend", "match", 10.2e9, 0.2e9, 0.1e9, 0.3e9, share=0.0),
        _row("cum_total_spend", "train", 11e9, 1e9, 1e9, 1e9, share=0.0),
        _row("cost_per_ikm_point", "match", 4e8, 4e8, 2e8, 9e8),
        _row(
            "cost_per_ikm_point",
            "train",
            float("nan"),
            float("nan"),
            float("nan"),
            float("nan"),
            note="undefined: the IKM difference's interval contains 0",
        ),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(folder / "comparison.csv", index=False)
    experiment = {
        "name": "compare-uji",
        "scenario": "scenarios/uji.yaml",
        "baseline": "base",
        "replications": 10,
        "master_seed": 5,
        "overrides": {"scale": 0.1, "horizon_years": 5},
        "variants": {
            "base": {},
            "match": {"policies.placement.name": "competency_match"},
            "train": {"policies.training.name": "needs_based", "training.budget_share": 0.5},
        },
    }
    manifest = {"kind": "compare", "files": ["manifest.json"], "experiment": experiment}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    run = folder / "runs" / "base__r0000"
    run.mkdir(parents=True)
    (run / "scenario.json").write_text(json.dumps(SCENARIO))
    _png(folder / "comparison.png")
    return folder


def make_robust(folder: Path) -> Path:
    folder.mkdir(parents=True)
    rows = []
    for option, ikm, p, rmean, rmax, meets, spend in (
        ("A", 82.0, 0.7, 0.1, 0.9, 0.6, 11e9),
        ("B", 81.5, 0.3, 0.6, 1.4, 0.35, 10e9),
    ):
        rows.append(
            {
                "option": option,
                "outcome": "ikm_true",
                "expected": ikm,
                "p_best": p,
                "regret_mean": rmean,
                "regret_max": rmax,
                "meets:ikm_band_A": meets,
            }
        )
        rows.append(
            {
                "option": option,
                "outcome": "cum_total_spend",
                "expected": spend,
                "p_best": 1 - p,
                "regret_mean": 0.0,
                "regret_max": 0.0,
                "meets:ikm_band_A": float("nan"),
            }
        )
    pd.DataFrame(rows).to_csv(folder / "robust.csv", index=False)
    pd.DataFrame({"world": range(50), "assumptions.mismatch_ceiling": 0.8}).to_csv(
        folder / "worlds.csv", index=False
    )
    pd.DataFrame(
        [
            ("A", "assumptions.mismatch_ceiling", 0.75, 0.8, 0.8, 0.9),
            ("A", "assumptions.ramp_days", 40, 60, 0.8, 0.9),
        ],
        columns=["option", "parameter", "low", "high", "coverage", "density"],
    ).assign(outcome="ikm_true").to_csv(folder / "discovery.csv", index=False)
    _png(folder / "p_best.png")
    _png(folder / "regret.png", "C1")
    manifest = {
        "kind": "robust",
        "command": ["asnsim", "robust", "kotabumi", "--variant", "A", "x=1", "--out", "r"],
        "scenario": SCENARIO,
        "baseline": "B",
        "options": {"B": {}, "A": {"policies.placement.name": "competency_match"}},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def make_pareto(folder: Path, current_dominated: bool = True) -> Path:
    """The front as ``asnsim optimise`` writes it: the points, then the current policy."""
    folder.mkdir(parents=True)
    current_ikm = 80.5 if current_dominated else 82.5
    table = pd.DataFrame(
        {
            "point": ["current", "p0001", "p0002", "p0003"],
            "current": [True, False, False, False],
            "placement": ["seniority", "seniority", "competency_match", "competency_match"],
            "training.budget_per_year": [1e9, 1e9, 2e9, 3e9],
            "ikm_true": [current_ikm, 81.0, 82.0, 83.0],
            "ikm_true_low": [current_ikm - 0.2, 80.8, 81.8, 82.8],
            "ikm_true_high": [current_ikm + 0.2, 81.2, 82.2, 83.2],
            "wait_mean_days": [2.0, 2.0, 1.5, 1.2],
            "cost_per_year": [2e9, 1e9, 2e9, 4e9],
            "n": 5,
            "feasible": True,
            "pareto": [not current_dominated, True, True, True],
            "variant": [
                f"variants/{n}.yaml" for n in ("current", "point_00", "point_01", "point_02")
            ],
        }
    )
    table.to_csv(folder / "pareto.csv", index=False)
    _png(folder / "pareto.png")
    (folder / "variants").mkdir()
    for name in ("current", "point_00", "point_01", "point_02"):
        (folder / "variants" / f"{name}.yaml").write_text("extends: base.yaml\n")
    manifest = {
        "kind": "optimise",
        "command": ["asnsim", "optimise", "kotabumi", "--budget", "1e10"],
        "objectives": ["ikm_true", "wait_mean_days", "cost_per_year"],
        "scenario": SCENARIO,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def _text(folder: Path, lang: str) -> str:
    return render(read_result(folder), lang)[1]


# --------------------------------------------------------------------------- words and numbers


def test_numbers_in_each_language():
    assert num(1234.567, "en") == "1,234.57" and num(1234.567, "id") == "1.234,57"
    assert num(0.2, "id", 2, sign=True) == "+0,20" and num(-0.001, "en", 2) == "0.00"
    assert rupiah(4e8, "en") == "Rp 400 million" and rupiah(4e8, "id") == "Rp 400 juta"
    assert rupiah(1.25e10, "id") == "Rp 12,5 miliar"


def test_an_interval_containing_zero_is_not_detected_never_no_effect():
    en = difference_sentence("train", "ikm_true", 0.1, -0.3, 0.5, "en")
    assert en == (
        "train: no effect on expected IKM was detected (95% interval -0.30 to +0.50, which "
        "includes 0); this does not show that there is no effect"
    )
    idn = difference_sentence("train", "ikm_true", 0.1, -0.3, 0.5, "id")
    assert "tidak terdeteksi" in idn and "interval 95%: -0,30 sampai +0,50" in idn
    # a lower wait is better; a bound that rounds to 0 keeps its sign and a digit
    wait = difference_sentence("match", "wait_mean_days", -0.25, -0.4, -0.0003, "en")
    assert wait == (
        "match lowers mean wait by 0.25 working days (95% interval -0.40 to -0.0003): better"
    )
    worse = difference_sentence("x", "abandon_rate", 0.02, 0.01, 0.03, "en")
    assert "raises share who gave up waiting by 2.0 percentage points" in worse
    assert worse.endswith("worse")


# --------------------------------------------------------------------------- comparison


def test_comparison_answer_in_english_and_indonesian(tmp_path):
    result = read_result(make_comparison(tmp_path / "cmp"))
    assert result.kind == "compare" and result.baseline == "base"
    assert answer_sentence(result, "en") == (
        "Answer: match gives the highest expected IKM: 81.50 against 81.00 with base, "
        "0.50 points more (95% interval +0.20 to +0.80)."
    )
    assert answer_sentence(result, "id") == (
        "Jawaban: match memberi IKM (nilai harapan) tertinggi: 81,50 dibanding 81,00 dengan "
        "base, lebih tinggi 0,50 poin (interval 95%: +0,20 sampai +0,80)."
    )
    en = _text(tmp_path / "cmp", "en")
    assert QUESTION in en
    assert "train: no effect on expected IKM was detected" in en
    assert "train raises expected IKM" not in en
    assert "match raises staff in their field by 6.0 percentage points" in en
    # costs: the spend difference and Fieller's interval, or why the cost is undefined
    assert "match spends Rp 200 million more than base over the horizon" in en
    assert "match: Rp 400 million per point of expected IKM gained (Rp 200 million – " in en
    assert "train: cost per IKM point not computed: the IKM difference was not detected" in en
    idn = _text(tmp_path / "cmp", "id")
    assert "match: Rp 400 juta per poin IKM" in idn
    assert "train: pengaruh terhadap IKM (nilai harapan) tidak terdeteksi" in idn


def test_when_every_interval_includes_zero_the_answer_says_not_detected(tmp_path):
    result = read_result(make_comparison(tmp_path / "cmp", detected=False))
    en = answer_sentence(result, "en")
    assert en.startswith(
        "Answer: no difference in expected IKM between the options and base was detected: "
        "every 95% interval includes 0 (match +0.50, 95% interval -0.10 to +1.10;"
    )
    assert "does not show that the options make no difference" in en
    assert "tidak terdeteksi perbedaan IKM (nilai harapan)" in answer_sentence(result, "id")


def test_assumptions_with_their_reasons_and_the_command(tmp_path):
    folder = make_comparison(tmp_path / "cmp")
    en = _text(folder, "en")
    reason = Assumptions.model_fields["ramp_days"].description
    # set differently from the default: in the key table with value, default and reason
    assert f"| ramp_days | 60.0 | 80.0 | {reason} |" in en
    # declared uncertain: with its range
    assert "mismatch_ceiling | 0.85 (assumptions.mismatch_ceiling: 0.75 – 0.9)" in en
    assert "Invented for the test (no real place)." in en
    # the appendix lists every assumption
    assert all(f"| {name} |" in en for name in Assumptions.model_fields)
    # the rebuilt command makes the same comparison
    command = re.search(r"```bash\n(asnsim compare .*)\n```", en).group(1)
    import shlex

    args = cli._parser().parse_args(shlex.split(command)[1:])
    assert args.scenario == "scenarios/uji.yaml" and args.replications == 10
    assert args.seed == 5 and sorted(args.overrides) == ["horizon_years=5", "scale=0.1"]
    assert args.variant == [
        ["match", "policies.placement.name=competency_match"],
        ["train", "policies.training.name=needs_based", "training.budget_share=0.5"],
    ]
    assert f"asnsim reproduce {folder}" in en


def test_the_rebuilt_command_of_a_comparison_under_a_posterior_keeps_it():
    import shlex

    from asnsim.brief.folders import _compare_command

    experiment = {"scenario": "kotabumi", "variants": {"base": {}, "m": {"x": 1}},
                  "replications": 6, "master_seed": 5, "posterior": "kotabumi",
                  "seeds_per_draw": 2}  # fmt: skip
    args = cli._parser().parse_args(shlex.split(_compare_command(experiment, Path("o")))[1:])
    assert (args.posterior, args.seeds_per_draw, args.replications) == ("kotabumi", 2, 6)


def test_every_assumption_a_brief_shows_has_an_indonesian_reason_with_its_sources():
    from asnsim.labels import REASONS_ID

    assert set(REASONS_ID) == set(Assumptions.model_fields)  # every one, and no stale one
    for name, field in Assumptions.model_fields.items():
        english, indonesian = field.description, REASONS_ID[name]
        assert indonesian.startswith("[") and indonesian != english, name
        # the same sources: every year, regulation number and citation name is kept
        for number in re.findall(r"\b\d{2,}(?:/\d{4})?\b", english):
            assert number.replace(",", ".") in indonesian, (name, number)
        for source in re.findall(r"\b[A-Z][a-z]{3,}(?= (?:et al\.|&|\d{4}))", english):
            assert source in indonesian, (name, source)


def test_an_indonesian_brief_gives_reasons_and_the_question_in_indonesian(tmp_path):
    from asnsim.labels import REASONS_ID

    folder = make_comparison(tmp_path / "cmp")
    idn = _text(folder, "id")
    assert f"| ramp_days | 60.0 | 80.0 | {REASONS_ID['ramp_days']} |" in idn
    assert Assumptions.model_fields["hours_per_day"].description not in idn
    asked = "Bagaimana match dan train mengubah IKM, waktu tunggu dan biaya di Kota Uji"
    assert f"## Pertanyaan\n\n{asked}, dibandingkan dengan base?" in idn
    assert "How do match and train change IKM, waiting times and cost in Kota Uji" in _text(
        folder, "en"
    )
    assert QUESTION in idn  # the scenario's own words stay as written
    robust = _text(make_robust(tmp_path / "rob"), "id")
    assert "Pilihan mana di antara B dan A yang paling andal di Kota Uji pada 50 " in robust
    folder_p = make_pareto(tmp_path / "par")
    assert "Kombinasi kebijakan mana yang memberi Kota Uji IKM (nilai harapan), rata-rata " in (
        _text(folder_p, "id")
    )
    manifest = json.loads((folder_p / "manifest.json").read_text()) | {"budget_per_year": 1e10}
    (folder_p / "manifest.json").write_text(json.dumps(manifest))
    assert "biaya per tahun terbaik, dengan belanja paling banyak Rp 10,0 miliar per tahun?" in (
        _text(folder_p, "id")
    )
    # a question the planner wrote is shown as written, in either language
    mine = "Apakah mutasi berbasis kompetensi menaikkan IKM di Kota Uji?"
    html, md = write_brief(folder, "id", question=mine)
    assert f"## Pertanyaan\n\n{mine}\n" in md.read_text(encoding="utf-8")
    assert cli.main(["brief", str(folder), "--lang", "en", "--question", mine]) == 0
    assert f"## The question\n\n{mine}\n" in (folder / "brief.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- robust, Pareto


def test_robust_study(tmp_path):
    result = read_result(make_robust(tmp_path / "rob"))
    assert result.kind == "robust"
    assert answer_sentence(result, "en") == (
        "Answer: across 50 plausible worlds, A is the best option for expected IKM in 70% of "
        "them (expected value 82.00); its regret, what is lost against the best option of "
        "each world, is 0.10 points on average and 0.90 points at worst."
    )
    assert "dalam 50 kemungkinan kondisi (world), A adalah pilihan terbaik" in answer_sentence(
        result, "id"
    )
    en = _text(tmp_path / "rob", "en")
    assert "A meets the target 'ikm_band_A' in 60% of the worlds." in en
    assert (
        "A loses its lead when assumptions.mismatch_ceiling is between 0.75 and 0.8 and "
        "assumptions.ramp_days is between 40 and 60: 80% of the worlds" in en
    )
    # cost per point from expected values against the named baseline B: 1e9 / 0.5 points
    assert "A: about Rp 2.00 billion per point of expected IKM against B" in en
    assert "asnsim robust kotabumi --variant A x=1" in en
    assert "- A: policies.placement.name = competency_match" in en
    assert "ramp_days | 60.0 (assumptions.ramp_days: 40 – 60)" in en  # tested: its box
    assert en.count("![") == 2


def test_pareto_front(tmp_path):
    result = read_result(make_pareto(tmp_path / "par"))
    assert result.kind == "optimise"
    en = answer_sentence(result, "en")
    assert en.startswith("Answer: 3 policies are on the Pareto front")
    # point_00 (cheaper, same wait) and point_01 (same cost, shorter wait) beat the current
    # policy; point_02 has more IKM but costs more. The example is the cheapest.
    assert "2 point(s) do at least as well as the current policy" in en
    assert (
        "for example point_00: expected IKM 81.00 instead of 80.50, mean wait 2.00 instead of "
        "2.00, cost per year Rp 1.00 billion instead of Rp 2.00 billion." in en
    )
    text = _text(tmp_path / "par", "en")
    assert "asnsim optimise kotabumi --budget 1e10" in text
    assert "variants/point_00.yaml" in text
    assert "point_01: Rp 0 per point of IKM gained" in text
    assert "point_02: Rp 800 million per point of IKM gained" in text
    # the table: choices (budgets in rupiah) and objectives; no interval or bookkeeping column
    assert (
        "| point_01 | competency_match | Rp 2.00 billion | 82.00 | 1.50 | Rp 2.00 billion |"
        in text
    )
    assert "ikm_true_low" not in text and "| feasible" not in text
    on = read_result(make_pareto(tmp_path / "par2", current_dominated=False))
    assert answer_sentence(on, "en").startswith("Answer: 4 policies are on the Pareto front")
    assert "The current policy is on the front" in answer_sentence(on, "en")
    assert "Kebijakan saat ini berada di garis Pareto" in answer_sentence(on, "id")


# --------------------------------------------------------------------------- files


def test_html_is_self_contained_and_markdown_links_the_figures(tmp_path):
    folder = make_robust(tmp_path / "rob")
    html_path, md_path = write_brief(folder, "id")
    assert (html_path, md_path) == (folder / "brief.html", folder / "brief.md")
    html = html_path.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)"', html)
    assert [base64.b64decode(i) for i in images] == [
        (folder / n).read_bytes() for n in ("p_best.png", "regret.png")
    ]
    md = md_path.read_text(encoding="utf-8")
    assert md.startswith(MD_MARK) and "](p_best.png)" in md
    out = tmp_path / "elsewhere" / "laporan.html"
    out.parent.mkdir()
    write_brief(folder, "en", out)
    assert "](../rob/p_best.png)" in out.with_suffix(".md").read_text(encoding="utf-8")


def test_cli_refuses_what_it_must_not_touch(tmp_path, capsys):
    folder = make_comparison(tmp_path / "cmp")
    assert cli.main(["brief", str(folder), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Answer: match gives the highest expected IKM")
    assert cli.main(["brief", str(folder)]) == 0  # its own brief is replaced (now in id)
    assert 'lang="id"' in (folder / "brief.html").read_text(encoding="utf-8")
    mine = tmp_path / "mine.html"
    mine.write_text("<p>my notes</p>")
    assert cli.main(["brief", str(folder), "--out", str(mine)]) == 2
    assert "not written by asnsim brief" in capsys.readouterr().err
    assert mine.read_text() == "<p>my notes</p>" and not mine.with_suffix(".md").exists()
    assert cli.main(["brief", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "not a result folder" in err and "comparison.csv (compare)" in err
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "robust.csv").write_text("option,outcome\nA,ikm\n")
    assert cli.main(["brief", str(tmp_path / "bad")]) == 2
    assert "missing columns" in capsys.readouterr().err
    with pytest.raises(ScenarioError, match="no such folder"):
        read_result(tmp_path / "nowhere")


# --------------------------------------------------------------------------- a real browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

_PROBE = """<script>
window.__errors = [];
window.addEventListener("error", e => window.__errors.push(String(e.message || e.type)), true);
window.addEventListener("load", () => {
  const imgs = [...document.images];
  document.body.setAttribute("data-probe", JSON.stringify({
    images: imgs.length,
    decoded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
    errors: window.__errors,
    answer: (document.querySelector("p.answer") || {}).innerText || ""
  }));
});
</script>"""


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install -y chromium); the browser check is skipped",
)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_brief_renders_in_headless_chromium(tmp_path, lang):
    folder = make_comparison(tmp_path / "cmp")
    (folder / "regret.png").write_bytes((folder / "comparison.png").read_bytes())
    html_path, _ = write_brief(folder, lang)
    page = html_path.read_text(encoding="utf-8")
    # the page as written, plus a probe that reports what the browser made of it
    probed = tmp_path / "probed.html"
    probed.write_text(page.replace("</head>", _PROBE + "\n</head>"), encoding="utf-8")
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--dump-dom",
            probed.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r"data-probe=\"([^\"]*)\"", done.stdout)
    assert found, done.stdout[:2000]
    probe = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert probe["errors"] == []
    assert probe["images"] == 2 and probe["decoded"] == 2
    assert probe["answer"] == answer_sentence(read_result(folder), lang)


# --------------------------------------------------------------------------- the dashboard page


def test_results_page_opens_a_saved_result(tmp_path):
    solara = pytest.importorskip("solara")  # the optional 'dashboard' extra
    import ipyvuetify as v
    import ipywidgets
    from solara.components.datatable import DataTableWidget

    from asnsim.brief.page import make_results_page

    rob, par = make_robust(tmp_path / "rob"), make_pareto(tmp_path / "par")
    page = make_results_page("", "en")
    _, rc = solara.render(solara.AppLayout(children=[page]), handle_error=False)

    def alerts() -> list[str]:
        return [" ".join(map(str, w.children)) for w in rc.find(v.Alert).widgets]

    def open_folder(path) -> None:  # what typing a path and Enter does in the browser
        field = rc.find(v.TextField, label="Result folder").widget
        field.v_model = str(path)
        field.fire_event("keyup.enter", None)

    def images() -> list[bytes]:
        return [bytes(w.value) for w in rc.find(ipywidgets.Image).widgets]

    assert any("Type the path of a folder" in a for a in alerts())
    open_folder(rob)
    assert answer_sentence(read_result(rob), "en") in alerts()
    assert images() == [(rob / n).read_bytes() for n in ("p_best.png", "regret.png")]
    table = rc.find(DataTableWidget).widget
    assert [(i["option"], i["outcome"]) for i in table.items] == [
        ("A", "ikm_true"),
        ("A", "cum_total_spend"),
        ("B", "ikm_true"),
        ("B", "cum_total_spend"),
    ]

    rc.find(v.Btn, children=["Write the brief"]).widget.click()
    assert (rob / "brief.html").is_file() and (rob / "brief.md").is_file()
    assert any("brief written:" in a for a in alerts())

    open_folder(par)
    assert any(a.startswith("Answer: 3 policies are on the Pareto front") for a in alerts())
    assert images() == [(par / "pareto.png").read_bytes()]

    open_folder(tmp_path)  # not a result folder: the reason, no traceback
    assert any("not a result folder asnsim can brief" in a for a in alerts())
    assert not images()


def test_dashboard_command_serves_the_results_page(tmp_path, launched, capsys):
    pytest.importorskip("solara")
    from asnsim import app
    from asnsim.brief.page import ENV_RESULTS

    folder = make_comparison(tmp_path / "cmp")
    assert app.main(["--results", str(folder), "--lang", "id", "--port", "0"]) == 0
    assert launched["cmd"][4] == "asnsim.brief.page:results_page"
    assert launched["env"][ENV_RESULTS] == str(folder.resolve())
    assert launched["env"][app.ENV_LANG] == "id"
    launched.clear()
    assert app.main(["--results", str(tmp_path)]) == 2  # not a result folder
    assert app.main([]) == 2  # neither a scenario nor --results
    assert not launched
    assert "not a result folder" in capsys.readouterr().err


def test_a_comparison_under_a_posterior_says_its_intervals_carry_both(tmp_path):
    """Under a posterior the brief must not claim the intervals carry chance only; a prior
    declared as a mapping is described, not indexed like [low, high]."""
    folder = make_comparison(tmp_path / "cmp")
    assert "carry chance only" in _text(folder, "en")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["experiment"]["posterior"] = "kotabumi"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    scenario = dict(SCENARIO) | {
        "uncertainties": {
            "assumptions.ramp_days": [40, 90],
            "assumptions.pppk_exit_rate": {"dist": "normal", "mean": 0.02, "sd": 0.01,
                                           "low": 0.0, "high": 0.1},
        }
    }  # fmt: skip
    (folder / "runs" / "base__r0000" / "scenario.json").write_text(json.dumps(scenario))
    en, idn = _text(folder, "en"), _text(folder, "id")
    assert "carry chance only" not in en
    assert "from the calibrated posterior (kotabumi)" in en
    assert "posterior hasil kalibrasi (kotabumi)" in idn
    assert "assumptions.ramp_days [40, 90]" in en
    assert "assumptions.pppk_exit_rate normal(mean=0.02, sd=0.01) on [0, 0.1]" in en
