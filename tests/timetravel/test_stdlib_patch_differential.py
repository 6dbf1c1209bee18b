"""Differential check: the patched time.localtime (zoneinfo) against the C library's.

While patched, $TZ names the simulated zone, so the C ``localtime`` of the same instant
must agree field by field with the struct built from zoneinfo, including ``tm_isdst``,
the abbreviation and the offset. Two independent implementations of the same tz rules.
(Python mode only: in native mode ``time.localtime`` *is* the C library's, under $TZ.)
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.timetravel import ManualClock, accelerate, halt, use_clock
from fmlab.timetravel._stdlib_patch import PATCHER, Mode, _real_localtime_for_tests, patch_stdlib

ZONES = [
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Australia/Adelaide",
    "America/St_Johns",
    "Pacific/Chatham",
]


@pytest.mark.skipif(sys.platform == "win32", reason="needs time.tzset")
@settings(max_examples=60, deadline=None)
@given(
    instant=st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2037, 1, 1), timezones=st.just(UTC)
    ).map(lambda d: d.replace(microsecond=0)),
    zone=st.sampled_from(ZONES),
)
def test_patched_localtime_agrees_with_the_c_library(instant: datetime, zone: str) -> None:
    import time

    PATCHER.prefer("python")
    try:
        with use_clock(ManualClock(utc=instant, zone=zone)), halt(), patch_stdlib():
            ours = time.localtime()
            theirs = _real_localtime_for_tests(instant.timestamp())
    finally:
        PATCHER.prefer("native")
    assert tuple(ours) == tuple(theirs)
    assert (ours.tm_zone, ours.tm_gmtoff) == (theirs.tm_zone, theirs.tm_gmtoff)


@pytest.mark.skipif(PATCHER.mode != "native", reason="needs time-machine's C extension")
@settings(max_examples=40, deadline=None)
@given(
    instant=st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2037, 1, 1), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(ZONES),
    factor=st.sampled_from([0.0, 0.5, 1.0, 60.0]),
    elapsed_us=st.integers(min_value=0, max_value=10**10),
)
def test_native_and_python_modes_answer_alike(
    instant: datetime, zone: str, factor: float, elapsed_us: int
) -> None:
    """The C hooks and the Python replacements, two routes to the same simulated clock."""
    import datetime as datetime_module
    import time

    def readings(mode: Mode) -> tuple[object, ...]:
        clock = ManualClock(utc=instant, zone=zone)
        PATCHER.prefer(mode)
        try:
            with use_clock(clock), accelerate(velocity=factor), patch_stdlib():
                clock.advance(timedelta(microseconds=elapsed_us))
                return (
                    time.time_ns(),
                    time.time(),
                    datetime_module.datetime.now(UTC),
                    datetime_module.datetime.now(),
                    datetime_module.date.today(),
                    tuple(time.gmtime()),
                    tuple(time.localtime()),
                )
        finally:
            PATCHER.prefer("native")

    assert readings("native") == readings("python")
