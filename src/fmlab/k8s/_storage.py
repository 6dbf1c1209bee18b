"""The storage objects the volume plugins read: claims, volumes, classes, CSI nodes.

Only what scheduling looks at is kept. :class:`Storage` indexes them for a cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from fmlab.k8s._selectors import NodeSelector


@dataclass(frozen=True)
class Claim:
    """A PersistentVolumeClaim."""

    namespace: str
    name: str
    volume_name: str = ""
    storage_class: str = ""
    access_modes: tuple[str, ...] = ()
    request: int = 0
    phase: str = ""
    deleting: bool = False

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass(frozen=True)
class Volume:
    """A PersistentVolume. ``claim`` is its ``claimRef`` as ``namespace/name``."""

    name: str
    labels: Mapping[str, str] = field(default_factory=dict)
    node_affinity: NodeSelector | None = None
    storage_class: str = ""
    claim: str = ""
    capacity: int = 0
    access_modes: tuple[str, ...] = ()
    csi_driver: str = ""
    handle: str = ""


@dataclass(frozen=True)
class StorageClass:
    """A StorageClass. ``allowed_topologies`` holds, per term, (key, values) pairs."""

    name: str
    provisioner: str = ""
    binding_mode: str = "Immediate"
    allowed_topologies: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = ()


@dataclass(frozen=True)
class CSINode:
    """A CSINode: per driver, how many volumes the node can attach (None: no limit)."""

    name: str
    limits: Mapping[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Storage:
    """Claims, volumes, classes and CSI nodes by key."""

    claims: dict[str, Claim] = field(default_factory=dict)
    volumes: dict[str, Volume] = field(default_factory=dict)
    classes: dict[str, StorageClass] = field(default_factory=dict)
    csi_nodes: dict[str, CSINode] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        claims: Iterable[Claim] = (),
        volumes: Iterable[Volume] = (),
        classes: Iterable[StorageClass] = (),
        csi_nodes: Iterable[CSINode] = (),
    ) -> Storage:
        return cls(
            {c.key: c for c in claims},
            {v.name: v for v in volumes},
            {c.name: c for c in classes},
            {n.name: n for n in csi_nodes},
        )

    @property
    def empty(self) -> bool:
        return not (self.claims or self.volumes or self.classes or self.csi_nodes)
