"""``fmlab.timetravel``: a time machine for Python, after the Haskell library time-machine.

Read the time through this package (or through a :class:`Clock` you are handed) and tests
can move it: :func:`travel_to` another instant, :func:`jump_to` another zone,
:func:`accelerate` or :func:`halt` it, in nested blocks that also work as decorators.
Contexts are per thread and per asyncio task. For code that calls the standard library
directly, ``patch_stdlib=True`` mirrors the simulated clock into :mod:`time`,
:mod:`datetime` and :func:`uuid.uuid1` (see :func:`patch_stdlib`). The pytest fixture
and marker are in :mod:`fmlab.timetravel.pytest_plugin`.

>>> from datetime import datetime, timezone
>>> from fmlab.timetravel import halt, jump_to, now_local, travel_to, zone
>>> with halt(), travel_to(datetime(1985, 10, 26, 8, 24, tzinfo=timezone.utc)):
...     with jump_to("America/Los_Angeles"):
...         print(now_local().isoformat(), zone())
1985-10-26T01:24:00-07:00 America/Los_Angeles
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fmlab.core.lazy import lazy_exports

if TYPE_CHECKING:
    from fmlab.timetravel._clock import SYSTEM_CLOCK, Clock, ManualClock, SystemClock
    from fmlab.timetravel._destinations import (
        CalendarDuration,
        CalendarShift,
        Destination,
        Duration,
        Shift,
        days,
        hours,
        minutes,
        months,
        seconds,
        tomorrow,
        weeks,
        years,
        yesterday,
    )
    from fmlab.timetravel._exercises import (
        check_nightly_runs,
        check_opening_hours,
        check_weekend_test,
    )
    from fmlab.timetravel._operations import Block, accelerate, halt, jump_to, travel_to
    from fmlab.timetravel._spacetime import (
        Spacetime,
        current_context,
        now_local,
        now_utc,
        scale,
        use_clock,
        zone,
    )
    from fmlab.timetravel._stdlib_patch import PATCHER, patch_stdlib
    from fmlab.timetravel._zones import (
        AmbiguousLocalTimeError,
        LocalTimeKind,
        NonexistentLocalTimeError,
        Transition,
        classify,
        load_zone,
        resolve_local,
        transitions,
    )

__all__ = [
    "PATCHER",
    "SYSTEM_CLOCK",
    "AmbiguousLocalTimeError",
    "Block",
    "CalendarDuration",
    "CalendarShift",
    "Clock",
    "Destination",
    "Duration",
    "LocalTimeKind",
    "ManualClock",
    "NonexistentLocalTimeError",
    "Shift",
    "Spacetime",
    "SystemClock",
    "Transition",
    "accelerate",
    "check_nightly_runs",
    "check_opening_hours",
    "check_weekend_test",
    "classify",
    "current_context",
    "days",
    "halt",
    "hours",
    "jump_to",
    "load_zone",
    "minutes",
    "months",
    "now_local",
    "now_utc",
    "patch_stdlib",
    "resolve_local",
    "scale",
    "seconds",
    "tomorrow",
    "transitions",
    "travel_to",
    "use_clock",
    "weeks",
    "years",
    "yesterday",
    "zone",
]

_HOMES = {
    "_clock": ("SYSTEM_CLOCK", "Clock", "ManualClock", "SystemClock"),
    "_destinations": (
        "CalendarDuration",
        "CalendarShift",
        "Destination",
        "Duration",
        "Shift",
        "days",
        "hours",
        "minutes",
        "months",
        "seconds",
        "tomorrow",
        "weeks",
        "years",
        "yesterday",
    ),
    "_operations": ("Block", "accelerate", "halt", "jump_to", "travel_to"),
    "_spacetime": (
        "Spacetime",
        "current_context",
        "now_local",
        "now_utc",
        "scale",
        "use_clock",
        "zone",
    ),
    "_zones": (
        "AmbiguousLocalTimeError",
        "LocalTimeKind",
        "NonexistentLocalTimeError",
        "Transition",
        "classify",
        "load_zone",
        "resolve_local",
        "transitions",
    ),
    "_stdlib_patch": ("PATCHER", "patch_stdlib"),
    "_exercises": ("check_nightly_runs", "check_opening_hours", "check_weekend_test"),
}

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _HOMES)
