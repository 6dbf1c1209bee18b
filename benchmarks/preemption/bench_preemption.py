"""One DefaultPreemption decision at Kubernetes' documented scale limit.

5,000 nodes and 150,000 pods (30 per node, every node full), with every modelled filter
in play: the pending pod has a node selector, required node affinity, a toleration, a
``DoNotSchedule`` spread constraint over zones and a required anti-affinity term, and
1 % of the running pods carry anti-affinity of their own. Prints JSON with medians.

Run: ``.venv/bin/python benchmarks/preemption/bench_preemption.py [--nodes N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from fmlab.k8s._build import node, pod, spread, term
from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._manifests import from_documents
from fmlab.k8s._model import Node, Pod
from fmlab.k8s._preemption import find_fits, post_filter
from fmlab.k8s._selectors import NodeSelector, NodeSelectorTerm, Requirement, Toleration
from fmlab.k8s.filters import CycleState

# Run alone or through benchmarks/run.py: either way the harness module is beside us.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import Case

HOST = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"


def make_cluster_objects(nodes: int, pods_per_node: int) -> tuple[list[Node], list[Pod]]:
    node_list = [
        node(
            f"node-{i:05d}",
            cpu="4",
            memory="32Gi",
            labels={HOST: f"node-{i:05d}", ZONE: f"zone-{i % 10}", "pool": "general"},
        )
        for i in range(nodes)
    ]
    pod_list = []
    for i in range(nodes):
        for j in range(pods_per_node):
            anti = (term({"app": "singleton"}),) if (i * pods_per_node + j) % 100 == 0 else ()
            pod_list.append(
                pod(
                    f"p-{i:05d}-{j:02d}",
                    cpu="130m",
                    memory="512Mi",
                    priority=(i + j) % 5,
                    node_name=f"node-{i:05d}",
                    labels={"app": f"app-{j % 7}", "tier": "batch"},
                    start=float(i * pods_per_node + j),
                    anti_affinity=anti,
                )
            )
    return node_list, pod_list


def manifest_documents(nodes: int, pods_per_node: int) -> list[dict[str, Any]]:
    """The same cluster as ``kubectl get nodes,pods -o json`` would give it, already parsed.

    Pods carry what kubectl shows for a plain pod: one container with requests, labels,
    the two default NoExecute tolerations, a phase and a start time.
    """
    default_tolerations = [
        {"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
        for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")
    ]
    items: list[dict[str, Any]] = []
    for i in range(nodes):
        name = f"node-{i:05d}"
        labels = {HOST: name, ZONE: f"zone-{i % 10}", "pool": "general"}
        items.append(
            {
                "apiVersion": "v1",
                "kind": "Node",
                "metadata": {"name": name, "labels": labels},
                "status": {"allocatable": {"cpu": "4", "memory": "32Gi", "pods": "110"}},
            }
        )
    for i in range(nodes):
        for j in range(pods_per_node):
            container = {
                "name": "main",
                "image": "busybox",
                "resources": {"requests": {"cpu": "130m", "memory": "512Mi"}},
            }
            items.append(
                {
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": {
                        "name": f"p-{i:05d}-{j:02d}",
                        "namespace": "default",
                        "labels": {"app": f"app-{j % 7}", "tier": "batch"},
                    },
                    "spec": {
                        "nodeName": f"node-{i:05d}",
                        "priority": (i + j) % 5,
                        "containers": [container],
                        "tolerations": [dict(t) for t in default_tolerations],
                    },
                    "status": {"phase": "Running", "startTime": f"2024-05-01T10:{j:02d}:00Z"},
                }
            )
    return [{"apiVersion": "v1", "kind": "List", "items": items}]


def pending_pod() -> Pod:
    import dataclasses

    base = pod(
        "urgent",
        cpu="500m",
        memory="1Gi",
        priority=100,
        labels={"app": "web"},
        node_selector={"pool": "general"},
        anti_affinity=(term({"app": "web"}),),
        spread=(spread({"app": "web"}, ZONE, max_skew=5000),),
        tolerations=(Toleration("dedicated", "Exists"),),
    )
    zones = tuple(f"zone-{z}" for z in range(10))
    affinity = NodeSelector((NodeSelectorTerm((Requirement(ZONE, "In", zones),)),))
    return dataclasses.replace(base, node_affinity=affinity)


def run(nodes: int, pods_per_node: int, repeat: int) -> dict[str, Any]:
    node_list, pod_list = make_cluster_objects(nodes, pods_per_node)
    loads = []
    cluster = None
    for _ in range(max(1, repeat // 2)):
        started = time.perf_counter()
        cluster = ClusterState(node_list, pod_list)
        loads.append(time.perf_counter() - started)
    assert cluster is not None
    pending = pending_pod()
    prefilter, filtering, postfilter, decisions = [], [], [], []
    result = None
    for r in range(repeat):
        offset = r * 997 % nodes
        started = time.perf_counter()
        state = CycleState(cluster, pending)
        prefiltered = time.perf_counter()
        fits, statuses = find_fits(state)
        filtered = time.perf_counter()
        assert not fits
        result = post_filter(state, statuses, offset=offset, now=1e9)
        finished = time.perf_counter()
        prefilter.append(prefiltered - started)
        filtering.append(filtered - prefiltered)
        postfilter.append(finished - filtered)
        decisions.append(finished - started)
    assert result is not None
    assert result.nominated_node is not None, result.reason
    return {
        "benchmark": "preemption-decision",
        "nodes": nodes,
        "pods": len(pod_list),
        "candidates": len(result.candidates),
        "victims": len(result.victims),
        "load_seconds_median": statistics.median(loads),
        "prefilter_seconds_median": statistics.median(prefilter),
        "filter_seconds_median": statistics.median(filtering),
        "postfilter_seconds_median": statistics.median(postfilter),
        "decision_seconds_median": statistics.median(decisions),
    }


def cases(nodes: int = 5000, pods_per_node: int = 30) -> list[Case]:
    """The harness's view: loading the cluster, and one decision on the loaded cluster."""
    node_list, pod_list = make_cluster_objects(nodes, pods_per_node)
    cluster = ClusterState(node_list, pod_list)
    pending = pending_pod()
    params = {"nodes": nodes, "pods": len(pod_list)}

    def decide() -> object:
        state = CycleState(cluster, pending)
        fits, statuses = find_fits(state)
        assert not fits
        return post_filter(state, statuses, offset=0, now=1e9)

    documents = manifest_documents(nodes, pods_per_node)

    def indexed(cluster: ClusterState) -> str:
        bound = sum(len(info.pods) for info in cluster.node_list)
        return f"{len(cluster.nodes)} nodes, {bound} pods indexed"

    expected = f"{nodes} nodes, {len(pod_list)} pods indexed"

    return [
        Case(
            "preemption",
            "parsed manifests to indexed cluster",
            "fmlab.k8s",
            lambda: indexed(ClusterState.from_manifests(from_documents(documents))),
            params,
            repeat=3,
            check=lambda answer: answer == expected,
        ),
        Case(
            "preemption",
            "index the cluster (ClusterState)",
            "fmlab.k8s",
            lambda: indexed(ClusterState(node_list, pod_list)),
            params,
            repeat=3,
            check=lambda answer: answer == expected,
        ),
        Case(
            "preemption",
            "one preemption decision, every filter",
            "fmlab.k8s DefaultPreemption",
            decide,
            params,
            repeat=5,
            check=lambda r: getattr(r, "nominated_node", None) is not None,
        ),
    ]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--pods-per-node", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    report = run(args.nodes, args.pods_per_node, args.repeat)
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
