"""Synthetic clusters for benchmarks and notebooks, generated deterministically.

>>> cluster = zoned_cluster(6)
>>> len(cluster.nodes), sum(len(i.pods) for i in cluster.nodes.values())
(6, 180)
"""

from __future__ import annotations

from fmlab.k8s._build import node, pod, term
from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._model import Pod

ZONE = "topology.kubernetes.io/zone"
HOST = "kubernetes.io/hostname"


def zoned_cluster(nodes: int, pods_per_node: int = 30, zones: int = 3) -> ClusterState:
    """Full 4-CPU nodes over ``zones`` zones, each with ``pods_per_node`` 130m pods.

    Priorities cycle through 0-4; about one pod in a hundred is labelled
    ``app: logger``, the others ``app: app-0`` ... ``app-4``.
    """
    node_list = [
        node(f"n{i:04d}", cpu="4", labels={HOST: f"n{i:04d}", ZONE: f"z{i % zones}"})
        for i in range(nodes)
    ]
    pods: list[Pod] = []
    for i in range(nodes):
        for j in range(pods_per_node):
            app = "logger" if (i * 7 + j) % 97 == 0 else f"app-{j % 5}"
            pods.append(
                pod(
                    f"p{i:04d}-{j:02d}",
                    cpu="130m",
                    priority=(i * 3 + j) % 5,
                    node_name=f"n{i:04d}",
                    labels={"app": app},
                    start=float((i * 31 + j * 17) % 1000),
                )
            )
    return ClusterState(node_list, pods)


def zone_shy_pod() -> Pod:
    """One CPU at priority 10, refusing to share a zone with any ``app: logger`` pod."""
    return pod("urgent", cpu="1", priority=10, anti_affinity=(term({"app": "logger"}, ZONE),))
