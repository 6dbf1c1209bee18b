"""The scheduler loop: binding, preemption then binding on retry, graceful victims."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmlab.k8s._build import node, pod
from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._scheduler import Scheduler, least_allocated, num_feasible_nodes_to_find


def test_pods_are_bound_to_the_least_allocated_node() -> None:
    cluster = ClusterState([node("n1", cpu="4"), node("n2", cpu="4")])
    scheduler = Scheduler(cluster)
    scheduler.submit(pod("a", cpu="1"))
    scheduler.submit(pod("b", cpu="1"))
    scheduler.run()
    placed = {e.pod: e.node for e in scheduler.events if e.kind == "bound"}
    assert placed == {"default/a": "n1", "default/b": "n2"}
    assert least_allocated(cluster.nodes["n1"], pod("x", cpu="1")) < 100


def test_preemption_nominates_then_the_retry_binds() -> None:
    cluster = ClusterState([node("n1", cpu="2")], [pod("low", cpu="2", priority=0, node_name="n1")])
    scheduler = Scheduler(cluster)
    scheduler.submit(pod("high", cpu="2", priority=10))
    scheduler.run()
    kinds = [(e.kind, e.pod) for e in scheduler.events]
    assert kinds == [
        ("preempted", "default/low"),
        ("deleted", "default/low"),
        ("nominated", "default/high"),
        ("bound", "default/high"),
    ]
    bound_at = next(e.time for e in scheduler.events if e.kind == "bound")
    assert bound_at == 1.0  # the retry waited out the first backoff (1 s)


def test_victims_terminate_gracefully_and_block_a_second_preemption() -> None:
    cluster = ClusterState([node("n1", cpu="2")], [pod("low", cpu="2", priority=0, node_name="n1")])
    scheduler = Scheduler(cluster, grace_seconds=30.0)
    scheduler.submit(pod("high", cpu="2", priority=10))
    scheduler.run()
    events = [(e.time, e.kind, e.pod) for e in scheduler.events]
    # Retries during the grace period find the victim still terminating: not eligible
    # to preempt again, so no second victim is chosen; the pod binds once it is gone.
    assert events[0] == (0.0, "preempted", "default/low")
    assert (30.0, "deleted", "default/low") in events
    assert events[-1][1:] == ("bound", "default/high")
    assert events[-1][0] >= 30.0
    assert sum(1 for e in scheduler.events if e.kind == "preempted") == 1


def test_unschedulable_pod_waits_without_looping_forever() -> None:
    cluster = ClusterState(
        [node("n1", cpu="1")], [pod("big", cpu="1", priority=99, node_name="n1")]
    )
    scheduler = Scheduler(cluster)
    scheduler.submit(pod("p", cpu="1", priority=1))
    cycles = scheduler.run()
    assert cycles == 1
    assert scheduler.queue.lengths().unschedulable == 1
    # A bounded run lets the five-minute flush retry it.
    scheduler.run(until=400.0)
    assert sum(1 for e in scheduler.events if e.kind == "unschedulable") == 2


def test_preemption_basic_in_miniature() -> None:
    nodes = 20
    scheduler = Scheduler(
        ClusterState([node(f"n{i}", cpu="4", memory="32Gi") for i in range(nodes)])
    )
    for i in range(4 * nodes):
        scheduler.submit(pod(f"low-{i}", cpu="900m", memory="500Mi", priority=1))
    scheduler.run()
    for i in range(nodes):
        scheduler.submit(pod(f"high-{i}", cpu="3", memory="500Mi", priority=10))
    scheduler.run()
    bound = {e.pod for e in scheduler.events if e.kind == "bound"}
    assert all(f"default/high-{i}" in bound for i in range(nodes))
    assert sum(1 for e in scheduler.events if e.kind == "preempted") == 3 * nodes
    for info in scheduler.cluster.nodes.values():
        assert info.requested["cpu"] <= info.node.allocatable["cpu"]


def test_feasible_node_count() -> None:
    assert num_feasible_nodes_to_find(99) == 99
    assert num_feasible_nodes_to_find(100) == 100
    assert num_feasible_nodes_to_find(1000) == 420
    assert num_feasible_nodes_to_find(100_000) == 5000  # never below 5 %


@st.composite
def _arrivals(draw: st.DrawFn) -> tuple[list[tuple[str, int]], list[tuple[int, int, int]]]:
    nodes = [(f"n{i}", draw(st.integers(1, 4))) for i in range(draw(st.integers(1, 4)))]
    pods = [
        (draw(st.integers(1, 4)) * 500, draw(st.integers(0, 5)), draw(st.integers(0, 10)))
        for _ in range(draw(st.integers(1, 12)))
    ]
    return nodes, pods


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_arrivals(), st.sampled_from([0.0, 5.0]))
def test_scheduler_laws(
    case: tuple[list[tuple[str, int]], list[tuple[int, int, int]]], grace: float
) -> None:
    node_specs, pod_specs = case
    cluster = ClusterState([node(name, cpu=str(cpu)) for name, cpu in node_specs])
    scheduler = Scheduler(cluster, grace_seconds=grace)
    priorities = {}

    def within_capacity() -> bool:
        return all(
            info.requested.get("cpu", 0) <= info.node.allocatable["cpu"]
            for info in cluster.nodes.values()
        )

    for index, (milli, priority, at) in enumerate(sorted(pod_specs, key=lambda s: s[2])):
        while scheduler.schedule_one():  # step by step, checking capacity after each cycle
            assert within_capacity()
        scheduler.run(until=float(at))
        assert within_capacity()
        scheduler.now = max(scheduler.now, float(at))
        name = f"p{index}"
        priorities[f"default/{name}"] = priority
        scheduler.submit(pod(name, cpu=f"{milli}m", priority=priority))
    scheduler.run()
    # No node is over capacity at the end either...
    for info in cluster.nodes.values():
        assert info.requested.get("cpu", 0) <= info.node.allocatable["cpu"]
        assert sum(p.requests.get("cpu", 0) for p in info.pods.values()) == info.requested.get(
            "cpu", 0
        )
    # ...every victim had strictly lower priority than the pod that evicted it...
    for event in scheduler.events:
        if event.kind == "preempted":
            assert priorities[event.pod] < priorities[event.detail]
    # ...and a pod is bound at most once, and never while it is still pending.
    bound = [e.pod for e in scheduler.events if e.kind == "bound"]
    assert len(bound) == len(set(bound))
    assert not set(bound) & set(cluster.pending)
