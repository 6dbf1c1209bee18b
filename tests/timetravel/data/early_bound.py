"""Code under test in the most common style: names bound from datetime and time at import.

The tests load this file as a module *before* entering any block, so every name here
refers to the real class or function, never to a patched module attribute.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from time import localtime, strftime, time, time_ns


def stamp() -> datetime:
    return datetime.now(UTC)


def naive_now() -> datetime:
    return datetime.now()


def utc_naive() -> datetime:
    return datetime.utcnow()


def today() -> date:
    return date.today()


def seconds() -> float:
    return time()


def nanoseconds() -> int:
    return time_ns()


def local_hour() -> int:
    return localtime().tm_hour


def formatted() -> str:
    return strftime("%Y-%m-%d %H:%M %Z")
