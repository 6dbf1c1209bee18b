"""Filter failure reasons, worded as kube-scheduler words them (they appear in FitError
messages), and the (label key, value) pair that topology counts are kept by."""

from __future__ import annotations

from fmlab.k8s._status import Status, unresolvable, unschedulable

REASON_UNSCHEDULABLE = "node(s) were unschedulable"
REASON_NODE_NAME = "node(s) didn't match the requested node name"
REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector"
REASON_ENFORCED_AFFINITY = "node(s) didn't match scheduler-enforced node affinity"
REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports"
REASON_AFFINITY = "node(s) didn't match pod affinity rules"
REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules"
REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules"
REASON_SPREAD_LABEL = (
    "node(s) didn't match pod topology spread constraints (missing required label)"
)
REASON_SPREAD = "node(s) didn't match pod topology spread constraints"
REASON_TOO_MANY_PODS = "Too many pods"

Pair = tuple[str, str]


_FIT_STATUSES: dict[tuple[tuple[str, ...], bool], Status] = {}


def fit_status(reasons: tuple[str, ...], too_big: bool = False) -> Status:
    """NodeResourcesFit's status for ``reasons``, one shared object per set.

    ``too_big``: the pod requests more of some resource than the node can allocate at
    all, so no preemption can help; upstream (kubernetes#131345) then answers
    UnschedulableAndUnresolvable instead of Unschedulable, with the same reasons.

    Statuses are immutable: sharing one per set of reasons saves building millions of
    equal objects in a large cluster (and lets the summary count them by identity).
    """
    found = _FIT_STATUSES.get((reasons, too_big))
    if found is None:
        build = unresolvable if too_big else unschedulable
        found = build("NodeResourcesFit", *reasons)
        if len(_FIT_STATUSES) < 1024:
            _FIT_STATUSES[(reasons, too_big)] = found
    return found
