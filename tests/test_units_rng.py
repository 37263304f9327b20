"""Service units as arrays (asnsim.units) and the named random streams (asnsim.rng)."""

import zlib

import numpy as np
import pytest

from asnsim.rng import choose, stream, stream_names, streams
from asnsim.scenario import scenario_from_dict
from asnsim.units import DRAWN_ATTRIBUTES, build_units, draw_attributes


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


# ------------------------------------------ unit attributes drawn around the scenario's values


def _with(tiny, **assumptions):
    data = tiny.canonical()
    data["assumptions"].update(assumptions)
    return scenario_from_dict(data)


def test_spread_zero_gives_the_scenarios_values_exactly(tiny):
    """With no spread the drawn units are today's constants, whatever the stream."""
    scenario = _with(tiny, unit_attribute_spread=0.0)
    given = build_units(scenario)  # no stream: the scenario's values
    drawn = build_units(scenario, stream(3, "units"))
    for name in DRAWN_ATTRIBUTES:
        np.testing.assert_array_equal(getattr(drawn, name), getattr(given, name))
    # and a kind that asks for no spread keeps its values while the others vary
    data = tiny.canonical()
    data["assumptions"]["unit_attribute_spread"] = 0.3
    data["city"]["units"][0]["attribute_spread"] = 0.0  # the three Puskesmas
    units = build_units(scenario_from_dict(data), stream(3, "units"))
    fixed = np.array([True] * 3 + [False] * 5)
    for name in ("digital_maturity", "facilities", "complaint_handling"):
        values = getattr(units, name)
        np.testing.assert_array_equal(values[fixed], getattr(given, name)[fixed])
        assert (values[~fixed] != getattr(given, name)[~fixed]).all(), name


def test_draws_have_the_scenarios_mean_and_the_declared_variance():
    """Beta with mean m and variance spread x m(1 - m), whatever the correlation."""
    n, m, spread = 200_000, 0.3, 0.2
    for correlation in (0.0, 0.5, 1.0):
        drawn = draw_attributes(
            {"digital_maturity": np.full(n, m), "fee_burden": np.full(n, m)},
            np.full(n, spread),
            correlation,
            np.random.default_rng(1),
        )
        for values in drawn.values():
            assert values.mean() == pytest.approx(m, abs=0.003)
            assert values.var() == pytest.approx(spread * m * (1 - m), rel=0.02)
            assert ((values >= 0) & (values <= 1)).all()


def test_the_quality_factor_ties_a_units_attributes():
    """Correlation 1: one factor orders every attribute (fees the other way); 0: unrelated."""
    n = 2_000
    given = {
        name: np.full(n, 0.4)
        for name in ("digital_maturity", "facilities", "complaint_handling", "fee_burden")
    }
    tied = draw_attributes(given, np.full(n, 0.2), 1.0, np.random.default_rng(2))
    order = np.argsort(tied["digital_maturity"])
    assert (np.diff(tied["facilities"][order]) >= 0).all()
    assert (np.diff(tied["complaint_handling"][order]) >= 0).all()
    assert (np.diff(tied["fee_burden"][order]) <= 0).all()  # better run, lower fees
    free = draw_attributes(given, np.full(n, 0.2), 0.0, np.random.default_rng(2))
    r = np.corrcoef(free["digital_maturity"], free["facilities"])[0, 1]
    assert abs(r) < 4 / np.sqrt(n)


def test_values_at_zero_or_one_stay():
    given = {"fee_burden": np.array([0.0, 1.0, 0.5]), "facilities": np.array([1.0, 0.0, 0.5])}
    drawn = draw_attributes(given, np.full(3, 0.5), 0.5, np.random.default_rng(0))
    np.testing.assert_array_equal(drawn["fee_burden"][:2], [0.0, 1.0])
    np.testing.assert_array_equal(drawn["facilities"][:2], [1.0, 0.0])
    assert drawn["fee_burden"][2] != 0.5


def test_one_kinds_spread_does_not_move_anothers_draws(tiny):
    """Common random numbers: the same draws per point whatever the other points' spread."""
    data = tiny.canonical()
    before = build_units(scenario_from_dict(data), stream(5, "units"))
    data["city"]["units"][0]["attribute_spread"] = 0.6  # the three Puskesmas
    after = build_units(scenario_from_dict(data), stream(5, "units"))
    others = slice(3, None)
    for name in DRAWN_ATTRIBUTES:
        np.testing.assert_array_equal(getattr(after, name)[others], getattr(before, name)[others])
    assert (after.facilities[:3] != before.facilities[:3]).all()


def test_the_model_draws_its_units_from_the_units_stream(tiny):
    """Reproducible per seed, different across seeds; only the units stream moves them."""
    from asnsim import ASNModel

    a, b, c = ASNModel(tiny, rng=11), ASNModel(tiny, rng=11), ASNModel(tiny, rng=12)
    expected = build_units(a.spec, stream(11, "units"))
    for name in DRAWN_ATTRIBUTES:
        np.testing.assert_array_equal(getattr(a.units, name), getattr(expected, name))
        np.testing.assert_array_equal(getattr(a.units, name), getattr(b.units, name))
    assert (a.units.facilities != c.units.facilities).any()
    # the levers start from the drawn values
    np.testing.assert_array_equal(a.service.baseline["digital_maturity"], a.units.digital_maturity)
    assert "units" in stream_names()


@pytest.mark.parametrize("n", [0, 1, 37, 500])
def test_choose_draws_what_generator_choice_draws(n):
    """rng.choose is numpy's choice without its checks: the same indices, the same stream after."""
    weights = np.array([0.3, 0.0, 1.2, 0.05, 2.0])
    p = weights / weights.sum()
    ours, numpy_s = np.random.default_rng(11), np.random.default_rng(11)
    got = choose(ours, p, n)
    expected = numpy_s.choice(len(p), size=n, p=p)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)
    assert not (got == 1).any()  # a zero weight is never drawn
    assert ours.random() == numpy_s.random()
