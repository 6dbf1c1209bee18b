"""DefaultPreemption on situations translated from kube-scheduler's preemption tests."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from fmlab.k8s._build import node, pod, started, term
from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._manifests import load_manifests
from fmlab.k8s._model import NEVER, Condition, PodDisruptionBudget
from fmlab.k8s._preemption import (
    NO_VICTIMS,
    Candidate,
    candidate_count,
    explain_victim_selection,
    pick_one_node,
    preempt,
    select_victims_on_node,
    split_by_pdb,
)
from fmlab.k8s._selectors import LabelSelector, Taint
from fmlab.k8s._victim_steps import StepAction, VictimStep
from fmlab.k8s.filters import CycleState

DATA = Path(__file__).parent / "data"
NOW = started(10_000).timestamp()
HOST = "kubernetes.io/hostname"


def _keys(result_victims: tuple[object, ...]) -> list[str]:
    return [v.key for v in result_victims]  # type: ignore[attr-defined]


def test_candidate_count_is_ten_percent_clamped_to_100_and_n() -> None:
    assert [candidate_count(n) for n in (1, 50, 100, 999, 1000, 1500, 5000)] == [
        1, 50, 100, 100, 100, 150, 500,
    ]  # fmt: skip


def test_pod_that_fits_needs_no_preemption() -> None:
    cluster = ClusterState([node("n1", cpu="2")], [pod("a", cpu="1", node_name="n1")])
    result = preempt(cluster, pod("p", cpu="1", priority=10), seed=0, now=NOW)
    assert result.fits == ("n1",)
    assert result.nominated_node is None


def test_lowest_highest_victim_priority_wins() -> None:
    cluster = ClusterState(
        [node("n1", cpu="2"), node("n2", cpu="2")],
        [
            pod("a", cpu="2", priority=10, node_name="n1"),
            pod("b", cpu="2", priority=5, node_name="n2"),
        ],
    )
    result = preempt(cluster, pod("p", cpu="1", priority=100), seed=0, now=NOW)
    assert result.nominated_node == "n2"
    assert _keys(result.victims) == ["default/b"]


def test_sum_of_adjusted_priorities_is_considered() -> None:
    # Negative priorities: without the 2^31 offset, evicting two pods would look cheaper.
    cluster = ClusterState(
        [node("n1", cpu="2"), node("n2", cpu="2")],
        [
            pod("a1", cpu="1", priority=-10, node_name="n1"),
            pod("a2", cpu="1", priority=-10, node_name="n1"),
            pod("b1", cpu="2", priority=-10, node_name="n2"),
        ],
    )
    result = preempt(cluster, pod("p", cpu="2", priority=0), seed=0, now=NOW)
    assert result.nominated_node == "n2"


def test_latest_start_time_of_the_top_victims_wins() -> None:
    cluster = ClusterState(
        [node("n1", cpu="1"), node("n2", cpu="1")],
        [
            pod("old", cpu="1", priority=1, node_name="n1", start=100),
            pod("new", cpu="1", priority=1, node_name="n2", start=200),
        ],
    )
    result = preempt(cluster, pod("p", cpu="1", priority=9), seed=0, now=NOW)
    assert result.nominated_node == "n2"


def test_fewer_pdb_violations_beat_lower_priority() -> None:
    manifests = load_manifests([DATA / "basic.yaml"])
    cluster = ClusterState.from_manifests(manifests)
    result = preempt(cluster, cluster.find_pod("urgent"), seed=0, now=NOW)
    # node-1's victim (priority 10) is protected by a PDB; node-2's (priority 50) is not.
    assert result.nominated_node == "node-2"
    assert result.pdb_violations == 0
    assert _keys(result.victims) == ["default/mid-2"]


def test_pick_one_node_criteria_in_order() -> None:
    low = pod("l", priority=1, node_name="x", start=10)
    low_late = pod("ll", priority=1, node_name="x", start=50)
    high = pod("h", priority=5, node_name="x")
    a = Candidate("a", (high,), 0)
    b = Candidate("b", (low,), 1)
    c = Candidate("c", (low,), 0)
    d = Candidate("d", (low_late,), 0)
    assert pick_one_node([b, a], NOW).node == "a"  # PDB violations first
    assert pick_one_node([a, c], NOW).node == "c"  # then the highest victim's priority
    assert pick_one_node([c, d], NOW).node == "d"  # then (after sum, count) the latest start
    assert pick_one_node([c, Candidate("e", (low,), 0)], NOW).node == "c"  # full tie: first


def test_split_by_pdb_spends_the_budget_in_importance_order() -> None:
    pdb = PodDisruptionBudget("default", "b", LabelSelector.of({"app": "x"}), 1)
    first = pod("first", labels={"app": "x"}, priority=5)
    second = pod("second", labels={"app": "x"}, priority=1)
    unlabelled = pod("free")
    violating, fine = split_by_pdb([first, second, unlabelled], [pdb])
    assert [p.name for p in violating] == ["second"]
    assert [p.name for p in fine] == ["first", "free"]
    already = dataclasses.replace(pdb, disrupted_pods=frozenset({"first"}))
    violating, _ = split_by_pdb([first, second], [already])
    assert violating == []
    empty = PodDisruptionBudget("default", "all", LabelSelector(), 0)
    assert split_by_pdb([first], [empty]) == ([], [first])


def test_victims_with_a_shared_pdb_count_one_violation() -> None:
    pdb = PodDisruptionBudget("default", "b", LabelSelector.of({"app": "x"}), 1)
    cluster = ClusterState(
        [node("n1", cpu="2")],
        [
            pod("x1", cpu="1", priority=1, node_name="n1", labels={"app": "x"}, start=1),
            pod("x2", cpu="1", priority=1, node_name="n1", labels={"app": "x"}, start=2),
        ],
        [pdb],
    )
    result = preempt(cluster, pod("p", cpu="2", priority=10), seed=0, now=NOW)
    assert result.nominated_node == "n1"
    assert result.pdb_violations == 1
    assert _keys(result.victims) == ["default/x1", "default/x2"]


def test_reprieve_keeps_the_most_important_pods() -> None:
    cluster = ClusterState(
        [node("n1", cpu="3")],
        [
            pod("old", cpu="1", priority=1, node_name="n1", start=1),
            pod("young", cpu="1", priority=1, node_name="n1", start=9),
            pod("mid", cpu="1", priority=2, node_name="n1", start=20),
        ],
    )
    pending = pod("p", cpu="1", priority=10)
    state = CycleState(cluster, pending)
    victims, violations, status = select_victims_on_node(state, cluster.nodes["n1"], NOW)
    assert status.ok
    assert (_keys(victims), violations) == (["default/young"], 0)
    # The what-if left the node exactly as it was.
    assert len(cluster.nodes["n1"].pods) == 3
    assert cluster.nodes["n1"].requested == {"cpu": 3000}


def test_equal_or_higher_priority_pods_are_never_victims() -> None:
    cluster = ClusterState(
        [node("n1", cpu="1")], [pod("same", cpu="1", priority=10, node_name="n1")]
    )
    result = preempt(cluster, pod("p", cpu="1", priority=10), seed=0, now=NOW)
    assert result.nominated_node is None
    assert "No preemption victims found for incoming pod" in result.reason


def test_unresolvable_nodes_are_never_tried() -> None:
    tainted = node("n1", cpu="1", taints=(Taint("dedicated", "x", "NoSchedule"),))
    cluster = ClusterState([tainted], [pod("low", cpu="1", priority=0, node_name="n1")])
    result = preempt(cluster, pod("p", cpu="1", priority=10), seed=0, now=NOW)
    assert result.nominated_node is None
    assert "Preemption is not helpful for scheduling" in result.reason


def test_preemption_policy_never() -> None:
    cluster = ClusterState([node("n1", cpu="1")], [pod("low", cpu="1", priority=0, node_name="n1")])
    polite = pod("p", cpu="1", priority=10, preemption_policy=NEVER)
    result = preempt(cluster, polite, seed=0, now=NOW)
    assert not result.eligible
    assert result.nominated_node is None


def _terminating(name: str, by_scheduler: bool) -> object:
    conditions = (Condition("DisruptionTarget", "True", "PreemptionByScheduler"),)
    return dataclasses.replace(
        pod(name, cpu="1", priority=0, node_name="n1"),
        deletion_timestamp=started(5),
        conditions=conditions if by_scheduler else (),
    )


@pytest.mark.parametrize(("by_scheduler", "eligible"), [(True, False), (False, True)])
def test_nominated_node_with_a_victim_still_terminating(by_scheduler: bool, eligible: bool) -> None:
    cluster = ClusterState(
        [node("n1", cpu="2")],
        [_terminating("going", by_scheduler), pod("low", cpu="1", priority=0, node_name="n1")],  # type: ignore[list-item]
    )
    pending = pod("p", cpu="1", priority=10, nominated="n1")
    cluster.add(pending)
    result = preempt(cluster, pending, seed=0, now=NOW)
    assert result.eligible is eligible


def test_same_node_anti_affinity_in_both_directions() -> None:
    # After the integration test "preemption is performed to satisfy anti-affinity".
    labels = {HOST: "n1"}
    cluster = ClusterState(
        [node("n1", cpu="4", labels=labels)],
        [
            pod("a", cpu="1", priority=0, node_name="n1", labels={"app": "a"}),
            pod("b", cpu="1", priority=0, node_name="n1", anti_affinity=(term({"app": "p"}),)),
            pod("c", cpu="1", priority=0, node_name="n1"),
        ],
    )
    pending = pod(
        "p", cpu="1", priority=10, labels={"app": "p"}, anti_affinity=(term({"app": "a"}),)
    )
    result = preempt(cluster, pending, seed=0, now=NOW)
    assert result.nominated_node == "n1"
    assert sorted(_keys(result.victims)) == ["default/a", "default/b"]


def test_lower_priority_nominations_on_the_chosen_node_are_cleared() -> None:
    cluster = ClusterState([node("n1", cpu="1")], [pod("low", cpu="1", priority=0, node_name="n1")])
    waiting = pod("w", cpu="1", priority=5, nominated="n1")
    cluster.add(waiting)
    pending = pod("p", cpu="1", priority=10)
    cluster.add(pending)
    result = preempt(cluster, pending, seed=0, now=NOW, apply=True)
    assert result.cleared_nominations == ("default/w",)
    assert cluster.pending["default/w"].nominated_node_name == ""
    assert cluster.pending["default/p"].nominated_node_name == "n1"
    assert "default/low" not in cluster.nodes["n1"].pods


def test_sampling_starts_at_the_offset_and_is_deterministic() -> None:
    nodes = [node(f"n{i:04d}", cpu="1") for i in range(1000)]
    pods = [pod(f"low{i:04d}", cpu="1", priority=0, node_name=f"n{i:04d}") for i in range(1000)]
    cluster = ClusterState(nodes, pods)
    pending = pod("p", cpu="1", priority=10)
    result = preempt(cluster, pending, offset=37, now=NOW)
    assert len(result.candidates) == 100  # clamp(1000 * 10%, 100, 1000)
    assert result.nominated_node == "n0037"  # every candidate ties: the first visited wins
    seeded = [preempt(cluster, pending, seed=7, now=NOW).nominated_node for _ in range(2)]
    assert seeded[0] == seeded[1]


def test_dry_run_looks_past_the_quota_for_a_candidate_without_pdb_harm() -> None:
    nodes = [node(f"n{i:03d}", cpu="1") for i in range(200)]
    pods = [
        pod(
            f"v{i:03d}",
            cpu="1",
            priority=0,
            node_name=f"n{i:03d}",
            labels={"guard": "yes"} if i < 150 else {},
        )
        for i in range(200)
    ]
    pdb = PodDisruptionBudget("default", "guard", LabelSelector.of({"guard": "yes"}), 0)
    cluster = ClusterState(nodes, pods, [pdb])
    result = preempt(cluster, pod("p", cpu="1", priority=10), offset=0, now=NOW)
    # Quota is 100, but the first 150 nodes violate the PDB: the run goes on to n150.
    assert result.nominated_node == "n150"
    assert result.pdb_violations == 0
    assert len(result.candidates) == 101  # 100 violating (the list is capped) + 1


# --- the two pitfalls from the talk: the default algorithm fails ----------------------


def test_pitfall_a_affinity_to_a_lower_priority_pod() -> None:
    cluster = ClusterState.from_manifests(load_manifests([DATA / "cluster-pitfall-a.yaml"]))
    web = cluster.find_pod("web")
    result = preempt(cluster, web, seed=0, now=NOW)
    # web could run on node-1 next to cache-0 if batch-0 went, yet nothing is nominated:
    # step one removes cache-0 too, and the affinity check then fails as unresolvable.
    assert result.nominated_node is None
    assert "node(s) didn't match pod affinity rules" in result.reason
    assert cluster.nodes["node-1"].free("cpu") == 0


def test_pitfall_b_anti_affinity_blocker_on_another_node_of_the_zone() -> None:
    cluster = ClusterState.from_manifests(load_manifests([DATA / "cluster-pitfall-b.json"]))
    web = cluster.find_pod("web")
    result = preempt(cluster, web, seed=0, now=NOW)
    # Evicting filler-0 (node-1) and logger-0 (node-2) would do, but each node is judged
    # alone: on node-1 logger-0 still blocks the zone; on node-2 db-0 leaves too little room.
    assert result.nominated_node is None
    assert "node(s) didn't match pod anti-affinity rules" in result.reason


def test_nominated_node_that_became_unresolvable_makes_the_pod_eligible_again() -> None:
    cordoned = node("n1", cpu="2", unschedulable=True)
    going = _terminating("going", by_scheduler=True)
    cluster = ClusterState([cordoned, node("n2", cpu="1")], [going])  # type: ignore[list-item]
    cluster.add(pod("low", cpu="1", priority=0, node_name="n2"))
    pending = pod("p", cpu="1", priority=10, nominated="n1")
    cluster.add(pending)
    result = preempt(cluster, pending, seed=0, now=NOW)
    assert result.eligible
    assert result.nominated_node == "n2"


def test_medium_pod_is_evicted_and_the_small_low_one_stays() -> None:
    # After "medium priority pod is preempted, but lower priority one stays as it is small".
    cluster = ClusterState(
        [node("n1", cpu="4")],
        [
            pod("small-low", cpu="500m", priority=1, node_name="n1"),
            pod("big-medium", cpu="3", priority=50, node_name="n1"),
        ],
    )
    result = preempt(cluster, pod("p", cpu="3", priority=100), seed=0, now=NOW)
    assert result.nominated_node == "n1"
    assert _keys(result.victims) == ["default/big-medium"]


def test_mixed_priorities_are_all_evicted_when_needed() -> None:
    cluster = ClusterState(
        [node("n1", cpu="3")],
        [
            pod("a", cpu="1", priority=1, node_name="n1", start=5),
            pod("b", cpu="1", priority=2, node_name="n1", start=5),
            pod("c", cpu="1", priority=3, node_name="n1", start=5),
        ],
    )
    result = preempt(cluster, pod("p", cpu="3", priority=100), seed=0, now=NOW)
    # Victims are reported most important first.
    assert _keys(result.victims) == ["default/c", "default/b", "default/a"]


def test_steps_tell_the_two_phases() -> None:
    cluster = ClusterState(
        [node("n1", cpu="3")],
        [
            pod("old", cpu="1", priority=1, node_name="n1", start=1),
            pod("young", cpu="1", priority=1, node_name="n1", start=9),
        ],
    )
    state = CycleState(cluster, pod("p", cpu="2", priority=10))
    steps: list[VictimStep] = []
    victims, _, status = select_victims_on_node(state, cluster.nodes["n1"], NOW, steps=steps)
    assert status.ok
    assert _keys(victims) == ["default/young"]
    assert [s.describe() for s in steps] == [
        "remove every lower-priority pod (default/old, default/young): the pod fits",
        "put back default/old: still fits, so it stays",
        "put back default/young: no longer fits, so it is a victim",
    ]


def test_explained_steps_track_what_is_set_aside_and_the_victims() -> None:
    cluster = ClusterState(
        [node("n1", cpu="3")],
        [
            pod("old", cpu="1", priority=1, node_name="n1", start=1),
            pod("young", cpu="1", priority=1, node_name="n1", start=9),
            pod("high", cpu="1", priority=50, node_name="n1", start=5),
        ],
    )
    explained = explain_victim_selection(cluster, pod("p", cpu="1", priority=10), "n1", NOW)
    first, second, third = explained.steps
    assert first.action is StepAction.REMOVE_LOWER
    assert first.fits
    assert first.set_aside == ("default/old", "default/young")
    assert first.victims == ()
    assert (second.pods, second.fits, second.set_aside) == (
        ("default/old",),
        True,
        ("default/young",),
    )
    assert (third.pods, third.fits, third.victims) == (
        ("default/young",),
        False,
        ("default/young",),
    )
    assert third.set_aside == ("default/young",)
    assert _keys(explained.victims) == ["default/young"]
    assert explained.status.ok
    # The what-if leaves the cluster as it was.
    assert set(cluster.nodes["n1"].pods) == {"default/old", "default/young", "default/high"}


def test_explained_steps_when_the_pod_cannot_fit_and_when_nothing_is_lower() -> None:
    cluster = ClusterState([node("n1", cpu="2")], [pod("low", cpu="1", priority=1, node_name="n1")])
    too_big = explain_victim_selection(cluster, pod("p", cpu="3", priority=10), "n1", NOW)
    assert len(too_big.steps) == 1
    assert not too_big.steps[0].fits
    assert too_big.steps[0].reasons
    assert not too_big.status.ok
    lower = explain_victim_selection(cluster, pod("p", cpu="1", priority=0), "n1", NOW)
    assert lower.steps == ()
    assert lower.status.reasons == (NO_VICTIMS,)


def test_explained_steps_mark_pdb_violating_pods_and_agree_with_the_shortcut() -> None:
    budget = PodDisruptionBudget("default", "keep", LabelSelector.of({"app": "db"}), 0)
    cluster = ClusterState(
        [node("n1", cpu="3")],
        [
            pod("db", cpu="1", priority=1, node_name="n1", labels={"app": "db"}, start=9),
            pod("other", cpu="1", priority=1, node_name="n1", start=1),
        ],
        [budget],
    )
    pending = pod("p", cpu="2", priority=10)
    explained = explain_victim_selection(cluster, pending, "n1", NOW)
    puts = explained.steps[1:]
    assert [(s.pods, s.violates_pdb) for s in puts] == [
        (("default/db",), True),
        (("default/other",), False),
    ]
    quick = select_victims_on_node(CycleState(cluster, pending), cluster.nodes["n1"], NOW)
    assert (quick[0], quick[1]) == (explained.victims, explained.pdb_violations)
