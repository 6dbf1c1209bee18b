"""More situations from kube-scheduler's DefaultPreemption unit tests, translated.

Upstream builds each case from small, medium, large and very large requests (100m, 200m,
300m and 500m of cpu, with as many bytes of memory) on nodes that hold the very large
amount, and from a ladder of priorities (negative, low, mid, high, very high). The dry
run is called on every node, as upstream's ``DryRunPreemption`` test does, so that a
node where the pod would already fit is visited too.
"""

from __future__ import annotations

import dataclasses

import pytest

from fmlab.k8s._build import node, pod, spread, started, term
from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._model import Condition, Node, Pod, PodDisruptionBudget
from fmlab.k8s._preemption import dry_run, eligible_to_preempt, find_fits, preempt
from fmlab.k8s._selectors import LabelSelector
from fmlab.k8s.filters import CycleState

NEG, LOW, MID, HIGH, VERY_HIGH = -100, 0, 100, 1000, 10000
SIZES = {"small": "100m", "medium": "200m", "large": "300m", "very large": "500m"}
NOW = started(10_000).timestamp()


def _node(name: str, **labels: str) -> Node:
    return node(name, cpu="500m", memory="500", labels={"hostname": name, **labels}, pods=110)


def _pod(name: str, size: str | None, priority: int, on: str = "", **extra: object) -> Pod:
    amount = SIZES[size] if size else None
    memory = str(int(amount[:-1])) if amount else None
    return pod(
        name,
        cpu=amount,
        memory=memory,
        priority=priority,
        node_name=on,
        **extra,
    )


def _candidates(cluster: ClusterState, pending: Pod) -> dict[str, tuple[list[str], int]]:
    state = CycleState(cluster, pending)
    found, _ = dry_run(state, cluster.node_list, 0, NOW, screen=False, memo=False)
    return {c.node: (sorted(v.name for v in c.victims), c.pdb_violations) for c in found}


def test_a_pod_that_fits_on_both_nodes_once_lower_pods_go() -> None:
    cluster = ClusterState(
        [_node("node1"), _node("node2")],
        [_pod("p1", "large", MID, "node1"), _pod("p2", "large", MID, "node2")],
    )
    assert _candidates(cluster, _pod("p", "large", HIGH)) == {
        "node1": (["p1"], 0),
        "node2": (["p2"], 0),
    }


def test_no_candidate_when_every_running_pod_has_higher_priority() -> None:
    cluster = ClusterState(
        [_node("node1"), _node("node2")],
        [_pod("p1", "large", MID, "node1"), _pod("p2", "large", MID, "node2")],
    )
    assert _candidates(cluster, _pod("p", "large", LOW)) == {}
    result = preempt(cluster, _pod("p", "large", LOW), offset=0, now=NOW)
    assert result.nominated_node is None
    assert "No preemption victims found for incoming pod" in result.reason


def test_equal_priorities_keep_the_pod_that_started_earlier() -> None:
    # Node 1 must lose 300m: the mid pod goes, and of the two low ones the younger.
    cluster = ClusterState(
        [_node("node1"), _node("node2")],
        [
            _pod("p1.1", "small", LOW, "node1", start=5),
            _pod("p1.2", "small", LOW, "node1", start=4),
            _pod("p1.3", "medium", MID, "node1", start=3),
            _pod("p1.4", "small", HIGH, "node1", start=2),
            _pod("p2", "large", HIGH, "node2", start=1),
        ],
    )
    assert _candidates(cluster, _pod("p", "large", HIGH)) == {"node1": (["p1.1", "p1.3"], 0)}


def test_a_low_pod_whose_anti_affinity_blocks_the_newcomer_is_the_victim() -> None:
    cluster = ClusterState(
        [_node("node1"), _node("node2")],
        [
            _pod(
                "p1.1",
                "small",
                LOW,
                "node1",
                labels={"foo": ""},
                anti_affinity=(term({"foo": ""}, "hostname"),),
            ),
            _pod("p1.2", "small", MID, "node1"),
            _pod("p1.3", "small", HIGH, "node1"),
            _pod("p2", "small", HIGH, "node2"),
        ],
    )
    pending = _pod("p", "small", HIGH, labels={"foo": ""})
    # Resources alone would admit p on node1; p1.1's anti-affinity does not, and only p1.1
    # has to go (the mid pod is put back). Node 2 has nothing of lower priority.
    assert _candidates(cluster, pending) == {"node1": (["p1.1"], 0)}


def test_preemption_resolves_a_topology_spread_failure() -> None:
    nodes = [_node("node-a", zone="zone1"), _node("node-b", zone="zone1")]
    nodes.append(_node("node-x", zone="zone2"))
    foo = {"foo": ""}
    cluster = ClusterState(
        nodes,
        [
            _pod("pod-a1", None, MID, "node-a", labels=foo),
            _pod("pod-a2", None, LOW, "node-a", labels=foo),
            _pod("pod-b1", None, LOW, "node-b", labels=foo),
            _pod("pod-x1", None, HIGH, "node-x", labels=foo),
            _pod("pod-x2", None, HIGH, "node-x", labels=foo),
        ],
    )
    pending = _pod(
        "p", None, HIGH, labels=foo, spread=(spread(foo, "zone"), spread(foo, "hostname"))
    )
    assert _candidates(cluster, pending) == {
        "node-a": (["pod-a2"], 0),
        "node-b": (["pod-b1"], 0),
    }
    result = preempt(cluster, pending, offset=0, now=NOW)
    assert result.nominated_node in {"node-a", "node-b"}


def _pdb(allowed: int, disrupted: tuple[str, ...] = ()) -> PodDisruptionBudget:
    return PodDisruptionBudget(
        "default", "foo", LabelSelector.of({"app": "foo"}), allowed, frozenset(disrupted)
    )


@pytest.mark.parametrize(
    ("pods", "disrupted", "violations"),
    [
        # Both pods must go and the budget allows one disruption: one violation.
        (2, (), 1),
        # A pod the budget already counts as disrupted, but not one of ours: still one.
        (2, ("p2",), 1),
        # One victim is already counted as disrupted: it costs the budget nothing.
        (2, ("p1.2",), 0),
        # Three victims, one already disrupted: the other two share one allowed disruption.
        (3, ("p1.3",), 1),
    ],
)
def test_pdb_violations_count_disrupted_pods_as_upstream_does(
    pods: int, disrupted: tuple[str, ...], violations: int
) -> None:
    # Any pod left beside the very large newcomer would overfill the node: all go.
    size = "medium" if pods == 2 else "small"
    running = [
        _pod(f"p1.{i}", size, MID, "node1", labels={"app": "foo"}) for i in range(1, pods + 1)
    ]
    cluster = ClusterState([_node("node1")], running, [_pdb(1, disrupted)])
    names = sorted(p.name for p in running)
    assert _candidates(cluster, _pod("p", "very large", HIGH)) == {"node1": (names, violations)}


def _terminating(conditions: tuple[Condition, ...]) -> Pod:
    going = pod("going", cpu="1", priority=0, node_name="n1")
    return dataclasses.replace(going, deletion_timestamp=started(1), conditions=conditions)


@pytest.mark.parametrize(
    ("conditions", "eligible"),
    [
        ((Condition("DisruptionTarget", "True", "PreemptionByScheduler"),), False),
        # Deleted for another reason (eviction API, node drain): the pod may preempt again.
        ((Condition("DisruptionTarget", "True", "EvictionByEvictionAPI"),), True),
        ((Condition("DisruptionTarget", "False", "PreemptionByScheduler"),), True),
        ((), True),
        # Only the first DisruptionTarget condition is read, as upstream's loop returns on it.
        (
            (
                Condition("DisruptionTarget", "False", "PreemptionByScheduler"),
                Condition("DisruptionTarget", "True", "PreemptionByScheduler"),
            ),
            True,
        ),
    ],
)
def test_eligibility_reads_the_victims_disruption_condition(
    conditions: tuple[Condition, ...], eligible: bool
) -> None:
    cluster = ClusterState([node("n1", cpu="2")], [_terminating(conditions)])
    pending = pod("p", cpu="2", priority=10, nominated="n1")
    cluster.add(pending)
    state = CycleState(cluster, pending)
    _, statuses = find_fits(state)
    assert eligible_to_preempt(pending, cluster, statuses)[0] is eligible


# After upstream's SelectBestCandidate cases: (node, pod, priority, size, start) per pod;
# the pending pod asks for the very large amount, so every lower pod on a node must go.
_BEST_CANDIDATE = {
    "min sum of priorities when the highest are equal": (
        HIGH,
        [
            ("node1", "p1.1", MID, "medium", 0),
            ("node1", "p1.2", MID, "large", 0),
            ("node2", "p2.1", MID, "large", 0),
            ("node2", "p2.2", LOW, "medium", 0),
            ("node3", "p3.1", MID, "medium", 0),
            ("node3", "p3.2", MID, "medium", 0),
        ],
        "node2",
    ),
    "fewest pods when highest priority and sum are equal": (
        HIGH,
        [
            ("node1", "p1.1", MID, "small", 0),
            ("node1", "p1.2", NEG, "small", 0),
            ("node1", "p1.3", MID, "small", 0),
            ("node1", "p1.4", NEG, "small", 0),
            ("node2", "p2.1", MID, "large", 0),
            ("node2", "p2.2", NEG, "medium", 0),
            ("node3", "p3.1", MID, "medium", 0),
            ("node3", "p3.2", NEG, "small", 0),
            ("node3", "p3.3", LOW, "small", 0),
        ],
        "node2",
    ),
    "the sum adds 2^31 per victim, so negative priorities cannot win by count": (
        HIGH,
        [
            ("node1", "p1.1", MID, "small", 0),
            ("node1", "p1.2", NEG, "small", 0),
            ("node1", "p1.3", NEG, "small", 0),
            ("node2", "p2.1", MID, "large", 0),
            ("node2", "p2.2", NEG, "medium", 0),
            ("node3", "p3.1", MID, "medium", 0),
            ("node3", "p3.2", NEG, "small", 0),
            ("node3", "p3.3", LOW, "small", 0),
        ],
        "node2",
    ),
    "lowest top priority, then sum, then count, each deciding somewhere": (
        VERY_HIGH,
        [
            ("node1", "p1.1", MID, "small", 0),
            ("node1", "p1.2", LOW, "small", 0),
            ("node1", "p1.3", LOW, "small", 0),
            ("node2", "p2.1", HIGH, "large", 0),
            ("node3", "p3.1", MID, "medium", 0),
            ("node3", "p3.2", LOW, "small", 0),
            ("node3", "p3.3", LOW, "small", 0),
            ("node3", "p3.4", LOW, "medium", 0),
            ("node4", "p4.1", MID, "medium", 0),
            ("node4", "p4.2", MID, "small", 0),
            ("node4", "p4.3", MID, "small", 0),
            ("node4", "p4.4", NEG, "small", 0),
        ],
        "node1",
    ),
    "equal victims: the node whose victims started last": (
        HIGH,
        [
            ("node1", "p1.1", MID, "medium", 2),
            ("node1", "p1.2", MID, "medium", 2),
            ("node2", "p2.1", MID, "medium", 3),
            ("node2", "p2.2", MID, "medium", 3),
            ("node3", "p3.1", MID, "medium", 1),
            ("node3", "p3.2", MID, "medium", 1),
        ],
        "node2",
    ),
    "start times differ per pod: the latest earliest start wins": (
        HIGH,
        [
            ("node1", "p1.1", MID, "medium", 4),
            ("node1", "p1.2", MID, "medium", 2),
            ("node2", "p2.1", MID, "medium", 5),
            ("node2", "p2.2", MID, "medium", 1),
            ("node3", "p3.1", MID, "medium", 3),
            ("node3", "p3.2", MID, "medium", 6),
        ],
        "node3",
    ),
    "only the most important victims' start times count": (
        HIGH,
        [
            ("node1", "p1.1", LOW, "medium", 4),
            ("node1", "p1.2", MID, "medium", 2),
            ("node2", "p2.1", MID, "medium", 6),
            ("node2", "p2.2", LOW, "medium", 1),
            ("node3", "p3.1", LOW, "medium", 3),
            ("node3", "p3.2", MID, "medium", 5),
        ],
        "node2",
    ),
}


@pytest.mark.parametrize("case", sorted(_BEST_CANDIDATE))
def test_select_best_candidate(case: str) -> None:
    priority, running, expected = _BEST_CANDIDATE[case]
    names = sorted({n for n, *_ in running})
    pods = [_pod(name, size, prio, n, start=start) for n, name, prio, size, start in running]
    cluster = ClusterState([_node(n) for n in names], pods)
    for offset in range(len(names)):  # the choice must not depend on where the dry run starts
        result = preempt(cluster, _pod("p", "very large", priority), offset=offset, now=NOW)
        assert result.nominated_node == expected
