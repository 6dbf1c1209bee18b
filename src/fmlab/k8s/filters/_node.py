"""The plugins that read only the node: NodeAffinity (with ``nodeSelector``) and
TaintToleration here; NodeUnschedulable and NodeName are one comparison each, in
:meth:`~fmlab.k8s.filters._cycle.CycleState.static_status`."""

from __future__ import annotations

from fmlab.k8s._model import Node, Pod
from fmlab.k8s._selectors import toleration_verdict

REASON_UNTOLERATED = "node(s) had untolerated taint(s)"


def node_matches_pod_selectors(pod: Pod, node: Node) -> bool:
    """``nodeSelector`` and required node affinity, as the NodeAffinity plugin checks them."""
    labels = node.labels
    for key, value in pod.node_selector.items():
        if labels.get(key) != value:
            return False
    return pod.node_affinity is None or pod.node_affinity.matches(node.name, labels)


def untolerated_taint(pod: Pod, node: Node) -> str | None:
    """TaintToleration's reason for ``node``, or None if the pod tolerates its taints.

    The first NoSchedule or NoExecute taint no toleration tolerates decides; when a ``Gt``
    or ``Lt`` toleration could not compare because the taint's value is not an integer,
    the reason is that parse error, as upstream reports it.
    """
    for taint in node.taints:
        if taint.effect not in ("NoSchedule", "NoExecute"):
            continue
        ok, problem = toleration_verdict(pod.tolerations, taint)
        if not ok:
            return problem or REASON_UNTOLERATED
    return None
