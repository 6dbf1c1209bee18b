"""kube-scheduler's scheduling queue: activeQ, backoffQ and the unschedulable pool.

* **activeQ** pops the pod of highest priority, and among equals the one with the
  oldest queue timestamp (the PrioritySort plugin).
* **backoffQ** holds pods that failed and wait out a backoff of ``1 s * 2^(attempts-1)``,
  capped at 10 s. A pod that was never tried has no backoff.
* **the unschedulable pool** holds pods that failed for a reason only a cluster event can
  change. An event moves them out (to backoffQ while their backoff runs, else to
  activeQ); pods left there for 5 minutes are moved anyway by a periodic flush.
* A pod that fails in a cycle during which an event asked for a move goes to backoffQ
  rather than the pool, so it does not miss that event (``moveRequestCycle``).

Per-plugin queueing hints are modelled only as an optional predicate on
:meth:`SchedulingQueue.move_on_event`; without one, an event moves every pod in the pool.

>>> from fmlab.k8s._model import Pod
>>> queue = SchedulingQueue()
>>> queue.add(Pod("default", "low", priority=1), now=0.0)
>>> queue.add(Pod("default", "high", priority=9), now=1.0)
>>> queue.pop(now=2.0).name, queue.pop(now=2.0).name
('high', 'low')
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from fmlab.k8s._model import Pod

INITIAL_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 10.0
MAX_IN_UNSCHEDULABLE_SECONDS = 300.0


@dataclass
class QueuedPodInfo:
    """A pod in the queue, with what the queue remembers about it."""

    pod: Pod
    timestamp: float
    initial_attempt: float | None = None
    attempts: int = 0
    cycle: int = 0
    unschedulable_since: float | None = None
    backoff_expiry: float = 0.0
    plugins: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class QueueLengths:
    """How many pods wait in each of the three sub-queues."""

    active: int
    backoff: int
    unschedulable: int

    def to_json(self) -> dict[str, int]:
        return {"active": self.active, "backoff": self.backoff, "unschedulable": self.unschedulable}


class SchedulingQueue:
    """The three sub-queues and the moves between them; times are seconds (floats)."""

    def __init__(
        self,
        *,
        initial_backoff: float = INITIAL_BACKOFF_SECONDS,
        max_backoff: float = MAX_BACKOFF_SECONDS,
        max_in_unschedulable: float = MAX_IN_UNSCHEDULABLE_SECONDS,
    ) -> None:
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.max_in_unschedulable = max_in_unschedulable
        self._sequence = itertools.count()
        self._active: list[tuple[int, float, int, str]] = []
        self._backoff: list[tuple[float, int, str]] = []
        self._unschedulable: dict[str, QueuedPodInfo] = {}
        self._info: dict[str, QueuedPodInfo] = {}
        self._where: dict[str, str] = {}
        self.scheduling_cycle = 0
        self.move_request_cycle = -1

    # --- entering and leaving -----------------------------------------------------

    def add(self, pod: Pod, *, now: float) -> None:
        """A new pending pod: straight to activeQ, no backoff."""
        if pod.key in self._info:
            raise ValueError(f"{pod.key} is already queued")
        info = QueuedPodInfo(pod, timestamp=now)
        self._info[pod.key] = info
        self._push_active(info)

    def delete(self, pod: Pod) -> None:
        """The pod was deleted (or bound elsewhere): forget it wherever it waits."""
        self._info.pop(pod.key, None)
        self._where.pop(pod.key, None)
        self._unschedulable.pop(pod.key, None)
        # Stale heap entries are skipped when popped.

    def pop(self, *, now: float) -> Pod | None:
        """The next pod to schedule, or None when activeQ is empty; starts a cycle."""
        self.flush_backoff(now=now)
        while self._active:
            _, _, _, key = heapq.heappop(self._active)
            if self._where.get(key) != "active":
                continue  # a stale entry: the pod moved or was deleted
            info = self._info[key]
            del self._where[key]
            self.scheduling_cycle += 1
            info.attempts += 1
            info.cycle = self.scheduling_cycle
            if info.initial_attempt is None:
                info.initial_attempt = now
            return info.pod
        return None

    def requeue_unschedulable(
        self, pod: Pod, *, now: float, plugins: frozenset[str] = frozenset()
    ) -> str:
        """Return a pod whose attempt failed; answers where it went.

        ``plugins`` are the plugins that rejected it (what queueing hints would consult).
        The queue timestamp is reset, so the pod queues behind others of its priority.
        """
        info = self._info.get(pod.key)
        if info is None:
            raise ValueError(f"{pod.key} was not popped from this queue")
        info.pod = pod
        info.timestamp = now
        info.plugins = plugins
        info.backoff_expiry = now + self.backoff_seconds(info.attempts)
        if self.move_request_cycle >= info.cycle:
            # An event arrived while the pod was being tried: do not park it.
            self._push_backoff(info)
            return "backoff"
        info.unschedulable_since = now
        self._unschedulable[pod.key] = info
        self._where[pod.key] = "unschedulable"
        return "unschedulable"

    def update(self, pod: Pod) -> None:
        """Replace the stored pod (for instance after a nomination)."""
        info = self._info.get(pod.key)
        if info is not None:
            info.pod = pod

    # --- moves --------------------------------------------------------------------

    def backoff_seconds(self, attempts: int) -> float:
        """``initial * 2^(attempts-1)`` capped at the maximum; none before any attempt."""
        if attempts <= 0:
            return 0.0
        return float(min(self.initial_backoff * 2 ** (attempts - 1), self.max_backoff))

    def flush_backoff(self, *, now: float) -> int:
        """Move pods whose backoff has expired to activeQ; returns how many moved."""
        moved = 0
        while self._backoff and self._backoff[0][0] <= now:
            _, _, key = heapq.heappop(self._backoff)
            if self._where.get(key) != "backoff":
                continue
            self._push_active(self._info[key])
            moved += 1
        return moved

    def next_backoff_expiry(self) -> float | None:
        """When the next pod in backoffQ may move to activeQ (None if backoffQ is empty)."""
        while self._backoff and self._where.get(self._backoff[0][2]) != "backoff":
            heapq.heappop(self._backoff)  # drop stale entries
        return self._backoff[0][0] if self._backoff else None

    def flush_unschedulable_leftover(self, *, now: float) -> int:
        """Pods parked longer than the maximum go back (kube-scheduler runs this every 30 s)."""
        stale = [
            info
            for info in self._unschedulable.values()
            if info.unschedulable_since is not None
            and now - info.unschedulable_since > self.max_in_unschedulable
        ]
        for info in stale:
            self._leave_pool(info, now)
        return len(stale)

    def move_on_event(
        self, event: str, *, now: float, hint: Callable[[QueuedPodInfo, str], bool] | None = None
    ) -> int:
        """A cluster event: pods in the pool (those ``hint`` accepts) leave it."""
        self.move_request_cycle = self.scheduling_cycle
        moving = [
            info for info in self._unschedulable.values() if hint is None or hint(info, event)
        ]
        for info in moving:
            self._leave_pool(info, now)
        return len(moving)

    def _leave_pool(self, info: QueuedPodInfo, now: float) -> None:
        del self._unschedulable[info.pod.key]
        info.unschedulable_since = None
        if info.backoff_expiry > now:
            self._push_backoff(info)
        else:
            self._push_active(info)

    # --- looking ------------------------------------------------------------------

    def lengths(self) -> QueueLengths:
        where = list(self._where.values())
        return QueueLengths(
            where.count("active"), where.count("backoff"), where.count("unschedulable")
        )

    def location(self, pod: Pod) -> str | None:
        """ "active", "backoff", "unschedulable", or None (popped, or not queued)."""
        return self._where.get(pod.key)

    def info(self, pod: Pod) -> QueuedPodInfo:
        return self._info[pod.key]

    def _push_active(self, info: QueuedPodInfo) -> None:
        key = info.pod.key
        self._where[key] = "active"
        entry = (-info.pod.effective_priority, info.timestamp, next(self._sequence), key)
        heapq.heappush(self._active, entry)

    def _push_backoff(self, info: QueuedPodInfo) -> None:
        key = info.pod.key
        self._where[key] = "backoff"
        heapq.heappush(self._backoff, (info.backoff_expiry, next(self._sequence), key))
