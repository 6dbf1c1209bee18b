"""The exercise checkers reject wrong answers with a replayed counterexample, accept right ones.

The reference for "least disruption" here is a brute force written in this file: every
subset of the lower-priority pods on every node, kept when the filters let the pod in,
ranked by kube-scheduler's criteria spelled out again below (no budgets in these
clusters, so the first criterion is zero throughout). It shares the filters with the
library but neither the search nor the ranking.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest

from fmlab.core.result import Refuted, Verdict
from fmlab.k8s import (
    CRITERIA,
    ClusterState,
    PlanCounterexample,
    Pod,
    check_eviction,
    check_greedy_gap,
    node,
    plan_status,
    pod,
    preempt,
)

NOW = 1e9


def _greedy_trap() -> tuple[ClusterState, Pod]:
    """Three pods of one priority; the oldest and largest is put back first."""
    cluster = ClusterState(
        [node("n1", cpu="4")],
        [
            pod("big", cpu="2", priority=5, node_name="n1", start=1),
            pod("small-a", cpu="1", priority=5, node_name="n1", start=2),
            pod("small-b", cpu="1", priority=5, node_name="n1", start=3),
        ],
    )
    return cluster, pod("p", cpu="2", priority=100)


def _two_nodes() -> tuple[ClusterState, Pod]:
    cluster = ClusterState(
        [node("n1", cpu="3"), node("n2", cpu="3")],
        [
            pod("a", cpu="1", priority=1, node_name="n1", start=1),
            pod("b", cpu="2", priority=3, node_name="n1", start=2),
            pod("c", cpu="2", priority=2, node_name="n2", start=3),
            pod("d", cpu="1", priority=2, node_name="n2", start=4),
        ],
    )
    return cluster, pod("p", cpu="2", priority=10)


def _witness(answer: object) -> PlanCounterexample:
    assert isinstance(answer, Refuted), answer
    witness = answer.witness
    assert isinstance(witness, PlanCounterexample)
    return witness


def _rank(victims: Sequence[Pod]) -> tuple[float, ...]:
    if not victims:
        return (0, -(2**31), 0, 0, 0)
    top = max(v.effective_priority for v in victims)
    earliest = min(v.start_seconds or 0.0 for v in victims if v.effective_priority == top)
    return (0, top, sum(v.effective_priority + 2**31 for v in victims), len(victims), -earliest)


def _brute_force(cluster: ClusterState, pending: Pod) -> dict[tuple[str, frozenset[str]], bool]:
    """Every valid (node, victims) plan, and whether it is among the best."""
    valid: dict[tuple[str, frozenset[str]], tuple[float, ...]] = {}
    lower = [
        p
        for info in cluster.nodes.values()
        for p in info.pods.values()
        if p.effective_priority < pending.effective_priority
    ]
    for name in cluster.nodes:
        for size in range(len(lower) + 1):
            for chosen in itertools.combinations(lower, size):
                if plan_status(cluster, pending, name, chosen).ok:
                    valid[(name, frozenset(p.key for p in chosen))] = _rank(chosen)
    best = min(valid.values())
    return {plan: rank == best for plan, rank in valid.items()}


@pytest.mark.parametrize("make", [_greedy_trap, _two_nodes])
def test_check_eviction_agrees_with_a_brute_force(make: object) -> None:
    assert callable(make)
    cluster, pending = make()
    plans = _brute_force(cluster, pending)
    assert any(plans.values())
    assert not all(plans.values())
    for (name, keys), best in plans.items():
        answer = check_eviction(cluster, pending, name, sorted(keys), now=NOW)
        assert answer.verdict is (Verdict.PROVED if best else Verdict.REFUTED), (name, keys)


def test_a_plan_that_does_not_fit_is_answered_with_the_failing_filter() -> None:
    cluster, pending = _greedy_trap()
    answer = check_eviction(cluster, pending, "n1", ["default/small-a"], now=NOW)
    witness = _witness(answer)
    assert "NodeResourcesFit" in witness.problem
    assert witness.details == ("Insufficient cpu",)


def test_a_beaten_plan_names_the_criterion_but_not_the_better_pods() -> None:
    cluster, pending = _greedy_trap()
    answer = check_eviction(cluster, pending, "n1", ["small-a", "small-b"], now=NOW)
    witness = _witness(answer)
    assert witness.details[0] == CRITERIA[2]
    shown = answer.explain()
    assert "big" not in shown  # the better plan's pod is not given away
    assert all(len(line) <= 90 for line in shown.splitlines())


def test_the_best_plan_is_accepted() -> None:
    cluster, pending = _greedy_trap()
    assert check_eviction(cluster, pending, "n1", ["default/big"], now=NOW).proved


@pytest.mark.parametrize(
    ("node_name", "keys", "expected"),
    [
        ("n9", ["big"], "there is no node 'n9'"),
        ("n1", ["nobody"], "there is no pod 'nobody' in the cluster"),
        ("n1", ["p"], "default/p is pending: it runs on no node"),
    ],
)
def test_answers_that_name_nothing_real_are_refuted(
    node_name: str, keys: list[str], expected: str
) -> None:
    cluster, pending = _greedy_trap()
    cluster.add(pending)
    answer = check_eviction(cluster, pending, node_name, keys, now=NOW)
    assert _witness(answer).problem == expected


def test_a_victim_of_equal_priority_is_refused() -> None:
    cluster, pending = _greedy_trap()
    cluster.add(pod("peer", cpu="1", priority=100, node_name="n1"))
    answer = check_eviction(cluster, pending, "n1", ["peer"], now=NOW)
    assert "may not be evicted" in _witness(answer).problem


def test_greedy_gap_is_proved_where_default_preemption_evicts_too_much() -> None:
    cluster, pending = _greedy_trap()
    default = preempt(cluster, pending, offset=0, now=NOW)
    assert sorted(v.name for v in default.victims) == ["small-a", "small-b"]
    assert check_greedy_gap(cluster, pending, now=NOW).proved


def test_greedy_gap_is_refuted_with_what_default_preemption_does() -> None:
    cluster = ClusterState(
        [node("n1", cpu="4")],
        [
            pod("a", cpu="2", priority=5, node_name="n1", start=1),
            pod("b", cpu="2", priority=5, node_name="n1", start=2),
        ],
    )
    answer = check_greedy_gap(cluster, pod("p", cpu="2", priority=100), now=NOW)
    assert _witness(answer).problem.endswith("node n1, evicting b")


def test_greedy_gap_is_refuted_when_nothing_needs_evicting_or_default_gives_up() -> None:
    roomy = ClusterState([node("n1", cpu="4")], [])
    answer = check_greedy_gap(roomy, pod("p", cpu="2", priority=100), now=NOW)
    assert "no preemption happens" in _witness(answer).problem
    outranked = ClusterState(
        [node("n1", cpu="2")], [pod("boss", cpu="2", priority=1000, node_name="n1")]
    )
    answer = check_greedy_gap(outranked, pod("p", cpu="2", priority=100), now=NOW)
    assert "nominates no node" in _witness(answer).problem
