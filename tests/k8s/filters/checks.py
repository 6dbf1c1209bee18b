"""Running every filter of a cycle on each node, for the filter tests."""

from __future__ import annotations

from collections.abc import Sequence

from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._model import Node, Pod
from fmlab.k8s._status import Code, Status
from fmlab.k8s.filters import CycleState

HOST = "kubernetes.io/hostname"
OK, U, UU = Code.SUCCESS, Code.UNSCHEDULABLE, Code.UNSCHEDULABLE_AND_UNRESOLVABLE


def statuses(nodes: Sequence[Node], existing: Sequence[Pod], pending: Pod) -> dict[str, Status]:
    cluster = ClusterState(nodes, existing)
    state = CycleState(cluster, pending)
    return {name: state.filter_with_nominated(info) for name, info in cluster.nodes.items()}


def code_on(nodes: Sequence[Node], existing: Sequence[Pod], pending: Pod, name: str = "n1") -> Code:
    return statuses(nodes, existing, pending)[name].code
