"""A scheduler loop: queue, filters, a score, DefaultPreemption and graceful deletion.

:class:`Scheduler` pops a pod, looks for feasible nodes the way ``findNodesThatFitPod``
does (the nominated node first; then nodes from a rotating start index until
``numFeasibleNodesToFind`` fit), binds to the best-scored one, or runs DefaultPreemption
and sends the pod back to the queue. Victims are marked ``DisruptionTarget`` and removed
after their grace period; their deletion is a cluster event that moves waiting pods.

Modelled scoring: only NodeResourcesFit's default ``LeastAllocated`` over cpu and memory
(with the scheduler's non-zero defaults of 100m and 200Mi for pods that request nothing);
equal scores go to the first node in visit order (kube-scheduler picks one at random).
Queueing hints: a pod deletion moves pods rejected by NodeResourcesFit, InterPodAffinity
or PodTopologySpread; a pod addition moves those rejected by InterPodAffinity or
PodTopologySpread; anything else moves everything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import itertools
import random
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import cast

import numpy as np

from fmlab.k8s._cluster import ClusterState, NodeInfo
from fmlab.k8s._config import DEFAULT_CONFIG, SchedulerConfig
from fmlab.k8s._model import Condition, Pod
from fmlab.k8s._preemption import post_filter
from fmlab.k8s._profile import DEFAULT_PROFILE, ScoringStrategy
from fmlab.k8s._queue import QueuedPodInfo, SchedulingQueue
from fmlab.k8s._report import gates_message, other_scheduler_message
from fmlab.k8s._status import Status
from fmlab.k8s.filters import CycleState

MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE = 5
DEFAULT_MILLI_CPU = 100
DEFAULT_MEMORY = 200 * 2**20
_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

_MOVED_BY = {
    "AssignedPodDelete": frozenset({"NodeResourcesFit", "InterPodAffinity", "PodTopologySpread"}),
    "AssignedPodAdd": frozenset({"InterPodAffinity", "PodTopologySpread"}),
}


@dataclass(frozen=True)
class Event:
    """One thing that happened, at simulated time ``time`` (seconds)."""

    time: float
    kind: str  # "bound", "nominated", "unschedulable", "preempted", "deleted", "ignored"
    pod: str
    node: str | None = None
    detail: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "time": self.time,
            "kind": self.kind,
            "pod": self.pod,
            "node": self.node,
            "detail": self.detail,
        }


def num_feasible_nodes_to_find(nodes: int, percentage: int = 0) -> int:
    """How many feasible nodes a cycle looks for before it stops filtering.

    >>> num_feasible_nodes_to_find(50), num_feasible_nodes_to_find(1000)
    (50, 420)
    >>> num_feasible_nodes_to_find(5000), num_feasible_nodes_to_find(5000, percentage=100)
    (500, 5000)
    """
    if nodes < MIN_FEASIBLE_NODES_TO_FIND:
        return nodes
    if percentage <= 0:
        percentage = max(50 - nodes // 125, MIN_FEASIBLE_NODES_PERCENTAGE)
    return max(nodes * percentage // 100, MIN_FEASIBLE_NODES_TO_FIND)


_NON_ZERO = {"cpu": DEFAULT_MILLI_CPU, "memory": DEFAULT_MEMORY}


def least_allocated(info: NodeInfo, pod: Pod) -> float:
    return node_score(info, pod, ScoringStrategy())


def node_score(info: NodeInfo, pod: Pod, strategy: ScoringStrategy) -> float:
    """NodeResourcesFit's score for placing ``pod`` on ``info`` (0 to 100).

    Per resource of the strategy: ``LeastAllocated`` scores the share left free,
    ``MostAllocated`` the share used, ``RequestedToCapacityRatio`` the share used mapped
    through the piecewise-linear ``shape`` (scores 0..10 scaled to 0..100); the node's
    score is the weighted mean over resources the node has. cpu and memory count a pod
    that requests none as requesting 100m and 200Mi, as the scheduler's non-zero requests.
    """
    total = 0.0
    weights = 0
    for resource, weight in strategy.resources:
        capacity = info.node.allocatable.get(resource, 0)
        if capacity <= 0:
            continue
        wanted = pod.requests.get(resource, 0) or _NON_ZERO.get(resource, 0)
        used = info.requested.get(resource, 0) + wanted
        if strategy.type == "MostAllocated":
            score = min(used, capacity) * 100 / capacity
        elif strategy.type == "RequestedToCapacityRatio":
            score = _shape_score(strategy.shape, used * 100 / capacity)
        else:
            score = 0.0 if used > capacity else (capacity - used) * 100 / capacity
        total += score * weight
        weights += weight
    return total / weights if weights else 0.0


def _shape_score(shape: tuple[tuple[int, int], ...], utilization: float) -> float:
    if utilization <= shape[0][0]:
        return shape[0][1] * 10.0
    for (x0, y0), (x1, y1) in itertools.pairwise(shape):
        if utilization <= x1:
            return (y0 + (y1 - y0) * (utilization - x0) / (x1 - x0)) * 10.0
    return shape[-1][1] * 10.0


class Scheduler:
    """One scheduler over ``cluster``; ``run`` drives it in simulated time."""

    def __init__(
        self,
        cluster: ClusterState,
        *,
        seed: int = 0,
        grace_seconds: float = 0.0,
        percentage_of_nodes_to_score: int = 0,
        record: bool = False,
        config: SchedulerConfig | None = None,
    ) -> None:
        self.cluster = cluster
        self.config = config or DEFAULT_CONFIG
        self.queue = SchedulingQueue()
        self.rng = random.Random(seed)
        self.grace_seconds = grace_seconds
        self.percentage = percentage_of_nodes_to_score
        self.next_start_node = 0
        self.events: list[Event] = []
        self._deletions: list[tuple[float, int, str, str]] = []
        self._sequence = 0
        self.now = 0.0
        self.record = record
        self.samples: list[tuple[float, int, int, int]] = []
        for pod in list(cluster.pending.values()):
            self._enqueue(pod, 0.0)

    # --- inputs ---------------------------------------------------------------------

    def submit(self, pod: Pod, *, now: float | None = None) -> None:
        """A new pending pod (already admitted: ``priority`` set)."""
        at = self.now if now is None else now
        self.cluster.add(pod)
        self._enqueue(pod, at)
        self._sample()

    def _enqueue(self, pod: Pod, at: float) -> None:
        """Into activeQ, unless no profile schedules the pod or its gates hold it back
        (SchedulingGates' PreEnqueue); either is recorded as an "ignored" event."""
        if self.config.profile_for(pod) is None:
            why = other_scheduler_message(pod, self.config.names)
        elif pod.scheduling_gates:
            why = gates_message(pod)
        else:
            self.queue.add(pod, now=at)
            return
        self.events.append(Event(at, "ignored", pod.key, None, why))

    def delete_pod(self, key: str) -> None:
        """The pod ``namespace/name`` is deleted (a bound pod frees its node at once)."""
        pending = self.cluster.pending.get(key)
        if pending is not None:
            self.cluster.remove(pending)
            self.queue.delete(pending)
            self.events.append(Event(self.now, "deleted", key))
            self._sample()
            return
        for info in self.cluster.nodes.values():
            bound = info.pods.get(key)
            if bound is not None:
                self.cluster.remove(bound)
                self.events.append(Event(self.now, "deleted", key, info.name))
                self._event("AssignedPodDelete")
                self._sample()
                return
        raise KeyError(key)

    def _sample(self) -> None:
        if self.record:
            lengths = self.queue.lengths()
            self.samples.append((self.now, lengths.active, lengths.backoff, lengths.unschedulable))

    # --- one cycle ------------------------------------------------------------------

    def schedule_one(self) -> bool:
        """Try the next pod in activeQ; False when activeQ is empty."""
        now = self.now
        popped = self.queue.pop(now=now)
        if popped is None:
            return False
        pod = self.cluster.pending.get(popped.key)
        if pod is None:
            return True  # deleted meanwhile
        profile = self.config.profile_for(pod) or DEFAULT_PROFILE
        state = CycleState(self.cluster, pod, profile)
        feasible, statuses = self._find_feasible(state)
        if feasible:
            chosen = pod
            strategy = profile.scoring
            best = max(feasible, key=lambda info: node_score(info, chosen, strategy))
            self._bind(pod, best, now)
            return True
        result = post_filter(state, statuses, now=_EPOCH.timestamp() + now, rng=self.rng)
        plugins = frozenset(map(attrgetter("plugin"), statuses.values())) - {""}
        if result.nominated_node is not None:
            self._carry_out(pod, result.nominated_node, result.victims, result.cleared_nominations)
            pod = self.cluster.pending[pod.key]
            self.events.append(Event(now, "nominated", pod.key, result.nominated_node))
        else:
            self.events.append(Event(now, "unschedulable", pod.key, None, result.reason))
        self.queue.update(pod)
        self.queue.requeue_unschedulable(pod, now=now, plugins=plugins)
        return True

    def _find_feasible(self, state: CycleState) -> tuple[list[NodeInfo], dict[str, Status]]:
        nodes = self.cluster.nodes
        nominated = state.pod.nominated_node_name
        if nominated and nominated in nodes:
            info = nodes[nominated]
            if state.filter_with_nominated(info).ok:
                return [info], {}
        order = self.cluster.node_list
        wanted = num_feasible_nodes_to_find(len(order), self.percentage)
        if state.vectorizable and order:
            return self._find_feasible_at_once(state, order, wanted)
        feasible: list[NodeInfo] = []
        statuses: dict[str, Status] = {}
        start = self.next_start_node % len(order) if order else 0
        processed = 0
        for i in range(len(order)):
            info = order[(start + i) % len(order)]
            processed += 1
            status = state.filter_with_nominated(info)
            if status.ok:
                feasible.append(info)
                if len(feasible) >= wanted:
                    break
            else:
                statuses[info.name] = status
        if order:
            self.next_start_node = (start + processed) % len(order)
        return feasible, statuses

    def _find_feasible_at_once(
        self, state: CycleState, order: list[NodeInfo], wanted: int
    ) -> tuple[list[NodeInfo], dict[str, Status]]:
        """The same search with every node's verdict computed as arrays."""
        ok, failures = state.filter_all()
        count = len(order)
        start = self.next_start_node % count
        visit = np.concatenate((np.arange(start, count), np.arange(0, start)))
        fits = np.flatnonzero(ok[visit])  # positions in visit order
        if len(fits) >= wanted:
            chosen = fits[:wanted]
            processed = int(chosen[-1]) + 1
            self.next_start_node = (start + processed) % count
            return [order[int(visit[p])] for p in chosen], {}
        if len(fits):
            return [order[int(visit[p])] for p in fits], {}
        # No node fits, so every entry of ``failures`` is a Status (in node order).
        statuses = cast(
            dict[str, Status], dict(zip(self.cluster.node_names, failures, strict=True))
        )
        return [], statuses

    def _bind(self, pod: Pod, info: NodeInfo, now: float) -> None:
        self.cluster.remove(pod)
        bound = dataclasses.replace(
            pod,
            node_name=info.name,
            nominated_node_name="",
            start_time=_EPOCH + dt.timedelta(seconds=now),
        )
        self.cluster.add(bound)
        self.queue.delete(pod)
        self.events.append(Event(now, "bound", pod.key, info.name))
        self._event("AssignedPodAdd")

    def _carry_out(
        self, pod: Pod, node_name: str, victims: Iterable[Pod], cleared: Iterable[str]
    ) -> None:
        now = self.now
        for victim in victims:
            if victim.terminating:
                continue
            marked = dataclasses.replace(
                victim,
                deletion_timestamp=_EPOCH + dt.timedelta(seconds=now),
                conditions=(
                    *victim.conditions,
                    Condition("DisruptionTarget", "True", "PreemptionByScheduler"),
                ),
            )
            self.cluster.remove(victim)
            self.cluster.add(marked)
            self.events.append(Event(now, "preempted", victim.key, victim.node_name, pod.key))
            self._sequence += 1
            heapq.heappush(
                self._deletions,
                (now + self.grace_seconds, self._sequence, victim.key, victim.node_name),
            )
        for key in cleared:
            other = self.cluster.pending.get(key)
            if other is not None:
                self.queue.update(self.cluster.nominate(other, ""))
        self.cluster.nominate(pod, node_name)
        self._process_deletions()

    def _process_deletions(self) -> None:
        while self._deletions and self._deletions[0][0] <= self.now:
            _, _, key, node_name = heapq.heappop(self._deletions)
            victim = self.cluster.nodes[node_name].pods.get(key)
            if victim is not None:
                self.cluster.remove(victim)
                self.events.append(Event(self.now, "deleted", key, node_name))
                self._event("AssignedPodDelete")

    def _event(self, kind: str) -> None:
        moved_by = _MOVED_BY.get(kind)

        def hint(info: QueuedPodInfo, _: str) -> bool:
            return moved_by is None or not info.plugins or bool(info.plugins & moved_by)

        self.queue.move_on_event(kind, now=self.now, hint=hint)

    # --- the loop -------------------------------------------------------------------

    def run(self, *, until: float = float("inf"), max_cycles: int = 10**9) -> int:
        """Schedule until nothing is left to try (or ``until``); returns the cycles run."""
        cycles = 0
        next_flush = self.now + 30.0
        while cycles < max_cycles and self.now <= until:
            self._process_deletions()
            if self.schedule_one():
                cycles += 1
                self._sample()
                continue
            # activeQ is empty: jump to the next thing that can happen.
            upcoming = [next_flush]
            if self._deletions:
                upcoming.append(self._deletions[0][0])
            expiry = self.queue.next_backoff_expiry()
            if expiry is not None:
                upcoming.append(expiry)
            if expiry is None and not self._deletions and until == float("inf"):
                break  # only the pool is left, and only an outside event could help it
            target = min(upcoming)
            if target > until:
                break
            self.now = max(self.now, target)
            if self.now >= next_flush:
                self.queue.flush_unschedulable_leftover(now=self.now)
                next_flush = self.now + 30.0
        return cycles

    def bound_count(self) -> int:
        return sum(1 for e in self.events if e.kind == "bound")
