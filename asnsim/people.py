"""The table of people: who the employees are, and every formula that makes them workers.

Both ways into the model produce the same **people table**: the synthetic generator
(:func:`synthetic_people`, drawn from the city profile) and the roster importer
(:func:`asnsim.roster.load_roster`, read from a planner's file). A people table is a ``dict``
of numpy arrays of one length with exactly the columns of :data:`COLUMNS`;
:func:`check_people` says what is wrong with one. ONE function, :func:`to_workforce`, turns a
table into the workforce's arrays (:class:`asnsim.workforce.Workforce`); every formula about
people stands in this module: years of service (:func:`estimate_tenure`), rank
(:func:`service_rank`, :data:`ENTRY_RANK`), who is a teacher (:func:`is_teacher`), retirement
age and day (:func:`retirement_age`, :func:`retirement_day`), PPPK contract ends
(:func:`contract_end`), lasting
competency (the floor), the ceiling practice can reach (:func:`competency_ceiling`), the
learning rate (:func:`learning_rate`) and competency learned before the run.

Behavioural constants are scenario assumptions (``scenario.assumptions``); what stands here
as a constant is a rule of the regulation, cited where it stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy import stats

from asnsim.rng import choose
from asnsim.units import Units
from asnsim.vocab import (
    EDUCATION_LEVELS,
    FUNCTIONAL_LEVELS,
    MANAGERIAL_POSITIONS,
    POSITION_TYPES,
    RANK_NAMES,
)

if TYPE_CHECKING:
    from asnsim.scenario import Assumptions, Scenario


__all__ = [
    "COLUMNS",
    "age_band_bounds",
    "ENTRY_RANK",
    "MIN_AGE",
    "PNS",
    "PPPK",
    "RANK_NAMES",
    "check_people",
    "competency_ceiling",
    "contract_end",
    "draw_days_in_post",
    "draw_fields",
    "draw_practice_days",
    "estimate_tenure",
    "is_manager",
    "is_teacher",
    "learning_rate",
    "newcomer_resigns",
    "qualification_table",
    "rank_caps",
    "retirement_age",
    "retirement_day",
    "sector_posts",
    "service_rank",
    "synthetic_people",
    "to_workforce",
]

PNS, PPPK = 0, 1

MIN_AGE = 18.0
"""Minimum age of an ASN (PP 11/2017 art. 23: applicants are at least 18)."""

ENTRY_RANK = {"slta": 4, "d3": 6, "s1": 8, "s2": 9, "s3": 10}
"""Entry rank by education (PP 99/2000, PP 11/2017): SLTA II/a, D3 II/c, S1 III/a, S2 III/b,
S3 III/c (index into ``RANK_NAMES``)."""

# Batas Usia Pensiun (PP 11/2017; UU 20/2023 art. 55), DOMAIN.md: 58 administrator, pengawas,
# pelaksana and functional keterampilan / ahli pertama / ahli muda; 60 JPT and ahli madya;
# 65 ahli utama. PPPK follow the same ages by post.
_BUP_POSITION = {"jpt": 60.0, "administrator": 58.0, "pengawas": 58.0, "pelaksana": 58.0}
_BUP_FUNCTIONAL = {
    "keterampilan": 58.0,
    "ahli_pertama": 58.0,
    "ahli_muda": 58.0,
    "ahli_madya": 60.0,
    "ahli_utama": 65.0,
}
_FUNGSIONAL = POSITION_TYPES.index("fungsional")

LOWEST_BUP = min(*_BUP_POSITION.values(), *_BUP_FUNCTIONAL.values())
"""The lowest retirement age of any post (recruits are drawn below it, less a margin)."""

TEACHER_BUP = 60.0
"""Teachers (guru) retire at 60 whatever their post's level (UU 14/2005 art. 30(4))."""

MONTHS_PER_YEAR = 12

COLUMNS: dict[str, tuple[type, str]] = {
    "status": (np.int8, "0 PNS, 1 PPPK"),
    "position": (np.int8, "index into POSITION_TYPES"),
    "level": (np.int8, "index into FUNCTIONAL_LEVELS for fungsional staff, -1 otherwise"),
    "rank": (np.int8, "index into RANK_NAMES (PPPK: the pay grade of the same step)"),
    "education": (np.int8, "index into EDUCATION_LEVELS"),
    "field": (np.int16, "field of study, index into the scenario's fields (field_mix)"),
    "unit": (np.intp, "index into the units; -1 not yet placed (recruits)"),
    "age": (np.float64, "years, at the day the table describes"),
    "tenure": (np.float64, "years of service"),
    "days_in_post": (np.float64, "working days in the current posting"),
    "practice_days": (np.float64, "working days practised in the current unit's sector"),
    "competency_offset": (np.float64, "own lasting competency above the schooling norm (0-1)"),
    "motivation": (np.float64, "0-1"),
    "digital": (np.float64, "digital competency, 0-1"),
    "managerial": (np.float64, "managerial competency, 0-1"),
    "resistance": (np.float64, "resistance to change, 0-1"),
    "newcomer": (np.bool_, "a recruit still ramping up to full productivity"),
}
"""The people table: column -> (dtype, meaning). Every column is required."""

_KEPT = ("status", "position", "level", "rank", "education", "field", "unit", "age", "tenure")
_KEPT += ("motivation", "digital", "managerial", "resistance")  # as the workforce's columns


# --------------------------------------------------------------------------- formulas


def age_band_bounds(name: str) -> tuple[float, float]:
    """Ages ``[low, high)`` of an age band named ``'low_high'`` in completed years.

    ``'51_60'`` is 51 <= age < 61, as BKN reports ten-year bands.

    Raises:
        ValueError: The name is not two whole ages ``low_high`` with 18 <= low <= high.
    """
    parts = name.split("_")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ValueError(f"age band '{name}': expected 'low_high' in whole years, e.g. '51_60'")
    low, high = int(parts[0]), int(parts[1])
    if not 18 <= low <= high:
        raise ValueError(f"age band '{name}': expected 18 <= low <= high")
    return float(low), float(high + 1)


def retirement_age(
    position: np.ndarray, level: np.ndarray, teacher: np.ndarray | None = None
) -> np.ndarray:
    """Retirement age (BUP) by position type and functional level (DOMAIN.md, PP 11/2017).

    Teachers retire at :data:`TEACHER_BUP` (UU 14/2005 art. 30(4)).

    Args:
        position: Index into ``POSITION_TYPES``.
        level: Index into ``FUNCTIONAL_LEVELS`` for fungsional staff, -1 otherwise.
        teacher: Whether each person is a teacher (:func:`is_teacher`); none if omitted.
    """
    by_position = np.array([_BUP_POSITION.get(p, 0.0) for p in POSITION_TYPES])
    by_level = np.array([_BUP_FUNCTIONAL[lv] for lv in FUNCTIONAL_LEVELS])
    out = by_position[position]
    is_f = position == _FUNGSIONAL
    out[is_f] = by_level[level[is_f]]
    if teacher is not None:
        out[teacher] = TEACHER_BUP
    return out


def is_teacher(
    position: np.ndarray, unit_of: np.ndarray, units: Units, scenario: Scenario
) -> np.ndarray:
    """Teachers: functional staff of a unit in one of ``city.workforce.teacher_sectors``.

    People not yet placed (unit -1) are not teachers.
    """
    teacher_sectors = set(scenario.city.workforce.teacher_sectors)
    teaching = np.array([name in teacher_sectors for name in units.sectors], dtype=bool)
    placed = unit_of >= 0
    out = np.zeros(len(position), dtype=bool)
    out[placed] = teaching[units.sector[unit_of[placed]]] & (position[placed] == _FUNGSIONAL)
    return out


def month_start(month: np.ndarray, days_per_year: int) -> np.ndarray:
    """Model day of the first working day of each month (month 0 starts on day 0)."""
    return (np.asarray(month) * days_per_year) // MONTHS_PER_YEAR


def retirement_day(
    age: np.ndarray, retire_at: np.ndarray, day: int, days_per_year: int
) -> np.ndarray:
    """Model day each person retires: the first day of the month after they reach the BUP.

    (DOMAIN.md: service ends at the BUP, the pension runs from the first day of the next
    month.) ``age`` is each person's age on model day ``day``; months are twelfths of the
    working year.
    """
    reach = day + (retire_at - age) * days_per_year
    month = np.floor(reach * MONTHS_PER_YEAR / days_per_year).astype(np.int64) + 1
    return np.maximum(month_start(month, days_per_year), day)


def contract_end(
    pppk: np.ndarray, tenure: np.ndarray, hire_day: np.ndarray, a: Assumptions, days_per_year: int
) -> np.ndarray:
    """Model day each PPPK contract ends (-1 for PNS, who have none).

    Contracts run in terms of ``pppk_contract_years`` from the hire day; the current term is
    the one after ``tenure`` years of service.
    """
    term = a.pppk_contract_years * days_per_year
    terms = np.floor(tenure / a.pppk_contract_years) + 1.0
    end = hire_day + np.round(terms * term).astype(np.int64)
    return np.where(pppk, end, -1).astype(np.int64)


_MANAGERIAL = np.array([p in MANAGERIAL_POSITIONS for p in POSITION_TYPES], dtype=bool)


def is_manager(position: np.ndarray) -> np.ndarray:
    """Whether each position index is a managerial post (``MANAGERIAL_POSITIONS``)."""
    return _MANAGERIAL[position]


def rank_caps(a: Assumptions) -> np.ndarray:
    """Highest rank of regular promotion per education level (index as ``EDUCATION_LEVELS``)."""
    return np.array([RANK_NAMES.index(a.rank_cap_by_education[e]) for e in EDUCATION_LEVELS])


def service_rank(education: np.ndarray, tenure: np.ndarray, a: Assumptions) -> np.ndarray:
    """Rank reached by regular promotion: entry rank plus a step per interval, capped."""
    entry = np.array([ENTRY_RANK[e] for e in EDUCATION_LEVELS])[education]
    cap = rank_caps(a)[education]
    return np.minimum(entry + np.floor(tenure / a.promotion_interval_years), cap).astype(np.int8)


def learning_rate(a: Assumptions) -> float:
    """Share of the gap to the ceiling that practice closes each working day."""
    return 1.0 - 0.5 ** (1.0 / a.learning_half_life_days)


def competency_ceiling(
    match: np.ndarray, floor: np.ndarray, mismatch_ceiling: float
) -> np.ndarray:
    """What practice in a sector can reach.

    1 if one's field fits the sector, else ``assumptions.mismatch_ceiling``; never below
    one's lasting floor there.
    """
    return np.maximum(np.where(match, 1.0, mismatch_ceiling), floor)


def estimate_tenure(
    age: np.ndarray, pppk: np.ndarray, rng: np.random.Generator, a: Assumptions
) -> np.ndarray:
    """Years of service of serving staff whose start is not known.

    From an entry age drawn uniformly; PPPK capped by a draw up to ``pppk_tenure_max``.
    """
    n = len(age)
    entry_age = rng.uniform(a.entry_age_min, a.entry_age_max, n)
    tenure = np.maximum(0.0, age - entry_age)
    return np.where(pppk, np.minimum(tenure, rng.uniform(0.0, a.pppk_tenure_max, n)), tenure)


def newcomer_resigns(matched: np.ndarray, a: Assumptions, rng: np.random.Generator) -> np.ndarray:
    """Which newcomers resign on placement, before taking up the post.

    A placement is *unwanted* where the newcomer's field does not fit the unit's sector (the
    model's stand-in for a post they did not apply for, OBSERVED.md §1.8): they resign with
    ``unwanted_placement_resignation_probability``, the others with
    ``newcomer_resignation_probability``.

    Args:
        matched: Whether each newcomer's field fits the sector they were placed in.
        a: The assumptions.
        rng: The stream to draw from.
    """
    p = np.where(
        matched, a.newcomer_resignation_probability, a.unwanted_placement_resignation_probability
    )
    return rng.random(len(matched)) < p


def draw_days_in_post(
    tenure: np.ndarray, rng: np.random.Generator, a: Assumptions, days_per_year: int
) -> np.ndarray:
    """Working days in the current posting.

    Uniform up to the years of service, at most ``posting_years_max`` (the mutasi rule).
    """
    u = rng.uniform(0, 1, len(tenure))
    return np.floor(u * np.minimum(tenure, a.posting_years_max) * days_per_year)


def draw_practice_days(
    days_in_post: np.ndarray, rng: np.random.Generator, a: Assumptions, days_per_year: int
) -> np.ndarray:
    """Practice in the current sector: the posting plus up to ``prior_practice_years``."""
    u = rng.uniform(0, 1, len(days_in_post)) * a.prior_practice_years
    return days_in_post + u * days_per_year


def qualification_table(scenario: Scenario) -> tuple[list[str], np.ndarray]:
    """Fields of study and a (sector × field) table of which fields qualify for which sector."""
    field_names = list(scenario.city.workforce.field_mix)
    sectors = scenario.sector_names
    table = np.zeros((len(sectors), len(field_names)), dtype=bool)
    for s, sector in enumerate(sectors):
        for f in scenario.sectors[sector]:
            table[s, field_names.index(f)] = True
    return field_names, table


# --------------------------------------------------------------------------- the one builder


def to_workforce(
    people: dict[str, np.ndarray], scenario: Scenario, units: Units, day: int
) -> dict[str, np.ndarray]:
    """The workforce's column arrays (``Workforce.append``) of a people table.

    Args:
        people: A people table (:data:`COLUMNS`); checked with :func:`check_people`.
        scenario: The scenario (assumptions, days per year, fields).
        units: The unit table the ``unit`` column indexes.
        day: Model day the table describes (hire and posting days count back from it).

    Raises:
        ValueError: The table is not a valid people table (every problem listed).
    """
    field_names, qualifies = qualification_table(scenario)
    problems = check_people(people, len(units), len(field_names))
    if problems:
        raise ValueError("not a valid people table: " + "; ".join(problems))
    a, dpy = scenario.assumptions, scenario.days_per_year
    n = len(people["age"])
    floor, competency, cur, ceil = _competency(people, scenario, units, qualifies)
    teacher = is_teacher(people["position"], people["unit"], units, scenario)
    retire_at = retirement_age(people["position"], people["level"], teacher)
    hire_day = (day - np.round(people["tenure"] * dpy)).astype(np.int64)
    pppk = people["status"] == PPPK
    return {
        "uid": np.zeros(n, dtype=np.int64),
        **{k: people[k].copy() for k in _KEPT},
        "teacher": teacher,
        "retire_at": retire_at,
        "retire_day": retirement_day(people["age"], retire_at, day, dpy),
        "contract_end": contract_end(pppk, people["tenure"], hire_day, a, dpy),
        "post_start": (day - people["days_in_post"]).astype(np.int64),
        "hire_day": hire_day,
        "competency": competency,
        "floor": floor,
        "cur": cur,
        "ceil": ceil,
        "boost": np.zeros_like(floor),  # no lasting training gain before the run
        "boost_digital": np.zeros(n),
        "boost_managerial": np.zeros(n),
        "motivation_offset": people["motivation"] - a.motivation_target,
        "disposition": people["motivation"] - a.motivation_target,
        "present": np.ones(n),
        "output_year": np.zeros(n),
        "ramp": np.where(people["newcomer"], a.ramp_start, 1.0),
        "jp_year": np.zeros(n),
        "last_rating": np.full(n, -1, dtype=np.int8),
    }


def _competency(people, scenario: Scenario, units: Units, qualifies: np.ndarray):
    """Floor, competency matrix, current-sector competency and ceiling of each person.

    The floor is schooling plus the field bonus in fitting sectors (``qualifies``: the
    scenario's :func:`qualification_table`) plus one's own offset; in the current sector,
    practice has closed part of the gap to the ceiling.
    """
    a = scenario.assumptions
    n = len(people["age"])
    field = people["field"]
    base = np.array([a.competency_by_education[e] for e in EDUCATION_LEVELS])
    floor = base[people["education"]][:, None] + a.field_match_bonus * qualifies[:, field].T
    floor = np.clip(floor + people["competency_offset"][:, None], 0.0, 1.0)
    competency = floor.copy()
    cur = np.zeros(n)
    ceil = np.ones(n)
    rows = np.flatnonzero(people["unit"] >= 0)
    if len(rows):
        sector = units.sector[people["unit"][rows]]
        low = floor[rows, sector]
        ceil[rows] = competency_ceiling(qualifies[sector, field[rows]], low, a.mismatch_ceiling)
        kept = (1 - learning_rate(a)) ** people["practice_days"][rows]
        cur[rows] = np.clip(ceil[rows] - (ceil[rows] - low) * kept, low, ceil[rows])
        competency[rows, sector] = cur[rows]
    return floor, competency, cur, ceil


def check_people(people: dict[str, np.ndarray], n_units: int, n_fields: int) -> list[str]:
    """Every way ``people`` is not a people table (empty list: it is one)."""
    missing = [c for c in COLUMNS if c not in people]
    extra = [c for c in people if c not in COLUMNS]
    if missing or extra:
        return [f"columns missing {missing}, unknown {extra}; expected those of COLUMNS"]
    problems = []
    lengths = {len(v) for v in people.values()}
    if len(lengths) > 1:
        return [f"columns of different lengths {sorted(lengths)}"]
    for name, (dtype, _) in COLUMNS.items():
        if people[name].dtype != np.dtype(dtype) or people[name].ndim != 1:
            problems.append(f"{name}: dtype {people[name].dtype}, expected {np.dtype(dtype)}")
    if problems:
        return problems
    return _check_values(people, n_units, n_fields)


def _check_values(p: dict[str, np.ndarray], n_units: int, n_fields: int) -> list[str]:
    is_f = p["position"] == _FUNGSIONAL
    rules = {
        "status": (p["status"] == PNS) | (p["status"] == PPPK),
        "position": (p["position"] >= 0) & (p["position"] < len(POSITION_TYPES)),
        "level": np.where(is_f, (p["level"] >= 0) & (p["level"] < len(FUNCTIONAL_LEVELS)),
                          p["level"] == -1),
        "rank": (p["rank"] >= 0) & (p["rank"] < len(RANK_NAMES)),
        "education": (p["education"] >= 0) & (p["education"] < len(EDUCATION_LEVELS)),
        "field": (p["field"] >= 0) & (p["field"] < n_fields),
        "unit": (p["unit"] >= -1) & (p["unit"] < n_units),
        "age": np.isfinite(p["age"]) & (p["age"] >= MIN_AGE),
        "tenure": np.isfinite(p["tenure"]) & (p["tenure"] >= 0),
        "days_in_post": np.isfinite(p["days_in_post"]) & (p["days_in_post"] >= 0),
        "practice_days": p["practice_days"] >= p["days_in_post"],
        "competency_offset": np.isfinite(p["competency_offset"]),
    }  # fmt: skip
    for name in ("motivation", "digital", "managerial", "resistance"):
        rules[name] = (p[name] >= 0) & (p[name] <= 1)
    return [
        f"{name}: {int((~ok).sum())} rows out of range ({COLUMNS[name][1]})"
        for name, ok in rules.items()
        if not ok.all()
    ]


# --------------------------------------------------------------------------- the generator


def _choice(rng: np.random.Generator, mix: dict[str, float], keys: tuple[str, ...], n: int):
    p = np.array([mix.get(k, 0.0) for k in keys])
    return choose(rng, p / p.sum(), n)


def synthetic_people(
    scenario: Scenario,
    units: Units,
    unit_of: np.ndarray,
    rng: np.random.Generator,
    *,
    newcomers: bool,
    field: np.ndarray | None = None,
    pppk: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """A people table drawn from the city profile (the start workforce or recruits).

    Args:
        scenario: The scenario (city make-up and assumptions).
        units: The unit table.
        unit_of: Unit index of each person (-1: not yet placed, recruits only).
        rng: The stream to draw from.
        newcomers: Recruits (young, no tenure, ramping up) rather than serving staff.
        field: Fields of study, if already chosen (recruitment policy); drawn otherwise.
        pppk: Which are PPPK, if already chosen; drawn from the city mix otherwise.
    """
    wf, a = scenario.city.workforce, scenario.assumptions
    n, dpy = len(unit_of), scenario.days_per_year
    position, level, education, pppk = _draw_posts(rng, scenario, n, pppk)
    position, level = _by_sector(rng, scenario, units, unit_of, position, level)
    if newcomers:  # their post is the one they are placed in: the lowest BUP bounds them
        bup = np.full(n, LOWEST_BUP)
    else:
        bup = retirement_age(position, level, is_teacher(position, unit_of, units, scenario))
    age = _draw_age(rng, bup, scenario, newcomers)
    if newcomers:
        tenure, days_in_post = np.zeros(n), np.zeros(n)
    else:
        tenure = estimate_tenure(age, pppk, rng, a)
        days_in_post = draw_days_in_post(tenure, rng, a, dpy)
    if field is None:
        _, qualifies = qualification_table(scenario)
        field = draw_fields(rng, wf.field_mix, qualifies, units, unit_of)
    offset = rng.normal(0.0, a.competency_sd, (n, 1))[:, 0]
    practice = days_in_post.copy()
    placed = np.flatnonzero(unit_of >= 0)
    if len(placed) and not newcomers:
        practice[placed] = draw_practice_days(days_in_post[placed], rng, a, dpy)
    return {
        "status": np.where(pppk, PPPK, PNS).astype(np.int8),
        "position": position,
        "level": level,
        "rank": service_rank(education, tenure, a),
        "education": education,
        "field": field.astype(np.int16),
        "unit": unit_of.astype(np.intp),
        "age": age,
        "tenure": tenure,
        "days_in_post": days_in_post,
        "practice_days": practice,
        "competency_offset": offset,
        **_draw_dispositions(rng, scenario, n),
        "newcomer": np.full(n, newcomers),
    }


def sector_posts(
    rng: np.random.Generator, scenario: Scenario, units: Units, unit_of: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Position type and functional level of each person, from their unit's sector mix.

    The mix of ``city.workforce.position_mix_by_sector`` for the unit's sector, else (and
    for people not yet placed, unit -1) ``position_mix``.
    """
    position, level, _, _ = _draw_posts(rng, scenario, len(unit_of), np.zeros(0, bool))
    return _by_sector(rng, scenario, units, unit_of, position, level)


def _draw_posts(rng, scenario: Scenario, n: int, pppk: np.ndarray | None):
    """Position, functional level, education and PPPK status from the city's mix."""
    wf = scenario.city.workforce
    position = _choice(rng, wf.position_mix, POSITION_TYPES, n).astype(np.int8)
    level = np.full(n, -1, dtype=np.int8)
    is_f = position == _FUNGSIONAL
    level[is_f] = _choice(rng, wf.functional_level_mix, FUNCTIONAL_LEVELS, int(is_f.sum()))
    education = _choice(rng, wf.education_mix, EDUCATION_LEVELS, n).astype(np.int8)
    if pppk is None:
        pppk = rng.random(n) < wf.pppk_share
    return position, level, education, pppk


def _by_sector(rng, scenario: Scenario, units: Units, unit_of, position, level):
    """Posts redrawn from the unit's sector mix where ``position_mix_by_sector`` has one."""
    wf = scenario.city.workforce
    n = len(unit_of)
    placed = unit_of >= 0
    if not wf.position_mix_by_sector or not placed.any():  # nobody's post is redrawn
        return position, level
    sector = np.full(n, -1)
    sector[placed] = units.sector[unit_of[placed]]
    redrawn = np.zeros(n, dtype=bool)
    for s, name in enumerate(units.sectors):  # a loop over sectors, not people
        mix = wf.position_mix_by_sector.get(name)
        if mix is None:
            continue
        here = np.flatnonzero(sector == s)
        if len(here):
            position[here] = _choice(rng, mix, POSITION_TYPES, len(here))
            redrawn[here] = True
    level[redrawn] = -1
    is_f = redrawn & (position == _FUNGSIONAL)
    level[is_f] = _choice(rng, wf.functional_level_mix, FUNCTIONAL_LEVELS, int(is_f.sum()))
    return position, level


def _draw_age(rng, retire_at: np.ndarray, scenario: Scenario, newcomers: bool) -> np.ndarray:
    """Ages of serving staff from the age bands; of recruits, the newcomer profile.

    Serving staff: a band drawn by its share, then uniform within the band below one's BUP
    (so a band's share holds whatever the BUP). Recruits: a normal truncated to
    [MIN_AGE, BUP - recruit_years_before_bup].
    """
    wf, a = scenario.city.workforce, scenario.assumptions
    n = len(retire_at)
    if newcomers:
        lo, hi = MIN_AGE, retire_at - a.recruit_years_before_bup
        mean, sd = a.newcomer_age_mean, max(a.newcomer_age_sd, 1e-6)
        return stats.truncnorm.rvs(
            (lo - mean) / sd, (hi - mean) / sd, loc=mean, scale=sd, size=n, random_state=rng
        )
    names = list(wf.age_bands)
    bounds = np.array([age_band_bounds(k) for k in names])
    band = rng.choice(len(names), size=n, p=np.array([wf.age_bands[k] for k in names]))
    lo = np.maximum(bounds[band, 0], a.serving_age_min)
    hi = np.minimum(bounds[band, 1], retire_at)
    hi = np.maximum(hi, lo)  # a band wholly above one's BUP: clipped below the BUP next
    age = lo + rng.uniform(0.0, 1.0, n) * (hi - lo)
    return np.minimum(age, np.nextafter(retire_at, 0.0))  # strictly below the BUP


def _draw_dispositions(rng, scenario: Scenario, n: int) -> dict[str, np.ndarray]:
    """Motivation, digital and managerial competency and resistance, in this order."""
    wf, a = scenario.city.workforce, scenario.assumptions
    motivation = np.clip(rng.normal(wf.motivation_mean, a.motivation_sd, n), 0.0, 1.0)
    digital = np.clip(rng.normal(wf.digital_mean, a.digital_sd, n), 0.0, 1.0)
    managerial = np.clip(rng.normal(a.managerial_mean, a.managerial_sd, n), 0.0, 1.0)
    resistance = np.clip(rng.normal(wf.resistance_mean, a.resistance_sd, n), 0.0, 1.0)
    return {
        "motivation": motivation,
        "digital": digital,
        "managerial": managerial,
        "resistance": resistance,
    }


def draw_fields(
    rng, field_mix: dict[str, float], qualifies: np.ndarray, units: Units, unit_of: np.ndarray
) -> np.ndarray:
    """Fields of study: a unit's staff fit its sector with the unit's field-match share."""
    p_all = np.array(list(field_mix.values()))
    n = len(unit_of)
    out = choose(rng, p_all / p_all.sum(), n)
    placed = np.flatnonzero(unit_of >= 0)
    if len(placed) == 0:
        return out
    u = unit_of[placed]
    fits = rng.random(len(placed)) < units.field_match_share[u]
    sector = units.sector[u]
    for s in np.unique(sector):  # a loop over sectors, not employees
        ok = qualifies[s]
        here = sector == s
        for want, allowed in ((True, ok), (False, ~ok)):
            pick = here & (fits == want)
            p = np.where(allowed, p_all, 0.0)
            if pick.any() and p.sum() > 0:
                out[placed[pick]] = choose(rng, p / p.sum(), int(pick.sum()))
    return out
