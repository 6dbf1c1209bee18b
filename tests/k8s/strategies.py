"""Small random clusters for property tests (shared by the preemption and planner tests)."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from fmlab.k8s._build import node, pod, spread, term
from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._model import (
    Node,
    Pod,
    PodAffinityTerm,
    PodDisruptionBudget,
    TopologySpreadConstraint,
)
from fmlab.k8s._selectors import LabelSelector

HOST = "kubernetes.io/hostname"
APPS = ("a", "b", "c")


@dataclass(frozen=True)
class Scenario:
    nodes: tuple[Node, ...]
    pods: tuple[Pod, ...]
    pdbs: tuple[PodDisruptionBudget, ...]
    pending: Pod

    def cluster(self) -> ClusterState:
        return ClusterState(self.nodes, self.pods, self.pdbs)


# Names as real clusters have them (cloud node names, Deployment pod names, long
# namespaces), for the tests of what the explanations look like on a page.
NODE_NAMES = (
    "n{i}",
    "ip-10-0-{i}-217.eu-west-1.compute.internal",
    "gke-prod-default-pool-8f3c2a1b-x7k{i}",
    "aks-nodepool1-12345678-vmss00000{i}",
)
POD_NAMES = ("{node}-p{j}", "{app}-deployment-7d9f8c6b5-x2k4{k}", "{app}-{k}")
NAMESPACES = ("default", "payments-production-eu-west-1")


@st.composite
def scenarios(
    draw: st.DrawFn, max_nodes: int = 4, max_pods: int = 4, *, real_names: bool = False
) -> Scenario:
    """A cluster of up to ``max_nodes`` nodes and a pending pod.

    Nodes are ``n0``, ``n1``... and pods ``n0-p0``...; with ``real_names``, names and the
    namespace are drawn from the longer forms real clusters use.
    """
    count = draw(st.integers(1, max_nodes))
    node_name = draw(st.sampled_from(NODE_NAMES)) if real_names else "n{i}"
    pod_name = draw(st.sampled_from(POD_NAMES)) if real_names else "{node}-p{j}"
    namespace = draw(st.sampled_from(NAMESPACES)) if real_names else "default"
    nodes = []
    for i in range(count):
        zone = draw(st.sampled_from(("z1", "z2")))
        name = node_name.format(i=i)
        nodes.append(
            node(
                name,
                cpu=str(draw(st.integers(1, 4))),
                pods=draw(st.integers(2, 6)),
                labels={HOST: name, "zone": zone},
            )
        )
    pods: list[Pod] = []
    for n in nodes:
        free = n.allocatable["cpu"]
        for j in range(draw(st.integers(0, max_pods))):
            if len([p for p in pods if p.node_name == n.name]) >= n.allocatable["pods"]:
                break
            cpu = draw(st.integers(0, 2)) * 500
            if cpu > free:
                break
            free -= cpu
            app = draw(st.sampled_from(APPS))
            anti = ()
            if draw(st.integers(0, 5)) == 0:
                anti = (
                    term(
                        {"app": draw(st.sampled_from(APPS))}, draw(st.sampled_from((HOST, "zone")))
                    ),
                )
            pods.append(
                pod(
                    pod_name.format(node=n.name, app=app, j=j, k=len(pods)),
                    cpu=f"{cpu}m",
                    priority=draw(st.integers(0, 3)),
                    node_name=n.name,
                    labels={"app": app},
                    start=draw(st.integers(0, 5)),
                    anti_affinity=anti,
                    namespace=namespace,
                )
            )
    pdbs = ()
    if draw(st.booleans()):
        pdbs = (
            PodDisruptionBudget(
                namespace, "pdb", LabelSelector.of({"app": "a"}), draw(st.integers(0, 1))
            ),
        )
    affinity: tuple[PodAffinityTerm, ...] = ()
    anti_terms: tuple[PodAffinityTerm, ...] = ()
    spreads: tuple[TopologySpreadConstraint, ...] = ()
    kind = draw(st.integers(0, 4))
    key = draw(st.sampled_from((HOST, "zone")))
    target_app = draw(st.sampled_from(APPS))
    if kind == 1:
        affinity = (term({"app": target_app}, key),)
    elif kind == 2:
        anti_terms = (term({"app": target_app}, key),)
    elif kind == 3:
        spreads = (spread({"app": target_app}, key, max_skew=draw(st.integers(1, 2))),)
    if draw(st.integers(0, 4)) == 0:
        # Another pending pod already nominated to some node.
        pods.append(
            pod(
                "nominated",
                cpu=f"{draw(st.integers(1, 2)) * 500}m",
                priority=draw(st.integers(0, 5)),
                labels={"app": draw(st.sampled_from(APPS))},
                nominated=draw(st.sampled_from(nodes)).name,
                namespace=namespace,
            )
        )
    pending = pod(
        "pending",
        cpu=f"{draw(st.integers(1, 6)) * 500}m",
        priority=draw(st.integers(1, 4)),
        labels={"app": draw(st.sampled_from(APPS))},
        affinity=affinity,
        anti_affinity=anti_terms,
        spread=spreads,
        namespace=namespace,
    )
    return Scenario(tuple(nodes), tuple(pods), pdbs, pending)
