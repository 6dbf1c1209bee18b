"""Filter failure reasons, worded as kube-scheduler words them (they appear in FitError
messages), and the (label key, value) pair that topology counts are kept by."""

from __future__ import annotations

REASON_UNSCHEDULABLE = "node(s) were unschedulable"
REASON_NODE_NAME = "node(s) didn't match the requested node name"
REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector"
REASON_AFFINITY = "node(s) didn't match pod affinity rules"
REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules"
REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules"
REASON_SPREAD_LABEL = (
    "node(s) didn't match pod topology spread constraints (missing required label)"
)
REASON_SPREAD = "node(s) didn't match pod topology spread constraints"
REASON_TOO_MANY_PODS = "Too many pods"

Pair = tuple[str, str]
