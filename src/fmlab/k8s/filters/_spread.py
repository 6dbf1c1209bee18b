"""PodTopologySpread with ``DoNotSchedule`` constraints: matching pods counted per domain,
the global minimum kept as kube-scheduler's two critical paths (PreFilter, AddPod,
RemovePod and Filter)."""

from __future__ import annotations

import dataclasses

from fmlab.k8s._model import Node, Pod, TopologySpreadConstraint
from fmlab.k8s._selectors import selector_matches
from fmlab.k8s._spread import CriticalPaths, SpreadConstraint, spread_constraint
from fmlab.k8s._status import Status, unresolvable, unschedulable
from fmlab.k8s.filters._base import CycleBase
from fmlab.k8s.filters._node import untolerated_taint
from fmlab.k8s.filters._reasons import REASON_SPREAD, REASON_SPREAD_LABEL, Pair


class PodTopologySpread(CycleBase):
    """The PodTopologySpread part of a cycle."""

    def _prefilter_spread(self) -> None:
        pod = self.pod
        self.constraints = tuple(
            spread_constraint(pod, c)
            for c in self.spread_constraints_of(pod)
            if c.when_unsatisfiable == "DoNotSchedule"
        )
        self.spread_counts: dict[Pair, int] = {}
        self.domains: dict[str, int] = {}
        self.paths: dict[str, CriticalPaths] = {}
        self._spread_eligible: dict[str, tuple[bool, ...]] = {}
        if not self.constraints:
            return
        nodes = self.cluster.nodes
        # Which nodes count, and so which domains exist, depends only on the nodes and on
        # fields in the cycle's signature: share both with later cycles.
        shared = (
            self._signature,
            tuple((c.key, c.honor_affinity, c.honor_taints) for c in self.constraints),
        )
        self._spread_eligible = self.cluster.node_filter_cache("spread-eligible", shared)
        domain_cache = self.cluster.node_filter_cache("spread-domains", shared)
        pairs: list[Pair] | None = domain_cache.get("")
        if pairs is None:
            pairs = []
            for info in nodes.values():
                eligible = self.spread_eligible(info.node)
                for constraint, ok in zip(self.constraints, eligible, strict=True):
                    if ok:
                        pairs.append((constraint.key, info.node.labels[constraint.key]))
            domain_cache[""] = pairs
        for pair in pairs:
            self.spread_counts.setdefault(pair, 0)
        for index, constraint in enumerate(self.constraints):
            for other in self.cluster.pods_possibly_matching(constraint.selector):
                if not self.spread_match(constraint, other):
                    continue
                self.relevant.add(other.key)
                node = nodes[other.node_name].node
                if self.spread_eligible(node)[index]:
                    self.spread_counts[(constraint.key, node.labels[constraint.key])] += 1
        for key, _ in self.spread_counts:
            self.domains[key] = self.domains.get(key, 0) + 1
        for constraint in self.constraints:
            self.paths[constraint.key] = CriticalPaths()
        for (key, value), count in self.spread_counts.items():
            self.paths[key].update(value, count)

    def spread_constraints_of(self, pod: Pod) -> tuple[TopologySpreadConstraint, ...]:
        """The pod's own constraints; without any, the profile's default constraints
        (``defaultingType: List``), whose selector is that of the Services, ReplicaSets,
        StatefulSets and ReplicationControllers selecting the pod (none: no constraint)."""
        if not self._spread_on:
            return ()
        if pod.spread_constraints:
            return pod.spread_constraints
        profile = self.profile
        if profile.defaulting_type != "List" or not profile.default_constraints:
            return ()
        selector = self.cluster.default_selector(pod)
        if selector is None:
            return ()
        return tuple(
            dataclasses.replace(c, label_selector=selector) for c in profile.default_constraints
        )

    def spread_eligible(self, node: Node) -> tuple[bool, ...]:
        """Per constraint: does this node's domain count for spreading?"""
        cached = self._spread_eligible.get(node.name)
        if cached is not None:
            return cached
        labels = node.labels
        if not all(c.key in labels for c in self.constraints):
            result = tuple(False for _ in self.constraints)
        else:
            affinity_ok = self._selectors_match(node)
            taints_ok = untolerated_taint(self.pod, node) is None
            result = tuple(
                (affinity_ok or not c.honor_affinity) and (taints_ok or not c.honor_taints)
                for c in self.constraints
            )
        self._spread_eligible[node.name] = result
        return result

    def spread_match(self, constraint: SpreadConstraint, other: Pod) -> bool:
        # Terminating pods are not counted; deviation: upstream's AddPod/RemovePod do not
        # check this, we apply the same rule everywhere so what-ifs stay consistent.
        return (
            other.namespace == self.pod.namespace
            and not other.terminating
            and selector_matches(constraint.selector, other.labels)
        )

    def _update_spread(self, other: Pod, node: Node, delta: int) -> None:
        if not self.constraints or other.namespace != self.pod.namespace:
            return
        eligible = self.spread_eligible(node)
        for constraint, ok in zip(self.constraints, eligible, strict=True):
            if ok and self.spread_match(constraint, other):
                pair = (constraint.key, node.labels[constraint.key])
                count = self.spread_counts.get(pair, 0) + delta
                self.spread_counts[pair] = count
                self.paths[constraint.key].update(pair[1], count)

    def _spread(self, node: Node) -> Status | None:
        labels = node.labels
        for constraint in self.constraints:
            value = labels.get(constraint.key)
            if value is None:
                return unresolvable("PodTopologySpread", REASON_SPREAD_LABEL)
            minimum = self.paths[constraint.key].minimum
            if self.domains.get(constraint.key, 0) < constraint.min_domains:
                minimum = 0
            own = 1 if selector_matches(constraint.selector, self.pod.labels) else 0
            skew = self.spread_counts.get((constraint.key, value), 0) + own - minimum
            if skew > constraint.max_skew:
                return unschedulable("PodTopologySpread", REASON_SPREAD)
        return None
