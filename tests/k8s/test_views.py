"""The relational view of a cluster."""

from __future__ import annotations

import pytest

from fmlab.k8s.build import node, pod
from fmlab.k8s.cluster import ClusterState
from fmlab.k8s.views import cluster_instance


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
