"""The plugins that read only the node: NodeAffinity (with ``nodeSelector``) and
TaintToleration here; NodeUnschedulable and NodeName are one comparison each, in
:meth:`~fmlab.k8s.filters._cycle.CycleState.static_status`."""

from __future__ import annotations

from fmlab.k8s._model import Node, Pod
from fmlab.k8s._selectors import tolerated


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
