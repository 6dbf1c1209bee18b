"""A cluster as a relational :class:`~fmlab.core.instance.Instance`, ready to draw.

Nodes, pods and topology domains become atoms; ``runs_on``, ``nominated_to`` and
``in_domain`` become relations, and the victims of a plan (with the pending pod) are
highlighted, so :func:`fmlab.viz.draw_instance` can show a preemption at a glance.
``usage_notes`` writes each node's cpu and memory use (and each pod's priority and
requests) as lines to put inside the drawn atoms; :func:`draw_cluster` does both.

>>> from fmlab.k8s._build import node, pod
>>> cluster = ClusterState([node("n1", labels={"zone": "a"})],
...                        [pod("low", node_name="n1", priority=0)])
>>> world = cluster_instance(cluster, victims=["default/low"], domain_key="zone")
>>> sorted(world.image("runs_on", "default/low")), sorted(world.highlight)
(['n1'], ['default/low'])
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from fmlab.core.instance import Instance
from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._model import Pod
from fmlab.k8s._quantity import format_amount
from fmlab.viz import Drawing, draw_instance

SET_ASIDE = "set_aside"
"""The unary relation marking pods a what-if has taken off their node."""


def cluster_instance(
    cluster: ClusterState,
    *,
    victims: Iterable[str] = (),
    pending: Iterable[str] = (),
    domain_key: str | None = None,
    title: str | None = None,
    set_aside: Iterable[str] = (),
    proposed: Mapping[str, str] | None = None,
) -> Instance:
    """The cluster's nodes, pods and (optionally) the domains of ``domain_key``.

    ``set_aside`` pods (bound ones a what-if removed) are in the unary relation
    ``set_aside``; ``proposed`` maps pending pods to the node a plan would put them on
    (relation ``would_run_on``).
    """
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
    aside: list[tuple[str, ...]] = [(key,) for key in set_aside]
    if aside:
        relations[SET_ASIDE] = aside
    if proposed:
        relations["would_run_on"] = sorted(proposed.items())
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


def _amounts(requests: Mapping[str, int]) -> str:
    shown = [f"{r} {format_amount(r, requests[r])}" for r in ("cpu", "memory") if r in requests]
    return ", ".join(shown)


def _pod_note(pod: Pod) -> list[str]:
    lines = [f"priority {pod.effective_priority}"]
    requested = _amounts(pod.requests)
    if requested:
        lines.append(requested)
    return lines


def usage_notes(cluster: ClusterState, *, without: Collection[str] = ()) -> dict[str, list[str]]:
    """Per node ``used/allocatable`` cpu and memory; per pod its priority and requests.

    Pods in ``without`` (keys) are left out of their nodes' sums, as in a what-if.

    >>> from fmlab.k8s._build import node, pod
    >>> cluster = ClusterState([node("n1", cpu="4", memory="8Gi")],
    ...                        [pod("a", cpu="1500m", memory="1Gi", node_name="n1")])
    >>> notes = usage_notes(cluster)
    >>> notes["n1"], notes["default/a"]
    (['cpu 1500m/4', 'memory 1Gi/8Gi'], ['priority 0', 'cpu 1500m, memory 1Gi'])
    >>> usage_notes(cluster, without={"default/a"})["n1"]
    ['cpu 0/4', 'memory 0/8Gi']
    """
    notes: dict[str, list[str]] = {}
    for name, info in cluster.nodes.items():
        used = dict(info.requested)
        for key in without:
            pod = info.pods.get(key)
            if pod is not None:
                for resource, amount in pod.requests.items():
                    used[resource] -= amount
        notes[name] = [
            f"{r} {format_amount(r, used.get(r, 0))}/"
            f"{format_amount(r, info.node.allocatable.get(r, 0))}"
            for r in ("cpu", "memory")
            if r in info.node.allocatable
        ]
    for pod in cluster.all_pods():
        notes[pod.key] = _pod_note(pod)
    return notes


def draw_cluster(
    cluster: ClusterState,
    *,
    victims: Iterable[str] = (),
    pending: Iterable[str] = (),
    domain_key: str | None = None,
    title: str | None = None,
    set_aside: Collection[str] = (),
    proposed: Mapping[str, str] | None = None,
) -> Drawing:
    """``cluster_instance`` drawn, with ``usage_notes`` inside nodes and pods."""
    world = cluster_instance(
        cluster,
        victims=victims,
        pending=pending,
        domain_key=domain_key,
        title=title,
        set_aside=set_aside,
        proposed=proposed,
    )
    return draw_instance(world, notes=usage_notes(cluster, without=set_aside))
