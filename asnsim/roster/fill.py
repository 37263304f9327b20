"""The people table of a roster's good rows: the roster's values, the rest from the profile.

What the roster does not hold is drawn exactly as the synthetic workforce draws it
(:func:`asnsim.people.synthetic_people`), and the roster's own values are written over it;
years of service, time in post, practice and rank use the formulas of :mod:`asnsim.people`.
Nothing here turns people into workers: :func:`asnsim.people.to_workforce` does, for the
roster and the synthetic workforce alike.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from asnsim.people import (
    check_people,
    draw_days_in_post,
    draw_fields,
    draw_practice_days,
    estimate_tenure,
    qualification_table,
    retirement_age,
    service_rank,
    synthetic_people,
)
from asnsim.roster.checks import allowed_posts, option_bup, post_options, teaching_units
from asnsim.roster.vocab import CANONICAL_COLUMNS
from asnsim.scenario import POSITION_TYPES, Scenario
from asnsim.units import Units

__all__ = ["people_table"]

_F = POSITION_TYPES.index("fungsional")
_NEVER_DRAWN = ("nip", "nama", "tanggal_lahir", "jenis_kelamin")


def people_table(
    good: list[dict[str, Any]], cols: dict[str, int], scenario: Scenario, units: Units, rng
) -> tuple[dict[str, np.ndarray], list[str], dict[str, int]]:
    """The people table of the good records; the absent columns; blank cells filled.

    Returns:
        The table, the canonical columns the file lacks (drawn from the profile), and the
        number of blank cells drawn per column.
    """
    a, dpy = scenario.assumptions, scenario.days_per_year
    cells: Counter = Counter()
    unit_of = np.array([r["unit"] for r in good], dtype=np.intp)
    field = _fields(good, cols, scenario, units, unit_of, rng, cells)
    pppk = _pppk(good, cols, scenario, rng, cells)
    people = synthetic_people(
        scenario, units, unit_of, rng, newcomers=False, field=field, pppk=pppk
    )
    people["age"] = np.array([r["age"] for r in good], dtype=float)
    _posts(people, good, cols, scenario, units, rng, cells)
    people["education"] = _given(good, "education", people["education"], cols, "pendidikan", cells)
    tenure = _tenure(good, people, cols, scenario, rng, cells)
    people["tenure"] = tenure
    people["days_in_post"] = draw_days_in_post(tenure, rng, a, dpy)
    people["practice_days"] = draw_practice_days(people["days_in_post"], rng, a, dpy)
    rank = service_rank(people["education"], tenure, a)
    people["rank"] = _given(good, "rank", rank, cols, "golongan", cells)
    problems = check_people(people, len(units), len(qualification_table(scenario)[0]))
    assert not problems, problems  # every row was checked; a failure here is a bug
    filled_cols = [c for c in CANONICAL_COLUMNS if c not in cols and c not in _NEVER_DRAWN]
    if "tmt_cpns" not in cols and all(r["tenure_from_nip"] for r in good):
        filled_cols.remove("tmt_cpns")
    order = {c: i for i, c in enumerate(CANONICAL_COLUMNS)}
    filled = {c: int(k) for c, k in sorted(cells.items(), key=lambda kv: order[kv[0]]) if k}
    return people, filled_cols, filled


def _given(good, key: str, drawn: np.ndarray, cols, column: str, cells: Counter) -> np.ndarray:
    """The roster's values of ``key`` where it has them, ``drawn`` elsewhere."""
    out = drawn.copy()
    for k, r in enumerate(good):
        if r[key] is not None:
            out[k] = r[key]
        elif column in cols:
            cells[column] += 1
    return out


def _fields(good, cols, scenario: Scenario, units: Units, unit_of, rng, cells: Counter):
    """Fields of study: the roster's, the rest drawn as the synthetic workforce's are."""
    if "jurusan" not in cols:
        return None
    field = np.array([-1 if r["field"] is None else r["field"] for r in good], dtype=np.int64)
    todo = np.flatnonzero(field < 0)
    cells["jurusan"] += len(todo)
    if len(todo):
        _, qualifies = qualification_table(scenario)
        mix = scenario.city.workforce.field_mix
        field[todo] = draw_fields(rng, mix, qualifies, units, unit_of[todo])
    return field


def _pppk(good, cols, scenario: Scenario, rng, cells: Counter):
    if "status" not in cols:
        return None
    has = np.array([r["status"] is not None for r in good], dtype=bool)
    pppk = np.array([r["status"] == 1 for r in good], dtype=bool)
    if (~has).any():
        cells["status"] += int((~has).sum())
        pppk[~has] = rng.random(int((~has).sum())) < scenario.city.workforce.pppk_share
    return pppk


def _posts(people, good, cols, scenario: Scenario, units: Units, rng, cells: Counter) -> None:
    """Position and functional level: the roster's, else drawn.

    Drawn among the posts the person can hold at their age (below its retirement age; a
    school's functional staff are teachers, BUP 60), weighted by the city's mix.
    """
    wf = scenario.city.workforce
    options = post_options(wf.position_mix, wf.functional_level_mix)
    position = people["position"].astype(np.int64)
    level = people["level"].astype(np.int64)
    age = people["age"]
    teaching = teaching_units(scenario, units)[people["unit"]]
    for k, r in enumerate(good):
        if r["position"] is not None:
            if r["position"] != position[k]:
                position[k], level[k] = r["position"], -1
            if r["level"] is not None:
                level[k] = r["level"]
        elif "jenis_jabatan" in cols:
            cells["jenis_jabatan"] += 1
        if r["position"] == _F and r["level"] is None and "jenjang" in cols:
            cells["jenjang"] += 1
        teacher = np.array([teaching[k] and position[k] == _F])
        bup = retirement_age(position[k : k + 1], np.maximum(level[k : k + 1], 0), teacher)[0]
        if (position[k] == _F and level[k] < 0) or age[k] >= bup:
            allowed = [
                o
                for o in allowed_posts(options, r["position"], r["level"])
                if option_bup(o, teaching[k]) > age[k]
            ]
            w = np.array([o[2] for o in allowed])
            w = w / w.sum() if w.sum() > 0 else np.full(len(allowed), 1 / len(allowed))
            position[k], level[k] = allowed[int(rng.choice(len(allowed), p=w))][:2]
    people["position"] = position.astype(np.int8)
    people["level"] = level.astype(np.int8)


def _tenure(good, people, cols, scenario: Scenario, rng, cells: Counter) -> np.ndarray:
    """Years of service: from tmt_cpns (or the NIP), else estimated as for synthetic staff."""
    tenure = np.array([np.nan if r["tenure"] is None else r["tenure"] for r in good])
    todo = np.flatnonzero(np.isnan(tenure))
    if len(todo):
        pppk = people["status"][todo] == 1
        tenure[todo] = estimate_tenure(people["age"][todo], pppk, rng, scenario.assumptions)
    if "tmt_cpns" in cols:
        cells["tmt_cpns"] += len(todo)
    return tenure
