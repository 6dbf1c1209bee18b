"""A DefaultPreemption attempt retold as stages agrees with the attempt itself."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from fmlab.k8s._build import node, pod, started
from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._model import NEVER
from fmlab.k8s._preemption import Candidate
from fmlab.k8s._selectors import Taint
from fmlab.k8s._walkthrough import CRITERIA, criteria_values, walk_through

from .strategies import Scenario, scenarios

NOW = started(10_000).timestamp()


def _cluster() -> ClusterState:
    cluster = ClusterState(
        [
            node("n1", cpu="2", taints=(Taint("gpu", "", "NoSchedule"),)),
            node("n2", cpu="2"),
            node("n3", cpu="2"),
        ],
        [
            pod("a", cpu="2", priority=1, node_name="n1"),
            pod("b", cpu="1", priority=5, node_name="n2", start=1),
            pod("c", cpu="1", priority=5, node_name="n2", start=2),
            pod("d", cpu="2", priority=3, node_name="n3"),
        ],
    )
    cluster.add(pod("waiting", cpu="1", priority=2, nominated="n3"))
    return cluster


def test_stages_tell_each_step_and_the_deciding_criterion() -> None:
    cluster = _cluster()
    urgent = pod("urgent", cpu="2", priority=10)
    told = walk_through(cluster, urgent, offset=0, now=NOW)
    titles = [s.title for s in told.stages]
    assert titles == [
        "1. eligible?",
        "2. filters",
        "3. potential",
        "4.1 n2",
        "4.2 n3",
        "5. choose",
        "6. nominate",
    ]
    assert "n1: UnschedulableAndUnresolvable" in told.stages[1].text()
    assert "Never tried" in told.stages[2].text()
    assert told.stages[3].victims == ("default/b", "default/c")
    assert told.stages[4].victims == ("default/d",)
    # n3's single victim has priority 3, below n2's top victim (5).
    assert told.deciding_criterion == CRITERIA[1]
    assert told.result.nominated_node == "n3"
    assert "default/waiting" in told.stages[-1].text()
    assert told.stages[-1].victims == ("default/d",)
    assert "default/d" in cluster.nodes["n3"].pods  # nothing was changed


def test_an_ineligible_pod_stops_after_the_filters() -> None:
    cluster = _cluster()
    told = walk_through(
        cluster, pod("p", cpu="2", priority=10, preemption_policy=NEVER), offset=0, now=NOW
    )
    assert [s.title for s in told.stages] == ["1. eligible?", "2. filters"]
    assert "may not preempt" in told.stages[0].text()


def test_a_full_tie_goes_to_the_first_candidate() -> None:
    twins = [Candidate("x", (pod("v", priority=1, node_name="x", start=1),), 0)] * 2
    assert criteria_values(twins[0], NOW)[0] == 0
    cluster = ClusterState(
        [node("n1", cpu="1"), node("n2", cpu="1")],
        [
            pod("a", cpu="1", priority=1, node_name="n1", start=1),
            pod("b", cpu="1", priority=1, node_name="n2", start=1),
        ],
    )
    told = walk_through(cluster, pod("p", cpu="1", priority=9), offset=1, now=NOW)
    assert told.deciding_criterion == "a full tie: the first candidate visited"
    assert told.result.nominated_node == "n2"  # visited first, from offset 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_candidates_told_are_the_attempts_candidates(scenario: Scenario) -> None:
    cluster = scenario.cluster()
    if len(cluster.node_list) > 100:
        pytest.skip("walk_through retells small clusters")
    told = walk_through(cluster, scenario.pending, offset=0, now=NOW)
    said = {s.node: s.victims for s in told.stages if s.title.startswith("4.") and s.victims}
    found = {c.node: tuple(v.key for v in c.victims) for c in told.result.candidates}
    assert said == found
