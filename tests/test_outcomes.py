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


def test_tables_concatenate_their_records_in_order():
    out = _outcomes()
    for records in (out.survey_records, out.annual_records, out.sector_records):
        records.append({"year": 1, "x": np.array([1.0, 2.0]), "name": ["a", "b"]})
        records.append({"year": 2, "x": np.array([3.0]), "name": ["c"]})
    for table in (out.surveys(), out.annual(), out.sectors()):
        assert table["year"].tolist() == [1, 1, 2]  # a scalar is repeated on every row
        assert table["x"].tolist() == [1.0, 2.0, 3.0]
        assert table["name"].tolist() == ["a", "b", "c"]
        assert table.index.tolist() == [0, 1, 2]  # a fresh index, not 0 1 0
    for frames in (out.survey_frames, out.annual_frames, out.sector_frames):
        assert [f["year"].tolist() for f in frames] == [[1, 1], [2]]  # one table per record


def test_tables_equal_the_concatenation_of_their_frames():
    """Building one table from the records is what concatenating per-record frames gave."""
    out = _outcomes()
    bands = np.array(["", "A"], dtype=object)
    out.survey_records += [
        {"year": 1, "unit_name": ["a", "bb"], "ikm": np.array([np.nan, 80.0]), "band": bands},
        {"year": 2, "unit_name": ["a", "bb"], "ikm": np.array([70.0, 90.0]), "band": bands},
    ]
    frames = [pd.DataFrame(r) for r in out.survey_records]
    expected = pd.concat(frames, ignore_index=True)
    pd.testing.assert_frame_equal(out.surveys(), expected, check_exact=True)


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


# ---------------------------------------------------------------- what IKM misses, IP ASN


def test_seekers_ikm_limits_and_weights():
    from asnsim.outcomes import seekers_ikm

    served = np.array([100, 0, 50, 0])
    true = np.array([80.0, np.nan, 90.0, np.nan])
    lost = np.array([0, 40, 50, 0])
    got = seekers_ikm(served, true, lost, abandoned_score=1.0)
    assert got[0] == 80.0  # nobody gave up: the served's IKM
    assert got[1] == 25.0  # nobody served: all at the lowest score, IKM 25
    assert got[2] == pytest.approx((50 * 90 + 50 * 25) / 100)
    assert np.isnan(got[3])  # nobody sought service
    # a kinder score for those who gave up raises the measure, never above the served's IKM
    assert seekers_ikm(50, 90.0, 50, 2.0) == pytest.approx((50 * 90 + 50 * 50) / 100)


def test_complaints_follow_the_aggrieved_and_the_channel():
    from asnsim.outcomes import expected_complaints

    kw = {"share_abandoned": 0.1, "share_wrong": 0.2, "voice_min": 0.5}
    got = expected_complaints(np.array([100, 100, 0]), np.array([50, 50, 0]),
                              np.array([1.0, 0.0, 1.0]), **kw)  # fmt: skip
    assert got.tolist() == pytest.approx([20.0, 10.0, 0.0])  # full channel, half, nobody hurt
    assert expected_complaints(10, 0, 0.0, 0.1, 0.2, voice_min=1.0) == pytest.approx(1.0)


def test_ip_asn_is_the_sum_of_the_four_weighted_dimensions():
    from asnsim.ip_asn import WEIGHTS, ip_asn, ip_asn_band, ip_asn_scores

    assert sum(WEIGHTS.values()) == 100
    # an S3 with 20 JP rated Sangat Baik and a clean record scores the maximum, 100
    best = ip_asn(np.array([4]), np.array([20.0]), np.array([4]), 0.0)
    assert best["ip_asn"] == 100.0 and best["ip_asn_band"] == "Sangat Tinggi"
    # JP beyond the 20-JP right add nothing: the dimension is full at 20
    assert ip_asn(np.array([4]), np.array([45.0]), np.array([4]), 0.0)["ip_asn"] == 100.0
    # an SLTA without training rated Sangat Kurang: 5 + 0 + 5 + 5
    worst = ip_asn(np.array([0]), np.array([0.0]), np.array([0]), 0.0)
    assert worst["ip_asn"] == 15.0 and worst["ip_asn_band"] == "Sangat Rendah"
    # S1 (15), 10 JP (20), Baik (25), 2% sanctioned (4.9): 64.9
    s = ip_asn_scores(np.array([2]), np.array([10.0]), np.array([3]), 0.02)
    assert {k: float(v[0]) for k, v in s.items()} == pytest.approx(
        {"qualification": 15, "competency": 20, "performance": 25, "discipline": 4.9}
    )
    # the unrated (newcomers) are left out; nobody rated: undefined
    two = ip_asn(np.array([2, 4]), np.array([10.0, 20.0]), np.array([3, -1]), 0.02)
    assert two["ip_asn"] == pytest.approx(64.9) and two["ip_asn_band"] == "Rendah"
    assert np.isnan(ip_asn(np.array([2]), np.array([0.0]), np.array([-1]), 0.0)["ip_asn"])
    # band edges (PermenPANRB 38/2018): whole points, 90.4 is Tinggi, 90.5 Sangat Tinggi
    assert [ip_asn_band(v) for v in (90.4, 90.5, 81, 80.9, 71, 61, 60.49)] == [
        "Tinggi", "Sangat Tinggi", "Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah",
    ]  # fmt: skip


def test_a_run_records_what_ikm_misses(tiny):
    """City and unit rows carry ikm_seekers, complaints, waits_capped, and the city IP ASN;
    their values follow the documented formulas from the run's own counts."""
    from asnsim.model import ASNModel

    model = ASNModel(tiny, horizon_years=2)
    out = model.run(progress=False)
    city, annual = out.city(), out.annual()
    a = tiny.assumptions
    for r in city.itertuples():
        lost = r.abandoned / (r.served + r.abandoned)
        assert r.ikm_seekers == pytest.approx(r.ikm_true - lost * (r.ikm_true - 25.0))
        units = annual[annual.year == r.year]
        assert r.complaints == pytest.approx(units["complaints"].sum())
        assert r.waits_capped == units["waits_capped"].sum() == 0
        assert 0 < r.ip_asn < 100 and r.ip_asn == pytest.approx(
            r.ip_asn_qualification + r.ip_asn_competency + r.ip_asn_performance
            + r.ip_asn_discipline
        )  # fmt: skip
        assert r.ip_asn_discipline == pytest.approx(5 * (1 - a.discipline_sanctioned_share))
    handling = model.service.complaint_handling
    last = annual[annual.year == city.year.max()]
    want = (a.complaint_share_abandoned * last["abandoned"] + a.complaint_share_wrong
            * (last["rework_rate"] * last["served"])) * (
        a.complaint_voice_min + (1 - a.complaint_voice_min) * handling)  # fmt: skip
    np.testing.assert_allclose(last["complaints"], want, rtol=1e-9)
    summary = out.summary()
    for key in ("ikm_seekers", "complaints", "waits_capped", "ip_asn"):
        assert summary[key] == pytest.approx(city[key].iloc[-1], abs=1e-6)
