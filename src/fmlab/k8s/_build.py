"""Short constructors for nodes and pods, for tests, notebooks and benchmarks.

Quantities are written as in a manifest and converted with Kubernetes' rules.

>>> n = node("n1", cpu="4", memory="8Gi", labels={"zone": "a"})
>>> n.allocatable["cpu"], n.allocatable["memory"], n.allocatable["pods"]
(4000, 8589934592, 110)
>>> p = pod("web", cpu="500m", priority=10, node_name="n1")
>>> p.requests, p.key
({'cpu': 500}, 'default/web')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from fmlab.k8s._model import Node, Pod, PodAffinityTerm, TopologySpreadConstraint
from fmlab.k8s._quantity import parse_quantity, scheduler_amount
from fmlab.k8s._selectors import LabelSelector, Taint, Toleration

_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def _amounts(values: Mapping[str, str | int]) -> dict[str, int]:
    return {k: scheduler_amount(k, parse_quantity(v)) for k, v in values.items()}


def node(
    name: str,
    *,
    cpu: str | int = "4",
    memory: str | int = "16Gi",
    pods: int = 110,
    labels: Mapping[str, str] | None = None,
    taints: tuple[Taint, ...] = (),
    unschedulable: bool = False,
    extra: Mapping[str, str | int] | None = None,
) -> Node:
    allocatable = _amounts({"cpu": cpu, "memory": memory, "pods": pods, **(extra or {})})
    return Node(name, dict(labels or {}), taints, unschedulable, allocatable)


def started(seconds: float) -> dt.datetime:
    """A start time ``seconds`` after a fixed epoch (so tests are reproducible)."""
    return _EPOCH + dt.timedelta(seconds=seconds)


def pod(
    name: str,
    *,
    cpu: str | int | None = None,
    memory: str | int | None = None,
    priority: int | None = 0,
    node_name: str = "",
    namespace: str = "default",
    labels: Mapping[str, str] | None = None,
    start: float | None = 0.0,
    affinity: tuple[PodAffinityTerm, ...] = (),
    anti_affinity: tuple[PodAffinityTerm, ...] = (),
    spread: tuple[TopologySpreadConstraint, ...] = (),
    tolerations: tuple[Toleration, ...] = (),
    node_selector: Mapping[str, str] | None = None,
    nominated: str = "",
    preemption_policy: str | None = None,
    extra: Mapping[str, str | int] | None = None,
) -> Pod:
    requests: dict[str, str | int] = dict(extra or {})
    if cpu is not None:
        requests["cpu"] = cpu
    if memory is not None:
        requests["memory"] = memory
    return Pod(
        namespace=namespace,
        name=name,
        labels=dict(labels or {}),
        node_name=node_name,
        priority=priority,
        preemption_policy=preemption_policy,
        requests=_amounts(requests),
        node_selector=dict(node_selector or {}),
        affinity_terms=affinity,
        anti_affinity_terms=anti_affinity,
        tolerations=tolerations,
        spread_constraints=spread,
        start_time=started(start) if start is not None and node_name else None,
        nominated_node_name=nominated,
    )


def term(
    labels: Mapping[str, str], topology_key: str = "kubernetes.io/hostname"
) -> PodAffinityTerm:
    """A required (anti-)affinity term selecting pods with ``labels`` in the same namespace."""
    return PodAffinityTerm(LabelSelector.of(labels), topology_key)


def spread(
    labels: Mapping[str, str], topology_key: str = "zone", max_skew: int = 1
) -> TopologySpreadConstraint:
    return TopologySpreadConstraint(
        max_skew, topology_key, "DoNotSchedule", LabelSelector.of(labels)
    )
