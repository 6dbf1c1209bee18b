"""Where ``travel_to`` goes: absolute instants, local wall times, and relative moves.

A destination is resolved when its block is entered, against the simulated instant and
zone of the enclosing context:

* an aware :class:`~datetime.datetime` is that instant;
* a naive one is wall time in the simulated zone (``fold`` and ``policy`` decide gaps and
  overlaps, see :mod:`fmlab.timetravel._zones`);
* an ISO 8601 string is parsed once, up front, then treated as the datetime it denotes;
* a :class:`~datetime.timedelta` is exact elapsed time from the current simulated instant;
* ``seconds(n)`` ... ``weeks(n)`` are exact durations (a "day" is 86,400 s, as in the
  Haskell library, so ``days(1).later`` across a DST change lands an hour off in wall time);
  ``.later`` and ``.ago`` turn them into destinations;
* ``months(n)`` and ``years(n)`` are calendar moves in the simulated zone: same wall time,
  day clipped to the length of the target month.

>>> from datetime import datetime, timezone
>>> now = datetime(2024, 1, 31, 12, tzinfo=timezone.utc)
>>> resolve(months(1).later, now, "UTC").isoformat()
'2024-02-29T12:00:00+00:00'
>>> resolve(days(3).ago, now, "UTC").isoformat()
'2024-01-28T12:00:00+00:00'
>>> resolve("1985-10-26T01:24", now, "America/Los_Angeles").isoformat()
'1985-10-26T08:24:00+00:00'
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from fmlab.timetravel._zones import Policy, load_zone, resolve_local


@dataclass(frozen=True)
class Shift:
    """An exact move by ``delta`` from the current simulated instant."""

    delta: timedelta


@dataclass(frozen=True)
class CalendarShift:
    """A move by whole months on the calendar of the simulated zone (day clipped)."""

    months: int


@dataclass(frozen=True)
class Duration:
    """An exact length of time; ``.later`` and ``.ago`` make it a destination."""

    delta: timedelta

    @property
    def later(self) -> Shift:
        return Shift(self.delta)

    @property
    def ago(self) -> Shift:
        return Shift(-self.delta)


@dataclass(frozen=True)
class CalendarDuration:
    """A number of calendar months; ``.later`` and ``.ago`` make it a destination."""

    months: int

    @property
    def later(self) -> CalendarShift:
        return CalendarShift(self.months)

    @property
    def ago(self) -> CalendarShift:
        return CalendarShift(-self.months)


Destination = datetime | timedelta | str | Shift | CalendarShift
"""Anything :func:`fmlab.timetravel.travel_to` accepts."""


def seconds(n: float) -> Duration:
    return Duration(timedelta(seconds=n))


def minutes(n: float) -> Duration:
    return Duration(timedelta(minutes=n))


def hours(n: float) -> Duration:
    return Duration(timedelta(hours=n))


def days(n: float) -> Duration:
    """``n`` times 86,400 seconds (exact elapsed time, not calendar days)."""
    return Duration(timedelta(days=n))


def weeks(n: float) -> Duration:
    return Duration(timedelta(weeks=n))


def months(n: int) -> CalendarDuration:
    return CalendarDuration(_whole(n, "months"))


def years(n: int) -> CalendarDuration:
    return CalendarDuration(12 * _whole(n, "years"))


def _whole(n: int, unit: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{unit}() takes a whole number, got {n!r}")
    return n


tomorrow: Final = days(1).later
yesterday: Final = days(1).ago


def add_months(local: datetime, count: int) -> datetime:
    """``local`` moved by ``count`` calendar months, the day clipped to the month's length.

    >>> add_months(datetime(2023, 1, 31, 9), 1), add_months(datetime(2024, 3, 31), -13)
    (datetime.datetime(2023, 2, 28, 9, 0), datetime.datetime(2023, 2, 28, 0, 0))
    """
    index = local.year * 12 + (local.month - 1) + count
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise OverflowError(f"moving {count} months from {local.isoformat()} leaves years 1-9999")
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def parse_destination(destination: Destination) -> Destination:
    """Check ``destination`` up front; ISO 8601 strings become datetimes here."""
    if isinstance(destination, str):
        try:
            return datetime.fromisoformat(destination)
        except ValueError:
            raise ValueError(f"not an ISO 8601 date or date-time: {destination!r}") from None
    if isinstance(destination, datetime | timedelta | Shift | CalendarShift):
        return destination
    if isinstance(destination, Duration | CalendarDuration):
        raise TypeError(f"say which way: {destination!r}.later or .ago")
    raise TypeError(f"cannot travel to a {type(destination).__name__}: {destination!r}")


def resolve(
    destination: Destination,
    now: datetime,
    zone: str | ZoneInfo,
    *,
    fold: int = 0,
    policy: Policy = "fold",
) -> datetime:
    """The aware UTC instant ``destination`` names, seen from ``now`` in ``zone``."""
    destination = parse_destination(destination)
    if isinstance(destination, datetime):
        if destination.tzinfo is not None and destination.utcoffset() is not None:
            return destination.astimezone(UTC)
        return resolve_local(destination, zone, fold=fold, policy=policy)
    if isinstance(destination, timedelta):
        return now + destination
    if isinstance(destination, Shift):
        return now + destination.delta
    assert isinstance(destination, CalendarShift)
    info = zone if isinstance(zone, ZoneInfo) else load_zone(zone)
    local = now.astimezone(info).replace(tzinfo=None, fold=0)
    return resolve_local(add_months(local, destination.months), info, fold=fold, policy=policy)
