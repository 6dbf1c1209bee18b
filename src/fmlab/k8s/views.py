"""A cluster as a relational :class:`~fmlab.core.instance.Instance`, ready to draw.

Nodes, pods and topology domains become atoms; ``runs_on``, ``nominated_to`` and
``in_domain`` become relations, and the victims of a plan (with the pending pod) are
highlighted, so :func:`fmlab.viz.draw_instance` can show a preemption at a glance.

>>> from fmlab.k8s.build import node, pod
>>> cluster = ClusterState([node("n1", labels={"zone": "a"})],
...                        [pod("low", node_name="n1", priority=0)])
>>> world = cluster_instance(cluster, victims=["default/low"], domain_key="zone")
>>> sorted(world.image("runs_on", "default/low")), sorted(world.highlight)
(['n1'], ['default/low'])
"""

from __future__ import annotations

from collections.abc import Iterable

from fmlab.core.instance import Instance
from fmlab.k8s.cluster import ClusterState


def cluster_instance(
    cluster: ClusterState,
    *,
    victims: Iterable[str] = (),
    pending: Iterable[str] = (),
    domain_key: str | None = None,
    title: str | None = None,
) -> Instance:
    """The cluster's nodes, pods and (optionally) the domains of ``domain_key``."""
    nodes = list(cluster.nodes)
    bound = [(pod.key, info.name) for info, pod in cluster.bound_pods()]
    waiting = list(cluster.pending.values())
    atoms: dict[str, list[str]] = {
        "Node": nodes,
        "Pod": [key for key, _ in bound] + [pod.key for pod in waiting],
    }
    relations: dict[str, list[tuple[str, ...]]] = {
        "runs_on": [(key, node) for key, node in bound],
        "nominated_to": [
            (pod.key, pod.nominated_node_name)
            for pod in waiting
            if pod.nominated_node_name in cluster.nodes
        ],
    }
    if domain_key is not None:
        domains = {
            name: f"{domain_key}={info.node.labels[domain_key]}"
            for name, info in cluster.nodes.items()
            if domain_key in info.node.labels
        }
        atoms["Domain"] = sorted(set(domains.values()))
        relations["in_domain"] = sorted(domains.items())
    highlight = [*victims, *pending]
    return Instance.build(atoms, relations, highlight=highlight, title=title)
