"""Building the manifests of translated upstream situations, and running them through the
public API (:func:`fmlab.k8s.filter_pod`), for the situation tables."""

from __future__ import annotations

import json
from typing import Any

from fmlab.k8s import ClusterState, FilterReport, SchedulerConfig, filter_pod, parse_manifests


def node(name: str, *, labels: dict[str, str] | None = None, **spec: Any) -> dict[str, Any]:
    allocatable = spec.pop("allocatable", {"cpu": "4", "memory": "16Gi", "pods": "110"})
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": labels or {}},
        "spec": spec,
        "status": {"allocatable": allocatable},
    }


def pod(
    name: str,
    *,
    on: str = "",
    labels: dict[str, str] | None = None,
    containers: list[dict[str, Any]] | None = None,
    **spec: Any,
) -> dict[str, Any]:
    body = {"containers": containers or [{"name": "c"}], "priority": spec.pop("priority", 0)}
    if on:
        body["nodeName"] = on
    body.update(spec)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "labels": labels or {}},
        "spec": body,
    }


def run(
    objects: list[dict[str, Any]], pending: str = "p", config: SchedulerConfig | None = None
) -> FilterReport:
    # As a user would: the manifests as text (a JSON list), read by the public reader.
    manifests = parse_manifests(json.dumps(objects), source="situation.json")
    cluster = ClusterState.from_manifests(manifests)
    return filter_pod(cluster, cluster.find_pod(f"default/{pending}"), config=config)


def verdict(report: FilterReport, node_name: str, plugin: str) -> tuple[str, tuple[str, ...]]:
    (found,) = [n for n in report.nodes if n.node == node_name]
    status = found.plugins[plugin]
    return status.code.value, status.reasons
