"""``fmlab.timetravel``: a time machine for Python, after the Haskell library time-machine.

Read the time through this package (or through a :class:`Clock` you are handed) and tests
can move it: :func:`travel_to` another instant, :func:`jump_to` another zone,
:func:`accelerate` or :func:`halt` it, in nested blocks that also work as decorators.
Contexts are per thread and per asyncio task. For code that calls the standard library
directly, ``patch_stdlib=True`` mirrors the simulated clock into :mod:`time`,
:mod:`datetime` and :func:`uuid.uuid1` (see :mod:`fmlab.timetravel.stdlib_patch`).

>>> from datetime import datetime, timezone
>>> with halt(), travel_to(datetime(1985, 10, 26, 8, 24, tzinfo=timezone.utc)):
...     with jump_to("America/Los_Angeles"):
...         print(now_local().isoformat(), zone())
1985-10-26T01:24:00-07:00 America/Los_Angeles
"""

from fmlab.timetravel.clock import SYSTEM_CLOCK, Clock, ManualClock, SystemClock
from fmlab.timetravel.destinations import (
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
from fmlab.timetravel.operations import Block, accelerate, halt, jump_to, travel_to
from fmlab.timetravel.spacetime import (
    Spacetime,
    current_context,
    now_local,
    now_utc,
    scale,
    use_clock,
    zone,
)
from fmlab.timetravel.zones import (
    AmbiguousLocalTimeError,
    LocalTimeKind,
    NonexistentLocalTimeError,
    classify,
    resolve_local,
)

__all__ = [
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
    "accelerate",
    "classify",
    "current_context",
    "days",
    "halt",
    "hours",
    "jump_to",
    "minutes",
    "months",
    "now_local",
    "now_utc",
    "resolve_local",
    "scale",
    "seconds",
    "tomorrow",
    "travel_to",
    "use_clock",
    "weeks",
    "years",
    "yesterday",
    "zone",
]
