"""The Clock protocol, the real clock and the manual clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfoNotFoundError

import pytest

from fmlab.timetravel import SYSTEM_CLOCK, Clock, ManualClock
from fmlab.timetravel._clock import datetime_from_ns, host_zone_key, ns_from_datetime

START = datetime(1985, 10, 26, 8, 24, tzinfo=UTC)


def test_manual_clock_reads_exactly_what_it_was_given() -> None:
    clock = ManualClock(utc=START, zone="America/Los_Angeles")
    assert clock.now_utc() == START
    assert clock.now_utc().tzinfo is UTC
    assert clock.now_local().isoformat() == "1985-10-26T01:24:00-07:00"
    assert clock.zone() == "America/Los_Angeles"
    assert clock.scale() == 1.0


def test_manual_clock_converts_other_offsets_to_utc() -> None:
    tokyo = datetime(2000, 1, 1, 9, tzinfo=__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert ManualClock(utc=tokyo).now_utc() == datetime(2000, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (1, timedelta(seconds=1)),
        (0.000001, timedelta(microseconds=1)),
        (0.1, timedelta(milliseconds=100)),
        (timedelta(days=2, microseconds=7), timedelta(days=2, microseconds=7)),
        (0, timedelta(0)),
    ],
)
def test_advance_is_exact(step: float | timedelta, expected: timedelta) -> None:
    clock = ManualClock(utc=START)
    clock.advance(step)
    assert clock.now_utc() - START == expected


def test_advance_refuses_to_go_backwards_but_set_can() -> None:
    clock = ManualClock(utc=START)
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)
    assert clock.now_utc() == START
    earlier = START - timedelta(days=1)
    clock.set(earlier)
    assert clock.now_utc() == earlier


def test_manual_clock_rejects_naive_times_and_unknown_zones() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ManualClock(utc=datetime(2000, 1, 1))
    with pytest.raises(ZoneInfoNotFoundError):
        ManualClock(utc=START, zone="Mars/Olympus_Mons")
    with pytest.raises(ValueError, match="timezone-aware"):
        ManualClock(utc=START).set(datetime(2000, 1, 1))


def test_manual_clock_sets_fold_on_the_second_pass_through_an_overlap() -> None:
    # 1985-10-27 in Los Angeles: 01:00-02:00 happened twice (PDT, then PST).
    first = ManualClock(utc=datetime(1985, 10, 27, 8, 30, tzinfo=UTC), zone="America/Los_Angeles")
    second = ManualClock(utc=datetime(1985, 10, 27, 9, 30, tzinfo=UTC), zone="America/Los_Angeles")
    assert (first.now_local().hour, first.now_local().fold) == (1, 0)
    assert (second.now_local().hour, second.now_local().fold) == (1, 1)


def test_both_clocks_satisfy_the_protocol() -> None:
    assert isinstance(SYSTEM_CLOCK, Clock)
    assert isinstance(ManualClock(utc=START), Clock)
    assert not isinstance(object(), Clock)


def test_system_clock_reads_the_real_time() -> None:
    before = datetime.now(UTC)
    reading = SYSTEM_CLOCK.now_utc()
    after = datetime.now(UTC)
    assert before <= reading <= after
    assert SYSTEM_CLOCK.scale() == 1.0
    assert SYSTEM_CLOCK.now_local().utcoffset() is not None


def test_host_zone_follows_tz_and_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert host_zone_key() == "Asia/Tokyo"
    assert SYSTEM_CLOCK.zone() == "Asia/Tokyo"
    monkeypatch.setenv("TZ", ":Europe/Paris")
    assert host_zone_key() == "Europe/Paris"
    monkeypatch.setenv("TZ", "Not/A_Zone")
    fallback = host_zone_key()
    assert fallback != "Not/A_Zone"
    __import__("zoneinfo").ZoneInfo(fallback)  # whatever it is, it loads


@pytest.mark.parametrize(
    "instant",
    [
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ],
)
def test_nanosecond_conversion_is_exact_far_from_the_epoch(instant: datetime) -> None:
    assert datetime_from_ns(ns_from_datetime(instant)) == instant
