"""Destinations: exact durations, calendar moves with clipping, ISO strings, bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.timetravel import (
    CalendarShift,
    Shift,
    days,
    hours,
    minutes,
    months,
    seconds,
    tomorrow,
    weeks,
    years,
    yesterday,
)
from fmlab.timetravel._destinations import add_months, parse_destination, resolve

LA = "America/Los_Angeles"
NOW = datetime(2024, 1, 31, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("helper", "unit"),
    [
        (seconds, timedelta(seconds=1)),
        (minutes, timedelta(minutes=1)),
        (hours, timedelta(hours=1)),
        (days, timedelta(seconds=86_400)),
        (weeks, timedelta(days=7)),
    ],
)
def test_exact_durations_go_both_ways(helper: object, unit: timedelta) -> None:
    duration = helper(3)  # type: ignore[operator]
    assert resolve(duration.later, NOW, "UTC") == NOW + 3 * unit
    assert resolve(duration.ago, NOW, "UTC") == NOW - 3 * unit


def test_days_are_86400_seconds_even_across_daylight_saving() -> None:
    # 2024-03-10: Los Angeles springs forward, so 3 exact days ago is an hour off in wall time.
    now = datetime(2024, 3, 12, 20, tzinfo=UTC)  # 13:00 PDT
    three_days_ago = resolve(days(3).ago, now, LA)
    assert now - three_days_ago == timedelta(seconds=259_200)
    assert three_days_ago.astimezone(__import__("zoneinfo").ZoneInfo(LA)).hour == 12  # PST


def test_tomorrow_and_yesterday_are_one_exact_day() -> None:
    assert resolve(tomorrow, NOW, "UTC") == NOW + timedelta(days=1)
    assert resolve(yesterday, NOW, "UTC") == NOW - timedelta(days=1)
    assert tomorrow == Shift(timedelta(days=1))


@pytest.mark.parametrize(
    ("start", "destination", "expected"),
    [
        (datetime(2024, 1, 31, 12), months(1).later, datetime(2024, 2, 29, 12)),  # leap year
        (datetime(2023, 1, 31, 12), months(1).later, datetime(2023, 2, 28, 12)),
        (datetime(2024, 3, 31, 12), months(1).ago, datetime(2024, 2, 29, 12)),
        (datetime(2024, 2, 29, 12), years(1).later, datetime(2025, 2, 28, 12)),
        (datetime(2024, 2, 29, 12), years(4).ago, datetime(2020, 2, 29, 12)),
        (datetime(2024, 11, 30, 8), months(3).later, datetime(2025, 2, 28, 8)),
        (datetime(2024, 1, 15), months(-1).later, datetime(2023, 12, 15)),
    ],
)
def test_calendar_moves_clip_the_day(
    start: datetime, destination: CalendarShift, expected: datetime
) -> None:
    now = start.replace(tzinfo=UTC)
    assert resolve(destination, now, "UTC") == expected.replace(tzinfo=UTC)


def test_calendar_moves_keep_wall_time_across_daylight_saving() -> None:
    # Noon PST on 1 March is 20:00 UTC; a month later noon is PDT, 19:00 UTC.
    now = datetime(2024, 3, 1, 20, tzinfo=UTC)
    assert resolve(months(1).later, now, LA) == datetime(2024, 4, 1, 19, tzinfo=UTC)
    # whereas 31 exact days is 13:00 in wall time
    assert resolve(days(31).later, now, LA) == datetime(2024, 4, 1, 20, tzinfo=UTC)


def test_calendar_move_into_a_gap_follows_the_policy() -> None:
    from fmlab.timetravel import NonexistentLocalTimeError

    # 02:30 on 10 Feb 2024 in LA; a month later is 02:30 on 10 March, inside the gap.
    now = datetime(2024, 2, 10, 10, 30, tzinfo=UTC)
    assert resolve(months(1).later, now, LA) == datetime(2024, 3, 10, 10, 30, tzinfo=UTC)
    with pytest.raises(NonexistentLocalTimeError):
        resolve(months(1).later, now, LA, policy="strict")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1985-10-26T08:24:00Z", datetime(1985, 10, 26, 8, 24, tzinfo=UTC)),
        ("1985-10-26T01:24:00-07:00", datetime(1985, 10, 26, 8, 24, tzinfo=UTC)),
        ("1985-10-26T01:24", datetime(1985, 10, 26, 8, 24, tzinfo=UTC)),  # wall time in LA
        ("1985-10-26", datetime(1985, 10, 26, 7, 0, tzinfo=UTC)),  # midnight PDT
        ("19851026T012400", datetime(1985, 10, 26, 8, 24, tzinfo=UTC)),  # basic format
    ],
)
def test_iso_strings(text: str, expected: datetime) -> None:
    assert resolve(text, NOW, LA) == expected


def test_timedelta_is_exact_elapsed_time() -> None:
    assert resolve(timedelta(hours=-5, microseconds=3), NOW, LA) == NOW - timedelta(
        hours=5, microseconds=-3
    )


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ("next tuesday", ValueError, "not an ISO 8601"),
        (12345, TypeError, "cannot travel to a int"),
        (days(1), TypeError, "say which way"),
        (months(2), TypeError, "say which way"),
    ],
)
def test_bad_destinations_fail_up_front(bad: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        parse_destination(bad)  # type: ignore[arg-type]


def test_months_need_whole_numbers() -> None:
    with pytest.raises(TypeError, match="whole number"):
        months(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="whole number"):
        years(True)


def test_add_months_refuses_to_leave_the_calendar() -> None:
    with pytest.raises(OverflowError, match="years 1-9999"):
        add_months(datetime(9999, 12, 1), 1)
    assert add_months(datetime(1, 2, 1), -1) == datetime(1, 1, 1)


@settings(max_examples=100, deadline=None)
@given(
    local=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)),
    count=st.integers(min_value=-1200, max_value=1200),
)
def test_calendar_moves_keep_the_wall_clock_and_clip_only_the_day(
    local: datetime, count: int
) -> None:
    import calendar

    moved = add_months(local, count)
    assert (moved.year * 12 + moved.month) - (local.year * 12 + local.month) == count
    assert moved.day == min(local.day, calendar.monthrange(moved.year, moved.month)[1])
    assert moved.time() == local.time()
    if local.day <= 28:  # nothing was clipped, so the move can be undone
        assert add_months(moved, -count) == local
