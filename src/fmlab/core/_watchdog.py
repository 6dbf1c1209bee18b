"""Holding a z3 check to its budget when z3's own ``timeout`` does not.

z3 does not always honour its ``timeout`` parameter. Seen in this project: an exact
preemption plan with a 50 ms budget answered after 168 s, and a refinement query given
250 ms was still running six minutes later with 3.6 GB of memory. Interrupting the
query's context stops it, but an interrupt is easy to misuse: one that arrives while no
check runs stays pending, and until the next check ``z3.simplify`` silently returns its
input unsimplified (measured with z3 5.4.1). So:

* one daemon thread serves every check; a check is registered with its deadline (its
  budget plus a grace, so that z3's own timeout, which usually works, acts first) and
  unregistered when it returns, both under the lock the thread interrupts under;
* from the deadline on, while the check is registered, the thread interrupts its context
  every few milliseconds (a single interrupt can be lost);
* a check that was interrupted may have returned just before an interrupt it did not
  consume: the context is then cleared by checking an empty solver, which resets z3's
  cancel flag.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import z3

REPEAT_SECONDS = 0.005
"""How often an overrunning check is interrupted again (one interrupt can be lost)."""
GRACE_SHARE = 10
"""The watchdog acts a tenth of the budget after it (and at least ``GRACE_MS`` after) ..."""
GRACE_MS = 20
"""... so that z3's own timeout, which usually works, answers first."""


class _Watch:
    """One registered check."""

    __slots__ = ("context", "deadline", "rang")

    def __init__(self, context: z3.Context, deadline: float) -> None:
        self.context = context
        self.deadline = deadline
        self.rang = False


class _Watchdog:
    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._active: dict[int, _Watch] = {}
        self._queue: list[tuple[float, int]] = []
        self._numbers = itertools.count()
        self._thread: threading.Thread | None = None

    def register(self, context: z3.Context, budget_ms: int) -> tuple[int, _Watch]:
        grace = max(GRACE_MS, budget_ms // GRACE_SHARE)
        watch = _Watch(context, time.monotonic() + (budget_ms + grace) / 1000)
        with self._lock:
            number = next(self._numbers)
            self._active[number] = watch
            heapq.heappush(self._queue, (watch.deadline, number))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._serve, name="fmlab-z3-watchdog", daemon=True
                )
                self._thread.start()
            elif self._queue[0][1] == number:
                self._lock.notify()  # the thread sleeps until a later deadline
        return number, watch

    def unregister(self, number: int) -> None:
        with self._lock:
            self._active.pop(number, None)

    def _serve(self) -> None:
        with self._lock:
            while True:
                while self._queue and self._queue[0][1] not in self._active:
                    heapq.heappop(self._queue)  # returned in time
                if not self._queue:
                    self._lock.wait()
                    continue
                deadline, number = self._queue[0]
                now = time.monotonic()
                if now < deadline:
                    self._lock.wait(deadline - now)
                    continue
                watch = self._active[number]
                watch.rang = True
                watch.context.interrupt()
                heapq.heapreplace(self._queue, (now + REPEAT_SECONDS, number))


_WATCHDOG = _Watchdog()


@contextmanager
def held_to(context: z3.Context, budget_ms: int) -> Iterator[None]:
    """Run the block (one z3 check in ``context``) no longer than about ``budget_ms``."""
    number, watch = _WATCHDOG.register(context, budget_ms)
    try:
        yield
    finally:
        _WATCHDOG.unregister(number)
        if watch.rang:
            # An interrupt may have come after the check returned: an empty check resets
            # the context's cancel flag, so what follows (simplify, eval) works again.
            z3.Solver(ctx=context).check()


__all__ = ["held_to"]
