"""The simulated context, and the functions that read it: ``now_utc()``, ``now_local()``...

A :class:`Spacetime` is the Haskell library's reader environment: a simulated origin, the
real instant it was taken at, a zone and a scale, over a real time *source* (a
:class:`~fmlab.timetravel._clock.Clock`). Its reading is::

    now = simulated origin + (source now - real origin) * scale

The current spacetime lives in a :class:`contextvars.ContextVar`, so each thread and each
asyncio task has its own: a block entered in one task is invisible to the others. With no
block entered, the context is the *root* of the source, which simply reads the source.

The hot path, :func:`now_utc`, is one context-variable lookup and a call to a reader
specialised when the context was built (frozen, real speed, or scaled), so the cost of a
simulated reading stays close to that of :func:`datetime.datetime.now`.

>>> from datetime import datetime, timezone
>>> clock = ManualClock(utc=datetime(2000, 1, 1, tzinfo=timezone.utc), zone="Asia/Tokyo")
>>> with use_clock(clock):
...     before = now_local()
...     clock.advance(3600)
...     print(before.isoformat(), now_local().isoformat(), zone(), scale())
2000-01-01T09:00:00+09:00 2000-01-01T10:00:00+09:00 Asia/Tokyo 1.0
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from fmlab.timetravel import _clock
from fmlab.timetravel._clock import (
    SYSTEM_CLOCK,
    Clock,
    ManualClock,
    SystemClock,
    datetime_from_ns,
    ns_from_datetime,
    real_now_utc,
)

Reader = Callable[[], datetime]
Ticks = Callable[[], int]


def _ticks_of(source: Clock) -> Ticks:
    """A function giving the source's time in integer nanoseconds since the epoch."""
    if isinstance(source, SystemClock):
        return SYSTEM_CLOCK.ticks_ns
    if isinstance(source, ManualClock):
        return source.ticks_ns
    read = _shielded(source.now_utc)
    return lambda: ns_from_datetime(read())


READING_A_CUSTOM_SOURCE = threading.local()
"""``.active`` is true in a thread while fmlab reads a custom :class:`Clock`.

Such a clock may call ``datetime.now()`` itself; while the C-level stdlib patch is active
that call comes back to fmlab, which must then answer with the real time (what the clock
would see unpatched) rather than ask the clock again, forever.
"""


def _shielded(read: Reader) -> Reader:
    def shielded() -> datetime:
        state = READING_A_CUSTOM_SOURCE
        outer = getattr(state, "active", False)
        state.active = True
        try:
            return read()
        finally:
            state.active = outer

    return shielded


class Spacetime(NamedTuple):
    """One simulated context. Build it with :meth:`root` and :meth:`derive`, not directly.

    ``origin`` is ``None`` for a root context (it reads the source as is); ``zone_info``
    is ``None`` when the zone is the source's. ``read`` is the reader specialised for
    this context. (An immutable named tuple rather than a frozen dataclass: it is built
    on every block entry, and a tuple builds about three times faster.)
    """

    source: Clock
    ticks: Ticks
    origin: datetime | None
    real_origin_ns: int
    zone_info: ZoneInfo | None
    rate: float
    read: Reader

    @classmethod
    def root(cls, source: Clock) -> Spacetime:
        if isinstance(source, SystemClock):
            read: Reader = real_now_utc
        elif isinstance(source, ManualClock):
            read = source.now_utc
        else:
            read = _shielded(source.now_utc)
        return cls(source, _ticks_of(source), None, 0, None, 1.0, read)

    def at(self, ticks_ns: int) -> datetime:
        """The simulated instant when the source reads ``ticks_ns``."""
        if self.origin is None:
            return datetime_from_ns(ticks_ns)
        elapsed = timedelta(microseconds=(ticks_ns - self.real_origin_ns) // 1000)
        return self.origin + (elapsed if self.rate == 1.0 else elapsed * self.rate)

    def derive(
        self,
        *,
        instant: datetime | None = None,
        destination: Callable[[datetime, Callable[[], ZoneInfo]], datetime] | None = None,
        zone_info: ZoneInfo | None = None,
        rate: float | None = None,
    ) -> Spacetime:
        """The context an operation enters from this one.

        The simulated instant of ``self`` is snapshotted now (one source reading serves both
        the snapshot and the new real origin, so no time slips between them); then an
        absolute ``instant``, or a ``destination`` computed from the snapshot, the zone and
        the rate replace what they name, and the rest is inherited.
        """
        ticks_now = self.ticks()
        new_zone = zone_info if zone_info is not None else self.zone_info
        if instant is not None:
            origin = instant  # no snapshot needed: the fast path of travel_to(aware datetime)
        elif destination is None:
            origin = self.at(ticks_now)
        else:
            here = self.at(ticks_now)
            # Asking the source for its zone can touch the file system (the host zone):
            # only naive and calendar destinations need it.
            origin = destination(here, lambda: new_zone or self._zone())
        new_rate = self.rate if rate is None else rate
        return Spacetime(
            self.source,
            self.ticks,
            origin,
            ticks_now,
            new_zone,
            new_rate,
            _reader(origin, ticks_now, new_rate, self.ticks, isinstance(self.source, SystemClock)),
        )

    # The Clock protocol, so that a context can be handed to code that takes a clock.
    def now_utc(self) -> datetime:
        return self.read()

    def now_local(self) -> datetime:
        # zoneinfo's fromutc sets fold=1 on the second pass through an overlap (PEP 495).
        return self.read().astimezone(self._zone())

    def zone(self) -> str:
        return self._zone().key

    def scale(self) -> float:
        return self.rate

    def _zone(self) -> ZoneInfo:
        return self.zone_info if self.zone_info is not None else ZoneInfo(self.source.zone())


# [start:reader]
def _reader(
    origin: datetime, real_origin_ns: int, rate: float, ticks: Ticks, system: bool
) -> Reader:
    # Specialised once per context so that each reading does the least work possible.
    if rate == 0.0:
        return lambda: origin
    if system:
        # On the real clock, shift datetime.now() by a constant: one C call and one
        # addition. (It may differ by a microsecond from `at`, which truncates the
        # elapsed nanoseconds instead of both endpoints; the real clock is not exact anyway.)
        if rate == 1.0:
            offset = origin - datetime_from_ns(real_origin_ns)
            return lambda: _clock._real_datetime_now(UTC) + offset
        per_ns = rate / 1e9
        return lambda: origin + timedelta(0, (_clock._real_time_ns() - real_origin_ns) * per_ns)
    if rate == 1.0:
        return lambda: origin + timedelta(0, 0, (ticks() - real_origin_ns) // 1000)
    # Exact for test clocks: timedelta * float rounds the exact product half-to-even.
    return lambda: origin + timedelta(0, 0, (ticks() - real_origin_ns) // 1000) * rate


# [end:reader]


_SYSTEM_ROOT = Spacetime.root(SYSTEM_CLOCK)
_current: ContextVar[Spacetime] = ContextVar("fmlab_timetravel_spacetime", default=_SYSTEM_ROOT)
current_context = _current.get
"""The :class:`Spacetime` of this thread or task (also a :class:`Clock`)."""


def enter(context: Spacetime) -> Token[Spacetime]:
    """Make ``context`` current; returns the token :func:`leave` needs."""
    return _current.set(context)


def leave(token: Token[Spacetime]) -> None:
    """Restore exactly the context that was current before the matching :func:`enter`."""
    _current.reset(token)


# [start:now-utc]
def now_utc() -> datetime:
    """The simulated current instant, aware in UTC (the real one outside any block)."""
    return _current.get().read()


# [end:now-utc]


def now_local() -> datetime:
    """The simulated current instant as aware wall time in the simulated zone."""
    return _current.get().now_local()


def zone() -> str:
    """The IANA key of the simulated zone."""
    return _current.get().zone()


def scale() -> float:
    """Simulated seconds per real second (1 outside any block, 0 inside ``halt()``)."""
    return _current.get().rate


@contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    """Use ``clock`` as the real time source inside the block.

    The block starts a fresh root context over ``clock``: any enclosing travel, jump or
    acceleration is set aside until the block ends, and operations inside it measure real
    elapsed time with ``clock``. With a :class:`ManualClock` every reading is exact.
    """
    token = _current.set(Spacetime.root(clock))
    try:
        yield clock
    finally:
        _current.reset(token)
