"""The scheduler's view of a cluster, indexed so that a decision never rescans it.

Each node keeps its pods and the running sum of their requests (:class:`NodeInfo`);
pending pods that carry a ``nominatedNodeName`` are indexed by that node; pods with
required anti-affinity are indexed by node, because every pending pod has to check them.
Nothing here is copied per what-if: callers add and remove pods and undo their changes.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from fmlab.core.errors import InputError
from fmlab.k8s._admission import AdmissionError, PriorityAdmission
from fmlab.k8s._bulk import paused_garbage_collection
from fmlab.k8s._manifests import Manifests, load_manifests
from fmlab.k8s._model import Node, Pod, PodDisruptionBudget, Workload
from fmlab.k8s._selectors import LabelSelector, Requirement
from fmlab.k8s._storage import Claim, CSINode, Storage, StorageClass, Volume

_TERMINAL_PHASES = ("Succeeded", "Failed")
_PRIORITY = operator.attrgetter("priority")
_NODE_NAME = operator.attrgetter("node_name")
_PHASE = operator.attrgetter("phase")


class Usage:
    """cpu, memory and pod counts of every node as arrays, for filters over all nodes at once.

    Row ``i`` is the ``i``-th node of the cluster; :class:`NodeInfo` keeps its row current.
    """

    def __init__(self, nodes: list[Node]) -> None:
        def column(resource: str) -> np.ndarray[Any, np.dtype[np.int64]]:
            return np.array([n.allocatable.get(resource, 0) for n in nodes], dtype=np.int64)

        self.allocatable = {r: column(r) for r in VECTOR_RESOURCES}
        self.used = {r: np.zeros(len(nodes), dtype=np.int64) for r in VECTOR_RESOURCES}
        # The same sums split by pod priority, for "what if every lower pod were gone".
        self.by_priority: dict[int, dict[str, np.ndarray[Any, np.dtype[np.int64]]]] = {}
        self._size = len(nodes)

    def bucket(self, priority: int) -> dict[str, np.ndarray[Any, np.dtype[np.int64]]]:
        found = self.by_priority.get(priority)
        if found is None:
            found = {r: np.zeros(self._size, dtype=np.int64) for r in VECTOR_RESOURCES}
            self.by_priority[priority] = found
        return found

    def used_below(self, priority: int) -> dict[str, np.ndarray[Any, np.dtype[np.int64]]]:
        """Per node, what pods of priority strictly below ``priority`` use."""
        return self._sum(lambda level: level < priority)

    def used_at_or_above(self, priority: int) -> dict[str, np.ndarray[Any, np.dtype[np.int64]]]:
        return self._sum(lambda level: level >= priority)

    def _sum(self, keep: Callable[[int], bool]) -> dict[str, np.ndarray[Any, np.dtype[np.int64]]]:
        total = {r: np.zeros(self._size, dtype=np.int64) for r in VECTOR_RESOURCES}
        for level, arrays in self.by_priority.items():
            if keep(level):
                for resource in VECTOR_RESOURCES:
                    total[resource] += arrays[resource]
        return total


VECTOR_RESOURCES = ("cpu", "memory", "pods")
# Pods built one by one carry label maps of their own; past this many distinct maps the
# identity memo of _add_many is dropped (it would cost a lookup per pod and save none).
_LABEL_MAPS_REMEMBERED = 4096
_CPU_MEMORY = frozenset({"cpu", "memory"})


def _sum_by_row(
    rows: np.ndarray[Any, np.dtype[np.int64]],
    values: np.ndarray[Any, np.dtype[np.int64]],
    size: int,
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Per row, the sum of ``values`` (exact integers: ``np.add.at``, not float bincount)."""
    total = np.zeros(size, dtype=np.int64)
    np.add.at(total, rows, values)
    return total


class NodeInfo:
    """One node, its pods (in arrival order) and the sums of their requests."""

    __slots__ = (
        "anti_affinity_pods",
        "anti_registry",
        "index",
        "node",
        "pods",
        "requested",
        "usage",
        "version",
    )

    def __init__(
        self,
        node: Node,
        usage: Usage | None = None,
        index: int = -1,
        anti_registry: dict[str, NodeInfo] | None = None,
    ) -> None:
        self.node = node
        # Shared by the cluster's nodes: those holding a pod with anti-affinity, so that a
        # cycle need not look at every node to find them.
        self.anti_registry = anti_registry
        self.pods: dict[str, Pod] = {}
        self.requested: dict[str, int] = {}
        self.anti_affinity_pods: dict[str, Pod] = {}
        self.usage = usage
        self.index = index
        # Bumped by every add and remove, so results computed from the pods can be reused
        # while it stays the same.
        self.version = 0

    @property
    def name(self) -> str:
        return self.node.name

    def add(self, pod: Pod) -> None:
        self.add_unsynced(pod)
        if self.usage is not None:
            self._sync(pod, 1)

    def add_unsynced(self, pod: Pod) -> None:
        """:meth:`add` without the usage arrays, for callers that sum those in bulk."""
        self.version += 1
        self.pods[pod.key] = pod
        requested = self.requested
        for resource, amount in pod.requests.items():
            requested[resource] = requested.get(resource, 0) + amount
        if pod.anti_affinity_terms:
            self.anti_affinity_pods[pod.key] = pod
            if self.anti_registry is not None:
                self.anti_registry[self.node.name] = self

    def remove(self, pod: Pod) -> None:
        self.version += 1
        del self.pods[pod.key]
        requested = self.requested
        for resource, amount in pod.requests.items():
            requested[resource] -= amount
        had_anti = self.anti_affinity_pods.pop(pod.key, None) is not None
        if had_anti and not self.anti_affinity_pods and self.anti_registry is not None:
            self.anti_registry.pop(self.node.name, None)
        if self.usage is not None:
            self._sync(pod, -1)

    def _sync(self, pod: Pod, sign: int) -> None:
        assert self.usage is not None
        row = self.index
        requests = pod.requests
        cpu = sign * requests.get("cpu", 0)
        memory = sign * requests.get("memory", 0)
        for used in (self.usage.used, self.usage.bucket(pod.effective_priority)):
            used["pods"][row] += sign
            if cpu:
                used["cpu"][row] += cpu
            if memory:
                used["memory"][row] += memory

    def free(self, resource: str) -> int:
        return self.node.allocatable.get(resource, 0) - self.requested.get(resource, 0)


class ClusterState:
    """Nodes with their pods, pending pods, nominations, PDBs and namespace labels."""

    def __init__(
        self,
        nodes: Iterable[Node],
        pods: Iterable[Pod] = (),
        pdbs: Iterable[PodDisruptionBudget] = (),
        namespace_labels: dict[str, dict[str, str]] | None = None,
        workloads: Iterable[Workload] = (),
        storage: Storage | None = None,
    ) -> None:
        node_list = list(nodes)
        if len({n.name for n in node_list}) != len(node_list):
            raise ValueError("node names must be unique")
        self.usage = Usage(node_list)
        # What nominated (pending) pods would use on their nodes, by priority.
        self.nominated_usage = Usage(node_list)
        self.nominated_with_anti: dict[str, Pod] = {}
        self.nodes: dict[str, NodeInfo] = {}
        self.nodes_with_anti_affinity: dict[str, NodeInfo] = {}
        for index, node in enumerate(node_list):
            self.nodes[node.name] = NodeInfo(node, self.usage, index, self.nodes_with_anti_affinity)
        self.node_list = list(self.nodes.values())
        self.node_names = list(self.nodes)
        self.pending: dict[str, Pod] = {}
        self.nominated: dict[str, dict[str, Pod]] = {}
        self.pdbs: tuple[PodDisruptionBudget, ...] = tuple(pdbs)
        self.workloads: tuple[Workload, ...] = tuple(workloads)
        self.storage = storage or Storage()
        self._namespace_labels = dict(namespace_labels or {})
        self.warnings: list[str] = []
        # (label key, value) -> bound pods carrying it, so a selector need not scan them all.
        self._label_index: dict[tuple[str, str], dict[str, Pod]] = {}
        self._node_filter_caches: dict[tuple[str, object], dict[str, Any]] = {}
        # Resolved anti-affinity terms of bound pods, shared by scheduling cycles.
        self.resolved_terms: dict[str, tuple[Pod, Any]] = {}
        self._bound_count = 0
        # Per node, the last victims found from a room alone (see preemption.dry_run).
        self.victim_memo: dict[str, tuple[object, float | None, Any]] = {}
        self._add_many(pods)

    # --- building --------------------------------------------------------------

    @classmethod
    def from_manifests(cls, manifests: Manifests) -> ClusterState:
        """The cluster the manifests describe.

        Pods that already carry ``spec.priority`` keep it (admission ran when they were
        created, and is never repeated). A pod without one is admitted now against the
        PriorityClasses in the manifests; a pod admission would refuse is bad input.
        """
        # Every object made here is kept, so the collector has nothing to find: it waits
        # until the cluster is built (see fmlab.k8s._bulk).
        with paused_garbage_collection():
            return cls._from_manifests(manifests)

    @classmethod
    def _from_manifests(cls, manifests: Manifests) -> ClusterState:
        admission = PriorityAdmission()
        for priority_class in manifests.priority_classes:
            if priority_class.name.startswith("system-"):
                continue  # the built-in classes, as kubectl lists them
            try:
                admission.create_class(priority_class)
            except AdmissionError as error:
                raise InputError(
                    str(error), pointer=f"PriorityClass {priority_class.name}"
                ) from None
        namespace_labels = {ns.name: dict(ns.labels) for ns in manifests.namespaces}
        storage = Storage.of(
            (x for x in manifests.storage if isinstance(x, Claim)),
            (x for x in manifests.storage if isinstance(x, Volume)),
            (x for x in manifests.storage if isinstance(x, StorageClass)),
            (x for x in manifests.storage if isinstance(x, CSINode)),
        )
        state = cls(
            manifests.nodes, (), manifests.pdbs, namespace_labels, manifests.workloads, storage
        )
        state.warnings.extend(manifests.warnings)
        state.warnings.extend(_missing_storage(manifests.pods, storage))

        known = state.nodes

        def admitted() -> Iterator[Pod]:
            for pod in manifests.pods:
                node_name = pod.node_name
                if (
                    pod.priority is not None
                    and (not node_name or node_name in known)
                    and pod.phase not in _TERMINAL_PHASES
                ):
                    yield pod  # the common case: admitted already, on a known node
                    continue
                if pod.phase in _TERMINAL_PHASES:
                    continue  # the scheduler's cache never holds finished pods
                if pod.priority is None:
                    try:
                        pod = admission.admit(pod)
                    except AdmissionError as error:
                        raise InputError(str(error), pointer=f"Pod {pod.key}: spec") from None
                if pod.node_name and pod.node_name not in state.nodes:
                    state.warnings.append(
                        f"Pod {pod.key} is bound to unknown node {pod.node_name}; ignored"
                    )
                    continue
                yield pod

        pods = manifests.pods
        # Usually every pod is admitted already, bound to a known node and not finished:
        # three scans in C settle that, and the pods go to the index without the generator.
        if (
            None not in map(_PRIORITY, pods)
            and known.keys() >= set(map(_NODE_NAME, pods)) - {""}
            and set(map(_PHASE, pods)).isdisjoint(_TERMINAL_PHASES)
        ):
            state._add_many(pods)
        else:
            state._add_many(admitted())
        return state

    # --- pods ------------------------------------------------------------------

    def add(self, pod: Pod) -> None:
        """A bound pod joins its node; a pending one joins the pending set (and its nomination)."""
        if pod.node_name:
            self.nodes[pod.node_name].add(pod)
            index = self._label_index
            for pair in pod.labels.items():
                found = index.get(pair)
                if found is None:
                    index[pair] = {pod.key: pod}
                else:
                    found[pod.key] = pod
            self._bound_count += 1
            return
        self.pending[pod.key] = pod
        if pod.nominated_node_name:
            self.nominated.setdefault(pod.nominated_node_name, {})[pod.key] = pod
            self._sync_nominated(pod, 1)

    def _add_many(self, pods: Iterable[Pod]) -> None:
        with paused_garbage_collection():  # the pods are all kept: see fmlab.k8s._bulk
            self._add_many_unpaused(pods)

    def _add_many_unpaused(self, pods: Iterable[Pod]) -> None:
        """:meth:`add` for each pod, with the cpu, memory and pod sums made once at the end.

        Updating numpy arrays element by element costs more than the rest of an add, so
        bound pods are indexed without them and their rows summed with ``np.add.at``;
        each node's ``requested`` cpu and memory come from the same sums, and only other
        resources are added pod by pod. The tests check the result equals one add at a time.
        """
        rows: list[int] = []
        priorities: list[int] = []
        cpu: list[int] = []
        memory: list[int] = []
        nodes = self.nodes
        index = self._label_index
        anti = self.nodes_with_anti_affinity
        plain_requests: Mapping[str, int] | None = None
        # Pods read from manifests share their label maps too (see fmlab.k8s._fastpods): the
        # label index's postings for each map are found once, by the map's identity.
        remembered: dict[int, tuple[Mapping[str, str], list[dict[str, Pod]]]] | None = {}
        add_row, add_priority, add_cpu, add_memory = (
            rows.append,
            priorities.append,
            cpu.append,
            memory.append,
        )
        for pod in pods:
            info = nodes.get(pod.node_name) if pod.node_name else None
            if info is None:
                self.add(pod)  # pending (or an unknown node, which add reports)
                continue
            # NodeInfo.add_unsynced, inlined: this runs for every pod of a large cluster.
            key = pod.key
            info.pods[key] = pod
            requests = pod.requests
            # Pods read from manifests share their request mappings, so the last one found
            # to hold only non-zero cpu and memory is recognised by identity.
            if requests is not plain_requests:
                if (
                    len(requests) > 2
                    or not _CPU_MEMORY.issuperset(requests)
                    or 0 in requests.values()
                ):
                    requested = info.requested
                    for resource, amount in requests.items():
                        if resource not in _CPU_MEMORY:
                            requested[resource] = requested.get(resource, 0) + amount
                        elif not amount:
                            requested.setdefault(resource, 0)  # a zero request still shows
                else:
                    plain_requests = requests
            if pod.anti_affinity_terms:
                info.anti_affinity_pods[key] = pod
                anti[info.node.name] = info
            labels = pod.labels
            entry = None if remembered is None else remembered.get(id(labels))
            if entry is not None:
                for posting in entry[1]:
                    posting[key] = pod
            elif remembered is None:
                for pair in labels.items():
                    found = index.get(pair)
                    if found is None:
                        index[pair] = {key: pod}
                    else:
                        found[key] = pod
            else:
                postings = []
                for pair in labels.items():
                    found = index.get(pair)
                    if found is None:
                        found = index[pair] = {}
                    found[key] = pod
                    postings.append(found)
                if len(remembered) < _LABEL_MAPS_REMEMBERED:
                    # The map is kept beside its postings, so its id cannot be reused.
                    remembered[id(labels)] = (labels, postings)
                else:
                    remembered = None  # mostly distinct maps: stop looking them up
            add_row(info.index)
            add_priority(pod.effective_priority)
            add_cpu(requests.get("cpu", 0))
            add_memory(requests.get("memory", 0))
        if not rows:
            return
        self._bound_count += len(rows)
        row_array = np.array(rows, dtype=np.int64)
        amounts = {
            "pods": np.ones(len(rows), dtype=np.int64),
            "cpu": np.array(cpu, dtype=np.int64),
            "memory": np.array(memory, dtype=np.int64),
        }
        size = len(self.node_list)
        added = {r: _sum_by_row(row_array, values, size) for r, values in amounts.items()}
        for resource, total in added.items():
            self.usage.used[resource] += total
        counts = added["pods"].tolist()
        for resource in _CPU_MEMORY:
            for row, total in enumerate(added[resource].tolist()):
                if total:
                    requested = self.node_list[row].requested
                    requested[resource] = requested.get(resource, 0) + total
        for row, count in enumerate(counts):
            if count:
                self.node_list[row].version += count
        priority_array = np.array(priorities, dtype=np.int64)
        for level in np.unique(priority_array).tolist():
            chosen = priority_array == level
            bucket = self.usage.bucket(int(level))
            chosen_rows = row_array[chosen]
            for resource, values in amounts.items():
                bucket[resource] += _sum_by_row(chosen_rows, values[chosen], size)

    def remove(self, pod: Pod) -> None:
        if pod.node_name:
            self.nodes[pod.node_name].remove(pod)
            for pair in pod.labels.items():
                del self._label_index[pair][pod.key]
            self._bound_count -= 1
            return
        del self.pending[pod.key]
        if pod.nominated_node_name:
            self.nominated[pod.nominated_node_name].pop(pod.key, None)
            self._sync_nominated(pod, -1)

    def _sync_nominated(self, pod: Pod, sign: int) -> None:
        info = self.nodes.get(pod.nominated_node_name)
        if info is None:
            return
        arrays = self.nominated_usage.bucket(pod.effective_priority)
        arrays["pods"][info.index] += sign
        arrays["cpu"][info.index] += sign * pod.requests.get("cpu", 0)
        arrays["memory"][info.index] += sign * pod.requests.get("memory", 0)
        if pod.anti_affinity_terms:
            if sign > 0:
                self.nominated_with_anti[pod.key] = pod
            else:
                self.nominated_with_anti.pop(pod.key, None)

    def nominate(self, pod: Pod, node_name: str) -> Pod:
        """Record ``status.nominatedNodeName`` of a pending pod ('' clears it)."""
        self.remove(pod)
        updated = dataclasses.replace(pod, nominated_node_name=node_name)
        self.add(updated)
        return updated

    def find_pod(self, name: str) -> Pod:
        """A pod by ``namespace/name`` (or by bare name when that is unambiguous)."""
        if "/" in name:
            for pod in self.all_pods():
                if pod.key == name:
                    return pod
            raise KeyError(name)
        matches = [pod for pod in self.all_pods() if pod.name == name]
        if len(matches) != 1:
            raise KeyError(name)
        return matches[0]

    def all_pods(self) -> Iterator[Pod]:
        for info in self.nodes.values():
            yield from info.pods.values()
        yield from self.pending.values()

    def bound_pods(self) -> Iterator[tuple[NodeInfo, Pod]]:
        for info in self.nodes.values():
            for pod in info.pods.values():
                yield info, pod

    def node_filter_cache(self, kind: str, signature: object) -> dict[str, Any]:
        """A per-node result cache for filters that read only the node and ``signature``.

        Nodes never change in a ClusterState, so the caches stay valid.
        """
        return self._node_filter_caches.setdefault((kind, signature), {})

    def pods_possibly_matching(self, selector: LabelSelector | None) -> Iterable[Pod]:
        """Bound pods that might match ``selector`` (a superset; callers still match).

        The label index narrows ``matchLabels`` and ``In`` requirements to the pods that
        carry one of the named labels; other selectors fall back to every bound pod.
        """
        if selector is None:
            return ()
        best: Iterable[Pod] | None = None
        best_size = self._bound_count + 1
        index = self._label_index
        for pair in selector.match_labels:
            found = index.get(pair)
            if found is None:
                return ()
            if len(found) < best_size:
                best, best_size = found.values(), len(found)
        for requirement in selector.match_expressions:
            if requirement.operator != "In":
                continue
            postings = [
                index[(requirement.key, v)]
                for v in requirement.values
                if (requirement.key, v) in index
            ]
            size = sum(len(p) for p in postings)
            if size < best_size:
                best, best_size = [pod for p in postings for pod in p.values()], size
        if best is None:
            return [pod for _, pod in self.bound_pods()]
        return list(best)

    def default_selector(self, pod: Pod) -> LabelSelector | None:
        """``helper.DefaultSelector``: the selectors of the Services selecting ``pod``
        merged, plus that of its controlling ReplicaSet, StatefulSet or
        ReplicationController; None when that selects nothing in particular."""
        labels: dict[str, str] = {}
        expressions: list[Requirement] = []
        for workload in self.workloads:
            if workload.namespace != pod.namespace or workload.selector is None:
                continue
            selector = workload.selector
            if workload.kind == "Service":
                if not selector.empty and selector.matches(pod.labels):
                    labels.update(selector.match_labels)
            elif pod.owner == (workload.kind, workload.name):
                labels.update(selector.match_labels)
                expressions.extend(selector.match_expressions)
        if not labels and not expressions:
            return None
        return LabelSelector(tuple(sorted(labels.items())), tuple(expressions))

    def namespace_labels(self, namespace: str) -> dict[str, str]:
        labels = self._namespace_labels.get(namespace)
        if labels is None:
            return {"kubernetes.io/metadata.name": namespace}
        return labels

    @property
    def namespace_names(self) -> set[str]:
        names = set(self._namespace_labels)
        names.update(pod.namespace for pod in self.all_pods())
        return names


def _missing_storage(pods: Iterable[Pod], storage: Storage) -> Iterator[str]:
    """Warnings for pending pods whose claims (or their volumes) the manifests lack: the
    answer then depends on objects the input does not show."""
    for pod in pods:
        if pod.node_name:
            continue
        for volume in pod.volumes:
            if not volume.claim:
                continue
            claim = storage.claims.get(f"{pod.namespace}/{volume.claim}")
            if claim is None:
                yield (
                    f'Pod {pod.key}: persistentvolumeclaim "{volume.claim}" is not in the '
                    "manifests, so the pod is reported unschedulable; add it (kubectl get pvc "
                    "-o yaml) if it exists"
                )
            elif claim.volume_name and claim.volume_name not in storage.volumes:
                yield (
                    f'Pod {pod.key}: persistentvolume "{claim.volume_name}" (bound to claim '
                    f'"{claim.name}") is not in the manifests; add it (kubectl get pv -o yaml)'
                )
            elif not claim.volume_name:
                cls = storage.classes.get(claim.storage_class)
                if cls is None and claim.storage_class:
                    yield (
                        f'Pod {pod.key}: storageclass "{claim.storage_class}" (of claim '
                        f'"{claim.name}") is not in the manifests, so the claim is taken as '
                        "Immediate binding; add it (kubectl get storageclass -o yaml)"
                    )
                elif cls is not None and cls.provisioner != "kubernetes.io/no-provisioner":
                    yield (
                        f'Pod {pod.key}: claim "{claim.name}" will be provisioned by '
                        f"{cls.provisioner}; storage capacity (CSIStorageCapacity) is not "
                        "modelled, only the class's allowed topologies"
                    )


def load_cluster(
    paths: Iterable[str | Path], *, warn: Callable[[str], None] | None = None
) -> tuple[ClusterState, Manifests]:
    """The cluster that manifest files describe (``-`` is standard input), and the manifests.

    Each of the manifests' warnings (objects skipped, fields ignored) goes to ``warn`` as
    soon as the files are read, before the cluster is built: building it can still reject
    a pod, and the warnings may explain why.
    """
    manifests = load_manifests(paths)
    if warn is not None:
        for warning in manifests.warnings:
            warn(warning)
    return ClusterState.from_manifests(manifests), manifests
