"""The Filter plugins, run for one pending pod the way kube-scheduler runs them.

:class:`CycleState` is one scheduling cycle for one pod. It precomputes what the
InterPodAffinity and PodTopologySpread plugins need (their PreFilter), keeps those
counts right when pods are added to or removed from a node (their AddPod/RemovePod
extensions), and runs the filters in the default profile's order, stopping at the
first that fails:

NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodeResourcesFit,
PodTopologySpread (``DoNotSchedule`` constraints), InterPodAffinity (required terms).

What-ifs change the real cluster and are undone with :meth:`CycleState.checkpoint` and
:meth:`CycleState.rollback`, so preemption never copies a node or the cluster.

One module per plugin, each a part of :class:`CycleState`:

- ``_node``: the node-only plugins (NodeUnschedulable, NodeName,
  TaintToleration, NodeAffinity);
- ``_fit``: NodeResourcesFit;
- ``_spread``: PodTopologySpread;
- ``_affinity``: InterPodAffinity;
- ``_arrays``: the node-only filters and NodeResourcesFit for every
  node at once, and the first check of SelectVictimsOnNode likewise;
- ``_cycle``: the cycle itself (what-ifs, filter order, nominated
  pods), and ``_base`` the state the parts share.
"""

from fmlab.k8s._spread import CriticalPaths, SpreadConstraint
from fmlab.k8s._terms import ResolvedTerm
from fmlab.k8s.filters._cycle import CycleState, importance_key
from fmlab.k8s.filters._node import node_matches_pod_selectors, untolerated_taint
from fmlab.k8s.filters._reasons import (
    REASON_AFFINITY,
    REASON_ANTI_AFFINITY,
    REASON_EXISTING_ANTI_AFFINITY,
    REASON_NODE_AFFINITY,
    REASON_NODE_NAME,
    REASON_SPREAD,
    REASON_SPREAD_LABEL,
    REASON_TOO_MANY_PODS,
    REASON_UNSCHEDULABLE,
)
from fmlab.k8s.filters._screen import PreemptionScreen

__all__ = [
    "REASON_AFFINITY",
    "REASON_ANTI_AFFINITY",
    "REASON_EXISTING_ANTI_AFFINITY",
    "REASON_NODE_AFFINITY",
    "REASON_NODE_NAME",
    "REASON_SPREAD",
    "REASON_SPREAD_LABEL",
    "REASON_TOO_MANY_PODS",
    "REASON_UNSCHEDULABLE",
    "CriticalPaths",
    "CycleState",
    "PreemptionScreen",
    "ResolvedTerm",
    "SpreadConstraint",
    "importance_key",
    "node_matches_pod_selectors",
    "untolerated_taint",
]
