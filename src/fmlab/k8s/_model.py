"""The Kubernetes objects the scheduler reads, as frozen dataclasses.

Only the fields that scheduling and preemption look at are kept. Resource amounts are
the scheduler's integers (millicores for ``cpu``, units otherwise; see
:mod:`fmlab.k8s._quantity`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from fmlab.k8s._selectors import (
    LabelSelector,
    NodeSelector,
    Taint,
    Toleration,
)

UNSCHEDULABLE_TAINT = Taint("node.kubernetes.io/unschedulable", "", "NoSchedule")
PREEMPT_LOWER_PRIORITY = "PreemptLowerPriority"
NEVER = "Never"


def _empty_map() -> Mapping[str, str]:
    return {}


@dataclass(frozen=True)
class PodVolume:
    """A pod volume the volume plugins look at: a claim (``persistentVolumeClaim`` or a
    generic ephemeral volume's claim ``<pod>-<volume>``), or an inline disk.

    ``disk`` is ``(kind, id, read_only)`` for inline GCE PD, AWS EBS, iSCSI and RBD disks
    (an RBD disk's id is ``pool/image``; ``monitors`` holds its Ceph monitors).
    """

    name: str
    claim: str = ""
    ephemeral: bool = False
    read_only: bool = False
    disk: tuple[str, str, bool] | None = None
    monitors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PodAffinityTerm:
    """A required (anti-)affinity term. ``namespaces`` empty and no ``namespace_selector``
    means the pod's own namespace."""

    label_selector: LabelSelector | None
    topology_key: str
    namespaces: tuple[str, ...] = ()
    namespace_selector: LabelSelector | None = None


@dataclass(frozen=True)
class TopologySpreadConstraint:
    """One of a pod's ``topologySpreadConstraints``, as the manifest writes it."""

    max_skew: int
    topology_key: str
    when_unsatisfiable: str
    label_selector: LabelSelector | None
    min_domains: int = 1
    node_affinity_policy: str = "Honor"
    node_taints_policy: str = "Ignore"
    match_label_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class HostPort:
    """A container port bound on the node (``hostPort``), as NodePorts compares them.

    An empty ``hostIP`` means every address (``0.0.0.0``), an empty protocol TCP.
    """

    port: int
    protocol: str = "TCP"
    ip: str = "0.0.0.0"

    def conflicts(self, other: HostPort) -> bool:
        """Same port and protocol, and the same address or a wildcard on either side."""
        return (
            self.port == other.port
            and self.protocol == other.protocol
            and (self.ip == other.ip or "0.0.0.0" in (self.ip, other.ip))
        )


@dataclass(frozen=True)
class Condition:
    """One of a pod's ``status.conditions``, such as ``DisruptionTarget`` set on a victim."""

    type: str
    status: str
    reason: str = ""


# The fast reader (fmlab.k8s._fastpods) leaves fields that hold their plain default (None,
# "", ()) out of the instance dict and lets lookup find them on the class; a new field with
# a default_factory has no class attribute, so that reader must set it (its tests say so).
@dataclass(frozen=True)
class Pod:
    """A pod, with the fields the scheduler and preemption read."""

    namespace: str
    name: str
    labels: Mapping[str, str] = field(default_factory=_empty_map)
    node_name: str = ""
    priority_class_name: str = ""
    priority: int | None = None
    preemption_policy: str | None = None
    requests: Mapping[str, int] = field(default_factory=dict)
    node_selector: Mapping[str, str] = field(default_factory=_empty_map)
    node_affinity: NodeSelector | None = None
    affinity_terms: tuple[PodAffinityTerm, ...] = ()
    anti_affinity_terms: tuple[PodAffinityTerm, ...] = ()
    tolerations: tuple[Toleration, ...] = ()
    spread_constraints: tuple[TopologySpreadConstraint, ...] = ()
    start_time: dt.datetime | None = None
    nominated_node_name: str = ""
    deletion_timestamp: dt.datetime | None = None
    conditions: tuple[Condition, ...] = ()
    phase: str = ""
    host_ports: tuple[HostPort, ...] = ()
    scheduling_gates: tuple[str, ...] = ()
    scheduler_name: str = ""
    """``spec.schedulerName``; empty means the default scheduler."""
    volumes: tuple[PodVolume, ...] = ()
    owner: tuple[str, str] | tuple[()] = ()
    """The controlling owner reference as (kind, name), if any."""
    # Derived once, because indexes and sorts read them millions of times in a large
    # cluster (a property, or functools.cached_property with its lock, costs far more).
    key: str = field(init=False, repr=False, compare=False)
    """``namespace/name``."""
    effective_priority: int = field(init=False, repr=False, compare=False)
    """What the scheduler compares (``corev1helpers.PodPriority``): unset reads as 0."""
    start_seconds: float | None = field(init=False, repr=False, compare=False)
    """``status.startTime`` as a POSIX timestamp."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.namespace}/{self.name}")
        object.__setattr__(
            self, "effective_priority", self.priority if self.priority is not None else 0
        )
        started = self.start_time.timestamp() if self.start_time is not None else None
        object.__setattr__(self, "start_seconds", started)

    @property
    def terminating(self) -> bool:
        return self.deletion_timestamp is not None

    @property
    def terminating_by_preemption(self) -> bool:
        """Deleted, and marked ``DisruptionTarget=True`` by the scheduler's preemption.

        Only the first ``DisruptionTarget`` condition counts, as in kube-scheduler.
        """
        if not self.terminating:
            return False
        for c in self.conditions:
            if c.type == "DisruptionTarget":
                return c.status == "True" and c.reason == "PreemptionByScheduler"
        return False


@dataclass(frozen=True)
class Node:
    """A node: labels, taints, allocatable resources, and whether it is cordoned."""

    name: str
    labels: Mapping[str, str] = field(default_factory=_empty_map)
    taints: tuple[Taint, ...] = ()
    unschedulable: bool = False
    allocatable: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PriorityClass:
    """A PriorityClass: the priority its pods get, and their preemption policy."""

    name: str
    value: int
    global_default: bool = False
    preemption_policy: str | None = None


@dataclass(frozen=True)
class PodDisruptionBudget:
    """A PodDisruptionBudget: the pods it selects, and how many may still be disrupted."""

    namespace: str
    name: str
    selector: LabelSelector | None
    disruptions_allowed: int = 0
    disrupted_pods: frozenset[str] = frozenset()

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass(frozen=True)
class Namespace:
    """A namespace and its labels, which a pod affinity term's ``namespaceSelector`` reads."""

    name: str
    labels: Mapping[str, str] = field(default_factory=_empty_map)


@dataclass(frozen=True)
class Workload:
    """A Service, ReplicaSet, StatefulSet or ReplicationController, for the selector that
    PodTopologySpread's default constraints use (``helper.DefaultSelector``)."""

    kind: str
    namespace: str
    name: str
    selector: LabelSelector | None
