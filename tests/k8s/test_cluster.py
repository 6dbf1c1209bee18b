"""The indexed cluster: building it in bulk gives what adding pods one by one gives."""

from __future__ import annotations

import dataclasses
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmlab.k8s import _cluster as cluster_module
from fmlab.k8s._build import node, pod, term
from fmlab.k8s._cluster import VECTOR_RESOURCES, ClusterState
from fmlab.k8s._manifests import from_documents
from fmlab.k8s._selectors import LabelSelector

from .strategies import Scenario, scenarios


def _one_by_one(scenario: Scenario) -> ClusterState:
    cluster = ClusterState(scenario.nodes, (), scenario.pdbs)
    for p in scenario.pods:
        cluster.add(p)
    return cluster


def _same_index(bulk: ClusterState, single: ClusterState) -> None:
    for resource in VECTOR_RESOURCES:
        assert np.array_equal(bulk.usage.used[resource], single.usage.used[resource])
    levels = set(bulk.usage.by_priority) | set(single.usage.by_priority)
    for level in levels:
        for resource in VECTOR_RESOURCES:
            assert np.array_equal(
                bulk.usage.bucket(level)[resource], single.usage.bucket(level)[resource]
            )
    for name, info in bulk.nodes.items():
        other = single.nodes[name]
        assert list(info.pods) == list(other.pods)
        assert info.requested == other.requested
        assert list(info.anti_affinity_pods) == list(other.anti_affinity_pods)
    assert set(bulk.pending) == set(single.pending)
    assert bulk._label_index == single._label_index
    for cluster in (bulk, single):
        holding = {name for name, info in cluster.nodes.items() if info.anti_affinity_pods}
        assert set(cluster.nodes_with_anti_affinity) == holding


def test_nodes_with_anti_affinity_follow_adds_and_removes() -> None:
    guard = pod("g", node_name="n1", anti_affinity=(term({"app": "x"}),))
    other = pod("h", node_name="n1", anti_affinity=(term({"app": "y"}),))
    cluster = ClusterState([node("n1"), node("n2")], [guard, other, pod("x", node_name="n2")])
    assert set(cluster.nodes_with_anti_affinity) == {"n1"}
    cluster.remove(guard)
    assert set(cluster.nodes_with_anti_affinity) == {"n1"}
    cluster.remove(other)
    assert set(cluster.nodes_with_anti_affinity) == set()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_bulk_building_agrees_with_adding_one_at_a_time(scenario: Scenario) -> None:
    _same_index(scenario.cluster(), _one_by_one(scenario))


def test_bulk_building_sums_priorities_and_keeps_pending_pods_apart() -> None:
    pods = [
        pod("a", cpu="1", memory="1Gi", priority=3, node_name="n1", labels={"app": "x"}),
        pod("b", cpu="500m", priority=3, node_name="n1"),
        pod("c", cpu="2", priority=-1, node_name="n2", labels={"app": "x"}),
        pod("p", cpu="1", priority=9, nominated="n2"),
    ]
    cluster = ClusterState([node("n1"), node("n2")], pods)
    assert cluster.usage.used["cpu"].tolist() == [1500, 2000]
    assert cluster.usage.used["pods"].tolist() == [2, 1]
    assert cluster.usage.used_below(3)["cpu"].tolist() == [0, 2000]
    assert cluster.usage.bucket(3)["memory"].tolist() == [2**30, 0]
    assert set(cluster.pending) == {"default/p"}
    assert cluster.nominated_usage.bucket(9)["cpu"].tolist() == [0, 1000]
    assert {p.key for p in cluster.pods_possibly_matching(LabelSelector.of({"app": "x"}))} == {
        "default/a",
        "default/c",
    }


def _sharing_maps(scenario: Scenario) -> Scenario:
    """The scenario with equal label and request maps shared, as the fast reader shares them."""
    shared: dict[tuple[object, ...], Any] = {}

    def one(mapping: Any) -> Any:
        return shared.setdefault(tuple(sorted(mapping.items())), mapping)

    pods = tuple(
        dataclasses.replace(p, labels=one(p.labels), requests=one(p.requests))
        for p in scenario.pods
    )
    return dataclasses.replace(scenario, pods=pods)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from([0, 1, 2, 4096]))
def test_bulk_building_with_shared_maps_agrees_with_adding_one_at_a_time(
    scenario: Scenario, remembered: int
) -> None:
    # The identity memos of the bulk path, including the memo given up when it fills.
    shared = _sharing_maps(scenario)
    with mock.patch.object(cluster_module, "_LABEL_MAPS_REMEMBERED", remembered):
        _same_index(shared.cluster(), _one_by_one(shared))


def _pod_document(name: str, **spec: Any) -> dict[str, Any]:
    status = {"phase": spec.pop("phase")} if "phase" in spec else {}
    containers = [{"name": "c", "resources": {"requests": {"cpu": "100m"}}}]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "x"}},
        "spec": {"containers": containers, **spec},
        "status": status,
    }


_NODE_DOCUMENT = {
    "apiVersion": "v1",
    "kind": "Node",
    "metadata": {"name": "n1"},
    "status": {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"}},
}
_DEFAULT_CLASS = {
    "apiVersion": "scheduling.k8s.io/v1",
    "kind": "PriorityClass",
    "metadata": {"name": "normal"},
    "value": 7,
    "globalDefault": True,
}


_READY = _pod_document("ready", nodeName="n1", priority=1)
_WAITING = _pod_document("waiting", priority=1)


def test_loading_takes_the_quick_path_when_every_pod_is_ready_to_index() -> None:
    documents = [_NODE_DOCUMENT, _DEFAULT_CLASS, _READY, _WAITING]
    quick = ClusterState.from_manifests(from_documents(documents))
    single = ClusterState.from_manifests(from_documents(documents[:2]))
    for p in from_documents(documents).pods:
        single.add(p)
    _same_index(quick, single)
    assert list(quick.pending) == ["default/waiting"]


# Each pod alone sends the load down the careful path (one case each, so that a quick-path
# check that let any of them through would fail here).
@pytest.mark.parametrize(
    ("special", "bound", "warnings"),
    [
        (_pod_document("unadmitted", nodeName="n1"), ["ready", "unadmitted"], []),
        (_pod_document("done", nodeName="n1", priority=1, phase="Succeeded"), ["ready"], []),
        (_pod_document("failed", nodeName="n1", priority=1, phase="Failed"), ["ready"], []),
        (
            _pod_document("lost", nodeName="n9", priority=1),
            ["ready"],
            ["Pod default/lost is bound to unknown node n9; ignored"],
        ),
    ],
)
def test_loading_admits_skips_finished_pods_and_warns_about_unknown_nodes(
    special: dict[str, Any], bound: list[str], warnings: list[str]
) -> None:
    documents = [_NODE_DOCUMENT, _DEFAULT_CLASS, _READY, special, _WAITING]
    cluster = ClusterState.from_manifests(from_documents(documents))
    assert list(cluster.nodes["n1"].pods) == [f"default/{name}" for name in bound]
    assert all(p.priority is not None for p in cluster.nodes["n1"].pods.values())
    if "unadmitted" in bound:
        assert cluster.nodes["n1"].pods["default/unadmitted"].priority == 7  # the default
    assert list(cluster.pending) == ["default/waiting"]
    assert cluster.warnings == warnings
