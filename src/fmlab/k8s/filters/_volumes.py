"""The volume plugins: VolumeRestrictions, NodeVolumeLimits, VolumeBinding, VolumeZone.

They apply only to pods with claim volumes or inline disks; for any other pod their
PreFilter says "skip" and they take no part in the cycle. What is modelled:

- VolumeBinding's PreFilter: a claim that is missing, lost or being deleted, and unbound
  claims of ``Immediate`` classes, reject the pod on every node; bound volumes whose node
  affinity names hosts (``kubernetes.io/hostname In``) narrow the cycle to those nodes.
  Its Filter: a bound claim's volume must exist and its node affinity match the node; an
  unbound ``WaitForFirstConsumer`` claim needs an available matching volume on the node,
  or else a class with a provisioner (not ``kubernetes.io/no-provisioner``) whose
  ``allowedTopologies`` admit the node. Storage capacity (CSIStorageCapacity) is not
  modelled.
- VolumeZone: the zone and region labels of bound volumes against the node's.
- VolumeRestrictions: ``ReadWriteOncePod`` claims already used by another pod anywhere,
  and inline GCE PD, AWS EBS, RBD and iSCSI disks already mounted on the node.
- NodeVolumeLimits: per CSI driver, distinct volumes on the node against the count in the
  node's CSINode (no CSINode: no limit, as upstream).
"""

from __future__ import annotations

from collections.abc import Callable

from fmlab.k8s._cluster import NodeInfo
from fmlab.k8s._model import Pod, PodVolume
from fmlab.k8s._status import Status, unresolvable, unschedulable
from fmlab.k8s._storage import Claim, Volume
from fmlab.k8s.filters._base import CycleBase

VOLUME_PLUGINS = ("VolumeRestrictions", "NodeVolumeLimits", "VolumeBinding", "VolumeZone")
REASON_PV_AFFINITY = "node(s) didn't match PersistentVolume's node affinity"
REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind"
REASON_PV_MISSING = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)"
REASON_ZONE = "node(s) had no available volume zone"
REASON_DISK = "node(s) had no available disk"
REASON_RWOP = (
    "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode"
)
REASON_VOLUME_LIMIT = "node(s) exceed max volume count"
UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"
_NO_PROVISIONER = "kubernetes.io/no-provisioner"
_ZONE_LABELS = (
    "topology.kubernetes.io/zone",
    "topology.kubernetes.io/region",
    "failure-domain.beta.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region",
)
_GA = {
    "failure-domain.beta.kubernetes.io/zone": "topology.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region": "topology.kubernetes.io/region",
}


class VolumePlugins(CycleBase):
    """The volume part of a cycle."""

    def _prefilter_volumes(self, binding_on: bool, restrictions_on: bool) -> None:
        pod = self.pod
        storage = self.cluster.storage
        self._claim_volumes = [v for v in pod.volumes if v.claim]
        self._disks = [v for v in pod.volumes if v.disk is not None]
        self._volume_rejection: Status | None = None
        self._bound: list[tuple[Claim, Volume | None]] = []
        self._delayed: list[Claim] = []
        self._rwop: list[str] = []
        for volume in self._claim_volumes:
            key = f"{pod.namespace}/{volume.claim}"
            claim = storage.claims.get(key)
            if claim is None:
                why = (
                    f"waiting for ephemeral volume controller to create the "
                    f'persistentvolumeclaim "{volume.claim}"'
                    if volume.ephemeral
                    else f'persistentvolumeclaim "{volume.claim}" not found'
                )
                self._volume_rejection = unresolvable("VolumeBinding", why)
                return
            if claim.phase == "Lost":
                self._volume_rejection = unresolvable(
                    "VolumeBinding",
                    f'persistentvolumeclaim "{claim.name}" bound to non-existent '
                    f'persistentvolume "{claim.volume_name}"',
                )
                return
            if claim.deleting:
                self._volume_rejection = unresolvable(
                    "VolumeBinding", f'persistentvolumeclaim "{claim.name}" is being deleted'
                )
                return
            if "ReadWriteOncePod" in claim.access_modes:
                self._rwop.append(key)
            if claim.volume_name:
                self._bound.append((claim, storage.volumes.get(claim.volume_name)))
                continue
            cls = storage.classes.get(claim.storage_class)
            if cls is None or cls.binding_mode != "WaitForFirstConsumer":
                self._volume_rejection = unresolvable("VolumeBinding", UNBOUND_IMMEDIATE)
                return
            self._delayed.append(claim)
        if not binding_on:
            self._volume_rejection = None

    def volume_plugins_applicable(self) -> set[str]:
        found: set[str] = set()
        if self._claim_volumes:
            found.update(("NodeVolumeLimits", "VolumeBinding", "VolumeZone"))
        if self._rwop or self._disks:
            found.add("VolumeRestrictions")
        return found

    def volume_prefilter_rejection(self) -> Status | None:
        return self._volume_rejection

    def volume_eligible_nodes(self) -> list[tuple[str, frozenset[str]]]:
        """Bound volumes whose node affinity names hosts narrow the cycle to those nodes
        (upstream's GetEligibleNodes: per term the hosts every ``kubernetes.io/hostname
        In`` expression allows, the union over terms, the intersection over claims; no
        narrowing at all when a bound volume is missing)."""
        names: set[str] | None = None
        for _, volume in self._bound:
            if volume is None:
                return []
            if volume.node_affinity is None:
                continue
            found: set[str] = set()
            for term in volume.node_affinity.terms:
                hosts: set[str] | None = None
                for r in term.match_expressions:
                    if r.key == "kubernetes.io/hostname" and r.operator == "In":
                        hosts = set(r.values) if hosts is None else hosts & set(r.values)
                found |= hosts or set()
            if found:
                names = found if names is None else names & found
        return [] if names is None else [("VolumeBinding", frozenset(names))]

    def volume_check(self, name: str) -> Callable[[NodeInfo], Status | None]:
        checks: dict[str, Callable[[NodeInfo], Status | None]] = {
            "VolumeRestrictions": self._restrictions,
            "NodeVolumeLimits": self._limits,
            "VolumeBinding": self._binding,
            "VolumeZone": self._zone,
        }
        return checks[name]

    # --- the filters ------------------------------------------------------------------

    def _binding(self, info: NodeInfo) -> Status | None:
        node = info.node
        reasons: list[str] = []
        for _, volume in self._bound:
            if volume is None:
                reasons.append(REASON_PV_MISSING)
            elif volume.node_affinity is not None and not volume.node_affinity.matches(
                node.name, node.labels
            ):
                reasons.append(REASON_PV_AFFINITY)
        for claim in self._delayed:
            if not self._can_bind(claim, info):
                reasons.append(REASON_BIND_CONFLICT)
        if not reasons:
            return None
        # Upstream's FindPodVolumes appends its reasons in this fixed order.
        order = (REASON_PV_AFFINITY, REASON_BIND_CONFLICT, REASON_PV_MISSING)
        return unresolvable("VolumeBinding", *(r for r in order if r in reasons))

    def _can_bind(self, claim: Claim, info: NodeInfo) -> bool:
        """Upstream first looks for an existing volume the claim could bind to on this node,
        then, for claims left over, asks whether the class can provision one here."""
        storage = self.cluster.storage
        cls = storage.classes[claim.storage_class]
        node = info.node
        for volume in storage.volumes.values():
            if volume.storage_class != claim.storage_class:
                continue
            if volume.claim and volume.claim != claim.key:
                continue
            if volume.capacity < claim.request:
                continue
            if not set(claim.access_modes) <= set(volume.access_modes):
                continue
            if volume.node_affinity is None or volume.node_affinity.matches(node.name, node.labels):
                return True
        if not cls.provisioner or cls.provisioner == _NO_PROVISIONER:
            return False
        # Dynamic provisioning: the class's allowed topologies must admit the node.
        return not cls.allowed_topologies or any(
            all(node.labels.get(key) in values for key, values in term)
            for term in cls.allowed_topologies
        )

    def _zone(self, info: NodeInfo) -> Status | None:
        labels = info.node.labels
        if not any(key in labels for key in _ZONE_LABELS):
            return None  # a node without zone or region labels is not checked
        for _, volume in self._bound:
            if volume is None:
                continue
            for key in _ZONE_LABELS:
                wanted = volume.labels.get(key)
                if wanted is None:
                    continue
                actual = labels.get(key, labels.get(_GA.get(key, key)))
                if actual is None or actual not in wanted.split("__"):
                    return unresolvable("VolumeZone", REASON_ZONE)
        return None

    def _restrictions(self, info: NodeInfo) -> Status | None:
        for mine in self._disks:
            for other in info.pods.values():
                if any(_disks_conflict(mine, theirs) for theirs in other.volumes):
                    return unschedulable("VolumeRestrictions", REASON_DISK)
        if self._rwop and self._claim_used_elsewhere():
            return unschedulable("VolumeRestrictions", REASON_RWOP)
        return None

    def _claim_used_elsewhere(self) -> bool:
        wanted = set(self._rwop)
        for node_info in self.cluster.node_list:
            for other in node_info.pods.values():
                if other.key == self.pod.key:
                    continue
                if any(f"{other.namespace}/{v.claim}" in wanted for v in other.volumes if v.claim):
                    return True
        return False

    def _limits(self, info: NodeInfo) -> Status | None:
        csi = self.cluster.storage.csi_nodes.get(info.name)
        if csi is None:
            return None
        on_node: dict[str, set[str]] = {}
        for other in info.pods.values():
            for driver, handle in self._csi_handles(other):
                on_node.setdefault(driver, set()).add(handle)
        adding: dict[str, set[str]] = {}
        for driver, handle in self._csi_handles(self.pod):
            if handle not in on_node.get(driver, set()):
                adding.setdefault(driver, set()).add(handle)
        for driver, new in adding.items():
            limit = csi.limits.get(driver)
            if limit is not None and len(on_node.get(driver, set())) + len(new) > limit:
                return unschedulable("NodeVolumeLimits", REASON_VOLUME_LIMIT)
        return None

    def _csi_handles(self, pod: Pod) -> list[tuple[str, str]]:
        storage = self.cluster.storage
        found = []
        for volume in pod.volumes:
            if not volume.claim:
                continue
            claim = storage.claims.get(f"{pod.namespace}/{volume.claim}")
            if claim is None:
                continue
            bound = storage.volumes.get(claim.volume_name) if claim.volume_name else None
            if bound is not None and bound.csi_driver:
                found.append((bound.csi_driver, bound.handle or bound.name))
            elif bound is None:
                cls = storage.classes.get(claim.storage_class)
                if cls is not None and cls.provisioner and cls.provisioner != _NO_PROVISIONER:
                    found.append((cls.provisioner, claim.key))
        return found


def _disks_conflict(mine: PodVolume, theirs: PodVolume) -> bool:
    """Two inline disks that cannot be mounted together on one node."""
    if mine.disk is None or theirs.disk is None:
        return False
    kind, ident, read_only = mine.disk
    other_kind, other_ident, other_read_only = theirs.disk
    if kind != other_kind or ident != other_ident:
        return False
    if kind == "rbd" and not mine.monitors & theirs.monitors:
        return False  # upstream's haveOverlap: no shared Ceph monitor, not the same image
    if kind == "awsElasticBlockStore":
        return True  # EBS volumes attach to one node, read-only or not
    return not (read_only and other_read_only)
