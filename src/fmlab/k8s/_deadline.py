"""One wall-clock budget for a whole planning call, and a watchdog that enforces it on z3.

z3's own ``timeout`` parameter is not a bound we can rely on. Measured on the exact
planner's per-node ``Optimize`` queries (z3 5.4.1): given a 1 ms timeout, about one run in
ten answered after 25 to 42 s instead, and a single ``Context.interrupt()`` at the deadline
was lost the same way. What did stop every run within about 40 ms was interrupting *again*
every few milliseconds until the query returned. So every query the planner makes goes
through :func:`check_before`, which gives z3 only what remains of one :class:`Deadline`
and, from that deadline on, has a :class:`Watchdog` ring the query's context until the
query is back.

An interrupt leaves a context cancelled for everything but the next ``check``:
``simplify`` silently returns its input unchanged and ``model.eval`` raises ``canceled``.
So the planner works in a context of its own (an interrupt never reaches the caller's
``z3.main_ctx()``), and reads models with ``get_interp``, which does not consult the flag.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

import z3

REPEAT_SECONDS = 0.005
"""How often the watchdog interrupts again while a query overruns (an interrupt can be lost)."""


class Deadline:
    """A point in wall-clock time fixed once, asked before every step of a call."""

    def __init__(self, budget_ms: int) -> None:
        self.started = time.perf_counter()
        self.budget_ms = max(0, budget_ms)
        self.at = self.started + self.budget_ms / 1000

    def remaining_ms(self) -> int:
        """Whole milliseconds left (0 once the deadline has passed)."""
        return max(0, int((self.at - time.perf_counter()) * 1000))

    def passed(self) -> bool:
        return time.perf_counter() >= self.at

    def elapsed(self) -> float:
        """Seconds since the deadline was set."""
        return time.perf_counter() - self.started


class _Checkable(Protocol):
    """What ``z3.Solver`` and ``z3.Optimize`` share for a check."""

    ctx: z3.Context

    def set(self, *args: object, **keys: object) -> None: ...

    def check(self, *assumptions: z3.BoolRef) -> z3.CheckSatResult: ...

    def reason_unknown(self) -> str: ...


class Watchdog:
    """Holds the z3 queries of one call to its deadline, from one thread.

    Enter it once around the whole call and run each query inside :meth:`watching`.
    From the deadline on, while a query runs, the thread interrupts ``context`` every
    :data:`REPEAT_SECONDS`; between queries it stays quiet, because an interrupt outside
    a check leaves the context cancelled for the Python-side work that follows. Once a
    query's block is left, or the call's, no interrupt can arrive: both take the same
    lock as the interrupt, so nobody waits for the thread to be scheduled (under load
    that wait cost milliseconds per query). ``rang`` says whether the query running
    now, or the last one, was interrupted.
    """

    def __init__(self, context: z3.Context, deadline: Deadline) -> None:
        self.context = context
        self.deadline = deadline
        self.rang = False
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._querying = False
        self._finished = False
        self._thread: threading.Thread | None = None

    def _watch(self) -> None:
        wait = max(0.0, self.deadline.at - time.perf_counter())
        while not self._wake.wait(wait):
            with self._lock:
                if self._finished:
                    return
                if self._querying:
                    self.rang = True
                    self.context.interrupt()
            wait = REPEAT_SECONDS

    @contextmanager
    def watching(self) -> Iterator[Watchdog]:
        """The block of one query: interrupted if it is still running at the deadline."""
        if self._thread is None:  # started with the first query: many calls need none
            self._thread = threading.Thread(
                target=self._watch, name="fmlab-z3-watchdog", daemon=True
            )
            self._thread.start()
        with self._lock:
            self._querying, self.rang = True, False
        try:
            yield self
        finally:
            with self._lock:
                self._querying = False

    def __enter__(self) -> Watchdog:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        with self._lock:
            self._finished = True
        self._wake.set()


@dataclass(frozen=True)
class Answer:
    """What one query said, and whether it said it in time to count."""

    result: z3.CheckSatResult
    in_time: bool
    reason: str = ""

    @property
    def sat(self) -> bool:
        return bool(self.result == z3.sat)

    @property
    def unsat(self) -> bool:
        return bool(self.result == z3.unsat)

    @property
    def decided(self) -> bool:
        """sat or unsat, before the deadline: an answer a proof may rest on."""
        return self.in_time and self.result != z3.unknown


def check_before(
    solver: _Checkable, watchdog: Watchdog, *assumptions: z3.BoolRef, set_timeout: bool = True
) -> Answer:
    """``solver.check(*assumptions)`` with what remains of the watchdog's deadline.

    ``set_timeout=False`` leaves z3's own timeout as the caller set it: on a solver used
    for several checks, setting a parameter again before each one made every check of the
    exact planner's start-time search about three times slower (z3 5.4); the watchdog
    holds such a solver to the deadline all the same.

    An answer that comes back after the deadline is marked ``in_time=False``: z3 was
    being interrupted, and an interrupted optimiser's ``sat`` is not a proof of
    optimality (its model may still be read as a plan, to be replayed like any other).
    With no time left the query is not started at all.
    """
    deadline = watchdog.deadline
    remaining = deadline.remaining_ms()
    if remaining <= 0:
        return Answer(z3.unknown, False)
    if set_timeout:
        solver.set("timeout", remaining)
    with watchdog.watching():
        try:
            result = solver.check(*assumptions)
            reason = ""
        except z3.Z3Exception as error:  # some z3 builds raise on interruption
            result, reason = z3.unknown, str(error)
    if result == z3.unknown and not reason:
        reason = _reason_unknown(solver)
    in_time = not watchdog.rang and not deadline.passed()
    return Answer(result, in_time, reason)


def _reason_unknown(solver: _Checkable) -> str:
    try:
        reason = solver.reason_unknown()
    except z3.Z3Exception:  # a cancelled context may refuse even this
        return "interrupted"
    return str(reason)
