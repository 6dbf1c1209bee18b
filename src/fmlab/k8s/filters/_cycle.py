"""One scheduling cycle: the plugins' parts put together, the filters in the profile's
order, the nominated-pod passes, and what-ifs undone through a journal.

The node-only plugins at the head of the order (NodeUnschedulable, NodeName,
TaintToleration, NodeAffinity in the default profile) are decided once per node and
cached; the others run on the node as it is. Plugins that have nothing to do for the pod
(NodePorts without host ports, the volume plugins without volumes) are skipped, as their
PreFilter tells upstream's framework to skip them. PreFilter verdicts that concern every
node (NodeAffinity's node names, VolumeBinding's unbound claims) are applied before any
filter, as upstream does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fmlab.k8s._cluster import ClusterState, NodeInfo
from fmlab.k8s._model import UNSCHEDULABLE_TAINT, Node, Pod
from fmlab.k8s._profile import DEFAULT_PROFILE, Profile
from fmlab.k8s._selectors import tolerated
from fmlab.k8s._status import SUCCESS, Code, Status, unresolvable, unschedulable
from fmlab.k8s._terms import matches_all
from fmlab.k8s.filters._affinity import InterPodAffinity
from fmlab.k8s.filters._arrays import AllNodes
from fmlab.k8s.filters._fit import NodeResourcesFit
from fmlab.k8s.filters._node import node_matches_pod_selectors, untolerated_taint
from fmlab.k8s.filters._reasons import (
    REASON_ENFORCED_AFFINITY,
    REASON_NODE_AFFINITY,
    REASON_NODE_NAME,
    REASON_NODE_PORTS,
    REASON_UNSCHEDULABLE,
)
from fmlab.k8s.filters._spread import PodTopologySpread
from fmlab.k8s.filters._volumes import VolumePlugins

NODE_ONLY_PLUGINS = frozenset({"NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity"})
Check = Callable[[NodeInfo], "Status | None"]


def importance_key(pod: Pod, now: float) -> tuple[int, float]:
    """``MoreImportantPod`` as a sort key: higher priority first, then the earlier start.

    A pod without ``status.startTime`` counts as started now, the newest of all.
    """
    started = pod.start_seconds
    return (-pod.effective_priority, now if started is None else started)


class CycleState(InterPodAffinity, PodTopologySpread, NodeResourcesFit, VolumePlugins, AllNodes):
    """One scheduling cycle of ``pod`` on ``cluster``: PreFilter state plus the filters."""

    def __init__(self, cluster: ClusterState, pod: Pod, profile: Profile | None = None) -> None:
        self.cluster = cluster
        self.pod = pod
        self.profile = profile = profile or DEFAULT_PROFILE
        self.priority = pod.effective_priority
        enabled = set(profile.filters)
        self._affinity_on = "InterPodAffinity" in enabled
        self._spread_on = "PodTopologySpread" in enabled
        # The node-only filters depend on a few fields of the pod (and on the profile):
        # share their results with every cycle of a pod with the same fields.
        signature = (
            pod.node_name,
            tuple(sorted(pod.node_selector.items())),
            pod.node_affinity,
            pod.tolerations,
            profile,
        )
        self._signature = signature
        self._static: dict[str, Status] = cluster.node_filter_cache("static", signature)
        self._selector_cache: dict[str, bool] = cluster.node_filter_cache("selectors", signature)
        self._pending_relevance: dict[str, bool] = {}
        # Nominations do not change during a cycle: per node, the nominated pods that
        # count and whether all of them are irrelevant to this cycle's counts.
        self._nominated_cache: dict[str, tuple[list[Pod], bool]] = {}
        self._journal: list[tuple[bool, Pod, NodeInfo]] = []
        self._fit_on = "NodeResourcesFit" in enabled
        self._requests = [
            (r, a) for r, a in pod.requests.items() if a > 0 and not profile.ignores(r)
        ]
        self._requested_names = tuple(resource for resource, _ in self._requests)
        self._prefilter_affinity()
        self._prefilter_spread()
        self._prefilter_volumes("VolumeBinding" in enabled, "VolumeRestrictions" in enabled)
        self._prefilter_node_names()
        # No affinity, anti-affinity or spread of its own: only existing pods' anti-affinity
        # can involve other pods in this cycle.
        self._counts_nothing = not (self.affinity_terms or self.anti_terms or self.constraints)
        self._screen = None
        self._extra = None
        self._build_checks()

    # --- the plugins in order --------------------------------------------------------

    def _build_checks(self) -> None:
        """The profile's filters as node-only head (cached) and checks run per call."""
        order = list(self.profile.filters)
        head = 0
        while head < len(order) and order[head] in NODE_ONLY_PLUGINS:
            head += 1
        self._head = tuple(order[:head])
        applicable = self._applicable()
        self._checks: list[tuple[str, Check]] = [
            (name, self._check_of(name)) for name in order[head:] if name in applicable
        ]
        # The array and arithmetic shortcuts assume exactly the default tail: fit, then
        # spread (when the pod has constraints), then inter-pod affinity.
        expected = ["NodeResourcesFit"]
        if self.constraints:
            expected.append("PodTopologySpread")
        expected.append("InterPodAffinity")
        self._plain = [name for name, _ in self._checks] == expected

    def _applicable(self) -> set[str]:
        """The plugins with something to check for this pod (PreFilter did not skip them)."""
        found = set(NODE_ONLY_PLUGINS) | {"NodeResourcesFit", "InterPodAffinity"}
        if self.pod.host_ports:
            found.add("NodePorts")
        if self.constraints:
            found.add("PodTopologySpread")
        found.update(self.volume_plugins_applicable())
        return found

    def _check_of(self, name: str) -> Check:
        if name in NODE_ONLY_PLUGINS:
            return lambda info: self._node_only(name, info.node)
        checks: dict[str, Check] = {
            "NodePorts": self._ports,
            "NodeResourcesFit": self._fit,
            "PodTopologySpread": lambda info: self._spread(info.node),
            "InterPodAffinity": self._affinity_check,
        }
        return checks.get(name) or self.volume_check(name)

    def _affinity_check(self, info: NodeInfo) -> Status | None:
        status = self._inter_pod_affinity(info.node)
        return None if status.ok else status

    def _ports(self, info: NodeInfo) -> Status | None:
        wanted = self.pod.host_ports
        for other in info.pods.values():
            for used in other.host_ports:
                if any(port.conflicts(used) for port in wanted):
                    return unschedulable("NodePorts", REASON_NODE_PORTS)
        return None

    def _prefilter_node_names(self) -> None:
        """NodeAffinity's PreFilter: terms naming nodes by ``metadata.name`` (``In``) narrow
        the cycle to those nodes; when every term does and they share no name, nothing fits.
        Combined with VolumeBinding's eligible nodes (local volumes) as upstream merges them.
        """
        self.prefilter_rejection: Status | None = self.volume_prefilter_rejection()
        self.allowed_nodes: frozenset[str] | None = None
        self._absent = SUCCESS
        if self.prefilter_rejection is not None:
            return
        narrowing: list[tuple[str, frozenset[str]]] = []
        affinity = self.pod.node_affinity
        if affinity is not None and affinity.terms and "NodeAffinity" in self.profile.filters:
            names: set[str] | None = set()
            for term in affinity.terms:
                in_term: set[str] | None = None
                for r in term.match_fields:
                    if r.key == "metadata.name" and r.operator == "In":
                        in_term = set(r.values) if in_term is None else in_term & set(r.values)
                if in_term is None:
                    names = None
                    break
                assert names is not None
                names |= in_term
            if names is not None and not names:
                self.prefilter_rejection = unresolvable(
                    "NodeAffinity", "pod affinity terms conflict"
                )
                return
            if names is not None:
                narrowing.append(("NodeAffinity", frozenset(names)))
        narrowing.extend(self.volume_eligible_nodes())
        if not narrowing:
            return
        allowed = narrowing[0][1]
        plugins = [narrowing[0][0]]
        for plugin, names_found in narrowing[1:]:
            allowed &= names_found
            plugins.append(plugin)
            if not allowed:
                break
        if not allowed:
            message = (
                f"node(s) didn't satisfy plugin {plugins[0]}"
                if len(plugins) == 1
                else f"node(s) didn't satisfy plugin(s) [{' '.join(plugins)}] simultaneously"
            )
            self.prefilter_rejection = unschedulable(plugins[-1], message)
            return
        self.allowed_nodes = allowed
        self._absent_plugins = tuple(sorted(set(plugins)))
        self._absent = unresolvable(
            self._absent_plugins[0],
            f"node(s) didn't satisfy plugin(s) [{' '.join(self._absent_plugins)}]",
        )

    @property
    def prefilter_message(self) -> str:
        """The PreFilter rejection that replaces every node's reasons, or ``""``."""
        rejection = self.prefilter_rejection
        return ", ".join(rejection.reasons) if rejection is not None else ""

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
        if self.prefilter_rejection is not None:
            return self.prefilter_rejection
        if self.allowed_nodes is not None and node.name not in self.allowed_nodes:
            return self._absent
        for name in self._head:
            status = self._node_only(name, node)
            if status is not None:
                return status
        return SUCCESS

    def _node_only(self, name: str, node: Node) -> Status | None:
        pod = self.pod
        if name == "NodeUnschedulable":
            if node.unschedulable and not tolerated(pod.tolerations, UNSCHEDULABLE_TAINT):
                return unresolvable("NodeUnschedulable", REASON_UNSCHEDULABLE)
        elif name == "NodeName":
            if pod.node_name and pod.node_name != node.name:
                return unresolvable("NodeName", REASON_NODE_NAME)
        elif name == "TaintToleration":
            taint = untolerated_taint(pod, node)
            if taint is not None:
                return unresolvable("TaintToleration", taint)
        elif name == "NodeAffinity":
            added = self.profile.added_affinity
            if added is not None and not added.matches(node.name, node.labels):
                return unresolvable("NodeAffinity", REASON_ENFORCED_AFFINITY)
            if not self._selectors_match(node):
                return unresolvable("NodeAffinity", REASON_NODE_AFFINITY)
        return None

    def filter(self, info: NodeInfo) -> Status:
        """Run every filter on ``info`` as it is now; the first failure is the answer."""
        static = self.static_status(info.node)
        if not static.ok:
            return static
        for _, check in self._checks:
            status = check(info)
            if status is not None:
                return status
        return SUCCESS

    def filter_each(self, info: NodeInfo) -> dict[str, Status]:
        """Every filter plugin's own verdict on ``info``, in profile order, as if each ran
        alone (kube-scheduler stops at the first failure; this goes on), with the
        nominated-pod passes of :meth:`filter_with_nominated` applied plugin by plugin."""
        extra = self.nominated_here(info)
        if not extra:
            return self._each(info)
        token = self.checkpoint()
        try:
            for other in extra:
                self.add_pod(other, info)
            with_nominated = self._each(info)
        finally:
            self.rollback(token)
        alone = self._each(info)
        return {
            name: with_nominated[name] if not with_nominated[name].ok else status
            for name, status in alone.items()
        }

    def _each(self, info: NodeInfo) -> dict[str, Status]:
        node = info.node
        result = dict.fromkeys(self.profile.filters, SUCCESS)
        rejection = self.prefilter_rejection
        if rejection is not None:
            result[rejection.plugin] = rejection
            return result
        if self.allowed_nodes is not None and node.name not in self.allowed_nodes:
            for plugin in self._absent_plugins:
                result[plugin] = Status(
                    Code.UNSCHEDULABLE_AND_UNRESOLVABLE, plugin, self._absent.reasons
                )
            return result
        for name in self._head:
            result[name] = self._node_only(name, node) or SUCCESS
        for name, check in self._checks:
            result[name] = check(info) or SUCCESS
        return result

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
        if shortcut and irrelevant and self._plain:
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
        if not self._plain:
            return True  # ports or volumes may involve it: never take a shortcut
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
        if not self._plain:
            return False
        relevant = self.relevant
        return all(p.node_name and p.key not in relevant for p in pods)
