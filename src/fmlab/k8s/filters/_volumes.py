"""The volume plugins: VolumeRestrictions, NodeVolumeLimits, VolumeBinding, VolumeZone.

They apply only to pods with claim volumes (or inline disks); for any other pod their
PreFilter says "skip" and they take no part in the cycle.
"""

from __future__ import annotations

from collections.abc import Callable

from fmlab.k8s._cluster import NodeInfo
from fmlab.k8s._status import Status
from fmlab.k8s.filters._base import CycleBase

VOLUME_PLUGINS = ("VolumeRestrictions", "NodeVolumeLimits", "VolumeBinding", "VolumeZone")


class VolumePlugins(CycleBase):
    """The volume part of a cycle."""

    def _prefilter_volumes(self, binding_on: bool, restrictions_on: bool) -> None:
        self._volume_binding_on = binding_on
        self._volume_restrictions_on = restrictions_on

    def volume_plugins_applicable(self) -> set[str]:
        return set()

    def volume_prefilter_rejection(self) -> Status | None:
        return None

    def volume_eligible_nodes(self) -> list[tuple[str, frozenset[str]]]:
        return []

    def volume_check(self, name: str) -> Callable[[NodeInfo], Status | None]:
        return lambda info: None
