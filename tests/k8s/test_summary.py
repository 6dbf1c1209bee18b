"""kube-scheduler's FitError sentence, checked against sentences kube-scheduler printed.

The expected strings are FailedScheduling messages as clusters report them (reasons
counted per node, the ``"<count> <reason>"`` strings sorted as strings), and the
``FitError.Error()`` rules of pkg/scheduler/framework/types.go.
"""

from __future__ import annotations

from fmlab.k8s._build import node, pod
from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._preemption import preempt
from fmlab.k8s._status import unresolvable, unschedulable
from fmlab.k8s._summary import NO_NODES, fit_error

TAINT = unresolvable("TaintToleration", "node(s) had untolerated taint(s)")
CPU = unschedulable("NodeResourcesFit", "Insufficient cpu")
CPU_MEMORY = unschedulable("NodeResourcesFit", "Insufficient cpu", "Insufficient memory")
SELECTOR = unresolvable("NodeAffinity", "node(s) didn't match Pod's node affinity/selector")
ANTI = unschedulable("InterPodAffinity", "node(s) didn't match pod anti-affinity rules")


def test_counts_are_part_of_the_sorted_strings() -> None:
    # As printed for a 3-node cluster: the taint (count 1) before cpu (count 2), although
    # "Insufficient" sorts before "node(s)".
    statuses = {"cp": TAINT, "w1": CPU, "w2": CPU}
    assert fit_error(statuses) == (
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu."
    )


def test_a_seven_node_sentence_with_two_reasons_on_some_nodes() -> None:
    statuses = {
        "a": SELECTOR,
        "b": ANTI,
        "c": TAINT,
        "d": TAINT,
        "e": CPU_MEMORY,
        "f": CPU_MEMORY,
        "g": CPU_MEMORY,
    }
    assert fit_error(statuses) == (
        "0/7 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, "
        "1 node(s) didn't match pod anti-affinity rules, 2 node(s) had untolerated taint(s), "
        "3 Insufficient cpu, 3 Insufficient memory."
    )


def test_ten_sorts_before_two_as_strings_do() -> None:
    statuses = {f"n{i}": CPU for i in range(10)} | {"t1": TAINT, "t2": TAINT}
    assert fit_error(statuses) == (
        "0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint(s)."
    )


def test_a_prefilter_rejection_replaces_the_per_node_reasons() -> None:
    status = unresolvable("VolumeBinding", "pod has unbound immediate PersistentVolumeClaims")
    sentence = fit_error(
        {"a": status, "b": status},
        prefilter_message="pod has unbound immediate PersistentVolumeClaims",
    )
    assert sentence == (
        "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims."
    )


def test_no_nodes_is_said_plainly() -> None:
    assert fit_error({}) == NO_NODES == "no nodes available to schedule pods"
    result = preempt(ClusterState([]), pod("p", cpu="1"), offset=0, now=0.0)
    assert result.reason == NO_NODES
    assert result.nominated_node is None


def test_preemption_sentence_uses_the_same_order() -> None:
    # node a has a victim but too little cpu even without it; b and c have no victims.
    # (Each node could hold the pod if empty: a pod larger than a node makes it
    # UnschedulableAndUnresolvable, "Preemption is not helpful", kubernetes#131345.)
    cluster = ClusterState(
        [node("a", cpu="2"), node("b", cpu="2"), node("c", cpu="2")],
        [
            pod("high-a", cpu="1", node_name="a", priority=10),
            pod("low", cpu="500m", node_name="a", priority=1),
            pod("high-b", cpu="1", node_name="b", priority=10),
            pod("high-c", cpu="1", node_name="c", priority=10),
        ],
    )
    result = preempt(cluster, pod("p", cpu="2", priority=5), offset=0, now=0.0)
    assert result.reason == (
        "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
        "1 Insufficient cpu, 2 No preemption victims found for incoming pod."
    )
