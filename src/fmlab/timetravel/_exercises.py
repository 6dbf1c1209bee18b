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

import datetime as _datetime_module
import functools
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Final
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


# --- the nightly job (notebook 03) ---------------------------------------------------

NIGHTLY_CLAIM = "one run per local day, at the first instant showing 02:30 or later"
_NIGHTLY_ZONES: tuple[str, ...] = (
    "Europe/Paris",  # 02:30 falls in the spring gap and in the autumn overlap
    "America/New_York",  # in the spring gap only
    "Australia/Lord_Howe",  # half-hour changes: 02:30 is the first minute after the gap
    "Asia/Tokyo",  # no changes at all
)
_AT: Final = (2, 30)
_QUARTER: Final = timedelta(minutes=15)
_MINUTE: Final = timedelta(minutes=1)


@functools.cache
def nightly_runs(zone: str, year: int) -> tuple[datetime, ...]:
    """Every run of the nightly job in ``zone`` during ``year``, by the rule's plain words.

    Deliberately not built on :func:`resolve_local` (the reader may use it): the run on a
    local date is the first instant whose wall clock shows that date at 02:30 or later,
    found by reading the clock forward in 15-minute steps and then minute by minute. That
    one sentence covers the three cases: an ordinary day, a repeated hour (its first pass
    comes first) and a skipped one (the first reading past it is the end of the gap). The
    coarse steps cannot jump over the first run: once reached, the wall clock stays at
    02:30 or later for at least 30 minutes in every zone.
    """
    info = ZoneInfo(zone)

    def reached(instant: datetime, day: date) -> bool:
        wall = instant.astimezone(info)
        return wall.date() > day or (wall.date() == day and (wall.hour, wall.minute) >= _AT)

    runs: list[datetime] = []
    day = date(year, 1, 1)
    while day.year == year:
        # Local midnight read as UTC, less 14 hours, is before the day starts in any zone.
        instant = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=14)
        while not reached(instant, day):
            instant += _QUARTER
        instant -= _QUARTER
        while not reached(instant, day):
            instant += _MINUTE
        runs.append(instant)
        day += timedelta(days=1)
    return tuple(runs)


def _nightly_mismatch(
    next_run: Callable[[datetime, str], datetime], zone: str, after: datetime, expected: datetime
) -> str | None:
    """What is wrong with ``next_run(after, zone)``, or None if it is the expected run."""
    try:
        got = next_run(after, zone)
    except Exception as error:  # the reader's code: any failure is a finding, not a crash
        return f"raised {type(error).__name__}: {error}"
    if not isinstance(got, datetime) or got.utcoffset() is None:
        return f"returned {got!r}, not an aware datetime"
    if got != expected:
        # Through UTC: astimezone() into the datetime's own zone object would return it
        # unchanged, nonexistent wall time and all.
        return got.astimezone(UTC).astimezone(ZoneInfo(zone)).isoformat()
    return None


def check_nightly_runs(
    next_run: Callable[[datetime, str], datetime], year: int = 2024
) -> Proved | Refuted[dict[str, str]] | Unknown:
    """Chain ``next_run`` through a year in four zones, comparing every run with the rule."""
    count = 0
    for zone in _NIGHTLY_ZONES:
        expected_runs = nightly_runs(zone, year)
        after = expected_runs[0] - timedelta(hours=12)
        for expected in expected_runs:
            count += 1
            wrong = _nightly_mismatch(next_run, zone, after, expected)
            if wrong is not None:
                local = ZoneInfo(zone)
                witness = {
                    "zone": zone,
                    "after": after.astimezone(local).isoformat(),
                    "expected": expected.astimezone(local).isoformat(),
                    "got": wrong,
                }
                return refute(
                    NIGHTLY_CLAIM,
                    witness,
                    replay=lambda w: (
                        _nightly_mismatch(
                            next_run,
                            w["zone"],
                            datetime.fromisoformat(w["after"]),
                            datetime.fromisoformat(w["expected"]),
                        )
                        is not None
                    ),
                    replayed_by="calling next_run again",
                )
            after = expected
    return Proved(NIGHTLY_CLAIM, bound=f"{count} runs: every day of {year} in 4 zones")


# --- a test for legacy code (notebook 02) ---------------------------------------------

WEEKEND_CLAIM = "the test passes on a right is_weekend and fails on each wrong one"


def _weekday_today() -> int:
    # Through the module attribute, as legacy code reads it: patching must reach it.
    return _datetime_module.date.today().weekday()


def _weekday_in_utc() -> int:
    return _datetime_module.datetime.now(UTC).date().weekday()


_RIGHT_WEEKEND: Final[Callable[[], bool]] = lambda: _weekday_today() >= 5  # noqa: E731
# Each wrong version, and an instant and zone where it and the right one disagree: the
# hint a failed check gives (it says where to look, not what to write).
_WRONG_WEEKENDS: Final[tuple[tuple[str, Callable[[], bool], str, datetime], ...]] = (
    (
        "forgets Sunday",
        lambda: _weekday_today() == 5,
        "Europe/Paris",
        datetime(2024, 6, 2, 10, tzinfo=UTC),
    ),
    (
        "starts the weekend on Friday",
        lambda: _weekday_today() >= 4,
        "Europe/Paris",
        datetime(2024, 5, 31, 10, tzinfo=UTC),
    ),
    (
        "reads the date in UTC, not the local one",
        lambda: _weekday_in_utc() >= 5,
        "Asia/Tokyo",
        datetime(2024, 5, 31, 16, tzinfo=UTC),
    ),
)


def _outcome(test: Callable[[Callable[[], bool]], None], version: Callable[[], bool]) -> str | None:
    """None if ``test(version)`` passes, else what it raised."""
    try:
        test(version)
    except Exception as error:  # the reader's test: any exception is a failure of it
        return f"{type(error).__name__}: {error}".rstrip(": ")
    return None


def check_weekend_test(
    test: Callable[[Callable[[], bool]], None],
) -> Proved | Refuted[dict[str, str]] | Unknown:
    """Run the reader's ``test`` on a right ``is_weekend`` and on each wrong one (mutants)."""
    failure = _outcome(test, _RIGHT_WEEKEND)
    if failure is not None:
        return refute(
            WEEKEND_CLAIM,
            {"problem": "the test fails on a right is_weekend", "it raised": failure},
            replay=lambda _: _outcome(test, _RIGHT_WEEKEND) is not None,
            replayed_by="running the test again",
        )
    for name, wrong, zone, instant in _WRONG_WEEKENDS:
        if _outcome(test, wrong) is None:
            local = instant.astimezone(ZoneInfo(zone))
            witness = {
                "the test passes on a version that": name,
                "look at": f"{local:%A %Y-%m-%d %H:%M} in {zone}",
            }
            return refute(
                WEEKEND_CLAIM,
                witness,
                replay=lambda _, wrong=wrong: _outcome(test, wrong) is None,  # type: ignore[misc]
                replayed_by="running the test on that version again",
            )
    return Proved(WEEKEND_CLAIM, bound=f"{len(_WRONG_WEEKENDS)} wrong versions")
