"""Every node at once: the node-only filters and NodeResourcesFit as array arithmetic on
the cluster's usage arrays, and the first check of SelectVictimsOnNode likewise."""

from __future__ import annotations

from typing import Any

import numpy as np

from fmlab.k8s._status import Status
from fmlab.k8s.filters._base import CycleBase
from fmlab.k8s.filters._reasons import REASON_TOO_MANY_PODS, fit_status
from fmlab.k8s.filters._screen import PreemptionScreen


class AllNodes(CycleBase):
    """The every-node-at-once part of a cycle."""

    @property
    def vectorizable(self) -> bool:
        """Can :meth:`filter_all` decide this cycle with array arithmetic alone?

        Yes when no filter but the node-only ones and NodeResourcesFit depends on the node's
        pods: no affinity, anti-affinity or spread of the pod's own, no existing pod's
        anti-affinity matching it, and requests of cpu and memory only.
        """
        return (
            self._plain
            and self._counts_nothing
            and not self.existing_anti_counts
            and all(resource in ("cpu", "memory") for resource, _ in self._requests)
        )

    @property
    def fit_vectorizable(self) -> bool:
        """Can :meth:`filter_all_fit_first` run NodeResourcesFit as arrays (cpu, memory only)?"""
        return all(resource in ("cpu", "memory") for resource, _ in self._requests)

    def _statuses_by_pattern(self, pattern: Any) -> list[Status | None]:
        """One status per node from its shortfall bits (see :meth:`_fit_status_of`).

        Both array paths encode shortfalls this way; a status is built once per distinct
        pattern, not once per node.
        """
        by_pattern: dict[int, Status | None] = {0: None}
        for value in np.unique(pattern).tolist():
            if value:
                by_pattern[value] = self._fit_status_of(value)
        return [by_pattern[value] for value in pattern.tolist()]

    def _fit_status_of(self, value: int) -> Status:
        """The status a shortfall pattern stands for: bit 0 pods, bit k the k-th request,
        and the bit after those: some request exceeds what the node can allocate at all."""
        reasons = [REASON_TOO_MANY_PODS] if value & 1 else []
        reasons.extend(
            f"Insufficient {resource}"
            for bit, (resource, _) in enumerate(self._requests, start=1)
            if value & (1 << bit)
        )
        return fit_status(tuple(reasons), bool(value & self._too_big_bit))

    @property
    def _too_big_bit(self) -> int:
        return 1 << (len(self._requests) + 1)

    def _too_big(self) -> Any:
        """Per node, whether some request exceeds the node's allocatable amount, as a bit."""
        allocatable = self.cluster.usage.allocatable
        found = np.zeros(len(self.cluster.node_list), dtype=bool)
        for resource, amount in self._requests:
            found |= allocatable[resource] < amount
        return np.where(found, self._too_big_bit, 0)

    def filter_all_fit_first(
        self,
    ) -> tuple[np.ndarray[Any, np.dtype[np.bool_]], list[Status | None]]:
        """:meth:`filter_all` for any cycle whose requests are cpu and memory only.

        The node-only filters and NodeResourcesFit, which come first, are read from arrays;
        only nodes that pass both (and nodes with nominated pods) run the remaining
        filters one by one. In a full cluster that is few nodes.
        """
        cluster = self.cluster
        nodes = cluster.node_list
        usage = cluster.usage
        ok = self._static_mask().copy()
        pattern = np.where(usage.allocatable["pods"] - usage.used["pods"] >= 1, 0, 1)
        for bit, (resource, amount) in enumerate(self._requests, start=1):
            free = usage.allocatable[resource] - usage.used[resource]
            pattern = pattern | np.where(free >= amount, 0, 1 << bit)
        pattern = pattern | self._too_big()
        statuses = self._statuses_by_pattern(pattern)
        for index in np.flatnonzero(~ok).tolist():
            statuses[index] = self.static_status(nodes[index].node)
        ok &= pattern == 0
        one_by_one = set(np.flatnonzero(ok).tolist())
        one_by_one.update(
            cluster.nodes[name].index
            for name, pods in cluster.nominated.items()
            if pods and name in cluster.nodes
        )
        for index in sorted(one_by_one):
            status = self.filter_with_nominated(nodes[index])
            ok[index] = status.ok
            statuses[index] = None if status.ok else status
        return ok, statuses

    def filter_all(self) -> tuple[np.ndarray[Any, np.dtype[np.bool_]], list[Status | None]]:
        """Every node's verdict, as :meth:`filter_with_nominated` gives it, in node order.

        Returns a feasibility mask and, per node, its failing status (None where it fits).
        Only for :attr:`vectorizable` cycles; nodes with nominated pods are checked one by
        one, the rest as arrays.
        """
        cluster = self.cluster
        nodes = cluster.node_list
        static = self._static_mask()
        usage = cluster.usage
        # Nominated pods of equal or higher priority that no count depends on only add to
        # their node's usage (the stricter of the two passes); others are checked below.
        extra, unsure = self._nominated_extra()
        one_by_one = [nodes[index] for index in sorted(unsure)]
        free_pods = usage.allocatable["pods"] - usage.used["pods"] - extra["pods"]
        pods_ok = free_pods >= 1
        ok = static & pods_ok
        short: dict[str, np.ndarray[Any, np.dtype[np.bool_]]] = {}
        for resource, amount in self._requests:
            free = usage.allocatable[resource] - usage.used[resource] - extra[resource]
            enough = free >= amount
            short[resource] = ~enough
            ok &= enough
        # Each failing node's reasons as a bit pattern, one status per pattern.
        pattern = np.where(pods_ok, 0, 1)
        for bit, (resource, _) in enumerate(self._requests, start=1):
            pattern = pattern | np.where(short[resource], 1 << bit, 0)
        pattern = pattern | self._too_big()
        statuses = self._statuses_by_pattern(pattern)
        for index in np.flatnonzero(~static).tolist():
            statuses[index] = self.static_status(nodes[index].node)
        for info in one_by_one:
            status = self.filter_with_nominated(info)
            ok[info.index] = status.ok
            statuses[info.index] = None if status.ok else status
        return ok, statuses

    def preemption_screen(self) -> PreemptionScreen:
        """For every node, what SelectVictimsOnNode's first check would say (vectorizable cycles).

        That check removes every pod of lower priority and asks whether the pod then fits.
        Nodes with relevant nominated pods are left ``unsure`` for the full procedure.
        """
        if self._screen is not None:
            return self._screen
        cluster = self.cluster
        usage = cluster.usage
        extra, unsure = self._nominated_extra()
        below = usage.used_below(self.priority)
        has_victims = below["pods"] > 0
        left_pods = (
            usage.allocatable["pods"] - usage.used["pods"] + below["pods"] - extra["pods"] - 1
        )
        pattern = np.where(left_pods < 0, 1, 0)
        lefts = [left_pods]
        for bit, (resource, amount) in enumerate(self._requests, start=1):
            left = (
                usage.allocatable[resource]
                - usage.used[resource]
                + below[resource]
                - extra[resource]
                - amount
            )
            lefts.append(left)
            pattern = pattern | np.where(left < 0, 1 << bit, 0)
        pattern = pattern | self._too_big()
        room = [left.tolist() for left in lefts]
        failures: dict[int, Status] = {}
        for value in np.unique(pattern).tolist():
            if value:
                failures[value] = self._fit_status_of(value)
        self._screen = PreemptionScreen(
            has_victims.tolist(),
            pattern.tolist(),
            failures,
            unsure,
            room,
            self._static_mask().tolist(),
        )
        return self._screen

    def _nominated_extra(
        self,
    ) -> tuple[dict[str, np.ndarray[Any, np.dtype[np.int64]]], frozenset[int]]:
        """Per node, the usage of nominated pods of equal or higher priority (not this pod),
        and the nodes whose nominated pods this cycle must treat one by one."""
        if self._extra is not None:
            return self._extra
        cluster = self.cluster
        extra = cluster.nominated_usage.used_at_or_above(self.priority)
        own = cluster.nodes.get(self.pod.nominated_node_name)
        if own is not None and self.pod.key in cluster.nominated.get(own.name, {}):
            extra["pods"][own.index] -= 1
            extra["cpu"][own.index] -= self.pod.requests.get("cpu", 0)
            extra["memory"][own.index] -= self.pod.requests.get("memory", 0)
        unsure = frozenset(
            cluster.nodes[other.nominated_node_name].index
            for other in cluster.nominated_with_anti.values()
            if other.key != self.pod.key
            and other.effective_priority >= self.priority
            and other.nominated_node_name in cluster.nodes
            and self.is_relevant(other)
        )
        self._extra = (extra, unsure)
        return self._extra

    def _static_mask(self) -> np.ndarray[Any, np.dtype[np.bool_]]:
        cache = self.cluster.node_filter_cache("static-mask", self._signature)
        mask = cache.get("")
        if mask is None:
            mask = np.array(
                [self.static_status(info.node).ok for info in self.cluster.node_list], dtype=bool
            )
            cache[""] = mask
        return mask
