"""One scheduling cycle: the plugins' parts put together, the filters in the default
profile's order, the nominated-pod passes, and what-ifs undone through a journal."""

from __future__ import annotations

from collections.abc import Sequence

from fmlab.k8s._cluster import ClusterState, NodeInfo
from fmlab.k8s._model import UNSCHEDULABLE_TAINT, Node, Pod
from fmlab.k8s._selectors import tolerated
from fmlab.k8s._status import SUCCESS, Status, unresolvable
from fmlab.k8s._terms import matches_all
from fmlab.k8s.filters._affinity import InterPodAffinity
from fmlab.k8s.filters._arrays import AllNodes
from fmlab.k8s.filters._fit import NodeResourcesFit
from fmlab.k8s.filters._node import node_matches_pod_selectors, untolerated_taint
from fmlab.k8s.filters._reasons import REASON_NODE_AFFINITY, REASON_NODE_NAME, REASON_UNSCHEDULABLE
from fmlab.k8s.filters._spread import PodTopologySpread


def importance_key(pod: Pod, now: float) -> tuple[int, float]:
    """``MoreImportantPod`` as a sort key: higher priority first, then the earlier start.

    A pod without ``status.startTime`` counts as started now, the newest of all.
    """
    started = pod.start_seconds
    return (-pod.effective_priority, now if started is None else started)


class CycleState(InterPodAffinity, PodTopologySpread, NodeResourcesFit, AllNodes):
    """One scheduling cycle of ``pod`` on ``cluster``: PreFilter state plus the filters."""

    def __init__(self, cluster: ClusterState, pod: Pod) -> None:
        self.cluster = cluster
        self.pod = pod
        self.priority = pod.effective_priority
        # The node-only filters depend on a few fields of the pod: share their results
        # with every cycle of a pod with the same fields.
        signature = (
            pod.node_name,
            tuple(sorted(pod.node_selector.items())),
            pod.node_affinity,
            pod.tolerations,
        )
        self._signature = signature
        self._static: dict[str, Status] = cluster.node_filter_cache("static", signature)
        self._selector_cache: dict[str, bool] = cluster.node_filter_cache("selectors", signature)
        self._pending_relevance: dict[str, bool] = {}
        # Nominations do not change during a cycle: per node, the nominated pods that
        # count and whether all of them are irrelevant to this cycle's counts.
        self._nominated_cache: dict[str, tuple[list[Pod], bool]] = {}
        self._journal: list[tuple[bool, Pod, NodeInfo]] = []
        self._requests = [(r, a) for r, a in pod.requests.items() if a > 0]
        self._requested_names = tuple(resource for resource, _ in self._requests)
        self._prefilter_affinity()
        self._prefilter_spread()
        # No affinity, anti-affinity or spread of its own: only existing pods' anti-affinity
        # can involve other pods in this cycle.
        self._counts_nothing = not (self.affinity_terms or self.anti_terms or self.constraints)
        self._screen = None
        self._extra = None

    # --- what-ifs --------------------------------------------------------------------

    def add_pod(self, other: Pod, info: NodeInfo) -> None:
        """Place ``other`` on ``info``'s node, keeping every plugin's counts right."""
        self._apply(True, other, info)
        self._journal.append((True, other, info))

    def remove_pod(self, other: Pod, info: NodeInfo) -> None:
        self._apply(False, other, info)
        self._journal.append((False, other, info))

    def _apply(self, adding: bool, other: Pod, info: NodeInfo) -> None:
        delta = 1 if adding else -1
        if adding:
            info.add(other)
        else:
            info.remove(other)
        if other.node_name and other.key not in self.relevant:
            return  # counted nowhere but in the node's resource sums
        if other.anti_affinity_terms:
            self._count_existing_anti(other, info.node, delta)
        if self.affinity_terms or self.anti_terms:
            self._count_incoming(other, info.node, delta)
        self._update_spread(other, info.node, delta)

    def checkpoint(self) -> tuple[int, dict[str, object]]:
        return len(self._journal), {k: p.snapshot() for k, p in self.paths.items()}

    def rollback(self, token: tuple[int, dict[str, object]]) -> None:
        length, paths = token
        while len(self._journal) > length:
            adding, other, info = self._journal.pop()
            self._apply(not adding, other, info)
        for key, saved in paths.items():
            self.paths[key].restore(saved)  # type: ignore[arg-type]

    # --- the filters -----------------------------------------------------------------

    def static_status(self, node: Node) -> Status:
        """The filters that depend only on the node, cached for the cycle."""
        found = self._static.get(node.name)
        if found is None:
            found = self._compute_static(node)
            self._static[node.name] = found
        return found

    def _selectors_match(self, node: Node) -> bool:
        found = self._selector_cache.get(node.name)
        if found is None:
            found = node_matches_pod_selectors(self.pod, node)
            self._selector_cache[node.name] = found
        return found

    def _compute_static(self, node: Node) -> Status:
        pod = self.pod
        if node.unschedulable and not tolerated(pod.tolerations, UNSCHEDULABLE_TAINT):
            return unresolvable("NodeUnschedulable", REASON_UNSCHEDULABLE)
        if pod.node_name and pod.node_name != node.name:
            return unresolvable("NodeName", REASON_NODE_NAME)
        taint = untolerated_taint(pod, node)
        if taint is not None:
            return unresolvable("TaintToleration", taint)
        if not self._selectors_match(node):
            return unresolvable("NodeAffinity", REASON_NODE_AFFINITY)
        return SUCCESS

    def filter(self, info: NodeInfo) -> Status:
        """Run every filter on ``info`` as it is now; the first failure is the answer."""
        static = self.static_status(info.node)
        if not static.ok:
            return static
        fit = self._fit(info)
        if fit is not None:
            return fit
        if self.constraints:
            spread = self._spread(info.node)
            if spread is not None:
                return spread
        return self._inter_pod_affinity(info.node)

    def filter_with_nominated(self, info: NodeInfo, *, shortcut: bool = True) -> Status:
        """``RunFilterPluginsWithNominatedPods``: with equal-or-higher nominated pods, then without.

        Both passes must succeed; the first is skipped when no such pod is nominated here.
        """
        cached = self._nominated_cache.get(info.name)
        if cached is None:
            extra = self.nominated_here(info)
            cached = (extra, not any(self.is_relevant(other) for other in extra))
            self._nominated_cache[info.name] = cached
        extra, irrelevant = cached
        if not extra:
            return self.filter(info)
        if shortcut and irrelevant:
            # The nominated pods change only resource sums: the pass with them is the
            # stricter one, and every other filter reads the same counts in both passes.
            status, _ = self.room_without(info, (), extra)
            return status
        token = self.checkpoint()
        try:
            for other in extra:
                self.add_pod(other, info)
            status = self.filter(info)
            if not status.ok:
                return status
        finally:
            self.rollback(token)
        return self.filter(info)

    # --- nominated pods and relevance ------------------------------------------------

    def nominated_here(self, info: NodeInfo) -> list[Pod]:
        """Other pods of equal or higher priority nominated to this node."""
        nominated = self.cluster.nominated.get(info.name)
        if not nominated:
            return []
        return [
            other
            for other in nominated.values()
            if other.key != self.pod.key and other.effective_priority >= self.priority
        ]

    def is_relevant(self, other: Pod) -> bool:
        """Would adding or removing ``other`` change a count of this cycle?"""
        if other.node_name:
            return other.key in self.relevant
        if self._counts_nothing and not other.anti_affinity_terms:
            return False  # this cycle keeps no counts, and the pod guards against nobody
        found = self._pending_relevance.get(other.key)
        if found is None:
            found = (
                any(term.matches(self.pod) for term in self._resolved_anti(other))
                or (bool(self.affinity_terms) and matches_all(self.affinity_terms, other))
                or any(term.matches(other) for term in self.anti_terms)
                or any(self.spread_match(c, other) for c in self.constraints)
            )
            self._pending_relevance[other.key] = found
        return found

    def independent_of(self, pods: Sequence[Pod]) -> bool:
        """True when adding or removing ``pods`` changes nothing but resource sums."""
        relevant = self.relevant
        return all(p.node_name and p.key not in relevant for p in pods)
