"""The Filter plugins, run for one pending pod the way kube-scheduler runs them.

:class:`CycleState` is one scheduling cycle for one pod. It precomputes what the
InterPodAffinity and PodTopologySpread plugins need (their PreFilter), keeps those
counts right when pods are added to or removed from a node (their AddPod/RemovePod
extensions), and runs the filters in the default profile's order, stopping at the
first that fails:

NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodeResourcesFit,
PodTopologySpread (``DoNotSchedule`` constraints), InterPodAffinity (required terms).

What-ifs change the real cluster and are undone with :meth:`CycleState.checkpoint` and
:meth:`CycleState.rollback`, so preemption never copies a node or the cluster.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from fmlab.k8s.cluster import ClusterState, NodeInfo
from fmlab.k8s.model import UNSCHEDULABLE_TAINT, Node, Pod
from fmlab.k8s.selectors import selector_matches, tolerated
from fmlab.k8s.spread import CriticalPaths, SpreadConstraint, spread_constraint
from fmlab.k8s.status import SUCCESS, Status, unresolvable, unschedulable
from fmlab.k8s.terms import ResolvedTerm, matches_all, resolve_term

# Reasons, as kube-scheduler words them (they appear in FitError messages).
REASON_UNSCHEDULABLE = "node(s) were unschedulable"
REASON_NODE_NAME = "node(s) didn't match the requested node name"
REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector"
REASON_AFFINITY = "node(s) didn't match pod affinity rules"
REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules"
REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules"
REASON_SPREAD_LABEL = (
    "node(s) didn't match pod topology spread constraints (missing required label)"
)
REASON_SPREAD = "node(s) didn't match pod topology spread constraints"
REASON_TOO_MANY_PODS = "Too many pods"

Pair = tuple[str, str]


def node_matches_pod_selectors(pod: Pod, node: Node) -> bool:
    """``nodeSelector`` and required node affinity, as the NodeAffinity plugin checks them."""
    labels = node.labels
    for key, value in pod.node_selector.items():
        if labels.get(key) != value:
            return False
    return pod.node_affinity is None or pod.node_affinity.matches(node.name, labels)


def untolerated_taint(pod: Pod, node: Node) -> str | None:
    for taint in node.taints:
        if taint.effect in ("NoSchedule", "NoExecute") and not tolerated(pod.tolerations, taint):
            return f"node(s) had untolerated taint {{{taint.key}: {taint.value}}}"
    return None


def importance_key(pod: Pod, now: float) -> tuple[int, float]:
    """``MoreImportantPod`` as a sort key: higher priority first, then the earlier start.

    A pod without ``status.startTime`` counts as started now, the newest of all.
    """
    started = pod.start_seconds
    return (-pod.effective_priority, now if started is None else started)


@dataclass(frozen=True)
class PreemptionScreen:
    """Per node (by index): lower-priority pods present, and the fit once they are gone.

    ``pattern`` is 0 where the pod would fit, else a bit pattern of the fit failure whose
    status is in ``failures``. Nodes in ``unsure`` need the full procedure. ``room`` holds
    per node (the columns: free pod slots, then the free amount of each requested
    resource) what :meth:`CycleState.room_without` returns with every lower-priority pod
    removed and the nominated pods added, once the pod is placed. ``static_ok`` is the
    node-only filters' verdict. All are plain lists: the dry run reads them node by node,
    where indexing numpy arrays one element at a time would cost more.
    """

    has_victims: list[bool]
    pattern: list[int]
    failures: dict[int, Status]
    unsure: frozenset[int]
    room: list[list[int]]
    static_ok: list[bool]

    def room_of(self, index: int) -> list[int]:
        return [column[index] for column in self.room]


# --- the cycle ------------------------------------------------------------------------


class CycleState:
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
        self._screen: PreemptionScreen | None = None
        self._extra: (
            tuple[dict[str, np.ndarray[Any, np.dtype[np.int64]]], frozenset[int]] | None
        ) = None

    # --- InterPodAffinity PreFilter --------------------------------------------------

    def resolve(self, owner: Pod, terms: tuple[object, ...]) -> tuple[ResolvedTerm, ...]:
        cluster = self.cluster
        return tuple(
            resolve_term(owner, t, lambda: cluster.namespace_names, cluster.namespace_labels)  # type: ignore[arg-type]
            for t in terms
        )

    def _prefilter_affinity(self) -> None:
        pod = self.pod
        self.affinity_terms = self.resolve(pod, pod.affinity_terms)
        self.anti_terms = self.resolve(pod, pod.anti_affinity_terms)
        self.affinity_counts: dict[Pair, int] = {}
        self.anti_counts: dict[Pair, int] = {}
        self.existing_anti_counts: dict[Pair, int] = {}
        self._resolved_cache: dict[str, tuple[ResolvedTerm, ...]] = {}
        # Bound pods whose presence changes a count of this cycle; adding or removing any
        # other bound pod only touches its node's resource sums.
        self.relevant: set[str] = set()
        nodes = self.cluster.nodes
        for info in self.cluster.nodes_with_anti_affinity.values():
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

    # --- PodTopologySpread PreFilter -------------------------------------------------

    def _prefilter_spread(self) -> None:
        pod = self.pod
        self.constraints = tuple(
            spread_constraint(pod, c)
            for c in pod.spread_constraints
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

    # --- every node at once ---------------------------------------------------------

    @property
    def vectorizable(self) -> bool:
        """Can :meth:`filter_all` decide this cycle with array arithmetic alone?

        Yes when no filter but the node-only ones and NodeResourcesFit depends on the node's
        pods: no affinity, anti-affinity or spread of the pod's own, no existing pod's
        anti-affinity matching it, and requests of cpu and memory only.
        """
        return (
            self._counts_nothing
            and not self.existing_anti_counts
            and all(resource in ("cpu", "memory") for resource, _ in self._requests)
        )

    @property
    def fit_vectorizable(self) -> bool:
        """Can :meth:`filter_all_fit_first` run NodeResourcesFit as arrays (cpu, memory only)?"""
        return all(resource in ("cpu", "memory") for resource, _ in self._requests)

    def _statuses_by_pattern(self, pattern: Any) -> list[Status | None]:
        """One status per node from its shortfall bits (bit 0 pods, bit k the k-th request).

        Both array paths encode shortfalls this way; a status is built once per distinct
        pattern, not once per node.
        """
        by_pattern: dict[int, Status | None] = {0: None}
        for value in np.unique(pattern).tolist():
            if value:
                reasons = [REASON_TOO_MANY_PODS] if value & 1 else []
                reasons.extend(
                    f"Insufficient {resource}"
                    for bit, (resource, _) in enumerate(self._requests, start=1)
                    if value & (1 << bit)
                )
                by_pattern[value] = _fit_status(tuple(reasons))
        return [by_pattern[value] for value in pattern.tolist()]

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
        room = [left.tolist() for left in lefts]
        failures: dict[int, Status] = {}
        for value in np.unique(pattern).tolist():
            if value:
                reasons = [REASON_TOO_MANY_PODS] if value & 1 else []
                reasons.extend(
                    f"Insufficient {resource}"
                    for bit, (resource, _) in enumerate(self._requests, start=1)
                    if value & (1 << bit)
                )
                failures[value] = _fit_status(tuple(reasons))
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

    # --- the shortcut for pods no count depends on ----------------------------------

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

    def room_without(
        self, info: NodeInfo, removed: Sequence[Pod], added: Sequence[Pod] = ()
    ) -> tuple[Status, list[int]]:
        """``filter`` as if ``removed`` were gone and ``added`` were there.

        Only for pods no count of this cycle depends on (see :meth:`is_relevant`).

        Also returns the room left once the pod is placed: free pod slots first, then the
        free amount of each resource the pod requests, in ``self.requested_resources``.
        """
        static = self._static.get(info.name) or self.static_status(info.node)
        if static is not SUCCESS and not static.ok:
            return static, []
        allocatable = info.node.allocatable
        room = [allocatable.get("pods", 0) - (len(info.pods) - len(removed) + len(added)) - 1]
        reasons = [REASON_TOO_MANY_PODS] if room[0] < 0 else []
        requested = info.requested
        for resource, amount in self._requests:
            left = allocatable.get(resource, 0) - requested.get(resource, 0) - amount
            for other in removed:
                left += other.requests.get(resource, 0)
            for other in added:
                left -= other.requests.get(resource, 0)
            room.append(left)
            if left < 0:
                reasons.append(f"Insufficient {resource}")
        if reasons:
            return _fit_status(tuple(reasons)), room
        if self.constraints:
            spread = self._spread(info.node)
            if spread is not None:
                return spread, room
        return self._inter_pod_affinity(info.node), room

    @property
    def requested_resources(self) -> tuple[str, ...]:
        return self._requested_names

    def _fit(self, info: NodeInfo) -> Status | None:
        reasons: list[str] = []
        allocatable = info.node.allocatable
        if len(info.pods) + 1 > allocatable.get("pods", 0):
            reasons.append(REASON_TOO_MANY_PODS)
        requested = info.requested
        for resource, amount in self._requests:
            if amount > allocatable.get(resource, 0) - requested.get(resource, 0):
                reasons.append(f"Insufficient {resource}")
        return _fit_status(tuple(reasons)) if reasons else None

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


_FIT_STATUSES: dict[tuple[str, ...], Status] = {}


def _fit_status(reasons: tuple[str, ...]) -> Status:
    # Statuses are immutable: share one per set of reasons instead of building millions.
    found = _FIT_STATUSES.get(reasons)
    if found is None:
        found = unschedulable("NodeResourcesFit", *reasons)
        if len(_FIT_STATUSES) < 1024:
            _FIT_STATUSES[reasons] = found
    return found


def _bump(counts: dict[Pair, int], pair: Pair, delta: int) -> None:
    value = counts.get(pair, 0) + delta
    if value == 0:
        counts.pop(pair, None)
    else:
        counts[pair] = value
