"""InterPodAffinity: required affinity and anti-affinity, the pod's own and existing
pods' anti-affinity, kept as counts per topology pair (PreFilter, AddPod, RemovePod and
Filter)."""

from __future__ import annotations

from collections.abc import Mapping

from fmlab.k8s._model import Node, Pod
from fmlab.k8s._status import SUCCESS, Status, unresolvable, unschedulable
from fmlab.k8s._terms import ResolvedTerm, matches_all, resolve_term
from fmlab.k8s.filters._base import CycleBase
from fmlab.k8s.filters._reasons import (
    REASON_AFFINITY,
    REASON_ANTI_AFFINITY,
    REASON_EXISTING_ANTI_AFFINITY,
    Pair,
)


class InterPodAffinity(CycleBase):
    """The InterPodAffinity part of a cycle."""

    def resolve(self, owner: Pod, terms: tuple[object, ...]) -> tuple[ResolvedTerm, ...]:
        cluster = self.cluster
        return tuple(
            resolve_term(owner, t, lambda: cluster.namespace_names, cluster.namespace_labels)  # type: ignore[arg-type]
            for t in terms
        )

    def _prefilter_affinity(self) -> None:
        pod = self.pod
        on = self._affinity_on
        self.affinity_terms = self.resolve(pod, pod.affinity_terms) if on else ()
        self.anti_terms = self.resolve(pod, pod.anti_affinity_terms) if on else ()
        self.affinity_counts: dict[Pair, int] = {}
        self.anti_counts: dict[Pair, int] = {}
        self.existing_anti_counts: dict[Pair, int] = {}
        self._resolved_cache: dict[str, tuple[ResolvedTerm, ...]] = {}
        # Bound pods whose presence changes a count of this cycle; adding or removing any
        # other bound pod only touches its node's resource sums.
        self.relevant: set[str] = set()
        nodes = self.cluster.nodes
        for info in self.cluster.nodes_with_anti_affinity.values() if on else ():
            for other in info.anti_affinity_pods.values():
                if self._count_existing_anti(other, info.node, 1):
                    self.relevant.add(other.key)
        incoming: dict[str, Pod] = {}
        if self.affinity_terms:
            for other in self.cluster.pods_possibly_matching(self.affinity_terms[0].selector):
                incoming[other.key] = other
        for term in self.anti_terms:
            for other in self.cluster.pods_possibly_matching(term.selector):
                incoming[other.key] = other
        for other in incoming.values():
            if self._count_incoming(other, nodes[other.node_name].node, 1):
                self.relevant.add(other.key)
        self.self_affinity = bool(self.affinity_terms) and matches_all(self.affinity_terms, pod)

    def _resolved_anti(self, other: Pod) -> tuple[ResolvedTerm, ...]:
        found = self._resolved_cache.get(other.key)
        if found is None:
            # Terms without a namespace selector resolve the same in every cycle; the
            # cluster keeps those (keyed by the pod object, so a replaced pod is redone).
            shared = self.cluster.resolved_terms
            entry = shared.get(other.key)
            if entry is not None and entry[0] is other:
                found = entry[1]
            else:
                found = self.resolve(other, other.anti_affinity_terms)
                if all(t.namespace_selector is None for t in other.anti_affinity_terms):
                    shared[other.key] = (other, found)
            self._resolved_cache[other.key] = found
        return found

    def _count_existing_anti(self, other: Pod, node: Node, delta: int) -> bool:
        if not self._affinity_on:
            return False
        touched = False
        for term in self._resolved_anti(other):
            if term.matches(self.pod):
                touched = True
                value = node.labels.get(term.topology_key)
                if value is not None:
                    _bump(self.existing_anti_counts, (term.topology_key, value), delta)
        return touched

    def _count_incoming(self, other: Pod, node: Node, delta: int) -> bool:
        touched = False
        labels = node.labels
        if self.affinity_terms and matches_all(self.affinity_terms, other):
            touched = True
            for term in self.affinity_terms:
                value = labels.get(term.topology_key)
                if value is not None:
                    _bump(self.affinity_counts, (term.topology_key, value), delta)
        for term in self.anti_terms:
            if term.matches(other):
                touched = True
                value = labels.get(term.topology_key)
                if value is not None:
                    _bump(self.anti_counts, (term.topology_key, value), delta)
        return touched

    def _inter_pod_affinity(self, node: Node) -> Status:
        labels = node.labels
        if self.affinity_terms and not self._affinity_ok(labels):
            return unresolvable("InterPodAffinity", REASON_AFFINITY)
        for term in self.anti_terms:
            value = labels.get(term.topology_key)
            if value is not None and self.anti_counts.get((term.topology_key, value), 0) > 0:
                return unschedulable("InterPodAffinity", REASON_ANTI_AFFINITY)
        if self.existing_anti_counts:
            for pair in labels.items():
                if self.existing_anti_counts.get(pair, 0) > 0:
                    return unschedulable("InterPodAffinity", REASON_EXISTING_ANTI_AFFINITY)
        return SUCCESS

    def _affinity_ok(self, labels: Mapping[str, str]) -> bool:
        pods_exist = True
        for term in self.affinity_terms:
            value = labels.get(term.topology_key)
            if value is None:
                return False  # every topology label must exist on the node
            if self.affinity_counts.get((term.topology_key, value), 0) <= 0:
                pods_exist = False
        if pods_exist:
            return True
        # The first pod of a group with affinity to itself may go anywhere, provided no
        # pod in the cluster matches its terms yet.
        return not self.affinity_counts and self.self_affinity


def _bump(counts: dict[Pair, int], pair: Pair, delta: int) -> None:
    value = counts.get(pair, 0) + delta
    if value == 0:
        counts.pop(pair, None)
    else:
        counts[pair] = value
