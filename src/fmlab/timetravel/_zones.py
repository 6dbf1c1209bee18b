"""Wall-clock times in a zone: which instant a local time means, if any, and which one.

A naive local time has zero, one or two instants in a zone with daylight saving: none in a
spring-forward gap, two in a fall-back overlap. PEP 495 settles both with ``fold``: in an
overlap ``fold=0`` is the earlier instant and ``fold=1`` the later; in a gap ``fold=0``
reads the time with the offset in force *before* the transition (landing after the gap)
and ``fold=1`` with the offset after it (landing before the gap). ``policy="strict"``
refuses both cases instead of guessing.

>>> from datetime import datetime
>>> resolve_local(datetime(1985, 10, 26, 1, 24), "America/Los_Angeles").isoformat()
'1985-10-26T08:24:00+00:00'
>>> resolve_local(datetime(1985, 10, 27, 1, 30), "America/Los_Angeles", fold=1).isoformat()
'1985-10-27T09:30:00+00:00'
>>> try:
...     resolve_local(datetime(1985, 10, 27, 1, 30), "America/Los_Angeles", policy="strict")
... except AmbiguousLocalTimeError as error:
...     print(error)
1985-10-27T01:30:00 happens twice in America/Los_Angeles: 08:30:00Z (fold=0) and 09:30:00Z (fold=1)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from fmlab.core.errors import ViolationError

WIDTH = 76
"""The widest line :meth:`Transition.describe` writes: the site's output boxes hold 77
characters at 1280 px, and a wider line is wrapped again by the browser mid-word."""

Policy = Literal["fold", "strict"]
POLICIES: tuple[Policy, ...] = ("fold", "strict")


class LocalTimeKind(enum.Enum):
    """How many instants a wall-clock time has in a zone."""

    UNIQUE = "unique"
    NONEXISTENT = "nonexistent"  # in a spring-forward gap
    AMBIGUOUS = "ambiguous"  # in a fall-back overlap


class NonexistentLocalTimeError(ViolationError, ValueError):
    """A wall time skipped by a forward transition, rejected under ``policy="strict"``."""

    def __init__(self, local: datetime, zone: str) -> None:
        self.local = local
        self.zone = zone
        super().__init__(f"{local.isoformat()} does not exist in {zone} (a daylight-saving gap)")


class AmbiguousLocalTimeError(ViolationError, ValueError):
    """A wall time that a backward transition repeats, rejected under ``policy="strict"``."""

    def __init__(self, local: datetime, zone: str, earlier: datetime, later: datetime) -> None:
        self.local = local
        self.zone = zone
        self.earlier = earlier
        self.later = later
        super().__init__(
            f"{local.isoformat()} happens twice in {zone}: "
            f"{earlier.strftime('%H:%M:%S')}Z (fold=0) and {later.strftime('%H:%M:%S')}Z (fold=1)"
        )


def load_zone(name: str) -> ZoneInfo:
    """The zone called ``name``; an unknown name raises ``zoneinfo.ZoneInfoNotFoundError``."""
    if not isinstance(name, str):
        raise TypeError(f"a zone is named by an IANA key string, got {type(name).__name__}")
    return ZoneInfo(name)


def _wall(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None, fold=0)


def classify(local: datetime, zone: str | ZoneInfo) -> LocalTimeKind:
    """Whether naive ``local`` names no instant, one, or two in ``zone``."""
    info = zone if isinstance(zone, ZoneInfo) else load_zone(zone)
    first = local.replace(tzinfo=info, fold=0)
    second = local.replace(tzinfo=info, fold=1)
    if first.utcoffset() == second.utcoffset():
        return LocalTimeKind.UNIQUE
    # Equality of naive datetimes ignores fold, so this asks "does the wall time survive
    # a round trip through UTC?": never in a gap, for both folds in an overlap.
    if _wall(first.astimezone(UTC), info) == local:
        return LocalTimeKind.AMBIGUOUS
    return LocalTimeKind.NONEXISTENT


def resolve_local(
    local: datetime,
    zone: str | ZoneInfo,
    *,
    fold: int = 0,
    policy: Policy = "fold",
) -> datetime:
    """The UTC instant of naive wall time ``local`` in ``zone`` (see the module docstring)."""
    if local.tzinfo is not None:
        raise ValueError(f"expected a naive local time, got {local.isoformat()}")
    check_fold_and_policy(fold, policy)
    info = zone if isinstance(zone, ZoneInfo) else load_zone(zone)
    if policy == "strict":
        kind = classify(local, info)
        if kind is LocalTimeKind.NONEXISTENT:
            raise NonexistentLocalTimeError(local, info.key)
        if kind is LocalTimeKind.AMBIGUOUS:
            earlier = local.replace(tzinfo=info, fold=0).astimezone(UTC)
            later = local.replace(tzinfo=info, fold=1).astimezone(UTC)
            raise AmbiguousLocalTimeError(local, info.key, earlier, later)
    return local.replace(tzinfo=info, fold=fold).astimezone(UTC)


def check_fold_and_policy(fold: int, policy: str) -> None:
    if fold not in (0, 1):
        raise ValueError(f"fold must be 0 or 1, got {fold!r}")
    if policy not in POLICIES:
        raise ValueError(f"policy must be 'fold' or 'strict', got {policy!r}")


@dataclass(frozen=True)
class Transition:
    """One change of a zone's UTC offset: a gap (clocks forward) or an overlap (back)."""

    zone: str
    utc: datetime
    """The first instant with the new offset."""
    offset_before: timedelta
    offset_after: timedelta

    @property
    def kind(self) -> LocalTimeKind:
        forward = self.offset_after > self.offset_before
        return LocalTimeKind.NONEXISTENT if forward else LocalTimeKind.AMBIGUOUS

    @property
    def wall_before(self) -> datetime:
        """The wall clock just as the change happens, read with the old offset."""
        return (self.utc + self.offset_before).replace(tzinfo=None)

    @property
    def wall_after(self) -> datetime:
        """The wall clock at the same instant, read with the new offset."""
        return (self.utc + self.offset_after).replace(tzinfo=None)

    def describe(self, width: int = WIDTH) -> str:
        """The change in words: when (UTC), the wall clock's jump, and the two offsets.

        On one line when it fits in ``width`` characters; otherwise the offsets go on a
        second line, under the wall clock, so that a list of changes reads as a table.
        """
        kind = "gap" if self.kind is LocalTimeKind.NONEXISTENT else "overlap"
        length = abs(self.offset_after - self.offset_before)
        when = f"{self.utc.strftime('%Y-%m-%d %H:%M:%S')}Z  "
        change = (
            f"{self.wall_before:%Y-%m-%d %H:%M} -> {self.wall_after:%H:%M} local: "
            f"{kind} of {_duration(length)}"
        )
        offsets = f"(UTC{_offset(self.offset_before)} -> UTC{_offset(self.offset_after)})"
        one_line = f"{when}{change} {offsets}"
        if len(one_line) <= width:
            return one_line
        return f"{when}{change}\n{' ' * len(when)}{offsets}"

    def to_json(self) -> dict[str, str]:
        return {
            "zone": self.zone,
            "utc": self.utc.isoformat(),
            "kind": "gap" if self.kind is LocalTimeKind.NONEXISTENT else "overlap",
            "wall_before": self.wall_before.isoformat(),
            "wall_after": self.wall_after.isoformat(),
            "offset_before": _offset(self.offset_before),
            "offset_after": _offset(self.offset_after),
        }


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


MAX_TRANSITION_SPAN_YEARS = 400


def transitions(zone: str, first_year: int, last_year: int) -> list[Transition]:
    """Every offset change of ``zone`` from 1 January ``first_year`` to the end of ``last_year``.

    zoneinfo has no public list of transitions, so this samples the offset once a day and
    bisects each change down to the second (no zone changes its offset twice in a day).

    >>> for change in transitions("America/Los_Angeles", 1985, 1985):
    ...     print(change.kind.value, change.utc.isoformat(), change.wall_before, change.wall_after)
    nonexistent 1985-04-28T10:00:00+00:00 1985-04-28 02:00:00 1985-04-28 03:00:00
    ambiguous 1985-10-27T09:00:00+00:00 1985-10-27 02:00:00 1985-10-27 01:00:00
    """
    info = load_zone(zone)
    if not 1 <= first_year <= last_year <= 9998:
        raise ValueError(f"need 1 <= first year <= last year <= 9998, got {first_year}-{last_year}")
    if last_year - first_year >= MAX_TRANSITION_SPAN_YEARS:
        raise ValueError(f"at most {MAX_TRANSITION_SPAN_YEARS} years at a time")

    def offset(instant: datetime) -> timedelta:
        value = instant.astimezone(info).utcoffset()
        assert value is not None  # zoneinfo always knows the offset of an aware instant
        return value

    found: list[Transition] = []
    day = timedelta(days=1)
    instant = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    current = offset(instant)
    while instant < end:
        following = instant + day
        after = offset(following)
        if after != current:
            low, high = instant, following  # offset(low) == current, offset(high) == after
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if offset(middle) == current:
                    low = middle
                else:
                    high = middle
            found.append(Transition(info.key, high, current, after))
            current = after
        instant = following
    return found
