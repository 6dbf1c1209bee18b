"""The four operations: what each changes, nesting, restoring, decorators."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfoNotFoundError

import pytest

from fmlab.timetravel import (
    AmbiguousLocalTimeError,
    ManualClock,
    NonexistentLocalTimeError,
    accelerate,
    current_context,
    days,
    halt,
    jump_to,
    months,
    now_local,
    now_utc,
    scale,
    travel_to,
    use_clock,
    zone,
)

from .conftest import START

FUTURE = datetime(1985, 10, 26, 8, 24, tzinfo=UTC)


def test_travel_to_an_aware_instant_keeps_zone_and_scale(manual: ManualClock) -> None:
    with jump_to("Asia/Tokyo"), accelerate(2), travel_to(FUTURE):
        assert now_utc() == FUTURE
        assert (zone(), scale()) == ("Asia/Tokyo", 2.0)
        manual.advance(10)
        assert now_utc() == FUTURE + timedelta(seconds=20)


def test_naive_destinations_are_wall_time_in_the_simulated_zone(manual: ManualClock) -> None:
    with jump_to("America/Los_Angeles"), travel_to(datetime(1985, 10, 26, 1, 24)):
        assert now_utc() == FUTURE
        assert now_local().isoformat() == "1985-10-26T01:24:00-07:00"


def test_naive_destinations_in_an_overlap_use_fold(manual: ManualClock) -> None:
    with jump_to("America/Los_Angeles"):
        with travel_to(datetime(1985, 10, 27, 1, 30)):
            assert now_utc() == datetime(1985, 10, 27, 8, 30, tzinfo=UTC)
            assert now_local().fold == 0
        with travel_to(datetime(1985, 10, 27, 1, 30), fold=1):
            assert now_utc() == datetime(1985, 10, 27, 9, 30, tzinfo=UTC)
            assert now_local().fold == 1
        with (
            pytest.raises(AmbiguousLocalTimeError),
            travel_to(datetime(1985, 10, 27, 1, 30), policy="strict"),
        ):
            pytest.fail("entered an ambiguous time under the strict policy")
        with (
            pytest.raises(NonexistentLocalTimeError),
            travel_to("1985-04-28T02:30", policy="strict"),
        ):
            pytest.fail("entered a nonexistent time under the strict policy")
        assert zone() == "America/Los_Angeles"
        assert now_utc() == START  # the failed entries left nothing behind


def test_half_hour_gap_on_lord_howe(manual: ManualClock) -> None:
    with jump_to("Australia/Lord_Howe"), travel_to(datetime(2023, 10, 1, 2, 15)):
        # fold=0 reads 02:15 with the old offset (+10:30), which is 02:45 in the new (+11).
        assert now_local().isoformat() == "2023-10-01T02:45:00+11:00"


def test_relative_destinations(manual: ManualClock) -> None:
    with travel_to(days(3).ago):
        assert now_utc() == START - timedelta(days=3)
        with travel_to(timedelta(minutes=-1)):
            assert now_utc() == START - timedelta(days=3, minutes=1)
    with travel_to(datetime(2024, 1, 31, 9, tzinfo=UTC)), travel_to(months(1).later):
        assert now_utc() == datetime(2024, 2, 29, 9, tzinfo=UTC)


def test_relative_destinations_start_from_the_simulated_instant(manual: ManualClock) -> None:
    with accelerate(10):
        manual.advance(6)  # one simulated minute
        with travel_to(timedelta(hours=1)):
            assert now_utc() == START + timedelta(minutes=61)


def test_jump_to_keeps_the_instant(manual: ManualClock) -> None:
    with travel_to(FUTURE), halt():
        assert now_local().utcoffset() == timedelta(0)
        with jump_to("Asia/Shanghai"):
            assert now_utc() == FUTURE
            assert now_local().isoformat() == "1985-10-26T16:24:00+08:00"
            with jump_to("America/Los_Angeles"):
                assert now_local().isoformat() == "1985-10-26T01:24:00-07:00"
            assert zone() == "Asia/Shanghai"
        assert zone() == "UTC"


def test_jump_to_sees_shanghai_summer_time_in_1986(manual: ManualClock) -> None:
    with travel_to("1986-07-01T00:00Z"), jump_to("Asia/Shanghai"):
        assert now_local().utcoffset() == timedelta(hours=9)
    with travel_to("1992-07-01T00:00Z"), jump_to("Asia/Shanghai"):
        assert now_local().utcoffset() == timedelta(hours=8)


def test_unknown_zones_fail_at_once() -> None:
    # The Haskell library silently keeps the old zone here.
    with pytest.raises(ZoneInfoNotFoundError):
        jump_to("Asia/Shangai")


def test_accelerate_multiplies_and_velocity_sets(manual: ManualClock) -> None:
    with accelerate(3):
        assert scale() == 3.0
        with accelerate(2):
            assert scale() == 6.0
            start = now_utc()
            manual.advance(1)
            assert now_utc() - start == timedelta(seconds=6)
            with accelerate(velocity=0.5):
                assert scale() == 0.5
        assert scale() == 3.0


def test_accelerate_cannot_restart_a_halted_clock_but_velocity_can(manual: ManualClock) -> None:
    with halt():
        frozen = now_utc()
        with accelerate(60):
            assert scale() == 0.0
            manual.advance(5)
            assert now_utc() == frozen
        with accelerate(velocity=60):
            manual.advance(1)
            assert now_utc() == frozen + timedelta(minutes=1)


def test_halt_freezes_time(manual: ManualClock) -> None:
    with halt():
        first = now_utc()
        manual.advance(3600)
        assert now_utc() == first
        assert scale() == 0.0


def test_leaving_a_block_restores_the_outer_timeline(manual: ManualClock) -> None:
    with accelerate(60):
        manual.advance(1)
        assert now_utc() == START + timedelta(minutes=1)
        with halt():
            manual.advance(1)
            assert now_utc() == START + timedelta(minutes=1)
        # The outer block never stopped: two real seconds at x60.
        assert now_utc() == START + timedelta(minutes=2)
    # Outside, simulated time jumps back to the real clock.
    assert now_utc() == START + timedelta(seconds=2)


def test_an_exception_restores_the_context(manual: ManualClock) -> None:
    before = current_context()
    with pytest.raises(RuntimeError), jump_to("Asia/Tokyo"), travel_to(FUTURE), halt():
        raise RuntimeError("boom")
    assert current_context() is before
    assert now_utc() == START


def test_a_block_object_can_be_reused_and_nested(manual: ManualClock) -> None:
    hour_later = travel_to(timedelta(hours=1))
    with hour_later:
        with hour_later:
            assert now_utc() == START + timedelta(hours=2)
        assert now_utc() == START + timedelta(hours=1)
    assert now_utc() == START
    with hour_later:
        assert now_utc() == START + timedelta(hours=1)


def test_blocks_work_as_decorators(manual: ManualClock) -> None:
    @travel_to(FUTURE)
    @halt()
    def when() -> datetime:
        return now_utc()

    manual.advance(1)
    assert when() == FUTURE + timedelta(seconds=0)
    assert when.__name__ == "when"
    assert now_utc() == START + timedelta(seconds=1)


def test_blocks_decorate_async_functions(manual: ManualClock) -> None:
    @jump_to("Asia/Tokyo")
    @travel_to(FUTURE)
    async def when() -> tuple[datetime, str]:
        await asyncio.sleep(0)
        return now_utc(), zone()

    assert asyncio.run(when()) == (FUTURE, "Asia/Tokyo")
    assert zone() == "UTC"


def test_the_readme_example_on_the_real_clock() -> None:
    with halt(), travel_to(FUTURE), jump_to("America/Los_Angeles"):
        assert now_local().isoformat() == "1985-10-26T01:24:00-07:00"


def test_the_real_clock_moves_inside_travel() -> None:
    with travel_to(FUTURE):
        first = now_utc()
        assert FUTURE <= first < FUTURE + timedelta(seconds=5)
        while now_utc() == first:
            pass
        assert now_utc() > first
    with accelerate(1000):
        a = now_utc()
        b = now_utc()
        assert b >= a


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: accelerate(), TypeError),
        (lambda: accelerate(2, velocity=3), TypeError),
        (lambda: accelerate(-1), ValueError),
        (lambda: accelerate(float("nan")), ValueError),
        (lambda: accelerate(float("inf")), ValueError),
        (lambda: accelerate(True), ValueError),
        (lambda: travel_to(FUTURE, fold=3), ValueError),
        (lambda: travel_to(FUTURE, policy="loose"), ValueError),
        (lambda: travel_to("tuesday"), ValueError),
    ],
)
def test_bad_arguments_are_rejected_when_the_block_is_made(
    call: object, error: type[Exception]
) -> None:
    with pytest.raises(error):
        call()  # type: ignore[operator]


def test_a_manual_clock_block_is_exact_for_scaled_time() -> None:
    clock = ManualClock(utc=START)
    with use_clock(clock), accelerate(1 / 3):
        clock.advance(timedelta(microseconds=3))
        assert now_utc() == START + timedelta(microseconds=1)
