"""Service units as arrays (asnsim.units) and the named random streams (asnsim.rng)."""

import zlib

import numpy as np
import pytest

from asnsim.rng import stream, stream_names, streams
from asnsim.scenario import scenario_from_dict
from asnsim.units import build_units


def test_unit_kinds_expand_into_numbered_points(tiny):
    units = build_units(tiny)
    assert units.name == [
        "Puskesmas 1",
        "Puskesmas 2",
        "Puskesmas 3",
        "Disdukcapil",  # count 1 keeps its name
        "Sekolah 1",
        "Sekolah 2",
        "Kantor Camat 1",
        "Kantor Camat 2",
    ]
    assert len(units) == 8
    sectors = [units.sectors[s] for s in units.sector]
    assert (
        sectors == ["health"] * 3 + ["civil_registry"] + ["education"] * 2 + ["administration"] * 2
    )
    assert units.sector.dtype == np.intp
    np.testing.assert_array_equal(units.formation, [30, 30, 30, 40, 60, 60, 30, 30])
    np.testing.assert_array_equal(units.demand_per_day, [60, 60, 60, 80, 90, 90, 40, 40])
    np.testing.assert_array_equal(units.standard_days, [1, 1, 1, 3, 5, 5, 2, 2])
    np.testing.assert_array_equal(units.effort_hours, [2.0] * 4 + [2.5] * 4)


def test_scale_shrinks_formation_and_demand_but_keeps_one_post(tiny):
    data = tiny.canonical()
    data["scale"] = 0.02
    units = build_units(scenario_from_dict(data))
    # formation: max(1, round(f x 0.02)): 30 -> 0.6 -> 1; 40 -> 0.8 -> 1; 60 -> 1.2 -> 1
    np.testing.assert_array_equal(units.formation, [1] * 8)
    data["scale"] = 0.1
    units = build_units(scenario_from_dict(data))
    np.testing.assert_array_equal(units.formation, [3, 3, 3, 4, 6, 6, 3, 3])
    # demand is scaled without rounding
    np.testing.assert_allclose(units.demand_per_day, [6, 6, 6, 8, 9, 9, 4, 4], rtol=1e-12)


def test_unit_values_fall_back_to_the_city_and_the_unit_kind_defaults(tiny):
    data = tiny.canonical()
    data["city"]["demand_growth"] = 0.04
    data["city"]["workforce"]["field_match_share"] = 0.55
    data["city"]["units"][1].update(
        demand_growth=0.1,
        field_match_share=0.9,
        digital_maturity=0.8,
        facilities=0.7,
        complaint_handling=0.6,
        fee_burden=0.3,
        staffing_weight=2.0,
    )
    for unit in data["city"]["units"]:
        if unit is not data["city"]["units"][1]:
            unit.pop("demand_growth", None)
            unit.pop("field_match_share", None)
    units = build_units(scenario_from_dict(data))
    own = np.array([False, False, False, True, False, False, False, False])  # Disdukcapil
    np.testing.assert_allclose(units.demand_growth, np.where(own, 0.1, 0.04))
    np.testing.assert_allclose(units.field_match_share, np.where(own, 0.9, 0.55))
    np.testing.assert_allclose(units.digital_maturity[own], [0.8])
    np.testing.assert_allclose(units.facilities[own], [0.7])
    np.testing.assert_allclose(units.complaint_handling[own], [0.6])
    np.testing.assert_allclose(units.fee_burden[own], [0.3])
    np.testing.assert_allclose(units.staffing_weight, np.where(own, 2.0, 1.0))
    # the other units keep the unit-kind defaults (scenario.UnitSpec)
    defaults = tiny.city.units[0]
    np.testing.assert_allclose(units.digital_maturity[~own], defaults.digital_maturity)
    np.testing.assert_allclose(units.fee_burden[~own], defaults.fee_burden)


def test_a_stream_is_the_seed_sequence_child_keyed_by_the_name():
    key = zlib.crc32(b"demand")
    expected = np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(42, spawn_key=(key,)))
    ).random(5)
    np.testing.assert_array_equal(stream(42, "demand").random(5), expected)


def test_streams_are_reproducible_independent_and_named():
    a, b = streams(7), streams(7)
    assert tuple(a) == stream_names()
    draws = {name: g.random(3).tolist() for name, g in a.items()}
    assert draws == {name: g.random(3).tolist() for name, g in b.items()}
    # every component its own numbers; another seed other numbers
    assert len({tuple(v) for v in draws.values()}) == len(stream_names())
    assert streams(8)["demand"].random(3).tolist() != draws["demand"]
    # drawing from one stream leaves the others where they were
    c = streams(7)
    c["service"].random(1000)
    assert c["demand"].random(3).tolist() == draws["demand"]


@pytest.mark.parametrize("name", ["demand", "survey"])
def test_a_stream_does_not_depend_on_the_order_of_the_others(name):
    assert stream(3, name).random(4).tolist() == streams(3)[name].random(4).tolist()
