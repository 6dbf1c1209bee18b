"""Mirroring the simulated clock into the standard library, for code you cannot change.

Injection (reading the time through :mod:`fmlab.timetravel`) needs no patching. Code
that calls the standard library directly is reached by ``patch_stdlib=True`` on any
operation, or by the :func:`patch_stdlib` block. While at least one such block is active,
every reading below answers from the *current context of the calling thread or task*, so
scale and halt are honoured and a thread or task outside any block still sees real time.

Two mechanisms, chosen once per process (:attr:`StdlibPatcher.mode`):

``"native"`` (CPython with time-machine installed, the default there)
    time-machine's C extension swaps the function pointers behind ``time.time``,
    ``time.time_ns``, ``time.gmtime``, ``time.localtime``, ``time.strftime``,
    ``time.clock_gettime(CLOCK_REALTIME)``, ``datetime.datetime.now``, ``utcnow`` and
    ``datetime.date.today``. Its wrappers ask ``time_machine.traveller_stack[-1]`` for
    ``time_ns()``; fmlab puts one traveller there that reads the calling thread's
    context. So the *real* functions and classes answer, and names bound before the block
    (``from datetime import datetime``, ``from time import time``) are reached too.
    ``time.ctime`` is not among the C functions: its module attribute is replaced.
``"python"`` (the fallback: another interpreter, or no time-machine)
    the module attributes are replaced: the functions above plus ``time.ctime``, and
    ``datetime.datetime`` and ``datetime.date`` by subclasses whose ``now``, ``utcnow`` and
    ``today`` read the simulated clock (``isinstance`` still accepts real instances).

In both, ``uuid.uuid1``'s native generator is switched off so that it stamps
``time.time_ns()``, and ``$TZ`` is set to the simulated zone (and ``time.tzset()``
called) so that C-level local-time conversions such as ``date.fromtimestamp`` agree.
``$TZ`` follows the innermost patching block, not later ``jump_to`` blocks that do not
patch; a block in the machine's own zone leaves ``$TZ`` as the process had it (so a
``$TZ`` holding a POSIX rule such as ``CET-1CEST,M3.5.0,M10.5.0/3``, which no IANA key
reproduces, is never replaced by another zone). On exit of the last block (normal,
raising, or refused because another thread or task entered it) every function,
attribute, ``$TZ`` and uuid's state are put back exactly as they were.

``uuid1`` never stamps a time before its last stamp: it remembers that stamp and, when
the clock reads earlier, counts on from it. Under travel that memory would drag a stamp
made in 2056 into a block back in 1971. So it is forgotten whenever a block starts or
ends while patching, and ``uuid.uuid1`` keeps one memory per simulated context, so that a
thread in 2056 does not push the stamps of a thread in 1971 forward either. Within one
context stamps still only increase, as they do without travel.

What is deliberately left alone: ``time.monotonic``, ``time.perf_counter`` and the event
loop's clock, so ``asyncio.sleep`` and timeouts keep working.

The honest limits:

* ``$TZ`` is process-wide. In native mode a naive ``datetime.now()``, ``date.today()``,
  ``time.localtime()`` and ``strftime`` are local time under ``$TZ``: the zone of the
  innermost patching block, in every thread (the instant is still per thread), and a
  ``jump_to`` without ``patch_stdlib`` inside it does not change them. In python mode they
  use the calling context's zone, but C-level conversions still follow ``$TZ``. fmlab's
  own ``zone()`` in other threads keeps reporting the host zone.
* In python mode a name bound before the block still refers to the real object (pass such
  modules to ``patch_stdlib(module, ...)`` to rebind their names for the block), and the
  real ``datetime.datetime.now`` (a C method of an immutable type) stays real.
* Patching is refused (``RuntimeError``) while time-machine's ``travel`` or freezegun is
  active, and in native mode ``time_machine.travel`` is refused while fmlab patches: each
  would answer with its own clock under the other's, so the two are used one after the
  other, not one inside the other.
* A custom :class:`~fmlab.timetravel.Clock` used as the source that calls the standard
  library itself gets the real time there in native mode; in python mode it must not
  (its call would ask it the time again, without end).
* C extensions that call the C library's clock directly, other processes, file
  modification times and databases read the operating system's clock.
"""

from __future__ import annotations

import datetime as _datetime_module
import importlib
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from types import ModuleType
from typing import Any, Final, Literal, SupportsIndex

from fmlab.timetravel import _clock
from fmlab.timetravel._clock import (
    _TZ_SET_BY_PATCHING,
    ManualClock,
    SystemClock,
    host_zone_is_exact,
    ns_from_datetime,
    route_real_clock,
)
from fmlab.timetravel._spacetime import (
    READING_A_CUSTOM_SOURCE,
    Spacetime,
    current_context,
    now_local,
    now_utc,
)

Mode = Literal["native", "python"]

_REAL_DATETIME: Final = datetime
_REAL_DATE: Final = date
_real_time_ns: Final = time.time_ns
_real_datetime_now: Final = datetime.now
_real_gmtime: Final = time.gmtime
_real_localtime: Final = time.localtime
_real_asctime: Final = time.asctime
_real_strftime: Final = time.strftime
_real_tzset: Final = getattr(time, "tzset", None)  # absent on Windows
_real_uuid1: Final = uuid.uuid1
_MISSING: Final = object()


# --- the pure-Python replacements (python mode) -------------------------------------


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


def _local_time_is_a_rule() -> bool:
    """The calling context is in the host zone, and ``$TZ`` holds what no IANA key names.

    Then the C library's local time under ``$TZ`` (left as the process had it) is the
    truth, and python mode reads local times through it instead of through a zone key.
    """
    context = current_context()
    return (
        context.zone_info is None
        and isinstance(context.source, SystemClock)
        and not host_zone_is_exact()
    )


def _naive_local_now() -> datetime:
    if _local_time_is_a_rule():
        return now_utc().astimezone().replace(tzinfo=None)  # astimezone(): the C library's zone
    return now_local().replace(tzinfo=None)  # naive wall time, fold kept


def _fake_localtime(secs: float | None = None) -> time.struct_time:
    if _local_time_is_a_rule():
        return _real_localtime(_fake_time() if secs is None else secs)
    if secs is None:
        return _struct_time(now_local())
    zone_info = now_local().tzinfo
    return _struct_time(_REAL_DATETIME.fromtimestamp(secs, UTC).astimezone(zone_info))


def _fake_ctime(secs: float | None = None) -> str:
    return _real_asctime(_fake_localtime(secs))


def _fake_strftime(format: str, t: Any = None) -> str:
    return _real_strftime(format, _fake_localtime() if t is None else t)


class _UuidMemory:
    """``uuid1``'s last stamp, kept per simulated context while patching (see the module docs)."""

    _LIMIT: Final = 256  # contexts remembered; the oldest is forgotten first

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # id(context) -> (context, last stamp); the context is kept so that its id is not
        # reused by another object while the entry lives.
        self._stamps: dict[int, tuple[Spacetime, int | None]] = {}

    def uuid1(self, node: int | None = None, clock_seq: int | None = None) -> uuid.UUID:
        context = current_context()
        with self._lock:
            remembered = self._stamps.pop(id(context), None)
            uuid._last_timestamp = None if remembered is None else remembered[1]  # type: ignore[attr-defined]
            made = _real_uuid1(node, clock_seq)
            self._stamps[id(context)] = (context, getattr(uuid, "_last_timestamp", None))
            if len(self._stamps) > self._LIMIT:
                del self._stamps[next(iter(self._stamps))]
            return made

    def forget(self) -> None:
        """Drop every remembered stamp, and uuid's own (a block started or ended)."""
        with self._lock:
            self._stamps.clear()
            uuid._last_timestamp = None  # type: ignore[attr-defined]


_UUID_MEMORY: Final = _UuidMemory()


def _context_uuid1(node: int | None = None, clock_seq: int | None = None) -> uuid.UUID:
    """``uuid.uuid1`` while patching: stamps increase within a context, not across them."""
    return _UUID_MEMORY.uuid1(node, clock_seq)


class _AcceptsRealInstances(type):
    """Metaclass: ``isinstance(real_datetime, datetime.datetime)`` stays true while patched."""

    def __instancecheck__(cls, instance: object) -> bool:
        real: type = cls.__dict__.get("_real", cls)
        return isinstance(instance, real) or type.__instancecheck__(cls, instance)

    def __subclasscheck__(cls, subclass: type) -> bool:
        real: type = cls.__dict__.get("_real", cls)
        return issubclass(subclass, real) or type.__subclasscheck__(cls, subclass)


class SimulatedDate(date, metaclass=_AcceptsRealInstances):
    """Stands in for ``datetime.date`` in python mode; ``today()`` is the simulated day."""

    _real = _REAL_DATE

    # Returns the real class on purpose (typeshed says Self): the objects code receives
    # should be ordinary dates and datetimes, usable after the block ends.
    @classmethod
    def today(cls) -> date:  # type: ignore[override]
        return _naive_local_now().date()


class SimulatedDatetime(datetime, metaclass=_AcceptsRealInstances):
    """Stands in for ``datetime.datetime`` in python mode (results are real datetimes)."""

    _real = _REAL_DATETIME

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        if tz is UTC:
            return now_utc()  # the common case, without a conversion
        if tz is None:
            return _naive_local_now()
        return now_utc().astimezone(tz)

    @classmethod
    def utcnow(cls) -> datetime:  # type: ignore[override]
        return now_utc().replace(tzinfo=None)

    @classmethod
    def today(cls) -> datetime:  # type: ignore[override]
        return cls.now()


_PYTHON_REPLACEMENTS: Final[tuple[tuple[ModuleType, str, object], ...]] = (
    (time, "time", _fake_time),
    (time, "time_ns", _fake_time_ns),
    (time, "gmtime", _fake_gmtime),
    (time, "localtime", _fake_localtime),
    (time, "ctime", _fake_ctime),
    (time, "strftime", _fake_strftime),
    (_datetime_module, "datetime", SimulatedDatetime),
    (_datetime_module, "date", SimulatedDate),
    (uuid, "_generate_time_safe", None),
    (uuid, "uuid1", _context_uuid1),
)

# Names that code commonly binds at import time, and what to rebind them to.
_PYTHON_REBIND: Final[dict[int, object]] = {
    id(_REAL_DATETIME): SimulatedDatetime,
    id(_REAL_DATE): SimulatedDate,
    id(time.time): _fake_time,
    id(time.time_ns): _fake_time_ns,
    id(time.localtime): _fake_localtime,
    id(time.gmtime): _fake_gmtime,
    id(time.ctime): _fake_ctime,
    id(_real_uuid1): _context_uuid1,
}


# --- the C-level dispatch (native mode) ---------------------------------------------


# [start:traveller]
class _ContextTraveller:
    """What time-machine's C wrappers find on its traveller stack while fmlab patches.

    They call ``time_ns()`` and build every answer (``time.time()``, ``datetime.now(tz)``,
    ``localtime()``...) from it, so one method serves them all. It reads the context of
    the thread or task that called the patched function; outside any block that is the
    real clock, read through the originals (the builtins now lead back here).
    """

    __slots__ = ("_last", "_original_ns")

    def __init__(self, original_ns: Callable[[], int]) -> None:
        self._original_ns = original_ns
        # The last context asked about and its reader, as one tuple so that a thread
        # switch between the check and the call cannot pair a context with another's.
        self._last: tuple[Spacetime | None, Callable[[], int]] = (None, original_ns)

    def time_ns(self) -> int:
        context = current_context()
        last = self._last
        try:
            if last[0] is context:
                return last[1]()
            reader = _ns_reader(context, self._original_ns)
            self._last = (context, reader)
            return reader()
        except ValueError:
            # time-machine's originals refuse once unpatched: the last block ended in
            # another thread during this call, so the builtins are real again.
            return _ns_reader(context, _real_time_ns)()


# [end:traveller]


def _ns_reader(context: Spacetime, original_ns: Callable[[], int]) -> Callable[[], int]:
    """The simulated instant of ``context`` in nanoseconds, specialised like its reader."""
    source = context.source
    if context.origin is None:
        if isinstance(source, SystemClock):
            return original_ns
        return context.ticks if isinstance(source, ManualClock) else _guarded(context.ticks)
    if context.rate == 0.0:
        frozen = ns_from_datetime(context.origin)
        return lambda: frozen
    if not isinstance(source, SystemClock):
        read = context.read  # exact on a test clock: the very reading now_utc() gives
        exact = lambda: ns_from_datetime(read())  # noqa: E731
        return exact if isinstance(source, ManualClock) else _guarded(exact)
    origin_ns, real_origin_ns, rate = (
        ns_from_datetime(context.origin),
        context.real_origin_ns,
        context.rate,
    )
    if rate == 1.0:
        offset = origin_ns - real_origin_ns
        return lambda: original_ns() + offset
    return lambda: origin_ns + round((original_ns() - real_origin_ns) * rate)


def _guarded(reader: Callable[[], int]) -> Callable[[], int]:
    """``reader`` over a custom clock, which may itself call the patched functions.

    Such a call arrives here while fmlab is reading that clock: it gets the real time, as
    it would without the patch, instead of asking the clock again, forever.
    """

    def read() -> int:
        if getattr(READING_A_CUSTOM_SOURCE, "active", False):
            return _clock._real_time_ns()  # routed to the original while patched
        return reader()

    return read


class _GuardedStack(list[object]):
    """Stands in for ``time_machine.traveller_stack`` while fmlab patches.

    It holds fmlab's one traveller; ``time_machine.travel`` entered meanwhile would push
    its own on top and answer every thread with its clock, under fmlab's contexts, so it
    is refused before it changes anything.
    """

    def append(self, item: object) -> None:
        raise RuntimeError(
            "time_machine.travel cannot start inside an fmlab.timetravel block with "
            "patch_stdlib=True: both would patch the same C functions. Leave the fmlab "
            "block first, or use fmlab's travel_to inside it."
        )

    def insert(self, index: SupportsIndex, item: object) -> None:
        self.append(item)


@dataclass(frozen=True)
class _Native:
    """time-machine's package, its C extension, and the safe real-clock readers."""

    package: ModuleType
    extension: ModuleType
    time_ns: Callable[[], int]
    now: Callable[[tzinfo | None], datetime]


def _load_native() -> _Native | None:
    """time-machine's C patching, if this interpreter has it and it dispatches as expected."""
    if sys.implementation.name != "cpython":
        return None
    try:
        extension = importlib.import_module("_time_machine")
        package = importlib.import_module("time_machine")
    except ImportError:
        return None
    needed = ("patch", "unpatch", "original_time_ns", "original_now")
    if not all(hasattr(extension, name) for name in needed):
        return None
    if type(getattr(package, "traveller_stack", None)) is not list:
        return None

    def original_time_ns() -> int:
        try:
            ticks: int = extension.original_time_ns()
        except ValueError:  # "not travelling": unpatched by an exit racing this call
            return _real_time_ns()
        return ticks

    def original_now(tz: tzinfo | None) -> datetime:
        try:
            result: datetime = extension.original_now(tz)
        except ValueError:
            return _real_datetime_now(tz)
        return result

    native = _Native(package, extension, original_time_ns, original_now)
    return native if _dispatches_to_the_stack(native) else None


def _dispatches_to_the_stack(native: _Native) -> bool:
    """Check once that this time-machine's wrappers ask the traveller stack for the time.

    Older versions called Python functions of their own instead. The probe answers a
    fixed instant to this thread only, so other threads reading the clock meanwhile get
    the real time.
    """
    prober = threading.get_ident()
    probe_ns = 86_400 * 10**9

    class Probe:
        def time_ns(self) -> int:
            return probe_ns if threading.get_ident() == prober else native.time_ns()

    stack: list[object] = getattr(native.package, "traveller_stack")  # noqa: B009
    if stack:  # pragma: no cover - _native_support does not probe while it travels
        return False
    stack.append(Probe())
    native.extension.patch()
    try:
        seen = (time.time_ns(), _real_datetime_now(UTC))
    finally:
        native.extension.unpatch()
        stack.clear()
    return seen == (probe_ns, datetime(1970, 1, 2, tzinfo=UTC))


def _native_ctime(secs: float | None = None) -> str:
    # time.ctime() is not among time-machine's C functions; the patched localtime is.
    return _real_asctime(_real_localtime(secs))


_NATIVE_REPLACEMENTS: Final[tuple[tuple[ModuleType, str, object], ...]] = (
    (time, "ctime", _native_ctime),
    (uuid, "_generate_time_safe", None),
    (uuid, "uuid1", _context_uuid1),
)
_NATIVE_REBIND: Final[dict[int, object]] = {
    id(time.ctime): _native_ctime,
    id(_real_uuid1): _context_uuid1,
}


# --- installing and removing -------------------------------------------------------


@dataclass(eq=False)
class PatchHandle:
    """One active patching block: its zone, who started it, and the module names it rebound."""

    zone: str
    # The block runs in the machine's own zone (no jump_to, the real clock's source):
    # $TZ then keeps the value the process had, which may be no IANA key at all.
    host_zone: bool = False
    owner: object = None  # the Block that started it, for an exit refused elsewhere
    rebound: list[tuple[ModuleType, str, object]] = field(default_factory=list)


class StdlibPatcher:
    """Reference-counted installation of the patch, shared by every thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: list[PatchHandle] = []
        self._saved: list[tuple[ModuleType, str, object]] = []
        self._saved_tz: str | None = None
        self._saved_uuid_timestamp: object = None
        self._saved_stack: list[object] | None = None
        self._prefer_native = True
        self._native: _Native | Literal[False] | None = False  # False: not looked up yet
        self._installed: Mode | None = None

    @property
    def active(self) -> bool:
        return bool(self._active)

    @property
    def mode(self) -> Mode:
        """``"native"`` if blocks patch at the C level (see the module docs), else ``"python"``."""
        return "native" if self._prefer_native and self._native_support() is not None else "python"

    def prefer(self, mode: Mode) -> None:
        """Choose the mechanism for the next blocks (``"native"`` falls back if unavailable)."""
        with self._lock:
            if self._active:
                raise RuntimeError("cannot change the patching mode inside a patching block")
            self._prefer_native = mode == "native"

    def _native_support(self) -> _Native | None:
        if self._native is False:
            if _time_machine_travelling():
                return None  # the probe would disturb it: decide later, when it is over
            self._native = _load_native()
        return self._native

    def start(self, modules: tuple[ModuleType, ...] = (), *, owner: object = None) -> PatchHandle:
        """Begin a patching block in the current context's zone."""
        context = current_context()
        host_zone = context.zone_info is None and isinstance(context.source, SystemClock)
        handle = PatchHandle(context.zone(), host_zone=host_zone, owner=owner)
        with self._lock:
            if not self._active:
                self._install()
            rebind = _NATIVE_REBIND if self._installed == "native" else _PYTHON_REBIND
            for module in modules:
                for name, value in list(vars(module).items()):
                    replacement = rebind.get(id(value))
                    if replacement is not None and not isinstance(value, int | str):
                        handle.rebound.append((module, name, value))
                        setattr(module, name, replacement)
            self._active.append(handle)
            self._follow_innermost_zone()
            _UUID_MEMORY.forget()
        return handle

    def stop(self, handle: PatchHandle) -> None:
        """End a block; the last one out restores everything exactly.

        Stopping a handle that is no longer active does nothing: an exit refused in one
        task may already have stopped what another task started.
        """
        with self._lock:
            if not any(h is handle for h in self._active):
                return
            self._active = [h for h in self._active if h is not handle]
            try:
                for module, name, value in reversed(handle.rebound):
                    setattr(module, name, value)
            finally:
                if self._active:
                    self._follow_innermost_zone()
                    _UUID_MEMORY.forget()
                else:
                    self._uninstall()

    def stop_latest_of(self, owner: object) -> bool:
        """Stop the latest active handle ``owner`` started; False if it has none."""
        with self._lock:
            mine = [h for h in self._active if h.owner is owner]
        if not mine:
            return False
        self.stop(mine[-1])
        return True

    def note_move(self) -> None:
        """A block started or ended while patching: uuid1 must not remember across it."""
        if self._active:
            _UUID_MEMORY.forget()

    def _follow_innermost_zone(self) -> None:
        innermost = self._active[-1]
        if innermost.host_zone:
            _restore_tz(self._saved_tz)
        else:
            _set_tz(innermost.zone)

    def _install(self) -> None:
        _refuse_other_patchers()
        native = self._native_support() if self._prefer_native else None
        replacements = _PYTHON_REPLACEMENTS if native is None else _NATIVE_REPLACEMENTS
        if native is not None:
            # Readers first, then the patch: from the moment the builtins lead back to the
            # traveller, fmlab's own real-clock readings must not go through them.
            route_real_clock(native.time_ns, native.now)
            self._saved_stack = getattr(native.package, "traveller_stack")  # noqa: B009
            traveller = _ContextTraveller(native.extension.original_time_ns)
            setattr(native.package, "traveller_stack", _GuardedStack([traveller]))  # noqa: B010
            native.extension.patch()
        self._installed = "python" if native is None else "native"
        self._saved = [
            (module, name, getattr(module, name, _MISSING)) for module, name, _ in replacements
        ]
        self._saved_tz = os.environ.get("TZ")
        _TZ_SET_BY_PATCHING.append(self._saved_tz)
        self._saved_uuid_timestamp = getattr(uuid, "_last_timestamp", None)
        # uuid1 refuses to go back in time; forget its last stamp while travelling.
        uuid._last_timestamp = None  # type: ignore[attr-defined]
        for module, name, replacement in replacements:
            setattr(module, name, replacement)

    def _uninstall(self) -> None:
        # Every step runs even if an earlier one fails: a half-restored process is worse
        # than an error. The first failure is raised once all steps have run.
        failures: list[BaseException] = []
        for step in (self._restore_attributes, self._unpatch_native, self._restore_state):
            try:
                step()
            except BaseException as error:  # re-raised below, after the other steps
                failures.append(error)
        if failures:
            raise failures[0]

    def _restore_attributes(self) -> None:
        saved, self._saved = self._saved, []
        for module, name, value in reversed(saved):
            if value is _MISSING:
                delattr(module, name)
            else:
                setattr(module, name, value)

    def _unpatch_native(self) -> None:
        installed, self._installed = self._installed, None
        if installed != "native":
            return
        native = self._native_support()
        assert native is not None
        try:
            native.extension.unpatch()
        finally:
            setattr(native.package, "traveller_stack", self._saved_stack)  # noqa: B010
            self._saved_stack = None
            # The readers stay safe until here: the originals answer while patched, and
            # the builtins once unpatched.
            route_real_clock(_real_time_ns, _real_datetime_now)

    def _restore_state(self) -> None:
        _UUID_MEMORY.forget()
        uuid._last_timestamp = self._saved_uuid_timestamp  # type: ignore[attr-defined]
        _TZ_SET_BY_PATCHING.clear()
        _restore_tz(self._saved_tz)


def _time_machine_travelling() -> bool:
    package = sys.modules.get("time_machine")
    return package is not None and bool(getattr(package, "traveller_stack", None))


def _refuse_other_patchers() -> None:
    if "freezegun" in sys.modules and _datetime_module.datetime.__name__ == "FakeDatetime":
        raise RuntimeError(
            "fmlab.timetravel cannot patch the standard library while freezegun is active."
        )
    if _time_machine_travelling():
        raise RuntimeError(
            "fmlab.timetravel cannot patch the standard library while time_machine.travel "
            "is active: leave that block first."
        )


def _set_tz(zone: str) -> None:
    os.environ["TZ"] = zone
    if _real_tzset is not None:
        _real_tzset()


def _restore_tz(value: str | None) -> None:
    """Put ``$TZ`` back to ``value`` (None: unset), as the process had it."""
    if value is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = value
    if _real_tzset is not None:
        _real_tzset()


PATCHER: Final = StdlibPatcher()


@contextmanager
def patch_stdlib(*modules: ModuleType) -> Iterator[None]:
    """Mirror the simulated clock into the standard library for the block.

    In native mode names bound before the block already read the simulated clock. In
    python mode, ``modules`` are modules of yours that did ``from datetime import
    datetime`` (or ``date``, or ``from time import time``) before the block: their names
    are rebound to the simulated versions for the block and restored after it.
    """
    handle = PATCHER.start(modules)
    try:
        yield
    finally:
        PATCHER.stop(handle)
