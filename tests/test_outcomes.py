"""What a run records (asnsim.outcomes): the daily table, the tidy tables and summary.json."""

import json

import numpy as np
import pandas as pd
import pytest

from asnsim.outcomes import DAILY_COLUMNS, SUMMARY_KEYS, Outcomes, band_of


def _outcomes(n_days=5) -> Outcomes:
    return Outcomes(unit_names=["a", "b"], unit_sectors=["health", "education"], n_days=n_days)


def test_daily_holds_the_recorded_days_only_numbered_from_one():
    out = _outcomes()
    assert set(out.daily_values) == set(DAILY_COLUMNS)
    assert all(v.shape == (5,) and not v.any() for v in out.daily_values.values())
    out.record_day(0, arrivals=10, served=7)
    out.record_day(1, arrivals=12, served=9, waiting=3)
    daily = out.daily()
    assert daily.columns.tolist() == ["day", *DAILY_COLUMNS]
    assert daily["day"].tolist() == [1, 2]
    assert daily["arrivals"].tolist() == [10, 12]
    assert daily["served"].tolist() == [7, 9]
    assert daily["waiting"].tolist() == [0, 3]
    assert out.days_recorded == 2


def test_record_day_rejects_an_unknown_column():
    with pytest.raises(KeyError):
        _outcomes().record_day(0, no_such_column=1.0)


def test_given_daily_values_are_kept():
    values = {"arrivals": np.arange(3.0)}
    out = Outcomes(["a"], ["health"], n_days=3, daily_values=values)
    assert out.daily_values is values


def test_tables_concatenate_their_frames_in_order():
    out = _outcomes()
    for frames in (out.survey_frames, out.annual_frames, out.sector_frames):
        frames.append(pd.DataFrame({"year": [1, 1], "x": [1.0, 2.0]}))
        frames.append(pd.DataFrame({"year": [2], "x": [3.0]}))
    for table in (out.surveys(), out.annual(), out.sectors()):
        assert table["year"].tolist() == [1, 1, 2]
        assert table["x"].tolist() == [1.0, 2.0, 3.0]
        assert table.index.tolist() == [0, 1, 2]  # a fresh index, not 0 1 0


def test_tables_of_a_run_that_recorded_nothing_are_empty():
    out = _outcomes()
    for table in (out.surveys(), out.annual(), out.sectors(), out.city(), out.daily()):
        assert isinstance(table, pd.DataFrame) and table.empty
    assert out.summary() == {}


def test_summary_is_the_last_year_json_ready():
    out = _outcomes()
    row = {k: 1.0 for k in SUMMARY_KEYS}
    out.city_rows.append(row | {"year": 1})
    out.city_rows.append(
        row
        | {
            "year": np.int64(2),
            "ikm": np.float64(81.123456789),
            "ikm_true": np.nan,
            "ikm_band": "B",
            "headcount": np.int32(250),
            "hires": 3,
            "extra": "not a summary key",
        }
    )
    summary = out.summary()
    assert list(summary) == list(SUMMARY_KEYS)
    assert summary["year"] == 2 and type(summary["year"]) is int
    assert summary["ikm"] == 81.123457  # rounded to 6 decimals
    assert type(summary["ikm"]) is float
    assert summary["ikm_true"] is None  # NaN is null in JSON
    assert summary["headcount"] == 250 and type(summary["headcount"]) is int
    assert summary["hires"] == 3 and type(summary["hires"]) is int
    assert summary["ikm_band"] == "B"
    assert summary["wait_mean_days"] == 1.0
    json.dumps(summary, allow_nan=False)  # plain JSON, no NaN


def test_summary_keeps_booleans_as_they_are():
    out = _outcomes()
    out.city_rows.append({k: True for k in SUMMARY_KEYS})
    assert all(v is True for v in out.summary().values())


def test_band_of_gives_letters_and_blank_where_undefined():
    assert band_of(np.array([90.0, 80.0, np.nan, 70.0, 40.0])).tolist() == [
        "A",
        "B",
        "",
        "C",
        "D",
    ]
    assert band_of(88.31).tolist() == ["A"]
    assert band_of(np.array([np.nan, np.nan])).tolist() == ["", ""]


def test_city_is_a_row_per_recorded_year():
    out = _outcomes()
    out.city_rows += [{"year": 1, "ikm": 80.0}, {"year": 2, "ikm": 81.0}]
    city = out.city()
    assert city.to_dict("records") == [{"year": 1, "ikm": 80.0}, {"year": 2, "ikm": 81.0}]


def test_stratified_ikm_of_the_whole_city_is_one_value_and_quiet_without_data():
    import warnings

    from asnsim.outcomes import stratified_ikm

    nrr = np.array([[3.0] * 9, [np.nan] * 9])
    values, group_nrr = stratified_ikm(nrr, np.array([10.0, 5.0]))
    assert values.shape == (1,) and group_nrr.shape == (1, 9)
    assert values[0] == 75.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning for 0 / 0
        empty, empty_nrr = stratified_ikm(nrr, np.array([0.0, 5.0]))
    assert np.isnan(empty).all() and np.isnan(empty_nrr).all()


# the quantities compared with published figures (asnsim.observed), at their edges


def test_personnel_rates_per_head_and_undefined_without_staff():
    from asnsim.outcomes import personnel_rates

    # one person at the start of the year who resigned: a rate of 1, not undefined
    assert personnel_rates(0, 1, 1) == {"retirement_rate": 0.0, "resignation_rate": 1.0}
    none = personnel_rates(0, 0, 0)
    assert sorted(none) == ["resignation_rate", "retirement_rate"]
    assert all(np.isnan(v) for v in none.values())


def test_workforce_mix_takes_pppk_as_truth_values_and_is_quiet_when_empty():
    import warnings

    from asnsim.outcomes import workforce_mix

    # 0/1 flags mean the same as False/True: PNS are the 30- and the 45-year-old
    mix = workforce_mix([0, 1, 0, 1], [30, 52, 45, 58])
    assert mix["pppk_share"] == 0.5
    assert mix["age_mean_pns"] == 37.5
    assert mix["age_41_50_share_pns"] == 0.5 and mix["age_51_60_share_pns"] == 0.0
    assert mix["age_51_60_share"] == 0.5
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "mean of empty slice" warning
        empty = workforce_mix(np.array([], dtype=bool), np.array([]))
        pppk_only = workforce_mix(np.array([True]), np.array([40.0]))
    assert all(np.isnan(v) for v in empty.values())
    assert pppk_only["pppk_share"] == 1.0 and np.isnan(pppk_only["age_mean_pns"])


def test_unit_ikm_spread_without_any_survey_names_its_keys():
    from asnsim.outcomes import unit_ikm_spread

    none = unit_ikm_spread(np.array([np.nan, np.nan]))
    assert sorted(none) == ["band_a_share", "ikm_unit_max", "ikm_unit_min"]
    assert all(np.isnan(v) for v in none.values())
