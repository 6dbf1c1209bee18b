"""The relational view of a cluster."""

from __future__ import annotations

import pytest

from fmlab.k8s._build import node, pod
from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._views import SET_ASIDE, cluster_instance, draw_cluster, usage_notes


def test_nodes_pods_domains_and_highlights() -> None:
    cluster = ClusterState(
        [node("n1", labels={"zone": "a"}), node("n2", labels={"zone": "a"}), node("n3")],
        [pod("x", node_name="n1"), pod("y", node_name="n2")],
    )
    cluster.add(pod("p", priority=5, nominated="n1"))
    world = cluster_instance(
        cluster, victims=["default/x"], pending=["default/p"], domain_key="zone", title="t"
    )
    assert world.atoms["Node"] == ("n1", "n2", "n3")
    assert set(world.atoms["Pod"]) == {"default/x", "default/y", "default/p"}
    assert world.image("nominated_to", "default/p") == {"n1"}
    assert world.image("in_domain", "n2") == {"zone=a"}
    assert world.image("in_domain", "n3") == set()
    assert world.highlight == frozenset({"default/x", "default/p"})


def test_highlighting_an_unknown_pod_is_refused() -> None:
    cluster = ClusterState([node("n1")])
    with pytest.raises(ValueError, match="unknown atoms"):
        cluster_instance(cluster, victims=["default/ghost"])


def test_set_aside_and_proposed_placements_are_relations() -> None:
    cluster = ClusterState([node("n1")], [pod("x", node_name="n1")])
    cluster.add(pod("p", priority=5))
    world = cluster_instance(cluster, set_aside=["default/x"], proposed={"default/p": "n1"})
    assert world.relations[SET_ASIDE] == frozenset({("default/x",)})
    assert world.image("would_run_on", "default/p") == {"n1"}
    assert SET_ASIDE not in cluster_instance(cluster).relations


def test_usage_notes_sum_requests_per_node_and_leave_out_set_aside_pods() -> None:
    cluster = ClusterState(
        [node("n1", cpu="4", memory="8Gi"), node("n2", cpu="2", memory="1Gi")],
        [
            pod("a", cpu="1", memory="1Gi", priority=3, node_name="n1"),
            pod("b", cpu="500m", node_name="n1"),
        ],
    )
    cluster.add(pod("p", cpu="2", priority=9))
    notes = usage_notes(cluster)
    assert notes["n1"] == ["cpu 1500m/4", "memory 1Gi/8Gi"]
    assert notes["n2"] == ["cpu 0/2", "memory 0/1Gi"]
    assert notes["default/a"] == ["priority 3", "cpu 1, memory 1Gi"]
    assert notes["default/p"] == ["priority 9", "cpu 2"]
    assert usage_notes(cluster, without={"default/a"})["n1"] == ["cpu 500m/4", "memory 0/8Gi"]


def test_drawing_shows_usage_and_highlights_victims() -> None:
    cluster = ClusterState([node("n1", cpu="2")], [pod("x", cpu="2", node_name="n1")])
    cluster.add(pod("p", cpu="1", priority=5))
    source = draw_cluster(
        cluster, victims=["default/x"], pending=["default/p"], set_aside=["default/x"]
    ).source
    assert "cpu 0/2" in source
    assert "priority 5" in source
    assert "(set_aside)" in source
    # Highlighted atoms are drawn bold; only the two named pods are.
    assert source.count("filled,bold") == 2
