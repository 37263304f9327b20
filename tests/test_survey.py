"""Regression tests for asnsim.survey against hand-worked PermenPANRB 14/2017 values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from asnsim import survey
from asnsim.survey import (
    BAND_EDGES,
    ELEMENT_NAMES,
    ELEMENTS,
    band_label,
    expected_scores_to_ikm,
    ikm,
    ikm_band,
    ikm_bands,
    ikm_from_nrr,
    ikm_weighted_0111,
    krejcie_morgan,
    nrr,
    nrr_band,
    sample_scores,
)

# --------------------------------------------------------------------------- constants


def test_public_names_exact() -> None:
    assert set(survey.__all__) == {
        "BAND_EDGES",
        "ELEMENTS",
        "ELEMENT_NAMES",
        "band_label",
        "expected_scores_to_ikm",
        "ikm",
        "ikm_band",
        "ikm_bands",
        "ikm_from_nrr",
        "ikm_weighted_0111",
        "krejcie_morgan",
        "nrr",
        "nrr_band",
        "sample_scores",
    }


def test_elements_and_names() -> None:
    assert tuple(f"U{i}" for i in range(1, 10)) == ELEMENTS
    assert set(ELEMENT_NAMES) == set(ELEMENTS)
    for names in ELEMENT_NAMES.values():
        assert set(names) == {"id", "en"}
        assert names["id"] and names["en"]
    assert ELEMENT_NAMES["U1"]["id"] == "Persyaratan"
    assert ELEMENT_NAMES["U2"]["id"] == "Sistem, Mekanisme, dan Prosedur"
    assert ELEMENT_NAMES["U3"]["id"] == "Waktu Penyelesaian"
    assert ELEMENT_NAMES["U4"]["id"] == "Biaya/Tarif"
    assert ELEMENT_NAMES["U5"]["id"] == "Produk Spesifikasi Jenis Pelayanan"
    assert ELEMENT_NAMES["U6"]["id"] == "Kompetensi Pelaksana"
    assert ELEMENT_NAMES["U7"]["id"] == "Perilaku Pelaksana"
    assert ELEMENT_NAMES["U8"]["id"] == "Penanganan Pengaduan, Saran dan Masukan"
    assert ELEMENT_NAMES["U9"]["id"] == "Sarana dan Prasarana"


def test_band_edges_constant() -> None:
    assert BAND_EDGES == {"A": 88.31, "B": 76.61, "C": 65.00, "D": 25.00}


# ----------------------------------------------------------------- hand-worked IKM


# Four respondents x nine elements, scored by hand.
HAND_TABLE = np.array(
    [
        # U1 U2 U3 U4 U5 U6 U7 U8 U9
        [3, 3, 4, 2, 3, 3, 4, 2, 3],  # respondent 1, row sum 27
        [4, 3, 3, 3, 3, 4, 4, 3, 3],  # respondent 2, row sum 30
        [3, 2, 3, 3, 4, 3, 3, 2, 4],  # respondent 3, row sum 27
        [4, 3, 4, 2, 3, 3, 4, 3, 3],  # respondent 4, row sum 29
    ]
)


def test_hand_worked_table_nrr_and_ikm() -> None:
    # Column sums / 4 respondents:
    #   U1 3+4+3+4 = 14 -> 3.50     U6 3+4+3+3 = 13 -> 3.25
    #   U2 3+3+2+3 = 11 -> 2.75     U7 4+4+3+4 = 15 -> 3.75
    #   U3 4+3+3+4 = 14 -> 3.50     U8 2+3+2+3 = 10 -> 2.50
    #   U4 2+3+3+2 = 10 -> 2.50     U9 3+3+4+3 = 13 -> 3.25
    #   U5 3+3+4+3 = 13 -> 3.25
    expected_nrr = [3.50, 2.75, 3.50, 2.50, 3.25, 3.25, 3.75, 2.50, 3.25]
    np.testing.assert_allclose(nrr(HAND_TABLE), expected_nrr, rtol=0, atol=1e-12)
    # Sum of NRR = 28.25 (= 113 total points / 4 respondents)
    # IKM = 28.25 * (1/9) * 25 = 706.25 / 9 = 78.47222...
    assert ikm(HAND_TABLE) == pytest.approx(706.25 / 9, abs=1e-12)
    assert ikm(HAND_TABLE) == pytest.approx(78.472222222, abs=1e-9)
    # 78.47 lies in 76.61..88.30 -> B "Baik"
    assert ikm_band(ikm(HAND_TABLE)) == "B"
    # The mean-of-NRR form equals the grand mean of all cells when every
    # respondent answers every element: 113 / 36 * 25 = 78.4722...
    assert ikm(HAND_TABLE) == pytest.approx(HAND_TABLE.sum() / HAND_TABLE.size * 25)


def test_hand_worked_nrr_vector() -> None:
    nrrs = [3.2, 3.1, 2.9, 3.5, 3.0, 3.3, 3.4, 2.8, 3.1]
    # sum = 3.2+3.1+2.9+3.5+3.0+3.3+3.4+2.8+3.1 = 28.3
    # IKM = 28.3 / 9 * 25 = 707.5 / 9 = 78.61111...
    assert ikm_from_nrr(nrrs) == pytest.approx(707.5 / 9, abs=1e-12)
    assert ikm_from_nrr(nrrs) == pytest.approx(78.611111111, abs=1e-9)
    assert ikm_band(ikm_from_nrr(nrrs)) == "B"  # 78.61 -> Baik


def test_ikm_from_nrr_vectorises_over_leading_axes() -> None:
    nrrs = np.array(
        [
            [3.2, 3.1, 2.9, 3.5, 3.0, 3.3, 3.4, 2.8, 3.1],
            [1.0] * 9,
            [4.0] * 9,
        ]
    )
    out = ikm_from_nrr(nrrs)
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, [707.5 / 9, 25.0, 100.0])
    stacked = np.broadcast_to(nrrs, (2, 3, 9))
    assert ikm_from_nrr(stacked).shape == (2, 3)


def test_ikm_from_nrr_wrong_last_axis() -> None:
    with pytest.raises(ValueError, match="last axis"):
        ikm_from_nrr(np.ones(8))
    with pytest.raises(ValueError, match="last axis"):
        ikm_from_nrr(3.0)


@pytest.mark.parametrize("n_resp", [1, 7])
def test_extremes(n_resp: int) -> None:
    ones = np.ones((n_resp, 9), dtype=int)
    fours = np.full((n_resp, 9), 4, dtype=int)
    assert ikm(ones) == 25.0
    assert ikm(fours) == 100.0
    assert ikm_from_nrr(np.ones(9)) == 25.0
    assert ikm_from_nrr(np.full(9, 4.0)) == 100.0
    assert expected_scores_to_ikm(np.ones(9)) == 25.0
    assert expected_scores_to_ikm(np.full(9, 4.0)) == 100.0
    assert ikm_band(25.0) == "D"
    assert ikm_band(100.0) == "A"


# ------------------------------------------------------------------------- bands


@pytest.mark.parametrize(
    ("value", "letter"),
    [
        (100.0, "A"),
        (88.31, "A"),
        (88.30, "B"),
        (76.61, "B"),
        (76.60, "C"),
        (65.00, "C"),
        (64.99, "D"),
        (25.0, "D"),
        # the regulation reports IKM to 2 decimals: round half-up first
        (88.305, "A"),  # -> 88.31
        (88.3049, "B"),  # -> 88.30
        (76.605, "B"),  # -> 76.61
        (76.6049, "C"),  # -> 76.60
        (64.995, "C"),  # -> 65.00
        (64.9949, "D"),  # -> 64.99
    ],
)
def test_ikm_band_edges(value: float, letter: str) -> None:
    assert ikm_band(value) == letter


def test_ikm_bands_vectorised() -> None:
    values = np.array([[100.0, 88.31, 88.30], [76.605, 64.995, 25.0]])
    out = ikm_bands(values)
    assert out.shape == (2, 3)
    assert out.tolist() == [["A", "A", "B"], ["B", "C", "D"]]


@pytest.mark.parametrize("bad", [24.99, 100.01, float("nan"), 0.0])
def test_ikm_band_out_of_range(bad: float) -> None:
    with pytest.raises(ValueError):
        ikm_band(bad)


def test_ikm_band_accepts_tiny_float_noise() -> None:
    # 100 + 1e-12 rounds to 100.00 and is still a valid IKM
    assert ikm_band(100.0 + 1e-12) == "A"
    assert ikm_band(25.0 - 1e-12) == "D"


@pytest.mark.parametrize(
    ("value", "letter"),
    [
        (4.00, "A"),
        (3.5324, "A"),
        (3.532, "B"),
        (3.0644, "B"),
        (3.064, "C"),
        (2.60, "C"),
        (2.5996, "D"),
        (1.00, "D"),
    ],
)
def test_nrr_band_table(value: float, letter: str) -> None:
    assert nrr_band(value) == letter


def test_nrr_band_consistent_with_ikm_edges() -> None:
    # NRR lower edges are exactly the IKM lower edges / 25
    for letter, edge in BAND_EDGES.items():
        assert nrr_band(edge / 25) == letter
        assert ikm_band(edge) == letter
    with pytest.raises(ValueError):
        nrr_band(0.99)
    with pytest.raises(ValueError):
        nrr_band(4.01)


def test_band_label() -> None:
    assert band_label("A", "id") == "Sangat Baik"
    assert band_label("B", "id") == "Baik"
    assert band_label("C", "id") == "Kurang Baik"
    assert band_label("D", "id") == "Tidak Baik"
    assert band_label("A") == "Sangat Baik (very good)"
    assert band_label("B", lang="en") == "Baik (good)"
    for letter in "ABCD":
        assert band_label(letter, "en").startswith(band_label(letter, "id") + " (")
    with pytest.raises(ValueError, match="lang"):
        band_label("A", "fr")
    with pytest.raises(ValueError, match="band letter"):
        band_label("E")


# ------------------------------------------------------------- the 0.111 variant


def test_weight_0111_differs_from_exact_one_ninth() -> None:
    nrrs = np.array([3.2, 3.1, 2.9, 3.5, 3.0, 3.3, 3.4, 2.8, 3.1])
    exact = ikm_from_nrr(nrrs)
    rounded = ikm_weighted_0111(nrrs)
    # exact: mean(NRR) * 25 = 28.3 / 9 * 25 = 78.6111...
    assert exact == pytest.approx(nrrs.mean() * 25, abs=1e-12)
    # rounded: 28.3 * 0.111 * 25 = 78.5325
    assert rounded == pytest.approx(78.5325, abs=1e-12)
    # 0.111 * 9 = 0.999, so the shortcut is the exact IKM times 0.999:
    # difference = 0.001 * 78.6111 = 0.0786 IKM points (0.1 %), not a full point
    assert rounded == pytest.approx(exact * 0.999, abs=1e-12)
    assert exact - rounded == pytest.approx(0.0786111111, abs=1e-9)
    assert exact != rounded


def test_weight_0111_can_flip_a_band() -> None:
    # NRR 3.535 on every element: exact IKM = 3.535 * 25 = 88.375 -> A,
    # the 0.111 shortcut gives 88.375 * 0.999 = 88.286625 -> 88.29 -> B.
    nrrs = np.full(9, 3.535)
    assert ikm_band(ikm_from_nrr(nrrs)) == "A"
    assert ikm_weighted_0111(nrrs) == pytest.approx(88.286625)
    assert ikm_band(ikm_weighted_0111(nrrs)) == "B"


# ------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("scores", "match"),
    [
        (np.full((3, 9), 5), "integers in 1..4"),
        (np.zeros((3, 9), dtype=int), "integers in 1..4"),
        (np.full((2, 9), 2.5), "integers in 1..4"),
        (np.full((2, 9), np.nan), "integers in 1..4"),
        (np.ones((3, 8), dtype=int), "shape"),
        (np.ones(9, dtype=int), "shape"),
        (np.ones((2, 3, 9), dtype=int), "shape"),
        (np.ones((0, 9), dtype=int), "zero respondents"),
        (np.full((1, 9), "3"), "integers"),
    ],
)
def test_nrr_validation(scores: np.ndarray, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        nrr(scores)


def test_nrr_error_names_offending_cell() -> None:
    scores = np.full((3, 9), 3)
    scores[1, 4] = 7
    with pytest.raises(ValueError, match=r"\(1, 4\)"):
        nrr(scores)


def test_nrr_accepts_integral_floats_and_lists() -> None:
    assert nrr([[1.0] * 9, [3.0] * 9]).tolist() == [2.0] * 9


def test_expected_scores_to_ikm() -> None:
    e = np.array([3.2, 3.1, 2.9, 3.5, 3.0, 3.3, 3.4, 2.8, 3.1])
    assert expected_scores_to_ikm(e) == pytest.approx(707.5 / 9)
    np.testing.assert_allclose(expected_scores_to_ikm(np.stack([e, e])), [707.5 / 9] * 2)
    with pytest.raises(ValueError, match=r"\[1, 4\]"):
        expected_scores_to_ikm(np.full(9, 4.5))
    with pytest.raises(ValueError, match=r"\[1, 4\]"):
        expected_scores_to_ikm(np.full(9, 0.5))
    with pytest.raises(ValueError, match="last axis"):
        expected_scores_to_ikm(np.full(10, 2.0))


# ---------------------------------------------------------------- Krejcie-Morgan

# Krejcie & Morgan (1970), Table 1 (N -> S). The last row of the original is
# N = 1,000,000 -> 384 (often reprinted as "100000 384"; the formula gives
# 382.63 -> 383 for N = 100,000).
KM_TABLE = {
    10: 10, 15: 14, 20: 19, 25: 24, 30: 28, 35: 32, 40: 36, 45: 40, 50: 44,
    55: 48, 60: 52, 65: 56, 70: 59, 75: 63, 80: 66, 85: 70, 90: 73, 95: 76,
    100: 80, 110: 86, 120: 92, 130: 97, 140: 103, 150: 108, 160: 113, 170: 118,
    180: 123, 190: 127, 200: 132, 210: 136, 220: 140, 230: 144, 240: 148,
    250: 152, 260: 155, 270: 159, 280: 162, 290: 165, 300: 169, 320: 175,
    340: 181, 360: 186, 380: 191, 400: 196, 420: 201, 440: 205, 460: 210,
    480: 214, 500: 217, 550: 226, 600: 234, 650: 242, 700: 248, 750: 254,
    800: 260, 850: 265, 900: 269, 950: 274, 1000: 278, 1100: 285, 1200: 291,
    1300: 297, 1400: 302, 1500: 306, 1600: 310, 1700: 313, 1800: 317,
    1900: 320, 2000: 322, 2200: 327, 2400: 331, 2600: 335, 2800: 338,
    3000: 341, 3500: 346, 4000: 351, 4500: 354, 5000: 357, 6000: 361,
    7000: 364, 8000: 367, 9000: 368, 10000: 370, 15000: 375, 20000: 377,
    30000: 379, 40000: 380, 50000: 381, 75000: 382, 1000000: 384,
}  # fmt: skip


@pytest.mark.parametrize(
    ("population", "sample"),
    [(10, 10), (50, 44), (100, 80), (500, 217), (1000, 278), (5000, 357), (10000, 370)],
)
def test_krejcie_morgan_headline_values(population: int, sample: int) -> None:
    assert krejcie_morgan(population) == sample


def test_krejcie_morgan_full_table_vectorised() -> None:
    pops = np.array(list(KM_TABLE))
    expected = np.array(list(KM_TABLE.values()))
    got = krejcie_morgan(pops)
    assert isinstance(got, np.ndarray)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, expected)


def test_krejcie_morgan_large_population() -> None:
    # formula: 3.841*1e5*0.25 / (0.0025*99999 + 0.96025) = 382.63 -> 383
    assert krejcie_morgan(100_000) == 383
    assert krejcie_morgan(1_000_000) == 384
    # limit N -> infinity: 3.841 * 0.25 / 0.0025 = 384.1
    assert krejcie_morgan(10**9) == 384


def test_krejcie_morgan_edge_cases() -> None:
    assert krejcie_morgan(0) == 0
    assert krejcie_morgan(1) == 1
    pops = np.arange(0, 3000)
    n = krejcie_morgan(pops)
    assert (n <= pops).all()
    assert (np.diff(n) >= 0).all()  # monotone non-decreasing in N
    assert krejcie_morgan(np.array([[0, 10], [100, 1000]])).tolist() == [[0, 10], [80, 278]]
    for bad in (-1, 2.5, float("nan")):
        with pytest.raises(ValueError):
            krejcie_morgan(bad)


# ----------------------------------------------------------------- sample_scores


def test_sample_scores_shape_dtype_range() -> None:
    rng = np.random.default_rng(0)
    q = np.linspace(0.0, 1.0, 9)
    s = sample_scores(rng, q, 50)
    assert s.shape == (50, 9)
    assert s.dtype == np.int8
    assert s.min() >= 1
    assert s.max() <= 4
    # q = 0 -> always 1, q = 1 -> always 4
    assert (s[:, 0] == 1).all()
    assert (s[:, -1] == 4).all()
    assert sample_scores(rng, q, 0).shape == (0, 9)


def test_sample_scores_mean_matches_expectation() -> None:
    rng = np.random.default_rng(12345)
    q = np.array([0.1, 0.3, 0.5, 0.7, 0.9, 0.6, 0.4, 0.2, 0.8])
    n = 200_000
    s = sample_scores(rng, q, n)
    # sd of one score <= sqrt(3 * 0.25) = 0.866, so the sd of the mean is < 0.002
    np.testing.assert_allclose(s.mean(axis=0), 1 + 3 * q, atol=0.01)
    assert ikm(s) == pytest.approx(expected_scores_to_ikm(1 + 3 * q), abs=0.1)


def test_sample_scores_per_respondent_q() -> None:
    rng = np.random.default_rng(7)
    q = np.zeros((4, 9))
    q[2] = 1.0
    s = sample_scores(rng, q, 4)
    assert s.tolist() == [[1] * 9, [1] * 9, [4] * 9, [1] * 9]


def test_sample_scores_reproducible() -> None:
    q = np.full(9, 0.6)
    a = sample_scores(np.random.default_rng(42), q, 100)
    b = sample_scores(np.random.default_rng(42), q, 100)
    c = sample_scores(np.random.default_rng(43), q, 100)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_sample_scores_validation() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(TypeError):
        sample_scores(np.random.RandomState(0), np.full(9, 0.5), 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="shape"):
        sample_scores(rng, np.full(8, 0.5), 3)
    with pytest.raises(ValueError, match="shape"):
        sample_scores(rng, np.full((2, 9), 0.5), 3)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        sample_scores(rng, np.full(9, 1.5), 3)
    with pytest.raises(ValueError, match="non-negative"):
        sample_scores(rng, np.full(9, 0.5), -1)


# ------------------------------------------------------------------- properties


@given(
    hnp.arrays(
        dtype=np.int8,
        shape=st.tuples(st.integers(1, 60), st.just(9)),
        elements=st.integers(1, 4),
    )
)
def test_property_ikm_range_and_mean_of_nrr(scores: np.ndarray) -> None:
    value = ikm(scores)
    assert 25.0 <= value <= 100.0
    per_element = scores.astype(float).mean(axis=0)
    assert value == pytest.approx(per_element.mean() * 25, abs=1e-9)
    assert ikm_band(value) in {"A", "B", "C", "D"}


@given(
    hnp.arrays(
        dtype=float,
        shape=st.tuples(st.integers(1, 5), st.just(9)),
        elements=st.floats(0.0, 1.0),
    ),
    st.integers(0, 2**32 - 1),
)
def test_property_sample_scores_valid_input_for_ikm(q: np.ndarray, seed: int) -> None:
    s = sample_scores(np.random.default_rng(seed), q[0], 5)
    assert 25.0 <= ikm(s) <= 100.0
    assert 25.0 <= expected_scores_to_ikm(1 + 3 * q).min() <= 100.0


# ------------------------------------------------- the survey path the model runs
# ASNModel._survey calls krejcie_morgan, wait_driver, propensities and survey_totals, and
# outcomes.stratified_ikm turns the NRRs into unit, sector and city IKM. Each is checked here
# on a small case worked out by hand, then one model semester against its own inputs.

from asnsim.model import ASNModel  # noqa: E402
from asnsim.outcomes import EXPECTED_COLUMNS, NRR_COLUMNS, stratified_ikm  # noqa: E402
from asnsim.scenario import scenario_from_dict  # noqa: E402
from asnsim.survey import kinder_answers, propensities, survey_totals, wait_driver  # noqa: E402


def test_wait_driver_by_hand() -> None:
    # 1 / (1 + (wait / (standard x tolerance)) ** steepness), as the model calls it:
    # waits (1 x days) against each unit's standard (units x 1)
    waits = np.arange(4)[None, :]
    standard = np.array([[1.0], [2.0]])
    got = wait_driver(waits, standard, tolerance=2.0, steepness=3.0)
    # unit 0, tolerance x standard = 2: ratios 0, 1/2, 1, 3/2
    #   1/(1+0) = 1; 1/(1+1/8) = 8/9; 1/(1+1) = 1/2; 1/(1+27/8) = 8/35
    # unit 1, tolerance x standard = 4: ratios 0, 1/4, 1/2, 3/4
    #   1; 1/(1+1/64) = 64/65; 8/9; 1/(1+27/64) = 64/91
    expected = [[1.0, 8 / 9, 1 / 2, 8 / 35], [1.0, 64 / 65, 8 / 9, 64 / 91]]
    np.testing.assert_allclose(got, expected, rtol=1e-14)
    assert got.shape == (2, 4)


def test_propensities_by_hand_and_clipped() -> None:
    intercept = np.array([0.2, 0.6, -0.1, 0.9, 0.5, 0.0, 0.3, 0.45, 0.4])
    slope = np.array([0.6, 0.3, 0.5, 0.3, -1.5, 1.0, 0.6, 0.45, 0.45])
    drivers = np.array([[0.5, 1.0, 0.0, 1.0, 0.2, 0.25, 0.5, 0.0, 1.0]])
    # 0.2+0.3 = 0.5; 0.6+0.3 = 0.9; -0.1+0 = -0.1 -> 0; 0.9+0.3 = 1.2 -> 1; 0.5-0.3 = 0.2;
    # 0+0.25 = 0.25; 0.3+0.3 = 0.6; 0.45+0 = 0.45; 0.4+0.45 = 0.85
    expected = [[0.5, 0.9, 0.0, 1.0, 0.2, 0.25, 0.6, 0.45, 0.85]]
    np.testing.assert_allclose(propensities(drivers, intercept, slope), expected, atol=1e-15)
    # exactly at the bounds: kept, not clipped further
    assert propensities(np.zeros((1, 9)), np.ones(9), np.zeros(9)).tolist() == [[1.0] * 9]
    assert propensities(np.zeros((1, 9)), np.zeros(9), np.ones(9)).tolist() == [[0.0] * 9]


def test_survey_totals_degenerate_propensities_are_exact() -> None:
    # Every score is 1 + Binomial(3, q): q = 0 scores 1, q = 1 scores 4, whatever the draw.
    # unit 0: 3 respondents who waited 0 days, 2 who waited 2 days (5 in all)
    # unit 1: 4 respondents who waited 1 day
    respondents = np.array([[3, 0, 2], [0, 4, 0]])
    q_units = np.array([[1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0]] * 2)
    # U3 is scored from each respondent's own wait; q_units' U3 column must be ignored
    q_wait = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    totals = survey_totals(np.random.default_rng(5), respondents, q_units, q_wait)
    # unit 0: q = 1 elements 4 x 5 = 20, q = 0 elements 1 x 5 = 5;
    #         U3: 3 at wait 0 (q 1) score 4, 2 at wait 2 (q 0) score 1 -> 12 + 2 = 14
    # unit 1: 4 x 4 = 16 or 4 x 1 = 4; U3: all 4 waited 1 day (q 0) -> 4
    expected = [[20, 5, 14, 5, 20, 5, 20, 5, 20], [16, 4, 4, 4, 16, 4, 16, 4, 16]]
    np.testing.assert_array_equal(totals, expected)


def test_survey_totals_mean_is_one_plus_three_q() -> None:
    # A sum of n scores 1 + Binomial(3, q) has mean n (1 + 3q) and sd sqrt(3 n q (1-q)).
    n = 40_000
    respondents = np.array([[n, 0], [n // 2, n // 2]])
    q_units = np.tile(np.linspace(0.1, 0.9, 9), (2, 1))
    q_wait = np.array([[0.3, 0.9], [0.2, 0.8]])
    totals = survey_totals(np.random.default_rng(11), respondents, q_units, q_wait)
    mean = totals / n
    expected = 1 + 3 * q_units
    expected[0, 2] = 1 + 3 * 0.3  # all waited 0 days
    expected[1, 2] = 1 + 3 * (0.2 + 0.8) / 2  # half each
    # sd of a mean <= sqrt(3 x 0.25 / 40000) = 0.0043; 5 sd
    np.testing.assert_allclose(mean, expected, atol=0.022)


def test_stratified_ikm_by_hand() -> None:
    # unit 0: NRR 3.0 on every element (IKM 75), served 300
    # unit 1: NRR 3.5 except U3 = 2.0 (mean 30/9, IKM 83.33), served 100
    # unit 2: no respondents (NaN row), served 50: left out
    # unit 3: served nobody (weight 0): left out
    nrr_rows = np.array(
        [
            [3.0] * 9,
            [3.5, 3.5, 2.0, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5],
            [np.nan] * 9,
            [1.0] * 9,
        ]
    )
    served = np.array([300.0, 100.0, 50.0, 0.0])
    ikm_city, nrr_city = stratified_ikm(nrr_rows, served)
    # weighted NRR = (300 x 3.0 + 100 x 3.5) / 400 = 3.125; U3 (300 x 3 + 100 x 2) / 400 = 2.75
    expected_nrr = [3.125, 3.125, 2.75, 3.125, 3.125, 3.125, 3.125, 3.125, 3.125]
    np.testing.assert_allclose(nrr_city[0], expected_nrr, rtol=1e-14)
    # IKM = (8 x 3.125 + 2.75) / 9 x 25 = 27.75 / 9 x 25 = 77.0833...
    #     = (300 x 75 + 100 x 83.333) / 400, the served-weighted mean of the unit IKMs
    assert ikm_city[0] == pytest.approx(27.75 / 9 * 25, rel=1e-14)
    assert ikm_city[0] == pytest.approx((300 * 75 + 100 * 250 / 3) / 400, rel=1e-14)
    # groups (as for sectors): units 0 and 2 in group 0, 1 and 3 in group 1, group 2 empty
    ikm_g, nrr_g = stratified_ikm(nrr_rows, served, np.array([0, 1, 0, 1]), 3)
    assert ikm_g[0] == pytest.approx(75.0, rel=1e-14)
    assert ikm_g[1] == pytest.approx(250 / 3, rel=1e-14)
    assert np.isnan(ikm_g[2]) and np.isnan(nrr_g[2]).all()
    np.testing.assert_allclose(nrr_g[1], nrr_rows[1], rtol=1e-14)


def test_stratified_ikm_weight_is_exactly_one_ninth() -> None:
    # NRR 1 on eight elements and 4 on one: IKM = (8 + 4) / 9 x 25 = 33.333...
    # (the 0.111 shortcut would give 12 x 0.111 x 25 = 33.3)
    nrr_row = np.array([[1.0] * 8 + [4.0]])
    ikm_value, _ = stratified_ikm(nrr_row, np.array([7.0]))
    assert ikm_value[0] == pytest.approx(100 / 3, rel=1e-14)
    # each unit alone, as the model computes unit IKM: weight 1, group = the unit
    rows = np.array([[1.0] * 8 + [4.0], [np.nan] * 9, [2.0] * 9])
    per_unit, _ = stratified_ikm(rows, np.ones(3), np.arange(3), 3)
    np.testing.assert_allclose(per_unit[[0, 2]], [100 / 3, 50.0], rtol=1e-14)
    assert np.isnan(per_unit[1])


def test_krejcie_morgan_as_the_model_calls_it() -> None:
    # respondents = min(krejcie_morgan(served this semester), survey_max_respondents)
    served = np.array([0, 1, 50, 500, 100_000], dtype=np.int64)
    # table: 0 -> 0, 1 -> 1, 50 -> 44, 500 -> 217, 100000 -> 383; then the cap of 200
    n = np.minimum(krejcie_morgan(served), 200)
    assert n.tolist() == [0, 1, 44, 200, 200]
    assert krejcie_morgan(served).tolist() == [0, 1, 44, 217, 383]


# The drivers of the semester survey, element by element (ASNModel._survey):
# U1, U2 digital maturity; U3 each respondent's wait; U4 fee burden; U5 share served wrongly;
# U6 hours-weighted competency; U7 mean motivation; U8 complaint handling; U9 facilities.
DETERMINISTIC = {
    # element: (intercept, slope); with the unit inputs below every q is exactly 0 or 1
    "U1": (0.0, 1.0),  # digital maturity 1 -> q 1 -> score 4
    "U2": (1.0, -1.0),  # digital maturity 1 -> q 0 -> score 1
    "U3": (0.0, 0.0),  # q 0 -> score 1 whatever the wait
    "U4": (0.0, 1.0),  # fee burden 1 -> q 1 -> score 4
    "U5": (1.0, 0.0),  # q 1 -> score 4 whatever the errors
    "U6": (0.0, 0.0),  # q 0 -> score 1
    "U7": (1.0, 0.0),  # q 1 -> score 4
    "U8": (0.0, 2.0),  # complaint handling 0.5 -> q 1 -> score 4
    "U9": (0.5, -1.0),  # facilities 0.5 -> q 0 -> score 1
}


def _tiny_with(tiny, elements=None, **unit_inputs) -> ASNModel:
    data = tiny.canonical()
    for unit in data["city"]["units"]:
        unit.update(unit_inputs)
    if elements is not None:
        data["assumptions"]["elements"] = {
            e: {"intercept": i, "slope": s} for e, (i, s) in elements.items()
        }
    return ASNModel(scenario_from_dict(data))


def test_model_semester_survey_with_known_drivers(tiny) -> None:
    model = _tiny_with(
        tiny,
        DETERMINISTIC,
        digital_maturity=1.0,
        fee_burden=1.0,
        complaint_handling=0.5,
        facilities=0.5,
        attribute_spread=0.0,  # the drivers exactly as given (no draw around them)
    )
    for _ in range(model.days_per_year // 2):
        model.step()
    frame = model.outcomes.surveys()
    assert frame["semester"].tolist() == [1] * len(model.units)
    served = model.queues.served  # all served so far = this first semester's
    np.testing.assert_array_equal(frame["served"], served)
    expected_n = np.minimum(krejcie_morgan(served), tiny.assumptions.survey_max_respondents)
    np.testing.assert_array_equal(frame["respondents"], expected_n)
    assert (expected_n > 0).all()
    # every respondent scores 4 1 1 4 4 1 4 4 1: NRR exactly that, expected scores too
    scores = [4.0, 1.0, 1.0, 4.0, 4.0, 1.0, 4.0, 4.0, 1.0]
    for col, exp_col, score in zip(NRR_COLUMNS, EXPECTED_COLUMNS, scores, strict=True):
        assert (frame[col] == score).all(), col
        assert (frame[exp_col] == score).all(), exp_col
    # IKM = (5 x 4 + 4 x 1) = 24 / 9 x 25 = 66.67 -> band C (Kurang Baik)
    np.testing.assert_allclose(frame["ikm"], 24 / 9 * 25, rtol=1e-14)
    np.testing.assert_allclose(frame["ikm_true"], 24 / 9 * 25, rtol=1e-14)
    assert (frame["ikm_band"] == "C").all()


def test_model_semester_expected_scores_follow_the_inputs(tiny) -> None:
    model = _tiny_with(tiny, digital_maturity=0.4, fee_burden=0.2, complaint_handling=0.7)
    a = model.spec.assumptions
    for _ in range(model.days_per_year // 2):
        model.step()
    frame = model.outcomes.surveys()
    q, units, wf = model.queues, model.units, model.workforce
    el = {e: (a.elements[e].intercept, a.elements[e].slope) for e in ELEMENTS}

    def score(element, driver):
        i, s = el[element]
        return 1.0 + 3.0 * np.clip(i + s * np.asarray(driver, dtype=float), 0.0, 1.0)

    col = dict(zip(ELEMENTS, EXPECTED_COLUMNS, strict=True))
    np.testing.assert_allclose(frame[col["U1"]], score("U1", units.digital_maturity))
    np.testing.assert_allclose(frame[col["U2"]], score("U2", units.digital_maturity))
    np.testing.assert_allclose(frame[col["U4"]], score("U4", units.fee_burden))
    np.testing.assert_allclose(frame[col["U8"]], score("U8", units.complaint_handling))
    np.testing.assert_allclose(frame[col["U9"]], score("U9", units.facilities))
    # U5: share of this semester's served requests done wrongly
    np.testing.assert_allclose(frame[col["U5"]], score("U5", q.wrong / q.served))
    # U7: mean motivation of the unit's staff (nothing changes between the survey and now)
    staff = np.bincount(wf.unit, minlength=len(units))
    motivation = np.bincount(wf.unit, weights=wf.motivation, minlength=len(units)) / staff
    np.testing.assert_allclose(frame[col["U7"]], score("U7", motivation))
    # U6: the hours-weighted competency of the unit's servers
    _, competency = model._unit_capacity()
    np.testing.assert_allclose(frame[col["U6"]], score("U6", competency))
    # U3: each served citizen's wait, weighted by how many waited that long (the year's
    # histogram is this semester's until the year ends)
    hist = q.served_hist_year
    waits = np.arange(hist.shape[1])
    per_wait = score(
        "U3",
        1.0 / (1.0 + (waits / (units.standard_days[:, None] * a.u3_tolerance)) ** a.u3_steepness),
    )
    np.testing.assert_allclose(frame[col["U3"]], (hist * per_wait).sum(1) / hist.sum(1))
    # true IKM = mean of the nine expected scores x 25; surveyed IKM = mean NRR x 25
    np.testing.assert_allclose(frame["ikm_true"], frame[list(EXPECTED_COLUMNS)].mean(axis=1) * 25)
    np.testing.assert_allclose(frame["ikm"], frame[list(NRR_COLUMNS)].mean(axis=1) * 25)
    # each NRR is a whole total over the respondents, within 1..4
    totals = frame[list(NRR_COLUMNS)].to_numpy() * frame["respondents"].to_numpy()[:, None]
    np.testing.assert_allclose(totals, np.round(totals), atol=1e-9)
    assert ((frame[list(NRR_COLUMNS)] >= 1) & (frame[list(NRR_COLUMNS)] <= 4)).all().all()


# ------------------------------------------ who runs the survey (city.survey_regime)


def test_kinder_answers_add_the_shift_and_stay_a_probability() -> None:
    q = np.array([0.0, 0.5, 0.9, 1.0])
    np.testing.assert_allclose(kinder_answers(q, 0.125), [0.125, 0.625, 1.0, 1.0])
    np.testing.assert_array_equal(kinder_answers(q, 0.0), q)


def test_kinder_answers_raise_ikm_by_75_times_the_shift_with_many_respondents() -> None:
    """E[score] = 1 + 3q, IKM = 25 x mean score: a shift d adds 75 d when no q reaches 1."""
    q = np.array([[0.55, 0.6, 0.5, 0.8, 0.7, 0.45, 0.5, 0.4, 0.5]])
    n = np.array([[2_000_000]])  # one wait class: U3's propensity is q_wait
    shift = 0.125
    plain = survey_totals(np.random.default_rng(0), n, q, q[:, [2]]) / n[0, 0]
    kind = survey_totals(
        np.random.default_rng(1), n, kinder_answers(q, shift), kinder_answers(q[:, [2]], shift)
    )
    gap = ikm_from_nrr(kind / n[0, 0]) - ikm_from_nrr(plain)
    # each NRR's sd is at most sqrt(3/4 / n); the gap's sd under 0.02 IKM points
    assert gap[0] == pytest.approx(75 * shift, abs=0.02)


def _regime(tiny, regime, **assumptions) -> ASNModel:
    data = tiny.canonical()
    data["city"]["survey_regime"] = regime
    data["assumptions"].update(assumptions)
    return ASNModel(scenario_from_dict(data))


def test_independent_surveys_score_lower_than_the_units_own_by_the_shift(tiny) -> None:
    """Same citizens and services, only the answers kinder: the true IKM is the same, the
    surveyed IKM higher by 75 x shift (no propensity reaches 1 at this shift)."""
    shift = 0.04
    frames = {}
    for regime in ("independent", "unit_run", "university"):
        model = _regime(
            tiny, regime, survey_shift_unit_run=shift, survey_shift_university=shift / 2
        )
        model.run(progress=False)
        frames[regime] = model.outcomes.surveys()
    base = frames["independent"]
    assert (base[list(EXPECTED_COLUMNS)].to_numpy() + 3 * shift < 4).all()  # no q + shift > 1
    for regime, factor in (("unit_run", 1.0), ("university", 0.5)):
        frame = frames[regime]
        np.testing.assert_array_equal(frame["ikm_true"], base["ikm_true"])
        gap = frame["ikm"] - base["ikm"]
        # the survey's sampling error per unit is at most 25 x sqrt(3/4 / n) / 3 x sqrt(2)
        se = (25 * np.sqrt(0.75 / frame["respondents"]) / 3 * np.sqrt(2)).mean() / np.sqrt(
            len(gap)
        )
        assert gap.mean() == pytest.approx(75 * shift * factor, abs=4 * se)
    # and the independent survey is an unbiased estimate of the true IKM
    bias = (base["ikm"] - base["ikm_true"]).mean()
    assert abs(bias) < 4 * se


def test_the_default_regime_is_the_unshifted_reference(tiny) -> None:
    assert tiny.city.survey_regime == "independent"
    model = _regime(tiny, "independent", survey_shift_unit_run=0.9)
    assert model._regime_shift() == 0.0
    assert _regime(tiny, "unit_run")._regime_shift() == tiny.assumptions.survey_shift_unit_run
    assert _regime(tiny, "university")._regime_shift() == (
        tiny.assumptions.survey_shift_university
    )


# ------------------------------------------ return types and the words of the errors


def test_scalar_inputs_give_python_numbers_and_arrays_give_arrays() -> None:
    nrrs = [3.2, 3.1, 2.9, 3.5, 3.0, 3.3, 3.4, 2.8, 3.1]
    assert type(krejcie_morgan(50)) is int and krejcie_morgan(50) == 44
    assert type(ikm_from_nrr(nrrs)) is float
    assert type(ikm_weighted_0111(nrrs)) is float
    rows = np.array([nrrs, [2.0] * 9])
    # one value per row: 28.3 x 0.111 x 25 = 78.5325 and 18 x 0.111 x 25 = 49.95
    np.testing.assert_allclose(ikm_weighted_0111(rows), [78.5325, 49.95], rtol=1e-12)
    assert ikm_weighted_0111(rows).shape == (2,)


def test_nrr_accepts_any_float_width() -> None:
    scores = np.array([[1, 4] * 4 + [1], [3, 2] * 4 + [3]], dtype=np.float32)
    assert nrr(scores).tolist() == [2.0, 3.0] * 4 + [2.0]


def test_band_of_one_value_rejects_arrays() -> None:
    with pytest.raises(ValueError, match=r"^ikm_band takes a single value; use ikm_bands"):
        ikm_band(np.array([80.0, 90.0]))
    with pytest.raises(ValueError, match=r"^nrr_band takes a single value$"):
        nrr_band(np.array([3.0, 3.5]))


def test_nrr_band_range_is_exactly_one_to_four() -> None:
    assert nrr_band(4.0) == "A" and nrr_band(1.0) == "D"
    for bad in (4.0001, 0.9999):
        with pytest.raises(ValueError, match=r"^NRR value must lie in \[1, 4\], got "):
            nrr_band(bad)
    with pytest.raises(ValueError, match=r"^NRR value must not be NaN$"):
        nrr_band(float("nan"))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: nrr(np.ones((0, 9))), r"^scores has zero respondents; NRR is undefined$"),
        (lambda: ikm_from_nrr(np.ones(8)), r"^nrr_values must have a last axis of length 9"),
        (lambda: ikm_weighted_0111(np.ones(8)), r"^nrr_values must have a last axis of length 9"),
        (
            lambda: expected_scores_to_ikm(np.ones(8)),
            r"^expected_element_scores must have a last axis of length 9",
        ),
        (
            lambda: expected_scores_to_ikm(np.array([4.5] + [2.0] * 8)),
            r"^expected element scores must lie in \[1, 4\], got min .*2\.0.*, max .*4\.5",
        ),
        (lambda: ikm_bands(np.array([80.0, np.nan])), r"^IKM values must not be NaN$"),
        (
            lambda: ikm_bands(np.array([80.0, 101.0])),
            r"^IKM values must lie in \[25, 100\] \(PermenPANRB 14/2017 scale\), got min "
            r".*80\.0.*, max .*101\.0",
        ),
        (lambda: krejcie_morgan(-1), r"^population must be non-negative integers$"),
        (
            lambda: sample_scores(np.random.default_rng(0), np.full(9, -0.5), 3),
            r"^q must lie in \[0, 1\]$",
        ),
        (
            lambda: sample_scores(np.random.default_rng(0), np.full(9, np.nan), 3),
            r"^q must lie in \[0, 1\]$",
        ),
    ],
)
def test_errors_say_what_was_expected(call, message) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_sample_scores_names_the_wrong_generator() -> None:
    with pytest.raises(
        TypeError, match=r"^rng must be a numpy.random.Generator, got RandomState$"
    ):
        sample_scores(np.random.RandomState(0), np.full(9, 0.5), 3)  # type: ignore[arg-type]
