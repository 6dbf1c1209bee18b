"""The clock's laws as hypothesis properties, over random instants, zones and scales.

Every property runs on a ManualClock, so "real elapsed time" is whatever the test says
and the equalities are exact, not approximate.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import available_timezones

from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.timetravel import (
    ManualClock,
    accelerate,
    halt,
    jump_to,
    now_local,
    now_utc,
    resolve_local,
    travel_to,
    use_clock,
)

ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
instants = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
zones = st.sampled_from(ZONES)
# Real steps in whole microseconds, up to a day.
steps = st.integers(min_value=0, max_value=86_400 * 10**6).map(
    lambda us: timedelta(microseconds=us)
)
# Scales up to 1000 (and products of two up to 10^6 s per s): a day of real time then stays
# within datetime's years 1-9999, beyond which readings raise OverflowError.
factors = st.one_of(
    st.integers(min_value=0, max_value=1000).map(float),
    st.floats(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False),
)
LAWS = settings(max_examples=60, deadline=None)


@LAWS
@given(start=instants, there=instants, zone=zones, steps=st.lists(steps, max_size=4))
def test_inside_halt_two_readings_are_equal(
    start: datetime, there: datetime, zone: str, steps: list[timedelta]
) -> None:
    clock = ManualClock(utc=start, zone=zone)
    with use_clock(clock), travel_to(there), halt():
        first = now_utc()
        for step in steps:
            clock.advance(step)
            assert now_utc() == first
            assert now_local().astimezone(UTC) == first  # in UTC: see the jump_to law


# [start:law-accelerate]
@LAWS
@given(start=instants, zone=zones, factor=factors, step=steps, outer=factors)
def test_inside_accelerate_simulated_elapsed_is_k_times_real(
    start: datetime, zone: str, factor: float, step: timedelta, outer: float
) -> None:
    clock = ManualClock(utc=start, zone=zone)
    with use_clock(clock), accelerate(velocity=outer), accelerate(factor):
        before = now_utc()
        clock.advance(step)
        assert now_utc() - before == step * (outer * factor)


# [end:law-accelerate]


@LAWS
@given(
    start=instants,
    there=instants,
    zone=zones,
    factor=factors,
    before=steps,
    inside=steps,
)
def test_leaving_a_block_restores_the_outer_reading(
    start: datetime, there: datetime, zone: str, factor: float, before: timedelta, inside: timedelta
) -> None:
    clock = ManualClock(utc=start, zone="UTC")
    with use_clock(clock):
        with jump_to(zone), accelerate(velocity=2):
            clock.advance(before)
            with travel_to(there), accelerate(factor), jump_to("Asia/Tokyo"):
                clock.advance(inside)
            # As if the inner block never happened: the outer scale applied all along.
            assert now_utc() == start + (before + inside) * 2
            assert str(now_local().tzinfo) == zone
        assert now_utc() == start + before + inside
        assert str(now_local().tzinfo) == "UTC"


@LAWS
@given(start=instants, zone=zones, other=zones)
def test_jump_to_changes_the_zone_not_the_instant(start: datetime, zone: str, other: str) -> None:
    with use_clock(ManualClock(utc=start, zone=zone)), halt():
        instant = now_utc()
        with jump_to(other):
            assert now_utc() == instant
            # The same instant. Compared in UTC: PEP 495 makes == between zones False
            # whenever one side is an ambiguous wall time (hypothesis found one in Godthab).
            assert now_local().astimezone(UTC) == instant
            assert now_local().tzinfo is not None
            assert str(now_local().tzinfo) == other


@LAWS
@given(instant=instants, zone=zones)
def test_local_wall_time_with_its_fold_names_the_instant_again(
    instant: datetime, zone: str
) -> None:
    # PEP 495's round trip: resolving the wall time and fold that now_local() shows
    # gives back the instant, in every zone, including overlaps.
    with use_clock(ManualClock(utc=instant, zone=zone)):
        local = now_local()
        naive = local.replace(tzinfo=None)
        assert resolve_local(naive, zone, fold=local.fold) == instant
