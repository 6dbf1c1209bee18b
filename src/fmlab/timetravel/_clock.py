"""Sources of "now": the :class:`Clock` protocol, the real clock, and a hand-driven one.

:class:`Clock` is the Python counterpart of the Haskell ``MonadTime`` class: anything that
can say what instant it is (:meth:`~Clock.now_utc`), in which IANA zone (:meth:`~Clock.zone`)
and how fast its time runs relative to its source (:meth:`~Clock.scale`). Code that takes a
``Clock`` argument instead of calling :func:`datetime.datetime.now` can be tested with no
patching at all, exactly as a function polymorphic in ``MonadTime`` can be run in ``IO`` or
in a simulated context.

:class:`ManualClock` is the test double: its time moves only when told to, so every
reading in a test is exact.

>>> from datetime import datetime, timezone
>>> clock = ManualClock(utc=datetime(1985, 10, 26, 8, 24, tzinfo=timezone.utc),
...                     zone="America/Los_Angeles")
>>> clock.now_local().isoformat()
'1985-10-26T01:24:00-07:00'
>>> clock.advance(90)
>>> clock.now_utc().isoformat()
'1985-10-26T08:25:30+00:00'
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Final, Protocol, runtime_checkable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MICROSECOND: Final = timedelta(microseconds=1)

# The real clock's two primitives, bound at import so that replacing the module attributes
# (the pure-Python patch) does not reach them. The C-level patch redirects the builtins
# themselves, so while it is active route_real_clock rebinds these names to the originals
# it keeps. This module is their only home, and route_real_clock the only code that
# rebinds them: every reader of the real clock (here, in _spacetime and in _stdlib_patch)
# looks them up here at call time. (_stdlib_patch also keeps the untouched originals of
# everything it patches, to put them back.)
_real_time_ns: Callable[[], int] = time.time_ns
_real_datetime_now: Callable[[tzinfo | None], datetime] = datetime.now


def route_real_clock(time_ns: Callable[[], int], now: Callable[[tzinfo | None], datetime]) -> None:
    """Read the real clock through ``time_ns`` and ``now`` from here on.

    The C-level stdlib patch redirects the builtins ``time.time_ns`` and
    ``datetime.now`` into the simulated clock, which itself needs the real time: while
    it is active, the readers must call the originals that the patch keeps. Every reader
    looks these names up when it runs, so rebinding them reroutes every context,
    including those built before the patch.
    """
    global _real_time_ns, _real_datetime_now
    _real_time_ns = time_ns
    _real_datetime_now = now


def real_now_utc() -> datetime:
    """The machine's time now, in UTC, whatever the stdlib patch has redirected."""
    return _real_datetime_now(UTC)


# [start:clock-protocol]
@runtime_checkable
class Clock(Protocol):
    """What a function needs to ask the time: the analogue of Haskell's ``MonadTime``."""

    def now_utc(self) -> datetime:
        """The current instant, timezone-aware in UTC."""
        ...

    def now_local(self) -> datetime:
        """The current instant as wall time in :meth:`zone` (aware, PEP 495 ``fold`` set)."""
        ...

    def zone(self) -> str:
        """The IANA key of the clock's zone, for example ``"Asia/Tokyo"``."""
        ...

    def scale(self) -> float:
        """Simulated seconds per second of the underlying source (1 for a real clock)."""
        ...


# [end:clock-protocol]


def datetime_from_ns(ns: int) -> datetime:
    """The aware UTC datetime ``ns`` nanoseconds after the epoch, truncated to microseconds.

    Integer arithmetic throughout: a float timestamp loses microseconds far from 1970.
    """
    return EPOCH + timedelta(0, 0, ns // 1000)


def ns_from_datetime(instant: datetime) -> int:
    """Nanoseconds from the epoch to an aware ``instant`` (exact)."""
    return (instant - EPOCH) // _ONE_MICROSECOND * 1000


def require_aware(instant: datetime, what: str) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {instant.isoformat()}")
    return instant


def host_zone_key() -> str:
    """The IANA key of this machine's zone: ``$TZ`` if it names one, else ``/etc/localtime``.

    ``$TZ`` names a zone by its key (``Europe/Paris``, optionally ``:Europe/Paris``) or, as
    glibc also accepts, by the path of a zone file (``:/usr/share/zoneinfo/Europe/Paris``),
    which resolves to the key the file has under one of :data:`zoneinfo.TZPATH`'s roots.
    Falls back to ``/etc/localtime``'s zone, then ``"UTC"``, when ``$TZ`` names no zone
    file (a POSIX rule such as ``CET-1CEST,M3.5.0,M10.5.0/3``): see
    :func:`host_zone_is_exact`, which tells the stdlib patch to leave such a ``$TZ`` alone.
    """
    return _host_zone_key_for(_host_tz_variable())


def host_zone_is_exact() -> bool:
    """Whether :func:`host_zone_key` is the zone ``$TZ`` (or ``/etc/localtime``) really names.

    False for a ``$TZ`` that resolves to no key (a POSIX rule string, a zone file outside
    the zoneinfo roots) and a copied ``/etc/localtime``: the C library then keeps a local
    time that no IANA key reproduces, so the patch must not replace ``$TZ`` with the key.
    """
    return _host_zone_for(_host_tz_variable())[1]


def _host_tz_variable() -> str:
    if _TZ_SET_BY_PATCHING:
        # $TZ currently holds a simulated zone, set by stdlib patching for C-level local
        # time; the host's own zone is the value it had before.
        return _TZ_SET_BY_PATCHING[0] or ""
    return os.environ.get("TZ", "")


_TZ_SET_BY_PATCHING: list[str | None] = []
"""While stdlib patching is active: the one value ``$TZ`` had before it (None if unset)."""


def _host_zone_key_for(tz_variable: str) -> str:
    return _host_zone_for(tz_variable)[0]


@functools.lru_cache(maxsize=16)
def _host_zone_for(tz_variable: str) -> tuple[str, bool]:
    # Cached per value of $TZ: resolving files and /etc/localtime are system calls we need
    # not repeat. The flag says whether the key is exactly what $TZ (or the file) names.
    raw = tz_variable.removeprefix(":")
    if raw:
        key = _zone_key_of_path(raw) if os.path.isabs(raw) else _loadable(raw)
        if key is not None:
            return key, True
        # A value that names no zone file: glibc reads it as a POSIX rule (or as UTC).
        # Our best key is the machine's zone, and it is not exact.
        return _localtime_key()[0], False
    return _localtime_key()


def _loadable(key: str) -> str | None:
    try:
        ZoneInfo(key)
    except (ValueError, OSError, ZoneInfoNotFoundError):
        return None
    return key


def _zone_key_of_path(path: str) -> str | None:
    """The key of the zone file at ``path`` if it lies under a zoneinfo root, links followed."""
    try:
        target = os.path.realpath(path)
    except OSError:  # pragma: no cover - realpath does not fail on Linux
        return None
    if not os.path.isfile(target):
        return None
    import zoneinfo  # for TZPATH, which reset_tzpath() can change at run time

    for root in zoneinfo.TZPATH:
        real_root = os.path.realpath(root)
        if target.startswith(real_root + os.sep):
            key = _loadable(os.path.relpath(target, real_root).replace(os.sep, "/"))
            if key is not None:
                return key
    return None


def _localtime_key() -> tuple[str, bool]:
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:  # pragma: no cover - platform without the file
        return "UTC", True
    if not os.path.exists(target):
        return "UTC", True  # no zone configured: the C library uses UTC too
    key = _zone_key_of_path(target)
    if key is None:
        marker = "zoneinfo" + os.sep
        if marker in target:
            key = _loadable(target.split(marker, 1)[1])
    return (key, True) if key is not None else ("UTC", False)


class SystemClock:
    """The machine's real clock and zone: the ``IO`` instance of ``MonadTime``."""

    __slots__ = ()

    def now_utc(self) -> datetime:
        return _real_datetime_now(UTC)

    def now_local(self) -> datetime:
        return self.now_utc().astimezone(ZoneInfo(self.zone()))

    def zone(self) -> str:
        return host_zone_key()

    def scale(self) -> float:
        return 1.0

    def ticks_ns(self) -> int:
        """Nanoseconds since the epoch, read from the real clock."""
        return _real_time_ns()

    def __repr__(self) -> str:
        return "SystemClock()"


SYSTEM_CLOCK: Final = SystemClock()


class ManualClock:
    """A clock that moves only when told: :meth:`advance` or :meth:`set`.

    ``utc`` is any aware datetime (stored as nanoseconds since the epoch); ``zone`` an IANA
    key, checked now so a misspelling fails at once with ``ZoneInfoNotFoundError``.
    Readings have microsecond resolution, like :class:`datetime.datetime`.
    """

    __slots__ = ("_lock", "_ns", "_zone")

    def __init__(self, utc: datetime, zone: str = "UTC") -> None:
        require_aware(utc, "ManualClock(utc=...)")
        ZoneInfo(zone)
        self._ns = ns_from_datetime(utc)
        self._zone = zone
        # advance() from several threads must not lose an increment.
        self._lock = threading.Lock()

    def now_utc(self) -> datetime:
        return datetime_from_ns(self._ns)

    def now_local(self) -> datetime:
        return self.now_utc().astimezone(ZoneInfo(self._zone))

    def zone(self) -> str:
        return self._zone

    def scale(self) -> float:
        return 1.0

    def ticks_ns(self) -> int:
        return self._ns

    def advance(self, seconds: float | timedelta) -> None:
        """Let ``seconds`` (a number or a timedelta, not negative) of real time pass."""
        if isinstance(seconds, timedelta):
            step = seconds // _ONE_MICROSECOND * 1000
        else:
            step = round(seconds * 1_000_000_000)
        if step < 0:
            raise ValueError(f"real time does not run backwards: advance({seconds!r})")
        with self._lock:
            self._ns += step

    def set(self, utc: datetime) -> None:
        """Jump the real clock to ``utc`` (as a system clock stepped by NTP would)."""
        require_aware(utc, "ManualClock.set(utc)")
        with self._lock:
            self._ns = ns_from_datetime(utc)

    def __repr__(self) -> str:
        return f"ManualClock(utc={self.now_utc().isoformat()!r}, zone={self._zone!r})"
