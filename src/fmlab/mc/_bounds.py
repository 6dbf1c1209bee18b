"""Bounds on a search: how many states, how deep, how long.

A search that stops at a bound reports what it reached and answers ``unknown``: a
bounded search never proves anything beyond what it explored. The time budget is
checked between states; a model whose own ``next`` never returns is stopped as well,
by an alarm signal, when the search runs in the main thread (as the CLI does).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

DEFAULT_MAX_STATES = 20_000_000
"""States a search stores unless told otherwise (about 2 GB for the plain path)."""

# After the budget has run out, how long a single call into the model may still take
# before the alarm interrupts it.
_ALARM_GRACE_S = 1.0
# How soon the alarm rings again if its first interruption was swallowed.
_ALARM_REPEAT_S = 0.25


@dataclass(frozen=True)
class Bounds:
    """``max_states`` distinct states, ``max_depth`` steps from an initial state,
    ``timeout`` seconds. ``None`` means no bound (``max_states`` defaults to
    :data:`DEFAULT_MAX_STATES` so that memory stays bounded)."""

    max_states: int | None = DEFAULT_MAX_STATES
    max_depth: int | None = None
    timeout: float | None = None

    def __post_init__(self) -> None:
        if self.max_states is not None and self.max_states < 1:
            raise ValueError(f"max_states must be at least 1, got {self.max_states}")
        if self.max_depth is not None and self.max_depth < 0:
            raise ValueError(f"max_depth must be at least 0, got {self.max_depth}")
        if self.timeout is not None and not self.timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {self.timeout}")

    @property
    def state_limit(self) -> int:
        return self.max_states if self.max_states is not None else 2**62

    @property
    def depth_limit(self) -> int:
        return self.max_depth if self.max_depth is not None else 2**62


def make_bounds(
    max_states: int | None = DEFAULT_MAX_STATES,
    max_depth: int | None = None,
    timeout: float | None = None,
) -> Bounds:
    return Bounds(max_states, max_depth, timeout)


class OutOfTimeError(BaseException):
    """Raised inside the model's code by the alarm when the budget is long gone.

    A ``BaseException``, like ``KeyboardInterrupt``: a model whose ``next`` catches
    ``Exception`` must not swallow it and keep the search running.
    """


class Clock:
    """Elapsed time and the deadline of one search."""

    def __init__(self, timeout: float | None) -> None:
        self.started = time.perf_counter()
        self.deadline = None if timeout is None else self.started + timeout

    def expired(self) -> bool:
        return self.deadline is not None and time.perf_counter() >= self.deadline

    def elapsed(self) -> float:
        return time.perf_counter() - self.started


@contextmanager
def alarm_backstop(timeout: float | None) -> Iterator[None]:
    """Interrupt a model call that overruns the budget by more than a second.

    Only in the main thread and where ``SIGALRM`` exists; elsewhere the search relies on
    its own checks between states. A handler that was installed before is put back.
    """
    usable = (
        timeout is not None
        and hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    assert timeout is not None

    def interrupt(signum: int, frame: object) -> None:
        # An exception raised where Python ignores exceptions (a garbage-collector
        # callback, a __del__) is lost, and so is one a model swallows: ring again soon.
        # When the exception does get out, the ``finally`` below silences the next ring.
        signal.setitimer(signal.ITIMER_REAL, _ALARM_REPEAT_S)
        raise OutOfTimeError

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, timeout + _ALARM_GRACE_S)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
