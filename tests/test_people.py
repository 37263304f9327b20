"""The people table: one builder for synthetic and roster workforces, and its formulas."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import numpy as np
import pytest

import asnsim.model
from asnsim.model import ASNModel
from asnsim.people import (
    COLUMNS,
    RANK_NAMES,
    check_people,
    learning_rate,
    qualification_table,
    retirement_age,
    service_rank,
    synthetic_people,
    to_workforce,
)
from asnsim.roster import load_roster
from asnsim.scenario import EDUCATION_LEVELS, FUNCTIONAL_LEVELS, POSITION_TYPES
from asnsim.units import build_units

AS_OF = date(2025, 1, 1)
JURUSAN = {  # a jurusan FIELD_KEYWORDS maps to each default field
    "health": "Kesehatan Masyarakat",
    "education": "Pendidikan Guru",
    "law": "Ilmu Hukum",
    "economics": "Akuntansi",
    "administration": "Administrasi Negara",
    "social_science": "Sosiologi",
    "engineering": "Teknik Sipil",
    "information_technology": "Teknik Informatika",
    "other": "Peternakan",
}
FROM_FILE = ("status", "position", "level", "rank", "education", "field", "unit")
DRAWN = ("days_in_post", "practice_days", "competency_offset")
DRAWN += ("motivation", "digital", "managerial", "resistance")


def _date_back(years: float) -> date:
    return AS_OF - timedelta(days=round(years * 365.2425))


def _export(people, units, field_names, path) -> None:
    """Write a synthetic people table as a roster a planner could have."""
    header = ["NIP", "tanggal_lahir", "golongan", "jenis_jabatan", "jenjang", "unit_kerja"]
    header += ["pendidikan", "jurusan", "status", "tmt_cpns"]
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        for k in range(len(people["age"])):
            born = _date_back(people["age"][k])
            start = _date_back(people["tenure"][k]).replace(day=1)
            pppk = people["status"][k] == 1
            code = "21" if pppk else f"{start.month:02d}"
            nip = f"{born:%Y%m%d}{start.year}{code}1{k + 1:03d}"
            level = people["level"][k]
            out.writerow([
                nip, born.isoformat(),
                str(people["rank"][k] + 1) if pppk else RANK_NAMES[people["rank"][k]],
                POSITION_TYPES[people["position"][k]],
                FUNCTIONAL_LEVELS[level].replace("_", " ") if level >= 0 else "",
                units.name[people["unit"][k]], EDUCATION_LEVELS[people["education"][k]],
                JURUSAN[field_names[people["field"][k]]], "PPPK" if pppk else "PNS",
                start.isoformat(),
            ])  # fmt: skip


def test_synthetic_and_roster_people_go_through_the_same_builder(tiny, tmp_path):
    scenario = tiny
    units = build_units(scenario)
    field_names, _ = qualification_table(scenario)
    rng = np.random.default_rng(7)
    unit_of = rng.permutation(np.repeat(np.arange(len(units)), units.formation // 2))
    synthetic = synthetic_people(scenario, units, unit_of, rng, newcomers=False)
    path = tmp_path / "exported.csv"
    _export(synthetic, units, field_names, path)
    roster = load_roster(path, scenario, strict=True, as_of=AS_OF, salt="s", rng=1)
    got = roster.people
    assert list(got) == list(synthetic) == list(COLUMNS)
    for key in FROM_FILE:
        np.testing.assert_array_equal(got[key], synthetic[key], err_msg=key)
    np.testing.assert_allclose(got["age"], synthetic["age"], atol=2 / 365)
    np.testing.assert_allclose(got["tenure"], synthetic["tenure"], atol=32 / 365)
    # what a roster does not hold is drawn; given the same draws, the same workers
    same = {**got, **{k: synthetic[k] for k in (*DRAWN, "age", "tenure")}}
    a = to_workforce(same, scenario, units, day=0)
    b = to_workforce(synthetic, scenario, units, day=0)
    assert list(a) == list(b)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def test_the_model_builds_both_workforces_with_to_workforce(tiny, monkeypatch, tmp_path):
    calls = []

    def spy(people, *args, **kwargs):
        calls.append(len(people["age"]))
        return to_workforce(people, *args, **kwargs)

    monkeypatch.setattr(asnsim.model, "to_workforce", spy)
    model = ASNModel(tiny)
    assert calls == [len(model.workforce)]
    units = build_units(tiny)
    people = synthetic_people(
        tiny, units, np.arange(len(units)), np.random.default_rng(0), newcomers=False
    )
    path = tmp_path / "r.csv"
    _export(people, units, qualification_table(tiny)[0], path)
    roster = load_roster(path, tiny, as_of=AS_OF, salt="s")
    ASNModel(tiny, roster=roster)
    assert calls[-1] == len(roster) == len(units)


def test_formulas_by_hand(tiny):
    a = tiny.assumptions
    # S1 enters at III/a; 9 years at a 4-year interval: two steps, III/c; S1 caps at IV/c
    edu = np.array([EDUCATION_LEVELS.index("s1")] * 2, dtype=np.int8)
    ranks = service_rank(edu, np.array([9.0, 40.0]), a)
    assert [RANK_NAMES[r] for r in ranks] == ["III/c", "IV/c"]
    assert (1 - learning_rate(a)) ** a.learning_half_life_days == pytest.approx(0.5)


def test_a_people_table_is_checked(tiny):
    units = build_units(tiny)
    people = synthetic_people(
        tiny, units, np.zeros(4, dtype=np.intp), np.random.default_rng(0), newcomers=False
    )
    n_fields = len(qualification_table(tiny)[0])
    assert check_people(people, len(units), n_fields) == []
    bad = {**people, "age": np.array([30.0, 12.0, 40.0, np.nan])}
    assert check_people(bad, len(units), n_fields) == [
        "age: 2 rows out of range (years, at the day the table describes)"
    ]
    with pytest.raises(ValueError, match="columns missing"):
        to_workforce({k: v for k, v in people.items() if k != "rank"}, tiny, units, day=0)


def _draw(scenario, newcomers=False):
    units = build_units(scenario)
    unit_of = np.repeat(np.arange(len(units)), units.formation)
    if newcomers:
        unit_of = np.full(len(unit_of), -1)
    people = synthetic_people(
        scenario, units, unit_of, np.random.default_rng(3), newcomers=newcomers
    )
    return people, scenario.days_per_year


S1 = EDUCATION_LEVELS.index("s1")
# each people assumption, a value, and what must then hold of the drawn people
ASSUMED = [
    ("serving_age_min", 30.0, lambda p, d: p["age"].min() >= 30.0),
    (
        "entry_age_min",
        25.0,
        lambda p, d: np.allclose(
            p["tenure"][p["status"] == 0], np.maximum(0, p["age"] - 25)[p["status"] == 0]
        ),
    ),
    ("pppk_tenure_max", 1.0, lambda p, d: p["tenure"][p["status"] == 1].max() <= 1.0),
    ("posting_years_max", 2.0, lambda p, d: p["days_in_post"].max() <= 2 * d),
    (
        "prior_practice_years",
        0.0,
        lambda p, d: np.array_equal(p["practice_days"], p["days_in_post"]),
    ),
    ("digital_sd", 0.0, lambda p, d: np.ptp(p["digital"]) == 0),
    ("managerial_mean", 0.8, lambda p, d: abs(p["managerial"].mean() - 0.8) < 0.02),
    ("managerial_sd", 0.0, lambda p, d: np.all(p["managerial"] == 0.5)),
    ("resistance_sd", 0.0, lambda p, d: np.ptp(p["resistance"]) == 0),
    (
        "rank_cap_by_education",
        {"slta": "II/a", "d3": "II/c", "s1": "III/a", "s2": "III/b", "s3": "III/c"},
        lambda p, d: np.all(p["rank"][p["education"] == S1] == RANK_NAMES.index("III/a")),
    ),
]


@pytest.mark.parametrize(("name", "value", "holds"), ASSUMED, ids=[a[0] for a in ASSUMED])
def test_each_people_assumption_reaches_the_draws(tiny, name, value, holds):
    overrides = {f"assumptions.{name}": value}
    if name == "entry_age_min":
        overrides["assumptions.entry_age_max"] = value
    default, days = _draw(tiny)
    changed, _ = _draw(tiny.with_overrides(overrides))
    assert holds(changed, days)
    assert not holds(default, days)


def test_recruits_keep_their_distance_to_retirement(tiny):
    people, _ = _draw(tiny.with_overrides({"assumptions.recruit_years_before_bup": 30}), True)
    bup = retirement_age(people["position"], people["level"])
    assert (people["age"] <= bup - 30).all()
    default, _ = _draw(tiny, True)
    assert (default["age"] > retirement_age(default["position"], default["level"]) - 30).any()
    assert (people["tenure"] == 0).all() and people["newcomer"].all()
