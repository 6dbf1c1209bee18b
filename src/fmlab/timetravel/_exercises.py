"""Checkers for the chapter's exercises: they reply with a counterexample, not the answer.

The exercise asks for ``shop_is_open()``: true from 09:00 (inclusive) to 17:00 (exclusive)
local time, Monday to Friday, in whatever zone the clock is in. The checker runs the
reader's function on a manual clock at every quarter hour of two weeks that contain a
daylight-saving change in each of several zones, and compares it with the specification.
A disagreement is replayed (run again at that instant) before it is reported.

>>> from fmlab.timetravel._spacetime import now_utc
>>> check_opening_hours(lambda: 9 <= now_utc().hour < 17).verdict.value
'refuted'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fmlab.core.result import Proved, Refuted, Unknown, refute
from fmlab.timetravel._clock import ManualClock
from fmlab.timetravel._spacetime import use_clock

# (zone, first instant of a two-week window that contains a DST change there)
_WINDOWS: tuple[tuple[str, datetime], ...] = (
    ("Europe/Paris", datetime(2024, 3, 24, tzinfo=UTC)),
    ("America/Los_Angeles", datetime(2024, 10, 27, tzinfo=UTC)),
    ("Australia/Lord_Howe", datetime(2024, 3, 31, tzinfo=UTC)),
    ("Asia/Tokyo", datetime(2024, 6, 1, tzinfo=UTC)),
)
_STEP = timedelta(minutes=15)
_SPAN = timedelta(days=14)
CLAIM = "shop_is_open() is true exactly 09:00-17:00 local time on weekdays"


def _specification(local: datetime) -> bool:
    return local.weekday() < 5 and 9 <= local.hour < 17


def _instants() -> Iterator[tuple[str, datetime]]:
    for zone, start in _WINDOWS:
        instant = start
        while instant < start + _SPAN:
            yield zone, instant
            instant += _STEP


def _disagrees(candidate: Callable[[], bool], zone: str, instant: datetime) -> bool:
    clock = ManualClock(utc=instant, zone=zone)
    with use_clock(clock):
        return bool(candidate()) != _specification(clock.now_local())


def check_opening_hours(
    candidate: Callable[[], bool],
) -> Proved | Refuted[dict[str, str]] | Unknown:
    """Test ``candidate`` at every sampled instant; the bound says which instants those are."""
    count = 0
    for zone, instant in _instants():
        count += 1
        if _disagrees(candidate, zone, instant):
            local = instant.astimezone(ZoneInfo(zone))
            witness = {
                "zone": zone,
                "utc": instant.isoformat(),
                "local": local.strftime("%A %Y-%m-%d %H:%M %Z"),
                "expected": str(_specification(local)),
            }
            return refute(
                CLAIM,
                witness,
                replay=lambda w: _disagrees(candidate, w["zone"], datetime.fromisoformat(w["utc"])),
                replayed_by="running shop_is_open() again at that instant",
            )
    return Proved(CLAIM, bound=f"every 15 minutes of 4 two-week windows ({count} instants)")
