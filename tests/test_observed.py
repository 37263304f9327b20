"""Observed targets (data/observed) and the summary quantities they are compared with."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asnsim.model import ASNModel
from asnsim.observed import COLUMNS, DEFAULT_PATH, ObservedError, load_targets, target_bounds
from asnsim.outcomes import (
    OBSERVED_KEYS,
    SUMMARY_KEYS,
    personnel_rates,
    unit_ikm_spread,
    workforce_mix,
)
from asnsim.scenario import load_scenario
from asnsim.workforce import PPPK

TINY = Path(__file__).parent / "data" / "tiny.yaml"

HEADER = ",".join(COLUMNS)
GOOD = (
    "t1,retirement_rate,national,2023,0.0455,,,share_per_year,BKN,§1.6 national,M,"
    "calibration,derived"
)


def _write(tmp_path, *rows, header=HEADER, name="targets.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _row(**changes):
    cells = dict(zip(COLUMNS, GOOD.split(","), strict=True)) | changes
    return ",".join(str(cells[c]) for c in COLUMNS)


# --------------------------------------------------------------------------- shipped table


@pytest.fixture(scope="module")
def shipped():
    return load_targets()


def test_shipped_targets_load_with_both_uses(shipped):
    assert list(shipped.columns) == list(COLUMNS)
    assert shipped["target"].is_unique
    assert set(shipped["use"]) == {"calibration", "validation"}
    assert len(load_targets(use="validation")) + len(load_targets(use="calibration")) == len(
        shipped
    )


def test_shipped_targets_cite_observed_or_domain(shipped):
    for ref in shipped["observed_ref"]:
        assert ref.startswith("§") or ref.startswith("DOMAIN.md"), ref


def test_data_readme_counts_the_split_as_the_table_does(shipped):
    readme = (DEFAULT_PATH.parent / "README.md").read_text(encoding="utf-8")
    counts = shipped["use"].value_counts()
    assert f"**Calibration** ({counts['calibration']} rows)" in readme
    assert f"**Validation** ({counts['validation']} rows)" in readme


def test_held_out_targets_are_those_the_brief_names(shipped):
    held = set(shipped.loc[shipped["use"] == "validation", "target"])
    for target in (
        "padang_ikm_2024",
        "padang_ikm_unit_min_2024",
        "padang_ikm_unit_max_2024",
        "padang_band_a_share_2024",
        "padang_retirement_rate_2024",
        "dukcapil_independent_ikm_2021",
    ):
        assert target in held


def _value(frame, target):
    return frame.set_index("target").loc[target, "value"]


def test_published_figures_are_as_observed_md_quotes_them(shipped):
    # OBSERVED.md §2.1 and §2.2, quoted figures.
    assert _value(shipped, "padang_ikm_2024") == 88.79
    assert _value(shipped, "padang_ikm_unit_min_2024") == 81.65
    assert _value(shipped, "padang_ikm_unit_max_2024") == 98.32
    assert _value(shipped, "dukcapil_independent_ikm_2021") == 73.2
    assert _value(shipped, "national_age_51_60_share_pns_2023") == 0.34


def test_derived_figures_follow_from_the_quoted_numbers(shipped):
    assert _value(shipped, "padang_band_a_share_2024") == pytest.approx(12 / 30)
    spread = _value(shipped, "padang_ikm_unit_max_2024") - _value(
        shipped, "padang_ikm_unit_min_2024"
    )
    assert _value(shipped, "padang_ikm_unit_spread_2024") == pytest.approx(spread)
    assert _value(shipped, "padang_retirement_rate_2024") == pytest.approx(508 / 10885, abs=5e-5)
    assert _value(shipped, "padang_pppk_share_2025") == pytest.approx(3358 / 10441, abs=5e-4)
    assert _value(shipped, "national_unwanted_placement_resignation_rate_2024") == pytest.approx(
        1967 / 16167, abs=5e-5
    )
    # the kab/kota IKM level spans the third-party city surveys of other places, not Padang
    places = shipped[
        (shipped["quantity"] == "ikm") & shipped["scope"].str.match(r"^(kota|kab\.) [^/]+$")
    ]
    level = shipped.set_index("target").loc["kab_kota_ikm_level"]
    assert level["low"] == places["value"].min()
    assert level["high"] == places["value"].max()
    assert len(places) == 7 and "kota Padang" not in set(places["scope"])


def test_target_bounds():
    assert target_bounds(pd.Series({"value": 2.0, "low": np.nan, "high": np.nan})) == (2.0, 2.0)
    assert target_bounds(pd.Series({"value": np.nan, "low": 1.0, "high": 3.0})) == (1.0, 3.0)


# --------------------------------------------------------------------------- loader errors


def test_a_good_file_loads(tmp_path):
    frame = load_targets(_write(tmp_path, GOOD))
    assert frame.loc[0, "value"] == 0.0455
    assert math.isnan(frame.loc[0, "low"])


def test_unknown_column_is_refused(tmp_path):
    path = _write(tmp_path, GOOD + ",x", header=HEADER + ",colour")
    with pytest.raises(ObservedError) as err:
        load_targets(path)
    assert "colour" in str(err.value) and str(path) in str(err.value)


def test_missing_column_is_refused(tmp_path):
    header = HEADER.replace(",confidence", "")
    row = GOOD.replace(",M,", ",")
    with pytest.raises(ObservedError, match=r"missing column\(s\) \['confidence'\]"):
        load_targets(_write(tmp_path, row, header=header))


@pytest.mark.parametrize(
    ("changes", "column", "expected"),
    [
        ({"confidence": "X"}, "confidence", "'H', 'M' or 'L'"),
        ({"use": "tuning"}, "use", "'calibration' or 'validation'"),
        ({"unit": "percent"}, "unit", "share"),
        ({"year": "23"}, "year", "pattern"),
        ({"value": "abc"}, "value", "valid number"),
        ({"value": "inf"}, "value", "finite"),
        ({"value": "nan"}, "value", "finite"),
        ({"target": "Bad Id"}, "target", "pattern"),
        ({"source": ""}, "source", "at least 1"),
    ],
)
def test_bad_cell_names_file_line_and_column(tmp_path, changes, column, expected):
    path = _write(tmp_path, GOOD, _row(**({"target": "t2"} | changes)))
    with pytest.raises(ObservedError) as err:
        load_targets(path)
    text = str(err.value)
    assert str(path) in text and "line 3" in text and f", {column}:" in text, text
    assert expected in text, text


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"value": ""}, "needs a value or a low/high range"),
        ({"low": "0.01", "high": "0.02"}, "either a value or a low/high range"),
        ({"value": "", "low": "0.01"}, "needs both low and high"),
        ({"value": "", "low": "0.05", "high": "0.01"}, "low (0.05) is above high (0.01)"),
    ],
)
def test_value_or_range_rules(tmp_path, changes, expected):
    with pytest.raises(ObservedError) as err:
        load_targets(_write(tmp_path, _row(**changes)))
    assert "line 2 (target t1), row:" in str(err.value)
    assert expected in str(err.value)


def test_every_problem_is_reported_at_once(tmp_path):
    path = _write(tmp_path, _row(confidence="X"), _row(target="t2", use="x"))
    with pytest.raises(ObservedError) as err:
        load_targets(path)
    assert len(err.value.problems) == 2


def test_duplicate_ids_are_refused(tmp_path):
    with pytest.raises(ObservedError, match="'t1' appears 2 times"):
        load_targets(_write(tmp_path, GOOD, GOOD))
    folder = tmp_path / "two"
    folder.mkdir()
    _write(folder, GOOD, name="a.csv")
    _write(folder, GOOD, name="b.csv")
    with pytest.raises(ObservedError, match="more than one file"):
        load_targets(folder)


def test_use_filter_and_missing_path(tmp_path):
    path = _write(tmp_path, GOOD, _row(target="t2", use="validation"))
    assert load_targets(path, use="validation")["target"].tolist() == ["t2"]
    with pytest.raises(ObservedError, match="use: got 'both'"):
        load_targets(path, use="both")
    with pytest.raises(ObservedError, match="no such target table"):
        load_targets(tmp_path / "nope.csv")
    assert DEFAULT_PATH.name == "observed"


# --------------------------------------------------------------------------- summary quantities


def test_workforce_mix_on_known_ages():
    age = np.array([30.0, 31.0, 40.99, 41.0, 50.99, 51.0, 60.99, 61.0, 55.0, 35.0])
    pppk = np.array([False] * 8 + [True, True])
    mix = workforce_mix(pppk, age)
    assert mix["pppk_share"] == pytest.approx(0.2)
    # PNS ages 30, 31, 40.99, 41, 50.99, 51, 60.99, 61: two in each band 31-40, 41-50, 51-60
    assert mix["age_31_40_share_pns"] == pytest.approx(2 / 8)
    assert mix["age_41_50_share_pns"] == pytest.approx(2 / 8)
    assert mix["age_51_60_share_pns"] == pytest.approx(2 / 8)
    assert mix["age_mean_pns"] == pytest.approx(age[:8].mean())
    # all ASN: 51, 60.99 and the PPPK aged 55
    assert mix["age_51_60_share"] == pytest.approx(3 / 10)
    empty = workforce_mix(np.array([], dtype=bool), np.array([]))
    assert all(math.isnan(v) for v in empty.values())


def test_unit_ikm_spread_bands_as_the_regulation_rounds():
    # 88.305 rounds to 88.31 (band A); 88.3049 to 88.30 (band B); NaN units are left out
    spread = unit_ikm_spread(np.array([88.305, 88.3049, 70.0, np.nan]))
    assert spread == {"ikm_unit_min": 70.0, "ikm_unit_max": 88.305, "band_a_share": 1 / 3}
    assert all(math.isnan(v) for v in unit_ikm_spread(np.array([np.nan])).values())


def test_personnel_rates():
    assert personnel_rates(5, 2, 200) == {"retirement_rate": 0.025, "resignation_rate": 0.01}
    assert all(math.isnan(v) for v in personnel_rates(0, 0, 0).values())


@pytest.fixture(scope="module")
def year_by_hand():
    """A tiny town's first year, with the workforce seen just before and after its year end."""
    model = ASNModel(load_scenario(TINY, horizon_years=2))
    wf = model.workforce
    before = {"uid": wf.uid.copy(), "retire_day": wf.retire_day.copy()}  # the year's start
    for _ in range(model.days_per_year):  # the last day of year 1 runs its personnel cycle
        model.step()
    return model, before


def test_retirements_and_resignations_match_a_hand_count(year_by_hand):
    model, before = year_by_hand
    row = model.outcomes.city_rows[-1]
    n_start = len(before["uid"])
    retiring = int((before["retire_day"] < model.days_per_year).sum())  # due within year 1
    stayed = np.isin(before["uid"], model.workforce.uid).sum()
    resigned = n_start - stayed - retiring - row["non_renewals"]
    assert row["headcount_start"] == n_start
    assert row["retirements"] == retiring > 0
    assert row["resignations"] == resigned
    assert row["retirement_rate"] == pytest.approx(retiring / n_start)
    assert row["resignation_rate"] == pytest.approx(resigned / n_start)


def test_age_mix_and_pppk_share_match_the_workforce_after_the_cycle(year_by_hand):
    model, _ = year_by_hand
    row = model.outcomes.city_rows[-1]
    wf = model.workforce
    pns_years = np.floor(wf.age[wf.status != PPPK])  # completed years
    assert row["pppk_share"] == pytest.approx(np.mean(wf.status == PPPK))
    assert row["age_51_60_share_pns"] == pytest.approx(
        np.mean((pns_years >= 51) & (pns_years <= 60))
    )
    assert row["age_mean_pns"] == pytest.approx(wf.age[wf.status != PPPK].mean())
    all_years = np.floor(wf.age)
    assert row["age_51_60_share"] == pytest.approx(np.mean((all_years >= 51) & (all_years <= 60)))


def test_unit_ikm_spread_matches_the_annual_table(year_by_hand):
    model, _ = year_by_hand
    row = model.outcomes.city_rows[-1]
    units = model.outcomes.annual()
    ikm = units.loc[units["year"] == 1, "ikm"].dropna()
    assert row["ikm_unit_min"] == ikm.min()
    assert row["ikm_unit_max"] == ikm.max()
    assert row["band_a_share"] == pytest.approx(np.mean(np.round(ikm, 2) >= 88.31))
    assert row["ikm_unit_min"] <= row["ikm"] <= row["ikm_unit_max"]


def test_summary_holds_the_observed_quantities(year_by_hand):
    model, _ = year_by_hand
    summary = model.outcomes.summary()
    assert list(summary) == list(SUMMARY_KEYS)
    for key in OBSERVED_KEYS:
        assert summary[key] == pytest.approx(model.outcomes.city_rows[-1][key], abs=1e-6), key
