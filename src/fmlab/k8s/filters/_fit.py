"""NodeResourcesFit: pod slots, cpu, memory and extended resources against what the node
can allocate; and the room a node would have without some pods, which preemption's
what-ifs read when only resource sums change."""

from __future__ import annotations

from collections.abc import Sequence

from fmlab.k8s._cluster import NodeInfo
from fmlab.k8s._model import Pod
from fmlab.k8s._status import SUCCESS, Status
from fmlab.k8s.filters._base import CycleBase
from fmlab.k8s.filters._reasons import REASON_TOO_MANY_PODS, fit_status


class NodeResourcesFit(CycleBase):
    """The NodeResourcesFit part of a cycle."""

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
        too_big = False
        for resource, amount in self._requests:
            left = allocatable.get(resource, 0) - requested.get(resource, 0) - amount
            for other in removed:
                left += other.requests.get(resource, 0)
            for other in added:
                left -= other.requests.get(resource, 0)
            room.append(left)
            if left < 0:
                reasons.append(f"Insufficient {resource}")
                too_big = too_big or amount > allocatable.get(resource, 0)
        if reasons:
            return fit_status(tuple(reasons), too_big), room
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
        too_big = False
        for resource, amount in self._requests:
            if amount > allocatable.get(resource, 0) - requested.get(resource, 0):
                reasons.append(f"Insufficient {resource}")
                too_big = too_big or amount > allocatable.get(resource, 0)
        return fit_status(tuple(reasons), too_big) if reasons else None
