"""KubeSchedulerConfiguration: one test per argument, each checking what the argument
changes in a decision (not only that it parses), plus upstream's validation messages.

Validation follows kube-scheduler's ``apis/config/validation`` (the messages quoted here are
its own); behaviour follows the plugins' arguments as their tests use them.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from fmlab.core.errors import InputError
from fmlab.k8s import ClusterState, Scheduler, filter_pod, parse_config, parse_manifests, preempt

from .upstream import node, pod

HEADER = {"apiVersion": "kubescheduler.config.k8s.io/v1", "kind": "KubeSchedulerConfiguration"}


def _config(**profile: Any) -> Any:
    document = {**HEADER, "profiles": [{"schedulerName": "default-scheduler", **profile}]}
    return parse_config(json.dumps(document), source="config.json")


def _args(plugin: str, args: dict[str, Any]) -> Any:
    return _config(pluginConfig=[{"name": plugin, "args": args}])


def _cluster(objects: list[dict[str, Any]]) -> ClusterState:
    return ClusterState.from_manifests(parse_manifests(json.dumps(objects)))


def _requests(**amounts: str) -> list[dict[str, Any]]:
    return [{"name": "c", "resources": {"requests": dict(amounts)}}]


# --- NodeResourcesFitArgs --------------------------------------------------------------


def test_ignored_resources_are_not_checked() -> None:
    cluster = _cluster([node("n1"), pod("p", containers=_requests(**{"example.com/gpu": "1"}))])
    pending = cluster.find_pod("p")
    assert not filter_pod(cluster, pending).fits
    config = _args("NodeResourcesFit", {"ignoredResources": ["example.com/gpu"]})
    assert filter_pod(cluster, pending, config=config).fits == ("n1",)


def test_ignored_resource_groups_cover_every_resource_of_the_domain() -> None:
    wanted = {"example.com/gpu": "1", "example.com/fpga": "1"}
    cluster = _cluster([node("n1"), pod("p", containers=_requests(**wanted))])
    config = _args("NodeResourcesFit", {"ignoredResourceGroups": ["example.com"]})
    assert filter_pod(cluster, cluster.find_pod("p"), config=config).fits == ("n1",)


def test_kubernetes_io_resources_cannot_be_ignored() -> None:
    # Only extended resources are skipped (fit.go: IsExtendedResourceName).
    wanted = {"kubernetes.io/something": "1"}
    cluster = _cluster([node("n1"), pod("p", containers=_requests(**wanted))])
    config = _args("NodeResourcesFit", {"ignoredResources": ["kubernetes.io/something"]})
    assert not filter_pod(cluster, cluster.find_pod("p"), config=config).fits


def test_a_resource_group_with_a_slash_is_refused() -> None:
    with pytest.raises(InputError, match="resource group name can't contain '/'"):
        _args("NodeResourcesFit", {"ignoredResourceGroups": ["example.com/gpu"]})


def _placements(config: Any) -> dict[str, str]:
    cluster = _cluster(
        [
            node("busy", allocatable={"cpu": "4", "memory": "16Gi", "pods": "110"}),
            node("idle", allocatable={"cpu": "4", "memory": "16Gi", "pods": "110"}),
            pod("load", on="busy", containers=_requests(cpu="2", memory="8Gi")),
        ]
    )
    scheduler = Scheduler(cluster, config=config)
    scheduler.submit(_pending("p", cpu="1", memory="1Gi"))
    scheduler.run()
    return {e.pod: e.node for e in scheduler.events if e.kind == "bound"}


def _pending(name: str, **requests: str) -> Any:
    manifests = parse_manifests(json.dumps([pod(name, containers=_requests(**requests))]))
    return manifests.pods[0]


def test_scoring_strategy_most_allocated_packs_where_least_allocated_spreads() -> None:
    assert _placements(None) == {"default/p": "idle"}
    most = _args("NodeResourcesFit", {"scoringStrategy": {"type": "MostAllocated"}})
    assert _placements(most) == {"default/p": "busy"}


def test_scoring_weights_outside_one_to_a_hundred_are_refused() -> None:
    strategy = {"type": "LeastAllocated", "resources": [{"name": "cpu", "weight": 0}]}
    with pytest.raises(InputError, match=r"not in valid range \[1, 100\]"):
        _args("NodeResourcesFit", {"scoringStrategy": strategy})


def test_an_unknown_argument_is_refused_as_strict_decoding_does() -> None:
    with pytest.raises(InputError, match="unknown field"):
        _args("NodeResourcesFit", {"ignoredResource": ["x"]})


# --- NodeAffinityArgs ------------------------------------------------------------------


def test_added_affinity_restricts_every_pod_of_the_profile() -> None:
    added = {
        "requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [
                {"matchExpressions": [{"key": "pool", "operator": "In", "values": ["batch"]}]}
            ]
        }
    }
    cluster = _cluster(
        [node("web", labels={"pool": "web"}), node("batch", labels={"pool": "batch"}), pod("p")]
    )
    config = _args("NodeAffinity", {"addedAffinity": added})
    report = filter_pod(cluster, cluster.find_pod("p"), config=config)
    assert report.fits == ("batch",)
    (web,) = [n for n in report.nodes if n.node == "web"]
    assert web.plugins["NodeAffinity"].reasons == (
        "node(s) didn't match scheduler-enforced node affinity",
    )


# --- DefaultPreemptionArgs -------------------------------------------------------------


def _preemption_cluster(nodes: int) -> ClusterState:
    objects: list[dict[str, Any]] = []
    for i in range(nodes):
        objects.append(node(f"n{i:02d}", allocatable={"cpu": "1", "memory": "1Gi", "pods": "10"}))
        objects.append(pod(f"low{i:02d}", on=f"n{i:02d}", containers=_requests(cpu="1")))
    objects.append(pod("p", containers=_requests(cpu="1"), priority=100))
    return _cluster(objects)


def _candidates(config: Any, nodes: int = 20) -> int:
    cluster = _preemption_cluster(nodes)
    result = preempt(cluster, cluster.find_pod("p"), offset=0, now=0.0, config=config)
    assert result.nominated_node is not None
    return len(result.candidates)


def test_min_candidate_nodes_absolute_and_percentage() -> None:
    # calculateNumCandidates: max(nodes * percentage / 100, absolute), at most the nodes.
    assert _candidates(None) == 20  # 10 % of 20 is 2, raised to 100, capped at 20
    config = _args("DefaultPreemption", {"minCandidateNodesAbsolute": 3})
    assert _candidates(config) == 3  # 10 % of 20 is 2, raised to 3
    config = _args(
        "DefaultPreemption", {"minCandidateNodesPercentage": 50, "minCandidateNodesAbsolute": 1}
    )
    assert _candidates(config) == 10


def test_min_candidate_nodes_percentage_alone() -> None:
    config = _args(
        "DefaultPreemption", {"minCandidateNodesPercentage": 25, "minCandidateNodesAbsolute": 0}
    )
    assert _candidates(config) == 5


def test_both_candidate_minimums_zero_are_refused() -> None:
    with pytest.raises(InputError, match="cannot be zero"):
        _args(
            "DefaultPreemption", {"minCandidateNodesPercentage": 0, "minCandidateNodesAbsolute": 0}
        )


def test_candidate_percentage_above_a_hundred_is_refused() -> None:
    with pytest.raises(InputError, match=r"not in valid range \[0, 100\]"):
        _args("DefaultPreemption", {"minCandidateNodesPercentage": 101})


# --- PodTopologySpreadArgs -------------------------------------------------------------


def _owned(name: str, on: str = "") -> dict[str, Any]:
    found = pod(name, on=on, labels={"app": "web"})
    found["metadata"]["ownerReferences"] = [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web", "controller": True}
    ]
    return found


def _spread_cluster() -> ClusterState:
    replica_set = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"selector": {"matchLabels": {"app": "web"}}},
    }
    return _cluster(
        [
            node("a", labels={"zone": "z1"}),
            node("b", labels={"zone": "z2"}),
            replica_set,
            _owned("web-0", on="a"),
            _owned("web-1", on="a"),
            _owned("p"),
        ]
    )


LIST_DEFAULTS = {
    "defaultingType": "List",
    "defaultConstraints": [
        {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}
    ],
}


def test_default_constraints_of_type_list_filter_with_the_owners_selector() -> None:
    cluster = _spread_cluster()
    pending = cluster.find_pod("p")
    report = filter_pod(cluster, pending, config=_args("PodTopologySpread", LIST_DEFAULTS))
    assert report.fits == ("b",)


def test_system_defaulting_only_scores() -> None:
    # The system defaults are ScheduleAnyway: they never filter.
    cluster = _spread_cluster()
    config = _args("PodTopologySpread", {"defaultingType": "System"})
    assert filter_pod(cluster, cluster.find_pod("p"), config=config).fits == ("a", "b")


def test_default_constraints_with_system_defaulting_are_refused() -> None:
    with pytest.raises(
        InputError, match=re.escape('must be empty when .defaultingType is "System"')
    ):
        _args("PodTopologySpread", {**LIST_DEFAULTS, "defaultingType": "System"})


def test_default_constraints_must_not_carry_a_selector() -> None:
    constraint = {**LIST_DEFAULTS["defaultConstraints"][0], "labelSelector": {}}
    with pytest.raises(InputError, match="must not define a selector"):
        _args("PodTopologySpread", {"defaultingType": "List", "defaultConstraints": [constraint]})


# --- profiles --------------------------------------------------------------------------


def test_profiles_are_chosen_by_scheduler_name() -> None:
    document = {
        **HEADER,
        "profiles": [
            {"schedulerName": "default-scheduler"},
            {
                "schedulerName": "no-taints",
                "plugins": {"filter": {"disabled": [{"name": "TaintToleration"}]}},
            },
        ],
    }
    config = parse_config(json.dumps(document))
    tainted = node("n1", taints=[{"key": "k", "value": "v", "effect": "NoSchedule"}])
    cluster = _cluster([tainted, pod("a"), pod("b", schedulerName="no-taints")])
    assert not filter_pod(cluster, cluster.find_pod("a"), config=config).fits
    assert filter_pod(cluster, cluster.find_pod("b"), config=config).fits == ("n1",)
    other = _cluster([tainted, pod("c", schedulerName="volcano")])
    report = filter_pod(other, other.find_pod("c"), config=config)
    assert "volcano" in report.summary
    assert not report.nodes


def test_a_profile_named_twice_is_refused() -> None:
    document = {**HEADER, "profiles": [{"schedulerName": "x"}, {"schedulerName": "x"}]}
    with pytest.raises(InputError, match="appears twice"):
        parse_config(json.dumps(document))


def test_disabling_default_preemption_stops_preemption() -> None:
    config = _config(plugins={"postFilter": {"disabled": [{"name": "DefaultPreemption"}]}})
    cluster = _preemption_cluster(2)
    result = preempt(cluster, cluster.find_pod("p"), offset=0, now=0.0, config=config)
    assert result.nominated_node is None


def test_unmodelled_plugins_and_arguments_are_named_in_warnings() -> None:
    config = _config(
        pluginConfig=[{"name": "VolumeBinding", "args": {"bindTimeoutSeconds": 600}}],
        plugins={"score": {"enabled": [{"name": "ImageLocality"}]}},
    )
    assert any("VolumeBinding" in w for w in config.warnings)
    assert any("score" in w for w in config.warnings)
