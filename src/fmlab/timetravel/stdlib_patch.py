"""Mirroring the simulated clock into the standard library, for code you cannot change.

Injection (reading the time through :mod:`fmlab.timetravel`) needs no patching. Code
that calls the standard library directly can be reached, best effort, by
``patch_stdlib=True`` on any operation, or by the :func:`patch_stdlib` block. While at
least one such block is active these module attributes are replaced:

* ``time.time``, ``time.time_ns``, ``time.gmtime``, ``time.localtime``, ``time.ctime``,
  ``time.strftime``;
* ``datetime.datetime`` and ``datetime.date``, by subclasses whose ``now``, ``utcnow``
  and ``today`` read the simulated clock (``isinstance`` still accepts real instances);
* ``uuid.uuid1``'s native generator is switched off so that it stamps ``time.time_ns()``.

Every replacement reads the *current context* of the calling thread or task, so scale and
halt are honoured and a thread outside any block still sees real time. ``$TZ`` is set to
the simulated zone (and ``time.tzset()`` called) so that C-level local-time conversions
such as ``date.fromtimestamp`` agree; it follows the innermost patching block, not later
``jump_to`` blocks that do not patch. ``$TZ`` is process-wide, so while a block is
active C-level local time in *other* threads follows it too (fmlab's own ``zone()`` there
still reports the host zone). On exit of the last block every attribute, ``$TZ``
and uuid's state are put back exactly as they were.

What is deliberately left alone: ``time.monotonic``, ``time.perf_counter`` and the event
loop's clock, so ``asyncio.sleep`` and timeouts keep working.

What cannot be reached this way (the honest limits): a name bound before the block by
``from datetime import datetime`` or ``from time import time`` still refers to the real
object (pass such modules to ``patch_stdlib(module, ...)`` to rebind their names for the
block); the real ``datetime.datetime.now`` is a C method of an immutable type, so calls on
the real class stay real; C extensions, other processes, file modification times and
databases read the operating system's clock. time-machine patches at the C level and
reaches more of these; freezegun scans every loaded module for such names at every entry,
which is why its entry costs milliseconds.
"""

from __future__ import annotations

import datetime as _datetime_module
import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from types import ModuleType
from typing import Any, Final

from fmlab.timetravel.clock import _TZ_SET_BY_PATCHING, ns_from_datetime
from fmlab.timetravel.spacetime import current_context, now_local, now_utc

_REAL_DATETIME: Final = datetime
_REAL_DATE: Final = date
_real_gmtime: Final = time.gmtime
_real_localtime: Final = time.localtime
_real_asctime: Final = time.asctime
_real_strftime: Final = time.strftime
_real_tzset: Final = getattr(time, "tzset", None)  # absent on Windows
_MISSING: Final = object()


# --- the replacements -------------------------------------------------------------


def _real_localtime_for_tests(secs: float) -> time.struct_time:
    """The C library's local time of ``secs`` under the current ``$TZ`` (tests compare)."""
    return _real_localtime(secs)


def _fake_time() -> float:
    return now_utc().timestamp()


def _fake_time_ns() -> int:
    return ns_from_datetime(now_utc())


def _struct_time(local: datetime) -> time.struct_time:
    offset = local.utcoffset()
    gmtoff = int(offset.total_seconds()) if offset is not None else 0
    return time.struct_time((*local.timetuple()[:9], local.tzname(), gmtoff))


def _fake_gmtime(secs: float | None = None) -> time.struct_time:
    return _real_gmtime(_fake_time() if secs is None else secs)


def _fake_localtime(secs: float | None = None) -> time.struct_time:
    if secs is None:
        return _struct_time(now_local())
    zone_info = now_local().tzinfo
    return _struct_time(_REAL_DATETIME.fromtimestamp(secs, UTC).astimezone(zone_info))


def _fake_ctime(secs: float | None = None) -> str:
    return _real_asctime(_fake_localtime(secs))


def _fake_strftime(format: str, t: Any = None) -> str:
    return _real_strftime(format, _fake_localtime() if t is None else t)


class _AcceptsRealInstances(type):
    """Metaclass: ``isinstance(real_datetime, datetime.datetime)`` stays true while patched."""

    def __instancecheck__(cls, instance: object) -> bool:
        real: type = cls.__dict__.get("_real", cls)
        return isinstance(instance, real) or type.__instancecheck__(cls, instance)

    def __subclasscheck__(cls, subclass: type) -> bool:
        real: type = cls.__dict__.get("_real", cls)
        return issubclass(subclass, real) or type.__subclasscheck__(cls, subclass)


class SimulatedDate(date, metaclass=_AcceptsRealInstances):
    """Stands in for ``datetime.date`` while patched; ``today()`` is the simulated day."""

    _real = _REAL_DATE

    # Returns the real class on purpose (typeshed says Self): the objects code receives
    # should be ordinary dates and datetimes, usable after the block ends.
    @classmethod
    def today(cls) -> date:  # type: ignore[override]
        return now_local().date()


class SimulatedDatetime(datetime, metaclass=_AcceptsRealInstances):
    """Stands in for ``datetime.datetime`` while patched (results are real datetimes)."""

    _real = _REAL_DATETIME

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        if tz is UTC:
            return now_utc()  # the common case, without a conversion
        if tz is None:
            return now_local().replace(tzinfo=None)  # naive wall time, fold kept
        return now_utc().astimezone(tz)

    @classmethod
    def utcnow(cls) -> datetime:  # type: ignore[override]
        return now_utc().replace(tzinfo=None)

    @classmethod
    def today(cls) -> datetime:  # type: ignore[override]
        return cls.now()


_REPLACEMENTS: Final[tuple[tuple[ModuleType, str, object], ...]] = (
    (time, "time", _fake_time),
    (time, "time_ns", _fake_time_ns),
    (time, "gmtime", _fake_gmtime),
    (time, "localtime", _fake_localtime),
    (time, "ctime", _fake_ctime),
    (time, "strftime", _fake_strftime),
    (_datetime_module, "datetime", SimulatedDatetime),
    (_datetime_module, "date", SimulatedDate),
    (uuid, "_generate_time_safe", None),
)

# Names that code commonly binds at import time, and what to rebind them to.
_REBIND: Final[dict[int, object]] = {
    id(_REAL_DATETIME): SimulatedDatetime,
    id(_REAL_DATE): SimulatedDate,
    id(time.time): _fake_time,
    id(time.time_ns): _fake_time_ns,
    id(time.localtime): _fake_localtime,
    id(time.gmtime): _fake_gmtime,
}


# --- installing and removing -------------------------------------------------------


@dataclass(eq=False)
class PatchHandle:
    """One active patching block: its zone, and the module names it rebound."""

    zone: str
    rebound: list[tuple[ModuleType, str, object]] = field(default_factory=list)


class StdlibPatcher:
    """Reference-counted installation of the replacements, shared by every thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: list[PatchHandle] = []
        self._saved: list[tuple[ModuleType, str, object]] = []
        self._saved_tz: str | None = None
        self._saved_uuid_timestamp: object = None

    @property
    def active(self) -> bool:
        return bool(self._active)

    def start(self, modules: tuple[ModuleType, ...] = ()) -> PatchHandle:
        """Begin a patching block in the current context's zone."""
        handle = PatchHandle(current_context().zone())
        with self._lock:
            if not self._active:
                self._install()
            for module in modules:
                for name, value in list(vars(module).items()):
                    replacement = _REBIND.get(id(value))
                    if replacement is not None and not isinstance(value, int | str):
                        handle.rebound.append((module, name, value))
                        setattr(module, name, replacement)
            self._active.append(handle)
            _set_tz(handle.zone)
        return handle

    def stop(self, handle: PatchHandle) -> None:
        """End a block; the last one out restores everything exactly."""
        with self._lock:
            self._active = [h for h in self._active if h is not handle]
            for module, name, value in reversed(handle.rebound):
                setattr(module, name, value)
            if self._active:
                _set_tz(self._active[-1].zone)
            else:
                self._uninstall()

    def _install(self) -> None:
        self._saved = [
            (module, name, getattr(module, name, _MISSING)) for module, name, _ in _REPLACEMENTS
        ]
        self._saved_tz = os.environ.get("TZ")
        _TZ_SET_BY_PATCHING.append(self._saved_tz)
        self._saved_uuid_timestamp = getattr(uuid, "_last_timestamp", None)
        # uuid1 refuses to go back in time; forget its last stamp while travelling.
        uuid._last_timestamp = None  # type: ignore[attr-defined]
        for module, name, replacement in _REPLACEMENTS:
            setattr(module, name, replacement)

    def _uninstall(self) -> None:
        for module, name, value in reversed(self._saved):
            if value is _MISSING:
                delattr(module, name)
            else:
                setattr(module, name, value)
        self._saved = []
        uuid._last_timestamp = self._saved_uuid_timestamp  # type: ignore[attr-defined]
        _TZ_SET_BY_PATCHING.clear()
        if self._saved_tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = self._saved_tz
        if _real_tzset is not None:
            _real_tzset()


def _set_tz(zone: str) -> None:
    os.environ["TZ"] = zone
    if _real_tzset is not None:
        _real_tzset()


PATCHER: Final = StdlibPatcher()


@contextmanager
def patch_stdlib(*modules: ModuleType) -> Iterator[None]:
    """Mirror the simulated clock into the standard library for the block.

    ``modules`` are modules of yours that did ``from datetime import datetime`` (or
    ``date``, or ``from time import time``) before the block: their names are rebound to
    the simulated versions for the block and restored after it.
    """
    handle = PATCHER.start(modules)
    try:
        yield
    finally:
        PATCHER.stop(handle)
