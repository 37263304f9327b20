"""The validation report: verdicts, pooling, the CLI and docs/validation.md staying current."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asnsim.cli import main
from asnsim.observed import COLUMNS, load_targets
from asnsim.validation import (
    VALIDATION_COLUMNS,
    compare_targets,
    doc_from_folder,
    likely_reason,
    render_doc,
    verdict,
    verdict_changes,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "data" / "validation"


# --------------------------------------------------------------------------- verdicts


@pytest.mark.parametrize(
    ("observed", "simulated", "expected"),
    [
        ((0.045, 0.047), (0.012, 0.022), "miss_low"),
        ((0.045, 0.047), (0.048, 0.06), "miss_high"),
        ((0.045, 0.047), (0.046, 0.05), "hit"),  # partial overlap
        ((0.03, 0.07), (0.04, 0.05), "hit"),  # interval inside the range
        ((0.04, 0.04), (0.03, 0.05), "hit"),  # a value inside the interval
        ((0.05, 0.05), (0.03, 0.05), "hit"),  # touching counts as overlap
        ((88.79, 88.79), (82.0, 82.3), "miss_low"),
        ((73.2, 73.2), (82.9, 83.7), "miss_high"),
        ((1.0, 1.0), (np.nan, np.nan), "not_simulated"),
    ],
)
def test_verdict(observed, simulated, expected):
    assert verdict(*observed, *simulated) == expected


def test_likely_reason_table():
    assert likely_reason("retirement_rate", "hit") == ""
    assert "national 2023 bands" in likely_reason("retirement_rate", "miss_low")
    assert "neutral unit" in likely_reason("ikm", "miss_low", unit_scope=True)
    assert "independent survey" in likely_reason("ikm", "miss_low", unit_scope=False)
    assert "national independent survey" in likely_reason("ikm", "miss_high")
    assert "full scale" in likely_reason("ikm_unit_spread", "miss_high")
    assert "own survey" in likely_reason("ikm_unit_max", "miss_low")
    assert "band A" in likely_reason("band_a_share", "miss_low")
    assert "schools" in likely_reason("teacher_share_of_retirees", "miss_low")
    assert "outside one's field" in likely_reason("newcomer_resignation_rate", "miss_high")
    assert "An input" in likely_reason("unwanted_placement_resignation_rate", "not_simulated")
    assert likely_reason("age_51_60_share", "not_simulated").startswith("Starting ages")
    assert likely_reason("something_new", "miss_low") == "Not yet diagnosed."


# --------------------------------------------------------------------------- comparing


TARGETS = """\
nat_ret,retirement_rate,national,2023,0.035,,,share_per_year,s,§1.6,M,calibration,
kab_ret,retirement_rate,kab_kota,2023,,0.03,0.05,share_per_year,s,§7,L,calibration,
a_ikm,ikm,a,2024,85,,,ikm_points,s,§2.1,H,validation,
a_unit,ikm,a/U1,2024,98,,,ikm_points,s,§2.1,H,validation,
nat_health,ikm,national/health,2021,73.2,,,ikm_points,s,§2.2,H,validation,
kab_teachers,teacher_share_of_retirees,kab_kota,2023,0.67,,,share,s,§7,L,calibration,
nat_age,age_mean_pns,national,2018,45,,,years,s,§1.2,M,calibration,
other,ikm,kota X,2023,88,,,ikm_points,s,§2.2,M,calibration,
"""


@pytest.fixture
def compared(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(",".join(COLUMNS) + "\n" + TARGETS, encoding="utf-8")
    grid = [(r, y) for r in (0, 1) for y in (1, 2)]
    city = pd.DataFrame(
        [
            {"city": "a", "replication": r, "year": y, "retirement_rate": 0.02,
             "headcount_start": 100, "served": 1000, "ikm": 80.0}
            for r, y in grid
        ]
        + [
            {"city": "b", "replication": r, "year": y, "retirement_rate": 0.04,
             "headcount_start": 300, "served": 3000, "ikm": 90.0}
            for r, y in grid
        ]
    )  # fmt: skip
    units = pd.DataFrame(
        [
            {"city": c, "replication": r, "year": y, "unit_name": n, "sector": "health",
             "ikm": v, "served": s}
            for r, y in grid
            for c, n, v, s in (("a", "U1", 70.0, 10), ("b", "U2", 90.0, 30))
        ]
    )  # fmt: skip
    return compare_targets(load_targets(path), city, units, ["a", "b"]).set_index(
        ["target", "compared_with"]
    )


def test_national_rates_pool_the_cities_by_headcount(compared):
    row = compared.loc[("nat_ret", "5 cities pooled")]
    # (0.02 × 100 + 0.04 × 300) / 400 = 0.035 in each of the 4 draws
    assert row["simulated_mean"] == pytest.approx(0.035)
    assert row["draws"] == 4
    assert row["verdict"] == "hit"


def test_kab_kota_targets_are_compared_with_each_city(compared):
    assert compared.loc[("kab_ret", "a"), "verdict"] == "miss_low"
    assert compared.loc[("kab_ret", "b"), "verdict"] == "hit"
    assert compared.loc[("kab_teachers", "a"), "verdict"] == "not_simulated"
    assert compared.loc[("kab_teachers", "b"), "verdict"] == "not_simulated"


def test_city_unit_and_sector_targets(compared):
    assert compared.loc[("a_ikm", "a"), "simulated_mean"] == 80.0
    assert compared.loc[("a_ikm", "a"), "verdict"] == "miss_low"
    unit = compared.loc[("a_unit", "a: U1")]
    assert unit["simulated_mean"] == 70.0 and unit["verdict"] == "miss_low"
    assert "neutral unit" in unit["likely_reason"]
    # served-weighted: (70 × 10 + 90 × 30) / 40 = 85
    health = compared.loc[("nat_health", "health units of 5 cities")]
    assert health["simulated_mean"] == pytest.approx(85.0)
    assert health["verdict"] == "miss_high"


def test_fitted_marks_what_every_city_compared_was_fitted_to(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(",".join(COLUMNS) + "\n" + TARGETS, encoding="utf-8")
    city = pd.DataFrame(
        {"city": ["a", "b"], "replication": 0, "year": 1, "retirement_rate": 0.04,
         "headcount_start": 100, "served": 10, "ikm": 85.0}
    )  # fmt: skip
    units = pd.DataFrame(columns=["city", "replication", "year", "unit_name", "sector", "ikm"])
    units = units.assign(served=[])
    fitted = {"a": ["nat_ret", "kab_ret", "a_ikm"], "b": ["kab_ret"]}
    table = compare_targets(load_targets(path), city, units, ["a", "b"], fitted)
    marks = table.set_index(["target", "compared_with"])["fitted"]
    assert marks[("nat_ret", "5 cities pooled")] == "no"  # national: b was not fitted to it
    assert marks[("kab_ret", "a")] == "yes" and marks[("kab_ret", "b")] == "yes"
    assert marks[("a_ikm", "a")] == "yes"
    assert marks[("kab_teachers", "b")] == "no"
    assert marks[("other", "")] == ""  # an anchor is not compared, so neither fitted nor not
    both = {"a": ["nat_ret"], "b": ["nat_ret"]}
    table = compare_targets(load_targets(path), city, units, ["a", "b"], both)
    assert table.set_index("target").loc["nat_ret", "fitted"] == "yes"
    plain = compare_targets(load_targets(path), city, units, ["a", "b"])
    assert set(plain["fitted"]) == {""}


def test_missing_quantity_and_other_places(compared):
    assert compared.loc[("nat_age", "5 cities pooled"), "verdict"] == "not_simulated"
    other = compared.loc[("other", "")]
    assert other["verdict"] == "anchor" and other["draws"] == 0
    assert set(compared.reset_index().columns) == set(VALIDATION_COLUMNS)


# --------------------------------------------------------------------------- the document


def test_doc_from_the_small_fixture():
    text = doc_from_folder(FIXTURE)
    meta = json.loads((FIXTURE / "validation.json").read_text())
    assert f"{meta['command']} --out results/validation" in text
    assert "| validation | 0 | 2 | 0 |" in text  # 2 misses among the held-out targets
    assert "| calibration | 1 | 0 | 1 |" in text
    assert (
        "| `padang_ikm_2024` | padang | 2024 | 88.79 | 82.16 [82.04, 82.27] | "
        "**miss** (model low) |" in text
    )
    assert (
        "| `kab_kota_ikm_level` | padang | 2021-2024 | 78.91 – 93.88 | 82.16 [82.04, 82.27] | "
        "hit |" in text
    )
    assert "## Anchors (other places, not compared)" in text
    assert "`madiun_ikm_2023`" in text


def test_docs_validation_md_is_current():
    """docs/validation.md is what the renderer makes of the stored runs (regenerate with
    ``python -m asnsim.validation --doc results/validation --fixed results/validation-fixed``
    after real runs): the cities under their shipped posteriors, the fixed model beside."""
    stored = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    assert stored == doc_from_folder(ROOT / "docs" / "validation")
    assert "--replications 5 --scale 0.25" in stored
    assert "--posterior data/calibrated --out results/validation\n" in stored
    assert "## What calibration changed" in stored
    posterior = pd.read_csv(ROOT / "docs" / "validation" / "validation.csv")
    fixed = pd.read_csv(ROOT / "docs" / "validation" / "fixed" / "validation.csv")
    # the same settings, so the two differ only by the posterior draws
    settings = ("replications", "scale", "years", "seed", "cities")
    metas = [json.loads((ROOT / "docs" / "validation" / f).read_text()) for f in
             ("validation.json", "fixed/validation.json")]  # fmt: skip
    assert [m[k] for k in settings for m in metas[:1]] == [metas[1][k] for k in settings]
    assert "posterior" in metas[0] and "posterior" not in metas[1]
    assert set(posterior.loc[posterior["use"] == "validation", "fitted"]) == {"no"}
    fitted = posterior.loc[posterior["fitted"] == "yes", "target"]
    assert set(fitted) <= set(posterior.loc[posterior["use"] == "calibration", "target"])
    assert "kab_kota_teacher_share_of_retirees" not in set(fitted)  # excluded from the fit
    assert len(posterior) == len(fixed)


def test_the_doc_run_covers_every_shipped_target():
    table = pd.read_csv(ROOT / "docs" / "validation" / "validation.csv")
    assert set(table["target"]) == set(load_targets()["target"])


def test_render_doc_counts_a_kab_kota_target_once_per_city():
    table = pd.DataFrame(
        {
            "target": ["k", "k"],
            "use": ["calibration"] * 2,
            "compared_with": ["a", "b"],
            "verdict": ["hit", "miss_low"],
            "likely_reason": ["", "r"],
            "year": ["2023"] * 2,
            "unit": ["share"] * 2,
            "observed_low": [0.1] * 2,
            "observed_high": [0.2] * 2,
            "simulated_mean": [0.15, 0.01],
            "simulated_p05": [0.12, 0.0],
            "simulated_p95": [0.18, 0.02],
        }
    )
    meta = {"command": "c", "cities": ["a", "b"], "replications": 1, "scale": 1.0,
            "years": 1, "seed": 0, "failed_runs": 0}  # fmt: skip
    text = render_doc(table, meta)
    assert "| calibration | 1 | 1 | 0 |" in text
    assert (
        "| `k` | b | 2023 | 10.0 % – 20.0 % | 1.0 % [0.0 %, 2.0 %] | **miss** (model low) | r |"
        in text
    )


def _table(verdicts: list[str]) -> pd.DataFrame:
    n = len(verdicts)
    return pd.DataFrame(
        {
            "target": [f"t{i}" for i in range(n)],
            "use": ["calibration"] * n,
            "compared_with": ["a"] * n,
            "verdict": verdicts,
            "fitted": ["yes"] * n,
            "likely_reason": [""] * n,
            "year": ["2023"] * n,
            "unit": ["share"] * n,
            "observed_low": [0.1] * n,
            "observed_high": [0.2] * n,
            "simulated_mean": [0.15] * n,
            "simulated_p05": [0.12] * n,
            "simulated_p95": [0.18] * n,
        }
    )


def test_verdict_changes_and_the_doc_beside_the_fixed_model():
    posterior = _table(["hit", "miss_low", "hit", "miss_high"])
    fixed = _table(["miss_low", "hit", "hit", "miss_low"])
    changes = verdict_changes(posterior, fixed)
    assert list(changes["target"]) == ["t0", "t1", "t3"]
    assert list(changes["fixed"]) == ["miss_low", "hit", "miss_low"]
    assert list(changes["posterior"]) == ["hit", "miss_low", "miss_high"]
    meta = {"command": "c --posterior p", "cities": ["a"], "replications": 1, "scale": 1.0,
            "years": 1, "seed": 0, "failed_runs": 0, "posterior": "p"}  # fmt: skip
    fixed_meta = meta | {"command": "c"}
    fixed_meta.pop("posterior")
    text = render_doc(posterior, meta, fixed, fixed_meta)
    assert "c --posterior p --out results/validation\nc --out results/validation-fixed\n" in text
    assert "--doc results/validation --fixed results/validation-fixed" in text
    assert "| calibration | 2 | 2 | 0 |" in text
    assert "| calibration, fixed assumptions | 2 | 2 | 0 |" in text
    assert "3 comparisons changed verdict" in text
    assert "1 from miss to hit, 1 from hit to miss, 1 from one side of a miss to the other" in text
    assert "| `t3` | calibration | a | yes | miss (low) | miss (high) |" in text
    # each row: its verdict, whether it was fitted, and the fixed model's mean and verdict
    assert "| hit | yes | 15.0 %, miss (low) |" in text
    assert "fixed assumptions" not in render_doc(posterior, meta)


# --------------------------------------------------------------------------- the command


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("validation")
    args = ["validation", "--replications", "1", "--scale", "0.05", "--years", "1"]
    code = main([*args, "--serial", "--quiet", "--out", str(out)])
    return code, out


def test_cli_writes_the_report(cli_run):
    code, out = cli_run
    assert code == 0
    for name in ("validation.csv", "validation.json", "validation.png"):
        assert (out / name).stat().st_size > 0
    table = pd.read_csv(out / "validation.csv")
    assert set(table["target"]) == set(load_targets()["target"])
    assert set(table["verdict"]) <= {"hit", "miss_low", "miss_high", "not_simulated", "anchor"}
    meta = json.loads((out / "validation.json").read_text())
    assert meta["cities"] == ["padang", "kotabumi", "palembang", "medan", "kupang"]


def test_cli_rates_are_the_stored_runs_counts(cli_run):
    _, out = cli_run
    table = pd.read_csv(out / "validation.csv").set_index(["target", "compared_with"])
    padang = pd.read_parquet(next((out / "padang" / "runs").glob("*/city.parquet")))
    rate = padang["retirements"].iloc[0] / padang["headcount_start"].iloc[0]
    row = table.loc[("padang_retirement_rate_2024", "padang")]
    assert row["draws"] == 1
    assert row["simulated_mean"] == pytest.approx(rate)
    cities = [
        pd.read_parquet(next((out / c / "runs").glob("*/city.parquet")))
        for c in ("padang", "kotabumi", "palembang", "medan", "kupang")
    ]
    pooled = sum(c["retirements"].sum() for c in cities) / sum(
        c["headcount_start"].sum() for c in cities
    )
    national = table.loc[("national_retirement_rate_2023", "5 cities pooled")]
    assert national["simulated_mean"] == pytest.approx(pooled)
    assert not math.isnan(table.loc[("padang_ikm_unit_max_2024", "padang"), "simulated_mean"])


def test_cli_refuses_an_unknown_city(tmp_path, capsys):
    assert main(["validation", "--city", "jakarta", "--out", str(tmp_path), "--serial"]) == 2
    assert "jakarta" in capsys.readouterr().err


def test_cli_refuses_a_folder_of_other_runs_and_a_bad_scale(cli_run, capsys):
    _, out = cli_run
    args = ["validation", "--replications", "1", "--scale", "0.05", "--serial", "--quiet"]
    assert main([*args, "--years", "2", "--out", str(out)]) == 2
    assert "another experiment" in capsys.readouterr().err
    assert main([*args[:-3], "-1", "--serial", "--out", str(out / "x")]) == 2
    assert "scale" in capsys.readouterr().err


def test_cli_under_the_shipped_posteriors_marks_the_fitted_rows(tmp_path):
    out = tmp_path / "v"
    args = ["validation", "--city", "kupang", "--replications", "2", "--scale", "0.05"]
    args += ["--years", "1", "--posterior", "shipped", "--serial", "--quiet", "--out", str(out)]
    assert main(args) == 0
    meta = json.loads((out / "validation.json").read_text())
    fitted = set(meta["fitted"]["kupang"])
    assert "kab_kota_ikm_level" in fitted and "padang_pppk_share_2025" not in fitted
    table = pd.read_csv(out / "validation.csv", keep_default_na=False)
    marks = table.set_index(["target", "compared_with"])["fitted"]
    assert marks[("kab_kota_ikm_level", "kupang")] == "yes"
    assert marks[("kab_kota_teacher_share_of_retirees", "kupang")] == "no"
    assert marks[("padang_ikm_2024", "")] == ""  # padang not run: an anchor here
    runs = pd.read_parquet(next((out / "kupang" / "runs").glob("*/city.parquet")))
    assert len(runs) == 1
